"""Loading and compiling the rule engine's lexicons, once per process.

The lexicons are TOML data files in ``lexicons/`` (and the actor aliases in
``domain/data/actors.toml``), so documenters can extend them without touching
code. Everything here is compiled once and cached: extraction must handle
hundreds of reports a second, so no per-call pattern building.

Arabic is matched on a 1:1 normalised copy of the text (alef forms, taa
marbuta, alef maqsura folded: ``domain.arabic.fold_letters``), which keeps
every character offset valid.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources

from ..domain import vocab
from ..domain.arabic import (
    BASIC_LETTER_CLASS,
    VOWEL_MARK_CLASS,
    fold_letters,
    strip_vowel_marks,
)
from ..domain.model import Actor
from .scan import Entry, Scanner, Source, guarded_alternation, prefixes
from .word_index import WordStartPattern

_AR_LETTER = BASIC_LETTER_CLASS
_AR_PREFIX = f"(?<![{_AR_LETTER}])(?:[وفبلك]{{0,2}}(?:ال|لل)?)"
# A verb may also carry its object ("اعتقلوني", "نزلوه", "أخدونا"): the subject ending (وا before a
# pronoun is written و) then the object pronoun; bare "و" is the Levantine plural ("قوصو").
_AR_SUFFIX = f"(?:(?:و|ت|تو|ا)?(?:ني|نا|ه|ها|هم|هن|هما)|ها|هم|هن|هما|ات|ون|ين|وا|ان|تا|ت|ه|ا|ي|ن|و)?(?![{_AR_LETTER}])"
# No bare "ه" (taa marbuta, folded): "سيارة مدنية" is a civilian car, not a civilian.
_AR_NOUN_SUFFIX = f"(?:ها|هم|ات|ون|ين|ان|ا)?(?![{_AR_LETTER}])"
_EN_LEAD, _EN_TAIL = r"(?<![\w-])", r"(?!\w)"  # an English entry's word edges
_ARABIC_CHAR = re.compile(f"[{_AR_LETTER}]")
_LATIN_CHAR = re.compile(r"[A-Za-z]")
LANGUAGES = ("en", "ar")


def detect_language(text: str, *, declared: str | None = None) -> str:
    """"ar" when Arabic letters outnumber Latin ones in the first 4000 chars.

    A ``declared`` language is kept unless the script plainly contradicts it
    (nine letters in ten of the other script): metadata is often wrong.
    """
    sample = text[:4000]
    arabic = len(_ARABIC_CHAR.findall(sample))
    latin = len(_LATIN_CHAR.findall(sample))
    if declared in LANGUAGES:
        total = arabic + latin
        if declared == "en" and total and arabic / total > 0.9:
            return "ar"
        if declared == "ar" and total and latin / total > 0.9:
            return "en"
        return declared  # type: ignore[return-value]
    return "ar" if arabic > latin else "en"


def _read(name: str) -> dict:
    with resources.files("tawthiq.extract").joinpath("lexicons", name).open("rb") as f:
        return tomllib.load(f)


def _en_piece(pattern: str) -> str:
    # All-capital acronyms (IS, SNA) must be written in capitals.
    if re.fullmatch(r"[A-Z][A-Z.]{1,5}s?", pattern) and pattern not in ("US", "U.S."):
        return f"(?-i:{pattern})"
    return pattern


def compile_patterns(patterns: list[str], language: str, *, literal: bool = False, anchored: str = "word",
                     nominal: bool = False) -> re.Pattern[str] | None:
    """One alternation for a word list, longest first, with the language's word edges.

    ``literal`` escapes the entries (names, aliases); ``anchored`` is "word"
    for word edges or "none" for patterns that carry their own anchors.
    """
    source = pattern_source(patterns, language, literal=literal, anchored=anchored, nominal=nominal, guard=True)
    return re.compile(source.pattern, source.flags) if source is not None else None


def pattern_source(patterns: list[str], language: str, *, literal: bool = False, anchored: str = "word",
                   nominal: bool = False, bare: bool = False, guard: bool = False) -> Source | None:
    """The regex :func:`compile_patterns` compiles, not compiled (a scanner compiles it when first needed).

    ``guard`` puts a test of the alternation's possible first characters in front of it
    (:func:`~.scan.first_char_guard`): the same matches, found without trying every alternative everywhere.
    """
    items = [p for p in patterns if p]
    if not items:
        return None
    if language == "ar":
        items = [fold_letters(p) for p in items]
        items += ["لل" + p[2:] for p in items if p.startswith("ال") and not literal]  # ل + ال → لل
    if literal:
        items = [re.escape(p) for p in items]
    items = sorted(set(items), key=len, reverse=True)
    if bare:  # the entries alone, for indexing them by their first letters
        return Source("|".join(items))
    if language == "ar" and anchored != "none":
        items = [tolerate_diacritics(p) for p in items]
    if language == "en":
        pieces = [_en_piece(p) for p in items]
        body = guarded_alternation(pieces, re.IGNORECASE) if guard else f"(?:{'|'.join(pieces)})"
        if anchored == "none":
            return Source(body, re.IGNORECASE | re.MULTILINE)
        return Source(f"{_EN_LEAD}{body}{_EN_TAIL}", re.IGNORECASE)
    body = guarded_alternation(items) if guard else f"(?:{'|'.join(items)})"
    if anchored == "none":
        return Source(body, re.MULTILINE)
    return Source(f"{_AR_PREFIX}{body}{_AR_NOUN_SUFFIX if nominal else _AR_SUFFIX}")


def arabic_keys(pattern: str) -> set[str] | None:
    """First two letters of an Arabic entry itself (clitics and vowels aside), for ``Scanner``."""
    bare = pattern_source([pattern], "ar", bare=True)  # parsed for its prefixes, never compiled
    return prefixes(bare) if bare is not None else None


def scanner_for(patterns: list[Entry], sources: list[str], language: str) -> Scanner:
    """A scanner over compiled entries; Arabic entries are indexed by their own first letters."""
    if language != "ar":
        return Scanner(patterns, affixes=[(_EN_LEAD, _EN_TAIL)])
    return Scanner(patterns, keys=[arabic_keys(s) for s in sources], arabic=True,
                   affixes=[(_AR_PREFIX, _AR_SUFFIX), (_AR_PREFIX, _AR_NOUN_SUFFIX)])


def compile_each(patterns: list[str], language: str, *, nominal: bool = False) -> list[re.Pattern[str]]:
    """Each entry compiled on its own with the language's word edges, longest entry first.

    Scanned with :class:`~.scan.Scanner`, an entry is only tried where a word
    starts with one of its prefixes, which is what makes big lexicons cheap.
    """
    return [re.compile(s.pattern, s.flags) for s in sources_each(patterns, language, nominal=nominal)]


def sources_each(patterns: list[str], language: str, *, nominal: bool = False) -> list[Source]:
    """:func:`compile_each` not compiled yet, for a :class:`~.scan.Scanner` to compile on first use."""
    out = []
    for p in patterns:
        source = pattern_source([p], language, nominal=nominal)
        if source is not None:
            out.append((len(p), source))
    return [c for _, c in sorted(out, key=lambda t: -t[0])]


def _trie(words: list[str]) -> str:
    """A regex alternation of literal words as a character trie (fast to scan)."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(root)


