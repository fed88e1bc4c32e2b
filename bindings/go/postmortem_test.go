package incident_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

const day = 24 * time.Hour

func resolveIncident(t *testing.T, inc *incident.Incident, clock *fakeClock) {
	t.Helper()
	for _, s := range []incident.State{incident.StateInvestigating, incident.StateMitigating, incident.StateMonitoring} {
		if err := inc.SetState("alice", s, "step"); err != nil {
			t.Fatal(err)
		}
	}
	clock.tick(30 * time.Minute)
	if err := inc.SetState("alice", incident.StateResolved, "error rate normal for 30 minutes"); err != nil {
		t.Fatal(err)
	}
}

func TestPostmortemNames(t *testing.T) {
	if incident.PMRootCause.String() != "root_cause" || incident.PMWentWell.Title() != "What went well" ||
		incident.PMSection(8).String() != "section?" || incident.PMSection(8).Title() != "" {
		t.Fatal("section names")
	}
	if s, err := incident.ParsePMSection("Lessons_Learned"); err != nil || s != incident.PMLessons {
		t.Fatal(s, err)
	}
	wantCode(t, second(incident.ParsePMSection("epilogue")), incident.CodeNotFound)
	if incident.PMInReview.String() != "In Review" || incident.PMStatus(3).String() != "status?" {
		t.Fatal("status names")
	}
	if s, err := incident.ParseActionStatus("DONE"); err != nil || s != incident.ActionDone || s.String() != "done" {
		t.Fatal(s, err)
	}
	wantCode(t, second(incident.ParseActionStatus("blocked")), incident.CodeNotFound)
	if !incident.ActionOwnerIsTeam("sre-team") || !incident.ActionOwnerIsTeam("alice & bob") || incident.ActionOwnerIsTeam("alice") {
		t.Fatal("owner words")
	}
	f, err := incident.LintPostmortem("It was human error: bob should have known.")
	if err != nil || len(f.List) != 2 || f.List[0].RuleID != "PM-4.blame" || f.List[0].Offset != 7 || f.List[0].Length != 11 {
		t.Fatal(f.List, err)
	}
	if f, _ := incident.LintPostmortem("The health check failed to fire."); len(f.List) != 0 {
		t.Fatal(f.List)
	}
	wantCode(t, second(incident.LintPostmortem("\xff")), incident.CodeInvalid)
	wantCode(t, second(incident.LintPostmortem(strings.Repeat("x", 100000))), incident.CodeTooBig)
}

func TestPostmortemFlow(t *testing.T) {
	_, inc, clock := newIncident(t)
	if inc.Section(incident.PMSummary) != "" {
		t.Fatal("a section before anyone wrote it")
	}
	seq, f, err := inc.SetSection("carol", incident.PMRootCause, "Human error in the deploy.")
	if err != nil || seq != inc.LastSeq() || len(f.List) != 1 || f.List[0].Slot != int(incident.PMRootCause) {
		t.Fatal(f.List, err)
	}
	inc.SetSection("carol", incident.PMWentPoorly, "Nobody was paying attention; sloppy.")
	if f, err := inc.LintPostmortem(); err != nil || f.CountRule("PM-4.blame") < 2 {
		t.Fatal(f.List, err)
	}
	wantCode(t, third(inc.SetSection("carol", incident.PMSummary, "   ")), incident.CodeInvalid)
	wantCode(t, third(inc.SetSection("carol", 9, "x")), incident.CodeInvalid)
	wantCode(t, inc.SetRootCauseTag("alice", "Config Change"), incident.CodeInvalid)

	pm, err := inc.Postmortem()
	if err != nil || pm.Status != incident.PMDraft || !pm.Required || !pm.Started || pm.Window != 7*day || !pm.Due.IsZero() ||
		len(pm.Missing) != 6 {
		t.Fatalf("%+v %v", pm, err)
	}
	wantCode(t, inc.SetPostmortemStatus("alice", incident.PMInReview, ""), incident.CodeState) // not resolved
	resolveIncident(t, inc, clock)
	if pm, _ := inc.Postmortem(); !pm.Due.Equal(clock.now.Add(7 * day)) {
		t.Fatalf("%+v", pm)
	}
	for s := incident.PMSummary; s <= incident.PMLessons; s++ {
		inc.SetSection("carol", s, "The "+s.Title()+".")
	}
	if inc.Section(incident.PMRootCause) != "The Root cause." {
		t.Fatal(inc.Section(incident.PMRootCause))
	}
	wantCode(t, inc.SetPostmortemStatus("alice", incident.PMFinal, ""), incident.CodeState) // not from Draft
	inc.SetPostmortemStatus("bob", incident.PMInReview, "reviewers: dave")
	if e := wantCode(t, inc.SetPostmortemStatus("alice", incident.PMFinal, ""), incident.CodeInvalid); !strings.Contains(e.Message, "tag") {
		t.Fatal(e.Message)
	}
	inc.SetRootCauseTag("alice", "config-change")
	wantCode(t, inc.SetPostmortemStatus("bob", incident.PMFinal, ""), incident.CodePermission)
	clock.tick(day)
	if err := inc.SetPostmortemStatus("alice", incident.PMFinal, ""); err != nil {
		t.Fatal(err)
	}
	pm, _ = inc.Postmortem()
	if pm.Status != incident.PMFinal || pm.Missing != nil || pm.RootCauseTag != "config-change" || !pm.FinalAt.Equal(clock.now) ||
		inc.State() != incident.StateClosed {
		t.Fatalf("%+v", pm)
	}
	md, err := inc.RenderPostmortem(incident.PMMarkdown)
	if err != nil || !strings.HasPrefix(md, "# Postmortem: Database primary CPU at 95%") || !strings.Contains(md, "config-change") {
		t.Fatal(md, err)
	}
	if text, _ := inc.RenderPostmortem(incident.PMText); !strings.HasPrefix(text, "Postmortem: ") {
		t.Fatal(text)
	}
	wantCode(t, second(inc.RenderPostmortem(7)), incident.CodeInvalid)
	wantCode(t, third(inc.SetSection("carol", incident.PMSummary, "too late")), incident.CodeState)
}

