"""Governorate names for the Arabic pages, from the offline gazetteer."""
from __future__ import annotations

from tawthiq.services.places import arabic_governorate


def test_a_stored_governorate_in_arabic() -> None:
    assert arabic_governorate("Idlib") == arabic_governorate("IDLIB") == "إدلب"
    assert arabic_governorate("Rif Dimashq") == "ريف دمشق"


def test_a_name_that_is_no_governorate_has_none() -> None:
    assert arabic_governorate("Nowhere") is None and arabic_governorate("") is None


def test_arabic_place_names_governorates_and_towns_from_the_gazetteer() -> None:
    from tawthiq.services.places import arabic_place

    assert arabic_place("Aleppo") == "حلب" and arabic_place("rif dimashq") == "ريف دمشق"
    assert arabic_place("Ariha") == "أريحا"
    assert arabic_place("Qzno such place") is None and arabic_place("") is None
