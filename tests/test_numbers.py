"""Counts in English and Arabic: digits, words, ranges, qualifiers, vague words."""
from __future__ import annotations

import random

import pytest

from tawthiq.extract.numbers import (
    NON_COUNT_RULES,
    Quantity,
    acled_estimate,
    find_quantities,
    implied_count,
    is_count,
    parse_quantity,
)


def counts(text: str) -> list[tuple[str, int | None, int | None]]:
    return [(q.text, q.min, q.max) for q in find_quantities(text) if is_count(q)]


def only(text: str) -> Quantity:
    found = [q for q in find_quantities(text) if is_count(q)]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("killing 4 demonstrators", 4),
        ("1,200 people fled", 1200),
        ("12,500 families", 12500),
        ("1.5 million refugees", 1_500_000),
        ("٢٣ مدنياً", 23),
        ("١٬٢٠٠ شخص", 1200),
        ("۱۵ نفر", 15),  # Extended Arabic-Indic (Persian) digits
        ("four members", 4),
        ("twenty-three civilians", 23),
        ("twenty three civilians", 23),
        ("two hundred and five people", 205),
        ("one hundred and twenty bodies", 120),
        ("a hundred detainees", 100),
        ("a dozen men", 12),
        ("two dozen men", 24),
        ("three thousand five hundred", 3500),
        ("Seventeen fighters", 17),
        ("5 thousand displaced", 5000),
    ],
)
def test_english_and_digit_counts(text: str, expected: int) -> None:
    q = only(text)
    assert (q.min, q.max) == (expected, expected)
    assert text[q.start:q.end] == q.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل ثلاثة مدنيين", 3),
        ("قتل ثلاث نساء", 3),
        ("مقتل تسعة مدنيين", 9),
        ("طالت اثني عشر شخصاً", 12),
        ("اعتقال اثنا عشر شاباً", 12),
        ("أحد عشر قتيلاً", 11),
        ("إحدى عشرة امرأة", 11),
        ("ثلاثة عشر مدنياً", 13),
        ("خمسة وعشرون قتيلاً", 25),
        ("خمس وعشرين عائلة", 25),
        ("عشرون شخصاً", 20),
        ("عشرين مدنيا", 20),
        ("مئة شخص", 100),
        ("مائة شخص", 100),
        ("مئتان من المدنيين", 200),
        ("مائتين", 200),
        ("ثلاثمئة وخمسة وعشرون", 325),
        ("ثلاث مئة عائلة", 300),
        ("أكثر من ألف شخص", 1000),
        ("ثلاثة آلاف نازح", 3000),
        ("عشرة آلاف نازح", 10000),
        ("خمسون ألفاً", 50000),
        ("الأطفال الثلاثة", 3),
        ("وثلاثة جرحى", 3),
        ("لخمسة أشخاص", 5),
        ("بستة صواريخ", 6),
        ("اثنان من المدنيين", 2),
        ("واحدة", 1),
    ],
)
def test_arabic_number_words(text: str, expected: int) -> None:
    q = parse_quantity(text)
    assert q is not None and is_count(q)
    assert q.min == expected


@pytest.mark.parametrize(
    ("text", "lo", "hi", "rule"),
    [
        ("10-15 people", 10, 15, "range"),
        ("10 – 15 people", 10, 15, "range"),
        ("10 to 15 people", 10, 15, "range"),
        ("between 10 and 15 people", 10, 15, "range"),
        ("three or four civilians", 3, 4, "range"),
        ("من 10 إلى 15 شخصاً", 10, 15, "range"),
        ("بين 10 و15 شخصاً", 10, 15, "range"),
        ("بين عشرة وعشرين شخصاً", 10, 20, "range"),
        ("10 أو 15 شخصاً", 10, 15, "range"),
        ("ثلاثة أو أربعة مدنيين", 3, 4, "range"),
    ],
)
def test_ranges(text: str, lo: int, hi: int, rule: str) -> None:
    q = only(text)
    assert (q.min, q.max, q.rule) == (lo, hi, rule)


def test_and_without_between_is_two_counts() -> None:
    assert counts("killed 5 and injured 10") == [("5", 5, 5), ("10", 10, 10)]


