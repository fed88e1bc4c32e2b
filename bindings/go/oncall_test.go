package incident_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

// monday is in week 8 of a rotation started 2026-01-05.
var monday = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func payments(t *testing.T, ctx *incident.Session, people ...string) *incident.Rotation {
	t.Helper()
	if people == nil {
		people = []string{"alice", "bob", "carol", "dave", "erin"}
	}
	r, err := incident.NewRotation(ctx, "payments")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if err := r.AddPerson(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.SetZone("Europe/Berlin"); err != nil {
		t.Fatal(err)
	}
	if err := r.SetStart(2026, time.January, 5); err != nil {
		t.Fatal(err)
	}
	return r
}

func plainContext(t *testing.T) *incident.Session {
	t.Helper()
	ctx, err := incident.NewSession(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ctx.Close() })
	return ctx
}

func TestZones(t *testing.T) {
	ctx := plainContext(t)
	l, err := ctx.ToLocal("Europe/Berlin", time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || l.Hour != 2 || l.UTCOffset != 2*time.Hour || !l.IsDST || l.Abbr != "CEST" || l.Weekday != time.Wednesday {
		t.Fatalf("%+v %v", l, err)
	}
	if w, _ := ctx.ToLocal("Europe/Berlin", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); w.Abbr != "CET" || w.UTCOffset != time.Hour {
		t.Fatalf("%+v", w)
	}
	got, err := ctx.FromLocal("Europe/Berlin", incident.LocalTime{Year: 2026, Month: 3, Day: 29, Hour: 2, Minute: 30})
	if err != nil || !got.Equal(time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)) { // does not exist: the next valid minute
		t.Fatal(got, err)
	}
	got, _ = ctx.FromLocal("Europe/Berlin", incident.LocalTime{Year: 2026, Month: 10, Day: 25, Hour: 2, Minute: 30})
	if !got.Equal(time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)) { // twice: the first
		t.Fatal(got)
	}
	if back, _ := ctx.FromLocal("Europe/Berlin", l); !back.Equal(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatal(back)
	}
	if e := wantCode(t, second(ctx.ToLocal("Mars/Olympus_Mons", monday)), incident.CodeNotFound); !strings.Contains(e.Message, "Mars") {
		t.Fatal(e.Message)
	}
	wantCode(t, second(ctx.ToLocal("../etc/passwd", monday)), incident.CodeInvalid)
	wantCode(t, second(ctx.FromLocal("UTC", incident.LocalTime{Year: 2026, Month: 13, Day: 1})), incident.CodeInvalid)
	wantCode(t, second(ctx.FromLocal("UTC", incident.LocalTime{Year: 2026, Month: 1, Day: -1})), incident.CodeInvalid)

	if ctx.ZoneinfoDir() != "/usr/share/zoneinfo" {
		t.Fatal(ctx.ZoneinfoDir())
	}
	dir := t.TempDir()
	if err := ctx.SetZoneinfoDir(dir); err != nil || ctx.ZoneinfoDir() != dir {
		t.Fatal(err)
	}
	wantCode(t, second(ctx.ToLocal("Europe/Berlin", monday)), incident.CodeNotFound)
	if l, err := ctx.ToLocal("UTC", monday); err != nil || l.Hour != 12 {
		t.Fatal(l, err)
	}
	if err := ctx.SetZoneinfoDir(""); err != nil || ctx.ZoneinfoDir() != "/usr/share/zoneinfo" {
		t.Fatal(err)
	}
}

