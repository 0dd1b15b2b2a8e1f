"""What later sentences add to an act already told: its toll, who claimed it, its day.

A sentence that only repeats an act, gives its toll or says who claimed it is
folded into the act (:func:`fold_followups`); "the toll rose to nine" updates
the act's count (:func:`toll_rises`); a title that repeats the body's act is
dropped (:func:`drop_headline_repeats`); "the same day" and "the next day"
date an act from the one before it (:func:`same_day`). The rule engine
(``engine.py``) calls these once per report, after cutting it into acts.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

from ..domain import Claim, ClaimField, Incident, IncidentDate, Span, VictimGroup
from ..domain.enums import CountingUnit, LocationPrecision, VictimKind, VictimOutcome
from .breakdown import fill_toll_breakdown
from .dates_story import shift_story_date, story_offset
from .report import Report, Unit, place_mentions, usable_date

_STRIKE_EVENTS = frozenset({"air-drone-strike", "shelling-artillery-missile-attack", "chemical-weapon"})
# A car or suicide bomb set off where people are strikes without aim like a shell; an old mine or a
# remnant of war (the report's "inert_device" words) was aimed at no one, so its toll is no such attack.
_BOMB_EVENTS = frozenset({"suicide-bomb", "remote-explosive-landmine-ied"})
_DERIVED = frozenset({"rule:violation/killed-protected-person", "rule:violation/strike-harmed-civilians"})

_SAME_DAY = re.compile(r"\b(?:on |during )?the same (?:day|date|night|morning|evening)\b|(?:في )?(?:نفس|ذات) (?:اليوم|الليله|الصباح)|اليوم (?:ذاته|نفسه)",
                       re.IGNORECASE)


_NEXT_DAY = re.compile(r"\b(?:on |by |in )?the (?:next|following) (?:day|morning|evening|night|afternoon)\b|\bthe day after\b"
                       r"|(?:في )?(?:صباح |مساء |ظهر |ليله )?(?:اليوم|النهار) التالي|(?:صباح|مساء|ظهر|ليله) (?:اليوم )?التالي(?:ه)?"
                       r"|في الغداه|في اليوم الذي تلاه", re.IGNORECASE)


def same_day(r: Report, items: list[tuple[Unit, Incident]]) -> None:
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


def drop_headline_repeats(r: Report, items: list[tuple[Unit, Incident]]) -> list[tuple[Unit, Incident]]:
    """A title line ("Regime shelling kills three in Kafr Nabl.") sums up the act
    the body tells: when the body reports the same type of act at the same
    place, the title's incident is dropped and the body's keeps what only
    the title said (who, how many)."""
    if len(items) < 2:
        return items
    first = r.sentences[items[0][0].sentence]
    if r.text[first.end:first.end + 1] not in ("\n", "") or "\n" in r.text[:first.start].strip():
        return items  # the first act is not on a title line of its own
    if not _title_like(r.text[first.start:first.end]):
        return items  # a bulletin's first item tells an act of its own, however alike the next one is
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
            _derive_violations(r, twin, incident.evidence[0])  # the title's toll says what the act did
    return kept + body


def harms_indiscriminately(r: Report, event_type: str, start: int, end: int) -> bool:
    """Whether civilians killed or hurt by this act between ``start`` and ``end`` make it an
    indiscriminate attack: a strike or shelling, or a bomb that was not inert ordnance."""
    if event_type in _STRIKE_EVENTS:
        return True
    if event_type not in _BOMB_EVENTS:
        return False
    inert = r.lex.context.get("inert_device")
    return event_type == "suicide-bomb" or inert is None or inert.search(r.hay, start, end) is None


def _bulletin_item(r: Report, unit: Unit) -> bool:
    """Whether the unit's sentence is an item of a bulletin: a line of its own that opens with a mark ("▪️ …",
    "• …"); such an item tells an act of its own, even one of the kind told in the item before."""
    sent = r.sentences[unit.sentence]
    return r.text[max(0, sent.start - 1):sent.start] in ("", "\n") and not _title_like(r.text[sent.start:sent.end])


def _title_like(line: str) -> bool:
    """Whether a line may be a title: not an item of a bulletin ("▪️ …", "• …", "1️⃣ …", "- …"), whose every
    line opens with a mark and tells an act of its own."""
    line = line.strip()
    return not (line[:1] and not line[0].isalnum() and line[0] not in "\"'«“‘(")


def _derive_violations(r: Report, incident: Incident, span: Span) -> None:
    """A toll folded in from the next sentence ("… shelled Kafr Nabl. 3 civilians killed.")
    makes the same violations it would have made in the act's own sentence."""
    civilians = [g for g in incident.victims if g.kind is VictimKind.CIVILIAN]
    new: list[tuple[str, str]] = []
    if any(g.outcome is VictimOutcome.KILLED for g in civilians):
        new.append(("killing", "rule:violation/killed-protected-person"))
    act = incident.evidence[0] if incident.evidence else span  # the act's own words say whether it was inert
    if harms_indiscriminately(r, incident.event_type, act.start, act.end) and any(
            g.outcome in (VictimOutcome.KILLED, VictimOutcome.INJURED) for g in civilians):
        new.append(("indiscriminate-attack", "rule:violation/strike-harmed-civilians"))
    for code, method in new:
        if code not in incident.violations:
            incident.violations.append(code)
            incident.claims.append(Claim(ClaimField.VIOLATION, code, span, method, confidence=0.5))


