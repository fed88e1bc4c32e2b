"""The base of every class that owns a C handle."""

from __future__ import annotations

from . import _lib
from .errors import closed_error

from typing import Any


class Handle:
    """Owns one C handle: freed by :meth:`close`, by leaving a ``with``
    block, or (as a safety net) when the object is garbage-collected."""

    _kind = "handle"
    _ptr = None

    def __init__(self, ptr: int) -> None:
        self._ptr = ptr
        # Keep the library reachable from the object: at interpreter exit the
        # module globals may be gone before __del__ runs.
        self._clib = _lib.lib

    def _free(self, ptr: Any) -> None:  # pragma: no cover - every subclass overrides it
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

    def __enter__(self):
        self._handle()
        return self

    def __exit__(self, *exc: None) -> bool:
        self.close()
        return False

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # never raise from a finalizer
            pass