func TestActionItems(t *testing.T) {
	_, inc, clock := sev1(t, nil)
	a, err := inc.AddAction("alice", incident.ActionOptions{Title: "Add a canary", Owner: "bob", Due: t0.Add(7 * day), Priority: 2, Detail: "for configs"})
	if err != nil || a != 1 {
		t.Fatal(a, err)
	}
	e := wantCode(t, second(inc.AddAction("alice", incident.ActionOptions{Title: "Fix alerts", Owner: "sre-team", Due: t0.Add(7 * day), Priority: 1})), incident.CodeInvalid)
	if !strings.Contains(e.Message, "owner") {
		t.Fatal(e.Message)
	}
	b, _ := inc.AddAction("alice", incident.ActionOptions{Title: "Fix alerts", Owner: "sre-team", Due: t0.Add(7 * day), Priority: 1,
		OwnerOverride: "the team picks someone Monday"})
	wantCode(t, second(inc.AddAction("alice", incident.ActionOptions{Title: "x", Owner: "bob", Due: t0.Add(-day), Priority: 1})), incident.CodeInvalid)
	wantCode(t, second(inc.AddAction("alice", incident.ActionOptions{Title: "x", Owner: "bob", Due: t0.Add(day), Priority: 5})), incident.CodeInvalid)
	clock.tick(day)
	if err := inc.MoveActionDue("bob", a, t0.Add(14*day), "waiting for the config service"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, inc.MoveActionDue("bob", a, t0.Add(20*day), ""), incident.CodeInvalid)
	if err := inc.ReassignAction("alice", b, "carol", ""); err != nil {
		t.Fatal(err)
	}
	wantCode(t, inc.ReassignAction("alice", b, "ops", ""), incident.CodeInvalid)
	inc.SetActionPriority("alice", a, 1)
	wantCode(t, inc.SetActionPriority("alice", a, 1), incident.CodeInvalid)
	wantCode(t, inc.SetActionPriority("alice", 9, 2), incident.CodeNotFound)
	if err := inc.SetActionStatus("bob", a, incident.ActionDone, "", 0); err != nil {
		t.Fatal(err)
	}
	items := inc.Actions(time.Time{})
	x := items[0]
	if len(items) != 2 || x.Title != "Add a canary" || x.Detail != "for configs" || x.Priority != 1 || x.Status != incident.ActionDone ||
		!x.Due.Equal(t0.Add(14*day)) || !x.OriginalDue.Equal(t0.Add(7*day)) || x.DueMoves != 1 ||
		x.DueReason != "waiting for the config service" || !x.ClosedAt.Equal(clock.now) || x.ClosedBy != "bob" || x.CreatedBy != "alice" ||
		items[1].Owner != "carol" || items[1].OwnerOverride != "" || items[1].Overdue {
		t.Fatalf("%+v", items)
	}
	if !inc.Actions(t0.Add(8 * day))[1].Overdue {
		t.Fatal("not overdue")
	}
	// Cancelling a Sev-1 item needs the IC, or an approved decision.
	if e := wantCode(t, inc.SetActionStatus("bob", b, incident.ActionCancelled, "not needed", 0), incident.CodePermission); !strings.Contains(e.Message, "alice") {
		t.Fatal(e.Message)
	}
	d, _ := inc.RequestDecision("bob", "cancel A2?")
	inc.Decide("alice", d, true, "")
	if err := inc.SetActionStatus("bob", b, incident.ActionCancelled, "superseded", d); err != nil {
		t.Fatal(err)
	}
	if x := inc.Actions(time.Time{})[1]; x.Status != incident.ActionCancelled || x.Decision != d || x.ICDecision || x.Reason != "superseded" {
		t.Fatalf("%+v", x)
	}
	inc.SetActionStatus("bob", b, incident.ActionOpen, "reopened", 0)
	inc.SetActionStatus("alice", b, incident.ActionCancelled, "the IC decides", 0)
	if !inc.Actions(time.Time{})[1].ICDecision {
		t.Fatal("not the IC's decision")
	}
}

