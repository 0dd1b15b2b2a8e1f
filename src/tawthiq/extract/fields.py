"""Who did it, where and when: the perpetrators, place and date of one act.

Each resolver looks first at the act's own words, then at its sentence, then
at the sentences before it in the paragraph, and only then at the report as a
whole (its dominant actor, main place, dateline), and says which of these it
used so the claim records why.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

from ..domain import Claim, ClaimField, Incident, Involvement, Location, Span
from ..domain.enums import InvolvementDegree, LocationPrecision
from .attribution import AGENT, FACILITY, MEMBER, POST, TARGET, ActorMention, role
from .parties import (
    ACCUSE,
    ANY_ACT,
    NO_CLAIM,
    TAKEOVER,
    UAV,
    WARPLANE,
    accuser,
    air_force,
    issuer,
    leaders,
    partisan,
    speaker,
    told_nearby,
    winners,
)
from .places.unlisted import adopted
from .report import Report, Unit, place_mentions
from .story import STORY_REACH, identified_after, plural_verb, story_setting

MAX_EVIDENCE = 600
_FINE = (LocationPrecision.EXACT, LocationPrecision.NEIGHBOURHOOD, LocationPrecision.TOWN)
_PLACE_JOIN_EN = re.compile(r"^\s*(?:,|and|&|,\s*and)\s+(?:(?:the\s+)?(?:villages?|towns?|cities|city|neighbou?rhoods?|areas?)\s+of\s+)?(?:the\s+)?$", re.IGNORECASE)
_PLACE_JOIN_AR = re.compile(r"^\s*(?:،|,)?\s*(?:و\s*)?(?:(?:بلده|قريه|مدينه|حي|بلدات|قري)\s+)?$")
_BETWEEN = re.compile(r"\b(?:between|from)\s+(?:the\s+)?(?:\w+\s+){0,2}$|(?:بين|من)\s+(?:\S+\s+){0,2}$|(?:road|highway|route|طريق|اوتستراد)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:no|not|never|none|nobody)\b(?:\s+\w+){0,2}\s+$|(?<!\S)(?:لم|لا|ولم)\s+(?:\S+\s+)?$", re.IGNORECASE)
_PERSONAL = re.compile(r"they|he|it", re.IGNORECASE)
_HITS_PLACES = frozenset({"air-drone-strike", "shelling-artillery-missile-attack", "chemical-weapon",
                          "remote-explosive-landmine-ied", "armed-clash", "suicide-bomb"})
_NON_STATE = frozenset({"isis", "hts", "armed-opposition", "sdf"})
_CITY_ANAPHOR = re.compile(r"\b(?:the|this|that) (?:city|town|village|area|neighbou?rhood)\b|(?:المدينه|البلده|القريه|المنطقه)(?![\u0621-\u064a])", re.IGNORECASE)


def perpetrators(r: Report, unit: Unit, trigger_start: int) -> tuple[list[ActorMention], str]:
    lang = r.language
    inside = r.actors.between(unit.start, unit.end)
    if unit.top.trigger.event_type in _HITS_PLACES:
        inside = [a for a in inside if a.marker != FACILITY]  # a strike on a prison is not by its jailers
    if unit.top.trigger.event_type in _HITS_PLACES or unit.top.trigger.event_type == "attack":
        # nor one on a checkpoint by its guards: they are its target (a side, should it be a clash)
        inside = [replace(a, marker=TARGET, strength=0) if a.marker == POST else a for a in inside]
    if unit.top.trigger.event_type == "armed-clash":
        # both sides of a clash took part ("clashes between X and Y", "X clashed with Y",
        # "attacked X's positions"): ACLED codes both; a party only backing it does not count
        sides = _parties(r, unit, inside)
        if sides:
            return sides, "clash-parties"
    if unit.top.trigger.event_type == "agreement":
        # an agreement is made by every party to it, its states' leaders and "we" (the issuer) included
        # (named in the agreement itself, they are parties even in a setting clause: "after X and Y agreed")
        named = leaders(r, unit) + issuer(r, unit)
        parties = distinct(sorted(named + _parties(r, unit, inside + named), key=lambda a: a.start))
        if parties:
            return parties, "agreement-parties"
    if unit.top.trigger.explicit_agents:
        explicit = [a for a in inside if a.marker == AGENT and a.strength >= 3]
        return (distinct(explicit), "agent") if explicit else _unnamed(r, unit)
    first = min(h.start for h in unit.hits)
    agents = [a for a in inside if role(a, trigger_start=trigger_start, first_trigger=first, language=lang) == AGENT
              or _verb_subject(r, unit.hits, a)]
    if lang == "ar" and agents:
        # verb-first Arabic names the subject first: "استهدفت خلايا داعش حافلة تقل عناصر من قوات النظام"
        # — members named after another party are its object
        first_party = min((a.start for a in agents if a.marker != MEMBER), default=None)
        if first_party is not None:
            agents = [a for a in agents if a.marker != MEMBER or a.start < first_party or _verb_subject(r, unit.hits, a)]
    if unit.top.trigger.event_type == "disrupted-weapons-use":
        # "the SDF dismantled an IED planted by ISIS", "أسقطت … طائرات مسيرة أطلقها X": who laid or launched
        # the device did not make it safe
        agents = [a for a in agents if not _DEVICE_AUTHOR.search(r.hay, max(0, a.start - 30), a.start)]
    if agents and unit.top.trigger.event_type in TAKEOVER:
        agents = winners(r, unit, agents, trigger_start)
    accused = ACCUSE.search(r.hay, unit.start, unit.end)
    if accused is not None:
        # "… while X accused Y", "وتتهم X Y بافتعالها": neither is reported acting (a claim may name the author)
        agents = [a for a in agents if a.start < accused.start() and not accuser(r, accused, a)]
    if any(not speaker(r, a) for a in agents):
        agents = [a for a in agents if not speaker(r, a)]  # "the SDF said a Turkish drone hit …": the source
    if any(a.marker != POST for a in agents):
        agents = [a for a in agents if a.marker != POST]  # "X arrested him at a Y checkpoint": X acted
    if agents:
        best = max(a.strength for a in agents)
        chosen = distinct([a for a in agents if a.strength == best or best < 2])
        if best >= 2 and all(_backing(r, a) for a in chosen):
            # "regime forces, backed by Russian airstrikes, took X": the force backed is the subject
            chosen = distinct([a for a in agents if a.strength >= 1])
        chosen = [_the_generic(r, unit, _group_of(r, a)) for a in chosen]
        named = [a for a in chosen if a.actor != "unknown"]
        # "armed men from the Sultan Murad Division": the named group is who acted
        return (named if named and len(named) < len(chosen) and _adjacent_unknown(r, chosen) else chosen), "agent"
    own = issuer(r, unit)
    if own:
        return own, "issuer/first-person"  # "our artillery targeted …" in a group's statement
    implied = _implied_agent(r, unit)
    if implied is not None:
        return [implied], "implied-weapon"
    trigger_end = next((h.end for h in unit.hits if h.start == trigger_start), trigger_start)

    found: list[str] = []

    def subject(pattern: re.Pattern[str] | None) -> bool:
        # English: the subject comes before the verb, searched up to the
        # trigger's end ("fighters (?= have killed)" looks ahead); Arabic puts
        # it after the verb, so the whole act is searched.
        if pattern is None:
            return False
        end = trigger_end if r.language == "en" else unit.end
        m = pattern.search(r.hay, unit.start, end)
        if m is None or (r.language == "en" and m.start() >= trigger_start):
            return False
        found.append(m.group())
        return True

    dominant = next((a for a in r.actors if a.actor == r.dominant), None) if r.dominant else None
    # "the Iraqi fighters have killed them": fighters of no named group are
    # the fighters of the group the report is about.
    fighters = r.lex.context.get("combatant_subject")
    if subject(fighters):
        if dominant is not None:
            return [dominant], "dominant-actor/fighters"
        recent = _recent_actor(r, unit, groups_first=True)
        if recent is not None:
            return [recent], "previous-actor/fighters"
    sent = r.sentences[unit.sentence]
    first_hit = min((h.start for h in r.hits.between(sent.start, unit.start)), default=unit.start)
    # "members of X raided the town and arrested seven": English members named before every act are its subject
    earlier = [a for a in r.actors.between(sent.start, unit.start) if a.marker not in (TARGET, MEMBER)
               or _verb_subject(r, r.hits.between(sent.start, unit.start), a)
               or (lang == "en" and a.marker == MEMBER and a.start < first_hit)]
    if earlier:
        return [earlier[-1]], "earlier-in-sentence"
    pronoun = r.lex.context.get("pronoun_subject")
    if subject(pronoun):
        # "the organization", "التنظيم" name an armed group, never a state the report is about; "they" anyone
        group_noun = not _PERSONAL.fullmatch(found[-1])
        if dominant is not None and not (group_noun and dominant.actor not in _NON_STATE):
            return [dominant], "dominant-actor/pronoun"
        recent = (_antecedent_group(r, unit.start, found[-1].split()[-1]) if group_noun else None) \
            or _recent_actor(r, unit, groups_first=group_noun)
        if recent is not None:
            return [recent], "previous-actor/pronoun"
    if lang == "ar" and plural_verb(r.hay, unit.top.start, unit.top.end):
        # "سرقوا الزيتون", "اعتقلوا أخي": a verb in the plural with no subject named goes on about those
        # named just before (a dialect testimony tells its acts so)
        recent = _recent_actor(r, unit)
        if recent is not None and unit.start - recent.end <= STORY_REACH:
            return [recent], "previous-actor/plural-verb"
    told_after = identified_after(r, unit)
    if told_after:
        return told_after, "identified-after"
    nearby = told_nearby(r, unit)
    if nearby is not None:
        return [nearby], "nearby-sentence"
    return _unnamed(r, unit)


_JIHADIST = frozenset({"isis", "hts"})
_DEVICE_AUTHOR = re.compile(r"\b(?:planted|laid|left|placed|rigged|booby-trapped|launched|fired|sent)\s+by\s+(?:the\s+|an?\s+)?$"
                            r"|(?<!\S)(?:زرع|زرعها|زرعته|زرعتها|وضعها|وضعته|خلفها|خلفه|اطلقها|اطلقته|اطلقتها|اطلقوها|ارسلها)"
                            r"\s+(?:\S+\s+)?(?:ل|لل)?$", re.IGNORECASE)
_SUICIDE = re.compile(r"suicide|(?:explosive|suicide) (?:vest|belt)|(?:his|her) belt|انتحاري|(?:حزام|احزمه)\S* ناسف", re.IGNORECASE)
_DRONE = re.compile(r"\bdrones?\b|(?<!\S)(?:ال)?(?:مسيره|مسيرات|طائره|طائرات)(?!\S)", re.IGNORECASE)
_CLAIM = re.compile(r"claim|تبن|اعماق|amaq", re.IGNORECASE)


def _parties(r: Report, unit: Unit, inside: list[ActorMention]) -> list[ActorMention]:
    """Every party to a clash or an agreement named in the act: agents, targets and members alike
    ("between X and Y", "X clashed with Y", "X reached an agreement with Y's officers"), but not a
    force only backing it ("amid coalition air support"). When the act names one party after
    "between"/"with", the rest of its sentence names the other ("بين قوات النظام من جهة، وعناصر من …")."""
    parties = [a for a in inside if a.marker != FACILITY and not _backing(r, a)]
    if len(distinct(parties)) < 2 and re.search(r"\b(?:between|with)\b|(?<!\S)(?:بين|مع)(?!\S)", r.hay[unit.start:unit.end],
                                                re.IGNORECASE):
        sent = r.sentences[unit.sentence]
        parties += [a for a in r.actors.between(unit.end, min(sent.end, unit.end + 160))
                    if a.marker != FACILITY and not _backing(r, a)]
    return distinct(parties)


def _backing(r: Report, a: ActorMention) -> bool:
    """"backed by Russian airstrikes", "بدعم من ميليشيات حزب الله", "amid coalition air support"."""
    support = r.lex.context.get("support_marker")
    return support is not None and support.search(r.hay, max(0, a.start - 40), a.start) is not None


def _implied_agent(r: Report, unit: Unit) -> ActorMention | None:
    """A weapon or unit only one side fields ("barrel bombs", "الطيران المروحي", "MiG jets", "shabbiha")
    implies that side when the act names nobody."""
    implied = r.lex.context.get("implied_regime")
    m = implied.search(r.hay, unit.start, unit.end) if implied is not None else None
    if m is None:
        return None
    return ActorMention(m.start(), m.end(), "syrian-government", r.text[m.start():m.end()], AGENT, 1)


def _unnamed(r: Report, unit: Unit) -> tuple[list[ActorMention], str]:
    """Nobody named: a bomb, grenade or suicide attack, or bodies found killed, still had an author.
    A group the report says claimed such attacks is it; a suicide attack in a report naming one
    jihadist group as acting is that group's; otherwise the author is unknown (ACLED's unidentified
    armed group). An old mine or a device made safe had none."""
    ctx = r.lex.context
    sent = r.sentences[unit.sentence]
    kind = unit.top.trigger.event_type
    device, inert, bodies = ctx.get("unclaimed_device"), ctx.get("inert_device"), ctx.get("found_bodies")
    if kind in ("mob-violence", "violent-demonstration"):
        return [_nameless(r, unit, "other")], "other/crowd"  # a crowd or rioters of no named group (ACLED's rioters)
    if kind == "air-drone-strike" and WARPLANE.search(r.hay, unit.start, unit.end) \
            and not UAV.search(r.hay, unit.start, unit.end):
        owner = air_force(r)
        if owner is not None:
            return [owner], "report-air-force"
    if kind in ("air-drone-strike", "shelling-artillery-missile-attack") or _DRONE.search(r.hay, unit.start, unit.end):
        return [], ""  # a "suicide drone" or a shell is no planted bomb: its firer is not read from the weapon
    suicide = kind == "suicide-bomb" or _SUICIDE.search(r.hay, unit.start, unit.end) is not None
    is_device = suicide or kind == "grenade" or (device is not None and device.search(r.hay, unit.start, unit.end) is not None)
    if is_device and inert is not None and inert.search(r.hay, sent.start, sent.end):
        return [], ""
    if not is_device:
        if bodies is not None and bodies.search(r.hay, sent.start, sent.end):
            return [_nameless(r, unit, "unknown")], "unknown/found-bodies"
        return [], ""
    claimers = {a.actor: a for a in _claimers(r, r.paragraph_of[unit.sentence])}
    if len(claimers) == 1:
        return list(claimers.values()), "report-claim"
    if suicide:
        groups = distinct([a for a in r.actors if a.actor in _JIHADIST and a.marker not in (TARGET, MEMBER, FACILITY)])
        if len(groups) == 1:
            return groups, "report-group/suicide-bomb"
    return [_nameless(r, unit, "unknown")], "unknown/unclaimed-device"


def _claimers(r: Report, paragraph: int) -> list[ActorMention]:
    """The parties a claim of responsibility in the act's paragraph names ("claimed by ISIS's Amaq agency")."""
    attribution = r.lex.context.get("attribution")
    sents = [s for si, s in enumerate(r.sentences) if r.paragraph_of[si] == paragraph]
    if attribution is None or not sents:
        return []
    out = []
    for m in attribution.finditer(r.hay, sents[0].start, sents[-1].end):
        if not _CLAIM.search(m.group()) or _NEGATED.search(r.hay, max(0, m.start() - 16), m.start()):
            continue
        sent = next((x for x in sents if x.start <= m.start() < x.end), None)
        lo, hi = (sent.start, sent.end) if sent is not None else (0, len(r.hay))
        accused = [x for x in ACCUSE.finditer(r.hay, lo, hi)]
        # the claim's own sentence only, and not who accuses another ("وتتهم الإدارة الذاتية خلايا داعش … بعدما
        # تبنى التنظيم"): an accuser near a claim claimed nothing
        out += [a for a in r.actors.between(max(lo, m.start() - 60), min(hi, m.end() + 60))
                if a.marker not in (TARGET, FACILITY) and a.actor not in ("unknown", "other")
                and not any(accuser(r, x, a) for x in accused)]
    return distinct(out)


