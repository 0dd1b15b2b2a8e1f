"""Place names for the pages: a governorate stored in English, named in Arabic.

Incidents keep ``loc_admin1`` as the gazetteer's English governorate name;
the Arabic pages show the gazetteer's Arabic name for it (any of the
gazetteer's English variants is recognised).
"""
from __future__ import annotations

from functools import cache

__all__ = ["arabic_governorate"]


def arabic_governorate(name: str) -> str | None:
    """The Arabic name of the governorate ``name`` names (case aside); None when it names none."""
    return _arabic_governorates().get(name.casefold()) if name else None


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
