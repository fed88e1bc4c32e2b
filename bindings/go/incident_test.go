package incident_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ now time.Time }

func (c *fakeClock) read() time.Time      { return c.now }
func (c *fakeClock) tick(d time.Duration) { c.now = c.now.Add(d) }

func newIncident(t *testing.T) (*incident.Session, *incident.Incident, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t0}
	ctx, err := incident.NewSession(&incident.SessionOptions{Clock: clock.read})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ctx.Close() })
	inc, err := ctx.Declare(incident.DeclareOptions{Title: "Database primary CPU at 95%", Declarer: "alice",
		Severity: "Sev-2", Criteria: incident.CritCustomerVisible})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, inc, clock
}

func wantCode(t *testing.T, err error, code incident.Code) *incident.Error {
	t.Helper()
	var e *incident.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("got %v, want %v", err, code)
	}
	if e.Message == "" {
		t.Fatalf("%v without a message", code)
	}
	return e
}

func TestDeclareProperties(t *testing.T) {
	ctx, inc, _ := newIncident(t)
	if inc.ID() != "2026-11-23-database-primary-cpu-at-95" || inc.Channel() != "inc-"+inc.ID() {
		t.Fatal(inc.ID(), inc.Channel())
	}
	if inc.Title() != "Database primary CPU at 95%" || inc.Declarer() != "alice" || inc.IC() != "alice" {
		t.Fatal("title/declarer/ic")
	}
	if inc.Severity() != "Sev-2" || inc.SeverityIndex() != 2 || inc.State() != incident.StateDeclared {
		t.Fatal("severity/state")
	}
	if inc.Criteria() != incident.CritCustomerVisible || inc.IsDrill() || inc.LastSeq() != 1 || inc.EventCount() != 1 {
		t.Fatal("criteria/drill/seq")
	}
	if !inc.DeclaredAt().Equal(t0) || inc.DeclaredAt().Location() != time.UTC {
		t.Fatal("declared at", inc.DeclaredAt())
	}
	for _, tm := range []time.Time{inc.ImpactStarted(), inc.Detected(), inc.MitigatedAt(), inc.ResolvedAt()} {
		if !tm.IsZero() {
			t.Fatal("unset time is not zero")
		}
	}
	r1, _ := inc.Rubric()
	r2, _ := ctx.Rubric()
	if !r1.Equal(r2) {
		t.Fatal("rubric")
	}
	if !ctx.Now().Equal(t0) {
		t.Fatal("Now")
	}
}

func TestDeclareOptionsAndErrors(t *testing.T) {
	ctx, inc, _ := newIncident(t)
	d, err := ctx.Declare(incident.DeclareOptions{Title: "Game day: failover", Declarer: "bob", Severity: "Sev-3",
		ImpactStarted: t0.Add(-20 * time.Minute), Detected: t0.Add(-5 * time.Minute), Drill: true,
		Slug: "failover drill", Criteria: incident.CritSecurity | incident.CritUnknown})
	if err != nil {
		t.Fatal(err)
	}
	if d.ID() != "2026-11-23-failover-drill" || !d.IsDrill() || !d.ImpactStarted().Equal(t0.Add(-20*time.Minute)) ||
		!d.Detected().Equal(t0.Add(-5*time.Minute)) || d.Criteria() != incident.CritSecurity|incident.CritUnknown {
		t.Fatal("options not recorded")
	}
	again, _ := ctx.Declare(incident.DeclareOptions{Title: inc.Title(), Declarer: "bob", Severity: "Sev-3"})
	if again.ID() != inc.ID()+"-2" {
		t.Fatal(again.ID())
	}
	ids, _ := ctx.List()
	if len(ids) != 3 {
		t.Fatal(ids)
	}
	e := wantCode(t, func() error {
		_, err := ctx.Declare(incident.DeclareOptions{Title: "t", Declarer: "alice", Severity: "Sev-9"})
		return err
	}(), incident.CodeInvalid)
	if !strings.Contains(e.Message, "severity") {
		t.Fatal(e.Message)
	}
	_, err = ctx.Declare(incident.DeclareOptions{Declarer: "alice", Severity: "Sev-2"})
	wantCode(t, err, incident.CodeInvalid)
	_, err = ctx.Declare(incident.DeclareOptions{Title: "t", Declarer: "alice", Severity: "Sev-2", Criteria: 1 << 9})
	wantCode(t, err, incident.CodeInvalid)
	_, err = ctx.Declare(incident.DeclareOptions{Title: "\xff\xfe", Declarer: "alice", Severity: "Sev-2"})
	wantCode(t, err, incident.CodeInvalid)
}

