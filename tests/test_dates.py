"""Dates in English and Arabic as EDTF, relative dates resolved against publication."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from edtf import parse_edtf

from tawthiq.domain import DatePrecision
from tawthiq.extract.date_choice import pick_incident_date
from tawthiq.extract.dates import DateMention, find_dates

SAT = dt.date(2011, 3, 19)  # a Saturday


def one(text: str, published: dt.date | None = None) -> DateMention:
    found = find_dates(text, published=published)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start:m.end] == m.text
    if m.edtf is not None:
        parse_edtf(m.edtf)  # raises on an invalid EDTF string
    return m


@pytest.mark.parametrize(
    ("text", "edtf", "precision"),
    [
        ("At dawn on Tuesday 4 April 2017, warplanes", "2017-04-04", DatePrecision.DAY),
        ("on 4 April 2017", "2017-04-04", DatePrecision.DAY),
        ("on 4th of April, 2017", "2017-04-04", DatePrecision.DAY),
        ("on April 4, 2017", "2017-04-04", DatePrecision.DAY),
        ("on Apr. 4, 2017", "2017-04-04", DatePrecision.DAY),
        ("January 1st, 2020", "2020-01-01", DatePrecision.DAY),
        ("Friday, March 18, 2011", "2011-03-18", DatePrecision.DAY),
        ("the first of May 2015", "2015-05-01", DatePrecision.DAY),
        ("on 4/4/2017", "2017-04-04", DatePrecision.DAY),
        ("on 4/5/2017", "2017-05-04", DatePrecision.DAY),  # day first, as written in Syria
        ("on 13/02/2014", "2014-02-13", DatePrecision.DAY),
        ("on 02/13/2014", "2014-02-13", DatePrecision.DAY),  # only the month-first reading is a date
        ("on 2017-04-04", "2017-04-04", DatePrecision.DAY),
        ("on 2014/02/06", "2014-02-06", DatePrecision.DAY),
        ("in April 2017", "2017-04", DatePrecision.MONTH),
        ("in May 2015", "2015-05", DatePrecision.MONTH),
        ("in 2015 the town", "2015", DatePrecision.YEAR),
        ("early 2015", "2015~", DatePrecision.APPROXIMATE),
        ("in mid-2015", "2015~", DatePrecision.APPROXIMATE),
        ("by the end of 2014", "2014~", DatePrecision.APPROXIMATE),
        ("late March 2015", "2015-03~", DatePrecision.APPROXIMATE),
        ("4-6 April 2017", "2017-04-04/2017-04-06", DatePrecision.DAY),
    ],
)
def test_english_absolute_dates(text: str, edtf: str, precision: DatePrecision) -> None:
    m = one(text)
    assert (m.edtf, m.precision, m.relative) == (edtf, precision, False)


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("سقط برميلان في السادس من شباط 2014، ما أدى", "2014-02-06"),
        ("في السادس من شهر شباط عام 2014", "2014-02-06"),
        ("6 شباط/فبراير 2014", "2014-02-06"),
        ("6 فبراير/شباط 2014", "2014-02-06"),
        ("٦ شباط ٢٠١٤", "2014-02-06"),
        ("الأول من آذار 2013", "2013-03-01"),
        ("الحادي عشر من أيلول 2016", "2016-09-11"),
        ("الحادي والعشرين من كانون الأول 2016", "2016-12-21"),
        ("الثاني من كانون الثاني 2015", "2015-01-02"),
        ("الثلاثين من تشرين الثاني 2012", "2012-11-30"),
        ("يوم الثلاثاء 4 نيسان 2017", "2017-04-04"),
        ("الثلاثاء الموافق 4 نيسان 2017", "2017-04-04"),
        ("4 أبريل 2017", "2017-04-04"),
        ("4 إبريل 2017", "2017-04-04"),
        ("21 آب 2013م", "2013-08-21"),
        ("٢١/٨/٢٠١٣", "2013-08-21"),
        ("عام 2015", "2015"),
        ("في العام 2015", "2015"),
        ("سنة ٢٠١٢", "2012"),
        ("شهر آذار 2015", "2015-03"),
        ("أواخر آذار 2013", "2013-03~"),
        ("مطلع عام 2015", "2015~"),
    ],
)
def test_arabic_absolute_dates(text: str, edtf: str) -> None:
    assert one(text).edtf == edtf


LEVANTINE = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
             "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]
EGYPTIAN = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
            "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]


@pytest.mark.parametrize("names", [LEVANTINE, EGYPTIAN], ids=["levantine", "egyptian"])
def test_all_twelve_arabic_months(names: list[str]) -> None:
    for month, name in enumerate(names, start=1):
        m = one(f"قتل في 15 {name} 2016 ثلاثة")
        assert m.edtf == f"2016-{month:02d}-15", name
        assert one(f"خلال {name} 2016").edtf == f"2016-{month:02d}"


def test_all_twelve_english_months() -> None:
    for month, name in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                  "September", "October", "November", "December"], start=1):
        assert one(f"on 9 {name} 2013").edtf == f"2013-{month:02d}-09"


@pytest.mark.parametrize(
    ("text", "published", "edtf"),
    [
        ("Security forces opened fire on Friday on protesters", SAT, "2011-03-18"),
        ("on Saturday", SAT, "2011-03-19"),  # the same weekday is the day of publication
        ("on Sunday", SAT, "2011-03-13"),
        ("last Saturday", SAT, "2011-03-12"),
        ("on Wednesday", dt.date(2022, 6, 30), "2022-06-29"),
        ("قتل ثلاثة مدنيين يوم الإثنين", dt.date(2020, 1, 14), "2020-01-13"),
        ("يوم الاثنين", dt.date(2020, 1, 14), "2020-01-13"),
        ("الجمعة", SAT, "2011-03-18"),
        ("يوم السبت", SAT, "2011-03-19"),
        ("يوم الأحد الماضي", SAT, "2011-03-13"),
        ("yesterday", SAT, "2011-03-18"),
        ("late last night", SAT, "2011-03-18"),
        ("the day before yesterday", SAT, "2011-03-17"),
        ("today", SAT, "2011-03-19"),
        ("أمس", SAT, "2011-03-18"),
        ("مساء أمس", SAT, "2011-03-18"),
        ("بالأمس", SAT, "2011-03-18"),
        ("البارحة", SAT, "2011-03-18"),
        ("أول أمس", SAT, "2011-03-17"),
        ("صباح اليوم", SAT, "2011-03-19"),
        ("two days ago", SAT, "2011-03-17"),
        ("قبل يومين", SAT, "2011-03-17"),
        ("قبل ثلاثة أيام", SAT, "2011-03-16"),
        ("last month", SAT, "2011-02"),
        ("الشهر الماضي", SAT, "2011-02"),
        ("last month", dt.date(2015, 1, 10), "2014-12"),
        ("this month", SAT, "2011-03"),
        ("last year", SAT, "2010"),
        ("العام الماضي", SAT, "2010"),
        ("this year", SAT, "2011"),
        ("in the onset of this year", dt.date(2015, 2, 3), "2015~"),
        ("مطلع العام الحالي", SAT, "2011~"),
        ("last week", SAT, "2011-03-12~"),
        ("الأسبوع الماضي", SAT, "2011-03-12~"),
        ("on 4 April", dt.date(2017, 4, 8), "2017-04-04"),
        ("on 25 December", SAT, "2010-12-25"),  # would be after publication: the year before
        ("in March", SAT, "2011-03"),
        ("شهر آذار", SAT, "2011-03"),
        ("late March", SAT, "2011-03~"),
    ],
)
def test_relative_dates_resolve_against_publication(text: str, published: dt.date, edtf: str) -> None:
    m = one(text, published)
    assert m.edtf == edtf
    assert m.relative


@pytest.mark.parametrize("text", ["on Friday", "yesterday", "أمس", "يوم الإثنين", "last month", "on 4 April",
                                  "in March", "الأسبوع الماضي", "two days ago", "this year"])
def test_relative_dates_without_publication_stay_unresolved(text: str) -> None:
    m = one(text)
    assert m.edtf is None and m.relative and m.precision is DatePrecision.UNKNOWN


def test_text_that_dates_itself_resolves_without_publication() -> None:
    found = find_dates("On Tuesday 4 April 2017 a strike killed five; on Friday another followed.")
    assert found[0].edtf == "2017-04-04" and not found[0].relative
    assert found[1].text == "Friday" and found[1].edtf is None


@pytest.mark.parametrize(
    "text",
    [
        "Division 4 fighters",
        "Resolution 2254 calls for",
        "killing 2015 people",
        "a 14-year-old boy",
        "at 12:30",
        "it may rain",
        "Mar Elias church",
        "protesters march 4 km toward the square",
        "they march toward the square",
        "the 4th Division",
        "in the next day",
        "اليوم التالي للهجوم",
        "ثلاثة أيام",
        "1,200 people",
        "today's",  # resolved only when published is given; without it the mention is relative
    ][:-1],
)
def test_false_dates_are_not_found(text: str) -> None:
    assert [m for m in find_dates(text, published=SAT) if m.edtf] == []


def test_since_year_is_marked() -> None:
    m = one("since 2011")
    assert m.edtf == "2011" and m.rule == "year-since"


def test_every_edtf_is_valid() -> None:
    text = ("On Tuesday 4 April 2017, early 2015, late March 2015, 4-6 April 2017, last week, yesterday, "
            "in mid-2015, مطلع العام الحالي، أواخر آذار 2013، الأسبوع الماضي، قبل يومين، 6 شباط/فبراير 2014.")
    found = find_dates(text, published=SAT)
    assert len(found) >= 10
    for m in found:
        assert m.edtf is not None
        parse_edtf(m.edtf)


def test_pick_incident_date_prefers_the_same_sentence() -> None:
    text = ("The report was released on 1 May 2017. On Tuesday 4 April 2017 warplanes struck Khan Shaykhun. "
            "In 2013 a similar attack hit Ghouta.")
    found = find_dates(text)
    anchor = text.index("struck")
    picked = pick_incident_date(found, anchor=anchor, text=text)
    assert picked is not None and picked.edtf == "2017-04-04"
    anchor2 = text.index("attack hit")
    assert pick_incident_date(found, anchor=anchor2, text=text).edtf == "2013"


def test_a_dateline_resolves_relative_dates_without_publication() -> None:
    text = "Idlib, 5 March 2018 (SANA) -\nWarplanes struck the town yesterday and again on Friday."
    found = find_dates(text)
    assert [(m.text, m.edtf) for m in found] == [
        ("5 March 2018", "2018-03-05"), ("yesterday", "2018-03-04"), ("Friday", "2018-03-02")]
    assert found[1].rule.endswith("@dateline") and found[1].relative
    picked = pick_incident_date(found, anchor=text.index("struck"), text=text)
    assert picked is not None and picked.edtf == "2018-03-04"


def test_pick_incident_date_skips_unresolved_and_falls_back_to_an_earlier_date() -> None:
    text = ("The monitor said on 3 March 2016 that the toll had risen after a long week of raids in the south.\n"
            "Gunmen killed a teacher on Friday in Daraa.")
    found = find_dates(text)
    assert [m.edtf for m in found] == ["2016-03-03", None]
    picked = pick_incident_date(found, anchor=text.index("killed"), text=text)
    assert picked is not None and picked.edtf == "2016-03-03"
    assert pick_incident_date([m for m in found if m.relative], anchor=0) is None
    assert pick_incident_date([], anchor=5) is None


def test_pick_incident_date_prefers_an_act_over_since() -> None:
    text = "Since 2011 the town has been shelled; in 2014 a barrel bomb killed nine."
    found = find_dates(text)
    assert pick_incident_date(found, anchor=text.index("killed"), text=text).edtf == "2014"
    text = "A barrel bomb killed nine in 2014; the siege lasted until 2016."
    found = find_dates(text)
    assert [m.rule for m in found] == ["year", "year-until"]
    assert pick_incident_date(found, anchor=text.index("siege"), text=text).edtf == "2014"


def test_results_are_sorted_and_do_not_overlap() -> None:
    text = "Tuesday 4 April 2017; on Friday; 6 شباط 2014 يوم الجمعة; 2017-04-04 and in 2015."
    found = find_dates(text, published=SAT)
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start
    assert all(text[m.start:m.end] == m.text for m in found)


def test_odd_input_never_raises() -> None:
    rng = random.Random(11)
    alphabet = "0123456789٠١٢٣٤٥٦٧٨٩/-.: ,ابتثجحخدذرزسشصضطظعغفقكلمنهويىةأإآ شباطآذارنيسانيوم JanuaryMayFriday\n"
    for _ in range(300):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))
        for m in find_dates(s, published=SAT):
            assert 0 <= m.start < m.end <= len(s)
            if m.edtf:
                parse_edtf(m.edtf)
    assert find_dates("") == []
    assert find_dates("31/02/2015 and 99 Foo 2015") == []


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("في الخامس من الشهر الجاري", "2011-03-05"),
        ("في 5 من الشهر الماضي", "2011-02-05"),
        ("on the 5th of last month", "2011-02-05"),
        ("الحادي والعشرين من الشهر الحالي", "2011-03-21"),
    ],
)
def test_day_of_this_or_last_month(text: str, edtf: str) -> None:
    assert one(text, SAT).edtf == edtf


def test_a_weekday_before_a_numeric_date_is_one_mention() -> None:
    m = one("on Sunday 21/08/2013 at dawn", SAT)
    assert (m.text, m.edtf, m.relative) == ("Sunday 21/08/2013", "2013-08-21", False)
    assert one("الأحد، 2013-08-21").edtf == "2013-08-21"


@pytest.mark.parametrize("text", ["until today", "حتى اليوم", "وحتى اليوم"])
def test_until_today_is_not_a_date_of_an_act(text: str) -> None:
    assert find_dates(text, published=SAT) == []


def test_killed_today_in_arabic() -> None:
    assert one("قتل اليوم ثلاثة", SAT).edtf == "2011-03-19"


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("March 18-19, 2011", "2011-03-18/2011-03-19"),
        ("في 18 آذار من العام الماضي", "2010-03-18"),
        ("in March of last year", "2010-03"),
        ("آذار من العام الجاري", "2011-03"),
        ("on 4 February this year", "2011-02-04"),
    ],
)
def test_months_with_a_relative_year(text: str, edtf: str) -> None:
    m = one(text, SAT)
    assert m.edtf == edtf
    if "/" not in edtf:
        assert m.relative
        assert one(text).edtf is None


CORPUS = [
    "At dawn on Tuesday 4 April 2017, warplanes dropped munitions on Khan Shaykhun; on Friday, more strikes.",
    "وثقت الشبكة مقتل 23 مدنياً يوم الأحد 21 تموز/يوليو 2019، وقتل شخصان أمس، ومنذ مطلع العام الجاري قتل ألف.",
    "Between December 28 and January 2, 15 people were detained; in the onset of this year, early 2015 and mid-2015.",
    "في الخامس من الشهر الجاري، وفي السادس من شباط 2014، وقبل ثلاثة أيام، والأسبوع الماضي، وعام ٢٠١٢، ويوم الجمعة.",
    "(early 2016) the day before yesterday; two days ago; last Saturday; 13/02/2014; 2014-02-06; Sunday 21/08/2013.",
]


@pytest.mark.parametrize("text", CORPUS)
def test_trigger_anchored_matching_equals_a_full_scan(text: str) -> None:
    # The fast path tries each pattern only near trigger words; it must find
    # exactly what running every pattern along the whole text finds.
    from tawthiq.extract import dates, dates_patterns

    lex = dates_patterns.load_lex()
    names = ["absolute", "numeric", "year", "month_only", "relative"]
    full = {name: list(getattr(lex, name).finditer(text)) for name in names}
    for published in (None, SAT):
        slow = dates._find(text, lex, full, published)
        fast = dates._find(text, lex, dates_patterns.find_matches(text, lex), published)
        assert [(c.start, c.end, c.edtf) for c in fast] == [(c.start, c.end, c.edtf) for c in slow]
        assert len(fast) >= 2


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("in late 2015", "2015~"),
        ("in the summer of 2013", "2013"),
        ("صيف 2013", "2013"),
        ("بتاريخ 2019/7/21", "2019-07-21"),
        ("on 04.04.2017", "2017-04-04"),
        ("خلال عام 2019", "2019"),
    ],
)
def test_more_absolute_forms(text: str, edtf: str) -> None:
    assert one(text).edtf == edtf
