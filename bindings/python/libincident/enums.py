"""The library's enumerations as Python enums, and their stable names."""

from __future__ import annotations

import ctypes
import enum
from typing import Callable, Optional, Type, TypeVar, Union

from . import _lib
from .errors import UnknownNameError, make_error


_E = TypeVar("_E", bound=enum.IntEnum)


def _as_member(
    value: Union[_E, int, str],
    cls: Type[_E],
    what: str,
    from_name: Callable[[str], _E],
    name_of: Callable[[_E], Optional[str]],
) -> _E:
    """``value`` (a member, its int or its stable name) as a member of
    ``cls``. A value that names no member is a bad argument:
    UnknownNameError (a NotFoundError, as the C library reports it, and a
    ValueError), its message listing the valid names."""
    try:
        if isinstance(value, str):
            return from_name(value)
        return cls(value)
    except (LookupError, ValueError) as exc:
        valid = ", ".join(name_of(member) or member.name for member in cls)
        raise UnknownNameError(
            message="%s: no %s named %r (valid: %s)" % (what, what, value, valid)
        ) from exc


class Policy(enum.IntEnum):
    """How role rules are enforced (inc_policy)."""

    ADVISORY = 0
    STRICT = 1


class State(enum.IntEnum):
    """Lifecycle states (inc_state); ``str(state)`` is the stable name."""

    DECLARED = 0
    INVESTIGATING = 1
    MITIGATING = 2
    MONITORING = 3
    RESOLVED = 4
    CLOSED = 5

    def __str__(self) -> str:
        return state_name(self) or self.name


class LinkKind(enum.IntEnum):
    """How an incident is linked to another (inc_link_kind, LIFE-5);
    ``str(kind)`` is the stable name."""

    DUPLICATE_OF = 1
    RELATED = 2
    RECURRENCE_OF = 3

    def __str__(self) -> str:
        return _lib.decode(_lib.lib.inc_link_kind_name(int(self))) or ""


class Criteria(enum.IntFlag):
    """Declaration criteria bits (inc_criteria)."""

    NONE = 0
    CUSTOMER_VISIBLE = 1 << 0
    INTERNAL_BLOCKED = 1 << 1
    SECURITY = 1 << 2
    DATA_LOSS = 1 << 3
    REGULATORY = 1 << 4
    UNKNOWN = 1 << 5


class EventKind(enum.IntEnum):
    """Event kinds (inc_event_kind); the numbers are part of the stored format."""

    DECLARED = 1
    SEVERITY_CHANGED = 2
    STATE_CHANGED = 3
    NOTE = 4
    CORRECTION = 5
    ROLE_ASSIGNED = 6
    ROLE_RELEASED = 7
    HANDOFF_STARTED = 8
    HANDOFF_CONFIRMED = 9
    CAN_REPORT = 10
    STATUS_UPDATE = 11
    PAGE_REQUESTED = 12
    PAGE_SENT = 13
    ACKNOWLEDGED = 14
    DECISION_REQUESTED = 15
    DECISION_MADE = 16
    ACTION_ADDED = 17
    ACTION_CHANGED = 18
    DEADLINE_CLOCK_STARTED = 19
    DEADLINE_CLOCK_STOPPED = 20
    CADENCE_CHANGED = 21
    HANDOFF_CANCELLED = 22
    DUE_DELIVERED = 23
    POSTMORTEM_SECTION = 24
    POSTMORTEM_STATUS = 25
    POSTMORTEM_TAG = 26
    BRIDGE_OPENED = 27
    REOPENED = 28
    LINKED = 29
    EXTERNAL_LINKED = 30
    ALERT_RECEIVED = 31
    FIELD_SET = 32

    def __str__(self) -> str:
        return event_kind_name(self) or self.name.lower()


class Role(enum.IntEnum):
    """The response roles (inc_role); ``str(role)`` is the stable short name."""

    IC = 0
    DEPUTY = 1
    SCRIBE = 2
    SME = 3
    COMMS = 4
    LIAISON = 5
    SPONSOR = 6
    LEGAL = 7
    PR = 8

    def __str__(self) -> str:
        return role_name(self) or self.name

    @property
    def title(self) -> str:
        """The human title, such as "Incident Commander" (inc_role_title)."""
        return role_title(self) or self.name

    @property
    def bit(self) -> int:
        """The role's bit in a role mask (INC_ROLE_BIT)."""
        return 1 << int(self)


