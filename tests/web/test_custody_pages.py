"""The custody ledger in the web app: downloads and exports are recorded, the source page shows the entries."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tawthiq.services import Workspace, accounts
from tawthiq.store import custody

from _client import client_for, make_user, signed_in
from _record_helpers import ingest_text

REPORT = "حلب، 12 آذار 2016: قتل خمسة مدنيين جراء قصف جوي على حي الشعار في مدينة حلب.\n"


def test_download_adds_an_entry_with_the_user_and_the_page_shows_it(ws: Workspace, tmp_path: Path) -> None:
    (source_id,) = ingest_text(ws, tmp_path, "aleppo.txt", REPORT)
    client = signed_in(ws, "نور", "documenter")
    assert client.get(f"/sources/{source_id}/original").status_code == 200
    last = list(custody.iter_entries(ws.db))[-1]
    assert (last.event, last.source_id, last.actor) == ("downloaded", source_id, "نور")
    assert last.item_sha256 == hashlib.sha256(REPORT.encode("utf-8")).hexdigest()
    assert last.machine  # the client's address as the server saw it

    page = client.get(f"/sources/{source_id}").text
    rows = re.findall(r'data-testid="custody-entry" data-entry-id="(\d+)" data-event="(\w+)"', page)
    # Opening the page is itself recorded, before the ledger is read for it.
    assert [event for _, event in rows] == ["received", "ingested", "downloaded", "viewed"]
    assert [int(i) for i, _ in rows] == [e.id for e in custody.entries_for_source(ws.db, source_id)]
    assert last.entry_hash[:12] in page and '<bdi dir="auto" data-user>نور</bdi>' in page


def test_failed_download_of_a_missing_original_adds_nothing(ws: Workspace, tmp_path: Path) -> None:
    (source_id,) = ingest_text(ws, tmp_path, "aleppo.txt", REPORT)
    sha = hashlib.sha256(REPORT.encode("utf-8")).hexdigest()
    (ws.settings.data_dir / "sha256" / sha[:2] / sha[2:4] / sha).unlink()
    client = signed_in(ws, "nour", "documenter")
    assert client.get(f"/sources/{source_id}/original").status_code == 404
    assert custody.count_entries(ws.db) == 2


def test_viewer_sees_no_custody_and_records_nothing(ws: Workspace, tmp_path: Path) -> None:
    (source_id,) = ingest_text(ws, tmp_path, "aleppo.txt", REPORT)
    viewer = signed_in(ws, "guest", "viewer")
    for url in (f"/sources/{source_id}", f"/sources/{source_id}/original"):
        refused = viewer.get(url)
        assert refused.status_code in (403, 404) and "custody-entry" not in refused.text
    assert custody.count_entries(ws.db) == 2


def test_web_and_api_exports_are_recorded(ws: Workspace, tmp_path: Path) -> None:
    ingest_text(ws, tmp_path, "aleppo.txt", REPORT)
    client = signed_in(ws, "rana", "reviewer")
    got = client.get("/incidents/export", params={"format": "csv"})
    assert got.status_code == 200
    web = list(custody.iter_entries(ws.db))[-1]
    assert (web.event, web.actor, web.source_id) == ("exported", "rana", None)
    assert web.item_sha256 == hashlib.sha256(got.content).hexdigest()
    assert web.details["format"] == "csv" and web.details["via"] == "web" and web.details["incidents"] >= 1

    user = make_user(ws, "script", "documenter")
    token = accounts.create_api_token(ws, user=user, name="nightly").token
    api = client_for(ws).get("/api/export", params={"format": "json"},
                             headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    entry = list(custody.iter_entries(ws.db))[-1]
    assert (entry.event, entry.actor, entry.details["via"]) == ("exported", "script", "api")
    assert entry.item_sha256 == hashlib.sha256(api.content).hexdigest()
    assert entry.details["incidents"] == len(api.json())
