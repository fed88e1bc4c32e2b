package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"time"
)

// LinkKind is how an incident is linked to another (inc_link_kind, LIFE-5).
type LinkKind int

// The link kinds.
const (
	LinkDuplicateOf  LinkKind = C.INC_LINK_DUPLICATE_OF
	LinkRelated      LinkKind = C.INC_LINK_RELATED
	LinkRecurrenceOf LinkKind = C.INC_LINK_RECURRENCE_OF
)

// String is the stable name, such as "duplicate_of" (inc_link_kind_name).
func (k LinkKind) String() string {
	return goStringOr(C.inc_link_kind_name(C.inc_link_kind(k)), "link?")
}

// ParseLinkKind looks a link kind up by name ("duplicate_of" or
// "duplicate-of"; inc_link_kind_from_name).
func ParseLinkKind(name string) (LinkKind, error) {
	cs := C.CString(name)
	defer free(cs)
	var out C.inc_link_kind
	if rc := C.inc_link_kind_from_name(cs, &out); rc != 0 {
		return 0, newError(rc, "no link kind named '"+name+"'")
	}
	return LinkKind(out), nil
}

// Link is one link of an incident to another (inc_link).
type Link struct {
	Kind       LinkKind
	IncidentID string // the other incident
	By         string
	At         time.Time
	Text       string // "" if none
	Seq        uint64 // the event that recorded it
}

// AddLink links the incident to another of the store (LIFE-5;
// inc_incident_add_link): only the IC may. A duplicate is closed with a
// pointer to its primary; a duplicate of itself or a cycle of duplicates
// is CodeInvalid; a recurrence needs the other incident closed.
func (inc *Incident) AddLink(actor string, kind LinkKind, otherID, text string) error {
	a, o, t := C.CString(actor), C.CString(otherID), cstr(text, true)
	defer func() { free(a); free(o); free(t) }()
	return inc.call(func(p *C.inc_incident) C.int { return C.inc_incident_add_link(p, a, C.inc_link_kind(kind), o, t) })
}

// Links are the links the incident made, in order (inc_incident_link_count,
// inc_incident_link).
func (inc *Incident) Links() []Link {
	p, err := inc.lock()
	if err != nil {
		return nil
	}
	defer inc.ctx.mu.Unlock()
	n := int(C.inc_incident_link_count(p))
	out := make([]Link, 0, n)
	for i := 0; i < n; i++ {
		if l := C.inc_incident_link(p, C.size_t(i)); l != nil {
			out = append(out, Link{Kind: LinkKind(l.kind), IncidentID: goStringOr(l.incident_id, ""),
				By: goStringOr(l.by, ""), At: toTime(l.at), Text: goStringOr(l.text, ""), Seq: uint64(l.seq)})
		}
	}
	return out
}

// DuplicateOf is the primary's id when the incident is a duplicate, else ""
// (inc_incident_duplicate_of): pages and alerts for it go there.
func (inc *Incident) DuplicateOf() string {
	p, err := inc.lock()
	if err != nil {
		return ""
	}
	defer inc.ctx.mu.Unlock()
	return goStringOr(C.inc_incident_duplicate_of(p), "")
}
