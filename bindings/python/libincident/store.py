"""Stores of incident timelines (incident/store.h, incident/journal.h) and
store backends written in Python (incident/sys/store.h)."""

from __future__ import annotations

import ctypes
import os
import threading
import weakref
from dataclasses import dataclass

from . import _lib
from ._handle import Handle
from ._time import to_ms
from .enums import SyncPolicy
from .errors import ECORRUPT, EIO, ERROR, EVERSION, IncidentError, make_error
from .seal import StoreSealMixin

from typing import TYPE_CHECKING, Any, Callable, Iterable, List, Optional, Tuple, Union

if TYPE_CHECKING:
    from .context import Context


@dataclass(frozen=True)
class JournalStats:
    """Counters of a journal handle (inc_journal_stats)."""

    appends: int
    events: int
    syncs: int
    pending_events: int
    recoveries: int
    bytes_dropped: int
    last_recovery_id: str
    summary_hits: int
    summary_misses: int
    summary_writes: int


@dataclass(frozen=True)
class Recovery:
    """What journal recovery set aside from one incident file
    (inc_journal_recovery, RULES TL-4): ``cut`` is True when the bytes were
    moved to the quarantine file ``quarantine`` (never deleted); ``why``
    says why they were judged a torn write."""

    id: str
    file: str
    offset: int
    bytes: int
    last_seq: int
    cut: bool
    quarantine: Optional[str] = None
    why: Optional[str] = None


@dataclass(frozen=True)
class Quarantine:
    """One quarantine file of a journal (inc_journal_quarantine): bytes
    recovery set aside, never deleted (RULES TL-4)."""

    id: str
    file: str
    offset: int
    bytes: int


