"""A page of incidents with what each row carries besides its summary: its current tags and the media
attached to it, as the user may see them (the JSON API's list).

Each of the two is read in one query for the whole page, whatever the
number of rows: a page of 200 incidents costs the same two lookups as a
page of one, and both go through the page's ids on indexed columns, so the
size of the archive does not matter.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.access import User
from ..domain.filters import IncidentFilter
from ..domain.tags import Tag
from . import Workspace
from .attachments import AttachedMedia, attached_to_incidents
from .reading import IncidentSummary, Page, query_incidents
from .tags import tags_on_incidents

__all__ = ["IncidentRows", "incident_rows"]


@dataclass(slots=True)
class IncidentRows:
    page: Page[IncidentSummary]
    tags: dict[int, list[Tag]] = field(default_factory=dict)  # incident id -> current tags, oldest first
    media: dict[int, list[AttachedMedia]] = field(default_factory=dict)  # incident id -> attachments in force

    def tags_of(self, incident_id: int) -> list[Tag]:
        return self.tags.get(incident_id, [])

    def media_of(self, incident_id: int) -> list[AttachedMedia]:
        return self.media.get(incident_id, [])


def incident_rows(ws: Workspace, *, user: User, filters: IncidentFilter, sort: str = "-date", page: int = 1,
                  per_page: int = 50) -> IncidentRows:
    """One page of :func:`~.reading.query_incidents` with each row's tags and attachments.

    The rows are those the user may see, and their tags those the user may
    see named (a viewer's: the tags shown to viewers); attachments follow
    :func:`~.attachments.attached_to_incidents` (none for a viewer)."""
    found = query_incidents(ws, user=user, filters=filters, sort=sort, page=page, per_page=per_page)
    ids = [int(s.id) for s in found.items]
    if not ids:
        return IncidentRows(page=found)
    return IncidentRows(page=found, tags=tags_on_incidents(ws, user=user, ids=ids),
                        media=attached_to_incidents(ws, user=user, ids=ids))
