"""The change feed (incident/feed.h): every new event of a store once, in
order per incident, from a cursor the consumer keeps. Send what poll()
returns, then save ``feed.cursor``: a crash between the two sends the items
again (at least once); the idempotency key is (incident_id, seq)."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, List, Optional

from . import _lib
from ._handle import Handle
from ._time import to_datetime
from .enums import EventKind
from .errors import IncidentError, make_error

if TYPE_CHECKING:
    from .context import Context

POLL_MS = _lib.FEED_POLL_MS


@dataclass(frozen=True)
class FeedItem:
    """One event of the feed (inc_feed_item)."""

    incident_id: str
    seq: int
    kind: EventKind
    time: datetime
    actor: str
    text: str  # the timeline line, not escaped
    data: bytes  # the stored bytes


class Feed(Handle):
    """A feed over a :class:`Context`'s store at a cursor (inc_feed_new;
    None or "" for the beginning). Closing the context closes it."""

    _kind = "feed"

    def __init__(self, context: Context, cursor: Optional[str] = None) -> None:
        out = ctypes.c_void_p()
        with context._lock:
            rc = _lib.lib.inc_feed_new(context._handle(), _lib.encode(cursor, "cursor"),
                                       ctypes.byref(out))
            if rc != 0:
                raise context._error(rc)
            super().__init__(out.value)
            self._context = context
            self._lock = context._lock
            self._wait: Any = None  # keeps the ctypes wait callback alive
            context._feeds[id(self)] = self

    def _free(self, ptr: int) -> None:
        self._clib.inc_feed_free(ptr)
        self._context._feeds.pop(id(self), None)

    def _error(self, rc: int) -> IncidentError:
        return make_error(rc, _lib.decode(self._clib.inc_feed_errmsg(self._ptr)) or None)

    def poll(self, max: int = 0) -> List[FeedItem]:
        """The events written since the cursor (at most ``max``, 0: all), as
        FeedItems; the cursor moves past them (inc_feed_poll)."""
        items: List[FeedItem] = []

        def collect(user: Any, item: Any) -> int:
            it = item.contents
            when = to_datetime(it.time)
            assert when is not None  # every event has a time
            items.append(FeedItem(_lib.decode(it.incident_id) or "", int(it.seq),
                                  EventKind(it.kind), when, _lib.decode(it.actor) or "",
                                  _lib.decode(it.text) or "", ctypes.string_at(it.data, it.len)))
            return 0

        cb = _lib.FEED_CB(collect)
        with self._lock:
            rc = self._clib.inc_feed_poll(self._handle(), max, cb, None, None)
            if rc != 0:
                raise self._error(rc)
        return items

    @property
    def cursor(self) -> str:
        """The cursor past the items returned so far, to save (inc_feed_cursor)."""
        out = ctypes.c_void_p()
        with self._lock:
            rc = self._clib.inc_feed_cursor(self._handle(), ctypes.byref(out))
            if rc != 0:
                raise make_error(rc)
        return _lib.take_string(out.value)

    def set_wait(self, fn: Optional[Callable[[float], Any]] = None) -> None:
        """Replace how wait() waits between looks at the store
        (inc_feed_set_wait): ``fn(timeout_seconds)`` returns when new events
        may be there (a store's change notification); None for the default
        (polling every POLL_MS). An exception from fn ends wait() with it."""
        cb: Any
        if fn is None:
            cb = _lib.FEED_WAIT_FN()  # type: ignore[call-overload]  # a NULL function pointer
        else:
            wait_fn = fn

            def call(user: Any, timeout_ms: int) -> int:
                try:
                    wait_fn(timeout_ms / 1000.0)
                except Exception:  # noqa: BLE001 - reported as INC_ERROR
                    return -1
                return 0
            cb = _lib.FEED_WAIT_FN(call)
        with self._lock:
            self._clib.inc_feed_set_wait(self._handle(), cb, None)
            self._wait = cb

    def wait(self, timeout: float) -> bool:
        """Whether the store has events past the cursor, looking until
        ``timeout`` seconds pass (inc_feed_wait)."""
        ready = ctypes.c_int()
        with self._lock:
            rc = self._clib.inc_feed_wait(self._handle(), int(timeout * 1000), ctypes.byref(ready))
            if rc != 0:
                raise self._error(rc)
        return bool(ready.value)