# acts that one seizure of people tells in several words: the arrest, the abduction, the taking away
_HOLDING = frozenset({"arrests", "abduction-forced-disappearance"})
# acts after which "they were taken to …" is where the people held were brought
_HOLDS_PEOPLE = _HOLDING | {"protest-with-intervention"}
_TAKEN_TRIGGER = "taken"


def same_family(a: str, b: str) -> bool:
    """Whether two event types read as one act when told together ("abducted three and took them away")."""
    return a == b or (a in _HOLDING and b in _HOLDING)


def _taken_away(unit: Unit, prev: Incident) -> bool:
    """"They were taken to the branch headquarters.", "واقتادوهم إلى جهة مجهولة": after a detention or an
    abduction, the taking away of the people held is the same act, wherever they were taken."""
    return prev.event_type in _HOLDS_PEOPLE and not unit.weak and all(
        h.trigger.name == _TAKEN_TRIGGER or h.trigger.weak for h in unit.hits)


def _tally_line(r: Report, unit: Unit) -> bool:
    """A sentence that is only a tally ("Fatalities: 3."): the toll of the act the note told, never an act."""
    tally = r.lex.context.get("tally_line")
    sent = r.sentences[unit.sentence]
    return tally is not None and tally.fullmatch(r.hay, sent.start, sent.end) is not None


_VIOLENT = _STRIKE_EVENTS | {"remote-explosive-landmine-ied", "suicide-bomb", "attack", "armed-clash", "grenade",
                             "mob-violence"}
_VERB_FORM = re.compile(r"\w+ed$", re.IGNORECASE)  # "shelled", "arrested": a verb has its own subject, not an anaphor


def _refers_back(r: Report, unit: Unit, incident: Incident, prev: Incident) -> bool:
    """"The explosion went off near …", "the grenade landed …", "beaten during the arrest": the act's noun with
    a definite word names an act already told, of its own kind (or, for a violent act, of any violent kind)."""
    anaphor = r.lex.context.get("anaphor")
    top = unit.top
    if anaphor is None or another_act(r, unit) or _VERB_FORM.search(r.hay, top.start, top.end):
        return False
    sent = r.sentences[unit.sentence]
    m = anaphor.search(r.hay, max(sent.start, top.start - 32), top.start)
    if m is None or any(m.start() <= a.start < top.start for a in r.actors.between(m.start(), top.start)):
        return False  # "the regime forces shelled": an actor, not an act, follows the article
    return same_family(incident.event_type, prev.event_type) or (
        incident.event_type in _VIOLENT and prev.event_type in _VIOLENT) or (
        incident.event_type in _HOLDING and prev.event_type in _HOLDS_PEOPLE)  # "during the arrest" of the sit-in


def _same_place(mention: object, incident: Incident) -> bool:
    location = getattr(mention, "location", None)
    return location is not None and incident.location is not None and location.name == incident.location.name


