"""Loading libincident and declaring every prototype the package calls.

The shared library is looked for in this order:

1. the environment variable ``LIBINCIDENT_PATH``: the full path of the
   ``.so`` (if it is set, nothing else is tried);
2. the environment variable ``INC_BUILD_DIR``: a CMake build directory
   (``.ci/test`` sets it);
3. the build tree: walking up from this package to the repository root, the
   directories ``build/`` and then every other ``build*/`` there (builds
   configured with ``INC_SANITIZE=ON`` are skipped);
4. the system's loader: ``ctypes.util.find_library("incident")``, then
   ``libincident.so.0``.

A candidate that exists but does not load (built for another architecture,
say) is skipped; the error names every candidate tried.
"""

import ctypes
import ctypes.util
import os
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
from pathlib import Path

#: The major version (the SONAME) this package is written for.
ABI_MAJOR = 0

# ---------------------------------------------------------------- finding it

_NAMES = ("libincident.so.%d" % ABI_MAJOR, "libincident.so", "libincident.dylib")


def _sanitizer_build(directory):
    """A CMake build with INC_SANITIZE=ON: its library cannot be loaded into
    a plain interpreter (with gcc it aborts the process), so skip it."""
    try:
        cache = (Path(directory) / "CMakeCache.txt").read_text(errors="replace")
    except OSError:
        return False
    return "INC_SANITIZE:BOOL=ON" in cache


def _in_dir(directory, skip_sanitizer=True):
    directory = Path(directory)
    if skip_sanitizer and _sanitizer_build(directory):
        return
    for name in _NAMES:
        candidate = directory / name
        if candidate.exists():
            yield str(candidate)


def _repo_root():
    for parent in Path(__file__).resolve().parents:
        if (parent / "CMakeLists.txt").is_file() and (parent / "include" / "incident.h").is_file():
            return parent
    return None


def candidates():
    """The paths (or loader names) tried, in order."""
    explicit = os.environ.get("LIBINCIDENT_PATH")
    if explicit:
        return [explicit]
    found = []
    build_dir = os.environ.get("INC_BUILD_DIR")
    if build_dir:
        found.extend(_in_dir(build_dir, skip_sanitizer=False))
    root = _repo_root()
    if root is not None:
        dirs = [root / "build"]
        dirs += sorted(p for p in root.glob("build*") if p.is_dir() and p.name != "build")
        for directory in dirs:
            found.extend(_in_dir(directory))
    system = ctypes.util.find_library("incident")
    if system:
        found.append(system)
    found.append(_NAMES[0])
    unique = []
    for path in found:
        if path not in unique:
            unique.append(path)
    return unique


def _load():
    errors = []
    for path in candidates():
        try:
            lib = ctypes.CDLL(path)
            lib.inc_version  # a libincident at all?
        except (OSError, AttributeError) as exc:
            errors.append("%s: %s" % (path, exc))
            continue
        return lib, path
    raise ImportError(
        "libincident: cannot load the shared library (build it with CMake, or set "
        "LIBINCIDENT_PATH to the .so); tried:\n  " + "\n  ".join(errors)
    )


lib, path = _load()

# ---------------------------------------------------------------- types

INT64_MIN = -(2**63)
TIME_NONE = INT64_MIN
DURATION_NONE = -1
DURATION_NEXT_CADENCE = -2

CLOCK_FN = CFUNCTYPE(c_int64, c_void_p)
ID_CB = CFUNCTYPE(c_int, c_void_p, c_char_p)
# The event callback as C calls us (data as an address) and as we call C's
# (data from a bytes object): the same C type, two ctypes views.
EVENT_CB = CFUNCTYPE(c_int, c_void_p, c_uint64, c_void_p, c_size_t)
EVENT_CB_CALL = CFUNCTYPE(c_int, c_void_p, c_uint64, c_char_p, c_size_t)
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


class StoreBackendStruct(Structure):
    _fields_ = [
        ("version", c_uint),
        ("append", APPEND_FN),
        ("read", READ_FN),
        ("list", LIST_FN),
        ("sync", SYNC_FN),
        ("free", FREE_FN),
    ]


STORE_BACKEND_VERSION = 1


