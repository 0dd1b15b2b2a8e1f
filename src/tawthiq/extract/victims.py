"""Victim groups: who an act fell on, how many, and what happened to them.

A group is a victim noun from the lexicon ("civilians", "طبيباً"), the count
written before it ("at least 12 people", "ثلاثة مدنيين"), and an outcome word
bound to it: "killing four demonstrators" binds forward, "two civilians were
killed" binds backward. Groups written as a subset of one already counted
("among them dozens of children", "بينهم امرأة") are not counted twice, and a
noun that is only a source ("activists said") is no victim. Coordinated
relatives are each a person ("a woman and her daughter": 2); a pronoun or a
person's name as the subject of a result word ("she was arrested", "Ahmad
al-Masri died under torture") is a group of one; "three of them", "منهم"
take the kind of the group named before; "Fatalities: 0" names nobody.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import Any, Sequence

from ..domain.arabic import HARAKAT_CLASS
from . import victim_words as vw
from .lexicon import Lexicon, NounForm
from .scan import non_overlapping
from .victims_single import pronoun_victim, unknown_fate

_GAP_WORDS = re.compile(r"^[\s\w'’\-()]*$")
_PUNCT = re.compile(r"[,.;:،؛!?؟]")
_FORWARD_ONLY = re.compile(r"ing\b|\bof\b|^(?:left|leaving)$", re.IGNORECASE)
_BACKWARD_ONLY = re.compile(r"^(?:were|was|have|has|had|being|are|got|remain)\b|lost|perished|died|whereabouts|fate", re.IGNORECASE)
_AGENT_AFTER_EN = re.compile(r"^\s+(?:have|has|had|then|also|later)\s+(?:\w+\s+)?(?:killed|shot|executed|assassinated|attacked|arrested|kidnapped|abducted)\b", re.IGNORECASE)
# Between a noun and a later outcome word, these start another clause whose
# subject the outcome belongs to ("detainees …, most of the defectors have fled").
_CLAUSE_TURN = re.compile(r"\b(?:have|has|had|who|which|that|after|because|when|while|most|then|tried|went|where|whose)\b|\b\w{3,}ed\b", re.IGNORECASE)
_REDUCED_RELATIVE = re.compile(r"^\s+\w{3,}ed\s+(?=(?:from|in|at|near|inside|on|under)\b)", re.IGNORECASE)
# "31 people, most of them lawyers, were killed": an aside naming who among them they were turns no clause
_SUBSET_ASIDE = re.compile(r"^\s*,\s*(?:(?:most|many|some|all|several|half|one|two|three|\d+)\s+of\s+(?:them|whom)|including|"
                           r"among (?:them|whom))\b[^.!?;:,]{0,80}(?:,[^.!?;:,]{0,40})?,\s*", re.IGNORECASE)
_AR_PRONOUN_END = re.compile(f"(?:هما|هم|هن)[{HARAKAT_CLASS}]*$")
_FROM = re.compile(r"\s*(?:from|of)\s+(?:one|the same|a single|a|an|the)?\s*|\s*من\s+(?:\S+\s+)?", re.IGNORECASE)
_AND = re.compile(r"\s*(?:and|as well as|&)\s+(?:an?\s+|one\s+)?(?:[\w-]+\s+){0,2}", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\b(?:their|his|her|its)\s+$", re.IGNORECASE)
# "a woman and her daughter": a relative joined by "and" is one more person, not the same one
_PRONOUN_OBJECT = re.compile(r"\s+(?:him|her)\b", re.IGNORECASE)
_COUNT_OF = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+of\s+(?:his|her|their)\s+$", re.IGNORECASE)
_AND_POSSESSIVE = re.compile(r"^\s*,?\s*(?:and|&|with|along with|together with)\s+(?:their|his|her)\s+$", re.IGNORECASE)
# "she was arrested", "he had been killed": a pronoun subject is one person
_NONE_AFTER = re.compile(r"\s*[:=-]?\s*(?:0|none|zero|nil)\b", re.IGNORECASE)
_NONE_BEFORE = re.compile(r"(?:\bno|\bwithout|\bzero|\bneither|\bnor|(?<!\S)دون|(?<!\S)بدون|(?<!\S)عدم)\s+(?:\w+\s+)?$",
                          re.IGNORECASE)
# "Ahmad al-Masri, 34, died under torture": a person's name as the subject is one person
_NAME_SUBJECT = re.compile(r"(?-i:\b[A-Z][a-z'’]+(?:\s+(?:(?:al|el|Al|El)-|bin\s+|ibn\s+|Abu\s+|Abou\s+)?[A-Z][a-z'’]+){1,3})"
                           r"(?:\s*,\s*[^,.;]{1,50},)?\s+$")
_AGE = re.compile(r"\s*,")
_AGE_BEFORE = re.compile(r"(?-i:[A-Z][a-z'’]+)\s*,\s*(?:aged\s+)?$")
_ONE_WORD = re.compile(r"\S+\s+")
_PRONOUN_SUBJECT = re.compile(r"\b(?:he|she)\s+$", re.IGNORECASE)
# "three of them", "منهم": a count of the group named before
_OF_THEM = re.compile(r"\s*(?:of (?:them|whom)|منهم|منهما)", re.IGNORECASE)
_OF = re.compile(r"(?:of|from|in)\s+(?:the\s+)?|(?:من|في)\s+", re.IGNORECASE)
_OBJECT_PRONOUN = re.compile(r"\b(?:killed|killing|executed|executing|assassinated|shot|arrested|kidnapped|abducted|detained)\s+(?:them|him|her)\b|(?:قتلوهم|قتلوه|اعدموهم|اعدموه|اعتقلوهم|اعتقلوه|خطفوهم|اختطفوهم)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class VictimMention:
    start: int
    end: int
    kind: str
    outcome: str
    count_min: int | None
    count_max: int | None
    unit: str
    rule: str


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    outcome: str
    forward: bool
    backward: bool
    anaphoric: bool = False  # "مقتلهما": refers back to victims already named


def outcome_cues(hay: str, lex: Lexicon, start: int, end: int) -> list[_Cue]:
    out = []
    for i, m in non_overlapping(lex.outcome_scan.finditer(hay, start, end)):
        if lex.language == "en" and vw.DETERMINER_BEFORE.search(hay, max(start, m.start() - 12), m.start()) \
                and vw.EN_ADJECTIVE_CUE.fullmatch(m.group().strip()):
            continue  # "a displaced family", "the wounded man": a word saying who, not what befell here
        if vw.ACCUSED_OF.search(hay, max(start, m.start() - 40), m.start()):
            continue  # "two men accused of kidnapping a child", "بتهمة الخطف": a charge, nothing that befell
        cue = lex.outcome_of[i]
        word = m.group().strip()
        forward = cue.direction == "forward" or (lex.language == "ar")
        # Arabic puts the result word before ("قتل ثلاثة") or after ("ثلاثة قتلى") its victims
        backward = cue.direction == "backward" or lex.language == "ar" or not _FORWARD_ONLY.search(word)
        if lex.language == "en" and _BACKWARD_ONLY.search(word):
            forward = False
        anaphoric = lex.language == "ar" and bool(_AR_PRONOUN_END.search(word))
        if anaphoric:
            forward, backward = False, True  # "مقتلهما": their death, the victims are named before
        out.append(_Cue(m.start(), m.end(), cue.outcome, forward, backward, anaphoric))
    return out


def _count_for(noun_start: int, hay: str, quantities: Sequence[Any], floor: int) -> Any | None:
    best = None
    for q in quantities:
        if q.end <= noun_start and q.start >= floor:
            gap = hay[q.end:noun_start]
            if len(gap) <= 32 and not _PUNCT.search(gap) and len(gap.split()) <= 3 and _GAP_WORDS.match(gap):
                best = q
    return best


@dataclass(frozen=True, slots=True)
class VictimScan:
    """Victim nouns and outcome words of a whole report, found once."""

    hay: str
    lex: Lexicon
    nouns: list[tuple[int, int, NounForm]]
    cues: list[_Cue]
    quantities: list[Any]
    group_nouns: frozenset[int]  # starts of nouns followed by a group's name ("members of ISIS")
    noun_starts: list[int]
    cue_starts: list[int]
    quantity_starts: list[int]
    fighter_names: tuple[int, ...] = ()  # starts of actor names that are people under arms ("ISIS fighters")
    actor_spans: tuple[tuple[int, int], ...] = ()


_FIGHTER_NAME = re.compile(r"(?:fighters|militants|members|soldiers|troops|militiamen|rebels|gunmen|forces|cells|"
                           r"عناصر|مقاتل\S*|جنود|مسلح\S*)", re.IGNORECASE)


def scan_victims(hay: str, lex: Lexicon, *, quantities: Sequence[Any], actors: Sequence[Any] = (),
                 end: int | None = None) -> VictimScan:
    """Every victim noun and outcome word in ``hay`` (the folded report text)."""
    end = len(hay) if end is None else end
    ctx = lex.context
    rv = ctx.get("reporting_verb")
    q_starts = sorted((q.start, q.end) for q in quantities)
    q_ends = frozenset(q.end for q in quantities)
    a_spans = sorted((a.start, a.end) for a in actors)
    nouns = []
    group_nouns: set[int] = set()
    for i, m in non_overlapping(lex.noun_scan.finditer(hay, 0, end)):
        at = m.start()
        if inside_span(q_starts, at) and not any(abs(qe - m.end()) <= 2 for qs, qe in q_starts if qs <= at < qe):
            continue  # "more" in "more than 80" (but a dual, "طفلان", is its own count)
        if inside_span(a_spans, at) and not _counted_actor(a_spans, q_ends, at):  # but "5 rebels" are people
            continue  # "مسلحون" in "مسلحون مجهولون" is the perpetrator
        form = lex.noun_of[i]
        if lex.language == "ar" and form.number == "singular" and m.group().endswith(("ون", "ين", "ات", "ان")):
            # "ناشطون", "مقاتلان": a singular stem with a plural or dual ending is no one person
            form = replace(form, number="dual" if m.group().endswith("ان") else "plural")
        if lex.language == "ar" and vw.AR_SOURCE_BEFORE.search(hay, max(0, at - 14), at) and vw.AR_SOURCE_AFTER.match(hay, m.end()):
            continue  # "وأكد ناشطون أن …": who reports, not who suffered
        after = hay[m.end():m.end() + 30]
        stripped = after.lstrip()
        if rv is not None and len(after) - len(stripped) <= 2 and rv.match(stripped):
            continue
        if lex.language == "en" and _AGENT_AFTER_EN.match(after):
            continue
        if lex.language == "en" and vw.NOUN_AS_ADJECTIVE.match(after):
            continue  # "fighter jets", "rebel positions", "rebel-held": a word of a thing, not a person
        if lex.language == "en" and vw.EN_SOURCE_BEFORE.search(hay, max(0, at - 24), at):
            continue  # "according to her relatives", "activists told": who reports
        if _NONE_AFTER.match(after) or _NONE_BEFORE.search(hay, max(0, at - 12), at):
            continue  # "Fatalities: 0", "no casualties", "لا ضحايا": nobody befell
        if inside_span(a_spans, m.end() + len(after) - len(after.lstrip()) + (_of_len(after))):
            group_nouns.add(at)  # "members of the Hamza Division": names the group, maybe the one acting
        nouns.append((at, m.end(), form))
    cues = outcome_cues(hay, lex, 0, end)
    qs = sorted(quantities, key=lambda q: q.start)
    fighters = tuple(sorted(a.start for a in actors if _FIGHTER_NAME.search(hay, a.start, a.end)))
    return VictimScan(hay, lex, nouns, cues, qs, frozenset(group_nouns), [n[0] for n in nouns],
                      [c.start for c in cues], [q.start for q in qs], fighters, tuple(a_spans))


def _counted_actor(spans: list[tuple[int, int]], q_ends: frozenset[int], at: int) -> bool:
    """Whether the actor's name holding ``at`` is counted right before it ("5 rebels", "4 tribal fighters")."""
    i = bisect_right(spans, (at, 1 << 60)) - 1
    return i >= 0 and any(spans[i][0] - d in q_ends for d in (1, 2))


