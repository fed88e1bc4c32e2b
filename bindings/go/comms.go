package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Audience is an audience of status updates (inc_audience, COMM-1).
type Audience int

// The audiences.
const (
	AudienceExternal Audience = C.INC_AUDIENCE_EXTERNAL // customers: written by the Communications Lead
	AudienceInternal Audience = C.INC_AUDIENCE_INTERNAL // executives, support: written by the Internal Liaison
	AudienceResponse Audience = C.INC_AUDIENCE_RESPONSE // the response channel: written by the IC
)

// String is the stable name, such as "external" (inc_audience_name).
func (a Audience) String() string {
	return goStringOr(C.inc_audience_name(C.inc_audience(a)), "audience?")
}

// Writer is the role that writes to the audience (inc_audience_writer);
// an invalid audience gives -1.
func (a Audience) Writer() Role {
	r := Role(C.inc_audience_writer(C.inc_audience(a)))
	if r >= roleCount {
		return -1
	}
	return r
}

// ParseAudience looks an audience up by name, case-insensitively
// (inc_audience_from_name).
func ParseAudience(name string) (Audience, error) {
	cs := C.CString(name)
	defer free(cs)
	var out C.inc_audience
	if rc := C.inc_audience_from_name(cs, &out); rc != 0 {
		return 0, newError(rc, "no audience named '"+name+"'")
	}
	return Audience(out), nil
}

// String is the stable name, such as "status_page" (inc_comm_kind_name).
func (c Comm) String() string {
	return goStringOr(C.inc_comm_kind_name(C.inc_comm_kind(c)), "comm?")
}

// Template is an external-update template (inc_template).
type Template int

// The templates.
const (
	TemplateFirst     Template = C.INC_TEMPLATE_FIRST     // "We are investigating reports of <symptom> affecting <scope>. ..."
	TemplateHeartbeat Template = C.INC_TEMPLATE_HEARTBEAT // still working, next update at <time>
	TemplateMitigated Template = C.INC_TEMPLATE_MITIGATED // a fix is in place and monitored (state monitoring)
	TemplateResolved  Template = C.INC_TEMPLATE_RESOLVED  // resolved and verified (state resolved or closed)
)

// CadenceRubric, given to SetCadence, goes back to the rubric's cadence;
// DurationNone is "as needed".
const CadenceRubric = time.Duration(C.INC_CADENCE_RUBRIC)

// LintUpdate lints an external update on its text alone (COMM-3;
// inc_update_lint), as posted in lifecycle state; components are the
// affected components, comma-separated ("" for none).
func LintUpdate(body string, state State, components string) (Findings, error) {
	b, c := C.CString(body), cstr(components, true)
	defer func() { free(b); free(c) }()
	var list *C.inc_findings
	if rc := C.inc_update_lint(b, C.inc_state(state), c, nil, &list); rc != 0 {
		return Findings{}, newError(rc, "update lint: bad state, text not UTF-8 or longer than INC_TEXT_MAX")
	}
	return takeFindings(list)
}

// StatuspageStatus is the Statuspage status for a state, such as
// "identified" ("" for a value that is not a state; inc_statuspage_status).
func StatuspageStatus(s State) string {
	return goStringOr(C.inc_statuspage_status(C.inc_state(s)), "")
}

// StatuspageImpact is the Statuspage impact of level of levelCount, such
// as "major" ("" when out of range; inc_statuspage_impact).
func StatuspageImpact(level, levelCount int) string {
	if level < 0 || levelCount < 0 {
		return ""
	}
	return goStringOr(C.inc_statuspage_impact(C.size_t(level), C.size_t(levelCount)), "")
}

// Update is a status update to record (inc_update). Comms are the required
// communications it delivers (COMM-4); nil for the audience's default.
type Update struct {
	Audience   Audience
	Body       string
	Components string // comma-separated, one line; "" for none
	Comms      []Comm
}

// UpdateInfo is a recorded status update (inc_update_info).
type UpdateInfo struct {
	Seq        uint64
	Time       time.Time
	Audience   Audience
	Author     string
	Body       string
	Components string
	Comms      []Comm   // the communications it delivered
	State      State    // when it was posted
	Severity   string   // when it was posted
	Findings   []string // finding IDs recorded with it
}

// CadenceInfo is where an audience's cadence stands now (inc_cadence_info).
type CadenceInfo struct {
	Audience    Audience
	Writer      Role
	Every       time.Duration // DurationNone: as needed
	SetByIC     bool
	LastUpdate  time.Time // zero if none
	LastWriter  string
	UpdateCount int
	NextDue     time.Time // zero when nothing is due (as needed, resolved)
	Overdue     bool
	Late        time.Duration
	Now         time.Time // the time it was computed for
}

// RequiredCommInfo is where a communication the severity may require
// stands now (inc_required_comm_info, COMM-4).
type RequiredCommInfo struct {
	Kind     Comm
	Required bool
	Within   time.Duration // 0 at once, a duration, DurationNextCadence, or DurationNone
	Since    time.Time     // the deadline's clock starts here
	Deadline time.Time     // zero when there is none
	SentAt   time.Time     // zero if not sent
	Missing  bool
	Late     time.Duration
}

