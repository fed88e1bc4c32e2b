package incident_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	incident "libincident.dev/incident"
)

func TestEveryCodeHasASentinel(t *testing.T) {
	sentinels := []*incident.Error{incident.ErrUnspecified, incident.ErrNoMemory, incident.ErrInvalid,
		incident.ErrNotFound, incident.ErrExist, incident.ErrConflict, incident.ErrPermission, incident.ErrRole,
		incident.ErrState, incident.ErrCorrupt, incident.ErrIO, incident.ErrTooBig, incident.ErrParse,
		incident.ErrVersion, incident.ErrReadOnly, incident.ErrUnsupported, incident.ErrLocked}
	for i, s := range sentinels {
		code := incident.Code(-1 - i)
		if s.Code != code || s.Name != code.String() || s.Name == "INC_E?" {
			t.Errorf("sentinel %d: %+v", i, s)
		}
		err := fmt.Errorf("wrapped: %w", incident.NewError(code, "detail %d", i))
		if !errors.Is(err, s) {
			t.Errorf("%v does not match its sentinel", code)
		}
		for j, other := range sentinels {
			if j != i && errors.Is(err, other) {
				t.Errorf("%v matches %v", code, other.Code)
			}
		}
		var e *incident.Error
		if !errors.As(err, &e) || e.Message != fmt.Sprintf("detail %d", i) {
			t.Errorf("As: %v", err)
		}
	}
}

func TestErrorText(t *testing.T) {
	e := incident.NewError(incident.CodeConflict, "raced")
	if e.Error() != "INC_ECONFLICT: raced" {
		t.Fatal(e.Error())
	}
	if incident.ErrConflict.Error() != "INC_ECONFLICT: "+incident.CodeConflict.Description() {
		t.Fatal(incident.ErrConflict.Error())
	}
	if incident.Code(-999).String() != "INC_E?" || incident.OK.String() != "INC_OK" {
		t.Fatal("names")
	}
	if errors.Unwrap(e) != nil {
		t.Fatal("unwrap")
	}
}

func TestVersionAndTimes(t *testing.T) {
	v, major, minor, patch := incident.Version()
	if v != fmt.Sprintf("%d.%d.%d", major, minor, patch) || major != incident.ABIMajor ||
		minor != incident.ABIMinor || !incident.ABICompatible(major, minor) {
		t.Fatal(v)
	}
	// Before 1.0 a minor release may break the ABI: the minor must match.
	if !incident.ABICompatible(0, 2) || incident.ABICompatible(0, 1) ||
		incident.ABICompatible(0, 3) || incident.ABICompatible(1, 2) {
		t.Fatal("ABICompatible")
	}
	tm := time.Date(2026, 11, 23, 14, 32, 0, 123e6, time.UTC)
	if s, err := incident.FormatTime(tm); err != nil || s != "2026-11-23T14:32:00.123Z" {
		t.Fatal(s, err)
	}
	if s, _ := incident.FormatTime(tm.In(time.FixedZone("CEST", 7200))); s != "2026-11-23T14:32:00.123Z" {
		t.Fatal("zone", s)
	}
	if got, err := incident.ParseTime("2026-11-23T14:32:00.123Z"); err != nil || !got.Equal(tm) {
		t.Fatal(got, err)
	}
	if _, err := incident.ParseTime("yesterday"); !errors.Is(err, incident.ErrParse) {
		t.Fatal(err)
	}
	if _, err := incident.FormatTime(time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)); !errors.Is(err, incident.ErrInvalid) {
		t.Fatal(err)
	}
	if s, _ := incident.FormatOffset(time.Hour + 2*time.Minute + 3*time.Second); s != "T+1h02m03s" {
		t.Fatal(s)
	}
	if s, _ := incident.FormatOffset(-5 * time.Minute); s != "T-5m00s" {
		t.Fatal(s)
	}
}

// The EventKind constants follow incident.h: a kind added in C fails here
// until the binding has it.
func TestEventKindsMatchTheHeader(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "include", "incident", "incident.h"))
	if err != nil {
		t.Fatal(err)
	}
	known := map[int]bool{}
	for k := incident.EventDeclared; k <= incident.EventFieldSet; k++ {
		known[int(k)] = true
		if k.String() == "event?" {
			t.Errorf("kind %d has no name in the library", k)
		}
	}
	m := regexp.MustCompile(`INC_EV_\w+ = (\d+)`).FindAllStringSubmatch(string(src), -1)
	if len(m) != len(known) {
		t.Fatalf("incident.h has %d event kinds, the binding %d", len(m), len(known))
	}
	for _, x := range m {
		n, _ := strconv.Atoi(x[1])
		if !known[n] {
			t.Errorf("event kind %d is not in the binding", n)
		}
	}
}
