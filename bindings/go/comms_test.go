package incident_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

const goodUpdate = "We are investigating failed checkouts affecting customers in the EU region. Next update at 15:00 UTC."

func TestAudiencesAndNames(t *testing.T) {
	writers := map[incident.Audience]incident.Role{incident.AudienceExternal: incident.RoleComms,
		incident.AudienceInternal: incident.RoleLiaison, incident.AudienceResponse: incident.RoleIC}
	for a, r := range writers {
		if a.Writer() != r {
			t.Errorf("%v is written by %v", a, a.Writer())
		}
		if got, err := incident.ParseAudience(strings.ToUpper(a.String())); err != nil || got != a {
			t.Error(got, err)
		}
	}
	if incident.Audience(3).Writer() != -1 || incident.Audience(3).String() != "audience?" {
		t.Fatal("bad audience")
	}
	wantCode(t, second(incident.ParseAudience("everyone")), incident.CodeNotFound)
	if incident.CommExecNotify.String() != "exec_notify" || incident.Comm(3).String() != "comm?" {
		t.Fatal("comm names")
	}
	var statuses []string
	for s := incident.StateDeclared; s <= incident.StateClosed; s++ {
		statuses = append(statuses, incident.StatuspageStatus(s))
	}
	if !reflect.DeepEqual(statuses, []string{"investigating", "investigating", "identified", "monitoring", "resolved", "resolved"}) {
		t.Fatal(statuses)
	}
	if incident.StatuspageStatus(9) != "" || incident.StatuspageImpact(2, 5) != "major" ||
		incident.StatuspageImpact(0, 5) != "critical" || incident.StatuspageImpact(5, 5) != "" || incident.StatuspageImpact(-1, 5) != "" {
		t.Fatal("statuspage mapping")
	}
}

