"""Who acted: actor mentions and their role towards an act.

An actor named in a report is not always the perpetrator: "Israeli missiles
struck positions of Iranian militias" names a perpetrator (Israel) and a
target (Iran-backed militias); "four members of ISIS were assassinated" names
the victims' side. The role of each mention is read from the words around it
(``context.toml``): agent markers ("by", "على يد"), target markers
("positions of", "members of", "ضد"), demonyms beside a weapon ("Turkish
artillery", "طائرة حربية روسية"), and, in English, the mention's place
before (subject) or after (object) the trigger. The grammar of agent and
patient adds: the subject of a passive verb suffered the act ("two members
of the SDF were killed"); a demonym on counted people is the victims' side
("executed 25 Syrian soldiers"); the owner of the thing hit is a target
("Iranian militia positions", "a car belonging to X", "مواقع لحزب الله");
a name in parentheses or after a generic word shares the role of the name
before it ("(قسد)", "فصيل أحرار الشرقية"); "شنه X" names the agent; and a
detention place names the actor that runs it ("Saydnaya prison").
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..domain.arabic import fold_letters, strip_vowel_marks
from .lexicon import Lexicon, actor_form

AGENT, TARGET, NEUTRAL, MEMBER = "agent", "target", "neutral", "member"
# a checkpoint or branch a force mans ("at the Fourth Division checkpoint", "عالحاجز تبع الفرقة الرابعة"):
# who stopped, took or shot someone there, unless the post itself was hit
POST = "post"
_POST_WORDS = r"checkpoints?|roadblocks?|barriers?|branch(?:es)?"
# the post is where the act happened or who did it (after a preposition, opening the clause, or its
# men), not the object of the act's verb ("pelted an SDF checkpoint", "هاجموا حاجزاً لقوات النظام")
_POST_LEAD = (r"(?:(?:^|[.!?,;:]\s*|\n\s*|\b(?:at|from|on|near|through|via|outside|by|in|to)\s+)"
              r"(?:(?:the|an?|one|two|several|their|its)\s+)?(?:[\w-]+\s+)?)")
_POST_BEFORE = re.compile(rf"{_POST_LEAD}(?:{_POST_WORDS})\s+(?:(?:of|belonging to|affiliated (?:to|with)|run by|manned by|operated by)\s+)"
                          r"(?:the\s+|an?\s+)?$"
                          r"|(?:(?<!\S)(?:ع|ب|ل)|(?<!\S)(?:علي|عند|في|من|عناصر|عنصر|امام|قرب|عبر)\s+|^|[.،,:]\s*)"
                          r"(?:ال)?(?:حاجز|حواجز|فرع|مفرزه)(?:\s+(?!التابع|تابع|تبع)\S+){0,2}\s+"
                          r"(?:(?:ال)?(?:تابع|تابعه)\s+|تبع\s+)?(?:ل|لل)?$", re.IGNORECASE)
_POST_KEYS = ("checkpoint", "roadblock", "barrier", "branch", "Checkpoint", "Branch", "حاجز", "حواجز", "فرع", "مفرزه")
_POST_AFTER = re.compile(rf"\s+(?:{_POST_WORDS})\b", re.IGNORECASE)
_POST_OWNER_LEAD = re.compile(rf"{_POST_LEAD}$", re.IGNORECASE)
_PERSON_AFTER = re.compile(r"\s+(?:soldiers?|troops|officers?|fighters?|militiamen|militants?|personnel|servicem[ae]n|"
                           r"guards?|members?|conscripts?|recruits?|pilots?|commanders?)\b", re.IGNORECASE)
_THINGS = (r"positions?|posts?|bases?|headquarters|depots?|warehouses?|convoys?|vehicles?|gatherings?|sites?|"
           r"checkpoints?|barracks|outposts?|facilit(?:y|ies)|targets?|camps?|cars?|trucks?|airbases?|airports?|"
           r"munitions? depots?|weapons? (?:depots?|shipments?|stores?)|ammunition|shipments?|infrastructure|"
           r"training (?:camps?|centres?|centers?)|offices?")
# an actor named as the owner of the thing hit
_THING_AFTER = re.compile(rf"\s+(?:[\w-]+\s+)?(?:{_THINGS})\b", re.IGNORECASE)
# the object slot of an attack verb ("struck Iranian militia positions"); a subject
# ("A regime checkpoint opened fire", "Turkish positions shelled X") acted
_OBJECT_SLOT = re.compile(r"\b(?:struck|strikes?|hit|hits|targeted|targeting|targets|bombed|bombing|shelled|shelling|"
                          r"attacked|attacking|raided|destroyed|destroying|on|at|against|near)\s+"
                          r"(?:an?\s+|the\s+|several\s+|two\s+|three\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# "A checkpoint of the Fourth Division opened fire": a post or patrol opening a sentence is its subject
_SUBJECT_THING = re.compile(r"(?:^|[.!?]\s+|\n\s*)(?:(?:an?|the|one|two|three|several)\s+)?(?:[\w-]+\s+)?"
                            r"(?:checkpoints?|posts?|positions?|patrols?|convoys?|bases?|units?)\s+"
                            r"(?:of|belonging to|affiliated (?:to|with))\s+(?:the\s+|an?\s+)?$", re.IGNORECASE)
_OWNED_THING = re.compile(rf"\b(?:{_THINGS}|houses?|homes?|shops?|buildings?|motorcycles?|minibus|bus)\s*,?\s*$"
                          r"|(?:سياره|سيارات|اليه|اليات|منزل|منازل|مقر|مقرات|محل|دراجه ناريه|شاحنه|صهريج)\s+(?:\S+\s+)?$",
                          re.IGNORECASE)
# words every origin marker holds: a substring test spares the regex for most mentions
_ORIGIN_KEYS = re.compile(r"stationed|positioned|deployed|based|entrenched|launched|fired|coming|positions"
                          r"|متمركز|منتشر|مواقع|نقاط|انطلاقا", re.IGNORECASE)
# a force going along with the act's subject ("accompanied by Russian military police", "برفقة دورية روسية")
_ESCORT = re.compile(r"\b(?:accompanied|escorted|joined|flanked)\s+by\s+(?:the\s+|an?\s+)?$"
                     r"|(?<!\S)(?:برفقه|بمرافقه|ترافقها|يرافقها|ترافقه|يرافقه)\s+(?:\S+\s+)?(?:من\s+)?(?:ل|لل)?$", re.IGNORECASE)
_AR_SUFFERED = re.compile(r"(?<!\S)(?:تعرض|تعرضت|تعرضوا)\s+(?:\S+\s+){0,2}?(?:ل|لل)?$")
_COORDINATED = re.compile(r"\s*(?:,|and|or|&)\s+(?P<words>(?:[\w-]+\s+){1,2})", re.IGNORECASE)
# the counted people follow a verb or a subset word: they are its object, not the subject
_AFTER_VERB = re.compile(r"\b(?:\w+ed|\w+ing|shot|hit|struck|slew|of|including|among them|among whom)\s+(?:[\w,-]+\s+){0,5}$",
                         re.IGNORECASE)
# "warning Syrian soldiers", "wounded Turkish troops": people named right after a verb are its object
# (not "armed"/"trained" Syrian men, nor the second half of "Turkish-backed")
_VERB_RIGHT_BEFORE = re.compile(r"(?<![\w-])(?!(?:armed|trained|backed|supported|allied|based|affiliated|led|"
                                r"equipped|uniformed|masked|including)\b)\w+(?:ing|ed)\s+$", re.IGNORECASE)
_LINK_WORD = re.compile(r"\b(?:by|from|of|to|with|in|against|targeting|targeted|on|at|joined|join|into|toward|towards|"
                        r"fled|leave|left|under)\s+(?:(?:the|an|a|its)\s+)?$", re.IGNORECASE)
FACILITY = "facility"
# words every facility marker holds: a substring test spares the regex for most mentions
_FACILITY_KEYS = ("prison", "jail", "detention", "branch", "custody", "dungeon", "cells", "interrogation",
                  "سجن", "سجون", "معتقل", "فرع", "افرع", "فروع", "زنزان", "زنازين", "اقبيه", "احتجاز", "اعتقال")  # a detention place the actor runs: who held the detainee
# "executed 25 Syrian soldiers": a demonym on counted people names the victims' side
_COUNTED = re.compile(r"(?:\b\d[\d,]*|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|some|many|"
                      r"dozens of|scores of|hundreds of|\w+teen|\w+ty))\s+$", re.IGNORECASE)
# "an air strike, believed to be Russian": a demonym standing for the attacker
# (Arabic: read without vowel marks; a source may stand between, "يُرجّح ناشطون أنها روسية")
_BELIEVED = re.compile(r"(?:believed|thought|suspected|said|likely|reportedly|probably) (?:(?:by \w+ )?to be |to have been )?(?:a |an )?$"
                       r"|(?<!\S)(?:يرجح|يعتقد|رجح|يشتبه|يغلب الظن)\s+(?:(?!ان)\S+\s+)?(?:ب?(?:انها|انه|انهما)\s+)?$", re.IGNORECASE)
_OWNER_LINK = re.compile(r"\s+(?:of|belonging to|operated by)\s+(?:the\s+|an?\s+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    actor: str
    text: str  # as written
    marker: str  # AGENT, TARGET or NEUTRAL from the words around it
    strength: int  # 3: "by X"; 2: demonym beside a weapon; 1: named; 0: target


def find_actors(text: str, hay: str, lex: Lexicon) -> list[ActorMention]:
    """Every actor named in the report, with the role the nearby words give it."""
    ctx = lex.context
    weapon = ctx.get("weapon_noun")
    agent_marker = ctx.get("agent_marker")
    target_marker = ctx.get("target_marker")
    member_marker = ctx.get("member_marker")
    affiliation = ctx.get("affiliation_marker")
    clitic_agent = ctx.get("clitic_agent")
    facility_marker = ctx.get("facility_marker")
    passive_after = ctx.get("passive_after")
    origin_marker = ctx.get("origin_marker")
    out: list[ActorMention] = []
    for m in lex.actors.finditer(hay):
        form = actor_form(lex, m.group())
        if form is None:
            continue
        s, e = m.start(), m.end()
        if form.actor == "unknown" and _COUNTED_LABEL.search(hay, max(0, s - 24), s):
            continue  # "killed three militants", "قتل ثلاثة مسلحين": counted, they suffered the act
        if form.actor in ("unknown", "other") and _NO_ACTOR_BEFORE.search(hay, max(0, s - 24), s):
            continue  # "إلى جهة مجهولة" (an unknown destination), "من جهة أخرى" (on the other hand)
        if form.actor == "unknown" and out and out[-1].actor not in ("unknown", "other") and out[-1].end <= s \
                and not hay[out[-1].end:s].strip():
            continue  # "HTS gunmen", "ISIS militants": the generic word is the named group's
        strength = 1
        if form.adjectival:
            if out and out[-1].end < s and not hay[out[-1].end:s].strip():
                continue  # "فصائل الجيش الوطني السوري": a nationality word right after a name is part of it
            if not (_beside_weapon(hay, s, e, weapon, lex.language) or _believed(hay, s, lex.language)):
                continue
            strength = 2
        line_start = max(hay.rfind("\n", 0, s) + 1, s - 60)
        before = hay[line_start:s]
        # Arabic matches may include a clitic (ل, و): look before the alias.
        marker = NEUTRAL
        agent_at = None
        lead = before + _clitic(hay, s, e, form.text, lex)
        if lex.language == "ar":
            lead = strip_vowel_marks(lead)  # "مقراً لـ": the markers are written without vowels
        # every English marker ends in a linking word ("by", "of", "to" …): without one, none can match
        linked = lex.language != "en" or _LINK_WORD.search(lead, max(0, len(lead) - 24)) is not None
        if form.facility:
            marker, strength = FACILITY, 2
        elif linked and agent_marker is not None and (agent_at := agent_marker.search(lead)) is not None:
            # "accompanied by X", "برفقة X": X went along with the subject; both acted, neither outranks the other
            marker, strength = AGENT, (1 if _ESCORT.search(lead) else 3)
        elif _ESCORT.search(lead):
            marker, strength = AGENT, 1
        elif linked and facility_marker is not None and any(k in lead for k in _FACILITY_KEYS) and facility_marker.search(lead):
            marker, strength = FACILITY, 2
        elif form.adjectival and lex.language == "en" and _PERSON_AFTER.match(hay, e) \
                and (_COUNTED.search(before) and _AFTER_VERB.search(before) or _VERB_RIGHT_BEFORE.search(before)):
            marker, strength = TARGET, 0
        elif linked and member_marker is not None and member_marker.search(lead):
            marker = MEMBER
        elif linked and affiliation is not None and (am := affiliation.search(lead)) is not None:
            owner = hay[max(0, line_start + am.start() - 40):line_start + am.start()]
            if out and 0 <= line_start + am.start() - out[-1].end <= 12 and len(hay[out[-1].end:line_start + am.start()].split()) <= 1 \
                    and not _PUNCT_GAP.search(hay, out[-1].end, line_start + am.start()):
                marker, strength = TARGET, 0  # "فصائل X الموالية لتركيا": who X is loyal to did not act
            elif _OWNED_THING.search(owner):
                # "a car belonging to an SNA commander", "a military vehicle belonging to X passed": what was
                # hit is X's (checked before the weapon words: "military" in "military vehicle" is no weapon)
                marker, strength = TARGET, 0
            # the weapon may stand a few words back: "طائرة حربية من طراز سوخوي 22 تابعة لـ X"
            elif weapon is not None and any(weapon.fullmatch(w) or weapon.match(w) for w in owner.split()[-6:]):
                marker, strength = AGENT, 2
            else:
                marker = MEMBER
        if linked and marker == NEUTRAL and weapon is not None and _weapon_of(lead, weapon):
            marker, strength = AGENT, 2  # "warplanes of the US-led coalition"
        if linked and target_marker is not None and marker in (NEUTRAL, AGENT) and strength != 2 \
                and (tm := target_marker.search(lead)) is not None:
            # "controlled by X" is no agent; Arabic "من قبل X" / "على يد X" always is, and so is
            # "by a sniper belonging to X" (the agent phrase holds the target word)
            if not (lex.language == "ar" and marker == AGENT) and not (agent_at is not None and agent_at.start() < tm.start()) \
                    and not (lex.language == "en" and _SUBJECT_THING.search(hay, max(0, s - 90), s)):
                marker, strength = TARGET, 0
        if marker in (NEUTRAL, TARGET, MEMBER) and strength < 2 and origin_marker is not None \
                and _ORIGIN_KEYS.search(lead) and origin_marker.search(lead):
            # "artillery stationed in the regime-held area", "أطلقت من مواقع اللواء 155 التابع لجيش النظام":
            # the side the fire came from fired it
            marker, strength = AGENT, 2
        if marker == NEUTRAL and clitic_agent is not None and clitic_agent.search(lead):
            marker, strength = AGENT, 3  # Arabic "لقوات النظام": of/by the regime forces
        if lex.language == "ar" and strength < 3 and _AR_SUFFERED.search(lead):
            marker, strength = TARGET, 0  # "تعرضت دورية للشرطة الروسية لهجوم": the patrol suffered it
        elif marker in (NEUTRAL, MEMBER) and passive_after is not None and passive_after.match(hay, e):
            marker, strength = TARGET, 0  # "two members of the SDF were killed": the act was done to them
        elif marker != TARGET and strength < 3 and lex.language == "en" and _THING_AFTER.match(hay, e) \
                and _OBJECT_SLOT.search(before):
            marker, strength = TARGET, 0  # "Iranian militia positions", "a Hezbollah depot": X's things were hit
        if marker in (TARGET, MEMBER, NEUTRAL) and strength < 3 \
                and not (lex.language == "en" and _SUBJECT_THING.search(hay, max(0, s - 90), s)) and (
                (any(k in lead for k in _POST_KEYS) and _POST_BEFORE.search(lead))
                or (lex.language == "en" and _POST_AFTER.match(hay, e)
                                              and _POST_OWNER_LEAD.search(hay, max(0, s - 40), s))):
            marker, strength = POST, 1
        out.append(ActorMention(s, e, form.actor, text[s:e], marker, strength))
    out = _quoted_groups(out, text, hay, member_marker)
    out = _nameless_agents(out, text, hay)
    return _appositions(out, hay, ctx.get("apposition"))


_COUNTED_LABEL = re.compile(r"(?:\b\d+|\b(?:two|three|four|five|six|seven|eight|nine|ten|dozens of|several|the bodies of)"
                            r"|(?<!\S)(?:\d+|ثلاثه|اربعه|خمسه|سته|سبعه|ثمانيه|تسعه|عشره|عشرات|جثث|جثه))\s+$", re.IGNORECASE)
# words before a match that make "جهة مجهولة" / "جهة أخرى" a place or a phrase, not a party
_NO_ACTOR_BEFORE = re.compile(r"(?<!\S)(?:الي|نحو|في|من|مصير\S*|مكان)\s+$")
_IRANIAN = re.compile(r"ايران|الايراني|Iran", re.IGNORECASE)
_PUNCT_GAP = re.compile(r"[,.;:،؛()]")
_QUOTED_GROUP = re.compile(r"(?<![\w\u0621-\u064a])(?:(?:ال)?(?:ميليشيا|ميليشيات|مليشيا|مليشيات|فصيل|لواء|فرقه|كتيبه|كتائب|جماعه|حركه)"
                           r"|militia|faction|brigade|division|battalion|group)\s*[\"«“]([^\"»”\n]{2,40})[\"»”]",
                           re.IGNORECASE)


_NAMELESS_AGENT = re.compile(r"(?:(?<!\S)(?:علي يد|علي ايدي|برصاص|بنيران|من قبل)\s+((?:ال)?(?:مسلحين|مسلح|اشخاص مسلحين|عناصر مسلحه))"
                             r"|\bby\s+((?:armed|masked)\s+(?:militants|assailants|attackers|persons|individuals)))(?![\w\u0621-\u064a])",
                             re.IGNORECASE)


def _nameless_agents(mentions: list[ActorMention], text: str, hay: str) -> list[ActorMention]:
    """"على يد مسلحين", "by armed assailants": a nameless armed agent is unidentified."""
    added = []
    for m in _NAMELESS_AGENT.finditer(hay):
        g = 1 if m.group(1) else 2
        s, e = m.start(g), m.end(g)
        if not any(a.start < e and s < a.end for a in mentions):
            added.append(ActorMention(s, e, "unknown", text[s:e], AGENT, 3))
    return sorted(mentions + added, key=lambda a: a.start) if added else mentions


def _quoted_groups(mentions: list[ActorMention], text: str, hay: str,
                   member_marker: re.Pattern[str] | None) -> list[ActorMention]:
    """'عناصر من ميليشيا "لواء X"', 'the "X Brigade" militia': a quoted name after a
    unit noun names an armed party; one not in the actor list is "other" (a noun
    that is itself an alias, "فصيل", already named its parent)."""
    if '"' not in hay and "«" not in hay and "“" not in hay:
        return mentions
    added = []
    for m in _QUOTED_GROUP.finditer(hay):
        if any(a.start < m.end() and m.start() < a.end for a in mentions):
            continue
        lead = hay[max(0, m.start() - 60):m.start()]
        marker = MEMBER if member_marker is not None and member_marker.search(lead) else NEUTRAL
        actor = "other"
        if re.match(r"(?:ال)?(?:ميليشي|مليشي)|militia", m.group(), re.IGNORECASE) and (
                _IRANIAN.search(hay, max(0, m.start() - 80), min(len(hay), m.end() + 80))
                or any(a.actor == "iran-backed" and abs(a.start - m.start()) <= 200 for a in mentions)):
            actor = "iran-backed"  # 'ميليشيا "X" الإيرانية': the noun and its context name the parent
        added.append(ActorMention(m.start(), m.end(), actor, text[m.start():m.end()], marker, 1))
    return sorted(mentions + added, key=lambda a: a.start) if added else mentions



def _appositions(mentions: list[ActorMention], hay: str, apposition: re.Pattern[str] | None) -> list[ActorMention]:
    """"the Syrian Democratic Forces (SDF)", "فصيل أحرار الشرقية": a name right
    after another names the same party, so it takes that party's role."""
    if apposition is None:
        return mentions
    out: list[ActorMention] = []
    for m in mentions:
        prev = out[-1] if out else None
        # a bare space only joins a one-word generic name to the name that follows ("فصيل X")
        bare = prev is not None and not hay[prev.end:m.start].strip() and " " in prev.text.strip()
        if prev is not None and m.marker == NEUTRAL and prev.marker != NEUTRAL and prev.end <= m.start \
                and (not bare and apposition.fullmatch(hay, prev.end, m.start) or _coordinated(hay, prev, m)):
            m = ActorMention(m.start, m.end, m.actor, m.text, prev.marker, prev.strength)
        out.append(m)
    return out


