"""The rule extractor: report text in, suggested incidents out.

How a report becomes incidents:

1. Boilerplate is dropped (everything after "About the author", "Leave a
   reply"…; sentences describing the publisher; headings, which only sum up
   what the body reports).
2. Each sentence is cut into chunks where the writer turns to another act
   ("…, while …", "، كما …"); trigger words (``lexicons/triggers.toml``) mark
   the chunks that report an act. Chunks without a trigger belong to the act
   around them; a chunk that repeats the act without a new place or count
   stays part of it. A period total or background statistic is no act, nor
   is a state that lasts ("the city remains besieged").
3. Each act gets victims (``victims.py``), perpetrators (``attribution.py``
   for the role of each actor named, ``fields.py`` for the choice), a place
   and a date (``fields.py`` over ``places.py`` and ``dates.py``) and
   violation codes, each with a :class:`Claim` naming the rule and the span
   it rests on. Threats, plans and fears of an act are no act.
4. One trigger over two places joined by "and" is two incidents; a later
   sentence that only repeats the act, gives its toll, says who claimed it or
   is a source's account of it ("the ministry said its air defences …") is
   folded in (a folded toll adds the violations it implies); a title line
   that repeats the body's act (same type and place) is dropped; "the same
   day" / "the next day" date an act from the one before it.

Places, counts and dates are found once per report, not per sentence.
"""
from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
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
    InvolvementDegree,
    VictimKind,
    VictimOutcome,
)
from .attribution import ActorMention, dominant_actor, find_actors
from .breakdown import fill_breakdowns
from .date_choice import date_for, dateline
from .dates import find_dates
from .fields import (
    apply_attributions,
    location_of,
    main_place,
    perpetrators,
    places_for,
    split_places,
)
from .followups import (
    another_act,
    drop_headline_repeats,
    fold_followups,
    harms_indiscriminately,
    same_day,
    same_family,
    toll_rises,
)
from .idle import heard_blasts, idle_aircraft
from .learned import TypeModel, retype
from .learned_forms import credit_forms
from .lexicon import Lexicon, Trigger, detect_language, lexicon_with
from .named import attach_named
from .no_act import background, day_dated, hypothetical, lasting_state, triggers_in
from .numbers import find_quantities, is_count
from .places import best_location, find_places
from .report import Hit, Report, Unit, date_precision, evacuated, place_mentions, start_of, usable_date
from .scan import ByStart
from .segment import Segment, chunks, paragraphs, sentences
from .victim_words import ACCUSED_OF
from .victims import find_victims, inside_span, scan_victims

log = logging.getLogger(__name__)

