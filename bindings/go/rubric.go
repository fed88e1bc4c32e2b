package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"runtime"
	"time"
)

// DurationNone is "not set" / "not required" for rubric durations
// (INC_DURATION_NONE); DurationNextCadence is "at the next regular cadence"
// for required communications (INC_DURATION_NEXT_CADENCE).
const (
	DurationNone        time.Duration = -1
	DurationNextCadence time.Duration = -2
)

func durToC(d time.Duration) C.int64_t {
	switch d {
	case DurationNone:
		return -1
	case DurationNextCadence:
		return -2
	}
	return C.int64_t(d.Milliseconds())
}

func durFromC(ms C.int64_t) time.Duration {
	switch ms {
	case -1:
		return DurationNone
	case -2:
		return DurationNextCadence
	}
	return time.Duration(ms) * time.Millisecond
}

// Escalation is one escalation step of a level (ESC-1).
type Escalation struct {
	After     time.Duration
	Condition EscCondition
	Target    string // who is paged: "on-call,backup"
}

// Rubric is a severity rubric: ordered levels, most severe first. A Rubric
// is not safe for concurrent use. Close it when done (a finalizer frees a
// forgotten one).
type Rubric struct {
	p *C.inc_rubric
}

func newRubric(p *C.inc_rubric) *Rubric {
	r := &Rubric{p: p}
	runtime.SetFinalizer(r, (*Rubric).Close)
	return r
}

// NewRubric makes an empty rubric (inc_rubric_new); add levels with AddLevel.
func NewRubric(name string) (*Rubric, error) {
	cs := C.CString(name)
	defer free(cs)
	var p *C.inc_rubric
	if rc := C.inc_rubric_new(nil, cs, &p); rc != 0 {
		return nil, newError(rc, "rubric name: must be 1..64 bytes of UTF-8")
	}
	return newRubric(p), nil
}

// PresetRubric makes a copy of a built-in rubric (inc_rubric_preset_new).
func PresetRubric(preset Preset) (*Rubric, error) {
	var p *C.inc_rubric
	if rc := C.inc_rubric_preset_new(nil, C.inc_rubric_preset(preset), &p); rc != 0 {
		return nil, newError(rc, "unknown rubric preset")
	}
	return newRubric(p), nil
}

// ParseRubric parses and validates the text format (inc_rubric_parse). A
// failure is an *Error with Line and Offset.
func ParseRubric(text []byte) (*Rubric, error) {
	var diag C.inc_diag
	var p *C.inc_rubric
	data := C.CBytes(text)
	defer C.free(data)
	if rc := C.inc_rubric_parse(nil, (*C.char)(data), C.size_t(len(text)), &p, &diag); rc != 0 {
		e := newError(rc, C.GoString(&diag.message[0])).(*Error)
		e.Line, e.Offset = int(diag.line), int64(diag.offset)
		return nil, e
	}
	return newRubric(p), nil
}

// dupRubric copies a rubric another handle owns.
func dupRubric(p *C.inc_rubric) (*Rubric, error) {
	var out *C.inc_rubric
	if rc := C.inc_rubric_dup(p, &out); rc != 0 {
		return nil, newError(rc, "")
	}
	return newRubric(out), nil
}

// Close frees the rubric (inc_rubric_free). It is safe to call twice.
func (r *Rubric) Close() error {
	if r.p != nil {
		C.inc_rubric_free(r.p)
		r.p = nil
		runtime.SetFinalizer(r, nil)
	}
	return nil
}

func (r *Rubric) handle() (*C.inc_rubric, error) {
	if r == nil || r.p == nil {
		return nil, errClosed("rubric")
	}
	return r.p, nil
}

func (r *Rubric) check(rc C.int) error {
	if rc == 0 {
		return nil
	}
	return newError(rc, C.GoString(C.inc_rubric_errmsg(r.p)))
}

// Dup returns an independent copy (inc_rubric_dup).
func (r *Rubric) Dup() (*Rubric, error) {
	defer runtime.KeepAlive(r)
	p, err := r.handle()
	if err != nil {
		return nil, err
	}
	return dupRubric(p)
}

// Write returns the rubric in the text format (inc_rubric_write).
func (r *Rubric) Write() (string, error) {
	defer runtime.KeepAlive(r)
	p, err := r.handle()
	if err != nil {
		return "", err
	}
	var out *C.char
	var n C.size_t
	if err := r.check(C.inc_rubric_write(p, &out, &n)); err != nil {
		return "", err
	}
	return takeString(out, n), nil
}

// Equal compares two rubrics field by field (inc_rubric_equal).
func (r *Rubric) Equal(o *Rubric) bool {
	defer runtime.KeepAlive(r)
	defer runtime.KeepAlive(o)
	if r == nil || o == nil || r.p == nil || o.p == nil {
		return false
	}
	return C.inc_rubric_equal(r.p, o.p) == 1
}