_AND_EN = re.compile(r"\s*(?:,\s*)?(?:and|&)\s+(?:the\s+)?", re.IGNORECASE)


def _coordinated(hay: str, prev: ActorMention, m: ActorMention) -> bool:
    """"aircraft of the regime and Russia", "تابعة للنظام السوري وروسيا": a party joined to the
    one before it by "and" shares its role (both flew the aircraft)."""
    if prev.marker not in (AGENT, TARGET) or m.start - prev.end > 12:
        return False
    if hay[m.start] == "و" and not hay.startswith(("وحد", "وكال"), m.start) and not hay[prev.end:m.start].strip():
        return True
    return _AND_EN.fullmatch(hay, prev.end, m.start) is not None


def _clitic(hay: str, s: int, e: int, alias: str, lex: Lexicon) -> str:
    """The proclitic letters an Arabic match carries in front of the alias itself."""
    if lex.language != "ar":
        return ""
    word = hay[s:e]
    core = fold_letters(alias)
    at = word.find(core[: max(2, len(core) // 2)])
    if at < 0 and core.startswith("ال") and word.startswith("لل"):
        return "ل"  # "للجيش": ل + the article, written with one lam
    return word[:at] if at > 0 else ""


def _believed(hay: str, s: int, language: str) -> bool:
    """"an air strike, believed to be Russian", "طائرات يُعتقد أنها روسية": a demonym standing for the attacker."""
    lead = hay[max(0, s - 40):s]
    return _BELIEVED.search(strip_vowel_marks(lead) if language == "ar" else lead) is not None


def _weapon_of(lead: str, weapon: re.Pattern[str]) -> bool:
    m = _OWNER_LINK.search(lead)
    if m is None:
        return False
    words = lead[:m.start()].split()
    return bool(words) and bool(weapon.fullmatch(words[-1]) or weapon.match(words[-1]))


def _beside_weapon(hay: str, s: int, e: int, weapon: re.Pattern[str] | None, language: str) -> bool:
    if weapon is None:
        return False
    if language == "en":
        after = hay[e:e + 40]
        m = re.match(r"\s+(?:[\w-]+\s+)?", after)
        if m is None:
            return False
        first = re.match(r"\s+", after)
        if bool(weapon.match(hay, e + first.end()) if first else False) or bool(weapon.match(hay, e + m.end())):
            return True
        # "Russian and Syrian air strikes": a demonym coordinated with the one on the weapon
        co = _COORDINATED.match(after)
        if co is None:
            return False
        group = co.group("words")
        words = group.split()
        second = e + co.start("words") + group.find(words[1], len(words[0])) if len(words) == 2 else -1
        return bool(weapon.match(hay, e + co.end())) or (second >= 0 and bool(weapon.match(hay, second)))
    before = hay[max(0, s - 40):s].split()[-3:]
    return any(weapon.fullmatch(w) or weapon.match(w) for w in before)


def role(m: ActorMention, *, trigger_start: int, language: str, first_trigger: int | None = None) -> str:
    """AGENT or TARGET of the act whose (main) trigger starts at ``trigger_start``.

    Members of a group acted when they are named before the act ("members of
    the Fourth Division looted", "أقدم عناصر من فرقة الحمزة على الاستيلاء") and
    suffered it when named after ("assassinated four members of ISIS", "قتل
    ثلاثة عناصر من قوات النظام"); Arabic puts the verb first, so for Arabic
    the first trigger word of the act decides.
    """
    if m.marker in (FACILITY, POST):
        return AGENT
    if m.marker == MEMBER:
        pivot = trigger_start if language == "en" else (first_trigger if first_trigger is not None else trigger_start)
        return AGENT if m.start < pivot else TARGET
    if m.marker != NEUTRAL:
        return m.marker
    if language == "en" and m.start > trigger_start and m.strength < 2:
        return TARGET
    return AGENT


def dominant_actor(mentions: list[ActorMention]) -> str | None:
    """The actor a report is about, when one clearly dominates its mentions."""
    counts = Counter(m.actor for m in mentions if m.actor not in ("unknown", "other"))
    if not counts:
        return None
    (top, n), *rest = counts.most_common(2)
    second = rest[0][1] if rest else 0
    return top if n >= 3 and n >= 2 * second else None
