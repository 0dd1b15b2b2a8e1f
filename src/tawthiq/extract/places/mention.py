"""The result type of place recognition, and the Location a gazetteer place gives."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from ...domain import Location
from ...domain.enums import LocationPrecision
from ..gazetteer import Place, light_key

P = LocationPrecision


@dataclass(frozen=True)
class PlaceMention:
    """One place named in a text, resolved as far as the gazetteer allows."""

    start: int
    end: int
    text: str  # as written; offsets into the text
    place: Place | None  # None when the place is not in the gazetteer
    location: Location
    rule: str  # why: "gazetteer:town", "countryside-of:governorate", "unlisted-neighbourhood-in-town"…
    # "place": where something happened; "anchor": a reference point ("east of X",
    # "the countryside of X"); "parent": the place an unlisted place was placed
    # in; "origin": where someone comes from ("a woman from Afrin").
    role: str = "place"
    kind: str = ""  # the place noun's kind when one was written: town, neighbourhood, area


LEVEL_PRECISION = {
    "town": P.TOWN,
    # A sub-district's coordinates are its centroid, up to ~15 km from the seat
    # town it is usually named after: honest precision is "district".
    "subdistrict": P.DISTRICT,
    "district": P.DISTRICT,
    "region": P.DISTRICT,  # a region's own precision (Place.precision) wins
    "governorate": P.GOVERNORATE,
    "country": P.COUNTRY,
}

def location_of(place: Place, *, text: str, precision: LocationPrecision | None = None) -> Location:
    """The :class:`Location` for a gazetteer place, as written in ``text``."""
    if place.level == "country":
        return Location(name=place.name_en, text=text, name_ar=place.name_ar, country=place.country,
                        precision=P.COUNTRY, place_id=place.id)
    return Location(
        name=place.name_en,
        text=text,
        name_ar=place.name_ar,
        country=place.country,
        admin1=place.governorate or (place.name_en if place.level == "governorate" else ""),  # a region's is its governorate's
        admin2=place.district or (place.name_en if place.level == "district" else ""),
        admin3=place.subdistrict or (place.name_en if place.level == "subdistrict" else ""),
        lat=place.lat,
        lon=place.lon,
        precision=precision or (P(place.precision) if place.precision else LEVEL_PRECISION.get(place.level, P.COUNTRY)),
        place_id=place.id,
    )


# A container written right after a place: "X (Y)", "X, Y", "X in Y", "X في Y", and in a post's tags
# "#X #Y", "#X | #Y".
CONTAINER_GAP = re.compile(r"\s*(?:\(|,|،|\s(?:in|في)(?:\s+the)?)\s*|\s*[|/]?\s*#", re.IGNORECASE)

_LIGHTS: dict[str, frozenset[str]] = {}


def place_lights(p: Place) -> frozenset[str]:
    """The light keys of a place's names (computed once per place per process)."""
    got = _LIGHTS.get(p.id)
    if got is None:
        got = _LIGHTS[p.id] = frozenset(light_key(n) for n in p.names)
    return got


def sentence_of(ends: list[int], pos: int, n: int) -> tuple[int, int]:
    i = bisect_left(ends, pos)
    return (ends[i - 1] + 1 if i > 0 else 0), (ends[i] if i < len(ends) else n)
