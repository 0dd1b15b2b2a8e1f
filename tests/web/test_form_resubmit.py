"""Every form that writes a record: submit it with one field wrong, take the form the page gives back,
fix only that field, submit again, and check that the record holds exactly what was entered.

The forms are read from the re-rendered page the way a browser submits them
(``_forms.form_fields``), so a value the page re-shows wrongly (a blank row's
select falling back to its first option) is submitted as a browser would.
"""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tawthiq.domain.enums import IncidentStatus, VictimKind, VictimOutcome
from tawthiq.domain.model import Incident
from tawthiq.services import Workspace, accounts
from tawthiq.services.ingest import ingest_files
from tawthiq.store import repository
from tawthiq.store.history import history, incident_history
from tawthiq.store.incidents import get_incident
from tawthiq.store.tables import incidents, sources

from _client import PASSWORD, client_for, make_user, sign_in, signed_in
from _forms import Form, encoded, form_fields, submit
from _record_helpers import SAMPLES

ARIHA = SAMPLES / "01-ariha-air-strike.en.txt"


@pytest.fixture
def ariha(ws: Workspace) -> int:
    """The Ariha air strike suggestion: six civilians killed, at least 14 injured."""
    (result,) = ingest_files(ws, [ARIHA])
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


def _resubmit(client: Any, action: str, fields: list[tuple[str, str]], *,
              button: tuple[str, str] | None = None) -> Any:
    return client.post(action, data=encoded(submit(fields, button)), follow_redirects=False)


def _refused_then_form(client: Any, page_path: str, action: str, wrong: dict[str, str | list[str]], *,
                       button: tuple[str, str] | None = None, status: int = 400) -> tuple[Form, Form]:
    """Read the form on ``page_path``, submit it with ``wrong`` values, and return (first form, re-shown form)."""
    page = client.get(page_path)
    assert page.status_code == 200, page.text[:300]
    form = form_fields(page.text, action)
    refused = _resubmit(client, action, form.with_values(**wrong), button=button)
    assert refused.status_code == status, refused.text[:500]
    return form, form_fields(refused.text, action)


def _same_except(first: Form, again: Form, *names: str) -> None:
    """The re-shown form holds what was submitted: the first form's values, ``names`` aside."""
    keep = [(n, v) for n, v in first.fields if n not in names and n != "csrf_token"]
    back = [(n, v) for n, v in again.fields if n not in names and n != "csrf_token"]
    assert sorted(back) == sorted(keep)


def test_edit_and_save_with_a_bad_date_keeps_everything_else_exactly(ws: Workspace, ariha: int) -> None:
    before = get_incident(ws.db, ariha)
    assert before is not None
    client = signed_in(ws, "nour", "documenter")
    description = "Three air strikes on al-Basha, Ariha. ملاحظة: التحقق جارٍ"
    comment = "corrected date and description after a call with the field researcher"
    first, again = _refused_then_form(client, f"/review/{ariha}", f"/review/{ariha}/edit", {
        "date": "12/05/2019", "description": description, "comment": comment}, button=("then", "save"))
    assert again.value("date") == "12/05/2019" and again.value("description") == description
    assert again.value("comment") == comment
    _same_except(first, again, "date", "description", "comment")
    done = _resubmit(client, f"/review/{ariha}/edit", again.with_values(date="2019-05-13"),
                     button=("then", "save"))
    assert done.status_code == 303, done.text[:500]
    after = get_incident(ws.db, ariha)
    assert after is not None and after.status is IncidentStatus.SUGGESTED
    assert after.date is not None and after.date.edtf == "2019-05-13"
    assert after.description == description
    # Nothing else moved: the same victim groups, violations, perpetrators, place and confidentiality.
    assert [(str(v.outcome), str(v.kind), v.count_min, v.count_max, str(v.unit), str(v.sex), str(v.age))
            for v in after.victims] == [(str(v.outcome), str(v.kind), v.count_min, v.count_max, str(v.unit),
                                         str(v.sex), str(v.age)) for v in before.victims]
    assert after.violations == before.violations and after.perpetrators == before.perpetrators
    assert after.location == before.location and after.confidentiality == before.confidentiality
    [edit] = [e for e in incident_history(ws.db, ariha) if e.action == "edit"]
    assert set(edit.after) == {"date", "description"} and edit.comment == comment


def test_reject_without_a_reason_then_with_one(ws: Workspace, ariha: int) -> None:
    client = signed_in(ws, "nour", "documenter")
    _, again = _refused_then_form(client, f"/review/{ariha}", f"/review/{ariha}/reject", {"comment": "   "})
    reason = "a duplicate of the network's earlier report, same strike"
    assert _resubmit(client, f"/review/{ariha}/reject", again.with_values(comment=reason)).status_code == 303
    incident = get_incident(ws.db, ariha)
    assert incident is not None and incident.status is IncidentStatus.REJECTED
    assert incident_history(ws.db, ariha)[-1].comment == reason


