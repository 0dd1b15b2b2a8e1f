"""The rule extractor: report text in, suggested incidents out.

How a report becomes incidents:

1. Boilerplate is dropped (everything after "About the author", "Leave a
   reply"…; sentences describing the publisher; headings, which only sum up
   what the body reports).
2. Each sentence is cut into chunks where the writer turns to another act
   ("…, while …", "، كما …"); trigger words (``lexicons/triggers.toml``) mark
   the chunks that report an act. Chunks without a trigger belong to the act
   around them; a chunk that repeats the act without a new place or count
   stays part of it. A period total or background statistic is no act.
3. Each act gets victims (``victims.py``), perpetrators (``attribution.py``
   for the role of each actor named, ``fields.py`` for the choice), a place
   and a date (``fields.py`` over ``places.py`` and ``dates.py``) and
   violation codes, each with a :class:`Claim` naming the rule and the span
   it rests on. Threats, plans and fears of an act are no act.
4. One trigger over two places joined by "and" is two incidents; a later
   sentence that only repeats the act, gives its toll or says who claimed it
   is folded in (a folded toll adds the violations it implies); a title line
   that repeats the body's act (same type and place) is dropped; "the same
   day" / "the next day" date an act from the one before it.

Places, counts and dates are found once per report, not per sentence.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ..domain import (
    Actor,
    Claim,
    ClaimField,
    Incident,
    IncidentDate,
    Involvement,
    Span,
    VictimGroup,
)
from ..domain.arabic import fold_letters
from ..domain.enums import (
    CountingUnit,
    DatePrecision,
    InvolvementDegree,
    VictimKind,
    VictimOutcome,
)
from .attribution import ActorMention, dominant_actor, find_actors
from .breakdown import fill_breakdowns, fill_toll_breakdown
from .dates import find_dates
from .dates_story import shift_story_date, story_offset
from .fields import (
    apply_attributions,
    date_for,
    dateline,
    location_of,
    main_place,
    perpetrators,
    places_for,
    split_places,
)
from .learned import TypeModel, retype
from .lexicon import Lexicon, Trigger, detect_language, lexicon_with
from .named import attach_named
from .numbers import find_quantities, is_count
from .places import best_location, find_places
from .report import Hit, Report, Unit, date_precision, evacuated, place_mentions, start_of, usable_date
from .scan import ByStart
from .segment import Segment, chunks, paragraphs, sentences
from .victims import find_victims, inside_span, scan_victims

log = logging.getLogger(__name__)

MAX_TEXT = 500_000  # characters read from one report; the rest is ignored
MAX_EVIDENCE = 600
_STRIKE_EVENTS = frozenset({"air-drone-strike", "shelling-artillery-missile-attack", "chemical-weapon"})
_WEAPON_EVENTS = frozenset({"air-drone-strike", "shelling-artillery-missile-attack", "chemical-weapon",
                            "remote-explosive-landmine-ied"})
_DERIVED = frozenset({"rule:violation/killed-protected-person", "rule:violation/strike-harmed-civilians"})


class RuleExtractor:
    """Lexicon-and-rule incident extractor for English and Arabic (name "rules").

    Offline, CPU-only, no model; its vocabulary is in ``lexicons/*.toml`` and
    ``domain/data/actors.toml``.
    """

    name = "rules"
    max_chars = MAX_TEXT  # ingest notes on the source when a report is longer

    def __init__(self, *, actors: Mapping[str, Actor] | None = None, type_model: TypeModel | None = None) -> None:
        # The actor vocabulary to recognise, passed in by the services (built-in actors merged with
        # those an admin added); None: the built-in one.
        self._actors = dict(actors) if actors is not None else None
        # A workspace's model trained from its reviewed record (learned.py): a second opinion on event types.
        self._type_model = type_model

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
        lang = detect_language(text, declared=language)
        lex = lexicon_with(lang, self._actors)
        hay = fold_letters(text)
        limit = _content_end(hay, lex)
        sents = [s for s in sentences(text[:limit]) if not _is_meta(hay, s, lex)]
        headings: list[Segment] = []
        if len(sents) > 1:
            # headings sum up the acts the body reports; keep the body only (a heading may still name its place)
            body = [s for s in sents if not _is_headline(text, s)]
            headings = [s for s in sents if body and s not in body]
            sents = body or sents
        if not sents:
            return []
        actors = [a for a in find_actors(text, hay, lex) if a.start < limit]
        hits = _scan_triggers(hay, lex, limit, actors)
        if not hits:
            return []  # no word for any act: spare the place, count and date finders
        paras = paragraphs(text[:limit])
        para_starts = [p.start for p in paras]
        paragraph_of = [max(0, bisect_right(para_starts, s.start) - 1) for s in sents]
        places = [p for p in _safe(find_places, text[:limit], language=lang) if p.start < limit]
        quantities = [q for q in _safe(find_quantities, text[:limit], language=lang) if _is_count(q)]
        dates = _safe(find_dates, text[:limit], language=lang, published=published)
        if published is None:
            # A dateline ("Idlib, 14 September 2021 –") dates the report itself,
            # so "on Monday" in its body can be resolved against it.
            anchor = dateline(dates) if any(not usable_date(d) for d in dates) else None
            if anchor is not None:
                dates = _safe(find_dates, text[:limit], language=lang, published=anchor)
        victims = scan_victims(hay, lex, quantities=quantities, actors=actors, end=limit)
        cue_hits = [(m.start(), m.end(), lex.cue_of[i]) for i, m in lex.cue_scan.finditer(hay, 0, limit)]
        report = Report(text, hay, lex, lang, sents, paragraph_of, ByStart(places, start_of), ByStart(quantities, start_of),
                         ByStart(dates, start_of), ByStart(actors, start_of), dominant_actor(actors), main_place(places),
                         victims, ByStart(hits, start_of), ByStart(cue_hits, lambda c: c[0]), headings=headings,
                         published=published)
        units = self._units(report)
        for u in units:
            report.unit_spans.setdefault(u.sentence, []).append((u.start, u.end))
        incidents: list[tuple[Unit, Incident]] = []
        for unit in units:
            for incident in self._incidents(report, unit):
                incidents.append((unit, incident))
        incidents = _fold_followups(report, incidents)
        _toll_rises(report, incidents)
        incidents = _drop_headline_repeats(report, incidents)
        _same_day(report, incidents)
        apply_attributions(report, incidents)
        attach_named(report, incidents)
        found = [i for _, i in incidents]
        if self._type_model is not None:
            found = retype(found, lex=lex, language=lang, model=self._type_model)
        return found

    def _units(self, r: Report) -> list[Unit]:
        breaks = r.lex.context.get("chunk_break")
        units: list[Unit] = []
        for si, sent in enumerate(r.sentences):
            sentence_units: list[Unit] = []
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
                unit = Unit(chunk.start if pending_start is None else pending_start, chunk.end, si, hits)
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

    def _incidents(self, r: Report, unit: Unit) -> list[Incident]:
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
        perps, perp_rule = perpetrators(r, unit, top.start)
        if trigger.actor_event_type and perps and perps[0].actor in trigger.actor_event_type:
            # the first agent named leads the act ("ISIS seized X after regime forces withdrew")
            event_type = trigger.actor_event_type[perps[0].actor]
            event_rule += f"+actor/{perps[0].actor}"
        harmed = {v.outcome for v in victims} & {"killed", "injured"}
        raid_killing = event_type == "arrests" and "killed" in harmed and \
            not any(v.outcome in ("detained", "abducted", "disappeared") for v in victims)
        if event_type == "looting-property-destruction" and "killed" in harmed or raid_killing:
            # "killed a shepherd and stole his sheep", "raided the town and killed two": the killing is the act
            event_type, event_rule = "attack", event_rule + "+killing"
        warning = r.lex.context.get("warning_fire")
        if event_type == "excessive-force-against-protesters" and not harmed and warning is not None \
                and warning.search(r.hay, unit.start, unit.end):
            # shots in the air to disperse a crowd: an intervention, not force against it
            event_type, event_rule = "protest-with-intervention", event_rule + "+warning-fire"
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
        # "…, including 5 children and 3 women": the parts of the groups just named, each with its own claim
        claims.extend(fill_breakdowns(text, r.victims, mentions=victims, groups=groups, start=unit.start, end=unit.end,
                                      limit=sent.end, quantities=r.quantities.between(unit.start, sent.end)))
        involvements = []
        # a side read from its weapon ("barrel bombs") or a claim elsewhere in the report is suggested, not reported
        degree = InvolvementDegree.SUSPECTED if perp_rule.startswith(("implied", "report-")) else InvolvementDegree.CARRIED_OUT
        for p in perps:
            involvements.append(Involvement(actor=p.actor, degree=degree, text=p.text))
            claims.append(Claim(ClaimField.PERPETRATOR, p.actor, Span.of(text, p.start, p.end),
                                f"rule:actor/{perp_rule}", confidence=0.6 if perp_rule == "agent" else 0.4))

        violations = _violations(r, unit, event_type, trigger, groups, claims)
        if raid_killing:  # nobody was held: the raid's detention code does not apply
            violations = [v for v in violations if v != "arbitrary-detention"]
            claims[:] = [c for c in claims if not (c.field is ClaimField.VIOLATION and c.value == "arbitrary-detention")]
        date_mention = date_for(r, unit)
        incident_date = None
        if date_mention is not None:
            incident_date = IncidentDate(edtf=date_mention.edtf, text=date_mention.text,
                                         precision=date_precision(date_mention))
            claims.append(Claim(ClaimField.DATE, date_mention.edtf, Span.of(text, date_mention.start, date_mention.end),
                                f"rule:date/{date_mention.rule}", confidence=0.6))
        description = text[sent.start:sent.end][:MAX_EVIDENCE]
        claims.append(Claim(ClaimField.DESCRIPTION, description, evidence, f"rule:sentence/{trigger.name}"))

        confidence += 0.1 * bool(groups) + 0.1 * bool(perps) + 0.05 * bool(incident_date)
        places, place_rule = places_for(r, unit)
        split = split_places(r, places) if place_rule == "unit" else []
        out = []
        for n, mention in enumerate(split or [best_location(places) if places else None]):
            location = location_of(mention) if mention is not None else None
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


_LIST_ITEM = re.compile(r"\s*(?:[-*•▪–]\s|\d{1,3}[.)-]\s|on\s+\d|في\s+\d|\d{1,2}\s+\w+\s+\d{4})", re.IGNORECASE)


def _is_headline(text: str, s: Segment) -> bool:
    """A line standing alone without closing punctuation (a title, a heading)."""
    line = text[s.start:s.end]
    if "\n" in line or len(line) >= 160 or line[-1:] in ".!?؟:;,،؛" or _LIST_ITEM.match(line):
        return False
    before = text[max(0, s.start - 1):s.start]
    after = text[s.end:s.end + 1]
    return (before in ("", "\n") and after in ("", "\n")) or line.lstrip().startswith("#")


def _triggers(r: Report, start: int, end: int) -> list[Hit]:
    return [h for h in r.hits.between(start, end) if h.end <= end]


def _scan_triggers(hay: str, lex: Lexicon, limit: int, actors: list[ActorMention]) -> list[Hit]:
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
        hits.append(Hit(m.start(), m.end(), lex.triggers[i], setting=_in_setting(hay, lex, m.start())))
    return hits


_SETTING_REACH = 60  # characters before a trigger searched for "after", "amid", "بعد"…
_SETTING_GAP = re.compile(r"[^\s.,;:!?\n،؛؟]*(?:\s+[^\s.,;:!?\n،؛؟]+){0,5}\s*")


def _in_setting(hay: str, lex: Lexicon, start: int) -> bool:
    """Whether the trigger at ``start`` is in a clause opened by a setting word, at most six words back."""
    setting = lex.context.get("setting")
    if setting is None:
        return False
    window_start = max(0, start - _SETTING_REACH)
    last = None
    for m in setting.finditer(hay, window_start, start):
        last = m
    return last is not None and _SETTING_GAP.fullmatch(hay, last.end(), start) is not None


def _has_harm(r: Report, start: int, end: int) -> bool:
    """A result word alone ("killed") reports an act only when victims are named."""
    sentence_start = next((s.start for s in r.sentences if s.start <= start < s.end), start)
    victims = find_victims(r.victims, start=start, end=end, sentence_start=sentence_start)
    return any(v.outcome in ("killed", "injured") for v in victims)


_HELD_SINCE = re.compile(r"(?:arrest(?:ed)?|detain(?:ed)?|detention|held|disappeared|missing|imprisoned|"
                         r"\S*اعتقال\S*|\S*اعتقل\S*|\S*احتجاز\S*|مختف\S*|مغيب\S*|معتقل\S*)\s+(?:\S+\s+){0,2}$",
                         re.IGNORECASE)


def _background(r: Report, start: int, end: int) -> bool:
    bg = r.lex.context.get("background")
    if bg is not None:
        for m in bg.finditer(r.hay, start, end):
            if _frames_act(r, start, end, m):
                continue
            # "died under torture, detained since 2013": the period is the detention's, the death is an act
            if not (_HELD_SINCE.search(r.hay, max(start, m.start() - 40), m.start())
                    and any(h.trigger.outcome == "killed" for h in _triggers(r, start, end))):
                return True
    speech = r.lex.context.get("speech")
    if speech is not None:
        first = min((h.start for h in _triggers(r, start, end)), default=end)
        if any(m.start() < first and not _frames_act(r, start, end, m) for m in speech.finditer(r.hay, start, end)) \
                and not _told_here(r, first, end):
            return True  # "condemned the shelling of …": the act is what the speaker refers to
    soft = r.lex.context.get("background_soft")
    if soft is None or all(_frames_act(r, start, end, m, soft=True) for m in soft.finditer(r.hay, start, end)):
        return False
    return not any(usable_date(d) and date_precision(d) == DatePrecision.DAY and not getattr(d, "relative", False)
                   for d in r.dates.between(start, end))


_TOLD_HERE = re.compile(r"\b(?:committed|carried out|perpetrated|conducted|launched) (?:\w+ ){0,3}?by\b"
                        r"|\b(?:this|yesterday|today|last) (?:morning|evening|night|afternoon)\b|\b(?:yesterday|today)\b"
                        r"|(?:التي|الذي) (?:ارتكب|نفذ|شن)\S*|(?<!\S)(?:صباح|مساء|فجر|ليله|ظهر) (?:اليوم|امس)|(?<!\S)(?:امس|اليوم)(?!\S)",
                        re.IGNORECASE)


def _told_here(r: Report, first: int, end: int) -> bool:
    """A statement that condemns an act it tells for the first time ("condemns the massacre committed this
    morning by Russian warplanes", "تدين المجزرة التي ارتكبتها … صباح اليوم"): its author or its day is given."""
    return _TOLD_HERE.search(r.hay, first, end) is not None


_TOLL_TO_ACT = 50  # characters between a toll phrase and the act it is the toll of ("حصيلة استهداف الكلية … بطائرات")
_SUPERLATIVE_REACH = 80  # characters from "one of the deadliest attacks" to the period it is measured in


def _frames_act(r: Report, start: int, end: int, m: re.Match[str], *, soft: bool = False) -> bool:
    """A period phrase that only frames the act: a superlative's yardstick, or the toll of an act named next."""
    sup = r.lex.context.get("superlative")
    if sup is not None and sup.search(r.hay, max(start, m.start() - _SUPERLATIVE_REACH), m.start()):
        return True  # "one of the deadliest bombings since 2018", "the latest in a series of kidnappings"
    if soft and sup is not None and sup.search(r.hay, m.end(), end):
        return True  # "a series of bombings … killing 200 in one of the deadliest attacks": one act, measured
    toll = r.lex.context.get("toll")
    if toll is None or not toll.search(r.hay, m.start(), m.end()):
        return False
    # "the toll of the truck bombing rose to 55": the act's own toll, updated
    return any(m.end() <= h.start <= m.end() + _TOLL_TO_ACT for h in r.hits.between(m.end(), m.end() + _TOLL_TO_ACT))


def _hypothetical(r: Report, start: int, hits: list[Hit]) -> bool:
    """A threat, plan or fear of an act, written shortly before its trigger."""
    hypo = r.lex.context.get("hypothetical")
    if hypo is None:
        return False
    first = min(h.start for h in hits)
    return hypo.search(r.hay, max(start, first - 60), first + 25) is not None


def _continues(r: Report, prev: Unit, unit: Unit) -> bool:
    """Whether a new chunk only goes on about the act before it."""
    own_place = any(getattr(p, "role", "place") == "place" for p in place_mentions(r, unit.start, unit.end))
    if not own_place and _PART_OF.search(r.hay, max(unit.start, unit.top.start - 16), unit.top.start):
        return True  # "…, and one of the missiles hit a school": a part of the act just told
    if not unit.weak and _another(r, unit):
        return False  # "…; another detonated his belt near the roundabout": a second act of the kind
    if prev.weak and not unit.weak:
        # "four civilians were killed, …, in shelling on X": the toll came first
        prev_place = any(getattr(p, "role", "place") == "place" for p in place_mentions(r, prev.start, prev.end))
        return not (prev_place and own_place)
    if own_place:
        return False
    if unit.weak:
        # "…, but the fighters have killed them": an active verb with its own
        # subject is another act; "…, killing two" is the same one.
        return not re.match(r"(?:have|has|had)\b", r.hay[unit.top.start:unit.top.end], re.IGNORECASE)
    # "raided the village and arrested three": the count of the same act, unless the act had its own
    return unit.top.trigger.event_type == prev.top.trigger.event_type and not (
        _has_count(r, unit.start, unit.end) and _has_count(r, prev.start, prev.end))


_PART_OF = re.compile(r"(?:\bone of (?:the|its|their)|\bsome of (?:the|its|their)|(?<!\S)(?:احد|احدي|بعض))\s+$", re.IGNORECASE)


def _has_count(r: Report, start: int, end: int) -> bool:
    return bool(r.quantities.between(start, end))


def _violations(r: Report, unit: Unit, event_type: str, trigger: Trigger, groups: list[VictimGroup],
                claims: list[Claim]) -> list[str]:
    found: dict[str, tuple[str, Span | None]] = {}
    trigger_span = Span.of(r.text, unit.top.start, unit.top.end)
    for v in trigger.violations:
        if v == "arbitrary-detention" and event_type == "abduction-forced-disappearance":
            v = "hostage-taking"  # a person taken by an armed group (actor_event_type) is held, not detained by law
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
        if cue.violation == "attack-on-protected-objects" and evacuated(r, max(unit.start, start - 60), start):
            continue  # the hospital the wounded were taken to was not hit
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


_SAME_DAY = re.compile(r"\b(?:on |during )?the same (?:day|date|night|morning|evening)\b|(?:في )?(?:نفس|ذات) (?:اليوم|الليله|الصباح)|اليوم (?:ذاته|نفسه)",
                       re.IGNORECASE)


_NEXT_DAY = re.compile(r"\b(?:on |by |in )?the (?:next|following) (?:day|morning|evening|night|afternoon)\b|\bthe day after\b"
                       r"|(?:في )?(?:صباح |مساء |ظهر |ليله )?(?:اليوم|النهار) التالي|(?:صباح|مساء|ظهر|ليله) (?:اليوم )?التالي(?:ه)?"
                       r"|في الغداه|في اليوم الذي تلاه", re.IGNORECASE)


def _same_day(r: Report, items: list[tuple[Unit, Incident]]) -> None:
    """"In a separate incident on the same day …": the date of the act before;
    "the next morning", "في اليوم التالي": the day after it."""
    for (prev_unit, prev), (unit, incident) in zip(items, items[1:]):
        sent = r.sentences[unit.sentence]
        own = any(usable_date(d) for d in r.dates.between(unit.start, unit.end))
        if prev.date is None or own:
            continue
        m = _SAME_DAY.search(r.hay, unit.start, unit.end)
        edtf, rule = prev.date.edtf, "rule:date/same-day-as-previous"
        if m is None and (m := _NEXT_DAY.search(r.hay, sent.start, unit.end)) is not None:
            if prev_unit.sentence != unit.sentence:  # two acts of one "next morning" sentence share its day
                edtf, rule = _day_after(prev.date.edtf), "rule:date/day-after-previous"
        span, precision = (m.start(), m.end()) if m is not None else None, prev.date.precision
        if m is None and prev_unit.sentence != unit.sentence and (off := story_offset(r.hay, sent.start, unit.end)):
            # "Two days before, …", "وبعد أسبوعين …": counted from the act told before
            span, shifted = (off.start, off.end), shift_story_date(prev.date.edtf, off.days, keep=off.keep)
            edtf, precision = shifted if shifted is not None else (None, precision)
            rule = "rule:date/offset-from-previous"
        if span is None or edtf is None:
            continue
        incident.date = IncidentDate(edtf=edtf, text=r.text[span[0]:span[1]], precision=precision)
        incident.claims = [c for c in incident.claims if c.field is not ClaimField.DATE]
        incident.claims.append(Claim(ClaimField.DATE, edtf, Span.of(r.text, *span), rule, confidence=0.6))


def _day_after(edtf: str) -> str | None:
    """The EDTF day after a day ("2019-08-03" -> "2019-08-04"); None for a coarser date."""
    try:
        return (date.fromisoformat(edtf) + timedelta(days=1)).isoformat()
    except ValueError:
        return None


def _drop_headline_repeats(r: Report, items: list[tuple[Unit, Incident]]) -> list[tuple[Unit, Incident]]:
    """A title line ("Regime shelling kills three in Kafr Nabl.") sums up the act
    the body tells: when the body reports the same type of act at the same
    place, the title's incident is dropped and the body's keeps what only
    the title said (who, how many)."""
    if len(items) < 2:
        return items
    first = r.sentences[items[0][0].sentence]
    if r.text[first.end:first.end + 1] not in ("\n", "") or "\n" in r.text[:first.start].strip():
        return items  # the first act is not on a title line of its own
    title = [(u, i) for u, i in items if u.sentence == items[0][0].sentence]
    body = [(u, i) for u, i in items if u.sentence != items[0][0].sentence]
    kept = []
    for unit, incident in title:
        place = incident.location.name if incident.location else None
        twin = next((i for _, i in body if i.event_type == incident.event_type and place is not None
                     and i.location is not None and i.location.name == place
                     and (i.date is None or incident.date is None or i.date.edtf == incident.date.edtf)), None)
        if twin is None:
            kept.append((unit, incident))
            continue
        if not twin.perpetrators and incident.perpetrators:
            twin.involvements.extend(incident.perpetrators)
        if not twin.victims and incident.victims:
            twin.victims.extend(incident.victims)
    return kept + body


def _derive_violations(r: Report, incident: Incident, span: Span) -> None:
    """A toll folded in from the next sentence ("… shelled Kafr Nabl. 3 civilians killed.")
    makes the same violations it would have made in the act's own sentence."""
    civilians = [g for g in incident.victims if g.kind is VictimKind.CIVILIAN]
    new: list[tuple[str, str]] = []
    if any(g.outcome is VictimOutcome.KILLED for g in civilians):
        new.append(("killing", "rule:violation/killed-protected-person"))
    if incident.event_type in _STRIKE_EVENTS and any(
            g.outcome in (VictimOutcome.KILLED, VictimOutcome.INJURED) for g in civilians):
        new.append(("indiscriminate-attack", "rule:violation/strike-harmed-civilians"))
    for code, method in new:
        if code not in incident.violations:
            incident.violations.append(code)
            incident.claims.append(Claim(ClaimField.VIOLATION, code, span, method, confidence=0.5))


def _fold_followups(r: Report, items: list[tuple[Unit, Incident]]) -> list[tuple[Unit, Incident]]:
    """A later sentence that repeats the act ("the symptoms matched sarin") joins it."""
    attribution = r.lex.context.get("attribution")
    out: list[tuple[Unit, Incident]] = []
    last_sentence: list[int] = []  # per kept act, the last sentence folded into it (distances count from there)
    for unit, incident in items:
        if out:
            prev_unit, prev = out[-1]
            sent = r.sentences[unit.sentence]
            same_para = r.paragraph_of[unit.sentence] == r.paragraph_of[prev_unit.sentence]
            later = unit.sentence > prev_unit.sentence and unit.sentence - last_sentence[-1] <= 2
            if (same_para or unit.sentence == last_sentence[-1] + 1) and unit.sentence - last_sentence[-1] <= 2 \
                    and _protest_arrests(r, unit, incident, prev):
                # "… dispersed the sit-in. They arrested three of the participants.": the intervention itself
                _fold_into(r, prev, incident)
                prev.event_type = "protest-with-intervention" if prev.event_type == "peaceful-protest" \
                    else prev.event_type
                last_sentence[-1] = unit.sentence
                continue
            # the very next sentence, even in a new paragraph, may go on about the same act
            # ("… executed two men. ¶ The organization then crucified the bodies.")
            next_one = (unit.sentence == prev_unit.sentence + 1
                        and (incident.event_type == prev.event_type or (unit.weak and not prev_unit.weak))
                        and (incident.date is None or (prev.date is not None and incident.date.edtf == prev.date.edtf)))
            # "… dropped 14 barrel bombs on Daraya. ¶ A nurse said five people were killed.": a toll
            # alone in the next sentence, even in a new paragraph, is the toll of the act just told
            same_para = same_para or next_one
            own_place = any(getattr(p, "role", "place") == "place" for p in place_mentions(r, unit.start, unit.end))
            counted = any(v.count_min is not None for v in incident.victims)
            claims_it = bool(attribution is not None and attribution.search(r.hay, sent.start, sent.end))
            if same_para and later and not own_place and not _another(r, unit) and (unit.weak or (not counted and (
                    incident.event_type == prev.event_type or claims_it))):
                # "3 soldiers were killed.": the toll of the act just reported
                _fold_into(r, prev, incident)
                last_sentence[-1] = unit.sentence
                continue
        out.append((unit, incident))
        last_sentence.append(unit.sentence)
    return out


_ANOTHER = re.compile(r"\b(?:another|a second|a third|the second|the third)\b|(?<!\S)(?:اخر|اخري|ثان|ثاني|ثانيه|ثالث|ثالثه)(?!\S)",
                      re.IGNORECASE)


def _another(r: Report, unit: Unit) -> bool:
    """"… blew himself up in the market. Another detonated his belt near the roundabout.": a second act of the
    same kind, told in the next sentence, is its own incident, not the first one's follow-up."""
    return _ANOTHER.search(r.hay, unit.start, unit.top.end) is not None


def _fold_into(r: Report, prev: Incident, incident: Incident) -> None:
    """Join a follow-up to the act it goes on about: its evidence, victims, perpetrators and cued violations."""
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
    _derive_violations(r, prev, incident.evidence[0])


_PROTEST_EVENTS = frozenset({"peaceful-protest", "protest-with-intervention", "excessive-force-against-protesters"})


def _protest_arrests(r: Report, unit: Unit, incident: Incident, prev: Incident) -> bool:
    """An arrest of the protest's own people ("participants", "demonstrators", "mourners") just after it."""
    marker = r.lex.context.get("protest_people")
    return (prev.event_type in _PROTEST_EVENTS and incident.event_type == "arrests" and marker is not None
            and marker.search(r.hay, unit.start, unit.end) is not None
            and not any(getattr(p, "role", "place") == "place" for p in place_mentions(r, unit.start, unit.end)))




def _toll_rises(r: Report, items: list[tuple[Unit, Incident]]) -> None:
    """"The death toll rose to nine after two of the wounded died": the new total
    is the act's killed count (the later deaths are in it, never added)."""
    rise = r.lex.context.get("toll_rise")
    if rise is None or not items:
        return
    for si, sent in enumerate(r.sentences):
        for m in rise.finditer(r.hay, sent.start, sent.end):
            q = next((q for q in r.quantities.between(m.end(), min(sent.end, m.end() + 16))), None)
            if q is None or q.min is None:
                continue
            prior = [(u, i) for u, i in items if u.sentence <= si and si - u.sentence <= 2
                     and r.paragraph_of[u.sentence] == r.paragraph_of[si]]
            if not prior:
                continue
            unit, incident = prior[-1]
            killed = [g for g in incident.victims if g.outcome is VictimOutcome.KILLED]
            kind = VictimKind.CIVILIAN if any(g.kind is VictimKind.CIVILIAN for g in killed) else \
                (killed[0].kind if killed else VictimKind.UNKNOWN)
            incident.victims = [g for g in incident.victims if g.outcome is not VictimOutcome.KILLED]
            incident.victims.insert(0, VictimGroup(outcome=VictimOutcome.KILLED, kind=kind, unit=CountingUnit.INDIVIDUAL,
                                                   count_min=q.min, count_max=q.max, text=r.text[m.start():q.end]))
            incident.claims = [c for c in incident.claims if not (c.field is ClaimField.VICTIMS
                                                                  and c.value.get("outcome") == "killed")]
            incident.claims.append(Claim(ClaimField.VICTIMS, {"kind": kind.value, "outcome": "killed", "count_min": q.min,
                                                              "count_max": q.max}, Span.of(r.text, m.start(), q.end),
                                         "rule:victims/toll-rose-to", confidence=0.6))
            # "rose to 15, including 6 children": the new figure's own parts
            incident.claims.extend(fill_toll_breakdown(
                r.text, r.victims, group=incident.victims[0], start=m.start(), end=q.end, limit=sent.end,
                quantities=r.quantities.between(q.end, sent.end)))