// TemplateVars fill a template (inc_template_vars): Scope is required;
// Symptom "" is the incident's title; NextUpdate zero is now plus the
// external cadence.
type TemplateVars struct {
	Symptom    string
	Scope      string
	NextUpdate time.Time
}

func commsOf(mask C.unsigned) []Comm {
	var out []Comm
	for c := CommStatusPage; c <= CommExecNotify; c++ {
		if mask&(1<<uint(c)) != 0 {
			out = append(out, c)
		}
	}
	return out
}

// StatusUpdate records a status update (COMM-1..COMM-3; inc_incident_add_update).
// The writer is checked against the audience (ErrRole under the strict
// policy, a finding otherwise); external updates are linted. It returns
// the event's sequence number and the findings, which never block.
func (inc *Incident) StatusUpdate(author string, u Update) (uint64, Findings, error) {
	return inc.StatusUpdateContext(context.Background(), author, u)
}

// StatusUpdateContext is StatusUpdate that does not start once ctx is done.
func (inc *Incident) StatusUpdateContext(ctx context.Context, author string, u Update) (uint64, Findings, error) {
	var cu C.inc_update
	C.inc_update_init(&cu, C.INC_UPDATE_VERSION)
	cu.audience = C.inc_audience(u.Audience)
	for _, c := range u.Comms { // checked before anything is allocated
		if c < 0 || c > 31 {
			return 0, Findings{}, newError(C.INC_EINVAL, "comms: not a communication")
		}
		cu.comms |= 1 << uint(c)
	}
	cu.body, cu.components = C.CString(u.Body), cstr(u.Components, true)
	a := C.CString(author)
	defer func() { free(a); free(cu.body); free(cu.components) }()
	var list *C.inc_findings
	var seq C.uint64_t
	if err := inc.callCtx(ctx, func(p *C.inc_incident) C.int { return C.inc_incident_add_update(p, a, &cu, &list, &seq) }); err != nil {
		return 0, Findings{}, err
	}
	f, err := takeFindings(list)
	return uint64(seq), f, err
}

// Updates are the recorded status updates, all audiences, in order
// (inc_incident_update_count, inc_incident_get_update).
func (inc *Incident) Updates() []UpdateInfo {
	p, err := inc.lock()
	if err != nil {
		return nil
	}
	defer inc.ctx.mu.Unlock()
	n := int(C.inc_incident_update_count(p))
	out := make([]UpdateInfo, 0, n)
	for i := 0; i < n; i++ {
		var u C.inc_update_info
		if C.inc_incident_get_update(p, C.size_t(i), &u) != 0 {
			continue
		}
		out = append(out, UpdateInfo{
			Seq: uint64(u.seq), Time: toTime(u.time), Audience: Audience(u.audience),
			Author: goStringOr(u.author, ""), Body: goStringOr(u.body, ""),
			Components: goStringOr(u.components, ""), Comms: commsOf(u.comms), State: State(u.state),
			Severity: goStringOr(u.severity, ""), Findings: splitIDs(u.findings),
		})
	}
	return out
}

// UpdateStatuspageJSON writes recorded external update index as the body of
// an Atlassian Statuspage incident create or update request,
// {"incident": {...}} (inc_incident_update_statuspage_json). componentMap
// maps the update's component names to Statuspage component ids (nil when
// the update named the ids). ErrInvalid for an update to another audience
// or a name or id holding ',', '=' or a line break; ErrNotFound for a
// component the map does not name.
func (inc *Incident) UpdateStatuspageJSON(index int, componentMap map[string]string) ([]byte, error) {
	text, err := componentMapText(componentMap)
	if err != nil {
		return nil, err
	}
	m := cstr(text, componentMap == nil)
	defer free(m)
	return inc.indexJSON("update", index, func(p *C.inc_incident, i C.size_t, out **C.char, n *C.size_t) C.int {
		return C.inc_incident_update_statuspage_json(p, i, m, out, n)
	})
}

// componentMapText writes a component map as the C text "Name=id,...", in
// name order.
func componentMapText(m map[string]string) (string, error) {
	names := make([]string, 0, len(m))
	for name, id := range m {
		for _, part := range []string{name, id} {
			if part == "" || strings.ContainsAny(part, ",=\n\r") {
				return "", newError(C.INC_EINVAL, fmt.Sprintf("component map: %q: a name or id is non-empty and has no ',', '=' or line break", part))
			}
		}
		names = append(names, name)
	}
	sort.Strings(names)
	pairs := make([]string, len(names))
	for i, name := range names {
		pairs[i] = name + "=" + m[name]
	}
	return strings.Join(pairs, ","), nil
}

// LinkExternal records the id system (such as "statuspage") gave this
// incident as an event (inc_incident_link_external); it returns the event's
// sequence number.
func (inc *Incident) LinkExternal(actor, system, externalID string) (uint64, error) {
	a, s, e := C.CString(actor), C.CString(system), C.CString(externalID)
	defer func() { free(a); free(s); free(e) }()
	var seq C.uint64_t
	err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_link_external(p, a, s, e, &seq) })
	return uint64(seq), err
}