func TestRotationFields(t *testing.T) {
	ctx := plainContext(t)
	r, err := incident.NewRotation(ctx, "db")
	if err != nil {
		t.Fatal(err)
	}
	y, m, d, err := r.Start()
	h, mi, err2 := r.Handoff()
	if r.Name() != "db" || r.People() == nil || len(r.People()) != 0 || r.Zone() != "UTC" || r.Period() != 7 ||
		y != 1970 || m != time.January || d != 5 || err != nil || h != 10 || mi != 0 || err2 != nil ||
		r.Secondary() != 1 || r.Role() != incident.RoleNone {
		t.Fatal("defaults")
	}
	r.AddPerson("alice")
	r.SetPeriod(14)
	r.SetStart(2026, time.January, 5)
	r.SetHandoff(9, 30)
	r.SetSecondary(0)
	r.SetRole(incident.RoleIC)
	y, m, d, _ = r.Start()
	h, mi, _ = r.Handoff()
	if !reflect.DeepEqual(r.People(), []string{"alice"}) || r.Period() != 14 || y != 2026 || d != 5 || h != 9 || mi != 30 ||
		r.Secondary() != 0 || r.Role() != incident.RoleIC {
		t.Fatal("fields")
	}
	r.SetRole(incident.RoleNone)
	if r.Role() != incident.RoleNone {
		t.Fatal(r.Role())
	}
	wantCode(t, second(incident.NewRotation(ctx, "Bad Name")), incident.CodeInvalid)
	wantCode(t, r.AddPerson(""), incident.CodeInvalid)
	wantCode(t, r.SetZone("Mars/Olympus_Mons"), incident.CodeNotFound)
	wantCode(t, r.SetPeriod(0), incident.CodeInvalid)
	wantCode(t, r.SetPeriod(367), incident.CodeInvalid)
	wantCode(t, r.SetPeriod(-1), incident.CodeInvalid)
	wantCode(t, r.SetStart(2026, time.February, 30), incident.CodeInvalid)
	wantCode(t, r.SetStart(2026, -1, 1), incident.CodeInvalid)
	wantCode(t, r.SetHandoff(24, 0), incident.CodeInvalid)
	wantCode(t, r.SetHandoff(-1, 0), incident.CodeInvalid)
	wantCode(t, r.SetSecondary(256), incident.CodeInvalid)
	wantCode(t, r.SetSecondary(-1), incident.CodeInvalid)
	wantCode(t, r.SetRole(42), incident.CodeInvalid)
	if r.Zone() != "UTC" || r.Period() != 14 {
		t.Fatal("a failed setter changed something")
	}
}

func TestRotationWhoShiftsAndOverrides(t *testing.T) {
	ctx := plainContext(t)
	r := payments(t, ctx)
	s, err := r.Who(incident.LayerPrimary, monday)
	if err != nil || s.Person != "dave" || s.Number != 8 || s.OverrideIndex != -1 ||
		!s.Start.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) || !s.End.Equal(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("%+v %v", s, err)
	}
	if s, _ := r.Who(incident.LayerSecondary, monday); s.Person != "erin" {
		t.Fatal(s)
	}
	shifts, err := r.Shifts(incident.LayerPrimary, monday, monday.Add(14*24*time.Hour))
	var names []string
	for _, s := range shifts {
		names = append(names, s.Person)
	}
	if err != nil || !reflect.DeepEqual(names, []string{"dave", "erin", "alice"}) {
		t.Fatal(names, err)
	}
	wantCode(t, second(r.Who(incident.LayerPrimary, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))), incident.CodeNotFound)
	wantCode(t, second(r.Shifts(incident.LayerPrimary, monday, monday)), incident.CodeInvalid)

	i, err := r.AddOverride(incident.Override{Layer: incident.LayerPrimary, Start: monday, End: monday.Add(4 * time.Hour),
		Person: "frank", By: "dave", Reason: "dentist", RecordedAt: monday.Add(-24 * time.Hour)})
	if err != nil || i != 0 {
		t.Fatal(i, err)
	}
	if j, err := r.OverrideShift(incident.LayerSecondary, monday, "gina", "", "", time.Time{}); err != nil || j != 1 {
		t.Fatal(j, err)
	}
	if s, _ := r.Who(incident.LayerPrimary, monday.Add(time.Hour)); s.Person != "frank" || s.OverrideIndex != 0 {
		t.Fatalf("%+v", s)
	}
	if s, _ := r.Who(incident.LayerSecondary, monday); s.Person != "gina" {
		t.Fatalf("%+v", s)
	}
	ovs, err := r.Overrides()
	if err != nil || len(ovs) != 2 || ovs[0].Person != "frank" || ovs[0].By != "dave" || ovs[0].Reason != "dentist" ||
		!ovs[0].RecordedAt.Equal(monday.Add(-24*time.Hour)) || ovs[1].By != "" || !ovs[1].RecordedAt.IsZero() ||
		!ovs[1].Start.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("%+v %v", ovs, err)
	}
	wantCode(t, second(r.AddOverride(incident.Override{Start: monday, End: monday, Person: "frank"})), incident.CodeInvalid)
	empty, _ := incident.NewRotation(ctx, "empty")
	wantCode(t, second(empty.OverrideShift(incident.LayerPrimary, monday, "frank", "", "", time.Time{})), incident.CodeNotFound)
	wantCode(t, second(empty.Who(incident.LayerPrimary, monday)), incident.CodeNotFound)
}

