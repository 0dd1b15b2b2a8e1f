"""Syrian person names: the derived forms the person linker compares.

A name is kept as written; everything here is derived from it and never
stored in its place. Lists give one person as ``محمد بن أحمد الحلبي`` in one
and ``HALABI, Mohammed Ahmad`` or ``Mhd al-Halabi`` in another, so a name
is compared through three derived forms, each folding more:

* a **key** per name part: the word in its own script, Arabic letter variants
  folded (hamza and alef forms, ta marbuta, alef maqsura, harakat, tatweel,
  Arabic-Indic digits), the article (al-/el-/ال, ash-Sh… with the sun letters)
  dropped and the compounds written as one word (عبد الله = عبدالله,
  Abd al-Rahman = Abdulrahman, نور الدين, Abu Ali);
* a **skeleton**: the key's consonants in one Latin class per Arabic letter,
  from either script (محمد, Mohammed, Muhammad, Mohamad → ``MHMD``), so a
  transliteration compares equal without a table of every spelling; short
  vowels are dropped because Arabic does not write them;
* the **symbols** rigour (OpenSanctions) tags a name word with offline: the
  Wikidata ids of the given and family names it can be (محمد and Mohammed share
  Q5837762), which tell apart names whose skeletons collide (محمود / محمد).

:func:`parse_name` splits a full name into given, father's, grandfather's and
family name and laqab by the usual Syrian order (given, father, grandfather,
family), reading ``bin/ibn/بن``, ``abu/أبو`` kunyas, a comma (``Family, Given``)
and the Western habit of capitalising the surname.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tawthiq.domain.arabic import fold_place_letters, strip_marks, to_ascii_digits

__all__ = [
    "NameParts",
    "has_arabic",
    "name_keys",
    "name_symbols",
    "normalise_arabic",
    "normalise_latin",
    "parse_name",
    "skeleton",
]

_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_SPLIT = re.compile(r"[^\w\u0600-\u06ff]+")
# Joiners and direction marks typed into names copied between documents.
_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u061c\ufeff"), None)


def has_arabic(text: str) -> bool:
    return bool(_ARABIC_LETTER.search(text))


def normalise_arabic(text: str) -> str:
    """Arabic text with its spelling variants folded: marks and tatweel dropped, alef/hamza forms,
    ta marbuta and alef maqsura folded, Arabic-Indic digits as ASCII, spaces collapsed."""
    folded = fold_place_letters(strip_marks(to_ascii_digits(text.translate(_INVISIBLE))))
    return " ".join(folded.split())


def normalise_latin(text: str) -> str:
    """Latin text lower-cased without accents; the ayn/hamza apostrophes (Sa'id, Ma'moun) dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_INVISIBLE))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = re.sub(r"[ʿʾ'’‘`´ʼ]", "", bare)
    return " ".join(bare.lower().split())


# ---------------------------------------------------------------- words and compounds

_AR_ARTICLE = "ال"
_AR_ABD = "عبد"
_AR_ABU = {"ابو", "ابا", "ابي"}
_AR_SON = {"بن", "ابن", "بنت"}
_AR_SUFFIX = {"الدين", "الله"}  # the second word of نور الدين, فضل الله

_LAT_ARTICLES = {"al", "el", "ul", "il"}
# An assimilated article (ash-Shami, ad-Dimashqi) is only an article before the consonant it doubles.
_LAT_SUN = {"ad", "ar", "as", "ash", "at", "az", "an", "ath", "adh", "ed", "er", "es", "esh", "et", "ez", "en", "eth"}
_LAT_ABD = ("abdul", "abdel", "abdal", "abdol", "abdil", "abdur", "abdir", "abdu", "abed", "abd")
_LAT_ABU = {"abu", "abou", "abo", "aboo"}
_LAT_SON = {"bin", "ibn", "ben", "bint", "binti"}
_LAT_SUFFIX = {"din", "deen", "dine", "deen", "lah", "llah", "allah", "ullah", "ulla", "alla"}
# Abbreviations of Muhammad in lists typed in Latin script.
_LAT_MUHAMMAD = {"mhd", "mohd", "muhd", "mhmd", "md", "mohd.", "moh"}