@pytest.mark.parametrize(
    ("text", "lo", "hi", "rule"),
    [
        ("at least 23 people", 23, None, "at-least"),
        ("no fewer than 40", 40, None, "at-least"),
        ("more than 80 people", 80, None, "at-least"),
        ("over 300 families", 300, None, "at-least"),
        ("أكثر من 80 شخصاً", 80, None, "at-least"),
        ("ما لا يقل عن ١٢ شخصاً", 12, None, "at-least"),
        ("أزيد من عشرين", 20, None, "at-least"),
        ("up to 30 people", None, 30, "at-most"),
        ("fewer than 10", None, 9, "less-than"),
        ("as many as 40 civilians", 40, 40, "as-many-as"),
        ("nearly 200 bodies", 180, 200, "nearly"),
        ("almost 50", 45, 50, "nearly"),
        ("قرابة 200 جثة", 180, 200, "nearly"),
        ("قرابة الـ200 جثة", 180, 200, "nearly"),
        ("ما يقارب مئة شخص", 90, 100, "nearly"),
        ("about 100 people", 100, 110, "about"),
        ("around 20", 20, 22, "about"),
        ("نحو 200 شخص", 200, 220, "about"),
        ("حوالي خمسين", 50, 55, "about"),
    ],
)
def test_qualifiers(text: str, lo: int | None, hi: int | None, rule: str) -> None:
    q = only(text)
    assert (q.min, q.max, q.rule) == (lo, hi, rule)
    assert q.text == text[q.start:q.end]
    assert q.start == 0  # the qualifier is part of the mention as written


def test_nearly_200_is_the_contract_range() -> None:
    q = only("spoke about finding nearly 200 bodies of ISIS members")
    assert q.max == 200 and 150 <= q.min < 200


@pytest.mark.parametrize(
    ("text", "lo", "hi", "rule"),
    [
        ("dozens of children", 12, None, "vague:dozens"),
        ("Dozens of people", 12, None, "vague:dozens"),
        ("scores of protesters", 20, None, "vague:scores"),
        ("hundreds of cases of suffocation", 100, None, "vague:hundreds"),
        ("thousands of protesters", 1000, None, "vague:thousands"),
        ("tens of thousands of people", 10000, None, "vague:tens-of-thousands"),
        ("hundreds of thousands of refugees", 100000, None, "vague:hundreds-of-thousands"),
        ("several civilians", 3, None, "vague:several"),
        ("a few detainees", 2, None, "vague:few"),
        ("a couple of fighters", 2, 2, "vague:couple"),
        ("عشرات المدنيين", 12, None, "vague:dozens"),
        ("مئات العائلات", 100, None, "vague:hundreds"),
        ("آلاف النازحين", 1000, None, "vague:thousands"),
        ("عشرات الآلاف", 10000, None, "vague:tens-of-thousands"),
        ("عدة مدنيين", 3, None, "vague:several"),
        ("عدد من المعتقلين", 2, None, "vague:few"),
        ("بضعة أشخاص", 3, 9, "vague:few"),
    ],
)
def test_vague_counts_follow_acled(text: str, lo: int, hi: int | None, rule: str) -> None:
    q = only(text)
    assert (q.min, q.max, q.rule) == (lo, hi, rule)


def test_acled_single_figures() -> None:
    assert acled_estimate(only("dozens of children")) == 12
    assert acled_estimate(only("hundreds of people")) == 100
    assert acled_estimate(only("several people")) == 10  # ACLED's convention for "several"
    assert acled_estimate(only("at least 23 people")) == 23
    year = find_quantities("in 2015")[0]
    assert acled_estimate(year) is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("in 2017 the town", "year"),
        ("since 2011, civilians", "year"),
        ("4 April 2017", "date"),
        ("on 4 April", "date"),
        ("في 6 شباط", "date"),
        ("عام 2015", "year"),
        ("4/4/2017", "date"),
        ("2017-04-04", "date"),
        ("at 12:30", "time"),
        ("a 14-year-old boy", "age"),
        ("aged 14", "age"),
        ("a boy, 14 years old", "age"),
        ("عمره 14 عاماً", "age"),
        ("50% of the town", "percent"),
        ("٣٠٪ من", "percent"),
        ("fifty thousand dollars", "money"),
        ("خمسون ألف دولار", "money"),
        ("$5,000", "money"),
        ("5 km north of Idlib", "measure"),
        ("Division 4 forces", "label"),
        ("Resolution 2254", "label"),
        ("the 4th Division", "ordinal"),
        ("five years of rebel rule", "duration"),
        ("ثلاثة أيام", "duration"),
        ("الفرقة 17", "label"),
    ],
)
def test_non_counts_are_tagged(text: str, rule: str) -> None:
    found = find_quantities(text)
    assert found, text
    assert found[0].rule == rule
    assert not is_count(found[0])
    assert rule in NON_COUNT_RULES


def test_a_plain_count_near_a_year_is_still_a_count() -> None:
    assert counts("In 2015, 2000 people were displaced") == [("2000", 2000, 2000)]


def test_no_one_is_not_a_count() -> None:
    assert counts("no one was hurt") == []
    assert counts("Monday يوم الاثنين") == []
    assert counts("أحد المدنيين") == []  # أحد alone is "one of", not the first half of 11


def test_words_inside_names_are_not_numbers() -> None:
    assert counts("the M4 highway") == []
    assert counts("Tension and tenacity, often") == []
    assert counts("ستوكهولم وعشيرة") == []


