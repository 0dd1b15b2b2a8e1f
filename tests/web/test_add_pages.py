"""Adding material through the app: pasted text, uploads, and an incident documented by hand."""
from __future__ import annotations

import dataclasses
import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tawthiq.web.security import UPLOAD_FILES_PER_REQUEST
from tawthiq.domain.enums import SourceKind
from tawthiq.domain.model import Source
from tawthiq.services import Workspace, init_workspace
from tawthiq.settings import Settings
from tawthiq.store import repository
from tawthiq.store.queries import clear_cache

from _client import form_token, make_user, signed_in, with_users

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ARIHA = (SAMPLES / "01-ariha-air-strike.en.txt").read_text(encoding="utf-8")
DOUMA = (SAMPLES / "02-douma-shelling.ar.txt").read_bytes()


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    return with_users(ws, doc="documenter", viewer="viewer")


def signed_in_with_token(ws: Workspace, username: str) -> tuple[TestClient, str]:
    """A signed-in client and its session's CSRF token (the upload forms post it)."""
    client = signed_in(ws, username)
    return client, form_token(client.get("/").text)


def results(html: str) -> list[tuple[str, str]]:
    """(status, text) of each result line, without the list of incidents found."""
    out = []
    for chunk in html.split('data-testid="add-result" data-status="')[1:]:
        status, body = chunk.split('"', 1)
        body = re.split(r'<ul class="found"|</li>', body, maxsplit=1)[0]
        out.append((status, re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()))
    return out


def test_paste_text_suggests_incidents_for_review_and_a_repaste_is_a_duplicate(ws: Workspace) -> None:
    doc, token = signed_in_with_token(ws, "doc")
    assert doc.get("/add").status_code == 200
    done = doc.post("/add/text", data={"title": "Ariha report", "language": "en", "text": ARIHA,
                                       "csrf_token": token})
    assert done.status_code == 200, done.text
    [(status, line)] = results(done.text)
    assert status == "new" and "Ariha report" in line
    source_id = int(re.search(r'href="/sources/(\d+)" data-testid="new-source"', done.text).group(1))
    found = [int(i) for i in re.findall(r'<li><a href="/incidents/(\d+)">', done.text)]
    assert found, "the extractor found nothing in the Ariha sample"
    assert 'href="/review"' in done.text
    queue = doc.get("/review").text
    for incident_id in found:
        assert f"/incidents/{incident_id}" in queue or f"/review/{incident_id}" in queue
    source = repository.get_source(ws.db, source_id)
    assert source is not None and source.text.strip() == ARIHA.strip()
    again = doc.post("/add/text", data={"title": "", "language": "auto", "text": ARIHA, "csrf_token": token})
    [(status, line)] = results(again.text)
    assert status == "duplicate" and f"already stored as source #{source_id}" in line
    assert repository.count_sources(ws.db) == 1


def test_empty_paste_is_a_message(ws: Workspace) -> None:
    doc, token = signed_in_with_token(ws, "doc")
    page = doc.post("/add/text", data={"title": "t", "language": "ar", "text": "   ", "csrf_token": token})
    assert page.status_code == 400
    assert 'data-testid="paste-error"' in page.text and repository.count_sources(ws.db) == 0


