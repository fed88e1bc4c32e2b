"""TL-5, a sealed record (incident/seal.h, lib/docs/sealing.md): checkpoints
of an incident's head that can be witnessed outside the store, and
forward-secure sealing of a store."""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any, List, Optional, Tuple, Union

from . import _lib
from ._handle import ContextPart, IncidentPart, StorePart
from ._time import to_datetime
from .errors import IncidentError, make_error


_PathLike = Union[str, "os.PathLike[str]"]


def _path(value: _PathLike, what: str) -> Optional[bytes]:
    return _lib.encode(os.fspath(value), what)


@dataclass(frozen=True)
class Checkpoint:
    """The head of a timeline: an event's sequence number and the SHA-256 of
    its bytes, which commits to every event before it. ``str()`` gives
    ``SEQ:HASH``; :meth:`parse` reads it."""

    seq: int
    hash: bytes

    def _c(self) -> Any:
        if len(self.hash) != 32:
            raise ValueError("hash: expected 32 bytes")
        c = _lib.Checkpoint()
        c.seq = self.seq
        ctypes.memmove(c.hash, self.hash, 32)
        return c

    @classmethod
    def _of(cls, c: Any) -> Checkpoint:
        return cls(int(c.seq), bytes(c.hash))

    def __str__(self) -> str:
        buf = ctypes.create_string_buffer(_lib.CHECKPOINT_TEXT_MAX)
        rc = _lib.lib.inc_checkpoint_format(ctypes.byref(self._c()), buf, len(buf))
        if rc != 0:
            raise make_error(rc, "checkpoint: sequence number 0")
        return buf.value.decode("ascii")

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Read ``SEQ:HASH`` (inc_checkpoint_parse); ParseError otherwise."""
        c = _lib.Checkpoint()
        rc = _lib.lib.inc_checkpoint_parse(_lib.encode(text, "checkpoint"), ctypes.byref(c))
        if rc != 0:
            raise make_error(rc, "checkpoint: %r is not SEQ:HASH" % (text,))
        return cls._of(c)


@dataclass(frozen=True)
class SealResult:
    """What :meth:`Context.seal` did."""

    epoch: int
    incidents: int
    events: int


@dataclass(frozen=True)
class SealReport:
    """One incident as :meth:`Context.seal_verify` finds it."""

    id: str
    sealed_seq: int
    sealed_epoch: int
    last_seq: int
    unsealed: int
    ok: bool
    bad_seq: int
    bad_epoch: int


@dataclass(frozen=True)
class SealSummary:
    """The seal log as a whole."""

    seals: int
    last_sealed_at: Optional[datetime]
    key_epoch: int
    incidents: int
    mismatches: int
    unsealed: int
    torn_bytes: int


def seal_key_format(key: bytes) -> str:
    """A key (32 bytes) as 64 hex digits (inc_seal_key_format)."""
    if len(key) != 32:
        raise ValueError("key: expected 32 bytes")
    buf = ctypes.create_string_buffer(_lib.SEAL_KEY_TEXT_MAX)
    rc = _lib.lib.inc_seal_key_format(bytes(key), buf, len(buf))
    if rc != 0:
        raise make_error(rc)
    return buf.value.decode("ascii")


def seal_key_parse(text: str) -> bytes:
    """Read a key written by :func:`seal_key_format` (inc_seal_key_parse)."""
    buf = ctypes.create_string_buffer(32)
    rc = _lib.lib.inc_seal_key_parse(_lib.encode(text, "key"), buf)
    if rc != 0:
        raise make_error(rc, "key: not 64 hex digits")
    return buf.raw


class IncidentSealMixin(IncidentPart):
    """The checkpoint methods of :class:`Incident`."""

    def head(self) -> Checkpoint:
        """The checkpoint of the last event (inc_incident_head)."""
        c = _lib.Checkpoint()
        self._call(self._clib.inc_incident_head, ctypes.byref(c))
        return Checkpoint._of(c)

    def verify_head(self, checkpoint: Checkpoint) -> None:
        """Prove events 1..checkpoint.seq unchanged (inc_incident_verify_head):
        CorruptError with ``bad_seq`` when they differ, NotFoundError when
        the incident has fewer events."""
        bad = ctypes.c_uint64()
        try:
            self._call(self._clib.inc_incident_verify_head, ctypes.byref(checkpoint._c()),
                       ctypes.byref(bad))
        except IncidentError as exc:
            exc.bad_seq = bad.value or None
            raise


class StoreSealMixin(StorePart):
    """The checkpoint method of :class:`Store`."""

    def verify_head(self, incident_id: str, checkpoint: Checkpoint) -> None:
        """:meth:`Incident.verify_head` for an incident that is not open
        (inc_store_verify_head)."""
        bad = ctypes.c_uint64()
        with self._lock:
            rc = self._clib.inc_store_verify_head(self._handle(), _lib.encode(incident_id, "id"),
                                                  ctypes.byref(checkpoint._c()),
                                                  ctypes.byref(bad))
            if rc != 0:
                raise self._error(rc, bad_seq=bad.value or None)


class ContextSealMixin(ContextPart):
    """The sealing methods of :class:`Context`."""

    def seal_setup(self, key_path: _PathLike, log_path: _PathLike) -> bytes:
        """Create the key file and the seal log; return the verification key
        (32 bytes), which is stored nowhere (inc_seal_setup)."""
        buf = ctypes.create_string_buffer(32)
        with self._lock:
            self._after(self._clib.inc_seal_setup(self._handle(), _path(key_path, "key_path"),
                                                  _path(log_path, "log_path"), buf))
        return buf.raw

    def seal(self, key_path: _PathLike, log_path: _PathLike) -> SealResult:
        """Seal every incident's head and evolve the key (inc_seal)."""
        r = _lib.SealResult()
        with self._lock:
            self._after(self._clib.inc_seal(self._handle(), _path(key_path, "key_path"),
                                            _path(log_path, "log_path"), ctypes.byref(r)))
        return SealResult(int(r.epoch), int(r.incidents), int(r.events))

    def seal_verify(
        self,
        log_path: _PathLike,
        verification_key: bytes,
        *,
        key_path: Optional[_PathLike] = None,
    ) -> Tuple[List[SealReport], SealSummary]:
        """Check the seals with the verification key (inc_seal_verify).
        Returns ``(reports, summary)``; on a failure the raised error carries
        them as ``.reports`` and ``.summary`` (CorruptError for a mismatch,
        PermissionDeniedError for a wrong key)."""
        if len(verification_key) != 32:
            raise ValueError("verification_key: expected 32 bytes")
        reports = []

        def on_report(_user: Optional[Any], r: Any) -> None:
            c = r.contents
            reports.append(SealReport(_lib.text(c.id), int(c.sealed_seq), int(c.sealed_epoch),
                                      int(c.last_seq), int(c.unsealed), c.status == 0,
                                      int(c.bad_seq), int(c.bad_epoch)))

        cb = _lib.SEAL_REPORT_FN(on_report)
        s = _lib.SealSummary()
        with self._lock:
            rc = self._clib.inc_seal_verify(
                self._handle(), _path(key_path, "key_path") if key_path is not None else None,
                _path(log_path, "log_path"), bytes(verification_key), cb, None, ctypes.byref(s))
            summary = SealSummary(int(s.seals),
                                  to_datetime(s.last_sealed_at) if s.seals else None,
                                  int(s.key_epoch), int(s.incidents), int(s.mismatches),
                                  int(s.unsealed), int(s.torn_bytes))
            if rc < 0:
                exc = self._error(rc)
                exc.reports, exc.summary = reports, summary
                raise exc
            self._after(rc)
        return reports, summary