def _nameless(r: Report, unit: Unit, actor: str) -> ActorMention:
    top = unit.top
    return ActorMention(top.start, top.end, actor, r.text[top.start:top.end], AGENT, 0)


# testimony may put a kin object first: "اعتقلوا أخي عناصر من المخابرات"
# and the members' affiliation word ("هاجمت خلايا تابعة لتنظيم X حاجزاً")
_VSO_SLOT = re.compile(r"\s*(?:(?:ابن|بنت|اخو|زوج)\S*\s+\S+\s+|\S+ي\s+)?\S+\s+(?:من\s+|(?:ال)?(?:تابع|تابعه|تابعين|التابعين|تابعون)\s+)?")


_CELLS = re.compile(r"(?:خلايا|خليه|مجموعه|مجموعات)\s+(?:ال)?(?:تابع|تابعه|تابعين|التابعين|تابعون)\s")


def _verb_subject(r: Report, hits: list[Any], a: ActorMention) -> bool:
    """Arabic verb-first clause: "اعتقلت عناصر من فرقة X ثلاثة مدنيين" — the
    members right after an act verb are its subject. After a result word
    ("قتل عناصر من X": X's members were killed) they stay the victims."""
    if r.language != "ar" or a.marker not in (MEMBER, TARGET) or not hits:
        return False
    before = [h for h in hits if h.start < a.start]
    if not before:
        return False
    verb = max(before, key=lambda h: h.start)
    words = r.hay[verb.start:verb.end].split()
    verb_end = verb.start + len(words[0]) if words else verb.end  # a phrase trigger may run past its subject
    if not verb.trigger.weak and verb_end <= a.start and (slot := _VSO_SLOT.fullmatch(r.hay, verb_end, a.start)) is not None:
        # a target word ("خلايا تابعة لـ") is the subject only as the verb's first word: "هاجمت خلايا تابعة لداعش"
        return a.marker == MEMBER or _CELLS.match(r.hay, slot.start() + len(slot.group()) - len(slot.group().lstrip())) is not None
    return False


