package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"context"
	"time"
)

// Assignment is one assignment of a role to a person, held now or in the
// past (inc_assignment). The IC's terms are assignments too.
type Assignment struct {
	Person      string
	Role        Role
	Domain      string // an SME's domain, else ""
	AssignedBy  string
	AssignedAt  time.Time
	ReleasedAt  time.Time // zero while held
	Seq         uint64    // the event that began it
	ReleasedSeq uint64    // the event that ended it, 0 while held
}

// Finding is one finding of a check (inc_finding): the rule, the people and
// roles involved, and one sentence saying what is wrong and what to do.
type Finding struct {
	RuleID     string
	Message    string
	Level      string // "" when it does not depend on a level
	LevelIndex int    // -1 when it does not depend on a level
	Enforced   bool   // a strict policy refuses changes that cause it
	People     []string
	Roles      []Role // for a combination, Roles[1] is the one to hand on
	RoleMask   uint
	Value      int64     // people missing (ROLE-10), milliseconds late (ROLE-12), ...
	Since      time.Time // zero when unknown
	Slot       int       // text lint only, else -1
	Offset     int
	Length     int
}

// Findings are the findings of a check, in the library's order, and Text,
// the list rendered one finding per line (inc_findings_render).
type Findings struct {
	List []Finding
	Text string
}

// CountRule counts the findings of one rule (inc_findings_count_rule).
func (f Findings) CountRule(ruleID string) int {
	n := 0
	for _, x := range f.List {
		if x.RuleID == ruleID {
			n++
		}
	}
	return n
}

// Briefing is the CAN briefing of a hand-off (CAN-1): Conditions and/or
// Actions, and Needs ("none" when nothing is needed).
type Briefing struct {
	Conditions string
	Actions    string
	Needs      string
}

func assignmentOf(a *C.inc_assignment) Assignment {
	return Assignment{
		Person: goStringOr(a.person, ""), Role: Role(a.role), Domain: goStringOr(a.domain, ""),
		AssignedBy: goStringOr(a.assigned_by, ""), AssignedAt: toTime(a.assigned_at),
		ReleasedAt: toTime(a.released_at), Seq: uint64(a.seq), ReleasedSeq: uint64(a.released_seq),
	}
}

func rolesOf(mask C.unsigned) []Role {
	var roles []Role
	for r := Role(0); r < roleCount; r++ {
		if mask&(1<<uint(r)) != 0 {
			roles = append(roles, r)
		}
	}
	return roles
}

// takeFindings copies an inc_findings list and frees it.
func takeFindings(list *C.inc_findings) (Findings, error) {
	defer C.inc_findings_free(list)
	return copyFindings(list)
}

// copyFindings copies an inc_findings list someone else owns.
func copyFindings(list *C.inc_findings) (Findings, error) {
	var out Findings
	n := int(C.inc_findings_count(list))
	for i := 0; i < n; i++ {
		f := C.inc_findings_at(list, C.size_t(i))
		x := Finding{
			RuleID: goStringOr(f.rule_id, ""), Message: goStringOr(f.message, ""),
			Level: goStringOr(f.level, ""), LevelIndex: -1, Enforced: f.enforced != 0,
			RoleMask: uint(f.role_mask), Value: int64(f.value), Since: toTime(f.since),
			Slot: int(f.slot), Offset: int(f.offset), Length: int(f.length),
		}
		if f.level_index != C.INC_FINDING_NO_LEVEL {
			x.LevelIndex = int(f.level_index)
		}
		for j := 0; j < int(f.people_count) && j < 2; j++ {
			x.People = append(x.People, goStringOr(f.people[j], ""))
		}
		for j := 0; j < int(f.role_count) && j < 2; j++ {
			x.Roles = append(x.Roles, Role(f.roles[j]))
		}
		out.List = append(out.List, x)
	}
	var text *C.char
	var tn C.size_t
	if rc := C.inc_findings_render(list, &text, &tn); rc != 0 {
		return Findings{}, newError(rc, "")
	}
	out.Text = takeString(text, tn)
	return out, nil
}

// AssignRole gives role (not the IC) to person; only the IC may
// (inc_incident_assign_role). An SME needs a domain. Under the strict
// policy a combination the level forbids is ErrRole.
func (inc *Incident) AssignRole(actor, person string, role Role, domain string) error {
	return inc.AssignRoleContext(context.Background(), actor, person, role, domain)
}

// AssignRoleContext is AssignRole that does not start once ctx is done.
func (inc *Incident) AssignRoleContext(ctx context.Context, actor, person string, role Role, domain string) error {
	a, p, d := C.CString(actor), C.CString(person), cstr(domain, true)
	defer func() { free(a); free(p); free(d) }()
	return inc.callCtx(ctx, func(h *C.inc_incident) C.int { return C.inc_incident_assign_role(h, a, p, C.inc_role(role), d) })
}

// ReleaseRole releases a role person holds: the IC may release anyone's,
// anyone their own (inc_incident_release_role).
func (inc *Incident) ReleaseRole(actor, person string, role Role, domain string) error {
	a, p, d := C.CString(actor), C.CString(person), cstr(domain, true)
	defer func() { free(a); free(p); free(d) }()
	return inc.call(func(h *C.inc_incident) C.int { return C.inc_incident_release_role(h, a, p, C.inc_role(role), d) })
}

