package incident

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"
)

// SessionOptions are the options of NewSession (inc_context_options).
type SessionOptions struct {
	// Clock returns the current time; nil for the system's UTC clock. It is
	// called with the session's mutex held: it must not call this package.
	Clock func() time.Time
	// Store holds the timelines; it must stay open while the session is.
	// nil for a new memory store owned by the context.
	Store *Store
	// Rubric is copied; nil for the built-in Sev-0..Sev-4 preset.
	Rubric *Rubric
	// Policy says how role rules are enforced.
	Policy Policy
}

// Session is the entry point: incidents are declared, opened and imported
// through it (inc_context). It is safe for concurrent use: calls on a
// context and its incidents are serialized on a mutex shared by every
// context on the same store. Close it when done; a finalizer frees a
// forgotten one.
type Session struct {
	st    *ctxState
	mu    *sync.Mutex
	store *Store // the store given (kept alive), or a view of the session's own
}

// ctxState is the C side of a session, reachable from its store for
// closing, without a reference back (so finalizers see no cycle).
type ctxState struct {
	p         *C.inc_context
	clock     cgo.Handle
	incidents map[*incState]struct{}
	view      *Store      // the session's own memory store, if it has one
	sched     *schedState // its scheduler, if it has one
	rotations map[*rotState]struct{}
	routers   map[*routerState]struct{}
	lint      *LintConfig // the lint configuration set, kept alive while set
	feeds     map[*feedState]struct{}
}

// close frees the scheduler, the incidents and the rotations, then the
// session (the library needs them freed first). Called with the mutex held.
func (st *ctxState) close() {
	if st.p == nil {
		return
	}
	if st.sched != nil {
		st.sched.free()
		st.sched = nil
	}
	for is := range st.incidents {
		is.free()
	}
	st.incidents = nil
	for rs := range st.rotations { // freed before their session
		rs.free()
	}
	st.rotations = nil
	for rs := range st.routers { // they hold incidents of the context
		rs.free()
	}
	st.routers = nil
	for fs := range st.feeds {
		fs.free()
	}
	st.feeds = nil
	C.inc_context_free(st.p)
	st.p = nil
	if st.clock != 0 {
		st.clock.Delete()
		st.clock = 0
	}
	if st.view != nil {
		st.view.p = nil
	}
}

// NewSession makes a session (inc_context_new); opts may be nil for every default.
func NewSession(opts *SessionOptions) (*Session, error) {
	if opts == nil {
		opts = &SessionOptions{}
	}
	var o C.inc_context_options
	if rc := C.inc_context_options_init(&o, C.INC_CONTEXT_OPTIONS_VERSION); rc != 0 {
		return nil, newError(rc, "")
	}
	mu := new(sync.Mutex)
	if opts.Store != nil {
		mu = opts.Store.mu
	}
	mu.Lock()
	defer mu.Unlock()
	if opts.Store != nil {
		if opts.Store.p == nil {
			return nil, errClosed("store")
		}
		o.store = opts.Store.p
	}
	if opts.Rubric != nil {
		if opts.Rubric.p == nil {
			return nil, errClosed("rubric")
		}
		o.rubric = opts.Rubric.p
	}
	o.policy = C.inc_policy(opts.Policy)
	st := &ctxState{incidents: map[*incState]struct{}{}, rotations: map[*rotState]struct{}{},
		routers: map[*routerState]struct{}{}, feeds: map[*feedState]struct{}{}}
	if opts.Clock != nil {
		st.clock = cgo.NewHandle(opts.Clock)
		o.clock = C.inc_go_clock_fn()
		o.clock_user = C.inc_go_handle_ptr(C.uintptr_t(st.clock))
	}
	rc := C.inc_context_new(&o, &st.p)
	runtime.KeepAlive(opts.Rubric)
	if rc != 0 {
		if st.clock != 0 {
			st.clock.Delete()
		}
		msg := ""
		if opts.Rubric != nil && rc == C.INC_EINVAL {
			msg = "rubric: " + C.GoString(C.inc_rubric_errmsg(opts.Rubric.p))
		}
		return nil, newError(rc, msg)
	}
	c := &Session{st: st, mu: mu, store: opts.Store}
	if opts.Store != nil {
		opts.Store.contexts[st] = struct{}{}
	} else {
		view := &Store{mu: mu, p: C.inc_context_store(st.p), borrowed: true}
		st.view, c.store = view, view
	}
	runtime.SetFinalizer(c, (*Session).Close)
	return c, nil
}

