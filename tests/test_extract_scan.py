"""The prefix-indexed scanner must find exactly what plain ``re`` finds."""
from __future__ import annotations

import copy
import re

import pytest

from tawthiq.domain.arabic import fold_letters as fold
from tawthiq.extract import scan as scan_module
from tawthiq.extract.lexicon import lexicon
from tawthiq.extract.scan import ByStart, Scanner, non_overlapping, prefixes
from tawthiq.extract.segment import chunks, sentences

TEXTS = {
    "en": ("On 4 May, regime helicopters dropped barrel bombs on al-Latamneh; ISIS claimed responsibility. "
           "Gunmen kidnapped two shepherds, and Turkish artillery shelled Tal Rifaat, killing a woman and "
           "wounding dozens. IEDs exploded. A mass grave with 40 bodies was found near Raqqa. Sarin! x-ray "
           "Protesters were fired on; the SDF arrested 12 people. BARREL-BOMBS, air-strikes, Airstrike."),
    "ar": ("قُتل ثلاثة مدنيين وأصيب سبعة آخرون جراء غارة جوية لطائرة حربية روسية على سوق مدينة أريحا، "
           "واختطف مسلحون مجهولون طبيباً، كما ألقت مروحيات النظام برميلين متفجرين على حي الكلاسة. "
           "اعتقلت هيئة تحرير الشام ناشطاً إعلامياً؛ وعُثر على مقبرة جماعية تضم جثث 20 شخصاً."),
}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_scanner_matches_plain_regex(language: str) -> None:
    lex = lexicon(language)
    hay = fold(TEXTS[language])
    for trigger in lex.triggers:
        expected = [(m.start(), m.end()) for m in trigger.pattern.finditer(hay)]
        got = [(m.start(), m.end()) for _, m in non_overlapping(Scanner([trigger.pattern]).finditer(hay))]
        assert got == expected, trigger.name


def test_prefixes_of_simple_and_open_patterns() -> None:
    assert prefixes(re.compile(r"(?<!\w)(?:air ?strikes?|raids?)(?!\w)", re.I)) == {"ai", "ra"}
    assert prefixes(re.compile(r"\w+ed")) is None  # any word: scanned the ordinary way
    scanner = Scanner([re.compile(r"\w+ed"), re.compile(r"(?<!\w)bomb(?!\w)")])
    found = sorted((i, m.group()) for i, m in scanner.finditer("they bombed a bomb"))
    assert found == [(0, "bombed"), (1, "bomb")]


def test_by_start_slices_by_offset() -> None:
    items = ByStart([(5, "b"), (1, "a"), (9, "c")], lambda t: t[0])
    assert [x[1] for x in items.between(1, 9)] == ["a", "b"]
    assert items.between(10, 20) == []


def test_sentences_and_chunks_keep_offsets() -> None:
    text = "Regime jets struck Saraqib, while artillery shelled Binnish. Dr. Ali said so.\n\nقصف الطيران بلدة كفرنبل، كما قصفت المدفعية حاس."
    sents = sentences(text)
    assert [text[s.start:s.end] for s in sents] == [
        "Regime jets struck Saraqib, while artillery shelled Binnish.", "Dr. Ali said so.",
        "قصف الطيران بلدة كفرنبل، كما قصفت المدفعية حاس."]
    en = chunks(text, sents[0], lexicon("en").context["chunk_break"], fold(text))
    assert [text[c.start:c.end] for c in en] == ["Regime jets struck Saraqib", "while artillery shelled Binnish."]
    ar = chunks(text, sents[2], lexicon("ar").context["chunk_break"], fold(text))
    assert len(ar) == 2 and text[ar[1].start:ar[1].end].startswith("كما")


def test_long_sentence_is_cut_below_the_evidence_limit() -> None:
    text = ", ".join(["regime forces shelled the village"] * 60) + "."
    assert all(s.end - s.start <= 600 for s in sentences(text))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_lexicon_scanners_find_every_entry_match(language: str) -> None:
    """The scanners the engine uses (Arabic: indexed past clitics) miss nothing plain ``re`` finds."""
    lex = lexicon(language)
    hay = fold(TEXTS[language] + " وبالقصف وللنظام فالمدنيين لقُتل")
    for scanner in (lex.trigger_scan, lex.noun_scan, lex.outcome_scan, lex.cue_scan):
        got = {(i, m.start(), m.end()) for i, m in scanner.finditer(hay)}
        for i, pattern in enumerate(scanner.patterns):
            for m in pattern.finditer(hay):
                # every match plain re finds at a word start is found by the scanner too
                assert (i, m.start(), m.end()) in got or any(g[0] == i and g[1] == m.start() for g in got), \
                    (pattern.pattern[:60], m.group())


def _fresh(scanner: Scanner) -> Scanner:
    out = copy.copy(scanner)
    out._any, out._reached = {}, {}  # nothing joined yet
    return out


@pytest.mark.parametrize("language", ["en", "ar"])
def test_joined_buckets_find_what_each_pattern_finds(language: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bucket's joined alternation only rules out word starts: the matches are those of the patterns one by one."""
    lex = lexicon(language)
    hay = fold(TEXTS[language] + " وبالقصف وللنظام فالمدنيين لقُتل والطائرات بالبراميل")
    for scanner in (lex.trigger_scan, lex.noun_scan, lex.outcome_scan, lex.cue_scan):
        monkeypatch.setattr(scan_module, "_JOIN_AFTER", 10**9)
        monkeypatch.setattr(scan_module, "_JOIN_AFTER_ARABIC", 10**9)
        alone = [(i, m.span()) for i, m in _fresh(scanner).finditer(hay)]
        monkeypatch.setattr(scan_module, "_JOIN_AFTER", 0)
        monkeypatch.setattr(scan_module, "_JOIN_AFTER_ARABIC", 0)
        joined_scanner = _fresh(scanner)
        joined = [(i, m.span()) for i, m in joined_scanner.finditer(hay)]
        assert joined == alone
        assert any(j is not None for j in joined_scanner._any.values())  # the joined path did run


def test_bucket_that_cannot_be_joined_is_tried_pattern_by_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan_module, "_JOIN_AFTER", 0)
    # a back-reference would point elsewhere once joined: such a bucket is never joined
    scanner = Scanner([re.compile(r"(?<!\w)(bo)\1m"), re.compile(r"(?<!\w)bomb(?!\w)")])
    assert [(i, m.group()) for i, m in scanner.finditer("a bobom and a bomb")] == [(0, "bobom"), (1, "bomb")]
    assert scanner._any == {("bo", 2): None}