def test_upload_batch_goes_on_past_a_bad_file(ws: Workspace) -> None:
    doc, token = signed_in_with_token(ws, "doc")
    files = [("files", ("02-douma-shelling.ar.txt", DOUMA, "text/plain")),
             ("files", ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf"))]
    done = doc.post("/add/upload", data={"csrf_token": token}, files=files)
    assert done.status_code == 200, done.text
    lines = results(done.text)
    assert [s for s, _ in lines] == ["new", "failed"]
    assert "broken.pdf" in lines[1][1] and len(re.findall(r'data-testid="add-error"', done.text)) == 1
    assert [s.original_name for s in repository.list_sources(ws.db)] == ["02-douma-shelling.ar.txt"]


def test_unsupported_type_is_one_line(ws: Workspace) -> None:
    doc, token = signed_in_with_token(ws, "doc")
    done = doc.post("/add/upload", data={"csrf_token": token},
                    files=[("files", ("photo.exe", b"MZ\x90\x00\x03binary", "application/octet-stream"))])
    assert done.status_code == 400
    [(status, line)] = results(done.text)
    assert status == "failed" and "photo.exe" in line
    assert repository.count_sources(ws.db) == 0


def test_oversize_upload_is_refused_and_nothing_stored(settings: Settings) -> None:
    clear_cache()
    small = dataclasses.replace(settings, max_file_size=1000)
    ws = init_workspace(small)
    try:
        make_user(ws, "doc", "documenter")
        doc, token = signed_in_with_token(ws, "doc")
        done = doc.post("/add/upload", data={"csrf_token": token},
                        files=[("files", ("big.txt", b"Shelling in Douma. " * 200, "text/plain"))])
        assert done.status_code == 413
        [(status, line)] = results(done.text)
        assert status == "too_large" and "big.txt" in line and "size limit" in line
        assert repository.count_sources(ws.db) == 0
        pasted = doc.post("/add/text", data={"text": "x" * 2000, "language": "auto", "csrf_token": token})
        assert pasted.status_code == 413 and "The pasted text is 2 KB, over the limit of 1000 bytes" in pasted.text
        assert repository.count_sources(ws.db) == 0
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]


def test_an_oversize_file_is_not_spooled_past_the_limit_and_the_batch_goes_on(settings: Settings,
                                                                               monkeypatch) -> None:
    from starlette.datastructures import UploadFile

    written: dict[str, int] = {}
    real_write = UploadFile.write

    async def counting_write(self: UploadFile, data: bytes) -> None:  # every byte Starlette spools
        written[self.filename or ""] = written.get(self.filename or "", 0) + len(data)
        await real_write(self, data)

    monkeypatch.setattr(UploadFile, "write", counting_write)
    clear_cache()
    ws = init_workspace(dataclasses.replace(settings, max_file_size=5000))
    try:
        make_user(ws, "doc", "documenter")
        doc, token = signed_in_with_token(ws, "doc")
        done = doc.post("/add/upload", data={"csrf_token": token}, files=[
            ("files", ("huge.txt", b"Shelling in Douma. " * 20_000, "text/plain")),  # 380,000 bytes
            ("files", ("ariha.txt", ARIHA.encode(), "text/plain"))])
        assert done.status_code == 200
        assert [status for status, _ in results(done.text)] == ["too_large", "new"]
        assert written["huge.txt"] == 5001  # one byte past the limit says "too large"; the rest was dropped
        assert repository.count_sources(ws.db) == 1
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]


def test_too_many_files_are_refused(ws: Workspace) -> None:
    doc, token = signed_in_with_token(ws, "doc")
    files = [("files", (f"r{n}.txt", f"report {n}".encode(), "text/plain")) for n in range(UPLOAD_FILES_PER_REQUEST + 1)]
    page = doc.post("/add/upload", data={"csrf_token": token}, files=files)
    assert page.status_code == 400 and 'data-testid="upload-error"' in page.text
    assert repository.count_sources(ws.db) == 0


def test_uploaded_file_keeps_only_its_base_name(ws: Workspace) -> None:
    doc, token = signed_in_with_token(ws, "doc")
    for name in ("../../etc/passwd", "..\\..\\windows\\report.txt"):
        body = f"Air strike on Ariha reported in {name[-6:]}".encode()
        done = doc.post("/add/upload", data={"csrf_token": token}, files=[("files", (name, body, "text/plain"))])
        assert done.status_code == 200, done.text
    names = sorted(s.original_name for s in repository.list_sources(ws.db))
    assert names == ["passwd", "report.txt"]
    assert not (ws.settings.data_dir.parent / "etc").exists()


def test_viewer_may_not_add_and_csrf_is_required(ws: Workspace) -> None:
    viewer, token = signed_in_with_token(ws, "viewer")
    assert viewer.get("/add").status_code == 403
    assert viewer.get("/add/incident").status_code == 403
    assert viewer.post("/add/text", data={"text": ARIHA, "csrf_token": token}).status_code == 403
    assert "/add" not in re.findall(r'<nav class="main-nav".*?</nav>', viewer.get("/").text, re.S)[0]
    doc, _ = signed_in_with_token(ws, "doc")
    assert doc.post("/add/text", data={"text": ARIHA, "language": "en"}).status_code == 403
    assert doc.post("/add/upload", files=[("files", ("a.txt", b"Shelling", "text/plain"))]).status_code == 403
    assert doc.post("/add/text", data={"text": ARIHA, "csrf_token": "forged"}).status_code == 403
    assert repository.count_sources(ws.db) == 0


SOURCE_TEXT = ("Local activists said that on 3 March 2017 a barrel bomb hit the market in Saraqib,\r\n"
               "killing four civilians. قصف الطيران السوق في سراقب.")


@pytest.fixture
def source_id(ws: Workspace) -> int:
    sid, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="ab" * 32, text=SOURCE_TEXT,
                                                 title="Saraqib market"))
    return sid


