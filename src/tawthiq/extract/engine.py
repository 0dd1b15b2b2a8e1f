"""The rule extractor: report text in, suggested incidents out.

How a report becomes incidents:

1. Boilerplate is dropped (everything after "About the author", "Leave a
   reply"…; sentences describing the publisher).
2. Each sentence is cut into chunks where the writer turns to another act
   ("…, while …", "، كما …"); trigger words (``lexicons/triggers.toml``) mark
   the chunks that report an act. Chunks without a trigger belong to the act
   around them; a chunk that repeats the act without a new place or count
   stays part of it. A period total or background statistic is no act.
3. Each act gets victims (``victims.py``), perpetrators (``attribution.py``),
   a place (``places.py``), a date (``dates.py``) and violation codes, each
   with a :class:`Claim` naming the rule and the span it rests on.
4. One trigger over two places joined by "and" is two incidents; a later
   sentence that only repeats the act or says who claimed it is folded in.

Places, counts and dates are found once per report, not per sentence.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Sequence

from ..domain import (
    Claim,
    ClaimField,
    Incident,
    IncidentDate,
    Involvement,
    Location,
    Span,
    VictimGroup,
)
from ..domain.enums import (
    CountingUnit,
    DatePrecision,
    InvolvementDegree,
    LocationPrecision,
    VictimKind,
    VictimOutcome,
)
from .attribution import AGENT, MEMBER, TARGET, ActorMention, dominant_actor, find_actors, role
from .dates import find_dates, pick_incident_date
from .lexicon import Lexicon, Trigger, detect_language, fold, lexicon
from .numbers import find_quantities, is_count
from .places import best_location, find_places
from .scan import ByStart
from .segment import Segment, chunks, paragraphs, sentences
from .victims import VictimScan, find_victims, inside_span, scan_victims

log = logging.getLogger(__name__)

MAX_TEXT = 500_000  # characters read from one report; the rest is ignored
MAX_EVIDENCE = 600
_STRIKE_EVENTS = frozenset({"air-drone-strike", "shelling-artillery-missile-attack", "chemical-weapon"})
_WEAPON_EVENTS = frozenset({"air-drone-strike", "shelling-artillery-missile-attack", "chemical-weapon",
                            "remote-explosive-landmine-ied"})
_DERIVED = frozenset({"rule:violation/killed-protected-person", "rule:violation/strike-harmed-civilians"})
_GOVERNMENT_SIDE = frozenset({"syrian-government", "russia", "iran-backed"})
_FINE = (LocationPrecision.EXACT, LocationPrecision.NEIGHBOURHOOD, LocationPrecision.TOWN)
_PLACE_JOIN_EN = re.compile(r"^\s*(?:,|and|&|,\s*and)\s+(?:(?:the\s+)?(?:villages?|towns?|cities|city|neighbou?rhoods?|areas?)\s+of\s+)?(?:the\s+)?$", re.IGNORECASE)
_PLACE_JOIN_AR = re.compile(r"^\s*(?:،|,)?\s*(?:و\s*)?(?:(?:بلده|قريه|مدينه|حي|بلدات|قري)\s+)?$")
_CITY_ANAPHOR = re.compile(r"\b(?:the|this|that) (?:city|town|village|area|neighbou?rhood)\b|(?:المدينه|البلده|القريه|المنطقه)(?![\u0621-\u064a])", re.IGNORECASE)


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    trigger: Trigger


@dataclass(slots=True)
class _Unit:
    start: int
    end: int
    sentence: int  # index into the report's sentences
    hits: list[_Hit] = field(default_factory=list)

    @property
    def top(self) -> _Hit:
        return max(self.hits, key=lambda h: (h.trigger.priority, -h.start))

    @property
    def weak(self) -> bool:
        return all(h.trigger.weak for h in self.hits)


@dataclass(slots=True)
class _Report:
    """Everything found once per report."""

    text: str
    hay: str
    lex: Lexicon
    language: str
    sentences: list[Segment]
    paragraph_of: list[int]
    places: ByStart
    quantities: ByStart
    dates: ByStart
    actors: ByStart  # of ActorMention
    dominant: str | None
    main_place: Any | None
    victims: VictimScan
    hits: ByStart  # every trigger word in the report (_Hit)
    cue_hits: ByStart  # (start, end, violation cue index)
    unit_spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # sentence → its acts


class RuleExtractor:
    """Lexicon-and-rule incident extractor for English and Arabic (name "rules").

    Offline, CPU-only, no model; its vocabulary is in ``lexicons/*.toml`` and
    ``domain/data/actors.toml``.
    """

    name = "rules"

    def extract(self, text: str, *, language: str | None = None, published: date | None = None) -> list[Incident]:
        if not isinstance(text, str) or not text.strip():
            return []
        try:
            return self._extract(text[:MAX_TEXT], language=language, published=published)
        except Exception:  # a report must never stop a batch; the bug is logged
            log.exception("rule extractor failed on a report of %d characters", len(text))
            return []

    # -- per report ---------------------------------------------------------

    def _extract(self, text: str, *, language: str | None, published: date | None) -> list[Incident]:
        lang = language if language in ("en", "ar") else detect_language(text)
        lex = lexicon(lang)
        hay = fold(text)
        limit = _content_end(hay, lex)
        sents = [s for s in sentences(text[:limit]) if not _is_meta(hay, s, lex)]
        if len(sents) > 1 and _is_headline(text, sents[0]):
            sents = sents[1:]  # the body reports the act the headline sums up
        if not sents:
            return []
        paras = paragraphs(text[:limit])
        para_starts = [p.start for p in paras]
        paragraph_of = [max(0, bisect_right(para_starts, s.start) - 1) for s in sents]
        places = [p for p in _safe(find_places, text[:limit], language=lang) if p.start < limit]
        quantities = [q for q in _safe(find_quantities, text[:limit], language=lang) if _is_count(q)]
        dates = _safe(find_dates, text[:limit], language=lang, published=published)
        if published is None:
            # A dateline ("Idlib, 14 September 2021 –") dates the report itself,
            # so "on Monday" in its body can be resolved against it.
            anchor = _dateline(dates)
            if anchor is not None:
                dates = _safe(find_dates, text[:limit], language=lang, published=anchor)
        actors = [a for a in find_actors(text, hay, lex) if a.start < limit]
        victims = scan_victims(hay, lex, quantities=quantities, actors=actors, end=limit)
        hits = _scan_triggers(hay, lex, limit, actors)
        cue_hits = [(m.start(), m.end(), lex.cue_of[i]) for i, m in lex.cue_scan.finditer(hay, 0, limit)]
        report = _Report(text, hay, lex, lang, sents, paragraph_of, ByStart(places, _start), ByStart(quantities, _start),
                         ByStart(dates, _start), ByStart(actors, _start), dominant_actor(actors), _main_place(places),
                         victims, ByStart(hits, _start), ByStart(cue_hits, lambda c: c[0]))
        units = self._units(report)
        for u in units:
            report.unit_spans.setdefault(u.sentence, []).append((u.start, u.end))
        incidents: list[tuple[_Unit, Incident]] = []
        for unit in units:
            for incident in self._incidents(report, unit):
                incidents.append((unit, incident))
        incidents = _fold_followups(report, incidents)
        _apply_attributions(report, incidents)
        return [i for _, i in incidents]

    def _units(self, r: _Report) -> list[_Unit]:
        breaks = r.lex.context.get("chunk_break")
        units: list[_Unit] = []
        for si, sent in enumerate(r.sentences):
            sentence_units: list[_Unit] = []
            pending_start: int | None = None  # trigger-less chunks before the first act
            for chunk in chunks(r.text, sent, breaks, r.hay):
                hits = _triggers(r, chunk.start, chunk.end)
                if hits and all(h.trigger.weak for h in hits) and not _has_harm(r, chunk.start, chunk.end):
                    hits = []
                if not hits:
                    if sentence_units:
                        sentence_units[-1].end = chunk.end
                    elif pending_start is None:
                        pending_start = chunk.start
                    continue
                if _background(r, chunk.start, chunk.end) or _hypothetical(r, chunk.start, hits):
                    continue
                unit = _Unit(chunk.start if pending_start is None else pending_start, chunk.end, si, hits)
                pending_start = None
                prev = sentence_units[-1] if sentence_units else None
                if prev is not None and _continues(r, prev, unit):
                    prev.end = unit.end
                    prev.hits.extend(unit.hits)
                    continue
                sentence_units.append(unit)
            units.extend(sentence_units)
        return units

    # -- per act ------------------------------------------------------------

    def _incidents(self, r: _Report, unit: _Unit) -> list[Incident]:
        text, top = r.text, unit.top
        trigger = top.trigger
        sent = r.sentences[unit.sentence]
        evidence = Span.of(text, unit.start, min(unit.end, unit.start + MAX_EVIDENCE))
        trigger_span = Span.of(text, top.start, top.end)
        claims: list[Claim] = []
        confidence = 0.45 if not unit.weak else 0.3

        event_type = trigger.event_type
        event_rule = f"rule:trigger/{trigger.name}"
        for up in trigger.upgrades:
            if up.pattern.search(r.hay, sent.start, sent.end):
                event_type, event_rule = up.event_type, f"rule:trigger/{trigger.name}+{up.event_type}"
                break

        victims = find_victims(r.victims, start=unit.start, end=unit.end, default_outcome=trigger.outcome,
                               sentence_start=sent.start, anchor=top.start)
        perps, perp_rule = _perpetrators(r, unit, top.start)
        if trigger.actor_event_type:
            for p in perps:
                if p.actor in trigger.actor_event_type:
                    event_type = trigger.actor_event_type[p.actor]
                    event_rule += f"+actor/{p.actor}"
                    break
        claims.append(Claim(ClaimField.EVENT_TYPE, event_type, trigger_span, event_rule, confidence=0.7))

        groups: list[VictimGroup] = []
        for v in victims:
            group = VictimGroup(
                outcome=VictimOutcome(v.outcome), kind=VictimKind(v.kind), unit=CountingUnit(v.unit),
                count_min=v.count_min, count_max=v.count_max, text=text[v.start:v.end])
            groups.append(group)
            claims.append(Claim(ClaimField.VICTIMS, {"kind": v.kind, "outcome": v.outcome, "count_min": v.count_min,
                                                    "count_max": v.count_max}, Span.of(text, v.start, v.end),
                                f"rule:victims/{v.rule}", confidence=0.6))
        involvements = []
        for p in perps:
            involvements.append(Involvement(actor=p.actor, degree=InvolvementDegree.CARRIED_OUT, text=p.text))
            claims.append(Claim(ClaimField.PERPETRATOR, p.actor, Span.of(text, p.start, p.end),
                                f"rule:actor/{perp_rule}", confidence=0.6 if perp_rule == "agent" else 0.4))

        violations = _violations(r, unit, event_type, trigger, groups, claims)
        date_mention = _date_for(r, unit)
        incident_date = None
        if date_mention is not None:
            incident_date = IncidentDate(edtf=date_mention.edtf, text=date_mention.text,
                                         precision=_date_precision(date_mention))
            claims.append(Claim(ClaimField.DATE, date_mention.edtf, Span.of(text, date_mention.start, date_mention.end),
                                f"rule:date/{date_mention.rule}", confidence=0.6))
        description = text[sent.start:sent.end][:MAX_EVIDENCE]
        claims.append(Claim(ClaimField.DESCRIPTION, description, evidence, f"rule:sentence/{trigger.name}"))

        confidence += 0.1 * bool(groups) + 0.1 * bool(perps) + 0.05 * bool(incident_date)
        places, place_rule = _places_for(r, unit)
        split = _split_places(r, places) if place_rule == "unit" else []
        out = []
        for n, mention in enumerate(split or [best_location(places) if places else None]):
            location = _location(mention) if mention is not None else None
            own_claims = list(claims)
            if mention is not None:
                own_claims.append(Claim(ClaimField.LOCATION, location.name if location else "",
                                        Span.of(text, mention.start, mention.end),
                                        f"rule:place/{place_rule}/{mention.rule}", confidence=0.6))
            out.append(Incident(
                event_type=event_type, violations=list(violations), involvements=list(involvements),
                victims=list(groups) if n == 0 else [], location=location, date=incident_date,
                description=description, evidence=[evidence],
                confidence=round(min(0.95, confidence + 0.1 * (location is not None)), 2), claims=own_claims,
            ))
        return out


# -- helpers ----------------------------------------------------------------

def _start(x: Any) -> int:
    return x.start


def _safe(fn: Any, text: str, **kwargs: Any) -> list[Any]:
    """A neighbour module's finder; its failure costs that field, not the report."""
    try:
        return list(fn(text, **kwargs))
    except Exception:
        log.exception("%s failed", getattr(fn, "__name__", fn))
        return []


def _is_count(q: Any) -> bool:
    try:
        return bool(is_count(q)) and (q.min is not None or q.max is not None)
    except Exception:
        return False


def _content_end(hay: str, lex: Lexicon) -> int:
    cut = lex.context.get("meta_cut")
    if cut is None:
        return len(hay)
    for m in cut.finditer(hay):
        if m.start() > 200:
            return m.start()
    return len(hay)


def _is_meta(hay: str, s: Segment, lex: Lexicon) -> bool:
    meta = lex.context.get("meta_sentence")
    return bool(meta is not None and meta.search(hay, s.start, s.end))


def _is_headline(text: str, s: Segment) -> bool:
    """A first line standing alone without closing punctuation."""
    line = text[s.start:s.end]
    follows = text[s.end:s.end + 2]
    return "\n" not in line and len(line) < 160 and line[-1:] not in ".!?؟" and follows.startswith("\n")


def _triggers(r: _Report, start: int, end: int) -> list[_Hit]:
    return [h for h in r.hits.between(start, end) if h.end <= end]


def _scan_triggers(hay: str, lex: Lexicon, limit: int, actors: list[ActorMention]) -> list[_Hit]:
    hits = []
    spans = sorted((a.start, a.end) for a in actors)
    seen: set[tuple[int, int]] = set()
    for entry, m in lex.trigger_scan.finditer(hay, 0, limit):
        i = lex.trigger_of[entry]
        if (m.start(), i) in seen:
            continue  # the longest entry of a trigger at a position stands for it
        seen.add((m.start(), i))
        if lex.triggers[i].event_type not in _WEAPON_EVENTS and inside_span(spans, m.start()):
            continue  # "تحرير" in "هيئة تحرير الشام" names a group, not an act; "Turkish drone" is both
        hits.append(_Hit(m.start(), m.end(), lex.triggers[i]))
    return hits


def _has_harm(r: _Report, start: int, end: int) -> bool:
    """A result word alone ("killed") reports an act only when victims are named."""
    sentence_start = next((s.start for s in r.sentences if s.start <= start < s.end), start)
    victims = find_victims(r.victims, start=start, end=end, sentence_start=sentence_start)
    return any(v.outcome in ("killed", "injured") for v in victims)


def _background(r: _Report, start: int, end: int) -> bool:
    bg = r.lex.context.get("background")
    if bg is not None and bg.search(r.hay, start, end):
        return True
    soft = r.lex.context.get("background_soft")
    if soft is None or not soft.search(r.hay, start, end):
        return False
    return not any(_usable_date(d) and _date_precision(d) == DatePrecision.DAY and not getattr(d, "relative", False)
                   for d in r.dates.between(start, end))


def _hypothetical(r: _Report, start: int, hits: list[_Hit]) -> bool:
    """A threat, plan or fear of an act, written shortly before its trigger."""
    hypo = r.lex.context.get("hypothetical")
    if hypo is None:
        return False
    first = min(h.start for h in hits)
    return hypo.search(r.hay, max(start, first - 60), first + 25) is not None


def _place_mentions(r: _Report, start: int, end: int) -> list[Any]:
    out = []
    for p in r.places.between(start, end):
        if start <= p.start < end and getattr(p, "role", "place") in ("place", "parent", "anchor"):
            loc = p.location
            if loc.country and loc.country != "SY":
                continue
            if loc.precision == LocationPrecision.COUNTRY and getattr(p, "place", None) is not None:
                continue  # a country named as such; an unlisted village keeps its name
            out.append(p)
    return out


def _continues(r: _Report, prev: _Unit, unit: _Unit) -> bool:
    """Whether a new chunk only goes on about the act before it."""
    own_place = any(getattr(p, "role", "place") == "place" for p in _place_mentions(r, unit.start, unit.end))
    if prev.weak and not unit.weak:
        # "four civilians were killed, …, in shelling on X": the toll came first
        prev_place = any(getattr(p, "role", "place") == "place" for p in _place_mentions(r, prev.start, prev.end))
        return not (prev_place and own_place)
    if own_place:
        return False
    if unit.weak:
        # "…, but the fighters have killed them": an active verb with its own
        # subject is another act; "…, killing two" is the same one.
        return not re.match(r"(?:have|has|had)\b", r.hay[unit.top.start:unit.top.end], re.IGNORECASE)
    return unit.top.trigger.event_type == prev.top.trigger.event_type and not _has_count(r, unit.start, unit.end)


def _has_count(r: _Report, start: int, end: int) -> bool:
    return bool(r.quantities.between(start, end))


def _perpetrators(r: _Report, unit: _Unit, trigger_start: int) -> tuple[list[ActorMention], str]:
    lang = r.language
    inside = r.actors.between(unit.start, unit.end)
    if unit.top.trigger.event_type == "armed-clash":
        # both sides of a clash took part ("clashes between X and Y")
        sides = [a for a in inside if a.marker in (AGENT, "neutral") or
                 re.search(r"(?:between|with|and|بين|مع|و)\s*(?:the\s+)?$", r.hay[max(unit.start, a.start - 12):a.start])]
        if sides:
            return _distinct(sides), "clash-parties"
    first = min(h.start for h in unit.hits)
    agents = [a for a in inside if role(a, trigger_start=trigger_start, first_trigger=first, language=lang) == AGENT]
    if agents:
        best = max(a.strength for a in agents)
        chosen = _distinct([a for a in agents if a.strength == best or best < 2])
        named = [a for a in chosen if a.actor != "unknown"]
        # "armed men from the Sultan Murad Division": the named group is who acted
        return (named if named and len(named) < len(chosen) and _adjacent_unknown(r, chosen) else chosen), "agent"
    trigger_end = next((h.end for h in unit.hits if h.start == trigger_start), trigger_start)

    def subject(pattern: re.Pattern[str] | None) -> bool:
        # searched up to the trigger's end: "fighters (?= have killed)" looks ahead
        m = pattern.search(r.hay, unit.start, trigger_end) if pattern is not None else None
        return m is not None and m.start() < trigger_start

    dominant = next((a for a in r.actors if a.actor == r.dominant), None) if r.dominant else None
    # "the Iraqi fighters have killed them": fighters of no named group are
    # the fighters of the group the report is about.
    fighters = r.lex.context.get("combatant_subject")
    if subject(fighters):
        if dominant is not None:
            return [dominant], "dominant-actor/fighters"
        recent = _recent_actor(r, unit)
        if recent is not None:
            return [recent], "previous-actor/fighters"
    sent = r.sentences[unit.sentence]
    earlier = [a for a in r.actors.between(sent.start, unit.start) if a.marker not in (TARGET, MEMBER)]
    if earlier:
        return [earlier[-1]], "earlier-in-sentence"
    pronoun = r.lex.context.get("pronoun_subject")
    if subject(pronoun):
        if dominant is not None:
            return [dominant], "dominant-actor/pronoun"
        recent = _recent_actor(r, unit)
        if recent is not None:
            return [recent], "previous-actor/pronoun"
    return [], ""


def _recent_actor(r: _Report, unit: _Unit) -> ActorMention | None:
    """"the organization executed …": the group named last before the act."""
    recent = [a for a in r.actors.between(max(0, unit.start - 600), unit.start)
              if a.marker not in (TARGET, MEMBER) and a.actor not in ("unknown", "other")]
    return recent[-1] if recent else None


def _adjacent_unknown(r: _Report, chosen: list[ActorMention]) -> bool:
    unknown = [a for a in chosen if a.actor == "unknown"]
    named = [a for a in chosen if a.actor != "unknown"]
    return any(0 <= n.start - u.end <= 25 for u in unknown for n in named)


def _distinct(mentions: list[ActorMention]) -> list[ActorMention]:
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.actor not in seen:
            seen.add(m.actor)
            out.append(m)
    return out


def _violations(r: _Report, unit: _Unit, event_type: str, trigger: Trigger, groups: list[VictimGroup],
                claims: list[Claim]) -> list[str]:
    found: dict[str, tuple[str, Span | None]] = {}
    trigger_span = Span.of(r.text, unit.top.start, unit.top.end)
    for v in trigger.violations:
        found.setdefault(v, (f"rule:trigger/{trigger.name}", trigger_span))
    for h in unit.hits:
        for v in h.trigger.violations:
            if h.trigger.priority >= 40:
                found.setdefault(v, (f"rule:trigger/{h.trigger.name}", Span.of(r.text, h.start, h.end)))
    for start, end, ci in r.cue_hits.between(unit.start, unit.end):
        if end > unit.end:
            continue
        cue = r.lex.violation_cues[ci]
        if cue.violation in found or (cue.events and event_type not in cue.events):
            continue
        if cue.requires is not None and not cue.requires.search(r.hay, unit.start, unit.end):
            continue
        found[cue.violation] = (f"rule:violation/{cue.name}", Span.of(r.text, start, end))
    civilians_killed = any(g.kind is VictimKind.CIVILIAN and g.outcome is VictimOutcome.KILLED for g in groups)
    civilians_harmed = any(g.kind is VictimKind.CIVILIAN and g.outcome in (VictimOutcome.KILLED, VictimOutcome.INJURED)
                           for g in groups)
    killed = any(g.outcome is VictimOutcome.KILLED for g in groups)
    if civilians_killed or (killed and event_type == "attack"):
        found.setdefault("killing", ("rule:violation/killed-protected-person", None))
    if civilians_harmed and event_type in _STRIKE_EVENTS:
        found.setdefault("indiscriminate-attack", ("rule:violation/strike-harmed-civilians", None))
    # The record holds no "arbitrary" detention by a court; arrests by armed
    # actors are suggested as arbitrary and a documenter confirms.
    for code, (method, span) in found.items():
        claims.append(Claim(ClaimField.VIOLATION, code, span or Span.of(r.text, unit.start, unit.end), method,
                            confidence=0.5))
    return list(found)


def _places_for(r: _Report, unit: _Unit) -> tuple[list[Any], str]:
    own = _place_mentions(r, unit.start, unit.end)
    origin = r.lex.context.get("origin_marker")
    if origin is not None and len(own) > 1:
        acted_on = [p for p in own if not origin.search(r.hay[max(unit.start, p.start - 60):p.start])]
        own = acted_on or own  # where the shells came from is not where they fell
    if own:
        return own, "unit"
    if _CITY_ANAPHOR.search(r.hay, unit.start, unit.end) and r.main_place is not None:
        return [r.main_place], "report-main-place"
    sent = r.sentences[unit.sentence]
    others = [s for s in r.unit_spans.get(unit.sentence, []) if s != (unit.start, unit.end)]
    in_sentence = [p for p in _place_mentions(r, sent.start, sent.end)
                   if not any(s <= p.start < e for s, e in others)]  # another act's place is not this one's
    if in_sentence:
        return in_sentence, "sentence"
    para = r.paragraph_of[unit.sentence]
    for si in range(unit.sentence - 1, max(-1, unit.sentence - 4), -1):
        if r.paragraph_of[si] != para:
            break
        s = r.sentences[si]
        earlier = _place_mentions(r, s.start, s.end)
        if earlier:
            return earlier, "earlier-sentence"
    if r.main_place is not None:
        return [r.main_place], "report-main-place"
    return [], ""


def _main_place(places: list[Any]) -> Any | None:
    fine = [p for p in places if getattr(p, "role", "place") in ("place", "parent")
            and p.location.precision in _FINE and (p.location.country or "SY") == "SY"]
    if not fine:
        return None
    counts = Counter(p.location.name for p in fine)
    top, n = counts.most_common(1)[0]
    return next(p for p in fine if p.location.name == top) if n >= 2 else None


def _split_places(r: _Report, places: list[Any]) -> list[Any]:
    """Two or more places of the same kind joined by "and" share one act: one incident each."""
    fine = sorted((p for p in places if getattr(p, "role", "place") == "place" and p.location.precision in _FINE),
                  key=lambda p: p.start)
    join = _PLACE_JOIN_EN if r.language == "en" else _PLACE_JOIN_AR
    groups: list[list[Any]] = []
    for p in fine:
        if groups and join.match(r.hay[groups[-1][-1].end:p.start]) and \
                p.location.precision == groups[-1][-1].location.precision and \
                p.location.name != groups[-1][-1].location.name:
            groups[-1].append(p)
        else:
            groups.append([p])
    multi = [g for g in groups if len(g) > 1]
    return multi[0] if multi else []


def _location(mention: Any) -> Location:
    loc = mention.location
    # A place missing from the gazetteer keeps its written name rather than none.
    return Location(name=loc.name or mention.text, text=mention.text, name_ar=loc.name_ar, country=loc.country or "SY",
                    admin1=loc.admin1, admin2=loc.admin2, admin3=loc.admin3, lat=loc.lat, lon=loc.lon,
                    precision=loc.precision, place_id=loc.place_id)


def _dateline(dates: list[Any]) -> date | None:
    for d in dates:
        if d.start >= 300:
            break
        if _usable_date(d) and not getattr(d, "relative", False) and _date_precision(d) == DatePrecision.DAY:
            try:
                return date.fromisoformat(d.edtf[:10])
            except ValueError:
                return None
    return None


def _usable_date(d: Any) -> bool:
    return bool(getattr(d, "edtf", None))


def _date_for(r: _Report, unit: _Unit) -> Any | None:
    sent = r.sentences[unit.sentence]
    for start, end in ((unit.start, unit.end), (sent.start, sent.end)):
        cands = [d for d in r.dates.between(start, end) if _usable_date(d)]
        if cands:
            return pick_incident_date(cands, anchor=unit.top.start)
    para = r.paragraph_of[unit.sentence]
    for si in range(unit.sentence - 1, max(-1, unit.sentence - 4), -1):
        if r.paragraph_of[si] != para:
            break
        s = r.sentences[si]
        cands = [d for d in r.dates.between(s.start, s.end) if _usable_date(d)]
        if cands:
            return pick_incident_date(cands, anchor=unit.top.start)
    # A dateline ("Idlib, 5 May 2019 –") dates the whole report.
    lead = [d for d in r.dates.between(0, min(300, unit.start)) if _usable_date(d)
            and _date_precision(d) == DatePrecision.DAY]
    return lead[0] if lead else None


def _date_precision(d: Any) -> DatePrecision:
    value = str(getattr(d, "precision", "") or "")
    try:
        return DatePrecision(value)
    except ValueError:
        edtf = d.edtf
        if "~" in edtf or "?" in edtf:
            return DatePrecision.APPROXIMATE
        return {10: DatePrecision.DAY, 7: DatePrecision.MONTH, 4: DatePrecision.YEAR}.get(len(edtf), DatePrecision.UNKNOWN)


def _fold_followups(r: _Report, items: list[tuple[_Unit, Incident]]) -> list[tuple[_Unit, Incident]]:
    """A later sentence that repeats the act ("the symptoms matched sarin") joins it."""
    attribution = r.lex.context.get("attribution")
    out: list[tuple[_Unit, Incident]] = []
    for unit, incident in items:
        if out:
            prev_unit, prev = out[-1]
            sent = r.sentences[unit.sentence]
            same_para = r.paragraph_of[unit.sentence] == r.paragraph_of[prev_unit.sentence]
            later = unit.sentence > prev_unit.sentence and unit.sentence - prev_unit.sentence <= 2
            own_place = any(getattr(p, "role", "place") == "place" for p in _place_mentions(r, unit.start, unit.end))
            counted = any(v.count_min is not None for v in incident.victims)
            claims_it = bool(attribution is not None and attribution.search(r.hay, sent.start, sent.end))
            if same_para and later and not own_place and (unit.weak or (not counted and (
                    incident.event_type == prev.event_type or claims_it))):
                # "3 soldiers were killed.": the toll of the act just reported
                prev.evidence.append(incident.evidence[0])
                if not prev.perpetrators and incident.perpetrators:
                    prev.involvements.extend(incident.perpetrators)
                outcomes = {v.outcome for v in prev.victims}
                prev.victims.extend(v for v in incident.victims if v.outcome not in outcomes)
                # cue-based violations carry over; those derived from the
                # follow-up's own (guessed) event type do not
                cued = [c for c in incident.claims if c.field is ClaimField.VIOLATION
                        and c.method not in _DERIVED and c.value not in prev.violations]
                prev.claims.extend(c for c in incident.claims if c.field is ClaimField.VICTIMS)
                prev.claims.extend(cued)
                prev.violations.extend(dict.fromkeys(c.value for c in cued))
                continue
        out.append((unit, incident))
    return out


def _apply_attributions(r: _Report, items: list[tuple[_Unit, Incident]]) -> None:
    """"ISIS claimed the attack", "an investigation attributed it to …": the act just reported."""
    attribution = r.lex.context.get("attribution")
    if attribution is None or not items:
        return
    own_sentences = {u.sentence for u, _ in items}
    for si, sent in enumerate(r.sentences):
        m = attribution.search(r.hay, sent.start, sent.end)
        if m is None or si in own_sentences:
            continue
        prior = [(u, i) for u, i in items if u.sentence < si and si - u.sentence <= 2
                 and r.paragraph_of[u.sentence] == r.paragraph_of[si]]
        if not prior:
            continue
        inside = r.actors.between(sent.start, sent.end)
        named = _distinct([a for a in inside if a.marker not in (TARGET, MEMBER)]
                          or [a for a in inside if m.end() <= a.start <= m.end() + 40])
        if not named:
            continue
        unit, incident = prior[-1]
        degree = InvolvementDegree.CLAIMED if re.search(r"claim|تبن", r.hay[m.start():m.end()], re.IGNORECASE) \
            else InvolvementDegree.ATTRIBUTED
        incident.involvements = [i for i in incident.involvements if i.role.value != "perpetrator"]
        for a in named:
            incident.involvements.append(Involvement(actor=a.actor, degree=degree, text=a.text))
            incident.claims.append(Claim(ClaimField.PERPETRATOR, a.actor, Span.of(r.text, sent.start, sent.end),
                                         f"rule:actor/{degree.value}", confidence=0.7))
        if Span.of(r.text, sent.start, sent.end) not in incident.evidence and sent.end - sent.start <= MAX_EVIDENCE:
            incident.evidence.append(Span.of(r.text, sent.start, sent.end))
