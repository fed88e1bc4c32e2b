package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// DueKind is the kind of a due item (inc_due_kind); the numbers are
// recorded on the timeline.
type DueKind int

// The kinds.
const (
	DueEscalation       DueKind = C.INC_DUE_ESCALATION        // ESC-1: page the step's target
	DueAck              DueKind = C.INC_DUE_ACK               // ESC-3: not acknowledged within the target
	DueAckExpired       DueKind = C.INC_DUE_ACK_EXPIRED       // ESC-3: an acknowledgement expired
	DueHeartbeat        DueKind = C.INC_DUE_HEARTBEAT         // COMM-2: an audience's update is due
	DueComm             DueKind = C.INC_DUE_COMM              // COMM-4: a required communication is missing
	DueStaffing         DueKind = C.INC_DUE_STAFFING          // ROLE-10: minimum staffing not met
	DueScribe           DueKind = C.INC_DUE_SCRIBE            // ROLE-12: no Scribe within the window
	DueDeadlineReminder DueKind = C.INC_DUE_DEADLINE_REMINDER // REG-1: a deadline clock's reminder
	DueDeadline         DueKind = C.INC_DUE_DEADLINE          // REG-1: a deadline reached and not met
	DuePostmortem       DueKind = C.INC_DUE_POSTMORTEM        // PM-2: the postmortem is due
	DueActionItem       DueKind = C.INC_DUE_ACTION_ITEM       // PM-3: an open action item reached its due date
	DueAlertResolved    DueKind = C.INC_DUE_ALERT_RESOLVED    // ALERT-3: the alerts resolved; the IC considers resolving
)

// String is the stable name, such as "escalation" (inc_due_kind_name).
func (k DueKind) String() string {
	return goStringOr(C.inc_due_kind_name(C.inc_due_kind(k)), "due?")
}

// DeadlineClockStatus is where a deadline clock stands (inc_deadline_clock_status).
type DeadlineClockStatus int

// The statuses.
const (
	DeadlineClockRunning   DeadlineClockStatus = C.INC_DEADLINE_CLOCK_RUNNING
	DeadlineClockMet       DeadlineClockStatus = C.INC_DEADLINE_CLOCK_MET
	DeadlineClockMissed    DeadlineClockStatus = C.INC_DEADLINE_CLOCK_MISSED // stopped as met, after its deadline
	DeadlineClockCancelled DeadlineClockStatus = C.INC_DEADLINE_CLOCK_CANCELLED
)

// String is the stable name, such as "missed" (inc_deadline_clock_status_name).
func (s DeadlineClockStatus) String() string {
	return goStringOr(C.inc_deadline_clock_status_name(C.inc_deadline_clock_status(s)), "deadline?")
}

// DueItem is one thing due (inc_due_item), whatever its source.
type DueItem struct {
	IncidentID string
	Kind       DueKind
	KindName   string // such as "escalation"
	RuleID     string // such as "ESC-1"
	Target     string // who or what: "on-call,backup", "external", "status_page", ...
	Severity   string // the incident's level when computed
	LevelIndex int
	LevelCount int
	Due        time.Time
	Late       time.Duration // now minus Due; negative when looking ahead
	Text       string        // one line a person reads
	Step       int           // escalation: the step from 1, else 0
	Loop       int           // escalation: the pass, 0 for the first
	Seq        uint64        // the event that recorded the delivery, or 0
	DedupKey   string        // a stable key, as PagerDuty's dedup_key
	Resolved   []string      // ONC-2: the people an escalation's targets resolve to
}

// DueList is a list of due items, earliest first. Items are copied out of
// the library's list, which the DueList keeps for PagerDuty until Close
// (a finalizer frees a forgotten one).
type DueList struct {
	Items []DueItem
	mu    sync.Mutex
	p     *C.inc_due_list
}