def _recent_actor(r: Report, unit: Unit, *, groups_first: bool = False) -> ActorMention | None:
    """"the organization executed …": the group named last before the act; members of a group count when
    they were the subject of their sentence, named before any act in it ("Daesh men at the checkpoint
    stopped us … They took him", "إجا عناصر من فرقة السلطان مراد … سرقوا الزيتون")."""
    recent = [a for a in r.actors.between(max(0, unit.start - 1500), unit.start)
              if (a.marker not in (TARGET, MEMBER) or (a.marker == MEMBER and _subject_member(r, a)))
              and a.actor not in ("unknown", "other")]
    if groups_first:
        groups = [a for a in recent if a.actor in _NON_STATE]
        recent = groups or recent
    return recent[-1] if recent else None


def _subject_member(r: Report, a: ActorMention) -> bool:
    """Members named before every act word of their sentence: its subject, not its victims."""
    sent = next((s for s in r.sentences if s.start <= a.start < s.end), None)
    return sent is not None and not r.hits.between(sent.start, a.start)


# a nameless generic followed by a group noun standing for a group already named: "مسلحون من التنظيم",
# "gunmen of the organization", "militants belonging to the group"
_OF_THE_GROUP = re.compile(r"\s+(?:(?:من|التابعين\s+ل|التابعون\s+ل|تابعون\s+ل|تابعين\s+ل)\s*)(?:ال|لل)?(?:تنظيم|هيئه)(?![\u0621-\u064a])"
                          r"|\s+(?:of|from|belonging to|affiliated (?:to|with))\s+the\s+(?:group|organi[sz]ation)\b", re.IGNORECASE)