// ExternalID is the id system gave this incident as last recorded, or ""
// (inc_incident_external_id).
func (inc *Incident) ExternalID(system string) string {
	s := C.CString(system)
	defer free(s)
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_external_id(p, s) })
}

// SlackJSON renders event seq (a CAN report, a status update, a hand-off)
// or, for 0 or the declaration, the incident's header as a Slack Block Kit
// message (inc_incident_slack_json); ErrInvalid for an event of another kind.
func (inc *Incident) SlackJSON(seq uint64) ([]byte, error) {
	p, err := inc.lock()
	if err != nil {
		return nil, err
	}
	defer inc.ctx.mu.Unlock()
	var out *C.char
	var n C.size_t
	if rc := C.inc_incident_slack_json(p, C.uint64_t(seq), &out, &n); rc != 0 {
		msg := fmt.Sprintf("event %d: no Slack message for its kind", seq)
		if rc == C.INC_ENOTFOUND {
			msg = fmt.Sprintf("event %d: no such event", seq)
		}
		return nil, newError(rc, msg)
	}
	return []byte(takeString(out, n)), nil
}

// SetCadence changes an audience's cadence; only the IC may (AUTH-1;
// inc_incident_set_cadence). every is at least a minute, DurationNone for "as
// needed", or CadenceRubric to go back to the rubric's.
func (inc *Incident) SetCadence(actor string, a Audience, every time.Duration, reason string) error {
	ms := C.int64_t(every.Milliseconds())
	if every == DurationNone {
		ms = C.INC_DURATION_NONE
	} else if every != CadenceRubric && ms == 0 {
		return newError(C.INC_EINVAL, "every: shorter than a millisecond")
	}
	ac, r := C.CString(actor), cstr(reason, true)
	defer func() { free(ac); free(r) }()
	return inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_set_cadence(p, ac, C.inc_audience(a), ms, r) })
}

// Cadence is where an audience's cadence stands now, by the context's
// clock (inc_incident_get_cadence).
func (inc *Incident) Cadence(a Audience) (CadenceInfo, error) {
	p, err := inc.lock()
	if err != nil {
		return CadenceInfo{}, err
	}
	defer inc.ctx.mu.Unlock()
	var c C.inc_cadence_info
	if rc := C.inc_incident_get_cadence(p, C.inc_audience(a), &c); rc != 0 {
		return CadenceInfo{}, newError(rc, "audience: not an audience")
	}
	return CadenceInfo{
		Audience: Audience(c.audience), Writer: Role(c.writer), Every: durFromC(c.every_ms),
		SetByIC: c.set_by_ic != 0, LastUpdate: toTime(c.last_update), LastWriter: goStringOr(c.last_writer, ""),
		UpdateCount: int(c.update_count), NextDue: toTime(c.next_due), Overdue: c.overdue != 0,
		Late: time.Duration(c.late_ms) * time.Millisecond, Now: toTime(c.now),
	}, nil
}

// RequiredComm is where a communication the severity may require stands
// now (inc_incident_get_required_comm).
func (inc *Incident) RequiredComm(kind Comm) (RequiredCommInfo, error) {
	p, err := inc.lock()
	if err != nil {
		return RequiredCommInfo{}, err
	}
	defer inc.ctx.mu.Unlock()
	var r C.inc_required_comm_info
	if rc := C.inc_incident_get_required_comm(p, C.inc_comm_kind(kind), &r); rc != 0 {
		return RequiredCommInfo{}, newError(rc, "kind: not a communication")
	}
	return RequiredCommInfo{
		Kind: Comm(r.kind), Required: r.required != 0, Within: durFromC(r.within_ms), Since: toTime(r.since),
		Deadline: toTime(r.deadline), SentAt: toTime(r.sent_at), Missing: r.missing != 0,
		Late: time.Duration(r.late_ms) * time.Millisecond,
	}, nil
}

// CommsCheck reports what communication is overdue (COMM-2.overdue) or
// missing (COMM-4.missing) now (inc_incident_check_comms).
func (inc *Incident) CommsCheck() (Findings, error) {
	var list *C.inc_findings
	if err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_check_comms(p, &list) }); err != nil {
		return Findings{}, err
	}
	return takeFindings(list)
}

// RenderTemplate renders an external update from a template and the
// incident's state (inc_incident_render_template). The text passes LintUpdate;
// words the lint would flag are ErrInvalid.
func (inc *Incident) RenderTemplate(t Template, v TemplateVars) (string, error) {
	var cv C.inc_template_vars
	C.inc_template_vars_init(&cv, C.INC_TEMPLATE_VARS_VERSION)
	cv.symptom, cv.scope = cstr(v.Symptom, true), cstr(v.Scope, true)
	cv.next_update = fromTime(v.NextUpdate)
	defer func() { free(cv.symptom); free(cv.scope) }()
	var out *C.char
	var n C.size_t
	if err := inc.call(func(p *C.inc_incident) C.int {
		return C.inc_incident_render_template(p, C.inc_template(t), &cv, &out, &n)
	}); err != nil {
		return "", err
	}
	return takeString(out, n), nil
}