// Validate checks RUB-3 (inc_rubric_validate); the error names the level and field.
func (r *Rubric) Validate() error {
	defer runtime.KeepAlive(r)
	p, err := r.handle()
	if err != nil {
		return err
	}
	return r.check(C.inc_rubric_validate(p))
}

// Name is the rubric's name ("" once closed).
func (r *Rubric) Name() string {
	defer runtime.KeepAlive(r)
	if r.p == nil {
		return ""
	}
	return C.GoString(C.inc_rubric_name(r.p))
}

// LevelCount is the number of levels.
func (r *Rubric) LevelCount() int {
	defer runtime.KeepAlive(r)
	if r.p == nil {
		return 0
	}
	return int(C.inc_rubric_level_count(r.p))
}

// LevelIndex finds a level by name (0 = most severe); ErrNotFound if none.
func (r *Rubric) LevelIndex(name string) (int, error) {
	defer runtime.KeepAlive(r)
	p, err := r.handle()
	if err != nil {
		return 0, err
	}
	cs := C.CString(name)
	defer free(cs)
	var i C.size_t
	if rc := C.inc_rubric_get_level_index(p, cs, &i); rc != 0 {
		return 0, newError(rc, "rubric '"+r.Name()+"' has no level '"+name+"'")
	}
	return int(i), nil
}

// LevelName is the name of a level ("" out of range).
func (r *Rubric) LevelName(level int) string {
	defer runtime.KeepAlive(r)
	if r.p == nil || level < 0 {
		return ""
	}
	return goStringOr(C.inc_rubric_level_name(r.p, C.size_t(level)), "")
}

// LevelNames lists the levels, most severe first.
func (r *Rubric) LevelNames() []string {
	defer runtime.KeepAlive(r)
	names := make([]string, r.LevelCount())
	for i := range names {
		names[i] = r.LevelName(i)
	}
	return names
}

// AddLevel appends a level, less severe than every other (inc_rubric_add_level).
func (r *Rubric) AddLevel(name string) (int, error) {
	defer runtime.KeepAlive(r)
	p, err := r.handle()
	if err != nil {
		return 0, err
	}
	cs := C.CString(name)
	defer free(cs)
	var i C.size_t
	if err := r.check(C.inc_rubric_add_level(p, cs, &i)); err != nil {
		return 0, err
	}
	return int(i), nil
}

// level validates a level index for the setters (C checks it too, but a
// negative int must not wrap into a huge size_t).
func (r *Rubric) level(level int) (*C.inc_rubric, error) {
	p, err := r.handle()
	if err == nil && level < 0 {
		err = &Error{Code: CodeInvalid, Name: CodeInvalid.String(), Message: "level: negative index"}
	}
	return p, err
}

// SetText sets a text field of a level (inc_rubric_set_text).
func (r *Rubric) SetText(level int, field LevelText, value string) error {
	defer runtime.KeepAlive(r)
	p, err := r.level(level)
	if err != nil {
		return err
	}
	cs := C.CString(value)
	defer free(cs)
	return r.check(C.inc_rubric_set_text(p, C.size_t(level), C.inc_level_text(field), cs))
}

// Text is a text field of a level ("" if unset or out of range).
func (r *Rubric) Text(level int, field LevelText) string {
	defer runtime.KeepAlive(r)
	if r.p == nil || level < 0 {
		return ""
	}
	return goStringOr(C.inc_rubric_text(r.p, C.size_t(level), C.inc_level_text(field)), "")
}

// SetDuration sets a duration field: positive, or DurationNone (inc_rubric_set_duration).
func (r *Rubric) SetDuration(level int, field DurationField, d time.Duration) error {
	defer runtime.KeepAlive(r)
	p, err := r.level(level)
	if err != nil {
		return err
	}
	return r.check(C.inc_rubric_set_duration(p, C.size_t(level), C.inc_level_duration(field), durToC(d)))
}

// Duration is a duration field, DurationNone if unset (inc_rubric_duration).
func (r *Rubric) Duration(level int, field DurationField) time.Duration {
	defer runtime.KeepAlive(r)
	if r.p == nil || level < 0 {
		return DurationNone
	}
	return durFromC(C.inc_rubric_duration(r.p, C.size_t(level), C.inc_level_duration(field)))
}

// SetFlag sets a yes/no field (inc_rubric_set_flag).
func (r *Rubric) SetFlag(level int, flag Flag, on bool) error {
	defer runtime.KeepAlive(r)
	p, err := r.level(level)
	if err != nil {
		return err
	}
	v := C.int(0)
	if on {
		v = 1
	}
	return r.check(C.inc_rubric_set_flag(p, C.size_t(level), C.inc_level_flag(flag), v))
}

// Flag reads a yes/no field (inc_rubric_flag).
func (r *Rubric) Flag(level int, flag Flag) bool {
	defer runtime.KeepAlive(r)
	if r.p == nil || level < 0 {
		return false
	}
	return C.inc_rubric_flag(r.p, C.size_t(level), C.inc_level_flag(flag)) != 0
}

