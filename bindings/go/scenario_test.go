package incident_test

// The shared scenario (examples/scenario/README.md): run scenario.txt
// through the binding on several stores and compare with the C program.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

var scriptPath = filepath.Join("..", "..", "examples", "scenario", "scenario.txt")

type step struct {
	line   int
	offset time.Duration
	action string
	args   []string
	expect incident.Code
}

func statusCode(name string) (incident.Code, error) {
	for c := incident.Code(0); c >= -64; c-- {
		if c.String() == name {
			return c, nil
		}
	}
	return 0, fmt.Errorf("unknown status %q", name)
}

func parseOffset(s string) (time.Duration, error) {
	m, sec, ok := strings.Cut(strings.TrimPrefix(s, "+"), ":")
	if !strings.HasPrefix(s, "+") || !ok || len(sec) != 2 {
		return 0, fmt.Errorf("expected +MM:SS, got %q", s)
	}
	mi, err1 := strconv.ParseUint(m, 10, 32)
	si, err2 := strconv.ParseUint(sec, 10, 8)
	if err1 != nil || err2 != nil || si > 59 {
		return 0, fmt.Errorf("expected +MM:SS, got %q", s)
	}
	return time.Duration(mi)*time.Minute + time.Duration(si)*time.Second, nil
}

func parseScript(path string) (time.Time, []step, error) {
	f, err := os.Open(path)
	if err != nil {
		return time.Time{}, nil, err
	}
	defer f.Close()
	var start time.Time
	var steps []step
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := strings.Trim(sc.Text(), " \t\r")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "|")
		for i := range fields {
			fields[i] = strings.Trim(fields[i], " \t")
		}
		expect := incident.OK
		if last := fields[len(fields)-1]; len(fields) > 2 && strings.HasPrefix(last, "=>") {
			if expect, err = statusCode(strings.TrimSpace(last[2:])); err != nil {
				return start, nil, fmt.Errorf("line %d: %v", n, err)
			}
			fields = fields[:len(fields)-1]
		}
		if start.IsZero() {
			if len(fields) != 2 || fields[0] != "start" {
				return start, nil, fmt.Errorf("line %d: expected 'start | TIME'", n)
			}
			if start, err = incident.ParseTime(fields[1]); err != nil {
				return start, nil, err
			}
			continue
		}
		off, err := parseOffset(fields[0])
		if err != nil || len(fields) < 2 {
			return start, nil, fmt.Errorf("line %d: %v", n, err)
		}
		steps = append(steps, step{n, off, fields[1], fields[2:], expect})
	}
	return start, steps, sc.Err()
}

var arity = map[string]int{"declare": 4, "note": 2, "severity": 3, "state": 3, "correct": 3,
	"assign": 4, "release": 4, "handoff": 5, "confirm": 1, "cancel": 2,
	"can": 6, "decide": 4, "update": 4}

// opt: "-" stands for "none" in the script.
func opt(field string) string {
	if field == "-" {
		return ""
	}
	return field
}

