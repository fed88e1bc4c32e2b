"""CAN status reports, their lint on text alone, the decisions they ask of
the IC, and Netflix Dispatch's tactical-report JSON (incident/can.h)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import datetime
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    List,
    NamedTuple,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
)

from . import _lib
from ._handle import IncidentPart
from ._time import to_datetime, to_datetime_set
from .enums import CanKind, DecisionStatus, as_can_kind
from .errors import make_error
from .staffing import Findings, take_findings
from .lint_config import LintConfig, config_ptr

_T = TypeVar("_T")


if TYPE_CHECKING:
    from .incident import Incident


@dataclass(frozen=True)
class Recorded:
    """What recording a CAN report or a status update gives back: the
    event's sequence number and the lint findings (possibly none), which
    never block recording."""

    seq: int
    findings: Findings


@dataclass(frozen=True)
class CanReport:
    """A recorded CAN report (inc_can_info)."""

    seq: int  # the event
    time: datetime
    kind: CanKind
    author: str
    addressee: str
    conditions: str  # "" when blank
    actions: str  # "" when blank
    needs: Optional[str]  # None when it was omitted (CAN-2.implicit-needs)
    needs_none: bool  # Needs was an explicit "none"
    findings: Tuple[str, ...]  # the lint finding IDs recorded with it
    decision_count: int  # pending decisions it opened (CAN-3)
    first_decision: int  # the id of the first of them (consecutive), or 0


@dataclass(frozen=True)
class Decision:
    """A decision asked of the IC (inc_decision_info, CAN-3)."""

    id: int
    status: DecisionStatus
    text: str
    requested_by: str
    requested_at: datetime
    request_seq: int  # the CAN report or request that asked
    decided_by: Optional[str]  # None while pending
    decided_at: Optional[datetime]
    decision_seq: int  # the answer's event, 0 while pending
    note: Optional[str]  # the IC's note ("" if none), None while pending


class CanText(NamedTuple):
    """The three slots of a CAN report read from JSON (None when absent)."""

    conditions: Optional[str]
    actions: Optional[str]
    needs: Optional[str]


def split_ids(data: Optional[bytes]) -> Tuple[str, ...]:
    """A comma-separated list from the library as a tuple ("" -> ())."""
    text = _lib.decode(data) or ""
    return tuple(part for part in text.split(",") if part)


def can_needs_none(needs: Optional[str]) -> bool:
    """True when ``needs`` is an explicit "nothing needed" ("none", "n/a",
    ...; inc_can_needs_none). None and blank are an omitted Needs: False."""
    return bool(_lib.lib.inc_can_needs_none(_lib.encode(needs, "needs")))


def can_need_asks_decision(item: Optional[str]) -> bool:
    """True when one Needs item asks the IC for approval or a decision
    (inc_can_need_asks_decision, CAN-3)."""
    return bool(_lib.lib.inc_can_need_asks_decision(_lib.encode(item, "item")))


def can_lint(
    conditions: Optional[str] = None,
    actions: Optional[str] = None,
    needs: Optional[str] = None,
    config: Optional["LintConfig"] = None,
) -> Findings:
    """Lint a CAN report on its text alone, no incident needed (CAN-1,
    CAN-2; inc_can_lint, or inc_can_lint_with when ``config`` is a
    :class:`LintConfig`): a :class:`Findings` list whose ``slot`` is a
    :class:`CanSlot` (None for the whole report) and whose ``offset`` and
    ``length`` locate the offending words in bytes of that slot's UTF-8."""
    out = ctypes.c_void_p()
    rc = _lib.lib.inc_can_lint_with(_lib.encode(conditions, "conditions"),
                                    _lib.encode(actions, "actions"), _lib.encode(needs, "needs"),
                                    config_ptr(config), None, ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "CAN lint: text not UTF-8 or longer than INC_TEXT_MAX")
    return take_findings(out.value)


def can_to_dispatch_json(
    conditions: Optional[str] = None,
    actions: Optional[Any] = None,
    needs: Optional[str] = None,
) -> str:
    """A CAN report as the JSON of a Dispatch tactical report
    (inc_can_to_dispatch_json); None slots are written as ""."""
    out = ctypes.c_void_p()
    length = ctypes.c_size_t()
    rc = _lib.lib.inc_can_to_dispatch_json(_lib.encode(conditions, "conditions"),
                                           _lib.encode(actions, "actions"),
                                           _lib.encode(needs, "needs"), None, ctypes.byref(out),
                                           ctypes.byref(length))
    if rc != 0:
        raise make_error(rc, "Dispatch JSON: text not UTF-8")
    return _lib.take_string(out.value, length.value)


def can_from_dispatch_json(document: Union[bytes, str]) -> CanText:
    """Read a Dispatch tactical report (top level or inside ``details``;
    inc_can_from_dispatch_json) as a :class:`CanText`. Bad input raises
    ParseError or InvalidError with ``offset`` set."""
    data = document.encode("utf-8") if isinstance(document, str) else bytes(document)
    slots = [ctypes.c_void_p() for _ in range(3)]
    diag = _lib.Diag()
    rc = _lib.lib.inc_can_from_dispatch_json(data, len(data), None, *map(ctypes.byref, slots),
                                             ctypes.byref(diag))
    if rc != 0:
        for slot in slots:  # NULL on failure, per the header; free defensively
            _lib.lib.inc_free(slot)
        raise make_error(rc, _lib.decode(diag.message) or None, offset=diag.offset)
    return CanText(*(_lib.take_string(s.value) if s.value else None for s in slots))