MAX_TEXT = 500_000  # characters read from one report; the rest is ignored
MAX_EVIDENCE = 600
_WEAPON_EVENTS = frozenset({"air-drone-strike", "shelling-artillery-missile-attack", "chemical-weapon",
                            "remote-explosive-landmine-ied"})


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
        incidents = fold_followups(report, incidents)
        toll_rises(report, incidents)
        incidents = drop_headline_repeats(report, incidents)
        same_day(report, incidents)
        apply_attributions(report, incidents)
        attach_named(report, incidents)
        found = [i for _, i in incidents]
        if self._type_model is not None:
            found = retype(found, lex=lex, language=lang, model=self._type_model)
            model_id = str(self._type_model.meta.get("id", "workspace"))
            found = credit_forms(found, forms=self._type_model.forms, model_id=model_id)  # learned actors, places
        return found

    def _units(self, r: Report) -> list[Unit]:
        breaks = r.lex.context.get("chunk_break")
        units: list[Unit] = []
        for si, sent in enumerate(r.sentences):
            sentence_units: list[Unit] = []
            pending_start: int | None = None  # trigger-less chunks before the first act
            tally = False  # an earlier chunk of the sentence was a period or a running total
            for chunk in chunks(r.text, sent, breaks, r.hay):
                hits = triggers_in(r, chunk.start, chunk.end)
                if hits and all(h.trigger.weak for h in hits) and not _has_harm(r, chunk.start, chunk.end):
                    hits = []
                if not hits:
                    # "Aleppo topped the list by number of victims, while the shelling centred on Idlib": a
                    # period or a ranking, even without an act's word, makes the rest of the sentence its tally
                    tally = tally or background(r, chunk.start, chunk.end)
                    if sentence_units:
                        sentence_units[-1].end = chunk.end
                    elif pending_start is None:
                        pending_start = chunk.start
                    continue
                if tally and not day_dated(r, chunk.start, chunk.end):
                    continue  # "… responsible for 38 of these deaths, while 58 were caused by …": the same tally
                if background(r, chunk.start, chunk.end):
                    tally = True
                    continue
                if hypothetical(r, chunk.start, hits) or lasting_state(r, chunk.start, chunk.end, hits) \
                        or idle_aircraft(r, chunk.start, chunk.end, hits, harmed=_has_harm(r, chunk.start, chunk.end)):
                    continue
                told = sentence_units or units
                if told and si - told[-1].sentence <= 1 \
                        and heard_blasts(r, chunk.start, chunk.end, hits, harmed=_has_harm(r, chunk.start, chunk.end)):
                    continue  # "… struck militia positions. Loud explosions were heard for an hour.": its sound
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
        upgraded = event_type != trigger.event_type
        # an upgrade outranks the agent's side: a town handed over without a fight was overtaken by no one
        if trigger.actor_event_type and perps and perps[0].actor in trigger.actor_event_type and not upgraded:
            # the first agent named leads the act ("ISIS seized X after regime forces withdrew")
            event_type = trigger.actor_event_type[perps[0].actor]
            event_rule += f"+actor/{perps[0].actor}"
            if event_type == "abduction-forced-disappearance":  # those an armed group took are abducted
                victims = [replace(v, outcome="abducted") if v.outcome == "detained" else v for v in victims]
        harmed = {v.outcome for v in victims} & {"killed", "injured"}
        raid_killing = event_type == "arrests" and "killed" in harmed and \
            not any(v.outcome in ("detained", "abducted", "disappeared") for v in victims)
        if event_type == "looting-property-destruction" and "killed" in harmed or raid_killing:
            # "killed a shepherd and stole his sheep", "raided the town and killed two": the killing is the act
            event_type, event_rule = "attack", event_rule + "+killing"
        if event_type in _FORCE_OUTRANKED and harmed and _fire_on_protest(r, unit, sent.start, sent.end):
            # "opened fire on the demonstrators, killing three, and arrested dozens": deadly force outranks
            # the arrests and the protest itself (ACLED: excessive force against protesters)
            event_type, event_rule = "excessive-force-against-protesters", event_rule + "+fire-on-protest"
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
    # a quoted testimony's last line ends in its closing quote ("… ما بنعرف عنه شي.»"): the stop inside counts
    closed = line.rstrip("\"'”’»)")
    if "\n" in line or len(line) >= 160 or closed[-1:] in ".!?؟:;,،؛" or _LIST_ITEM.match(line):
        return False
    before = text[max(0, s.start - 1):s.start]
    after = text[s.end:s.end + 1]
    return (before in ("", "\n") and after in ("", "\n")) or line.lstrip().startswith("#")


def _scan_triggers(hay: str, lex: Lexicon, limit: int, actors: list[ActorMention]) -> list[Hit]:
    hits = []
    spans = sorted((a.start, a.end) for a in actors)
    purpose = lex.context.get("purpose")
    seen: set[tuple[int, int]] = set()
    for entry, m in lex.trigger_scan.finditer(hay, 0, limit):
        i = lex.trigger_of[entry]
        if (m.start(), i) in seen:
            continue  # the longest entry of a trigger at a position stands for it
        seen.add((m.start(), i))
        if lex.triggers[i].event_type not in _WEAPON_EVENTS and inside_span(spans, m.start()):
            continue  # "تحرير" in "هيئة تحرير الشام" names a group, not an act; "Turkish drone" is both
        if ACCUSED_OF.search(hay, max(0, m.start() - 40), m.start()):
            continue  # "a man accused of kidnapping", "يتهم بالانتماء إلى عصابة تمتهن الخطف": a charge, no act here
        if purpose is not None and purpose.search(hay, max(0, m.start() - _PURPOSE_REACH), m.start()):
            continue  # "بهدف «تحرير» المدينة", "in a bid to recapture": the aim of an act, not an act
        hits.append(Hit(m.start(), m.end(), lex.triggers[i], setting=_in_setting(hay, lex, m.start())))
    return hits


