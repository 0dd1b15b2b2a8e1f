"""The timeline's axis (web/timeline_svg.py): a range asked for under a year is the axis itself, down to a
week, so a zoom reaches months and days; the ticks are years, months named in the page's language, or days.
The browser's port (timeline_draw.js) is checked against the server's drawing in test_e2e_timeline_days.py."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.web.timeline_svg import axis_span, axis_ticks, month_names

D = date.fromisoformat


def test_a_whole_view_spans_the_data_padded_to_a_year_around_a_single_result() -> None:
    t0, t1 = axis_span([D("2016-09-23")])
    assert t0 < D("2016-04-01") and t1 > D("2017-02-01") and t0.day == 1 and t1.day == 1
    # A range of a year or more is no zoom: the axis spans the data in it, as before.
    assert axis_span([D("2016-09-23")], shown_from=D("2016-01-01"), shown_to=D("2016-12-31")) == (t0, t1)
    assert axis_span([D("2012-01-10"), D("2020-09-20")]) == (D("2012-01-01"), D("2020-10-01"))
    assert axis_span([]) is None


def test_a_shorter_range_is_the_axis_itself_at_least_a_week() -> None:
    assert axis_span([D("2019-03-12")], shown_from=D("2019-03-01"), shown_to=D("2019-03-31")) == (
        D("2019-03-01"), D("2019-04-01"))
    # Two days: widened to a week around them; one end open: no zoom, the data's year.
    assert axis_span([D("2019-03-12")], shown_from=D("2019-03-12"), shown_to=D("2019-03-13")) == (
        D("2019-03-10"), D("2019-03-17"))
    assert axis_span([D("2019-03-12")], shown_from=D("2019-03-12"))[1] > D("2019-09-01")  # type: ignore[index]
    # At the calendar's ends the week stays inside it (no overflow, no error).
    assert axis_span([D("9999-12-29")], shown_from=D("9999-12-29"), shown_to=D("9999-12-30")) == (
        D("9999-12-24"), D("9999-12-31"))
    assert axis_span([D("0001-01-01")], shown_from=D("0001-01-01"), shown_to=D("0001-01-01")) == (
        D("0001-01-01"), D("0001-01-08"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_ticks_are_years_months_by_name_or_days_as_the_span_allows(lang: str) -> None:
    names = month_names(lang)
    years = axis_ticks(D("2012-01-01"), D("2020-10-01"), lang=lang)
    assert [label for _, label in years] == [str(y) for y in range(2012, 2021)]
    quarters = axis_ticks(D("2015-06-01"), D("2017-03-01"), lang=lang)
    assert [d.month for d, _ in quarters] == [7, 10, 1, 4, 7, 10, 1] and quarters[2][1] == f"{names[0]} 2016"
    months = axis_ticks(D("2019-01-23"), D("2019-07-02"), lang=lang)
    assert [label for _, label in months] == [f"{names[m]} 2019" for m in range(1, 7)]
    days = axis_ticks(D("2019-03-07"), D("2019-03-20"), lang=lang)
    assert [label for _, label in days] == [f"7 {names[2]} 2019"] + [f"{d} {names[2]}" for d in range(9, 20, 2)]
    week = axis_ticks(D("2016-12-28"), D("2017-01-04"), lang=lang)
    assert [label for _, label in week] == [f"28 {names[11]} 2016", f"29 {names[11]}", f"30 {names[11]}",
                                            f"31 {names[11]}", f"1 {names[0]} 2017", f"2 {names[0]}",
                                            f"3 {names[0]}"]
    # Ten-day steps never put the 31st next to the following 1st.
    assert "31" not in " ".join(label for _, label in axis_ticks(D("2019-01-01"), D("2019-03-31"), lang=lang))


def test_month_names_are_the_page_s() -> None:
    assert month_names("en")[2] == "Mar" and month_names("ar")[2] == "آذار" and month_names("ar")[9] == "تشرين الأول"
