package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"runtime"
	"sync"
	"time"
)

// PMSection is a narrative section of a postmortem (inc_pm_section).
type PMSection int

// The sections.
const (
	PMSummary      PMSection = C.INC_PM_SUMMARY
	PMImpact       PMSection = C.INC_PM_IMPACT
	PMDetection    PMSection = C.INC_PM_DETECTION
	PMRootCause    PMSection = C.INC_PM_ROOT_CAUSE
	PMContributing PMSection = C.INC_PM_CONTRIBUTING
	PMWentWell     PMSection = C.INC_PM_WENT_WELL
	PMWentPoorly   PMSection = C.INC_PM_WENT_POORLY
	PMLessons      PMSection = C.INC_PM_LESSONS
	pmSectionCount           = C.INC_PM_SECTION_COUNT
)

// String is the stable name, such as "root_cause" (inc_pm_section_name).
func (s PMSection) String() string {
	return goStringOr(C.inc_pm_section_name(C.inc_pm_section(s)), "section?")
}

// Title is the heading, such as "Root cause" (inc_pm_section_title).
func (s PMSection) Title() string {
	return goStringOr(C.inc_pm_section_title(C.inc_pm_section(s)), "")
}

// ParsePMSection looks a section up by its stable name, case-insensitively
// (inc_pm_section_from_name).
func ParsePMSection(name string) (PMSection, error) {
	cs := C.CString(name)
	defer free(cs)
	var out C.inc_pm_section
	if rc := C.inc_pm_section_from_name(cs, &out); rc != 0 {
		return 0, newError(rc, "no postmortem section named '"+name+"'")
	}
	return PMSection(out), nil
}

// PMStatus is where a postmortem stands (inc_pm_status).
type PMStatus int

// The statuses.
const (
	PMDraft    PMStatus = C.INC_PM_DRAFT
	PMInReview PMStatus = C.INC_PM_IN_REVIEW
	PMFinal    PMStatus = C.INC_PM_FINAL // the incident is closed
)

// String is the name the document shows, such as "In Review" (inc_pm_status_name).
func (s PMStatus) String() string {
	return goStringOr(C.inc_pm_status_name(C.inc_pm_status(s)), "status?")
}

// PMFormat is an output format of the postmortem (inc_pm_format).
type PMFormat int

// The formats.
const (
	PMMarkdown PMFormat = C.INC_PM_MARKDOWN
	PMText     PMFormat = C.INC_PM_TEXT
)

// ActionStatus is the status of an action item (inc_action_status).
type ActionStatus int

// The statuses.
const (
	ActionOpen      ActionStatus = C.INC_ACTION_OPEN
	ActionDone      ActionStatus = C.INC_ACTION_DONE
	ActionCancelled ActionStatus = C.INC_ACTION_CANCELLED
)

// String is the stable name, such as "done" (inc_action_status_name).
func (s ActionStatus) String() string {
	return goStringOr(C.inc_action_status_name(C.inc_action_status(s)), "action-status?")
}

// ParseActionStatus looks a status up by name, case-insensitively
// (inc_action_status_from_name).
func ParseActionStatus(name string) (ActionStatus, error) {
	cs := C.CString(name)
	defer free(cs)
	var out C.inc_action_status
	if rc := C.inc_action_status_from_name(cs, &out); rc != 0 {
		return 0, newError(rc, "no action status named '"+name+"'")
	}
	return ActionStatus(out), nil
}

// ActionOwnerIsTeam reports whether an owner name looks like a team or
// several people rather than one person (PM-3; inc_action_owner_is_team).
func ActionOwnerIsTeam(owner string) bool {
	cs := C.CString(owner)
	defer free(cs)
	return C.inc_action_owner_is_team(cs) != 0
}

// LintPostmortem lints a text for blame wording on its own (PM-4;
// inc_postmortem_lint); findings have Slot 0 and the words' byte offsets.
func LintPostmortem(text string) (Findings, error) {
	cs := C.CString(text)
	defer free(cs)
	var list *C.inc_findings
	if rc := C.inc_postmortem_lint(cs, nil, &list); rc != 0 {
		return Findings{}, newError(rc, "postmortem lint: not UTF-8 or longer than INC_TEXT_MAX")
	}
	return takeFindings(list)
}