def compile_literals(words: list[str], language: str) -> re.Pattern[str] | None:
    """Names and aliases as one trie regex; all-capital acronyms match only in capitals."""
    items = sorted({fold_letters(w) if language == "ar" else w for w in words if w})
    if language == "ar":
        items = sorted(set(items) | {"لل" + w[2:] for w in items if w.startswith("ال")})  # ل + ال → لل
    if not items:
        return None
    if language == "ar":
        return re.compile(f"{_AR_PREFIX}(?:{tolerate_diacritics(_trie(items))}){_AR_NOUN_SUFFIX}")
    acronyms = [w for w in items if re.fullmatch(r"[A-Z][A-Z.]{1,5}s?", w) and w not in ("US", "U.S.")]
    others = sorted({w.lower() for w in items if w not in acronyms})
    parts = []
    if others:
        parts.append(f"(?i:{_trie(others)})")
    if acronyms:
        parts.append(_trie(acronyms))
    return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?!\w)")


@dataclass(frozen=True, slots=True)
class Upgrade:
    event_type: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Trigger:
    name: str
    event_type: str
    priority: int
    source: Source  # every entry in one alternation; the engine scans the entries (``trigger_scan``)
    weak: bool = False
    outcome: str = ""
    violations: tuple[str, ...] = ()
    upgrades: tuple[Upgrade, ...] = ()
    actor_event_type: dict[str, str] = field(default_factory=dict)
    explicit_agents: bool = False

    @property
    def pattern(self) -> re.Pattern[str]:
        """The trigger's entries as one regex, compiled when first asked for (``re`` caches it)."""
        return re.compile(self.source.pattern, self.source.flags)


