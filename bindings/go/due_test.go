package incident_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

// sev1 declares a Sev-1 on a fake clock (its ladder pages at 15, 30, 60
// and 120 minutes; its communications are due at once).
func sev1(t *testing.T, store *incident.Store) (*incident.Session, *incident.Incident, *fakeClock) {
	t.Helper()
	clock := &fakeClock{t0}
	ctx, err := incident.NewSession(&incident.SessionOptions{Clock: clock.read, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ctx.Close() })
	inc, err := ctx.Declare(incident.DeclareOptions{Title: "Payments failing", Declarer: "alice", Severity: "Sev-1"})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, inc, clock
}

func kindsOf(l *incident.DueList) map[incident.DueKind]int {
	m := map[incident.DueKind]int{}
	for _, it := range l.Items {
		m[it.Kind]++
	}
	return m
}

func firstOf(t *testing.T, l *incident.DueList, k incident.DueKind) incident.DueItem {
	t.Helper()
	for _, it := range l.Items {
		if it.Kind == k {
			return it
		}
	}
	t.Fatalf("no %v item in %+v", k, l.Items)
	return incident.DueItem{}
}

func TestDueNames(t *testing.T) {
	if incident.DueAckExpired.String() != "ack_expired" || incident.DueActionItem.String() != "action_item" ||
		incident.DueKind(0).String() != "due?" {
		t.Fatal("kind names")
	}
	if incident.DeadlineClockMissed.String() != "missed" || incident.DeadlineClockStatus(9).String() != "deadline?" {
		t.Fatal("status names")
	}
}

