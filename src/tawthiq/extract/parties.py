"""Who else a report names around an act, and what they did not do.

The party that tells of an act ("the SDF said …") is its source; the one that
accuses another ("Turkey accused the YPG") is no author, and one side's
accusation of an act nobody claimed attributes nothing; a side named in the
clause after a take-over ("after the factions withdrew") lost the place. An
agreement's parties may be named by their leaders ("the Russian and Turkish
presidents") or be a statement's "we", named in its heading, which also owns
"our artillery"; and a nameless air raid is the one air force the report names. A witness who
tells of an act by nameless people ("he was taken at the checkpoint", "اعتقلوني") names them nearby.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .attribution import AGENT, FACILITY, MEMBER, NEUTRAL, POST, TARGET, ActorMention
from .lexicon import actor_form
from .report import Report, Unit

# a party that tells of the act is its source: "the SDF said (that) …", "قالت قسد إن …"
_SAID_AFTER = re.compile(r"\s*(?:\([^)]{1,30}\)\s*)?(?:also\s+)?(?:said|says|reported|stated|told|confirmed|added|accused)\b",
                         re.IGNORECASE)
_SAID_BEFORE = re.compile(r"(?<!\S)(?:قال|قالت|افاد|افادت|ذكر|ذكرت|اكد|اكدت|اتهم|اتهمت)\s+(?:\S+\s+)?(?:و|ف)?$")


def speaker(r: Report, a: ActorMention) -> bool:
    """The mention is who reports the act: "X said", "قالت X"."""
    if r.language == "en":
        return _SAID_AFTER.match(r.hay, a.end) is not None
    return _SAID_BEFORE.search(r.hay, max(0, a.start - 30), a.start) is not None


TAKEOVER = frozenset({"non-state-actor-overtakes-territory", "government-regains-territory"})
# a clause after the take-over tells how it came about: who withdrew, collapsed or was driven out
_LOSS_CLAUSE = re.compile(r"\b(?:after|following|amid|as|when|once|in the wake of)\b|(?<!\S)(?:بعد|اثر|عقب|وسط|اثناء|علي اثر)(?!\S)",
                          re.IGNORECASE)


def winners(r: Report, unit: Unit, agents: list[ActorMention], trigger_start: int) -> list[ActorMention]:
    """"X took the town after the factions withdrew", "سيطرت X على المدينة إثر انسحاب Y": a party named
    in the clause after the take-over lost the place; only the parties named before it took it."""
    cut = _LOSS_CLAUSE.search(r.hay, trigger_start, unit.end)
    if cut is None:
        return agents
    before = [a for a in agents if a.start < cut.start()]
    return before if before else agents


# "the Russian and Turkish presidents", "الرئيسان الروسي فلاديمير بوتين والتركي": a state's leader speaks for it
# a state that guarantees or brokers the deal is a party to it ("under Russian guarantee", "a Russian-brokered
# truce", "برعاية روسية")
_LEADER_AFTER = re.compile(r"\s+(?:and\s+[\w-]+\s+)?(?:presidents?|prime ministers?|(?:foreign|defen[cs]e) ministers?|leaders?|"
                           r"delegations?|governments?|guarantees?|guarantors?|mediation|sponsorship|auspices)\b"
                           r"|-(?:brokered|sponsored|mediated|guaranteed)\b", re.IGNORECASE)
_LEADER_BEFORE = re.compile(r"(?<!\S)(?:ال)?(?:رئيس|رئيسا|رئيسان|رئيسين|وزير|وزيرا|وزيري|وفد|وفدا|وفدي|حكومه|حكومتا|حكومتي)\S*"
                            r"(?:\s+\S+){0,3}\s+$"
                            r"|(?<!\S)(?:ب|و)?(?:رعايه|ضمانه|ضمانات|وساطه)\s+$")
_FIRST_PERSON = re.compile(r"\b(?:we|our (?:artillery|forces|fighters|mujahideen|units|heroes|troops|men|air defen[cs]es|teams?))\b"
                           r"|(?<!\S)و?(?:توصلنا|اتفقنا|وقعنا|ابرمنا|عقدنا|استهدفنا|قصفنا|اسقطنا|صددنا|دمرنا|حررنا|سيطرنا)(?!\S)"
                           r"|(?<!\S)و?(?:قوات|مقاتلو|مقاتلي|مجاهدو|مجاهدي|مدفعيت|عناصر|وحدات|ابطال|دفاعات|دفاع)نا(?!\S)", re.IGNORECASE)
_ISSUER = re.compile(r"\b(?:statement|communiqu[eé]|declaration|military media|media office|press office)\b"
                     r"|(?<!\S)(?:بيان|تصريح|القياده العامه|الاعلام الحربي|المكتب الاعلامي)(?!\S)", re.IGNORECASE)


def leaders(r: Report, unit: Unit) -> list[ActorMention]:
    """States named by their leaders in an agreement's sentence (demonyms count only beside a force otherwise)."""
    sent = r.sentences[unit.sentence]
    out = []
    for m in r.lex.actors.finditer(r.hay, sent.start, sent.end):
        form = actor_form(r.lex, m.group())
        if form is None or not form.adjectival:
            continue
        if (_LEADER_AFTER.match(r.hay, m.end()) if r.language == "en"
                else _LEADER_BEFORE.search(r.hay, max(sent.start, m.start() - 60), m.start())):
            out.append(ActorMention(m.start(), m.end(), form.actor, r.text[m.start():m.end()], AGENT, 1))
    return out


