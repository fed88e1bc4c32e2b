package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

// lookPath finds the first of names on PATH.
func lookPath(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// received is what reached the receiver: each accepted body and outcome.
type received struct {
	mu       sync.Mutex
	bodies   []string
	outcomes []incident.AlertOutcome
}

func (r *received) add(body []byte, o incident.AlertOutcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.bodies = append(r.bodies, string(body))
	r.outcomes = append(r.outcomes, o)
}

// find returns the outcome of the first body containing every substring.
func (r *received) find(subs ...string) (incident.AlertOutcome, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
next:
	for i, b := range r.bodies {
		for _, s := range subs {
			if !strings.Contains(b, s) {
				continue next
			}
		}
		return r.outcomes[i], true
	}
	return incident.AlertOutcome{}, false
}

const amConfig = `route:
  receiver: libincident
  group_by: [alertname, service]
  group_wait: 100ms
  group_interval: 300ms
  repeat_interval: 1h
receivers:
- name: libincident
  webhook_configs:
  - url: %s/alertmanager
    send_resolved: true
    http_config:
      authorization:
        type: Bearer
        credentials: %s
`

// startAlertmanager runs Debian's prometheus-alertmanager on 127.0.0.1
// (clustering off, a temp storage path) with a webhook receiver pointing
// at hook; it returns the URL for amtool.
func startAlertmanager(t *testing.T, bin, hook string) string {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(amConfig, hook, testToken)), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	var logs bytes.Buffer
	cmd := exec.Command(bin, "--config.file="+conf, "--storage.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--cluster.listen-address=")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("alertmanager log:\n%s", logs.String())
		}
	})
	url := "http://" + addr
	waitFor(t, "alertmanager ready", func() bool {
		resp, err := http.Get(url + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return url
}

func amtool(t *testing.T, bin, url string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, append(args, "--alertmanager.url="+url)...).CombinedOutput()
	if err != nil {
		t.Fatalf("amtool %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// Alertmanager's real webhook drives an incident end to end through the
// receiver: declared at the routed level (ALERT-1), repeats grouped, a
// silence and a maintenance window stop the page (ALERT-2), resolution
// recorded with the IC's alert_resolved item and the incident left open
// (ALERT-3).
func TestAlertmanagerEndToEnd(t *testing.T) {
	amBin := lookPath("prometheus-alertmanager", "alertmanager")
	amtoolBin := lookPath("amtool")
	if amBin == "" || amtoolBin == "" {
		t.Skip("prometheus-alertmanager (and amtool) not installed: apt-get install prometheus-alertmanager")
	}
	f := newFixture(t)
	got := &received{}
	in := newIntake(f.router, testToken)
	in.onOutcome = got.add
	srv := httptest.NewServer(in.routes())
	defer srv.Close()
	// The changes out, while Alertmanager posts: a Slack webhook and
	// PagerDuty, both failing every other request.
	slack, pd := &recordingSink{failEvery: 2}, &recordingSink{failEvery: 2}
	slackSrv, pdSrv := httptest.NewServer(slack), httptest.NewServer(pd)
	defer slackSrv.Close()
	defer pdSrv.Close()
	w, err := newWorker(f.sess, f.cfg.cursor, []sink{{URL: slackSrv.URL, Slack: true},
		{URL: pdSrv.URL, PagerDuty: pdKey, IncidentURL: "https://ops.example.com/i/{id}"}},
		retryPolicy{Attempts: 20, Base: time.Millisecond, Max: 10 * time.Millisecond}, f.cfg.deadLetter, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	w.idle = 5 * time.Millisecond
	ctx, stopWorker := context.WithCancel(context.Background())
	workerDone := make(chan error, 1)
	go func() { workerDone <- w.run(ctx) }()
	defer func() { stopWorker(); <-workerDone }()
	am := startAlertmanager(t, amBin, srv.URL)
	alert := func(args ...string) { amtool(t, amtoolBin, am, append([]string{"alert", "add"}, args...)...) }

	alert("CheckoutDown", "service=checkout", "severity=critical", "instance=a", "--annotation=summary=checkout 5xx")
	waitFor(t, "the declaration", func() bool { _, ok := got.find("CheckoutDown"); return ok })
	first, _ := got.find("CheckoutDown")
	if first.Declared != 1 || first.Paged != 1 || first.IncidentID == "" {
		t.Fatalf("first alert: %+v", first)
	}
	inc, err := f.sess.Open(first.IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Severity() != "Sev-1" || inc.HandoffTo() != "pat" {
		t.Fatalf("declared at %s, IC hand-off to %q", inc.Severity(), inc.HandoffTo())
	}
	inc.Close()

	// A second instance of the same group: the same incident.
	alert("CheckoutDown", "service=checkout", "severity=critical", "instance=b", "--annotation=summary=checkout 5xx")
	waitFor(t, "the repeat", func() bool { _, ok := got.find(`"instance":"b"`); return ok })
	repeat, _ := got.find(`"instance":"b"`)
	if repeat.Declared != 0 || repeat.IncidentID != first.IncidentID {
		t.Fatalf("repeat: %+v, first %s", repeat, first.IncidentID)
	}

	// A silence: Alertmanager never posts the alert.
	amtool(t, amtoolBin, am, "silence", "add", "alertname=DiskFull", "--comment=planned", "--author=test", "--duration=1h")
	alert("DiskFull", "service=disk", "severity=critical")
	// A maintenance window (service batch, all day): posted, recorded, not paged.
	alert("BatchLate", "service=batch", "severity=critical")
	waitFor(t, "the alert in maintenance", func() bool { _, ok := got.find("BatchLate"); return ok })
	maint, _ := got.find("BatchLate")
	if maint.Paged != 0 || maint.Suppressed != 1 {
		t.Fatalf("maintenance: %+v", maint)
	}
	if q := amtool(t, amtoolBin, am, "alert", "query", "--silenced", "alertname=DiskFull"); !strings.Contains(q, "DiskFull") {
		t.Fatalf("DiskFull not silenced:\n%s", q)
	}

	// Resolution: the alert ended a minute ago.
	start := time.Now().Add(-10 * time.Minute).UTC().Format(time.RFC3339)
	end := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	alert("CheckoutDown", "service=checkout", "severity=critical", "instance=a",
		"--annotation=summary=checkout 5xx", "--start="+start, "--end="+end)
	waitFor(t, "the resolution", func() bool { _, ok := got.find(`"status":"resolved"`, "CheckoutDown"); return ok })
	if _, ok := got.find("DiskFull"); ok {
		t.Fatal("a silenced alert reached the receiver")
	}
	inc, err = f.sess.Open(first.IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	defer inc.Close()
	due, err := inc.Due(0)
	if err != nil {
		t.Fatal(err)
	}
	defer due.Close()
	resolvedItems := 0
	for _, it := range due.Items {
		if it.Kind == incident.DueAlertResolved {
			resolvedItems++
		}
	}
	if resolvedItems == 0 || inc.State() == incident.StateResolved {
		t.Fatalf("after resolution: %d alert_resolved items, state %v", resolvedItems, inc.State())
	}
	ids, err := f.sess.List()
	if err != nil {
		t.Fatal(err)
	}
	checkout := 0
	for _, id := range ids {
		if strings.Contains(id, "checkout") {
			checkout++
		}
	}
	if checkout != 1 {
		t.Fatalf("incidents %v: want one checkout incident", ids)
	}
	t.Logf("alertmanager: %d webhook posts, incidents %v", len(got.bodies), ids)

	// Out: every change delivered; PagerDuty got the routed page's trigger
	// and nothing else (the maintenance window paged nobody, ALERT-2; the
	// alert's resolution resolves nothing, ALERT-3); Slack got the header
	// of each declared incident and its hand-off. All valid against the
	// schemas.
	changes := len(allChanges(t, f.sess))
	waitFor(t, "every change out", func() bool { d, _, _ := w.counts(); return d >= changes })
	pdBodies, slackBodies := pd.bodies(), slack.bodies()
	if len(pdBodies) != 1 || jsonString(t, pdBodies[0], "event_action") != "trigger" ||
		!strings.HasPrefix(jsonString(t, pdBodies[0], "dedup_key"), first.IncidentID+"/page/") {
		t.Fatalf("PagerDuty got %d bodies: %s", len(pdBodies), bytes.Join(pdBodies, []byte("\n")))
	}
	headers := 0
	for _, m := range slackBodies {
		if bytes.Contains(m, []byte(`"type":"header"`)) {
			headers++
		}
	}
	// Each incident: its header and the hand-off to the primary on call.
	if headers != len(ids) || len(slackBodies) != 2*len(ids) {
		t.Fatalf("Slack got %d messages, %d headers, for %d incidents", len(slackBodies), headers, len(ids))
	}
	for _, m := range slackBodies {
		checkBlockKit(t, m)
	}
	validate(t, "pagerduty-event-v2", pdBodies)
	validate(t, "slack-message", slackBodies)
	if _, _, dead := w.counts(); dead != 0 {
		t.Fatalf("%d dead letters", dead)
	}
}

func jsonString(t *testing.T, doc []byte, key string) string {
	t.Helper()
	var m map[string]interface{}
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	s, _ := m[key].(string)
	return s
}
