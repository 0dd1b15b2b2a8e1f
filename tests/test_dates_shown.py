"""Dates typed year-month-day in any digits, and dates shown in words with the Levantine month names."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.domain.dates_shown import date_in_words, localise_digits, typed_date
from tawthiq.domain.filters import IncidentFilter


@pytest.mark.parametrize("text", ["2015-10-07", "٢٠١٥-١٠-٠٧", "۲۰۱۵/۱۰/۰۷", "2015.10.7", " \u200e2015-10-07 "])
def test_a_date_typed_year_month_day_in_any_digits(text: str) -> None:
    assert typed_date(text) == date(2015, 10, 7)


@pytest.mark.parametrize("text", ["10/07/2015", "2015-02-30", "٢٠١٥-١٣-٠١", "yesterday", "", "2015-10-07x"])
def test_what_is_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        typed_date(text)


def test_filters_take_arabic_digits_and_refuse_in_one_line() -> None:
    found = IncidentFilter.from_params({"date_from": "٢٠١٥-١٠-٠١", "date_to": "2015/10/31"})
    assert (found.date_from, found.date_to) == (date(2015, 10, 1), date(2015, 10, 31))
    with pytest.raises(ValueError, match="date_from must be a date like 2015-10-07"):
        IncidentFilter.from_params({"date_from": "07/10/2015"})


def test_dates_in_words() -> None:
    assert date_in_words("2015-10-07", lang="ar") == "7 تشرين الأول 2015"
    assert date_in_words("2018-03", lang="ar") == "آذار 2018"
    assert date_in_words("2017-01-02~", lang="ar") == "نحو 2 كانون الثاني 2017"
    assert date_in_words("2017?", lang="en") == "2017 (uncertain)"
    assert date_in_words("2015-01/2015-03", lang="ar") is None and date_in_words("2015-13", lang="ar") is None
    assert localise_digits("7 تشرين الأول 2015", arabic_indic=True) == "٧ تشرين الأول ٢٠١٥"
    assert localise_digits("3–5", arabic_indic=False) == "3–5"
