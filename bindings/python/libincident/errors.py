"""Status codes as exceptions.

Every failing call raises a subclass of :class:`IncidentError` carrying the
status ``code`` (a negative int), its symbolic ``name`` ("INC_ECONFLICT") and
the library's message for the failure. Each status code has its own class;
several also derive from the matching builtin exception so that ordinary
``except ValueError`` or ``except PermissionError`` handlers work too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional, Type

from . import _lib

if TYPE_CHECKING:
    from .due import DueList
    from .seal import SealReport, SealSummary

OK = 0
ERROR = -1
ENOMEM = -2
EINVAL = -3
ENOTFOUND = -4
EEXIST = -5
ECONFLICT = -6
EPERM = -7
EROLE = -8
ESTATE = -9
ECORRUPT = -10
EIO = -11
ETOOBIG = -12
EPARSE = -13
EVERSION = -14
EREADONLY = -15
EUNSUPPORTED = -16
ELOCKED = -17


def status_name(code: int) -> str:
    """The symbolic name of a status code, such as "INC_ECONFLICT"."""
    return _lib.text(_lib.lib.inc_status_name(code))


def strerror(code: int) -> str:
    """A short English description of a status code."""
    return _lib.text(_lib.lib.inc_strerror(code))


class IncidentError(Exception):
    """A libincident call failed.

    Attributes: ``code`` (the negative status code), ``name`` (its symbolic
    name), ``message`` (the library's message naming the field or rule), and,
    for parsers and importers, ``line`` and ``offset`` in the input (else
    None); :meth:`Incident.verify` failures also set ``bad_seq``.
    """

    code = ERROR

    if TYPE_CHECKING:
        # Set on the exception by the calls that fail part way:
        # Incident.deliver_due (the items delivered before the failure) and
        # Context.seal_verify (the reports and summary so far).
        due: DueList
        reports: List[SealReport]
        summary: SealSummary

    def __init__(
        self,
        code: Optional[int] = None,
        message: Optional[str] = None,
        *,
        line: Optional[int] = None,
        offset: Optional[int] = None,
        bad_seq: Optional[int] = None,
    ) -> None:
        if code is None:
            code = type(self).code
        self.code = code
        self.name = status_name(code)
        self.message = message or strerror(code)
        self.line = line
        self.offset = offset
        self.bad_seq = bad_seq
        # One argument only: OSError subclasses would read two as (errno, strerror).
        super().__init__(self.message)

    def __str__(self) -> str:
        return "%s: %s" % (self.name, self.message)

    def __repr__(self) -> Any:
        return "%s(%s, %r)" % (type(self).__name__, self.name, self.message)


class InternalError(IncidentError):
    """INC_ERROR: an unspecified failure (a bug or an external error)."""

    code = ERROR


class NoMemoryError(IncidentError, MemoryError):
    """INC_ENOMEM: an allocation failed; nothing was changed."""

    code = ENOMEM


class InvalidError(IncidentError, ValueError):
    """INC_EINVAL: a bad argument; the message names the field."""

    code = EINVAL


class NotFoundError(IncidentError, LookupError):
    """INC_ENOTFOUND: no such incident, level, role or item."""

    code = ENOTFOUND


class UnknownNameError(NotFoundError, ValueError):
    """INC_ENOTFOUND for an argument given by name (a state, role, audience,
    CAN report kind, postmortem section or action status) that names none:
    the status the C library reports, and a ValueError, since the mistake is
    the argument. The message lists the valid names."""

    code = ENOTFOUND


class ExistsError(IncidentError):
    """INC_EEXIST: the thing being created exists already."""

    code = EEXIST


class ConflictError(IncidentError):
    """INC_ECONFLICT: another writer appended first: reload and retry."""

    code = ECONFLICT


class PermissionDeniedError(IncidentError, PermissionError):
    """INC_EPERM: the actor lacks the authority; the message names who has it."""

    code = EPERM


class RoleError(IncidentError):
    """INC_EROLE: a role rule refused the change (strict policy)."""

    code = EROLE


class StateError(IncidentError):
    """INC_ESTATE: the lifecycle forbids this move."""

    code = ESTATE


class CorruptError(IncidentError):
    """INC_ECORRUPT: stored data failed a checksum, hash or format check."""

    code = ECORRUPT


class StoreIOError(IncidentError, OSError):
    """INC_EIO: an operating-system I/O call failed."""

    code = EIO


class TooBigError(IncidentError, ValueError):
    """INC_ETOOBIG: a string or document exceeds a documented bound."""

    code = ETOOBIG


class ParseError(IncidentError, ValueError):
    """INC_EPARSE: a document is malformed; ``line``/``offset`` say where."""

    code = EPARSE


class VersionError(IncidentError):
    """INC_EVERSION: a struct or format version this build does not know."""

    code = EVERSION


class ReadOnlyError(IncidentError):
    """INC_EREADONLY: the store was opened read-only."""

    code = EREADONLY


class UnsupportedError(IncidentError, NotImplementedError):
    """INC_EUNSUPPORTED: not supported by this store or build."""

    code = EUNSUPPORTED


class LockedError(IncidentError):
    """INC_ELOCKED: a lock could not be taken."""

    code = ELOCKED


_BY_CODE = {
    cls.code: cls
    for cls in (
        InternalError,
        NoMemoryError,
        InvalidError,
        NotFoundError,
        ExistsError,
        ConflictError,
        PermissionDeniedError,
        RoleError,
        StateError,
        CorruptError,
        StoreIOError,
        TooBigError,
        ParseError,
        VersionError,
        ReadOnlyError,
        UnsupportedError,
        LockedError,
    )
}


def error_class(code: int) -> Type[IncidentError]:
    """The exception class for a status code (IncidentError if unknown)."""
    return _BY_CODE.get(code, IncidentError)


def make_error(code: int, message: Optional[str] = None, **extra: Any) -> IncidentError:
    """An exception instance for a failed call."""
    error: IncidentError = error_class(code)(code, message, **extra)
    return error


def closed_error(what: str) -> InvalidError:
    """The error a closed handle raises (like a closed file: a ValueError)."""
    return InvalidError(EINVAL, "%s is closed" % what)
