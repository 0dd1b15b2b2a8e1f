"""The Add page's Telegram export upload and web page capture: per role, success, bad files and refused addresses.

Nothing here reaches the internet: pages come from a server on 127.0.0.1,
which the app may capture only when its settings allow loopback (tests).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient

from tawthiq.services import Workspace, init_workspace
from tawthiq.settings import Settings
from tawthiq.store import custody, repository
from tawthiq.store.queries import clear_cache

from _client import form_token, make_user, signed_in
from _intake_helpers import ARABIC, ENGLISH, MARKER, allowing_loopback, export_json, export_zip, page_server


@pytest.fixture
def ws(settings: Settings) -> Iterator[Workspace]:
    """A workspace whose web captures may reach loopback (the local page server), with one user per role."""
    clear_cache()
    ws = init_workspace(allowing_loopback(settings))
    for name, role in (("doc", "documenter"), ("rev", "reviewer"), ("admin", "admin"), ("viewer", "viewer")):
        make_user(ws, name, role)
    try:
        yield ws
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]
        clear_cache()


def _client(ws: Workspace, name: str = "doc", lang: str = "en") -> tuple[TestClient, str]:
    client = signed_in(ws, name, lang=lang)
    return client, form_token(client.get("/").text)


def _text(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(?:p|dd|small|ul)>', html, re.S)
    assert found, testid
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(1)))).strip()


def _upload(client: TestClient, token: str, name: str, data: bytes, **given: str) -> object:
    return client.post("/add/telegram", data={"csrf_token": token, **given},
                       files=[("export", (name, data, "application/octet-stream"))])


@pytest.mark.parametrize("name", ["doc", "rev", "admin"])
def test_roles_that_add_material_see_both_forms(ws: Workspace, name: str) -> None:
    client, _ = _client(ws, name)
    page = client.get("/add").text
    for testid in ("telegram-form", "telegram-export", "telegram-provenance", "telegram-reliability",
                   "capture-form", "capture-url", "capture-submit"):
        assert f'data-testid="{testid}"' in page, testid


def test_a_viewer_gets_403_and_no_form_and_never_the_imported_text(ws: Workspace) -> None:
    doc, token = _client(ws)
    assert _upload(doc, token, "result.json", export_json()).status_code == 200
    viewer, vtoken = _client(ws, "viewer")
    assert viewer.get("/add").status_code == 403
    refused = _upload(viewer, vtoken, "result.json", export_json())
    assert refused.status_code == 403 and "telegram-form" not in refused.text
    with page_server() as base:
        captured = viewer.post("/add/capture", data={"csrf_token": vtoken, "url": f"{base}/report"})
    assert captured.status_code == 403 and "capture-form" not in captured.text
    assert repository.count_sources(ws.db) == 3  # the documenter's three messages, nothing from the viewer
    for path in ("/", "/incidents", "/sources", "/incidents?q=Idlib"):
        assert MARKER not in viewer.get(path).text, path
    assert MARKER in doc.get("/sources").text or MARKER in doc.get(f"/sources/{max(_ids(ws))}").text


def _ids(ws: Workspace) -> list[int]:
    return [s.id for s in repository.list_sources(ws.db)]


def test_a_result_json_lists_what_was_stored_and_skipped_and_the_batch_goes_on(ws: Workspace) -> None:
    client, token = _client(ws)
    done = _upload(client, token, "result.json", export_json(), author="Aleppo News Network",
                   received_from="Signal, from a field researcher", reliability="B", url="https://t.me/aleppo_news")
    assert done.status_code == 200, done.text
    assert _text(done.text, "telegram-messages") == "3"
    assert _text(done.text, "telegram-new") == "3"
    assert _text(done.text, "telegram-media-skipped") == "1"  # the photo the export names but does not hold
    problems = " ".join(re.sub(r"<[^>]+>", "", line)
                        for line in re.findall(r'data-testid="telegram-problem"[^>]*>(.*?)</li>', done.text, re.S))
    assert "not a message object" in problems and "is missing from the export" in problems
    assert "/tmp" not in done.text  # the server's temporary path is never shown
    assert int(_text(done.text, "telegram-incidents")) >= 2
    assert len(re.findall(r'href="/incidents/\d+"', done.text.split('data-testid="found-incidents"')[1])) >= 2
    sources = repository.list_sources(ws.db)
    texts = {s.text for s in sources}
    assert any(ARABIC in t for t in texts) and any(ENGLISH in t for t in texts)
    for source in sources:  # provenance and who added it, on every message's source
        assert source.author == "Aleppo News Network"
        assert source.metadata["received_from"] == "Signal, from a field researcher"
        assert source.evaluation.reliability == "B"
        assert source.url.startswith("https://t.me/")
        received = [e for e in custody.entries_for_source(ws.db, source.id) if e.event == "received"]
        assert received and received[0].actor == "doc"
    again = _upload(client, token, "result.json", export_json())
    assert again.status_code == 200 and _text(again.text, "telegram-new") == "0"
    assert _text(again.text, "telegram-duplicates") == "3"


def test_a_zipped_export_keeps_its_photo_and_links_it(ws: Workspace) -> None:
    client, token = _client(ws)
    done = _upload(client, token, "ChatExport.zip", export_zip())
    assert done.status_code == 200, done.text
    assert _text(done.text, "telegram-media") == "1"
    assert _text(done.text, "telegram-messages") == "4"
    kinds = sorted(str(s.kind) for s in repository.list_sources(ws.db))
    assert kinds.count("image") == 1


@pytest.mark.parametrize(("lang", "name", "data", "status", "said"), [
    ("en", "result.json", b"\x89PNG\r\n\x1a\nnot json at all", 400, "The file is not JSON"),
    ("ar", "result.json", b"{\"broken\": ", 400, "الملف ليس بصيغة JSON"),
    ("en", "result.json", b'{"name": "x", "list": [1, 2]}', 400, "is not a Telegram Desktop export"),
    ("ar", "result.json", b'{"name": "x"}', 400, "الملف ليس تصديراً من تيليغرام"),
    ("en", "export.zip", b"PK\x03\x04 broken archive", 400, "The archive could not be read"),
    ("ar", "export.zip", b"PK\x05\x06" + b"\x00" * 18, 400, "تعذّرت قراءة الأرشيف"),
    ("en", "result.json", b"", 400, "The file is empty"),
])
def test_a_bad_file_is_one_line_in_the_page_language_and_nothing_is_stored(
        ws: Workspace, lang: str, name: str, data: bytes, status: int, said: str) -> None:
    client, token = _client(ws, lang=lang)
    done = _upload(client, token, name, data, author="كاتب التقرير", received_from="Signal")
    assert done.status_code == status, done.text
    assert said in _text(done.text, "telegram-error")
    assert "Traceback" not in done.text
    assert 'value="كاتب التقرير"' in done.text  # what was typed is kept
    assert repository.count_sources(ws.db) == 0


@pytest.mark.parametrize(("lang", "said"), [("en", "over the size limit"), ("ar", "يتجاوز الحد الأقصى")])
def test_a_file_over_the_limit_is_refused_in_the_page_language(settings: Settings, lang: str, said: str) -> None:
    clear_cache()
    ws = init_workspace(dataclasses.replace(settings, max_file_size=2000))
    try:
        make_user(ws, "doc", "documenter")
        client, token = _client(ws, lang=lang)
        done = _upload(client, token, "result.json", export_json() + b" " * 3000)
        assert done.status_code == 413
        assert said in _text(done.text, "telegram-error")
        assert repository.count_sources(ws.db) == 0
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]


def test_a_bad_provenance_value_is_refused_before_the_export_is_read(ws: Workspace) -> None:
    client, token = _client(ws, lang="ar")
    done = _upload(client, token, "result.json", export_json(), url="ftp://files.example/x")
    assert done.status_code == 400
    assert "يجب أن يكون العنوان عنواناً إلكترونياً" in _text(done.text, "telegram-error")
    assert repository.count_sources(ws.db) == 0


def test_capture_stores_the_page_with_its_custody_records(ws: Workspace) -> None:
    client, token = _client(ws)
    with page_server() as base:
        done = client.post("/add/capture", data={"csrf_token": token, "url": f"{base}/report",
                                                 "reason": "report may be taken down"})
    assert done.status_code == 200, done.text
    assert _text(done.text, "capture-final-url") == f"{base}/report"
    assert _text(done.text, "capture-http").startswith("200")
    records = _text(done.text, "capture-records")
    assert "warc" in records and "headers" in records
    assert 'data-testid="found-incidents"' in done.text
    [source] = repository.list_sources(ws.db)
    assert "PAGE-MARKER-5521" in source.text and source.metadata["capture"]["screenshot"].startswith("no screenshot")
    entries = custody.entries_for_source(ws.db, source.id)
    assert any(e.event == "received" and e.actor == "doc" and "report may be taken down" in (e.reason or "")
               for e in entries), entries


@pytest.mark.parametrize(("lang", "url", "said"), [
    ("en", "ftp://files.example/report", "must be a web address starting with http:// or https://"),
    ("ar", "javascript:alert(1)", "يجب أن يكون العنوان عنواناً إلكترونياً"),
    ("en", "", "Give the address of the page"),
])
def test_a_bad_address_is_one_line_and_kept(ws: Workspace, lang: str, url: str, said: str) -> None:
    client, token = _client(ws, lang=lang)
    done = client.post("/add/capture", data={"csrf_token": token, "url": url, "reason": "<b>why</b>"})
    assert done.status_code == 400
    assert said in _text(done.text, "capture-error")
    assert "&lt;b&gt;why&lt;/b&gt;" in done.text and "<b>why</b>" not in done.text
    assert repository.count_sources(ws.db) == 0


@pytest.mark.parametrize(("lang", "url", "said"), [
    ("en", "http://127.0.0.1:9/report", "is private or local"),
    ("ar", "http://localhost:9/", "هذا العنوان خاص أو محلي"),
    ("en", "http://[::1]:9/", "is private or local"),
    ("en", "http://169.254.169.254/latest/meta-data/", "is private or local"),
    ("ar", "http://10.0.0.1/", "هذا العنوان خاص أو محلي"),
    ("en", "http://[::ffff:127.0.0.1]:9/", "is private or local"),
])
def test_private_addresses_are_refused_by_default(settings: Settings, lang: str, url: str, said: str) -> None:
    clear_cache()
    ws = init_workspace(settings)  # the default: public addresses only
    try:
        make_user(ws, "doc", "documenter")
        client, token = _client(ws, lang=lang)
        done = client.post("/add/capture", data={"csrf_token": token, "url": url})
        assert done.status_code == 400, done.text
        assert said in _text(done.text, "capture-error")
        assert f'value="{url}"' in unescape(done.text)
        assert repository.count_sources(ws.db) == 0
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]


def test_the_address_checked_is_the_address_connected_to(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """No second lookup after the check (DNS rebinding): the connection goes to the public address resolved."""
    import socket

    from tawthiq.ingest.capture import http

    real = socket.getaddrinfo

    def resolve(host: str, *args: object, **kwargs: object) -> list:  # noqa: ANN401 - socket's own shape
        if host == "public.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))]
        return real(host, *args, **kwargs)

    tried: list[object] = []

    def connect(self: socket.socket, address: object) -> None:
        tried.append(address)
        raise ConnectionRefusedError  # offline: nothing leaves the machine

    monkeypatch.setattr(http.socket, "getaddrinfo", resolve)
    monkeypatch.setattr(http.socket.socket, "connect", connect)
    clear_cache()
    ws = init_workspace(settings)
    try:
        make_user(ws, "doc", "documenter")
        client, token = _client(ws)
        done = client.post("/add/capture", data={"csrf_token": token, "url": "http://public.example/"})
        assert tried == [("93.184.216.34", 80)]
        assert done.status_code == 502 and "could not be reached" in _text(done.text, "capture-error")
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]


def test_a_page_cannot_redirect_the_capture_to_a_private_address(settings: Settings,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Every hop is checked: 127.0.0.1 stands for a public server here, 127.0.0.2 for a private one."""
    from tawthiq.ingest.capture import addresses

    monkeypatch.setattr(addresses, "refusal", lambda address: "private address" if address == "127.0.0.2" else None)
    clear_cache()
    ws = init_workspace(settings)  # public addresses only
    try:
        make_user(ws, "doc", "documenter")
        client, token = _client(ws, lang="ar")
        with page_server() as base:
            done = client.post("/add/capture", data={"csrf_token": token, "url": f"{base}/to-private"})
        assert done.status_code == 400
        assert "هذا العنوان خاص أو محلي" in _text(done.text, "capture-error")
        assert repository.count_sources(ws.db) == 0
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lang", "path", "said"), [
    ("en", "/huge", "over the size limit"), ("ar", "/huge", "حجم الصفحة يتجاوز الحد الأقصى")])
