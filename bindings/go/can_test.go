package incident_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

func ruleIDs(f incident.Findings) []string {
	var ids []string
	for _, x := range f.List {
		ids = append(ids, x.RuleID)
	}
	sort.Strings(ids)
	return ids
}

func TestLintCAN(t *testing.T) {
	f, err := incident.LintCAN("I think it is a leak", "I'll restart the cache", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := ruleIDs(f); !reflect.DeepEqual(got, []string{"CAN-2.implicit-needs", "CAN-2.promise", "CAN-2.speculation"}) {
		t.Fatal(got)
	}
	for _, x := range f.List {
		switch x.RuleID {
		case "CAN-2.speculation":
			if x.Slot != int(incident.CANConditions) || x.Offset != 0 || x.Length != 7 {
				t.Fatalf("%+v", x)
			}
		case "CAN-2.promise":
			if x.Slot != int(incident.CANActions) || "I'll restart the cache"[x.Offset:x.Offset+x.Length] != "'ll" {
				t.Fatalf("%+v", x)
			}
		case "CAN-2.implicit-needs":
			if x.Slot != int(incident.CANNeeds) {
				t.Fatalf("%+v", x)
			}
		}
	}
	if f.CountRule("CAN-2.promise") != 1 || !strings.Contains(f.Text, "CAN-2") {
		t.Fatal(f.Text)
	}
	if f, _ := incident.LintCAN("CPU 95% on db-1", "rolling back the deploy", "none"); len(f.List) != 0 {
		t.Fatal(f.List)
	}
	if f, _ := incident.LintCAN("", "", ""); len(f.List) != 1 || f.List[0].RuleID != "CAN-1.empty" || f.List[0].Slot != -1 {
		t.Fatal(f.List)
	}
	wantCode(t, second(incident.LintCAN("\xff\xfe", "", "none")), incident.CodeInvalid)
	wantCode(t, second(incident.LintCAN(strings.Repeat("x", 100000), "", "none")), incident.CodeTooBig)
}

func second[T any](_ T, err error) error { return err }

func TestCANWords(t *testing.T) {
	if !incident.CANNeedsNone("None.") || !incident.CANNeedsNone("  n/a ") || incident.CANNeedsNone("") || incident.CANNeedsNone("a DBA") {
		t.Fatal("needs none")
	}
	if !incident.CANNeedAsksDecision("approval to fail over to db-2") || incident.CANNeedAsksDecision("a DBA") {
		t.Fatal("asks decision")
	}
	if incident.CANTopOfHour.String() != "top-of-hour" || incident.CANKind(9).String() != "can-kind?" {
		t.Fatal("kind names")
	}
	if k, err := incident.ParseCANKind("Escalation"); err != nil || k != incident.CANEscalation {
		t.Fatal(k, err)
	}
	wantCode(t, second(incident.ParseCANKind("memo")), incident.CodeNotFound)
	if incident.DecisionDenied.String() != "denied" || incident.DecisionStatus(7).String() != "decision?" {
		t.Fatal("status names")
	}
}

func TestDispatchJSON(t *testing.T) {
	doc, err := incident.CANToDispatchJSON(`CPU 95% "db-1"`, "", "none")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(doc, &m); err != nil || m["conditions"] != `CPU 95% "db-1"` || m["actions"] != "" || m["needs"] != "none" {
		t.Fatal(string(doc), err)
	}
	c, a, n, err := incident.CANFromDispatchJSON(doc)
	if err != nil || c != `CPU 95% "db-1"` || a != "" || n != "none" {
		t.Fatal(c, a, n, err)
	}
	c, a, n, err = incident.CANFromDispatchJSON([]byte(`{"id":7,"details":{"conditions":"c","actions":"a","needs":"n"}}`))
	if err != nil || c+a+n != "can" {
		t.Fatal(c, a, n, err)
	}
	_, _, _, err = incident.CANFromDispatchJSON([]byte(`{"conditions":`))
	if e := wantCode(t, err, incident.CodeParse); e.Offset == 0 {
		t.Fatal("no offset")
	}
	_, _, _, err = incident.CANFromDispatchJSON([]byte(`[1]`))
	wantCode(t, err, incident.CodeParse)
	_, _, _, err = incident.CANFromDispatchJSON([]byte(`{"conditions":"x","needs":5}`))
	if e := wantCode(t, err, incident.CodeInvalid); !strings.Contains(e.Message, "needs") {
		t.Fatal(e.Message)
	}
	wantCode(t, second(incident.CANToDispatchJSON("\xff", "", "")), incident.CodeInvalid)
}

func TestReportCAN(t *testing.T) {
	ctx, inc, clock := newIncident(t)
	clock.tick(3 * time.Minute)
	seq, f, err := inc.ReportCAN("carol", incident.CANReport{Conditions: "I think the cache is cold",
		Actions: "warming it", Needs: "approval to fail over; a DBA"})
	if err != nil {
		t.Fatal(err)
	}
	if seq != inc.LastSeq() || !reflect.DeepEqual(ruleIDs(f), []string{"CAN-2.speculation"}) {
		t.Fatal(seq, f.List)
	}
	reps := inc.CANReports()
	if len(reps) != 1 {
		t.Fatal(reps)
	}
	r := reps[0]
	if r.Seq != seq || !r.Time.Equal(t0.Add(3*time.Minute)) || r.Kind != incident.CANSMEToIC || r.Author != "carol" ||
		r.Addressee != "alice" || r.Needs != "approval to fail over; a DBA" || r.NeedsNone ||
		!reflect.DeepEqual(r.Findings, []string{"CAN-2.speculation"}) || r.DecisionCount != 1 || r.FirstDecision != 1 {
		t.Fatalf("%+v", r)
	}
	d := inc.Decisions()
	if len(d) != 1 || d[0].ID != 1 || d[0].Status != incident.DecisionPending || d[0].Text != "approval to fail over" ||
		d[0].RequestSeq != seq || d[0].DecidedBy != "" || !d[0].DecidedAt.IsZero() || inc.PendingDecisionCount() != 1 {
		t.Fatalf("%+v", d)
	}
	// Omitted and explicit Needs; other kinds.
	_, f, _ = inc.ReportCAN("carol", incident.CANReport{Conditions: "CPU 95%", Actions: "adding a replica"})
	if !reflect.DeepEqual(ruleIDs(f), []string{"CAN-2.implicit-needs"}) {
		t.Fatal(f.List)
	}
	if _, _, err := inc.ReportCAN("alice", incident.CANReport{Kind: incident.CANEscalation, Addressee: "vp-eng",
		Conditions: "checkout failing", Actions: "rolling back", Needs: "none"}); err != nil {
		t.Fatal(err)
	}
	reps = inc.CANReports()
	if reps[1].Needs != "" || reps[1].NeedsNone || reps[2].Addressee != "vp-eng" || !reps[2].NeedsNone || reps[2].Findings != nil {
		t.Fatalf("%+v", reps)
	}
	// Errors record nothing.
	last := inc.LastSeq()
	wantCode(t, third(inc.ReportCAN("carol", incident.CANReport{})), incident.CodeInvalid)
	e := wantCode(t, third(inc.ReportCAN("carol", incident.CANReport{Kind: incident.CANEscalation, Conditions: "x", Needs: "none"})), incident.CodeInvalid)
	if !strings.Contains(e.Message, "addressee") {
		t.Fatal(e.Message)
	}
	wantCode(t, third(inc.ReportCAN("carol", incident.CANReport{Conditions: strings.Repeat("x", 100000)})), incident.CodeTooBig)
	wantCode(t, third(inc.ReportCAN("carol", incident.CANReport{Kind: 9, Conditions: "x"})), incident.CodeInvalid)
	// A top-of-hour report is the IC's: a finding, or ErrRole under the strict policy.
	top := incident.CANReport{Kind: incident.CANTopOfHour, Conditions: "x", Actions: "y", Needs: "none"}
	if _, f, err := inc.ReportCAN("bob", top); err != nil || f.List[0].RuleID != "COMM-1.wrong-writer" {
		t.Fatal(f, err)
	}
	last++
	ctx.SetPolicy(incident.PolicyStrict)
	wantCode(t, third(inc.ReportCAN("bob", top)), incident.CodeRole)
	if inc.LastSeq() != last {
		t.Fatal("an error recorded something")
	}
}

func third[A, B any](_ A, _ B, err error) error { return err }

func TestDecisions(t *testing.T) {
	ctx, inc, clock := newIncident(t)
	if id, err := inc.RequestDecision("carol", "restart the primary?"); err != nil || id != 1 {
		t.Fatal(id, err)
	}
	if id, _ := inc.RequestDecision("dave", "page the network team?"); id != 2 {
		t.Fatal(id)
	}
	if e := wantCode(t, inc.Decide("bob", 1, true, ""), incident.CodePermission); !strings.Contains(e.Message, "alice") {
		t.Fatal(e.Message)
	}
	clock.tick(time.Minute)
	if err := inc.Decide("alice", 1, true, "go ahead"); err != nil {
		t.Fatal(err)
	}
	if err := inc.Decide("alice", 2, false, ""); err != nil {
		t.Fatal(err)
	}
	wantCode(t, inc.Decide("alice", 1, true, ""), incident.CodeInvalid)
	wantCode(t, inc.Decide("alice", 9, true, ""), incident.CodeNotFound)
	wantCode(t, second(inc.RequestDecision("carol", "")), incident.CodeInvalid)
	d := inc.Decisions()
	if d[0].Status != incident.DecisionApproved || d[0].DecidedBy != "alice" || !d[0].DecidedAt.Equal(t0.Add(time.Minute)) ||
		d[0].Note != "go ahead" || d[0].DecisionSeq <= d[0].RequestSeq || d[1].Status != incident.DecisionDenied {
		t.Fatalf("%+v", d)
	}
	if inc.PendingDecisionCount() != 0 {
		t.Fatal("pending")
	}
	again, err := ctx.Open(inc.ID())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Decisions(), d) || !reflect.DeepEqual(again.CANReports(), inc.CANReports()) {
		t.Fatal("replay differs")
	}
}

func TestCANDispatchJSONOfARecordedReport(t *testing.T) {
	_, inc, _ := newIncident(t)
	if _, _, err := inc.ReportCAN("carol", incident.CANReport{Conditions: "CPU 95%", Actions: "rolling back"}); err != nil {
		t.Fatal(err)
	}
	doc, err := inc.CANDispatchJSON(0)
	if err != nil || string(doc) != `{"conditions":"CPU 95%","actions":"rolling back","needs":""}` {
		t.Fatal(string(doc), err)
	}
	if e := wantCode(t, second(inc.CANDispatchJSON(1)), incident.CodeNotFound); !strings.Contains(e.Message, "CAN report") {
		t.Fatal(e.Message)
	}
	wantCode(t, second(inc.CANDispatchJSON(-1)), incident.CodeNotFound)
	inc.Close()
	wantCode(t, second(inc.CANDispatchJSON(0)), incident.CodeInvalid)
	wantCode(t, third(inc.ReportCAN("carol", incident.CANReport{Conditions: "x", Needs: "none"})), incident.CodeInvalid)
	if inc.CANReports() != nil || inc.Decisions() != nil || inc.PendingDecisionCount() != 0 {
		t.Fatal("a closed incident has reports")
	}
}