func TestRotationTextFormat(t *testing.T) {
	ctx := plainContext(t)
	r := payments(t, ctx)
	r.AddOverride(incident.Override{Start: monday, End: monday.Add(time.Hour), Person: "frank", Reason: "line one\nline two"})
	text, err := r.Write()
	if err != nil {
		t.Fatal(err)
	}
	again, err := incident.ParseRotation(ctx, []byte(text))
	if err != nil || !again.Equal(r) {
		t.Fatal(err)
	}
	if t2, _ := again.Write(); t2 != text {
		t.Fatal("not written back the same")
	}
	cp, _ := r.Dup()
	cp.AddPerson("frank")
	if cp.Equal(r) || r.Equal(nil) {
		t.Fatal("a changed copy is equal")
	}
	other := plainContext(t) // a rotation of another context compares too
	if elsewhere, _ := incident.ParseRotation(other, []byte(text)); !r.Equal(elsewhere) || !elsewhere.Equal(r) {
		t.Fatal("equal rotations of two contexts differ")
	}
	_, err = incident.ParseRotation(ctx, []byte("libincident-rotation 1\nname = x\nperiod = sometimes\n"))
	if e := wantCode(t, err, incident.CodeParse); e.Line != 3 {
		t.Fatal(e.Line)
	}
	wantCode(t, second(incident.ParseRotation(ctx, []byte("libincident-rotation 2\nname = x\n"))), incident.CodeVersion)
}

func TestRotationRegistry(t *testing.T) {
	ctx := plainContext(t)
	r := payments(t, ctx)
	ics, _ := incident.NewRotation(ctx, "ics")
	ics.AddPerson("zoe")
	ics.SetRole(incident.RoleIC)
	if err := ctx.AddRotation(r); err != nil {
		t.Fatal(err)
	}
	ctx.AddRotation(ics)
	rs, err := ctx.Rotations()
	if err != nil || len(rs) != 2 || rs[0].Name() != "payments" || rs[1].Name() != "ics" {
		t.Fatal(rs, err)
	}
	if got, err := ctx.Rotation("payments"); err != nil || !got.Equal(r) {
		t.Fatal(err)
	}
	wantCode(t, second(ctx.Rotation("nope")), incident.CodeNotFound)
	people, err := ctx.ResolveTargets("rotation:payments/secondary,on-call,roster:ic,person:yan,team-lead", monday)
	if err != nil || !reflect.DeepEqual(people, []string{"erin", "dave", "zoe", "yan"}) {
		t.Fatal(people, err)
	}
	if people, _ := ctx.ResolveTargets("team-lead", monday); people != nil {
		t.Fatal(people)
	}
	ctx.SetDefaultRotation("ics")
	if people, _ := ctx.ResolveTargets("on-call", monday); !reflect.DeepEqual(people, []string{"zoe"}) {
		t.Fatal(people)
	}
	wantCode(t, ctx.SetDefaultRotation("nope"), incident.CodeNotFound)
	if err := ctx.SetDefaultRotation(""); err != nil {
		t.Fatal(err)
	}
	other, _ := incident.NewRotation(ctx, "other")
	other.SetRole(incident.RoleIC)
	wantCode(t, ctx.AddRotation(other), incident.CodeExist)
	r.AddPerson("frank")
	if got, _ := ctx.Rotation("payments"); len(got.People()) != 5 {
		t.Fatal("the registered copy changed")
	}
	ctx.AddRotation(r)
	if got, _ := ctx.Rotation("payments"); len(got.People()) != 6 {
		t.Fatal("not replaced")
	}
	if err := ctx.RemoveRotation("ics"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, ctx.RemoveRotation("ics"), incident.CodeNotFound)
	foreign := payments(t, plainContext(t))
	wantCode(t, ctx.AddRotation(foreign), incident.CodeInvalid)
	wantCode(t, ctx.AddRotation(nil), incident.CodeInvalid)
}

