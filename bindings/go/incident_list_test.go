package incident_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

const listRubric = `libincident-rubric 1
name = team
field = region one-of eu,us,apac required-to-close
field = owner person required-from SEV2
level = SEV1
level = SEV2
level = SEV3
`

// Four incidents: 0 SEV1 with a Scribe, region=eu, handed off to carol;
// 1 a SEV3 drill; 2 SEV2 resolved then reopened (LIFE-4); 3 SEV2, a
// duplicate of 0 (LIFE-5).
func listStore(t *testing.T) (*incident.Session, *incident.Rubric, []string) {
	t.Helper()
	clock := &fakeClock{t0}
	ctx, err := incident.NewSession(&incident.SessionOptions{Clock: clock.read})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ctx.Close() })
	r, err := incident.ParseRubric([]byte(listRubric))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if err := ctx.SetRubric(r); err != nil {
		t.Fatal(err)
	}
	var ids []string
	declare := func(title, sev, slug string, drill bool) *incident.Incident {
		clock.now = t0.Add(time.Duration(len(ids)) * time.Hour)
		inc, err := ctx.Declare(incident.DeclareOptions{Title: title, Declarer: "alice", Severity: sev,
			Drill: drill, Slug: slug})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, inc.ID())
		return inc
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	a := declare("Checkout errors in EU", "SEV1", "a", false)
	must(a.AssignRole("alice", "bob", incident.RoleScribe, ""))
	must(a.SetField("alice", "region", "eu"))
	must(a.Handoff("alice", "carol", incident.Briefing{Conditions: "errors at 5%", Needs: "none"}))
	must(a.ConfirmHandoff("carol"))
	declare("DNS failover drill", "SEV3", "b", true)
	c := declare("Login slow", "SEV2", "c", false)
	for _, s := range []incident.State{incident.StateInvestigating, incident.StateMitigating, incident.StateMonitoring} {
		must(c.SetState("alice", s, ""))
	}
	must(c.SetState("alice", incident.StateResolved, "verified by hand"))
	must(c.Reopen("alice", incident.StateMitigating, "errors came back"))
	d := declare("Checkout errors again", "SEV2", "d", false)
	must(d.AddLink("alice", incident.LinkDuplicateOf, ids[0], "same outage"))
	return ctx, r, ids
}

func found(t *testing.T, ctx *incident.Session, ids []string, q incident.IncidentQuery) string {
	t.Helper()
	l, err := ctx.FindIncidents(q)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range l.Entries {
		for k, id := range ids {
			if id == e.ID {
				got = append(got, strconv.Itoa(k))
			}
		}
	}
	return strings.Join(got, ",")
}