// Handoff starts handing command to another person with a CAN briefing
// (ROLE-2, CAN-1; inc_incident_handoff). The outgoing IC stays IC until
// ConfirmHandoff.
func (inc *Incident) Handoff(actor, to string, b Briefing) error {
	a, t := C.CString(actor), C.CString(to)
	c, x, n := cstr(b.Conditions, true), cstr(b.Actions, true), C.CString(b.Needs)
	defer func() { free(a); free(t); free(c); free(x); free(n) }()
	return inc.call(func(h *C.inc_incident) C.int { return C.inc_incident_handoff(h, a, t, c, x, n) })
}

// ConfirmHandoff: the incoming IC confirms and becomes IC (inc_incident_confirm_handoff).
func (inc *Incident) ConfirmHandoff(actor string) error {
	a := C.CString(actor)
	defer free(a)
	return inc.call(func(h *C.inc_incident) C.int { return C.inc_incident_confirm_handoff(h, a) })
}

// CancelHandoff: the IC cancels, or the incoming person declines, the
// pending hand-off (inc_incident_cancel_handoff).
func (inc *Incident) CancelHandoff(actor, reason string) error {
	a, r := C.CString(actor), cstr(reason, true)
	defer func() { free(a); free(r) }()
	return inc.call(func(h *C.inc_incident) C.int { return C.inc_incident_cancel_handoff(h, a, r) })
}

// HandoffTo is the incoming IC of the pending hand-off, "" if none.
func (inc *Incident) HandoffTo() string {
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_handoff_to(p) })
}

// HandoffSince is when the pending hand-off started (zero if none).
func (inc *Incident) HandoffSince() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_handoff_since(p) })
}

// HandoffSeq is the sequence number of the pending hand-off's event, 0 if none.
func (inc *Incident) HandoffSeq() uint64 {
	return uint64(inc.num(func(p *C.inc_incident) int64 { return int64(C.inc_incident_handoff_seq(p)) }))
}

// ICAt is who was IC at t, "" before declaration (inc_incident_ic_at).
func (inc *Incident) ICAt(t time.Time) string {
	return inc.str(func(p *C.inc_incident) *C.char { return C.inc_incident_ic_at(p, fromTime(t)) })
}

// RoleHolders are the current holders of role, in the order assigned
// (inc_incident_role_holder_count, inc_incident_role_holder).
func (inc *Incident) RoleHolders(role Role) []Assignment {
	p, err := inc.lock()
	if err != nil {
		return nil
	}
	defer inc.ctx.mu.Unlock()
	n := int(C.inc_incident_role_holder_count(p, C.inc_role(role)))
	out := make([]Assignment, 0, n)
	for i := 0; i < n; i++ {
		if a := C.inc_incident_role_holder(p, C.inc_role(role), C.size_t(i)); a != nil {
			out = append(out, assignmentOf(a))
		}
	}
	return out
}

// PersonRoles are the roles person holds now (inc_incident_person_roles).
func (inc *Incident) PersonRoles(person string) []Role {
	cp := C.CString(person)
	defer free(cp)
	return rolesOf(C.unsigned(inc.num(func(p *C.inc_incident) int64 { return int64(C.inc_incident_person_roles(p, cp)) })))
}

// PersonRolesAt are the roles person held at t (inc_incident_person_roles_at).
func (inc *Incident) PersonRolesAt(person string, t time.Time) []Role {
	cp := C.CString(person)
	defer free(cp)
	return rolesOf(C.unsigned(inc.num(func(p *C.inc_incident) int64 {
		return int64(C.inc_incident_person_roles_at(p, cp, fromTime(t)))
	})))
}

// Assignments are every assignment ever made, current and past, IC terms
// included (inc_incident_assignment_count, inc_incident_assignment).
func (inc *Incident) Assignments() []Assignment {
	p, err := inc.lock()
	if err != nil {
		return nil
	}
	defer inc.ctx.mu.Unlock()
	n := int(C.inc_incident_assignment_count(p))
	out := make([]Assignment, 0, n)
	for i := 0; i < n; i++ {
		if a := C.inc_incident_assignment(p, C.size_t(i)); a != nil {
			out = append(out, assignmentOf(a))
		}
	}
	return out
}

// ScribeAssignedAt is when a Scribe was first assigned (zero if never; ROLE-12).
func (inc *Incident) ScribeAssignedAt() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_scribe_assigned_at(p) })
}

// ScribeDue is when a Scribe is due (zero when the level expects none; ROLE-12).
func (inc *Incident) ScribeDue() time.Time {
	return inc.when(func(p *C.inc_incident) C.inc_time { return C.inc_incident_scribe_due(p) })
}

// RolesCheck checks the roles against the rubric at the current level, now
// (ROLE-11; inc_incident_check_roles).
func (inc *Incident) RolesCheck() (Findings, error) {
	var list *C.inc_findings
	if err := inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_check_roles(p, &list) }); err != nil {
		return Findings{}, err
	}
	return takeFindings(list)
}
