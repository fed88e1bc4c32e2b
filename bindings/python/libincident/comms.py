"""Communication on a cadence: status updates to the three audiences, the
external-update lint on text alone, templates, cadences, required
communications and Atlassian Statuspage JSON (incident/comms.h)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, List, Optional, Tuple, Union

from . import _lib
from ._handle import IncidentPart
from ._time import duration_to_ms, to_datetime, to_datetime_set, to_ms
from .can import Recorded, read_list, split_ids, take_json
from .enums import Audience, Comm, Role, State, Template, as_audience, as_state
from .errors import make_error
from .rubric import NEXT_CADENCE
from .staffing import take_findings
from .lint_config import LintConfig, config_ptr


if TYPE_CHECKING:
    from .staffing import Findings

#: For :meth:`Incident.set_cadence`: go back to the rubric's cadence.
CADENCE_RUBRIC = "rubric"


@dataclass(frozen=True)
class StatusUpdate:
    """A recorded status update (inc_update_info)."""

    seq: int
    time: datetime
    audience: Audience
    author: str
    body: str
    components: str  # "" if none
    comms: FrozenSet[Comm]  # the required communications it delivered (COMM-4)
    state: State  # the lifecycle state when it was posted
    severity: str  # the level when it was posted
    findings: Tuple[str, ...]  # finding IDs recorded with it


@dataclass(frozen=True)
class Cadence:
    """Where an audience's cadence stands now (inc_cadence_info, COMM-1, COMM-2)."""

    audience: Audience
    writer: Role
    every: Optional[timedelta]  # None: "as needed"
    set_by_ic: bool  # False: the rubric's
    last_update: Optional[datetime]
    last_writer: Optional[str]
    update_count: int
    next_due: Optional[datetime]  # None when nothing is due (as needed, resolved)
    overdue: bool
    late: timedelta  # how late when overdue, else 0
    now: datetime  # the time it was computed for


@dataclass(frozen=True)
class RequiredComm:
    """Where a communication the severity may require stands now
    (inc_required_comm_info, COMM-4)."""

    kind: Comm
    required: bool
    within: object  # timedelta (0: at once), NEXT_CADENCE, or None (not required)
    since: Optional[datetime]  # the deadline's clock starts here
    deadline: Optional[datetime]
    sent_at: Optional[datetime]
    missing: bool  # required, not sent, past the deadline
    late: timedelta


def comms_mask(comms: Optional[Union[List[Union[Comm, str]], int]]) -> int:
    """An iterable of Comm (or an int mask) as a mask; None -> 0 (the default)."""
    if comms is None:
        return 0
    if isinstance(comms, int) and not isinstance(comms, Comm):
        return comms
    if isinstance(comms, (Comm, str)):
        comms = [comms]
    mask = 0
    for kind in comms:
        if isinstance(kind, str):
            matches = [c for c in Comm if str(c) == kind]
            if not matches:
                raise make_error(-3, "comms: no communication named %r" % (kind,))
            kind = matches[0]
        mask |= Comm(kind).bit
    return mask


def comms_set(mask: int) -> FrozenSet[Comm]:
    return frozenset(c for c in Comm if mask & c.bit)


def update_lint(
    body: str,
    state: Union[State, str],
    components: Optional[str] = None,
    config: Optional["LintConfig"] = None,
) -> Findings:
    """Lint an external update on its text alone (COMM-3; inc_update_lint,
    or inc_update_lint_with when ``config`` is a :class:`LintConfig`), as
    it would be posted in lifecycle ``state`` (a State or name).
    ``components``: affected components, comma-separated (naming one counts
    as naming the scope). Returns :class:`Findings`."""
    out = ctypes.c_void_p()
    rc = _lib.lib.inc_update_lint_with(_lib.encode(body, "body"), int(as_state(state)),
                                       _lib.encode(components, "components"),
                                       config_ptr(config), None, ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "update lint: body missing, not UTF-8 or longer than INC_TEXT_MAX")
    return take_findings(out.value)


def component_map_text(component_map: Union[None, str, Dict[str, str]]) -> Optional[str]:
    """A {name: id} dict as the C text "Name=id,..." (a str passes as is)."""
    if component_map is None or isinstance(component_map, str):
        return component_map
    pairs = []
    for name, cid in component_map.items():
        for part in (name, cid):
            if not part or any(c in part for c in ",=\n"):
                raise make_error(-3, "component_map: %r: a name or id is non-empty and has "
                                     "no ',', '=' or line break" % (part,))
        pairs.append("%s=%s" % (name, cid))
    return ",".join(pairs)


