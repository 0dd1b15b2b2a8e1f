"""The incident page through the app: claims, victims, history, map, roles, and escaped report text."""
from __future__ import annotations

import re
from pathlib import Path

from _client import form_token, make_user, signed_in
from _record_helpers import ingest_text, text_of

from tawthiq.domain.access import User
from tawthiq.domain.enums import Confidentiality, IncidentStatus
from tawthiq.domain.filters import IncidentFilter
from tawthiq.domain.model import Person
from tawthiq.services import Workspace, reading, review
from tawthiq.store.incidents import add_person, get_incident

HOSTILE = ("Douma, 5 March 2015: A government air strike killed three civilians <script>alert(1)</script> "
           "in the market of Douma <img src=x onerror=alert(1)>, activists said.\n")
ARABIC = "حلب، 12 آذار 2016: قتل خمسة مدنيين بينهم طفلان جراء قصف جوي لطائرات النظام على حي الشعار في مدينة حلب.\n"


def _incident_for(ws: Workspace, user: User, source_id: int) -> int:
    found = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=source_id), sort="id")
    assert found.items, "the extractor found an incident in the test report"
    return found.items[0].id


def _assert_escaped(page: str) -> None:
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page and "<img src=\"x\"" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    # Only the app's own script files, never an inline script.
    assert all(tag.startswith("<script src=\"/static/") for tag in re.findall(r"<script[^>]*>", page))


def test_hostile_report_text_is_escaped_on_review_incident_and_source_pages(ws: Workspace, tmp_path: Path) -> None:
    user = make_user(ws, "nour", "documenter")
    (source_id,) = ingest_text(ws, tmp_path, "hostile.txt", HOSTILE)
    incident_id = _incident_for(ws, user, source_id)
    client = signed_in(ws, "nour")
    for url in (f"/review/{incident_id}", f"/incidents/{incident_id}", f"/sources/{source_id}"):
        page = client.get(url)
        assert page.status_code == 200, url
        _assert_escaped(page.text)
        assert "onerror=alert(1)" not in re.sub(r"&lt;img src=x onerror=alert\(1\)&gt;", "", page.text)


def test_incident_page_shows_fields_claims_victims_sources_and_map(ws: Workspace, tmp_path: Path) -> None:
    user = make_user(ws, "nour", "documenter")
    (source_id,) = ingest_text(ws, tmp_path, "aleppo.txt", ARABIC)
    incident_id = _incident_for(ws, user, source_id)
    incident = get_incident(ws.db, incident_id)
    client = signed_in(ws, "nour")
    page = client.get(f"/incidents/{incident_id}")
    assert page.status_code == 200
    html = page.text
    assert f'data-value="{incident.event_type}"' in html
    assert 'data-testid="victim-group"' in html and ">5</strong>" in html
    # Every claim links to its source with an anchor that exists on the source page.
    anchors = set(re.findall(rf'href="/sources/{source_id}\?at=\d+#(ev-\d+)"', html))
    assert anchors
    source_page = client.get(f"/sources/{source_id}").text
    assert all(f'id="{a}"' in source_page for a in anchors)
    assert "خمسة مدنيين" in text_of(html)  # the Arabic quote, as written
    assert f'href="/sources/{source_id}"' in html
    if incident.location is not None and incident.location.lat is not None:
        assert 'id="map" class="mini-map"' in html and f'data-lat="{incident.location.lat}"' in html
    assert 'data-testid="history"' in html and 'data-status="suggested"' in html


def test_victim_counts_read_as_ranges(ws: Workspace, tmp_path: Path) -> None:
    user = make_user(ws, "rana", "reviewer")
    (source_id,) = ingest_text(ws, tmp_path, "aleppo.txt", ARABIC)
    incident_id = _incident_for(ws, user, source_id)
    client = signed_in(ws, "rana")
    page = client.get(f"/review/{incident_id}")
    done = client.post(f"/review/{incident_id}/edit", data={
        "csrf_token": form_token(page.text), "then": "save", "event_type": "air-drone-strike",
        "violations": list(get_incident(ws.db, incident_id).violations),
        "perpetrators": [i.actor for i in get_incident(ws.db, incident_id).perpetrators],
        "victims-0-outcome": "killed", "victims-0-kind": "civilian", "victims-0-count_min": "3",
        "victims-0-count_max": "5",
        "victims-1-outcome": "injured", "victims-1-kind": "civilian", "victims-1-count_min": "12",
        "victims-2-outcome": "detained", "victims-2-kind": "unknown",
        "victims-3-outcome": "", "victims-3-count_min": "", "victims-3-count_max": "",  # the blank row
        "comment": "counts from a second witness",
    }, follow_redirects=False)
    assert done.status_code == 303, text_of(done.text)[:1500]
    shown = text_of(client.get(f"/incidents/{incident_id}").text)
    assert "3–5" in shown and "≥ 12" in shown and "unknown" in shown
    assert len(get_incident(ws.db, incident_id).victims) == 3