// takeDueList copies a list and keeps it (nil gives an empty list).
func takeDueList(p *C.inc_due_list) *DueList {
	l := &DueList{p: p}
	n := int(C.inc_due_list_count(p))
	l.Items = make([]DueItem, 0, n)
	for i := 0; i < n; i++ {
		it := C.inc_due_list_at(p, C.size_t(i))
		l.Items = append(l.Items, DueItem{
			IncidentID: goStringOr(it.incident_id, ""), Kind: DueKind(it.kind), KindName: goStringOr(it.kind_name, ""),
			RuleID: goStringOr(it.rule_id, ""), Target: goStringOr(it.target, ""), Severity: goStringOr(it.severity, ""),
			LevelIndex: int(it.level_index), LevelCount: int(it.level_count), Due: toTime(it.due),
			Late: time.Duration(it.late_ms) * time.Millisecond, Text: goStringOr(it.text, ""),
			Step: int(it.step), Loop: int(it.loop), Seq: uint64(it.seq), DedupKey: goStringOr(it.dedup_key, ""),
			Resolved: splitIDs(it.resolved),
		})
	}
	if p != nil {
		runtime.SetFinalizer(l, (*DueList).Close)
	}
	return l
}

// Len is the number of items.
func (l *DueList) Len() int { return len(l.Items) }

// Close frees the library's list (inc_due_list_free); the items stay. It
// is safe to call twice.
func (l *DueList) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.p != nil {
		C.inc_due_list_free(l.p)
		l.p = nil
	}
	runtime.SetFinalizer(l, nil)
	return nil
}

// PagerDuty renders item index as a PagerDuty Events API v2 "trigger"
// event, ready to POST (inc_due_list_pagerduty): routingKey the
// 32-character integration key, source "" for "libincident", incidentURL the
// incident's page written as client_url and links ("" for none).
func (l *DueList) PagerDuty(index int, routingKey, source, incidentURL string) ([]byte, error) {
	if index < 0 {
		return nil, newError(C.INC_ENOTFOUND, "due item: negative index")
	}
	k, s, u := C.CString(routingKey), cstr(source, true), cstr(incidentURL, true)
	defer func() { free(k); free(s); free(u) }()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.p == nil {
		return nil, errClosed("due list")
	}
	var out *C.char
	var n C.size_t
	if rc := C.inc_due_list_pagerduty(l.p, C.size_t(index), k, s, u, &out, &n); rc != 0 {
		msg := "due item: routing key (32 letters and digits), source or incident URL is bad"
		if rc == C.INC_ENOTFOUND {
			msg = "due item: no such item"
		}
		return nil, newError(rc, msg)
	}
	return []byte(takeString(out, n)), nil
}

// PagerDutyEvent renders a PagerDuty Events API v2 "acknowledge" or
// "resolve" event for the alert triggered with dedupKey (inc_pagerduty_event).
func PagerDutyEvent(action, routingKey, dedupKey string) ([]byte, error) {
	a, k, d := C.CString(action), C.CString(routingKey), C.CString(dedupKey)
	defer func() { free(a); free(k); free(d) }()
	var out *C.char
	var n C.size_t
	if rc := C.inc_pagerduty_event(a, k, d, &out, &n); rc != 0 {
		return nil, newError(rc, `PagerDuty event: action "acknowledge" or "resolve", routing key 32 letters and digits, dedup key 1..255 bytes`)
	}
	return []byte(takeString(out, n)), nil
}