class Combo(enum.IntEnum):
    """How one person may hold two roles at a level (inc_combo)."""

    ALLOWED = 0
    NEVER = 1
    REPORT_LONG = 2
    REPORT_OVERDUE = 3

    def __str__(self) -> str:
        return combo_name(self) or self.name


class Preset(enum.IntEnum):
    """The built-in rubrics (inc_rubric_preset)."""

    DEFAULT = 0
    SEED002 = 1


class LevelText(enum.IntEnum):
    """Text fields of a rubric level (inc_level_text)."""

    TRIGGER = 0
    POSTURE = 1
    PAGED = 2


class Duration(enum.IntEnum):
    """Duration fields of a rubric level (inc_level_duration)."""

    ACK = 0
    MITIGATE = 1
    RESOLVE = 2
    CADENCE_EXTERNAL = 3
    CADENCE_INTERNAL = 4
    CADENCE_RESPONSE = 5
    POSTMORTEM = 6
    LONG_INCIDENT = 7
    ACK_TIMEOUT = 8
    SCRIBE = 9

    def __str__(self) -> str:
        return level_duration_name(self) or self.name


class Flag(enum.IntEnum):
    """Yes/no fields of a rubric level (inc_level_flag)."""

    BRIDGE = 0
    POSTMORTEM = 1
    EXEC_POSTURE = 2


class Comm(enum.IntEnum):
    """Communications a level may require (inc_comm_kind); ``str(kind)`` is
    the stable name, such as "status_page"."""

    STATUS_PAGE = 0
    CUSTOMER_EMAIL = 1
    EXEC_NOTIFY = 2

    def __str__(self) -> str:
        return comm_kind_name(self) or self.name

    @property
    def bit(self) -> int:
        """The communication's bit in a mask (INC_COMM_BIT)."""
        return 1 << int(self)


class EscCondition(enum.IntEnum):
    """When an escalation step's clock runs (inc_esc_condition)."""

    UNACKNOWLEDGED = 0
    UNRESOLVED = 1


class CanSlot(enum.IntEnum):
    """The slots of a CAN report (inc_can_slot): ``Finding.slot`` of CAN lint."""

    CONDITIONS = 0
    ACTIONS = 1
    NEEDS = 2


class CanKind(enum.IntEnum):
    """What a CAN report is for (inc_can_kind, CAN-4); ``str(kind)`` is the
    stable name, such as "sme-to-ic"."""

    SME_TO_IC = 0
    TOP_OF_HOUR = 1
    HANDOFF = 2
    ESCALATION = 3

    def __str__(self) -> str:
        return can_kind_name(self) or self.name


class DecisionStatus(enum.IntEnum):
    """Where a decision asked of the IC stands (inc_decision_status, CAN-3)."""

    PENDING = 0
    APPROVED = 1
    DENIED = 2

    def __str__(self) -> str:
        return decision_status_name(self) or self.name


class Audience(enum.IntEnum):
    """The audiences of status updates (inc_audience, COMM-1); ``str(a)``
    is the stable name, such as "external"."""

    EXTERNAL = 0
    INTERNAL = 1
    RESPONSE = 2

    def __str__(self) -> str:
        return audience_name(self) or self.name

    @property
    def writer(self) -> Role:
        """The Role that writes to the audience (inc_audience_writer)."""
        return audience_writer(self)


class Template(enum.IntEnum):
    """The external-update templates (inc_template)."""

    FIRST = 0
    HEARTBEAT = 1
    MITIGATED = 2
    RESOLVED = 3


class DueKind(enum.IntEnum):
    """Kinds of due item (inc_due_kind); the numbers are recorded on the
    timeline. ``str(kind)`` is the stable name, such as "escalation"."""

    ESCALATION = 1
    ACK = 2
    ACK_EXPIRED = 3
    HEARTBEAT = 4
    COMM = 5
    STAFFING = 6
    SCRIBE = 7
    DEADLINE_REMINDER = 8
    DEADLINE = 9
    POSTMORTEM = 10
    ACTION_ITEM = 11
    ALERT_RESOLVED = 12

    def __str__(self) -> str:
        return due_kind_name(self) or self.name


class DeadlineClockStatus(enum.IntEnum):
    """Where a deadline clock stands (inc_deadline_clock_status, REG-1)."""

    RUNNING = 0
    MET = 1
    MISSED = 2
    CANCELLED = 3

    def __str__(self) -> str:
        return deadline_clock_status_name(self) or self.name


class Layer(enum.IntEnum):
    """The layers of an on-call rotation (inc_layer)."""

    PRIMARY = 0
    SECONDARY = 1