// Postmortem is where an incident's postmortem stands (inc_postmortem_info).
type Postmortem struct {
	Status       PMStatus
	Required     bool
	Started      bool
	Window       time.Duration // DurationNone when the level has none
	Due          time.Time     // zero before resolution, or when not required nor started
	Overdue      bool
	Late         time.Duration
	Missing      []PMSection // the sections still missing
	RootCauseTag string
	StatusAt     time.Time
	FinalAt      time.Time
}

// ActionItem is an action item (inc_action_item, PM-3).
type ActionItem struct {
	ID            uint64
	Title         string
	Detail        string
	Owner         string
	OwnerOverride string // why a team-like owner was accepted
	Priority      int    // 1..4 (P1..P4)
	Status        ActionStatus
	Due           time.Time // in force
	OriginalDue   time.Time
	DueMoves      int
	DueReason     string
	CreatedAt     time.Time
	CreatedBy     string
	ClosedAt      time.Time
	ClosedBy      string
	Reason        string // of the last status change
	Decision      uint64 // a cancellation's approved decision, or 0
	ICDecision    bool   // the IC cancelled it
	Seq           uint64 // the action_added event
	Overdue       bool   // open and past due when read (inc_action_is_overdue)
}

// ActionOptions describe a new action item (inc_action_options).
type ActionOptions struct {
	Title         string
	Owner         string // one person
	Due           time.Time
	Priority      int    // 1..4
	OwnerOverride string // why a team-like owner is accepted, or ""
	Detail        string
}

func actionOf(a *C.inc_action_item, overdue bool) ActionItem {
	return ActionItem{
		ID: uint64(a.id), Title: goStringOr(a.title, ""), Detail: goStringOr(a.detail, ""),
		Owner: goStringOr(a.owner, ""), OwnerOverride: goStringOr(a.owner_override, ""), Priority: int(a.priority),
		Status: ActionStatus(a.status), Due: toTime(a.due), OriginalDue: toTime(a.original_due),
		DueMoves: int(a.due_moves), DueReason: goStringOr(a.due_reason, ""), CreatedAt: toTime(a.created_at),
		CreatedBy: goStringOr(a.created_by, ""), ClosedAt: toTime(a.closed_at), ClosedBy: goStringOr(a.closed_by, ""),
		Reason: goStringOr(a.reason, ""), Decision: uint64(a.decision), ICDecision: a.ic_decision != 0,
		Seq: uint64(a.seq), Overdue: overdue,
	}
}

// SetSection supplies (or replaces) a narrative section (PM-1) and lints it
// (PM-4; inc_incident_set_postmortem_section). It returns the event's sequence
// number and the findings (Slot = the section), which never block.
func (inc *Incident) SetSection(actor string, s PMSection, text string) (uint64, Findings, error) {
	a, t := C.CString(actor), C.CString(text)
	defer func() { free(a); free(t) }()
	var list *C.inc_findings
	var seq C.uint64_t
	if err := inc.call(func(p *C.inc_incident) C.int {
		return C.inc_incident_set_postmortem_section(p, a, C.inc_pm_section(s), t, &list, &seq)
	}); err != nil {
		return 0, Findings{}, err
	}
	f, err := takeFindings(list)
	return uint64(seq), f, err
}

// Section is the current text of a section, "" while it is missing
// (inc_incident_postmortem_section).
func (inc *Incident) Section(s PMSection) string {
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_postmortem_section(p, C.inc_pm_section(s)) })
}

// SetRootCauseTag sets the root-cause tag, such as "config-change"
// (inc_incident_set_root_cause_tag).
func (inc *Incident) SetRootCauseTag(actor, tag string) error {
	a, t := C.CString(actor), C.CString(tag)
	defer func() { free(a); free(t) }()
	return inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_set_root_cause_tag(p, a, t) })
}

// SetPostmortemStatus moves the postmortem Draft -> In Review -> Final
// (inc_incident_set_postmortem_status); Final needs every section and the tag, is
// the IC's, and closes the incident. note may be "".
func (inc *Incident) SetPostmortemStatus(actor string, s PMStatus, note string) error {
	a, n := C.CString(actor), cstr(note, true)
	defer func() { free(a); free(n) }()
	return inc.call(func(p *C.inc_incident) C.int {
		return C.inc_incident_set_postmortem_status(p, a, C.inc_pm_status(s), n)
	})
}