def test_merge_into_a_bad_id_then_the_right_one(ws: Workspace, ariha: int) -> None:
    other = repository.add_incident(ws.db, Incident(  # type: ignore[arg-type]
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, description="the same strike, reported later"))
    client = signed_in(ws, "nour", "documenter")
    reason = "same strike: same place, day and count"
    first, again = _refused_then_form(client, f"/review/{ariha}", f"/review/{ariha}/merge",
                                      {"into_id": "99999", "comment": reason})
    assert again.value("comment") == reason and again.value("into_id") == "99999"
    done = _resubmit(client, f"/review/{ariha}/merge", again.with_values(into_id=str(other)))
    assert done.status_code == 303, done.text[:500]
    incident = get_incident(ws.db, ariha)
    assert incident is not None and incident.status is IncidentStatus.MERGED and incident.merged_into_id == other
    assert [e.comment for e in incident_history(ws.db, ariha) if e.action == "merge"] == [reason]


def test_incident_by_hand_with_a_bad_count_then_fixed(ws: Workspace, ariha: int) -> None:
    """Hand entry is the correction form's fields: checkbox lists, several perpetrators, victim rows."""
    source_id = get_incident(ws.db, ariha).source_id  # type: ignore[union-attr]
    client = signed_in(ws, "nour", "documenter")
    entered: dict[str, str | list[str]] = {
        "quote": "killing six civilians", "event_type": "air-drone-strike",
        "violations": ["killing", "indiscriminate-attack"], "perpetrators": ["russia", "syrian-government"],
        "place_name": "Ariha", "date": "2019-05-12", "victims-0-outcome": "killed", "victims-0-kind": "civilian",
        "victims-0-count_min": "six", "victims-0-count_max": "6", "victims-0-children": "2",
        "description": "Air strikes on al-Basha, documented by hand", "confidentiality": "restricted",
        "comment": "documented from the field report"}
    first, again = _refused_then_form(client, f"/add/incident?source_id={source_id}", "/add/incident", entered)
    assert again.value("victims-0-count_min") == "six" and again.value("victims-0-children") == "2"
    assert sorted(again.values("perpetrators")) == ["russia", "syrian-government"]
    # The re-shown form is the submitted one, plus the blank row for another group.
    blank = [n for n in again.names() if n.startswith("victims-1-")]
    _same_except(Form(action=first.action, fields=first.with_values(**entered), buttons=[]), again, *blank)
    done = _resubmit(client, "/add/incident", again.with_values(**{"victims-0-count_min": "6"}))
    assert done.status_code == 303, done.text[:500]
    new_id = int(done.headers["location"].rsplit("/", 1)[1])
    incident = get_incident(ws.db, new_id)
    assert incident is not None
    assert [(str(v.outcome), str(v.kind), v.count_min, v.count_max, v.children) for v in incident.victims] == [
        ("killed", "civilian", 6, 6, 2)]
    # Checkboxes are sent in the order the list shows them: the choices, not their order, are the record.
    assert incident.event_type == "air-drone-strike"
    assert sorted(incident.violations) == ["indiscriminate-attack", "killing"]
    assert sorted(i.actor for i in incident.perpetrators) == ["russia", "syrian-government"]
    assert incident.date is not None and incident.date.edtf == "2019-05-12"
    assert incident.description == "Air strikes on al-Basha, documented by hand"
    assert str(incident.confidentiality) == "restricted"


