"""What is due: escalation, paging, heartbeats and deadline clocks, for one
incident and across many with a :class:`Scheduler`, and PagerDuty Events
API v2 JSON (incident/due.h). The library never pages anyone itself
(ESC-2): it says what is due, and the program reports back what it did."""

from __future__ import annotations

import ctypes
import threading
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Tuple, TypeVar, Union

from . import _lib
from ._handle import Handle, IncidentPart
from ._time import duration_to_ms, to_datetime, to_datetime_set, to_ms
from .can import read_list, split_ids
from .enums import DeadlineClockStatus, DueKind
from .errors import IncidentError, make_error


if TYPE_CHECKING:
    from .context import Context


@dataclass(frozen=True)
class DueItem:
    """One thing due (inc_due_item), whatever its source."""

    incident_id: str
    kind: Union[DueKind, int]  # (the plain int for a kind newer than this package)
    kind_name: str  # stable name, such as "escalation"
    rule_id: str  # such as "ESC-1"
    target: str  # who or what: "on-call,backup", "external", "status_page", ...
    severity: str  # the incident's level when computed
    level_index: int
    level_count: int
    due: datetime
    late: timedelta  # now minus due (negative: not yet due, when looking ahead)
    text: str  # one line a person reads
    step: int  # escalation: the step from 1, else 0
    loop: int  # escalation: the pass, 0 for the first
    seq: int  # the event that recorded the delivery (page_requested for a step), or 0
    dedup_key: str  # a stable key, as PagerDuty's dedup_key
    resolved: Tuple[str, ...]  # ONC-2: the people an escalation's targets resolve to


@dataclass(frozen=True)
class Page:
    """One page: a request and the person it reached (inc_page)."""

    request_seq: int
    requested_at: datetime
    target: str
    severity: Optional[str]  # an escalation step's level, else None
    step: int
    loop: int
    person: Optional[str]  # None while not reported sent
    sent_at: Optional[datetime]
    sent_seq: int
    resolved: Tuple[str, ...]  # ONC-2: who the targets resolved to, as recorded


@dataclass(frozen=True)
class DeadlineClock:
    """A named deadline clock (inc_deadline_clock, REG-1)."""

    name: str
    text: str
    started_by: str
    started_at: datetime
    deadline: datetime
    remind_before: Optional[timedelta]
    status: DeadlineClockStatus
    overdue: bool  # running and past its deadline
    stopped_by: Optional[str]
    stopped_at: Optional[datetime]
    seq: int  # the clock_started event


def _kind(value: int) -> Union[DueKind, int]:
    try:
        return DueKind(value)
    except ValueError:
        return value


def _item_from(p: Any) -> DueItem:
    it = p.contents
    return DueItem(
        incident_id=_lib.text(it.incident_id),
        kind=_kind(it.kind),
        kind_name=_lib.text(it.kind_name),
        rule_id=_lib.text(it.rule_id),
        target=_lib.decode(it.target) or "",
        severity=_lib.text(it.severity),
        level_index=it.level_index,
        level_count=it.level_count,
        due=to_datetime_set(it.due),
        late=timedelta(milliseconds=it.late_ms),
        text=_lib.text(it.text),
        step=it.step,
        loop=it.loop,
        seq=it.seq,
        dedup_key=_lib.text(it.dedup_key),
        resolved=split_ids(it.resolved),
    )


class _CDueList(Handle):
    _kind = "due list"

    def _free(self, ptr: int) -> None:
        self._clib.inc_due_list_free(ptr)


_L = TypeVar("_L", bound="DueList")