class StoreBackend:
    """Base class for a store written in Python; pass an instance to
    :meth:`Store.from_backend`.

    The contract is incident/sys/store.h's: events of an incident are
    numbered 1, 2, 3, ...; :meth:`append` stores all ``records`` (bytes,
    opaque) numbered ``expected_seq + 1`` onward if and only if the
    incident's last stored number is ``expected_seq`` (0 = it does not exist
    yet), else it raises ConflictError and stores nothing; :meth:`read`
    yields ``(seq, data)`` from ``from_seq`` on, in order, and raises
    NotFoundError for an unknown incident; :meth:`list` yields every id.
    Raise an IncidentError subclass to report a status code; any other
    exception is reported to the library as INC_EIO and chained to the
    IncidentError the failing call raises.

    Override :meth:`put_blob` and :meth:`get_blob` too for a backend that
    keeps blobs (version 3: the rubric recorded once per store, RUB-4);
    without them each declaration carries its rubric's text.
    """

    def append(self, incident_id: str, expected_seq: int, records: List[bytes]) -> None:
        raise NotImplementedError

    def read(self, incident_id: str, from_seq: int) -> Iterable[Tuple[int, bytes]]:
        raise NotImplementedError

    def list(self) -> Iterable[str]:
        raise NotImplementedError

    def sync(self) -> None:
        """Make appended events durable (optional)."""

    def close(self) -> None:
        """Release resources; called once, when the store is freed."""

    # Blobs (backend version 3), optional: override both or neither.

    def put_blob(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` (optional; override it together with
        :meth:`get_blob`). ``key`` is the 64 lower-case hex digits of the
        SHA-256 of ``data``, computed by the library. Storing a key that is
        already there succeeds and changes nothing; a blob is never removed
        or replaced. It must be durable when this returns, whatever
        :meth:`sync` does: the library appends the event that names it right
        after."""
        raise NotImplementedError

    def get_blob(self, key: str) -> bytes:
        """The bytes stored under ``key`` (optional; override it together
        with :meth:`put_blob`); raise NotFoundError for a key the store does
        not hold, as :meth:`read` does for an unknown incident. Return the
        bytes as stored: the library hashes them and refuses a blob that no
        longer matches its key (CorruptError)."""
        raise NotImplementedError

    def keeps_blobs(self) -> bool:
        """Whether this backend's class overrides :meth:`put_blob` and
        :meth:`get_blob`. A backend that keeps blobs records each rubric
        once per store and declarations name it by its SHA-256; one that
        does not (neither overridden) still works, each declaration then
        carries its rubric's text (incident/sys/store.h, version 3).
        Overriding only one of the two is a TypeError at
        :meth:`Store.from_backend`. A backend that wraps another may override
        this to answer for the one it wraps."""
        cls = type(self)
        put = cls.put_blob is not StoreBackend.put_blob
        get = cls.get_blob is not StoreBackend.get_blob
        if put != get:
            raise TypeError("%s: override both put_blob and get_blob, or neither"
                            % cls.__name__)
        return put


class _Bridge:
    """The C side of a Python backend: the vtable, its callbacks and the
    last exception a callback swallowed. Holds no reference to the Store,
    so nothing cycles back to a finalizer."""

    def __init__(self, backend: StoreBackend) -> None:
        self.backend = backend
        self.pending = None  # the last non-library exception, for chaining
        self.freed = False
        self.vtable = _lib.init_struct(_lib.StoreBackendStruct, "inc_store_backend_init",
                                       _lib.STORE_BACKEND_VERSION)
        # The CFUNCTYPE objects must live as long as the store: they are
        # attributes of the vtable struct, which this object keeps.
        self.vtable.append = _lib.APPEND_FN(self._append)
        self.vtable.read = _lib.READ_FN(self._read)
        self.vtable.list = _lib.LIST_FN(self._list)
        self.vtable.sync = _lib.SYNC_FN(self._sync)
        self.vtable.free = _lib.FREE_FN(self._free)
        if backend.keeps_blobs():
            self.vtable.put_blob = _lib.PUT_BLOB_FN(self._put_blob)
            self.vtable.get_blob = _lib.GET_BLOB_FN(self._get_blob)

    def _fail(self, err: int, exc: Any) -> int:
        if isinstance(exc, IncidentError):
            code, message = exc.code, exc.message
        else:
            self.pending = exc
            code, message = EIO, "%s: %s" % (type(exc).__name__, exc)
        if code >= 0:
            code = ERROR
        _lib.lib.inc_error_set(err, code, b"%s", message.encode("utf-8", "replace")[:255])
        return code

    def _append(
        self,
        _self: int,
        incident_id: bytes,
        expected_seq: int,
        records: Any,
        count: int,
        err: int,
    ) -> int:
        try:
            blobs = [ctypes.string_at(records[i].data, records[i].len) if records[i].len else b""
                     for i in range(count)]
            self.backend.append(_lib.text(incident_id), expected_seq, blobs)
            return 0
        except BaseException as exc:  # noqa: B036 - nothing may escape into C
            return self._fail(err, exc)

    def _read(
        self,
        _self: int,
        incident_id: bytes,
        from_seq: int,
        cb: int,
        cb_user: Optional[int],
        err: int,
    ) -> int:
        call = _lib.EVENT_CB_CALL(cb)
        try:
            events = self.backend.read(_lib.text(incident_id), from_seq)
            try:
                for seq, data in events:
                    data = bytes(data)
                    rc = call(cb_user, seq, data, len(data))
                    if rc != 0:
                        return int(rc)
            finally:
                close = getattr(events, "close", None)
                if close is not None:
                    close()
            return 0
        except BaseException as exc:  # noqa: B036
            return self._fail(err, exc)

    def _list(self, _self: int, cb: int, cb_user: Optional[Any], err: int) -> int:
        call = _lib.ID_CB_CALL(cb)
        try:
            for incident_id in self.backend.list():
                rc = call(cb_user, _lib.encode(incident_id, "id"))
                if rc != 0:
                    return int(rc)
            return 0
        except BaseException as exc:  # noqa: B036
            return self._fail(err, exc)

    def _put_blob(self, _self: int, key: bytes, data: int, length: int, err: int) -> int:
        try:
            self.backend.put_blob(_lib.text(key), ctypes.string_at(data, length) if length else b"")
            return 0
        except BaseException as exc:  # noqa: B036
            return self._fail(err, exc)

    def _get_blob(self, _self: int, key: bytes, cb: int, cb_user: Optional[int], err: int) -> int:
        call = _lib.BLOB_CB_CALL(cb)
        try:
            data = bytes(self.backend.get_blob(_lib.text(key)))
        except BaseException as exc:  # noqa: B036
            return self._fail(err, exc)
        return int(call(cb_user, data, len(data)))

    def _sync(self, _self: Any, err: Any) -> Any:
        try:
            self.backend.sync()
            return 0
        except BaseException as exc:  # noqa: B036
            return self._fail(err, exc)

    def _free(self, _self: int) -> None:
        self.freed = True
        try:
            self.backend.close()
        except BaseException:  # noqa: B036 - nowhere to report it
            pass


def blob_keys(event: bytes) -> List[str]:
    """The blob keys an event's bytes name (inc_event_blob_key: the
    ``rubric_sha256`` of a ``declared`` event in a store that keeps blobs);
    [] for every other event.

    A tool that copies raw timelines between stores (:meth:`Store.read`,
    :meth:`Store.append`) must copy these blobs too (:meth:`Store.get_blob`,
    :meth:`Store.put_blob`), before the events: an event whose blob is not
    in the store cannot be read. :meth:`Store.copy_incident` does it all.
    CorruptError or VersionError when the bytes are not an event the
    library decodes."""
    data = bytes(event)
    key = ctypes.create_string_buffer(_lib.STORE_BLOB_KEY_LEN + 1)
    rc = int(_lib.lib.inc_event_blob_key(data, len(data), key))
    if rc < 0:
        raise make_error(rc, "event: the bytes are not an event this library decodes")
    return [key.value.decode("ascii")] if rc == 1 else []


def _collect_ids(call: Callable[[Any], Any]) -> Tuple[int, List[str]]:
    """Run a C listing function with a callback that gathers the ids."""
    ids: List[str] = []

    def on_id(_user: Optional[Any], incident_id: bytes) -> int:
        ids.append(_lib.text(incident_id))
        return 0

    cb = _lib.ID_CB(on_id)
    rc = int(call(cb))
    return rc, ids


class Store(Handle, StoreSealMixin):
    """A store of incident timelines. Make one with :meth:`memory`,
    :meth:`journal` or :meth:`from_backend`; hand it to ``Context(store=...)``.

    Closing a store first closes every context using it (and their incidents).
    """

    _kind = "store"

    def __init__(
        self,
        _ptr: Optional[int],
        *,
        _bridge: Optional[_Bridge] = None,
        _keep: Union[List[Any], Tuple[()]] = (),
        _borrowed: bool = False,
    ) -> None:
        super().__init__(_ptr)
        self._bridge = _bridge
        self._keep = list(_keep)  # callbacks handed to C for the store's life
        self._borrowed = _borrowed  # a context's own store: the context frees it
        self._contexts: weakref.WeakSet[Context] = weakref.WeakSet()
        self._lock = threading.RLock()
        self._callback_errors: List[BaseException] = []
        self.is_journal = False

    def close(self) -> None:
        """Close the contexts using the store, then free it (inc_store_free).
        Does nothing for the view of a context's own store: the context frees it."""
        if not self._borrowed:
            super().close()

    def _free(self, ptr: int) -> None:
        for ctx in list(self._contexts):
            ctx.close()
        self._clib.inc_store_free(ptr)

    def _error(self, rc: int, message: Optional[Any] = None, **extra: Any) -> IncidentError:
        text = message or _lib.decode(self._clib.inc_store_errmsg(self._ptr)) or None
        exc = make_error(rc, text, **extra)
        cause = self._take_pending()
        if cause is not None:
            exc.__cause__ = cause
        return exc

    def _take_pending(self) -> Any:
        bridge = self._bridge
        if bridge is None or bridge.pending is None:
            return None
        cause, bridge.pending = bridge.pending, None
        return cause

    def _check(self, rc: int) -> int:
        if rc < 0:
            raise self._error(rc)
        return rc

    # ---- constructors

    @classmethod
    def memory(cls) -> Store:
        """An empty store in memory (inc_store_memory_new)."""
        out = ctypes.c_void_p()
        rc = _lib.lib.inc_store_memory_new(None, ctypes.byref(out))
        if rc != 0:
            raise make_error(rc)
        return cls(out.value)

    @classmethod
    def journal(
        cls,
        path: str,
        *,
        sync: SyncPolicy = SyncPolicy.EVERY,
        group_count: int = 0,
        group_ms: int = 0,
        read_only: bool = False,
        must_exist: bool = False,
        clock: Optional[Callable[..., Any]] = None,
        on_recovery: Optional[Callable[[Recovery], Any]] = None,
        allow_shared: bool = False,
    ) -> Store:
        """Open (or create) a journal directory (inc_store_journal_open).

        A directory writable by its group or others, or owned by another
        user, is refused (:class:`PermissionDeniedError`, ``INC_EPERM``) unless
        ``allow_shared`` is true.

        ``clock`` (a callable returning an aware datetime or int ms) drives
        the group-commit time bound; ``on_recovery`` is called with a
        :class:`Recovery` for each torn tail found after a crash.
        """
        opts = _lib.JournalOptions()
        rc = _lib.lib.inc_journal_options_init(ctypes.byref(opts), _lib.JOURNAL_OPTIONS_VERSION)
        if rc != 0:
            raise make_error(rc)
        opts.sync = int(SyncPolicy(sync))
        opts.group_count = group_count
        opts.group_ms = group_ms
        opts.read_only = 1 if read_only else 0
        opts.must_exist = 1 if must_exist else 0
        opts.allow_shared = 1 if allow_shared else 0
        keep: List[Any] = []
        errors: List[BaseException] = []
        if clock is not None:
            opts.clock = _make_clock(clock, errors)
            keep.append(opts.clock)
        if on_recovery is not None:
            opts.on_recovery = _make_recovery(on_recovery, errors)
            keep.append(opts.on_recovery)
        diag = _lib.Diag()
        opts.diag = ctypes.pointer(diag)
        out = ctypes.c_void_p()
        rc = _lib.lib.inc_store_journal_open(
            _lib.encode(os.fspath(path), "path"), ctypes.byref(opts), ctypes.byref(out)
        )
        if rc != 0:
            raise make_error(rc, _lib.decode(diag.message) or None)
        store = cls(out.value, _keep=keep)
        store.is_journal = True
        store._callback_errors = errors  # raised by the next context call
        return store

    @classmethod
    def postgresql(cls, conninfo: str, *, no_migrate: bool = False) -> Store:
        """Open (and on first use create) a store in a PostgreSQL database
        (inc_pg_store_open, in libincident-pg). ``conninfo`` is a libpq
        connection string or a ``postgresql://`` URI; the password in it never
        appears in a message. UnsupportedError when libincident-pg is not
        installed; StoreIOError when the server cannot be reached or refuses
        the login; PermissionDeniedError for a role without rights;
        VersionError for a newer schema."""
        pg = _lib.pg_lib()
        if pg is None:
            raise make_error(-16, "libincident-pg (the PostgreSQL store) is not installed")
        opts = _lib.PgOptions()
        rc = pg.inc_pg_options_init(ctypes.byref(opts), _lib.PG_OPTIONS_VERSION)
        if rc != 0:
            raise make_error(rc)
        opts.no_migrate = 1 if no_migrate else 0
        diag = _lib.Diag()
        opts.diag = ctypes.pointer(diag)
        out = ctypes.c_void_p()
        rc = pg.inc_pg_store_open(_lib.encode(conninfo, "conninfo"), ctypes.byref(opts),
                                  ctypes.byref(out))
        if rc != 0:
            raise make_error(rc, _lib.decode(diag.message) or None)
        return cls(out.value, _keep=[pg])

    @classmethod
    def open(cls, spec: "Union[str, os.PathLike[str]]", **journal_options: Any) -> Store:
        """A ``postgresql://`` (or ``postgres://``) URI opens the PostgreSQL
        store, anything else is a journal directory."""
        path = os.fspath(spec)
        if path.startswith(("postgresql://", "postgres://")):
            return cls.postgresql(path)
        return cls.journal(path, **journal_options)

    @classmethod
    def from_backend(cls, backend: StoreBackend) -> Store:
        """A store over a :class:`StoreBackend` written in Python (inc_store_new)."""
        bridge = _Bridge(backend)
        out = ctypes.c_void_p()
        rc = _lib.lib.inc_store_new(ctypes.byref(bridge.vtable), None, ctypes.byref(out))
        if rc != 0:
            raise make_error(rc)
        return cls(out.value, _bridge=bridge)

    @property
    def backend(self) -> Optional[StoreBackend]:
        """The Python backend of a store made by :meth:`from_backend`, else None."""
        return self._bridge.backend if self._bridge else None

    # ---- operations

    def ids(self) -> List[str]:
        """Every incident id in the store (inc_store_list)."""
        with self._lock:
            rc, ids = _collect_ids(lambda cb: self._clib.inc_store_list(self._handle(), cb, None))
            self._check(rc)
        return ids

    def sync(self) -> None:
        """Make everything appended durable (inc_store_sync)."""
        with self._lock:
            self._check(self._clib.inc_store_sync(self._handle()))

    def append(self, incident_id: str, expected_seq: int, records: List[bytes]) -> None:
        """Append raw event bytes at ``expected_seq`` (inc_store_append), for
        tools that copy timelines; ConflictError if another writer was first."""
        records = [bytes(r) for r in records]
        array = (_lib.StoreRecord * max(1, len(records)))()
        for i, blob in enumerate(records):
            array[i].data = ctypes.cast(ctypes.c_char_p(blob), ctypes.c_void_p)
            array[i].len = len(blob)
        with self._lock:
            self._check(
                self._clib.inc_store_append(
                    self._handle(), _lib.encode(incident_id, "id"), expected_seq, array,
                    len(records),
                )
            )

    def read(self, incident_id: str, from_seq: int = 1) -> List[Tuple[int, bytes]]:
        """The raw events of an incident from ``from_seq`` on: [(seq, bytes)] (inc_store_read)."""
        events = []

        def on_event(_user: Optional[Any], seq: int, data: int, length: int) -> int:
            events.append((seq, ctypes.string_at(data, length) if length else b""))
            return 0

        cb = _lib.EVENT_CB(on_event)
        with self._lock:
            self._check(
                self._clib.inc_store_read(self._handle(), _lib.encode(incident_id, "id"), from_seq,
                                          cb, None)
            )
        return events

    def scan(self) -> List[Tuple[str, int, bytes]]:
        """Every event of every incident in one pass: [(id, seq, bytes)], each
        incident's events together and in order (inc_store_scan; one query
        over PostgreSQL)."""
        events: List[Tuple[str, int, bytes]] = []

        def on_event(_user: Any, incident_id: bytes, seq: int, data: Any, length: int) -> int:
            events.append((incident_id.decode("utf-8"), int(seq),
                           ctypes.string_at(data, length) if length else b""))
            return 0

        cb = _lib.SCAN_CB(on_event)
        with self._lock:
            self._check(self._clib.inc_store_scan(self._handle(), cb, None))
        return events

    def put_blob(self, data: bytes) -> str:
        """Store ``data`` as a blob (inc_store_put_blob) and return its key,
        the 64 lower-case hex digits of its SHA-256; storing it again changes
        nothing. UnsupportedError if the store keeps no blobs (a backend
        without blob methods), TooBigError above 16 MiB."""
        data = bytes(data)
        key = ctypes.create_string_buffer(_lib.STORE_BLOB_KEY_LEN + 1)
        with self._lock:
            self._check(self._clib.inc_store_put_blob(self._handle(), data, len(data), key))
        return key.value.decode("ascii")

    def get_blob(self, key: str) -> bytes:
        """The bytes of the blob ``key`` (inc_store_get_blob), checked by the
        library against the key: CorruptError if they no longer hash to it
        (a changed blob), NotFoundError if the store has no such blob,
        InvalidError for a key that is not 64 lower-case hex digits,
        UnsupportedError if the store keeps no blobs."""
        got: List[bytes] = []

        def on_blob(_user: Optional[Any], data: int, length: int) -> int:
            got.append(ctypes.string_at(data, length) if length else b"")
            return 0

        cb = _lib.BLOB_CB(on_blob)
        with self._lock:
            self._check(self._clib.inc_store_get_blob(self._handle(), _lib.encode(key, "key"),
                                                      cb, None))
        return got[0]

    def copy_incident(self, incident_id: str, to: Store) -> int:
        """Copy an incident as it is stored into the store ``to``, under the
        same id (inc_store_copy_incident), and return how many events were
        copied.

        This is the copy a tool must make since the rubric is recorded once
        per store (RUB-4): the blob the declaration names is put into ``to``
        before the events, so the copy opens. Nothing of the incident is
        appended on failure: UnsupportedError when ``to`` keeps no blobs (a
        declaration that names its rubric by key cannot live there),
        ConflictError if ``to`` already has the incident, NotFoundError if
        this store has none, CorruptError if the blob is missing or
        changed. Takes this store's lock, then ``to``'s."""
        count = ctypes.c_uint64()
        with self._lock, to._lock:
            rc = int(self._clib.inc_store_copy_incident(
                self._handle(), to._handle(), _lib.encode(incident_id, "id"),
                ctypes.byref(count)))
            if rc != 0:
                raise to._error(rc)
        return int(count.value)

    def wait(self, timeout_ms: int) -> bool:
        """Block until another writer may have appended, or ``timeout_ms``
        passed (inc_store_wait): True for "may have changed", False for
        "timed out". Over PostgreSQL a notification wakes it; over other
        stores it sleeps the timeout and returns True."""
        with self._lock:
            rc = int(self._clib.inc_store_wait(self._handle(), int(timeout_ms)))
            if rc < 0:
                self._check(rc)
        return rc == 1

    def journal_verify(self, incident_id: str) -> None:
        """Check a journal incident file end to end (inc_journal_verify).

        Returns None; raises CorruptError (``bad_seq`` set) when a record fails."""
        bad = ctypes.c_uint64()
        with self._lock:
            rc = self._clib.inc_journal_verify(self._handle(), _lib.encode(incident_id, "id"),
                                               ctypes.byref(bad))
            if rc != 0:
                raise self._error(rc, bad_seq=bad.value or None)

    def journal_quarantine(self, incident_id: Optional[str] = None) -> List[Quarantine]:
        """The quarantine files of one incident, or of every incident when
        ``incident_id`` is None: a list of :class:`Quarantine`
        (inc_journal_quarantine_list)."""
        files: List[Quarantine] = []

        def collect(_user: Optional[int], q: Any) -> int:
            r = q.contents
            files.append(Quarantine(_lib.text(r.id), _lib.text(r.file), r.offset, r.bytes))
            return 0

        cb = _lib.QUARANTINE_FN(collect)
        ident = None if incident_id is None else _lib.encode(incident_id, "id")
        with self._lock:
            rc = self._clib.inc_journal_quarantine_list(self._handle(), ident, cb, None)
            if rc != 0:
                raise self._error(rc)
        return files

    def journal_stats(self) -> JournalStats:
        """The counters of a journal handle (inc_journal_get_stats)."""
        stats = _lib.JournalStats()
        stats.version = _lib.JOURNAL_STATS_VERSION
        with self._lock:
            rc = self._clib.inc_journal_get_stats(self._handle(), ctypes.byref(stats))
        if rc != 0:
            raise make_error(rc, "journal stats: not a journal store" if rc == -3 else None)
        return JournalStats(
            stats.appends, stats.events, stats.syncs, stats.pending_events, stats.recoveries,
            stats.bytes_dropped, _lib.text(stats.last_recovery_id),
            stats.summary_hits, stats.summary_misses, stats.summary_writes,
        )

    def __repr__(self) -> Any:
        kind = "journal" if self.is_journal else ("python" if self._bridge else "memory")
        return "<Store %s%s>" % (kind, " (closed)" if self.closed else "")


def _make_clock(clock: Callable[..., Any], errors: List[Any]) -> Any:
    """A C clock over a Python callable returning a datetime or int ms.

    A callable that raises cannot fail the C call: the system clock's time is
    used, and the exception is kept in ``errors`` to be raised afterwards."""

    def tick(_user: Optional[Any]) -> int:
        try:
            return to_ms(clock(), "clock")
        except BaseException as exc:  # noqa: B036 - nothing may escape into C
            errors.append(exc)
            return int(_lib.lib.inc_clock_system(None))

    return _lib.CLOCK_FN(tick)


def _make_recovery(fn: Callable[..., Any], errors: List[Any]) -> Any:
    def on_recovery(_user: Optional[Any], rec: Any) -> None:
        r = rec.contents
        try:
            fn(Recovery(_lib.text(r.id), _lib.text(r.file), r.offset, r.bytes, r.last_seq,
                        bool(r.cut), _lib.decode(r.quarantine) if r.quarantine else None,
                        _lib.decode(r.why) if r.why else None))
        except BaseException as exc:  # noqa: B036
            errors.append(exc)

    return _lib.RECOVERY_FN(on_recovery)
