"""Numbers as people type them into a form (domain/typed_numbers.py): Western, Arabic-Indic or Persian digits,
Arabic separators, direction marks from a paste; and what is not a number stays refused, never a crash."""
from __future__ import annotations

import pytest

from tawthiq.domain.attachments import AttachmentError, parse_region
from tawthiq.domain.ids import MAX_ID, parse_id
from tawthiq.domain.typed_numbers import MAX_TYPED_NUMBER, ascii_number, typed_float, typed_int


@pytest.mark.parametrize(("typed", "ascii"), [
    ("٣", "3"), ("۳", "3"), ("3", "3"), ("٠١٢٣٤٥٦٧٨٩", "0123456789"), ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
    (" \u200f١٢\u200e ", "12"),  # direction marks and spaces a paste from a right-to-left page carries
    ("\u2067٤٥\u2069", "45"),  # an isolate around it
    ("١٬٢٣٤", "1234"), ("1,234", "1234"), ("١٬٢٣٤٬٥٦٧", "1234567"),  # thousands separators between groups of 3
    ("٣٫٥", "3.5"), ("١٬٢٣٤٫٥", "1234.5"),  # the Arabic decimal separator
    ("1,23", "1,23"), ("١٬٢", "1٬2"), ("1,234٬567", "1,234٬567"),  # not groups of three: left for the parser
    ("", ""), ("abc", "abc"), ("٣ children", "3 children"),
])
def test_ascii_number_makes_the_digits_and_separators_ascii(typed: str, ascii: str) -> None:
    assert ascii_number(typed) == ascii


@pytest.mark.parametrize(("typed", "number"), [
    ("٣", 3), ("۷", 7), ("12", 12), ("١٢", 12), ("۱۲", 12), ("1٢", 12),  # mixed digits are still one number
    ("٠", 0), ("007", 7), ("١٬٢٣٤", 1234), (" ٤٥ ", 45), ("\u200f٩\u200f", 9), ("999999999", 999_999_999),
])
def test_typed_int_reads_a_whole_number_in_any_digits(typed: str, number: int) -> None:
    assert typed_int(typed) == number


@pytest.mark.parametrize("typed", [
    None, "", "  ", "-1", "+3", "٣٫٥", "1.0", "1e3", "three", "٣ children", "#3", "²", "³", "①", "1 2",
    "1,23", "١٠٠٠٠٠٠٠٠٠",  # ten digits: more than a count may have
    "\u0663\u0300",  # a digit with a combining mark
])
def test_typed_int_refuses_what_is_not_a_whole_number(typed: str | None) -> None:
    assert typed_int(typed) is None


def test_typed_int_limits() -> None:
    assert typed_int("1" * 12, most_digits=12) == int("1" * 12)
    assert typed_int("1" * 13, most_digits=12) is None
    assert typed_int("0" * 30 + "5") == 5  # leading zeros are no digits of the number
    # A paste longer than any number field is refused whole, never cut into a number.
    assert typed_int("1" * (MAX_TYPED_NUMBER + 1), most_digits=100) is None


@pytest.mark.parametrize(("typed", "number"), [
    ("٠٫٢٥", 0.25), ("0.25", 0.25), ("٫٥", 0.5), ("-٣٦٫٢", -36.2), ("۳۶٫۲", 36.2), ("١٢", 12.0),
])
def test_typed_float_reads_a_decimal_in_any_digits(typed: str, number: float) -> None:
    assert typed_float(typed) == pytest.approx(number)


@pytest.mark.parametrize("typed", [None, "", "nan", "inf", "1e3", "٠٫٢٫٥", "x", "-"])
def test_typed_float_refuses_what_is_not_a_decimal(typed: str | None) -> None:
    assert typed_float(typed) is None


def test_record_ids_are_read_in_any_digits_and_stay_in_range() -> None:
    assert parse_id("١٢") == 12 and parse_id("۱۲") == 12 and parse_id(" 12 ") == 12
    assert parse_id(str(MAX_ID)) == MAX_ID and parse_id(str(MAX_ID + 1)) is None
    for bad in (None, "", "0", "-1", "²", "12a", "١".ljust(MAX_TYPED_NUMBER + 1, "١")):
        assert parse_id(bad) is None, bad


def test_a_region_typed_in_arabic_indic_digits_is_read() -> None:
    region = parse_region("٠٫١, ٠٫٢, ٠٫٣, ٠٫٢٥")
    assert (region.x, region.y, region.w, region.h) == pytest.approx((0.1, 0.2, 0.3, 0.25))
    with pytest.raises(AttachmentError):
        parse_region("٠٫١, x, ٠٫٣, ٠٫٢٥")