func TestLifecycle(t *testing.T) {
	_, inc, clock := newIncident(t)
	steps := []struct {
		s    incident.State
		text string
	}{{incident.StateInvestigating, ""}, {incident.StateMitigating, "rolling back"}, {incident.StateMonitoring, "rollback done"}}
	for _, s := range steps {
		clock.tick(time.Minute)
		if err := inc.SetState("alice", s.s, s.text); err != nil {
			t.Fatal(err)
		}
	}
	if !inc.MitigatedAt().Equal(t0.Add(3 * time.Minute)) {
		t.Fatal("mitigated at")
	}
	wantCode(t, inc.SetState("alice", incident.StateResolved, ""), incident.CodeInvalid) // LIFE-2
	wantCode(t, inc.SetState("alice", incident.StateClosed, "x"), incident.CodeState)
	wantCode(t, inc.SetState("bob", incident.StateResolved, "fine"), incident.CodePermission)
	clock.tick(time.Minute)
	if err := inc.SetState("alice", incident.StateResolved, "error rate normal for 15 minutes"); err != nil {
		t.Fatal(err)
	}
	if inc.State() != incident.StateResolved || inc.State().String() != "resolved" || !inc.ResolvedAt().Equal(t0.Add(4*time.Minute)) {
		t.Fatal("resolved")
	}
	if s, err := incident.ParseState("monitoring"); err != nil || s != incident.StateMonitoring {
		t.Fatal("ParseState")
	}
	if _, err := incident.ParseState("done"); !errors.Is(err, incident.ErrNotFound) {
		t.Fatal("ParseState unknown")
	}
}

func TestSeverityNoteCorrect(t *testing.T) {
	_, inc, _ := newIncident(t)
	e := wantCode(t, inc.SetSeverity("bob", "Sev-1", "worse"), incident.CodePermission)
	if !strings.Contains(e.Message, "alice") || !errors.Is(e, incident.ErrPermission) {
		t.Fatal(e)
	}
	if err := inc.SetSeverity("alice", "Sev-1", "US affected too"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, inc.SetSeverity("alice", "Sev-1", "again"), incident.CodeInvalid)
	wantCode(t, inc.SetSeverity("alice", "Sev-0", ""), incident.CodeInvalid)
	if err := inc.Note("bob", "CPU at 95% since the deploy"); err != nil {
		t.Fatal(err)
	}
	if err := inc.Correct("carol", 3, "since 14:02"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, inc.Correct("carol", 99, "nope"), incident.CodeNotFound)
	wantCode(t, inc.Note("bob", ""), incident.CodeInvalid)
	wantCode(t, inc.Note("bob", strings.Repeat("x", 20000)), incident.CodeTooBig)
	if inc.LastSeq() != 4 {
		t.Fatal("failures changed the incident", inc.LastSeq())
	}
}

