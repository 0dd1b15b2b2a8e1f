"""The incident form's controlled vocabularies as (code, label in the page's language).

Shared by both forms that state an incident (the correction on the review page and
hand entry), so that they offer the same choices in the same order.
"""
from __future__ import annotations

from typing import Any

from ..domain import vocab
from ..domain.enums import (
    AgeGroup,
    Confidentiality,
    CountingUnit,
    Sex,
    VictimKind,
    VictimOutcome,
)
from .i18n import translate
from .templating import term_label


def incident_choices(lang: str) -> dict[str, list[tuple[str, str]]]:
    """Every controlled vocabulary of the incident form, labelled in ``lang`` (terms sorted by label)."""
    def t(key: str) -> str:
        return translate(lang, key)

    def listed(codes: Any, kind: str) -> list[tuple[str, str]]:
        return sorted(((c, term_label(lang, kind, c)) for c in codes), key=lambda p: p[1].casefold())

    return {
        "event_types": listed(vocab.event_types(), "event_type"),
        "violations": listed(vocab.violations(), "violation"),
        "actors": listed(vocab.actors(), "actor"),
        "outcomes": [(o.value, t(f"record.outcome.{o.value}")) for o in VictimOutcome],
        "kinds": [(k.value, t(f"record.kind.{k.value}")) for k in VictimKind],
        "units": [(u.value, t(f"record.unit.{u.value}")) for u in CountingUnit],
        "sexes": [(s.value, t(f"record.sex.{s.value}")) for s in Sex],
        "ages": [(a.value, t(f"record.age.{a.value}")) for a in AgeGroup],
        "confidentialities": [(c.value, t(f"record.confidentiality.{c.value}")) for c in Confidentiality],
    }