func TestActionList(t *testing.T) {
	ctx, inc, _ := sev1(t, nil)
	inc.AddAction("alice", incident.ActionOptions{Title: "Add a canary", Owner: "bob", Due: t0.Add(7 * day), Priority: 2})
	drill, _ := ctx.Declare(incident.DeclareOptions{Title: "Game day", Declarer: "erin", Severity: "Sev-3", Drill: true})
	drill.AddAction("erin", incident.ActionOptions{Title: "Write the runbook", Owner: "Bob", Due: t0.Add(2 * day), Priority: 3})
	other, _ := ctx.Declare(incident.DeclareOptions{Title: "Search slow", Declarer: "carol", Severity: "Sev-3"})
	other.AddAction("carol", incident.ActionOptions{Title: "Tune the index", Owner: "carol", Due: t0.Add(3 * day), Priority: 3})
	all, err := ctx.Actions(incident.ActionQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, e := range all.Entries {
		titles = append(titles, e.Item.Title)
	}
	if !reflect.DeepEqual(titles, []string{"Write the runbook", "Tune the index", "Add a canary"}) || !all.Entries[0].Drill ||
		all.Entries[0].IncidentID != drill.ID() || all.Entries[0].Severity != "Sev-3" || !strings.Contains(all.Text, "[DRILL]") {
		t.Fatalf("%v %+v", titles, all.Entries[0])
	}
	doc, err := all.ExportJSON("https://incidents.example.com/i/")
	var items []map[string]interface{}
	if err != nil || json.Unmarshal(doc, &items) != nil || items[2]["external_id"] != inc.ID()+"#A1" ||
		items[2]["link"] != "https://incidents.example.com/i/"+inc.ID() {
		t.Fatal(string(doc), err)
	}
	wantCode(t, second(all.ExportJSON(strings.Repeat("x", 2000))), incident.CodeInvalid)
	all.Close()
	all.Close()
	wantCode(t, second(all.ExportJSON("")), incident.CodeInvalid)
	if len(all.Entries) != 3 {
		t.Fatal("entries gone after Close")
	}
	if l, _ := ctx.Actions(incident.ActionQuery{Owner: "BOB"}); len(l.Entries) != 2 {
		t.Fatal(len(l.Entries))
	}
	if l, _ := ctx.Actions(incident.ActionQuery{Owner: "bob", ExcludeDrills: true}); len(l.Entries) != 1 {
		t.Fatal(len(l.Entries))
	}
	late, _ := ctx.Actions(incident.ActionQuery{OverdueOnly: true, Now: t0.Add(4 * day)})
	if len(late.Entries) != 2 || late.Entries[0].Late != 2*day || !late.Entries[1].Overdue {
		t.Fatalf("%+v", late.Entries)
	}
	done := incident.ActionDone
	if l, _ := ctx.Actions(incident.ActionQuery{Status: &done}); len(l.Entries) != 0 {
		t.Fatal(l.Entries)
	}
	bad := incident.ActionStatus(7)
	wantCode(t, second(ctx.Actions(incident.ActionQuery{Status: &bad})), incident.CodeInvalid)
}
