// Command receiver takes alerts in over HTTP and sends the incidents'
// changes out: Alertmanager's webhook (POST /alertmanager) and PagerDuty
// Events v2 (POST /pagerduty) go through a routing file into incidents of a
// journal store (incident.AlertRouter), and a delivery worker follows the
// store's change feed and POSTs each change to webhooks, with retries,
// bounded exponential backoff and a dead-letter file. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	incident "libincident.dev/incident"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type config struct {
	store, routing, listen, tokenFile, deadLetter, cursor string
	pagerDutyURL, pagerDutyKeyFile, incidentURL           string
	rotations, webhooks, slackHooks                       listFlag
	retry                                                 retryPolicy
	timeout, flushEvery                                   time.Duration
}

func parseFlags(args []string) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("receiver", flag.ContinueOnError)
	fs.StringVar(&c.store, "store", "", "journal directory (created if missing)")
	fs.StringVar(&c.routing, "routing", "", "routing file (lib/docs/alert-routing.md)")
	fs.Var(&c.rotations, "rotation", "rotation file the routing file pages (repeatable)")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:9095", "address to listen on")
	fs.StringVar(&c.tokenFile, "token-file", "", "file holding the bearer token intake requires")
	fs.Var(&c.webhooks, "webhook", "generic JSON webhook URL (repeatable)")
	fs.Var(&c.slackHooks, "slack-webhook", "Slack incoming webhook URL, Block Kit bodies (repeatable)")
	fs.StringVar(&c.pagerDutyURL, "pagerduty-url", "", "PagerDuty Events API v2 endpoint (https://events.pagerduty.com/v2/enqueue)")
	fs.StringVar(&c.pagerDutyKeyFile, "pagerduty-key-file", "", "file holding the Events API v2 routing key (32 letters and digits)")
	fs.StringVar(&c.incidentURL, "incident-url", "", "incident page the PagerDuty triggers link to; {id} is the incident id")
	fs.StringVar(&c.deadLetter, "dead-letter", "", "JSON-lines file for changes a webhook never took")
	fs.StringVar(&c.cursor, "cursor", "", "file keeping the feed cursor (default STORE.cursor)")
	fs.IntVar(&c.retry.Attempts, "attempts", 8, "POSTs per change and webhook before the dead letter")
	fs.DurationVar(&c.retry.Base, "backoff", 500*time.Millisecond, "first retry delay (doubles)")
	fs.DurationVar(&c.retry.Max, "backoff-max", 30*time.Second, "longest retry delay")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Second, "timeout of one webhook POST")
	fs.DurationVar(&c.flushEvery, "flush", 10*time.Second, "how often repeat counts are written")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case c.store == "" || c.routing == "" || c.tokenFile == "":
		return nil, errors.New("--store, --routing and --token-file are required")
	case (c.pagerDutyURL == "") != (c.pagerDutyKeyFile == ""):
		return nil, errors.New("--pagerduty-url and --pagerduty-key-file go together")
	case (len(c.webhooks)+len(c.slackHooks)) > 0 && c.deadLetter == "",
		c.pagerDutyURL != "" && c.deadLetter == "":
		return nil, errors.New("--dead-letter is required with webhooks")
	case c.retry.Attempts < 1 || c.retry.Base <= 0 || c.retry.Max < c.retry.Base:
		return nil, errors.New("--attempts must be >= 1 and 0 < --backoff <= --backoff-max")
	}
	if c.cursor == "" {
		c.cursor = strings.TrimRight(c.store, "/") + ".cursor"
	}
	return c, nil
}

func (c *config) sinks() ([]sink, error) {
	var s []sink
	for _, u := range c.webhooks {
		s = append(s, sink{URL: u})
	}
	for _, u := range c.slackHooks {
		s = append(s, sink{URL: u, Slack: true})
	}
	if c.pagerDutyURL != "" {
		key, err := readToken(c.pagerDutyKeyFile)
		if err != nil {
			return nil, err
		}
		if _, err := incident.PagerDutyEvent("resolve", key, "-"); err != nil {
			return nil, fmt.Errorf("%s: not an Events API v2 routing key (32 letters and digits)", c.pagerDutyKeyFile)
		}
		s = append(s, sink{URL: c.pagerDutyURL, PagerDuty: key, IncidentURL: c.incidentURL})
	}
	return s, nil
}

// readToken reads the shared secret; an empty one is refused.
func readToken(file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	t := strings.TrimSpace(string(b))
	if t == "" {
		return "", fmt.Errorf("%s: empty token", file)
	}
	return t, nil
}

// openSession opens the store and a session with the rotations added.
func openSession(c *config) (*incident.Store, *incident.Session, error) {
	store, err := incident.OpenJournal(c.store, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("store %s: %w", c.store, err)
	}
	sess, err := incident.NewSession(&incident.SessionOptions{Store: store})
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	for _, f := range c.rotations {
		err = addRotation(sess, f)
		if err != nil {
			sess.Close()
			store.Close()
			return nil, nil, err
		}
	}
	return store, sess, nil
}

func addRotation(sess *incident.Session, file string) error {
	text, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	rot, err := incident.ParseRotation(sess, text)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return sess.AddRotation(rot)
}

func loadRouter(sess *incident.Session, file string) (*incident.AlertRouter, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return incident.ParseAlertRouter(sess, file, text)
}

func main() {
	c, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "receiver:", err)
		os.Exit(2)
	}
	if err := run(c); err != nil {
		log.Fatal(err)
	}
}

func run(c *config) error {
	token, err := readToken(c.tokenFile)
	if err != nil {
		return err
	}
	store, sess, err := openSession(c)
	if err != nil {
		return err
	}
	defer store.Close()
	defer sess.Close()
	router, err := loadRouter(sess, c.routing)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	sinks, err := c.sinks()
	if err != nil {
		return err
	}
	if len(sinks) > 0 {
		w, err := newWorker(sess, c.cursor, sinks, c.retry, c.deadLetter, c.timeout)
		if err != nil {
			return err
		}
		go func() { done <- w.run(ctx) }()
	}
	go flushEvery(ctx, router, c.flushEvery)
	srv := &http.Server{Addr: c.listen, Handler: newIntake(router, token).routes(),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	log.Printf("receiver: listening on %s", c.listen)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if _, err := router.Flush(); err != nil {
		log.Printf("receiver: flush: %v", err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			return err
		}
	case <-time.After(time.Second):
	}
	return nil
}

// flushEvery writes pending repeat counts now and then, so a storm costs
// one event per fingerprint and period, not one per repeat.
func flushEvery(ctx context.Context, router *incident.AlertRouter, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := router.Flush(); err != nil {
				log.Printf("receiver: flush: %v", err)
			}
		}
	}
}
