"""The C types of libincident's public headers, as ctypes sees them:
callbacks, option and result structs, and the versions and sentinels that go
with them. ``_lib`` re-exports all of it (callers write ``_lib.JournalStats``);
it is kept apart because it is data, one class per C struct, in the order of
the headers."""

from __future__ import annotations

import ctypes
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char,
    c_char_p,
    c_int,
    c_int64,
    c_size_t,
    c_uint,
    c_uint64,
    c_void_p,
)

INT64_MIN = -(2**63)
TIME_NONE = INT64_MIN
DURATION_NONE = -1
DURATION_NEXT_CADENCE = -2

CLOCK_FN = CFUNCTYPE(c_int64, c_void_p)
ID_CB = CFUNCTYPE(c_int, c_void_p, c_char_p)
# The event callback as C calls us (data as an address) and as we call C's
# (data from a bytes object): the same C type, two ctypes views.
EVENT_CB = CFUNCTYPE(c_int, c_void_p, c_uint64, c_void_p, c_size_t)
SCAN_CB = CFUNCTYPE(c_int, c_void_p, c_char_p, c_uint64, c_void_p, c_size_t)
EVENT_CB_CALL = CFUNCTYPE(c_int, c_void_p, c_uint64, c_char_p, c_size_t)
# inc_store_blob_cb, the same two views.
BLOB_CB = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t)
BLOB_CB_CALL = CFUNCTYPE(c_int, c_void_p, c_char_p, c_size_t)
ID_CB_CALL = CFUNCTYPE(c_int, c_void_p, c_char_p)


class Diag(Structure):
    _fields_ = [
        ("code", c_int),
        ("line", c_uint),
        ("offset", c_size_t),
        ("message", c_char * 256),
    ]


class ContextOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("allocator", c_void_p),
        ("clock", CLOCK_FN),
        ("clock_user", c_void_p),
        ("store", c_void_p),
        ("rubric", c_void_p),
        ("policy", c_int),
    ]


class DeclareOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("title", c_char_p),
        ("declarer", c_char_p),
        ("severity", c_char_p),
        ("criteria", c_uint),
        ("impact_started", c_int64),
        ("detected", c_int64),
        ("drill", c_int),
        ("slug", c_char_p),
    ]


class EventInfo(Structure):
    _fields_ = [
        ("seq", c_uint64),
        ("time", c_int64),
        ("offset_ms", c_int64),
        ("kind", c_int),
        ("kind_name", c_char_p),
        ("actor", c_char_p),
        ("text", c_char_p),
        ("ref_seq", c_uint64),
    ]


class StoreRecord(Structure):
    _fields_ = [("data", c_void_p), ("len", c_size_t)]


APPEND_FN = CFUNCTYPE(c_int, c_void_p, c_char_p, c_uint64, POINTER(StoreRecord), c_size_t, c_void_p)
READ_FN = CFUNCTYPE(c_int, c_void_p, c_char_p, c_uint64, c_void_p, c_void_p, c_void_p)
LIST_FN = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p, c_void_p)
SYNC_FN = CFUNCTYPE(c_int, c_void_p, c_void_p)
FREE_FN = CFUNCTYPE(None, c_void_p)
SCAN_FN = CFUNCTYPE(c_int, c_void_p, c_void_p, c_void_p, c_void_p)
WAIT_FN = CFUNCTYPE(c_int, c_void_p, c_int64, c_void_p)
PUT_BLOB_FN = CFUNCTYPE(c_int, c_void_p, c_char_p, c_void_p, c_size_t, c_void_p)
GET_BLOB_FN = CFUNCTYPE(c_int, c_void_p, c_char_p, c_void_p, c_void_p, c_void_p)


class StoreBackendStruct(Structure):
    _fields_ = [
        ("version", c_uint),
        ("append", APPEND_FN),
        ("read", READ_FN),
        ("list", LIST_FN),
        ("sync", SYNC_FN),
        ("free", FREE_FN),
        # Version 2 (optional: a Python backend leaves them NULL):
        ("scan", SCAN_FN),
        ("wait", WAIT_FN),
        # Version 3 (both or neither: set when the Python backend keeps blobs):
        ("put_blob", PUT_BLOB_FN),
        ("get_blob", GET_BLOB_FN),
    ]