class PmSection(enum.IntEnum):
    """The narrative sections of a postmortem (inc_pm_section); ``str(s)``
    is the stable name ("root_cause"), ``s.title`` the heading."""

    SUMMARY = 0
    IMPACT = 1
    DETECTION = 2
    ROOT_CAUSE = 3
    CONTRIBUTING = 4
    WENT_WELL = 5
    WENT_POORLY = 6
    LESSONS = 7

    def __str__(self) -> str:
        return pm_section_name(self) or self.name

    @property
    def title(self) -> str:
        """The heading, such as "Root cause" (inc_pm_section_title)."""
        return pm_section_title(self) or self.name


class PmStatus(enum.IntEnum):
    """Where a postmortem stands (inc_pm_status); ``str(s)`` is "Draft",
    "In Review" or "Final"."""

    DRAFT = 0
    IN_REVIEW = 1
    FINAL = 2

    def __str__(self) -> str:
        return pm_status_name(self) or self.name


class PmFormat(enum.IntEnum):
    """Output formats of the postmortem (inc_pm_format)."""

    MARKDOWN = 0
    TEXT = 1


class ActionStatus(enum.IntEnum):
    """The status of an action item (inc_action_status)."""

    OPEN = 0
    DONE = 1
    CANCELLED = 2

    def __str__(self) -> str:
        return action_status_name(self) or self.name


class IncidentSort(enum.IntEnum):
    """What an incident list is sorted by (inc_incident_sort); ``str(sort)``
    is the stable name."""

    ID = 0
    DECLARED = 1
    LEVEL = 2
    STATE = 3
    TITLE = 4

    def __str__(self) -> str:
        return incident_sort_name(self) or self.name.lower()


class DrillFilter(enum.IntEnum):
    """Which drills an incident list keeps (inc_drill_filter, DEC-4)."""

    INCLUDED = 0
    EXCLUDED = 1
    ONLY = 2


class FieldType(enum.IntEnum):
    """The type of a custom field a rubric declares (inc_field_type, RUB-6);
    ``str(type)`` is the rubric text's name."""

    TEXT = 0
    NUMBER = 1
    ONE_OF = 2
    DATE = 3
    PERSON = 4

    def __str__(self) -> str:
        return _lib.decode(_lib.lib.inc_field_type_name(int(self))) or self.name.lower()


class FieldRequired(enum.IntEnum):
    """When a custom field must be set (inc_field_required, RUB-6)."""

    OPTIONAL = 0
    REQUIRED_TO_CLOSE = 1
    REQUIRED_FROM_LEVEL = 2


class AuditStepKind(enum.IntEnum):
    """The first-ten-minutes steps (inc_audit_step_kind, AUD-1)."""

    DECLARED = 0
    CHANNEL = 1
    IC_ASSIGNED = 2
    ROLES_PAGED = 3
    SEVERITY_SET = 4
    TIMELINE_STARTED = 5
    BRIDGE = 6
    FIRST_CAN = 7
    FIRST_EXTERNAL = 8
    FIRST_INTERNAL = 9

    def __str__(self) -> str:
        return audit_step_name(self) or self.name


class AuditResult(enum.IntEnum):
    """How a step scored against T+10 min (inc_audit_result)."""

    DONE = 0
    LATE = 1
    MISSING = 2
    PENDING = 3
    NOT_APPLICABLE = 4

    def __str__(self) -> str:
        return audit_result_name(self) or self.name


class Metric(enum.IntEnum):
    """The duration metrics (inc_metric, MET-1)."""

    MTTD = 0
    MTTA = 1
    MTTM = 2
    MTTR = 3

    def __str__(self) -> str:
        return metric_name(self) or self.name


class SyncPolicy(enum.IntEnum):
    """When the journal makes appends durable (inc_sync_policy)."""

    EVERY = 0
    GROUP = 1
    NONE = 2


def state_name(state: State) -> Optional[str]:
    """The stable name of a state, such as "investigating" (inc_state_name)."""
    return _lib.decode(_lib.lib.inc_state_name(int(state)))


def state_from_name(name: str) -> State:
    """The State called ``name`` (inc_state_from_name); NotFoundError if none."""
    out = ctypes.c_int()
    rc = _lib.lib.inc_state_from_name(_lib.encode(name, "name"), ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "no state named %r" % (name,))
    return State(out.value)


def role_name(role: Union[Role, int]) -> Optional[str]:
    """The stable short name of a role, such as "ic" (inc_role_name)."""
    return _lib.decode(_lib.lib.inc_role_name(int(role)))