// PagerDutyJSON renders the PagerDuty Events API v2 bodies event seq calls
// for (inc_incident_pagerduty_json): a page or a paging item triggers, an
// acknowledgement acknowledges the pages and resolves the ESC-3 items, and
// resolution, closing or a stopped clock resolves what it satisfies, each
// alert under one dedup key. None for most events; source and incidentURL
// may be "" (then "libincident" and no links).
func (inc *Incident) PagerDutyJSON(seq uint64, routingKey, source, incidentURL string) ([][]byte, error) {
	k, s, u := C.CString(routingKey), cstr(source, true), cstr(incidentURL, true)
	defer func() { free(k); free(s); free(u) }()
	p, err := inc.lock()
	if err != nil {
		return nil, err
	}
	defer inc.ctx.mu.Unlock()
	var out *C.char
	var count C.size_t
	if rc := C.inc_incident_pagerduty_json(p, C.uint64_t(seq), k, s, u, &out, &count); rc != 0 {
		msg := "PagerDuty: routing key (32 letters and digits), source, incident URL or seq 0 is bad"
		if rc == C.INC_ENOTFOUND {
			msg = fmt.Sprintf("event %d: no such event", seq)
		}
		return nil, newError(rc, msg)
	}
	text := C.GoString(out)
	C.inc_free(unsafe.Pointer(out))
	if count == 0 {
		return nil, nil
	}
	var bodies [][]byte
	for _, line := range strings.Split(text, "\n") {
		bodies = append(bodies, []byte(line))
	}
	return bodies, nil
}

// Page is one page: a request and the person it reached (inc_page).
type Page struct {
	RequestSeq  uint64
	RequestedAt time.Time
	Target      string
	Severity    string // an escalation step's level, else ""
	Step        int
	Loop        int
	Person      string    // "" while not reported sent
	SentAt      time.Time // zero while not reported sent
	SentSeq     uint64
	Resolved    []string // ONC-2: who the targets resolved to, as recorded
}

// DeadlineClock is a named deadline clock (inc_deadline_clock, REG-1).
type DeadlineClock struct {
	Name         string
	Text         string
	StartedBy    string
	StartedAt    time.Time
	Deadline     time.Time
	RemindBefore time.Duration // DurationNone: no reminder
	Status       DeadlineClockStatus
	Overdue      bool
	StoppedBy    string
	StoppedAt    time.Time
	Seq          uint64 // the clock_started event
}

// NextDue is when something not yet delivered is due for the incident
// (possibly past), zero when nothing is scheduled (inc_incident_next_due).
func (inc *Incident) NextDue() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_next_due(p) })
}

// Due lists what is due now plus within and not yet delivered, recording
// nothing (inc_incident_due).
func (inc *Incident) Due(within time.Duration) (*DueList, error) {
	var list *C.inc_due_list
	if err := inc.call(func(p *C.inc_incident) C.int {
		return C.inc_incident_due(p, C.int64_t(within.Milliseconds()), &list)
	}); err != nil {
		return nil, err
	}
	return takeDueList(list), nil
}

// DeliverDue delivers what is due now: each item is recorded (never
// delivered again) and returned, earliest first (inc_incident_deliver_due);
// max 0 for no limit. When it fails part way, the list is returned with
// the error: its items were recorded, so act on them.
func (inc *Incident) DeliverDue(actor string, max int) (*DueList, error) {
	a := C.CString(actor)
	defer free(a)
	var list *C.inc_due_list
	err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_deliver_due(p, a, C.size_t(max), &list) })
	if err != nil && list == nil {
		return nil, err
	}
	return takeDueList(list), err
}

// PageRequest records a page outside the escalation ladder
// (inc_incident_request_page); it returns the page_requested event's
// sequence number. text may be "".
func (inc *Incident) PageRequest(actor, target, text string) (uint64, error) {
	a, t, x := C.CString(actor), C.CString(target), cstr(text, true)
	defer func() { free(a); free(t); free(x) }()
	var seq C.uint64_t
	err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_request_page(p, a, t, x, &seq) })
	return uint64(seq), err
}

// PageSent records that page requestSeq reached person (inc_incident_mark_page_sent).
func (inc *Incident) PageSent(actor string, requestSeq uint64, person string) error {
	a, pe := C.CString(actor), C.CString(person)
	defer func() { free(a); free(pe) }()
	return inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_mark_page_sent(p, a, C.uint64_t(requestSeq), pe) })
}

// Acknowledge records an acknowledgement (ESC-3; inc_incident_acknowledge)
// of page pageSeq, or of none (0).
func (inc *Incident) Acknowledge(person string, pageSeq uint64) error {
	pe := C.CString(person)
	defer free(pe)
	return inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_acknowledge(p, pe, C.uint64_t(pageSeq)) })
}

