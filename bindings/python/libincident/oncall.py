"""On-call rotations: who is paged, and whether the rotation is healthy
(incident/oncall.h, ONC-1..ONC-5); time zones read by the library itself."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, List, Optional, Tuple, Union, cast

from . import _lib
from ._handle import ContextPart, Handle
from ._time import duration_to_ms, to_datetime, to_datetime_set, to_ms
from .enums import Layer, Role, as_role
from .errors import make_error
from .staffing import take_findings


if TYPE_CHECKING:
    from .context import Context
    from .incident import Incident
    from .staffing import Findings

#: The default secondary window of ONC-2 (INC_ONCALL_SECONDARY_WINDOW_MS).
SECONDARY_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class LocalTime:
    """A local time in a zone (inc_local_time)."""

    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    ms: int
    weekday: int  # 0 = Sunday .. 6 = Saturday
    utc_offset: timedelta  # east of UTC
    is_dst: bool
    abbr: str  # such as "CEST"

    def naive(self) -> datetime:
        """The local date and time as a naive datetime."""
        return datetime(self.year, self.month, self.day, self.hour, self.minute, self.second,
                        self.ms * 1000)


@dataclass(frozen=True)
class Override:
    """Part of one layer given to another person (inc_rotation_override)."""

    layer: Layer
    start: datetime
    end: datetime
    person: str
    by: str  # "" if not given
    reason: str  # "" if not given
    recorded_at: Optional[datetime]


@dataclass(frozen=True)
class Shift:
    """One stretch of a layer held by one person (inc_shift)."""

    layer: Layer
    person: str
    start: datetime
    end: datetime
    number: int  # the rotation's shift it lies in (-1: an override before the first)
    override_index: Optional[int]  # the override that gives it, or None


def _shift_from(s: Any) -> Shift:
    return Shift(
        layer=Layer(s.layer),
        person=_lib.text(s.person),
        start=to_datetime_set(s.start),
        end=to_datetime_set(s.end),
        number=s.number,
        override_index=None if s.override_index == _lib.SHIFT_NO_OVERRIDE else s.override_index,
    )


def _local_in(local: Union[LocalTime, datetime]) -> Any:
    """A LocalTime or a naive datetime as the C struct."""
    out = _lib.LocalTime()
    if isinstance(local, datetime):
        if local.tzinfo is not None:
            raise ValueError("local: a naive datetime (the zone is given separately)")
        fields = (local.year, local.month, local.day, local.hour, local.minute, local.second,
                  local.microsecond // 1000)
    elif isinstance(local, LocalTime):
        fields = (local.year, local.month, local.day, local.hour, local.minute, local.second,
                  local.ms)
    else:
        raise TypeError("local: expected a naive datetime or a LocalTime")
    (out.year, out.month, out.day, out.hour, out.minute, out.second, out.ms) = fields
    return out


class Rotation(Handle):
    """An on-call rotation (inc_rotation, ONC-1): people, a period, a local
    hand-off time in an IANA zone, primary and secondary layers, overrides.
    Made from a :class:`Context` (whose zone cache it uses); closing the
    context closes it. Equal (``==``) when every field is."""

    _kind = "rotation"

    def __init__(
        self,
        context: Context,
        name: Optional[str] = None,
        *,
        _ptr: Optional[int] = None,
    ) -> None:
        with context._lock:
            if _ptr is None:
                out = ctypes.c_void_p()
                rc = _lib.lib.inc_rotation_new(context._handle(), _lib.encode(name, "name"),
                                               ctypes.byref(out))
                if rc != 0:
                    raise context._error(rc)
                _ptr = out.value
            super().__init__(_ptr)
            self._context = context  # the context must outlive the rotation
            self._lock = context._lock
            context._rotations[id(self)] = self

    def _free(self, ptr: int) -> None:
        self._clib.inc_rotation_free(ptr)
        self._context._rotations.pop(id(self), None)

    @classmethod
    def parse(cls, context: Context, text: Union[str, bytes]) -> Rotation:
        """Parse the text format of lib/docs/rotation-format.md
        (inc_rotation_parse); ParseError and others carry ``line``."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        out = ctypes.c_void_p()
        diag = _lib.Diag()
        with context._lock:
            rc = _lib.lib.inc_rotation_parse(context._handle(), data, len(data), ctypes.byref(out),
                                             ctypes.byref(diag))
            if rc != 0:
                raise make_error(rc, _lib.decode(diag.message) or None, line=diag.line or None,
                                 offset=diag.offset)
            return cls(context, _ptr=out.value)

    @classmethod
    def _copy_of(cls, context: Context, ptr: int) -> Rotation:
        out = ctypes.c_void_p()
        rc = _lib.lib.inc_rotation_dup(ptr, ctypes.byref(out))
        if rc != 0:
            raise make_error(rc)
        return cls(context, _ptr=out.value)

    @property
    def context(self) -> Context:
        """The context the rotation was made in."""
        return self._context

    def _check(self, rc: int) -> None:
        if rc != 0:
            raise make_error(rc, _lib.decode(self._clib.inc_rotation_errmsg(self._ptr)) or None)
        self._context._after(0)

    def _set(self, fn: Any, *args: Any) -> None:
        with self._lock:
            self._check(fn(self._handle(), *args))

    # ---- whole rotation

    def copy(self) -> Rotation:
        """An independent copy (inc_rotation_dup)."""
        with self._lock:
            return Rotation._copy_of(self._context, self._handle())

    __copy__ = copy

    def __deepcopy__(self, memo: Any) -> Any:
        return self.copy()

    def write(self) -> str:
        """The rotation in the text format (inc_rotation_write)."""
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        self._set(self._clib.inc_rotation_write, ctypes.byref(out), ctypes.byref(length))
        return _lib.take_string(out.value, length.value)

    def __str__(self) -> str:
        return self.write()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rotation):
            return NotImplemented
        return bool(self._clib.inc_rotation_equal(self._handle(), other._handle()))

    __hash__ = None  # type: ignore[assignment]  # mutable: not hashable

    @property
    def name(self) -> str:
        return _lib.text(self._clib.inc_rotation_name(self._handle()))

    # ---- people and schedule

    def add_person(self, person: str) -> None:
        """Append a person to the order (inc_rotation_add_person)."""
        self._set(self._clib.inc_rotation_add_person, _lib.encode(person, "person"))

    @property
    def people(self) -> List[str]:
        """The order (inc_rotation_person_count, inc_rotation_person)."""
        with self._lock:
            ptr = self._handle()
            return [_lib.text(self._clib.inc_rotation_person(ptr, i))
                    for i in range(self._clib.inc_rotation_person_count(ptr))]

    @property
    def zone(self) -> str:
        """The IANA zone of the hand-offs, such as "Europe/Berlin" (inc_rotation_zone);
        assigning loads it (inc_rotation_set_zone)."""
        return _lib.text(self._clib.inc_rotation_zone(self._handle()))

    @zone.setter
    def zone(self, zone: str) -> None:
        self._set(self._clib.inc_rotation_set_zone, _lib.encode(zone, "zone"))

    @property
    def period(self) -> timedelta:
        """The period as a timedelta of whole days (inc_rotation_period);
        assign a timedelta or a number of days."""
        return timedelta(days=self._clib.inc_rotation_period(self._handle()))

    @period.setter
    def period(self, value: Union[int, timedelta]) -> None:
        if isinstance(value, timedelta):
            if value % timedelta(days=1):
                raise make_error(-3, "period: a whole number of days")
            value = value.days
        if not isinstance(value, int) or value < 0:
            raise make_error(-3, "period: a positive number of days")
        self._set(self._clib.inc_rotation_set_period, value)

    @property
    def start(self) -> date:
        """The local date shift 0 begins (inc_rotation_get_start); assign a date."""
        y, m, d = ctypes.c_int(), ctypes.c_uint(), ctypes.c_uint()
        self._set(self._clib.inc_rotation_get_start, ctypes.byref(y), ctypes.byref(m),
                  ctypes.byref(d))
        return date(y.value, m.value, d.value)

    @start.setter
    def start(self, value: date) -> None:
        self._set(self._clib.inc_rotation_set_start, value.year, value.month, value.day)

    @property
    def handoff(self) -> time:
        """The local hand-off time of day (inc_rotation_get_handoff); assign a time."""
        h, m = ctypes.c_uint(), ctypes.c_uint()
        self._set(self._clib.inc_rotation_get_handoff, ctypes.byref(h), ctypes.byref(m))
        return time(h.value, m.value)

    @handoff.setter
    def handoff(self, value: time) -> None:
        self._set(self._clib.inc_rotation_set_handoff, value.hour, value.minute)

    @property
    def secondary(self) -> int:
        """The secondary layer's offset in people; 0 for no secondary layer."""
        return int(self._clib.inc_rotation_secondary(self._handle()))

    @secondary.setter
    def secondary(self, offset: int) -> None:
        if offset < 0:
            raise make_error(-3, "secondary: negative offset")
        self._set(self._clib.inc_rotation_set_secondary, offset)

    @property
    def role(self) -> Optional[Role]:
        """The Role this rotation is the roster of, or None (inc_rotation_role)."""
        role = self._clib.inc_rotation_role(self._handle())
        return None if role >= len(Role) else Role(role)

    @role.setter
    def role(self, role: Optional[Union[Role, str]]) -> None:
        value = len(Role) if role is None else int(as_role(role))
        self._set(self._clib.inc_rotation_set_role, value)

    # ---- overrides

    def add_override(
        self,
        layer: Layer,
        start: datetime,
        end: datetime,
        person: str,
        *,
        by: Optional[str] = None,
        reason: Optional[str] = None,
        recorded_at: Optional[datetime] = None,
    ) -> int:
        """Give [start, end) of a layer to ``person`` (inc_rotation_add_override);
        returns its index. It wins over the rotation and older overrides."""
        ov = _lib.RotationOverride()
        ov.layer = int(Layer(layer))
        ov.start = to_ms(start, "start")
        ov.end = to_ms(end, "end")
        ov.person = _lib.encode(person, "person")
        ov.by = _lib.encode(by, "by")
        ov.reason = _lib.encode(reason, "reason")
        ov.recorded_at = to_ms(recorded_at, "recorded_at")
        index = ctypes.c_size_t()
        self._set(self._clib.inc_rotation_add_override, ctypes.byref(ov), ctypes.byref(index))
        return index.value

    def override_shift(
        self,
        layer: Layer,
        at: datetime,
        person: str,
        *,
        by: Optional[Any] = None,
        reason: Optional[Any] = None,
        recorded_at: Optional[Any] = None,
    ) -> int:
        """Give the whole shift of a layer that contains ``at`` to ``person``
        (a swap; inc_rotation_override_shift); returns the override's index."""
        index = ctypes.c_size_t()
        self._set(self._clib.inc_rotation_override_shift, int(Layer(layer)), to_ms(at, "at"),
                  _lib.encode(person, "person"), _lib.encode(by, "by"),
                  _lib.encode(reason, "reason"), to_ms(recorded_at, "recorded_at"),
                  ctypes.byref(index))
        return index.value

    def overrides(self) -> List[Override]:
        """Every override, in the order added (inc_rotation_override_count,
        inc_rotation_get_override)."""
        out = []
        with self._lock:
            ptr = self._handle()
            for i in range(self._clib.inc_rotation_override_count(ptr)):
                ov = _lib.RotationOverride()
                self._check(self._clib.inc_rotation_get_override(ptr, i, ctypes.byref(ov)))
                out.append(Override(Layer(ov.layer), to_datetime_set(ov.start),
                                    to_datetime_set(ov.end), _lib.text(ov.person),
                                    _lib.decode(ov.by) or "", _lib.decode(ov.reason) or "",
                                    to_datetime(ov.recorded_at)))
        return out

    # ---- layers and swaps (ONC-6)

    def add_layer(self, name: str, zone: Optional[str] = None) -> int:
        """Add a layer of the primary (inc_rotation_add_layer): its people
        rotate with the shifts inside its weekly windows, in ``zone`` (None:
        the rotation's); the layer added last wins. Returns its index."""
        index = ctypes.c_size_t()
        self._set(self._clib.inc_rotation_add_layer, _lib.encode(name, "name"),
                  _lib.encode(zone, "zone"), ctypes.byref(index))
        return int(index.value)

    def add_layer_person(self, layer: int, person: str) -> None:
        """Append ``person`` to layer ``layer``'s order."""
        self._set(self._clib.inc_rotation_add_layer_person, layer, _lib.encode(person, "person"))

    def add_layer_window(self, layer: int, days: Union[int, Any], start: time,
                         end: Optional[time]) -> None:
        """Restrict a layer to ``days`` (a set of weekday numbers, 0 = Sunday,
        or a bit mask) from ``start`` to ``end`` local (datetime.time; an end
        not after the start ends the next day; ``end`` None is 24:00)."""
        mask = days if isinstance(days, int) else sum(1 << d for d in set(days))
        end_min = 1440 if end is None else end.hour * 60 + end.minute
        self._set(self._clib.inc_rotation_add_layer_window, layer, mask,
                  start.hour * 60 + start.minute, end_min)

    def set_layer_dates(self, layer: int, start: Optional[date] = None,
                        until: Optional[date] = None) -> None:
        """Limit a layer to the local dates ``start`` .. ``until`` (dates or
        None); InvalidError for a layer that ends before it starts."""
        self._set(self._clib.inc_rotation_set_layer_dates, layer,
                  _lib.encode(start.isoformat() if start else None, "start"),
                  _lib.encode(until.isoformat() if until else None, "until"))

    @property
    def layers(self) -> List[str]:
        """The layers' names, lowest first."""
        with self._lock:
            ptr = self._handle()
            return [_lib.decode(self._clib.inc_rotation_layer_name(ptr, i)) or ""
                    for i in range(self._clib.inc_rotation_layer_count(ptr))]

    def add_swap(self, layer: Union[Layer, int], start: datetime, end: datetime, giver: str,
                 taker: str, recorded_at: Optional[datetime] = None) -> int:
        """Record a swap both people agreed to (inc_rotation_add_swap):
        ``giver``, on call at ``start``, gives [start, end) to ``taker``.
        Returns the override's index."""
        index = ctypes.c_size_t()
        self._set(self._clib.inc_rotation_add_swap, int(Layer(layer)), to_ms(start, "start"),
                  to_ms(end, "end"), _lib.encode(giver, "giver"), _lib.encode(taker, "taker"),
                  _lib.TIME_NONE if recorded_at is None else to_ms(recorded_at, "recorded_at"),
                  ctypes.byref(index))
        return int(index.value)

    def is_swap(self, index: int) -> bool:
        """Whether override ``index`` is a swap."""
        return bool(self._clib.inc_rotation_override_is_swap(self._handle(), index))

    # ---- who is on call

    def who(self, layer: Layer, at: datetime) -> Shift:
        """Who holds ``layer`` at ``at``: the :class:`Shift` stretch
        containing it (inc_rotation_who); NotFoundError when nobody does."""
        shift = _lib.Shift()
        self._set(self._clib.inc_rotation_who, int(Layer(layer)), to_ms(at, "at"),
                  ctypes.byref(shift))
        return _shift_from(shift)

    def shifts(self, layer: Layer, start: datetime, end: datetime) -> List[Shift]:
        """Every stretch of ``layer`` overlapping [start, end), in order
        (inc_rotation_shifts)."""
        out = ctypes.POINTER(_lib.Shift)()
        count = ctypes.c_size_t()
        with self._lock:
            self._check(self._clib.inc_rotation_shifts(self._handle(), int(Layer(layer)),
                                                       to_ms(start, "start"), to_ms(end, "end"),
                                                       ctypes.byref(out), ctypes.byref(count)))
            try:
                return [_shift_from(out[i]) for i in range(count.value)]
            finally:
                _lib.lib.inc_free(out)

    def ical(self, start: datetime, end: datetime, person: Optional[str] = None,
             others: "Tuple[Rotation, ...] | List[Rotation]" = ()) -> str:
        """The shifts over [start, end) as an iCalendar document (RFC 5545,
        ONC-7; inc_rotation_write_ical): one event per stretch, stable UIDs,
        UTC times, CRLF lines folded at 75 octets. With ``person``, only that
        person's stretches; ``others`` are more rotations of the same
        context whose shifts join the feed (one person across rotations)."""
        rots = [self] + list(others)
        if any(r._context is not self._context for r in rots):
            raise make_error(-3, "ical: every rotation must belong to the same context")
        arr = (ctypes.c_void_p * len(rots))()
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        with self._lock:
            for i, r in enumerate(rots):
                arr[i] = r._handle()
            self._check(self._clib.inc_rotation_write_ical(
                arr, len(rots), _lib.encode(person, "person"), to_ms(start, "start"),
                to_ms(end, "end"), ctypes.byref(out), ctypes.byref(length)))
            return _lib.take_string(out.value, length.value)

    # ---- health

    def check(
        self,
        incidents: Union[List[Incident], Tuple[()]] = (),
        *,
        start: Optional[datetime] = None,
        end: Optional[datetime] = None,
        min_people: int = 0,
        max_consecutive: int = 0,
        min_gap: int = 0,
        rest_after: Optional[Any] = None,
        max_pages_week: int = 0,
    ) -> Findings:
        """Check the rotation's health over [start, end) (default: four weeks
        either side of now) and the load and rest of the people who worked
        ``incidents`` (ONC-3..ONC-5; inc_rotation_check): :class:`Findings`.
        Zero thresholds and None take the library's defaults."""
        opts = _lib.OncallCheckOptions()
        rc = _lib.lib.inc_oncall_check_options_init(ctypes.byref(opts),
                                                    _lib.ONCALL_CHECK_OPTIONS_VERSION)
        if rc != 0:
            raise make_error(rc)
        opts.from_ = to_ms(start, "start")
        opts.to = to_ms(end, "end")
        opts.min_people = min_people
        opts.max_consecutive = max_consecutive
        opts.min_gap = min_gap
        opts.rest_after_ms = 0 if rest_after is None else duration_to_ms(rest_after, "rest_after")
        opts.max_pages_week = max_pages_week
        incidents = list(incidents)
        array = (ctypes.c_void_p * max(1, len(incidents)))()
        out = ctypes.c_void_p()
        with self._lock:
            for i, incident in enumerate(incidents):
                array[i] = incident._handle()
            self._check(self._clib.inc_rotation_check(self._handle(), array, len(incidents),
                                                      ctypes.byref(opts), ctypes.byref(out)))
        return take_findings(out.value)

    def __repr__(self) -> Any:
        if self.closed:
            return "<Rotation (closed)>"
        return "<Rotation %s %s>" % (self.name, self.zone)