def role_title(role: Role) -> Optional[str]:
    """The human title of a role (inc_role_title)."""
    return _lib.decode(_lib.lib.inc_role_title(int(role)))


def role_from_name(name: str) -> Role:
    """The Role with short name ``name``, case-insensitive (inc_role_from_name)."""
    out = ctypes.c_int()
    rc = _lib.lib.inc_role_from_name(_lib.encode(name, "name"), ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "no role named %r" % (name,))
    return Role(out.value)


def combo_name(combo: Combo) -> Optional[str]:
    """The stable name of a combination rule, such as "report-long" (inc_combo_name)."""
    return _lib.decode(_lib.lib.inc_combo_name(int(combo)))


def event_kind_name(kind: Union[EventKind, int]) -> Optional[str]:
    """The stable name of an event kind, such as "severity_changed" (inc_event_kind_name)."""
    return _lib.decode(_lib.lib.inc_event_kind_name(int(kind)))


def level_duration_name(field: Duration) -> Optional[str]:
    """The text-format name of a duration field, such as "cadence.external"."""
    return _lib.decode(_lib.lib.inc_level_duration_name(int(field)))


def as_state(value: Union[State, int, str]) -> State:
    """A State from a State, an int or a stable name. UnknownNameError
    (a ValueError) when it names none."""
    return _as_member(value, State, "state", state_from_name, state_name)


def as_link_kind(value: Union["LinkKind", int, str]) -> "LinkKind":
    """A LinkKind from a LinkKind, an int or a name (inc_link_kind_from_name)."""
    if isinstance(value, str):
        out = ctypes.c_int()
        rc = _lib.lib.inc_link_kind_from_name(_lib.encode(value, "kind"), ctypes.byref(out))
        if rc != 0:
            raise make_error(rc, "no link kind named %r" % (value,))
        return LinkKind(out.value)
    return LinkKind(value)


def as_role(value: Union[Role, int, str]) -> Role:
    """A Role from a Role, an int or a short name. UnknownNameError
    (a ValueError) when it names none."""
    return _as_member(value, Role, "role", role_from_name, role_name)


def comm_kind_name(kind: Union[Comm, int]) -> Optional[str]:
    """The stable name of a required communication, such as "exec_notify" (inc_comm_kind_name)."""
    return _lib.decode(_lib.lib.inc_comm_kind_name(int(kind)))


def can_kind_name(kind: Union[CanKind, int]) -> Optional[str]:
    """The stable name of a CAN report kind, such as "top-of-hour" (inc_can_kind_name)."""
    return _lib.decode(_lib.lib.inc_can_kind_name(int(kind)))


def can_kind_from_name(name: str) -> CanKind:
    """The CanKind called ``name``, case-insensitive (inc_can_kind_from_name)."""
    out = ctypes.c_int()
    rc = _lib.lib.inc_can_kind_from_name(_lib.encode(name, "name"), ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "no CAN report kind named %r" % (name,))
    return CanKind(out.value)


def decision_status_name(status: Union[DecisionStatus, int]) -> Optional[str]:
    """The stable name of a decision status, such as "approved" (inc_decision_status_name)."""
    return _lib.decode(_lib.lib.inc_decision_status_name(int(status)))


def audience_name(audience: Union[Audience, int]) -> Optional[str]:
    """The stable name of an audience, such as "internal" (inc_audience_name)."""
    return _lib.decode(_lib.lib.inc_audience_name(int(audience)))


def audience_from_name(name: str) -> Audience:
    """The Audience called ``name``, case-insensitive (inc_audience_from_name)."""
    out = ctypes.c_int()
    rc = _lib.lib.inc_audience_from_name(_lib.encode(name, "name"), ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "no audience named %r" % (name,))
    return Audience(out.value)


def audience_writer(audience: Audience) -> Role:
    """The Role that writes to ``audience`` (inc_audience_writer, COMM-1)."""
    role = _lib.lib.inc_audience_writer(int(audience))
    if not 0 <= role < len(Role):
        raise make_error(-3, "audience: not an audience: %r" % (audience,))
    return Role(role)


def due_kind_name(kind: Union[DueKind, int]) -> Optional[str]:
    """The stable name of a due-item kind, such as "heartbeat" (inc_due_kind_name)."""
    return _lib.decode(_lib.lib.inc_due_kind_name(int(kind)))


def deadline_clock_status_name(status: Union[DeadlineClockStatus, int]) -> Optional[str]:
    """The stable name of a deadline status, such as "missed" (inc_deadline_clock_status_name)."""
    return _lib.decode(_lib.lib.inc_deadline_clock_status_name(int(status)))


