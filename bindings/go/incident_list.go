package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"runtime"
	"strings"
	"time"
)

// IncidentSort is what an incident list is sorted by (inc_incident_sort);
// ties are by id.
type IncidentSort int

// The sort keys.
const (
	SortID       IncidentSort = C.INC_SORT_ID
	SortDeclared IncidentSort = C.INC_SORT_DECLARED
	SortLevel    IncidentSort = C.INC_SORT_LEVEL // the most severe first
	SortState    IncidentSort = C.INC_SORT_STATE
	SortTitle    IncidentSort = C.INC_SORT_TITLE
)

// String is the stable name, such as "declared" (inc_incident_sort_name).
func (s IncidentSort) String() string {
	return goStringOr(C.inc_incident_sort_name(C.inc_incident_sort(s)), "sort?")
}

// ParseIncidentSort looks a sort key up by name (inc_incident_sort_from_name).
func ParseIncidentSort(name string) (IncidentSort, error) {
	cs := C.CString(name)
	defer free(cs)
	var out C.inc_incident_sort
	if rc := C.inc_incident_sort_from_name(cs, &out); rc != 0 {
		return 0, newError(rc, "no sort key named '"+name+"'")
	}
	return IncidentSort(out), nil
}

// DrillFilter is which drills an incident list keeps (inc_drill_filter, DEC-4).
type DrillFilter int

// The drill filters.
const (
	DrillsIncluded DrillFilter = C.INC_DRILLS_INCLUDED
	DrillsExcluded DrillFilter = C.INC_DRILLS_EXCLUDED
	DrillsOnly     DrillFilter = C.INC_DRILLS_ONLY
)

// FieldType is the type of a custom field a rubric declares (inc_field_type, RUB-6).
type FieldType int

// The field types.
const (
	FieldText   FieldType = C.INC_FIELD_TEXT
	FieldNumber FieldType = C.INC_FIELD_NUMBER
	FieldOneOf  FieldType = C.INC_FIELD_ONE_OF
	FieldDate   FieldType = C.INC_FIELD_DATE
	FieldPerson FieldType = C.INC_FIELD_PERSON
)

// String is the rubric text's name, such as "one-of" (inc_field_type_name).
func (t FieldType) String() string {
	return goStringOr(C.inc_field_type_name(C.inc_field_type(t)), "field-type?")
}

// FieldRequired is when a custom field must be set (inc_field_required, RUB-6).
type FieldRequired int

// When a field is required.
const (
	FieldOptional          FieldRequired = C.INC_FIELD_OPTIONAL
	FieldRequiredToClose   FieldRequired = C.INC_FIELD_REQUIRED_TO_CLOSE
	FieldRequiredFromLevel FieldRequired = C.INC_FIELD_REQUIRED_FROM_LEVEL
)

// RubricField is a custom field as a rubric declares it (inc_rubric_field).
type RubricField struct {
	Name     string
	Type     FieldType
	Values   []string // FieldOneOf: the allowed values, in order
	Required FieldRequired
	Level    string // FieldRequiredFromLevel: the level named
}

// Fields lists the custom fields the rubric declares, in declaration order
// (inc_rubric_field_count, inc_rubric_get_field; RUB-6).
func (r *Rubric) Fields() []RubricField {
	defer runtime.KeepAlive(r)
	if r.p == nil {
		return nil
	}
	n := int(C.inc_rubric_field_count(r.p))
	out := make([]RubricField, 0, n)
	for i := 0; i < n; i++ {
		var f C.inc_rubric_field
		if C.inc_rubric_get_field(r.p, C.size_t(i), &f) != 0 {
			continue
		}
		rf := RubricField{Name: goStringOr(f.name, ""), Type: FieldType(f._type),
			Required: FieldRequired(f.required), Level: goStringOr(f.level, "")}
		if v := goStringOr(f.values, ""); v != "" {
			rf.Values = strings.Split(v, ",")
		}
		out = append(out, rf)
	}
	return out
}

// IncidentQuery selects incidents for Session.FindIncidents
// (inc_incident_query); every filter given must hold.
type IncidentQuery struct {
	States         []State      // only these states; none for all
	Level          string       // only this level (case ignored); "" for all
	Drills         DrillFilter  // DrillsIncluded (the zero value), DrillsExcluded, DrillsOnly
	Since, Until   time.Time    // declared in [Since, Until); zero for open
	Holder         string       // only where this person holds Role now; "" for all
	Role           *Role        // with Holder: the role; nil for any role
	Field, Value   string       // a custom field (RUB-6) last set to Value; "" for none
	Title          string       // the title contains it, case ignored; "" for all
	Sort           IncidentSort // SortID (the zero value) ...
	Reverse        bool
	Limit          int  // at most this many; 0 for all
	SkipUnreadable bool // list the others and name them in Unreadable (inc_incident_list_query_skipping)
}