_TOWN_OR_FINER = frozenset({LocationPrecision.EXACT, LocationPrecision.NEIGHBOURHOOD, LocationPrecision.TOWN})


def _town_or_finer(thing: object) -> bool:
    """A place mention or an incident set in a town or somewhere in one (not only a district or governorate)."""
    location = getattr(thing, "location", None)
    return location is not None and location.precision in _TOWN_OR_FINER


def _told_before(r: Report, unit: Unit, incident: Incident, out: list[tuple[Unit, Incident]],
                 last_sentence: list[int]) -> int | None:
    """The index in ``out`` of the act a definite noun refers back to: one of the last three, told at most three
    sentences before, not dated to another day and not set elsewhere."""
    own = [d for d in r.dates.between(unit.start, unit.end) if usable_date(d)]
    # a place named before the noun sets another scene ("In Ariha, the strikes …", "our researcher in Ariha said
    # the strikes …"); one after it tells where the act already told went off ("The explosion went off near X")
    places = [p for p in place_mentions(r, unit.start, unit.top.start) if getattr(p, "role", "place") == "place"]
    # … unless the act told already has a town of its own and this one goes off in another town ("… shelled Kafr
    # Nabl. The shells also hit houses in Hass.": a second place hit, a second incident)
    after = [p for p in place_mentions(r, unit.top.end, unit.end) if getattr(p, "role", "place") == "place"
             and (_town_or_finer(p) or getattr(p, "place", None) is None)]  # a village not listed is a town too
    for k in range(len(out) - 1, max(-1, len(out) - 4), -1):
        prev_unit, prev = out[k]
        if prev_unit.sentence >= unit.sentence:
            return None  # an act of its own sentence is nearer: what folds there is decided in the sentence
        if unit.sentence - last_sentence[k] > 3:
            continue
        if own and prev.date is not None and all(d.edtf != prev.date.edtf for d in own):
            continue
        if any(not _same_place(p, prev) for p in places):
            continue
        if prev.location is not None and _town_or_finer(prev) and any(not _same_place(p, prev) for p in after):
            continue
        if _refers_back(r, unit, incident, prev):
            return k
    return None


def fold_followups(r: Report, items: list[tuple[Unit, Incident]]) -> list[tuple[Unit, Incident]]:
    """A later sentence that repeats the act ("the symptoms matched sarin") joins it."""
    attribution = r.lex.context.get("attribution")
    out: list[tuple[Unit, Incident]] = []
    last_sentence: list[int] = []  # per kept act, the last sentence folded into it (distances count from there)
    for unit, incident in items:
        if out and (k := _told_before(r, unit, incident, out, last_sentence)) is not None:
            _fold_into(r, out[k][1], incident)
            last_sentence[k] = max(last_sentence[k], unit.sentence)
            continue
        if out:
            prev_unit, prev = out[-1]
            sent = r.sentences[unit.sentence]
            same_para = r.paragraph_of[unit.sentence] == r.paragraph_of[prev_unit.sentence]
            # a bare toll, naming nobody ("Fatalities: 1."), may close a paragraph a sentence further on
            bare_toll = unit.weak and same_para and not r.actors.between(sent.start, sent.end)
            later = unit.sentence > prev_unit.sentence and unit.sentence - last_sentence[-1] <= (3 if bare_toll else 2)
            if unit.sentence > prev_unit.sentence and (_tally_line(r, unit) or (
                    unit.sentence - last_sentence[-1] <= 1 and _taken_away(unit, prev))):
                _fold_into(r, prev, incident)
                last_sentence[-1] = unit.sentence
                continue
            if (same_para or unit.sentence == last_sentence[-1] + 1) and unit.sentence - last_sentence[-1] <= 2 \
                    and _protest_arrests(r, unit, incident, prev,
                                    same_sentence=unit.sentence in (prev_unit.sentence, last_sentence[-1])):
                # "… dispersed the sit-in. They arrested three of the participants.": the intervention itself
                _fold_into(r, prev, incident)
                prev.event_type = "protest-with-intervention" if prev.event_type == "peaceful-protest" \
                    else prev.event_type
                last_sentence[-1] = unit.sentence
                continue
            if unit.sentence == last_sentence[-1] + 1 and r.paragraph_of[unit.sentence] == r.paragraph_of[prev_unit.sentence] \
                    and _same_protest(r, unit, incident, prev):
                # "… condemns the assault by X on the demonstration. Masked men beat the demonstrators and
                # detained four.": the protest's intervention told in detail; the harsher reading stands
                _fold_into(r, prev, incident)
                prev.event_type = max(prev.event_type, incident.event_type, key=_PROTEST_RANK.index)
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
            if later_told(r, unit, incident, prev) and unit.sentence - last_sentence[-1] <= 3:
                # "Hospital sources spoke of 38 dead.", "فيما قالت موسكو إن الطيران قصف …": the act retold
                k = toll_home(r, out, incident)
                _fold_into(r, out[k][1], incident)
                last_sentence[k] = max(last_sentence[k], unit.sentence)
                continue
            # "… near Kafr Janna. Two civilians were killed by stray bullets in Kafr Janna.": the same place again
            own_place = any(getattr(p, "role", "place") == "place" and not _same_place(p, prev)
                            for p in place_mentions(r, unit.start, unit.end))
            counted = any(v.count_min is not None for v in incident.victims)
            claims_it = bool(attribution is not None and attribution.search(r.hay, sent.start, sent.end))
            # a place of its own is another act's, unless it is where the act before happened
            # ("… at the Sasa checkpoint they took him off the bus. The Sasa checkpoint belongs to …")
            elsewhere = own_place and not (incident.location is not None and prev.location is not None
                                           and incident.location.name == prev.location.name)
            if same_para and later and not elsewhere and not another_act(r, unit) and (unit.weak or (
                    not counted and not _bulletin_item(r, unit) and (incident.event_type == prev.event_type or claims_it))):
                # "3 soldiers were killed.": the toll of the act just reported
                k = toll_home(r, out, incident)
                _fold_into(r, out[k][1], incident)
                last_sentence[k] = max(last_sentence[k], unit.sentence)
                continue
        out.append((unit, incident))
        last_sentence.append(unit.sentence)
    return out


