"""Codes said in words: dates as a reader writes them, degrees, confidence bands, Admiralty grades,
working copies' settings, and a field's recorded value.

Documenters asked for sentences instead of machine codes ("2015-10~", "carried-out", "F6", a JSON
object). Everything here returns plain text in the page's language; the templates escape it. A code
this module does not know is shown as it is, never dropped: an unknown value must stay visible.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..services.places import place_names
from .i18n import translate
from .templating import term_label
from .wording import clause_separator, list_separator

MAX_VALUE_CHARS = 300  # one before/after value in the history
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?([~?%]?)$")
_QUALIFIER = {"~": "about", "?": "uncertain", "%": "about_uncertain"}
GRADE_RELIABILITY = ("A", "B", "C", "D", "E", "F")
GRADE_CREDIBILITY = ("1", "2", "3", "4", "5", "6")
# Claim and incident confidence run 0..1; the bands are what the numbers mean to a reader
# (the extractor's rules give 0.4-0.7, a person's claim 1.0).
LOW_BELOW, HIGH_FROM = 0.5, 0.75


def _t(lang: str, key: str, **values: Any) -> str:
    return translate(lang, key, **values)


def _or_code(lang: str, key: str, code: str, **values: Any) -> str:
    """The text for ``key``, or the code itself when no text exists (never a key shown to a reader)."""
    text = _t(lang, key, **values)
    return code if text == key else text


def clip(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


# ------------------------------------------------------------------ dates


def _one_date(lang: str, value: str) -> str | None:
    found = _DATE.match(value.strip())
    if not found:
        return None
    year, month, day, qualifier = found.groups()
    if month is not None and not 1 <= int(month) <= 12 or day is not None and not 1 <= int(day) <= 31:
        return None
    if day is not None:
        # Day, month name, year: the order both Syrian Arabic and British English write.
        text = f"{int(day)} {_t(lang, f'plain.month.{int(month)}')} {year}"
    elif month is not None:
        text = f"{_t(lang, f'plain.month.{int(month)}')} {year}"
    else:
        text = year
    if qualifier:
        text = _t(lang, f"plain.date.{_QUALIFIER[qualifier]}", date=text)
    return text


def date_words(lang: str, edtf: str | None) -> str:
    """An EDTF date as a person writes it ("about October 2015", "7 October 2015 to 9 October 2015").

    What this cannot read is shown as written, labelled so, never guessed at.
    """
    if not edtf:
        return _t(lang, "common.unknown")
    value = edtf.strip()
    if "/" in value:
        first, _, second = value.partition("/")
        lo, hi = _one_date(lang, first) if first not in ("", "..") else "", \
            _one_date(lang, second) if second not in ("", "..") else ""
        if lo is not None and hi is not None and (lo or hi):
            if not hi:
                return _t(lang, "plain.date.from", date=lo)
            if not lo:
                return _t(lang, "plain.date.until", date=hi)
            return _t(lang, "plain.date.between", start=lo, end=hi)
    else:
        words = _one_date(lang, value)
        if words is not None:
            return words
    return _t(lang, "plain.date.as_written", date=clip(value, 60))


# ------------------------------------------------------------------ small codes


def degree_words(lang: str, degree: str) -> str:
    """How an actor took part ("carried-out" → "carried it out")."""
    return _or_code(lang, f"plain.degree.{degree}", str(degree))


def confidence_band(value: float | None) -> str:
    if value is None:
        return "unknown"
    return "low" if value < LOW_BELOW else "medium" if value < HIGH_FROM else "high"


def confidence_words(lang: str, value: float | None) -> str:
    """"medium: …what it means", never a bare percentage."""
    band = confidence_band(value)
    return _t(lang, "plain.confidence.sentence", band=_t(lang, f"plain.confidence.{band}"),
              meaning=_t(lang, f"plain.confidence.{band}_help"))


def grade_words(lang: str, reliability: str, credibility: str) -> str:
    """"F6" → "F6: the source's reliability cannot be judged; the truth of the information cannot be judged"."""
    r = _or_code(lang, f"plain.grade.reliability.{reliability}", reliability)
    c = _or_code(lang, f"plain.grade.credibility.{credibility}", credibility)
    return _t(lang, "plain.grade.both", code=f"{reliability}{credibility}", reliability=r, credibility=c)


def grade_legend(lang: str) -> dict[str, list[tuple[str, str]]]:
    """Every Admiralty code with its meaning, for the legend beside a grade."""
    return {
        "reliability": [(code, _t(lang, f"plain.grade.reliability.{code}")) for code in GRADE_RELIABILITY],
        "credibility": [(code, _t(lang, f"plain.grade.credibility.{code}")) for code in GRADE_CREDIBILITY],
    }


def _setting_value(lang: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _t(lang, "plain.yes" if value else "plain.no")
    if isinstance(value, Mapping):
        return clause_separator(lang).join(f"{setting_label(lang, str(k))}: {_setting_value(lang, v)}"
                                           for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return list_separator(lang).join(_setting_value(lang, v) for v in value) or "—"
    if isinstance(value, str):  # a sentence the tool wrote ("opaque black") has words; a code stays as it is
        return _or_code(lang, f"plain.param_value.{_slug(value)}", clip(value, 200))
    return clip(str(value), 200)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(value: str) -> str:
    """A setting's written value as a catalogue key: "opaque black" → "opaque_black"."""
    return _NOT_SLUG.sub("_", value.casefold()).strip("_")[:80] or "_"


