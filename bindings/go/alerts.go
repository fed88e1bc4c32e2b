package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"runtime"
	"unsafe"
)

// AlertRouter is a routing file (lib/docs/alert-routing.md) read for the
// intake of Alertmanager webhooks and PagerDuty events into the incidents
// of a Session (inc_alert_router; incident/alerts.h, ALERT-1..ALERT-3).
// Closing the context closes it.
type AlertRouter struct {
	st  *routerState
	ctx *Session
}

type routerState struct {
	p *C.inc_alert_router
}

func (rs *routerState) free() {
	if rs.p != nil {
		C.inc_alert_router_free(rs.p)
		rs.p = nil
	}
}

// AlertOutcome is what one intake did (inc_alert_outcome).
type AlertOutcome struct {
	Alerts, Attached, Declared, Recorded, Paged, Suppressed, Unrouted int
	IncidentID                                                        string // the last incident an alert reached, "" if none
}

// ParseAlertRouter reads a routing file (inc_alert_router_parse); file names
// it in messages ("" for "routing"). A failure is an *Error with Line set.
func ParseAlertRouter(c *Session, file string, text []byte) (*AlertRouter, error) {
	data := C.CBytes(text)
	defer C.free(data)
	f := cstr(file, file == "")
	defer free(f)
	diag := (*C.inc_diag)(C.calloc(1, C.size_t(unsafe.Sizeof(C.inc_diag{}))))
	defer C.free(unsafe.Pointer(diag))
	p, err := c.lock()
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var out *C.inc_alert_router
	if rc := C.inc_alert_router_parse(p, f, (*C.char)(data), C.size_t(len(text)), &out, diag); rc != 0 {
		e := newError(rc, C.GoString(&diag.message[0])).(*Error)
		e.Line, e.Offset = int(diag.line), int64(diag.offset)
		return nil, e
	}
	rs := &routerState{p: out}
	c.st.routers[rs] = struct{}{}
	r := &AlertRouter{st: rs, ctx: c}
	runtime.SetFinalizer(r, (*AlertRouter).Close)
	return r, nil
}

// Close frees the router (inc_alert_router_free) without writing pending
// counts (see Flush). It is safe to call twice.
func (r *AlertRouter) Close() error {
	r.ctx.mu.Lock()
	defer r.ctx.mu.Unlock()
	if r.st.p != nil {
		r.st.free()
		delete(r.ctx.st.routers, r.st)
	}
	runtime.SetFinalizer(r, nil)
	return nil
}

func (r *AlertRouter) lock() (*C.inc_alert_router, error) {
	r.ctx.mu.Lock()
	if r.st.p == nil {
		r.ctx.mu.Unlock()
		return nil, newError(C.INC_EINVAL, "alert router: closed")
	}
	return r.st.p, nil
}

// Intake takes in one Alertmanager (version 4) or PagerDuty Events v2
// document (inc_alert_router_intake); the message of a failure is
// inc_alert_router_errmsg's.
func (r *AlertRouter) Intake(doc []byte) (AlertOutcome, error) {
	data := C.CBytes(doc)
	defer C.free(data)
	p, err := r.lock()
	if err != nil {
		return AlertOutcome{}, err
	}
	defer r.ctx.mu.Unlock()
	var o C.inc_alert_outcome
	if rc := C.inc_alert_router_intake(p, (*C.char)(data), C.size_t(len(doc)), &o); rc != 0 {
		return AlertOutcome{}, newError(rc, C.GoString(C.inc_alert_router_errmsg(p)))
	}
	return AlertOutcome{int(o.alerts), int(o.attached), int(o.declared), int(o.recorded),
		int(o.paged), int(o.suppressed), int(o.unrouted), C.GoString(&o.incident_id[0])}, nil
}

// Flush writes the repeat counts not yet written (inc_alert_router_flush)
// and returns how many events it wrote.
func (r *AlertRouter) Flush() (int, error) {
	p, err := r.lock()
	if err != nil {
		return 0, err
	}
	defer r.ctx.mu.Unlock()
	var n C.size_t
	if rc := C.inc_alert_router_flush(p, &n); rc != 0 {
		return 0, newError(rc, C.GoString(C.inc_alert_router_errmsg(p)))
	}
	return int(n), nil
}