func TestEscalationThroughARotation(t *testing.T) {
	rubric, _ := incident.NewRubric("oncall")
	defer rubric.Close()
	level, _ := rubric.AddLevel("P1")
	if err := rubric.AddRotationEscalation(level, 5*time.Minute, "payments", 0); err != nil {
		t.Fatal(err)
	}
	steps, _ := rubric.Escalations(level)
	if len(steps) != 2 || steps[0].Target != "rotation:payments/primary" || steps[1].After != 5*time.Minute+incident.SecondaryWindow {
		t.Fatalf("%+v", steps)
	}
	wantCode(t, rubric.AddRotationEscalation(level, 0, "payments", 0), incident.CodeInvalid)
	wantCode(t, rubric.AddRotationEscalation(level, time.Minute, "payments", -time.Minute), incident.CodeInvalid)
	wantCode(t, rubric.AddRotationEscalation(9, time.Minute, "payments", 0), incident.CodeInvalid)
	clock := &fakeClock{monday}
	ctx, _ := incident.NewSession(&incident.SessionOptions{Clock: clock.read, Rubric: rubric})
	defer ctx.Close()
	ctx.AddRotation(payments(t, ctx))
	inc, _ := ctx.Declare(incident.DeclareOptions{Title: "Payments failing", Declarer: "alice", Severity: "P1"})
	clock.tick(16 * time.Minute)
	due, err := inc.DeliverDue("pager", 0)
	if err != nil {
		t.Fatal(err)
	}
	var resolved [][]string
	for _, it := range due.Items {
		if it.Kind == incident.DueEscalation {
			resolved = append(resolved, it.Resolved)
		}
	}
	if !reflect.DeepEqual(resolved, [][]string{{"dave"}, {"erin"}}) {
		t.Fatal(resolved)
	}
	if pages := inc.Pages(); len(pages) != 2 || !reflect.DeepEqual(pages[1].Resolved, []string{"erin"}) {
		t.Fatalf("%+v", pages)
	}
}

func TestRotationHealth(t *testing.T) {
	ctx := plainContext(t)
	small := payments(t, ctx, "alice", "bob")
	week4 := &incident.CheckOptions{From: monday, To: monday.Add(28 * 24 * time.Hour)}
	f, err := small.Check(nil, week4)
	if err != nil || f.CountRule("ONC-3") == 0 {
		t.Fatal(f, err)
	}
	loose := *week4
	loose.MinPeople, loose.MaxConsecutive, loose.MinGap = 2, 10, 1
	if f, _ := small.Check(nil, &loose); len(f.List) != 0 {
		t.Fatal(f.List)
	}
	clock := &fakeClock{monday}
	ictx, _ := incident.NewSession(&incident.SessionOptions{Clock: clock.read})
	defer ictx.Close()
	inc, _ := ictx.Declare(incident.DeclareOptions{Title: "Flapping alerts", Declarer: "alice", Severity: "Sev-3"})
	for i := 0; i < 4; i++ {
		seq, _ := inc.PageRequest("pager", "on-call", "")
		inc.PageSent("pager", seq, "dave")
	}
	r := payments(t, ictx)
	week := &incident.CheckOptions{From: monday, To: monday.Add(7 * 24 * time.Hour), MaxPagesWeek: 3}
	f, err = r.Check([]*incident.Incident{inc}, week)
	var onc5 []incident.Finding
	for _, x := range f.List {
		if x.RuleID == "ONC-5" {
			onc5 = append(onc5, x)
		}
	}
	if err != nil || len(onc5) != 1 || !reflect.DeepEqual(onc5[0].People, []string{"dave"}) || onc5[0].Value != 4 {
		t.Fatalf("%+v %v", onc5, err)
	}
	week.MaxPagesWeek = 4
	if f, _ := r.Check([]*incident.Incident{inc}, week); f.CountRule("ONC-5") != 0 {
		t.Fatal(f.List)
	}
	e := wantCode(t, second(r.Check(nil, &incident.CheckOptions{From: monday, To: monday.Add(-time.Hour)})), incident.CodeInvalid)
	if e.Message == "" {
		t.Fatal("no message")
	}
	wantCode(t, second(r.Check(nil, &incident.CheckOptions{MinPeople: -1})), incident.CodeInvalid)
	inc.Close()
	wantCode(t, second(r.Check([]*incident.Incident{inc}, nil)), incident.CodeInvalid)
	wantCode(t, second(r.Check([]*incident.Incident{nil}, nil)), incident.CodeInvalid)
	if _, err := r.Check(nil, nil); err != nil {
		t.Fatal(err)
	}
}