_THE_GENERIC = re.compile(r"(?:militants|gunmen|attackers|assailants|jihadists)", re.IGNORECASE)
_THE_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)


def _the_generic(r: Report, unit: Unit, a: ActorMention) -> ActorMention:
    """"ISIS militants raided X … the militants took 30 women": a generic word made definite points back to the
    armed group named before it (an indefinite "gunmen" stays unidentified)."""
    if a.actor != "unknown" or r.language != "en" or not _THE_GENERIC.fullmatch(a.text) \
            or not _THE_BEFORE.search(r.hay, max(0, a.start - 6), a.start):
        return a
    group = _recent_actor(r, unit, groups_first=True)
    if group is None or group.actor not in _NON_STATE:
        return a
    return replace(group, start=a.start, end=a.end, text=a.text)


def _group_of(r: Report, a: ActorMention) -> ActorMention:
    """"اختطف مسلحون من التنظيم", "gunmen of the organization": the generic agent is the group named before."""
    m = _OF_THE_GROUP.match(r.hay, a.end) if a.actor == "unknown" else None
    if m is None:
        return a
    group = _antecedent_group(r, a.start, m.group().split()[-1])
    return replace(group, start=a.start, end=a.end, text=a.text) if group is not None else a


def _antecedent_group(r: Report, before: int, noun: str = "") -> ActorMention | None:
    """"the organization", "التنظيم", "الهيئة": the armed group named last by a name holding that noun
    ("تنظيم داعش … التنظيم", "هيئة تحرير الشام … الهيئة"), in whatever role it was named ("after ten months
    of control by the Islamic State organization … the organization shelled …")."""
    named = [a for a in r.actors.between(max(0, before - 3000), before)
             if a.actor in _NON_STATE and a.marker != FACILITY]
    core = noun.removeprefix("ال").removeprefix("لل").lower()
    same = [a for a in named if core in r.hay[a.start:a.end].lower()] if core else []
    return replace(same[-1], marker=AGENT, strength=1) if same else None


