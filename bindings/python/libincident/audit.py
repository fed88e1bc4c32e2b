"""Auditing the response: the first-ten-minutes checklist and the
antipatterns, the Game Day scorecard (incident/audit.h, AUD-1, AUD-2)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, List, Optional

from . import _lib
from ._handle import IncidentPart
from ._time import duration_to_ms, to_datetime, to_ms
from .enums import AuditResult, AuditStepKind
from .errors import make_error
from .staffing import Findings, copy_findings


@dataclass(frozen=True)
class AuditStep:
    """One first-ten-minutes step, scored against T+10 min (inc_audit_step)."""

    kind: AuditStepKind
    name: str
    title: str  # such as "Page roles"
    result: AuditResult
    at: Optional[datetime]  # when it was done
    offset: timedelta  # at minus the declaration (T+x); 0 when not done
    seq: int  # the event that did it, or 0
    detail: str  # what counted, or what is missing


@dataclass(frozen=True)
class AuditSummary:
    """The counts of an audit (inc_audit_summary)."""

    done: int
    late: int
    missing: int
    pending: int
    not_applicable: int
    antipatterns: int
    drill: bool


@dataclass(frozen=True)
class Audit:
    """An audit of one incident (inc_audit), copied out of the library:
    the steps in the runbook's order, the antipatterns (AUD-2 findings:
    ``since`` the span's start, ``value`` its length in ms), the counts, and
    the text and JSON renderings."""

    steps: List[AuditStep]
    antipatterns: Findings
    summary: AuditSummary
    text: str
    json: str


def _render(fn: Any, audit: Optional[int]) -> str:
    out = ctypes.c_void_p()
    length = ctypes.c_size_t()
    rc = fn(audit, ctypes.byref(out), ctypes.byref(length))
    if rc != 0:
        raise make_error(rc)
    return _lib.take_string(out.value, length.value)


def _copy_audit(lib: Any, audit: Optional[int]) -> Audit:
    steps = []
    for i in range(lib.inc_audit_step_count(audit)):
        s = lib.inc_audit_step_at(audit, i).contents
        steps.append(AuditStep(AuditStepKind(s.kind), _lib.text(s.name), _lib.text(s.title),
                               AuditResult(s.result), to_datetime(s.at),
                               timedelta(milliseconds=s.offset_ms), s.seq,
                               _lib.decode(s.detail) or ""))
    summary = _lib.AuditSummary()
    rc = lib.inc_audit_get_summary(audit, ctypes.byref(summary))
    if rc != 0:
        raise make_error(rc)
    return Audit(
        steps=steps,
        antipatterns=copy_findings(lib.inc_audit_antipatterns(audit)),  # owned by the audit
        summary=AuditSummary(summary.done, summary.late, summary.missing, summary.pending,
                             summary.not_applicable, summary.antipatterns, bool(summary.drill)),
        text=_render(lib.inc_audit_render_text, audit),
        json=_render(lib.inc_audit_render_json, audit),
    )


class AuditMixin(IncidentPart):
    """The audit methods of :class:`Incident`."""

    def open_bridge(self, actor: str, where: str, text: Optional[str] = None) -> int:
        """Record that a bridge (war room) was opened at ``where`` (AUD-1;
        inc_incident_open_bridge); returns the event's sequence number."""
        seq = ctypes.c_uint64()
        self._call(self._clib.inc_incident_open_bridge, _lib.encode(actor, "actor"),
                   _lib.encode(where, "where"), _lib.encode(text, "text"), ctypes.byref(seq))
        return seq.value

    def audit(
        self,
        now: Optional[datetime] = None,
        min_monitoring: Optional[timedelta] = None,
    ) -> Audit:
        """Audit the response from the timeline (AUD-1, AUD-2; inc_incident_audit)
        at ``now`` (default the context's clock): an :class:`Audit`.
        ``min_monitoring`` (default 15 min) is the shortest monitoring
        period before an all-clear."""
        opts = _lib.init_struct(_lib.AuditOptions, "inc_audit_options_init",
                                _lib.AUDIT_OPTIONS_VERSION)
        opts.now = to_ms(now, "now")
        opts.min_monitoring_ms = (0 if min_monitoring is None
                                  else duration_to_ms(min_monitoring, "min_monitoring"))
        out = ctypes.c_void_p()
        self._call(self._clib.inc_incident_audit, ctypes.byref(opts), ctypes.byref(out))
        try:
            return _copy_audit(self._clib, out.value)
        finally:
            self._clib.inc_audit_free(out.value)
