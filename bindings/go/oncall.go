package incident

// #include <stdlib.h>
// #include <string.h>
// #include <incident.h>
import "C"

import (
	"runtime"
	"strings"
	"time"
	"unsafe"
)

// Layer is a layer of an on-call rotation (inc_layer).
type Layer int

// The layers.
const (
	LayerPrimary   Layer = C.INC_LAYER_PRIMARY
	LayerSecondary Layer = C.INC_LAYER_SECONDARY
)

// RoleNone, given to SetRole, makes a rotation an ordinary one (not a roster).
const RoleNone Role = roleCount

// SecondaryWindow is ONC-2's default secondary window (INC_ONCALL_SECONDARY_WINDOW_MS).
const SecondaryWindow = time.Duration(C.INC_ONCALL_SECONDARY_WINDOW_MS) * time.Millisecond

// LocalTime is a local time in a zone (inc_local_time). FromLocal reads
// only the date and time fields.
type LocalTime struct {
	Year, Month, Day             int
	Hour, Minute, Second, Millis int
	Weekday                      time.Weekday  // output only
	UTCOffset                    time.Duration // east of UTC; output only
	IsDST                        bool          // output only
	Abbr                         string        // such as "CEST"; output only
}

// Override gives part of one layer to another person (inc_rotation_override).
type Override struct {
	Layer      Layer
	Start, End time.Time
	Person     string
	By         string    // "" if not given
	Reason     string    // "" if not given
	RecordedAt time.Time // zero if not given
}

// Shift is one stretch of a layer held by one person (inc_shift).
type Shift struct {
	Layer         Layer
	Person        string
	Start, End    time.Time
	Number        int64 // the rotation's shift it lies in (-1: an override before the first)
	OverrideIndex int   // the override that gives it, or -1
}

// CheckOptions are the options of Rotation.Check (inc_oncall_check_options);
// zero values take the library's defaults.
type CheckOptions struct {
	From, To       time.Time     // zero: four weeks either side of now
	MinPeople      int           // ONC-3; 0 for 5
	MaxConsecutive int           // ONC-3; 0 for 2
	MinGap         int           // ONC-3; 0 for 2
	RestAfter      time.Duration // ONC-4; 0 for 4 hours
	MaxPagesWeek   int           // ONC-5; 0 for 10
}

// Rotation is an on-call rotation (inc_rotation, ONC-1). It is made from a
// Session, whose zone cache it uses, and shares its mutex; closing the
// context closes it. Close it when done; a finalizer frees a forgotten one.
type Rotation struct {
	st  *rotState
	ctx *Session // keeps the session alive
}

type rotState struct {
	p *C.inc_rotation
}

func (rs *rotState) free() {
	if rs.p != nil {
		C.inc_rotation_free(rs.p)
		rs.p = nil
	}
}

// adoptRotation wraps a new C rotation. Called with the mutex held.
func (c *Session) adoptRotation(p *C.inc_rotation) *Rotation {
	rs := &rotState{p: p}
	c.st.rotations[rs] = struct{}{}
	r := &Rotation{st: rs, ctx: c}
	runtime.SetFinalizer(r, (*Rotation).Close)
	return r
}

// dupRotation copies a rotation someone else owns. Called with the mutex held.
func (c *Session) dupRotation(p *C.inc_rotation) (*Rotation, error) {
	var out *C.inc_rotation
	if rc := C.inc_rotation_dup(p, &out); rc != 0 {
		return nil, newError(rc, "")
	}
	return c.adoptRotation(out), nil
}

// NewRotation makes a rotation with every default: no people, weekly,
// hand-off Monday 10:00 UTC (inc_rotation_new).
func NewRotation(c *Session, name string) (*Rotation, error) {
	cn := C.CString(name)
	defer free(cn)
	p, err := c.lock()
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var out *C.inc_rotation
	if rc := C.inc_rotation_new(p, cn, &out); rc != 0 {
		return nil, c.fail(rc, "")
	}
	return c.adoptRotation(out), nil
}

// ParseRotation parses the text format of lib/docs/rotation-format.md
// (inc_rotation_parse); a failure is an *Error with Line set.
func ParseRotation(c *Session, text []byte) (*Rotation, error) {
	data := C.CBytes(text)
	defer C.free(data)
	diag := (*C.inc_diag)(C.calloc(1, C.size_t(unsafe.Sizeof(C.inc_diag{}))))
	defer C.free(unsafe.Pointer(diag))
	p, err := c.lock()
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var out *C.inc_rotation
	if rc := C.inc_rotation_parse(p, (*C.char)(data), C.size_t(len(text)), &out, diag); rc != 0 {
		e := newError(rc, C.GoString(&diag.message[0])).(*Error)
		e.Line, e.Offset = int(diag.line), int64(diag.offset)
		return nil, e
	}
	return c.adoptRotation(out), nil
}