def _strip_latin_article(word: str) -> str:
    for article in ("al", "el", "ul"):  # joined: Alhalabi; only when a name is left, not Ali or Alaa
        if word.startswith(article) and len(word) >= len(article) + 4 and word[len(article)] not in "aeiouy":
            return word[len(article):]
    return word


def _sun_article(word: str, following: str) -> bool:
    return word in _LAT_SUN and following.startswith(word[-1] if word[-1] != "h" else word[-2:])


def _latin_words(text: str) -> tuple[list[str], list[str]]:
    """Latin name words as keys (articles dropped, compounds joined) and their kinds ("", "son", "abu")."""
    raw = [w for w in re.split(r"[^a-z0-9]+", normalise_latin(text).replace("moh'd", "mohd")) if w]
    words: list[str] = []
    kinds: list[str] = []
    i = 0
    while i < len(raw):
        word = raw[i]
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        if word in _LAT_SON and nxt:
            kinds.append("son")
            words.append("")
            i += 1
            continue
        if nxt and (word in _LAT_ARTICLES or _sun_article(word, nxt)):
            i += 1  # the article belongs to the next word and is dropped from the key
            continue
        if word in _LAT_MUHAMMAD:
            word = "muhammad"
        abd = next((p for p in _LAT_ABD if word.startswith(p)), "")
        if abd and (word == abd or len(word) - len(abd) >= 3):
            rest = word[len(abd):]
            if not rest and nxt:  # Abd al-Rahman, Abdul Rahman: the next words are the compound's second half
                j = i + 1
                if raw[j] in _LAT_ARTICLES or (j + 1 < len(raw) and _sun_article(raw[j], raw[j + 1])):
                    j += 1
                rest = raw[j] if j < len(raw) else ""
                i = j
            words.append("abd" + _strip_latin_article(rest) if rest else word)
            kinds.append("")
            i += 1
            continue
        if word in _LAT_ABU and nxt:
            j = i + 1
            if raw[j] in _LAT_ARTICLES and j + 1 < len(raw):
                j += 1
            words.append("abu" + raw[j])
            kinds.append("abu")
            i = j + 1
            continue
        if words and kinds[-1] == "" and words[-1] and word in _LAT_SUFFIX:
            words[-1] += word  # Nour al-Din, Fadl Allah: one name
            i += 1
            continue
        words.append(_strip_latin_article(word))
        kinds.append("")
        i += 1
    return words, kinds


def _arabic_words(text: str) -> tuple[list[str], list[str]]:
    raw = [w for w in _SPLIT.split(normalise_arabic(text)) if w]
    words: list[str] = []
    kinds: list[str] = []
    i = 0
    while i < len(raw):
        word = raw[i]
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        if word in _AR_SON and nxt:
            words.append("")
            kinds.append("son")
            i += 1
            continue
        if word == _AR_ARTICLE and nxt:  # "ال حلبي" typed apart
            i += 1
            continue
        if word == _AR_ABD and nxt:
            words.append(_AR_ABD + _strip_arabic_article(nxt))
            kinds.append("")
            i += 2
            continue
        if word.startswith(_AR_ABD + _AR_ARTICLE) and len(word) > 5:
            words.append(_AR_ABD + word[5:])
            kinds.append("")
            i += 1
            continue
        if word in _AR_ABU and nxt:
            words.append("ابو" + _strip_arabic_article(nxt))
            kinds.append("abu")
            i += 2
            continue
        if words and kinds[-1] == "" and words[-1] and word in _AR_SUFFIX:
            words[-1] += _strip_arabic_article(word)
            i += 1
            continue
        words.append(_strip_arabic_article(word))
        kinds.append("")
        i += 1
    return words, kinds


