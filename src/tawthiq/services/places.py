"""Place names for the pages: a governorate stored in English, named in Arabic.

Incidents keep ``loc_admin1`` as the gazetteer's English governorate name;
the Arabic pages show the gazetteer's Arabic name for it (any of the
gazetteer's English variants is recognised).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = ["PlaceNames", "arabic_governorate", "arabic_place", "place_names"]


@dataclass(frozen=True, slots=True)
class PlaceNames:
    """One stored place named in both languages, the same place in each, and the report's words apart."""

    en: str  # the resolved place's name for English pages ("" when none)
    ar: str  # the same place's name for Arabic pages ("" when none)
    written: str  # the report's own words when they name a finer place inside it ("" when they do not)
    ar_known: bool = True  # False: the Arabic is the English name shown as stored (the gazetteer knows none)


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def place_names(*, name: str | None, name_ar: str | None = "", text: str | None = "",
                place_id: str | None = "") -> PlaceNames:
    """Both languages' names of the place an incident is resolved to, derived from what is stored.

    A place the gazetteer does not list ("the Mashlab neighbourhood of Raqqa") is stored with the
    known place it lies in as ``name`` and, when the report wrote it in Arabic, its own words as
    ``name_ar``: English pages said "Raqqa" and Arabic pages "المشلب", two different places. The
    resolved place is ``name``; its Arabic is the gazetteer's, and the report's words are given apart.
    Nothing stored is rewritten.
    """
    name, name_ar, text, place_id = (name or "").strip(), (name_ar or "").strip(), (text or "").strip(), \
        (place_id or "").strip()
    if not name:  # only the report's (Arabic) words are known: both languages show them
        only = name_ar or text
        return PlaceNames(en=only, ar=only, written="")
    finer = (not place_id and name_ar and name_ar == text and _has_arabic(text)
             and text.casefold() != name.casefold() and name_ar != arabic_place(name))
    if finer:
        gazetteer = arabic_place(name)
        return PlaceNames(en=name, ar=gazetteer or name, written=text, ar_known=gazetteer is not None)
    if name_ar:
        return PlaceNames(en=name, ar=name_ar, written="")
    gazetteer = arabic_place(name)
    return PlaceNames(en=name, ar=gazetteer or name, written="", ar_known=gazetteer is not None)


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
