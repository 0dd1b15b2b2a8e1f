"""Relative dates in news and testimony: colloquial "yesterday", a weekday after "yesterday", a month named
with a proclitic or as "last October", and the publication day for a breaking item that gives no date."""
from __future__ import annotations

from datetime import date

from tawthiq.extract.date_choice import _background, pick_incident_date
from tawthiq.extract.dates import find_dates
from tawthiq.extract.engine import RuleExtractor

PUB = date(2021, 3, 10)  # a Wednesday


def _dates(text: str, published: date | None = PUB) -> list[tuple[str, str | None]]:
    return [(m.text, m.edtf) for m in find_dates(text, published=published)]


def test_colloquial_yesterday() -> None:
    assert _dates("مبارح العصر قصفوا السوق") == [("مبارح", "2021-03-09")]
    assert _dates("وامبارح بالليل اعتقلوا جارنا") == [("وامبارح", "2021-03-09")]


def test_weekday_after_yesterday_is_the_same_day() -> None:
    # Read alone, "Tuesday" would be a week back from a Tuesday; after "yesterday" it is that day.
    assert _dates("قصفت الطائرات مساء أمس الثلاثاء بلدة في الريف") == [("مساء أمس الثلاثاء", "2021-03-09")]
    assert _dates("Warplanes struck a village yesterday, Tuesday, killing two.") == [("yesterday, Tuesday", "2021-03-09")]


def test_month_with_proclitic_and_last_month_name() -> None:
    assert _dates("هربنا من البلدة بتموز 2016 بعد الحصار") == [("بتموز 2016", "2016-07")]
    assert _dates("بكانون الثاني الماضي أخدوا أخي") == [("بكانون الثاني الماضي", "2021-01")]
    assert _dates("They took my brother last November.") == [("last November", "2020-11")]
    assert _dates("They took my brother last March.") == [("last March", "2020-03")]  # said in March: a year back
    assert _dates("وقف على باب البيت") == []  # "باب" is a door, not "in August"


def test_breaking_item_without_a_date_takes_the_publication_day() -> None:
    rules = RuleExtractor()
    en = rules.extract("BREAKING: Regime artillery shells the town of Kafr Zita, killing three civilians.",
                       language="en", published=PUB)
    ar = rules.extract("عاجل: الطيران الحربي يقصف مدينة سراقب ومقتل مدنيين اثنين.", language="ar", published=PUB)
    for incidents in (en, ar):
        assert incidents and incidents[0].date is not None and incidents[0].date.edtf == "2021-03-10"
    assert rules.extract("BREAKING: Regime artillery shells the town of Kafr Zita, killing three civilians.",
                         language="en")[0].date is None  # no publication day, no guess


def test_testimony_of_the_past_is_not_dated_by_publication() -> None:
    rules = RuleExtractor()
    story = ("A former detainee from Douma told us: in 2013 the security forces stormed our street and arrested "
             "my father. Then soldiers shot our neighbour at the checkpoint.")
    dated = [i.date.edtf if i.date else None for i in rules.extract(story, language="en", published=PUB)]
    assert dated and "2021-03-10" not in dated
    quoted = 'قالت أم خالد: "جاؤوا في الليل واعتقلوا زوجي من البيت ولم نعرف عنه شيئاً."'
    assert all(i.date is None for i in rules.extract(quoted, language="ar", published=PUB))


def test_hijri_dates_convert_and_yield_to_gregorian() -> None:
    [(written, edtf)] = _dates("قصفت الطائرات البلدة في 9 ربيع الآخر 1437هـ", None)
    assert written == "9 ربيع الآخر 1437هـ"  # 19 January 2016 by Umm al-Qura; the arithmetic calendar is a day off
    assert abs((date.fromisoformat(edtf) - date(2016, 1, 19)).days) <= 1
    # A weekday beside the Hijri day settles the day the tabular calendar may miss by one.
    assert _dates("وقعت المجزرة يوم الخميس 14 صفر 1435 هـ", None) == [("يوم الخميس 14 صفر 1435 هـ", "2013-12-19")]
    both = _dates("الإثنين 3 آذار 2014 (1 جمادى الأولى 1435هـ)", None)
    assert both == [("الإثنين 3 آذار 2014", "2014-03-03")]
    # The Hijri year gives a yearless Gregorian day its year; "yesterday" beside a Hijri day stays yesterday.
    assert _dates("في يوم السبت 10 رمضان 1436هـ، الموافق 27 حزيران، قصف", PUB) == [("27 حزيران", "2015-06-27")]
    assert _dates("قصف أمس الثلاثاء، 25 رجب 1442هـ، البلدة") == [("أمس الثلاثاء", "2021-03-09")]