// Close frees the rotation (inc_rotation_free). It is safe to call twice.
func (r *Rotation) Close() error {
	r.ctx.mu.Lock()
	defer r.ctx.mu.Unlock()
	if r.st.p != nil {
		r.st.free()
		delete(r.ctx.st.rotations, r.st)
	}
	runtime.SetFinalizer(r, nil)
	return nil
}

func (r *Rotation) lock() (*C.inc_rotation, error) {
	r.ctx.mu.Lock()
	if r.st.p == nil {
		r.ctx.mu.Unlock()
		return nil, errClosed("rotation")
	}
	return r.st.p, nil
}

func (r *Rotation) call(fn func(p *C.inc_rotation) C.int) error {
	p, err := r.lock()
	if err != nil {
		return err
	}
	defer r.ctx.mu.Unlock()
	if rc := fn(p); rc != 0 {
		return newError(rc, C.GoString(C.inc_rotation_errmsg(p)))
	}
	return nil
}

func (r *Rotation) str(fn func(p *C.inc_rotation) *C.char) string {
	p, err := r.lock()
	if err != nil {
		return ""
	}
	defer r.ctx.mu.Unlock()
	return goStringOr(fn(p), "")
}

func (r *Rotation) num(fn func(p *C.inc_rotation) int64) int64 {
	p, err := r.lock()
	if err != nil {
		return 0
	}
	defer r.ctx.mu.Unlock()
	return fn(p)
}

// Dup returns an independent copy (inc_rotation_dup).
func (r *Rotation) Dup() (*Rotation, error) {
	p, err := r.lock()
	if err != nil {
		return nil, err
	}
	defer r.ctx.mu.Unlock()
	return r.ctx.dupRotation(p)
}

// Equal compares every field (inc_rotation_equal).
func (r *Rotation) Equal(o *Rotation) bool {
	if o == nil {
		return false
	}
	if o.ctx.mu != r.ctx.mu {
		// Another context: copy o under its own mutex first, so that no two
		// mutexes are ever held at once.
		oc, err := o.Dup()
		if err != nil {
			return false
		}
		defer oc.Close()
		o = oc
	}
	p, err := r.lock()
	if err != nil {
		return false
	}
	defer r.ctx.mu.Unlock()
	return o.st.p != nil && C.inc_rotation_equal(p, o.st.p) != 0
}

// Write writes the rotation in the text format (inc_rotation_write).
func (r *Rotation) Write() (string, error) {
	var out *C.char
	var n C.size_t
	if err := r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_write(p, &out, &n) }); err != nil {
		return "", err
	}
	return takeString(out, n), nil
}

// Name is the rotation's name (inc_rotation_name).
func (r *Rotation) Name() string {
	return r.str(func(p *C.inc_rotation) *C.char { return C.inc_rotation_name(p) })
}

// AddPerson appends a person to the order (inc_rotation_add_person).
func (r *Rotation) AddPerson(person string) error {
	cp := C.CString(person)
	defer free(cp)
	return r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_add_person(p, cp) })
}

// People is the order (inc_rotation_person_count, inc_rotation_person).
func (r *Rotation) People() []string {
	p, err := r.lock()
	if err != nil {
		return nil
	}
	defer r.ctx.mu.Unlock()
	n := int(C.inc_rotation_person_count(p))
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, goStringOr(C.inc_rotation_person(p, C.size_t(i)), ""))
	}
	return out
}

// SetZone sets the IANA zone of the hand-offs, loading it (inc_rotation_set_zone).
func (r *Rotation) SetZone(zone string) error {
	cz := C.CString(zone)
	defer free(cz)
	return r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_set_zone(p, cz) })
}

// Zone is the zone's name (inc_rotation_zone).
func (r *Rotation) Zone() string {
	return r.str(func(p *C.inc_rotation) *C.char { return C.inc_rotation_zone(p) })
}

// SetPeriod sets the period in days (inc_rotation_set_period).
func (r *Rotation) SetPeriod(days int) error {
	if days < 0 {
		return newError(C.INC_EINVAL, "period: negative")
	}
	return r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_set_period(p, C.unsigned(days)) })
}

