"""Dates a story gives from the act told before: "two days later", "قبل ذلك بيوم واحد", "بعد أسبوعين"."""
from __future__ import annotations

from datetime import date

from tawthiq.domain.arabic import fold_for_lookup
from tawthiq.extract.dates_story import shift_story_date, story_offset
from tawthiq.extract.engine import RuleExtractor


def _days(text: str) -> int | None:
    hay = text if text.isascii() else fold_for_lookup(text)
    found = story_offset(hay, 0, len(hay))
    return None if found is None else found.days


def test_offsets_in_english_and_arabic() -> None:
    assert _days("Three days later the militia came back") == 3
    assert _days("A week before, shells had hit the school") == -7
    assert _days("The previous day, gunmen had stopped the bus") == -1
    assert _days("the day before yesterday") is None  # a date from publication, not from the act before
    assert _days("وبعد ثلاثة أيام عادت الدورية") == 3
    assert _days("وقبل ذلك بيومين، اعتقلت الدورية") == -2
    assert _days("ويأتي ذلك بعد أسبوع من اغتيال") == -7  # the act named after "من" came first
    assert _days("وبعد أيام داهموا البيت") is None  # "some days": nothing to count


def test_shifting_keeps_only_what_surely_holds() -> None:
    assert shift_story_date("2020-02-28", 2)[0] == "2020-03-01"  # across a leap day
    assert shift_story_date("2019-10", 20)[0] == "2019"  # a month plus twenty days: only the year is sure
    assert shift_story_date("2019-10-10", 14)[0] == "2019-10-24~"


def test_an_act_told_days_before_the_one_before_it() -> None:
    text = ("On Friday a drone struck a car on the road to Atarib, killing the driver. "
            "Two days earlier, regime artillery had shelled the market of the town, wounding five people.")
    incidents = RuleExtractor().extract(text, language="en", published=date(2021, 3, 10))
    assert [i.date.edtf if i.date else None for i in incidents] == ["2021-03-05", "2021-03-03"]
    ar = ("قصفت طائرة مسيرة سيارة على طريق الأتارب يوم الجمعة، ما أدى إلى مقتل سائقها.\n"
          "وقبل ذلك بيوم واحد، قصفت مدفعية النظام سوق البلدة ما أدى إلى إصابة خمسة مدنيين.")
    incidents = RuleExtractor().extract(ar, language="ar", published=date(2021, 3, 10))
    assert [i.date.edtf if i.date else None for i in incidents] == ["2021-03-05", "2021-03-04"]


def test_the_same_month_or_year_as_the_act_before() -> None:
    assert story_offset("later that month they came back", 0, 31).keep == 7
    hay = fold_for_lookup("وفي العام نفسه اعتقلوا أخي")
    assert story_offset(hay, 0, len(hay)).keep == 4
    assert shift_story_date("2013-03-14", 0, keep=7)[0] == "2013-03"
    assert shift_story_date("2013", 0, keep=7) is None  # a year does not tell the month
    text = ("Regime helicopters dropped barrel bombs on the market of Darayya on 14 March 2013, killing six people. "
            "Later that month, security forces arrested twenty men at the checkpoint of the town.")
    incidents = RuleExtractor().extract(text, language="en", published=date(2014, 1, 5))
    assert [i.date.edtf if i.date else None for i in incidents] == ["2013-03-14", "2013-03"]