class OncallContextMixin(ContextPart):
    """The zone and rotation-registry methods of :class:`Context`."""

    @property
    def zoneinfo_dir(self) -> str:
        """The directory time zones are read from (inc_context_zoneinfo_dir);
        assign another, or None for /usr/share/zoneinfo."""
        return _lib.text(self._clib.inc_context_zoneinfo_dir(self._handle()))

    @zoneinfo_dir.setter
    def zoneinfo_dir(self, directory: Optional[str]) -> None:
        with self._lock:
            self._after(self._clib.inc_context_set_zoneinfo_dir(
                self._handle(), None if directory is None else _lib.encode(str(directory), "dir")))

    def to_local(self, zone: str, at: datetime) -> LocalTime:
        """``at`` as the local time of ``zone`` (inc_zone_to_local): a :class:`LocalTime`."""
        out = _lib.LocalTime()
        with self._lock:
            self._after(self._clib.inc_zone_to_local(self._handle(), _lib.encode(zone, "zone"),
                                                     to_ms(at, "at"), ctypes.byref(out)))
        return LocalTime(out.year, out.month, out.day, out.hour, out.minute, out.second, out.ms,
                         out.weekday, timedelta(seconds=out.utc_offset), bool(out.is_dst),
                         _lib.text(out.abbr))

    def from_local(self, zone: str, local: Union[LocalTime, datetime]) -> datetime:
        """A local time of ``zone`` (a naive datetime or a LocalTime) as an
        aware UTC datetime, with the hand-off rules: a time that occurs twice
        is the first, one that does not exist the next valid minute
        (inc_zone_from_local)."""
        out = ctypes.c_int64()
        with self._lock:
            self._after(self._clib.inc_zone_from_local(self._handle(), _lib.encode(zone, "zone"),
                                                       ctypes.byref(_local_in(local)),
                                                       ctypes.byref(out)))
        return to_datetime_set(out.value)

    def add_rotation(self, rotation: Rotation) -> None:
        """Register a copy of ``rotation`` for escalation targets, replacing
        one of the same name (inc_context_add_rotation)."""
        if not isinstance(rotation, Rotation):
            raise TypeError("rotation: expected a libincident.Rotation")
        with self._lock:
            self._after(self._clib.inc_context_add_rotation(self._handle(), rotation._handle()))

    def remove_rotation(self, name: str) -> None:
        """Remove a registered rotation (inc_context_remove_rotation)."""
        with self._lock:
            self._after(self._clib.inc_context_remove_rotation(self._handle(),
                                                               _lib.encode(name, "name")))

    def rotation(self, name: str) -> Optional[Rotation]:
        """A copy of the registered rotation ``name``, or None (inc_context_rotation)."""
        with self._lock:
            ptr = self._clib.inc_context_rotation(self._handle(), _lib.encode(name, "name"))
            return Rotation._copy_of(cast("Context", self), ptr) if ptr else None

    def rotations(self) -> List[Rotation]:
        """Copies of every registered rotation, in the order first registered
        (inc_context_rotation_count, inc_context_rotation_at)."""
        with self._lock:
            ptr = self._handle()
            context = cast("Context", self)
            return [Rotation._copy_of(context, self._clib.inc_context_rotation_at(ptr, i))
                    for i in range(self._clib.inc_context_rotation_count(ptr))]

    def set_default_rotation(self, name: Optional[str] = None) -> None:
        """Name the rotation `on-call` and `backup` resolve through; None for
        the first registered (inc_context_set_default_rotation)."""
        with self._lock:
            self._after(self._clib.inc_context_set_default_rotation(self._handle(),
                                                                    _lib.encode(name, "name")))

    def resolve_targets(self, targets: str, at: Optional[datetime] = None) -> Tuple[str, ...]:
        """The people escalation ``targets`` ("rotation:payments,team-lead")
        resolve to at ``at`` (default now), in order, each once
        (inc_context_resolve_targets, ONC-2)."""
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        with self._lock:
            when = to_ms(at, "at") if at is not None else self._clib.inc_context_now(self._handle())
            self._after(self._clib.inc_context_resolve_targets(
                self._handle(), _lib.encode(targets, "targets"), when, ctypes.byref(out),
                ctypes.byref(length)))
        text = _lib.take_string(out.value, length.value)
        return tuple(p for p in text.split(",") if p)
