"""libincident: the Incident Command System, from Python.

A thin binding over the C library's shared object (ctypes only)::

    from libincident import Context
    with Context() as ctx:
        inc = ctx.declare("Database primary CPU at 95%", "alice", "Sev-2")
        inc.set_severity("alice", "Sev-1", "checkout failing in the US too")
        print(inc.timeline())

Handles (Context, Incident, Rubric, Store, Scheduler, Rotation) free their C object on close(),
at the end of a ``with`` block, or when garbage-collected. Failures raise
IncidentError subclasses carrying the status code, its name and the
library's message. Times are aware datetimes in UTC.
"""

from . import _lib
from ._time import format_offset, format_time, parse_time, system_clock
from .can import (
    CanReport,
    CanText,
    Decision,
    Recorded,
    can_from_dispatch_json,
    can_lint,
    can_need_asks_decision,
    can_needs_none,
    can_to_dispatch_json,
)
from .comms import (
    CADENCE_RUBRIC,
    Cadence,
    RequiredComm,
    StatusUpdate,
    statuspage_impact,
    statuspage_status,
    update_lint,
)
from .alerts import AlertOutcome, AlertRouter
from .audit import Audit, AuditStep, AuditSummary
from .context import Context
from .due import DeadlineClock, DueItem, DueList, Page, Scheduler, pagerduty_event
from .feed import Feed, FeedItem
from .enums import (
    ActionStatus,
    Audience,
    AuditResult,
    AuditStepKind,
    CanKind,
    CanSlot,
    Combo,
    Comm,
    Criteria,
    DeadlineClockStatus,
    DecisionStatus,
    DueKind,
    Duration,
    EscCondition,
    EventKind,
    Flag,
    Layer,
    LevelText,
    Metric,
    PmFormat,
    PmSection,
    PmStatus,
    Policy,
    Preset,
    Role,
    State,
    SyncPolicy,
    Template,
    action_status_from_name,
    action_status_name,
    audience_from_name,
    audience_name,
    audience_writer,
    can_kind_from_name,
    can_kind_name,
    combo_name,
    comm_kind_name,
    deadline_clock_status_name,
    decision_status_name,
    due_kind_name,
    audit_result_name,
    audit_step_name,
    event_kind_name,
    level_duration_name,
    metric_name,
    pm_section_from_name,
    pm_section_name,
    pm_section_title,
    pm_status_name,
    role_from_name,
    role_name,
    role_title,
    state_from_name,
    state_name,
)
from .errors import (
    ConflictError,
    CorruptError,
    ExistsError,
    IncidentError,
    InternalError,
    InvalidError,
    LockedError,
    NoMemoryError,
    NotFoundError,
    ParseError,
    PermissionDeniedError,
    ReadOnlyError,
    RoleError,
    StateError,
    StoreIOError,
    TooBigError,
    UnsupportedError,
    VersionError,
    error_class,
    status_name,
    strerror,
)
from .incident import Event, Incident
from .metrics import ActionsMetric, Metrics, MetricStat, RecurrenceMetric
from .oncall import SECONDARY_WINDOW, LocalTime, Override, Rotation, Shift
from .postmortem import (
    ActionEntry,
    ActionItem,
    ActionList,
    Postmortem,
    action_owner_is_team,
    postmortem_lint,
)
from .rubric import NEXT_CADENCE, Escalation, Level, Rubric
from .seal import (
    Checkpoint,
    SealReport,
    SealResult,
    SealSummary,
    seal_key_format,
    seal_key_parse,
)
from .sqlite_store import SQLiteStore
from .staffing import Assignment, Finding, Findings
from .store import JournalStats, Quarantine, Recovery, Store, StoreBackend

#: The loaded library's version, such as "0.1.0", and as (major, minor, patch).
library_version, library_version_info = _lib.version()
#: The path of the shared library in use.
library_path = _lib.path

__version__ = library_version

__all__ = [name for name in dir() if not name.startswith("_")]
