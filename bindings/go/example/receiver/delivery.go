package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	incident "libincident.dev/incident"
)

// sink is one webhook the worker delivers to.
type sink struct {
	URL   string
	Slack bool // a Slack incoming webhook: Block Kit bodies, events without one skipped
	// PagerDuty, when set, is the Events API v2 routing key: the sink gets
	// the trigger / acknowledge / resolve bodies each event calls for
	// (inc_incident_pagerduty_json), events that call for none skipped.
	PagerDuty string
	// IncidentURL is the incident page the PagerDuty triggers link to,
	// each "{id}" replaced by the incident id ("" for no links).
	IncidentURL string
}

// retryPolicy bounds the attempts of one delivery: Attempts tries, waiting
// Base, 2*Base, 4*Base, ... (at most Max) in between.
type retryPolicy struct {
	Attempts  int
	Base, Max time.Duration
}

func (p retryPolicy) backoff(attempt int) time.Duration {
	d := p.Base
	for i := 1; i < attempt && d < p.Max; i++ {
		d *= 2
	}
	if d > p.Max {
		d = p.Max
	}
	return d
}

// worker follows the change feed and POSTs each change to every sink, one
// change at a time: in order per incident, the cursor saved after each
// change is delivered (or dead-lettered), so a restart resends at most the
// change in flight (at least once; the idempotency key is incident id +
// seq).
type worker struct {
	sess       *incident.Session
	feed       *incident.Feed
	cursorFile string
	sinks      []sink
	retry      retryPolicy
	deadLetter string
	client     *http.Client
	idle       time.Duration // pause when the feed is empty

	mu        sync.Mutex
	delivered int // changes done (every sink answered 2xx or was dead-lettered)
	attempts  int // POSTs made
	dead      int // dead-letter records written
}

// webhookBody is the generic JSON webhook's body.
type webhookBody struct {
	IdempotencyKey string    `json:"idempotency_key"`
	IncidentID     string    `json:"incident_id"`
	Seq            uint64    `json:"seq"`
	Kind           string    `json:"kind"`
	Time           time.Time `json:"time"`
	Actor          string    `json:"actor"`
	Text           string    `json:"text"`
}

// deadLetterRecord is one line of the dead-letter file.
type deadLetterRecord struct {
	Time           time.Time `json:"time"`
	IdempotencyKey string    `json:"idempotency_key"`
	IncidentID     string    `json:"incident_id"`
	Seq            uint64    `json:"seq"`
	URL            string    `json:"url"`
	Attempts       int       `json:"attempts"`
	Error          string    `json:"error"`
}

func idempotencyKey(it incident.FeedItem) string {
	return it.IncidentID + ":" + strconv.FormatUint(it.Seq, 10)
}

// readCursor returns the saved cursor, "" when none was saved yet.
func readCursor(file string) (string, error) {
	b, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return string(bytes.TrimSpace(b)), err
}

// saveCursor replaces the file atomically (write, sync, rename).
func saveCursor(file, cursor string) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".cursor-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(cursor + "\n"); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

func newWorker(sess *incident.Session, cursorFile string, sinks []sink, retry retryPolicy, deadLetter string, timeout time.Duration) (*worker, error) {
	cursor, err := readCursor(cursorFile)
	if err != nil {
		return nil, err
	}
	feed, err := incident.NewFeed(sess, cursor)
	if err != nil {
		return nil, fmt.Errorf("feed at cursor %q: %w", cursor, err)
	}
	return &worker{sess: sess, feed: feed, cursorFile: cursorFile, sinks: sinks, retry: retry,
		deadLetter: deadLetter, client: &http.Client{Timeout: timeout}, idle: 200 * time.Millisecond}, nil
}

// run delivers until ctx ends; it returns ctx's error or a feed/cursor error.
func (w *worker) run(ctx context.Context) error {
	defer w.feed.Close()
	for ctx.Err() == nil {
		items, err := w.feed.Poll(1)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			sleep(ctx, w.idle)
			continue
		}
		if err := w.deliver(ctx, items[0]); err != nil {
			return err // stopped mid-change: the cursor stays before it
		}
		cursor, err := w.feed.Cursor()
		if err != nil {
			return err
		}
		if err := saveCursor(w.cursorFile, cursor); err != nil {
			return err
		}
		w.mu.Lock()
		w.delivered++
		w.mu.Unlock()
	}
	return ctx.Err()
}

// deliver sends one change to every sink, retrying each; a sink that fails
// every attempt gets a dead-letter record. It returns an error only when
// ctx ends or the dead-letter file cannot be written.
func (w *worker) deliver(ctx context.Context, it incident.FeedItem) error {
	for _, s := range w.sinks {
		bodies, err := w.bodies(s, it)
		if err != nil {
			return err
		}
		for _, body := range bodies { // in order: a PagerDuty resolve after its acknowledge
			if err := w.post(ctx, s, it, body); err != nil {
				return err
			}
		}
	}
	return nil
}

// bodies renders the change for a sink: one generic body; the Slack
// message, or none for a kind without one; the PagerDuty events the change
// calls for, often none.
func (w *worker) bodies(s sink, it incident.FeedItem) ([][]byte, error) {
	if !s.Slack && s.PagerDuty == "" {
		b, err := json.Marshal(webhookBody{idempotencyKey(it), it.IncidentID, it.Seq,
			it.Kind.String(), it.Time, it.Actor, it.Text})
		return [][]byte{b}, err
	}
	inc, err := w.sess.Open(it.IncidentID)
	if err != nil {
		return nil, err
	}
	defer inc.Close()
	if s.PagerDuty != "" {
		return inc.PagerDutyJSON(it.Seq, s.PagerDuty, "", strings.ReplaceAll(s.IncidentURL, "{id}", it.IncidentID))
	}
	b, err := inc.SlackJSON(it.Seq)
	if errors.Is(err, incident.ErrInvalid) {
		return nil, nil // no Block Kit message for this kind
	}
	if err != nil {
		return nil, err
	}
	return [][]byte{b}, nil
}

func (w *worker) post(ctx context.Context, s sink, it incident.FeedItem, body []byte) error {
	var last error
	for attempt := 1; attempt <= w.retry.Attempts; attempt++ {
		if attempt > 1 && !sleep(ctx, w.retry.backoff(attempt-1)) {
			return ctx.Err()
		}
		if last = w.postOnce(ctx, s, it, body); last == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return w.bury(deadLetterRecord{time.Now().UTC(), idempotencyKey(it), it.IncidentID, it.Seq,
		s.URL, w.retry.Attempts, last.Error()})
}

func (w *worker) postOnce(ctx context.Context, s sink, it incident.FeedItem, body []byte) error {
	w.mu.Lock()
	w.attempts++
	w.mu.Unlock()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if !s.Slack && s.PagerDuty == "" { // PagerDuty dedups by the body's dedup_key
		req.Header.Set("Idempotency-Key", idempotencyKey(it))
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

// bury appends a dead-letter record (JSON lines).
func (w *worker) bury(rec deadLetterRecord) error {
	f, err := os.OpenFile(w.deadLetter, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	line, _ := json.Marshal(rec)
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	w.mu.Lock()
	w.dead++
	w.mu.Unlock()
	return f.Close()
}

// counts returns delivered changes, POSTs made and dead letters written.
func (w *worker) counts() (delivered, attempts, dead int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.delivered, w.attempts, w.dead
}

// sleep waits d or until ctx ends; false when ctx ended.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