func applyStep(ctx *incident.Session, inc **incident.Incident, s step) error {
	a := s.args
	if arity[s.action] != len(a) {
		return fmt.Errorf("line %d: bad step %s %q", s.line, s.action, a)
	}
	if s.action == "declare" {
		crit, err := strconv.ParseUint(a[2], 10, 32)
		if err != nil {
			return err
		}
		i, err := ctx.Declare(incident.DeclareOptions{Title: a[3], Declarer: a[0], Severity: a[1],
			Criteria: incident.Criteria(crit)})
		if err == nil {
			*inc = i
		}
		return err
	}
	if *inc == nil {
		return fmt.Errorf("line %d: %s before declare", s.line, s.action)
	}
	switch s.action {
	case "note":
		return (*inc).Note(a[0], a[1])
	case "severity":
		return (*inc).SetSeverity(a[0], a[1], a[2])
	case "state":
		st, err := incident.ParseState(a[1])
		if err != nil {
			return err
		}
		return (*inc).SetState(a[0], st, opt(a[2]))
	case "assign", "release":
		role, err := incident.ParseRole(a[2])
		if err != nil {
			return err
		}
		if s.action == "assign" {
			return (*inc).AssignRole(a[0], a[1], role, opt(a[3]))
		}
		return (*inc).ReleaseRole(a[0], a[1], role, opt(a[3]))
	case "handoff":
		return (*inc).Handoff(a[0], a[1], incident.Briefing{Conditions: opt(a[2]), Actions: opt(a[3]), Needs: a[4]})
	case "confirm":
		return (*inc).ConfirmHandoff(a[0])
	case "cancel":
		return (*inc).CancelHandoff(a[0], opt(a[1]))
	case "can":
		kind, err := incident.ParseCANKind(a[1])
		if err != nil {
			return err
		}
		_, _, err = (*inc).ReportCAN(a[0], incident.CANReport{Kind: kind, Addressee: opt(a[2]),
			Conditions: opt(a[3]), Actions: opt(a[4]), Needs: opt(a[5])})
		return err
	case "decide":
		id, err := strconv.ParseUint(a[1], 10, 64)
		if err != nil || (a[2] != "approve" && a[2] != "deny") {
			return fmt.Errorf("line %d: expected an id and 'approve' or 'deny'", s.line)
		}
		return (*inc).Decide(a[0], id, a[2] == "approve", opt(a[3]))
	case "update":
		aud, err := incident.ParseAudience(a[1])
		if err != nil {
			return err
		}
		_, _, err = (*inc).StatusUpdate(a[0], incident.Update{Audience: aud, Body: a[2], Components: opt(a[3])})
		return err
	default: // correct
		seq, err := strconv.ParseUint(a[1], 10, 64)
		if err != nil {
			return err
		}
		return (*inc).Correct(a[0], seq, a[2])
	}
}

// runScenario runs the script on store (nil: the context's own memory
// store) and returns the open context and incident.
func runScenario(t *testing.T, store *incident.Store) (*incident.Session, *incident.Incident) {
	t.Helper()
	start, steps, err := parseScript(scriptPath)
	if err != nil {
		t.Fatal(err)
	}
	now := start
	ctx, err := incident.NewSession(&incident.SessionOptions{Clock: func() time.Time { return now }, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ctx.Close() })
	var inc *incident.Incident
	for _, s := range steps {
		now = start.Add(s.offset)
		got := incident.OK
		if err := applyStep(ctx, &inc, s); err != nil {
			var e *incident.Error
			if !errors.As(err, &e) {
				t.Fatal(err)
			}
			got = e.Code
		}
		if got != s.expect {
			t.Fatalf("line %d: %s ended with %v, the script expects %v", s.line, s.action, got, s.expect)
		}
	}
	return ctx, inc
}

