"""Common Latin spellings of the governorates (``extract/data/place_aliases.toml``): the gazetteer, the extractor
and the governorate table know them, and a spelling given to a place the gazetteer lacks is refused."""
from __future__ import annotations

import pytest

from tawthiq.extract.engine import RuleExtractor
from tawthiq.extract.gazetteer import Gazetteer, shipped_aliases, with_aliases
from tawthiq.stats.governorates import lookup

SPELLINGS = {  # governorate id -> (P-code, spellings people write)
    "sy-idlib": ("SY07", ("Idleb", "Edlib")),
    "sy-aleppo": ("SY02", ("Halab",)),
    "sy-deir-ez-zor": ("SY09", ("Deir al-Zour", "Deir ez-Zor", "Deir Ezzor")),
    "sy-raqqa": ("SY11", ("Raqa", "Al-Raqqa")),
    "sy-hama": ("SY05", ("Hama", "Hamah")),
    "sy-homs": ("SY04", ("Homs", "Hims")),
    "sy-daraa": ("SY12", ("Daraa", "Deraa", "Dar'a")),
    "sy-al-hasakah": ("SY08", ("Hasakah", "Hasaka", "Al-Hasakeh")),
    "sy-latakia": ("SY06", ("Lattakia", "Latakia")),
    "sy-tartus": ("SY10", ("Tartous", "Tartus")),
    "sy-quneitra": ("SY14", ("Quneitra", "Al-Qunaytirah")),
    "sy-as-suwayda": ("SY13", ("Sweida", "As-Suwayda")),
    "sy-rif-dimashq": ("SY03", ("Rural Damascus", "Reef Damascus")),
}
CASES = [(gov, pcode, name) for gov, (pcode, names) in SPELLINGS.items() for name in names]


@pytest.mark.parametrize(("gov", "pcode", "name"), CASES)
def test_each_spelling_names_its_governorate(gov: str, pcode: str, name: str) -> None:
    gaz = Gazetteer.load()
    assert gov in {p.id for p in gaz.lookup(name)}
    found = lookup(name)  # the governorate table (map, dashboard) reads it too
    assert found is not None and found.pcode == pcode


def test_the_seat_city_is_spelled_as_its_governorate_and_the_extractor_reads_both() -> None:
    gaz = Gazetteer.load()
    city = gaz.get("gn:169389")
    assert city is not None and "Edlib" in city.names and "Idleb" in city.names
    rules = RuleExtractor()
    town = rules.extract("On 3 March 2016 an airstrike on a market in Edlib killed 5 civilians.", language="en")
    assert town and town[0].location is not None and town[0].location.place_id == "gn:169389"
    countryside = rules.extract("On 3 March 2016 shelling in Reef Damascus killed 2 civilians.", language="en")
    assert countryside and countryside[0].location is not None
    assert countryside[0].location.place_id == "sy-rif-dimashq"  # the governorate, not a district named like it


def test_the_file_is_data_for_places_that_exist() -> None:
    aliases = shipped_aliases()
    assert set(SPELLINGS) <= set(aliases)
    records = {"places": [{"id": "sy-x", "names": ["X"], "seat": "gn:1"}, {"id": "gn:1", "names": ["X"]}]}
    added = with_aliases(records, {"sy-x": ("Ex", "X", "Ex")})
    assert added["places"][0]["names"] == ["X", "Ex"] and added["places"][1]["names"] == ["X", "Ex"]
    with pytest.raises(ValueError, match="sy-nowhere"):
        with_aliases({"places": [{"id": "sy-x", "names": []}]}, {"sy-nowhere": ("Nowhere",)})
