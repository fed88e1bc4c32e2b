"""Who holds which role: assignments, the IC hand-off and the role checks
(incident/staffing.h), and findings (incident/findings.h)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import datetime
from typing import Any, List, Optional, Set, Tuple

from . import _lib
from ._time import to_datetime, to_datetime_set
from .enums import Role


@dataclass(frozen=True)
class Assignment:
    """One assignment of a role to a person, held now or in the past
    (inc_assignment). The IC's terms are assignments too."""

    person: str
    role: Role
    domain: Optional[str]  # an SME's domain, else None
    assigned_by: str
    assigned_at: datetime
    released_at: Optional[datetime]  # None while held
    seq: int  # the event that began it
    released_seq: int  # the event that ended it, 0 while held


@dataclass(frozen=True)
class Finding:
    """One finding of a check (inc_finding): the rule, the people and roles
    involved, and one sentence saying what is wrong and what to do."""

    rule_id: str
    message: str
    level: Optional[str]
    level_index: Optional[int]
    enforced: bool  # a strict policy refuses changes that cause it
    people: Tuple[str, ...]
    roles: Tuple[Role, ...]  # for a combination, roles[1] is the one to hand on
    role_mask: int
    value: int  # people missing (ROLE-10), milliseconds late (ROLE-12), ...
    since: Optional[datetime]
    slot: Optional[int]  # text lint only
    offset: int
    length: int


class Findings(List[Finding]):
    """The findings of a check, in the library's order, with ``text``: the
    list rendered one finding per line (inc_findings_render)."""

    text = ""

    def count_rule(self, rule_id: str) -> int:
        """How many findings carry ``rule_id`` (inc_findings_count_rule)."""
        return sum(1 for f in self if f.rule_id == rule_id)


def assignment_from(ptr: Any) -> Assignment:
    a = ptr.contents
    return Assignment(
        person=_lib.text(a.person),
        role=Role(a.role),
        domain=_lib.decode(a.domain) or None,
        assigned_by=_lib.text(a.assigned_by),
        assigned_at=to_datetime_set(a.assigned_at),
        released_at=to_datetime(a.released_at),
        seq=a.seq,
        released_seq=a.released_seq,
    )


def _finding_from(ptr: Any) -> Finding:
    f = ptr.contents
    return Finding(
        rule_id=_lib.text(f.rule_id),
        message=_lib.text(f.message),
        level=_lib.decode(f.level),
        level_index=None if f.level_index == _lib.FINDING_NO_LEVEL else f.level_index,
        enforced=bool(f.enforced),
        people=tuple(_lib.text(f.people[i]) for i in range(min(2, f.people_count))),
        roles=tuple(Role(f.roles[i]) for i in range(min(2, f.role_count))),
        role_mask=f.role_mask,
        value=f.value,
        since=to_datetime(f.since),
        slot=None if f.slot < 0 else f.slot,
        offset=f.offset,
        length=f.length,
    )


def copy_findings(ptr: Optional[int]) -> Findings:
    """Copy an inc_findings list someone else owns into a Findings."""
    lib = _lib.lib
    count = lib.inc_findings_count(ptr)
    out = Findings(_finding_from(lib.inc_findings_at(ptr, i)) for i in range(count))
    text = ctypes.c_void_p()
    length = ctypes.c_size_t()
    rc = lib.inc_findings_render(ptr, ctypes.byref(text), ctypes.byref(length))
    if rc != 0:
        from .errors import make_error

        raise make_error(rc)
    out.text = _lib.take_string(text.value, length.value)
    return out


def take_findings(ptr: Optional[int]) -> Findings:
    """Copy an inc_findings list into a Findings and free it."""
    try:
        return copy_findings(ptr)
    finally:
        _lib.lib.inc_findings_free(ptr)


def roles_mask_to_set(mask: int) -> Set[Role]:
    return {role for role in Role if mask & role.bit}