func scenarioBinary() string {
	if p := os.Getenv("INC_SCENARIO_BIN"); p != "" {
		return p
	}
	dirs := []string{filepath.Join("..", "..", "build")}
	if d := os.Getenv("INC_BUILD_DIR"); d != "" {
		dirs = append([]string{d}, dirs...)
	}
	for _, d := range dirs {
		p := filepath.Join(d, "examples", "scenario", "scenario")
		if st, err := os.Stat(p); err == nil && st.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

func cOutput(t *testing.T, args ...string) []byte {
	t.Helper()
	bin := scenarioBinary()
	if bin == "" {
		t.Skip("examples/scenario is not built (configure with -DINC_BUILD_EXAMPLES=ON)")
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, append(args, scriptPath)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v: %s", bin, err, stderr.String())
	}
	return out
}

func TestScenarioExportMatchesC(t *testing.T) {
	_, inc := runScenario(t, nil)
	doc, err := inc.ExportJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := cOutput(t)
	if got := append(doc, '\n'); !bytes.Equal(got, want) {
		t.Fatalf("export differs from the C program's:\n got %d bytes\nwant %d bytes", len(got), len(want))
	}
}

func TestScenarioTimelineMatchesC(t *testing.T) {
	_, inc := runScenario(t, nil)
	text, err := inc.Timeline()
	if err != nil {
		t.Fatal(err)
	}
	if want := string(cOutput(t, "--timeline")); text != want {
		t.Fatalf("timeline differs:\n got %q\nwant %q", text, want)
	}
}

type scenarioResult struct {
	events []incident.Event
	doc    []byte
}

func resultOf(t *testing.T, inc *incident.Incident) scenarioResult {
	t.Helper()
	events, err := inc.Events()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := inc.ExportJSON()
	if err != nil {
		t.Fatal(err)
	}
	return scenarioResult{events, doc}
}

func TestScenarioAcrossStores(t *testing.T) {
	results := map[string]scenarioResult{}

	mem, _ := incident.NewMemoryStore()
	defer mem.Close()
	_, inc := runScenario(t, mem)
	results["memory"] = resultOf(t, inc)

	journal, err := incident.OpenJournal(filepath.Join(t.TempDir(), "journal"), &incident.JournalOptions{Sync: incident.SyncNone})
	if err != nil {
		t.Fatal(err)
	}
	defer journal.Close()
	_, inc = runScenario(t, journal)
	results["journal"] = resultOf(t, inc)
	if err := journal.JournalVerify(inc.ID()); err != nil {
		t.Fatal(err)
	}
	reader, _ := incident.NewSession(&incident.SessionOptions{Store: journal})
	again, err := reader.Open(inc.ID())
	if err != nil {
		t.Fatal(err)
	}
	results["journal reopened"] = resultOf(t, again)

	gostore, _ := incident.NewStore(newMapBackend())
	defer gostore.Close()
	_, inc = runScenario(t, gostore)
	results["go backend"] = resultOf(t, inc)

	base := results["memory"]
	if len(base.events) < 6 {
		t.Fatalf("only %d events", len(base.events))
	}
	for name, r := range results {
		if !reflect.DeepEqual(r.events, base.events) {
			t.Errorf("%s: timeline differs from the memory store's", name)
		}
		if !bytes.Equal(r.doc, base.doc) {
			t.Errorf("%s: export differs from the memory store's", name)
		}
	}
	if k := base.events[len(base.events)-1]; k.Kind != incident.EventCorrection || k.RefSeq != 3 {
		t.Errorf("last event %+v", k)
	}
	kinds := map[incident.EventKind]bool{}
	for _, ev := range base.events {
		kinds[ev.Kind] = true
	}
	for _, k := range []incident.EventKind{incident.EventRoleAssigned, incident.EventRoleReleased,
		incident.EventHandoffStarted, incident.EventHandoffConfirmed, incident.EventHandoffCancelled,
		incident.EventCANReport, incident.EventDecisionMade, incident.EventStatusUpdate} {
		if !kinds[k] {
			t.Errorf("the scenario has no %v event", k)
		}
	}
}

func TestScenarioCANReportDecisionAndUpdate(t *testing.T) {
	_, inc := runScenario(t, nil)
	reps, decs, ups := inc.CANReports(), inc.Decisions(), inc.Updates()
	if len(reps) != 1 || len(decs) != 1 || len(ups) != 1 {
		t.Fatal(len(reps), len(decs), len(ups))
	}
	if r := reps[0]; r.Author != "carol" || r.Addressee != "alice" || r.Kind != incident.CANSMEToIC || r.Findings != nil {
		t.Fatalf("%+v", r)
	}
	if d := decs[0]; d.ID != 1 || d.Status != incident.DecisionDenied || d.DecidedBy != "alice" ||
		d.Note != "roll back first" || d.RequestSeq != reps[0].Seq {
		t.Fatalf("%+v", d)
	}
	if u := ups[0]; u.Author != "frank" || u.Audience != incident.AudienceExternal || u.Components != "checkout" || u.Findings != nil {
		t.Fatalf("%+v", u)
	}
}