func TestDueLooksWithoutRecording(t *testing.T) {
	_, inc, _ := sev1(t, nil)
	if !inc.NextDue().Equal(t0) {
		t.Fatal(inc.NextDue())
	}
	last := inc.LastSeq()
	ahead, err := inc.Due(20 * time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer ahead.Close()
	step := firstOf(t, ahead, incident.DueEscalation)
	if !step.Due.Equal(t0.Add(15*time.Minute)) || step.Late != -15*time.Minute || step.Step != 1 || step.Loop != 0 ||
		step.Seq != 0 || step.Target != "on-call,backup" || step.IncidentID != inc.ID() || step.RuleID != "ESC-1" ||
		step.KindName != "escalation" || step.Severity != "Sev-1" || step.LevelIndex != 1 || step.LevelCount != 5 ||
		step.DedupKey != inc.ID()+"/esc/Sev-1/1" || step.Resolved != nil {
		t.Fatalf("%+v", step)
	}
	if kindsOf(ahead)[incident.DueAck] != 1 || inc.LastSeq() != last {
		t.Fatal("ack item, or something recorded")
	}
	if !sort.SliceIsSorted(ahead.Items, func(i, j int) bool { return ahead.Items[i].Due.Before(ahead.Items[j].Due) }) {
		t.Fatal("not in order of due time")
	}
	wantCode(t, second(inc.Due(-time.Minute)), incident.CodeInvalid)
}

func TestDeliverFiresOnce(t *testing.T) {
	_, inc, clock := sev1(t, nil)
	clock.tick(16 * time.Minute)
	first, err := inc.DeliverDue("pager", 2)
	if err != nil || first.Len() != 2 {
		t.Fatal(first, err)
	}
	first.Close()
	first.Close() // twice is fine
	rest, err := inc.DeliverDue("pager", 0)
	if err != nil || rest.Len() == 0 {
		t.Fatal(err)
	}
	if again, _ := inc.DeliverDue("pager", 0); again.Len() != 0 {
		t.Fatal("delivered twice")
	}
	step := firstOf(t, rest, incident.DueEscalation)
	if step.Late != time.Minute {
		t.Fatal(step.Late)
	}
	ev, _ := inc.Event(int(step.Seq) - 1)
	if ev.Kind != incident.EventPageRequested || ev.Actor != "pager" {
		t.Fatalf("%+v", ev)
	}
	if !inc.NextDue().After(clock.now) {
		t.Fatal(inc.NextDue())
	}
}

func TestPagesAndAcknowledgement(t *testing.T) {
	_, inc, clock := sev1(t, nil)
	first, err := inc.PageRequest("pager", "on-call", "first page")
	if err != nil || !inc.FirstPageAt().Equal(t0) {
		t.Fatal(err)
	}
	clock.tick(2 * time.Minute)
	if err := inc.PageSent("pager", first, "bob"); err != nil {
		t.Fatal(err)
	}
	inc.PageSent("pager", first, "carol")
	wantCode(t, inc.PageSent("pager", first, "bob"), incident.CodeExist)
	wantCode(t, inc.PageSent("pager", 1, "bob"), incident.CodeNotFound)
	wantCode(t, second(inc.PageRequest("pager", "", "")), incident.CodeInvalid)
	pages := inc.Pages()
	if len(pages) != 2 || pages[0].RequestSeq != first || pages[0].Person != "bob" || pages[1].Person != "carol" ||
		!pages[0].SentAt.Equal(t0.Add(2*time.Minute)) || pages[0].Target != "on-call" || pages[0].Severity != "" ||
		pages[0].Step != 0 || pages[0].SentSeq <= first || pages[0].Resolved != nil {
		t.Fatalf("%+v", pages)
	}
	if !inc.AcknowledgedAt().IsZero() || inc.AcknowledgedBy() != "" || !inc.FirstAckAt().IsZero() {
		t.Fatal("acknowledged")
	}
	wantCode(t, inc.Acknowledge("bob", 999), incident.CodeNotFound)
	clock.tick(time.Minute)
	if err := inc.Acknowledge("bob", first); err != nil {
		t.Fatal(err)
	}
	if !inc.AcknowledgedAt().Equal(t0.Add(3*time.Minute)) || inc.AcknowledgedBy() != "bob" || !inc.FirstAckAt().Equal(t0.Add(3*time.Minute)) {
		t.Fatal("acknowledgement")
	}
	clock.now = t0.Add(16 * time.Minute)
	due, _ := inc.DeliverDue("pager", 0)
	if k := kindsOf(due); k[incident.DueAck] != 0 || k[incident.DueEscalation] != 0 {
		t.Fatal(k)
	}
}

func TestDeadlineClocks(t *testing.T) {
	_, inc, clock := sev1(t, nil)
	due := t0.Add(72 * time.Hour)
	wantCode(t, inc.StartDeadlineClock("bob", "gdpr", due, incident.DurationNone, ""), incident.CodePermission)
	if err := inc.StartDeadlineClock("alice", "gdpr", due, 12*time.Hour, "breach notification"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, inc.StartDeadlineClock("alice", "gdpr", due, incident.DurationNone, ""), incident.CodeExist)
	wantCode(t, inc.StartDeadlineClock("alice", "x", due, -time.Hour, ""), incident.CodeInvalid)
	inc.StartDeadlineClock("alice", "sec", t0.Add(time.Hour), incident.DurationNone, "")
	ds := inc.DeadlineClocks()
	if len(ds) != 2 || ds[0].Name != "gdpr" || ds[0].Text != "breach notification" || ds[0].StartedBy != "alice" ||
		!ds[0].StartedAt.Equal(t0) || !ds[0].Deadline.Equal(due) || ds[0].RemindBefore != 12*time.Hour ||
		ds[0].Status != incident.DeadlineClockRunning || ds[0].Overdue || ds[0].StoppedBy != "" || ds[1].RemindBefore != incident.DurationNone {
		t.Fatalf("%+v", ds)
	}
	clock.now = t0.Add(60*time.Hour + time.Minute)
	l, _ := inc.DeliverDue("pager", 0)
	var got []string
	for _, it := range l.Items {
		if it.Target == "gdpr" || it.Target == "sec" {
			got = append(got, it.KindName+":"+it.Target)
		}
	}
	sort.Strings(got)
	if !reflect.DeepEqual(got, []string{"deadline:sec", "deadline_reminder:gdpr"}) || !inc.DeadlineClocks()[1].Overdue {
		t.Fatal(got)
	}
	wantCode(t, inc.StopDeadlineClock("alice", "nope", false, ""), incident.CodeNotFound)
	wantCode(t, inc.StopDeadlineClock("bob", "gdpr", false, ""), incident.CodePermission)
	inc.StopDeadlineClock("alice", "gdpr", false, "filed ref 42")
	inc.StopDeadlineClock("alice", "sec", true, "")
	ds = inc.DeadlineClocks()
	if ds[0].Status != incident.DeadlineClockMet || ds[0].StoppedBy != "alice" || !ds[0].StoppedAt.Equal(clock.now) ||
		ds[1].Status != incident.DeadlineClockCancelled || ds[0].Seq < 2 {
		t.Fatalf("%+v", ds)
	}
}

// pdKey is an Events API v2 routing key: 32 letters and digits.
const pdKey = "R0UT1NGKEY0123456789abcdefABCDEF"

func TestPagerDuty(t *testing.T) {
	_, inc, clock := sev1(t, nil)
	clock.tick(15 * time.Minute)
	l, _ := inc.DeliverDue("pager", 0)
	idx := -1
	for i, it := range l.Items {
		if it.Kind == incident.DueEscalation {
			idx = i
		}
	}
	doc, err := l.PagerDuty(idx, pdKey, "checkout", "https://ops.example.com/i/1")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		RoutingKey  string `json:"routing_key"`
		EventAction string `json:"event_action"`
		DedupKey    string `json:"dedup_key"`
		Payload     struct{ Source, Severity, Class string }
		ClientURL   string `json:"client_url"`
		Links       []struct{ Href string }
	}
	if err := json.Unmarshal(doc, &m); err != nil || m.RoutingKey != pdKey || m.EventAction != "trigger" ||
		m.DedupKey != l.Items[idx].DedupKey || m.Payload.Source != "checkout" || m.Payload.Severity != "critical" ||
		m.Payload.Class != "escalation" || m.ClientURL != "https://ops.example.com/i/1" ||
		len(m.Links) != 1 || m.Links[0].Href != m.ClientURL {
		t.Fatal(string(doc), err)
	}
	if doc, _ := l.PagerDuty(0, pdKey, "", ""); !json.Valid(doc) || !reflect.DeepEqual(jsonField(t, doc, "payload", "source"), "libincident") {
		t.Fatal(string(doc))
	}
	wantCode(t, second(l.PagerDuty(l.Len(), pdKey, "", "")), incident.CodeNotFound)
	wantCode(t, second(l.PagerDuty(-1, pdKey, "", "")), incident.CodeNotFound)
	wantCode(t, second(l.PagerDuty(0, "", "", "")), incident.CodeInvalid)
	wantCode(t, second(l.PagerDuty(0, pdKey[:31], "", "")), incident.CodeInvalid) // 32 characters
	wantCode(t, second(l.PagerDuty(0, pdKey, "", "ftp://x")), incident.CodeInvalid)
	l.Close()
	wantCode(t, second(l.PagerDuty(0, pdKey, "", "")), incident.CodeInvalid)
	if l.Items[idx].Kind != incident.DueEscalation {
		t.Fatal("items are gone after Close")
	}
	doc, err = incident.PagerDutyEvent("resolve", pdKey, l.Items[idx].DedupKey)
	if err != nil || jsonField(t, doc, "event_action") != "resolve" || jsonField(t, doc, "dedup_key") != l.Items[idx].DedupKey {
		t.Fatal(string(doc), err)
	}
	wantCode(t, second(incident.PagerDutyEvent("trigger", pdKey, "d")), incident.CodeInvalid)
	wantCode(t, second(incident.PagerDutyEvent("resolve", pdKey, "")), incident.CodeInvalid)
}