// Close closes the session's open incidents, then frees it (inc_context_free).
// It is safe to call twice.
func (c *Session) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st.p != nil {
		c.st.close()
		if c.store != nil && !c.store.borrowed && c.store.contexts != nil {
			delete(c.store.contexts, c.st)
		}
	}
	runtime.SetFinalizer(c, nil)
	return nil
}

// lock takes the mutex and returns the C context, or an error if closed.
func (c *Session) lock() (*C.inc_context, error) {
	return c.lockCtx(context.Background())
}

// lockCtx is lock that gives up with ctx.Err() when ctx is done before the
// mutex is held (see lockMutex).
func (c *Session) lockCtx(ctx context.Context) (*C.inc_context, error) {
	if err := lockMutex(ctx, c.mu); err != nil {
		return nil, err
	}
	if c.st.p == nil {
		c.mu.Unlock()
		return nil, errClosed("session")
	}
	return c.st.p, nil
}

// do runs one C call on the locked context and turns its status into an
// error (nil on INC_OK).
func (c *Session) do(call func(p *C.inc_context) C.int) error {
	p, err := c.lock()
	if err != nil {
		return err
	}
	defer c.mu.Unlock()
	if rc := call(p); rc != 0 {
		return c.fail(rc, "")
	}
	return nil
}

// fail builds the error of a failed call on the context.
func (c *Session) fail(rc C.int, message string) error {
	if message == "" {
		message = C.GoString(C.inc_context_errmsg(c.st.p))
	}
	return c.store.fail(rc, message)
}

// Now is the current time by the session's clock (inc_context_now).
func (c *Session) Now() time.Time {
	p, err := c.lock()
	if err != nil {
		return time.Time{}
	}
	defer c.mu.Unlock()
	return toTime(C.inc_context_now(p))
}

// Store is the session's store: the one given, or a view of its own memory
// store (valid while the session is open; closing the view does nothing).
func (c *Session) Store() *Store { return c.store }

// Rubric returns a copy of the rubric new incidents are declared under.
func (c *Session) Rubric() (*Rubric, error) {
	p, err := c.lock()
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return dupRubric(C.inc_context_rubric(p))
}

// SetRubric replaces the rubric for incidents declared from now on (RUB-4).
func (c *Session) SetRubric(r *Rubric) error {
	rp, err := r.handle()
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(r)
	return c.do(func(p *C.inc_context) C.int { return C.inc_context_set_rubric(p, rp) })
}

// Policy is the enforcement policy (inc_context_policy).
func (c *Session) Policy() Policy {
	p, err := c.lock()
	if err != nil {
		return PolicyAdvisory
	}
	defer c.mu.Unlock()
	return Policy(C.inc_context_policy(p))
}

// SetPolicy changes the enforcement policy (inc_context_set_policy).
func (c *Session) SetPolicy(policy Policy) error {
	p, err := c.lock()
	if err != nil {
		return err
	}
	defer c.mu.Unlock()
	if rc := C.inc_context_set_policy(p, C.inc_policy(policy)); rc != 0 {
		return c.fail(rc, "policy: not a policy")
	}
	return nil
}

// SetLintConfig makes every lint of the session's incidents (recorded
// updates, CAN reports, briefings, templates, postmortem sections) use a
// team's configuration; nil goes back to the defaults
// (inc_context_set_lint_config). The session keeps cfg alive while it is
// set: do not Close it before setting another or closing the session.
func (c *Session) SetLintConfig(cfg *LintConfig) error {
	h, err := cfg.handle()
	if err != nil {
		return err
	}
	p, err := c.lock()
	if err != nil {
		return err
	}
	defer c.mu.Unlock()
	if rc := C.inc_context_set_lint_config(p, h); rc != 0 {
		return c.fail(rc, "lint config: not set")
	}
	c.st.lint = cfg
	return nil
}