// Finding incidents (issue 21): each filter, a custom field (RUB-6), the
// reopened (LIFE-4) and the duplicate (LIFE-5), sorts, limit, refusals.
func TestRUB6LIFE4LIFE5FindIncidents(t *testing.T) {
	ctx, _, ids := listStore(t)
	scribe, ic, deputy := incident.RoleScribe, incident.RoleIC, incident.RoleDeputy
	cases := []struct {
		q    incident.IncidentQuery
		want string
	}{
		{incident.IncidentQuery{}, "0,1,2,3"},
		{incident.IncidentQuery{States: []incident.State{incident.StateClosed}}, "3"},
		{incident.IncidentQuery{States: []incident.State{incident.StateMitigating}}, "2"},
		{incident.IncidentQuery{Level: "sev2"}, "2,3"},
		{incident.IncidentQuery{Drills: incident.DrillsOnly}, "1"},
		{incident.IncidentQuery{Drills: incident.DrillsExcluded}, "0,2,3"},
		{incident.IncidentQuery{Since: t0.Add(time.Hour), Until: t0.Add(3 * time.Hour)}, "1,2"},
		{incident.IncidentQuery{Holder: "carol", Role: &ic}, "0"},
		{incident.IncidentQuery{Holder: "bob", Role: &scribe}, "0"},
		{incident.IncidentQuery{Holder: "bob", Role: &deputy}, ""},
		{incident.IncidentQuery{Holder: "bob"}, "0"},
		{incident.IncidentQuery{Field: "region", Value: "eu"}, "0"},
		{incident.IncidentQuery{Title: "CHECKOUT"}, "0,3"},
		{incident.IncidentQuery{Sort: incident.SortLevel}, "0,2,3,1"},
		{incident.IncidentQuery{Sort: incident.SortDeclared, Reverse: true}, "3,2,1,0"},
		{incident.IncidentQuery{Sort: incident.SortTitle}, "3,0,1,2"},
		{incident.IncidentQuery{Reverse: true, Limit: 2}, "3,2"},
	}
	for _, c := range cases {
		if got := found(t, ctx, ids, c.q); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.q, got, c.want)
		}
	}
	l, err := ctx.FindIncidents(incident.IncidentQuery{})
	if err != nil {
		t.Fatal(err)
	}
	e := l.Entries
	if l.Total != 4 || e[0].IC != "carol" || e[0].Declarer != "alice" || e[0].Level != 0 ||
		!e[0].DeclaredAt.Equal(t0) || !e[1].Drill || e[2].ReopenCount != 1 || !e[2].ResolvedAt.IsZero() ||
		e[3].DuplicateOf != ids[0] || e[3].State != incident.StateClosed || len(l.Unreadable) != 0 {
		t.Fatalf("entries: %+v", l)
	}
	if s, err := incident.ParseIncidentSort("level"); err != nil || s != incident.SortLevel || s.String() != "level" {
		t.Fatal("sort names", s, err)
	}
	if _, err := incident.ParseIncidentSort("severity"); !errors.Is(err, incident.ErrNotFound) {
		t.Fatal("unknown sort:", err)
	}
	refusals := []struct {
		q    incident.IncidentQuery
		want error
	}{
		{incident.IncidentQuery{Since: t0, Until: t0.Add(-time.Second)}, incident.ErrInvalid},
		{incident.IncidentQuery{Field: "severity_class", Value: "x"}, incident.ErrNotFound},
		{incident.IncidentQuery{Field: "region"}, incident.ErrInvalid},
		{incident.IncidentQuery{Level: "SEV9"}, incident.ErrNotFound},
		{incident.IncidentQuery{Title: strings.Repeat("x", 300)}, incident.ErrTooBig},
		{incident.IncidentQuery{Role: &scribe}, incident.ErrInvalid},
		{incident.IncidentQuery{Sort: 9}, incident.ErrInvalid},
		{incident.IncidentQuery{Limit: -1}, incident.ErrInvalid},
	}
	for _, r := range refusals {
		if _, err := ctx.FindIncidents(r.q); !errors.Is(err, r.want) {
			t.Errorf("%+v: got %v, want %v", r.q, err, r.want)
		}
	}
}

// RUB-6: the custom fields a rubric declares.
func TestRUB6RubricFields(t *testing.T) {
	_, r, _ := listStore(t)
	f := r.Fields()
	if len(f) != 2 || f[0].Name != "region" || f[0].Type != incident.FieldOneOf ||
		strings.Join(f[0].Values, "|") != "eu|us|apac" || f[0].Required != incident.FieldRequiredToClose ||
		f[1].Type != incident.FieldPerson || f[1].Type.String() != "person" || f[1].Values != nil ||
		f[1].Required != incident.FieldRequiredFromLevel || f[1].Level != "SEV2" {
		t.Fatalf("fields: %+v", f)
	}
	if incident.FieldOptional != 0 || incident.FieldText.String() != "text" {
		t.Fatal("enums")
	}
}

// An incident that cannot be read fails the query, or is named and passed
// with SkipUnreadable (the store read-only, as `incident list` opens it).
func TestFindIncidentsSkipUnreadable(t *testing.T) {
	dir := t.TempDir()
	open := func(ro bool) (*incident.Store, *incident.Session) {
		s, err := incident.OpenJournal(dir, &incident.JournalOptions{ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		ctx, err := incident.NewSession(&incident.SessionOptions{Store: s})
		if err != nil {
			t.Fatal(err)
		}
		return s, ctx
	}
	s, ctx := open(false)
	var ids []string
	for _, slug := range []string{"ok", "bad"} {
		inc, err := ctx.Declare(incident.DeclareOptions{Title: slug, Declarer: "alice", Severity: "Sev-2", Slug: slug})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, inc.ID())
	}
	ctx.Close()
	s.Close()
	junk := []byte("this is not a journal file, not at all, not even a torn one........")
	if err := os.WriteFile(filepath.Join(dir, ids[1]+".jnl"), junk, 0o600); err != nil {
		t.Fatal(err)
	}
	s, ctx = open(true)
	defer s.Close()
	defer ctx.Close()
	if _, err := ctx.FindIncidents(incident.IncidentQuery{}); err == nil {
		t.Fatal("an unreadable incident passed")
	}
	l, err := ctx.FindIncidents(incident.IncidentQuery{SkipUnreadable: true})
	if err != nil || len(l.Entries) != 1 || l.Entries[0].ID != ids[0] || len(l.Unreadable) != 1 || l.Unreadable[0] != ids[1] {
		t.Fatalf("%+v %v", l, err)
	}
}
