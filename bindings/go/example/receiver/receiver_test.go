package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

const testToken = "s3cret-token"

const testRotation = `libincident-rotation 1
name = checkout-primary
zone = UTC
period = weekly
start = 2026-01-05
handoff = monday 10:00
role = none
person = pat
`

const testRouting = `libincident-routing 1
rule = checkout-page
  match = alertname=CheckoutDown
  level = Sev-1
  slug = checkout
  rotation = checkout-primary
  group_by = alertname, service
  group_window = 30m

rule = any
  level = Sev-3
  slug = alert
  rotation = checkout-primary
  group_by = alertname
  group_window = 30m

maintenance = batch
  zone = UTC
  from = 00:00
  to = 24:00
`

// fixture is a receiver's state over a journal in a temp directory.
type fixture struct {
	dir    string
	cfg    *config
	store  *incident.Store
	sess   *incident.Session
	router *incident.AlertRouter
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg, err := parseFlags([]string{"--store", filepath.Join(dir, "store"),
		"--routing", write("routing.txt", testRouting), "--rotation", write("rotation.txt", testRotation),
		"--token-file", write("token", testToken+"\n"), "--dead-letter", filepath.Join(dir, "dead.jsonl"),
		"--webhook", "http://127.0.0.1:1/unused"})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{dir: dir, cfg: cfg}
	f.open(t)
	t.Cleanup(f.close)
	return f
}

func (f *fixture) open(t *testing.T) {
	t.Helper()
	var err error
	if f.store, f.sess, err = openSession(f.cfg); err != nil {
		t.Fatal(err)
	}
	if f.router, err = loadRouter(f.sess, f.cfg.routing); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) close() {
	if f.sess != nil {
		f.sess.Close()
		f.store.Close()
		f.sess = nil
	}
}

func amAlert(status, name, service, fingerprint string) []byte {
	return []byte(fmt.Sprintf(`{"version":"4","status":%q,"alerts":[{"status":%q,"fingerprint":%q,`+
		`"labels":{"alertname":%q,"service":%q,"severity":"critical"},"annotations":{"summary":"%s failing"}}]}`,
		status, status, fingerprint, name, service, name))
}

