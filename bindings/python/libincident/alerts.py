"""Alerts in (incident/alerts.h, ALERT-1..ALERT-3): a routing file read into
a router that takes Alertmanager webhooks and PagerDuty events."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Union

from . import _lib
from ._handle import Handle
from .errors import IncidentError, make_error

if TYPE_CHECKING:
    from .context import Context


@dataclass(frozen=True)
class AlertOutcome:
    """What one intake did (inc_alert_outcome)."""

    alerts: int
    attached: int
    declared: int
    recorded: int
    paged: int
    suppressed: int
    unrouted: int
    incident_id: str  # the last incident an alert reached, "" if none


class AlertRouter(Handle):
    """A routing file (lib/docs/alert-routing.md) read for intake into the
    incidents of a :class:`Context` (inc_alert_router); closing the context
    closes it. Not thread-safe beyond the context's lock."""

    _kind = "alert router"

    def __init__(self, context: Context, text: Union[str, bytes],
                 file: Optional[str] = None) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        out = ctypes.c_void_p()
        diag = _lib.Diag()
        with context._lock:
            rc = _lib.lib.inc_alert_router_parse(context._handle(), _lib.encode(file, "file"),
                                                 data, len(data), ctypes.byref(out),
                                                 ctypes.byref(diag))
            if rc != 0:
                raise make_error(rc, _lib.decode(diag.message) or None, line=diag.line or None,
                                 offset=diag.offset)
            super().__init__(out.value)
            self._context = context
            self._lock = context._lock
            context._routers[id(self)] = self

    def _free(self, ptr: int) -> None:
        self._clib.inc_alert_router_free(ptr)
        self._context._routers.pop(id(self), None)

    def _error(self, rc: int) -> IncidentError:
        return make_error(rc, _lib.decode(self._clib.inc_alert_router_errmsg(self._ptr)) or None)

    def intake(self, document: Union[str, bytes]) -> AlertOutcome:
        """Take in one Alertmanager (version 4) or PagerDuty Events v2
        document, str or bytes (inc_alert_router_intake); an AlertOutcome."""
        data = document.encode("utf-8") if isinstance(document, str) else bytes(document)
        out = _lib.AlertOutcome()
        with self._lock:
            rc = self._clib.inc_alert_router_intake(self._handle(), data, len(data),
                                                    ctypes.byref(out))
            if rc != 0:
                raise self._error(rc)
        return AlertOutcome(out.alerts, out.attached, out.declared, out.recorded, out.paged,
                            out.suppressed, out.unrouted, _lib.decode(out.incident_id) or "")

    def flush(self) -> int:
        """Write the repeat counts not yet written (inc_alert_router_flush);
        the number of events written."""
        n = ctypes.c_size_t()
        with self._lock:
            rc = self._clib.inc_alert_router_flush(self._handle(), ctypes.byref(n))
            if rc != 0:
                raise self._error(rc)
        return int(n.value)