// List returns every incident id in the session's store (inc_context_list).
func (c *Session) List() ([]string, error) {
	return c.ListContext(context.Background())
}

// ListContext is List that does not start once ctx is done.
func (c *Session) ListContext(ctx context.Context) ([]string, error) {
	p, err := c.lockCtx(ctx)
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var ids []string
	h := cgo.NewHandle(&ids)
	defer h.Delete()
	if rc := C.inc_context_list(p, C.inc_go_id_cb(), C.inc_go_handle_ptr(C.uintptr_t(h))); rc < 0 {
		return nil, c.fail(rc, "")
	}
	return ids, nil
}

// DeclareOptions describe a declaration (inc_declare_options).
type DeclareOptions struct {
	Title         string    // required
	Declarer      string    // required: IC until one is assigned (DEC-1)
	Severity      string    // required: a level of the session's rubric
	Criteria      Criteria  // the DEC-2 criteria that applied
	ImpactStarted time.Time // zero for unknown
	Detected      time.Time // zero for unknown
	Drill         bool      // a Game Day drill (DEC-4)
	Slug          string    // for the channel name; "" to derive it from the title
}

// Declare declares an incident (inc_incident_declare).
func (c *Session) Declare(d DeclareOptions) (*Incident, error) {
	return c.DeclareContext(context.Background(), d)
}

// DeclareContext is Declare that does not start once ctx is done.
func (c *Session) DeclareContext(ctx context.Context, d DeclareOptions) (*Incident, error) {
	var o C.inc_declare_options
	if rc := C.inc_declare_options_init(&o, C.INC_DECLARE_OPTIONS_VERSION); rc != 0 {
		return nil, newError(rc, "")
	}
	o.title, o.declarer, o.severity = cstr(d.Title, false), cstr(d.Declarer, false), cstr(d.Severity, false)
	o.slug = cstr(d.Slug, true)
	defer func() { free(o.title); free(o.declarer); free(o.severity); free(o.slug) }()
	o.criteria = C.unsigned(d.Criteria)
	o.impact_started, o.detected = fromTime(d.ImpactStarted), fromTime(d.Detected)
	o.drill = cbool(d.Drill)
	p, err := c.lockCtx(ctx)
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var ip *C.inc_incident
	if rc := C.inc_incident_declare(p, &o, &ip); rc != 0 {
		return nil, c.fail(rc, "")
	}
	return c.adopt(ip), nil
}

// Open opens an incident by id, replaying its timeline (inc_incident_open).
func (c *Session) Open(id string) (*Incident, error) {
	return c.OpenContext(context.Background(), id)
}

// OpenContext is Open that does not start once ctx is done.
func (c *Session) OpenContext(ctx context.Context, id string) (*Incident, error) {
	cid := C.CString(id)
	defer free(cid)
	p, err := c.lockCtx(ctx)
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var ip *C.inc_incident
	if rc := C.inc_incident_open(p, cid, &ip); rc != 0 {
		return nil, c.fail(rc, "")
	}
	return c.adopt(ip), nil
}

// ImportJSON imports an incident exported by ExportJSON into the store
// (inc_incident_import_json) and returns it open. Bad input touches
// nothing; the *Error has Offset (and Line) set.
func (c *Session) ImportJSON(doc []byte) (*Incident, error) {
	return c.ImportJSONContext(context.Background(), doc)
}

// ImportJSONContext is ImportJSON that does not start once ctx is done.
func (c *Session) ImportJSONContext(ctx context.Context, doc []byte) (*Incident, error) {
	data := C.CBytes(doc)
	defer C.free(data)
	diag := (*C.inc_diag)(C.calloc(1, C.size_t(unsafe.Sizeof(C.inc_diag{}))))
	defer C.free(unsafe.Pointer(diag))
	p, err := c.lockCtx(ctx)
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var ip *C.inc_incident
	if rc := C.inc_incident_import_json(p, (*C.char)(data), C.size_t(len(doc)), &ip, diag); rc != 0 {
		e := c.fail(rc, C.GoString(&diag.message[0])).(*Error)
		e.Line, e.Offset = int(diag.line), int64(diag.offset)
		return nil, e
	}
	return c.adopt(ip), nil
}
