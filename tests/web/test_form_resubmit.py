"""Every form that writes a record: submit it with one field wrong, take the form the page gives back,
fix only that field, submit again, and check that the record holds exactly what was entered.

The forms are read from the re-rendered page the way a browser submits them
(``_forms.form_fields``), so a value the page re-shows wrongly (a blank row's
select falling back to its first option) is submitted as a browser would.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tawthiq.domain.enums import IncidentStatus, VictimKind, VictimOutcome
from tawthiq.services import Workspace, ingest
from tawthiq.store.incidents import get_incident
from tawthiq.store.tables import incidents

from _client import form_token, signed_in
from _forms import encoded, form_fields, submit
from _record_helpers import SAMPLES

ARIHA = SAMPLES / "01-ariha-air-strike.en.txt"


@pytest.fixture
def ariha(ws: Workspace) -> int:
    """The Ariha air strike suggestion: six civilians killed, at least 14 injured."""
    (result,) = ingest(ws, [ARIHA])
    assert result.status == "new"
    with ws.db.session() as session:  # type: ignore[attr-defined]
        ids = list(session.scalars(select(incidents.c.id).where(incidents.c.source_id.in_(result.source_ids))))
    for incident_id in ids:
        incident = get_incident(ws.db, incident_id)
        if incident is not None and any(v.outcome is VictimOutcome.KILLED for v in incident.victims):
            return incident_id
    raise AssertionError("the Ariha sample gave no suggestion with a killed group")


def _groups(ws: Workspace, incident_id: int) -> list[tuple[str, str, int | None, int | None]]:
    incident = get_incident(ws.db, incident_id)
    assert incident is not None
    return [(str(v.outcome), str(v.kind), v.count_min, v.count_max) for v in incident.victims]


def _victim_row(fields: list[tuple[str, str]], outcome: str) -> int:
    """The index of the victims row whose outcome select holds ``outcome``."""
    rows = [name.split("-")[1] for name, value in fields if name.endswith("-outcome") and value == outcome]
    assert len(rows) == 1, fields
    return int(rows[0])


def test_correct_and_accept_without_comment_then_with_one_stores_exactly_the_correction(
        ws: Workspace, ariha: int) -> None:
    """Issue 9 A.1: the blank "add a group" row must not become a killed group when the form comes back."""
    before = _groups(ws, ariha)
    assert ("killed", "civilian", 6, 6) in before and len(before) == 2
    client = signed_in(ws, "nour", "documenter")
    page = client.get(f"/review/{ariha}")
    form = form_fields(page.text, f"/review/{ariha}/edit")
    accept = ("then", "accept")
    assert accept in form.buttons
    killed = _victim_row(form.fields, "killed")
    # The blank row is there and submits no outcome.
    assert form.values(f"victims-{len(before)}-outcome") == [""]

    wrong = form.with_values(**{f"victims-{killed}-count_min": "10", f"victims-{killed}-count_max": "10"})
    refused = client.post(f"/review/{ariha}/edit", data=encoded(submit(wrong, accept)), follow_redirects=False)
    assert refused.status_code == 400
    assert 'data-testid="form-error"' in refused.text
    assert _groups(ws, ariha) == before  # nothing stored

    again = form_fields(refused.text, f"/review/{ariha}/edit")
    # The form came back as submitted: the two groups, the correction, and a blank row with no outcome.
    assert again.value(f"victims-{killed}-count_min") == "10"
    assert [v for n, v in again.fields if n.endswith("-outcome")] == [
        v for n, v in form.fields if n.endswith("-outcome")]
    assert again.value("comment") == ""
    fixed = again.with_values(comment="the report says ten; the count was corrected by the network")
    done = client.post(f"/review/{ariha}/edit", data=encoded(submit(fixed, accept)), follow_redirects=False)
    assert done.status_code == 303, done.text

    after = _groups(ws, ariha)
    assert sorted(after) == sorted([("killed", "civilian", 10, 10), *[g for g in before if g[0] != "killed"]])
    incident = get_incident(ws.db, ariha)
    assert incident is not None and incident.status is IncidentStatus.CONFIRMED
    assert all(v.kind is not VictimKind.UNKNOWN for v in incident.victims)