// Period is the period in days (inc_rotation_period).
func (r *Rotation) Period() int {
	return int(r.num(func(p *C.inc_rotation) int64 { return int64(C.inc_rotation_period(p)) }))
}

// SetStart sets the local date shift 0 begins (inc_rotation_set_start).
func (r *Rotation) SetStart(year int, month time.Month, day int) error {
	if month < 0 || day < 0 {
		return newError(C.INC_EINVAL, "start: negative month or day")
	}
	return r.call(func(p *C.inc_rotation) C.int {
		return C.inc_rotation_set_start(p, C.int(year), C.unsigned(month), C.unsigned(day))
	})
}

// Start is the local date shift 0 begins (inc_rotation_get_start).
func (r *Rotation) Start() (year int, month time.Month, day int, err error) {
	var y C.int
	var m, d C.unsigned
	err = r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_get_start(p, &y, &m, &d) })
	return int(y), time.Month(m), int(d), err
}

// SetHandoff sets the local hand-off time of day (inc_rotation_set_handoff).
func (r *Rotation) SetHandoff(hour, minute int) error {
	if hour < 0 || minute < 0 {
		return newError(C.INC_EINVAL, "handoff: negative hour or minute")
	}
	return r.call(func(p *C.inc_rotation) C.int {
		return C.inc_rotation_set_handoff(p, C.unsigned(hour), C.unsigned(minute))
	})
}

// Handoff is the local hand-off time of day (inc_rotation_get_handoff).
func (r *Rotation) Handoff() (hour, minute int, err error) {
	var h, m C.unsigned
	err = r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_get_handoff(p, &h, &m) })
	return int(h), int(m), err
}

// SetSecondary sets the secondary layer's offset in people, 0 for none
// (inc_rotation_set_secondary).
func (r *Rotation) SetSecondary(offset int) error {
	if offset < 0 {
		return newError(C.INC_EINVAL, "secondary: negative offset")
	}
	return r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_set_secondary(p, C.unsigned(offset)) })
}

// Secondary is the secondary offset, 0 when there is no secondary layer
// (inc_rotation_secondary).
func (r *Rotation) Secondary() int {
	return int(r.num(func(p *C.inc_rotation) int64 { return int64(C.inc_rotation_secondary(p)) }))
}

// SetRole makes the rotation the roster of role, or (RoleNone) an
// ordinary rotation (inc_rotation_set_role).
func (r *Rotation) SetRole(role Role) error {
	return r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_set_role(p, C.inc_role(role)) })
}

// Role is the roster's role, or RoleNone (inc_rotation_role).
func (r *Rotation) Role() Role {
	p, err := r.lock()
	if err != nil {
		return RoleNone
	}
	defer r.ctx.mu.Unlock()
	return Role(C.inc_rotation_role(p))
}

// AddOverride gives [o.Start, o.End) of a layer to o.Person; it wins over
// the rotation and older overrides (inc_rotation_add_override). It
// returns the override's index.
func (r *Rotation) AddOverride(o Override) (int, error) {
	var co C.inc_rotation_override
	co.layer, co.start, co.end = C.inc_layer(o.Layer), fromTime(o.Start), fromTime(o.End)
	co.person, co.by, co.reason = C.CString(o.Person), cstr(o.By, true), cstr(o.Reason, true)
	co.recorded_at = fromTime(o.RecordedAt)
	defer func() { free(co.person); free(co.by); free(co.reason) }()
	var index C.size_t
	err := r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_add_override(p, &co, &index) })
	return int(index), err
}

// OverrideShift gives the whole shift of layer that contains t to person
// (a swap; inc_rotation_override_shift). by and reason may be "",
// recordedAt zero. It returns the override's index.
func (r *Rotation) OverrideShift(layer Layer, t time.Time, person, by, reason string, recordedAt time.Time) (int, error) {
	cp, cb, cr := C.CString(person), cstr(by, true), cstr(reason, true)
	defer func() { free(cp); free(cb); free(cr) }()
	var index C.size_t
	err := r.call(func(p *C.inc_rotation) C.int {
		return C.inc_rotation_override_shift(p, C.inc_layer(layer), fromTime(t), cp, cb, cr, fromTime(recordedAt), &index)
	})
	return int(index), err
}

