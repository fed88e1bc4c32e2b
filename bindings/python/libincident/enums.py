"""The library's enumerations as Python enums, and their stable names."""

import ctypes
import enum

from . import _lib
from .errors import make_error


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

    def __str__(self):
        return state_name(self)


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
    CLOCK_STARTED = 19
    CLOCK_STOPPED = 20
    CADENCE_CHANGED = 21
    HANDOFF_CANCELLED = 22
    DUE_DELIVERED = 23
    POSTMORTEM_SECTION = 24
    POSTMORTEM_STATUS = 25
    POSTMORTEM_TAG = 26
    BRIDGE_OPENED = 27

    def __str__(self):
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

    def __str__(self):
        return role_name(self)

    @property
    def title(self):
        """The human title, such as "Incident Commander" (inc_role_title)."""
        return role_title(self)

    @property
    def bit(self):
        """The role's bit in a role mask (INC_ROLE_BIT)."""
        return 1 << int(self)


class Combo(enum.IntEnum):
    """How one person may hold two roles at a level (inc_combo)."""

    ALLOWED = 0
    NEVER = 1
    REPORT_LONG = 2
    REPORT_OVERDUE = 3

    def __str__(self):
        return combo_name(self)


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

    def __str__(self):
        return level_duration_name(self)


class Flag(enum.IntEnum):
    """Yes/no fields of a rubric level (inc_level_flag)."""

    BRIDGE = 0
    POSTMORTEM = 1
    EXEC_POSTURE = 2


class Comm(enum.IntEnum):
    """Communications a level may require (inc_comm_kind)."""

    STATUS_PAGE = 0
    CUSTOMER_EMAIL = 1
    EXEC_NOTIFY = 2


class EscCondition(enum.IntEnum):
    """When an escalation step's clock runs (inc_esc_condition)."""

    UNACKNOWLEDGED = 0
    UNRESOLVED = 1


class SyncPolicy(enum.IntEnum):
    """When the journal makes appends durable (inc_sync_policy)."""

    EVERY = 0
    GROUP = 1
    NONE = 2


def state_name(state):
    """The stable name of a state, such as "investigating" (inc_state_name)."""
    return _lib.decode(_lib.lib.inc_state_name(int(state)))


def state_from_name(name):
    """The State called ``name`` (inc_state_from_name); NotFoundError if none."""
    out = ctypes.c_int()
    rc = _lib.lib.inc_state_from_name(_lib.encode(name, "name"), ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "no state named %r" % (name,))
    return State(out.value)


def role_name(role):
    """The stable short name of a role, such as "ic" (inc_role_name)."""
    return _lib.decode(_lib.lib.inc_role_name(int(role)))


def role_title(role):
    """The human title of a role (inc_role_title)."""
    return _lib.decode(_lib.lib.inc_role_title(int(role)))


def role_from_name(name):
    """The Role with short name ``name``, case-insensitive (inc_role_from_name)."""
    out = ctypes.c_int()
    rc = _lib.lib.inc_role_from_name(_lib.encode(name, "name"), ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "no role named %r" % (name,))
    return Role(out.value)


def combo_name(combo):
    """The stable name of a combination rule, such as "report-long" (inc_combo_name)."""
    return _lib.decode(_lib.lib.inc_combo_name(int(combo)))


def event_kind_name(kind):
    """The stable name of an event kind, such as "severity_changed" (inc_event_kind_name)."""
    return _lib.decode(_lib.lib.inc_event_kind_name(int(kind)))


def level_duration_name(field):
    """The text-format name of a duration field, such as "cadence.external"."""
    return _lib.decode(_lib.lib.inc_level_duration_name(int(field)))


def as_state(value):
    """A State from a State, an int or a stable name."""
    if isinstance(value, str):
        return state_from_name(value)
    return State(value)


def as_role(value):
    """A Role from a Role, an int or a short name."""
    if isinstance(value, str):
        return role_from_name(value)
    return Role(value)
