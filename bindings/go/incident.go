package incident

// #include <stdlib.h>
// #include <string.h>
// #include <incident.h>
import "C"

import (
	"context"
	"errors"
	"runtime"
	"time"
)

// Incident is an open incident (inc_incident). Every change appends one
// event at the sequence number this handle last saw; if another writer
// appended first the call returns ErrConflict and changes nothing: Reload
// and retry (or use Retry). Accessors of a closed incident return zero
// values. Close it when done; a finalizer frees a forgotten one.
type Incident struct {
	st  *incState
	ctx *Session // keeps the session (and its store) alive
}

type incState struct {
	p *C.inc_incident
}

func (is *incState) free() {
	if is.p != nil {
		C.inc_incident_free(is.p)
		is.p = nil
	}
}

// Event is one event of the timeline (inc_event_info and its description).
type Event struct {
	Seq         uint64
	Time        time.Time
	Offset      time.Duration // since declaration (T+offset)
	Kind        EventKind
	KindName    string // stable name, such as "severity_changed"
	Actor       string
	Text        string // the main text (note, justification, ...); "" if none
	RefSeq      uint64 // for corrections, the event corrected; else 0
	Description string // one line a person reads
}

// adopt wraps a new C incident. Called with the mutex held.
func (c *Session) adopt(p *C.inc_incident) *Incident {
	is := &incState{p: p}
	c.st.incidents[is] = struct{}{}
	inc := &Incident{st: is, ctx: c}
	runtime.SetFinalizer(inc, (*Incident).Close)
	return inc
}

// Close frees the handle (inc_incident_free); the stored timeline stays.
// It is safe to call twice.
func (inc *Incident) Close() error {
	inc.ctx.mu.Lock()
	defer inc.ctx.mu.Unlock()
	if inc.st.p != nil {
		inc.st.free()
		delete(inc.ctx.st.incidents, inc.st)
	}
	runtime.SetFinalizer(inc, nil)
	return nil
}

func (inc *Incident) lock() (*C.inc_incident, error) {
	return inc.lockCtx(context.Background())
}

// lockCtx is lock that gives up with ctx.Err() when ctx is done before the
// mutex is held (see lockMutex).
func (inc *Incident) lockCtx(ctx context.Context) (*C.inc_incident, error) {
	if err := lockMutex(ctx, inc.ctx.mu); err != nil {
		return nil, err
	}
	if inc.st.p == nil {
		inc.ctx.mu.Unlock()
		return nil, errClosed("incident")
	}
	return inc.st.p, nil
}

func (inc *Incident) check(rc C.int) error {
	if rc == 0 {
		return nil
	}
	return inc.ctx.store.fail(rc, C.GoString(C.inc_incident_errmsg(inc.st.p)))
}

// call runs fn on the C handle under the mutex and maps its status.
func (inc *Incident) call(fn func(p *C.inc_incident) C.int) error {
	return inc.callCtx(context.Background(), fn)
}

// callCtx is call that does not start once ctx is done.
func (inc *Incident) callCtx(ctx context.Context, fn func(p *C.inc_incident) C.int) error {
	p, err := inc.lockCtx(ctx)
	if err != nil {
		return err
	}
	defer inc.ctx.mu.Unlock()
	return inc.check(fn(p))
}

func (inc *Incident) str(fn func(p *C.inc_incident) *C.char) string {
	p, err := inc.lock()
	if err != nil {
		return ""
	}
	defer inc.ctx.mu.Unlock()
	return goStringOr(fn(p), "")
}

func (inc *Incident) num(fn func(p *C.inc_incident) int64) int64 {
	p, err := inc.lock()
	if err != nil {
		return 0
	}
	defer inc.ctx.mu.Unlock()
	return fn(p)
}

func (inc *Incident) when(fn func(p *C.inc_incident) C.inc_time) time.Time {
	p, err := inc.lock()
	if err != nil {
		return time.Time{}
	}
	defer inc.ctx.mu.Unlock()
	return toTime(fn(p))
}

// ID is the incident id.
func (inc *Incident) ID() string {
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_id(p) })
}

// Title is the incident's title.
func (inc *Incident) Title() string {
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_title(p) })
}

// Channel is the channel name inc-YYYY-MM-DD-slug (DEC-3).
func (inc *Incident) Channel() string {
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_channel(p) })
}

// Declarer is who declared.
func (inc *Incident) Declarer() string {
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_declarer(p) })
}

// IC is the current Incident Commander.
func (inc *Incident) IC() string {
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_ic(p) })
}

// Severity is the current severity's level name.
func (inc *Incident) Severity() string {
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_severity(p) })
}

// SeverityIndex is the current severity's level index (0 = most severe).
func (inc *Incident) SeverityIndex() int {
	return int(inc.num(func(p *C.inc_incident) int64 { return int64(C.inc_incident_severity_index(p)) }))
}

// State is the lifecycle state.
func (inc *Incident) State() State {
	return State(inc.num(func(p *C.inc_incident) int64 { return int64(C.inc_incident_state(p)) }))
}

