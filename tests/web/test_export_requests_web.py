"""Asking for an export beyond one's role from the web, and the reviewers' page that answers (issue 13 §5).

A documenter asks for the court profile with a reason (a ``requested`` custody entry); a reviewer approves it
for some hours (an ``approved`` entry naming the request), the documenter downloads (the ``exported`` entry names
the approval), the reviewer withdraws, and the next download is refused with a page that says why and links to
the request form. Errors: one's own request, bad hours, no reason, an expired approval.
"""
from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from _client import form_token, signed_in
from test_export_profiles_web import _incidents

from tawthiq.domain.access import Role
from tawthiq.services import Workspace, accounts
from tawthiq.services.export_approvals import approve_export
from tawthiq.services.export_requests import overview
from tawthiq.store.custody import iter_entries

NEEDS = {"en": "This export needs a reviewer's approval", "ar": "هذا التصدير يحتاج إلى موافقة مراجع"}


def _request_id(html: str) -> int:
    found = re.search(r'data-testid="pending-request" data-request="(\d+)"', html)
    assert found, "no pending request on the page"
    return int(found.group(1))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_request_approve_download_withdraw(ws: Workspace, lang: str) -> None:
    _incidents(ws)
    doc = signed_in(ws, "dina", "documenter", lang=lang)
    page = doc.get("/exports/request?profile=court")
    assert page.status_code == 200
    assert 'data-profile="partner" data-state="direct"' in page.text
    assert 'data-profile="court" data-state="needs-approval"' in page.text
    asked = doc.post("/exports/request", data={"csrf_token": form_token(page.text), "profile": "court",
                                                "reason": "Qzreason mechanism asked"}, follow_redirects=False)
    assert asked.status_code == 303
    assert 'data-profile="court" data-state="pending"' in doc.get("/exports/request").text

    rev = signed_in(ws, "rami", "reviewer", lang=lang)
    listing = rev.get("/exports/approvals")
    assert listing.status_code == 200 and "Qzreason mechanism asked" in listing.text
    rid = _request_id(listing.text)
    token = form_token(listing.text)
    bad = rev.post(f"/exports/approvals/{rid}/approve", data={"csrf_token": token, "hours": "999", "reason": "x"})
    assert bad.status_code == 400 and 'data-testid="form-error"' in bad.text
    arabic_hours = "٢" if lang == "ar" else "2"
    ok = rev.post(f"/exports/approvals/{rid}/approve", data={"csrf_token": token, "hours": arabic_hours,
                                                            "reason": "for the hearing"}, follow_redirects=False)
    assert ok.status_code == 303
    again = rev.post(f"/exports/approvals/{rid}/approve", data={"csrf_token": token, "hours": "2", "reason": "x"})
    assert again.status_code == 400  # already answered

    got = doc.get("/incidents/export?format=json&profile=court")
    assert got.status_code == 200 and "Qzconfidential" in got.text
    entries = list(iter_entries(ws.db))
    approval = next(e for e in entries if e.event == "approved")
    assert approval.details["request"] == rid and approval.actor == "rami"
    assert (approval.details["expires"] > (datetime.now(UTC) + timedelta(minutes=119)).isoformat())
    exported = [e for e in entries if e.event == "exported"][-1]
    assert exported.details["filters"]["approval"] == approval.id

    active = rev.get("/exports/approvals")
    assert f'data-approval="{approval.id}"' in active.text
    withdrawn = rev.post(f"/exports/approvals/{approval.id}/withdraw",
                         data={"csrf_token": token, "reason": "hearing postponed"}, follow_redirects=False)
    assert withdrawn.status_code == 303
    history = rev.get("/exports/approvals").text
    assert f'data-entry="{approval.id}" data-status="withdrawn"' in history and "hearing postponed" in history

    refused = doc.get("/incidents/export?format=json&profile=court")
    assert refused.status_code == 403 and NEEDS[lang] in html.unescape(refused.text)
    assert 'href="/exports/request?profile=court#request-form"' in refused.text
    assert "Qzconfidential" not in refused.text


def test_errors_own_request_no_reason_and_expired(ws: Workspace) -> None:
    _incidents(ws)
    # A reviewer demoted to documenter asks; promoted again, they cannot approve their own request.
    doc = signed_in(ws, "sami", "documenter")
    token = form_token(doc.get("/exports/request").text)
    empty = doc.post("/exports/request", data={"csrf_token": token, "profile": "court", "reason": "  "})
    assert empty.status_code == 400 and 'data-testid="form-error"' in empty.text
    needless = doc.post("/exports/request", data={"csrf_token": token, "profile": "partner", "reason": "x"})
    assert needless.status_code == 400
    assert doc.post("/exports/request", data={"csrf_token": token, "profile": "court", "reason": "mine"},
                    follow_redirects=False).status_code == 303
    accounts.set_role(ws, actor=None, username="sami", role=Role.REVIEWER, comment="test")
    sami = signed_in(ws, "sami")
    page = sami.get("/exports/approvals")
    rid = _request_id(page.text)
    own = sami.post(f"/exports/approvals/{rid}/approve",
                    data={"csrf_token": form_token(page.text), "hours": "2", "reason": "self"})
    assert own.status_code == 403 and "needs another reviewer&#39;s approval" in own.text

    # An approval that has run out: the export is refused with the specific page.
    signed_in(ws, "rami", "reviewer")
    rami = accounts.get_user(ws, actor=None, username="rami")
    doc2 = signed_in(ws, "dina", "documenter")
    approve_export(ws, reviewer=rami, username="dina", profile="court", hours=1, reason="old", machine="t",
                   now=datetime.now(UTC) - timedelta(hours=3))
    refused = doc2.get("/incidents/export?format=csv&profile=court")
    assert refused.status_code == 403 and NEEDS["en"] in html.unescape(refused.text)
    statuses = {a.status for a in overview(ws, reviewer=rami).history}
    assert "expired" in statuses


def test_viewers_and_documenters_see_only_their_own_requests(ws: Workspace) -> None:
    doc = signed_in(ws, "dina", "documenter")
    doc.post("/exports/request", data={"csrf_token": form_token(doc.get("/exports/request").text),
                                       "profile": "court", "reason": "Qzsecretreason"})
    viewer = signed_in(ws, "vera", "viewer")
    own = viewer.get("/exports/request")
    assert own.status_code == 200 and "Qzsecretreason" not in own.text
    assert 'data-profile="public" data-state="direct"' in own.text
    for path in ("/exports/approvals",):
        refused = viewer.get(path)
        assert refused.status_code == 403 and "Qzsecretreason" not in refused.text
    other = signed_in(ws, "omar", "documenter")
    assert "Qzsecretreason" not in other.get("/exports/request").text
    token = form_token(other.get("/exports/request").text)
    assert other.post("/exports/approvals/1/approve",
                      data={"csrf_token": token, "hours": "2", "reason": "x"}).status_code == 403