class JournalRecovery(Structure):
    _fields_ = [
        ("id", c_char_p),
        ("file", c_char_p),
        ("offset", c_uint64),
        ("bytes", c_uint64),
        ("last_seq", c_uint64),
        ("cut", c_int),
    ]


RECOVERY_FN = CFUNCTYPE(None, c_void_p, POINTER(JournalRecovery))


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

CONTEXT_OPTIONS_VERSION = 1
DECLARE_OPTIONS_VERSION = 1
JOURNAL_OPTIONS_VERSION = 1
JOURNAL_STATS_VERSION = 1

# ---------------------------------------------------------------- prototypes

P = c_void_p  # every opaque handle
PP = POINTER(c_void_p)  # an out-parameter receiving a handle or owned memory
S = c_size_t
_sz = POINTER(c_size_t)
_u64 = POINTER(c_uint64)

_PROTOTYPES = {
    # common.h
    "inc_status_name": (c_char_p, [c_int]),
    "inc_strerror": (c_char_p, [c_int]),
    "inc_version": (c_char_p, [POINTER(c_int), POINTER(c_int), POINTER(c_int)]),
    "inc_clock_system": (c_int64, [c_void_p]),
    "inc_free": (None, [c_void_p]),
    # variadic in C: always called with the format "%s" and one string
    "inc_error_set": (c_int, [c_void_p, c_int, c_char_p, c_char_p]),
    "inc_time_format": (c_int, [c_int64, c_char_p, S]),
    "inc_time_parse": (c_int, [c_char_p, POINTER(c_int64)]),
    "inc_offset_format": (c_int, [c_int64, c_char_p, S]),
    # roles.h (names)
    "inc_role_name": (c_char_p, [c_int]),
    "inc_role_title": (c_char_p, [c_int]),
    "inc_role_from_name": (c_int, [c_char_p, POINTER(c_int)]),
    "inc_combo_name": (c_char_p, [c_int]),
    # rubric.h
    "inc_rubric_new": (c_int, [c_void_p, c_char_p, PP]),
    "inc_rubric_preset_new": (c_int, [c_void_p, c_int, PP]),
    "inc_rubric_parse": (c_int, [c_void_p, c_char_p, S, PP, POINTER(Diag)]),
    "inc_rubric_write": (c_int, [P, PP, _sz]),
    "inc_rubric_dup": (c_int, [P, PP]),
    "inc_rubric_equal": (c_int, [P, P]),
    "inc_rubric_free": (None, [P]),
    "inc_rubric_errmsg": (c_char_p, [P]),
    "inc_rubric_validate": (c_int, [P]),
    "inc_rubric_name": (c_char_p, [P]),
    "inc_rubric_level_count": (S, [P]),
    "inc_rubric_level_index": (c_int, [P, c_char_p, _sz]),
    "inc_rubric_level_name": (c_char_p, [P, S]),
    "inc_rubric_add_level": (c_int, [P, c_char_p, _sz]),
    "inc_rubric_set_text": (c_int, [P, S, c_int, c_char_p]),
    "inc_rubric_text": (c_char_p, [P, S, c_int]),
    "inc_rubric_set_duration": (c_int, [P, S, c_int, c_int64]),
    "inc_rubric_duration": (c_int64, [P, S, c_int]),
    "inc_rubric_set_flag": (c_int, [P, S, c_int, c_int]),
    "inc_rubric_flag": (c_int, [P, S, c_int]),
    "inc_rubric_set_required_comm": (c_int, [P, S, c_int, c_int64]),
    "inc_rubric_required_comm": (c_int64, [P, S, c_int]),
    "inc_rubric_set_combo": (c_int, [P, S, c_int, c_int, c_int]),
    "inc_rubric_combo": (c_int, [P, S, c_int, c_int]),
    "inc_rubric_set_staffing": (c_int, [P, S, c_uint, c_uint]),
    "inc_rubric_staffing": (c_int, [P, S, POINTER(c_uint), POINTER(c_uint)]),
    "inc_rubric_add_escalation": (c_int, [P, S, c_int64, c_int, c_char_p]),
    "inc_rubric_escalation_count": (S, [P, S]),
    "inc_rubric_escalation": (
        c_int,
        [P, S, S, POINTER(c_int64), POINTER(c_int), POINTER(c_char_p)],
    ),
    "inc_rubric_set_repeat": (c_int, [P, S, c_uint]),
    "inc_rubric_repeat": (c_uint, [P, S]),
    "inc_level_duration_name": (c_char_p, [c_int]),
    # store.h, sys/store.h
    "inc_store_memory_new": (c_int, [c_void_p, PP]),
    "inc_store_free": (None, [P]),
    "inc_store_list": (c_int, [P, ID_CB, c_void_p]),
    "inc_store_sync": (c_int, [P]),
    "inc_store_errmsg": (c_char_p, [P]),
    "inc_store_new": (c_int, [POINTER(StoreBackendStruct), c_void_p, PP]),
    "inc_store_append": (c_int, [P, c_char_p, c_uint64, POINTER(StoreRecord), S]),
    "inc_store_read": (c_int, [P, c_char_p, c_uint64, EVENT_CB, c_void_p]),
    # journal.h
    "inc_journal_options_init": (c_int, [POINTER(JournalOptions), c_uint]),
    "inc_store_journal_open": (c_int, [c_char_p, POINTER(JournalOptions), PP]),
    "inc_journal_verify": (c_int, [P, c_char_p, _u64]),
    "inc_journal_stats_get": (c_int, [P, POINTER(JournalStats)]),
    # context.h
    "inc_context_options_init": (c_int, [POINTER(ContextOptions), c_uint]),
    "inc_context_new": (c_int, [POINTER(ContextOptions), PP]),
    "inc_context_free": (None, [P]),
    "inc_context_errmsg": (c_char_p, [P]),
    "inc_context_now": (c_int64, [P]),
    "inc_context_store": (P, [P]),
    "inc_context_rubric": (P, [P]),
    "inc_context_set_rubric": (c_int, [P, P]),
    "inc_context_policy": (c_int, [P]),
    "inc_context_set_policy": (c_int, [P, c_int]),
    "inc_context_list": (c_int, [P, ID_CB, c_void_p]),
    # incident.h
    "inc_declare_options_init": (c_int, [POINTER(DeclareOptions), c_uint]),
    "inc_incident_declare": (c_int, [P, POINTER(DeclareOptions), PP]),
    "inc_incident_open": (c_int, [P, c_char_p, PP]),
    "inc_incident_reload": (c_int, [P]),
    "inc_incident_free": (None, [P]),
    "inc_incident_errmsg": (c_char_p, [P]),
    "inc_incident_id": (c_char_p, [P]),
    "inc_incident_title": (c_char_p, [P]),
    "inc_incident_channel": (c_char_p, [P]),
    "inc_incident_declarer": (c_char_p, [P]),
    "inc_incident_ic": (c_char_p, [P]),
    "inc_incident_severity": (c_char_p, [P]),
    "inc_incident_severity_index": (S, [P]),
    "inc_incident_state": (c_int, [P]),
    "inc_incident_criteria": (c_uint, [P]),
    "inc_incident_is_drill": (c_int, [P]),
    "inc_incident_declared_at": (c_int64, [P]),
    "inc_incident_impact_started": (c_int64, [P]),
    "inc_incident_detected": (c_int64, [P]),
    "inc_incident_mitigated_at": (c_int64, [P]),
    "inc_incident_resolved_at": (c_int64, [P]),
    "inc_incident_rubric": (P, [P]),
    "inc_incident_last_seq": (c_uint64, [P]),
    "inc_state_name": (c_char_p, [c_int]),
    "inc_state_from_name": (c_int, [c_char_p, POINTER(c_int)]),
    "inc_incident_set_severity": (c_int, [P, c_char_p, c_char_p, c_char_p]),
    "inc_incident_set_state": (c_int, [P, c_char_p, c_int, c_char_p]),
    "inc_incident_note": (c_int, [P, c_char_p, c_char_p]),
    "inc_incident_correct": (c_int, [P, c_char_p, c_uint64, c_char_p]),
    "inc_incident_event_count": (S, [P]),
    "inc_incident_event": (c_int, [P, S, POINTER(EventInfo)]),
    "inc_incident_event_describe": (c_int, [P, S, PP]),
    "inc_event_kind_name": (c_char_p, [c_int]),
    "inc_incident_timeline_render": (c_int, [P, PP, _sz]),
    "inc_incident_verify": (c_int, [P, _u64]),
    "inc_incident_export_json": (c_int, [P, PP, _sz]),
    "inc_incident_import_json": (c_int, [P, c_char_p, S, PP, POINTER(Diag)]),
    # findings.h
    "inc_findings_count": (S, [P]),
    "inc_findings_get": (POINTER(Finding), [P, S]),
    "inc_findings_count_rule": (S, [P, c_char_p]),
    "inc_findings_render": (c_int, [P, PP, _sz]),
    "inc_findings_free": (None, [P]),
    # staffing.h
    "inc_incident_assign_role": (c_int, [P, c_char_p, c_char_p, c_int, c_char_p]),
    "inc_incident_release_role": (c_int, [P, c_char_p, c_char_p, c_int, c_char_p]),
    "inc_incident_handoff": (c_int, [P, c_char_p, c_char_p, c_char_p, c_char_p, c_char_p]),
    "inc_incident_handoff_confirm": (c_int, [P, c_char_p]),
    "inc_incident_handoff_cancel": (c_int, [P, c_char_p, c_char_p]),
    "inc_incident_handoff_to": (c_char_p, [P]),
    "inc_incident_handoff_since": (c_int64, [P]),
    "inc_incident_handoff_seq": (c_uint64, [P]),
    "inc_incident_ic_at": (c_char_p, [P, c_int64]),
    "inc_incident_role_holder_count": (S, [P, c_int]),
    "inc_incident_role_holder": (POINTER(Assignment), [P, c_int, S]),
    "inc_incident_person_roles": (c_uint, [P, c_char_p]),
    "inc_incident_person_roles_at": (c_uint, [P, c_char_p, c_int64]),
    "inc_incident_assignment_count": (S, [P]),
    "inc_incident_assignment": (POINTER(Assignment), [P, S]),
    "inc_incident_scribe_assigned_at": (c_int64, [P]),
    "inc_incident_scribe_due": (c_int64, [P]),
    "inc_incident_roles_check": (c_int, [P, PP]),
}