def _adjacent_unknown(r: Report, chosen: list[ActorMention]) -> bool:
    unknown = [a for a in chosen if a.actor == "unknown"]
    named = [a for a in chosen if a.actor != "unknown"]
    return any(0 <= n.start - u.end <= 25 or 0 <= u.start - n.end <= 3 for u in unknown for n in named)


def distinct(mentions: list[ActorMention]) -> list[ActorMention]:
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.actor not in seen:
            seen.add(m.actor)
            out.append(m)
    return out


def apply_attributions(r: Report, items: list[tuple[Unit, Incident]]) -> None:
    """"ISIS claimed the attack", "an investigation attributed it to …": the act just reported."""
    attribution = r.lex.context.get("attribution")
    if attribution is None or not items:
        return
    own_sentences = {u.sentence for u, _ in items}
    for si, sent in enumerate(r.sentences):
        found = list(attribution.finditer(r.hay, sent.start, sent.end))
        unclaimed = NO_CLAIM.search(r.hay, sent.start, sent.end) is not None
        # "no group claimed it, while X accused Y": one side's accusation where nobody claimed the act names
        # no author (local sources accusing a group still attribute it)
        m = next((m for m in found
                  if not _NEGATED.search(r.hay, max(sent.start, m.start() - 16), m.start())
                  and not ANY_ACT.match(r.hay, m.end())
                  and not (unclaimed and ACCUSE.search(m.group()) and partisan(r, m))), None)
        if m is None:
            continue
        if si in own_sentences:
            # "تبنى تنظيم X هجوماً …", "X claimed an attack that …": the claimer named before the act claimed it
            for u, i in items:
                if u.sentence == si and m.start() < u.top.start and re.search(r"claim|تبن", r.hay[m.start():m.end()], re.IGNORECASE):
                    claimers = {a.actor for a in r.actors.between(m.start(), u.top.start)}
                    if i.perpetrators and all(p.actor in claimers for p in i.perpetrators):
                        for p in i.perpetrators:
                            p.degree = InvolvementDegree.CLAIMED
        if si in own_sentences:
            # "…, killing five, according to the group's Amaq agency": the sentence's own act, when it has no agent
            prior = [(u, i) for u, i in items if u.sentence == si and u.top.start < m.start() and (
                not i.perpetrators or not any(a.marker not in (TARGET, MEMBER) for a in r.actors.between(sent.start, m.start())))]
        else:
            prior = [(u, i) for u, i in items if u.sentence < si and si - u.sentence <= 2
                     and r.paragraph_of[u.sentence] == r.paragraph_of[si]]
        if not prior:
            continue
        lo = sent.start if si not in own_sentences else max(sent.start, m.start() - 60)
        inside = r.actors.between(lo, sent.end)
        if ACCUSE.search(m.group()):
            inside = [a for a in inside if not accuser(r, m, a)]
        named = distinct([a for a in inside if a.marker not in (TARGET, MEMBER)]
                          or [a for a in inside if m.start() <= a.start <= m.end() + 40])
        if not named:
            continue
        unit, incident = prior[-1]
        degree = InvolvementDegree.CLAIMED if re.search(r"claim|تبن|amaq|اعماق", r.hay[m.start():m.end()], re.IGNORECASE) \
            else InvolvementDegree.ATTRIBUTED
        incident.involvements = [i for i in incident.involvements if i.role.value != "perpetrator"]
        for a in named:
            incident.involvements.append(Involvement(actor=a.actor, degree=degree, text=a.text))
            incident.claims.append(Claim(ClaimField.PERPETRATOR, a.actor, Span.of(r.text, sent.start, sent.end),
                                         f"rule:actor/{degree.value}", confidence=0.7))
        if si not in own_sentences and Span.of(r.text, sent.start, sent.end) not in incident.evidence \
                and sent.end - sent.start <= MAX_EVIDENCE:
            incident.evidence.append(Span.of(r.text, sent.start, sent.end))