def _strip_arabic_article(word: str) -> str:
    return word[2:] if word.startswith(_AR_ARTICLE) and len(word) >= 4 else word


def _words(text: str) -> tuple[list[str], list[str]]:
    # A name mixing scripts is read word by word in each word's own script.
    if has_arabic(text) and re.search("[A-Za-z]", text):
        words: list[str] = []
        kinds: list[str] = []
        for chunk in re.findall(r"[\u0600-\u06ff\s]+|[^\u0600-\u06ff]+", text):
            w, k = _arabic_words(chunk) if has_arabic(chunk) else _latin_words(chunk)
            words += w
            kinds += k
        return words, kinds
    return _arabic_words(text) if has_arabic(text) else _latin_words(text)


def name_keys(text: str) -> list[str]:
    """The comparison keys of a name's words, in order (laqab and bin/ibn markers left out)."""
    words, kinds = _words(text)
    return [w for w, k in zip(words, kinds, strict=True) if w and k == ""]


# ---------------------------------------------------------------- skeleton

_AR_SKELETON = str.maketrans({
    "ب": "B", "ت": "T", "ث": "T", "ج": "J", "ح": "H", "خ": "K", "د": "D", "ذ": "D", "ر": "R", "ز": "Z",
    "س": "S", "ش": "X", "ص": "S", "ض": "D", "ط": "T", "ظ": "Z", "غ": "G", "ف": "F", "ق": "K", "ك": "K",
    "ل": "L", "م": "M", "ن": "N", "ه": "H", "ة": "H", "پ": "B", "چ": "J", "ڤ": "F", "گ": "J", "ک": "K",
    # Vowel carriers and ayn/hamza: Latin spellings leave them out or write any vowel for them.
    "ا": "", "أ": "", "إ": "", "آ": "", "ء": "", "ؤ": "", "ئ": "", "ع": "", "و": "", "ي": "", "ى": "", "ی": "",
})
# Digraphs first (kh before k), then single letters, each to its Arabic letter's class.
_LAT_DIGRAPHS = (("kh", "K"), ("sh", "X"), ("ch", "X"), ("th", "T"), ("dh", "D"), ("gh", "G"), ("ph", "F"),
                 ("dj", "J"), ("zh", "Z"), ("ck", "K"))
_LAT_SKELETON = str.maketrans({
    "b": "B", "p": "B", "t": "T", "j": "J", "g": "J", "h": "H", "k": "K", "q": "K", "c": "K", "d": "D",
    "z": "Z", "s": "S", "x": "KS", "f": "F", "v": "F", "l": "L", "m": "M", "n": "N", "r": "R",
    "a": "", "e": "", "i": "", "o": "", "u": "", "w": "", "y": "",
})


@lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """A name word's consonant skeleton, the same for its Arabic spelling and its transliterations.

    Doubled consonants are one (Mohammed = Muhammad), and a final H is dropped: ة and ه are written
    -a or -ah (فاطمة = Fatima, عبدالله = Abdulla) and a final ح as -h or not at all.
    """
    if has_arabic(key):
        out = key.translate(_AR_SKELETON)
    else:
        out = key.lower()
        for pair, cls in _LAT_DIGRAPHS:
            out = out.replace(pair, cls)
        out = out.translate(_LAT_SKELETON)
    out = re.sub(r"[^A-Z0-9]", "", out)
    out = re.sub(r"(.)\1+", r"\1", out)
    if len(out) > 1 and out.endswith("H"):
        out = out[:-1]
    return out


# ---------------------------------------------------------------- rigour symbols