def _between(items: list, starts: list[int], lo: int, hi: int) -> list:
    return items[bisect_left(starts, lo):bisect_left(starts, hi)]


def _of_len(after: str) -> int:
    m = _OF.match(after.lstrip())
    return m.end() if m else 0


def inside_span(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(spans, (pos, 1 << 60)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def find_victims(
    scan: VictimScan,
    *,
    start: int,
    end: int,
    default_outcome: str = "",
    sentence_start: int | None = None,
    anchor: int | None = None,
) -> list[VictimMention]:
    """Victim groups named between ``start`` and ``end`` of the scanned report."""
    hay, lex = scan.hay, scan.lex
    ctx = lex.context
    cues = _between(scan.cues, scan.cue_starts, start, end)
    qs = _between(scan.quantities, scan.quantity_starts, start, end)
    nouns = _between(scan.nouns, scan.noun_starts, start, end)

    # A forward cue immediately followed by a noun is taken by that noun.
    taken: set[int] = set()
    # "militants executed two young men": a result word with its own object is
    # active, so the noun before it is who acted, not who suffered.
    transitive = {c.start for c in cues if c.forward and lex.language == "en" and (any(
        0 <= ns - c.end <= 30 and not _PUNCT.search(hay[c.end:ns]) for ns, _, _ in nouns)
        or _PRONOUN_OBJECT.match(hay, c.end) or vw.PLURAL_OBJECT.match(hay, c.end))}  # "the men whipped him": who acted
    out: list[VictimMention] = []
    unbound: list[tuple[int, int, str, int | None, int | None, str, str]] = []
    skip: set[int] = set()
    previous_kind = "unknown"
    modifier: tuple[int, int, str] | None = None  # (index, start, kind) of a noun heading no phrase ("civilian deaths")
    for i, (ns, ne, form) in enumerate(nouns):
        if i in skip:
            continue
        kind = form.kind
        carried, modifier = (modifier if modifier is not None and modifier[0] == i - 1 else None), None
        if carried is not None and kind == "unknown":
            kind = carried[2]  # "5 civilian deaths": the word before says whose
        inner = None  # "جثث أربعة رجال", "remains of at least 50 people": the count of the second noun
        # "bodies of ISIS members", "جثث عناصر": the second noun says whose.
        if i + 1 < len(nouns):
            ns2, _, form2 = nouns[i + 1]
            gap = hay[ne:ns2]
            joined = re.fullmatch(r"\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}", gap, re.IGNORECASE) if lex.language == "en" \
                else re.fullmatch(r"\s+(?:من\s+)?", gap)
            if not joined and form.outcome and not form.inherit:
                inner = next((q for q in qs if ne < q.start and q.end < ns2 and vw.INNER_BEFORE.fullmatch(hay, ne, q.start)
                              and not hay[q.end:ns2].strip()), None)
                joined = inner is not None and (lex.language == "ar" or "of" in hay[ne - 3:inner.start].lower())
                inner = inner if joined else None
            if joined and form.kind == "unknown" and not form.inherit:
                kind = form2.kind
                skip.add(i + 1)
                inner = inner or next((q for q in qs if ne < q.start and q.end <= ns2), None)  # "bodies of 7 people"
            elif 0 < ns2 - ne <= 1 and not form2.inherit and hay[ns2] != "و":
                modifier = (i, carried[1] if carried is not None else ns, kind)
                continue  # "rebel commander", "ناشطاً إعلامياً": the last noun heads the phrase
        if kind == "combatant" and (body := _civilian_body(hay, ne, ctx)) is not None:
            # "members of one family", "عناصر الدفاع المدني": a body of unarmed people
            kind = "civilian"
            skip.update(j for j in range(i + 1, len(nouns)) if nouns[j][0] < body)
        elif kind == "combatant" and vw.CRIMINAL_BODY.match(hay, ne):
            kind = "unknown"  # "two members of a kidnapping gang", "أفراد من عصابة": no party to the war
        if (ns in scan.group_nouns or form.kind == "combatant") and (ab := ctx.get("agent_before_noun")) is not None \
                and ab.search(hay[max(start, ns - 30):ns]):
            continue  # "برصاص عناصر من X", "shot by members of X", "assaulted by guards": who acted
        if form.inherit:
            if i > 0 and ns - nouns[i - 1][1] <= 2:
                continue  # "أربعة مدنيين آخرين": an adjective, not another group
            kind = previous_kind
        if out and _POSSESSIVE.search(hay, max(start, ns - 7), ns) and not _COUNT_OF.search(hay, max(start, ns - 24), ns) and (
                form.outcome or not _AND_POSSESSIVE.match(hay[out[-1].end:ns])):
            continue  # "their bodies", "جثثهم": the victims already named
        if out and ns - out[-1].end <= 30 and _FROM.fullmatch(hay, max(start, out[-1].end), ns):
            continue  # "nine civilians from one family": where the victims come from
        at = carried[1] if carried is not None else ns
        below = [n for n in nouns[:i] if n[1] <= at]
        q = next((q for q in qs if q.start <= ns < q.end), None) or inner or \
            _count_for(at, hay, qs, below[-1][1] if below else start)
        if q is None and lex.language == "ar" and form.number not in ("singular", "dual"):
            # "الشبان الخمسة", "أطفالهما الثلاثة": a definite number after the noun counts it
            q = next((q for q in qs if 0 < q.start - ne <= 2 and hay.startswith("ال", q.start)
                      and not hay[ne:q.start].strip()), None)
        if q is None and form.outcome and (lm := vw.LABEL_COUNT.match(hay, ne)) and lm.end() > ne:
            q = next((q for q in qs if q.start == lm.end()), None)  # "Fatalities: 2"
        unit = form.unit
        if q is None and unit == "family" and form.number == "singular" \
                and (fm := vw.FAMILY_OF[lex.language == "ar"].match(hay, ne)) is not None \
                and (q := next((q for q in qs if q.start == fm.end()), None)) is not None:
            # "a family of six", "عائلة مؤلفة من سبعة أفراد": the people, counted; who they were
            # ("- parents and four children -", "أفراد") is no group of its own
            unit = "individual"
            verb = next((c.start for c in cues if c.start >= q.end), end)
            skip.update(j for j in range(i + 1, len(nouns)) if nouns[j][0] < verb and not vw.PUNCT_STOP.search(hay, q.end, nouns[j][0]))
        if q is not None:
            cmin, cmax, rule = q.min, q.max, f"count/{q.rule}"
        elif form.number == "singular":
            cmin, cmax, rule = 1, 1, "count/singular"
        elif form.number == "dual":
            cmin, cmax, rule = 2, 2, "count/dual"
        else:
            cmin = cmax = None
            rule = "count/none"
        if form.outcome and cmin is None and any(v.outcome == form.outcome for v in out):
            continue  # "… executed two men and crucified the bodies": the same victims
        group_start = min(q.start, ns) if q is not None else ns
        if vw.ONE_OF_THEM.search(hay, max(start, group_start - 30), group_start):
            continue  # "three of the protesters, one of them a well-known activist": already counted
        # A subset of a group already named ("among them", "بينهم").
        if out:
            between_start = out[-1].end
            sm = ctx.get("subset_marker")
            last = None
            if sm is not None:
                for last in sm.finditer(hay, between_start, group_start):
                    pass
            # "أصيب 60 شخصاً، توفي منهم 11": a result word of its own before the marker makes a group of its own
            if last is not None and not any(between_start <= c.start < last.start() and c.outcome != out[-1].outcome
                                            for c in cues):
                tail = hay[last.end():group_start]
                if len(tail.split()) <= 3 and not any(last.end() <= c.start < group_start for c in cues):
                    if out[-1].count_min is None and q is not None and q.min:  # "the martyrs, among them three
                        out[-1] = replace(out[-1], count_min=q.min)  # civilians": at least the part counted
                    continue
        outcome, orule = form.outcome, "noun"
        if not outcome:
            for c in reversed(cues):
                if c.end <= group_start and c.forward:
                    gap = hay[c.end:group_start]
                    if len(gap) <= 40 and not _PUNCT.search(gap) and len(gap.split()) <= 5:
                        outcome, orule = c.outcome, "forward"
                        taken.add(c.start)
                    break
        if not outcome:
            for c in cues:
                if c.start >= ne and c.backward and c.start not in taken and c.start not in transitive and c.start - ne <= (90 if lex.language == "en" or c.anaphoric else 30):
                    # "people displaced from Aleppo were killed", "families trapped in the basement died": a
                    # participle right after the noun says who they are, it turns no clause.
                    between = _SUBSET_ASIDE.sub(" ", _REDUCED_RELATIVE.sub(" ", hay[ne:c.start], count=1), count=1)
                    if re.search(r"[.!?؟]", between) or _CLAUSE_TURN.search(between):
                        break
                    if ns in scan.group_nouns and any(ne <= n0 < c.start for n0, _, _ in nouns):
                        break  # "عناصر من الحسبة … على رجل حتى الموت": the nearer noun is who it befell
                    outcome, orule = c.outcome, "backward"
                    break
        if outcome in ("injured", "tortured") and orule == "forward" and vw.TO_DEATH.match(hay, ne) \
                and not _PUNCT.search(hay, ne, vw.TO_DEATH.match(hay, ne).end()):
            outcome, orule = "killed", "to-death"  # "beat a man to death"
        if not outcome and ns in scan.group_nouns and anchor is not None and ns < anchor:
            continue  # "members of the Hamza Division arrested …": they acted, nothing befell them
        if not outcome and ns in scan.group_nouns and lex.language == "ar" and anchor is not None and anchor < ns \
                and _ONE_WORD.fullmatch(hay, anchor, ns):
            continue  # "داهمت عناصر من المخابرات": the verb's subject, who acted
        low = 0 if lex.language == "en" else -40  # English names the one an act fell on after its verb
        if not outcome and default_outcome and (anchor is None or low <= ns - anchor <= 80) \
                and not any(v.outcome == default_outcome for v in out):
            # the act's victims, unless they were already named with a result word
            outcome, orule = default_outcome, "event-default"
        if not outcome:
            unbound.append((group_start, ne, kind, cmin, cmax, unit, rule))
            continue
        # An uncounted singular next to a counted group with the same outcome
        # is that group's apposition ("two civilians, a woman and her son").
        # "two men and a teenage boy" adds one, though.
        additive = False
        if out and out[-1].end <= group_start:
            gap = hay[out[-1].end:group_start]
            additive = bool(_AND.fullmatch(gap)) or (hay.startswith("و", group_start) and not gap.strip(" ،"))
        if rule == "count/singular" and not additive and any(
                v.outcome == outcome and v.count_min is not None and v.rule.split("|")[0] != "count/singular" for v in out):
            continue
        end_at = nouns[i + 1][1] if (i + 1) in skip else ne
        end_at = max(end_at, q.end) if q is not None else end_at  # "a family of four": its count comes after
        out.append(VictimMention(group_start, end_at, kind, outcome, cmin, cmax, unit, f"{rule}|outcome/{orule}"))
        previous_kind = kind

    for c in cues:
        # "opened fire on a member of X, killing him": the pronoun is the person named before
        if c.forward and c.start not in taken and unbound and _PRONOUN_OBJECT.match(hay, c.end):
            before = [u for u in unbound if u[1] <= c.start and u[3] == 1]
            if before and not any(v.outcome == c.outcome and v.end <= c.start for v in out):
                gs, ge, kind, cmin, cmax, unit, rule = before[-1]
                out.append(VictimMention(gs, ge, kind, c.outcome, cmin, cmax, unit, f"{rule}|outcome/pronoun-object"))
                unbound.remove(before[-1])
                taken.add(c.start)
        # "attacked a car carrying two men …, injuring both": the plural pronoun is the group named before
        elif c.forward and c.start not in taken and unbound and vw.PLURAL_OBJECT.match(hay, c.end):
            before = [u for u in unbound if u[1] <= c.start and u[3] != 1]
            if before and not any(v.outcome == c.outcome and v.end <= c.start for v in out):
                gs, ge, kind, cmin, cmax, unit, rule = before[-1]
                out.append(VictimMention(gs, ge, kind, c.outcome, cmin, cmax, unit, f"{rule}|outcome/pronoun-object"))
                unbound.remove(before[-1])
                taken.add(c.start)
    if not out and unbound and default_outcome:
        # "A woman … told investigators she was … subjected to rape": the one
        # person the sentence names is the one the act fell on.
        gs, ge, kind, cmin, cmax, unit, rule = unbound[0]
        out.append(VictimMention(gs, ge, kind, default_outcome, cmin, cmax, unit, f"{rule}|outcome/only-person"))
    # "killing 3 and wounding dozens, mostly civilians": a count with no noun.
    used = {v.start for v in out}
    noun_spans = [(ns, ne) for ns, ne, _ in nouns]
    cues = [c for c in cues if not any(ns <= c.start < ne for ns, ne in noun_spans)]  # "قتلى" is a noun here
    for c in cues:
        if not c.forward or c.start in taken:
            continue
        q = next((q for q in qs if 0 <= q.start - c.end <= 3 and q.start not in used), None)
        if q is None or any(q.end <= ns <= q.end + 3 for ns, _, _ in nouns) or vw.NOT_PEOPLE_AFTER.match(hay, q.end):
            continue
        if any(v.start <= q.start < v.end for v in out):
            continue
        nxt = next((form for ns, _, form in nouns if 0 <= ns - q.end <= 30), None)
        kind = nxt.kind if nxt else _kind_of_them(scan, q.end, sentence_start)  # "مقتل ١٠ منهم"
        out.append(VictimMention(q.start, q.end, kind, c.outcome, q.min, q.max,
                                 "individual", f"count/{q.rule}|outcome/forward-bare"))
        taken.add(c.start)
    # "at least 20 were killed and 35 wounded": a count, then the result word.
    for c in cues:
        if not c.backward or c.start in taken:
            continue
        q = next((q for q in qs if q.start not in used and (0 <= c.start - q.end <= 2 or (
            0 <= c.start - q.end <= 16 and _OF_THEM.fullmatch(hay, q.end, c.start - 1)))), None)
        if q is None or any(v.start <= q.start < v.end for v in out):
            continue
        if any(q.end <= ns < c.start for ns, _, _ in nouns) or vw.NOT_PEOPLE_AFTER.match(hay, q.end):
            continue
        if _AGE.match(hay, q.end) and _AGE_BEFORE.search(hay, max(0, q.start - 40), q.start):
            continue  # "Mahmoud al-Hariri, 41, died": an age, not a count
        kind = previous_kind if out else _kind_of_them(scan, q.end, sentence_start)
        out.append(VictimMention(q.start, q.end, kind, c.outcome, q.min, q.max,
                                 "individual", f"count/{q.rule}|outcome/backward-bare"))
        taken.add(c.start)
    out = _first_person(hay, lex.language, start, end, default_outcome, out)
    out = _counted_us(hay, lex.language, start, end, default_outcome, out)
    if any(v.kind == "unknown" and v.outcome in ("killed", "injured") for v in out):
        out = _civilian_site(scan, out, sentence_start if sentence_start is not None else start, end)
    if any(v.kind == "unknown" for v in out) and vw.PROTEST.search(hay, sentence_start if sentence_start is not None else start, end):
        # "dispersed a sit-in …, arresting two": those a protest's dispersal fell on are civilians
        out = [replace(v, kind="civilian") if v.kind == "unknown" and v.outcome in vw.PROTEST_OUTCOMES else v for v in out]
    if any(v.start not in scan.group_nouns for v in out):
        # "انهال عناصر من الحسبة بالضرب على رجل": members of a named group given only the act's
        # outcome, beside someone the act fell on, are who acted
        out = [v for v in out if not (v.start in scan.group_nouns and v.rule.endswith("outcome/event-default")
                                      and any(w.outcome == v.outcome and w.start not in scan.group_nouns for w in out))]
    out.sort(key=lambda v: v.start)

    if not out and not unbound and lex.language == "en":
        # "She was arrested at a checkpoint": the pronoun is the one person it befell
        for c in cues:
            if c.backward and c.start not in taken and (_PRONOUN_SUBJECT.search(hay, max(start, c.start - 8), c.start)
                                                         or _named_person(scan, max(start, c.start - 90), c.start)):
                out.append(VictimMention(c.start - 4, c.end, "civilian", c.outcome, 1, 1, "individual",
                                         "count/pronoun|outcome/backward"))
                break

    if len(out) == 1 and out[0].count_min == 1 and out[0].outcome in ("detained", "abducted", "disappeared") \
            and lex.language == "en":
        # "arrested a young man …, and he died under torture": the one person held was then killed
        for c in cues:
            if c.backward and c.outcome == "killed" and c.start not in taken and c.start > out[0].end \
                    and _PRONOUN_SUBJECT.search(hay, max(start, c.start - 8), c.start):
                v = out[0]
                out.append(VictimMention(c.start - 4, c.end, v.kind, "killed", 1, 1, v.unit, "count/pronoun|outcome/backward"))
                break
    if (not out or all(v.rule.endswith("outcome/only-person") for v in out)) \
            and (pm := pronoun_victim(hay, lex.language, start, end, default_outcome)) is not None \
            and all(u[1] <= pm[0] for u in unbound) and all(v.end <= pm[0] for v in out):
        # "A sniper shot him in the chest", "اعتقلوه على الحاجز": the one person the account is about;
        # who is named before the verb acted
        out = [VictimMention(pm[0], pm[1], "civilian", pm[2], 1, 1, "individual", "count/pronoun|outcome/pronoun-object")]
    if not out and sentence_start is not None:
        # "the Iraqi fighters have killed them": the victims are named earlier.
        pm = _OBJECT_PRONOUN.search(hay, start, end)
        if pm:
            for ns, ne, form in reversed(_between(scan.nouns, scan.noun_starts, sentence_start, start)):
                if not form.inherit:
                    out.append(VictimMention(ns, ne, form.kind, default_outcome or "killed", None, None,
                                             form.unit, "count/none|outcome/pronoun"))
                    break
    return unknown_fate(hay, lex.language, start, end, out)


def _counted_us(hay: str, language: str, start: int, end: int, default_outcome: str,
                found: list[VictimMention]) -> list[VictimMention]:
    """"read my name and the names of two other young men, and ordered the three of us down": the witness's
    count of those held, themselves included, replaces the groups of those held named before it."""
    pattern = vw.US_COUNT.get(language)
    m = pattern.search(hay, start, end) if pattern is not None else None
    if m is None:
        return found
    held = [v for v in found if v.outcome in vw.HELD_OUTCOMES and v.end <= m.start()]
    outcome = held[0].outcome if held else default_outcome
    if outcome not in vw.HELD_OUTCOMES:
        return found
    n = vw.US_NUMBERS[m.group("n").lower()]
    kept = [v for v in found if v not in held]
    return [*kept, VictimMention(m.start(), m.end(), "civilian", outcome, n, n, "individual",
                                 "count/first-person-group|outcome/first-person")]


def _first_person(hay: str, language: str, start: int, end: int, default_outcome: str,
                  found: list[VictimMention]) -> list[VictimMention]:
    """``found`` with the witness of a testimony ("they arrested me", "اعتقلوني": one civilian besides anyone
    named with them) or the one a rape fell on ("raped her"); a group named just before the verb with only
    the act's outcome is who acted ("an officer raped her", "four men took me")."""
    pattern = vw.FIRST_PERSON_OBJECT.get(language)
    m = pattern.search(hay, start, end) if pattern is not None else None
    if m is None and language == "en" and (me := vw.AND_ME.search(hay, start, end)) is not None:
        # "arrested my father and me": the witness shares what befell the one named with them
        v = next((v for v in found if 0 <= me.start() - v.end <= 2), None)
        if v is not None:
            return [*found, VictimMention(me.end() - 2, me.end(), "civilian", v.outcome, 1, 1, "individual",
                                          "count/first-person|outcome/with-named")]
    if m is None or any(v.start <= m.start() < v.end for v in found):
        return found
    group = next(g for g, v in m.groupdict().items() if v is not None).rstrip("_")
    found = [v for v in found if not (v.end <= m.start() and v.rule.endswith(("outcome/event-default", "outcome/only-person"))
                                      and not _PUNCT.search(hay, v.end, m.start()))]
    if group == "other" and any(v.outcome == "other" and v.end <= m.start() for v in found):
        return found  # "raped her": the woman already named
    outcome = (default_outcome if default_outcome in ("detained", "abducted", "disappeared") else "detained") \
        if group == "taken" else group
    return [*found, VictimMention(m.start(), m.end(), "civilian", outcome, 1, 1, "individual",
                                  "count/first-person|outcome/first-person")]


def _civilian_site(scan: VictimScan, out: list[VictimMention], lo: int, hi: int) -> list[VictimMention]:
    """"Shelling on a residential neighbourhood left three martyrs": the dead and wounded of a strike on
    homes, a market, a school or a bakery, or of a poison gas, are civilians, unless the sentence names
    fighters, positions or a front."""
    hay = scan.hay
    if not vw.CIVILIAN_SITE.search(hay, lo, hi) or vw.ARMED_SITE.search(hay, lo, hi) \
            or any(f.kind == "combatant" for _, _, f in _between(scan.nouns, scan.noun_starts, lo, hi)) \
            or any(lo <= a < hi for a in scan.fighter_names):
        return out
    return [replace(v, kind="civilian") if v.kind == "unknown" and v.outcome in ("killed", "injured") else v
            for v in out]


_BODY_LINK = re.compile(r"\s*(?:of|from|in)\s+(?:(?:the|an?)\s+(?!family))?|\s*(?:من\s+)?", re.IGNORECASE)


def _civilian_body(hay: str, ne: int, ctx: dict[str, Any]) -> int | None:
    """The end of a civilian body named right after a group noun ("members of one family"), if any."""
    if (council := vw.CIVIL_COUNCIL.match(hay, ne, min(len(hay), ne + 80))) is not None:
        return council.end()
    body = ctx.get("civilian_body")
    if body is None:
        return None
    link = _BODY_LINK.match(hay, ne)
    m = body.match(hay, link.end() if link else ne, min(len(hay), ne + 60))
    return m.end() if m else None


def _kind_of_them(scan: VictimScan, at: int, sentence_start: int | None) -> str:
    """"… five fighters. Three of them were killed": the kind of the group named before."""
    if not _OF_THEM.match(scan.hay, at):
        return "unknown"
    lo = max(0, (sentence_start if sentence_start is not None else at) - 400)
    before = [(ns, f.kind) for ns, _, f in _between(scan.nouns, scan.noun_starts, lo, at)
              if not f.inherit and f.kind != "unknown"]
    before += [(a, "combatant") for a in scan.fighter_names if lo <= a < at]  # "rebel fighters" is an actor's name
    return max(before)[1] if before else "unknown"


def _named_person(scan: VictimScan, lo: int, at: int) -> bool:
    """A capitalised name right before a result word, that names no armed party ("Regime Forces")."""
    m = _NAME_SUBJECT.search(scan.hay, lo, at)
    return m is not None and not inside_span(list(scan.actor_spans), m.start()) and \
        not any(s < m.end() and m.start() < e for s, e in scan.actor_spans)
