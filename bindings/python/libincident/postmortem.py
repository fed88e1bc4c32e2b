"""After the incident: the postmortem, its blameless lint and its action
items, per incident and across a store (incident/postmortem.h, PM-1..PM-4)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, FrozenSet, List, Optional, TypeVar, Union

from . import _lib
from ._handle import ContextPart, Handle, IncidentPart
from ._time import to_datetime, to_datetime_set, to_ms
from .can import Recorded
from .enums import ActionStatus, PmFormat, PmSection, PmStatus, as_action_status, as_pm_section
from .errors import make_error
from .staffing import take_findings
from .lint_config import LintConfig, config_ptr


if TYPE_CHECKING:
    from .staffing import Findings


@dataclass(frozen=True)
class Postmortem:
    """Where an incident's postmortem stands (inc_postmortem_info, PM-1, PM-2)."""

    status: PmStatus
    required: bool  # the level requires one
    started: bool
    window: Optional[timedelta]  # the level's window after resolution
    due: Optional[datetime]
    overdue: bool
    late: timedelta
    missing: FrozenSet[PmSection]  # the sections still missing
    root_cause_tag: Optional[str]
    status_at: Optional[datetime]
    final_at: Optional[datetime]


@dataclass(frozen=True)
class ActionItem:
    """An action item (inc_action_item, PM-3)."""

    id: int
    title: str
    detail: str
    owner: str
    owner_override: Optional[str]  # why a team-like owner was accepted
    priority: int  # 1..4 (P1..P4)
    status: ActionStatus
    due: datetime  # the due date in force
    original_due: datetime
    due_moves: int
    due_reason: Optional[str]
    created_at: datetime
    created_by: str
    closed_at: Optional[datetime]
    closed_by: Optional[str]
    reason: Optional[str]  # of the last status change
    decision: int  # a cancellation's approved decision, or 0
    ic_decision: bool  # the IC cancelled it (the recorded IC decision)
    seq: int  # the action_added event
    overdue: bool  # open and past due at the time it was read (inc_action_is_overdue)


@dataclass(frozen=True)
class ActionEntry:
    """One item of a store-wide list (inc_action_entry)."""

    incident_id: str
    incident_title: str
    severity: str
    drill: bool
    overdue: bool
    late: timedelta
    item: ActionItem


def _item_from(a: Any, overdue: bool) -> ActionItem:
    return ActionItem(
        id=a.id,
        title=_lib.text(a.title),
        detail=_lib.decode(a.detail) or "",
        owner=_lib.text(a.owner),
        owner_override=_lib.decode(a.owner_override),
        priority=a.priority,
        status=ActionStatus(a.status),
        due=to_datetime_set(a.due),
        original_due=to_datetime_set(a.original_due),
        due_moves=a.due_moves,
        due_reason=_lib.decode(a.due_reason),
        created_at=to_datetime_set(a.created_at),
        created_by=_lib.text(a.created_by),
        closed_at=to_datetime(a.closed_at),
        closed_by=_lib.decode(a.closed_by),
        reason=_lib.decode(a.reason),
        decision=a.decision,
        ic_decision=bool(a.ic_decision),
        seq=a.seq,
        overdue=overdue,
    )


def postmortem_lint(text: str, config: Optional["LintConfig"] = None) -> Findings:
    """Lint a text for blame wording on its own (PM-4; inc_postmortem_lint,
    or inc_postmortem_lint_with when ``config`` is a :class:`LintConfig`):
    :class:`Findings` with slot 0 and the offending words' byte offsets."""
    out = ctypes.c_void_p()
    rc = _lib.lib.inc_postmortem_lint_with(_lib.encode(text, "text"), config_ptr(config), None,
                                           ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "postmortem lint: text missing, not UTF-8 or longer than "
                             "INC_TEXT_MAX")
    return take_findings(out.value)


def action_owner_is_team(owner: Optional[str]) -> bool:
    """True when ``owner`` looks like a team or several people rather than
    one person (PM-3; inc_action_owner_is_team)."""
    return bool(_lib.lib.inc_action_owner_is_team(_lib.encode(owner, "owner")))


class _CActionList(Handle):
    _kind = "action list"

    def _free(self, ptr: int) -> None:
        self._clib.inc_action_list_free(ptr)


_L = TypeVar("_L", bound="ActionList")