def statuspage_status(state: State) -> str:
    """The Statuspage status for a state, such as "identified" (inc_statuspage_status)."""
    return _lib.text(_lib.lib.inc_statuspage_status(int(as_state(state))))


def statuspage_impact(level: int, level_count: int) -> Optional[str]:
    """The Statuspage impact of level ``level`` of ``level_count`` levels,
    such as "major" (inc_statuspage_impact); None when out of range."""
    if level < 0 or level_count < 0:
        return None
    return _lib.decode(_lib.lib.inc_statuspage_impact(level, level_count))


def _update_from(info: Any) -> StatusUpdate:
    return StatusUpdate(
        seq=info.seq,
        time=to_datetime_set(info.time),
        audience=Audience(info.audience),
        author=_lib.text(info.author),
        body=_lib.text(info.body),
        components=_lib.decode(info.components) or "",
        comms=comms_set(info.comms),
        state=State(info.state),
        severity=_lib.text(info.severity),
        findings=split_ids(info.findings),
    )


def _ms_or_none(ms: int) -> Optional[timedelta]:
    return None if ms == _lib.DURATION_NONE else timedelta(milliseconds=ms)


def _within(ms: int) -> Optional[Union[str, timedelta]]:
    if ms == _lib.DURATION_NONE:
        return None
    if ms == _lib.DURATION_NEXT_CADENCE:
        return NEXT_CADENCE
    return timedelta(milliseconds=ms)


