"""A pattern tried only at word starts (``word_index``) and a guarded alternation (``scan``) find exactly the
matches the plain compiled pattern finds, in every window."""
from __future__ import annotations

import random
import re

from tawthiq.extract.lexicon import compile_patterns, lexicon
from tawthiq.extract.scan import guarded_alternation
from tawthiq.extract.word_index import WordStartPattern

_TEXT = (
    "Since the start of the year, monitors recorded 41 raids on the valley. Thereafter the shelling went on; "
    "in the past month, SINCE-the truce, the Sheikh's men said nothing. İnside the camp (ſince dawn) the "
    "guards beat a man until he died — 12 years ago, the anniversary passed unremarked. "
    "They held him since 2014; the report found 300 cases of torture during the war, sincerely."
)


def _spans(ms) -> list[tuple[int, int]]:
    return [m.span() for m in ms]


def _same_everywhere(plain: re.Pattern[str], wrapped: object, text: str) -> None:
    rng = random.Random(5)
    windows = [(0, len(text)), (0, 10**9), (-3, 40)]
    windows += [tuple(sorted(rng.sample(range(len(text) + 1), 2))) for _ in range(300)]
    for start, end in windows:
        assert _spans(wrapped.finditer(text, start, end)) == _spans(plain.finditer(text, start, end)), (start, end)
        a, b = wrapped.search(text, start, end), plain.search(text, start, end)
        assert (a and a.span()) == (b and b.span()), (start, end)


def test_word_start_pattern_finds_what_the_plain_pattern_finds() -> None:
    plain = compile_patterns(["since (?:the )?(?:start|beginning) of", "in the past (?:month|year)", "sheikh",
                              "during the war", "found \\d+ cases"], "en")
    wrapped = WordStartPattern.wrap(plain)
    assert isinstance(wrapped, WordStartPattern)
    text = _TEXT * 3  # long enough to be indexed
    _same_everywhere(plain, wrapped, text)
    # a window cutting a word: "sincerely" cut after "since" is "since" there, as with the plain pattern
    cut = text.index("sincerely") + len("since")
    assert _spans(wrapped.finditer(text, 0, cut)) == _spans(plain.finditer(text, 0, cut))


def test_case_folding_oddities_are_still_tried() -> None:
    # "İ" lower-cases to two characters and "ſ" matches "s" when case is ignored: no two-letter key of theirs
    # is a pattern's, so they are tried wherever they stand
    plain = re.compile(r"\b(?:inside|since)\b", re.IGNORECASE)
    wrapped = WordStartPattern.wrap(plain)
    assert isinstance(wrapped, WordStartPattern)
    text = _TEXT * 3
    assert any(m.group() in ("İnside", "ſince") for m in plain.finditer(text))
    _same_everywhere(plain, wrapped, text)


def test_only_word_edged_patterns_with_known_letters_are_wrapped() -> None:
    assert isinstance(WordStartPattern.wrap(re.compile(r"(?:\bkill|\bshot)", re.I)), WordStartPattern)
    assert isinstance(WordStartPattern.wrap(re.compile(r"(?<!\w)raid", re.I)), WordStartPattern)
    for unsafe in (r"\bkill|shot", r"kill", r"(?<!\S)kill", r"\b\w+ years ago", r"\b(?:\d+|many) dead"):
        assert isinstance(WordStartPattern.wrap(re.compile(unsafe, re.I)), re.Pattern), unsafe
    assert isinstance(WordStartPattern.wrap(re.compile(r"\bkill", re.I | re.ASCII)), re.Pattern)


def test_short_strings_are_scanned_the_ordinary_way() -> None:
    plain = re.compile(r"\bsince\b", re.I)
    wrapped = WordStartPattern.wrap(plain)
    assert _spans(wrapped.finditer("since then, since now")) == [(0, 5), (12, 17)]


def test_guarded_alternation_keeps_which_alternative_wins() -> None:
    items = ["(?:\\w+ )?anniversary", "since (?:the )?start", "since", "\\d+ years ago", "in the past"]
    guarded = re.compile(r"(?<![\w-])" + guarded_alternation(items, re.I) + r"(?!\w)", re.I)
    plain = re.compile(r"(?<![\w-])(?:" + "|".join(items) + r")(?!\w)", re.I)
    assert "(?=[" in guarded.pattern
    text = _TEXT * 2
    rng = random.Random(9)
    for start, end in [(0, len(text))] + [tuple(sorted(rng.sample(range(len(text) + 1), 2))) for _ in range(200)]:
        assert _spans(guarded.finditer(text, start, end)) == _spans(plain.finditer(text, start, end))


def test_english_context_patterns_are_wrapped() -> None:
    context = lexicon("en").context
    assert isinstance(context["speech"], WordStartPattern)
    assert not isinstance(context["chunk_break"], WordStartPattern)  # its entries carry their own edges
