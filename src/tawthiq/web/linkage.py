"""How the linker's words are shown: comparison names, levels and weights in the page's language.

The linker names its comparisons ("date", "place"…) and the levels a pair
reached ("same day", "within 5 km"…) in English. The known ones have
interface texts (``link.comparison.*``, ``link.level.*`` in ``i18n/link.toml``);
a level the texts do not know yet (a new model) is shown as the linker wrote it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .i18n import translate
from .listing import whole_number

MAX_BAR = 6.0  # a weight of ±6 (a Bayes factor of 64) or more fills its half of the bar


@dataclass(frozen=True, slots=True)
class WeightRow:
    name: str  # the comparison as the linker names it
    label: str  # in the page's language
    level: str  # the level reached, in the page's language (or as written when unknown)
    weight: float
    percent: int  # of the bar's half, 0..100

    @property
    def sign(self) -> str:
        return "for" if self.weight > 0 else "against" if self.weight < 0 else "none"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def _known(lang: str, key: str, fallback: str) -> str:
    text = translate(lang, key)
    return fallback if text == key else text


def level_label(lang: str, level: str) -> str:
    if not level:
        return ""
    if _NULL_LEVEL.search(level):  # Splink's null level names the SQL ("given is NULL"): one side is silent
        return translate(lang, "link.level.unknown")
    return _known(lang, f"link.level.{_slug(level)}", level)


# A null level as Splink labels it: "given is NULL", "by_lo_l IS NULL OR by_lo_r IS NULL".
_NULL_LEVEL = re.compile(r"\bis null\b", re.IGNORECASE)


def comparison_label(lang: str, name: str) -> str:
    if name.startswith("extra:"):  # an extra attribute two lists share, named as the lists name the column
        return translate(lang, "link.comparison.extra", name=name.removeprefix("extra:"))
    return _known(lang, f"link.comparison.{_slug(name)}", name)


def weight_rows(lang: str, weights: dict[str, float], levels: dict[str, str]) -> list[WeightRow]:
    """One row per comparison, in the linker's order, with its share of the bar."""
    rows = []
    for name in dict.fromkeys([*weights, *levels]):
        weight = float(weights.get(name, 0.0))
        rows.append(WeightRow(name=name, label=comparison_label(lang, name),
                              level=level_label(lang, levels.get(name, "")), weight=weight,
                              percent=int(round(min(abs(weight), MAX_BAR) / MAX_BAR * 100))))
    return rows


def matrix_field_label(lang: str, field: str) -> str:
    """A corroboration field ("date", "victims:killed"…) in the page's language."""
    if field.startswith("victims:"):
        outcome = field.split(":", 1)[1]
        return translate(lang, "link.matrix.field.victims",
                         outcome=_known(lang, f"record.outcome.{outcome}", outcome))
    return _known(lang, f"link.matrix.field.{_slug(field)}", field)


def verdict_label(lang: str, verdict: Any) -> str:
    value = str(getattr(verdict, "value", verdict))
    return _known(lang, f"link.verdict.{_slug(value)}", value)


def _number(raw: str | None) -> int:
    return whole_number(raw, 0, most_digits=18)


def linked_notice(lang: str, params: Mapping[str, str]) -> str:
    """What was just decided (after a redirect: ``linked=same&a=1&b=2``, ``linked=undone&j=7``); empty if nothing."""
    linked = params.get("linked", "")
    a, b = _number(params.get("a")), _number(params.get("b"))
    if linked in ("same", "not-same", "unsure") and a and b:
        return translate(lang, f"link.done.{_slug(linked)}", left=a, right=b)
    if linked == "undone" and _number(params.get("j")):
        return translate(lang, "link.done.undone", id=_number(params.get("j")))
    return ""
