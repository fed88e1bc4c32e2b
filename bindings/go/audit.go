package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"time"
)

// AuditStepKind is a first-ten-minutes step (inc_audit_step_kind, AUD-1).
type AuditStepKind int

// The steps, in the runbook's order.
const (
	AuditDeclared        AuditStepKind = 0
	AuditChannel         AuditStepKind = 1
	AuditICAssigned      AuditStepKind = 2
	AuditRolesPaged      AuditStepKind = 3
	AuditSeveritySet     AuditStepKind = 4
	AuditTimelineStarted AuditStepKind = 5
	AuditBridge          AuditStepKind = 6
	AuditFirstCAN        AuditStepKind = 7
	AuditFirstExternal   AuditStepKind = 8
	AuditFirstInternal   AuditStepKind = 9
)

// String is the stable name, such as "first_can" (inc_audit_step_name).
func (k AuditStepKind) String() string {
	return goStringOr(C.inc_audit_step_name(C.inc_audit_step_kind(k)), "step?")
}

// AuditResult is how a step scored against T+10 min (inc_audit_result).
type AuditResult int

// The results.
const (
	AuditDone          AuditResult = 0
	AuditLate          AuditResult = 1
	AuditMissing       AuditResult = 2
	AuditPending       AuditResult = 3
	AuditNotApplicable AuditResult = 4
)

// String is the stable name, such as "late" (inc_audit_result_name).
func (r AuditResult) String() string {
	return goStringOr(C.inc_audit_result_name(C.inc_audit_result(r)), "result?")
}

// AuditStep is one scored step (inc_audit_step).
type AuditStep struct {
	Kind   AuditStepKind
	Name   string
	Title  string // such as "Page roles"
	Result AuditResult
	At     time.Time     // zero when not done
	Offset time.Duration // At minus the declaration (T+x)
	Seq    uint64        // the event that did it, or 0
	Detail string        // what counted, or what is missing
}

// AuditSummary are the counts of an audit (inc_audit_summary).
type AuditSummary struct {
	Done, Late, Missing, Pending, NotApplicable, Antipatterns int
	Drill                                                     bool
}

// Audit is an audit of one incident (inc_audit), copied out of the
// library: the steps in the runbook's order, the antipatterns (AUD-2
// findings: Since the span's start, Value its length in ms), the counts,
// and the text and JSON renderings.
type Audit struct {
	Steps        []AuditStep
	Antipatterns Findings
	Summary      AuditSummary
	Text         string
	JSON         []byte
}

// AuditOptions are the options of Incident.Audit (inc_audit_options).
type AuditOptions struct {
	Now           time.Time     // the audit's time; zero for the context's clock
	MinMonitoring time.Duration // shortest monitoring before an all-clear; 0 for 15 min
}

// OpenBridge records that a bridge (war room) was opened at where (AUD-1;
// inc_incident_open_bridge) and returns the event's sequence number.
func (inc *Incident) OpenBridge(actor, where, text string) (uint64, error) {
	a, w, t := C.CString(actor), C.CString(where), cstr(text, true)
	defer func() { free(a); free(w); free(t) }()
	var seq C.uint64_t
	err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_open_bridge(p, a, w, t, &seq) })
	return uint64(seq), err
}

// Audit audits the response from the timeline (AUD-1, AUD-2; inc_incident_audit).
func (inc *Incident) Audit(o AuditOptions) (Audit, error) {
	var co C.inc_audit_options
	co.version = C.INC_AUDIT_OPTIONS_VERSION
	co.now, co.min_monitoring_ms = fromTime(o.Now), C.int64_t(o.MinMonitoring.Milliseconds())
	if o.MinMonitoring < 0 {
		co.min_monitoring_ms = -1 // the library refuses it with its own message
	}
	var a *C.inc_audit
	if err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_audit(p, &co, &a) }); err != nil {
		return Audit{}, err
	}
	defer C.inc_audit_free(a)
	var out Audit
	n := int(C.inc_audit_step_count(a))
	for i := 0; i < n; i++ {
		s := C.inc_audit_step_at(a, C.size_t(i))
		out.Steps = append(out.Steps, AuditStep{Kind: AuditStepKind(s.kind), Name: goStringOr(s.name, ""),
			Title: goStringOr(s.title, ""), Result: AuditResult(s.result), At: toTime(s.at),
			Offset: time.Duration(s.offset_ms) * time.Millisecond, Seq: uint64(s.seq), Detail: goStringOr(s.detail, "")})
	}
	var err error
	if out.Antipatterns, err = copyFindings(C.inc_audit_antipatterns(a)); err != nil { // owned by the audit
		return Audit{}, err
	}
	var sum C.inc_audit_summary
	if rc := C.inc_audit_get_summary(a, &sum); rc != 0 {
		return Audit{}, newError(rc, "")
	}
	out.Summary = AuditSummary{Done: int(sum.done), Late: int(sum.late), Missing: int(sum.missing),
		Pending: int(sum.pending), NotApplicable: int(sum.not_applicable), Antipatterns: int(sum.antipatterns),
		Drill: sum.drill != 0}
	var text, doc *C.char
	var tn, dn C.size_t
	if rc := C.inc_audit_render_text(a, &text, &tn); rc != 0 {
		return Audit{}, newError(rc, "")
	}
	out.Text = takeString(text, tn)
	if rc := C.inc_audit_render_json(a, &doc, &dn); rc != 0 {
		return Audit{}, newError(rc, "")
	}
	out.JSON = []byte(takeString(doc, dn))
	return out, nil
}