@dataclass(frozen=True, slots=True)
class NounForm:
    noun: str  # the [[noun]] table's name
    kind: str
    number: str  # "singular", "dual" or "plural"
    unit: str = "individual"
    outcome: str = ""
    inherit: bool = False


@dataclass(frozen=True, slots=True)
class OutcomeCue:
    name: str
    outcome: str
    direction: str  # "forward" or "backward"


@dataclass(frozen=True, slots=True)
class ViolationCue:
    name: str
    violation: str
    source: Source  # every entry in one alternation; the engine scans the entries (``cue_scan``)
    events: frozenset[str] = frozenset()
    requires: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        """The cue's entries as one regex, compiled when first asked for (``re`` caches it)."""
        return re.compile(self.source.pattern, self.source.flags)


@dataclass(frozen=True, slots=True)
class ActorForm:
    actor: str
    text: str
    adjectival: bool  # a demonym: counts only beside a force or weapon noun
    facility: bool = False  # a detention place the actor runs ("Saydnaya prison")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the engine matches, compiled for one language."""

    language: str
    triggers: tuple[Trigger, ...]
    trigger_scan: Scanner  # every trigger entry; entry i belongs to triggers[trigger_of[i]]
    trigger_of: tuple[int, ...]
    noun_scan: Scanner  # every victim noun form; entry i means noun_of[i]
    noun_of: tuple[NounForm, ...]
    outcome_scan: Scanner  # every outcome word; entry i means outcome_of[i]
    outcome_of: tuple[OutcomeCue, ...]
    violation_cues: tuple[ViolationCue, ...]
    cue_scan: Scanner  # every violation cue entry; entry i belongs to violation_cues[cue_of[i]]
    cue_of: tuple[int, ...]
    actors: re.Pattern[str]
    actor_forms: dict[str, ActorForm]
    context: dict[str, re.Pattern[str] | WordStartPattern | None]


def _forms(table: dict, key: str, language: str) -> list[str]:
    return list(table.get(f"{language}_{key}" if key else language, []))


def _triggers(language: str) -> tuple[Trigger, ...]:
    out = []
    for t in _read("triggers.toml")["trigger"]:
        source = pattern_source(t.get(language, []), language)  # compiled only if asked for
        if source is None:
            continue
        upgrades = []
        for u in t.get("upgrade", []):
            up = compile_patterns(u.get(language, []), language)
            if up is not None:
                upgrades.append(Upgrade(u["event_type"], up))
        out.append(Trigger(
            name=t["name"], event_type=t["event_type"], priority=int(t.get("priority", 10)), source=source,
            weak=bool(t.get("weak", False)), outcome=t.get("outcome", ""),
            violations=tuple(t.get("violations", [])), upgrades=tuple(upgrades),
            actor_event_type=dict(t.get("actor_event_type", {})),
            explicit_agents=bool(t.get("explicit_agents", False)),
        ))
    return tuple(sorted(out, key=lambda t: -t.priority))


_AR_DIACRITIC_OPT = f"[{VOWEL_MARK_CLASS}]*"


def _key(text: str) -> str:
    return strip_vowel_marks(fold_letters(text)).lower()


def tolerate_diacritics(pattern: str) -> str:
    """Let an Arabic pattern match text with short vowels or tatweel after any letter."""
    return re.sub(f"([{BASIC_LETTER_CLASS}])", lambda m: m.group(1) + _AR_DIACRITIC_OPT, pattern)


