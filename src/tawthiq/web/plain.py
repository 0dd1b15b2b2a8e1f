"""The plain-language helpers a template calls, bound to the page's language (``plain`` in every page).

Templates say ``plain.date(d.edtf)``, ``plain.why(claim)``, ``plain.grade("F", "6")`` instead of
showing the stored code; see ``plain_words`` and ``plain_rules`` for the words themselves.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .i18n import translate
from .plain_rules import Why, why
from .plain_words import (
    confidence_band,
    confidence_words,
    date_words,
    degree_words,
    grade_legend,
    grade_words,
    params_words,
)
from .wording import list_separator

# The fields a claim's words can back, in the order of the legend; each has its own colour in record.css.
MARK_FIELDS = ("event_type", "violation", "perpetrator", "target", "victims", "location", "date")
CONTEXT_MARKS = frozenset({"evidence", "description"})
# Where spans overlap, the piece takes the colour of the field whose words are usually the narrowest: a
# violation is often read from the whole sentence, a date or a count from a few words.
MARK_PRIORITY = ("date", "victims", "location", "perpetrator", "target", "event_type", "violation")


@dataclass(frozen=True, slots=True)
class Plain:
    lang: str
    show_names: bool = False  # whether the reader may see who entered a claim

    def why(self, claim: Any) -> Why:
        span = getattr(claim, "span", None)
        return why(self.lang, method=str(getattr(claim, "method", "") or ""),
                   confidence=getattr(claim, "confidence", None),
                   quote=span.quote if span is not None else "",
                   created_by=str(getattr(claim, "created_by", "") or ""), show_names=self.show_names)

    def date(self, edtf: str | None) -> str:
        return date_words(self.lang, edtf)

    def degree(self, degree: Any) -> str:
        return degree_words(self.lang, str(degree))

    def confidence(self, value: float | None) -> str:
        return confidence_words(self.lang, value)

    def band(self, value: float | None) -> str:
        return confidence_band(value)

    def grade(self, reliability: Any, credibility: Any) -> str:
        return grade_words(self.lang, str(reliability), str(credibility))

    def grade_legend(self) -> dict[str, list[tuple[str, str]]]:
        return grade_legend(self.lang)

    def params(self, params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
        return params_words(self.lang, params)

    def mark_field(self, fields: Iterable[str]) -> str:
        """The one field a marked piece is coloured for: the most specific claim, else the sentence."""
        present = set(fields)
        for name in MARK_PRIORITY:
            if name in present:
                return name
        return "evidence" if present & CONTEXT_MARKS or not present else "other"

    def mark_title(self, segment: Any) -> str:
        """What a marked piece backs, named, for its title (read out by screen readers): its own fields,
        else "the sentence" and what was read from the whole of it."""
        narrow = [f for f in MARK_FIELDS if f in set(segment.narrow_fields)]
        if narrow:
            return " · ".join(translate(self.lang, f"plain.mark.{f}") for f in narrow)
        broad = [translate(self.lang, f"plain.mark.{f}") for f in MARK_FIELDS if f in set(segment.fields)]
        sentence = translate(self.lang, "plain.mark.evidence")
        return f"{sentence} ({list_separator(self.lang).join(broad)})" if broad else sentence

    def legend(self, segments: Iterable[Any]) -> list[tuple[str, str]]:
        """(field, label) for each colour used on this text, in a fixed order."""
        used = {self.mark_field(s.narrow_fields) for s in segments if getattr(s, "marked", False)}
        return [(f, translate(self.lang, f"plain.mark.{f}")) for f in (*MARK_FIELDS, "evidence") if f in used]