// Overrides are every override, in the order added
// (inc_rotation_override_count, inc_rotation_get_override).
func (r *Rotation) Overrides() ([]Override, error) {
	p, err := r.lock()
	if err != nil {
		return nil, err
	}
	defer r.ctx.mu.Unlock()
	n := int(C.inc_rotation_override_count(p))
	out := make([]Override, 0, n)
	for i := 0; i < n; i++ {
		var o C.inc_rotation_override
		if rc := C.inc_rotation_get_override(p, C.size_t(i), &o); rc != 0 {
			return nil, newError(rc, C.GoString(C.inc_rotation_errmsg(p)))
		}
		out = append(out, Override{Layer: Layer(o.layer), Start: toTime(o.start), End: toTime(o.end),
			Person: goStringOr(o.person, ""), By: goStringOr(o.by, ""), Reason: goStringOr(o.reason, ""),
			RecordedAt: toTime(o.recorded_at)})
	}
	return out, nil
}

func shiftOf(s *C.inc_shift) Shift {
	x := Shift{Layer: Layer(s.layer), Person: goStringOr(s.person, ""), Start: toTime(s.start), End: toTime(s.end),
		Number: int64(s.number), OverrideIndex: -1}
	if s.override_index != C.INC_SHIFT_NO_OVERRIDE {
		x.OverrideIndex = int(s.override_index)
	}
	return x
}

// Who is the stretch of layer that contains t (inc_rotation_who);
// ErrNotFound when nobody holds it.
func (r *Rotation) Who(layer Layer, t time.Time) (Shift, error) {
	p, err := r.lock()
	if err != nil {
		return Shift{}, err
	}
	defer r.ctx.mu.Unlock()
	var s C.inc_shift
	if rc := C.inc_rotation_who(p, C.inc_layer(layer), fromTime(t), &s); rc != 0 {
		return Shift{}, newError(rc, C.GoString(C.inc_rotation_errmsg(p)))
	}
	return shiftOf(&s), nil // the person is the rotation's: copied under the mutex
}

// Shifts are every stretch of layer overlapping [from, to), in order
// (inc_rotation_shifts).
func (r *Rotation) Shifts(layer Layer, from, to time.Time) ([]Shift, error) {
	p, err := r.lock()
	if err != nil {
		return nil, err
	}
	defer r.ctx.mu.Unlock()
	var arr *C.inc_shift
	var n C.size_t
	if rc := C.inc_rotation_shifts(p, C.inc_layer(layer), fromTime(from), fromTime(to), &arr, &n); rc != 0 {
		return nil, newError(rc, C.GoString(C.inc_rotation_errmsg(p)))
	}
	defer C.inc_free(unsafe.Pointer(arr))
	out := make([]Shift, 0, int(n))
	if n > 0 {
		for _, sh := range unsafe.Slice(arr, int(n)) {
			out = append(out, shiftOf(&sh))
		}
	}
	return out, nil
}

// Check checks the rotation's health over a range, and the load and rest
// of the people who worked incidents (ONC-3..ONC-5; inc_rotation_check).
// opts may be nil. The incidents are read under the rotation's context
// mutex: pass incidents of that context, or ones no other goroutine uses
// meanwhile.
func (r *Rotation) Check(incidents []*Incident, opts *CheckOptions) (Findings, error) {
	if opts == nil {
		opts = &CheckOptions{}
	}
	var o C.inc_oncall_check_options
	if rc := C.inc_oncall_check_options_init(&o, C.INC_ONCALL_CHECK_OPTIONS_VERSION); rc != 0 {
		return Findings{}, newError(rc, "")
	}
	if opts.MinPeople < 0 || opts.MaxConsecutive < 0 || opts.MinGap < 0 || opts.MaxPagesWeek < 0 || opts.RestAfter < 0 {
		return Findings{}, newError(C.INC_EINVAL, "check: negative option")
	}
	o.from, o.to = fromTime(opts.From), fromTime(opts.To)
	o.min_people, o.max_consecutive = C.unsigned(opts.MinPeople), C.unsigned(opts.MaxConsecutive)
	o.min_gap, o.max_pages_week = C.unsigned(opts.MinGap), C.unsigned(opts.MaxPagesWeek)
	o.rest_after_ms = C.int64_t(opts.RestAfter.Milliseconds())
	// The array of incident pointers lives in C memory (cgo pointer rules).
	n := len(incidents)
	arr := (**C.inc_incident)(C.calloc(C.size_t(n+1), C.size_t(unsafe.Sizeof(uintptr(0)))))
	defer C.free(unsafe.Pointer(arr))
	p, err := r.lock()
	if err != nil {
		return Findings{}, err
	}
	defer r.ctx.mu.Unlock()
	slots := unsafe.Slice(arr, n+1)
	for i, inc := range incidents {
		if inc == nil || inc.st.p == nil {
			return Findings{}, newError(C.INC_EINVAL, "check: incident is nil or closed")
		}
		slots[i] = inc.st.p
	}
	var list *C.inc_findings
	if rc := C.inc_rotation_check(p, arr, C.size_t(n), &o, &list); rc != 0 {
		return Findings{}, newError(rc, C.GoString(C.inc_rotation_errmsg(p)))
	}
	runtime.KeepAlive(incidents)
	return takeFindings(list)
}

