"""Which date an act takes: its own sentence's, one told around it, or the report's day.

``date_for`` picks an act's date from the dates found once per report
(``dates.py``): a day in the act's own words first, then one told just
before or after it ("It was on Tuesday"), never a background period, a
pluperfect clause or a dateline's period; a news item that dates nothing
takes its publication day. ``dateline`` reads the report's own dateline.
"""
from __future__ import annotations

import datetime as dt
import re
from datetime import date
from typing import Any

from ..domain.enums import DatePrecision
from .dates import DateMention
from .report import Report, Unit, date_precision, usable_date


def dateline(dates: list[Any]) -> date | None:
    for d in dates:
        if d.start >= 300:
            break
        if usable_date(d) and not getattr(d, "relative", False) and date_precision(d) == DatePrecision.DAY:
            try:
                return date.fromisoformat(d.edtf[:10])
            except ValueError:
                return None
    return None


def _dates_act(d: Any) -> bool:
    """"since 2014", "until 2015" bound a period (a detention, a siege), never date one act."""
    return usable_date(d) and getattr(d, "rule", "") not in ("year-since", "year-until")


_YARDSTICK_REACH = 80  # characters from "one of the deadliest attacks" to the period it is measured in


def _yardstick(r: Report, d: Any, lo: int) -> bool:
    """A year or month a superlative measures against ("the deadliest since 2018", "أكثرها دموية منذ عام 2018")."""
    sup = r.lex.context.get("superlative")
    return (sup is not None and date_precision(d) != DatePrecision.DAY
            and sup.search(r.hay, max(lo, d.start - _YARDSTICK_REACH), d.start) is not None)


def date_for(r: Report, unit: Unit) -> Any | None:
    # A dateline ("Idlib, 5 May 2019 –", "Daily toll – Saturday 16 August 2014") dates the whole report.
    lead = [d for d in r.dates.between(0, min(300, unit.start)) if usable_date(d)
            and date_precision(d) == DatePrecision.DAY]
    found = _date_told(r, unit)
    if found is not None:
        return _within_dateline(found, lead[0] if lead else None)
    if lead:
        return lead[0]
    return _publication_day(r, unit)


def _date_told(r: Report, unit: Unit) -> Any | None:
    """The date the act's own clause, sentence or the sentences before it in its paragraph give."""
    sent = r.sentences[unit.sentence]
    para = r.paragraph_of[unit.sentence]
    update = _toll_update(r, sent.start, sent.end)
    for start, end in ((unit.start, unit.end), (sent.start, sent.end)):
        cands = [d for d in r.dates.between(start, end) if _dates_act(d) and not _yardstick(r, d, sent.start)
                 and not (date_precision(d) != DatePrecision.DAY and _background(r.text, d.start, anchor=unit.top.start))
                 and not (update and _reported(r.text, d.start))]
        if cands:
            return pick_incident_date(cands, anchor=unit.top.start)
    if update and unit.sentence + 1 < len(r.sentences) and r.paragraph_of[unit.sentence + 1] == para:
        # "The toll of the chemical attack rose to 72, the health directorate said this morning. The aircraft
        # had dropped the bombs at dawn yesterday": the day of the update is not the day of the attack.
        s = r.sentences[unit.sentence + 1]
        cands = [d for d in r.dates.between(s.start, s.end) if _dates_act(d) and not _reported(r.text, d.start)]
        if cands:
            return min(cands, key=lambda d: d.start)
    background: Any | None = None
    for si in range(unit.sentence - 1, max(-1, unit.sentence - 4), -1):
        if r.paragraph_of[si] != para:
            break
        s = r.sentences[si]
        cands = [d for d in r.dates.between(s.start, s.end) if _dates_act(d)]
        told = [d for d in cands if not _background(r.text, d.start, anchor=unit.top.start)]
        if told:
            return pick_incident_date(told, anchor=unit.top.start)
        if cands and background is None:  # only background here: look further back before settling for it
            background = pick_incident_date(cands, anchor=unit.top.start)
    if background is None:
        # "… dropped a barrel on the bread queue. It was a Thursday in February 2014": the next sentence
        # dates the act when it only says when that was; a witness may first say what it did
        # ("… the building fell on us. My mother died under the rubble.¶ That was on 21 February.")
        for si in range(unit.sentence + 1, min(len(r.sentences), unit.sentence + 3)):
            s = r.sentences[si]
            if _WHEN_IT_WAS.match(r.text, s.start) and (r.paragraph_of[si] == para or si == unit.sentence + 1
                                                        or _one_line_apart(r, unit.sentence, si)):
                cands = [d for d in r.dates.between(s.start, s.end) if _dates_act(d)]
                if cands:
                    return pick_incident_date(cands, anchor=s.start)
            if r.unit_spans.get(si):
                break  # a sentence telling an act of its own: what follows dates that one
    return background