func TestLintUpdate(t *testing.T) {
	f, err := incident.LintUpdate("We are experiencing some issues.", incident.StateInvestigating, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := ruleIDs(f); !reflect.DeepEqual(got, []string{"COMM-3.no-next-update", "COMM-3.no-scope", "COMM-3.vague"}) {
		t.Fatal(got)
	}
	for _, x := range f.List {
		if x.RuleID == "COMM-3.vague" && (x.Slot != 0 || x.Offset != 7 || x.Length != 24) {
			t.Fatalf("%+v", x)
		}
	}
	if f, _ := incident.LintUpdate(goodUpdate, incident.StateInvestigating, ""); len(f.List) != 0 {
		t.Fatal(f.List)
	}
	if f, _ := incident.LintUpdate("Checkout is back to normal.", incident.StateResolved, "checkout"); len(f.List) != 0 {
		t.Fatal(f.List)
	}
	wantCode(t, second(incident.LintUpdate("\xff", incident.StateInvestigating, "")), incident.CodeInvalid)
	wantCode(t, second(incident.LintUpdate(goodUpdate, 9, "")), incident.CodeInvalid)
	wantCode(t, second(incident.LintUpdate(strings.Repeat("x", 100000), incident.StateInvestigating, "")), incident.CodeTooBig)
}

func commsIncident(t *testing.T) (*incident.Session, *incident.Incident, *fakeClock) {
	ctx, inc, clock := newIncident(t)
	if err := inc.AssignRole("alice", "frank", incident.RoleComms, ""); err != nil {
		t.Fatal(err)
	}
	return ctx, inc, clock
}

func TestStatusUpdate(t *testing.T) {
	ctx, inc, clock := commsIncident(t)
	clock.tick(5 * time.Minute)
	seq, f, err := inc.StatusUpdate("frank", incident.Update{Audience: incident.AudienceExternal,
		Body: "We are experiencing some issues.", Components: "checkout"})
	if err != nil || len(f.List) != 3 {
		t.Fatal(f.List, err)
	}
	if _, f, _ := inc.StatusUpdate("alice", incident.Update{Audience: incident.AudienceExternal, Body: goodUpdate}); !reflect.DeepEqual(ruleIDs(f), []string{"COMM-1.wrong-writer"}) {
		t.Fatal(f.List)
	}
	if _, f, err := inc.StatusUpdate("frank", incident.Update{Audience: incident.AudienceInternal, Body: "Checkout errors in the EU",
		Comms: []incident.Comm{incident.CommExecNotify, incident.CommCustomerEmail}}); err != nil || len(f.List) != 0 {
		t.Fatal(f.List, err)
	}
	ups := inc.Updates()
	if len(ups) != 3 {
		t.Fatal(ups)
	}
	u := ups[0]
	if u.Seq != seq || !u.Time.Equal(t0.Add(5*time.Minute)) || u.Audience != incident.AudienceExternal || u.Author != "frank" ||
		u.Components != "checkout" || !reflect.DeepEqual(u.Comms, []incident.Comm{incident.CommStatusPage}) ||
		u.State != incident.StateDeclared || u.Severity != "Sev-2" || len(u.Findings) != 3 {
		t.Fatalf("%+v", u)
	}
	if !reflect.DeepEqual(ups[2].Comms, []incident.Comm{incident.CommCustomerEmail, incident.CommExecNotify}) {
		t.Fatal(ups[2].Comms)
	}
	// Errors record nothing.
	last := inc.LastSeq()
	wantCode(t, third(inc.StatusUpdate("frank", incident.Update{Body: ""})), incident.CodeInvalid)
	wantCode(t, third(inc.StatusUpdate("frank", incident.Update{Body: goodUpdate, Comms: []incident.Comm{7}})), incident.CodeInvalid)
	wantCode(t, third(inc.StatusUpdate("frank", incident.Update{Body: goodUpdate, Comms: []incident.Comm{-1}})), incident.CodeInvalid)
	wantCode(t, third(inc.StatusUpdate("frank", incident.Update{Audience: 5, Body: goodUpdate})), incident.CodeInvalid)
	wantCode(t, third(inc.StatusUpdate("frank", incident.Update{Body: goodUpdate, Components: "a\nb"})), incident.CodeInvalid)
	ctx.SetPolicy(incident.PolicyStrict)
	if e := wantCode(t, third(inc.StatusUpdate("bob", incident.Update{Body: goodUpdate})), incident.CodeRole); !strings.Contains(e.Message, "frank") {
		t.Fatal(e.Message)
	}
	if inc.LastSeq() != last {
		t.Fatal("an error recorded something")
	}
}

func TestUpdateStatuspageJSON(t *testing.T) {
	_, inc, _ := commsIncident(t)
	inc.StatusUpdate("frank", incident.Update{Body: goodUpdate, Components: "checkout,payments"})
	inc.StatusUpdate("alice", incident.Update{Audience: incident.AudienceResponse, Body: "rolling back"})
	doc, err := inc.UpdateStatuspageJSON(0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Incident struct {
			Name, Status, Body string
			Impact             string            `json:"impact_override"`
			IDs                []string          `json:"component_ids"`
			Components         map[string]string `json:"components"`
			DisplayAt          *string           `json:"display_at"`
		}
	}
	if err := json.Unmarshal(doc, &m); err != nil || m.Incident.Status != "investigating" || m.Incident.Impact != "major" ||
		m.Incident.Body != goodUpdate || len(m.Incident.IDs) != 2 || m.Incident.IDs[1] != "payments" || m.Incident.DisplayAt != nil {
		t.Fatal(string(doc), err)
	}
	doc, err = inc.UpdateStatuspageJSON(0, map[string]string{"checkout": "c1", "payments": "p2"})
	if err != nil || json.Unmarshal(doc, &m) != nil || m.Incident.Components["p2"] != "partial_outage" {
		t.Fatal(string(doc), err)
	}
	wantCode(t, second(inc.UpdateStatuspageJSON(0, map[string]string{"checkout": "c1"})), incident.CodeNotFound)
	wantCode(t, second(inc.UpdateStatuspageJSON(0, map[string]string{"a,b": "c1"})), incident.CodeInvalid)
	wantCode(t, second(inc.UpdateStatuspageJSON(1, nil)), incident.CodeInvalid)
	wantCode(t, second(inc.UpdateStatuspageJSON(2, nil)), incident.CodeNotFound)
}

func TestExternalIDAndSlack(t *testing.T) {
	_, inc, _ := commsIncident(t)
	if inc.ExternalID("statuspage") != "" {
		t.Fatal("an id before any was recorded")
	}
	seq, err := inc.LinkExternal("bot", "statuspage", "p31zjtct2jer")
	if err != nil || inc.ExternalID("statuspage") != "p31zjtct2jer" {
		t.Fatal(err)
	}
	_, err = inc.LinkExternal("bot", "Status Page", "x")
	wantCode(t, err, incident.CodeInvalid)
	if inc.LastSeq() != seq {
		t.Fatal("a refused id wrote an event")
	}
	doc, err := inc.SlackJSON(0)
	if err != nil || !json.Valid(doc) || !strings.Contains(string(doc), `"type":"header"`) {
		t.Fatal(string(doc), err)
	}
	wantCode(t, second(inc.SlackJSON(seq)), incident.CodeInvalid)
	wantCode(t, second(inc.SlackJSON(seq+1)), incident.CodeNotFound)
}

func TestCadence(t *testing.T) {
	_, inc, clock := commsIncident(t)
	c, err := inc.Cadence(incident.AudienceExternal)
	if err != nil || c.Writer != incident.RoleComms || c.Every != 30*time.Minute || c.SetByIC || c.UpdateCount != 0 ||
		!c.LastUpdate.IsZero() || !c.NextDue.Equal(t0.Add(30*time.Minute)) || c.Overdue {
		t.Fatalf("%+v %v", c, err)
	}
	clock.tick(45 * time.Minute)
	c, _ = inc.Cadence(incident.AudienceExternal)
	if !c.Overdue || c.Late != 15*time.Minute || !c.Now.Equal(clock.now) {
		t.Fatalf("%+v", c)
	}
	f, err := inc.CommsCheck()
	if err != nil || f.CountRule("COMM-2.overdue") != 1 || f.CountRule("COMM-4.missing") < 1 {
		t.Fatal(f.List, err)
	}
	inc.StatusUpdate("frank", incident.Update{Body: goodUpdate})
	c, _ = inc.Cadence(incident.AudienceExternal)
	if c.Overdue || c.LastWriter != "frank" || c.UpdateCount != 1 || !c.NextDue.Equal(clock.now.Add(30*time.Minute)) {
		t.Fatalf("%+v", c)
	}
	wantCode(t, second(inc.Cadence(7)), incident.CodeInvalid)

	wantCode(t, inc.SetCadence("frank", incident.AudienceExternal, 15*time.Minute, ""), incident.CodePermission)
	wantCode(t, inc.SetCadence("alice", incident.AudienceExternal, 59*time.Second, ""), incident.CodeInvalid)
	wantCode(t, inc.SetCadence("alice", incident.AudienceExternal, time.Microsecond, ""), incident.CodeInvalid)
	wantCode(t, inc.SetCadence("alice", incident.AudienceExternal, incident.CadenceRubric, ""), incident.CodeInvalid)
	if err := inc.SetCadence("alice", incident.AudienceExternal, 15*time.Minute, "customers are asking"); err != nil {
		t.Fatal(err)
	}
	if c, _ := inc.Cadence(incident.AudienceExternal); c.Every != 15*time.Minute || !c.SetByIC {
		t.Fatalf("%+v", c)
	}
	if err := inc.SetCadence("alice", incident.AudienceInternal, incident.DurationNone, ""); err != nil {
		t.Fatal(err)
	}
	if c, _ := inc.Cadence(incident.AudienceInternal); c.Every != incident.DurationNone || !c.NextDue.IsZero() {
		t.Fatalf("%+v", c)
	}
	if err := inc.SetCadence("alice", incident.AudienceExternal, incident.CadenceRubric, ""); err != nil {
		t.Fatal(err)
	}
	if c, _ := inc.Cadence(incident.AudienceExternal); c.SetByIC {
		t.Fatalf("%+v", c)
	}
}

func TestRequiredComm(t *testing.T) {
	_, inc, clock := commsIncident(t)
	r, err := inc.RequiredComm(incident.CommStatusPage)
	if err != nil || !r.Required || r.Within != 30*time.Minute || !r.Since.Equal(t0) || !r.Deadline.Equal(t0.Add(30*time.Minute)) ||
		!r.SentAt.IsZero() || r.Missing {
		t.Fatalf("%+v %v", r, err)
	}
	if r, _ := inc.RequiredComm(incident.CommCustomerEmail); r.Within != incident.DurationNone || r.Required {
		t.Fatalf("%+v", r)
	}
	clock.tick(40 * time.Minute)
	if r, _ := inc.RequiredComm(incident.CommStatusPage); !r.Missing || r.Late != 10*time.Minute {
		t.Fatalf("%+v", r)
	}
	inc.StatusUpdate("frank", incident.Update{Body: goodUpdate})
	if r, _ := inc.RequiredComm(incident.CommStatusPage); r.Missing || !r.SentAt.Equal(clock.now) {
		t.Fatalf("%+v", r)
	}
	inc.SetSeverity("alice", "Sev-3", "only the EU")
	if r, _ := inc.RequiredComm(incident.CommExecNotify); r.Within != incident.DurationNextCadence {
		t.Fatalf("%+v", r)
	}
	wantCode(t, second(inc.RequiredComm(7)), incident.CodeInvalid)
}

func TestRenderTemplate(t *testing.T) {
	_, inc, _ := commsIncident(t)
	text, err := inc.RenderTemplate(incident.TemplateFirst, incident.TemplateVars{Symptom: "failed checkouts",
		Scope: "customers in the EU region", NextUpdate: t0.Add(30 * time.Minute)})
	if err != nil || text != "We are investigating reports of failed checkouts affecting customers in the EU region. Next update at 14:42 UTC." {
		t.Fatal(text, err)
	}
	if f, _ := incident.LintUpdate(text, inc.State(), ""); len(f.List) != 0 {
		t.Fatal(f.List)
	}
	if text, _ := inc.RenderTemplate(incident.TemplateHeartbeat, incident.TemplateVars{Scope: "customers"}); !strings.Contains(text, "14:42") {
		t.Fatal(text)
	}
	wantCode(t, second(inc.RenderTemplate(incident.TemplateFirst, incident.TemplateVars{})), incident.CodeInvalid)
	wantCode(t, second(inc.RenderTemplate(incident.TemplateFirst, incident.TemplateVars{Scope: "everyone", Symptom: "probably the database"})), incident.CodeInvalid)
	wantCode(t, second(inc.RenderTemplate(incident.TemplateFirst, incident.TemplateVars{Scope: "everyone", NextUpdate: t0.Add(-time.Hour)})), incident.CodeInvalid)
	wantCode(t, second(inc.RenderTemplate(incident.TemplateResolved, incident.TemplateVars{Scope: "everyone"})), incident.CodeState)
	wantCode(t, second(inc.RenderTemplate(9, incident.TemplateVars{Scope: "everyone"})), incident.CodeInvalid)
}

func TestSessionLintConfigAppliesToRecordedUpdates(t *testing.T) {
	ctx, inc, _ := commsIncident(t)
	body := "Quarry: transactions post late."
	if _, f, err := inc.StatusUpdate("frank", incident.Update{Body: body}); err != nil || !strings.Contains(strings.Join(ruleIDs(f), ","), "COMM-3.no-scope") {
		t.Fatal(ruleIDs(f), err)
	}
	cfg, err := incident.ParseLintConfig([]byte("libincident-lint 1\nservice = Quarry\noff = COMM-3.no-next-update\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := ctx.SetLintConfig(cfg); err != nil {
		t.Fatal(err)
	}
	if _, f, err := inc.StatusUpdate("frank", incident.Update{Body: body}); err != nil || len(ruleIDs(f)) != 0 {
		t.Fatal(ruleIDs(f), err)
	}
	if err := ctx.SetLintConfig(nil); err != nil {
		t.Fatal(err)
	}
	cfg.Close()
}