// Postmortem is where the postmortem stands now (inc_incident_get_postmortem).
func (inc *Incident) Postmortem() (Postmortem, error) {
	p, err := inc.lock()
	if err != nil {
		return Postmortem{}, err
	}
	defer inc.ctx.mu.Unlock()
	var i C.inc_postmortem_info
	if rc := C.inc_incident_get_postmortem(p, &i); rc != 0 {
		return Postmortem{}, newError(rc, "")
	}
	pm := Postmortem{Status: PMStatus(i.status), Required: i.required != 0, Started: i.started != 0,
		Window: durFromC(i.window_ms), Due: toTime(i.due), Overdue: i.overdue != 0,
		Late: time.Duration(i.late_ms) * time.Millisecond, RootCauseTag: goStringOr(i.root_cause_tag, ""),
		StatusAt: toTime(i.status_at), FinalAt: toTime(i.final_at)}
	for s := PMSection(0); s < pmSectionCount; s++ {
		if i.missing&(1<<uint(s)) != 0 {
			pm.Missing = append(pm.Missing, s)
		}
	}
	return pm, nil
}

// LintPostmortem lints every supplied section (PM-4;
// inc_incident_lint_postmortem); each finding's Slot is its PMSection.
func (inc *Incident) LintPostmortem() (Findings, error) {
	p, err := inc.lock()
	if err != nil {
		return Findings{}, err
	}
	defer inc.ctx.mu.Unlock()
	var list *C.inc_findings
	if rc := C.inc_incident_lint_postmortem(p, &list); rc != 0 {
		return Findings{}, newError(rc, "")
	}
	return takeFindings(list)
}

// RenderPostmortem renders the postmortem from the timeline (PM-1;
// inc_incident_render_postmortem).
func (inc *Incident) RenderPostmortem(f PMFormat) (string, error) {
	p, err := inc.lock()
	if err != nil {
		return "", err
	}
	defer inc.ctx.mu.Unlock()
	var out *C.char
	var n C.size_t
	if rc := C.inc_incident_render_postmortem(p, C.inc_pm_format(f), &out, &n); rc != 0 {
		return "", newError(rc, "postmortem: not a format")
	}
	return takeString(out, n), nil
}

// AddAction adds an action item (PM-3; inc_incident_add_action) and returns its id.
func (inc *Incident) AddAction(actor string, o ActionOptions) (uint64, error) {
	var co C.inc_action_options
	C.inc_action_options_init(&co, C.INC_ACTION_OPTIONS_VERSION)
	co.title, co.owner = C.CString(o.Title), C.CString(o.Owner)
	co.owner_override, co.detail = cstr(o.OwnerOverride, true), cstr(o.Detail, true)
	co.due, co.priority = fromTime(o.Due), C.int(o.Priority)
	a := C.CString(actor)
	defer func() { free(a); free(co.title); free(co.owner); free(co.owner_override); free(co.detail) }()
	var id C.uint64_t
	err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_add_action(p, a, &co, &id) })
	return uint64(id), err
}

// SetActionStatus changes an item's status (inc_incident_set_action_status); reason
// may be "" except to cancel or reopen; decision is an approved decision's
// id, or 0.
func (inc *Incident) SetActionStatus(actor string, id uint64, s ActionStatus, reason string, decision uint64) error {
	a, r := C.CString(actor), cstr(reason, true)
	defer func() { free(a); free(r) }()
	return inc.call(func(p *C.inc_incident) C.int {
		return C.inc_incident_set_action_status(p, a, C.uint64_t(id), C.inc_action_status(s), r, C.uint64_t(decision))
	})
}

// MoveActionDue moves an open item's due date, recording why (inc_incident_move_action_due).
func (inc *Incident) MoveActionDue(actor string, id uint64, due time.Time, reason string) error {
	a, r := C.CString(actor), C.CString(reason)
	defer func() { free(a); free(r) }()
	return inc.call(func(p *C.inc_incident) C.int {
		return C.inc_incident_move_action_due(p, a, C.uint64_t(id), fromTime(due), r)
	})
}

// ReassignAction gives an item to another owner (inc_incident_reassign_action).
func (inc *Incident) ReassignAction(actor string, id uint64, owner, ownerOverride string) error {
	a, o, ov := C.CString(actor), C.CString(owner), cstr(ownerOverride, true)
	defer func() { free(a); free(o); free(ov) }()
	return inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_reassign_action(p, a, C.uint64_t(id), o, ov) })
}

// SetActionPriority changes an item's priority, 1..4 (inc_incident_set_action_priority).
func (inc *Incident) SetActionPriority(actor string, id uint64, priority int) error {
	a := C.CString(actor)
	defer free(a)
	return inc.call(func(p *C.inc_incident) C.int {
		return C.inc_incident_set_action_priority(p, a, C.uint64_t(id), C.int(priority))
	})
}