// Criteria are the declaration criteria.
func (inc *Incident) Criteria() Criteria {
	return Criteria(inc.num(func(p *C.inc_incident) int64 { return int64(C.inc_incident_criteria(p)) }))
}

// IsDrill reports a Game Day drill (DEC-4).
func (inc *Incident) IsDrill() bool {
	return inc.num(func(p *C.inc_incident) int64 { return int64(C.inc_incident_is_drill(p)) }) != 0
}

// LastSeq is the sequence number of the last event.
func (inc *Incident) LastSeq() uint64 {
	return uint64(inc.num(func(p *C.inc_incident) int64 { return int64(C.inc_incident_last_seq(p)) }))
}

// EventCount is the number of events in the timeline.
func (inc *Incident) EventCount() int {
	return int(inc.num(func(p *C.inc_incident) int64 { return int64(C.inc_incident_event_count(p)) }))
}

// DeclaredAt is when it was declared (T+0).
func (inc *Incident) DeclaredAt() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_declared_at(p) })
}

// ImpactStarted is when impact started (zero if unknown).
func (inc *Incident) ImpactStarted() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_impact_started(p) })
}

// Detected is when it was detected (zero if unknown).
func (inc *Incident) Detected() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_detected(p) })
}

// MitigatedAt is when it entered monitoring (zero if not yet).
func (inc *Incident) MitigatedAt() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_mitigated_at(p) })
}

// ResolvedAt is when it was resolved (zero if not yet).
func (inc *Incident) ResolvedAt() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_resolved_at(p) })
}

// ReopenedAt is when it was last reopened after a resolution (LIFE-4; zero if never).
func (inc *Incident) ReopenedAt() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_reopened_at(p) })
}

// ReopenCount is how many times it was reopened after a resolution (LIFE-4).
func (inc *Incident) ReopenCount() int {
	return int(inc.num(func(p *C.inc_incident) int64 { return int64(C.inc_incident_reopen_count(p)) }))
}

// Rubric returns a copy of the rubric recorded at declaration (RUB-4).
func (inc *Incident) Rubric() (*Rubric, error) {
	p, err := inc.lock()
	if err != nil {
		return nil, err
	}
	defer inc.ctx.mu.Unlock()
	return dupRubric(C.inc_incident_rubric(p))
}

// Reload catches up with events other writers appended (inc_incident_reload).
func (inc *Incident) Reload() error {
	return inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_reload(p) })
}

// ReloadContext is Reload that does not start once ctx is done.
func (inc *Incident) ReloadContext(ctx context.Context) error {
	return inc.callCtx(ctx, func(p *C.inc_incident) C.int { return C.inc_incident_reload(p) })
}

// SetSeverity changes the severity: only the IC may, with a justification
// (AUTH-1, AUTH-2; inc_incident_set_severity).
func (inc *Incident) SetSeverity(actor, severity, justification string) error {
	return inc.SetSeverityContext(context.Background(), actor, severity, justification)
}

// SetSeverityContext is SetSeverity that does not start once ctx is done.
func (inc *Incident) SetSeverityContext(ctx context.Context, actor, severity, justification string) error {
	a, s, j := C.CString(actor), C.CString(severity), C.CString(justification)
	defer func() { free(a); free(s); free(j) }()
	return inc.callCtx(ctx, func(p *C.inc_incident) C.int { return C.inc_incident_set_severity(p, a, s, j) })
}

// SetField sets a custom field the incident's rubric declares (RUB-6;
// inc_incident_set_field): only the IC may; the value must fit the field's
// type (ErrInvalid says why); ErrNotFound for a field the rubric does not
// declare.
func (inc *Incident) SetField(actor, name, value string) error {
	a, n, v := C.CString(actor), C.CString(name), C.CString(value)
	defer func() { free(a); free(n); free(v) }()
	return inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_set_field(p, a, n, v) })
}

// Field is a custom field's value as last set, or "" when it was never set
// (inc_incident_field).
func (inc *Incident) Field(name string) string {
	n := C.CString(name)
	defer free(n)
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_field(p, n) })
}

// SetState moves the lifecycle one step (LIFE-1; inc_incident_set_state).
// text is the note for the move ("" for none); resolving needs it, the
// verification (LIFE-2).
func (inc *Incident) SetState(actor string, state State, text string) error {
	return inc.SetStateContext(context.Background(), actor, state, text)
}

// SetStateContext is SetState that does not start once ctx is done.
func (inc *Incident) SetStateContext(ctx context.Context, actor string, state State, text string) error {
	a, t := C.CString(actor), cstr(text, true)
	defer func() { free(a); free(t) }()
	return inc.callCtx(ctx, func(p *C.inc_incident) C.int { return C.inc_incident_set_state(p, a, C.inc_state(state), t) })
}