def test_viewer_gets_404_for_a_restricted_incident_and_no_sources(ws: Workspace, tmp_path: Path) -> None:
    staff = make_user(ws, "rana", "reviewer")
    (source_id,) = ingest_text(ws, tmp_path, "hostile.txt", HOSTILE)
    incident_id = _incident_for(ws, staff, source_id)
    viewer = signed_in(ws, "guest", "viewer")
    missing = viewer.get(f"/incidents/{incident_id}")
    assert missing.status_code == 404 and "Traceback" not in missing.text
    assert viewer.get(f"/sources/{source_id}").status_code in (403, 404)
    assert viewer.get(f"/sources/{source_id}/original").status_code in (403, 404)
    assert viewer.get("/incidents/999999").status_code == 404

    add_person(ws.db, Person(name="سعاد <b>X</b>", name_alt="Suad", incident_id=incident_id), user="rana")
    staff_page = signed_in(ws, "rana").get(f"/incidents/{incident_id}").text
    assert 'data-testid="persons"' in staff_page and "سعاد &lt;b&gt;X&lt;/b&gt;" in staff_page
    review.verify(ws, user=staff, incident_id=incident_id, comment="checked")
    review.update_incident(ws, user=staff, incident_id=incident_id,
                           changes=review.IncidentChanges(confidentiality=Confidentiality.PUBLIC), comment="publish")
    public = viewer.get(f"/incidents/{incident_id}")
    assert public.status_code == 200
    assert 'data-testid="history"' not in public.text  # the history names staff
    assert "سعاد" not in public.text and 'data-testid="claim-by"' not in public.text
    assert f"/sources/{source_id}" not in public.text  # viewers may not read sources
    assert 'class="quote"' not in public.text and 'data-testid="evidence"' not in public.text  # nor quote them
    _assert_escaped(public.text)  # the description (from the report) is still escaped
    assert 'data-testid="accept"' not in public.text and 'data-testid="verify"' not in public.text


def test_documenter_has_no_verify_button_and_cannot_post_it(ws: Workspace, tmp_path: Path) -> None:
    user = make_user(ws, "nour", "documenter")
    (source_id,) = ingest_text(ws, tmp_path, "aleppo.txt", ARABIC)
    incident_id = _incident_for(ws, user, source_id)
    client = signed_in(ws, "nour")
    page = client.get(f"/incidents/{incident_id}")
    assert 'data-testid="accept"' in page.text and 'data-testid="verify"' not in page.text
    refused = client.post(f"/incidents/{incident_id}/verify", data={"csrf_token": form_token(page.text)})
    assert refused.status_code == 403
    assert get_incident(ws.db, incident_id).status is IncidentStatus.SUGGESTED


def test_reviewer_verifies_from_the_incident_page(ws: Workspace, tmp_path: Path) -> None:
    user = make_user(ws, "rana", "reviewer")
    (source_id,) = ingest_text(ws, tmp_path, "aleppo.txt", ARABIC)
    incident_id = _incident_for(ws, user, source_id)
    client = signed_in(ws, "rana")
    page = client.get(f"/incidents/{incident_id}")
    assert 'data-testid="verify"' in page.text
    assert client.post(f"/incidents/{incident_id}/verify", data={"comment": "no token"}).status_code == 403
    assert get_incident(ws.db, incident_id).status is IncidentStatus.SUGGESTED
    done = client.post(f"/incidents/{incident_id}/verify",
                       data={"csrf_token": form_token(page.text), "comment": "checked against the report"},
                       follow_redirects=False)
    assert done.status_code == 303
    assert get_incident(ws.db, incident_id).status is IncidentStatus.VERIFIED
    shown = client.get(done.headers["location"])
    assert 'data-status="verified"' in shown.text and 'data-testid="done"' in shown.text
    assert "checked against the report" in text_of(shown.text)


def test_public_is_only_offered_to_reviewers(ws: Workspace, tmp_path: Path) -> None:
    user = make_user(ws, "nour", "documenter")
    make_user(ws, "rana", "reviewer")
    (source_id,) = ingest_text(ws, tmp_path, "aleppo.txt", ARABIC)
    incident_id = _incident_for(ws, user, source_id)
    documenter = signed_in(ws, "nour")
    page = documenter.get(f"/review/{incident_id}").text
    select = page[page.index('id="edit-confidentiality"'):]
    select = select[:select.index("</select>")]
    assert 'value="public"' not in select and 'value="restricted"' in select
    refused = documenter.post(f"/review/{incident_id}/edit", data={
        "csrf_token": form_token(page), "then": "save", "confidentiality": "public", "comment": "publish"})
    assert refused.status_code == 400
    assert get_incident(ws.db, incident_id).confidentiality is Confidentiality.RESTRICTED
    reviewer_page = signed_in(ws, "rana").get(f"/review/{incident_id}").text
    assert 'value="public"' in reviewer_page[reviewer_page.index('id="edit-confidentiality"'):]
