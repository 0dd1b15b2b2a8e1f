"""Issue 12 fixes (A3, A4, A2 on the pages): a date typed in Arabic-Indic digits is stored in ASCII, a date
not yet come is refused in the page's language with the typed values kept (correction form, hand entry,
API), and a change to a verified incident under the second-reviewer rule says it went back to accepted."""
from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from _api_helpers import Fixture, client, populate
from _client import form_token, signed_in, with_users
from _forms import encoded, form_fields

from tawthiq.domain.enums import IncidentStatus, SourceKind, VictimKind, VictimOutcome
from tawthiq.domain.model import Incident, IncidentDate, Source, VictimGroup
from tawthiq.services import Workspace, accounts, second_review
from tawthiq.store import repository
from tawthiq.store.incidents import add_incident, get_incident

TEXT = "On 7 May 2019 a barrel bomb hit the market in Saraqib, killing twelve civilians."
FUTURE = (date.today() + timedelta(days=400)).isoformat()


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    return with_users(ws, doc="documenter", rev="reviewer", rev2="reviewer", boss="admin")


@pytest.fixture
def incident_id(ws: Workspace) -> int:
    sid, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="ef" * 32, text=TEXT,
                                                 title="Saraqib market report"))
    return add_incident(ws.db, Incident(
        event_type="air-drone-strike",
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=12, count_max=12)],
        date=IncidentDate(edtf="2019-05-06"), description="A barrel bomb on the market",
        status=IncidentStatus.SUGGESTED, source_id=sid))


def _error(html: str, testid: str = "form-error") -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert found, f"no {testid} in the page"
    return unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def _correct(ws: Workspace, incident_id: int, lang: str, user: str = "doc", **changes: str):  # type: ignore[no-untyped-def]
    client = signed_in(ws, user, lang=lang)
    fields = form_fields(client.get(f"/review/{incident_id}").text, f"/review/{incident_id}/edit").with_values(
        **changes)
    return client, client.post(f"/review/{incident_id}/edit", data=encoded([*fields, ("then", "save")]),
                               follow_redirects=False)


