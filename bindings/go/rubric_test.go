package incident_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

func TestPresets(t *testing.T) {
	r, err := incident.PresetRubric(incident.PresetDefault)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Name() != "default" || !reflect.DeepEqual(r.LevelNames(), []string{"Sev-0", "Sev-1", "Sev-2", "Sev-3", "Sev-4"}) {
		t.Fatal(r.Name(), r.LevelNames())
	}
	if i, err := r.LevelIndex("Sev-2"); err != nil || i != 2 || r.Duration(i, incident.DurAck) != 5*time.Minute {
		t.Fatal("Sev-2 ack")
	}
	if r.Duration(4, incident.DurAck) != incident.DurationNone || !r.Flag(0, incident.FlagExecPosture) {
		t.Fatal("Sev-4 / Sev-0")
	}
	if _, err := r.LevelIndex("Sev-9"); !errors.Is(err, incident.ErrNotFound) {
		t.Fatal(err)
	}
	if r.LevelName(9) != "" || r.LevelName(-1) != "" {
		t.Fatal("LevelName out of range")
	}
	seed, _ := incident.PresetRubric(incident.PresetSeed002)
	defer seed.Close()
	if seed.LevelCount() != 4 || seed.LevelName(0) != "SEV1" {
		t.Fatal("seed002")
	}
	if _, err := incident.PresetRubric(7); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal(err)
	}
}

func TestRubricTextFormat(t *testing.T) {
	r, _ := incident.PresetRubric(incident.PresetDefault)
	defer r.Close()
	text, err := r.Write()
	if err != nil {
		t.Fatal(err)
	}
	again, err := incident.ParseRubric([]byte(text))
	if err != nil || !again.Equal(r) {
		t.Fatal("round trip", err)
	}
	file, _ := os.ReadFile(filepath.Join("..", "..", "examples", "rubrics", "seed002.rubric"))
	parsed, err := incident.ParseRubric(file)
	seed, _ := incident.PresetRubric(incident.PresetSeed002)
	if err != nil || !parsed.Equal(seed) {
		t.Fatal("seed002.rubric", err)
	}
	_, err = incident.ParseRubric([]byte("libincident-rubric 1\nname = x\nlevel = A\n  what is this\n"))
	var e *incident.Error
	if !errors.As(err, &e) || e.Code != incident.CodeParse || e.Line != 4 || e.Message == "" {
		t.Fatalf("%#v", err)
	}
	_, err = incident.ParseRubric([]byte("libincident-rubric 1\nname = x\nlevel = A\n  ack = 1h\nlevel = B\n  ack = 5m\n"))
	if !errors.As(err, &e) || e.Code != incident.CodeInvalid || !strings.Contains(e.Message, "ack") {
		t.Fatalf("RUB-3: %v", err)
	}
}