// Reopen takes a resolved incident back to investigating or mitigating:
// only the IC may, with a justification (LIFE-4; inc_incident_reopen). A
// closed incident is never reopened (CodeState: declare a recurrence).
func (inc *Incident) Reopen(actor string, state State, justification string) error {
	a, j := C.CString(actor), C.CString(justification)
	defer func() { free(a); free(j) }()
	return inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_reopen(p, a, C.inc_state(state), j) })
}

// Note adds a note to the timeline; anyone may (inc_incident_note).
func (inc *Incident) Note(actor, text string) error {
	return inc.NoteContext(context.Background(), actor, text)
}

// NoteContext is Note that does not start once ctx is done.
func (inc *Incident) NoteContext(ctx context.Context, actor, text string) error {
	a, t := C.CString(actor), C.CString(text)
	defer func() { free(a); free(t) }()
	return inc.callCtx(ctx, func(p *C.inc_incident) C.int { return C.inc_incident_note(p, a, t) })
}

// Correct corrects event seq with a new event pointing at it (LIFE-3;
// inc_incident_correct).
func (inc *Incident) Correct(actor string, seq uint64, text string) error {
	a, t := C.CString(actor), C.CString(text)
	defer func() { free(a); free(t) }()
	return inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_correct(p, a, C.uint64_t(seq), t) })
}

// Event reads event number index+1 (inc_incident_get_event and
// inc_incident_describe_event).
func (inc *Incident) Event(index int) (Event, error) {
	p, err := inc.lock()
	if err != nil {
		return Event{}, err
	}
	defer inc.ctx.mu.Unlock()
	return inc.event(p, index)
}

func (inc *Incident) event(p *C.inc_incident, index int) (Event, error) {
	if index < 0 {
		return Event{}, &Error{Code: CodeNotFound, Name: CodeNotFound.String(), Message: "event: negative index"}
	}
	var info C.inc_event_info
	if err := inc.check(C.inc_incident_get_event(p, C.size_t(index), &info)); err != nil {
		return Event{}, err
	}
	var desc *C.char
	if err := inc.check(C.inc_incident_describe_event(p, C.size_t(index), &desc)); err != nil {
		return Event{}, err
	}
	return Event{
		Seq: uint64(info.seq), Time: toTime(info.time),
		Offset: time.Duration(info.offset_ms) * time.Millisecond,
		Kind:   EventKind(info.kind), KindName: goStringOr(info.kind_name, ""),
		Actor: goStringOr(info.actor, ""), Text: goStringOr(info.text, ""),
		RefSeq: uint64(info.ref_seq), Description: takeString(desc, C.size_t(C.strlen(desc))),
	}, nil
}

// Events returns the whole timeline.
func (inc *Incident) Events() ([]Event, error) {
	p, err := inc.lock()
	if err != nil {
		return nil, err
	}
	defer inc.ctx.mu.Unlock()
	n := int(C.inc_incident_event_count(p))
	events := make([]Event, 0, n)
	for i := 0; i < n; i++ {
		ev, err := inc.event(p, i)
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	return events, nil
}

// Describe describes one event in a line a person reads (inc_incident_describe_event).
func (inc *Incident) Describe(index int) (string, error) {
	ev, err := inc.Event(index)
	return ev.Description, err
}

// Timeline renders the timeline as text, one event per line
// (inc_incident_render_timeline).
func (inc *Incident) Timeline() (string, error) {
	var out *C.char
	var n C.size_t
	if err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_render_timeline(p, &out, &n) }); err != nil {
		return "", err
	}
	return takeString(out, n), nil
}

// Verify walks the stored hash chain (TL-2; inc_incident_verify). A broken
// chain is ErrCorrupt with BadSeq set.
func (inc *Incident) Verify() error {
	var bad C.uint64_t
	err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_verify(p, &bad) })
	var e *Error
	if errors.As(err, &e) {
		e.BadSeq = uint64(bad)
	}
	return err
}

// ExportJSON exports the whole incident, every event with its hashes, as
// one JSON document (inc_incident_export_json).
func (inc *Incident) ExportJSON() ([]byte, error) {
	var out *C.char
	var n C.size_t
	if err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_export_json(p, &out, &n) }); err != nil {
		return nil, err
	}
	return []byte(takeString(out, n)), nil
}

// Retry runs fn, and while it fails with ErrConflict (another writer was
// first) reloads the incident and runs it again, until it succeeds, fails
// otherwise, or ctx is done. No attempt starts once ctx is done, so Retry
// is how a context bounds an incident's changes (SetSeverity, Note, ...):
// inc.Retry(ctx, func(i *Incident) error { return i.Note(actor, text) }).
func (inc *Incident) Retry(ctx context.Context, fn func(*Incident) error) error {
	backoff := time.Millisecond
	for {
		if err := ctx.Err(); err != nil {
			return err // no attempt starts once ctx is done
		}
		err := fn(inc)
		if !errors.Is(err, ErrConflict) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		if backoff < 100*time.Millisecond {
			backoff *= 2
		}
		if err := inc.ReloadContext(ctx); err != nil {
			return err
		}
	}
}