_PURPOSE_REACH = 40  # characters before a trigger searched for "with the aim of", "بهدف"…
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


_FORCE_OUTRANKED = frozenset({"arrests", "peaceful-protest", "protest-with-intervention", "attack"})
_SHOT = re.compile(r"(?:shot|gunfire|gunshots?|bullets?|(?:live )?(?:rounds|ammunition)|رصاص\S*|برصاص\S*|طلق\S* ناري\S*)",
                   re.IGNORECASE)


def _fire_on_protest(r: Report, unit: Unit, sent_start: int, sent_end: int) -> bool:
    """Shooting in an act that a protest word frames: the shooting's own protest upgrade, or a protest act whose
    victims were shot ("shot into a crowd of demonstrators, killing one")."""
    for h in unit.hits:
        if h.trigger.name == "open-fire" and any(up.event_type == "excessive-force-against-protesters"
                                                  and up.pattern.search(r.hay, sent_start, sent_end)
                                                  for up in h.trigger.upgrades):
            return True
    protest = any(h.trigger.event_type == "peaceful-protest" and not h.setting for h in unit.hits)
    return protest and _SHOT.search(r.hay, unit.start, unit.end) is not None


def _has_harm(r: Report, start: int, end: int) -> bool:
    """A result word alone ("killed") reports an act only when victims are named."""
    sentence_start = next((s.start for s in r.sentences if s.start <= start < s.end), start)
    victims = find_victims(r.victims, start=start, end=end, sentence_start=sentence_start)
    return any(v.outcome in ("killed", "injured") for v in victims)


def _continues(r: Report, prev: Unit, unit: Unit) -> bool:
    """Whether a new chunk only goes on about the act before it."""
    own_place = any(getattr(p, "role", "place") == "place" for p in place_mentions(r, unit.start, unit.end))
    if not own_place and _PART_OF.search(r.hay, max(unit.start, unit.top.start - 16), unit.top.start):
        return True  # "…, and one of the missiles hit a school": a part of the act just told
    if not unit.weak and another_act(r, unit):
        return False  # "…; another detonated his belt near the roundabout": a second act of the kind
    result = r.lex.context.get("result_of")
    if result is not None and result.search(r.hay, unit.start, unit.top.start) is not None:
        return True  # "…, near the village of Kabbaneh, which left 12 soldiers dead": what the act left
    if not unit.weak and all(h.setting for h in unit.hits if not h.trigger.weak):
        return True  # "… clashes near Tal Tamr, amid mutual shelling, killing eleven": the setting of the act told
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
    return same_family(unit.top.trigger.event_type, prev.top.trigger.event_type) and not (
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
    if event_type == "chemical-weapon":
        # a chemical agent is a prohibited weapon whatever word named the act ("rockets" after which people choked)
        found.setdefault("prohibited-weapons", ("rule:violation/chemical-agent", None))
    if civilians_harmed and harms_indiscriminately(r, event_type, unit.start, unit.end):
        found.setdefault("indiscriminate-attack", ("rule:violation/strike-harmed-civilians", None))
    # The record holds no "arbitrary" detention by a court; arrests by armed
    # actors are suggested as arbitrary and a documenter confirms.
    for code, (method, span) in found.items():
        claims.append(Claim(ClaimField.VIOLATION, code, span or Span.of(r.text, unit.start, unit.end), method,
                            confidence=0.5))
    return list(found)