def issuer(r: Report, unit: Unit) -> list[ActorMention]:
    """"we reached an agreement": a statement's "we" is the party that issued it, named in its heading."""
    if not _FIRST_PERSON.search(r.hay, unit.start, unit.end):
        return []
    first = r.hay.find("\n")
    second = r.hay.find("\n", first + 1) if first > 0 else -1
    head_end = second if 0 < second <= 300 else (first if first > 0 else min(len(r.hay), 200))
    if not _ISSUER.search(r.hay, 0, head_end):
        return []
    named = [a for a in r.actors.between(0, head_end) if a.actor not in ("unknown", "other")]
    return [replace(named[0], marker=AGENT)] if named else []


# a warplane or air raid of no named side; drones are flown by many parties and are left out
WARPLANE = re.compile(r"\b(?:war ?planes?|(?:fighter |military )?jets?|aircraft|air ?strikes?|air raids?|aerial bombardment|"
                       r"air force)\b|(?<!\S)(?:ال)?(?:طيران|طائرات|طائره|مقاتلات|غارات|غاره)(?:\s+ال)?(?:حربي\S*|جوي\S*)?(?!\S)",
                       re.IGNORECASE)

UAV = re.compile(r"\b(?:drones?|UAVs?)\b|(?<!\S)(?:ال)?(?:مسيره|مسيرات|درون)(?!\S)", re.IGNORECASE)
_HELICOPTER = re.compile(r"\bhelicopters?\b|(?<!\S)(?:ال)?(?:مروحي\S*|حوام\S*)", re.IGNORECASE)


def air_force(r: Report) -> ActorMention | None:
    """"regime warplanes … (later) warplanes struck X": when the report names the aircraft of one side
    only, an air raid it leaves nameless is that side's; with two (Russia and the regime) or none, nobody's."""
    owners: dict[str, ActorMention] = {}
    for a in r.actors:
        if a.marker in (TARGET, MEMBER, FACILITY, POST) or a.actor in ("unknown", "other"):
            continue
        near = r.hay[max(0, a.start - 30):min(len(r.hay), a.end + 30)]
        if (WARPLANE.search(near) or _HELICOPTER.search(near)) and not UAV.search(near):
            owners.setdefault(a.actor, a)
    if len(owners) != 1:
        return None
    a = next(iter(owners.values()))
    return ActorMention(a.start, a.end, a.actor, a.text, AGENT, 0)


# "holds X responsible for any attack", "يحمّل X مسؤولية أي هجوم": a warning about acts to come, not this one's author
ANY_ACT = re.compile(r"\s*(?:any|all|every|future)\b|\s*(?:عن\s+)?(?:اي|كل)(?!\S)", re.IGNORECASE)


ACCUSE = re.compile(r"accus|blam|(?:ا|ت|ي)تهم|اتهام", re.IGNORECASE)
_ACCUSER_GAP = re.compile(r"\s*(?:\([^)]{0,30}\)\s*)?(?:(?:has|have|had|also|later|quickly|publicly|again|then)\s+)*",
                          re.IGNORECASE)
NO_CLAIM = re.compile(r"\bno (?:\w+ )?(?:group|one|party|side|faction)s? (?:has |have |had )?(?:yet |immediately )?claimed"
                       r"|\b(?:nobody|no one) (?:has |had )?(?:yet |immediately )?claimed"
                       r"|(?<!\S)(?:لم|ولم|دون ان|دون) (?:ت|ي)?تبن\S*|(?<!\S)(?:لم|ولم) (?:تعلن|يعلن) (?:اي )?(?:جهه|طرف)", re.IGNORECASE)


