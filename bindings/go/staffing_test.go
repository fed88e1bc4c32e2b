package incident_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

func TestAssignAndRelease(t *testing.T) {
	_, inc, clock := newIncident(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(inc.AssignRole("alice", "bob", incident.RoleScribe, ""))
	must(inc.AssignRole("alice", "carol", incident.RoleSME, "database"))
	must(inc.AssignRole("alice", "erin", incident.RoleSME, "network"))
	if got := inc.PersonRoles("bob"); !reflect.DeepEqual(got, []incident.Role{incident.RoleScribe}) {
		t.Fatal(got)
	}
	smes := inc.RoleHolders(incident.RoleSME)
	if len(smes) != 2 || smes[0].Person != "carol" || smes[0].Domain != "database" || smes[0].AssignedBy != "alice" ||
		!smes[0].AssignedAt.Equal(t0) || !smes[0].ReleasedAt.IsZero() {
		t.Fatalf("%+v", smes)
	}
	if ic := inc.RoleHolders(incident.RoleIC); len(ic) != 1 || ic[0].Person != "alice" {
		t.Fatal(ic)
	}
	if !inc.ScribeAssignedAt().Equal(t0) {
		t.Fatal("scribe assigned at")
	}
	clock.tick(2 * time.Minute)
	must(inc.ReleaseRole("carol", "carol", incident.RoleSME, "database"))
	must(inc.ReleaseRole("alice", "bob", incident.RoleScribe, ""))
	if len(inc.PersonRoles("bob")) != 0 || len(inc.PersonRolesAt("bob", t0)) != 1 {
		t.Fatal("roles at")
	}
	for _, a := range inc.Assignments() {
		if a.Person == "bob" && (!a.ReleasedAt.Equal(t0.Add(2*time.Minute)) || a.ReleasedSeq <= a.Seq) {
			t.Fatalf("%+v", a)
		}
	}

	e := wantCode(t, inc.AssignRole("bob", "carol", incident.RoleScribe, ""), incident.CodePermission)
	if !strings.Contains(e.Message, "alice") {
		t.Fatal(e.Message)
	}
	wantCode(t, inc.AssignRole("alice", "bob", incident.RoleIC, ""), incident.CodeInvalid)
	wantCode(t, inc.AssignRole("alice", "bob", incident.RoleSME, ""), incident.CodeInvalid)
	must(inc.AssignRole("alice", "bob", incident.RoleScribe, ""))
	wantCode(t, inc.AssignRole("alice", "carol", incident.RoleScribe, ""), incident.CodeExist)
	wantCode(t, inc.ReleaseRole("alice", "carol", incident.RoleScribe, ""), incident.CodeNotFound)
	wantCode(t, inc.ReleaseRole("carol", "bob", incident.RoleScribe, ""), incident.CodePermission)
}

func TestHandoff(t *testing.T) {
	_, inc, clock := newIncident(t)
	clock.tick(5 * time.Minute)
	b := incident.Briefing{Conditions: "CPU at 95%", Actions: "rolling back", Needs: "none"}
	if err := inc.Handoff("alice", "dave", b); err != nil {
		t.Fatal(err)
	}
	if inc.HandoffTo() != "dave" || !inc.HandoffSince().Equal(t0.Add(5*time.Minute)) || inc.HandoffSeq() != 2 || inc.IC() != "alice" {
		t.Fatal("pending hand-off")
	}
	if d, _ := inc.Describe(int(inc.HandoffSeq()) - 1); !strings.Contains(d, "rolling back") {
		t.Fatal(d)
	}
	wantCode(t, inc.Handoff("alice", "erin", b), incident.CodeState)
	wantCode(t, inc.ConfirmHandoff("erin"), incident.CodePermission)
	clock.tick(time.Minute)
	if err := inc.ConfirmHandoff("dave"); err != nil {
		t.Fatal(err)
	}
	if inc.IC() != "dave" || inc.HandoffTo() != "" || inc.HandoffSeq() != 0 || !inc.HandoffSince().IsZero() {
		t.Fatal("after confirm")
	}
	if inc.ICAt(t0.Add(5*time.Minute)) != "alice" || inc.ICAt(t0.Add(6*time.Minute)) != "dave" || inc.ICAt(t0.Add(-time.Minute)) != "" {
		t.Fatal("ICAt")
	}
	wantCode(t, inc.SetSeverity("alice", "Sev-1", "no longer IC"), incident.CodePermission)
	if err := inc.Handoff("dave", "erin", incident.Briefing{Conditions: "stable", Needs: "none"}); err != nil {
		t.Fatal(err)
	}
	if err := inc.CancelHandoff("erin", "paged elsewhere"); err != nil {
		t.Fatal(err)
	}
	evs, _ := inc.Events()
	if evs[len(evs)-1].Kind != incident.EventHandoffCancelled || evs[len(evs)-1].KindName != "handoff_cancelled" {
		t.Fatal(evs[len(evs)-1])
	}
	wantCode(t, inc.CancelHandoff("dave", ""), incident.CodeState)
	wantCode(t, inc.ConfirmHandoff("erin"), incident.CodeState)
	wantCode(t, inc.Handoff("dave", "dave", b), incident.CodeInvalid)
	wantCode(t, inc.Handoff("dave", "erin", incident.Briefing{Conditions: "x"}), incident.CodeInvalid)
	wantCode(t, inc.Handoff("dave", "erin", incident.Briefing{Needs: "none"}), incident.CodeInvalid)
}

func TestRolesCheckAndStrictPolicy(t *testing.T) {
	ctx, inc, clock := newIncident(t)
	if !inc.ScribeDue().Equal(t0.Add(5*time.Minute)) || !inc.ScribeAssignedAt().IsZero() {
		t.Fatal("scribe due")
	}
	clock.tick(8 * time.Minute)
	f, err := inc.RolesCheck()
	if err != nil {
		t.Fatal(err)
	}
	late := 0
	for _, x := range f.List {
		if x.RuleID == "ROLE-12" {
			late++
			if x.Value != int64(3*time.Minute/time.Millisecond) {
				t.Fatalf("late by %d ms", x.Value)
			}
		}
	}
	if late != 1 || f.CountRule("ROLE-12") != 1 || f.CountRule("ROLE-10") == 0 {
		t.Fatal(f.Text)
	}
	if strings.Count(f.Text, "\n") != len(f.List) {
		t.Fatalf("text %q", f.Text)
	}

	if err := inc.AssignRole("alice", "alice", incident.RoleScribe, ""); err != nil { // advisory
		t.Fatal(err)
	}
	f, _ = inc.RolesCheck()
	var combo *incident.Finding
	for i := range f.List {
		if f.List[i].Enforced {
			combo = &f.List[i]
		}
	}
	if combo == nil || !reflect.DeepEqual(combo.People, []string{"alice"}) || combo.Level != "Sev-2" ||
		combo.LevelIndex != 2 || len(combo.Roles) != 2 || combo.Slot != -1 || combo.RoleMask == 0 {
		t.Fatalf("%+v", combo)
	}
	if err := inc.ReleaseRole("alice", "alice", incident.RoleScribe, ""); err != nil {
		t.Fatal(err)
	}
	ctx.SetPolicy(incident.PolicyStrict)
	err = inc.AssignRole("alice", "alice", incident.RoleScribe, "")
	if !errors.Is(err, incident.ErrRole) {
		t.Fatal(err)
	}
	if got := inc.PersonRoles("alice"); !reflect.DeepEqual(got, []incident.Role{incident.RoleIC}) {
		t.Fatal(got)
	}
}
