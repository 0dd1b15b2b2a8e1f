"""The list to verify writes an incident's date as the rest of the interface does (the review queue, the
incidents list): "15 November 2017", "15 تشرين الثاني 2017", in the account's digits; not the stored
2017-11-15, which stays only as data for the page's scripts."""
from __future__ import annotations

import re
from html import unescape

import pytest
from _client import form_token, make_user, signed_in

from tawthiq.domain import Confidentiality, Incident, IncidentDate, Location, Source, SourceKind
from tawthiq.services import Workspace, review
from tawthiq.store import repository


def _accepted(ws: Workspace, sha: str, edtf: str) -> int:
    incident = Incident(event_type="shelling", description=f"Shelling on {edtf}.", date=IncidentDate(edtf=edtf),
                        confidentiality=Confidentiality.PUBLIC, location=Location(name="Douma", admin1="Rif Dimashq"))
    _, _, [iid] = repository.add_source_with_incidents(
        ws.db, Source(kind=SourceKind.TEXT, sha256=sha * 64, text=f"Shelling on {edtf}."), [incident])
    review.accept(ws, user=make_user(ws, f"acc-{sha}", "reviewer"), incident_id=iid)
    return iid


def _dates(html: str) -> dict[int, str]:
    """Per row: the date cell's visible text."""
    out = {}
    for row in re.finditer(r'data-testid="verify-row" data-incident-id="(\d+)".*?</tr>', html, re.DOTALL):
        cell = re.search(r'data-testid="verify-date">(.*?)</td>', row.group(0), re.DOTALL)
        assert cell, "no date cell"
        out[int(row.group(1))] = " ".join(unescape(re.sub(r"<[^>]+>", "", cell.group(1))).split())
    return out


@pytest.mark.parametrize(("lang", "digits", "day", "month", "interval"), [
    ("en", "latn", "15 November 2017", "March 2016", "between 2 March 2017 and 5 March 2017"),
    ("ar", "latn", "15 تشرين الثاني 2017", "آذار 2016", "بين 2 آذار 2017 و5 آذار 2017"),
    ("ar", "arab", "١٥ تشرين الثاني ٢٠١٧", "آذار ٢٠١٦", "بين ٢ آذار ٢٠١٧ و٥ آذار ٢٠١٧"),
])
def test_dates_on_the_list_to_verify_read_as_elsewhere(ws: Workspace, lang: str, digits: str, day: str, month: str,
                                                      interval: str) -> None:
    ids = {edtf: _accepted(ws, sha, edtf) for sha, edtf in (("a", "2017-11-15"), ("b", "2016-03"),
                                                               ("c", "2017-03-02/2017-03-05"))}
    client = signed_in(ws, "rana", "reviewer", lang=lang)
    if digits == "arab":
        client.post("/digits", data={"digits": "arab", "next": "/account",
                                     "csrf_token": form_token(client.get("/account").text)})
    page = client.get("/review/verify")
    assert page.status_code == 200 and f'lang="{lang}"' in page.text
    shown = _dates(page.text)
    assert shown == {ids["2017-11-15"]: day, ids["2016-03"]: month, ids["2017-03-02/2017-03-05"]: interval}
    # The stored form is data for scripts, never what is read.
    assert 'data-edtf="2017-11-15"' in page.text
    assert all("2017-11-15" not in text and "2017-03-02" not in text for text in shown.values())


@pytest.mark.parametrize(("lang", "aleppo", "idlib"), [("en", "12 March 2016", "4 April 2017"),
                                                       ("ar", "12 آذار 2016", "4 نيسان 2017")])
def test_the_incidents_found_in_a_telegram_export_show_dates_in_words(settings: object, lang: str, aleppo: str,
                                                                     idlib: str) -> None:
    """The same defect on the Add page's results (the shared list of incidents found): words, not ISO."""
    from _intake_helpers import allowing_loopback, export_json

    from tawthiq.services import init_workspace
    from tawthiq.store.queries import clear_cache

    clear_cache()
    ws = init_workspace(allowing_loopback(settings))  # type: ignore[arg-type]
    try:
        make_user(ws, "doc", "documenter")
        client = signed_in(ws, "doc", lang=lang)
        done = client.post("/add/telegram", data={"csrf_token": form_token(client.get("/").text)},
                           files=[("export", ("result.json", export_json(), "application/octet-stream"))])
        assert done.status_code == 200
        found = re.search(r'data-testid="found-incidents">(.*?)</ul>', done.text, re.DOTALL)
        assert found
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())
        assert aleppo in text and idlib in text
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]
        clear_cache()
