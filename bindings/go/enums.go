package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

// Policy says how role rules are enforced (inc_policy).
type Policy int

// The policies.
const (
	PolicyAdvisory Policy = 0 // record the change and report the finding
	PolicyStrict   Policy = 1 // refuse a change that breaks a rule (ErrRole)
)

// State is a lifecycle state (inc_state).
type State int

// The lifecycle states (LIFE-1).
const (
	StateDeclared      State = 0
	StateInvestigating State = 1
	StateMitigating    State = 2
	StateMonitoring    State = 3
	StateResolved      State = 4
	StateClosed        State = 5
)

// String is the stable name, such as "investigating" (inc_state_name).
func (s State) String() string {
	return goStringOr(C.inc_state_name(C.inc_state(s)), "state?")
}

// ParseState looks a state up by its stable name (inc_state_from_name).
func ParseState(name string) (State, error) {
	cs := C.CString(name)
	defer free(cs)
	var out C.inc_state
	if rc := C.inc_state_from_name(cs, &out); rc != 0 {
		return 0, newError(rc, "no state named '"+name+"'")
	}
	return State(out), nil
}

// Criteria are the declaration criteria bits (inc_criteria, DEC-2).
type Criteria uint

// The declaration criteria.
const (
	CritCustomerVisible Criteria = 1 << 0
	CritInternalBlocked Criteria = 1 << 1
	CritSecurity        Criteria = 1 << 2
	CritDataLoss        Criteria = 1 << 3
	CritRegulatory      Criteria = 1 << 4
	CritUnknown         Criteria = 1 << 5
)

// EventKind is the kind of a timeline event (inc_event_kind).
type EventKind int

// The event kinds; the numbers are part of the stored format.
const (
	EventDeclared             EventKind = 1
	EventSeverityChanged      EventKind = 2
	EventStateChanged         EventKind = 3
	EventNote                 EventKind = 4
	EventCorrection           EventKind = 5
	EventRoleAssigned         EventKind = 6
	EventRoleReleased         EventKind = 7
	EventHandoffStarted       EventKind = 8
	EventHandoffConfirmed     EventKind = 9
	EventCANReport            EventKind = 10
	EventStatusUpdate         EventKind = 11
	EventPageRequested        EventKind = 12
	EventPageSent             EventKind = 13
	EventAcknowledged         EventKind = 14
	EventDecisionRequested    EventKind = 15
	EventDecisionMade         EventKind = 16
	EventActionAdded          EventKind = 17
	EventActionChanged        EventKind = 18
	EventDeadlineClockStarted EventKind = 19
	EventDeadlineClockStopped EventKind = 20
	EventCadenceChanged       EventKind = 21
	EventHandoffCancelled     EventKind = 22
	EventDueDelivered         EventKind = 23
	EventPostmortemSection    EventKind = 24
	EventPostmortemStatus     EventKind = 25
	EventPostmortemTag        EventKind = 26
	EventBridgeOpened         EventKind = 27
)

// String is the stable kind name, such as "severity_changed" (inc_event_kind_name).
func (k EventKind) String() string {
	return goStringOr(C.inc_event_kind_name(C.inc_event_kind(k)), "event?")
}

// Role is a response role (inc_role, ROLE-1).
type Role int

// The roles.
const (
	RoleIC      Role = 0
	RoleDeputy  Role = 1
	RoleScribe  Role = 2
	RoleSME     Role = 3
	RoleComms   Role = 4
	RoleLiaison Role = 5
	RoleSponsor Role = 6
	RoleLegal   Role = 7
	RolePR      Role = 8
	roleCount        = 9
)

// String is the stable short name, such as "ic" (inc_role_name).
func (r Role) String() string {
	return goStringOr(C.inc_role_name(C.inc_role(r)), "role?")
}

// Title is the human title, such as "Incident Commander" (inc_role_title).
func (r Role) Title() string {
	return goStringOr(C.inc_role_title(C.inc_role(r)), "")
}

// ParseRole looks a role up by short name, case-insensitively (inc_role_from_name).
func ParseRole(name string) (Role, error) {
	cs := C.CString(name)
	defer free(cs)
	var out C.inc_role
	if rc := C.inc_role_from_name(cs, &out); rc != 0 {
		return 0, newError(rc, "no role named '"+name+"'")
	}
	return Role(out), nil
}

// Combo says how one person may hold two roles at a level (inc_combo).
type Combo int

// The combination rules.
const (
	ComboAllowed       Combo = 0
	ComboNever         Combo = 1
	ComboReportLong    Combo = 2
	ComboReportOverdue Combo = 3
)

// String is the stable name, such as "report-long" (inc_combo_name).
func (c Combo) String() string {
	return goStringOr(C.inc_combo_name(C.inc_combo(c)), "combo?")
}

// Preset names a built-in rubric (inc_rubric_preset).
type Preset int

// The presets.
const (
	PresetDefault Preset = 0 // Sev-0..Sev-4
	PresetSeed002 Preset = 1 // SEV1..SEV4
)

// LevelText is a text field of a rubric level (inc_level_text).
type LevelText int

// The text fields.
const (
	TextTrigger LevelText = 0
	TextPosture LevelText = 1
	TextPaged   LevelText = 2
)

// DurationField is a duration field of a rubric level (inc_level_duration).
type DurationField int

// The duration fields.
const (
	DurAck             DurationField = 0
	DurMitigate        DurationField = 1
	DurResolve         DurationField = 2
	DurCadenceExternal DurationField = 3
	DurCadenceInternal DurationField = 4
	DurCadenceResponse DurationField = 5
	DurPostmortem      DurationField = 6
	DurLongIncident    DurationField = 7
	DurAckTimeout      DurationField = 8
	DurScribe          DurationField = 9
	durCount                         = 10
)

// String is the field's name in the text format, such as "cadence.external"
// (inc_level_duration_name).
func (f DurationField) String() string {
	return goStringOr(C.inc_level_duration_name(C.inc_level_duration(f)), "duration?")
}

// Flag is a yes/no field of a rubric level (inc_level_flag).
type Flag int

// The flags.
const (
	FlagBridge      Flag = 0
	FlagPostmortem  Flag = 1
	FlagExecPosture Flag = 2
)

// Comm is a communication a level may require (inc_comm_kind).
type Comm int

// The communications.
const (
	CommStatusPage    Comm = 0
	CommCustomerEmail Comm = 1
	CommExecNotify    Comm = 2
)

// EscCondition says when an escalation step's clock runs (inc_esc_condition).
type EscCondition int

// The conditions.
const (
	EscUnacknowledged EscCondition = 0
	EscUnresolved     EscCondition = 1
)

// SyncPolicy says when the journal makes appends durable (inc_sync_policy).
type SyncPolicy int

// The sync policies.
const (
	SyncEvery SyncPolicy = 0
	SyncGroup SyncPolicy = 1
	SyncNone  SyncPolicy = 2
)

func goStringOr(p *C.char, fallback string) string {
	if p == nil {
		return fallback
	}
	return C.GoString(p)
}