@pytest.mark.parametrize("typed", ["٢٠١٩-٠٥-٠٧", "۲۰۱۹-۰۵-۰۷", "\u200f٢٠١٩-٠٥-٠٧"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_arabic_indic_digits_in_a_corrected_date_are_stored_ascii(ws: Workspace, incident_id: int, lang: str,
                                                                 typed: str) -> None:
    _, done = _correct(ws, incident_id, lang, date=typed, comment="the report says the seventh")
    assert done.status_code == 303, done.text[:400]
    stored = get_incident(ws.db, incident_id)
    assert stored is not None and stored.date is not None and stored.date.edtf == "2019-05-07"
    english = unescape(signed_in(ws, "rev").get(f"/incidents/{incident_id}").text)
    assert "7 May 2019" in english and "٢٠١٩" not in english
    csv_text = signed_in(ws, "rev").get("/incidents/export?format=csv").text
    assert "2019-05-07" in csv_text and "٢٠١٩" not in csv_text


@pytest.mark.parametrize("lang,said", [
    ("en", f"The date {FUTURE} is after today: an event date cannot be in the future."),
    ("ar", f"التاريخ {FUTURE} بعد اليوم: لا يمكن أن يكون تاريخ الحادثة في المستقبل."),
])
def test_a_future_date_is_refused_in_the_page_language_with_the_values_kept(
        ws: Workspace, incident_id: int, lang: str, said: str) -> None:
    _, refused = _correct(ws, incident_id, lang, date=FUTURE, description="typed <i>words</i>",
                          comment="a typo")
    assert refused.status_code == 400
    assert _error(refused.text) == said
    again = form_fields(refused.text, f"/review/{incident_id}/edit")
    assert (again.value("date"), again.value("description"), again.value("comment")) == (
        FUTURE, "typed <i>words</i>", "a typo")
    stored = get_incident(ws.db, incident_id)
    assert stored is not None and stored.date is not None and stored.date.edtf == "2019-05-06"
    assert stored.description == "A barrel bomb on the market"


@pytest.mark.parametrize("lang,said", [
    ("en", "The date 2099/.. is after today: an event date cannot be in the future."),
    ("ar", "التاريخ 2099/.. بعد اليوم: لا يمكن أن يكون تاريخ الحادثة في المستقبل."),
])
def test_hand_entry_refuses_a_future_date_in_the_page_language(ws: Workspace, incident_id: int, lang: str,
                                                               said: str) -> None:
    source_id = get_incident(ws.db, incident_id).source_id  # type: ignore[union-attr]
    client = signed_in(ws, "doc", lang=lang)
    page = client.get(f"/add/incident?source_id={source_id}").text
    data = {"csrf_token": form_token(page), "source_id": str(source_id), "quote": "a barrel bomb hit the market",
            "event_type": "air-drone-strike", "victims-0-outcome": "killed", "victims-0-count_min": "12",
            "date": "2099/.."}
    refused = client.post("/add/incident", data=data, follow_redirects=False)
    assert refused.status_code == 400
    assert _error(refused.text, "hand-error") == said
    assert form_fields(refused.text, "/add/incident").value("date") == "2099/.."
    # Arabic-Indic digits are stored ASCII here too.
    done = client.post("/add/incident", data={**data, "date": "٢٠١٩-٠٥-٠٧"}, follow_redirects=False)
    assert done.status_code == 303, done.text[:400]
    made = get_incident(ws.db, int(done.headers["location"].rsplit("/", 1)[1]))
    assert made is not None and made.date is not None and made.date.edtf == "2019-05-07"


def test_the_api_stores_ascii_digits_and_refuses_a_future_date(ws: Workspace) -> None:
    fx: Fixture = populate(ws, ws.settings.data_dir)
    api = client(ws)
    headers = {"Authorization": f"Bearer {fx.tokens['reviewer']}"}
    path = f"/api/incidents/{fx.ids['R']}"
    done = api.patch(path, json={"date": {"edtf": "٢٠١٩-٠٥-٠٧"}, "comment": "the seventh"}, headers=headers)
    assert done.status_code == 200, done.text
    assert done.json()["incident"]["date"]["edtf"] == "2019-05-07"
    refused = api.patch(path, json={"date": {"edtf": "2099-01-01"}, "comment": "typo"}, headers=headers)
    assert refused.status_code == 400 and "future" in refused.json()["error"]
    assert api.get(path, headers=headers).json()["date"]["edtf"] == "2019-05-07"


@pytest.mark.parametrize("lang,said", [
    ("en", "is back to accepted and hidden from viewers until another reviewer verifies it again"),
    ("ar", "فعادت إلى «مقبولة» وحُجبت عن المطّلعين حتى يتحقّق منها مراجعٌ آخر من جديد"),
])
def test_changing_a_verified_incident_under_the_rule_says_it_waits_for_another_verification(
        ws: Workspace, incident_id: int, lang: str, said: str) -> None:
    admin = accounts.get_user(ws, actor=None, username="boss")
    second_review.set_required(ws, user=admin, on=True, comment="two pairs of eyes")
    client = signed_in(ws, "rev", lang=lang)
    page = client.get(f"/review/{incident_id}").text
    client.post(f"/review/{incident_id}/accept", data={"csrf_token": form_token(page)})
    other = signed_in(ws, "rev2")
    page = other.get(f"/incidents/{incident_id}").text
    other.post(f"/incidents/{incident_id}/verify", data={"csrf_token": form_token(page)})
    assert get_incident(ws.db, incident_id).status is IncidentStatus.VERIFIED  # type: ignore[union-attr]
    _, done = _correct(ws, incident_id, lang, user="rev", **{"victims-0-count_min": "50",
                                                             "victims-0-count_max": "50", "comment": "fifty"})
    assert done.status_code == 303 and done.headers["location"].endswith("done=edited_reverify")
    shown = unescape(client.get(done.headers["location"]).text)
    assert said in shown
    assert get_incident(ws.db, incident_id).status is IncidentStatus.CONFIRMED  # type: ignore[union-attr]
