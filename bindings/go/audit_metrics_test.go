package incident_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

func TestAuditNames(t *testing.T) {
	if incident.AuditFirstExternal.String() != "first_external_update" || incident.AuditStepKind(10).String() != "step?" ||
		incident.AuditNotApplicable.String() != "not_applicable" || incident.AuditResult(5).String() != "result?" {
		t.Fatal("names")
	}
	if incident.MetricMTTM.String() != "mttm" || incident.Metric(4).String() != "metric?" {
		t.Fatal("metric names")
	}
}

func TestAuditFirstTenMinutes(t *testing.T) {
	_, inc, clock := newIncident(t) // Sev-2, customer-visible
	clock.tick(2 * time.Minute)
	inc.AssignRole("alice", "bob", incident.RoleScribe, "")
	inc.AssignRole("alice", "frank", incident.RoleComms, "")
	if seq, err := inc.OpenBridge("alice", "https://meet.example.com/inc", "war room"); err != nil || seq != inc.LastSeq() {
		t.Fatal(seq, err)
	}
	wantCode(t, second(inc.OpenBridge("alice", "", "")), incident.CodeInvalid)
	clock.tick(2 * time.Minute)
	inc.ReportCAN("alice", incident.CANReport{Kind: incident.CANTopOfHour, Conditions: "CPU 95%", Actions: "rolling back", Needs: "none"})
	early, err := inc.Audit(incident.AuditOptions{})
	if err != nil || len(early.Steps) != 10 {
		t.Fatal(early, err)
	}
	if s := early.Steps[incident.AuditBridge]; s.Result != incident.AuditDone || s.Offset != 2*time.Minute {
		t.Fatalf("%+v", s)
	}
	if s := early.Steps[incident.AuditFirstCAN]; !s.At.Equal(t0.Add(4*time.Minute)) || s.Kind != incident.AuditFirstCAN {
		t.Fatalf("%+v", s)
	}
	if early.Steps[incident.AuditFirstExternal].Result != incident.AuditPending || early.Summary.Pending != 2 {
		t.Fatalf("%+v", early.Summary)
	}
	clock.tick(10 * time.Minute)
	inc.StatusUpdate("frank", incident.Update{Body: goodUpdate})
	late, _ := inc.Audit(incident.AuditOptions{})
	ext := late.Steps[incident.AuditFirstExternal]
	if ext.Result != incident.AuditLate || ext.Offset != 14*time.Minute || ext.Seq == 0 || ext.Name != "first_external_update" ||
		ext.Title == "" || ext.Detail == "" {
		t.Fatalf("%+v", ext)
	}
	if late.Summary.Late != 1 || late.Summary.Missing != 1 || late.Summary.Drill || !strings.Contains(late.Text, "LATE") {
		t.Fatalf("%+v\n%s", late.Summary, late.Text)
	}
	var doc struct {
		IncidentID string `json:"incident_id"`
		Summary    struct{ Late int }
	}
	if err := json.Unmarshal(late.JSON, &doc); err != nil || doc.IncidentID != inc.ID() || doc.Summary.Late != 1 {
		t.Fatal(string(late.JSON), err)
	}
	if a, _ := inc.Audit(incident.AuditOptions{Now: t0.Add(3 * time.Minute)}); a.Steps[incident.AuditFirstInternal].Result != incident.AuditPending {
		t.Fatalf("%+v", a.Steps[incident.AuditFirstInternal])
	}
}

func TestAuditAntipatterns(t *testing.T) {
	_, inc, clock := newIncident(t)
	clock.tick(time.Minute)
	inc.Note("carol", "restarted the cache") // worked before the IC's first act
	clock.tick(2 * time.Minute)
	inc.AssignRole("alice", "bob", incident.RoleScribe, "")
	for _, s := range []incident.State{incident.StateInvestigating, incident.StateMitigating, incident.StateMonitoring} {
		inc.SetState("alice", s, "step")
	}
	clock.tick(5 * time.Minute)
	inc.SetState("alice", incident.StateResolved, "looks fine") // 5 minutes of monitoring
	a, err := inc.Audit(incident.AuditOptions{})
	if err != nil || a.Antipatterns.CountRule("AUD-2.no-ic") != 1 || a.Antipatterns.CountRule("AUD-2.all-clear-too-early") != 1 {
		t.Fatal(a.Antipatterns.List, err)
	}
	for _, f := range a.Antipatterns.List {
		if f.RuleID == "AUD-2.no-ic" && (!f.Since.Equal(t0.Add(time.Minute)) || f.Value != 120000) {
			t.Fatalf("%+v", f)
		}
	}
	if a, _ := inc.Audit(incident.AuditOptions{MinMonitoring: 2 * time.Minute}); a.Antipatterns.CountRule("AUD-2.all-clear-too-early") != 0 {
		t.Fatal(a.Antipatterns.List)
	}
	wantCode(t, second(inc.Audit(incident.AuditOptions{MinMonitoring: -time.Minute})), incident.CodeInvalid)
	inc.Close()
	wantCode(t, second(inc.Audit(incident.AuditOptions{})), incident.CodeInvalid)
}

