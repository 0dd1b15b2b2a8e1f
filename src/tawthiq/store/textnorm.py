"""Text normalisation for full-text search, shared by the index and the query.

Both sides of a search must be folded the same way or nothing matches, so
this is the only place that decides what "the same word" means:

* NFKD, then drop combining marks (Arabic harakat, shadda, Latin accents:
  "Kobanî" → "kobani"), then NFKC. Dropping the hamza/madda marks that NFKD
  splits off also unifies أ إ آ → ا and ؤ → و, ئ → ي.
* Arabic: drop tatweel, ة → ه, ى → ي, Persian ک/ی → ك/ي, Arabic-Indic digits
  → ASCII digits (the table is ``domain.arabic.SEARCH_FOLD``); casefold
  everything else.

Arabic glues conjunctions, prepositions and the article onto the word
("وحلب", "بحلب", "الحسكة"). Rather than a full stemmer we index every word
plus its *light stems* (the word with و/ف, ب/ل/ك and ال peeled off), and a
query word matches either its own form or its fully stripped stem. Query
words of four or more letters also match as prefixes, which covers English
plurals ("strike" → "strikes") and Arabic suffixes without a stemmer. Search
is recall-oriented on purpose: a documenter would rather skim a false hit
than miss a report.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ..domain.arabic import BASIC_LETTER_CLASS, SEARCH_FOLD

# Words longer than this are base64 blobs, URLs run together or garbage; they
# would bloat the index (PostgreSQL refuses tsvectors over 1 MB).
MAX_TOKEN_CHARS = 60
# Only this much normalised text per document is indexed; see dialect notes.
MAX_INDEX_CHARS = 200_000
MAX_QUERY_TERMS = 16
PREFIX_MIN_CHARS = 4

# The stored index text depends on this table: see ``domain.arabic.SEARCH_FOLD``.
_ARABIC_MAP = str.maketrans(SEARCH_FOLD)

# Letters and digits only: underscores and punctuation separate words, exactly
# as SQLite's unicode61 and PostgreSQL's default parser treat them.
_WORD = re.compile(r"[^\W_]+")
_ARABIC_LETTER = re.compile(f"[{BASIC_LETTER_CLASS}]")

_CONJUNCTIONS = ("", "\u0648", "\u0641")  # و ف
_PREPOSITIONS = ("", "\u0628", "\u0644", "\u0643")  # ب ل ك
_ARTICLE = "\u0627\u0644"  # ال
_MIN_STEM = 3


def normalise(text: str) -> str:
    """Fold ``text`` for matching; the result is for comparison, never for display."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFKC", stripped).translate(_ARABIC_MAP).casefold()


def words(text: str) -> list[str]:
    """The normalised words of ``text``, in order, without over-long tokens."""
    return [w for w in _WORD.findall(normalise(text)) if len(w) <= MAX_TOKEN_CHARS]


def light_stems(word: str) -> list[str]:
    """Forms of a normalised Arabic ``word`` with clitic prefixes peeled off.

    Returns the stripped forms (not ``word`` itself), most stripped last; an
    empty list for non-Arabic words or words too short to strip safely.
    """
    if not _ARABIC_LETTER.match(word):
        return []
    found: list[str] = []
    for conj in _CONJUNCTIONS:
        if not word.startswith(conj):
            continue
        after_conj = word[len(conj):]
        for prep in _PREPOSITIONS:
            if not after_conj.startswith(prep):
                continue
            rest = after_conj[len(prep):]
            candidates = [rest]
            if prep == "\u0644" and rest.startswith("\u0644"):
                # "للمدنيين" is ل + المدنيين with the alef elided.
                candidates = [_ARTICLE + rest[1:], rest[1:]]
            elif rest.startswith(_ARTICLE):
                candidates.append(rest[len(_ARTICLE):])
            for cand in candidates:
                if cand != word and len(cand) >= _MIN_STEM and cand not in found:
                    found.append(cand)
    found.sort(key=len, reverse=True)
    return found


def index_text(*parts: str) -> str:
    """The space-separated token stream stored in the search index.

    Every word is followed by its light stems, so a stem query finds the
    prefixed form. The stream is cut at ``MAX_INDEX_CHARS``.
    """
    out: list[str] = []
    size = 0
    for part in parts:
        for window in _windows(part or ""):
            for word in words(window):
                for token in (word, *light_stems(word)):
                    size += len(token) + 1
                    if size > MAX_INDEX_CHARS:
                        return " ".join(out)
                    out.append(token)
    return " ".join(out)


_WINDOW = 50_000


def _windows(text: str) -> Iterator[str]:
    """``text`` in pieces of about ``_WINDOW`` characters, cut at white space (never inside a word).

    The index keeps only its first ``MAX_INDEX_CHARS``: normalising a 40-million
    character report whole to take them cost gigabytes and many seconds.
    """
    start = 0
    while start < len(text):
        end = start + _WINDOW
        if end < len(text):
            cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
            end = cut if cut > start else end
        yield text[start:end]
        start = end


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One query word: the document must contain one of ``forms``.

    ``prefix`` forms match any indexed token that starts with them.
    """

    forms: tuple[str, ...]
    prefix: bool


def query_terms(query: str) -> list[QueryTerm]:
    """Parse untrusted user input into terms; operators and quotes are just separators.

    Every form consists of letters and digits only, so it can be quoted into
    FTS5 or tsquery syntax without escaping problems.
    """
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    for word in words(query[:2000]):
        if word in seen:
            continue
        seen.add(word)
        stems = light_stems(word)
        forms = (word, stems[-1]) if stems else (word,)
        terms.append(QueryTerm(forms=forms, prefix=min(len(f) for f in forms) >= PREFIX_MIN_CHARS))
        if len(terms) >= MAX_QUERY_TERMS:
            break
    return terms


def term_matches(term: QueryTerm, word: str) -> bool:
    """Whether the folded ``word`` (or one of its light stems) matches ``term``."""
    candidates = (word, *light_stems(word))
    for form in term.forms:
        for cand in candidates:
            if cand == form or (term.prefix and cand.startswith(form)):
                return True
    return False


def snippet(text: str, terms: list[QueryTerm], *, width: int = 160) -> str:
    """A window of the *original* text around the first word matching a term.

    Works on the original so the reader sees the report as written, not the
    folded index form. Falls back to the start of the text.
    """
    if not text:
        return ""
    start = 0
    # Only the indexed head of a document can have matched (MAX_INDEX_CHARS).
    for match in re.finditer(r"[^\W_]+", text[: MAX_INDEX_CHARS * 2]):
        folded = words(match.group())
        if any(term_matches(t, w) for w in folded for t in terms):
            start = match.start()
            break
    lo = max(0, start - width // 3)
    hi = min(len(text), lo + width)
    piece = " ".join(text[lo:hi].split())
    return ("…" if lo > 0 else "") + piece + ("…" if hi < len(text) else "")