// SetZoneinfoDir reads time zones from dir from now on; "" for
// /usr/share/zoneinfo (inc_context_set_zoneinfo_dir).
func (c *Session) SetZoneinfoDir(dir string) error {
	cd := cstr(dir, true)
	defer free(cd)
	return c.do(func(p *C.inc_context) C.int { return C.inc_context_set_zoneinfo_dir(p, cd) })
}

// ZoneinfoDir is the directory time zones are read from (inc_context_zoneinfo_dir).
func (c *Session) ZoneinfoDir() string {
	p, err := c.lock()
	if err != nil {
		return ""
	}
	defer c.mu.Unlock()
	return goStringOr(C.inc_context_zoneinfo_dir(p), "")
}

// ToLocal converts t to the local time of zone (inc_zone_to_local).
func (c *Session) ToLocal(zone string, t time.Time) (LocalTime, error) {
	cz := C.CString(zone)
	defer free(cz)
	p, err := c.lock()
	if err != nil {
		return LocalTime{}, err
	}
	defer c.mu.Unlock()
	var l C.inc_local_time
	if rc := C.inc_zone_to_local(p, cz, fromTime(t), &l); rc != 0 {
		return LocalTime{}, c.fail(rc, "")
	}
	return LocalTime{Year: int(l.year), Month: int(l.month), Day: int(l.day), Hour: int(l.hour),
		Minute: int(l.minute), Second: int(l.second), Millis: int(l.ms), Weekday: time.Weekday(l.weekday),
		UTCOffset: time.Duration(l.utc_offset) * time.Second, IsDST: l.is_dst != 0,
		Abbr: C.GoString(&l.abbr[0])}, nil
}

// FromLocal converts a local time of zone to a time, with the hand-off
// rules: a time that occurs twice is the first, one that does not exist
// the next valid minute (inc_zone_from_local).
func (c *Session) FromLocal(zone string, l LocalTime) (time.Time, error) {
	for _, v := range []int{l.Month, l.Day, l.Hour, l.Minute, l.Second, l.Millis} {
		if v < 0 {
			return time.Time{}, newError(C.INC_EINVAL, "local: a negative field")
		}
	}
	var cl C.inc_local_time
	cl.year, cl.month, cl.day = C.int(l.Year), C.unsigned(l.Month), C.unsigned(l.Day)
	cl.hour, cl.minute, cl.second, cl.ms = C.unsigned(l.Hour), C.unsigned(l.Minute), C.unsigned(l.Second), C.unsigned(l.Millis)
	cz := C.CString(zone)
	defer free(cz)
	p, err := c.lock()
	if err != nil {
		return time.Time{}, err
	}
	defer c.mu.Unlock()
	var out C.inc_time
	if rc := C.inc_zone_from_local(p, cz, &cl, &out); rc != 0 {
		return time.Time{}, c.fail(rc, "")
	}
	return toTime(out), nil
}

// AddRotation registers a copy of r for escalation targets, replacing one
// of the same name (inc_context_add_rotation).
func (c *Session) AddRotation(r *Rotation) error {
	p, err := c.lock()
	if err != nil {
		return err
	}
	defer c.mu.Unlock()
	if r == nil || r.st.p == nil {
		return errClosed("rotation")
	}
	if r.ctx.mu != c.mu {
		return newError(C.INC_EINVAL, "rotation: made from another context")
	}
	if rc := C.inc_context_add_rotation(p, r.st.p); rc != 0 {
		return c.fail(rc, "")
	}
	return nil
}