class DueList(List[DueItem]):
    """Due items (:class:`DueItem`), earliest first: a list, which also
    keeps the library's list for :meth:`pagerduty`. Freed by :meth:`close`,
    a ``with`` block, or garbage collection."""

    def __init__(self, ptr: Optional[int]) -> None:
        lib = _lib.lib
        try:
            super().__init__(_item_from(lib.inc_due_list_at(ptr, i))
                             for i in range(lib.inc_due_list_count(ptr)))
        except BaseException:
            lib.inc_due_list_free(ptr)
            raise
        self._c = _CDueList(ptr) if ptr else None

    def close(self) -> None:
        """Free the library's list; the items stay readable."""
        if self._c is not None:
            self._c.close()

    @property
    def closed(self) -> bool:
        return self._c is None or self._c.closed

    def __enter__(self: _L) -> _L:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pagerduty(
        self,
        item: Union[DueItem, int],
        routing_key: str,
        source: Optional[str] = None,
        incident_url: Optional[str] = None,
    ) -> str:
        """Item ``item`` (an index or one of the list's items) as a
        PagerDuty Events API v2 ``trigger`` event, ready to POST
        (inc_due_list_pagerduty); ``routing_key`` the 32-character
        integration key; ``source`` None for "libincident";
        ``incident_url`` the incident's page, written as ``client_url`` and
        ``links`` (None for none)."""
        if isinstance(item, DueItem):
            matches = [i for i, x in enumerate(self) if x is item]
            if not matches:
                raise make_error(-4, "due item: not in this list")
            item = matches[0]
        if self._c is None:
            raise make_error(-4, "due item %d: the list is empty" % item)
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        rc = _lib.lib.inc_due_list_pagerduty(self._c._handle(), item,
                                             _lib.encode(routing_key, "routing_key"),
                                             _lib.encode(source, "source"),
                                             _lib.encode(incident_url, "incident_url"),
                                             ctypes.byref(out), ctypes.byref(length))
        if rc != 0:
            raise make_error(rc, "due item %d: %s" % (item, {-4: "no such item"}.get(
                rc, "routing_key (32 letters and digits), source or incident_url is bad")))
        return _lib.take_string(out.value, length.value)


def pagerduty_event(action: str, routing_key: str, dedup_key: str) -> str:
    """A PagerDuty Events API v2 "acknowledge" or "resolve" event for the
    alert triggered with ``dedup_key`` (inc_pagerduty_event)."""
    out = ctypes.c_void_p()
    length = ctypes.c_size_t()
    rc = _lib.lib.inc_pagerduty_event(_lib.encode(action, "action"),
                                      _lib.encode(routing_key, "routing_key"),
                                      _lib.encode(dedup_key, "dedup_key"), ctypes.byref(out),
                                      ctypes.byref(length))
    if rc != 0:
        raise make_error(rc, "PagerDuty event: action must be \"acknowledge\" or \"resolve\", "
                             "routing_key 32 letters and digits, dedup_key 1..255 bytes")
    return _lib.take_string(out.value, length.value)


def _page_from(p: Any) -> Page:
    pg = p.contents
    return Page(
        request_seq=pg.request_seq,
        requested_at=to_datetime_set(pg.requested_at),
        target=_lib.text(pg.target),
        severity=_lib.decode(pg.severity),
        step=pg.step,
        loop=pg.loop,
        person=_lib.decode(pg.person),
        sent_at=to_datetime(pg.sent_at),
        sent_seq=pg.sent_seq,
        resolved=split_ids(pg.resolved),
    )


def _deadline_clock_from(d: Any) -> DeadlineClock:
    return DeadlineClock(
        name=_lib.text(d.name),
        text=_lib.decode(d.text) or "",
        started_by=_lib.text(d.started_by),
        started_at=to_datetime_set(d.started_at),
        deadline=to_datetime_set(d.deadline),
        remind_before=(None if d.remind_before_ms == _lib.DURATION_NONE
                       else timedelta(milliseconds=d.remind_before_ms)),
        status=DeadlineClockStatus(d.status),
        overdue=bool(d.overdue),
        stopped_by=_lib.decode(d.stopped_by),
        stopped_at=to_datetime(d.stopped_at),
        seq=d.seq,
    )


def _take_due(call: Callable[..., Any], out: Any) -> DueList:
    """Run a call that hands over a due list, even when it fails part way:
    the list's items were recorded, so the exception carries them (``due``)."""
    try:
        call()
    except IncidentError as exc:
        exc.due = DueList(out.value)
        raise
    return DueList(out.value)