def test_a_day_to_come_dates_no_act() -> None:
    assert _dates("The convoy is expected to leave on Friday.") == []
    assert _dates("على أن يبدأ تنفيذ الاتفاق غداً الخميس") == []
    assert _dates("موعد الجلسة الأحد المقبل") == []
    assert _dates("The convoy left on Friday.") == [("Friday", "2021-03-05")]


def test_a_dateline_day_outweighs_a_period_that_holds_it() -> None:
    text = ("Daily casualty toll - Monday 8 March 2021\n"
            "Hama: regime artillery shelled the village of Kafr Nabudah, killing two farmers, after the clashes "
            "that broke out there earlier this month.")
    [incident] = RuleExtractor().extract(text, language="en", published=date(2021, 3, 9))
    assert incident.date is not None and incident.date.edtf == "2021-03-08"


def test_the_acts_own_day_outweighs_a_nearer_background_period() -> None:
    text = "Police freed yesterday, Tuesday, dozens of detainees under the amnesty decree issued last week."
    mentions = find_dates(text, published=PUB)
    anchor = text.index("amnesty")  # a trigger nearer the background period than the day
    picked = pick_incident_date(mentions, anchor=anchor, text=text)
    assert picked is not None and picked.edtf == "2021-03-09"


def test_a_pluperfect_clause_gives_background_not_the_acts_date() -> None:
    rules = RuleExtractor()
    en = ("Jasim: State Security arrested four men yesterday evening in a raid. The raid came after the men had "
          "refused the conscription call last month. One of them was beaten during the arrest.")
    dated = {i.event_type: i.date.edtf for i in rules.extract(en, language="en", published=PUB) if i.date}
    assert dated.get("arrests") == "2021-03-09"
    ar = "وجاءت المداهمة بعد أن كان الشبان قد رفضوا الالتحاق بالخدمة الشهر الماضي"
    assert _background(ar, ar.index("الشهر"), anchor=ar.index("المداهمة"))
    assert not _background(ar, ar.index("الشهر"), anchor=ar.index("رفضوا"))  # the clause of the act itself


def test_a_weekday_of_a_named_month_is_not_this_weeks() -> None:
    assert _dates("It was a Sunday in October 2013.") == [("Sunday in October 2013", "2013-10")]


def test_the_next_sentence_says_when_it_was() -> None:
    text = ("My cousin was killed when the plane hit the market in Maarat al-Numan. It was a Monday in July 2019, "
            "just before noon. He was selling vegetables.")
    incidents = RuleExtractor().extract(text, language="en", published=PUB)
    assert incidents and incidents[0].date is not None and incidents[0].date.edtf == "2019-07"


def test_the_nth_weekday_of_a_month() -> None:
    assert _dates("It happened on the second Friday of March 2012.") == [("second Friday of March 2012", "2012-03-09")]
    assert _dates("خرجت المظاهرة في الجمعة الأخيرة من نيسان 2011") == [("الجمعة الأخيرة من نيسان 2011", "2011-04-29")]


def test_a_yearless_day_takes_the_year_the_story_just_gave() -> None:
    text = "The siege tightened in the middle of 2014. My brother was shot at the checkpoint on the 3rd of June."
    assert _dates(text, date(2015, 6, 10))[-1] == ("3rd of June", "2014-06-03")
    far = "The siege began in 2014.\n\nOn 3 June the council met again."  # another paragraph: publication year
    assert _dates(far, date(2015, 6, 10))[-1] == ("3 June", "2015-06-03")


def test_a_toll_update_is_not_dated_by_the_report_of_it() -> None:
    rules = RuleExtractor()
    en = ("The toll of the car bomb attack in Azaz rose to 19 dead, the local council said this morning. "
          "The car had exploded at dawn yesterday near the vegetable market, witnesses said.")
    incidents = rules.extract(en, language="en", published=PUB)
    assert incidents and incidents[0].date is not None and incidents[0].date.edtf == "2021-03-09"
    ar = ("ارتفعت حصيلة ضحايا تفجير السيارة المفخخة في مدينة أعزاز إلى 19 قتيلاً، بحسب ما أعلن المجلس المحلي صباح اليوم.\n"
          "وكانت السيارة قد انفجرت فجر أمس قرب سوق الخضار في المدينة.")
    incidents = rules.extract(ar, language="ar", published=PUB)
    assert incidents and incidents[0].date is not None and incidents[0].date.edtf == "2021-03-09"