// IncidentEntry is one incident of an IncidentList (inc_incident_entry).
type IncidentEntry struct {
	ID, Title, Severity string
	Level               int // in the session's rubric (0 the most severe), or -1
	State               State
	Drill               bool
	DeclaredAt          time.Time
	ResolvedAt          time.Time // zero: never resolved, or reopened since (LIFE-4)
	IC, Declarer        string
	Channel             string
	LastSeq             uint64
	ReopenCount         int
	DuplicateOf         string // LIFE-5: the primary, or ""
}

// IncidentList is what FindIncidents found, copied: Total is how many
// matched before Limit, Unreadable the ids that could not be read.
type IncidentList struct {
	Entries    []IncidentEntry
	Total      int
	Unreadable []string
}

func (q *IncidentQuery) toC(cq *C.inc_incident_query) {
	C.inc_incident_query_init(cq, C.INC_INCIDENT_QUERY_VERSION)
	for _, s := range q.States {
		cq.states |= C.uint(1) << uint(s)
	}
	cq.level, cq.holder, cq.title = cstr(q.Level, true), cstr(q.Holder, true), cstr(q.Title, true)
	cq.field, cq.field_value = cstr(q.Field, true), cstr(q.Value, true)
	cq.drills, cq.since, cq.until = C.int(q.Drills), fromTime(q.Since), fromTime(q.Until)
	if q.Role != nil {
		cq.role = C.int(*q.Role)
	}
	cq.sort, cq.descending, cq.limit = C.int(q.Sort), cbool(q.Reverse), C.size_t(q.Limit)
}

func freeQuery(cq *C.inc_incident_query) {
	for _, p := range []*C.char{cq.level, cq.holder, cq.title, cq.field, cq.field_value} {
		free(p)
	}
}

func entryOf(e *C.inc_incident_entry) IncidentEntry {
	return IncidentEntry{
		ID: goStringOr(e.id, ""), Title: goStringOr(e.title, ""), Severity: goStringOr(e.severity, ""),
		Level: int(e.level), State: State(e.state), Drill: e.drill != 0,
		DeclaredAt: toTime(e.declared_at), ResolvedAt: toTime(e.resolved_at),
		IC: goStringOr(e.ic, ""), Declarer: goStringOr(e.declarer, ""), Channel: goStringOr(e.channel, ""),
		LastSeq: uint64(e.last_seq), ReopenCount: int(e.reopen_count),
		DuplicateOf: goStringOr(e.duplicate_of, ""),
	}
}

// FindIncidents lists the incidents of the store that match q, sorted
// (inc_incident_list_query; inc_incident_list_query_skipping with
// SkipUnreadable). A level or field the session's rubric does not declare
// is ErrNotFound; a range that ends before it starts, ErrInvalid.
func (c *Session) FindIncidents(q IncidentQuery) (*IncidentList, error) {
	if q.Limit < 0 {
		return nil, newError(C.INC_EINVAL, "limit: a positive number, or 0 for all")
	}
	var cq C.inc_incident_query
	q.toC(&cq)
	defer freeQuery(&cq)
	p, err := c.lock()
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var list *C.inc_incident_list
	var rc C.int
	if q.SkipUnreadable {
		rc = C.inc_incident_list_query_skipping(p, &cq, &list)
	} else {
		rc = C.inc_incident_list_query(p, &cq, &list)
	}
	if rc != 0 {
		return nil, c.fail(rc, "")
	}
	defer C.inc_incident_list_free(list)
	l := &IncidentList{Total: int(C.inc_incident_list_total(list))}
	n := int(C.inc_incident_list_count(list))
	l.Entries = make([]IncidentEntry, 0, n)
	for i := 0; i < n; i++ {
		l.Entries = append(l.Entries, entryOf(C.inc_incident_list_at(list, C.size_t(i))))
	}
	for i := 0; i < int(C.inc_incident_list_unreadable_count(list)); i++ {
		l.Unreadable = append(l.Unreadable, goStringOr(C.inc_incident_list_unreadable(list, C.size_t(i)), ""))
	}
	return l, nil
}