class ActionList(List[ActionEntry]):
    """A store-wide list of :class:`ActionEntry`, by due date: a list, which
    also keeps the library's list for :meth:`export_json`. ``text`` is the
    weekly-review rendering. Freed by :meth:`close`, ``with``, or garbage
    collection."""

    text = ""

    def __init__(self, ptr: Optional[int]) -> None:
        lib = _lib.lib
        try:
            entries = []
            for i in range(lib.inc_action_list_count(ptr)):
                e = lib.inc_action_list_at(ptr, i).contents
                entries.append(ActionEntry(
                    _lib.text(e.incident_id), _lib.text(e.incident_title),
                    _lib.text(e.severity), bool(e.drill), bool(e.overdue),
                    timedelta(milliseconds=e.late_ms), _item_from(e.item, bool(e.overdue))))
            super().__init__(entries)
            out = ctypes.c_void_p()
            length = ctypes.c_size_t()
            rc = lib.inc_action_list_render(ptr, ctypes.byref(out), ctypes.byref(length))
            if rc != 0:
                raise make_error(rc)
            self.text = _lib.take_string(out.value, length.value)
        except BaseException:
            lib.inc_action_list_free(ptr)
            raise
        self._c = _CActionList(ptr)

    def close(self) -> None:
        """Free the library's list; the entries stay readable."""
        self._c.close()

    @property
    def closed(self) -> bool:
        return self._c.closed

    def __enter__(self: _L) -> _L:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def export_json(self, link_prefix: Optional[str] = None) -> str:
        """The list as JSON an issue tracker can take in
        (inc_action_list_export_json); each item links to ``link_prefix``
        followed by its incident id."""
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        rc = _lib.lib.inc_action_list_export_json(self._c._handle(),
                                                  _lib.encode(link_prefix, "link_prefix"),
                                                  ctypes.byref(out), ctypes.byref(length))
        if rc != 0:
            raise make_error(rc, "link_prefix: not UTF-8 or longer than 1024 bytes")
        return _lib.take_string(out.value, length.value)


