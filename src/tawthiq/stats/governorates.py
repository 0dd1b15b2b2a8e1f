"""Syria's fourteen governorates: the name an incident stores → P-code and Arabic name.

Incidents keep ``loc_admin1`` as the gazetteer's English governorate name
("Rif Dimashq", "Deir ez-Zor"); the basemap (OCHA COD-AB outlines in
``web/static/geo/governorates.geojson``) is keyed by P-code and spells names
its own way ("Rural Damascus", "Deir-ez-Zor"). The table is derived from the
shipped gazetteer, which carries each governorate's P-code, so the two never
disagree; hand-entered spellings (Arabic, OCHA's, the gazetteer's variants and the
common spellings in ``extract/data/place_aliases.toml``) are matched through the
gazetteer's name folding.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = ["Governorate", "all_governorates", "lookup"]


@dataclass(frozen=True, slots=True)
class Governorate:
    pcode: str  # OCHA P-code, the basemap's key: "SY03"
    name_en: str  # as incidents store it (the gazetteer's English name)
    name_ar: str


@cache
def all_governorates() -> tuple[Governorate, ...]:
    """The governorates, ordered by P-code."""
    from ..extract.gazetteer import Gazetteer

    found = {
        p.pcode: Governorate(pcode=p.pcode, name_en=p.name_en, name_ar=p.name_ar)
        for p in Gazetteer.load().places
        if p.level == "governorate" and p.country == "SY" and p.pcode
    }
    return tuple(found[k] for k in sorted(found))


@cache
def _index() -> dict[str, Governorate]:
    from ..extract.gazetteer import Gazetteer, normalize_name

    out: dict[str, Governorate] = {}
    by_pcode = {g.pcode: g for g in all_governorates()}
    for place in Gazetteer.load().places:
        gov = by_pcode.get(place.pcode) if place.level == "governorate" and place.country == "SY" else None
        if gov is None:
            continue
        for name in (place.name_en, place.name_ar, *place.names):
            key = normalize_name(name)
            if key:
                out.setdefault(key, gov)
    return out


def lookup(name: str | None) -> Governorate | None:
    """The governorate a stored ``loc_admin1`` (or any known spelling, or a P-code) names."""
    if not name or not name.strip():
        return None
    value = name.strip()
    for gov in all_governorates():
        if value == gov.name_en or value.upper() == gov.pcode:
            return gov
    from ..extract.gazetteer import normalize_name

    return _index().get(normalize_name(value))
