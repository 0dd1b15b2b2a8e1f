"""Publication dates and languages read from loose metadata."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tawthiq.ingest.metadata import detect_language, normalise_language, parse_published


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-10-07", date(2015, 10, 7)),
        ("2015-10-07T23:30:00Z", date(2015, 10, 7)),
        ("Wed, 07 Oct 2015 10:00:00 +0300", date(2015, 10, 7)),
        ("07/10/2015", date(2015, 10, 7)),  # day first, as Syrian sources write it
        ("7.10.2015", date(2015, 10, 7)),
        ("10/25/2015", date(2015, 10, 25)),  # only month-first makes sense
        ("2015/10/07", date(2015, 10, 7)),
        ("7 October 2015", date(2015, 10, 7)),
        ("October 7, 2015", date(2015, 10, 7)),
        ("٧ تشرين الأول ٢٠١٥", date(2015, 10, 7)),
        ("12 أيار 2019", date(2019, 5, 12)),
        ("١٢/٣/٢٠١٦", date(2016, 3, 12)),
        (datetime(2016, 1, 2, 3, 4), date(2016, 1, 2)),
    ],
)
def test_dates_are_read_in_the_forms_sources_use(value, expected: date) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize(
    "value", ["", "yesterday", "31/02/2015", "13/13/2015", "1066-10-14", "2015", None, 20151007, ["2015-10-07"]]
)
def test_unreadable_or_implausible_dates_are_dropped_not_guessed(value) -> None:
    assert parse_published(value) is None


def test_language_by_script_and_by_name() -> None:
    assert detect_language("قصف مدفعي على دوما، Douma") == "ar"
    assert detect_language("Shelling on Douma (دوما) killed three civilians") == "en"
    assert detect_language("2016-02-14 — 12:00") == ""
    assert [normalise_language(v) for v in ("ar-SY", "Arabic", "العربية", "EN", "fr", 3)] == [
        "ar",
        "ar",
        "ar",
        "en",
        "",
        "",
    ]