@lru_cache(maxsize=200_000)
def _word_symbols(key: str) -> frozenset[str]:
    from rigour.names import NameTypeTag, SymbolCategory, analyze_names

    lookup = key
    if lookup.startswith("abd") and not has_arabic(lookup):
        lookup = "abdul" + lookup[3:]  # rigour knows Abdulrahman, Abdullah as one word
    elif lookup.startswith(_AR_ABD) and len(lookup) > 3:
        lookup = _AR_ABD + _AR_ARTICLE + lookup[3:]  # عبدالرحمن
    found: set[str] = set()
    for form in {lookup, key}:
        for name in analyze_names(NameTypeTag.PER, [form], consolidate=False, phonetics=False, numerics=False):
            found.update(str(s.id) for s in name.symbols if s.category == SymbolCategory.NAME)
    return frozenset(found)


def name_symbols(keys: list[str]) -> list[str]:
    """The Wikidata ids rigour tags these name words with (sorted, distinct)."""
    out: set[str] = set()
    for key in keys:
        out |= _word_symbols(key)
    return sorted(out)


# ---------------------------------------------------------------- parsing


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name's parts as keys; a part the name does not give is empty."""

    given: str = ""
    father: str = ""
    grandfather: str = ""
    family: str = ""
    nickname: str = ""
    words: tuple[str, ...] = ()  # every word's key, in the order written


def _family_first(text: str) -> tuple[str, str] | None:
    """``Family, Given Father`` or ``HALABI Mohammed``: the family name written first, and the rest."""
    if "," in text or "،" in text:
        family, _, rest = re.split("([,،])", text, maxsplit=1)
        if family.strip() and rest.strip():
            return rest, family
    words = text.split()
    if len(words) >= 2 and not has_arabic(text):
        caps = [w.isupper() and len(re.sub(r"[^A-Za-z]", "", w)) > 1 for w in words]
        if caps[0] and not all(caps):
            n = caps.index(False)
            return " ".join(words[n:]), " ".join(words[:n])
        # a trailing capitalised surname (Mohammed Ahmad HALABI) is already in the usual order
    return None


def parse_name(text: str) -> NameParts:
    """Split a full name into given, father's, grandfather's, family name and laqab (as keys).

    Syrian lists write given, father, grandfather, family: two words are given and family, three
    given, father and family. A kunya (أبو علي) is the laqab, unless it ends the name, where it is
    usually the family name (محمد أبو زيد).
    """
    reordered = _family_first(text)
    if reordered is not None:
        rest, family_text = reordered
        rest_words, rest_kinds = _words(rest)
        fam_words, _ = _words(family_text)
        words = rest_words + [w for w in fam_words if w]
        kinds = rest_kinds + ["family"] * len([w for w in fam_words if w])
    else:
        words, kinds = _words(text)
    nickname = ""
    plain: list[str] = []
    family_words: list[str] = []
    for i, (word, kind) in enumerate(zip(words, kinds, strict=True)):
        if not word:
            continue
        if kind == "abu" and i < len(words) - 1:
            nickname = nickname or word
        elif kind == "family":
            family_words.append(word)
        else:
            plain.append(word)
    if family_words:
        family = "".join(family_words)
        given, father, grandfather = (plain + ["", "", ""])[:3]
        if len(plain) > 3:
            grandfather = "".join(plain[2:])
    elif len(plain) <= 1:
        given, father, grandfather, family = (plain[0] if plain else ""), "", "", ""
    elif len(plain) == 2:
        given, father, grandfather, family = plain[0], "", "", plain[1]
    elif len(plain) == 3:
        given, father, grandfather, family = plain[0], plain[1], "", plain[2]
    else:
        given, father, grandfather, family = plain[0], plain[1], "".join(plain[2:-1]), plain[-1]
    return NameParts(given=given, father=father, grandfather=grandfather, family=family, nickname=nickname,
                     words=tuple(w for w in words if w))


def part_key(text: str) -> str:
    """One name part (a given name, a family name) as one key: its words joined."""
    words, kinds = _words(text)
    return "".join(w for w in words if w)