class PostmortemMixin(IncidentPart):
    """The postmortem and action-item methods of :class:`Incident`."""

    def set_section(self, actor: str, section: Union[PmSection, str], text: str) -> Recorded:
        """Supply (or replace) a narrative section (PM-1) and lint it (PM-4;
        inc_incident_set_postmortem_section). Returns :class:`Recorded`; the findings'
        slot is the section."""
        out = ctypes.c_void_p()
        seq = ctypes.c_uint64()
        self._call(self._clib.inc_incident_set_postmortem_section, _lib.encode(actor, "actor"),
                   int(as_pm_section(section)), _lib.encode(text, "text"), ctypes.byref(out),
                   ctypes.byref(seq))
        return Recorded(seq.value, take_findings(out.value))

    def section(self, section: Union[PmSection, str]) -> Optional[str]:
        """The current text of a section, or None while it is missing
        (inc_incident_postmortem_section)."""
        return _lib.decode(self._clib.inc_incident_postmortem_section(self._handle(),
                                                             int(as_pm_section(section))))

    def set_root_cause_tag(self, actor: str, tag: str) -> None:
        """Set the root-cause tag, such as "config-change" (MET-1 recurrence;
        inc_incident_set_root_cause_tag)."""
        self._call(self._clib.inc_incident_set_root_cause_tag, _lib.encode(actor, "actor"),
                   _lib.encode(tag, "tag"))

    def set_postmortem_status(
        self,
        actor: str,
        status: PmStatus,
        note: Optional[str] = None,
    ) -> None:
        """Move the postmortem Draft -> In Review -> Final (inc_incident_set_postmortem_status).
        Final needs every section and the tag, is the IC's, and closes the incident."""
        self._call(self._clib.inc_incident_set_postmortem_status, _lib.encode(actor, "actor"),
                   int(PmStatus(status)), _lib.encode(note, "note"))

    def postmortem(self) -> Postmortem:
        """Where the postmortem stands now (inc_incident_get_postmortem): a :class:`Postmortem`."""
        info = _lib.PostmortemInfo()
        with self._lock:
            rc = self._clib.inc_incident_get_postmortem(self._handle(), ctypes.byref(info))
            if rc != 0:
                raise make_error(rc)
            self._context._after(0)
            return Postmortem(
                status=PmStatus(info.status),
                required=bool(info.required),
                started=bool(info.started),
                window=(None if info.window_ms == _lib.DURATION_NONE
                        else timedelta(milliseconds=info.window_ms)),
                due=to_datetime(info.due),
                overdue=bool(info.overdue),
                late=timedelta(milliseconds=info.late_ms),
                missing=frozenset(s for s in PmSection if info.missing & (1 << int(s))),
                root_cause_tag=_lib.decode(info.root_cause_tag),
                status_at=to_datetime(info.status_at),
                final_at=to_datetime(info.final_at),
            )

    def postmortem_lint(self) -> Findings:
        """Lint every supplied section (PM-4; inc_incident_lint_postmortem)."""
        out = ctypes.c_void_p()
        with self._lock:
            rc = self._clib.inc_incident_lint_postmortem(self._handle(), ctypes.byref(out))
        if rc != 0:
            raise make_error(rc)
        return take_findings(out.value)

    def render_postmortem(self, format: PmFormat = PmFormat.MARKDOWN) -> str:  # noqa: A002 - the C name
        """The postmortem rendered from the timeline (PM-1; inc_incident_render_postmortem)."""
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        with self._lock:
            rc = self._clib.inc_incident_render_postmortem(self._handle(), int(PmFormat(format)),
                                                  ctypes.byref(out), ctypes.byref(length))
        if rc != 0:
            raise make_error(rc)
        return _lib.take_string(out.value, length.value)

    # ---- action items

    def add_action(
        self,
        actor: str,
        title: str,
        owner: str,
        due: datetime,
        priority: int,
        *,
        owner_override: Optional[str] = None,
        detail: Optional[str] = None,
    ) -> int:
        """Add an action item (PM-3; inc_incident_add_action): one person as owner
        (a team-like name needs ``owner_override``), an absolute ``due``
        after now, ``priority`` 1..4. Returns its id."""
        opts = _lib.init_struct(_lib.ActionOptions, "inc_action_options_init",
                                _lib.ACTION_OPTIONS_VERSION)
        opts.title = _lib.encode(title, "title")
        opts.owner = _lib.encode(owner, "owner")
        opts.due = to_ms(due, "due")
        opts.priority = priority
        opts.owner_override = _lib.encode(owner_override, "owner_override")
        opts.detail = _lib.encode(detail, "detail")
        out = ctypes.c_uint64()
        self._call(self._clib.inc_incident_add_action, _lib.encode(actor, "actor"),
                   ctypes.byref(opts), ctypes.byref(out))
        return out.value

    def set_action_status(
        self,
        actor: str,
        action_id: int,
        status: Union[ActionStatus, str],
        reason: Optional[str] = None,
        decision: int = 0,
    ) -> None:
        """Change an item's status (inc_incident_set_action_status); cancelling an item
        of the tightest-window level needs the IC or an approved ``decision``."""
        self._call(self._clib.inc_incident_set_action_status, _lib.encode(actor, "actor"),
                   action_id, int(as_action_status(status)), _lib.encode(reason, "reason"),
                   decision)

    def move_action_due(self, actor: str, action_id: int, due: datetime, reason: str) -> None:
        """Move an open item's due date, recording why (inc_incident_move_action_due)."""
        self._call(self._clib.inc_incident_move_action_due, _lib.encode(actor, "actor"), action_id,
                   to_ms(due, "due"), _lib.encode(reason, "reason"))

    def reassign_action(
        self,
        actor: str,
        action_id: int,
        owner: str,
        owner_override: Optional[Any] = None,
    ) -> None:
        """Give an item to another owner (inc_incident_reassign_action)."""
        self._call(self._clib.inc_incident_reassign_action, _lib.encode(actor, "actor"), action_id,
                   _lib.encode(owner, "owner"), _lib.encode(owner_override, "owner_override"))

    def set_action_priority(self, actor: str, action_id: int, priority: int) -> None:
        """Change an item's priority, 1..4 (inc_incident_set_action_priority)."""
        self._call(self._clib.inc_incident_set_action_priority, _lib.encode(actor, "actor"),
                   action_id, priority)

    def actions(self, now: Optional[datetime] = None) -> List[ActionItem]:
        """Every action item, by id (inc_incident_action_count, inc_incident_action);
        ``overdue`` is judged at ``now`` (default the context's clock;
        inc_action_is_overdue)."""
        with self._lock:
            ptr = self._handle()
            when = to_ms(now, "now") if now is not None else self._clib.inc_context_now(
                self._context._handle())
            items = []
            for i in range(self._clib.inc_incident_action_count(ptr)):
                p = self._clib.inc_incident_action(ptr, i)
                overdue = bool(self._clib.inc_action_is_overdue(p, when))
                items.append(_item_from(p.contents, overdue))
            self._context._after(0)
            return items


class ActionsContextMixin(ContextPart):
    """The store-wide action-item list of :class:`Context`."""

    def actions(
        self,
        *,
        owner: Optional[str] = None,
        status: Optional[str] = None,
        overdue_only: bool = False,
        now: Optional[datetime] = None,
        exclude_drills: bool = False,
    ) -> ActionList:
        """The action items of every incident in the store that match, by
        due date (inc_action_list_query): an :class:`ActionList`. ``now`` (default
        the context's clock) is when overdue is judged."""
        query = _lib.init_struct(_lib.ActionQuery, "inc_action_query_init",
                                 _lib.ACTION_QUERY_VERSION)
        query.owner = _lib.encode(owner, "owner")
        query.status = -1 if status is None else int(as_action_status(status))
        query.overdue_only = 1 if overdue_only else 0
        query.now = to_ms(now, "now")
        query.exclude_drills = 1 if exclude_drills else 0
        out = ctypes.c_void_p()
        with self._lock:
            self._after(self._clib.inc_action_list_query(self._handle(), ctypes.byref(query),
                                                    ctypes.byref(out)))
        return ActionList(out.value)