class DueMixin(IncidentPart):
    """The due-item, paging and deadline methods of :class:`Incident`."""

    @property
    def next_due(self) -> Optional[datetime]:
        """When something not yet delivered is due (possibly past), or None
        (inc_incident_next_due)."""
        return to_datetime(self._clib.inc_incident_next_due(self._handle()))

    def due(self, within: timedelta = timedelta(0)) -> DueList:
        """What is due now (plus ``within`` looking ahead) and not yet
        delivered, recording nothing (inc_incident_due): a :class:`DueList`."""
        out = ctypes.c_void_p()
        self._call(self._clib.inc_incident_due, duration_to_ms(within, "within"),
                   ctypes.byref(out))
        return DueList(out.value)

    def deliver_due(self, actor: str, max: int = 0) -> DueList:  # noqa: A002 - the C name
        """Deliver what is due now: record each item (never delivered again)
        and return them, earliest first (inc_incident_deliver_due); ``max``
        0 for no limit. When it fails part way the exception's ``due`` holds
        the items that were recorded: act on them."""
        out = ctypes.c_void_p()
        return _take_due(lambda: self._call(self._clib.inc_incident_deliver_due,
                                            _lib.encode(actor, "actor"), max, ctypes.byref(out)),
                         out)

    def pagerduty_json(
        self,
        seq: int,
        routing_key: str,
        source: Optional[str] = None,
        incident_url: Optional[str] = None,
    ) -> List[str]:
        """The PagerDuty Events API v2 bodies event ``seq`` calls for
        (inc_incident_pagerduty_json), one JSON document per body, [] for
        none: a page or a paging item triggers, an acknowledgement
        acknowledges the pages and resolves the ESC-3 items, resolution,
        closing or a stopped clock resolves what it satisfies; each alert
        keeps one dedup_key. ``routing_key`` the 32-character integration
        key; ``source`` None for "libincident"; ``incident_url`` written as
        the triggers' ``client_url`` and ``links`` (None for none)."""
        out = ctypes.c_void_p()
        count = ctypes.c_size_t()
        with self._lock:
            rc = self._clib.inc_incident_pagerduty_json(
                self._handle(), seq, _lib.encode(routing_key, "routing_key"),
                _lib.encode(source, "source"), _lib.encode(incident_url, "incident_url"),
                ctypes.byref(out), ctypes.byref(count))
        if rc != 0:
            raise make_error(rc, "event %d: %s" % (seq, {-4: "no such event"}.get(
                rc, "routing_key (32 letters and digits), source, incident_url or seq 0 is bad")))
        text = _lib.take_string(out.value)
        return text.split("\n") if count.value else []

    def page_request(self, actor: str, target: str, text: Optional[str] = None) -> int:
        """Record a page outside the escalation ladder (inc_incident_request_page);
        returns the page_requested event's sequence number."""
        seq = ctypes.c_uint64()
        self._call(self._clib.inc_incident_request_page, _lib.encode(actor, "actor"),
                   _lib.encode(target, "target"), _lib.encode(text, "text"), ctypes.byref(seq))
        return seq.value

    def page_sent(self, actor: str, request_seq: int, person: str) -> None:
        """Record that page ``request_seq`` reached ``person`` (inc_incident_mark_page_sent)."""
        self._call(self._clib.inc_incident_mark_page_sent, _lib.encode(actor, "actor"), request_seq,
                   _lib.encode(person, "person"))

    def acknowledge(self, person: str, page_seq: int = 0) -> None:
        """Record an acknowledgement (ESC-3; inc_incident_acknowledge), of
        page ``page_seq`` or of none (0)."""
        self._call(self._clib.inc_incident_acknowledge, _lib.encode(person, "person"), page_seq)

    acknowledged_at = property(
        lambda self: to_datetime(self._clib.inc_incident_acknowledged_at(self._handle())),
        doc="When the current acknowledgement was made, or None.")
    acknowledged_by = property(
        lambda self: _lib.decode(self._clib.inc_incident_acknowledged_by(self._handle())),
        doc="Who made the current acknowledgement, or None.")
    first_ack_at = property(
        lambda self: to_datetime(self._clib.inc_incident_first_ack_at(self._handle())),
        doc="The first acknowledgement ever (MTTA), or None.")
    first_page_at = property(
        lambda self: to_datetime(self._clib.inc_incident_first_page_at(self._handle())),
        doc="The first page requested (MTTA), or None.")

    def pages(self) -> List[Page]:
        """Every page, in the order of the records (inc_incident_page_count,
        inc_incident_page): a request sent to two people is two pages."""
        with self._lock:
            ptr = self._handle()
            return [_page_from(self._clib.inc_incident_page(ptr, i))
                    for i in range(self._clib.inc_incident_page_count(ptr))]

    def start_deadline_clock(
        self,
        actor: str,
        name: str,
        deadline: datetime,
        *,
        remind_before: Optional[timedelta] = None,
        text: Optional[str] = None,
    ) -> None:
        """Start a named deadline clock, such as a 72 h breach notification
        (REG-1; only the IC; inc_incident_start_deadline_clock). ``deadline`` is an
        aware datetime; ``remind_before`` a timedelta or None."""
        remind = (_lib.DURATION_NONE if remind_before is None
                  else duration_to_ms(remind_before, "remind_before"))
        self._call(self._clib.inc_incident_start_deadline_clock, _lib.encode(actor, "actor"),
                   _lib.encode(name, "name"), to_ms(deadline, "deadline"), remind,
                   _lib.encode(text, "text"))

    def stop_deadline_clock(
        self,
        actor: str,
        name: str,
        *,
        cancelled: bool = False,
        text: Optional[str] = None,
    ) -> None:
        """Stop a running deadline clock as met (late: MISSED) or cancelled
        (REG-1; only the IC; inc_incident_stop_deadline_clock)."""
        self._call(self._clib.inc_incident_stop_deadline_clock, _lib.encode(actor, "actor"),
                   _lib.encode(name, "name"), 1 if cancelled else 0, _lib.encode(text, "text"))

    def deadline_clocks(self) -> List[DeadlineClock]:
        """Every deadline clock ever started, in order (inc_incident_deadline_clock_count,
        inc_incident_get_deadline_clock)."""
        return read_list(self, self._clib.inc_incident_deadline_clock_count,
                         self._clib.inc_incident_get_deadline_clock, _lib.DeadlineClock,
                         _deadline_clock_from, "deadline clock")