def test_paste_without_text_then_with_it(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    title = "تقرير ميداني: أريحا"
    _, again = _refused_then_form(client, "/add", "/add/text", {"title": title, "language": "ar", "text": " "})
    assert again.value("title") == title and again.value("language") == "ar"
    text = "قصفت طائرات حربية حي البشا في مدينة أريحا يوم 12 أيار 2019."
    done = _resubmit(client, "/add/text", again.with_values(text=text))
    assert done.status_code == 200, done.text[:500]
    with ws.db.session() as session:  # type: ignore[attr-defined]
        row = session.execute(select(sources.c.title, sources.c.language, sources.c.text)).one()
    assert (row.title, row.language, row.text.strip()) == (title, "ar", text)


@pytest.fixture
def admin(ws: Workspace) -> Any:
    make_user(ws, "root.admin", "admin")
    return signed_in(ws, "root.admin")


def test_create_user_with_a_bad_name_then_fixed_keeps_the_role_chosen(ws: Workspace, admin: Any) -> None:
    entered = {"username": "new reviewer", "display_name": "رنا", "role": "reviewer",
               "comment": "joins the verification team"}
    _, again = _refused_then_form(admin, "/admin/users", "/admin/users", entered)
    # Shown again as typed: the role is still "reviewer", not the form's default.
    assert [again.value(k) for k in entered] == list(entered.values())
    assert _resubmit(admin, "/admin/users", again.with_values(username="rana.reviewer")).status_code == 200
    [user] = [u for u in accounts.list_users(ws, actor=None) if u.username == "rana.reviewer"]
    assert (str(user.role), user.display_name) == ("reviewer", "رنا")
    [created] = history(ws.db, entity="user", entity_id=user.id)
    assert created.comment == "joins the verification team"


def test_change_role_with_a_bad_role_then_fixed_keeps_the_comment(ws: Workspace, admin: Any) -> None:
    target = make_user(ws, "sami", "viewer")
    action = "/admin/users/sami/role"
    _, again = _refused_then_form(admin, "/admin/users", action, {"role": "overlord", "comment": "promoted"})
    assert again.value("role") == "viewer"  # the stored role, never the list's first option
    assert again.value("comment") == "promoted"
    assert _resubmit(admin, action, again.with_values(role="documenter")).status_code == 303
    [user] = [u for u in accounts.list_users(ws, actor=None) if u.id == target.id]
    assert str(user.role) == "documenter"
    assert history(ws.db, entity="user", entity_id=target.id)[-1].comment == "promoted"


def test_password_change_with_a_mismatch_then_fixed(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    new = "a much longer passphrase for the archive"  # one holding the user name is refused as weak
    _, again = _refused_then_form(client, "/password", "/password",
                                  {"current": PASSWORD, "new": new, "repeat": new + "x"})
    # Passwords are never sent back in a page: the form comes back empty and is filled again.
    assert {again.value(k) for k in ("current", "new", "repeat")} == {""}
    done = _resubmit(client, "/password", again.with_values(current=PASSWORD, new=new, repeat=new))
    assert done.status_code == 303, done.text[:500]
    fresh = client_for(ws)
    assert sign_in(fresh, "nour", PASSWORD).status_code != 303
    assert sign_in(fresh, "nour", new).status_code == 303


def test_token_without_a_name_then_with_one(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    _, again = _refused_then_form(client, "/account", "/account/tokens", {"name": "   "})
    assert _resubmit(client, "/account/tokens", again.with_values(name="nightly export")).status_code == 201
    user = next(u for u in accounts.list_users(ws, actor=None) if u.username == "nour")
    assert [t.name for t in accounts.list_api_tokens(ws, user=user)] == ["nightly export"]


def test_token_with_too_long_a_lifetime_then_a_shorter_one(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    first, again = _refused_then_form(client, "/account", "/account/tokens",
                                      {"name": "monthly report", "days": "400"})
    assert again.value("days") == "400" and again.value("name") == "monthly report"
    assert _resubmit(client, "/account/tokens", again.with_values(days="30")).status_code == 201
    user = next(u for u in accounts.list_users(ws, actor=None) if u.username == "nour")
    [token] = accounts.list_api_tokens(ws, user=user)
    assert token.name == "monthly report" and token.expires_at is not None
    assert 29 <= (token.expires_at - token.created_at).days <= 30


def test_accept_and_verify_store_the_comment_as_typed(ws: Workspace, ariha: int) -> None:
    """One optional comment each, nothing a person can get wrong: the decision holds exactly what was typed."""
    client = signed_in(ws, "rana", "reviewer")
    page = client.get(f"/review/{ariha}")
    form = form_fields(page.text, f"/review/{ariha}/accept")
    typed = "  matches the field report; أكّده الباحث الميداني  "
    assert _resubmit(client, f"/review/{ariha}/accept", form.with_values(comment=typed)).status_code == 303
    assert incident_history(ws.db, ariha)[-1].comment == typed.strip()
    page = client.get(f"/incidents/{ariha}")
    form = form_fields(page.text, f"/incidents/{ariha}/verify")
    assert _resubmit(client, f"/incidents/{ariha}/verify", form.with_values(comment="checked")).status_code == 303
    incident = get_incident(ws.db, ariha)
    assert incident is not None and incident.status is IncidentStatus.VERIFIED
    assert incident_history(ws.db, ariha)[-1].comment == "checked"


def test_upload_without_a_file_then_with_one_stores_its_bytes(ws: Workspace) -> None:
    import hashlib

    client = signed_in(ws, "nour", "documenter")
    _, again = _refused_then_form(client, "/add", "/add/upload", {})
    body = "Ariha, 12 May 2019: air strikes killed six civilians.\n".encode()
    done = client.post("/add/upload", data=encoded(again.fields), files=[("files", ("ariha.txt", body, "text/plain"))])
    assert done.status_code == 200, done.text[:500]
    with ws.db.session() as session:  # type: ignore[attr-defined]
        [(sha, name)] = session.execute(select(sources.c.sha256, sources.c.original_name)).all()
    assert (sha, name) == (hashlib.sha256(body).hexdigest(), "ariha.txt")


def test_disable_enable_and_reset_store_the_comment_as_typed(ws: Workspace, admin: Any) -> None:
    """A comment is all these forms hold (nothing on them can be wrong): each decision keeps it exactly."""
    target = make_user(ws, "sami", "viewer")
    for step, comment, expected in (("disable", "left the team", 303), ("enable", "back in March", 303),
                                    ("reset-password", "lost the phone", 200)):
        action = f"/admin/users/sami/{step}"
        form = form_fields(admin.get("/admin/users").text, action)
        done = _resubmit(admin, action, form.with_values(comment=comment))
        assert done.status_code == expected, done.text[:300]
        assert history(ws.db, entity="user", entity_id=target.id)[-1].comment == comment, step
    [user] = [u for u in accounts.list_users(ws, actor=None) if u.id == target.id]
    assert not user.disabled and user.must_change_password