STORE_BACKEND_VERSION = 3
STORE_BLOB_KEY_LEN = 64


class JournalRecovery(Structure):
    _fields_ = [
        ("id", c_char_p),
        ("file", c_char_p),
        ("offset", c_uint64),
        ("bytes", c_uint64),
        ("last_seq", c_uint64),
        ("cut", c_int),
        ("quarantine", c_char_p),
        ("why", c_char_p),
    ]


RECOVERY_FN = CFUNCTYPE(None, c_void_p, POINTER(JournalRecovery))


class JournalQuarantine(Structure):
    _fields_ = [
        ("id", c_char_p),
        ("file", c_char_p),
        ("offset", c_uint64),
        ("bytes", c_uint64),
    ]


QUARANTINE_FN = CFUNCTYPE(c_int, c_void_p, POINTER(JournalQuarantine))


class JournalOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("sync", c_int),
        ("group_count", c_uint),
        ("group_ms", c_uint),
        ("read_only", c_int),
        ("must_exist", c_int),
        ("allocator", c_void_p),
        ("clock", CLOCK_FN),
        ("clock_user", c_void_p),
        ("on_recovery", RECOVERY_FN),
        ("recovery_user", c_void_p),
        ("diag", POINTER(Diag)),
        ("allow_shared", c_int),
    ]


ID_MAX = 96


class JournalStats(Structure):
    _fields_ = [
        ("version", c_uint),
        ("appends", c_uint64),
        ("events", c_uint64),
        ("syncs", c_uint64),
        ("pending_events", c_uint64),
        ("recoveries", c_uint64),
        ("bytes_dropped", c_uint64),
        ("last_recovery_id", c_char * (ID_MAX + 1)),
        ("summary_hits", c_uint64),
        ("summary_misses", c_uint64),
        ("summary_writes", c_uint64),
    ]


class Assignment(Structure):
    _fields_ = [
        ("person", c_char_p),
        ("role", c_int),
        ("domain", c_char_p),
        ("assigned_by", c_char_p),
        ("assigned_at", c_int64),
        ("released_at", c_int64),
        ("seq", c_uint64),
        ("released_seq", c_uint64),
    ]


class Link(Structure):
    _fields_ = [
        ("kind", c_int),
        ("incident_id", c_char_p),
        ("by", c_char_p),
        ("at", c_int64),
        ("text", c_char_p),
        ("seq", c_uint64),
    ]


class Finding(Structure):
    _fields_ = [
        ("rule_id", c_char_p),
        ("message", c_char_p),
        ("level", c_char_p),
        ("level_index", c_size_t),
        ("enforced", c_int),
        ("people_count", c_size_t),
        ("people", c_char_p * 2),
        ("role_count", c_size_t),
        ("roles", c_int * 2),
        ("role_mask", c_uint),
        ("value", c_int64),
        ("since", c_int64),
        ("slot", c_int),
        ("offset", c_size_t),
        ("length", c_size_t),
    ]


FINDING_NO_LEVEL = ctypes.c_size_t(-1).value


# can.h, comms.h, due.h


class CanReport(Structure):
    _fields_ = [
        ("version", c_uint),
        ("kind", c_int),
        ("addressee", c_char_p),
        ("conditions", c_char_p),
        ("actions", c_char_p),
        ("needs", c_char_p),
    ]


class CanInfo(Structure):
    _fields_ = [
        ("seq", c_uint64),
        ("time", c_int64),
        ("kind", c_int),
        ("author", c_char_p),
        ("addressee", c_char_p),
        ("conditions", c_char_p),
        ("actions", c_char_p),
        ("needs", c_char_p),
        ("needs_none", c_int),
        ("findings", c_char_p),
        ("decision_count", c_size_t),
        ("first_decision", c_uint64),
    ]


class DecisionInfo(Structure):
    _fields_ = [
        ("id", c_uint64),
        ("status", c_int),
        ("text", c_char_p),
        ("requested_by", c_char_p),
        ("requested_at", c_int64),
        ("request_seq", c_uint64),
        ("decided_by", c_char_p),
        ("decided_at", c_int64),
        ("decision_seq", c_uint64),
        ("note", c_char_p),
    ]


