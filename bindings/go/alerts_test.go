package incident_test

import (
	"fmt"
	"testing"
	"time"

	"libincident.dev/incident"
)

const alertRoutes = `libincident-routing 1
rule = checkout-page
  match = alertname=CheckoutDown
  level = Sev-1
  slug = checkout
  rotation = checkout-primary
  group_window = 30m
`

const alertRotation = `libincident-rotation 1
name = checkout-primary
zone = UTC
period = weekly
start = 2026-01-05
handoff = monday 10:00
role = none
person = pat
`

func amDoc(status, fingerprint string) []byte {
	return []byte(fmt.Sprintf(`{"version":"4","alerts":[{"status":%q,"fingerprint":%q,`+
		`"labels":{"alertname":"CheckoutDown","service":"checkout"}}]}`, status, fingerprint))
}

// ALERT-1 declare at the routed level and group repeats; ALERT-3 a resolved
// alert raises the IC's item and resolves nothing; bad input is refused.
func TestAlertRouter(t *testing.T) {
	ctx, _, _ := sev1(t, nil)
	rot, err := incident.ParseRotation(ctx, []byte(alertRotation))
	if err != nil || ctx.AddRotation(rot) != nil {
		t.Fatal(err)
	}
	r, err := incident.ParseAlertRouter(ctx, "routes.txt", []byte(alertRoutes))
	if err != nil {
		t.Fatal(err)
	}
	o, err := r.Intake(amDoc("firing", "f1"))
	if err != nil || o.Declared != 1 || o.Paged != 1 || o.Recorded != 1 {
		t.Fatal(o, err)
	}
	for i := 0; i < 100; i++ {
		if o, err = r.Intake(amDoc("firing", "f1")); err != nil || o.Attached != 1 || o.Recorded != 0 {
			t.Fatal(o, err)
		}
	}
	if n, err := r.Flush(); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	if o, err = r.Intake(amDoc("resolved", "f1")); err != nil || o.Recorded != 1 {
		t.Fatal(o, err)
	}
	inc, err := ctx.Open(o.IncidentID)
	if err != nil || inc.Severity() != "Sev-1" || inc.HandoffTo() != "pat" {
		t.Fatal(err)
	}
	l, err := inc.Due(0)
	if err != nil || kindsOf(l)[incident.DueAlertResolved] != 1 {
		t.Fatal(err)
	}
	l.Close()
	_, err = r.Intake([]byte(`{"version":"3","alerts":[]}`))
	wantCode(t, err, incident.CodeInvalid)
	_, err = incident.ParseAlertRouter(ctx, "r.txt", []byte("libincident-routing 1\nrule = a\n  level = Sev-9\n  rotation = x\n"))
	if e, ok := err.(*incident.Error); !ok || e.Line != 3 {
		t.Fatal(err)
	}
	r.Close()
	_, err = r.Intake(amDoc("firing", "f1"))
	wantCode(t, err, incident.CodeInvalid)
}

// The feed: every event once, in order, from a saved cursor; again from an
// older cursor (at least once after a crash before saving).
func TestFeed(t *testing.T) {
	ctx, inc, _ := sev1(t, nil)
	f, err := incident.NewFeed(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	items, err := f.Poll(0)
	if err != nil || len(items) != int(inc.LastSeq()) || items[0].Seq != 1 || items[0].IncidentID != inc.ID() ||
		items[0].Kind != incident.EventDeclared || items[0].Text == "" {
		t.Fatal(items, err)
	}
	saved, err := f.Cursor()
	if err != nil || saved == "" {
		t.Fatal(err)
	}
	if err := inc.Note("alice", "after the cursor"); err != nil {
		t.Fatal(err)
	}
	if ready, err := f.Wait(0); err != nil || !ready {
		t.Fatal(ready, err)
	}
	again, _ := incident.NewFeed(ctx, saved)
	items, err = again.Poll(0)
	if err != nil || len(items) != 1 || items[0].Seq != inc.LastSeq() {
		t.Fatal(items, err)
	}
	calls := 0
	again.SetWait(func(time.Duration) error { calls++; return nil })
	if ready, err := again.Wait(30 * time.Millisecond); err != nil || ready || calls == 0 {
		t.Fatal(ready, err, calls)
	}
	_, err = incident.NewFeed(ctx, "nonsense")
	wantCode(t, err, incident.CodeInvalid)
	f.Close()
	_, err = f.Poll(0)
	wantCode(t, err, incident.CodeInvalid)
}