def places_for(r: Report, unit: Unit) -> tuple[list[Any], str]:
    own = place_mentions(r, unit.start, unit.end)
    origin = r.lex.context.get("origin_marker")
    if origin is not None and len(own) > 1:
        acted_on = [p for p in own if not origin.search(r.hay[max(unit.start, p.start - 60):p.start])]
        own = acted_on or own  # where the shells came from is not where they fell
    if len(own) > 1:
        # "Daraa: bodies were found near al-Sanamayn", "WESTERN ALEPPO - shelling hit al-Atarib": the
        # label or dateline in front names the area; the place in the sentence is where it happened
        named = [p for p in own if not _label(r, p)]
        own = named or own
    if own:
        return _placed(r, unit, own), "unit"
    if _CITY_ANAPHOR.search(r.hay, unit.start, unit.end) and r.main_place is not None:
        return [r.main_place], "report-main-place"
    sent = r.sentences[unit.sentence]
    others = [s for s in r.unit_spans.get(unit.sentence, []) if s != (unit.start, unit.end)]
    in_sentence = [p for p in place_mentions(r, sent.start, sent.end)
                   if not any(s <= p.start < e for s, e in others)]  # another act's place is not this one's
    if in_sentence:
        return _placed(r, unit, in_sentence), "sentence"
    return _context_places_placed(r, unit)


