"""POST /api/sources/{id}/redactions: a redacted working copy through the API, listed with the source's
copies and downloadable, for reviewers and admins only, with the CSRF rule of every other write."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from _api_helpers import Fixture, client, credentials, populate
from fastapi.testclient import TestClient
from PIL import Image

from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store.custody import entries_for_source

BLOCK = "█"


@pytest.fixture
def fx(ws: Workspace) -> Fixture:
    return populate(ws, ws.settings.data_dir)


def _as(ws: Workspace, fx: Fixture, role: str | None, *, write: bool = True) -> tuple[TestClient, dict[str, str]]:
    c = client(ws)
    headers, cookies = credentials(fx, role, write=write)
    for name, value in cookies.items():
        c.cookies.set(name, value)
    return c, headers


def _post(ws: Workspace, fx: Fixture, role: str | None, source_id: int, body: Any, *,
          write: bool = True) -> Any:
    c, headers = _as(ws, fx, role, write=write)
    return c.post(f"/api/sources/{source_id}/redactions", json=body, headers=headers)


def test_reviewer_redacts_a_span_and_the_copy_is_listed_and_downloadable(ws: Workspace, fx: Fixture) -> None:
    start, end = fx.span
    made = _post(ws, fx, "reviewer", fx.ids["S"], {"spans": [[start, end]], "reason": "protect the witness"})
    assert made.status_code == 201, made.text
    copy = made.json()
    assert copy["kind"] == "redacted" and copy["created_by"] == "reviewer1" and copy["tool"] == "tawthiq redact"
    assert copy["params"]["spans"] == [[start, end]]

    c, headers = _as(ws, fx, "reviewer", write=False)
    source = c.get(f"/api/sources/{fx.ids['S']}", headers=headers).json()
    listed = [d for d in source["derivatives"] if d["kind"] == "redacted"]
    assert [d["id"] for d in listed] == [copy["id"]] and listed[0]["download_url"] == copy["download_url"]
    got = c.get(copy["download_url"], headers=headers)
    assert got.status_code == 200
    text = got.content.decode("utf-8")
    assert len(text) == len(source["text"]) and text[start:end] == BLOCK * (end - start)
    assert text[:start] == source["text"][:start] and text[end:] == source["text"][end:]
    derived = [e for e in entries_for_source(ws.db, fx.ids["S"])  # type: ignore[arg-type]
               if e.event == "derived" and e.item_sha256 == copy["sha256"]]
    assert [(e.actor, e.reason) for e in derived] == [("reviewer1", "protect the witness")]


def test_admin_paints_boxes_on_a_photo_and_no_metadata_is_sent(ws: Workspace, fx: Fixture, tmp_path: Path) -> None:
    path = tmp_path / "face.png"
    tags = Image.Exif()
    tags[0x010F] = "Canon"  # Make
    Image.new("RGB", (40, 30), (120, 200, 40)).save(path, exif=tags)
    (result,) = ingest_files(ws, [path])
    source_id = result.source_ids[0]
    made = _post(ws, fx, "admin", source_id, {"boxes": [[5, 5, 10, 10]], "reason": "a child's face"})
    assert made.status_code == 201, made.text
    assert made.json()["media_type"] == "image/png" and made.json()["params"]["boxes"] == [[5, 5, 10, 10]]
    c, headers = _as(ws, fx, "reviewer", write=False)  # the download route is a page: a browser session
    got = c.get(made.json()["download_url"], headers=headers)
    assert got.status_code == 200 and got.headers["content-type"] == "application/octet-stream"
    data = got.content
    assert b"Canon" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.getpixel((5, 5)) == (0, 0, 0) and image.getpixel((14, 14)) == (0, 0, 0)
        assert image.getpixel((15, 15)) == (120, 200, 40) and len(image.getexif()) == 0


@pytest.mark.parametrize(("role", "write", "status"), [
    ("documenter", True, 403), ("viewer", True, 403), (None, True, 401),
    ("reviewer", False, 403),  # a signed-in browser session without its CSRF token
])
def test_who_may_not_redact(ws: Workspace, fx: Fixture, role: str | None, write: bool, status: int) -> None:
    got = _post(ws, fx, role, fx.ids["S"], {"spans": [[0, 3]], "reason": "r"}, write=write)
    assert got.status_code == status, got.text
    assert not [e for e in entries_for_source(ws.db, fx.ids["S"]) if e.event == "derived"  # type: ignore[arg-type]
                and e.details.get("kind") == "redacted"]


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"spans": [[0, 3]], "reason": "   "}, 400, "give the reason"),
    ({"spans": [[0, 3]]}, 400, "reason"),
    ({"spans": [[0, 3]], "boxes": [[0, 0, 1, 1]], "reason": "r"}, 400, "not both"),
    ({"reason": "r"}, 400, "not both and not neither"),
    ({"spans": [[3, 1]], "reason": "r"}, 400, "not inside the text"),
    ({"spans": [[0, 3, 4]], "reason": "r"}, 400, "spans"),
    ({"boxes": [[0, 0, 1, 1]], "reason": "r"}, 400, "not an image"),
    ({"spans": [[0, 3]], "reason": "r", "colour": "red"}, 400, "colour"),
])
def test_bad_requests_get_one_line(ws: Workspace, fx: Fixture, body: dict[str, Any], status: int,
                                   message: str) -> None:
    got = _post(ws, fx, "admin", fx.ids["S"], body)
    assert got.status_code == status, got.text
    assert message in got.json()["error"] and "\n" not in got.json()["error"]


def test_unknown_source_is_not_found(ws: Workspace, fx: Fixture) -> None:
    got = _post(ws, fx, "reviewer", 999_999, {"spans": [[0, 1]], "reason": "r"})
    assert got.status_code == 404 and got.json()["error"] == "no source with id 999999"


def test_openapi_documents_the_endpoint_and_its_roles(ws: Workspace, fx: Fixture) -> None:
    c, headers = _as(ws, fx, "admin", write=False)
    op = c.get("/api/openapi.json", headers=headers).json()["paths"]["/api/sources/{source_id}/redactions"]["post"]
    assert op["x-roles"] == ["admin", "reviewer"] and op["x-required-action"] == "verify"
    assert {"201", "400", "401", "403", "404"} <= set(op["responses"])
    assert op["requestBody"]["content"]["application/json"]["schema"]
