"""An incident as one row of the linkage table: the facts both languages share, in comparable form.

Reports of one event in Arabic and English share no words, but they share
what extraction turned into codes and numbers: the event type, the
perpetrators' actor codes, the victims' outcome and kind, the counts, the
gazetteer place and the EDTF date. Those are the columns here. The evidence
words are kept too, for pairs in one language only (no translation).

* Dates become the earliest and latest day the EDTF value can mean
  (:func:`tawthiq.domain.edtfrange.date_range`), as day numbers, so a month
  is a 28–31 day range and a day inside it overlaps it.
* A report with no date may still name a day of the year ("BEIRUT, July 25
  (Reuters) -") or a weekday ("on Wednesday"): those are kept as calendar
  hints (:mod:`tawthiq.extract.calendar_hints`), and a dated incident gives
  its own day's, so the two can be compared where the dates cannot.
* Places become a prefix key ``governorate|district|sub-district|place|``
  cut at the place's precision, so a governorate-level place is a prefix of
  every town inside it (containment is one ``substr`` comparison).
* Perpetrators are reported under their top-level actor (a faction under its
  coalition), as the extraction contract does.
* The count compared is that of the gravest outcome reported (killed before
  injured before detained …): two reports of one strike may each give the
  wounded or not, but rarely leave out the dead.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..domain import vocab
from ..domain.arabic import fold_letters, strip_marks, to_ascii_digits
from ..domain.edtfrange import date_range
from ..domain.enums import LocationPrecision, VictimOutcome
from ..domain.model import Incident
from ..extract.calendar_hints import calendar_hints
from .backends import ColumnKind
from .names import name_keys, skeleton

EPOCH = date(1970, 1, 1)

SCHEMA: dict[str, ColumnKind] = {
    "unique_id": "int",
    "source_id": "str",
    "language": "str",
    "date_lo": "int",  # day number (days since 1970-01-01) of the earliest day the date can mean
    "date_hi": "int",
    "date_span": "int",  # date_hi - date_lo: 0 for a day, ~30 for a month
    "date_core_lo": "int",  # the range as stated, without the margin an approximate ("~") date adds
    "date_core_hi": "int",
    "admin1": "str",
    "place_id": "str",
    "place_key": "str",
    "place_rank": "int",  # 1 governorate, 2 district, 3 town or finer
    "lat": "float",
    "lon": "float",
    # The place's name as written, as consonant skeletons that agree across scripts and spellings (حاس = Haas,
    # تلدو = Taldou): the whole name and its last word. Only for a town or finer, or a place the gazetteer
    # lacks (a village placed at its district), never for an administrative area named as such.
    "place_names": "str_array",
    "place_listed": "int",  # 1 for a gazetteer place: two different gazetteer places are not one by their names
    "event_type": "str",
    "event_group": "str",
    "event_family": "str",  # what sources tell alike (EVENT_FAMILY); NULL for a type vague enough for any
    "perpetrators": "str_array",
    "perpetrator_sides": "str_array",  # the alliances of the perpetrators (SIDES), for sources that disagree
    "outcomes": "str_array",
    "victim_kind": "str",
    "count_outcome": "str",
    "count_lo": "int",
    "count_hi": "int",  # NULL for an open count ("at least 12")
    "tokens": "str_array",
    # Calendar hints (extract.calendar_hints): the days of the year ("07-25") and weekdays ("2" for a
    # Wednesday) a report names without a year or a date, or those of the incident's day when it gives one.
    "days": "str_array",
    "days_near": "str_array",  # the days and the day on either side (a dateline is often the day after)
    "day_key": "str",  # the first of ``days``: an equality join for blocking
    "weekdays": "str_array",
}

# Gravest first: the outcome whose count a row compares.
OUTCOME_ORDER: tuple[VictimOutcome, ...] = (
    VictimOutcome.KILLED, VictimOutcome.INJURED, VictimOutcome.DISAPPEARED, VictimOutcome.ABDUCTED,
    VictimOutcome.DETAINED, VictimOutcome.TORTURED, VictimOutcome.DISPLACED, VictimOutcome.OTHER,
)
_RANK = {LocationPrecision.GOVERNORATE: 1, LocationPrecision.DISTRICT: 2}

_WORD = re.compile(r"[^\W\d_]+")
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
# Function words and number words: the evidence comparison should weigh what a report says, not its grammar,
# and the numbers are the count comparison's (counting them twice would overstate agreement).
_STOP_EN = frozenset("""
a an and are as at be been by for from had has have he her his in into is it its of on or over that the their them
they this those to was were which while who with after before during near about than then there these also said says
least one two three four five six seven eight nine ten eleven twelve dozen dozens
""".split())
_STOP_AR = frozenset("""
في من على الى إلى عن مع بعد قبل خلال حيث التي الذي الذين هذه هذا ذلك تلك كما وقد قد ان أن إن او أو ثم بين عند منذ
حتى كان كانت يوم امس أمس اليوم وفق بحسب حسب اثر إثر جراء نتيجه نتيجة بينهم منهم عدد اخرين آخرين
""".split())


# Which event types sources tell one event as. One report says "air strike", another "shelling", a third
# "an attack on the market" or "a massacre", a fourth only that a market "was targeted": the same killing,
# told from different distances. Likewise an arrest and an abduction (who calls it which depends on who
# holds the victim). The families are wider than ACLED's groups: battles, remote violence and violence
# against civilians are one family (territorial changes are their own), and types that name no manner at
# all (a bare "attack", "other", the
# destruction that comes with a strike) are compatible with every family (None).
EVENT_FAMILY: dict[str, str | None] = {
    "armed-clash": "violence",
    # A change of who holds a town is no way of telling a strike or a massacre in it (measured: a report of
    # a town's takeover that month was linked to a strike there).
    "government-regains-territory": "territory", "non-state-actor-overtakes-territory": "territory",
    "chemical-weapon": "violence", "air-drone-strike": "violence",
    "suicide-bomb": "violence", "shelling-artillery-missile-attack": "violence",
    "remote-explosive-landmine-ied": "violence", "grenade": "violence", "mob-violence": "violence",
    "violent-demonstration": "violence", "excessive-force-against-protesters": "violence",
    "arrests": "liberty", "abduction-forced-disappearance": "liberty",
    "peaceful-protest": "protest", "protest-with-intervention": "protest",
    "attack": None, "other": None, "change-to-group-activity": None, "looting-property-destruction": None,
    "disrupted-weapons-use": None,
}
# Sources often disagree on which ally carried out an act (a Russian or a Syrian government aircraft):
# perpetrators on one side agree more than perpetrators on opposite sides.
SIDES: dict[str, str] = {"syrian-government": "pro-government", "russia": "pro-government",
                         "iran-backed": "pro-government"}
_NOBODY = frozenset({"unknown", "other"})


def event_family(event_type: str, group: str | None) -> str | None:
    """The family an event type is told in (:data:`EVENT_FAMILY`); a type not listed is its ACLED group."""
    if event_type in EVENT_FAMILY:
        return EVENT_FAMILY[event_type]
    return group or event_type or None


@dataclass(frozen=True, slots=True)
class LinkableIncident:
    """An incident to link and the language of its source ("ar", "en" or "" when unknown).

    ``incident.id`` and ``incident.source_id`` must be set: pairs are named by
    id and only incidents from different sources are paired.
    """

    incident: Incident
    language: str = ""


def day_number(day: date) -> int:
    return (day - EPOCH).days


def incident_row(item: LinkableIncident) -> dict[str, Any]:
    """The linkage row of one incident (column names as in :data:`SCHEMA`; ``None`` is unknown)."""
    inc = item.incident
    if inc.id is None or inc.source_id is None:
        raise ValueError("an incident to link needs its id and its source_id")
    row: dict[str, Any] = {"unique_id": int(inc.id), "source_id": str(inc.source_id),
                           "language": (item.language or "").strip().lower()[:8] or None}
    row.update(_date_columns(inc))
    row.update(_calendar_columns(inc, row))
    row.update(_place_columns(inc))
    row["event_type"] = inc.event_type or None
    term = vocab.event_types().get(inc.event_type or "")
    row["event_group"] = (term.group if term and term.group else inc.event_type) or None
    row["event_family"] = event_family(inc.event_type or "", row["event_group"])
    # "unknown gunmen" or "another party" names nobody: it agrees or disagrees with no one.
    perps = sorted({vocab.top_actor(p.actor) for p in inc.perpetrators if p.actor} - _NOBODY)
    row["perpetrators"] = perps or None
    row["perpetrator_sides"] = sorted({SIDES.get(p, p) for p in perps}) or None
    row.update(_victim_columns(inc))
    # The words that named the place, the date, the perpetrators and the victims are compared already,
    # as codes; counting them again as shared words would count one agreement twice.
    compared = set(evidence_tokens(" ".join(_mentions(inc))))
    tokens = [t for t in evidence_tokens(" ".join(s.quote for s in inc.evidence) or inc.description)
              if t not in compared]
    row["tokens"] = tokens or None
    return row


COMMON_WORD_SHARE = 0.02  # a word in more than this share of the incidents (and at least 5) is not compared


def incident_rows(items: Sequence[LinkableIncident]) -> list[dict[str, Any]]:
    """The rows of a batch. Evidence words common in the batch are dropped from every row.

    A word most reports use ("killed", "shelling", a group's stock phrase)
    says nothing about which event a report is of; the rare ones (a
    neighbourhood, a market, a family name) do. Without this the evidence
    comparison counts two reports written from one template as agreeing.
    """
    rows = [incident_row(item) for item in items]
    frequency: Counter[str] = Counter(t for row in rows for t in (row["tokens"] or ()))
    ceiling = max(5, COMMON_WORD_SHARE * len(rows))
    for row in rows:
        kept = [t for t in (row["tokens"] or ()) if frequency[t] <= ceiling]
        row["tokens"] = kept or None
    return rows


def _mentions(inc: Incident) -> list[str]:
    out = [inc.location.text, inc.location.name, inc.location.name_ar] if inc.location else []
    out += [inc.date.text] if inc.date else []
    out += [i.text for i in inc.involvements] + [v.text for v in inc.victims]
    return [t for t in out if t]


def _date_columns(inc: Incident) -> Mapping[str, int | None]:
    lo, hi = date_range(inc.date.edtf) if inc.date else (None, None)
    if lo is None or hi is None or lo == date.min or hi == date.max:
        # an open interval places nothing
        return {"date_lo": None, "date_hi": None, "date_span": None, "date_core_lo": None, "date_core_hi": None}
    lo_n, hi_n = day_number(lo), day_number(hi)
    core_lo, core_hi = date_range(inc.date.edtf.replace("~", "").replace("%", "")) if inc.date else (lo, hi)
    if core_lo is None or core_hi is None or core_lo == date.min or core_hi == date.max:
        core_lo, core_hi = lo, hi
    return {"date_lo": lo_n, "date_hi": hi_n, "date_span": hi_n - lo_n,
            "date_core_lo": day_number(core_lo), "date_core_hi": day_number(core_hi)}


_LEAP_YEAR = 2000  # a year with every day of the year, for the days on either side of 29 February


def _calendar_columns(inc: Incident, dates: Mapping[str, Any]) -> Mapping[str, Any]:
    """The days of the year and weekdays the incident names: its own day's, or when it has no date at all,
    those its evidence names without a year ("July 25", "on Wednesday")."""
    days: set[tuple[int, int]] = set()
    weekdays: set[int] = set()
    if dates["date_lo"] is not None:
        if dates["date_span"] == 0:
            day = EPOCH + timedelta(days=dates["date_lo"])
            days, weekdays = {(day.month, day.day)}, {day.weekday()}
    else:
        hints = calendar_hints(" ".join(s.quote for s in inc.evidence) or inc.description)
        days, weekdays = set(hints.days), set(hints.weekdays)
    near: set[str] = set()
    for month, dom in days:
        middle = date(_LEAP_YEAR, month, dom)
        near |= {f"{d.month:02d}-{d.day:02d}" for d in (middle - timedelta(days=1), middle, middle + timedelta(days=1))}
    named = sorted(f"{m:02d}-{d:02d}" for m, d in days)
    return {"days": named or None, "days_near": sorted(near) or None, "day_key": named[0] if named else None,
            "weekdays": sorted(str(w) for w in weekdays) or None}


def _place_columns(inc: Incident) -> Mapping[str, Any]:
    loc = inc.location
    empty = {"place_names": None, "place_listed": None, "admin1": None, "place_id": None, "place_key": None,
             "place_rank": None, "lat": None, "lon": None}
    if loc is None or not loc.admin1 or loc.precision is LocationPrecision.COUNTRY:
        return empty  # "in Syria" says nothing a comparison could use
    rank = _RANK.get(loc.precision, 3)
    parts = [loc.admin1]
    if rank >= 2:
        parts += [p for p in (loc.admin2, loc.admin3) if p]
    if rank >= 3:
        parts.append(loc.place_id or loc.name.strip().lower())
    return {
        "place_names": place_name_keys(loc) if rank >= 3 or not loc.place_id else None,
        "place_listed": 1 if loc.place_id else 0,
        "admin1": loc.admin1,
        # A town the gazetteer lacks is still one place, named as the report wrote it.
        "place_id": (loc.place_id or f"name:{loc.name.strip().lower()}") if rank >= 3 else None,
        "place_key": "".join(f"{p}|" for p in parts),
        "place_rank": rank,
        "lat": loc.lat,
        "lon": loc.lon,
    }


MIN_NAME_SKELETON = 3  # "HS" (حاس, Hass) is too short to tell one village from another on its own


def place_name_keys(loc: Any) -> list[str] | None:
    """The skeletons of a place's names as written and as resolved (see ``place_names`` in :data:`SCHEMA`)."""
    keys: set[str] = set()
    # A place the gazetteer lacks carries its parent's name (where it was placed): only its own text counts.
    names = {loc.text, loc.name, loc.name_ar} if loc.place_id else {loc.text}
    for written in names - {"", None}:
        parts = [skeleton(k) for k in name_keys(written)]
        parts = [p for p in parts if p]
        if not parts:
            continue
        whole = "".join(parts)
        if len(whole) >= 2:
            keys.add(whole)
        if len(parts) > 1 and len(parts[-1]) >= MIN_NAME_SKELETON:
            keys.add(parts[-1])
    return sorted(keys) or None


def _victim_columns(inc: Incident) -> Mapping[str, Any]:
    outcomes = sorted({v.outcome.value for v in inc.victims})
    main = next((o for o in OUTCOME_ORDER if any(v.outcome is o for v in inc.victims)), None)
    out: dict[str, Any] = {"outcomes": outcomes or None, "victim_kind": None, "count_outcome": None,
                           "count_lo": None, "count_hi": None}
    if main is None:
        return out
    groups = [v for v in inc.victims if v.outcome is main]
    kinds = {v.kind.value for v in groups if v.kind.value != "unknown"}
    out["victim_kind"] = kinds.pop() if len(kinds) == 1 else None
    counted = [v for v in groups if v.count_min is not None or v.count_max is not None]
    if counted:
        # Several groups with one outcome ("5 civilians and 2 fighters killed") add up.
        lo = sum((v.count_min if v.count_min is not None else v.count_max) or 0 for v in counted)
        open_ended = any(v.count_max is None for v in counted)
        hi = None if open_ended else sum(v.count_max or 0 for v in counted)
        out.update(count_outcome=main.value, count_lo=lo, count_hi=hi if hi is None else max(hi, lo))
    return out


def evidence_tokens(text: str, *, limit: int = 200) -> list[str]:
    """The content words of a text, normalised for comparison with another text in the same language."""
    text = unicodedata.normalize("NFKC", to_ascii_digits(text or ""))[:5000]
    text = fold_letters(strip_marks(text)).lower()
    seen: dict[str, None] = {}
    for word in _WORD.findall(text):
        if word in _STOP_EN or word in _STOP_AR:
            continue
        if "\u0600" <= word[0] <= "\u06ff":
            for prefix in _AR_PREFIXES:
                if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                    word = word[len(prefix):]
                    break
        elif len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if len(word) >= 3 and word not in _STOP_AR:
            seen.setdefault(word, None)
        if len(seen) >= limit:
            break
    return sorted(seen)