_LABEL_AFTER = re.compile(r"\s*(?::|[-–—]\s)")
_LABEL_BEFORE = re.compile(r"[\s\W\d_]*(?:(?:northern|southern|eastern|western|north|south|east|west|central|rural|"
                           r"countryside of|ريف|شمال|جنوب|شرق|غرب|وسط|مدينة|محافظة)\s+)*", re.IGNORECASE)


def _label(r: Report, place: Any) -> bool:
    """A place written as the label or dateline of its line: at the line's start, followed by ":" or " - "."""
    line_start = max(r.text.rfind("\n", 0, place.start) + 1,
                     next((s.start for s in r.sentences if s.start <= place.start < s.end), 0))
    return (_LABEL_BEFORE.fullmatch(r.text, line_start, place.start) is not None
            and _LABEL_AFTER.match(r.text, place.end) is not None)


def _context_places(r: Report, unit: Unit) -> tuple[list[Any], str]:
    """Where the act is when its own sentence names no place: an earlier sentence of its paragraph, the
    heading above it, or the place the report is mostly about."""
    para = r.paragraph_of[unit.sentence]
    for si in range(unit.sentence - 1, max(-1, unit.sentence - 4), -1):
        if r.paragraph_of[si] != para:
            break
        s = r.sentences[si]
        earlier = place_mentions(r, s.start, s.end)
        if earlier:
            return earlier, "earlier-sentence"
    # A post or article headed by its place ("🔴 عفرين الآن", "Afrin: market bombing") and told below
    # without it: the nearest heading above the act, if it names a place.
    for heading in reversed([h for h in r.headings if h.end <= unit.start]):
        named = [p for p in place_mentions(r, heading.start, heading.end) if getattr(p, "role", "place") == "place"]
        if named:
            return named, "heading"
    if r.main_place is not None:
        return [r.main_place], "report-main-place"
    setting = story_setting(r, unit)
    if setting is not None:
        return [setting], "story-setting"
    return [], ""


