package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

// Policy says how role rules are enforced (inc_policy).
type Policy int

// The policies.
const (
	PolicyAdvisory Policy = C.INC_POLICY_ADVISORY // record the change and report the finding
	PolicyStrict   Policy = C.INC_POLICY_STRICT   // refuse a change that breaks a rule (ErrRole)
)

// State is a lifecycle state (inc_state).
type State int

// The lifecycle states (LIFE-1).
const (
	StateDeclared      State = C.INC_STATE_DECLARED
	StateInvestigating State = C.INC_STATE_INVESTIGATING
	StateMitigating    State = C.INC_STATE_MITIGATING
	StateMonitoring    State = C.INC_STATE_MONITORING
	StateResolved      State = C.INC_STATE_RESOLVED
	StateClosed        State = C.INC_STATE_CLOSED
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
	CritCustomerVisible Criteria = C.INC_CRIT_CUSTOMER_VISIBLE
	CritInternalBlocked Criteria = C.INC_CRIT_INTERNAL_BLOCKED
	CritSecurity        Criteria = C.INC_CRIT_SECURITY
	CritDataLoss        Criteria = C.INC_CRIT_DATA_LOSS
	CritRegulatory      Criteria = C.INC_CRIT_REGULATORY
	CritUnknown         Criteria = C.INC_CRIT_UNKNOWN
)

// EventKind is the kind of a timeline event (inc_event_kind).
type EventKind int

// The event kinds; the numbers are part of the stored format.
const (
	EventDeclared             EventKind = C.INC_EV_DECLARED
	EventSeverityChanged      EventKind = C.INC_EV_SEVERITY_CHANGED
	EventStateChanged         EventKind = C.INC_EV_STATE_CHANGED
	EventNote                 EventKind = C.INC_EV_NOTE
	EventCorrection           EventKind = C.INC_EV_CORRECTION
	EventRoleAssigned         EventKind = C.INC_EV_ROLE_ASSIGNED
	EventRoleReleased         EventKind = C.INC_EV_ROLE_RELEASED
	EventHandoffStarted       EventKind = C.INC_EV_HANDOFF_STARTED
	EventHandoffConfirmed     EventKind = C.INC_EV_HANDOFF_CONFIRMED
	EventCANReport            EventKind = C.INC_EV_CAN_REPORT
	EventStatusUpdate         EventKind = C.INC_EV_STATUS_UPDATE
	EventPageRequested        EventKind = C.INC_EV_PAGE_REQUESTED
	EventPageSent             EventKind = C.INC_EV_PAGE_SENT
	EventAcknowledged         EventKind = C.INC_EV_ACKNOWLEDGED
	EventDecisionRequested    EventKind = C.INC_EV_DECISION_REQUESTED
	EventDecisionMade         EventKind = C.INC_EV_DECISION_MADE
	EventActionAdded          EventKind = C.INC_EV_ACTION_ADDED
	EventActionChanged        EventKind = C.INC_EV_ACTION_CHANGED
	EventDeadlineClockStarted EventKind = C.INC_EV_DEADLINE_CLOCK_STARTED
	EventDeadlineClockStopped EventKind = C.INC_EV_DEADLINE_CLOCK_STOPPED
	EventCadenceChanged       EventKind = C.INC_EV_CADENCE_CHANGED
	EventHandoffCancelled     EventKind = C.INC_EV_HANDOFF_CANCELLED
	EventDueDelivered         EventKind = C.INC_EV_DUE_DELIVERED
	EventPostmortemSection    EventKind = C.INC_EV_POSTMORTEM_SECTION
	EventPostmortemStatus     EventKind = C.INC_EV_POSTMORTEM_STATUS
	EventPostmortemTag        EventKind = C.INC_EV_POSTMORTEM_TAG
	EventBridgeOpened         EventKind = C.INC_EV_BRIDGE_OPENED
	EventReopened             EventKind = C.INC_EV_REOPENED
	EventLinked               EventKind = C.INC_EV_LINKED
	EventExternalLinked       EventKind = C.INC_EV_EXTERNAL_LINKED
	EventAlertReceived        EventKind = C.INC_EV_ALERT_RECEIVED
	EventFieldSet             EventKind = C.INC_EV_FIELD_SET
)

// String is the stable kind name, such as "severity_changed" (inc_event_kind_name).
func (k EventKind) String() string {
	return goStringOr(C.inc_event_kind_name(C.inc_event_kind(k)), "event?")
}

