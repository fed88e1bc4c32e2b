"""Times and durations: the library counts milliseconds since the Unix epoch
(UTC); Python sees tz-aware ``datetime`` objects in UTC and ``timedelta``."""

from __future__ import annotations

import ctypes
from datetime import datetime, timedelta, timezone

from . import _lib
from .errors import make_error

from typing import Optional, Union

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)


def to_datetime(ms: int) -> Optional[datetime]:
    """Milliseconds since the epoch -> aware datetime in UTC (None for "no time")."""
    if ms == _lib.TIME_NONE:
        return None
    return EPOCH + timedelta(milliseconds=ms)


def to_datetime_set(ms: int) -> datetime:
    """A time the library always sets (milliseconds since the epoch) as an
    aware datetime in UTC."""
    if ms == _lib.TIME_NONE:
        raise ValueError("the library gave no time where it always gives one")
    return EPOCH + timedelta(milliseconds=ms)


def to_ms(value: Optional[Union[datetime, int]], field: str) -> int:
    """An aware datetime (or an int of milliseconds) -> milliseconds since the epoch."""
    if value is None:
        return _lib.TIME_NONE
    if isinstance(value, datetime):
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            raise ValueError("%s: a naive datetime; give it a timezone (UTC)" % field)
        return (value - EPOCH) // _MS
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError("%s: expected a datetime, got %s" % (field, type(value).__name__))


def duration_to_ms(value: Union[int, timedelta], field: str) -> int:
    """A timedelta (or int milliseconds) -> int milliseconds."""
    if isinstance(value, timedelta):
        return value // _MS
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError("%s: expected a timedelta, got %s" % (field, type(value).__name__))


def format_time(value: datetime) -> str:
    """ISO 8601 UTC with milliseconds, e.g. "2026-11-23T14:32:00.000Z" (inc_time_format)."""
    buf = ctypes.create_string_buffer(32)
    rc = _lib.lib.inc_time_format(to_ms(value, "time"), buf, len(buf))
    if rc != 0:
        raise make_error(rc, "time: out of the years 0..9999")
    return buf.value.decode("ascii")


def parse_time(text: str) -> datetime:
    """Parse "YYYY-MM-DDTHH:MM[:SS[.mmm]]Z" into an aware datetime (inc_time_parse)."""
    out = ctypes.c_int64()
    rc = _lib.lib.inc_time_parse(_lib.encode(text, "text"), ctypes.byref(out))
    if rc != 0:
        raise make_error(rc, "not an ISO 8601 UTC time: %r" % (text,))
    return to_datetime_set(out.value)


def format_offset(offset: Union[int, timedelta]) -> str:
    """A duration as the offset from declaration, "T+1h02m03s" (inc_offset_format)."""
    buf = ctypes.create_string_buffer(32)
    rc = _lib.lib.inc_offset_format(duration_to_ms(offset, "offset"), buf, len(buf))
    if rc != 0:
        raise make_error(rc)
    return buf.value.decode("ascii")


def system_clock() -> datetime:
    """The library's default clock (inc_clock_system) as a datetime."""
    return to_datetime_set(_lib.lib.inc_clock_system(None))
