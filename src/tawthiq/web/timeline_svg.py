"""The timeline as an SVG drawn on the server: no script, so nothing for the CSP to block.

Top: incidents per month, with exact days and known months stacked and the
"may be this month" ranges as a paler bar behind them (never added on top).
Below: one mark per incident, packed into lanes: a thin tick for an exact
day, a bar from the earliest to the latest day for anything less certain,
so an incident dated only to "2015" shows as a year-long bar, not as 1 January.
Each mark links to its incident and carries a tooltip (``<title>``).

A short span (one result, or a few days) is padded to at least MIN_SPAN_DAYS
around the data, so the axis always has dated ticks to read it by; but a date
range asked for that is shorter than that (a zoom, a brush, typed dates) is the
axis itself, down to MIN_ZOOM_DAYS, so zooming in on a dense month spreads its
incidents out over months, then days. The axis is labelled in years, quarters,
months (their names in the page's language, the Levantine names in Arabic) or
days, whichever fits the span (:func:`axis_ticks`). The
``<svg>`` carries its time scale (``data-start``, ``data-end``, ``data-margin``,
``data-width``, ``data-dir``) for ``static/js/timeline.js``, which turns a drag
across the chart into a date range (the brush) and offers zoom buttons. A range
within the incidents on the page (:func:`timeline_data`) is redrawn in the
browser by ``static/js/timeline_draw.js``, a port of this module (keep the two
in step), and the address takes the range, so a reload draws the same here; any
other range fills in the filter form's dates and asks the server. Either way
the page, the map and the list are filtered by the same query string.

In Arabic the time axis runs right to left, like the text. Every string that
reaches the markup passes through ``markupsafe.escape`` (labels and place
names come from reports and are untrusted), and class names are checked
against a pattern, so the returned ``Markup`` is safe to place in a page.
"""
from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape

from ..domain.dates_shown import ARABIC_MONTHS, ENGLISH_MONTHS
from ..services.visuals import Timeline, TimelineItem, date_words

__all__ = ["MIN_MARK", "MIN_ZOOM_DAYS", "axis_span", "axis_ticks", "month_names", "render_timeline", "timeline_data"]

WIDTH = 1000.0
MARGIN = 12.0
HIST_HEIGHT = 90.0
AXIS_HEIGHT = 26.0
LANE_HEIGHT = 14.0  # tall and wide enough to click or tap
LANE_GAP = 3.0
MAX_LANES = 120
MIN_MARK = 10.0  # an exact day is drawn this wide, in viewBox units (about 10 px on a wide screen)
MIN_SPAN_DAYS = 365  # a shorter span is padded around the data: an axis needs ticks to read it by
MIN_ZOOM_DAYS = 7  # the narrowest axis a zoom reaches: a week, a tick for each day
DAY_TICKS_DAYS = 140  # an axis this short or shorter is labelled in days, a longer one in months or years
# Day ticks: every `step` days for an axis up to `days` long (about ten labels at most, so they never overlap).
_DAY_STEPS = ((10, 1), (20, 2), (50, 5), (92, 10), (DAY_TICKS_DAYS, 15))
_CLASS_SAFE = re.compile(r"^[a-z][a-z0-9-]*$")

_TEXT = {
    "en": {"desc": "Incidents over time: ticks are exact days, bars are date ranges.",
           "month": "{month}: {day} on an exact day, {month_only} in the month, {range} possibly (date range)",
           "hidden": "{n} more incidents did not fit; narrow the filters."},
    "ar": {"desc": "الحوادث عبر الزمن: الخطوط القصيرة أيام محددة، والأشرطة فترات زمنية.",
           "month": "{month}: {day} في يوم محدد، {month_only} خلال الشهر، {range} محتملة (فترة زمنية)",
           "hidden": "{n} حادثة أخرى لم تتسع لها الرسمة؛ ضيّق عوامل التصفية."},
}


def _cls(*names: str) -> str:
    return " ".join(n for n in names if _CLASS_SAFE.match(n))


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def month_names(lang: str) -> tuple[str, ...]:
    """The months as the axis names them: "Mar" in English, the Levantine names ("آذار") in Arabic."""
    return ARABIC_MONTHS if lang == "ar" else tuple(m[:3] for m in ENGLISH_MONTHS)