def _context_places_placed(r: Report, unit: Unit) -> tuple[list[Any], str]:
    found, how = _context_places(r, unit)
    return _placed(r, unit, found), how


def _placed(r: Report, unit: Unit, found: list[Any]) -> list[Any]:
    """A place the gazetteer lacks and its sentence does not locate ("near the Seven Seas roundabout")
    is placed in the known place the report gives around it (heading, earlier sentence, main place)."""
    if not found or any(getattr(p, "rule", "") != "unlisted-no-parent" for p in found):
        return found
    parent = _report_parent(r, unit)
    return [adopted(p, parent) for p in found] if parent is not None else found


def _report_parent(r: Report, unit: Unit) -> Any | None:
    """The known place an unlocated village or neighbourhood is most likely in: a gazetteer place of an
    earlier sentence of its paragraph, of the heading above it or the report's main place; failing those
    the nearest one the report names before it (its dateline, an earlier paragraph), then the first after.
    A village of the report's area placed at that area scores within reach; a bare "somewhere in the
    country" does not, and its Arabic name is no name in the contract's Latin script."""
    context, _ = _context_places(r, unit)
    known = [p for p in context if getattr(p, "place", None) is not None]
    if known:
        return known[0]
    syrian = [p for p in r.places.between(0, len(r.text))
              if getattr(p, "place", None) is not None and getattr(p, "role", "place") != "origin"
              and (p.location.country or "SY") == "SY" and p.location.precision != LocationPrecision.COUNTRY]
    # "#Abu_Kamal #Deir_ez-Zor", "Saraqib, Idlib": a container only says where the place before it is
    before = [p for p in syrian if p.end <= unit.start and not getattr(p, "rule", "").startswith("container:")]
    if before:
        return before[-1]
    return next((p for p in syrian if p.start >= unit.start), None)


def main_place(places: list[Any]) -> Any | None:
    fine = [p for p in places if getattr(p, "role", "place") in ("place", "parent")
            and p.location.precision in _FINE and (p.location.country or "SY") == "SY"]
    if not fine:
        return None
    counts = Counter(p.location.name for p in fine)
    top, n = counts.most_common(1)[0]
    return next(p for p in fine if p.location.name == top) if n >= 2 else None


def split_places(r: Report, places: list[Any]) -> list[Any]:
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
    # "the road between Qamishli and Amuda" is one place, not two acts
    multi = [g for g in groups if len(g) > 1 and not _BETWEEN.search(r.hay, max(0, g[0].start - 40), g[0].start)]
    return multi[0] if multi else []


def location_of(mention: Any) -> Location:
    loc = mention.location
    # A place missing from the gazetteer keeps its written name rather than none.
    return Location(name=loc.name or mention.text, text=mention.text, name_ar=loc.name_ar, country=loc.country or "SY",
                    admin1=loc.admin1, admin2=loc.admin2, admin3=loc.admin3, lat=loc.lat, lon=loc.lon,
                    precision=loc.precision, place_id=loc.place_id)
