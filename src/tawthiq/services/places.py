"""Place names for the pages: a governorate stored in English, named in Arabic.

Incidents keep ``loc_admin1`` as the gazetteer's English governorate name;
the Arabic pages show the gazetteer's Arabic name for it (any of the
gazetteer's English variants is recognised).
"""
from __future__ import annotations

from functools import cache

__all__ = ["arabic_governorate", "arabic_place"]


def arabic_governorate(name: str) -> str | None:
    """The Arabic name of the governorate ``name`` names (case aside); None when it names none."""
    return _arabic_governorates().get(name.casefold()) if name else None


def arabic_place(name: str) -> str | None:
    """The gazetteer's Arabic name for a place stored under its English name: a governorate first, then the
    largest district, sub-district or town of that name; None when the gazetteer knows none."""
    if not name:
        return None
    return arabic_governorate(name) or _arabic_places().get(name.casefold())


@cache
def _arabic_places() -> dict[str, str]:
    """English name (casefolded) -> Arabic name of every named place, higher levels and larger towns winning."""
    from ..extract.gazetteer import Gazetteer

    order = {"country": 0, "governorate": 1, "district": 2, "subdistrict": 3}
    ranked = sorted((p for p in Gazetteer.load().places if p.name_ar and p.name_en),
                    key=lambda p: (order.get(p.level, 4), -(p.population or 0)))
    out: dict[str, str] = {}
    for place in ranked:
        out.setdefault(place.name_en.casefold(), place.name_ar)
    return out


@cache
def _arabic_governorates() -> dict[str, str]:
    """English name (any listed variant, casefolded) -> Arabic name, from the offline gazetteer."""
    from ..extract.gazetteer import Gazetteer

    out: dict[str, str] = {}
    for place in Gazetteer.load().places:
        if place.level == "governorate" and place.name_ar:
            for name in (place.name_en, *place.names):
                out.setdefault(name.casefold(), place.name_ar)
    return out
