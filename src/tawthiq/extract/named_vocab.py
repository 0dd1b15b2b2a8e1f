"""The words ``named.py`` works with, read once from ``lexicons/names.toml`` and ``dates.toml``.

Arabic words are kept in the engine's 1:1 folded form (:func:`fold_letters`,
marks dropped) so they compare with tokens of the folded report; Latin given
names by the gazetteer's transliteration key, so one spelling of a name
stands for its usual variants (Mohammed, Muhammad, Mohamad).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..domain.arabic import fold_letters, strip_vowel_marks
from .gazetteer import normalize_name


def fold_ar(word: str) -> str:
    """An Arabic word as the vocabulary holds it: letters folded, marks and tatweel dropped."""
    return fold_letters(strip_vowel_marks(word))


def latin_key(word: str) -> str:
    return normalize_name(word)


@dataclass(frozen=True, slots=True)
class NameWords:
    given_ar: frozenset[str]
    heads_ar: frozenset[str]
    given_en: frozenset[str]  # transliteration keys
    heads_en: frozenset[str]  # lower case
    particles_en: frozenset[str]
    titles_en: frozenset[str]  # lower case, without a final dot
    titles_en_female: frozenset[str]
    roles_en: tuple[str, ...]  # longest first, lower case
    roles_en_female: frozenset[str]
    kin_en: tuple[str, ...]
    roles_ar: frozenset[str]
    between_ar: frozenset[str]
    female_ar: frozenset[str]
    male_ar: frozenset[str]
    kin_ar: tuple[str, ...]  # folded, longest first ("ابن عمه" before "ابن")
    not_name_en: frozenset[str]  # lower case
    not_name_ar: frozenset[str]  # folded, less those that fold to a given name (على → علي)
    not_name_ar_raw: frozenset[str]  # as written, marks dropped: "على" stops a name, "علي" is one


def _read(name: str) -> dict:
    with resources.files("tawthiq.extract").joinpath("lexicons", name).open("rb") as f:
        return tomllib.load(f)


def _bare(word: str) -> str:
    return word.lower().rstrip(".")


@cache
def name_words() -> NameWords:
    data = _read("names.toml")
    dates = _read("dates.toml")
    months_en = set(dates["months"]["en"]) | set(dates["months"]["en_abbrev"])
    weekdays_en = {w.lower() for w in dates.get("weekdays", {}).get("en", {})}
    # Month and weekday names never begin or end a person's name (single words only:
    # "كانون الثاني" is two words, each a stop on its own).
    months_ar = {fold_ar(w) for k in dates["months"]["ar"] for w in k.split()}
    weekdays_ar = {fold_ar(w) for k in dates.get("weekdays", {}).get("ar", {}) for w in k.split()}
    titles = data["titles"]
    given_ar = frozenset(fold_ar(w) for w in data["given"]["ar"])
    roles = data["role_nouns"]
    return NameWords(
        given_ar=given_ar,
        heads_ar=frozenset(fold_ar(w) for w in data["given"]["compound_heads_ar"]),
        given_en=frozenset(latin_key(w) for w in data["given"]["en"]),
        heads_en=frozenset(w.lower() for w in data["given"]["compound_heads_en"]),
        particles_en=frozenset(data["particles"]["en"]),
        titles_en=frozenset(_bare(w) for w in titles["en"] + titles["en_female"]),
        titles_en_female=frozenset(_bare(w) for w in titles["en_female"]),
        roles_en=tuple(sorted({w.lower() for w in roles["en"] + roles["en_female"] + roles["en_kin"]},
                              key=len, reverse=True)),
        roles_en_female=frozenset(w.lower() for w in roles["en_female"]),
        kin_en=tuple(sorted({w.lower() for w in roles["en_kin"]}, key=len, reverse=True)),
        roles_ar=frozenset(fold_ar(w) for w in roles["ar"]),
        between_ar=frozenset(fold_ar(w) for w in roles["ar_between"]),
        female_ar=frozenset(fold_ar(w) for w in roles["ar_female"]),
        male_ar=frozenset(fold_ar(w) for w in roles["ar_male"]),
        kin_ar=tuple(sorted({fold_ar(w) for w in roles["ar_kin"]}, key=len, reverse=True)),
        not_name_en=frozenset({w.lower() for w in data["not_name"]["en"]} | months_en | weekdays_en),
        not_name_ar=frozenset({fold_ar(w) for w in data["not_name"]["ar"]} | months_ar | weekdays_ar) - given_ar,
        not_name_ar_raw=frozenset(strip_vowel_marks(w) for w in data["not_name"]["ar"]),
    )


def words_alternation(words: tuple[str, ...] | frozenset[str]) -> str:
    """A regex alternation of ``words`` (longest first, spaces matching any run of spaces)."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