func post(t *testing.T, url, token string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func (f *fixture) incidents(t *testing.T) []string {
	t.Helper()
	ids, err := f.sess.List()
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// Intake without the token (or with a wrong one) is 401, an oversized body
// 413, the wrong document or method 400/405: and nothing is written. With
// the token an alert declares at the routed level (ALERT-1).
func TestIntakeRefusesAndAccepts(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(newIntake(f.router, testToken).routes())
	defer srv.Close()
	doc := amAlert("firing", "CheckoutDown", "checkout", "f1")
	big := append([]byte(`{"version":"4","alerts":[],"pad":"`), bytes.Repeat([]byte("x"), 2<<20)...)
	cases := []struct {
		path, token string
		body        []byte
		want        int
	}{
		{"/alertmanager", "", doc, http.StatusUnauthorized},
		{"/alertmanager", "wrong", doc, http.StatusUnauthorized},
		{"/alertmanager", testToken + "x", doc, http.StatusUnauthorized},
		{"/pagerduty", "", doc, http.StatusUnauthorized},
		{"/alertmanager", testToken, big, http.StatusRequestEntityTooLarge},
		{"/pagerduty", testToken, doc, http.StatusBadRequest},
		{"/alertmanager", testToken, []byte(`{"version":"3","alerts":[]}`), http.StatusBadRequest},
		{"/alertmanager", testToken, []byte(`not json`), http.StatusBadRequest},
	}
	for _, c := range cases {
		if got, body := post(t, srv.URL+c.path, c.token, c.body); got != c.want {
			t.Errorf("%s token %q: %d %s, want %d", c.path, c.token, got, body, c.want)
		}
	}
	if resp, err := http.Get(srv.URL + "/alertmanager"); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatal(resp, err)
	}
	if ids := f.incidents(t); len(ids) != 0 {
		t.Fatalf("refused requests wrote %v", ids)
	}
	if got, body := post(t, srv.URL+"/alertmanager", testToken, doc); got != http.StatusOK {
		t.Fatal(got, body)
	}
	pd := `{"event_action":"trigger","dedup_key":"db-1","payload":{"summary":"DB down","source":"db1","severity":"critical"}}`
	if got, body := post(t, srv.URL+"/pagerduty", testToken, []byte(pd)); got != http.StatusOK {
		t.Fatal(got, body)
	}
	ids := f.incidents(t)
	if len(ids) != 2 {
		t.Fatal(ids)
	}
	inc, err := f.sess.Open(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	defer inc.Close()
	if !strings.Contains(ids[0]+ids[1], "checkout") {
		t.Fatal(ids)
	}
}

// faultySink answers a tenth of the requests never (the client times out),
// half of them 500 and records the rest: deterministic by request number.
type faultySink struct {
	mu                     sync.Mutex
	n, fails, timeouts, ok int
	got                    []webhookBody
}

func (s *faultySink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var b webhookBody
	err := json.NewDecoder(r.Body).Decode(&b)
	s.mu.Lock()
	s.n++
	n := s.n
	switch {
	case n%10 == 3:
		s.timeouts++
		s.mu.Unlock()
		select { // never answer in time
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		return
	case n%2 == 0 || err != nil || r.Header.Get("Idempotency-Key") != b.IdempotencyKey:
		s.fails++
		s.mu.Unlock()
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	s.ok++
	s.got = append(s.got, b)
	s.mu.Unlock()
}

// makeChanges writes a few incidents' worth of events through the intake.
func makeChanges(t *testing.T, f *fixture) {
	t.Helper()
	for _, name := range []string{"CheckoutDown", "DiskFull", "QueueBacklog", "CertExpiry"} {
		for i := 0; i < 3; i++ {
			if _, err := f.router.Intake(amAlert("firing", name, "svc", fmt.Sprintf("%s-%d", name, i))); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.router.Intake(amAlert("resolved", name, "svc", name+"-0")); err != nil {
			t.Fatal(err)
		}
	}
}

// allChanges lists every event of the store in feed order.
func allChanges(t *testing.T, sess *incident.Session) []incident.FeedItem {
	t.Helper()
	feed, err := incident.NewFeed(sess, "")
	if err != nil {
		t.Fatal(err)
	}
	defer feed.Close()
	items, err := feed.Poll(0)
	if err != nil {
		t.Fatal(err)
	}
	return items
}

func startWorker(t *testing.T, f *fixture, url string) (*worker, context.CancelFunc, chan error) {
	t.Helper()
	w, err := newWorker(f.sess, f.cfg.cursor, []sink{{URL: url}},
		retryPolicy{Attempts: 50, Base: time.Millisecond, Max: 20 * time.Millisecond}, f.cfg.deadLetter, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	w.idle = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.run(ctx) }()
	return w, cancel, done
}

// waitFor polls cond for at most 30 s (a bound against hanging, not a
// timed assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// Against a sink that fails half the requests and times out a tenth, with
// the worker stopped mid-way and started again from its saved cursor over
// a reopened store: every change arrives at least once, in order per
// incident.
func TestDeliveryUnderFaultsAndRestart(t *testing.T) {
	f := newFixture(t)
	makeChanges(t, f)
	want := allChanges(t, f.sess)
	sink := &faultySink{}
	srv := httptest.NewServer(sink)
	defer srv.Close()

	w1, cancel, done := startWorker(t, f, srv.URL)
	waitFor(t, "half the changes", func() bool { d, _, _ := w1.counts(); return d >= len(want)/2 })
	cancel()
	<-done
	d1, a1, _ := w1.counts()
	f.close() // the restart: a new store handle, session and worker
	f.open(t)
	w2, cancel2, done2 := startWorker(t, f, srv.URL)
	waitFor(t, "every change", func() bool { d, _, _ := w2.counts(); return d1+d >= len(want) })
	cancel2()
	<-done2
	d2, a2, dead := w2.counts()

	sink.mu.Lock()
	defer sink.mu.Unlock()
	checkAtLeastOnceInOrder(t, want, sink.got)
	if dead != 0 {
		t.Fatalf("%d dead letters", dead)
	}
	msg := fmt.Sprintf("delivery: changes %d, delivered before restart %d, after %d; POSTs %d (200: %d, 500: %d, timed out: %d); duplicates %d; dead letters %d",
		len(want), d1, d2, a1+a2, sink.ok, sink.fails, sink.timeouts, len(sink.got)-len(want), dead)
	t.Log(msg)
	fmt.Println(msg)
}

func checkAtLeastOnceInOrder(t *testing.T, want []incident.FeedItem, got []webhookBody) {
	t.Helper()
	last := map[string]uint64{}
	seen := map[string]bool{}
	for _, b := range got {
		if b.Seq < last[b.IncidentID] {
			t.Fatalf("%s: seq %d after %d", b.IncidentID, b.Seq, last[b.IncidentID])
		}
		if b.Seq > last[b.IncidentID]+1 && !seen[fmt.Sprintf("%s:%d", b.IncidentID, b.Seq-1)] {
			t.Fatalf("%s: seq %d before %d", b.IncidentID, b.Seq, b.Seq-1)
		}
		last[b.IncidentID] = b.Seq
		seen[b.IdempotencyKey] = true
	}
	for _, it := range want {
		if !seen[idempotencyKey(it)] {
			t.Fatalf("change %s never arrived", idempotencyKey(it))
		}
	}
}

// A webhook that always fails gets each change N times, then a dead-letter
// line; the worker moves on (the cursor advances).
func TestDeadLetter(t *testing.T) {
	f := newFixture(t)
	if _, err := f.router.Intake(amAlert("firing", "CheckoutDown", "checkout", "f1")); err != nil {
		t.Fatal(err)
	}
	want := allChanges(t, f.sess)
	var posts int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		posts++
		mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	w, err := newWorker(f.sess, f.cfg.cursor, []sink{{URL: srv.URL}},
		retryPolicy{Attempts: 3, Base: time.Millisecond, Max: 4 * time.Millisecond}, f.cfg.deadLetter, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	w.idle = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.run(ctx) }()
	waitFor(t, "every change", func() bool { d, _, _ := w.counts(); return d >= len(want) })
	cancel()
	<-done
	lines := strings.Split(strings.TrimSpace(readFile(t, f.cfg.deadLetter)), "\n")
	if len(lines) != len(want) || posts != 3*len(want) {
		t.Fatalf("%d dead letters, %d posts for %d changes", len(lines), posts, len(want))
	}
	var rec deadLetterRecord
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil || rec.Attempts != 3 ||
		rec.IdempotencyKey != idempotencyKey(want[0]) || rec.Error != "HTTP 503" {
		t.Fatal(rec, err)
	}
	if cur := readFile(t, f.cfg.cursor); strings.TrimSpace(cur) == "" {
		t.Fatal("cursor not saved")
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBackoffIsBounded(t *testing.T) {
	p := retryPolicy{Attempts: 10, Base: 100 * time.Millisecond, Max: time.Second}
	got := []time.Duration{p.backoff(1), p.backoff(2), p.backoff(3), p.backoff(4), p.backoff(5), p.backoff(40)}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i := range want {
		if got[i] != want[i]*time.Millisecond {
			t.Fatalf("backoff(%d) = %v", i+1, got[i])
		}
	}
}