class Update(Structure):
    _fields_ = [
        ("version", c_uint),
        ("audience", c_int),
        ("body", c_char_p),
        ("components", c_char_p),
        ("comms", c_uint),
    ]


class UpdateInfo(Structure):
    _fields_ = [
        ("seq", c_uint64),
        ("time", c_int64),
        ("audience", c_int),
        ("author", c_char_p),
        ("body", c_char_p),
        ("components", c_char_p),
        ("comms", c_uint),
        ("state", c_int),
        ("severity", c_char_p),
        ("findings", c_char_p),
    ]


class CadenceInfo(Structure):
    _fields_ = [
        ("audience", c_int),
        ("writer", c_int),
        ("every_ms", c_int64),
        ("set_by_ic", c_int),
        ("last_update", c_int64),
        ("last_writer", c_char_p),
        ("update_count", c_size_t),
        ("next_due", c_int64),
        ("overdue", c_int),
        ("late_ms", c_int64),
        ("now", c_int64),
    ]


class RequiredCommInfo(Structure):
    _fields_ = [
        ("kind", c_int),
        ("required", c_int),
        ("within_ms", c_int64),
        ("since", c_int64),
        ("deadline", c_int64),
        ("sent_at", c_int64),
        ("missing", c_int),
        ("late_ms", c_int64),
    ]


class TemplateVars(Structure):
    _fields_ = [
        ("version", c_uint),
        ("symptom", c_char_p),
        ("scope", c_char_p),
        ("next_update", c_int64),
    ]


class DueItem(Structure):
    _fields_ = [
        ("incident_id", c_char_p),
        ("kind", c_int),
        ("kind_name", c_char_p),
        ("rule_id", c_char_p),
        ("target", c_char_p),
        ("severity", c_char_p),
        ("level_index", c_size_t),
        ("level_count", c_size_t),
        ("due", c_int64),
        ("late_ms", c_int64),
        ("text", c_char_p),
        ("step", c_uint),
        ("loop", c_uint),
        ("seq", c_uint64),
        ("dedup_key", c_char_p),
        ("resolved", c_char_p),
    ]


class Page(Structure):
    _fields_ = [
        ("request_seq", c_uint64),
        ("requested_at", c_int64),
        ("target", c_char_p),
        ("severity", c_char_p),
        ("step", c_uint),
        ("loop", c_uint),
        ("person", c_char_p),
        ("sent_at", c_int64),
        ("sent_seq", c_uint64),
        ("resolved", c_char_p),
    ]


class DeadlineClock(Structure):
    _fields_ = [
        ("name", c_char_p),
        ("text", c_char_p),
        ("started_by", c_char_p),
        ("started_at", c_int64),
        ("deadline", c_int64),
        ("remind_before_ms", c_int64),
        ("status", c_int),
        ("overdue", c_int),
        ("stopped_by", c_char_p),
        ("stopped_at", c_int64),
        ("seq", c_uint64),
    ]


class SchedulerOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("actor", c_char_p),
        ("max_open", c_size_t),
    ]


CAN_REPORT_VERSION = 1
UPDATE_VERSION = 1
TEMPLATE_VARS_VERSION = 1
SCHEDULER_OPTIONS_VERSION = 1
CADENCE_RUBRIC = 0


# oncall.h


class LocalTime(Structure):
    _fields_ = [
        ("year", c_int),
        ("month", c_uint),
        ("day", c_uint),
        ("hour", c_uint),
        ("minute", c_uint),
        ("second", c_uint),
        ("ms", c_uint),
        ("weekday", c_uint),
        ("utc_offset", ctypes.c_int32),
        ("is_dst", c_int),
        ("abbr", c_char * 16),
    ]


class RotationOverride(Structure):
    _fields_ = [
        ("layer", c_int),
        ("start", c_int64),
        ("end", c_int64),
        ("person", c_char_p),
        ("by", c_char_p),
        ("reason", c_char_p),
        ("recorded_at", c_int64),
    ]


class Shift(Structure):
    _fields_ = [
        ("layer", c_int),
        ("person", c_char_p),
        ("start", c_int64),
        ("end", c_int64),
        ("number", c_int64),
        ("override_index", c_size_t),
    ]


class OncallCheckOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("from_", c_int64),
        ("to", c_int64),
        ("min_people", c_uint),
        ("max_consecutive", c_uint),
        ("min_gap", c_uint),
        ("rest_after_ms", c_int64),
        ("max_pages_week", c_uint),
    ]


ONCALL_CHECK_OPTIONS_VERSION = 1
SHIFT_NO_OVERRIDE = ctypes.c_size_t(-1).value


# postmortem.h, audit.h, metrics.h


class PostmortemInfo(Structure):
    _fields_ = [
        ("status", c_int),
        ("required", c_int),
        ("started", c_int),
        ("window_ms", c_int64),
        ("due", c_int64),
        ("overdue", c_int),
        ("late_ms", c_int64),
        ("missing", c_uint),
        ("root_cause_tag", c_char_p),
        ("status_at", c_int64),
        ("final_at", c_int64),
    ]


class ActionOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("title", c_char_p),
        ("owner", c_char_p),
        ("due", c_int64),
        ("priority", c_int),
        ("owner_override", c_char_p),
        ("detail", c_char_p),
    ]


class ActionItem(Structure):
    _fields_ = [
        ("id", c_uint64),
        ("title", c_char_p),
        ("detail", c_char_p),
        ("owner", c_char_p),
        ("owner_override", c_char_p),
        ("priority", c_int),
        ("status", c_int),
        ("due", c_int64),
        ("original_due", c_int64),
        ("due_moves", c_uint),
        ("due_reason", c_char_p),
        ("created_at", c_int64),
        ("created_by", c_char_p),
        ("closed_at", c_int64),
        ("closed_by", c_char_p),
        ("reason", c_char_p),
        ("decision", c_uint64),
        ("ic_decision", c_int),
        ("seq", c_uint64),
    ]


class ActionQuery(Structure):
    _fields_ = [
        ("version", c_uint),
        ("owner", c_char_p),
        ("status", c_int),
        ("overdue_only", c_int),
        ("now", c_int64),
        ("exclude_drills", c_int),
    ]


class ActionEntry(Structure):
    _fields_ = [
        ("incident_id", c_char_p),
        ("incident_title", c_char_p),
        ("severity", c_char_p),
        ("drill", c_int),
        ("overdue", c_int),
        ("late_ms", c_int64),
        ("item", ActionItem),
    ]


class IncidentQuery(Structure):
    _fields_ = [
        ("version", c_uint),
        ("states", c_uint),
        ("level", c_char_p),
        ("drills", c_int),
        ("since", c_int64),
        ("until", c_int64),
        ("role", c_int),
        ("holder", c_char_p),
        ("field", c_char_p),
        ("field_value", c_char_p),
        ("title", c_char_p),
        ("sort", c_int),
        ("descending", c_int),
        ("limit", c_size_t),
    ]


class IncidentEntry(Structure):
    _fields_ = [
        ("id", c_char_p),
        ("title", c_char_p),
        ("severity", c_char_p),
        ("level", c_int),
        ("state", c_int),
        ("drill", c_int),
        ("declared_at", c_int64),
        ("resolved_at", c_int64),
        ("ic", c_char_p),
        ("declarer", c_char_p),
        ("channel", c_char_p),
        ("last_seq", c_uint64),
        ("reopen_count", c_uint),
        ("duplicate_of", c_char_p),
    ]


class RubricField(Structure):
    _fields_ = [
        ("name", c_char_p),
        ("type", c_int),
        ("values", c_char_p),
        ("required", c_int),
        ("level", c_char_p),
    ]


class AuditStep(Structure):
    _fields_ = [
        ("kind", c_int),
        ("name", c_char_p),
        ("title", c_char_p),
        ("result", c_int),
        ("at", c_int64),
        ("offset_ms", c_int64),
        ("seq", c_uint64),
        ("detail", c_char_p),
    ]


class AuditOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("now", c_int64),
        ("min_monitoring_ms", c_int64),
    ]


class AuditSummary(Structure):
    _fields_ = [
        ("done", c_size_t),
        ("late", c_size_t),
        ("missing", c_size_t),
        ("pending", c_size_t),
        ("not_applicable", c_size_t),
        ("antipatterns", c_size_t),
        ("drill", c_int),
    ]


class MetricsOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("from_", c_int64),
        ("to", c_int64),
        ("now", c_int64),
    ]


class MetricStat(Structure):
    _fields_ = [
        ("incidents", c_size_t),
        ("mean_ms", c_int64),
        ("median_ms", c_int64),
        ("min_ms", c_int64),
        ("max_ms", c_int64),
    ]


class MetricsActions(Structure):
    _fields_ = [
        ("incidents", c_size_t),
        ("items", c_size_t),
        ("on_time", c_size_t),
        ("late", c_size_t),
        ("pending", c_size_t),
        ("cancelled", c_size_t),
        ("rate", ctypes.c_double),
        ("target_met", c_int),
    ]


class MetricsRecurrence(Structure):
    _fields_ = [
        ("incidents", c_size_t),
        ("tagged", c_size_t),
        ("recurring", c_size_t),
        ("untagged", c_size_t),
        ("rate", ctypes.c_double),
        ("target_met", c_int),
    ]


class MetricsReopens(Structure):
    _fields_ = [
        ("resolved", c_size_t),
        ("reopened", c_size_t),
        ("reopens", c_size_t),
        ("rate", ctypes.c_double),
    ]


# seal.h


class Checkpoint(Structure):
    _fields_ = [("seq", c_uint64), ("hash", ctypes.c_uint8 * 32)]


class SealResult(Structure):
    _fields_ = [("epoch", c_uint64), ("incidents", c_size_t), ("events", c_uint64)]


class SealReport(Structure):
    _fields_ = [
        ("id", c_char_p),
        ("sealed_seq", c_uint64),
        ("sealed_epoch", c_uint64),
        ("last_seq", c_uint64),
        ("unsealed", c_uint64),
        ("status", c_int),
        ("bad_seq", c_uint64),
        ("bad_epoch", c_uint64),
    ]


class SealSummary(Structure):
    _fields_ = [
        ("seals", c_uint64),
        ("last_sealed_at", c_int64),
        ("key_epoch", c_uint64),
        ("incidents", c_size_t),
        ("mismatches", c_size_t),
        ("unsealed", c_uint64),
        ("torn_bytes", c_uint64),
    ]


SEAL_REPORT_FN = CFUNCTYPE(None, c_void_p, POINTER(SealReport))
CHECKPOINT_TEXT_MAX = 86
SEAL_KEY_TEXT_MAX = 65

ACTION_OPTIONS_VERSION = 1
ACTION_QUERY_VERSION = 1
INCIDENT_QUERY_VERSION = 1
ROLE_ANY = -1
QUERY_TITLE_MAX = 256
AUDIT_OPTIONS_VERSION = 1
METRICS_OPTIONS_VERSION = 1
METRICS_ALL_LEVELS = ctypes.c_size_t(-1).value

CONTEXT_OPTIONS_VERSION = 1
DECLARE_OPTIONS_VERSION = 1
JOURNAL_OPTIONS_VERSION = 2
PG_OPTIONS_VERSION = 1
PG_SCHEMA_VERSION = 2


class PgOptions(Structure):
    """inc_pg_options (incident/pg.h, libincident-pg)."""
    _fields_ = [("version", c_uint), ("no_migrate", c_int), ("diag", POINTER(Diag))]
JOURNAL_STATS_VERSION = 2


class AlertOutcome(Structure):
    _fields_ = [
        ("alerts", c_size_t),
        ("attached", c_size_t),
        ("declared", c_size_t),
        ("recorded", c_size_t),
        ("paged", c_size_t),
        ("suppressed", c_size_t),
        ("unrouted", c_size_t),
        ("incident_id", c_char * (ID_MAX + 1)),
    ]


class FeedItem(Structure):
    _fields_ = [
        ("incident_id", c_char_p),
        ("seq", c_uint64),
        ("kind", c_int),
        ("time", c_int64),
        ("actor", c_char_p),
        ("text", c_char_p),
        ("data", c_void_p),
        ("len", c_size_t),
    ]


FEED_CB = CFUNCTYPE(c_int, c_void_p, POINTER(FeedItem))
FEED_WAIT_FN = CFUNCTYPE(c_int, c_void_p, c_int64)
FEED_POLL_MS = 200