// Role is a response role (inc_role, ROLE-1).
type Role int

// The roles.
const (
	RoleIC      Role = C.INC_ROLE_IC
	RoleDeputy  Role = C.INC_ROLE_DEPUTY
	RoleScribe  Role = C.INC_ROLE_SCRIBE
	RoleSME     Role = C.INC_ROLE_SME
	RoleComms   Role = C.INC_ROLE_COMMS
	RoleLiaison Role = C.INC_ROLE_LIAISON
	RoleSponsor Role = C.INC_ROLE_SPONSOR
	RoleLegal   Role = C.INC_ROLE_LEGAL
	RolePR      Role = C.INC_ROLE_PR
	roleCount        = C.INC_ROLE_COUNT
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
	ComboAllowed       Combo = C.INC_COMBO_ALLOWED
	ComboNever         Combo = C.INC_COMBO_NEVER
	ComboReportLong    Combo = C.INC_COMBO_REPORT_LONG
	ComboReportOverdue Combo = C.INC_COMBO_REPORT_OVERDUE
)

// String is the stable name, such as "report-long" (inc_combo_name).
func (c Combo) String() string {
	return goStringOr(C.inc_combo_name(C.inc_combo(c)), "combo?")
}

// Preset names a built-in rubric (inc_rubric_preset).
type Preset int

// The presets.
const (
	PresetDefault Preset = C.INC_RUBRIC_DEFAULT // Sev-0..Sev-4
	PresetSeed002 Preset = C.INC_RUBRIC_SEED002 // SEV1..SEV4
)

// LevelText is a text field of a rubric level (inc_level_text).
type LevelText int

// The text fields.
const (
	TextTrigger LevelText = C.INC_LEVEL_TRIGGER
	TextPosture LevelText = C.INC_LEVEL_POSTURE
	TextPaged   LevelText = C.INC_LEVEL_PAGED
)

// DurationField is a duration field of a rubric level (inc_level_duration).
type DurationField int

// The duration fields.
const (
	DurAck             DurationField = C.INC_DUR_ACK
	DurMitigate        DurationField = C.INC_DUR_MITIGATE
	DurResolve         DurationField = C.INC_DUR_RESOLVE
	DurCadenceExternal DurationField = C.INC_DUR_CADENCE_EXTERNAL
	DurCadenceInternal DurationField = C.INC_DUR_CADENCE_INTERNAL
	DurCadenceResponse DurationField = C.INC_DUR_CADENCE_RESPONSE
	DurPostmortem      DurationField = C.INC_DUR_POSTMORTEM
	DurLongIncident    DurationField = C.INC_DUR_LONG_INCIDENT
	DurAckTimeout      DurationField = C.INC_DUR_ACK_TIMEOUT
	DurScribe          DurationField = C.INC_DUR_SCRIBE
	durCount                         = C.INC_DUR_COUNT
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
	FlagBridge      Flag = C.INC_FLAG_BRIDGE
	FlagPostmortem  Flag = C.INC_FLAG_POSTMORTEM
	FlagExecPosture Flag = C.INC_FLAG_EXEC_POSTURE
)

// Comm is a communication a level may require (inc_comm_kind).
type Comm int

// The communications.
const (
	CommStatusPage    Comm = C.INC_COMM_STATUS_PAGE
	CommCustomerEmail Comm = C.INC_COMM_CUSTOMER_EMAIL
	CommExecNotify    Comm = C.INC_COMM_EXEC_NOTIFY
)

// EscCondition says when an escalation step's clock runs (inc_esc_condition).
type EscCondition int

// The conditions.
const (
	EscUnacknowledged EscCondition = C.INC_ESC_UNACKNOWLEDGED
	EscUnresolved     EscCondition = C.INC_ESC_UNRESOLVED
)

// SyncPolicy says when the journal makes appends durable (inc_sync_policy).
type SyncPolicy int

// The sync policies.
const (
	SyncEvery SyncPolicy = C.INC_SYNC_EVERY
	SyncGroup SyncPolicy = C.INC_SYNC_GROUP
	SyncNone  SyncPolicy = C.INC_SYNC_NONE
)

func goStringOr(p *C.char, fallback string) string {
	if p == nil {
		return fallback
	}
	return C.GoString(p)
}