class Scheduler(Handle):
    """What is due across every incident of a context (inc_scheduler): a
    heap of next due times, so :attr:`next_due` is O(1) and :meth:`poll`
    costs in proportion to what is due. A context has at most one; closing
    the context closes it. Every write through the context's incidents
    reschedules them, and incidents it declares are tracked."""

    _kind = "scheduler"

    def __init__(self, context: Context, *, actor: Optional[str] = None, max_open: int = 0) -> None:
        opts = _lib.SchedulerOptions()
        rc = _lib.lib.inc_scheduler_options_init(ctypes.byref(opts),
                                                 _lib.SCHEDULER_OPTIONS_VERSION)
        if rc != 0:
            raise make_error(rc)
        opts.actor = _lib.encode(actor, "actor")
        opts.max_open = max_open
        out = ctypes.c_void_p()
        with context._lock:
            rc = _lib.lib.inc_scheduler_new(context._handle(), ctypes.byref(opts),
                                            ctypes.byref(out))
            if rc != 0:
                raise context._error(rc, "scheduler: the context has one already"
                                     if rc == -5 else None)
            super().__init__(out.value)
            self._context = context  # the context must outlive the scheduler
            self._lock = context._lock
            context._scheduler = weakref.ref(self)  # weak: no cycle to delay freeing

    def _free(self, ptr: int) -> None:
        self._clib.inc_scheduler_free(ptr)
        ref = getattr(self._context, "_scheduler", None)
        if ref is not None and ref() in (self, None):
            self._context._scheduler = None

    @property
    def context(self) -> Context:
        """The context the scheduler works for."""
        return self._context

    def _check(self, rc: int) -> None:
        if rc < 0:
            exc = make_error(rc, _lib.decode(self._clib.inc_scheduler_errmsg(self._ptr)) or None)
            store = self._context._store
            cause = store._take_pending() if store is not None else None
            if cause is not None:
                exc.__cause__ = cause
            raise exc
        self._context._after(0)

    def _run(self, fn: Any, *args: Any) -> None:
        with self._lock:
            self._check(fn(self._handle(), *args))

    def load(self) -> None:
        """Track every incident of the store that is not closed (inc_scheduler_load)."""
        self._run(self._clib.inc_scheduler_load)

    def watch(self, incident_id: str) -> None:
        """Track one incident, or re-read it (inc_scheduler_watch)."""
        self._run(self._clib.inc_scheduler_watch, _lib.encode(incident_id, "id"))

    def forget(self, incident_id: str) -> None:
        """Stop tracking an incident until its next write (inc_scheduler_forget)."""
        self._run(self._clib.inc_scheduler_forget, _lib.encode(incident_id, "id"))

    def __len__(self) -> int:
        """The number of incidents with something scheduled (inc_scheduler_count)."""
        with self._lock:
            return int(self._clib.inc_scheduler_count(self._handle()))

    @property
    def next_due(self) -> Optional[datetime]:
        """The earliest due time over every tracked incident (possibly past),
        or None when nothing is scheduled (inc_scheduler_next_due)."""
        with self._lock:
            return to_datetime(self._clib.inc_scheduler_next_due(self._handle()))

    def poll(self, max: int = 0) -> DueList:  # noqa: A002 - the C name
        """Deliver everything due now across the tracked incidents, each
        recorded on its timeline (inc_scheduler_poll): a :class:`DueList`.
        On failure the exception's ``due`` holds the others' items: act on them."""
        out = ctypes.c_void_p()
        return _take_due(lambda: self._run(self._clib.inc_scheduler_poll, max,
                                           ctypes.byref(out)), out)

    def wait(
        self, max_wait: timedelta = timedelta(minutes=1), stop: Optional[threading.Event] = None
    ) -> bool:
        """Sleep until something is due by the context's clock, but at most
        ``max_wait`` (writes made meanwhile may bring the next due time
        closer). With a ``threading.Event`` as ``stop``, return early when it
        is set. Returns False when stopped, else True."""
        if stop is None:
            stop = threading.Event()
        if stop.is_set():
            return False
        limit = duration_to_ms(max_wait, "max_wait") / 1000.0
        nxt = self.next_due
        delay = limit if nxt is None else (nxt - self._context.now()).total_seconds()
        delay = min(max(delay, 0.0), limit)
        if delay > 0:
            return not stop.wait(delay)
        return True

    def run(  # noqa: A002 - max, as in the C API
        self,
        handler: Callable[[DueList, Optional[IncidentError]], Any],
        *,
        stop: Optional[threading.Event] = None,
        max_wait: timedelta = timedelta(minutes=1),
        max: int = 0,
    ) -> None:
        """The pager loop: :meth:`wait`, :meth:`poll`, and call
        ``handler(due, error)`` with the :class:`DueList` (closed after the
        call) whenever it is not empty or the poll failed (``error``, the
        exception, else None). Runs until ``stop`` (a threading.Event) is
        set; an exception from ``handler`` ends it too."""
        stop = stop if stop is not None else threading.Event()
        while self.wait(max_wait, stop):
            error = None
            try:
                due = self.poll(max)
            except IncidentError as exc:
                due, error = exc.due, exc
            with due:
                if due or error is not None:
                    handler(due, error)
            nxt = self.next_due
            if not due and error is None and nxt is not None and nxt <= self._context.now():
                # Nothing delivered yet something is due: a clock that does
                # not move. Do not spin.
                if stop.wait(min(1.0, duration_to_ms(max_wait, "max_wait") / 1000.0)):
                    break

    def __repr__(self) -> Any:
        return "<Scheduler%s>" % (" (closed)" if self.closed else "")

