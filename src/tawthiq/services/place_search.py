"""Place search that follows the administrative hierarchy, in Arabic and English.

A documenter who types "Raqqa", "ar-Raqqah" or "الرقة" means the whole
governorate: the incidents placed in its districts, sub-districts and towns,
not only those whose location is written "Raqqa". The store cannot read the
gazetteer (it sits on the same floor as the extractor), so this module looks
the names up and hands the store plain :class:`~tawthiq.domain.filters.PlaceArea`
values inside the filter: the gazetteer ids of the place and everything under
it, and the admin names an incident carries when it is inside.

Resolution is deterministic and idempotent: every service entry point that
takes a filter passes it through :func:`resolve` (a filter already resolved
is returned as it is), so the list, its facets, exports and the charts all
count the same incidents.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from functools import cache

from ..domain.filters import IncidentFilter, PlaceArea, QueryPlace
from .errors import ServiceError

__all__ = ["areas_for_governorate", "areas_for_name", "query_place", "resolve"]

MAX_RUN = 4  # words in one place name looked for in a search ("Deir ez Zor", "Tell Abyad")
MIN_NAME_CHARS = 3  # "al", "Tel" alone are never a place in a search
_LEVEL_COLUMN = {"governorate": "admin1", "district": "admin2", "subdistrict": "admin3"}
_SPACE = re.compile(r"\s+")


def resolve(db: object, filters: IncidentFilter) -> IncidentFilter:
    """``filters`` with its place, governorate and search words resolved to areas (see module notes).

    ``db`` is the workspace's database: the governorate names stored in it
    (older imports spell them their own way) count as the governorate's names.
    """
    if not isinstance(filters, IncidentFilter):
        raise ServiceError("not an incident filter")
    changes: dict[str, object] = {}
    stored = None
    if filters.place and not filters.place_areas:
        stored = _stored_admin1(db)
        changes["place_areas"] = areas_for_name(filters.place, stored=stored, exact_first=True)
    if filters.governorate and not filters.governorate_areas:
        stored = stored if stored is not None else _stored_admin1(db)
        changes["governorate_areas"] = tuple(a for g in filters.governorate
                                             for a in areas_for_governorate(g, stored=stored))
    if filters.q and filters.q_place is None:
        stored = stored if stored is not None else _stored_admin1(db)
        found = query_place(filters.q, stored=stored)
        if found is not None:
            changes["q_place"] = found
    return dataclasses.replace(filters, **changes) if changes else filters  # type: ignore[arg-type]


def _stored_admin1(db: object) -> tuple[str, ...]:
    from ..store import queries

    return tuple(queries.stored_governorates(db))  # type: ignore[arg-type]


def query_place(q: str, *, stored: Iterable[str] = ()) -> QueryPlace | None:
    """The first, longest run of the search words spelled as a gazetteer place, with its areas.

    Only a spelling of the place itself counts (case, diacritics, the article
    and hyphens aside; in Arabic also alef forms and taa marbuta), never the
    gazetteer's looser transliteration key: a search word is a word first, and
    "Army" must not become a village.
    """
    words = [w for w in _SPACE.split(q.strip()[:500]) if w][:32]
    stored = tuple(stored)
    for start in range(len(words)):
        for size in range(min(MAX_RUN, len(words) - start), 0, -1):
            run = " ".join(words[start:start + size])
            areas = areas_for_name(run, stored=stored, exact_only=True)
            if areas:
                return QueryPlace(words=run, areas=areas)
    return None


def areas_for_name(name: str, *, stored: Iterable[str] = (), exact_first: bool = False,
                   exact_only: bool = False) -> tuple[PlaceArea, ...]:
    """The areas of every gazetteer place ``name`` names (a governorate, its district and its
    central town often share a name: their union is what a person means)."""
    from ..extract.gazetteer import Gazetteer, light_key

    name = " ".join(name.split())
    if len(name.replace(" ", "")) < MIN_NAME_CHARS:
        return ()
    gaz = Gazetteer.load()
    found = gaz.lookup(name)
    light = light_key(name)
    exact = [p for p in found if any(light_key(n) == light for n in p.names)
             and not any(light_key(n) == light for n in p.ambiguous)]
    if exact_only or (exact_first and exact):
        found = exact
    stored = tuple(stored)
    return tuple(a for p in found for a in _area(p.id, stored))


def areas_for_governorate(value: str, *, stored: Iterable[str] = ()) -> tuple[PlaceArea, ...]:
    """The area of the governorate a stored ``loc_admin1`` value (or any spelling of it) names."""
    from ..stats.governorates import lookup

    gov = lookup(value)
    if gov is None:
        return ()
    place_id = _governorate_ids().get(gov.pcode)
    return _area(place_id, tuple(stored)) if place_id else ()


@cache
def _governorate_ids() -> dict[str, str]:
    from ..extract.gazetteer import Gazetteer

    return {p.pcode: p.id for p in Gazetteer.load().places if p.level == "governorate" and p.country == "SY"}


@cache
def _children() -> dict[str, tuple[str, ...]]:
    """Place id → the ids of every place under it (for each admin level it is the parent of)."""
    from ..extract.gazetteer import Gazetteer

    out: dict[str, list[str]] = {}
    for p in Gazetteer.load().places:
        for parent in {p.governorate_id, p.district_id, p.subdistrict_id} - {"", p.id}:
            out.setdefault(parent, []).append(p.id)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _area(place_id: str, stored: tuple[str, ...]) -> tuple[PlaceArea, ...]:
    """One place's area (empty for a country: "Syria" is not a place filter)."""
    return _area_cached(place_id, tuple(sorted(set(stored))))


@cache
def _area_cached(place_id: str, stored: tuple[str, ...]) -> tuple[PlaceArea, ...]:
    from ..extract.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    place = gaz.get(place_id)
    if place is None or place.level == "country":
        return ()
    ids = (place.id, *_children().get(place.id, ()))
    column = _LEVEL_COLUMN.get(place.level, "")
    if not column:  # a town or a region: only the incidents placed at it (or under it) by id
        return (PlaceArea(place_ids=ids),)
    names = tuple(sorted({n for n in (place.name_en, *place.names) if n}))
    governorates: tuple[str, ...] = ()
    gov = gaz.get(place.governorate_id) if place.governorate_id else None
    if place.level == "governorate":
        # Only the spellings this database holds (and the gazetteer's own name): every other one
        # matches nothing, and a list of eleven made SQLite guess that most incidents match and
        # read them all instead of the governorate's index.
        names = tuple(sorted(_governorate_spellings(place.id, stored) & ({place.name_en} | set(stored))))
    elif gov is not None:
        governorates = tuple(sorted(_governorate_spellings(gov.id, stored) & ({gov.name_en} | set(stored))))
    return (PlaceArea(place_ids=ids, column=column, names=names, governorates=governorates),)


def _governorate_spellings(place_id: str, stored: tuple[str, ...]) -> set[str]:
    """Every way ``loc_admin1`` may spell this governorate: the gazetteer's Latin names and the
    values already stored in this database that name it."""
    from ..extract.gazetteer import Gazetteer
    from ..stats.governorates import lookup

    gov = Gazetteer.load().get(place_id)
    if gov is None:
        return set()
    out = {n for n in (gov.name_en, *gov.names) if n}
    for value in stored:
        found = lookup(value)
        if found is not None and found.pcode == gov.pcode:
            out.add(value)
    return out