// SetRequiredComm says a level requires a communication within d: 0 for at
// once, DurationNextCadence, or DurationNone for not required.
func (r *Rubric) SetRequiredComm(level int, kind Comm, d time.Duration) error {
	defer runtime.KeepAlive(r)
	p, err := r.level(level)
	if err != nil {
		return err
	}
	return r.check(C.inc_rubric_set_required_comm(p, C.size_t(level), C.inc_comm_kind(kind), durToC(d)))
}

// RequiredComm is when a level requires a communication (see SetRequiredComm).
func (r *Rubric) RequiredComm(level int, kind Comm) time.Duration {
	defer runtime.KeepAlive(r)
	if r.p == nil || level < 0 {
		return DurationNone
	}
	return durFromC(C.inc_rubric_required_comm(r.p, C.size_t(level), C.inc_comm_kind(kind)))
}

// SetCombo sets how one person may hold roles a and b (inc_rubric_set_combo).
func (r *Rubric) SetCombo(level int, a, b Role, combo Combo) error {
	defer runtime.KeepAlive(r)
	p, err := r.level(level)
	if err != nil {
		return err
	}
	return r.check(C.inc_rubric_set_combo(p, C.size_t(level), C.inc_role(a), C.inc_role(b), C.inc_combo(combo)))
}

// Combo is the rule for roles a and b at a level (inc_rubric_combo).
func (r *Rubric) Combo(level int, a, b Role) Combo {
	defer runtime.KeepAlive(r)
	if r.p == nil || level < 0 {
		return ComboAllowed
	}
	return Combo(C.inc_rubric_combo(r.p, C.size_t(level), C.inc_role(a), C.inc_role(b)))
}

// SetStaffing sets the roles that must be filled and the minimum number of
// people (inc_rubric_set_staffing, ROLE-10).
func (r *Rubric) SetStaffing(level int, roles []Role, minPeople int) error {
	defer runtime.KeepAlive(r)
	p, err := r.level(level)
	if err != nil {
		return err
	}
	var mask C.unsigned
	for _, role := range roles {
		if role < 0 || role >= roleCount {
			return &Error{Code: CodeInvalid, Name: CodeInvalid.String(), Message: "staffing: not a role"}
		}
		mask |= 1 << uint(role)
	}
	return r.check(C.inc_rubric_set_staffing(p, C.size_t(level), mask, C.unsigned(minPeople)))
}

// Staffing is a level's minimum staffing (inc_rubric_get_staffing).
func (r *Rubric) Staffing(level int) (roles []Role, minPeople int, err error) {
	defer runtime.KeepAlive(r)
	p, err := r.level(level)
	if err != nil {
		return nil, 0, err
	}
	var mask, people C.unsigned
	if err := r.check(C.inc_rubric_get_staffing(p, C.size_t(level), &mask, &people)); err != nil {
		return nil, 0, err
	}
	for role := Role(0); role < roleCount; role++ {
		if mask&(1<<uint(role)) != 0 {
			roles = append(roles, role)
		}
	}
	return roles, int(people), nil
}

// AddEscalation appends an escalation step (inc_rubric_add_escalation).
func (r *Rubric) AddEscalation(level int, after time.Duration, cond EscCondition, target string) error {
	defer runtime.KeepAlive(r)
	p, err := r.level(level)
	if err != nil {
		return err
	}
	cs := C.CString(target)
	defer free(cs)
	return r.check(C.inc_rubric_add_escalation(p, C.size_t(level), C.int64_t(after.Milliseconds()),
		C.inc_esc_condition(cond), cs))
}

// Escalations lists a level's escalation steps in order of After.
func (r *Rubric) Escalations(level int) ([]Escalation, error) {
	defer runtime.KeepAlive(r)
	p, err := r.level(level)
	if err != nil {
		return nil, err
	}
	n := int(C.inc_rubric_escalation_count(p, C.size_t(level)))
	steps := make([]Escalation, 0, n)
	for i := 0; i < n; i++ {
		var after C.int64_t
		var cond C.inc_esc_condition
		var target *C.char
		if err := r.check(C.inc_rubric_get_escalation(p, C.size_t(level), C.size_t(i), &after, &cond, &target)); err != nil {
			return nil, err
		}
		steps = append(steps, Escalation{durFromC(after), EscCondition(cond), C.GoString(target)})
	}
	return steps, nil
}

// SetRepeat sets how many times the ladder repeats (inc_rubric_set_repeat).
func (r *Rubric) SetRepeat(level int, repeat uint) error {
	defer runtime.KeepAlive(r)
	p, err := r.level(level)
	if err != nil {
		return err
	}
	return r.check(C.inc_rubric_set_repeat(p, C.size_t(level), C.unsigned(repeat)))
}

// Repeat is the repeat count of a level's ladder (inc_rubric_repeat).
func (r *Rubric) Repeat(level int) uint {
	defer runtime.KeepAlive(r)
	if r.p == nil || level < 0 {
		return 0
	}
	return uint(C.inc_rubric_repeat(r.p, C.size_t(level)))
}
