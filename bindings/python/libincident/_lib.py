"""Loading libincident and declaring every prototype the package calls.

The shared library is looked for in this order:

1. the environment variable ``LIBINCIDENT_PATH``: the full path of the
   ``.so`` (if it is set, nothing else is tried: an explicit choice must win
   over whatever else is installed);
2. the environment variable ``INC_BUILD_DIR``: a CMake build directory
   (``.ci/test`` sets it);
3. when the package runs from a checkout of the repository: walking up from
   this package to the repository root, the directories ``build/`` and then
   every other ``build*/`` there (builds configured with ``INC_SANITIZE=ON``
   are skipped);
4. pkg-config: the ``libdir`` of ``libincident`` (``pkg-config
   --variable=libdir libincident``, honouring ``PKG_CONFIG_PATH``), when
   pkg-config is installed;
5. the ``lib`` directory of this Python environment (``sys.prefix``: a
   library installed into the virtual environment itself) and of the user
   scheme (``site.USER_BASE``, ``~/.local``: a library installed with
   ``--prefix ~/.local`` next to ``pip install --user``);
6. the system's loader: ``ctypes.util.find_library("incident")``, then
   ``libincident.so.0.2`` (the SONAME this package is written for).

A candidate that exists but does not load (built for another architecture,
say) is skipped; the error names every candidate tried.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import site
import subprocess
import sys
from ctypes import (
    POINTER,
    c_char_p,
    c_int,
    c_int64,
    c_size_t,
    c_uint,
    c_uint64,
    c_void_p,
)
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union


#: The version of the ABI this package is written for: major and minor.
#: Before 1.0 every minor release may break the ABI, so the SONAME is
#: libincident.so.MAJOR.MINOR and both must match; from 1.0 on the major
#: alone (README.md, "Versions and the ABI").
ABI_MAJOR = 0
ABI_MINOR = 2
#: What follows "libincident.so." in the SONAME this package loads.
SOVERSION = "%d.%d" % (ABI_MAJOR, ABI_MINOR) if ABI_MAJOR == 0 else "%d" % ABI_MAJOR

# ---------------------------------------------------------------- finding it

_NAMES = ("libincident.so." + SOVERSION, "libincident.so", "libincident.dylib")


def _sanitizer_build(directory: Union[str, Path]) -> bool:
    """A CMake build with INC_SANITIZE=ON: its library cannot be loaded into
    a plain interpreter (with gcc it aborts the process), so skip it."""
    try:
        cache = (Path(directory) / "CMakeCache.txt").read_text(errors="replace")
    except OSError:
        return False
    return "INC_SANITIZE:BOOL=ON" in cache


def _in_dir(directory: Union[str, Path], skip_sanitizer: bool = True) -> Iterator[str]:
    directory = Path(directory)
    if skip_sanitizer and _sanitizer_build(directory):
        return
    for name in _NAMES:
        candidate = directory / name
        if candidate.exists():
            yield str(candidate)


def _repo_root() -> Optional[Path]:
    for parent in Path(__file__).resolve().parents:
        if (parent / "CMakeLists.txt").is_file() and (parent / "include" / "incident.h").is_file():
            return parent
    return None


def _pkg_config_libdir() -> Optional[str]:
    """libincident's libdir by pkg-config, or None (no pkg-config, no .pc)."""
    tool = shutil.which("pkg-config") or shutil.which("pkgconf")
    if tool is None:
        return None
    try:
        done = subprocess.run(
            [tool, "--variable=libdir", "libincident"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    libdir = done.stdout.decode(errors="replace").strip()
    return libdir if done.returncode == 0 and libdir else None


def _environment_libdirs() -> List[Path]:
    """The lib directories of this environment and of the user scheme."""
    dirs = [Path(sys.prefix) / "lib"]
    user_base = getattr(site, "USER_BASE", None)
    if user_base:
        dirs.append(Path(user_base) / "lib")
    return dirs


def _candidate_stream() -> Iterator[str]:
    """The paths (or loader names) to try, in order, each once, computed
    as they are needed: pkg-config runs only when nothing before it loads."""
    explicit = os.environ.get("LIBINCIDENT_PATH")
    if explicit:
        yield explicit
        return
    seen: List[str] = []

    def fresh(paths: Iterable[str]) -> Iterator[str]:
        for path in paths:
            if path not in seen:
                seen.append(path)
                yield path

    build_dir = os.environ.get("INC_BUILD_DIR")
    if build_dir:
        yield from fresh(_in_dir(build_dir, skip_sanitizer=False))
    root = _repo_root()
    if root is not None:
        dirs = [root / "build"]
        dirs += sorted(p for p in root.glob("build*") if p.is_dir() and p.name != "build")
        for directory in dirs:
            yield from fresh(_in_dir(directory))
    libdir = _pkg_config_libdir()
    if libdir is not None:
        yield from fresh(_in_dir(libdir, skip_sanitizer=False))
    for directory in _environment_libdirs():
        yield from fresh(_in_dir(directory, skip_sanitizer=False))
    system = ctypes.util.find_library("incident")
    if system:
        yield from fresh([system])
    yield from fresh([_NAMES[0]])


def candidates() -> List[str]:
    """The paths (or loader names) tried, in order."""
    return list(_candidate_stream())


def _load() -> Tuple[ctypes.CDLL, str]:
    errors = []
    for path in _candidate_stream():
        try:
            lib = ctypes.CDLL(path)
            lib.inc_version  # a libincident at all?
        except (OSError, AttributeError) as exc:
            errors.append("%s: %s" % (path, exc))
            continue
        return lib, path
    raise ImportError(
        "libincident: cannot load the shared library (install it, point PKG_CONFIG_PATH at "
        "its lib/pkgconfig, or set LIBINCIDENT_PATH to the .so); tried:\n  " + "\n  ".join(errors)
    )


lib: Any
path: str
lib, path = _load()

# ---------------------------------------------------------------- types

from ._structs import *  # noqa: E402,F401,F403 (the C types; callers use _lib.X)

# ---------------------------------------------------------------- prototypes

P = c_void_p  # every opaque handle
PP = POINTER(c_void_p)  # an out-parameter receiving a handle or owned memory
S = c_size_t
_sz = POINTER(c_size_t)
_u64 = POINTER(c_uint64)

_PROTOTYPES: Dict[str, Tuple[Any, List[Any]]] = {
    # common.h
    "inc_status_name": (c_char_p, [c_int]),
    "inc_strerror": (c_char_p, [c_int]),
    "inc_version": (c_char_p, [POINTER(c_int), POINTER(c_int), POINTER(c_int)]),
    "inc_clock_system": (c_int64, [c_void_p]),
    "inc_free": (None, [c_void_p]),
    "inc_allocator_init": (c_int, [c_void_p, c_uint]),
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
    "inc_rubric_field_count": (S, [P]),
    "inc_rubric_get_field": (c_int, [P, S, POINTER(RubricField)]),
    "inc_field_type_name": (c_char_p, [c_int]),
    "inc_rubric_get_level_index": (c_int, [P, c_char_p, _sz]),
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
    "inc_rubric_get_staffing": (c_int, [P, S, POINTER(c_uint), POINTER(c_uint)]),
    "inc_rubric_add_escalation": (c_int, [P, S, c_int64, c_int, c_char_p]),
    "inc_rubric_escalation_count": (S, [P, S]),
    "inc_rubric_get_escalation": (
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
    "inc_store_backend_init": (c_int, [POINTER(StoreBackendStruct), c_uint]),
    "inc_store_new": (c_int, [POINTER(StoreBackendStruct), c_void_p, PP]),
    "inc_store_backend_of": (POINTER(StoreBackendStruct), [P]),
    "inc_store_error": (P, [P]),
    "inc_store_append": (c_int, [P, c_char_p, c_uint64, POINTER(StoreRecord), S]),
    "inc_store_read": (c_int, [P, c_char_p, c_uint64, EVENT_CB, c_void_p]),
    "inc_store_scan": (c_int, [P, SCAN_CB, c_void_p]),
    "inc_store_wait": (c_int, [P, c_int64]),
    "inc_store_put_blob": (c_int, [P, c_char_p, S, c_char_p]),
    "inc_store_get_blob": (c_int, [P, c_char_p, BLOB_CB, c_void_p]),
    "inc_event_blob_key": (c_int, [c_char_p, S, c_char_p]),
    "inc_store_copy_incident": (c_int, [P, P, c_char_p, POINTER(c_uint64)]),
    # journal.h
    "inc_journal_options_init": (c_int, [POINTER(JournalOptions), c_uint]),
    "inc_store_journal_open": (c_int, [c_char_p, POINTER(JournalOptions), PP]),
    "inc_journal_verify": (c_int, [P, c_char_p, _u64]),
    "inc_journal_quarantine_list": (c_int, [P, c_char_p, QUARANTINE_FN, c_void_p]),
    "inc_journal_get_stats": (c_int, [P, POINTER(JournalStats)]),
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
    "inc_context_set_lint_config": (c_int, [P, P]),
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
    "inc_incident_reopened_at": (c_int64, [P]),
    "inc_incident_reopen_count": (c_uint, [P]),
    "inc_incident_rubric": (P, [P]),
    "inc_incident_last_seq": (c_uint64, [P]),
    "inc_state_name": (c_char_p, [c_int]),
    "inc_state_from_name": (c_int, [c_char_p, POINTER(c_int)]),
    "inc_incident_set_severity": (c_int, [P, c_char_p, c_char_p, c_char_p]),
    "inc_incident_set_state": (c_int, [P, c_char_p, c_int, c_char_p]),
    "inc_incident_set_field": (c_int, [P, c_char_p, c_char_p, c_char_p]),
    "inc_incident_field": (c_char_p, [P, c_char_p]),
    "inc_incident_reopen": (c_int, [P, c_char_p, c_int, c_char_p]),
    "inc_link_kind_name": (c_char_p, [c_int]),
    "inc_link_kind_from_name": (c_int, [c_char_p, POINTER(c_int)]),
    "inc_incident_add_link": (c_int, [P, c_char_p, c_int, c_char_p, c_char_p]),
    "inc_incident_link_count": (S, [P]),
    "inc_incident_link": (POINTER(Link), [P, S]),
    "inc_incident_duplicate_of": (c_char_p, [P]),
    "inc_incident_note": (c_int, [P, c_char_p, c_char_p]),
    "inc_incident_correct": (c_int, [P, c_char_p, c_uint64, c_char_p]),
    "inc_incident_event_count": (S, [P]),
    "inc_incident_get_event": (c_int, [P, S, POINTER(EventInfo)]),
    "inc_incident_describe_event": (c_int, [P, S, PP]),
    "inc_event_kind_name": (c_char_p, [c_int]),
    "inc_incident_render_timeline": (c_int, [P, PP, _sz]),
    "inc_incident_verify": (c_int, [P, _u64]),
    "inc_incident_export_json": (c_int, [P, PP, _sz]),
    "inc_incident_import_json": (c_int, [P, c_char_p, S, PP, POINTER(Diag)]),
    # findings.h
    "inc_findings_count": (S, [P]),
    "inc_findings_at": (POINTER(Finding), [P, S]),
    "inc_findings_count_rule": (S, [P, c_char_p]),
    "inc_findings_render": (c_int, [P, PP, _sz]),
    "inc_findings_free": (None, [P]),
    # staffing.h
    "inc_incident_assign_role": (c_int, [P, c_char_p, c_char_p, c_int, c_char_p]),
    "inc_incident_release_role": (c_int, [P, c_char_p, c_char_p, c_int, c_char_p]),
    "inc_incident_handoff": (c_int, [P, c_char_p, c_char_p, c_char_p, c_char_p, c_char_p]),
    "inc_incident_confirm_handoff": (c_int, [P, c_char_p]),
    "inc_incident_cancel_handoff": (c_int, [P, c_char_p, c_char_p]),
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
    "inc_incident_check_roles": (c_int, [P, PP]),
    # can.h
    "inc_can_kind_name": (c_char_p, [c_int]),
    "inc_can_kind_from_name": (c_int, [c_char_p, POINTER(c_int)]),
    "inc_can_needs_none": (c_int, [c_char_p]),
    "inc_can_need_asks_decision": (c_int, [c_char_p]),
    "inc_can_lint": (c_int, [c_char_p, c_char_p, c_char_p, c_void_p, PP]),
    "inc_can_lint_with": (c_int, [c_char_p, c_char_p, c_char_p, P, c_void_p, PP]),
    "inc_lint_config_parse": (c_int, [c_void_p, c_char_p, S, PP, POINTER(Diag)]),
    "inc_lint_config_free": (None, [P]),
    "inc_can_report_init": (c_int, [POINTER(CanReport), c_uint]),
    "inc_incident_add_can": (c_int, [P, c_char_p, POINTER(CanReport), PP, _u64]),
    "inc_incident_can_count": (S, [P]),
    "inc_incident_get_can": (c_int, [P, S, POINTER(CanInfo)]),
    "inc_decision_status_name": (c_char_p, [c_int]),
    "inc_incident_request_decision": (c_int, [P, c_char_p, c_char_p, _u64]),
    "inc_incident_decide": (c_int, [P, c_char_p, c_uint64, c_int, c_char_p]),
    "inc_incident_decision_count": (S, [P]),
    "inc_incident_decision_pending_count": (S, [P]),
    "inc_incident_get_decision": (c_int, [P, S, POINTER(DecisionInfo)]),
    "inc_can_to_dispatch_json": (c_int, [c_char_p, c_char_p, c_char_p, c_void_p, PP, _sz]),
    "inc_incident_can_dispatch_json": (c_int, [P, S, PP, _sz]),
    "inc_can_from_dispatch_json": (c_int, [c_char_p, S, c_void_p, PP, PP, PP, POINTER(Diag)]),
    # comms.h
    "inc_audience_name": (c_char_p, [c_int]),
    "inc_audience_from_name": (c_int, [c_char_p, POINTER(c_int)]),
    "inc_audience_writer": (c_int, [c_int]),
    "inc_comm_kind_name": (c_char_p, [c_int]),
    "inc_update_lint": (c_int, [c_char_p, c_int, c_char_p, c_void_p, PP]),
    "inc_update_lint_with": (c_int, [c_char_p, c_int, c_char_p, P, c_void_p, PP]),
    "inc_update_init": (c_int, [POINTER(Update), c_uint]),
    "inc_incident_add_update": (c_int, [P, c_char_p, POINTER(Update), PP, _u64]),
    "inc_incident_update_count": (S, [P]),
    "inc_incident_get_update": (c_int, [P, S, POINTER(UpdateInfo)]),
    "inc_incident_set_cadence": (c_int, [P, c_char_p, c_int, c_int64, c_char_p]),
    "inc_incident_get_cadence": (c_int, [P, c_int, POINTER(CadenceInfo)]),
    "inc_incident_get_required_comm": (c_int, [P, c_int, POINTER(RequiredCommInfo)]),
    "inc_incident_check_comms": (c_int, [P, PP]),
    "inc_template_vars_init": (c_int, [POINTER(TemplateVars), c_uint]),
    "inc_incident_render_template": (c_int, [P, c_int, POINTER(TemplateVars), PP, _sz]),
    "inc_incident_update_statuspage_json": (c_int, [P, S, c_char_p, PP, _sz]),
    "inc_incident_link_external": (c_int, [P, c_char_p, c_char_p, c_char_p, _u64]),
    "inc_incident_external_id": (c_char_p, [P, c_char_p]),
    "inc_incident_slack_json": (c_int, [P, c_uint64, PP, _sz]),
    "inc_statuspage_status": (c_char_p, [c_int]),
    "inc_statuspage_impact": (c_char_p, [S, S]),
    # alerts.h
    "inc_alert_router_parse": (c_int, [P, c_char_p, c_char_p, S, PP, POINTER(Diag)]),
    "inc_alert_router_free": (None, [P]),
    "inc_alert_router_errmsg": (c_char_p, [P]),
    "inc_alert_router_intake": (c_int, [P, c_char_p, S, POINTER(AlertOutcome)]),
    "inc_alert_router_flush": (c_int, [P, _sz]),
    # feed.h
    "inc_feed_new": (c_int, [P, c_char_p, PP]),
    "inc_feed_free": (None, [P]),
    "inc_feed_errmsg": (c_char_p, [P]),
    "inc_feed_poll": (c_int, [P, S, FEED_CB, c_void_p, _sz]),
    "inc_feed_cursor": (c_int, [P, PP]),
    "inc_feed_set_wait": (c_int, [P, FEED_WAIT_FN, c_void_p]),
    "inc_feed_wait": (c_int, [P, c_int64, POINTER(c_int)]),
    # due.h, scheduler.h
    "inc_due_list_count": (S, [P]),
    "inc_due_list_at": (POINTER(DueItem), [P, S]),
    "inc_due_list_free": (None, [P]),
    "inc_due_kind_name": (c_char_p, [c_int]),
    "inc_incident_next_due": (c_int64, [P]),
    "inc_incident_due": (c_int, [P, c_int64, PP]),
    "inc_incident_deliver_due": (c_int, [P, c_char_p, S, PP]),
    "inc_incident_request_page": (c_int, [P, c_char_p, c_char_p, c_char_p, _u64]),
    "inc_incident_mark_page_sent": (c_int, [P, c_char_p, c_uint64, c_char_p]),
    "inc_incident_acknowledge": (c_int, [P, c_char_p, c_uint64]),
    "inc_incident_acknowledged_at": (c_int64, [P]),
    "inc_incident_acknowledged_by": (c_char_p, [P]),
    "inc_incident_first_ack_at": (c_int64, [P]),
    "inc_incident_first_page_at": (c_int64, [P]),
    "inc_incident_page_count": (S, [P]),
    "inc_incident_page": (POINTER(Page), [P, S]),
    "inc_incident_start_deadline_clock": (
        c_int,
        [P, c_char_p, c_char_p, c_int64, c_int64, c_char_p],
    ),
    "inc_incident_stop_deadline_clock": (c_int, [P, c_char_p, c_char_p, c_int, c_char_p]),
    "inc_incident_deadline_clock_count": (S, [P]),
    "inc_incident_get_deadline_clock": (c_int, [P, S, POINTER(DeadlineClock)]),
    "inc_deadline_clock_status_name": (c_char_p, [c_int]),
    "inc_due_list_pagerduty": (c_int, [P, S, c_char_p, c_char_p, c_char_p, PP, _sz]),
    "inc_pagerduty_event": (c_int, [c_char_p, c_char_p, c_char_p, PP, _sz]),
    "inc_incident_pagerduty_json": (
        c_int,
        [P, c_uint64, c_char_p, c_char_p, c_char_p, PP, _sz],
    ),
    "inc_scheduler_options_init": (c_int, [POINTER(SchedulerOptions), c_uint]),
    "inc_scheduler_new": (c_int, [P, POINTER(SchedulerOptions), PP]),
    "inc_scheduler_free": (None, [P]),
    "inc_scheduler_errmsg": (c_char_p, [P]),
    "inc_scheduler_load": (c_int, [P]),
    "inc_scheduler_watch": (c_int, [P, c_char_p]),
    "inc_scheduler_forget": (c_int, [P, c_char_p]),
    "inc_scheduler_count": (S, [P]),
    "inc_scheduler_next_due": (c_int64, [P]),
    "inc_scheduler_poll": (c_int, [P, S, PP]),
    # rotation.h, oncall.h
    "inc_context_set_zoneinfo_dir": (c_int, [P, c_char_p]),
    "inc_context_zoneinfo_dir": (c_char_p, [P]),
    "inc_zone_to_local": (c_int, [P, c_char_p, c_int64, POINTER(LocalTime)]),
    "inc_zone_from_local": (c_int, [P, c_char_p, POINTER(LocalTime), POINTER(c_int64)]),
    "inc_rotation_new": (c_int, [P, c_char_p, PP]),
    "inc_rotation_free": (None, [P]),
    "inc_rotation_dup": (c_int, [P, PP]),
    "inc_rotation_equal": (c_int, [P, P]),
    "inc_rotation_errmsg": (c_char_p, [P]),
    "inc_rotation_name": (c_char_p, [P]),
    "inc_rotation_add_person": (c_int, [P, c_char_p]),
    "inc_rotation_person_count": (S, [P]),
    "inc_rotation_person": (c_char_p, [P, S]),
    "inc_rotation_set_zone": (c_int, [P, c_char_p]),
    "inc_rotation_zone": (c_char_p, [P]),
    "inc_rotation_set_period": (c_int, [P, c_uint]),
    "inc_rotation_period": (c_uint, [P]),
    "inc_rotation_set_start": (c_int, [P, c_int, c_uint, c_uint]),
    "inc_rotation_get_start": (c_int, [P, POINTER(c_int), POINTER(c_uint), POINTER(c_uint)]),
    "inc_rotation_set_handoff": (c_int, [P, c_uint, c_uint]),
    "inc_rotation_get_handoff": (c_int, [P, POINTER(c_uint), POINTER(c_uint)]),
    "inc_rotation_set_secondary": (c_int, [P, c_uint]),
    "inc_rotation_secondary": (c_uint, [P]),
    "inc_rotation_set_role": (c_int, [P, c_int]),
    "inc_rotation_role": (c_int, [P]),
    "inc_rotation_add_override": (c_int, [P, POINTER(RotationOverride), _sz]),
    "inc_rotation_override_shift": (
        c_int,
        [P, c_int, c_int64, c_char_p, c_char_p, c_char_p, c_int64, _sz],
    ),
    "inc_rotation_override_count": (S, [P]),
    "inc_rotation_get_override": (c_int, [P, S, POINTER(RotationOverride)]),
    "inc_rotation_who": (c_int, [P, c_int, c_int64, POINTER(Shift)]),
    "inc_rotation_shifts": (c_int, [P, c_int, c_int64, c_int64, POINTER(POINTER(Shift)), _sz]),
    "inc_rotation_parse": (c_int, [P, c_char_p, S, PP, POINTER(Diag)]),
    "inc_rotation_write": (c_int, [P, PP, _sz]),
    "inc_rotation_add_layer": (c_int, [P, c_char_p, c_char_p, _sz]),
    "inc_rotation_add_layer_person": (c_int, [P, S, c_char_p]),
    "inc_rotation_add_layer_window": (c_int, [P, S, c_uint, c_uint, c_uint]),
    "inc_rotation_set_layer_dates": (c_int, [P, S, c_char_p, c_char_p]),
    "inc_rotation_layer_count": (S, [P]),
    "inc_rotation_layer_name": (c_char_p, [P, S]),
    "inc_rotation_add_swap": (c_int, [P, c_int, c_int64, c_int64, c_char_p, c_char_p, c_int64, _sz]),
    "inc_rotation_override_is_swap": (c_int, [P, S]),
    "inc_rotation_write_ical": (c_int, [POINTER(c_void_p), S, c_char_p, c_int64, c_int64, PP, _sz]),
    "inc_context_add_rotation": (c_int, [P, P]),
    "inc_context_remove_rotation": (c_int, [P, c_char_p]),
    "inc_context_rotation": (P, [P, c_char_p]),
    "inc_context_rotation_count": (S, [P]),
    "inc_context_rotation_at": (P, [P, S]),
    "inc_context_set_default_rotation": (c_int, [P, c_char_p]),
    "inc_context_resolve_targets": (c_int, [P, c_char_p, c_int64, PP, _sz]),
    "inc_rubric_add_rotation_escalation": (c_int, [P, S, c_int64, c_char_p, c_int64]),
    "inc_oncall_check_options_init": (c_int, [POINTER(OncallCheckOptions), c_uint]),
    "inc_rotation_check": (c_int, [P, POINTER(c_void_p), S, POINTER(OncallCheckOptions), PP]),
    # postmortem.h
    "inc_pm_section_name": (c_char_p, [c_int]),
    "inc_pm_section_title": (c_char_p, [c_int]),
    "inc_pm_section_from_name": (c_int, [c_char_p, POINTER(c_int)]),
    "inc_pm_status_name": (c_char_p, [c_int]),
    "inc_incident_set_postmortem_section": (c_int, [P, c_char_p, c_int, c_char_p, PP, _u64]),
    "inc_incident_postmortem_section": (c_char_p, [P, c_int]),
    "inc_incident_set_root_cause_tag": (c_int, [P, c_char_p, c_char_p]),
    "inc_incident_set_postmortem_status": (c_int, [P, c_char_p, c_int, c_char_p]),
    "inc_incident_get_postmortem": (c_int, [P, POINTER(PostmortemInfo)]),
    "inc_postmortem_lint": (c_int, [c_char_p, c_void_p, PP]),
    "inc_postmortem_lint_with": (c_int, [c_char_p, P, c_void_p, PP]),
    "inc_incident_lint_postmortem": (c_int, [P, PP]),
    "inc_incident_render_postmortem": (c_int, [P, c_int, PP, _sz]),
    "inc_action_status_name": (c_char_p, [c_int]),
    "inc_action_status_from_name": (c_int, [c_char_p, POINTER(c_int)]),
    "inc_action_owner_is_team": (c_int, [c_char_p]),
    "inc_action_options_init": (c_int, [POINTER(ActionOptions), c_uint]),
    "inc_incident_add_action": (c_int, [P, c_char_p, POINTER(ActionOptions), _u64]),
    "inc_incident_set_action_status": (c_int, [P, c_char_p, c_uint64, c_int, c_char_p, c_uint64]),
    "inc_incident_move_action_due": (c_int, [P, c_char_p, c_uint64, c_int64, c_char_p]),
    "inc_incident_reassign_action": (c_int, [P, c_char_p, c_uint64, c_char_p, c_char_p]),
    "inc_incident_set_action_priority": (c_int, [P, c_char_p, c_uint64, c_int]),
    "inc_incident_action_count": (S, [P]),
    "inc_incident_action": (POINTER(ActionItem), [P, S]),
    "inc_action_is_overdue": (c_int, [POINTER(ActionItem), c_int64]),
    "inc_action_query_init": (c_int, [POINTER(ActionQuery), c_uint]),
    "inc_action_list_query": (c_int, [P, POINTER(ActionQuery), PP]),
    "inc_action_list_count": (S, [P]),
    "inc_action_list_at": (POINTER(ActionEntry), [P, S]),
    "inc_action_list_render": (c_int, [P, PP, _sz]),
    "inc_action_list_export_json": (c_int, [P, c_char_p, PP, _sz]),
    "inc_action_list_free": (None, [P]),
    # incident_list.h
    "inc_incident_query_init": (c_int, [POINTER(IncidentQuery), c_uint]),
    "inc_incident_list_query": (c_int, [P, POINTER(IncidentQuery), PP]),
    "inc_incident_list_query_skipping": (c_int, [P, POINTER(IncidentQuery), PP]),
    "inc_incident_list_count": (S, [P]),
    "inc_incident_list_total": (S, [P]),
    "inc_incident_list_at": (POINTER(IncidentEntry), [P, S]),
    "inc_incident_list_unreadable_count": (S, [P]),
    "inc_incident_list_unreadable": (c_char_p, [P, S]),
    "inc_incident_list_free": (None, [P]),
    "inc_incident_sort_name": (c_char_p, [c_int]),
    "inc_incident_sort_from_name": (c_int, [c_char_p, POINTER(c_int)]),
    # audit.h
    "inc_incident_open_bridge": (c_int, [P, c_char_p, c_char_p, c_char_p, _u64]),
    "inc_audit_step_name": (c_char_p, [c_int]),
    "inc_audit_result_name": (c_char_p, [c_int]),
    "inc_audit_options_init": (c_int, [POINTER(AuditOptions), c_uint]),
    "inc_incident_audit": (c_int, [P, POINTER(AuditOptions), PP]),
    "inc_audit_step_count": (S, [P]),
    "inc_audit_step_at": (POINTER(AuditStep), [P, S]),
    "inc_audit_antipatterns": (P, [P]),
    "inc_audit_get_summary": (c_int, [P, POINTER(AuditSummary)]),
    "inc_audit_render_text": (c_int, [P, PP, _sz]),
    "inc_audit_render_json": (c_int, [P, PP, _sz]),
    "inc_audit_free": (None, [P]),
    # metrics.h
    "inc_metric_name": (c_char_p, [c_int]),
    "inc_metrics_options_init": (c_int, [POINTER(MetricsOptions), c_uint]),
    "inc_metrics_compute": (c_int, [P, POINTER(MetricsOptions), PP]),
    "inc_metrics_free": (None, [P]),
    "inc_metrics_incident_count": (S, [P]),
    "inc_metrics_drill_count": (S, [P]),
    "inc_metrics_level_count": (S, [P]),
    "inc_metrics_level": (c_char_p, [P, S, _sz]),
    "inc_metrics_get_stat": (c_int, [P, c_int, S, POINTER(MetricStat)]),
    "inc_metrics_get_actions": (c_int, [P, POINTER(MetricsActions)]),
    "inc_metrics_get_recurrence": (c_int, [P, POINTER(MetricsRecurrence)]),
    "inc_metrics_get_reopens": (c_int, [P, POINTER(MetricsReopens)]),
    "inc_metrics_duplicate_count": (S, [P]),
    "inc_metrics_recurrence_linked": (S, [P]),
    "inc_metrics_tag_count": (S, [P]),
    "inc_metrics_tag": (c_char_p, [P, S, _sz, _sz]),
    "inc_metrics_person_count": (S, [P]),
    "inc_metrics_person": (c_char_p, [P, S, _sz, _sz]),
    "inc_metrics_render_text": (c_int, [P, PP, _sz]),
    "inc_metrics_render_json": (c_int, [P, PP, _sz]),
    # seal.h
    "inc_incident_head": (c_int, [P, POINTER(Checkpoint)]),
    "inc_checkpoint_format": (c_int, [POINTER(Checkpoint), c_char_p, S]),
    "inc_checkpoint_parse": (c_int, [c_char_p, POINTER(Checkpoint)]),
    "inc_incident_verify_head": (c_int, [P, POINTER(Checkpoint), _u64]),
    "inc_store_verify_head": (c_int, [P, c_char_p, POINTER(Checkpoint), _u64]),
    "inc_seal_setup": (c_int, [P, c_char_p, c_char_p, c_char_p]),
    "inc_seal": (c_int, [P, c_char_p, c_char_p, POINTER(SealResult)]),
    "inc_seal_verify": (
        c_int,
        [P, c_char_p, c_char_p, c_char_p, SEAL_REPORT_FN, c_void_p, POINTER(SealSummary)],
    ),
    "inc_seal_key_format": (c_int, [c_char_p, c_char_p, S]),
    "inc_seal_key_parse": (c_int, [c_char_p, c_char_p]),
}

#: Prototypes of capabilities that may not be in every build yet: declared
#: when the library has them (see :func:`has`).
_OPTIONAL: Dict[str, Tuple[Any, List[Any]]] = {}


def _declare(name: str, restype: Any, argtypes: List[Any]) -> Any:
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = argtypes
    return fn


for _name, (_restype, _argtypes) in _PROTOTYPES.items():
    _declare(_name, _restype, _argtypes)

for _name, (_restype, _argtypes) in _OPTIONAL.items():
    if hasattr(lib, _name):
        _declare(_name, _restype, _argtypes)


def init_struct(cls: Any, init: str, version: int) -> Any:
    """A ``cls`` filled by the C function ``init`` (an ``inc_*_init``) with
    the defaults of ``version``: the library's defaults, not ctypes' zeros."""
    out = cls()
    rc = getattr(lib, init)(ctypes.byref(out), version)
    if rc != 0:
        raise RuntimeError("%s(%d) failed: %d" % (init, version, rc))
    return out


def has(name: str) -> bool:
    """True if the loaded library exports the C function ``name``."""
    return hasattr(lib, name)


# ---------------------------------------------------------------- helpers


def encode(value: Optional[Union[bytes, str]], field: str) -> Optional[bytes]:
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


def decode(data: Optional[bytes]) -> Optional[str]:
    """A C string the library owns, as str (None stays None)."""
    if data is None:
        return None
    return data.decode("utf-8", errors="replace")


def text(data: Optional[bytes]) -> str:
    """A C string the library documents as never NULL, as str ("" if it
    is NULL after all)."""
    return decode(data) or ""


def take_string(ptr: Optional[int], length: Optional[int] = None) -> str:
    """Copy memory the library handed over (``char *`` to free with
    inc_free()) into a str and free it."""
    if not ptr:
        return ""
    try:
        data = ctypes.string_at(ptr, length) if length is not None else ctypes.string_at(ptr)
    finally:
        lib.inc_free(ptr)
    return data.decode("utf-8", errors="replace")


def version() -> Tuple[str, Tuple[int, int, int]]:
    """(version string, (major, minor, patch)) of the loaded library."""
    major, minor, patch = c_int(), c_int(), c_int()
    text = lib.inc_version(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(patch))
    return text.decode("ascii"), (major.value, minor.value, patch.value)


_text, _info = version()
def abi_compatible(info: Tuple[int, int, int]) -> bool:
    """Whether a library of version ``info`` (major, minor, patch) has the
    ABI this package is written for: the same major, and before 1.0 the same
    minor too."""
    if info[0] != ABI_MAJOR:
        return False
    return ABI_MAJOR != 0 or info[1] == ABI_MINOR


if not abi_compatible(_info):
    raise ImportError(
        "libincident at %s is version %s; this package needs the ABI of %s"
        % (path, _text, SOVERSION)
    )


# ---------------------------------------------------------------- libincident-pg

# The PostgreSQL store lives in a library of its own (incident/pg.h), loaded
# on first use from beside libincident, else from the system's loader; None
# when it is not installed.
_PG_PROTOTYPES = {
    "inc_pg_options_init": (c_int, [POINTER(PgOptions), c_uint]),
    "inc_pg_store_open": (c_int, [c_char_p, POINTER(PgOptions), POINTER(c_void_p)]),
    "inc_pg_is_conninfo": (c_int, [c_char_p]),
}
_pg: List[Optional[ctypes.CDLL]] = []


def _pg_candidates() -> List[str]:
    found: List[str] = []
    here = os.path.dirname(path) if os.path.sep in str(path) else None
    if here:
        found.append(os.path.join(here, "libincident-pg.so"))
        found.append(os.path.join(here, "libincident-pg.so.%s" % SOVERSION))
    system = ctypes.util.find_library("incident-pg")
    if system:
        found.append(system)
    found.append("libincident-pg.so.%s" % SOVERSION)
    return found


def pg_lib() -> Optional[ctypes.CDLL]:
    """libincident-pg, loaded once; None if it is not there."""
    if not _pg:
        loaded: Optional[ctypes.CDLL] = None
        for candidate in _pg_candidates():
            try:
                loaded = ctypes.CDLL(candidate)
                loaded.inc_pg_store_open
            except (OSError, AttributeError):
                loaded = None
                continue
            for name, (restype, argtypes) in _PG_PROTOTYPES.items():
                fn = getattr(loaded, name)
                fn.restype = restype
                fn.argtypes = argtypes
            break
        _pg.append(loaded)
    return _pg[0]
