package incident

// #include <stdlib.h>
// #include <string.h>
// #include <incident.h>
import "C"

import (
	"context"
	"strings"
	"time"
	"unsafe"
)

// CANSlot is a slot of a CAN report (inc_can_slot): the Finding.Slot of
// CAN lint findings (-1 for the whole report).
type CANSlot int

// The slots.
const (
	CANConditions CANSlot = C.INC_CAN_CONDITIONS
	CANActions    CANSlot = C.INC_CAN_ACTIONS
	CANNeeds      CANSlot = C.INC_CAN_NEEDS
)

// CANKind is what a CAN report is for (inc_can_kind, CAN-4).
type CANKind int

// The kinds.
const (
	CANSMEToIC    CANKind = C.INC_CAN_SME_TO_IC   // an SME's update to the IC
	CANTopOfHour  CANKind = C.INC_CAN_TOP_OF_HOUR // the IC's top-of-hour report (the response-channel update)
	CANHandoff    CANKind = C.INC_CAN_HANDOFF     // a hand-off briefing between ICs
	CANEscalation CANKind = C.INC_CAN_ESCALATION  // an escalation briefing (needs an addressee)
)

// String is the stable name, such as "top-of-hour" (inc_can_kind_name).
func (k CANKind) String() string {
	return goStringOr(C.inc_can_kind_name(C.inc_can_kind(k)), "can-kind?")
}

// ParseCANKind looks a kind up by its stable name, case-insensitively
// (inc_can_kind_from_name).
func ParseCANKind(name string) (CANKind, error) {
	cs := C.CString(name)
	defer free(cs)
	var out C.inc_can_kind
	if rc := C.inc_can_kind_from_name(cs, &out); rc != 0 {
		return 0, newError(rc, "no CAN report kind named '"+name+"'")
	}
	return CANKind(out), nil
}

// DecisionStatus is where a decision asked of the IC stands (inc_decision_status).
type DecisionStatus int

// The statuses.
const (
	DecisionPending  DecisionStatus = C.INC_DECISION_PENDING
	DecisionApproved DecisionStatus = C.INC_DECISION_APPROVED
	DecisionDenied   DecisionStatus = C.INC_DECISION_DENIED
)

// String is the stable name, such as "approved" (inc_decision_status_name).
func (s DecisionStatus) String() string {
	return goStringOr(C.inc_decision_status_name(C.inc_decision_status(s)), "decision?")
}

// CANNeedsNone reports whether a Needs text is an explicit "nothing
// needed" ("none", "n/a", ...; inc_can_needs_none). "" is an omitted
// Needs: false.
func CANNeedsNone(needs string) bool {
	cs := C.CString(needs)
	defer free(cs)
	return C.inc_can_needs_none(cs) != 0
}

// CANNeedAsksDecision reports whether one Needs item asks the IC for
// approval or a decision (CAN-3; inc_can_need_asks_decision).
func CANNeedAsksDecision(item string) bool {
	cs := C.CString(item)
	defer free(cs)
	return C.inc_can_need_asks_decision(cs) != 0
}

// LintCAN lints a CAN report on its text alone, no incident needed (CAN-1,
// CAN-2; inc_can_lint). "" is a blank slot; a blank Needs is an omitted
// one. Each finding's Slot is a CANSlot (-1 for the whole report), and
// Offset and Length locate the offending words in bytes of that slot.
func LintCAN(conditions, actions, needs string) (Findings, error) {
	c, a, n := cstr(conditions, true), cstr(actions, true), cstr(needs, true)
	defer func() { free(c); free(a); free(n) }()
	var list *C.inc_findings
	if rc := C.inc_can_lint(c, a, n, nil, &list); rc != 0 {
		return Findings{}, newError(rc, "CAN lint: text not UTF-8 or longer than INC_TEXT_MAX")
	}
	return takeFindings(list)
}

// CANToDispatchJSON writes a CAN report as the JSON of a Netflix Dispatch
// tactical report (inc_can_to_dispatch_json).
func CANToDispatchJSON(conditions, actions, needs string) ([]byte, error) {
	c, a, n := cstr(conditions, true), cstr(actions, true), cstr(needs, true)
	defer func() { free(c); free(a); free(n) }()
	var out *C.char
	var length C.size_t
	if rc := C.inc_can_to_dispatch_json(c, a, n, nil, &out, &length); rc != 0 {
		return nil, newError(rc, "Dispatch JSON: text not UTF-8")
	}
	return []byte(takeString(out, length)), nil
}

