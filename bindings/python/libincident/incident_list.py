"""Finding incidents across a store (incident_list.h, issue 21):
:meth:`Context.find_incidents`."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, List, Optional, Tuple, Union

from . import _lib
from ._handle import ContextPart
from ._time import to_datetime, to_datetime_set, to_ms
from .enums import DrillFilter, IncidentSort, Role, State, as_incident_sort, as_role, as_state


@dataclass(frozen=True)
class IncidentEntry:
    """One incident of an :class:`IncidentList` (inc_incident_entry)."""

    id: str
    title: str
    severity: str
    #: The level's index in the context's rubric (0 the most severe), or -1.
    level: int
    state: State
    drill: bool
    declared_at: datetime
    #: The last resolution, or None (never resolved, or reopened since: LIFE-4).
    resolved_at: Optional[datetime]
    ic: str
    declarer: str
    channel: str
    last_seq: int
    reopen_count: int
    #: LIFE-5: the primary this incident duplicates, or None.
    duplicate_of: Optional[str]


class IncidentList(List[IncidentEntry]):
    """The incidents a query found, in its order: a list of
    :class:`IncidentEntry`. ``total`` is how many matched before ``limit``
    cut the list; ``unreadable`` the ids that could not be read (with
    ``skip_unreadable``)."""

    total = 0
    unreadable: List[str] = []

    def __init__(self, ptr: Optional[int]) -> None:
        lib = _lib.lib
        try:
            entries = []
            for i in range(lib.inc_incident_list_count(ptr)):
                e = lib.inc_incident_list_at(ptr, i).contents
                entries.append(IncidentEntry(
                    _lib.text(e.id), _lib.text(e.title), _lib.text(e.severity), e.level,
                    State(e.state), bool(e.drill), to_datetime_set(e.declared_at),
                    to_datetime(e.resolved_at), _lib.text(e.ic), _lib.text(e.declarer),
                    _lib.text(e.channel), e.last_seq, e.reopen_count,
                    _lib.decode(e.duplicate_of)))
            super().__init__(entries)
            self.total = lib.inc_incident_list_total(ptr)
            self.unreadable = [_lib.text(lib.inc_incident_list_unreadable(ptr, i))
                               for i in range(lib.inc_incident_list_unreadable_count(ptr))]
        finally:
            lib.inc_incident_list_free(ptr)


def _state_mask(states: Optional[Iterable[Union[State, int, str]]]) -> int:
    mask = 0
    for s in states or ():
        mask |= 1 << int(as_state(s))
    return mask


def _drill_filter(drills: Optional[bool]) -> int:
    if drills is None:
        return int(DrillFilter.INCLUDED)
    return int(DrillFilter.ONLY if drills else DrillFilter.EXCLUDED)


class IncidentListContextMixin(ContextPart):
    """Finding incidents, for :class:`Context`."""

    def find_incidents(
        self,
        *,
        states: Optional[Iterable[Union[State, int, str]]] = None,
        level: Optional[str] = None,
        drills: Optional[bool] = None,
        since: Optional[datetime] = None,
        until: Optional[datetime] = None,
        holder: Optional[str] = None,
        role: Optional[Union[Role, int, str]] = None,
        field: Optional[Tuple[str, str]] = None,
        title: Optional[str] = None,
        sort: Union[IncidentSort, int, str] = IncidentSort.ID,
        reverse: bool = False,
        limit: Optional[int] = None,
        skip_unreadable: bool = False,
    ) -> IncidentList:
        """The incidents of the store that match every filter given, sorted
        (inc_incident_list_query; inc_incident_list_query_skipping with
        ``skip_unreadable``). ``drills``: None for all, True for drills only,
        False for none. ``holder`` holds ``role`` (any role when None) at
        the end of the timeline. ``field`` is (name, value) of a custom field
        the context's rubric declares (RUB-6; NotFoundError otherwise).
        ``title`` is a substring, case ignored. ``sort``: an
        :class:`IncidentSort` or its name ("id", "declared", "level",
        "state", "title")."""
        q = _lib.init_struct(_lib.IncidentQuery, "inc_incident_query_init",
                             _lib.INCIDENT_QUERY_VERSION)
        q.states = _state_mask(states)
        q.level = _lib.encode(level, "level")
        q.drills = _drill_filter(drills)
        q.since = to_ms(since, "since")
        q.until = to_ms(until, "until")
        q.holder = _lib.encode(holder, "holder")
        q.role = _lib.ROLE_ANY if role is None else int(as_role(role))
        if field is not None:
            q.field = _lib.encode(field[0], "field")
            q.field_value = _lib.encode(field[1], "field value")
        q.title = _lib.encode(title, "title")
        q.sort = int(as_incident_sort(sort))
        q.descending = 1 if reverse else 0
        if limit is not None and limit <= 0:
            raise ValueError("limit: a positive number, or None for all")
        q.limit = limit or 0
        query = (self._clib.inc_incident_list_query_skipping if skip_unreadable
                 else self._clib.inc_incident_list_query)
        out = ctypes.c_void_p()
        with self._lock:
            self._after(query(self._handle(), ctypes.byref(q), ctypes.byref(out)))
        return IncidentList(out.value)
