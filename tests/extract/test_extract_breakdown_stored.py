"""An incident stored from extraction keeps its victim breakdown and the claim behind it (SQLite and
PostgreSQL through the ``ws`` fixture; PostgreSQL skips when absent)."""
from __future__ import annotations

import pytest

from tawthiq.domain import ClaimField
from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace, accounts, ingest, reading
from tawthiq.store.incidents import get_incident

REPORTS = {
    "en": (("On 4 May 2016 regime warplanes struck the market in Atarib, killing 14 civilians, including 6 children "
            "and 2 women, local activists said."), "including 6 children and 2 women"),
    "ar": ("قتل 14 مدنياً بينهم 6 أطفال وامرأتان جراء غارة جوية لطائرات النظام على سوق مدينة الأتارب في 4 أيار 2016.",
           "بينهم 6 أطفال وامرأتان"),
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_stored_incident_keeps_the_breakdown_and_its_claim(ws: Workspace, lang: str) -> None:
    text, quote = REPORTS[lang]
    user = accounts.create_user(ws, actor=None, username="documenter", password="correct horse battery",
                                role="documenter")  # type: ignore[arg-type]
    (source_id,) = ingest.ingest_text(ws, user=user, text=text).source_ids
    (item,) = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=source_id), sort="id").items
    stored = get_incident(ws.db, int(item.id))
    assert stored is not None
    (killed,) = [g for g in stored.victims if str(g.outcome) == "killed"]
    assert (killed.count_min, killed.count_max, killed.children, killed.women, killed.men) == (14, 14, 6, 2, None)
    (claim,) = [c for c in stored.claims if c.field is ClaimField.VICTIMS and c.method == "rule:victims/breakdown/marker"]
    assert claim.span is not None and claim.span.quote == quote
    assert text[claim.span.start:claim.span.end] == quote and claim.source_id == source_id
    assert (claim.value["children"], claim.value["women"], claim.value["men"]) == (6, 2, None)
