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


def test_decline_and_answers_that_no_longer_apply(ws: Workspace) -> None:
    doc = signed_in(ws, "dina", "documenter", lang="ar")
    token = form_token(doc.get("/exports/request").text)
    doc.post("/exports/request", data={"csrf_token": token, "profile": "court", "reason": "first"})
    rev = signed_in(ws, "rami", "reviewer")
    page = rev.get("/exports/approvals")
    rid, rtoken = _request_id(page.text), form_token(page.text)
    no_reason = rev.post(f"/exports/approvals/{rid}/decline", data={"csrf_token": rtoken, "reason": " "})
    assert no_reason.status_code == 400 and 'data-testid="form-error"' in no_reason.text
    declined = rev.post(f"/exports/approvals/{rid}/decline", data={"csrf_token": rtoken, "reason": "Qzdeclined why"},
                        follow_redirects=False)
    assert declined.status_code == 303
    history = rev.get("/exports/approvals").text
    assert f'data-entry="{rid}" data-status="declined"' in history and 'data-testid="pending-request"' not in history
    mine = doc.get("/exports/request").text
    assert 'data-status="declined"' in mine and "Qzdeclined why" in mine and "مرفوض" in mine
    entry = next(e for e in iter_entries(ws.db) if e.event == "declined")
    assert entry.actor == "rami" and entry.details == {"user": "dina", "profile": "court", "request": rid}
    # Answered already, unknown, or an approval no longer in force: refused, nothing written.
    count = len(list(iter_entries(ws.db)))
    assert rev.post(f"/exports/approvals/{rid}/approve",
                    data={"csrf_token": rtoken, "hours": "2", "reason": "x"}).status_code == 400
    assert rev.post("/exports/approvals/999999/decline",
                    data={"csrf_token": rtoken, "reason": "x"}).status_code == 404
    assert rev.post(f"/exports/approvals/{rid}/withdraw",
                    data={"csrf_token": rtoken, "reason": "x"}).status_code == 404
    assert rev.post("/exports/approvals/1/approve", data={"hours": "2", "reason": "x"}).status_code == 403  # CSRF
    assert len(list(iter_entries(ws.db))) == count
    # A newer approval replaces an older one; withdrawing needs a reason.
    rami = accounts.get_user(ws, actor=None, username="rami")
    first = approve_export(ws, reviewer=rami, username="dina", profile="court", hours=1, reason="a", machine="t")
    second = approve_export(ws, reviewer=rami, username="dina", profile="court", hours=3, reason="b", machine="t")
    seen = overview(ws, reviewer=rami)
    assert [a.entry_id for a in seen.active] == [second.entry_id]
    assert any(h.entry_id == first.entry_id and h.status == "replaced" for h in seen.history)
    assert rev.post(f"/exports/approvals/{second.entry_id}/withdraw",
                    data={"csrf_token": rtoken, "reason": ""}).status_code == 400
