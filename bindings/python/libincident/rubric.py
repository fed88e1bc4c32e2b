"""Severity rubrics (incident/rubric.h)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import timedelta

from . import _lib
from ._handle import Handle
from ._time import duration_to_ms
from .enums import (
    Combo,
    Comm,
    Duration,
    EscCondition,
    FieldRequired,
    FieldType,
    Flag,
    LevelText,
    Preset,
    Role,
    as_role,
)
from .errors import make_error

from typing import Any, Dict, Iterable, List, Optional, Set, Tuple, Union

#: Returned by :meth:`Level.required_comm` for "at the next regular cadence".
NEXT_CADENCE = "next-cadence"


def _duration_out(ms: int) -> Optional[Union[str, timedelta]]:
    if ms == _lib.DURATION_NONE:
        return None
    if ms == _lib.DURATION_NEXT_CADENCE:
        return NEXT_CADENCE
    return timedelta(milliseconds=ms)


def _duration_in(value: Optional[Union[str, timedelta]], field: str) -> int:
    if value is None:
        return _lib.DURATION_NONE
    if isinstance(value, str):
        if value == NEXT_CADENCE:
            return _lib.DURATION_NEXT_CADENCE
        raise ValueError("%s: a timedelta, None or NEXT_CADENCE, not %r" % (field, value))
    return duration_to_ms(value, field)


@dataclass(frozen=True)
class RubricField:
    """A custom field as a rubric declares it (inc_rubric_field, RUB-6)."""

    name: str
    type: FieldType
    #: FieldType.ONE_OF: the allowed values, in order; else empty.
    values: Tuple[str, ...]
    required: FieldRequired
    #: FieldRequired.REQUIRED_FROM_LEVEL: the level named; else None.
    level: Optional[str]


@dataclass(frozen=True)
class Escalation:
    """One escalation step of a level (ESC-1)."""

    after: timedelta
    condition: EscCondition
    target: str


class Rubric(Handle):
    """A severity rubric: ordered levels, most severe first.

    ``Rubric(name)`` makes an empty rubric; :meth:`preset` copies a built-in
    one and :meth:`parse` reads the text format. Levels are reached with
    ``rubric[name_or_index]`` or :attr:`levels`.
    """

    _kind = "rubric"

    def __init__(self, name: Optional[str] = None, *, _ptr: Optional[int] = None) -> None:
        if _ptr is None:
            out = ctypes.c_void_p()
            rc = _lib.lib.inc_rubric_new(None, _lib.encode(name, "name"), ctypes.byref(out))
            if rc != 0:
                raise make_error(rc, "rubric name: must be 1..64 bytes of UTF-8")
            _ptr = out.value
        super().__init__(_ptr)

    def _free(self, ptr: int) -> None:
        self._clib.inc_rubric_free(ptr)

    def _check(self, rc: int) -> None:
        if rc != 0:
            raise make_error(rc, _lib.decode(self._clib.inc_rubric_errmsg(self._ptr)) or None)

    # ---- constructors

    @classmethod
    def preset(cls, which: Union[Preset, str] = Preset.DEFAULT) -> Rubric:
        """A copy of a built-in rubric (inc_rubric_preset_new): Preset or "default"/"seed002"."""
        if isinstance(which, str):
            which = Preset[which.upper()]
        out = ctypes.c_void_p()
        rc = _lib.lib.inc_rubric_preset_new(None, int(which), ctypes.byref(out))
        if rc != 0:
            raise make_error(rc, "unknown rubric preset %r" % (which,))
        return cls(_ptr=out.value)

    @classmethod
    def parse(cls, text: Union[str, bytes]) -> Rubric:
        """Parse and validate the text format (inc_rubric_parse).

        Raises ParseError or InvalidError with ``line`` and ``offset``."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        out = ctypes.c_void_p()
        diag = _lib.Diag()
        rc = _lib.lib.inc_rubric_parse(None, data, len(data), ctypes.byref(out), ctypes.byref(diag))
        if rc != 0:
            raise make_error(
                rc, _lib.decode(diag.message) or None, line=diag.line, offset=diag.offset
            )
        return cls(_ptr=out.value)

    @classmethod
    def _borrowed_copy(cls, ptr: int) -> Rubric:
        """A copy of a rubric some other handle owns."""
        out = ctypes.c_void_p()
        rc = _lib.lib.inc_rubric_dup(ptr, ctypes.byref(out))
        if rc != 0:
            raise make_error(rc)
        return cls(_ptr=out.value)

    def copy(self) -> Rubric:
        """An independent copy (inc_rubric_dup)."""
        return Rubric._borrowed_copy(self._handle())

    __copy__ = copy

    def __deepcopy__(self, memo: Dict[Any, Any]) -> Rubric:
        return self.copy()

    # ---- whole rubric

    def write(self) -> str:
        """The rubric in the text format (inc_rubric_write); parse() reads it back equal."""
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        self._check(self._clib.inc_rubric_write(self._handle(), ctypes.byref(out),
                                                ctypes.byref(length)))
        return _lib.take_string(out.value, length.value)

    def __str__(self) -> str:
        return self.write()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rubric):
            return NotImplemented
        return bool(self._clib.inc_rubric_equal(self._handle(), other._handle()))

    __hash__ = None  # type: ignore[assignment]  # mutable: not hashable

    def validate(self) -> None:
        """Check RUB-3 (inc_rubric_validate); InvalidError names the level and field."""
        self._check(self._clib.inc_rubric_validate(self._handle()))

    @property
    def name(self) -> str:
        return _lib.text(self._clib.inc_rubric_name(self._handle()))

    def __len__(self) -> int:
        return int(self._clib.inc_rubric_level_count(self._handle()))

    def level_index(self, name: str) -> int:
        """The index of level ``name`` (0 = most severe); NotFoundError if none."""
        out = ctypes.c_size_t()
        rc = self._clib.inc_rubric_get_level_index(self._handle(), _lib.encode(name, "name"),
                                               ctypes.byref(out))
        if rc != 0:
            raise make_error(rc, "rubric %r has no level %r" % (self.name, name))
        return out.value

    @property
    def fields(self) -> List[RubricField]:
        """The custom fields the rubric declares, in declaration order
        (inc_rubric_field_count, inc_rubric_get_field; RUB-6)."""
        out = []
        for i in range(self._clib.inc_rubric_field_count(self._handle())):
            f = _lib.RubricField()
            self._check(self._clib.inc_rubric_get_field(self._handle(), i, ctypes.byref(f)))
            values = _lib.text(f.values)
            out.append(RubricField(_lib.text(f.name), FieldType(f.type),
                                   tuple(values.split(",")) if values else (),
                                   FieldRequired(f.required), _lib.decode(f.level) or None))
        return out

    @property
    def level_names(self) -> List[str]:
        return [level.name for level in self.levels]

    @property
    def levels(self) -> List[Level]:
        """Every level, most severe first."""
        return [Level(self, i) for i in range(len(self))]

    def __getitem__(self, key: Union[int, str]) -> Level:
        if isinstance(key, str):
            return Level(self, self.level_index(key))
        index = int(key)
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("rubric level index out of range")
        return Level(self, index)

    def __iter__(self) -> Any:
        return iter(self.levels)

    def add_level(self, name: str) -> Level:
        """Append a level, less severe than every existing one (inc_rubric_add_level)."""
        out = ctypes.c_size_t()
        self._check(self._clib.inc_rubric_add_level(self._handle(), _lib.encode(name, "name"),
                                                    ctypes.byref(out)))
        return Level(self, out.value)

    def __repr__(self) -> str:
        if self.closed:
            return "<Rubric (closed)>"
        return "<Rubric %r: %s>" % (self.name, ", ".join(self.level_names))