def as_audience(value: Union[Audience, int, str]) -> Audience:
    """An Audience from an Audience, an int or a stable name. UnknownNameError
    (a ValueError) when it names none."""
    return _as_member(value, Audience, "audience", audience_from_name, audience_name)


def as_can_kind(value: Union[CanKind, int, str]) -> CanKind:
    """A CanKind from a CanKind, an int or a stable name. UnknownNameError
    (a ValueError) when it names none."""
    return _as_member(value, CanKind, "CAN report kind", can_kind_from_name, can_kind_name)


def pm_section_name(section: Union[PmSection, int]) -> Optional[str]:
    """The stable name of a postmortem section, such as "went_well" (inc_pm_section_name)."""
    return _lib.decode(_lib.lib.inc_pm_section_name(int(section)))


def pm_section_title(section: Union[PmSection, int]) -> Optional[str]:
    """The heading of a postmortem section, such as "What went well" (inc_pm_section_title)."""
    return _lib.decode(_lib.lib.inc_pm_section_title(int(section)))


def pm_section_from_name(name: str) -> PmSection:
    """The PmSection called ``name``, case-insensitive (inc_pm_section_from_name)."""
    out = ctypes.c_int()
    rc = _lib.lib.inc_pm_section_from_name(_lib.encode(name, "name"), ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "no postmortem section named %r" % (name,))
    return PmSection(out.value)


def pm_status_name(status: Union[PmStatus, int]) -> Optional[str]:
    """A postmortem status as the document shows it, such as "In Review" (inc_pm_status_name)."""
    return _lib.decode(_lib.lib.inc_pm_status_name(int(status)))


def action_status_name(status: Union[ActionStatus, int]) -> Optional[str]:
    """The stable name of an action status, such as "done" (inc_action_status_name)."""
    return _lib.decode(_lib.lib.inc_action_status_name(int(status)))


def action_status_from_name(name: str) -> ActionStatus:
    """The ActionStatus called ``name``, case-insensitive (inc_action_status_from_name)."""
    out = ctypes.c_int()
    rc = _lib.lib.inc_action_status_from_name(_lib.encode(name, "name"), ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "no action status named %r" % (name,))
    return ActionStatus(out.value)


def audit_step_name(step: Union[AuditStepKind, int]) -> Optional[str]:
    """The stable name of an audit step, such as "first_can" (inc_audit_step_name)."""
    return _lib.decode(_lib.lib.inc_audit_step_name(int(step)))


def audit_result_name(result: Union[AuditResult, int]) -> Optional[str]:
    """The stable name of an audit result, such as "late" (inc_audit_result_name)."""
    return _lib.decode(_lib.lib.inc_audit_result_name(int(result)))


def metric_name(metric: Union[Metric, int]) -> Optional[str]:
    """The stable name of a metric, such as "mttr" (inc_metric_name)."""
    return _lib.decode(_lib.lib.inc_metric_name(int(metric)))


def as_pm_section(value: Union[PmSection, int, str]) -> PmSection:
    """A PmSection from a PmSection, an int or a stable name. UnknownNameError
    (a ValueError) when it names none."""
    return _as_member(value, PmSection, "postmortem section", pm_section_from_name, pm_section_name)


def as_action_status(value: Union[ActionStatus, int, str]) -> ActionStatus:
    """An ActionStatus from an ActionStatus, an int or a stable name. UnknownNameError
    (a ValueError) when it names none."""
    return _as_member(
        value, ActionStatus, "action status", action_status_from_name, action_status_name
    )


def incident_sort_name(sort: Union[IncidentSort, int]) -> Optional[str]:
    """The stable name of a sort key, such as "declared" (inc_incident_sort_name)."""
    return _lib.decode(_lib.lib.inc_incident_sort_name(int(sort)))


def incident_sort_from_name(name: str) -> IncidentSort:
    """The IncidentSort called ``name`` (inc_incident_sort_from_name)."""
    out = ctypes.c_int()
    rc = _lib.lib.inc_incident_sort_from_name(_lib.encode(name, "name"), ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "no sort key named %r" % (name,))
    return IncidentSort(out.value)


def as_incident_sort(value: Union[IncidentSort, int, str]) -> IncidentSort:
    """An IncidentSort from an IncidentSort, an int or a stable name.
    UnknownNameError (a ValueError) when it names none."""
    return _as_member(value, IncidentSort, "sort key", incident_sort_from_name, incident_sort_name)
