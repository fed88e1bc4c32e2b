"""Links between incidents (LIFE-5): duplicate of a primary, related,
recurrence of a closed incident (incident/incident.h)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, List, Optional, Union

from . import _lib
from ._handle import IncidentPart
from ._time import to_datetime
from .enums import LinkKind, as_link_kind


@dataclass(frozen=True)
class Link:
    """One link of an incident to another (inc_link)."""

    kind: LinkKind
    incident_id: str  # the other incident
    by: str
    at: datetime
    text: Optional[str]
    seq: int  # the event that recorded it


def _link_from(ptr: Any) -> Link:
    link = ptr.contents
    at = to_datetime(link.at)
    if at is None:
        raise ValueError("a link without a time")
    return Link(kind=LinkKind(link.kind), incident_id=_lib.decode(link.incident_id) or "",
                by=_lib.decode(link.by) or "", at=at,
                text=_lib.decode(link.text) if link.text else None, seq=int(link.seq))


class LinksMixin(IncidentPart):
    """The link calls of :class:`Incident`."""

    def add_link(self, actor: str, kind: Union[LinkKind, int, str], other_id: str,
                 text: Optional[str] = None) -> None:
        """Link to another incident of the store (LIFE-5): ``kind`` is a
        LinkKind or its name ("duplicate_of", "duplicate-of", "related",
        "recurrence_of"). Only the IC may. A duplicate is closed with a
        pointer to the primary; a duplicate of itself or a cycle of
        duplicates is InvalidError; a recurrence needs the other closed."""
        self._call(self._clib.inc_incident_add_link, _lib.encode(actor, "actor"),
                   int(as_link_kind(kind)), _lib.encode(other_id, "other_id"),
                   _lib.encode(text, "text"))

    @property
    def links(self) -> List[Link]:
        """The links this incident made, as :class:`Link`, in order."""
        with self._lock:
            ptr = self._handle()
            return [_link_from(self._clib.inc_incident_link(ptr, i))
                    for i in range(self._clib.inc_incident_link_count(ptr))]

    @property
    def duplicate_of(self) -> Optional[str]:
        """The primary's id when this incident is a duplicate, else None."""
        return _lib.decode(self._clib.inc_incident_duplicate_of(self._handle())) or None
