package incident_test

import (
	"errors"
	"testing"

	incident "libincident.dev/incident"
)

const fieldsRubric = `libincident-rubric 1
name = team
field = tickets number
field = region one-of eu,us,apac required-to-close
level = SEV1
level = SEV2
`

// RUB-6 through the binding: custom fields set by the IC, checked, read back.
func TestRUB6CustomFields(t *testing.T) {
	ctx, _, _ := newIncident(t)
	r, err := incident.ParseRubric([]byte(fieldsRubric))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := ctx.SetRubric(r); err != nil {
		t.Fatal(err)
	}
	inc, err := ctx.Declare(incident.DeclareOptions{Title: "Checkout errors", Declarer: "alice", Severity: "SEV2"})
	if err != nil {
		t.Fatal(err)
	}
	if inc.Field("region") != "" {
		t.Fatal("unset field")
	}
	if err := inc.SetField("alice", "region", "eu"); err != nil {
		t.Fatal(err)
	}
	if err := inc.SetField("alice", "tickets", "12"); err != nil {
		t.Fatal(err)
	}
	if inc.Field("region") != "eu" || inc.Field("tickets") != "12" {
		t.Fatal("values", inc.Field("region"), inc.Field("tickets"))
	}
	if err := inc.SetField("alice", "region", "mars"); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("not in the list:", err)
	}
	if err := inc.SetField("alice", "tickets", "many"); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("wrong type:", err)
	}
	if err := inc.SetField("alice", "nope", "x"); !errors.Is(err, incident.ErrNotFound) {
		t.Fatal("unknown field:", err)
	}
	if err := inc.SetField("bob", "region", "us"); !errors.Is(err, incident.ErrPermission) {
		t.Fatal("not the IC:", err)
	}
	if incident.EventFieldSet != 32 {
		t.Fatal("kind")
	}
}