def accuser(r: Report, m: re.Match[str], a: ActorMention) -> bool:
    """"X accused Y", "اتهمت X Y": who accuses is not who acted (English names it before the verb, Arabic
    right after it)."""
    if r.language == "en":
        return a.end <= m.start() and _ACCUSER_GAP.fullmatch(r.hay, a.end, m.start()) is not None
    return m.end() <= a.start and len(r.hay[m.end():a.start].split()) <= 1


def partisan(r: Report, m: re.Match[str]) -> bool:
    """The accusation is made by a party to the conflict."""
    near = r.actors.between(max(0, m.start() - 60), m.end() + 60)
    return any(accuser(r, m, a) for a in near if a.actor not in ("unknown", "other"))


# acts done by people the act itself leaves nameless: a passive ("he was taken at the checkpoint") or, in
# Arabic, a verb whose subject is "they" ("اعتقلوني", "سرقوا", "نزلوه")
_PEOPLE_ACTS = frozenset({"arrests", "abduction-forced-disappearance", "attack", "looting-property-destruction",
                          "sexual-violence"})
_PASSIVE_ACT = re.compile(r"\b(?:was|were|been|being|got)\s+(?:\w+ly\s+)?(?:arrested|detained|taken|abducted|kidnapped|seized|"
                          r"picked up|stopped|raped|beaten|tortured|shot)\b", re.IGNORECASE)
_AR_THEY_VERB = re.compile(r"(?<!\S)(?:و|ف)?[\u0621-\u064a]{2,}(?:وا|وني|وه|وها|ونا|وهم|وهن)(?![\u0621-\u064a])")
_NOT_VERB = re.compile(r"(?:^|\s)(?:و|ف)?(?:ال|ل)")  # "الدكتوره", "لجنوه": a noun, not a verb of "they"


def told_nearby(r: Report, unit: Unit) -> ActorMention | None:
    """"My son was arrested at the border. The officer of the Political Security took him.", "عند حاجز سعسع
    نزلوه من الباص. الحاجز تبع فرع سعسع للأمن العسكري": an act by people it does not name, told by a witness,
    names them in the next sentence (or, for "they" in Arabic, in the sentences before, in the same paragraph)."""
    if unit.top.trigger.event_type not in _PEOPLE_ACTS:
        return None
    head = r.hay[unit.start:min(unit.end, unit.top.end + 40)]
    they = r.language == "ar" and any(not _NOT_VERB.match(m.group()) for m in _AR_THEY_VERB.finditer(head))
    if not they and not (r.language == "en" and _PASSIVE_ACT.search(head)):
        return None
    para = r.paragraph_of[unit.sentence]
    usable = (AGENT, POST, FACILITY, MEMBER, NEUTRAL)
    nxt = unit.sentence + 1
    # (a next sentence telling an act of its own names that act's party: "… had opened an office in the town")
    own_act = nxt < len(r.sentences) and bool(r.unit_spans.get(nxt)) and any(
        not h.trigger.weak and h.trigger.event_type not in _PEOPLE_ACTS
        for h in r.hits.between(r.sentences[nxt].start, r.sentences[nxt].end))
    if nxt < len(r.sentences) and r.paragraph_of[nxt] == para and not own_act:
        # the next sentence says who they were, even that nobody knew ("the ones who shot him were masked men")
        s = r.sentences[nxt]
        # a party named with no role of its own ("we heard the X Division had opened an office") is the act's
        # only when that sentence goes on about such an act ("… took him to the branch")
        retold = any(h.trigger.event_type in _PEOPLE_ACTS for h in r.hits.between(s.start, s.end))
        after = [a for a in r.actors.between(s.start, s.end)
                 if a.marker in usable and a.actor != "other" and not speaker(r, a)
                 and (a.marker != NEUTRAL or retold)]
        if after:
            return replace(after[0], marker=AGENT, strength=0)
    if not they:
        return None
    lo = min(s.start for si, s in enumerate(r.sentences) if r.paragraph_of[si] == para)
    before = [a for a in r.actors.between(max(lo, unit.start - 600), unit.start)
              if a.marker in usable and a.actor not in ("unknown", "other")]
    return replace(before[-1], marker=AGENT, strength=0) if before else None