# what a source retells of an act of another type: the defence against a strike, the bodies it left
_HARM_EVENTS = _STRIKE_EVENTS | {"remote-explosive-landmine-ied", "suicide-bomb", "attack", "armed-clash"}
# "فيما قالت موسكو إن الطيران السوري قصف …": a source's "bombed" after a strike is the strike
_RETELLS = {"disrupted-weapons-use": _STRIKE_EVENTS | {"remote-explosive-landmine-ied", "suicide-bomb"},
            "shelling-artillery-missile-attack": _STRIKE_EVENTS,
            "other": _HARM_EVENTS}


def later_told(r: Report, unit: Unit, incident: Incident, prev: Incident) -> bool:
    """A source's account of the act just told, in a later sentence: the source speaks before the act's word,
    and what it tells is the act's toll or an act of the same kind, at no other place, or the defence against it
    ("the army said its air defences intercepted some of the missiles", "rescuers said 13 bodies were recovered")."""
    retold = r.lex.context.get("retold")
    sent = r.sentences[unit.sentence]
    # "Syrian air defences claimed to have intercepted …": the source may speak inside a trigger of several words
    if retold is None or unit.sentence <= 0 or another_act(r, unit) \
            or retold.search(r.hay, sent.start, unit.top.end) is None:
        return False
    if incident.event_type in _RETELLS and prev.event_type in _RETELLS[incident.event_type]:
        return True
    other_place = incident.location is not None and (prev.location is None
                                                      or incident.location.name != prev.location.name)
    return (unit.weak or incident.event_type == prev.event_type) and not other_place


_ANOTHER = re.compile(r"\b(?:another|a second|a third|the second|the third|(?:a |in a )?separate)\b"
                      r"|(?<!\S)(?:اخر|اخري|ثان|ثاني|ثانيه|ثالث|ثالثه|منفصل|منفصله)(?!\S)",
                      re.IGNORECASE)


# acts that leave no dead of their own: a truce, a defection, a base set up, a march, a riot, a theft
_NO_TOLL = frozenset({"agreement", "change-to-group-activity", "headquarters-or-base-established",
                      "non-violent-transfer-of-territory", "peaceful-protest", "violent-demonstration",
                      "looting-property-destruction"})