// CANFromDispatchJSON reads a Dispatch tactical report, at the top level
// or inside "details" (inc_can_from_dispatch_json). An absent, null or
// empty member gives "". Bad input is an *Error with Offset set.
func CANFromDispatchJSON(doc []byte) (conditions, actions, needs string, err error) {
	data := C.CBytes(doc)
	defer C.free(data)
	diag := (*C.inc_diag)(C.calloc(1, C.size_t(unsafe.Sizeof(C.inc_diag{}))))
	defer C.free(unsafe.Pointer(diag))
	var c, a, n *C.char
	if rc := C.inc_can_from_dispatch_json((*C.char)(data), C.size_t(len(doc)), nil, &c, &a, &n, diag); rc != 0 {
		e := newError(rc, C.GoString(&diag.message[0])).(*Error)
		e.Offset = int64(diag.offset)
		return "", "", "", e
	}
	take := func(p *C.char) string {
		if p == nil {
			return ""
		}
		return takeString(p, C.strlen(p))
	}
	return take(c), take(a), take(n), nil
}

// CANReport is a CAN report to record (inc_can_report). Addressee "" means
// the current IC (SME to IC) or the incident channel (top of hour); a
// blank Needs is an omitted one (a finding): say "none".
type CANReport struct {
	Kind       CANKind
	Addressee  string
	Conditions string
	Actions    string
	Needs      string
}

// CANInfo is a recorded CAN report (inc_can_info).
type CANInfo struct {
	Seq           uint64
	Time          time.Time
	Kind          CANKind
	Author        string
	Addressee     string
	Conditions    string
	Actions       string
	Needs         string   // "" when it was omitted
	NeedsNone     bool     // an explicit "none"
	Findings      []string // the lint finding IDs recorded with it
	DecisionCount int      // pending decisions it opened (CAN-3)
	FirstDecision uint64   // the first of them (consecutive ids), or 0
}

// Decision is a decision asked of the IC (inc_decision_info, CAN-3).
type Decision struct {
	ID          uint64
	Status      DecisionStatus
	Text        string
	RequestedBy string
	RequestedAt time.Time
	RequestSeq  uint64    // the CAN report or request that asked
	DecidedBy   string    // "" while pending
	DecidedAt   time.Time // zero while pending
	DecisionSeq uint64    // 0 while pending
	Note        string
}