class Level:
    """One level of a rubric (a view: it reads and writes the rubric)."""

    def __init__(self, rubric: Rubric, index: int) -> None:
        self.rubric = rubric
        self.index = index

    def _r(self) -> int:
        return self.rubric._handle()

    def __repr__(self) -> Any:
        return "<Level %d %r>" % (self.index, self.name)

    @property
    def name(self) -> str:
        return _lib.text(self.rubric._clib.inc_rubric_level_name(self._r(), self.index))

    # ---- texts

    def text(self, field: LevelText) -> str:
        """A text field (LevelText), "" if unset (inc_rubric_text)."""
        return _lib.text(self.rubric._clib.inc_rubric_text(self._r(), self.index, int(field)))

    def set_text(self, field: LevelText, value: Optional[str]) -> None:
        """Set a text field; None for empty (inc_rubric_set_text)."""
        self.rubric._check(
            self.rubric._clib.inc_rubric_set_text(
                self._r(), self.index, int(LevelText(field)), _lib.encode(value, "text")
            )
        )

    @property
    def trigger(self) -> str:
        """The TRIGGER text: when this level applies."""
        return self.text(LevelText.TRIGGER)

    @trigger.setter
    def trigger(self, value: Optional[str]) -> None:
        self.set_text(LevelText.TRIGGER, value)

    @property
    def posture(self) -> str:
        """The POSTURE text: how the response behaves at this level."""
        return self.text(LevelText.POSTURE)

    @posture.setter
    def posture(self, value: Optional[str]) -> None:
        self.set_text(LevelText.POSTURE, value)

    @property
    def paged(self) -> str:
        """The PAGED text: who is paged at this level."""
        return self.text(LevelText.PAGED)

    @paged.setter
    def paged(self, value: Optional[str]) -> None:
        self.set_text(LevelText.PAGED, value)

    # ---- durations

    def duration(self, field: Duration) -> Optional[Union[str, timedelta]]:
        """A duration field (Duration) as a timedelta, None if unset,
        NEXT_CADENCE where the field says so (inc_rubric_duration)."""
        clib = self.rubric._clib
        return _duration_out(clib.inc_rubric_duration(self._r(), self.index, int(field)))

    def set_duration(self, field: Duration, value: Optional[timedelta]) -> None:
        """Set a duration field: a positive timedelta, or None for unset."""
        ms = _lib.DURATION_NONE if value is None else duration_to_ms(value, str(Duration(field)))
        self.rubric._check(
            self.rubric._clib.inc_rubric_set_duration(self._r(), self.index, int(Duration(field)),
                                                      ms)
        )

    @property
    def durations(self) -> Dict[Duration, Optional[Union[str, timedelta]]]:
        """Every duration field, keyed by Duration."""
        return {field: self.duration(field) for field in Duration}

    # ---- flags

    def flag(self, flag: Flag) -> bool:
        """A yes/no field (Flag) (inc_rubric_flag)."""
        return bool(self.rubric._clib.inc_rubric_flag(self._r(), self.index, int(flag)))

    def set_flag(self, flag: Flag, on: bool) -> None:
        self.rubric._check(
            self.rubric._clib.inc_rubric_set_flag(self._r(), self.index, int(Flag(flag)),
                                                  1 if on else 0)
        )

    # ---- communications

    def required_comm(self, kind: Comm) -> Optional[Union[str, timedelta]]:
        """When the level requires a communication (Comm): timedelta(0) at once,
        a timedelta, NEXT_CADENCE, or None when not required."""
        clib = self.rubric._clib
        return _duration_out(clib.inc_rubric_required_comm(self._r(), self.index, int(kind)))

    def set_required_comm(self, kind: Comm, within: Optional[Union[str, timedelta]]) -> None:
        self.rubric._check(
            self.rubric._clib.inc_rubric_set_required_comm(
                self._r(), self.index, int(Comm(kind)), _duration_in(within, "within")
            )
        )

    # ---- roles

    def combo(self, a: Role, b: Role) -> Combo:
        """How one person may hold roles ``a`` and ``b`` (Combo)."""
        clib = self.rubric._clib
        return Combo(clib.inc_rubric_combo(self._r(), self.index, int(as_role(a)),
                                           int(as_role(b))))

    def set_combo(self, a: str, b: Role, combo: Combo) -> None:
        self.rubric._check(
            self.rubric._clib.inc_rubric_set_combo(
                self._r(), self.index, int(as_role(a)), int(as_role(b)), int(Combo(combo))
            )
        )

    @property
    def staffing(self) -> Tuple[Set[Role], int]:
        """(set of required Roles, minimum number of people) (inc_rubric_get_staffing)."""
        mask, people = ctypes.c_uint(), ctypes.c_uint()
        self.rubric._check(
            self.rubric._clib.inc_rubric_get_staffing(self._r(), self.index, ctypes.byref(mask),
                                                  ctypes.byref(people))
        )
        return {role for role in Role if mask.value & role.bit}, people.value

    def set_staffing(self, roles: Iterable[Role], min_people: int) -> None:
        """Set the roles that must be filled and the minimum number of people."""
        mask = 0
        for role in roles:
            mask |= as_role(role).bit
        self.rubric._check(
            self.rubric._clib.inc_rubric_set_staffing(self._r(), self.index, mask, min_people)
        )

    # ---- escalation

    @property
    def escalations(self) -> List[Escalation]:
        """The escalation steps, in order of ``after``."""
        clib, r = self.rubric._clib, self._r()
        steps = []
        for i in range(clib.inc_rubric_escalation_count(r, self.index)):
            after, cond, target = ctypes.c_int64(), ctypes.c_int(), ctypes.c_char_p()
            self.rubric._check(
                clib.inc_rubric_get_escalation(
                    r, self.index, i, ctypes.byref(after), ctypes.byref(cond), ctypes.byref(target)
                )
            )
            steps.append(Escalation(timedelta(milliseconds=after.value), EscCondition(cond.value),
                                    _lib.text(target.value)))
        return steps

    def add_escalation(self, after: timedelta, condition: EscCondition, target: str) -> None:
        """Append a step: page ``target`` ("on-call,backup") once ``condition`` held ``after``."""
        self.rubric._check(
            self.rubric._clib.inc_rubric_add_escalation(
                self._r(), self.index, duration_to_ms(after, "after"), int(EscCondition(condition)),
                _lib.encode(target, "target"),
            )
        )

    def add_rotation_escalation(
        self,
        after: timedelta,
        rotation: str,
        window: Optional[Any] = None,
    ) -> None:
        """Append the ONC-2 pair of steps for a rotation: page its primary
        once unacknowledged ``after``, its secondary ``window`` later (None:
        ten minutes) if still unacknowledged (inc_rubric_add_rotation_escalation)."""
        window_ms = 0 if window is None else duration_to_ms(window, "window")
        if window is not None and window_ms <= 0:
            raise make_error(-3, "window: must be positive")
        self.rubric._check(
            self.rubric._clib.inc_rubric_add_rotation_escalation(
                self._r(), self.index, duration_to_ms(after, "after"),
                _lib.encode(rotation, "rotation"), window_ms,
            )
        )

    @property
    def repeat(self) -> int:
        """How many times the ladder repeats after its last step."""
        return int(self.rubric._clib.inc_rubric_repeat(self._r(), self.index))

    @repeat.setter
    def repeat(self, value: int) -> None:
        self.rubric._check(
            self.rubric._clib.inc_rubric_set_repeat(self._r(), self.index, int(value))
        )