def axis_span(known: list[date], *, shown_from: date | None = None,
              shown_to: date | None = None) -> tuple[date, date] | None:
    """The axis as (first day, day after the last); None when there is nothing to draw.

    ``known`` are the drawn incidents' known first and last days and their months' first days; ``shown_from``
    and ``shown_to`` the date range asked for (None: open). A range shorter than MIN_SPAN_DAYS, both ends
    given, is the axis itself (at least MIN_ZOOM_DAYS, widened around its middle): a zoom shows the days it
    asked for, however few incidents they hold. Otherwise the axis spans the data, from the first one's month
    to the last one's, padded around them to MIN_SPAN_DAYS (one result: about half a year each side).
    """
    if not known:
        return None
    if shown_from is not None and shown_to is not None and shown_from <= shown_to:
        asked = (shown_to - shown_from).days + 1
        if asked < MIN_SPAN_DAYS:
            length = max(asked, MIN_ZOOM_DAYS)
            t0 = shown_from - timedelta(days=min((length - asked) // 2, (shown_from - date.min).days))
            t0 = min(t0, date.max - timedelta(days=length))  # the calendar ends at 9999-12-31
            return t0, t0 + timedelta(days=length)
    t0 = _month_start(min(known))
    t1 = _next_month(max(known))
    if (t1 - t0).days < MIN_SPAN_DAYS:  # pad around the data, half before and half after
        pad = timedelta(days=(MIN_SPAN_DAYS - (t1 - t0).days) // 2 + 1)
        t0, t1 = _month_start(max(date.min + pad, t0) - pad), _next_month(min(date.max - pad, t1) + pad)
    return t0, t1


def render_timeline(tl: Timeline, *, lang: str = "en", incident_url: str = "/incidents/",
                    shown_from: date | None = None, shown_to: date | None = None) -> Markup:
    """The SVG for ``tl``, read with the date range ``shown_from``-``shown_to`` (None: open); an empty
    Markup when nothing is dated."""
    text = _TEXT["ar" if lang == "ar" else "en"]
    rtl = lang == "ar"
    # The axis spans the known days: an open end ("2015/..") does not stretch it to year 9999.
    known = [d for i in tl.items for d, is_open in ((i.start, i.open_start), (i.end, i.open_end)) if not is_open]
    span = axis_span(known + [date.fromisoformat(b.month + "-01") for b in tl.histogram.bars],
                     shown_from=shown_from, shown_to=shown_to)
    if span is None:
        return Markup("")
    t0, t1 = span
    days = max(1, (t1 - t0).days)
    inner = WIDTH - 2 * MARGIN

    def x(d: date) -> float:
        d = min(max(d, t0), t1)
        pos = MARGIN + inner * (d - t0).days / days
        return WIDTH - pos if rtl else pos

    parts: list[str] = []
    parts += _histogram(tl, x, text)
    parts += _axis(t0, t1, x, lang=lang)
    lanes_top = HIST_HEIGHT + AXIS_HEIGHT
    marks, lanes, hidden = _marks(tl.items, x, top=lanes_top, incident_url=incident_url, rtl=rtl)
    parts += marks
    height = lanes_top + max(1, lanes) * (LANE_HEIGHT + LANE_GAP) + MARGIN
    if hidden:
        parts.append(f'<text class="tl-note" x="{WIDTH / 2:.1f}" y="{height:.1f}" text-anchor="middle">'
                     f'{escape(text["hidden"].format(n=hidden))}</text>')
        height += 16
    head = (f'<svg class="timeline-svg" viewBox="0 0 {WIDTH:.0f} {height:.0f}" data-testid="timeline-svg" '
            f'data-start="{t0.isoformat()}" data-end="{t1.isoformat()}" data-margin="{MARGIN:.0f}" '
            f'data-width="{WIDTH:.0f}" data-dir="{"rtl" if rtl else "ltr"}" '
            f'role="group" aria-label="{escape(text["desc"])}"><desc>{escape(text["desc"])}</desc>')
    return Markup(head + "".join(parts) + "</svg>")


def _histogram(tl: Timeline, x: Callable[[date], float], text: dict[str, str]) -> list[str]:
    bars = tl.histogram.bars
    top = max([max(b.day + b.month_only, b.range) for b in bars] + [1])
    scale = (HIST_HEIGHT - 8) / top
    out = []
    for b in bars:
        start = date.fromisoformat(b.month + "-01")
        x0, x1 = sorted((x(start), x(_next_month(start))))
        w = max(0.5, x1 - x0 - 0.6)
        tip = escape(text["month"].format(month=b.month, day=b.day, month_only=b.month_only, range=b.range))
        out.append(f"<g><title>{tip}</title>")
        if b.range:
            h = b.range * scale
            out.append(f'<rect class="tl-hist-range" x="{x0:.2f}" y="{HIST_HEIGHT - h:.2f}" width="{w:.2f}" height="{h:.2f}"/>')
        if b.day:
            h = b.day * scale
            out.append(f'<rect class="tl-hist-day" x="{x0:.2f}" y="{HIST_HEIGHT - h:.2f}" width="{w:.2f}" height="{h:.2f}"/>')
        if b.month_only:
            h0, h = b.day * scale, b.month_only * scale
            out.append(f'<rect class="tl-hist-month" x="{x0:.2f}" y="{HIST_HEIGHT - h0 - h:.2f}" width="{w:.2f}" '
                       f'height="{h:.2f}"/>')
        out.append("</g>")
    return out


def axis_ticks(t0: date, t1: date, *, lang: str) -> list[tuple[date, str]]:
    """The labelled days of the axis [t0, t1), as (day, label): years over two years; quarters, every other
    month or every month ("Mar 2016", "آذار 2016") down to DAY_TICKS_DAYS; below that days ("5 Mar"), with
    the year on the first and on 1 January. Western digits: the page's rewrite turns them (web/digits.py)."""
    span = (t1 - t0).days
    names = month_names(lang)
    out: list[tuple[date, str]] = []
    if span > 740:
        years = range(t0.year, t1.year + 1)
        for year in years[::max(1, len(years) // 12)]:
            d = date(year, 1, 1)
            if t0 <= d <= t1:
                out.append((d, str(year)))
        return out
    if span > DAY_TICKS_DAYS:
        every = 3 if span > 400 else 2 if span > 250 else 1  # quarters, every other month, every month
        # The months whose first day is on the axis, by number (year * 12 + month - 1): never past 9999-12.
        first = t0.year * 12 + t0.month - 1 + (t0.day != 1)
        last = t1.year * 12 + t1.month - 1 - (t1.day == 1)
        for number in range(first, last + 1):
            d = date(number // 12, number % 12 + 1, 1)
            if (d.month - 1) % every == 0:
                out.append((d, f"{names[d.month - 1]} {d.year}"))
        return out
    step = next(n for most, n in _DAY_STEPS if span <= most)
    d = t0
    while d < t1:
        # Day 1, 1 + step, …; one too close to the next month's first is left out, so no two labels touch.
        if (d.day - 1) % step == 0 and monthrange(d.year, d.month)[1] - d.day + 1 >= step:
            label = f"{d.day} {names[d.month - 1]}"
            out.append((d, f"{label} {d.year}" if not out or (d.month, d.day) == (1, 1) else label))
        d += timedelta(days=1)
    return out


def _axis(t0: date, t1: date, x: Callable[[date], float], *, lang: str) -> list[str]:
    y = HIST_HEIGHT + 2
    out = [f'<line class="tl-axis" x1="{MARGIN:.1f}" x2="{WIDTH - MARGIN:.1f}" y1="{y:.1f}" y2="{y:.1f}"/>']
    return out + [_tick(x(d), y, label) for d, label in axis_ticks(t0, t1, lang=lang)]


def _tick(px: float, y: float, label: str) -> str:
    # A label at either end stays inside the picture: half its width, guessed from its length (11px type).
    half = max(14, len(label) * 3)
    tx = min(max(px, MARGIN + half), WIDTH - MARGIN - half)
    return (f'<line class="tl-tick-mark" x1="{px:.2f}" x2="{px:.2f}" y1="{y:.1f}" y2="{y + 5:.1f}"/>'
            f'<text class="tl-label" x="{tx:.2f}" y="{y + 17:.1f}" text-anchor="middle">{escape(label)}</text>')


def _tip(item: TimelineItem, *, rtl: bool) -> str:
    """A mark's tooltip: the event, the place and the date in the page's words, as the map's popups give it."""
    label = item.label_ar if rtl else item.label_en
    place = (item.place_ar or item.place_en) if rtl else (item.place_en or item.place_ar)
    return " · ".join(p for p in (label, place, date_words(item.date_edtf, lang="ar" if rtl else "en")) if p)


def _marks(items: list[TimelineItem], x: Callable[[date], float], *, top: float, incident_url: str,
           rtl: bool) -> tuple[list[str], int, int]:
    """(elements, lanes used, items that did not fit). Greedy lane packing in date order."""
    lane_ends: list[float] = []  # per lane, the furthest drawn position along the time direction
    out: list[str] = []
    hidden = 0
    for item in sorted(items, key=lambda i: (i.start, i.end, i.id)):
        a, b = x(item.start), x(item.end + timedelta(days=1) if not item.exact else item.start)
        lo, hi = sorted((a, b))
        if item.exact or hi - lo < MIN_MARK:
            mid = (lo + hi) / 2 if not item.exact else a
            lo, hi = mid - MIN_MARK / 2, mid + MIN_MARK / 2
        # Along the time direction: in RTL, "later" is further left, so pack on -x.
        begin, finish = (-hi, -lo) if rtl else (lo, hi)
        lane = next((n for n, end in enumerate(lane_ends) if end + 1 < begin), None)
        if lane is None:
            if len(lane_ends) >= MAX_LANES:
                hidden += 1
                continue
            lane_ends.append(finish)
            lane = len(lane_ends) - 1
        else:
            lane_ends[lane] = finish
        y = top + lane * (LANE_HEIGHT + LANE_GAP)
        kind = "tl-exact" if item.exact else "tl-range"
        opens = ["tl-open"] if item.open_start or item.open_end else []
        tip = _tip(item, rtl=rtl)
        href = f"{incident_url}{int(item.id)}"
        out.append(
            f'<a href="{escape(href)}" data-testid="timeline-mark" data-incident-id="{int(item.id)}">'
            f'<rect class="{_cls("tl-mark", kind, "twq-g-" + item.group, *opens)}" '
            f'x="{lo:.2f}" y="{y:.2f}" width="{hi - lo:.2f}" height="{LANE_HEIGHT:.1f}">'
            f"<title>{escape(tip)}</title></rect></a>"
        )
    return out, len(lane_ends), hidden


def timeline_data(tl: Timeline, *, lang: str, loaded_from: date | None, loaded_to: date | None,
                  texts: dict[str, str], localise: Callable[[str], str] = str) -> dict[str, Any]:
    """What ``static/js/timeline_draw.js`` needs to draw a narrower range of ``tl`` in the browser as
    :func:`render_timeline` would (a JSON block of the page, never executed).

    ``complete`` says whether every matching incident is here (not truncated); ``from`` and ``to`` are the
    date filter the page was read with ("" when open): a range outside it, or one another member of a
    cluster may stand for (the item's last two days), is asked of the server. Days are ISO, the open ends
    as 0001-01-01 and 9999-12-31. Tooltips are written here, in the page's words and digits (``localise``:
    the page's digits rewrite, which never reaches a script's body), so both drawings say the same.
    """
    rtl = lang == "ar"
    items: list[list[Any]] = []
    for item in tl.items:
        row: list[Any] = [int(item.id), item.start.isoformat(), item.end.isoformat(), _cls(item.group),
                          localise(_tip(item, rtl=rtl))]
        if item.cluster_span is not None:
            row += [item.cluster_span[0].isoformat(), item.cluster_span[1].isoformat()]
        items.append(row)
    return {
        "complete": not tl.truncated,
        "from": loaded_from.isoformat() if loaded_from else "",
        "to": loaded_to.isoformat() if loaded_to else "",
        "items": items,
        "texts": {**_TEXT["ar" if rtl else "en"], **texts},
        "months": list(month_names(lang)),  # the axis's month names, for its labels
    }
