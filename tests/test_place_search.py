"""Place names resolved through the gazetteer's hierarchy, for the incident filter."""
from __future__ import annotations

from tawthiq.services.place_search import (
    areas_for_governorate,
    areas_for_name,
    query_place,
)


def _ids(areas: tuple) -> set[str]:  # type: ignore[type-arg]
    return {pid for a in areas for pid in a.place_ids}


def test_a_governorate_in_either_script_reaches_its_towns() -> None:
    for name in ("الرقة", "Raqqa", "ar-Raqqah", "الرقّه"):
        ids = _ids(areas_for_name(name, exact_only=True))
        assert {"sy-raqqa", "gn:172374", "sy-raqqa-tell-abyad-ein-issa"} <= ids, name
        assert not any(pid.startswith("sy-aleppo") for pid in ids), name


def test_search_words_name_a_place_only_when_spelled_as_one() -> None:
    found = query_place("shelling on Tabqa dam")
    assert found is not None and found.words == "Tabqa" and _ids(found.areas) == {"gn:172374"}
    assert query_place("army market school killed") is None
    assert query_place("") is None


def test_stored_spellings_of_a_governorate_count() -> None:
    (area,) = areas_for_governorate("Ar-Raqqa", stored=["Ar-Raqqa", "Aleppo"])
    assert area.column == "admin1" and "Ar-Raqqa" in area.names and "Aleppo" not in area.names
    assert areas_for_governorate("Atlantis") == ()