#: Prototypes of capabilities that may not be in every build yet: declared
#: when the library has them (see :func:`has`).
_OPTIONAL = {}


def _declare(name, restype, argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = argtypes
    return fn


for _name, (_restype, _argtypes) in _PROTOTYPES.items():
    _declare(_name, _restype, _argtypes)

for _name, (_restype, _argtypes) in _OPTIONAL.items():
    if hasattr(lib, _name):
        _declare(_name, _restype, _argtypes)


def has(name):
    """True if the loaded library exports the C function ``name``."""
    return hasattr(lib, name)


# ---------------------------------------------------------------- helpers


def encode(value, field):
    """A str argument as NUL-terminated UTF-8 (None stays None)."""
    if value is None:
        return None
    if isinstance(value, bytes):
        data = value
    elif isinstance(value, str):
        data = value.encode("utf-8")
    else:
        raise TypeError("%s: expected str, got %s" % (field, type(value).__name__))
    if b"\0" in data:
        raise ValueError("%s: embedded NUL character" % field)
    return data


def decode(data):
    """A C string the library owns, as str (None stays None)."""
    if data is None:
        return None
    return data.decode("utf-8", errors="replace")


def take_string(ptr, length=None):
    """Copy memory the library handed over (``char *`` to free with
    inc_free()) into a str and free it."""
    if not ptr:
        return ""
    try:
        data = ctypes.string_at(ptr, length) if length is not None else ctypes.string_at(ptr)
    finally:
        lib.inc_free(ptr)
    return data.decode("utf-8", errors="replace")


def version():
    """(version string, (major, minor, patch)) of the loaded library."""
    major, minor, patch = c_int(), c_int(), c_int()
    text = lib.inc_version(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(patch))
    return text.decode("ascii"), (major.value, minor.value, patch.value)


_text, _info = version()
if _info[0] != ABI_MAJOR:
    raise ImportError(
        "libincident at %s is version %s; this package needs major version %d"
        % (path, _text, ABI_MAJOR)
    )