def _nouns(language: str) -> dict[str, NounForm]:
    """Victim noun forms (regex-capable: "civil defen[cs]e …") and what each means."""
    forms: dict[str, NounForm] = {}
    for n in _read("victims.toml")["noun"]:
        for number, key in (("dual", "dual"), ("plural", ""), ("singular", "singular")):
            for form in _forms(n, key, language):
                forms.setdefault(_key(form), NounForm(
                    noun=n["name"], kind=n.get("kind", "unknown"), number=number, unit=n.get("unit", "individual"),
                    outcome=n.get("outcome", ""), inherit=bool(n.get("inherit", False))))
    return forms


@dataclass(frozen=True, slots=True)
class PartForm:
    """A word naming a part of a victim group ("children", "امرأتان"): which part, and its number."""

    part: str  # "children", "women" or "men" (domain/breakdown.py)
    number: str  # "singular", "dual" or "plural"


@cache
def part_forms(language: str) -> tuple[tuple[re.Pattern[str], PartForm], ...]:
    """The [[part]] words of ``victims.toml``, each compiled on its own, longest first.

    Tried one by one at a given offset (a breakdown list is short), so the longest form wins:
    "طفلين" is the dual, not "طفل" with a suffix.
    """
    language = language if language in LANGUAGES else "en"
    forms: dict[str, PartForm] = {}
    for n in _read("victims.toml").get("part", []):
        for number, key in (("dual", "dual"), ("plural", ""), ("singular", "singular")):
            for form in _forms(n, key, language):
                forms.setdefault(form if language == "en" else _key(form), PartForm(n["name"], number))
    out = [(len(k), compiled, f) for k, f in forms.items() for compiled in compile_each([k], language, nominal=True)]
    return tuple((c, f) for _, c, f in sorted(out, key=lambda t: -t[0]))


def _outcome_entries(language: str) -> list[tuple[int, Source, OutcomeCue, str]]:
    out = []
    for o in _read("victims.toml")["outcome"]:
        for direction in ("forward", "backward"):
            for form in o.get(direction, {}).get(language, []):
                for c in sources_each([form], language):
                    out.append((len(form), c, OutcomeCue(o["name"], o["outcome"], direction), form))
    return sorted(out, key=lambda t: -t[0])


def _violation_cues(language: str) -> tuple[ViolationCue, ...]:
    out = []
    for c in _read("violations.toml")["cue"]:
        source = pattern_source(c.get(language, []), language)  # compiled only if asked for
        if source is None:
            continue
        out.append(ViolationCue(
            name=c["name"], violation=c["violation"], source=source, events=frozenset(c.get("events", [])),
            requires=compile_patterns(c.get(f"with_{language}", []), language),
        ))
    return tuple(out)


def _actor_table() -> dict:
    with resources.files("tawthiq.domain").joinpath("data", "actors.toml").open("rb") as f:
        return tomllib.load(f)


def _actors(language: str, table: Mapping[str, Actor]) -> tuple[re.Pattern[str], dict[str, ActorForm]]:
    forms: dict[str, ActorForm] = {}
    raw = _actor_table()
    for code, actor in table.items():
        if actor.retired:
            continue  # retired: past records keep it, new reports no longer name it
        aliases = actor.aliases_en if language == "en" else actor.aliases_ar
        label = actor.label_en if language == "en" else actor.label_ar
        for alias in [*aliases, label]:
            if alias:
                forms.setdefault(_key(alias), ActorForm(code, alias, False))
        for form in raw.get(code, {}).get(f"forms_{language}", []):
            forms.setdefault(_key(form), ActorForm(code, form, True))
        for form in raw.get(code, {}).get(f"facilities_{language}", []):
            forms.setdefault(_key(form), ActorForm(code, form, False, facility=True))
    pattern = compile_literals([f.text for f in forms.values()], language)
    assert pattern is not None
    return pattern, forms


ActorKey = tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...], bool], ...]


def actor_key(table: Mapping[str, Actor]) -> ActorKey:
    """A hashable fingerprint of an actor vocabulary: what the actor patterns are built from."""
    return tuple(sorted((a.code, a.label_en, a.label_ar, tuple(a.aliases_en), tuple(a.aliases_ar), a.retired)
                        for a in table.values()))


@lru_cache(maxsize=8)
def _actors_for(language: str, key: ActorKey) -> tuple[re.Pattern[str], dict[str, ActorForm]]:
    table = {code: Actor(code=code, label_en=en, label_ar=ar, aliases_en=list(aen), aliases_ar=list(aar),
                         retired=retired) for code, en, ar, aen, aar, retired in key}
    return _actors(language, table)