func TestEventsTimelineExport(t *testing.T) {
	ctx, inc, clock := newIncident(t)
	clock.tick(2 * time.Minute)
	inc.Note("bob", "replica lag 40s")
	clock.tick(3 * time.Minute)
	inc.SetSeverity("alice", "Sev-1", "US too")
	events, err := inc.Events()
	if err != nil || len(events) != 3 {
		t.Fatal(err)
	}
	ev := events[2]
	if ev.Seq != 3 || ev.Kind != incident.EventSeverityChanged || ev.KindName != "severity_changed" ||
		ev.Kind.String() != ev.KindName || ev.Text != "US too" || ev.Actor != "alice" ||
		ev.Offset != 5*time.Minute || !ev.Time.Equal(t0.Add(5*time.Minute)) ||
		ev.Description != "Severity changed Sev-2 -> Sev-1: US too" {
		t.Fatalf("%+v", ev)
	}
	if d, _ := inc.Describe(1); d != events[1].Description {
		t.Fatal("Describe")
	}
	if _, err := inc.Event(3); !errors.Is(err, incident.ErrNotFound) {
		t.Fatal("Event out of range")
	}
	if _, err := inc.Event(-1); !errors.Is(err, incident.ErrNotFound) {
		t.Fatal("Event negative")
	}
	text, _ := inc.Timeline()
	if strings.Count(text, "\n") != 4 || !strings.Contains(text, "T+5m00s") {
		t.Fatalf("timeline %q", text)
	}
	if err := inc.Verify(); err != nil {
		t.Fatal(err)
	}

	doc, err := inc.ExportJSON()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := incident.NewSession(nil)
	defer other.Close()
	imported, err := other.ImportJSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := imported.ExportJSON(); string(again) != string(doc) {
		t.Fatal("round trip")
	}
	_, err = other.ImportJSON(doc)
	wantCode(t, err, incident.CodeExist)
	_, err = other.ImportJSON([]byte(`{"format": `))
	if e := wantCode(t, err, incident.CodeParse); e.Offset == 0 {
		t.Fatal("no offset")
	}
	var parsed map[string]interface{}
	json.Unmarshal(doc, &parsed)
	parsed["id"] = "2026-11-23-tampered"
	evs := parsed["events"].([]interface{})
	evs[1].(map[string]interface{})["fields"].(map[string]interface{})["text"] = "tampered"
	bad, _ := json.Marshal(parsed)
	_, err = other.ImportJSON(bad)
	wantCode(t, err, incident.CodeCorrupt)
	if ids, _ := other.List(); len(ids) != 1 {
		t.Fatal("bad input touched the store", ids)
	}
	_ = ctx
}

func TestOpenReloadConflictRetry(t *testing.T) {
	ctx, first, _ := newIncident(t)
	second, err := ctx.Open(first.ID())
	if err != nil {
		t.Fatal(err)
	}
	first.Note("alice", "one")
	wantCode(t, second.Note("bob", "two"), incident.CodeConflict)
	attempts := 0
	err = second.Retry(testContext(t), func(inc *incident.Incident) error {
		attempts++
		return inc.Note("bob", "two")
	})
	if err != nil || attempts != 2 {
		t.Fatalf("retry: %v after %d", err, attempts)
	}
	first.Reload()
	if first.LastSeq() != 3 {
		t.Fatal("reload")
	}
	_, err = ctx.Open("2026-01-01-nothing")
	wantCode(t, err, incident.CodeNotFound)
	_, err = ctx.Open("Not An Id")
	wantCode(t, err, incident.CodeInvalid)

	// A cancelled context stops the retries.
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	err = first.Retry(cancelled, func(*incident.Incident) error { return incident.ErrConflict })
	if !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}

func TestContextOptions(t *testing.T) {
	ctx, err := incident.NewSession(&incident.SessionOptions{Policy: incident.PolicyStrict})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	if ctx.Policy() != incident.PolicyStrict {
		t.Fatal("policy")
	}
	if err := ctx.SetPolicy(incident.PolicyAdvisory); err != nil || ctx.Policy() != incident.PolicyAdvisory {
		t.Fatal("set policy")
	}
	wantCode(t, ctx.SetPolicy(9), incident.CodeInvalid)
	if _, err := incident.NewSession(&incident.SessionOptions{Policy: 9}); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("bad policy")
	}
	if d := ctx.Now().Sub(time.Now()); d > time.Minute || d < -time.Minute {
		t.Fatal("system clock")
	}
	if d := incident.SystemClock().Sub(time.Now()); d > time.Minute || d < -time.Minute {
		t.Fatal("SystemClock")
	}

	// A panicking clock gives the system's time instead of crashing.
	broken, _ := incident.NewSession(&incident.SessionOptions{Clock: func() time.Time { panic("clock broke") }})
	defer broken.Close()
	if d := broken.Now().Sub(time.Now()); d > time.Minute || d < -time.Minute {
		t.Fatal("panicking clock")
	}
}