def _one_line_apart(r: Report, first: int, last: int) -> bool:
    """Sentences of one quoted account, its lines broken by single line breaks (no blank line between)."""
    return "\n\n" not in r.text[r.sentences[first].end:r.sentences[last].start]


_WHEN_IT_WAS = re.compile(r"\s*(?:(?:It|That|This)\s+(?:was|happened)\b|(?:و)?(?:كان|حدث|جرى)\s+ذلك(?![\w])"
                          r"|(?:و)?(?:كان|صار)\s+(?:هاد|هذا)(?:\s+الحكي)?(?![\w]))", re.IGNORECASE)


# "two who had signed the settlement last year", "الذي كان قد وقّع التسوية العام الماضي": a clause in the
# pluperfect tells background, and its date is not the date of the act being reported.
_PLUPERFECT = re.compile(r"\bhad\b|(?<![\w])(?:كان|كانت|كانوا|كنا)\s+(?:\S+\s+){0,2}?قد(?![\w])", re.IGNORECASE)
_CLAUSE_MARK = re.compile(r"[.!?؟;؛,،:\n]")


_REPORTING = re.compile(r"\b(?:according to|said|says|reported|announced|told)\b"
                        r"|(?<![\w])(?:وفق|وفقا|وفقاً|بحسب|حسب|أفاد|أفادت|افاد|افادت|قال|قالت|أعلن|أعلنت|اعلن|اعلنت)(?![\w])",
                        re.IGNORECASE)


def _reported(text: str, at: int) -> bool:
    """Whether the date at ``at`` dates a report of the act ("…, the directorate said this morning")."""
    lo = max(0, at - 80)
    marks = list(_CLAUSE_MARK.finditer(text, lo, at))
    return _REPORTING.search(text, marks[-1].end() if marks else lo, at) is not None


def _toll_update(r: Report, lo: int, hi: int) -> bool:
    """Whether the sentence updates an act's toll ("the toll … rose to", "ارتفعت حصيلة …")."""
    toll = r.lex.context.get("toll")
    return toll is not None and toll.search(r.hay, lo, hi) is not None


def _background(text: str, at: int, *, anchor: int) -> bool:
    """Whether the date at ``at`` is told in a pluperfect clause (from the clause's start up to the date)
    that is not the clause of the act itself (whose word is at ``anchor``)."""
    lo = max(0, at - 80)
    marks = list(_CLAUSE_MARK.finditer(text, lo, at))
    if marks:
        lo = marks[-1].end()
    m = _PLUPERFECT.search(text, lo, at)
    return m is not None and not m.start() <= anchor < at


def _within_dateline(found: Any, dateline_day: Any | None) -> Any:
    """A daily report dated "16 August 2014" that says "early this month": the period holds the dateline's
    day, which is the more exact date of what the report tells (a yardstick or background period must
    not stand in for the day of the report's own news)."""
    if (dateline_day is None or date_precision(found) == DatePrecision.DAY or getattr(found, "relative", False) is False
            or dateline_day.start > found.start):
        return found
    return dateline_day if dateline_day.edtf.startswith(found.edtf.rstrip("~?")) else found


