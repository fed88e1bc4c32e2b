package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	incident "libincident.dev/incident"
)

// pdKey is an Events API v2 routing key: 32 letters and digits.
const pdKey = "R0UT1NGKEY0123456789abcdefABCDEF"

// schemaDir holds the schemas ctest wire_schemas checks the C side with.
var schemaDir = filepath.Join("..", "..", "..", "..", "tests", "data", "schemas")

// validate checks each document against tests/data/schemas/<schema>.json
// with Python's jsonschema (Draft 7), as ctest wire_schemas does; the check
// is skipped where python3-jsonschema is missing.
func validate(t *testing.T, schema string, docs [][]byte) {
	t.Helper()
	py := lookPath("python3")
	if py == "" || exec.Command(py, "-c", "import jsonschema").Run() != nil {
		t.Logf("python3 jsonschema not installed: %d %s documents not checked against the schema", len(docs), schema)
		return
	}
	dir := t.TempDir()
	for i, d := range docs {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.json", i)), d, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	const check = `import glob, json, sys, jsonschema
v = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
bad = 0
for p in sorted(glob.glob(sys.argv[2] + "/*.json")):
    for e in v.iter_errors(json.load(open(p))):
        print(p, "/".join(map(str, e.path)), e.message[:200]); bad += 1
sys.exit(1 if bad else 0)`
	out, err := exec.Command(py, "-c", check, filepath.Join(schemaDir, schema+".json"), dir).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: documents the schema refuses: %v\n%s", schema, err, out)
	}
}

// recordingSink records each body it answers 200, in arrival order; with
// failEvery n > 0 it answers every n-th request 503 (the worker retries).
type recordingSink struct {
	mu        sync.Mutex
	n         int
	failEvery int
	got       [][]byte
}

func (s *recordingSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	if err != nil || (s.failEvery > 0 && s.n%s.failEvery == 0) {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	s.got = append(s.got, body)
}

func (s *recordingSink) bodies() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.got...)
}

// runWorker delivers every change of the store to one sink and stops.
func runWorker(t *testing.T, f *fixture, s sink) *worker {
	t.Helper()
	want := allChanges(t, f.sess)
	w, err := newWorker(f.sess, f.cfg.cursor, []sink{s},
		retryPolicy{Attempts: 20, Base: time.Millisecond, Max: 10 * time.Millisecond}, f.cfg.deadLetter, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	w.idle = 5 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.run(ctx) }()
	waitFor(t, "every change", func() bool { d, _, _ := w.counts(); return d >= len(want) })
	cancel()
	<-done
	if _, _, dead := w.counts(); dead != 0 {
		t.Fatalf("%d dead letters", dead)
	}
	return w
}

// openIncident opens the only incident whose id contains sub.
func openIncident(t *testing.T, f *fixture, sub string) *incident.Incident {
	t.Helper()
	for _, id := range f.incidents(t) {
		if strings.Contains(id, sub) {
			inc, err := f.sess.Open(id)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { inc.Close() })
			return inc
		}
	}
	t.Fatalf("no incident %q in %v", sub, f.incidents(t))
	return nil
}

// An alert declares and pages (ALERT-1), the IC takes command and
// acknowledges (ESC-3) and resolves: the PagerDuty sink gets the trigger,
// the acknowledge and the resolve of the page, under one dedup_key, in
// order, each valid against the Events v2 schema, through a sink that
// fails a third of the requests (ESC-2: the library says, the program
// sends).
func TestPagerDutySinkFollowsThePage(t *testing.T) {
	f := newFixture(t)
	if _, err := f.router.Intake(amAlert("firing", "CheckoutDown", "checkout", "f1")); err != nil {
		t.Fatal(err)
	}
	inc := openIncident(t, f, "checkout")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(inc.ConfirmHandoff("pat"))
	must(inc.Acknowledge("pat", 0))
	for _, s := range []incident.State{incident.StateInvestigating, incident.StateMitigating, incident.StateMonitoring} {
		must(inc.SetState("pat", s, ""))
	}
	must(inc.SetState("pat", incident.StateResolved, "Checked checkout by hand."))

	recv := &recordingSink{failEvery: 3}
	srv := httptest.NewServer(recv)
	defer srv.Close()
	w := runWorker(t, f, sink{URL: srv.URL, PagerDuty: pdKey, IncidentURL: "https://ops.example.com/i/{id}"})

	got := recv.bodies()
	changes, posts, _ := w.counts()
	t.Logf("pagerduty: changes %d, bodies received %d, POSTs %d (503: %d)", changes, len(got), posts, posts-len(got))
	var actions []string
	var key string
	for _, b := range got {
		var m struct {
			RoutingKey  string `json:"routing_key"`
			EventAction string `json:"event_action"`
			DedupKey    string `json:"dedup_key"`
			ClientURL   string `json:"client_url"`
		}
		if err := json.Unmarshal(b, &m); err != nil || m.RoutingKey != pdKey {
			t.Fatal(string(b), err)
		}
		if key == "" {
			key = m.DedupKey
		}
		if m.DedupKey != key {
			t.Fatalf("a second alert %q after %q", m.DedupKey, key)
		}
		if m.EventAction == "trigger" && m.ClientURL != "https://ops.example.com/i/"+inc.ID() {
			t.Fatal(string(b))
		}
		actions = append(actions, m.EventAction)
	}
	if strings.Join(actions, ",") != "trigger,acknowledge,resolve" || !strings.HasPrefix(key, inc.ID()+"/page/") {
		t.Fatalf("%v under %q", actions, key)
	}
	validate(t, "pagerduty-event-v2", got)
}

// The Slack path: the header, CAN reports (one past Slack's limits, full of
// characters to escape), a status update and a hand-off arrive as Block
// Kit messages, in the feed's order, within Block Kit's limits, escaped,
// and valid against the schema; through a sink that fails every other
// request.
func TestSlackSinkMessagesInOrderWithinLimits(t *testing.T) {
	f := newFixture(t)
	if _, err := f.router.Intake(amAlert("firing", "CheckoutDown", "checkout", "f1")); err != nil {
		t.Fatal(err)
	}
	inc := openIncident(t, f, "checkout")
	if err := inc.ConfirmHandoff("pat"); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Checkout <@U123> & <!channel> fails > 5% in EU 🔥. ", 250) // past 3,000 characters
	markup := strings.Repeat("<&>", 5400)                                             // 70,200 characters escaped: past 50 blocks
	for _, r := range []incident.CANReport{
		{Conditions: "5xx <above> 5% & rising", Actions: "Rolling back.", Needs: "none"},
		{Conditions: long, Actions: "Rolling back.", Needs: "none"},
		{Conditions: markup, Actions: markup, Needs: markup},
	} {
		if _, _, err := inc.ReportCAN("pat", r); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := inc.StatusUpdate("pat", incident.Update{Audience: incident.AudienceResponse,
		Body: "Rollback <in progress> & watching."}); err != nil {
		t.Fatal(err)
	}
	if err := inc.Handoff("pat", "quinn", incident.Briefing{Conditions: "Stable.", Actions: "Watching.", Needs: "None."}); err != nil {
		t.Fatal(err)
	}
	if err := inc.Reload(); err != nil {
		t.Fatal(err)
	}

	// What the library says each change's message is, in feed order.
	var want [][]byte
	for _, it := range allChanges(t, f.sess) {
		b, err := inc.SlackJSON(it.Seq)
		if err == nil {
			want = append(want, b)
		}
	}
	recv := &recordingSink{failEvery: 2}
	srv := httptest.NewServer(recv)
	defer srv.Close()
	w := runWorker(t, f, sink{URL: srv.URL, Slack: true})

	got := recv.bodies()
	changes, posts, _ := w.counts()
	t.Logf("slack: changes %d, messages received %d, POSTs %d (503: %d)", changes, len(got), posts, posts-len(got))
	if len(got) != len(want) || len(got) < 6 {
		t.Fatalf("%d messages, want %d (header, 3 CAN reports, update, hand-off)", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("message %d out of order or changed:\n%s\nwant\n%s", i, got[i], want[i])
		}
		checkBlockKit(t, got[i])
	}
	if !bytes.Contains(bytes.Join(got, nil), []byte("&lt;@U123&gt; &amp; &lt;!channel&gt;")) {
		t.Fatal("the mention is not escaped")
	}
	if !bytes.Contains(bytes.Join(got, nil), []byte("Cut at Slack's 50 blocks")) {
		t.Fatal("the CAN report past 50 blocks does not say where the rest is")
	}
	validate(t, "slack-message", got)
}

// checkBlockKit holds a message to Block Kit's limits as Slack counts them
// (UTF-16 units): at most 50 blocks, a section's text at most 3,000, a
// header's 150, and no unescaped <, > or & in any text.
func checkBlockKit(t *testing.T, msg []byte) {
	t.Helper()
	var m struct {
		Text   string
		Blocks []struct {
			Type string
			Text *struct{ Text string }
		}
	}
	if err := json.Unmarshal(msg, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Blocks) == 0 || len(m.Blocks) > 50 {
		t.Fatalf("%d blocks", len(m.Blocks))
	}
	units := func(s string) int { return len(utf16.Encode([]rune(s))) }
	texts := []string{m.Text}
	for _, b := range m.Blocks {
		if b.Text == nil {
			continue
		}
		if (b.Type == "section" && units(b.Text.Text) > 3000) || (b.Type == "header" && units(b.Text.Text) > 150) {
			t.Fatalf("a %s of %d characters", b.Type, units(b.Text.Text))
		}
		texts = append(texts, b.Text.Text)
	}
	for _, s := range texts {
		unescaped := strings.NewReplacer("&amp;", "", "&lt;", "", "&gt;", "").Replace(s)
		if strings.ContainsAny(unescaped, "<>&") {
			t.Fatalf("unescaped markup in %q", s)
		}
	}
}

// PagerDuty-style intake: a trigger declares, acknowledge and resolve with
// its dedup_key are recorded on the incident (ALERT-3: never resolving
// it); without the token, oversized, with an unknown action or a dedup_key
// past 255 characters the request is refused and nothing is written.
func TestPagerDutyIntakeAcknowledgeAndResolve(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(newIntake(f.router, testToken).routes())
	defer srv.Close()
	event := func(action, key string) []byte {
		if action == "trigger" {
			return []byte(fmt.Sprintf(`{"event_action":"trigger","dedup_key":%q,"payload":{"summary":"DB down","source":"db1","severity":"critical"}}`, key))
		}
		return []byte(fmt.Sprintf(`{"event_action":%q,"dedup_key":%q}`, action, key))
	}
	if code, body := post(t, srv.URL+"/pagerduty", testToken, event("trigger", "db-1")); code != http.StatusOK {
		t.Fatal(code, body)
	}
	ids := f.incidents(t)
	if len(ids) != 1 {
		t.Fatal(ids)
	}
	events := func() int {
		inc, err := f.sess.Open(ids[0])
		if err != nil {
			t.Fatal(err)
		}
		defer inc.Close()
		return inc.EventCount()
	}
	before := events()
	big := append([]byte(`{"event_action":"acknowledge","dedup_key":"db-1","pad":"`), bytes.Repeat([]byte("x"), 2<<20)...)
	big = append(big, `"}`...)
	refused := []struct {
		name, token string
		body        []byte
		want        int
	}{
		{"no token", "", event("acknowledge", "db-1"), http.StatusUnauthorized},
		{"a wrong token", "wrong", event("resolve", "db-1"), http.StatusUnauthorized},
		{"over 1 MiB", testToken, big, http.StatusRequestEntityTooLarge},
		{"an unknown action", testToken, event("snooze", "db-1"), http.StatusBadRequest},
		{"a dedup_key of 256", testToken, event("acknowledge", strings.Repeat("k", 256)), http.StatusRequestEntityTooLarge},
		{"no dedup_key", testToken, []byte(`{"event_action":"resolve"}`), http.StatusBadRequest},
	}
	for _, c := range refused {
		if code, body := post(t, srv.URL+"/pagerduty", c.token, c.body); code != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, code, body, c.want)
		}
		if n := events(); n != before || len(f.incidents(t)) != 1 {
			t.Fatalf("%s: wrote %d events", c.name, n-before)
		}
	}
	for i, action := range []string{"acknowledge", "resolve"} {
		code, body := post(t, srv.URL+"/pagerduty", testToken, event(action, "db-1"))
		var out incident.AlertOutcome
		if code != http.StatusOK || json.Unmarshal([]byte(body), &out) != nil || out.Recorded != 1 || out.IncidentID != ids[0] {
			t.Fatalf("%s: %d %s", action, code, body)
		}
		if n := events(); n != before+i+1 {
			t.Fatalf("%s: %d events written, want 1", action, n-before-i)
		}
	}
	inc, err := f.sess.Open(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	defer inc.Close()
	if inc.State() >= incident.StateResolved { // ALERT-3: the IC decides
		t.Fatalf("resolved by an alert: %v", inc.State())
	}
	last, err := inc.Event(inc.EventCount() - 1)
	if err != nil || last.Kind != incident.EventAlertReceived || !strings.Contains(last.Description, "resolved") {
		t.Fatalf("%+v %v", last, err)
	}
}

// --pagerduty-url needs --pagerduty-key-file (and the reverse), a dead
// letter file, and a key of 32 letters and digits.
func TestPagerDutyFlags(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "pd-key")
	base := []string{"--store", filepath.Join(dir, "s"), "--routing", "r", "--token-file", "t"}
	if _, err := parseFlags(append(base, "--pagerduty-url", "http://127.0.0.1:1/")); err == nil {
		t.Fatal("--pagerduty-url without a key file accepted")
	}
	if _, err := parseFlags(append(base, "--pagerduty-url", "http://127.0.0.1:1/", "--pagerduty-key-file", key)); err == nil {
		t.Fatal("PagerDuty without --dead-letter accepted")
	}
	c, err := parseFlags(append(base, "--pagerduty-url", "http://127.0.0.1:1/", "--pagerduty-key-file", key,
		"--dead-letter", filepath.Join(dir, "dead"), "--incident-url", "https://ops.example.com/i/{id}"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{pdKey[:31], pdKey + "0", strings.Repeat("-", 32)} {
		os.WriteFile(key, []byte(bad+"\n"), 0o600)
		if _, err := c.sinks(); err == nil || !strings.Contains(err.Error(), "32 letters and digits") {
			t.Fatalf("key %q: %v", bad, err)
		}
	}
	os.WriteFile(key, []byte(pdKey+"\n"), 0o600)
	if s, err := c.sinks(); err != nil || len(s) != 1 || s[0].PagerDuty != pdKey || s[0].IncidentURL != "https://ops.example.com/i/{id}" {
		t.Fatal(s, err)
	}
}