def test_results_are_sorted_and_do_not_overlap() -> None:
    text = ("At least 23 people, among them dozens of children, were killed on 4 April 2017 "
            "and 10-15 were injured; نحو 200 شخص و عشرات الجرحى في عام 2015.")
    found = find_quantities(text)
    assert [q.start for q in found] == sorted(q.start for q in found)
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start
    assert all(text[q.start:q.end] == q.text for q in found)


def test_odd_input_never_raises() -> None:
    rng = random.Random(7)
    alphabet = "0123456789٠١٢٣٤٥٦٧٨٩,.-–/: %$ابتثجحخدذرزسشصضطظعغفقكلمنهويىةأإآءabcdefghijklmnoprstuvwxyz\n"
    for _ in range(300):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        for q in find_quantities(s):
            assert 0 <= q.start < q.end <= len(s)
    assert find_quantities("") == []
    assert parse_quantity("") is None
    assert find_quantities("9" * 5000) == []  # an identifier, not a count, and no crash
    assert find_quantities("1" * 20)[0].min == int("1" * 20)


@pytest.mark.parametrize(
    ("token", "language", "expected"),
    [
        ("a", "en", 1),
        ("An", "en", 1),
        ("one", "en", 1),
        ("both", "en", 2),
        ("civilians", "en", None),
        ("مدنيان", "ar", 2),
        ("برميلان", "ar", 2),
        ("قتيلين", "ar", 2),
        ("طفلين", "ar", 2),
        ("الطفلين", "ar", 2),
        ("امرأتان", "ar", 2),
        ("مدنيين", "ar", None),  # plural, spelled like a dual
        ("مسلحين", "ar", None),
        ("ناشطين", "ar", None),
        ("إيران", "ar", None),
        ("سكان", "ar", None),
        ("عفرين", "ar", None),
        ("حلب", "ar", None),
        ("ثلاثة", "ar", 3),
        ("", "ar", None),
    ],
)
def test_implied_count(token: str, language: str, expected: int | None) -> None:
    assert implied_count(token, language=language) == expected


def test_implied_count_detects_language() -> None:
    assert implied_count("قتيلان") == 2
    assert implied_count("a") == 1


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("one-third of the town", "fraction"),
        ("two thirds of them", "fraction"),
        ("in the 1980s", "year"),
        ("at 7 am", "time"),
        ("the 313 Brigade", "label"),
        ("sector 12B", "label"),
    ],
)
def test_more_non_counts(text: str, rule: str) -> None:
    found = find_quantities(text)
    assert [q.rule for q in found] == [rule]


def test_model_names_are_not_counts() -> None:
    assert counts("a Su-24 warplane and T-72 tanks and an S-300 battery") == []


@pytest.mark.parametrize(
    ("text", "lo", "rule"),
    [
        ("1.200 people", 1200, "digits"),  # a dot for thousands
        ("1.200.000 refugees", 1_200_000, "digits"),
        ("٢٫٥ مليون لاجئ", 2_500_000, "mixed"),
        ("half a dozen men", 6, "words-en"),
    ],
)
def test_separators_and_halves(text: str, lo: int, rule: str) -> None:
    q = only(text)
    assert (q.min, q.rule) == (lo, rule)


def test_a_bare_decimal_is_not_a_count() -> None:
    assert counts("the strike at 10.30 hit") == []
    assert counts("2 to 3 days later") == []
    assert counts("10-15% of the town") == []


@pytest.mark.parametrize(
    ("text", "lo", "hi", "rule"),
    [
        ("مقتل 20 مدنياً على الأقل", 20, None, "at-least"),
        ("200 شخص تقريباً", 200, 220, "about"),
        ("20 or more people", 20, None, "at-least"),
        ("killed 20 people at least.", 20, None, "at-least"),
    ],
)
def test_qualifiers_after_the_count(text: str, lo: int, hi: int | None, rule: str) -> None:
    q = only(text)
    assert (q.min, q.max, q.rule) == (lo, hi, rule)


def test_a_following_qualifier_belongs_to_the_next_count() -> None:
    assert counts("killed 20 people at least 5 of them children") == [("20", 20, 20), ("at least 5", 5, None)]


def test_qualifier_with_a_glued_conjunction() -> None:
    q = only("قتل شخصان ونحو 200 شخص")
    assert (q.text, q.min, q.rule) == ("نحو 200", 200, "about")
    q = only("وأكثر من 80 شخصاً")
    assert (q.text, q.min, q.max) == ("أكثر من 80", 80, None)


@pytest.mark.parametrize("text", ["9/11 attacks", "1/3 of the town", "open 24/7", "won 3:1"])
def test_slashed_and_colon_numbers_are_not_counts(text: str) -> None:
    assert counts(text) == []


@pytest.mark.parametrize("text", ["٢٠١٤/٢/٦", "2014-2-6", "4.4.2017"])
def test_numeric_dates_are_tagged(text: str) -> None:
    assert [q.rule for q in find_quantities(text)] == ["date"]