def lexicon_with(language: str, table: Mapping[str, Actor] | None) -> Lexicon:
    """:func:`lexicon` recognising the actors of ``table`` (a vocabulary the caller passes in: the
    built-in one merged with actors added from the interface) instead of the built-in ones."""
    base = lexicon(language)
    if table is None:
        return base
    pattern, forms = _actors_for(base.language, actor_key(table))
    return replace(base, actors=pattern, actor_forms=forms)


def _context(language: str) -> dict[str, re.Pattern[str] | WordStartPattern | None]:
    out: dict[str, re.Pattern[str] | WordStartPattern | None] = {}
    for section, table in _read("context.toml").items():
        patterns = table.get(language, [])
        if section in ("agent_marker", "target_marker", "member_marker", "affiliation_marker", "clitic_agent",
                       "origin_marker", "meta_cut", "chunk_break", "facility_marker", "passive_after",
                       "apposition", "agent_before_noun", "evacuation", "setting", "support_marker", "anaphor",
                       "purpose"):
            out[section] = compile_patterns(patterns, language, anchored="none")
        else:
            # tried only at the word starts it can begin at (same matches, see ``word_index``)
            out[section] = WordStartPattern.wrap(compile_patterns(patterns, language))
    return out


@cache
def lexicon(language: str) -> Lexicon:
    """The compiled lexicon for "en" or "ar" (anything else gets English)."""
    language = language if language in LANGUAGES else "en"
    noun_forms = _nouns(language)
    actors, actor_forms = _actors(language, vocab.builtin_actors())
    triggers = _triggers(language)
    cues = _violation_cues(language)
    raw_triggers = {t["name"]: t for t in _read("triggers.toml")["trigger"]}
    t_entries = [(len(p), c, i, p) for i, t in enumerate(triggers) for p in raw_triggers[t.name].get(language, [])
                 for c in sources_each([p], language)]
    raw_cues = {c["name"]: c for c in _read("violations.toml")["cue"]}
    c_entries = [(len(p), c, i, p) for i, cue in enumerate(cues) for p in raw_cues[cue.name].get(language, [])
                 for c in sources_each([p], language)]
    n_entries = sorted(((len(k), sources_each([k], language, nominal=True)[0], f, k) for k, f in noun_forms.items()),
                       key=lambda t: -t[0])
    o_entries = _outcome_entries(language)
    return Lexicon(
        language=language, triggers=triggers,
        trigger_scan=scanner_for([e[1] for e in t_entries], [e[3] for e in t_entries], language),
        trigger_of=tuple(e[2] for e in t_entries),
        noun_scan=scanner_for([e[1] for e in n_entries], [e[3] for e in n_entries], language),
        noun_of=tuple(e[2] for e in n_entries),
        outcome_scan=scanner_for([e[1] for e in o_entries], [e[3] for e in o_entries], language),
        outcome_of=tuple(e[2] for e in o_entries),
        violation_cues=cues, cue_scan=scanner_for([e[1] for e in c_entries], [e[3] for e in c_entries], language),
        cue_of=tuple(e[2] for e in c_entries), actors=actors, actor_forms=actor_forms,
        context=_context(language),
    )


def strip_clitics(word: str) -> str:
    """An Arabic match without the proclitics and article the pattern allowed."""
    w = word
    for prefix in ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك"):
        if w.startswith(prefix) and len(w) - len(prefix) >= 2:
            return w[len(prefix):]
    return w


def actor_form(lex: Lexicon, matched: str) -> ActorForm | None:
    key = _key(matched)
    if key in lex.actor_forms:
        return lex.actor_forms[key]
    if lex.language == "ar":
        stripped = strip_clitics(key)
        for c in (stripped, "ال" + stripped, key[1:], key[2:]):
            if c in lex.actor_forms:
                return lex.actor_forms[c]
        for suffix in ("ها", "هم", "ات", "ون", "ين", "وا", "ان", "ت", "ه", "ا", "ي", "ن"):
            for c in (key, stripped):
                if c.endswith(suffix) and c[: -len(suffix)] in lex.actor_forms:
                    return lex.actor_forms[c[: -len(suffix)]]
    return None