func TestRubricForNewIncidentsOnly(t *testing.T) {
	ctx, before, _ := newIncident(t)
	seed, _ := incident.PresetRubric(incident.PresetSeed002)
	defer seed.Close()
	if err := ctx.SetRubric(seed); err != nil {
		t.Fatal(err)
	}
	after, err := ctx.Declare(incident.DeclareOptions{Title: "B", Declarer: "alice", Severity: "SEV2"})
	if err != nil {
		t.Fatal(err)
	}
	r1, _ := before.Rubric()
	r2, _ := after.Rubric()
	if r1.Name() != "default" || !r2.Equal(seed) {
		t.Fatal("RUB-4")
	}
	bad, _ := incident.NewRubric("empty")
	if err := ctx.SetRubric(bad); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("empty rubric accepted")
	}
	if _, err := incident.NewSession(&incident.SessionOptions{Rubric: bad}); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("empty rubric accepted by NewSession")
	}
	bad.Close()
	if err := ctx.SetRubric(bad); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("closed rubric")
	}
}

func TestLIFE4Reopen(t *testing.T) {
	_, inc, clock := newIncident(t)
	wantCode(t, inc.Reopen("alice", incident.StateInvestigating, "not resolved"), incident.CodeState)
	for _, s := range []incident.State{incident.StateInvestigating, incident.StateMitigating, incident.StateMonitoring} {
		clock.tick(time.Minute)
		if err := inc.SetState("alice", s, ""); err != nil {
			t.Fatal(err)
		}
	}
	clock.tick(time.Minute)
	if err := inc.SetState("alice", incident.StateResolved, "verified by hand"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, inc.Reopen("bob", incident.StateInvestigating, "errors again"), incident.CodePermission)
	wantCode(t, inc.Reopen("alice", incident.StateMonitoring, "errors again"), incident.CodeInvalid)
	wantCode(t, inc.Reopen("alice", incident.StateInvestigating, ""), incident.CodeInvalid)
	if inc.ReopenCount() != 0 || !inc.ReopenedAt().IsZero() {
		t.Fatal("refusals changed the incident")
	}
	clock.tick(30 * time.Minute)
	if err := inc.Reopen("alice", incident.StateMitigating, "errors again after the cache expired"); err != nil {
		t.Fatal(err)
	}
	if inc.State() != incident.StateMitigating || inc.ReopenCount() != 1 ||
		!inc.ReopenedAt().Equal(t0.Add(34*time.Minute)) || !inc.ResolvedAt().IsZero() {
		t.Fatal("reopened")
	}
	if ev, err := inc.Event(inc.EventCount() - 1); err != nil || ev.Kind != incident.EventReopened || ev.KindName != "reopened" {
		t.Fatalf("%+v %v", ev, err)
	}
}

func TestLIFE5Links(t *testing.T) {
	ctx, inc, _ := newIncident(t)
	other, err := ctx.Declare(incident.DeclareOptions{Title: "Payments erroring", Declarer: "bob", Severity: "Sev-2"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	wantCode(t, other.AddLink("bob", incident.LinkDuplicateOf, other.ID(), ""), incident.CodeInvalid)
	wantCode(t, other.AddLink("alice", incident.LinkDuplicateOf, inc.ID(), ""), incident.CodePermission)
	wantCode(t, other.AddLink("bob", incident.LinkRecurrenceOf, inc.ID(), ""), incident.CodeState)
	if err := other.AddLink("bob", incident.LinkRelated, inc.ID(), "same region"); err != nil {
		t.Fatal(err)
	}
	if err := other.AddLink("bob", incident.LinkDuplicateOf, inc.ID(), ""); err != nil {
		t.Fatal(err)
	}
	if other.State() != incident.StateClosed || other.DuplicateOf() != inc.ID() || inc.DuplicateOf() != "" {
		t.Fatal("duplicate")
	}
	links := other.Links()
	if len(links) != 2 || links[0].Kind != incident.LinkRelated || links[0].Text != "same region" ||
		links[1].Kind.String() != "duplicate_of" || links[1].IncidentID != inc.ID() || links[1].By != "bob" {
		t.Fatalf("%+v", links)
	}
	wantCode(t, inc.AddLink("alice", incident.LinkDuplicateOf, other.ID(), ""), incident.CodeInvalid) // a cycle
	if k, err := incident.ParseLinkKind("recurrence-of"); err != nil || k != incident.LinkRecurrenceOf {
		t.Fatal("ParseLinkKind")
	}
	m, err := ctx.Metrics(incident.MetricsOptions{})
	if err != nil || m.IncidentCount != 1 || m.Duplicates != 1 {
		t.Fatalf("%+v %v", m, err)
	}
}
