"""The one Arabic-normalisation module: digits, letter folds, marks, and the search fold built on it."""
from __future__ import annotations

import re

import pytest

from tawthiq.domain import arabic
from tawthiq.store.textnorm import index_text, normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015", "2015"),  # ASCII
        ("٢٠١٥", "2015"),  # Arabic-Indic
        ("۲۰۱۵", "2015"),  # Extended Arabic-Indic (Persian/Urdu)
        ("قتل ١٢ و۳ و4", "قتل 12 و3 و4"),  # mixed in one text
        ("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"),
    ],
)
def test_digits_in_three_scripts_become_ascii(text: str, expected: str) -> None:
    assert arabic.to_ascii_digits(text) == expected
    assert len(arabic.to_ascii_digits(text)) == len(text)  # offsets into the text still hold


def test_digit_class_and_chars_agree() -> None:
    digit = re.compile(f"[{arabic.DIGIT_CLASS}]")
    assert "".join(digit.findall("a1٢۳b")) == "1٢۳"
    assert all(digit.fullmatch(ch) for ch in arabic.DIGIT_CHARS)
    assert len(arabic.DIGIT_CHARS) == 30
    assert not digit.search("abc٫٬")  # decimal and thousands separators are no digits


def test_fold_letters_folds_alef_ta_marbuta_alef_maqsura_and_keeps_length() -> None:
    text = "أحمد إدلب آذار ٱلله مدرسة على"
    folded = arabic.fold_letters(text)
    assert folded == "احمد ادلب اذار الله مدرسه علي"
    assert len(folded) == len(text)
    # the basic fold leaves hamza seats and Persian letters alone
    assert arabic.fold_letters("مؤسسة رئيس کی") == "مؤسسه رئيس کی"


def test_place_fold_is_wider_than_the_letter_fold() -> None:
    assert arabic.fold_place_letters("مؤسسة رئيس کی") == "موسسه رييس كي"
    assert arabic.fold_place_letters("أإآٱةى") == "ااااهي"
    assert set(arabic.LETTER_FOLD.items()) < set(arabic.PLACE_LETTER_FOLD.items())


def test_folded_letter_classes_match_every_variant_the_fold_unifies() -> None:
    for letter, cls in arabic.FOLDED_LETTER_CLASS.items():
        variants = {letter} | {k for k, v in arabic.LETTER_FOLD.items() if v == letter}
        assert {ch for ch in map(chr, range(0x0600, 0x0700)) if re.fullmatch(cls, ch)} == variants
    assert set(arabic.FOLDED_LETTER_CLASS) == set(arabic.LETTER_FOLD.values())


def test_mark_stripping_variants() -> None:
    word = "الرَّقَّـةُ"  # shadda, fatha, damma, tatweel
    assert arabic.strip_vowel_marks(word) == "الرقة"
    assert arabic.strip_marks(word) == "الرقة"
    # superscript alef: only the lookup fold and the full strip drop it
    assert arabic.strip_vowel_marks("هٰذا") == "هٰذا"
    assert arabic.fold_for_lookup("هٰذا") == "هذا"
    assert arabic.strip_marks("هٰذا") == "هذا"
    # a Quranic annotation sign: only the full strip drops it
    assert arabic.strip_marks("حلب\u06d6") == "حلب"
    assert arabic.fold_for_lookup("حلب\u06d6") == "حلب\u06d6"
    assert all(re.fullmatch(f"[{arabic.VOWEL_MARK_CLASS}]", ch) for ch in arabic.VOWEL_MARK_CHARS)
    assert len(arabic.VOWEL_MARK_CHARS) == 9


def test_fold_for_lookup() -> None:
    assert arabic.fold_for_lookup("الإثنين") == "الاثنين"
    assert arabic.fold_for_lookup("ثلاثةٌ") == "ثلاثه"
    assert arabic.fold_for_lookup("عشـرة") == "عشره"
    assert arabic.fold_for_lookup("مؤسسة") == "مؤسسه"  # hamza seats are kept


# Computed with store/textnorm.py before the Arabic tables moved to domain/arabic.py:
# the search index stores this text, so it must not change.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مدنـيين", "مدنيين"),
        ("وبالمدنيّين", "وبالمدنيين"),
        ("أإآٱ", "اااا"),
        ("مؤسسة رئيس", "موسسه رييس"),
        ("کرکی", "كركي"),
        ("٢٠١٥ ۲۰۱۵", "2015 2015"),
        ("می\u200cخواهم", "ميخواهم"),
        ("\u200fحلب\u200e", "حلب"),
        ("\ufefb\ufe8d", "لاا"),
        ("ﷲ", "الله"),
        ("Kobanî ÉCOLE Straße", "kobani ecole strasse"),
        ("الرَّقَّة", "الرقه"),
        ("ى", "ي"),
        ("\u0670\u0654\u0655", ""),
    ],
)
def test_search_normalisation_is_unchanged(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وبالرقة ٣ أطفال", "وبالرقه بالرقه الرقه رقه 3 اطفال"),
        ("للمدنيين في إدلب", "للمدنيين المدنيين مدنيين في ادلب"),
        ("Kobanî strikes", "kobani strikes"),
    ],
)
def test_search_index_text_is_unchanged(text: str, expected: str) -> None:
    assert index_text(text) == expected
