"""Why a claim says what it says, in words: what the reading rule matched, and how sure it is.

A machine claim's ``method`` is a rule id such as ``rule:victims/count/words-en|outcome/forward``:
a family (victims), a kind (count/words-en) and, for victims, a direction (outcome/forward). The
sentence is built from those parts, so a rule added later still gets the nearest sentence of its
family, and an unknown family a generic one; the raw id is kept only inside the "why" disclosure,
for technical review.
"""
from __future__ import annotations

from dataclasses import dataclass

from .i18n import translate
from .plain_words import clip, confidence_band, confidence_words

HUMAN_METHODS = frozenset({"human"})
MAX_QUOTE = 120  # characters of the matched words quoted in a sentence

_COUNT = {"digits": "digits", "decimal": "decimal", "words-en": "words", "words-ar": "words", "mixed": "mixed",
          "singular": "singular", "dual": "dual", "none": "none", "at-least": "qualified", "at-most": "qualified",
          "less-than": "qualified", "as-many-as": "qualified", "nearly": "qualified", "about": "qualified"}
_OUTCOME = {"noun": "noun", "forward": "forward", "forward-bare": "forward", "backward": "backward",
            "backward-bare": "backward", "event-default": "event-default", "pronoun": "pronoun",
            "pronoun-object": "pronoun", "only-person": "only-person"}
_DATE_FULL = {"day-month-year", "weekday-day-month-year"}
_DATE_DAY_MONTH = {"day-month", "day-month@story-year", "weekday-day-month", "weekday-day-month@story-year"}
_DATE_DIGITS = {"iso", "numeric-dmy"}
_DATE_YEAR = {"year", "year-since", "year-until"}
_DATE_RELATIVE = {"relative", "day-of-month", "day-before-yesterday", "yesterday", "today", "ago", "period",
                  "weekday"}
_DATE_PREVIOUS = {"same-day-as-previous", "day-after-previous"}
_PLACE_WHERE = {"unit", "sentence", "earlier-sentence", "heading", "report-main-place"}


@dataclass(frozen=True, slots=True)
class Why:
    """What a page says about one claim: the sentence, the confidence in words, and the rule (or "")."""

    sentence: str
    confidence: str
    band: str
    rule: str  # the raw rule id; shown only inside the disclosure
    by_person: bool


def _t(lang: str, key: str, **values: object) -> str:
    return translate(lang, key, **values)


def _victims(lang: str, kind: str, quote: str) -> str:
    if kind.startswith("breakdown/"):  # "including 5 children and 3 women": the parts of a group, not a count
        return _t(lang, "extract_breakdown.why", quote=quote)
    parts = dict(p.split("/", 1) if "/" in p else (p, "") for p in kind.split("|"))
    count_rule = parts.get("count", "")
    if kind == "toll-rose-to":
        count = "toll"
    elif count_rule.startswith("vague"):
        count = "vague"
    else:
        count = _COUNT.get(count_rule, "other")
    outcome = _OUTCOME.get(parts.get("outcome", ""), "other")
    return _t(lang, "plain.why.victims", quote=quote, count=_t(lang, f"plain.why.count.{count}"),
              outcome=_t(lang, f"plain.why.outcome.{outcome}"))


def _date(lang: str, kind: str, quote: str) -> str:
    base = kind.removesuffix("@dateline")
    if kind.endswith("@dateline"):
        how = "dateline"
    elif base in _DATE_FULL:
        how = "full"
    elif base in _DATE_DAY_MONTH:
        how = "day-month"
    elif base in _DATE_DIGITS:
        how = "digits"
    elif base in _DATE_YEAR:
        how = "year"
    elif base in _DATE_RELATIVE or base.startswith("weekday"):
        how = "relative"
    elif base in _DATE_PREVIOUS:
        how = "previous"
    else:
        how = "other"
    return _t(lang, "plain.why.date_sentence", quote=quote, how=_t(lang, f"plain.why.date.{how}"))


def _place(lang: str, kind: str, quote: str) -> str:
    where, _, mention = kind.partition("/")
    where_key = where if where in _PLACE_WHERE else "other"
    family = mention.split(":", 1)[0]
    if family.startswith("countryside"):
        what = "countryside"
    elif family.startswith("unlisted"):
        what = "unlisted"
    elif family in ("gazetteer", "dateline", "container"):
        what = family
    else:
        what = "listed"
    return _t(lang, "plain.why.place_sentence", quote=quote, where=_t(lang, f"plain.why.place.{where_key}"),
              what=_t(lang, f"plain.why.place.{what}"))


def _trigger(lang: str, kind: str, quote: str) -> str:
    _, *extras = kind.split("+")
    out = [_t(lang, "plain.why.trigger", quote=quote)]
    for extra in extras:
        if extra.startswith("actor/"):
            out.append(_t(lang, "plain.why.trigger_actor"))
        elif extra == "killing":
            out.append(_t(lang, "plain.why.trigger_killing"))
        elif extra == "warning-fire":
            out.append(_t(lang, "plain.why.trigger_warning"))
        else:
            out.append(_t(lang, "plain.why.trigger_upgrade"))
    return " ".join(dict.fromkeys(out))


def _actor(lang: str, kind: str, quote: str) -> str:
    how = kind.split("/", 1)[0]
    key = f"plain.why.actor.{how}"
    text = _t(lang, key)
    return _t(lang, "plain.why.actor_sentence", quote=quote, how=text if text != key else _t(lang, "plain.why.actor.other"))


def _violation(lang: str, kind: str, quote: str) -> str:
    derived = _t(lang, f"plain.why.violation.{kind}")
    if derived != f"plain.why.violation.{kind}":
        return derived
    return _t(lang, "plain.why.violation_sentence", quote=quote) if quote else _t(lang, "plain.why.generic_no_quote")


def rule_sentence(lang: str, method: str, quote: str = "") -> str:
    """What a reading rule matched, in a sentence; the family's sentence, else a generic one."""
    body = method.removeprefix("rule:")
    family, _, kind = body.partition("/")
    quoted = clip(" ".join(quote.split()), MAX_QUOTE)
    if family == "sentence":
        return _t(lang, "plain.why.sentence")
    if family == "violation":
        return _violation(lang, kind, quoted)
    if not quoted:
        return _t(lang, "plain.why.generic_no_quote")
    explain = {"victims": _victims, "date": _date, "place": _place, "trigger": _trigger, "actor": _actor}.get(family)
    if explain is not None:
        return explain(lang, kind, quoted)
    if family == "named":
        return _t(lang, "plain.why.named", quote=quoted)
    return _t(lang, "plain.why.generic", quote=quoted)


def why(lang: str, *, method: str, confidence: float | None, quote: str = "", created_by: str = "",
        show_names: bool = False) -> Why:
    """The "why" of one claim. ``show_names``: whether this reader may see who entered it."""
    method = method or ""
    band = confidence_band(confidence)
    words = confidence_words(lang, confidence)
    if method in HUMAN_METHODS or method.startswith("user:"):
        sentence = _t(lang, "plain.why.person_named", who=created_by) if show_names and created_by \
            else _t(lang, "plain.why.person")
        return Why(sentence=sentence, confidence=words, band=band, rule="", by_person=True)
    if method.startswith("rule:"):
        return Why(sentence=rule_sentence(lang, method, quote), confidence=words, band=band, rule=method,
                   by_person=False)
    return Why(sentence=_t(lang, "plain.why.elsewhere"), confidence=words, band=band, rule=method, by_person=False)