// The timeline's PagerDuty events (ESC-2): the step triggers, the
// acknowledgement acknowledges it, the resolution resolves it, one key.
func TestPagerDutyFromTheTimeline(t *testing.T) {
	_, inc, clock := sev1(t, nil)
	clock.tick(15 * time.Minute)
	l, _ := inc.DeliverDue("pager", 0)
	var step string
	for _, it := range l.Items {
		if it.Kind == incident.DueEscalation {
			step = it.DedupKey
		}
	}
	l.Close()
	if err := inc.Acknowledge("bob", 0); err != nil {
		t.Fatal(err)
	}
	for _, s := range []incident.State{incident.StateInvestigating, incident.StateMitigating, incident.StateMonitoring} {
		if err := inc.SetState("alice", s, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := inc.SetState("alice", incident.StateResolved, "Checked by hand."); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for seq := 1; seq <= inc.EventCount(); seq++ {
		bodies, err := inc.PagerDutyJSON(uint64(seq), pdKey, "", "https://ops.example.com/i/1")
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bodies {
			if jsonField(t, b, "dedup_key") == step {
				actions = append(actions, jsonField(t, b, "event_action").(string))
			}
		}
	}
	if !reflect.DeepEqual(actions, []string{"trigger", "acknowledge", "resolve"}) {
		t.Fatal(actions)
	}
	if bodies, err := inc.PagerDutyJSON(1, pdKey, "", ""); err != nil || bodies != nil {
		t.Fatal(bodies, err)
	}
	wantCode(t, second(inc.PagerDutyJSON(1, pdKey[:31], "", "")), incident.CodeInvalid)
	wantCode(t, second(inc.PagerDutyJSON(0, pdKey, "", "")), incident.CodeInvalid)
	wantCode(t, second(inc.PagerDutyJSON(uint64(inc.EventCount()+1), pdKey, "", "")), incident.CodeNotFound)
}

func jsonField(t *testing.T, doc []byte, path ...string) interface{} {
	t.Helper()
	var v interface{}
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	for _, p := range path {
		v = v.(map[string]interface{})[p]
	}
	return v
}

// budgetBackend fails appends once budget more have succeeded (-1: never).
type budgetBackend struct {
	*mapBackend
	budget int
}

var errDiskFull = errors.New("disk full")

func (b *budgetBackend) Append(id string, expected uint64, records [][]byte) error {
	if b.budget == 0 {
		return errDiskFull
	}
	if b.budget > 0 {
		b.budget--
	}
	return b.mapBackend.Append(id, expected, records)
}

func TestDeliveryThatFailsPartWay(t *testing.T) {
	backend := &budgetBackend{newMapBackend(), -1}
	store, err := incident.NewStore(backend)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	_, inc, clock := sev1(t, store)
	clock.tick(30 * time.Minute)
	pending, _ := inc.Due(0)
	if pending.Len() < 3 {
		t.Fatal(pending.Len())
	}
	backend.budget = 2
	l, err := inc.DeliverDue("pager", 0)
	wantCode(t, err, incident.CodeIO)
	if !errors.Is(err, errDiskFull) || l == nil || l.Len() != 2 {
		t.Fatal(l, err)
	}
	backend.budget = -1
	if rest, err := inc.DeliverDue("pager", 0); err != nil || rest.Len() != pending.Len()-2 {
		t.Fatal(rest.Len(), err)
	}
}

func TestDueOnAClosedIncident(t *testing.T) {
	_, inc, _ := sev1(t, nil)
	inc.Close()
	wantCode(t, second(inc.Due(0)), incident.CodeInvalid)
	wantCode(t, second(inc.DeliverDue("pager", 0)), incident.CodeInvalid)
	if !inc.NextDue().IsZero() || inc.Pages() != nil || inc.DeadlineClocks() != nil || inc.AcknowledgedBy() != "" {
		t.Fatal("a closed incident has due items")
	}
}