_NEWS_REACH = dt.timedelta(days=7)  # dates this close to publication belong to the news of the day


def _quoted(text: str, at: int) -> bool:
    """Whether ``at`` lies inside a quotation: after an opening «/“ not yet closed, or an odd number of '"'."""
    head = text[:at]
    return (head.rfind("«") > head.rfind("»") or head.rfind("“") > head.rfind("”")
            or head.count('"') % 2 == 1)


def _publication_day(r: Report, unit: Unit) -> DateMention | None:
    """An act a news item tells without a date happened on the day it came out ("عاجل: قصف على …",
    "Breaking: shelling on …"), unless the report dates things long before its publication (a testimony
    of "March 2013", "last year"): then its undated acts belong to that past, and are left undated.
    The evidence span is the act's trigger word; the date has no words of its own."""
    pub = r.published
    if pub is None or _quoted(r.text, unit.top.start):
        return None  # a witness's own words tell of their past, not of the day the account was published
    iso = pub.isoformat()
    for d in r.dates.between(0, len(r.text)):
        edtf = getattr(d, "edtf", None)
        if not edtf:
            continue
        day = edtf.rstrip("~?").split("/")[0]
        if iso.startswith(day):
            continue  # "this year", "this month": periods the day lies in
        try:
            if len(day) == 10 and dt.timedelta(0) <= pub - dt.date.fromisoformat(day) <= _NEWS_REACH:
                continue
        except ValueError:
            pass
        return None
    return DateMention(unit.top.start, unit.top.end, "", iso, DatePrecision.DAY, True, "publication-day")


_DAY_REACH = 80  # characters from the act's word to a day named in its sentence that outweighs a nearer period
_SENTENCE_END = re.compile(r"[.!?؟。]\s|\n\s*\n|\n")


def pick_incident_date(mentions: list[DateMention], *, anchor: int, text: str | None = None) -> DateMention | None:
    """The date of an incident whose trigger word is at character ``anchor``.

    Reports put the date in the sentence that tells the act ("killed four on
    Friday"), so a resolved mention in the same sentence wins, the nearest
    first; ``text`` (optional) lets us see sentence ends. Otherwise the
    nearest resolved mention before the anchor, since a report dates its
    story before telling it; then any resolved mention. "since 2011" and
    "until 2015" bound a period rather than date an act, so they are chosen
    only if nothing else is. Unresolved mentions are never chosen.
    """
    resolved = [m for m in mentions if m.edtf]
    if not resolved:
        return None

    def same_sentence(m: DateMention) -> bool:
        if text is None:
            return abs((m.start if m.start >= anchor else m.end) - anchor) <= 200
        lo, hi = (m.end, anchor) if m.end <= anchor else (anchor, m.start)
        return _SENTENCE_END.search(text, lo, max(lo, hi)) is None

    def distance(m: DateMention) -> int:
        return 0 if m.start <= anchor < m.end else min(abs(m.start - anchor), abs(m.end - anchor))

    preferred = [m for m in resolved if m.rule not in ("year-since", "year-until")] or resolved
    near = [m for m in preferred if same_sentence(m)]
    if near:
        # "released yesterday, Monday, under the amnesty issued last week": the act's own day, not the
        # coarser period a clause of background gives.
        days = [m for m in near if m.precision is DatePrecision.DAY and m.edtf and "/" not in m.edtf]
        coarse = [m for m in near if m not in days]
        if days and coarse and min(map(distance, days)) <= _DAY_REACH:
            return min(days, key=distance)
        return min(near, key=distance)
    before = [m for m in preferred if m.end <= anchor]
    if before:
        return max(before, key=lambda m: m.end)
    return min(preferred, key=distance)