def setting_label(lang: str, key: str) -> str:
    """A working copy's setting name in words; an unknown one with its underscores made spaces."""
    text = _t(lang, f"plain.param.{key}")
    return key.replace("_", " ") if text == f"plain.param.{key}" else text


def params_words(lang: str, params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """A working copy's JSON settings as (what, value) pairs in words."""
    return [(setting_label(lang, str(key)), _setting_value(lang, value)) for key, value in (params or {}).items()]


# ------------------------------------------------------------------ recorded values


def _count(lang: str, lo: Any, hi: Any) -> str:
    if (lo is None or lo == 0) and hi is None:
        return _t(lang, "record.victims.unknown")
    if hi is None:
        return _t(lang, "record.victims.at_least", n=lo)
    if lo is None:
        return _t(lang, "record.victims.at_most", n=hi)
    return str(lo) if lo == hi else f"{lo}–{hi}"


BREAKDOWN = ("children", "women", "men")  # "of whom 3 children and 2 women": a victim group's parts


def of_whom_words(lang: str, group: Mapping[str, Any]) -> str:
    """"of whom 3 children and 2 women" (منهم 3 من الأطفال و2 من النساء); "" when the group states no parts."""
    parts = [_t(lang, f"correct.words.{part}", n=group[part]) for part in BREAKDOWN
             if isinstance(group.get(part), int)]
    if not parts:
        return ""
    joined = parts[0] if len(parts) == 1 else \
        _t(lang, "correct.words.comma").join(parts[:-1]) + _t(lang, "correct.words.and") + parts[-1]
    return _t(lang, "correct.words.of_whom", parts=joined)


def victims_words(lang: str, group: Mapping[str, Any]) -> str:
    """"10 civilians, killed, of whom 3 children" from one victim group of the history: the breakdown said,
    so that an edit of it alone reads as a change."""
    kind = _or_code(lang, f"record.kind.{group.get('kind', 'unknown')}", str(group.get("kind")))
    outcome = _or_code(lang, f"record.outcome.{group.get('outcome', 'other')}", str(group.get("outcome")))
    text = _t(lang, "plain.victims.group", n=_count(lang, group.get("count_min"), group.get("count_max")),
              kind=kind, outcome=outcome)
    parts = of_whom_words(lang, group)
    return f"{text}{_t(lang, 'correct.words.comma')}{parts}" if parts else text


def count_words(lang: str, group: Mapping[str, Any]) -> str:
    return _count(lang, group.get("count_min"), group.get("count_max"))


def value_words(lang: str, field: str, value: Any) -> str:
    """A field's value as the history recorded it (codes and plain dicts), in words."""
    if value is None or value == "" or value == []:
        return _t(lang, "plain.value.none")
    if field == "event_type" and isinstance(value, str):
        return term_label(lang, "event_type", value)
    if field in ("violations", "violation") and isinstance(value, list):
        return list_separator(lang).join(term_label(lang, "violation", str(v)) for v in value)
    if field == "perpetrators" and isinstance(value, list):
        return list_separator(lang).join(
            f"{term_label(lang, 'actor', str(p.get('actor', '')))} ({degree_words(lang, str(p.get('degree', '')))})"
            if isinstance(p, Mapping) else str(p) for p in value)
    if field == "victims" and isinstance(value, list):
        return clause_separator(lang).join(victims_words(lang, g) if isinstance(g, Mapping) else str(g) for g in value)
    if field == "location" and isinstance(value, Mapping):
        names = place_names(name=value.get("name"), name_ar=value.get("name_ar"), text=value.get("text"),
                            place_id=value.get("place_id"))
        name = (names.ar if lang == "ar" else names.en) or value.get("text") or "—"
        if names.written:
            name = _t(lang, "fixc.place.as_written", place=name, written=names.written)
        return clip(str(name))
    if field == "date" and isinstance(value, Mapping):
        return date_words(lang, str(value.get("edtf") or ""))
    if field == "status":
        return _or_code(lang, f"record.status.{value}", str(value))
    if field == "confidentiality":
        return _or_code(lang, f"record.confidentiality.{value}", str(value))
    if field in ("reliability", "credibility"):
        return _or_code(lang, f"plain.grade.{field}.{value}", str(value))
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, Mapping):
        return clip(list_separator(lang).join(f"{setting_label(lang, str(k))}: {_setting_value(lang, v)}"
                              for k, v in value.items() if v not in (None, "", [], {})))
    if isinstance(value, list):
        return clip(list_separator(lang).join(_setting_value(lang, v) for v in value))
    return clip(str(value))


def field_words(lang: str, field: str) -> str:
    """A recorded field's name for a sentence ("the event type", "who may see it")."""
    return _or_code(lang, f"plain.field.{field}", field.replace("_", " "))