// Actions are the incident's action items by id (inc_incident_action_count,
// inc_incident_action); Overdue is judged at now (zero: the session's
// clock; inc_action_is_overdue).
func (inc *Incident) Actions(now time.Time) []ActionItem {
	p, err := inc.lock()
	if err != nil {
		return nil
	}
	defer inc.ctx.mu.Unlock()
	when := fromTime(now)
	if now.IsZero() {
		when = C.inc_context_now(inc.ctx.st.p)
	}
	n := int(C.inc_incident_action_count(p))
	out := make([]ActionItem, 0, n)
	for i := 0; i < n; i++ {
		if a := C.inc_incident_action(p, C.size_t(i)); a != nil {
			out = append(out, actionOf(a, C.inc_action_is_overdue(a, when) != 0))
		}
	}
	return out
}

// ActionQuery selects items for Session.Actions (inc_action_query).
type ActionQuery struct {
	Owner         string        // only this owner (case-insensitive); "" for all
	Status        *ActionStatus // only this status; nil for all
	OverdueOnly   bool
	Now           time.Time // when overdue is judged; zero for the session's clock
	ExcludeDrills bool
}

// ActionEntry is one item of a store-wide list (inc_action_entry).
type ActionEntry struct {
	IncidentID    string
	IncidentTitle string
	Severity      string
	Drill         bool
	Overdue       bool
	Late          time.Duration
	Item          ActionItem
}

// ActionList is a store-wide list of action items, by due date. Entries
// and Text (the weekly-review rendering) are copied; the library's list is
// kept for ExportJSON until Close (a finalizer frees a forgotten one).
type ActionList struct {
	Entries []ActionEntry
	Text    string
	mu      sync.Mutex
	p       *C.inc_action_list
}

// Actions lists the action items of every incident of the store that match
// q, by due date (inc_action_list_query).
func (c *Session) Actions(q ActionQuery) (*ActionList, error) {
	var cq C.inc_action_query
	C.inc_action_query_init(&cq, C.INC_ACTION_QUERY_VERSION)
	cq.owner = cstr(q.Owner, true)
	defer free(cq.owner)
	cq.status = -1
	if q.Status != nil {
		cq.status = C.int(*q.Status)
	}
	cq.overdue_only, cq.exclude_drills, cq.now = cbool(q.OverdueOnly), cbool(q.ExcludeDrills), fromTime(q.Now)
	p, err := c.lock()
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var list *C.inc_action_list
	if rc := C.inc_action_list_query(p, &cq, &list); rc != 0 {
		return nil, c.fail(rc, "")
	}
	l := &ActionList{p: list}
	n := int(C.inc_action_list_count(list))
	for i := 0; i < n; i++ {
		e := C.inc_action_list_at(list, C.size_t(i))
		l.Entries = append(l.Entries, ActionEntry{
			IncidentID: goStringOr(e.incident_id, ""), IncidentTitle: goStringOr(e.incident_title, ""),
			Severity: goStringOr(e.severity, ""), Drill: e.drill != 0, Overdue: e.overdue != 0,
			Late: time.Duration(e.late_ms) * time.Millisecond, Item: actionOf(&e.item, e.overdue != 0),
		})
	}
	var out *C.char
	var tn C.size_t
	if rc := C.inc_action_list_render(list, &out, &tn); rc != 0 {
		C.inc_action_list_free(list)
		return nil, newError(rc, "")
	}
	l.Text = takeString(out, tn)
	runtime.SetFinalizer(l, (*ActionList).Close)
	return l, nil
}

// Close frees the library's list (inc_action_list_free); the entries stay.
// It is safe to call twice.
func (l *ActionList) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.p != nil {
		C.inc_action_list_free(l.p)
		l.p = nil
	}
	runtime.SetFinalizer(l, nil)
	return nil
}

// ExportJSON writes the list as JSON an issue tracker can take in, each item
// linking to linkPrefix followed by its incident id (inc_action_list_export_json).
func (l *ActionList) ExportJSON(linkPrefix string) ([]byte, error) {
	lp := cstr(linkPrefix, true)
	defer free(lp)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.p == nil {
		return nil, errClosed("action list")
	}
	var out *C.char
	var n C.size_t
	if rc := C.inc_action_list_export_json(l.p, lp, &out, &n); rc != 0 {
		return nil, newError(rc, "link prefix: not UTF-8 or longer than 1024 bytes")
	}
	return []byte(takeString(out, n)), nil
}