func TestBuildingARubric(t *testing.T) {
	r, err := incident.NewRubric("house")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	a, _ := r.AddLevel("P1")
	b, _ := r.AddLevel("P2")
	if a != 0 || b != 1 || r.Text(a, incident.TextTrigger) != "" || r.Combo(a, incident.RoleIC, incident.RoleScribe) != incident.ComboAllowed {
		t.Fatal("defaults")
	}
	if _, err := r.AddLevel("P1"); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("duplicate level")
	}
	if _, err := incident.NewRubric(""); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("empty name")
	}

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(r.SetText(a, incident.TextTrigger, "everything is down"))
	must(r.SetDuration(a, incident.DurAck, 5*time.Minute))
	must(r.SetDuration(b, incident.DurAck, time.Hour))
	must(r.Validate())
	must(r.SetFlag(a, incident.FlagBridge, true))
	must(r.SetRequiredComm(a, incident.CommStatusPage, 0))
	must(r.SetRequiredComm(a, incident.CommExecNotify, incident.DurationNextCadence))
	must(r.SetCombo(a, incident.RoleIC, incident.RoleScribe, incident.ComboNever))
	must(r.SetStaffing(a, []incident.Role{incident.RoleIC, incident.RoleSME}, 2))
	must(r.AddEscalation(a, 30*time.Minute, incident.EscUnresolved, "team-lead"))
	must(r.AddEscalation(a, 10*time.Minute, incident.EscUnacknowledged, "on-call,backup"))
	must(r.SetRepeat(a, 2))

	if r.Text(a, incident.TextTrigger) != "everything is down" || !r.Flag(a, incident.FlagBridge) ||
		r.RequiredComm(a, incident.CommStatusPage) != 0 ||
		r.RequiredComm(a, incident.CommExecNotify) != incident.DurationNextCadence ||
		r.RequiredComm(a, incident.CommCustomerEmail) != incident.DurationNone ||
		r.Combo(a, incident.RoleScribe, incident.RoleIC) != incident.ComboNever || r.Repeat(a) != 2 {
		t.Fatal("read back")
	}
	roles, people, err := r.Staffing(a)
	if err != nil || !reflect.DeepEqual(roles, []incident.Role{incident.RoleIC, incident.RoleSME}) || people != 2 {
		t.Fatal("staffing", roles, people, err)
	}
	steps, _ := r.Escalations(a)
	want := []incident.Escalation{{10 * time.Minute, incident.EscUnacknowledged, "on-call,backup"},
		{30 * time.Minute, incident.EscUnresolved, "team-lead"}}
	if !reflect.DeepEqual(steps, want) {
		t.Fatal(steps)
	}

	// Errors.
	if err := r.SetDuration(a, incident.DurAck, 0); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("zero duration")
	}
	if err := r.SetText(a, incident.TextTrigger, strings.Repeat("x", 5000)); !errors.Is(err, incident.ErrTooBig) {
		t.Fatal("long text")
	}
	if err := r.SetCombo(a, incident.RoleIC, incident.RoleIC, incident.ComboNever); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("self combo")
	}
	if err := r.SetStaffing(a, []incident.Role{42}, 1); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("bad role")
	}
	if err := r.AddEscalation(a, 0, incident.EscUnresolved, "x"); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("zero escalation")
	}
	if err := r.SetDuration(-1, incident.DurAck, time.Minute); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("negative level")
	}
	if err := r.SetDuration(7, incident.DurAck, time.Minute); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("level out of range")
	}
	must(r.SetDuration(a, incident.DurAck, 2*time.Hour))
	if err := r.Validate(); !errors.Is(err, incident.ErrInvalid) || !strings.Contains(err.Error(), "P1") {
		t.Fatal("RUB-3", err)
	}

	dup, _ := r.Dup()
	if !dup.Equal(r) {
		t.Fatal("dup")
	}
	dup.SetText(a, incident.TextPosture, "changed")
	if dup.Equal(r) {
		t.Fatal("dup shares state")
	}
	dup.Close()
	if dup.Equal(r) || dup.Name() != "" {
		t.Fatal("closed rubric")
	}
	if _, err := dup.Write(); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal("closed Write")
	}
}

func TestNames(t *testing.T) {
	if incident.RoleIC.String() != "ic" || incident.RoleIC.Title() != "Incident Commander" ||
		incident.ComboReportLong.String() != "report-long" || incident.DurCadenceExternal.String() != "cadence.external" ||
		incident.EventNote.String() != "note" || incident.StateClosed.String() != "closed" {
		t.Fatal("names")
	}
	if r, err := incident.ParseRole("SCRIBE"); err != nil || r != incident.RoleScribe {
		t.Fatal("ParseRole")
	}
	if _, err := incident.ParseRole("janitor"); !errors.Is(err, incident.ErrNotFound) {
		t.Fatal("ParseRole unknown")
	}
	if incident.Role(42).String() != "role?" {
		t.Fatal("bad role name")
	}
}