def test_a_page_over_the_limit_is_one_line(settings: Settings, lang: str, path: str, said: str) -> None:
    clear_cache()
    ws = init_workspace(allowing_loopback(dataclasses.replace(settings, max_file_size=100_000)))
    try:
        make_user(ws, "doc", "documenter")
        client, token = _client(ws, lang=lang)
        with page_server() as base:
            done = client.post("/add/capture", data={"csrf_token": token, "url": base + path})
        assert done.status_code == 413
        assert said in _text(done.text, "capture-error")
        assert repository.count_sources(ws.db) == 0
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lang", "said"), [("en", "could not be reached"), ("ar", "تعذّر الوصول إلى الصفحة")])
def test_an_unreachable_page_is_one_line(ws: Workspace, lang: str, said: str) -> None:
    with page_server() as base:
        pass  # the server is gone: its port now refuses connections
    client, token = _client(ws, lang=lang)
    done = client.post("/add/capture", data={"csrf_token": token, "url": f"{base}/report"})
    assert done.status_code == 502
    assert said in _text(done.text, "capture-error")
    assert repository.count_sources(ws.db) == 0


def test_no_file_at_all_is_one_line(ws: Workspace) -> None:
    client, token = _client(ws, lang="ar")
    done = client.post("/add/telegram", data={"csrf_token": token, "author": "x"})
    assert done.status_code == 400
    assert "اختر ملف تصدير واحداً" in _text(done.text, "telegram-error")


def test_an_archive_without_an_export_says_why_without_the_server_paths(ws: Workspace) -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photos/a.jpg", b"not an export")
    client, token = _client(ws)
    done = _upload(client, token, "photos.zip", out.getvalue())
    assert done.status_code == 400
    assert "The archive could not be read" in _text(done.text, "telegram-error")
    detail = _text(done.text, "telegram-error-detail")
    assert "holds no result.json" in detail and "tawthiq-telegram-" not in done.text
    assert repository.count_sources(ws.db) == 0
