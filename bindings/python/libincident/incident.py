"""Incidents: lifecycle, severity, notes, corrections and the timeline of
record (incident/incident.h)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import _lib
from ._handle import Handle
from ._time import to_datetime, to_datetime_set, to_ms
from .enums import Criteria, EventKind, State, as_role, as_state
from .errors import IncidentError, make_error
from .audit import AuditMixin
from .can import CanMixin
from .comms import CommsMixin
from .due import DueMixin
from .links import LinksMixin
from .postmortem import PostmortemMixin
from .rubric import Rubric
from .seal import IncidentSealMixin
from .staffing import assignment_from, roles_mask_to_set, take_findings

from typing import TYPE_CHECKING, Any, List, Optional, Set, Union

if TYPE_CHECKING:
    from .context import Context
    from .enums import Role
    from .staffing import Assignment
    from .staffing import Findings


@dataclass(frozen=True)
class Event:
    """One event of the timeline (inc_event_info plus its description)."""

    seq: int
    time: datetime
    offset: timedelta  # time since declaration (T+offset)
    kind: str  # stable kind name, such as "severity_changed"
    actor: str
    text: str  # the main text (note, justification, ...); "" if none
    ref_seq: int  # for corrections the event corrected, else 0
    description: str  # one line a person reads
    kind_code: int = 0  # the numeric kind (EventKind)

    @property
    def event_kind(self) -> Union[EventKind, int]:
        """The kind as an :class:`EventKind` (the plain int for a kind newer
        than this package)."""
        try:
            return EventKind(self.kind_code)
        except ValueError:
            return self.kind_code


class Incident(Handle, CanMixin, CommsMixin, DueMixin, PostmortemMixin, AuditMixin,
               IncidentSealMixin, LinksMixin):
    """An open incident. Get one from :meth:`Context.declare`,
    :meth:`Context.open` or :meth:`Context.import_json`. CAN reports and
    decisions, status updates and cadences, what is due, the postmortem and
    its action items, and the audit come from the mixins of can.py,
    comms.py, due.py, postmortem.py and audit.py.

    Every mutating call appends one event at the sequence number this handle
    last saw; if another writer appended first it raises ConflictError and
    changes nothing: :meth:`reload` and retry.
    """

    _kind = "incident"

    def __init__(self, context: Context, ptr: Optional[int]) -> None:
        super().__init__(ptr)
        self._context = context  # the context must outlive the incident
        self._lock = context._lock
        context._incidents.add(self)

    def _free(self, ptr: int) -> None:
        self._clib.inc_incident_free(ptr)
        self._context._incidents.discard(self)

    @property
    def context(self) -> Context:
        """The context the incident was declared or opened through."""
        return self._context

    def _call(self, fn: Any, *args: Any) -> int:
        """Call fn(handle, *args) under the context's lock and raise on failure."""
        with self._lock:
            ptr = self._handle()
            rc = fn(ptr, *args)
            if rc < 0:
                exc = make_error(rc, _lib.decode(self._clib.inc_incident_errmsg(ptr)) or None)
                store = self._context._store
                cause = store._take_pending() if store is not None else None
                if cause is not None:
                    exc.__cause__ = cause
                raise exc
            self._context._after(0)
            return int(rc)

    def _str(self, fn: Any) -> Optional[str]:
        return _lib.decode(fn(self._handle()))

    # ---- properties

    id = property(lambda self: self._str(self._clib.inc_incident_id), doc="The incident id.")
    title = property(lambda self: self._str(self._clib.inc_incident_title))
    channel = property(lambda self: self._str(self._clib.inc_incident_channel),
                       doc="The channel name inc-YYYY-MM-DD-slug (DEC-3).")
    declarer = property(lambda self: self._str(self._clib.inc_incident_declarer))
    ic = property(lambda self: self._str(self._clib.inc_incident_ic),
                  doc="The current Incident Commander.")
    severity = property(lambda self: self._str(self._clib.inc_incident_severity),
                        doc="The current severity's level name.")

    @property
    def severity_index(self) -> int:
        return int(self._clib.inc_incident_severity_index(self._handle()))

    @property
    def state(self) -> State:
        return State(self._clib.inc_incident_state(self._handle()))

    @property
    def criteria(self) -> Criteria:
        return Criteria(self._clib.inc_incident_criteria(self._handle()))

    @property
    def drill(self) -> bool:
        return bool(self._clib.inc_incident_is_drill(self._handle()))

    def _time(self, fn: Any) -> Optional[datetime]:
        return to_datetime(fn(self._handle()))

    declared_at = property(lambda self: self._time(self._clib.inc_incident_declared_at),
                           doc="When it was declared (T+0).")
    impact_started = property(lambda self: self._time(self._clib.inc_incident_impact_started),
                              doc="When impact started, or None.")
    detected = property(lambda self: self._time(self._clib.inc_incident_detected),
                        doc="When it was detected, or None.")
    mitigated_at = property(lambda self: self._time(self._clib.inc_incident_mitigated_at),
                            doc="When it entered monitoring, or None.")
    resolved_at = property(lambda self: self._time(self._clib.inc_incident_resolved_at),
                           doc="When it was (last) resolved, or None; None again once "
                               "reopened (LIFE-4).")
    reopened_at = property(lambda self: self._time(self._clib.inc_incident_reopened_at),
                           doc="When it was last reopened (LIFE-4), or None.")

    @property
    def reopen_count(self) -> int:
        """How many times it was reopened after a resolution (LIFE-4)."""
        return int(self._clib.inc_incident_reopen_count(self._handle()))

    @property
    def rubric(self) -> Rubric:
        """A copy of the rubric recorded at declaration (RUB-4)."""
        return Rubric._borrowed_copy(self._clib.inc_incident_rubric(self._handle()))

    @property
    def last_seq(self) -> int:
        """The sequence number of the last event."""
        return int(self._clib.inc_incident_last_seq(self._handle()))

    def __len__(self) -> int:
        return int(self._clib.inc_incident_event_count(self._handle()))

    # ---- changes

    def reload(self) -> None:
        """Catch up with events other writers appended (inc_incident_reload)."""
        self._call(self._clib.inc_incident_reload)

    def set_severity(self, actor: str, severity: str, justification: str) -> None:
        """Change the severity: only the IC may, with a justification (AUTH-1, AUTH-2)."""
        self._call(self._clib.inc_incident_set_severity, _lib.encode(actor, "actor"),
                   _lib.encode(severity, "severity"), _lib.encode(justification, "justification"))

    def set_state(self, actor: str, state: Union[State, str], text: Optional[str] = None) -> None:
        """Move the lifecycle one step (LIFE-1); ``state`` is a State or its
        name; resolving needs ``text``, the verification (LIFE-2)."""
        self._call(self._clib.inc_incident_set_state, _lib.encode(actor, "actor"),
                   int(as_state(state)), _lib.encode(text, "text"))

    def set_field(self, actor: str, name: str, value: str) -> None:
        """Set a custom field the incident's rubric declares (RUB-6): only
        the IC may; the value must fit the field's type (InvalidError says
        why); NotFoundError for a field the rubric does not declare."""
        self._call(self._clib.inc_incident_set_field, _lib.encode(actor, "actor"),
                   _lib.encode(name, "name"), _lib.encode(value, "value"))

    def field(self, name: str) -> Optional[str]:
        """A custom field's value as last set, or None (inc_incident_field)."""
        with self._lock:
            return _lib.decode(self._clib.inc_incident_field(self._handle(),
                                                             _lib.encode(name, "name")))

    def reopen(self, actor: str, state: Union[State, int, str], justification: str) -> None:
        """Reopen a resolved incident back to investigating or mitigating:
        only the IC may, with a justification (LIFE-4); a closed incident is
        never reopened (StateError: declare a recurrence)."""
        self._call(self._clib.inc_incident_reopen, _lib.encode(actor, "actor"),
                   int(as_state(state)), _lib.encode(justification, "justification"))

    def note(self, actor: str, text: str) -> None:
        """Add a note to the timeline; anyone may."""
        self._call(self._clib.inc_incident_note, _lib.encode(actor, "actor"),
                   _lib.encode(text, "text"))

    def correct(self, actor: str, seq: int, text: str) -> None:
        """Correct event ``seq`` with a new event pointing at it (LIFE-3)."""
        self._call(self._clib.inc_incident_correct, _lib.encode(actor, "actor"), seq,
                   _lib.encode(text, "text"))

    # ---- roles (incident/staffing.h)

    def assign_role(
        self,
        actor: str,
        person: str,
        role: Union[Role, str],
        domain: Optional[str] = None,
    ) -> None:
        """Give ``role`` (a Role or short name; not IC) to ``person``; only
        the IC may. An SME needs a ``domain``. Under the strict policy a
        combination the level forbids raises RoleError."""
        self._call(self._clib.inc_incident_assign_role, _lib.encode(actor, "actor"),
                   _lib.encode(person, "person"), int(as_role(role)), _lib.encode(domain, "domain"))

    def release_role(
        self,
        actor: str,
        person: str,
        role: Union[Role, str],
        domain: Optional[str] = None,
    ) -> None:
        """Release a role ``person`` holds: the IC may release anyone's, anyone their own."""
        self._call(self._clib.inc_incident_release_role, _lib.encode(actor, "actor"),
                   _lib.encode(person, "person"), int(as_role(role)), _lib.encode(domain, "domain"))

    def handoff(
        self,
        actor: str,
        to: str,
        *,
        needs: str,
        conditions: Optional[str] = None,
        actions: Optional[str] = None,
    ) -> None:
        """Start handing command to ``to`` with a CAN briefing (ROLE-2,
        CAN-1); ``needs`` is required ("none" when nothing is needed). The
        outgoing IC stays IC until :meth:`confirm_handoff`."""
        self._call(self._clib.inc_incident_handoff, _lib.encode(actor, "actor"),
                   _lib.encode(to, "to"), _lib.encode(conditions, "conditions"),
                   _lib.encode(actions, "actions"), _lib.encode(needs, "needs"))

    def confirm_handoff(self, actor: str) -> None:
        """The incoming IC confirms the pending hand-off and becomes IC."""
        self._call(self._clib.inc_incident_confirm_handoff, _lib.encode(actor, "actor"))

    def cancel_handoff(self, actor: str, reason: Optional[str] = None) -> None:
        """The IC cancels, or the incoming person declines, the pending hand-off."""
        self._call(self._clib.inc_incident_cancel_handoff, _lib.encode(actor, "actor"),
                   _lib.encode(reason, "reason"))

    @property
    def handoff_to(self) -> Optional[str]:
        """The incoming IC of the pending hand-off, or None."""
        return self._str(self._clib.inc_incident_handoff_to)

    @property
    def handoff_since(self) -> Optional[datetime]:
        """When the pending hand-off started, or None."""
        return to_datetime(self._clib.inc_incident_handoff_since(self._handle()))

    @property
    def handoff_seq(self) -> int:
        """The sequence number of the pending hand-off's event, or 0."""
        return int(self._clib.inc_incident_handoff_seq(self._handle()))

    def ic_at(self, when: datetime) -> Optional[str]:
        """Who was IC at ``when`` (an aware datetime), or None before declaration."""
        return _lib.decode(self._clib.inc_incident_ic_at(self._handle(), to_ms(when, "when")))

    def role_holders(self, role: Union[Role, str]) -> List[Assignment]:
        """The current holders of ``role`` as :class:`Assignment`, in the order assigned."""
        code = int(as_role(role))
        with self._lock:
            ptr = self._handle()
            count = self._clib.inc_incident_role_holder_count(ptr, code)
            return [assignment_from(self._clib.inc_incident_role_holder(ptr, code, i))
                    for i in range(count)]

    def person_roles(self, person: str, at: Optional[datetime] = None) -> Set[Role]:
        """The set of Roles ``person`` holds now, or held at ``at``."""
        name = _lib.encode(person, "person")
        with self._lock:
            if at is None:
                mask = self._clib.inc_incident_person_roles(self._handle(), name)
            else:
                mask = self._clib.inc_incident_person_roles_at(self._handle(), name,
                                                               to_ms(at, "at"))
        return roles_mask_to_set(mask)

    def assignments(self) -> List[Assignment]:
        """Every assignment ever made, current and past, IC terms included."""
        with self._lock:
            ptr = self._handle()
            count = self._clib.inc_incident_assignment_count(ptr)
            return [assignment_from(self._clib.inc_incident_assignment(ptr, i))
                    for i in range(count)]

    @property
    def scribe_assigned_at(self) -> Optional[datetime]:
        """When a Scribe was first assigned, or None (ROLE-12)."""
        return to_datetime(self._clib.inc_incident_scribe_assigned_at(self._handle()))

    @property
    def scribe_due(self) -> Optional[datetime]:
        """When a Scribe is due, or None when the level expects none (ROLE-12)."""
        return to_datetime(self._clib.inc_incident_scribe_due(self._handle()))

    def roles_check(self) -> Findings:
        """Check the roles against the rubric at the current level, now
        (ROLE-11; inc_incident_check_roles): a :class:`Findings` list."""
        out = ctypes.c_void_p()
        self._call(self._clib.inc_incident_check_roles, ctypes.byref(out))
        return take_findings(out.value)

    # ---- reading

    def event(self, index: int) -> Event:
        """Event number ``index + 1`` (0-based like a list; negative counts from the end)."""
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("event index out of range")
        info = _lib.EventInfo()
        with self._lock:
            self._call(self._clib.inc_incident_get_event, index, ctypes.byref(info))
            return Event(
                seq=info.seq,
                time=to_datetime_set(info.time),
                offset=timedelta(milliseconds=info.offset_ms),
                kind=_lib.text(info.kind_name),
                actor=_lib.text(info.actor),
                text=_lib.decode(info.text) or "",
                ref_seq=info.ref_seq,
                description=self.describe(index),
                kind_code=info.kind,
            )

    def events(self) -> List[Event]:
        """The whole timeline as a list of :class:`Event`."""
        with self._lock:
            return [self.event(i) for i in range(len(self))]

    def __iter__(self) -> Any:
        return iter(self.events())

    def describe(self, index: int) -> str:
        """One event as a line a person reads (inc_incident_describe_event)."""
        out = ctypes.c_void_p()
        self._call(self._clib.inc_incident_describe_event, index, ctypes.byref(out))
        return _lib.take_string(out.value)

    def timeline(self) -> str:
        """The timeline rendered as text, one event per line (inc_incident_render_timeline)."""
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        self._call(self._clib.inc_incident_render_timeline, ctypes.byref(out), ctypes.byref(length))
        return _lib.take_string(out.value, length.value)

    def verify(self) -> None:
        """Walk the stored hash chain (TL-2, inc_incident_verify). Returns
        None; raises CorruptError with ``bad_seq`` at the first bad event."""
        bad = ctypes.c_uint64()
        try:
            self._call(self._clib.inc_incident_verify, ctypes.byref(bad))
        except IncidentError as exc:
            exc.bad_seq = bad.value or None
            raise

    def export_json(self) -> str:
        """The whole incident with every event and hash as one JSON document (str)."""
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        self._call(self._clib.inc_incident_export_json, ctypes.byref(out), ctypes.byref(length))
        return _lib.take_string(out.value, length.value)

    def __repr__(self) -> str:
        if self.closed:
            return "<Incident (closed)>"
        return "<Incident %s %s %s>" % (self.id, self.severity, self.state)