// metricsIncident declares, pages, acknowledges and resolves an incident.
func metricsIncident(t *testing.T, ctx *incident.Session, clock *fakeClock, title, sev string, minutes int, tag string, drill bool) *incident.Incident {
	t.Helper()
	clock.now = t0
	inc, err := ctx.Declare(incident.DeclareOptions{Title: title, Declarer: "alice", Severity: sev,
		ImpactStarted: t0.Add(-5 * time.Minute), Drill: drill})
	if err != nil {
		t.Fatal(err)
	}
	seq, _ := inc.PageRequest("pager", "on-call", "")
	inc.PageSent("pager", seq, "bob")
	clock.tick(2 * time.Minute)
	inc.Acknowledge("bob", seq)
	for _, s := range []incident.State{incident.StateInvestigating, incident.StateMitigating, incident.StateMonitoring} {
		inc.SetState("alice", s, "step")
	}
	clock.now = t0.Add(time.Duration(minutes) * time.Minute)
	if err := inc.SetState("alice", incident.StateResolved, "verified"); err != nil {
		t.Fatal(err)
	}
	if tag != "" {
		inc.SetRootCauseTag("alice", tag)
	}
	return inc
}

func TestMetrics(t *testing.T) {
	clock := &fakeClock{t0}
	ctx, _ := incident.NewSession(&incident.SessionOptions{Clock: clock.read})
	defer ctx.Close()
	metricsIncident(t, ctx, clock, "Checkout errors", "Sev-2", 30, "config-change", false)
	metricsIncident(t, ctx, clock, "Search slow", "Sev-3", 90, "config-change", false)
	login := metricsIncident(t, ctx, clock, "Login errors", "Sev-2", 60, "", false)
	metricsIncident(t, ctx, clock, "Game day", "Sev-1", 10, "", true)
	m, err := ctx.Metrics(incident.MetricsOptions{})
	if err != nil || m.IncidentCount != 3 || m.DrillCount != 1 || m.Levels[2] != (incident.LevelCount{"Sev-2", 2}) {
		t.Fatalf("%+v %v", m, err)
	}
	r := m.All[incident.MetricMTTR]
	if r.Incidents != 3 || r.Min != 30*time.Minute || r.Max != 90*time.Minute || r.Median != 60*time.Minute {
		t.Fatalf("%+v", r)
	}
	if m.PerLevel["Sev-2"][incident.MetricMTTR].Mean != 45*time.Minute || m.All[incident.MetricMTTA].Mean != 2*time.Minute ||
		m.All[incident.MetricMTTD].Mean != 5*time.Minute || m.PerLevel["Sev-0"][incident.MetricMTTR].Mean != incident.DurationNone {
		t.Fatalf("%+v", m.PerLevel)
	}
	if m.Recurrence.Tagged != 2 || m.Recurrence.Recurring != 1 || m.Recurrence.Untagged != 1 || m.Recurrence.Rate != 0.5 || m.Recurrence.TargetMet {
		t.Fatalf("%+v", m.Recurrence)
	}
	if m.Reopens != (incident.ReopenMetric{Resolved: 3}) {
		t.Fatalf("%+v", m.Reopens)
	}
	if len(m.Tags) != 1 || m.Tags[0] != (incident.TagCount{"config-change", 2, 1}) {
		t.Fatalf("%+v", m.Tags)
	}
	if len(m.Pages) != 1 || m.Pages[0] != (incident.PersonPages{"bob", 3, 3}) || !strings.Contains(m.Text, "MTTR") || !json.Valid(m.JSON) {
		t.Fatalf("%+v", m.Pages)
	}
	// Action items on time.
	clock.now = t0.Add(time.Hour)
	a, _ := login.AddAction("alice", incident.ActionOptions{Title: "Add a canary", Owner: "bob", Due: t0.Add(2 * day), Priority: 2})
	login.AddAction("alice", incident.ActionOptions{Title: "Fix alerts", Owner: "carol", Due: t0.Add(day), Priority: 2})
	login.SetActionStatus("bob", a, incident.ActionDone, "", 0)
	m, _ = ctx.Metrics(incident.MetricsOptions{Now: t0.Add(3 * day)})
	if act := m.Actions; act.Items != 2 || act.OnTime != 1 || act.Late != 1 || act.Rate != 0.5 || act.TargetMet {
		t.Fatalf("%+v", act)
	}
	if m, _ := ctx.Metrics(incident.MetricsOptions{From: t0.Add(time.Minute)}); m.IncidentCount != 0 {
		t.Fatal(m.IncidentCount)
	}
	wantCode(t, second(ctx.Metrics(incident.MetricsOptions{From: t0, To: t0})), incident.CodeInvalid)
	ctx.Close()
	wantCode(t, second(ctx.Metrics(incident.MetricsOptions{})), incident.CodeInvalid)
}

func TestLIFE4ReopenRate(t *testing.T) {
	clock := &fakeClock{t0}
	ctx, _ := incident.NewSession(&incident.SessionOptions{Clock: clock.read})
	defer ctx.Close()
	inc := metricsIncident(t, ctx, clock, "Checkout errors", "Sev-2", 30, "", false)
	metricsIncident(t, ctx, clock, "Search slow", "Sev-3", 90, "", false)
	clock.now = t0.Add(2 * time.Hour)
	if err := inc.Reopen("alice", incident.StateMitigating, "errors again"); err != nil {
		t.Fatal(err)
	}
	m, err := ctx.Metrics(incident.MetricsOptions{})
	if err != nil || m.Reopens != (incident.ReopenMetric{Resolved: 2, Reopened: 1, Reopens: 1, Rate: 0.5}) {
		t.Fatalf("%+v %v", m.Reopens, err)
	}
	if m.All[incident.MetricMTTR].Incidents != 1 { // to the final resolution
		t.Fatalf("%+v", m.All[incident.MetricMTTR])
	}
}