// RemoveRotation removes a registered rotation (inc_context_remove_rotation).
func (c *Session) RemoveRotation(name string) error {
	cn := C.CString(name)
	defer free(cn)
	return c.do(func(p *C.inc_context) C.int { return C.inc_context_remove_rotation(p, cn) })
}

// Rotation returns a copy of the registered rotation name
// (inc_context_rotation); ErrNotFound when none is.
func (c *Session) Rotation(name string) (*Rotation, error) {
	cn := C.CString(name)
	defer free(cn)
	p, err := c.lock()
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	rp := C.inc_context_rotation(p, cn)
	if rp == nil {
		return nil, newError(C.INC_ENOTFOUND, "no rotation named '"+name+"' is registered")
	}
	return c.dupRotation(rp)
}

// Rotations returns copies of every registered rotation, in the order
// first registered (inc_context_rotation_count, inc_context_rotation_at).
func (c *Session) Rotations() ([]*Rotation, error) {
	p, err := c.lock()
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	n := int(C.inc_context_rotation_count(p))
	out := make([]*Rotation, 0, n)
	for i := 0; i < n; i++ {
		r, err := c.dupRotation(C.inc_context_rotation_at(p, C.size_t(i)))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// SetDefaultRotation names the rotation "on-call" and "backup" resolve
// through; "" for the first registered (inc_context_set_default_rotation).
func (c *Session) SetDefaultRotation(name string) error {
	cn := cstr(name, true)
	defer free(cn)
	return c.do(func(p *C.inc_context) C.int { return C.inc_context_set_default_rotation(p, cn) })
}

// ResolveTargets resolves escalation targets ("rotation:payments,team-lead")
// to people at t, in order, each once (ONC-2; inc_context_resolve_targets).
func (c *Session) ResolveTargets(targets string, t time.Time) ([]string, error) {
	ct := C.CString(targets)
	defer free(ct)
	p, err := c.lock()
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var out *C.char
	var n C.size_t
	if rc := C.inc_context_resolve_targets(p, ct, fromTime(t), &out, &n); rc != 0 {
		return nil, c.fail(rc, "")
	}
	s := takeString(out, n)
	if s == "" {
		return nil, nil
	}
	return strings.Split(s, ","), nil
}

// AddRotationEscalation appends ONC-2's pair of steps for a rotation to a
// level: page its primary once unacknowledged for after, its secondary
// window later (0: SecondaryWindow) if still unacknowledged
// (inc_rubric_add_rotation_escalation).
func (r *Rubric) AddRotationEscalation(level int, after time.Duration, rotation string, window time.Duration) error {
	defer runtime.KeepAlive(r)
	p, err := r.level(level)
	if err != nil {
		return err
	}
	if window < 0 {
		return newError(C.INC_EINVAL, "window: negative")
	}
	cs := C.CString(rotation)
	defer free(cs)
	return r.check(C.inc_rubric_add_rotation_escalation(p, C.size_t(level), C.int64_t(after.Milliseconds()), cs,
		C.int64_t(window.Milliseconds())))
}

// ICal is the shifts of r, and of more rotations of the same context, over
// [from, to) as an iCalendar document (RFC 5545, ONC-7;
// inc_rotation_write_ical): one event per stretch, stable UIDs, UTC times,
// CRLF lines folded at 75 octets. With person != "", only that person's
// stretches across the rotations.
func (r *Rotation) ICal(from, to time.Time, person string, others ...*Rotation) (string, error) {
	for _, o := range others {
		if o.ctx != r.ctx {
			return "", &Error{Code: CodeInvalid, Name: CodeInvalid.String(), Message: "ical: every rotation must belong to the same context"}
		}
	}
	p, err := r.lock()
	if err != nil {
		return "", err
	}
	defer r.ctx.mu.Unlock()
	n := 1 + len(others)
	arr := (*[1 << 20]*C.inc_rotation)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(p))))[:n:n]
	defer C.free(unsafe.Pointer(&arr[0]))
	arr[0] = p
	for i, o := range others {
		if o.st.p == nil {
			return "", errClosed("rotation")
		}
		arr[i+1] = o.st.p
	}
	var cp *C.char
	if person != "" {
		cp = C.CString(person)
		defer free(cp)
	}
	var out *C.char
	var length C.size_t
	if rc := C.inc_rotation_write_ical(&arr[0], C.size_t(n), cp, fromTime(from), fromTime(to), &out, &length); rc != 0 {
		return "", newError(rc, C.GoString(C.inc_rotation_errmsg(p)))
	}
	return takeString(out, length), nil
}