func TestRotationOwnership(t *testing.T) {
	ctx, _ := incident.NewSession(nil)
	r := payments(t, ctx)
	cp, _ := r.Dup()
	ctx.Close() // rotations are freed before their context
	wantCode(t, second(r.Who(incident.LayerPrimary, monday)), incident.CodeInvalid)
	wantCode(t, second(cp.Write()), incident.CodeInvalid)
	if r.Name() != "" || r.People() != nil || r.Period() != 0 || r.Equal(cp) {
		t.Fatal("a closed rotation has fields")
	}
	r.Close()
	r.Close()
	wantCode(t, second(incident.NewRotation(ctx, "late")), incident.CodeInvalid)
}

func TestONC7ICal(t *testing.T) {
	ctx := plainContext(t)
	r := payments(t, ctx)
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	doc, err := r.ICal(from, to, "")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := r.Shifts(incident.LayerPrimary, from, to)
	s, _ := r.Shifts(incident.LayerSecondary, from, to)
	if !strings.HasPrefix(doc, "BEGIN:VCALENDAR\r\n") || strings.Count(doc, "BEGIN:VEVENT") != len(p)+len(s) {
		t.Fatalf("%d events, %d shifts", strings.Count(doc, "BEGIN:VEVENT"), len(p)+len(s))
	}
	other, _ := incident.NewRotation(ctx, "search")
	other.AddPerson("alice")
	other.SetStart(2026, time.January, 5)
	other.SetSecondary(0)
	mine, err := r.ICal(from, to, "alice", other)
	if err != nil || !strings.Contains(mine, "(search primary)") || strings.Contains(mine, "bob") {
		t.Fatal(mine, err)
	}
	if _, err := r.ICal(to, from, ""); err == nil {
		t.Fatal("an empty range")
	}
}

func TestONC6Layers(t *testing.T) {
	ctx := plainContext(t)
	r, _ := incident.NewRotation(ctx, "support")
	r.SetStart(2026, time.January, 5)
	r.SetSecondary(0)
	eu, err := r.AddLayer("europe", "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	r.AddLayerWindow(eu, incident.WeekdaysAll, 8*60, 20*60)
	r.AddLayerPerson(eu, "eva")
	us, _ := r.AddLayer("americas", "America/Los_Angeles")
	r.AddLayerWindow(us, incident.WeekdaysAll, 11*60, 23*60)
	r.AddLayerPerson(us, "sam")
	if l := r.Layers(); len(l) != 2 || l[1] != "americas" {
		t.Fatal(l)
	}
	if s, err := r.Who(incident.LayerPrimary, time.Date(2026, 1, 14, 22, 0, 0, 0, time.UTC)); err != nil || s.Person != "sam" {
		t.Fatal(s, err)
	}
	wantCode(t, errOf(r.Who(incident.LayerPrimary, time.Date(2026, 3, 10, 6, 30, 0, 0, time.UTC))), incident.CodeNotFound)
	wantCode(t, r.SetLayerDates(eu, "2026-06-01", "2026-05-01"), incident.CodeInvalid)
	noon := time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC)
	_, err = r.AddSwap(incident.LayerPrimary, noon, noon.Add(time.Hour), "eva", "", time.Time{})
	wantCode(t, err, incident.CodeInvalid)
	i, err := r.AddSwap(incident.LayerPrimary, noon, noon.Add(time.Hour), "eva", "emil", time.Time{})
	if err != nil || !r.IsSwap(i) {
		t.Fatal(err)
	}
	if s, _ := r.Who(incident.LayerPrimary, noon.Add(30*time.Minute)); s.Person != "emil" {
		t.Fatal(s)
	}
}

func errOf(_ incident.Shift, err error) error { return err }
