"""Saved searches: a user names the incidents list's current filters, reopens and deletes them.

Each user sees only their own. The filters are checked and normalised as the
list reads them (:meth:`IncidentFilter.from_params`), so a saved search always
reopens as a valid list; what a reopened list shows is decided, as always, by
the user's role at the time it is opened, never when it was saved. Deleting
withdraws the row (who, when) and keeps it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from ..domain.access import Action, User, allowed
from ..store.saved_searches import SavedSearch
from . import Workspace
from .errors import NotFound, PermissionDenied, ServiceError

__all__ = ["SaveRefused", "SavedSearch", "delete", "list_searches", "open_search", "save"]

MAX_NAME_CHARS = 100
MAX_PER_USER = 200
VIEW_KEYS = ("sort", "per_page")  # kept with the filters: how the list was ordered
_VIEW_VALUES = {"sort": ("-date", "date", "-updated", "updated", "-id", "id", "relevance"),
                "per_page": ("25", "50", "100")}


class SaveRefused(ServiceError):
    """A save the user can fix; ``key`` names the message in the interface's languages."""

    def __init__(self, message: str, *, key: str) -> None:
        super().__init__(message)
        self.key = key


def _require(user: User) -> None:
    if user.disabled or not allowed(user.role, Action.READ_PUBLIC):
        raise PermissionDenied(f"your role ({user.role}) may not search")


def _query(params: Mapping[str, Any]) -> str:
    """The list's query string for ``params``: the filters normalised, the order kept when valid."""
    from .reading import parse_filter

    filters = parse_filter(params)  # a filter that cannot be read is refused with its kind, as the list does
    chosen: dict[str, Any] = dict(filters.to_params())
    for key in VIEW_KEYS:
        getlist = getattr(params, "getlist", None)
        values = getlist(key) if callable(getlist) else [params.get(key)]
        value = values[-1] if values else None
        if isinstance(value, str) and value.strip() in _VIEW_VALUES[key]:
            chosen[key] = value.strip()
    return urlencode(chosen, doseq=True)


def save(ws: Workspace, *, user: User, name: str, params: Mapping[str, Any]) -> SavedSearch:
    """Save the list filters in ``params`` under ``name``; returns what was saved."""
    from ..store import saved_searches

    _require(user)
    name = " ".join((name or "").split())
    if not name:
        raise SaveRefused("give the search a name", key="search.saved.error.no_name")
    if len(name) > MAX_NAME_CHARS:
        raise SaveRefused(f"a name of at most {MAX_NAME_CHARS} characters", key="search.saved.error.long_name")
    query = _query(params)
    if saved_searches.count_for(ws.db, user.id) >= MAX_PER_USER:
        raise SaveRefused(f"at most {MAX_PER_USER} saved searches; delete one first",
                          key="search.saved.error.too_many")
    new_id = saved_searches.add(ws.db, user_id=user.id, name=name, query=query)
    saved = saved_searches.get(ws.db, search_id=new_id, user_id=user.id)
    assert saved is not None  # just written by this user
    return saved


def list_searches(ws: Workspace, *, user: User) -> list[SavedSearch]:
    from ..store import saved_searches

    _require(user)
    return saved_searches.list_for(ws.db, user.id)


def open_search(ws: Workspace, *, user: User, search_id: int) -> str:
    """The incidents list's query string of one of the user's saved searches."""
    from ..store import saved_searches

    _require(user)
    found = saved_searches.get(ws.db, search_id=int(search_id), user_id=user.id)
    if found is None:
        raise NotFound(f"no saved search {search_id}")
    return found.query


def delete(ws: Workspace, *, user: User, search_id: int) -> None:
    """Withdraw one of the user's saved searches (kept, marked deleted by them, now)."""
    from ..store import saved_searches

    _require(user)
    if not saved_searches.withdraw(ws.db, search_id=int(search_id), user_id=user.id, by=user.username):
        raise NotFound(f"no saved search {search_id}")