def _can_from(info: Any) -> CanReport:
    return CanReport(
        seq=info.seq,
        time=to_datetime_set(info.time),
        kind=CanKind(info.kind),
        author=_lib.text(info.author),
        addressee=_lib.text(info.addressee),
        conditions=_lib.decode(info.conditions) or "",
        actions=_lib.decode(info.actions) or "",
        needs=_lib.decode(info.needs),
        needs_none=bool(info.needs_none),
        findings=split_ids(info.findings),
        decision_count=info.decision_count,
        first_decision=info.first_decision,
    )


def _decision_from(info: Any) -> Decision:
    return Decision(
        id=info.id,
        status=DecisionStatus(info.status),
        text=_lib.text(info.text),
        requested_by=_lib.text(info.requested_by),
        requested_at=to_datetime_set(info.requested_at),
        request_seq=info.request_seq,
        decided_by=_lib.decode(info.decided_by),
        decided_at=to_datetime(info.decided_at),
        decision_seq=info.decision_seq,
        note=_lib.decode(info.note),
    )


def read_list(
    incident: IncidentPart,
    count_fn: Any,
    get_fn: Any,
    struct: Type[Any],
    convert: Callable[[Any], _T],
    what: str,
) -> List[_T]:
    """Copy every item of a count/get pair of the incident (under its lock)."""
    with incident._lock:
        ptr = incident._handle()
        items: List[_T] = []
        for i in range(count_fn(ptr)):
            info = struct()
            rc = get_fn(ptr, i, ctypes.byref(info))
            if rc != 0:
                raise make_error(rc, "%s %d: cannot be read" % (what, i))
            items.append(convert(info))
        return items


def take_json(incident: IncidentPart, fn: Any, index: int, what: str) -> str:
    """Render item ``index`` of the incident as JSON (a const C call: the
    incident keeps no message for it, so the error names the item)."""
    out = ctypes.c_void_p()
    length = ctypes.c_size_t()
    with incident._lock:
        rc = fn(incident._handle(), index, ctypes.byref(out), ctypes.byref(length))
    if rc != 0:
        raise make_error(rc, "%s %d: %s" % (what, index, {
            -4: "no such item", -3: "not an item this format can write"}.get(rc, "failed")))
    return _lib.take_string(out.value, length.value)


class CanMixin(IncidentPart):
    """The CAN methods of :class:`Incident`."""

    def can_report(
        self,
        author: str,
        *,
        conditions: Optional[str] = None,
        actions: Optional[str] = None,
        needs: Optional[str] = None,
        kind: Union[CanKind, str] = CanKind.SME_TO_IC,
        addressee: Optional[str] = None,
    ) -> Recorded:
        """Record a CAN report (inc_incident_add_can): lint it (CAN-2), open a
        pending decision for each Need that asks the IC for one (CAN-3).
        ``needs=None`` is an *omitted* Needs (a finding); say "none" when
        nothing is needed. ``kind`` is a :class:`CanKind` or its name;
        ``addressee`` None means the IC (SME to IC) or the channel (top of
        hour). Returns :class:`Recorded`; lint findings never block."""
        report = _lib.init_struct(_lib.CanReport, "inc_can_report_init", _lib.CAN_REPORT_VERSION)
        report.kind = int(as_can_kind(kind))
        report.addressee = _lib.encode(addressee, "addressee")
        report.conditions = _lib.encode(conditions, "conditions")
        report.actions = _lib.encode(actions, "actions")
        report.needs = _lib.encode(needs, "needs")
        out = ctypes.c_void_p()
        seq = ctypes.c_uint64()
        self._call(self._clib.inc_incident_add_can, _lib.encode(author, "author"),
                   ctypes.byref(report), ctypes.byref(out), ctypes.byref(seq))
        return Recorded(seq.value, take_findings(out.value))

    def can_reports(self) -> List[CanReport]:
        """Every recorded CAN report, in order (inc_incident_can_count, inc_incident_get_can)."""
        return read_list(self, self._clib.inc_incident_can_count, self._clib.inc_incident_get_can,
                         _lib.CanInfo, _can_from, "CAN report")

    def can_dispatch_json(self, index: int) -> str:
        """Recorded CAN report ``index`` as Dispatch tactical-report JSON
        (inc_incident_can_dispatch_json)."""
        return take_json(self, self._clib.inc_incident_can_dispatch_json, index, "CAN report")

    def request_decision(self, actor: str, text: str) -> int:
        """Ask the IC for a decision outside a CAN report (inc_incident_request_decision);
        returns the decision's id."""
        out = ctypes.c_uint64()
        self._call(self._clib.inc_incident_request_decision, _lib.encode(actor, "actor"),
                   _lib.encode(text, "text"), ctypes.byref(out))
        return out.value

    def decide(
        self,
        actor: str,
        decision_id: int,
        approve: bool,
        note: Optional[str] = None,
    ) -> None:
        """Approve (``approve=True``) or deny a pending decision; only the
        IC may (AUTH-1; inc_incident_decide)."""
        self._call(self._clib.inc_incident_decide, _lib.encode(actor, "actor"), decision_id,
                   1 if approve else 0, _lib.encode(note, "note"))

    def decisions(self) -> List[Decision]:
        """Every decision asked, pending or answered, in order of id
        (inc_incident_decision_count, inc_incident_get_decision)."""
        return read_list(self, self._clib.inc_incident_decision_count,
                         self._clib.inc_incident_get_decision, _lib.DecisionInfo, _decision_from,
                         "decision")

    @property
    def pending_decision_count(self) -> int:
        """How many decisions wait for the IC (inc_incident_decision_pending_count)."""
        return int(self._clib.inc_incident_decision_pending_count(self._handle()))