// AcknowledgedAt is when the current acknowledgement was made, zero if none.
func (inc *Incident) AcknowledgedAt() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_acknowledged_at(p) })
}

// AcknowledgedBy is who made the current acknowledgement, "" if none.
func (inc *Incident) AcknowledgedBy() string {
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_acknowledged_by(p) })
}

// FirstAckAt is the first acknowledgement ever (MTTA), zero if none.
func (inc *Incident) FirstAckAt() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_first_ack_at(p) })
}

// FirstPageAt is the first page requested (MTTA), zero if none.
func (inc *Incident) FirstPageAt() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_first_page_at(p) })
}

// Pages are every page, in the order of the records (inc_incident_page_count,
// inc_incident_page): a request sent to two people is two pages.
func (inc *Incident) Pages() []Page {
	p, err := inc.lock()
	if err != nil {
		return nil
	}
	defer inc.ctx.mu.Unlock()
	n := int(C.inc_incident_page_count(p))
	out := make([]Page, 0, n)
	for i := 0; i < n; i++ {
		pg := C.inc_incident_page(p, C.size_t(i))
		if pg == nil {
			continue
		}
		out = append(out, Page{
			RequestSeq: uint64(pg.request_seq), RequestedAt: toTime(pg.requested_at), Target: goStringOr(pg.target, ""),
			Severity: goStringOr(pg.severity, ""), Step: int(pg.step), Loop: int(pg.loop),
			Person: goStringOr(pg.person, ""), SentAt: toTime(pg.sent_at), SentSeq: uint64(pg.sent_seq),
			Resolved: splitIDs(pg.resolved),
		})
	}
	return out
}

// StartDeadlineClock starts a named deadline clock, such as a 72 h breach
// notification (REG-1; only the IC; inc_incident_start_deadline_clock).
// remindBefore is DurationNone for no reminder; text may be "".
func (inc *Incident) StartDeadlineClock(actor, name string, deadline time.Time, remindBefore time.Duration, text string) error {
	a, n, t := C.CString(actor), C.CString(name), cstr(text, true)
	defer func() { free(a); free(n); free(t) }()
	return inc.call(func(p *C.inc_incident) C.int {
		return C.inc_incident_start_deadline_clock(p, a, n, fromTime(deadline), durToC(remindBefore), t)
	})
}

// StopDeadlineClock stops a running deadline clock as met (late: missed) or
// cancelled (REG-1; only the IC; inc_incident_stop_deadline_clock).
func (inc *Incident) StopDeadlineClock(actor, name string, cancelled bool, text string) error {
	a, n, t := C.CString(actor), C.CString(name), cstr(text, true)
	defer func() { free(a); free(n); free(t) }()
	return inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_stop_deadline_clock(p, a, n, cbool(cancelled), t) })
}

// DeadlineClocks are every deadline clock ever started, in order
// (inc_incident_deadline_clock_count, inc_incident_get_deadline_clock).
func (inc *Incident) DeadlineClocks() []DeadlineClock {
	p, err := inc.lock()
	if err != nil {
		return nil
	}
	defer inc.ctx.mu.Unlock()
	n := int(C.inc_incident_deadline_clock_count(p))
	out := make([]DeadlineClock, 0, n)
	for i := 0; i < n; i++ {
		var d C.inc_deadline_clock
		if C.inc_incident_get_deadline_clock(p, C.size_t(i), &d) != 0 {
			continue
		}
		out = append(out, DeadlineClock{
			Name: goStringOr(d.name, ""), Text: goStringOr(d.text, ""), StartedBy: goStringOr(d.started_by, ""),
			StartedAt: toTime(d.started_at), Deadline: toTime(d.deadline), RemindBefore: durFromC(d.remind_before_ms),
			Status: DeadlineClockStatus(d.status), Overdue: d.overdue != 0, StoppedBy: goStringOr(d.stopped_by, ""),
			StoppedAt: toTime(d.stopped_at), Seq: uint64(d.seq),
		})
	}
	return out
}
