"""Days of the year and weekdays a report names without a year: hints for linkage, never a date."""
from __future__ import annotations

from tawthiq.extract.calendar_hints import calendar_hints


def test_a_dateline_without_a_year_and_a_weekday() -> None:
    hints = calendar_hints("BEIRUT, July 25 (Reuters) - Militants attacked the city on Wednesday, killing 200.")
    assert hints.days == {(7, 25)} and hints.weekdays == {2}


def test_arabic_days_and_weekdays() -> None:
    assert calendar_hints("قتل خمسة مدنيين في قصف على حلب يوم 28 أيلول").days == {(9, 28)}
    assert calendar_hints("صباح الخميس قصفت الطائرات البلدة").weekdays == {3}
    assert calendar_hints("وقع الانفجار في 6 حزيران").days == {(6, 6)}


def test_dated_and_relative_mentions_are_not_hints() -> None:
    # A date with its year dates the incident itself; "yesterday" needs a publication day to mean anything.
    for text in ("On 4 April 2017 aircraft struck Khan Shaykhun; on 6 April more strikes followed.",
                 "Yesterday and today the shelling went on.", "In March 2016 the town was besieged.", ""):
        hints = calendar_hints(text)
        assert hints.days == set() and hints.weekdays == set(), text


def test_29_february_is_a_day_of_the_year() -> None:
    assert calendar_hints("The strike on 29 February killed four.").days == {(2, 29)}