class CommsMixin(IncidentPart):
    """The communication methods of :class:`Incident`."""

    def status_update(
        self,
        author: str,
        audience: Union[Audience, str],
        body: str,
        *,
        components: Optional[str] = None,
        comms: Optional[List[Union[Comm, str]]] = None,
    ) -> Recorded:
        """Record a status update to ``audience`` (an Audience or name;
        inc_incident_add_update). The writer is checked against the audience
        (COMM-1: RoleError under the strict policy, a finding otherwise);
        external updates are linted (COMM-3). ``comms``: the required
        communications (Comm, names, or an int mask) it delivers; None for
        the audience's default. Returns :class:`Recorded`."""
        update = _lib.init_struct(_lib.Update, "inc_update_init", _lib.UPDATE_VERSION)
        update.audience = int(as_audience(audience))
        update.body = _lib.encode(body, "body")
        update.components = _lib.encode(components, "components")
        update.comms = comms_mask(comms)
        out = ctypes.c_void_p()
        seq = ctypes.c_uint64()
        self._call(self._clib.inc_incident_add_update, _lib.encode(author, "author"),
                   ctypes.byref(update), ctypes.byref(out), ctypes.byref(seq))
        return Recorded(seq.value, take_findings(out.value))

    def updates(self) -> List[StatusUpdate]:
        """Every recorded status update, all audiences, in order
        (inc_incident_update_count, inc_incident_get_update)."""
        return read_list(self, self._clib.inc_incident_update_count,
                         self._clib.inc_incident_get_update, _lib.UpdateInfo, _update_from,
                         "update")

    def update_statuspage_json(
        self, index: int, component_map: Union[None, str, Dict[str, str]] = None
    ) -> str:
        """Recorded external update ``index`` as the body of an Atlassian
        Statuspage incident create or update request, ``{"incident": {...}}``
        (inc_incident_update_statuspage_json). ``component_map`` maps the
        update's component names to Statuspage component ids: a dict
        ``{name: id}``, the C text ``"Name=id, ..."``, or None when the
        update named the ids. InvalidError for an update to another
        audience; NotFoundError for a component the map does not name."""
        cmap = _lib.encode(component_map_text(component_map), "component_map")
        return take_json(self, lambda h, i, out, n: self._clib.inc_incident_update_statuspage_json(
            h, i, cmap, out, n), index, "update")

    def link_external(self, actor: str, system: str, external_id: str) -> int:
        """Record the id ``system`` (such as "statuspage") gave this incident
        as an event (inc_incident_link_external); returns its sequence
        number."""
        seq = ctypes.c_uint64()
        self._call(self._clib.inc_incident_link_external, _lib.encode(actor, "actor"),
                   _lib.encode(system, "system"), _lib.encode(external_id, "external_id"),
                   ctypes.byref(seq))
        return int(seq.value)

    def external_id(self, system: str) -> Optional[str]:
        """The id ``system`` gave this incident as last recorded, or None
        (inc_incident_external_id)."""
        with self._lock:
            return _lib.decode(self._clib.inc_incident_external_id(self._handle(),
                                                                   _lib.encode(system, "system")))

    def slack_json(self, seq: int = 0) -> str:
        """The Slack Block Kit message for event ``seq`` (a CAN report, a
        status update, a hand-off) or, for 0 or the declaration, the
        incident's header (inc_incident_slack_json); InvalidError for an
        event of another kind."""
        return take_json(self, self._clib.inc_incident_slack_json, seq, "event")

    def set_cadence(
        self,
        actor: str,
        audience: Union[Audience, str],
        every: Optional[Union[str, timedelta]],
        reason: Optional[str] = None,
    ) -> None:
        """Change an audience's cadence; only the IC may (AUTH-1;
        inc_incident_set_cadence). ``every``: a timedelta (at least a minute), None
        for "as needed", or CADENCE_RUBRIC to go back to the rubric's."""
        if every is None:
            ms = _lib.DURATION_NONE
        elif isinstance(every, str):
            if every != CADENCE_RUBRIC:
                raise make_error(-3, "every: a timedelta, None or CADENCE_RUBRIC, not %r" % every)
            ms = _lib.CADENCE_RUBRIC
        else:
            ms = duration_to_ms(every, "every")
            if ms == _lib.CADENCE_RUBRIC:
                raise make_error(-3, "every: zero; use CADENCE_RUBRIC or None")
        self._call(self._clib.inc_incident_set_cadence, _lib.encode(actor, "actor"),
                   int(as_audience(audience)), ms, _lib.encode(reason, "reason"))

    def cadence(self, audience: Union[Audience, str]) -> Cadence:
        """Where ``audience``'s cadence stands now, by the context's clock
        (inc_incident_get_cadence): a :class:`Cadence`."""
        info = _lib.CadenceInfo()
        with self._lock:
            rc = self._clib.inc_incident_get_cadence(self._handle(), int(as_audience(audience)),
                                                 ctypes.byref(info))
            if rc != 0:
                raise make_error(rc, "audience: not an audience")
            self._context._after(0)
        return Cadence(
            audience=Audience(info.audience),
            writer=Role(info.writer),
            every=_ms_or_none(info.every_ms),
            set_by_ic=bool(info.set_by_ic),
            last_update=to_datetime(info.last_update),
            last_writer=_lib.decode(info.last_writer),
            update_count=info.update_count,
            next_due=to_datetime(info.next_due),
            overdue=bool(info.overdue),
            late=timedelta(milliseconds=info.late_ms),
            now=to_datetime_set(info.now),
        )

    def required_comm(self, kind: Comm) -> RequiredComm:
        """Where a communication the severity may require stands now
        (inc_incident_get_required_comm): a :class:`RequiredComm`."""
        info = _lib.RequiredCommInfo()
        with self._lock:
            rc = self._clib.inc_incident_get_required_comm(self._handle(), int(Comm(kind)),
                                                       ctypes.byref(info))
            if rc != 0:
                raise make_error(rc, "kind: not a communication")
            self._context._after(0)
        return RequiredComm(
            kind=Comm(info.kind),
            required=bool(info.required),
            within=_within(info.within_ms),
            since=to_datetime(info.since),
            deadline=to_datetime(info.deadline),
            sent_at=to_datetime(info.sent_at),
            missing=bool(info.missing),
            late=timedelta(milliseconds=info.late_ms),
        )

    def comms_check(self) -> Findings:
        """What communication is overdue (COMM-2.overdue) or missing
        (COMM-4.missing) now (inc_incident_check_comms): :class:`Findings`."""
        out = ctypes.c_void_p()
        self._call(self._clib.inc_incident_check_comms, ctypes.byref(out))
        return take_findings(out.value)

    def render_template(
        self,
        template: Template,
        scope: str,
        *,
        symptom: Optional[str] = None,
        next_update: Optional[datetime] = None,
    ) -> str:
        """Render an external update from a :class:`Template`
        (inc_incident_render_template). ``scope`` (required) is who is affected;
        ``symptom`` None uses the title; ``next_update`` (a datetime) None
        means now plus the external cadence. The text passes
        :func:`update_lint`; words it would flag raise InvalidError."""
        variables = _lib.init_struct(_lib.TemplateVars, "inc_template_vars_init",
                                     _lib.TEMPLATE_VARS_VERSION)
        variables.symptom = _lib.encode(symptom, "symptom")
        variables.scope = _lib.encode(scope, "scope")
        variables.next_update = to_ms(next_update, "next_update")
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        self._call(self._clib.inc_incident_render_template, int(Template(template)),
                   ctypes.byref(variables), ctypes.byref(out), ctypes.byref(length))
        return _lib.take_string(out.value, length.value)
