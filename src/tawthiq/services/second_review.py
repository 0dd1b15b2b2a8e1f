"""The second-reviewer step a team may require: its setting, and the incidents waiting for it.

When an admin turns it on, an incident is published only once a reviewer
other than the one who accepted it has verified it:

* :func:`tawthiq.services.review.verify` refuses the person who accepted (or
  corrected and accepted) the incident, and anything not yet accepted;
* every read for a viewer (lists, the incident page, search, map, timeline,
  dashboard, figures, the API and exports) leaves accepted but unverified
  incidents out. That is decided in one place,
  :func:`tawthiq.store.conditions.sight_terms`, which all of them go through.

The setting is stored in ``team_settings`` and each change is in the audit
log with who, when and why (a reason is required). Off until turned on.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from ..domain.access import SECOND_REVIEW, Action, User, allowed, sees_provenance, visible_confidentialities
from ..domain.audit import AuditEntry
from ..domain.enums import IncidentStatus
from ..domain.filters import IncidentFilter
from ..store.queries import IncidentSummary
from . import Workspace
from .errors import PermissionDenied, ServiceError

__all__ = ["SettingError", "TeamSettings", "VerifyPage", "VerifyRow", "required", "set_required", "team_settings",
           "verify_queue"]

MAX_PER_PAGE = 200
VERIFY_SORTS = ("-id", "id", "confidence", "source")  # the store's names, as the review queue's


class SettingError(ServiceError):
    """A refused change of a setting: ``key`` names the interface's message (``verify.error.<key>``)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True, slots=True)
class TeamSettings:
    """The admin's settings page: the second-review rule and who changed it, when and why."""

    second_review: bool
    changes: list[AuditEntry]  # oldest first
    waiting: int  # accepted incidents not yet verified (what the rule holds back from viewers)


@dataclass(frozen=True, slots=True)
class VerifyRow:
    summary: IncidentSummary
    accepted_by: str  # "" when the history does not name who accepted it
    mine: bool  # the reader accepted it: under the rule they cannot verify it


@dataclass(frozen=True, slots=True)
class VerifyPage:
    rows: list[VerifyRow]
    total: int
    page: int
    per_page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]]
    required: bool  # whether the team requires the second reviewer (the page says so)


def _require(user: User, action: Action) -> None:
    if user.disabled or not allowed(user.role, action):
        raise PermissionDenied(f"your role ({user.role}) may not {action.value.replace('-', ' ')}")


def required(ws: Workspace) -> bool:
    """Whether the team requires a second reviewer before an incident is published."""
    from ..store.conditions import second_review

    with ws.db.session() as session:
        return second_review(session)


def team_settings(ws: Workspace, *, user: User) -> TeamSettings:
    """What the admin's settings page shows."""
    from ..store import queries
    from ..store.history import history
    from ..store.vocabulary import setting_id

    _require(user, Action.MANAGE_SETTINGS)
    found = setting_id(ws.db, SECOND_REVIEW)
    changes = [] if found is None else history(ws.db, entity="setting", entity_id=found)
    _, waiting = queries.page_incidents(ws.db, filters=IncidentFilter(status=IncidentStatus.CONFIRMED.value),
                                        sort="id", limit=1, offset=0)
    return TeamSettings(second_review=required(ws), changes=changes, waiting=waiting)


def set_required(ws: Workspace, *, user: User, on: bool, comment: str) -> bool:
    """Turn the rule on or off; returns whether it changed. Who, when and why go to the audit log."""
    from ..store.vocabulary import set_setting

    _require(user, Action.MANAGE_SETTINGS)
    comment = (comment or "").strip()
    if not comment:
        raise SettingError("reason_missing", "say why the team's rule changes")
    return set_setting(ws.db, SECOND_REVIEW, bool(on), user=user.username, comment=comment, default=False)


def verify_queue(ws: Workspace, *, user: User, filters: IncidentFilter | None = None, sort: str = "-id",
                 page: int = 1, per_page: int = 50) -> VerifyPage:
    """Accepted incidents not yet verified that match ``filters``, each with who accepted it."""
    from ..store import queries
    from ..store.history import accepted_by

    _require(user, Action.VERIFY)
    if sort not in VERIFY_SORTS:
        raise ServiceError(f"unknown order {sort!r}; choose one of {', '.join(VERIFY_SORTS)}")
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    wanted = dataclasses.replace(filters or IncidentFilter(), status=IncidentStatus.CONFIRMED.value, q=None)
    visible = tuple(c.value for c in visible_confidentialities(user.role))
    items, total = queries.page_incidents(ws.db, filters=wanted, visible=visible, sort=sort, limit=per_page,
                                          offset=(page - 1) * per_page)
    with ws.db.session() as session:
        accepters = accepted_by(session, [s.id for s in items]) if sees_provenance(user.role) else {}
    rows = [VerifyRow(summary=s, accepted_by=accepters.get(s.id, ""), mine=accepters.get(s.id) == user.username)
            for s in items]
    return VerifyPage(rows=rows, total=total, page=page, per_page=per_page, pages=math.ceil(total / per_page),
                      facets=queries.facet_counts(ws.db, filters=wanted, visible=visible), required=required(ws))