def toll_home(r: Report, out: list[tuple[Unit, Incident]], incident: Incident) -> int:
    """The index in ``out`` of the act a later toll belongs to: the last act told, unless that act is one of
    several of its sentence and either leaves no dead ("clashes broke out … until a truce took effect. 9
    fighters were killed") or is "another" act of the kind told just before it ("a bomber blew himself up …,
    and a second one detonated his belt … Hospitals counted 38 dead": one toll of both, the first act's)."""
    k = len(out) - 1
    if not any(v.outcome in (VictimOutcome.KILLED, VictimOutcome.INJURED) for v in incident.victims):
        return k
    sentence = out[k][0].sentence
    while k > 0 and out[k - 1][0].sentence == sentence and out[k - 1][1].event_type in _VIOLENT \
            and (out[k][1].event_type in _NO_TOLL or (out[k][1].event_type in _VIOLENT and another_act(r, out[k][0]))) \
            and not any(v.outcome in (VictimOutcome.KILLED, VictimOutcome.INJURED) for v in out[k - 1][1].victims):
        k -= 1
    return k


def another_act(r: Report, unit: Unit) -> bool:
    """"… blew himself up in the market. Another detonated his belt near the roundabout.": a second act of the
    same kind, told in the next sentence, is its own incident, not the first one's follow-up."""
    return _ANOTHER.search(r.hay, unit.start, unit.top.end) is not None


def _fold_into(r: Report, prev: Incident, incident: Incident) -> None:
    """Join a follow-up to the act it goes on about: its evidence, victims, perpetrators and cued violations."""
    prev.evidence.append(incident.evidence[0])
    if incident.perpetrators and prev.perpetrators and _guessed_from_before(prev) and not _guessed_from_before(incident):
        # "قوصوا ابن جيراننا … اللي قوصوه كانوا ملثمين": who the follow-up names outranks a party carried over
        prev.involvements = [i for i in prev.involvements if i not in prev.perpetrators]
        prev.claims = [c for c in prev.claims if c.field is not ClaimField.PERPETRATOR]
        prev.claims.extend(c for c in incident.claims if c.field is ClaimField.PERPETRATOR)
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


_PROTEST_RANK = ["peaceful-protest", "protest-with-intervention", "excessive-force-against-protesters"]


def _same_protest(r: Report, unit: Unit, incident: Incident, prev: Incident) -> bool:
    """The next sentence tells the same protest (or what was done to it) at no other place."""
    if prev.event_type not in _PROTEST_RANK or incident.event_type not in _PROTEST_RANK or another_act(r, unit):
        return False
    other_place = incident.location is not None and prev.location is not None \
        and incident.location.name != prev.location.name
    own = any(getattr(p, "role", "place") == "place" for p in place_mentions(r, unit.start, unit.end))
    return not (own and other_place)


def _guessed_from_before(incident: Incident) -> bool:
    """Whether the incident's perpetrators were carried over from a party named before its act."""
    methods = [c.method for c in incident.claims if c.field is ClaimField.PERPETRATOR]
    return bool(methods) and all(m.startswith("rule:actor/previous-actor") for m in methods)


_PROTEST_EVENTS = frozenset({"peaceful-protest", "protest-with-intervention", "excessive-force-against-protesters"})


def _protest_arrests(r: Report, unit: Unit, incident: Incident, prev: Incident, *, same_sentence: bool) -> bool:
    """An arrest of the protest's own people ("participants", "demonstrators", "mourners") just after it, or any
    arrest in the sentence that told the protest ("dispersed the sit-in and arrested four teachers")."""
    marker = r.lex.context.get("protest_people")
    # typed by its trigger: the arrest may already read as the protest's intervention
    return (prev.event_type in _PROTEST_EVENTS and unit.top.trigger.event_type == "arrests" and marker is not None
            and (same_sentence or marker.search(r.hay, unit.start, unit.end) is not None)
            and not any(getattr(p, "role", "place") == "place" for p in place_mentions(r, unit.start, unit.end)))




def toll_rises(r: Report, items: list[tuple[Unit, Incident]]) -> None:
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
