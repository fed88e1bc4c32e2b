"""The base of every class that owns a C handle."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Optional, TypeVar

from . import _lib
from .errors import IncidentError, closed_error

if TYPE_CHECKING:
    from .context import Context

_H = TypeVar("_H", bound="Handle")


class Handle:
    """Owns one C handle: freed by :meth:`close`, by leaving a ``with``
    block, or (as a safety net) when the object is garbage-collected."""

    _kind = "handle"
    _ptr: Optional[int] = None

    def __init__(self, ptr: Optional[int]) -> None:
        self._ptr = ptr
        # Keep the library reachable from the object: at interpreter exit the
        # module globals may be gone before __del__ runs.
        self._clib: Any = _lib.lib

    def _free(self, ptr: int) -> None:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    @property
    def closed(self) -> bool:
        """True once the handle is freed."""
        return self._ptr is None

    def _handle(self) -> int:
        if self._ptr is None:
            raise closed_error(self._kind)
        return self._ptr

    def close(self) -> None:
        """Free the C handle now. Idempotent; the object is unusable after."""
        ptr, self._ptr = self._ptr, None
        if ptr is not None:
            self._free(ptr)

    def __enter__(self: _H) -> _H:
        self._handle()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # never raise from a finalizer
            pass


class IncidentPart:
    """What the mixins that make up :class:`Incident` (CAN reports, comms,
    due items, postmortems, audits, seals) use of it: declared here for type
    checkers only, defined by Incident."""

    if TYPE_CHECKING:
        _clib: Any
        _lock: threading.RLock
        _context: Context

        def _handle(self) -> int: ...

        def _call(self, fn: Any, *args: Any) -> int: ...


class ContextPart:
    """What the mixins that make up :class:`Context` (on-call, actions,
    metrics, seals) use of it: declared here for type checkers only, defined
    by Context."""

    if TYPE_CHECKING:
        _clib: Any
        _lock: threading.RLock

        def _handle(self) -> int: ...

        def _after(self, rc: int, message_of: Optional[Any] = None) -> int: ...

        def _error(self, rc: int, message: Optional[str] = None, **extra: Any) -> IncidentError: ...


class StorePart:
    """What :class:`Store`'s seal mixin uses of it (type checkers only)."""

    if TYPE_CHECKING:
        _clib: Any
        _lock: threading.RLock

        def _handle(self) -> int: ...

        def _error(self, rc: int, message: Optional[str] = None, **extra: Any) -> IncidentError: ...
