"""The context: clock, store, rubric and enforcement policy (incident/context.h)."""

from __future__ import annotations

import ctypes
import threading
import weakref

from . import _lib
from ._handle import Handle
from ._time import to_datetime_set, to_ms
from .enums import Criteria, Policy
from .errors import make_error
from .incident_list import IncidentListContextMixin
from .metrics import MetricsContextMixin
from .oncall import OncallContextMixin
from .postmortem import ActionsContextMixin
from .rubric import Rubric
from .seal import ContextSealMixin
from .store import Store, _collect_ids, _make_clock

from typing import TYPE_CHECKING, Any, Callable, List, Optional, Union

if TYPE_CHECKING:
    from .oncall import Rotation
    from .due import Scheduler
    from datetime import datetime
    from .errors import IncidentError
    from .incident import Incident


class Context(Handle, OncallContextMixin, ActionsContextMixin, MetricsContextMixin,
              ContextSealMixin, IncidentListContextMixin):
    """Every incident is declared, opened or imported through a context.

    ``clock``: a callable returning the current time as an aware datetime
    (or int milliseconds since the epoch); default the system's UTC clock.
    ``store``: a :class:`Store` (borrowed: it must stay open while the
    context is); default a new memory store owned by the context.
    ``rubric``: the :class:`Rubric` new incidents are declared under
    (copied); default the built-in Sev-0..Sev-4 preset. ``policy``:
    :class:`Policy` for role rules.

    A context and its incidents may be used from several threads: calls are
    serialized on a lock shared by every context on the same store. Closing a
    context first closes its open incidents. If the clock callable raises,
    the library gets the system's time instead and the exception is raised
    when the call returns.
    """

    _kind = "context"

    def __init__(
        self,
        *,
        clock: Optional[Callable[..., Any]] = None,
        store: Optional[Store] = None,
        rubric: Optional[Rubric] = None,
        policy: Policy = Policy.ADVISORY,
    ) -> None:
        self._clock_errors: List[BaseException] = []
        self._clock_cb: Any = None
        self._store: Optional[Store] = None
        self._lint_config: Any = None  # kept alive while set
        self._store_view: Optional[Store] = None
        self._incidents: weakref.WeakSet[Incident] = weakref.WeakSet()
        # A weakref to the Scheduler, if there is one.
        self._scheduler: Optional[weakref.ReferenceType[Scheduler]] = None
        # id -> Rotation made from it
        self._rotations: weakref.WeakValueDictionary[int, Rotation] = weakref.WeakValueDictionary()
        # id -> AlertRouter reading it; id -> Feed over its store
        self._routers: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()
        self._feeds: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()
        opts = _lib.ContextOptions()
        rc = _lib.lib.inc_context_options_init(ctypes.byref(opts), _lib.CONTEXT_OPTIONS_VERSION)
        if rc != 0:
            raise make_error(rc)
        if clock is not None:
            if not callable(clock):
                raise TypeError("clock: expected a callable")
            self._clock_cb = _make_clock(clock, self._clock_errors)
            opts.clock = self._clock_cb
        if store is not None:
            if not isinstance(store, Store):
                raise TypeError("store: expected a libincident.Store")
            opts.store = store._handle()
        if rubric is not None:
            if not isinstance(rubric, Rubric):
                raise TypeError("rubric: expected a libincident.Rubric")
            opts.rubric = rubric._handle()
        opts.policy = int(Policy(policy))
        out = ctypes.c_void_p()
        rc = _lib.lib.inc_context_new(ctypes.byref(opts), ctypes.byref(out))
        if rc != 0:
            message = None
            if rubric is not None and rc == -3:
                detail = _lib.decode(_lib.lib.inc_rubric_errmsg(rubric._ptr))
                message = "rubric: " + (detail or "invalid")
            raise make_error(rc, message)
        super().__init__(out.value)
        if store is not None:
            self._store = store  # keep it open as long as we are
            store._contexts.add(self)
            self._lock = store._lock
        else:
            self._lock = threading.RLock()

    def _free(self, ptr: int) -> None:
        scheduler = self._scheduler() if self._scheduler is not None else None
        if scheduler is not None:  # the library frees it before the context
            scheduler.close()
        for incident in list(self._incidents):
            incident.close()
        for rotation in list(self._rotations.values()):  # freed before their context
            rotation.close()
        for router in list(self._routers.values()):
            router.close()
        for feed in list(self._feeds.values()):
            feed.close()
        if self._store_view is not None:
            self._store_view._ptr = None
        self._clib.inc_context_free(ptr)
        if self._store is not None:
            self._store._contexts.discard(self)
        self._store = None
        self._clock_cb = None

    # ---- errors

    def _error(self, rc: int, message: Optional[str] = None, **extra: Any) -> IncidentError:
        message = message or _lib.decode(self._clib.inc_context_errmsg(self._ptr)) or None
        exc = make_error(rc, message, **extra)
        if self._store is not None:
            cause = self._store._take_pending()
            if cause is not None:
                exc.__cause__ = cause
        return exc

    def _after(self, rc: int, message_of: Optional[Any] = None) -> int:
        """Raise for a failed call, or for a clock callback that raised."""
        if rc < 0:
            if message_of is not None:
                raise make_error(rc, message_of())
            raise self._error(rc)
        if self._clock_errors:
            exc = self._clock_errors[0]
            del self._clock_errors[:]
            raise exc
        if self._store is not None:
            errors = self._store._callback_errors
            if errors:
                exc = errors[0]
                del errors[:]
                raise exc
        return rc

    # ---- properties

    def now(self) -> datetime:
        """The current time by the context's clock (inc_context_now)."""
        with self._lock:
            ms = self._clib.inc_context_now(self._handle())
            self._after(0)
        return to_datetime_set(ms)

    @property
    def store(self) -> Store:
        """The context's store: the one given, or a view of its own memory store."""
        self._handle()
        if self._store is not None:
            return self._store
        if self._store_view is None:
            view = Store(self._clib.inc_context_store(self._ptr), _borrowed=True)
            view._lock = self._lock
            self._store_view = view
        return self._store_view

    @property
    def rubric(self) -> Rubric:
        """A copy of the rubric new incidents are declared under. Assigning
        replaces it for incidents declared from now on (RUB-4)."""
        with self._lock:
            return Rubric._borrowed_copy(self._clib.inc_context_rubric(self._handle()))

    @rubric.setter
    def rubric(self, rubric: Rubric) -> None:
        if not isinstance(rubric, Rubric):
            raise TypeError("rubric: expected a libincident.Rubric")
        with self._lock:
            self._after(self._clib.inc_context_set_rubric(self._handle(), rubric._handle()))

    @property
    def policy(self) -> Policy:
        return Policy(self._clib.inc_context_policy(self._handle()))

    @policy.setter
    def policy(self, policy: Policy) -> None:
        with self._lock:
            self._after(self._clib.inc_context_set_policy(self._handle(), int(policy)))

    def set_lint_config(self, config: Any) -> None:
        """Make every lint of this context's incidents (recorded updates, CAN
        reports, briefings, templates, postmortem sections) use a team's
        LintConfig; None goes back to the defaults
        (inc_context_set_lint_config). The context keeps the config alive
        while it is set: do not close it before setting another."""
        from .lint_config import config_ptr

        ptr = config_ptr(config)
        with self._lock:
            self._after(self._clib.inc_context_set_lint_config(self._handle(), ptr))
            self._lint_config = config

    def ids(self) -> List[str]:
        """Every incident id in the context's store (inc_context_list)."""
        with self._lock:
            rc, ids = _collect_ids(lambda cb: self._clib.inc_context_list(self._handle(), cb, None))
            self._after(rc)
        return ids

    # ---- incidents

    def declare(
        self,
        title: str,
        declarer: str,
        severity: str,
        *,
        criteria: Union[Criteria, int] = Criteria.NONE,
        impact_started: Optional[datetime] = None,
        detected: Optional[datetime] = None,
        drill: bool = False,
        slug: Optional[str] = None,
    ) -> Incident:
        """Declare an incident (inc_incident_declare); the declarer is IC
        until one is assigned. Returns the open :class:`Incident`."""
        from .incident import Incident

        opts = _lib.DeclareOptions()
        rc = self._clib.inc_declare_options_init(ctypes.byref(opts), _lib.DECLARE_OPTIONS_VERSION)
        if rc != 0:
            raise make_error(rc)
        opts.title = _lib.encode(title, "title")
        opts.declarer = _lib.encode(declarer, "declarer")
        opts.severity = _lib.encode(severity, "severity")
        opts.criteria = int(criteria)
        opts.impact_started = to_ms(impact_started, "impact_started")
        opts.detected = to_ms(detected, "detected")
        opts.drill = 1 if drill else 0
        opts.slug = _lib.encode(slug, "slug")
        out = ctypes.c_void_p()
        with self._lock:
            rc = self._clib.inc_incident_declare(self._handle(), ctypes.byref(opts),
                                                 ctypes.byref(out))
            if rc != 0:
                raise self._error(rc)
            incident = Incident(self, out.value)
            self._after(0)
        return incident

    def open(self, incident_id: str) -> Incident:
        """Open an incident by id, replaying its timeline (inc_incident_open)."""
        from .incident import Incident

        out = ctypes.c_void_p()
        with self._lock:
            rc = self._clib.inc_incident_open(self._handle(), _lib.encode(incident_id, "id"),
                                              ctypes.byref(out))
            if rc != 0:
                raise self._error(rc)
            return Incident(self, out.value)

    def import_json(self, document: Union[str, bytes]) -> Incident:
        """Import an incident exported by :meth:`Incident.export_json` into
        the store (inc_incident_import_json); returns it open. Bad input
        raises (ParseError, InvalidError, CorruptError, ExistsError ...)
        with ``offset`` set and touches nothing."""
        from .incident import Incident

        data = document.encode("utf-8") if isinstance(document, str) else bytes(document)
        out = ctypes.c_void_p()
        diag = _lib.Diag()
        with self._lock:
            rc = self._clib.inc_incident_import_json(
                self._handle(), data, len(data), ctypes.byref(out), ctypes.byref(diag)
            )
            if rc != 0:
                raise self._error(rc, _lib.decode(diag.message) or None, line=diag.line or None,
                                  offset=diag.offset)
            return Incident(self, out.value)

    def __repr__(self) -> str:
        return "<Context%s>" % (" (closed)" if self.closed else "")