// splitIDs splits a comma-separated list from the library.
func splitIDs(p *C.char) []string {
	s := goStringOr(p, "")
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// ReportCAN records a CAN report (CAN-1, CAN-4; inc_incident_add_can), lints
// it (CAN-2) and opens a pending decision for each Need that asks the IC
// for one (CAN-3). It returns the event's sequence number and the
// findings, which never block recording.
func (inc *Incident) ReportCAN(author string, r CANReport) (uint64, Findings, error) {
	return inc.ReportCANContext(context.Background(), author, r)
}

// ReportCANContext is ReportCAN that does not start once ctx is done.
func (inc *Incident) ReportCANContext(ctx context.Context, author string, r CANReport) (uint64, Findings, error) {
	var rep C.inc_can_report
	C.inc_can_report_init(&rep, C.INC_CAN_REPORT_VERSION)
	rep.kind = C.inc_can_kind(r.Kind)
	rep.addressee, rep.conditions = cstr(r.Addressee, true), cstr(r.Conditions, true)
	rep.actions, rep.needs = cstr(r.Actions, true), cstr(r.Needs, true)
	a := C.CString(author)
	defer func() { free(a); free(rep.addressee); free(rep.conditions); free(rep.actions); free(rep.needs) }()
	var list *C.inc_findings
	var seq C.uint64_t
	if err := inc.callCtx(ctx, func(p *C.inc_incident) C.int { return C.inc_incident_add_can(p, a, &rep, &list, &seq) }); err != nil {
		return 0, Findings{}, err
	}
	f, err := takeFindings(list)
	return uint64(seq), f, err
}

// CANReports are the recorded CAN reports, in order (inc_incident_can_count,
// inc_incident_get_can).
func (inc *Incident) CANReports() []CANInfo {
	p, err := inc.lock()
	if err != nil {
		return nil
	}
	defer inc.ctx.mu.Unlock()
	n := int(C.inc_incident_can_count(p))
	out := make([]CANInfo, 0, n)
	for i := 0; i < n; i++ {
		var c C.inc_can_info
		if C.inc_incident_get_can(p, C.size_t(i), &c) != 0 {
			continue
		}
		out = append(out, CANInfo{
			Seq: uint64(c.seq), Time: toTime(c.time), Kind: CANKind(c.kind),
			Author: goStringOr(c.author, ""), Addressee: goStringOr(c.addressee, ""),
			Conditions: goStringOr(c.conditions, ""), Actions: goStringOr(c.actions, ""),
			Needs: goStringOr(c.needs, ""), NeedsNone: c.needs_none != 0, Findings: splitIDs(c.findings),
			DecisionCount: int(c.decision_count), FirstDecision: uint64(c.first_decision),
		})
	}
	return out
}

// indexJSON renders item index of the incident with a const C call, which
// leaves no message on the incident: the error names the item.
func (inc *Incident) indexJSON(what string, index int, fn func(p *C.inc_incident, i C.size_t, out **C.char, n *C.size_t) C.int) ([]byte, error) {
	if index < 0 {
		return nil, newError(C.INC_ENOTFOUND, what+": negative index")
	}
	p, err := inc.lock()
	if err != nil {
		return nil, err
	}
	defer inc.ctx.mu.Unlock()
	var out *C.char
	var n C.size_t
	if rc := fn(p, C.size_t(index), &out, &n); rc != 0 {
		msg := what + ": failed"
		switch rc {
		case C.INC_ENOTFOUND:
			msg = what + ": no such item"
		case C.INC_EINVAL:
			msg = what + ": not an item this format can write"
		}
		return nil, newError(rc, msg)
	}
	return []byte(takeString(out, n)), nil
}

// CANDispatchJSON writes recorded CAN report index as Dispatch
// tactical-report JSON (inc_incident_can_dispatch_json).
func (inc *Incident) CANDispatchJSON(index int) ([]byte, error) {
	return inc.indexJSON("CAN report", index, func(p *C.inc_incident, i C.size_t, out **C.char, n *C.size_t) C.int {
		return C.inc_incident_can_dispatch_json(p, i, out, n)
	})
}

// RequestDecision asks the IC for a decision outside a CAN report
// (inc_incident_request_decision); anyone may. It returns the decision's id.
func (inc *Incident) RequestDecision(actor, text string) (uint64, error) {
	a, t := C.CString(actor), C.CString(text)
	defer func() { free(a); free(t) }()
	var id C.uint64_t
	err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_request_decision(p, a, t, &id) })
	return uint64(id), err
}

// Decide approves or denies a pending decision; only the IC may (AUTH-1;
// inc_incident_decide). note may be "".
func (inc *Incident) Decide(actor string, id uint64, approve bool, note string) error {
	a, n := C.CString(actor), cstr(note, true)
	defer func() { free(a); free(n) }()
	return inc.call(func(p *C.inc_incident) C.int {
		return C.inc_incident_decide(p, a, C.uint64_t(id), cbool(approve), n)
	})
}

// Decisions are every decision asked, pending or answered, in order of id
// (inc_incident_decision_count, inc_incident_get_decision).
func (inc *Incident) Decisions() []Decision {
	p, err := inc.lock()
	if err != nil {
		return nil
	}
	defer inc.ctx.mu.Unlock()
	n := int(C.inc_incident_decision_count(p))
	out := make([]Decision, 0, n)
	for i := 0; i < n; i++ {
		var d C.inc_decision_info
		if C.inc_incident_get_decision(p, C.size_t(i), &d) != 0 {
			continue
		}
		out = append(out, Decision{
			ID: uint64(d.id), Status: DecisionStatus(d.status), Text: goStringOr(d.text, ""),
			RequestedBy: goStringOr(d.requested_by, ""), RequestedAt: toTime(d.requested_at),
			RequestSeq: uint64(d.request_seq), DecidedBy: goStringOr(d.decided_by, ""),
			DecidedAt: toTime(d.decided_at), DecisionSeq: uint64(d.decision_seq), Note: goStringOr(d.note, ""),
		})
	}
	return out
}

// PendingDecisionCount is how many decisions wait for the IC
// (inc_incident_decision_pending_count).
func (inc *Incident) PendingDecisionCount() int {
	return int(inc.num(func(p *C.inc_incident) int64 { return int64(C.inc_incident_decision_pending_count(p)) }))
}