def test_create_by_hand_with_a_span_shows_the_quote_on_the_incident_page(ws: Workspace, source_id: int) -> None:
    doc, token = signed_in_with_token(ws, "doc")
    form = doc.get(f"/add/incident?source_id={source_id}")
    assert form.status_code == 200
    shown = re.search(r'data-testid="source-text" dir="auto">(.*?)</div>', form.text, re.S).group(1)
    assert unescape(shown) == SOURCE_TEXT  # the script's offsets are computed against this exact text
    quote = "a barrel bomb hit the market in Saraqib"
    start = SOURCE_TEXT.index(quote)
    created = doc.post("/add/incident", data={
        "csrf_token": token, "source_id": str(source_id), "span_start": str(start),
        "span_end": str(start + len(quote)), "quote": quote, "event_type": "air-drone-strike",
        "violations": ["indiscriminate-attack"], "perpetrator": "syrian-government", "place": "Saraqib",
        "date": "2017-03-03", "outcome": "killed", "victim_kind": "civilian", "count_min": "4",
        "count_max": "4", "description": "Barrel bomb on Saraqib market", "confidentiality": "restricted",
        "comment": "from the activists' report"}, follow_redirects=False)
    assert created.status_code == 303, created.text
    incident_id = int(re.fullmatch(r"/incidents/(\d+)", created.headers["location"]).group(1))
    incident = repository.get_incident(ws.db, incident_id)
    assert incident is not None and incident.event_type == "air-drone-strike"
    assert incident.location is not None and incident.location.text == "Saraqib"
    assert incident.location.name_ar == "سراقب" and incident.location.lat  # resolved in the gazetteer
    assert incident.date is not None and incident.date.edtf == "2017-03-03"
    assert [(v.count_min, v.count_max) for v in incident.victims] == [(4, 4)]
    spans = {(c.span.start, c.span.end) for c in incident.claims if c.span is not None}
    assert spans == {(start, start + len(quote))}
    page = doc.get(f"/incidents/{incident_id}")
    assert page.status_code == 200 and quote in unescape(page.text)


def test_create_by_hand_finds_a_typed_quote(ws: Workspace, source_id: int) -> None:
    doc, token = signed_in_with_token(ws, "doc")
    quote = "قصف الطيران السوق في سراقب"
    created = doc.post("/add/incident", data={"csrf_token": token, "source_id": str(source_id),
                                              "quote": f" {quote} ", "event_type": "air-drone-strike"},
                       follow_redirects=False)
    assert created.status_code == 303, created.text
    incident = repository.get_incident(ws.db, int(created.headers["location"].rsplit("/", 1)[1]))
    start = SOURCE_TEXT.index(quote)
    assert {(c.span.start, c.span.end, c.span.quote) for c in incident.claims if c.span} == {
        (start, start + len(quote), quote)}


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_a_quote_across_a_line_break_matches_however_the_browser_sends_it(ws: Workspace, source_id: int,
                                                                          newline: str) -> None:
    doc, token = signed_in_with_token(ws, "doc")
    exact = "in Saraqib,\r\nkilling four civilians"
    start = SOURCE_TEXT.index(exact)
    sent = exact.replace("\r\n", newline)
    with_offsets = doc.post("/add/incident", data={
        "csrf_token": token, "source_id": str(source_id), "span_start": str(start),
        "span_end": str(start + len(exact)), "quote": sent, "event_type": "air-drone-strike"},
        follow_redirects=False)
    typed = doc.post("/add/incident", data={"csrf_token": token, "source_id": str(source_id), "quote": sent,
                                            "event_type": "air-drone-strike"}, follow_redirects=False)
    for created in (with_offsets, typed):
        assert created.status_code == 303, created.text
        incident = repository.get_incident(ws.db, int(created.headers["location"].rsplit("/", 1)[1]))
        assert {(c.span.start, c.span.end, c.span.quote) for c in incident.claims if c.span} == {
            (start, start + len(exact), exact)}


@pytest.mark.parametrize("fields", [
    {"span_start": "0", "span_end": "13", "quote": "a barrel bomb"},  # offsets that do not hold the quote
    {"quote": "a chlorine attack on Idlib"},  # not in the text at all
    {"span_start": "5000", "span_end": "5010", "quote": "x"},
])
def test_a_span_that_does_not_match_the_source_is_a_400(ws: Workspace, source_id: int,
                                                         fields: dict[str, str]) -> None:
    doc, token = signed_in_with_token(ws, "doc")
    page = doc.post("/add/incident", data={"csrf_token": token, "source_id": str(source_id),
                                           "event_type": "air-drone-strike", "place": "Saraqib", **fields})
    assert page.status_code == 400
    message = re.search(r'data-testid="hand-error"[^>]*>(.*?)</p>', page.text, re.S).group(1)
    assert "quote" in message or "span" in message or "source" in message
    assert 'value="Saraqib"' in page.text  # the form comes back filled in
    assert repository.list_incidents(ws.db) == []


def test_create_by_hand_rejects_bad_choices(ws: Workspace, source_id: int) -> None:
    doc, token = signed_in_with_token(ws, "doc")
    base = {"csrf_token": token, "source_id": str(source_id), "quote": "barrel bomb"}
    for bad in ({"event_type": "picnic"}, {"event_type": "attack", "confidentiality": "public"},
                {"event_type": "attack", "count_min": "five"}, {"event_type": "attack", "date": "last week"}):
        page = doc.post("/add/incident", data={**base, **bad})
        assert page.status_code in (400, 403), bad
    assert doc.get("/add/incident?source_id=999").status_code == 404
    assert repository.list_incidents(ws.db) == []
