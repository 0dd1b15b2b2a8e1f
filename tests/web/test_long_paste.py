"""Pasted text as long as a file (issue 12 fixes B, 1): over Starlette's 1 MB field limit it is read, not refused
in English; over the file limit it is refused in the page's language, saying how big it was and the limit."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from _client import form_token, make_user, signed_in
from fastapi.testclient import TestClient

from tawthiq.services import Workspace, init_workspace
from tawthiq.settings import Settings
from tawthiq.store import repository
from tawthiq.store.queries import clear_cache

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
DOUMA = (SAMPLES / "02-douma-shelling.ar.txt").read_bytes().decode("cp1256")


def _long_arabic(size: int) -> str:
    """Arabic report text of at least ``size`` UTF-8 bytes (each copy numbered, so it is one long report)."""
    parts, total, n = [], 0, 0
    while total < size:
        n += 1
        part = f"{DOUMA}\n({n})\n"
        parts.append(part)
        total += len(part.encode("utf-8"))
    return "".join(parts)


@contextmanager
def _adding(settings: Settings, *, max_file_size: int, lang: str) -> Iterator[tuple[Workspace, TestClient, str]]:
    """A fresh workspace with a file limit of ``max_file_size`` bytes, a documenter signed in in ``lang``, and the
    token of the add page's form."""
    clear_cache()
    ws = init_workspace(dataclasses.replace(settings, max_file_size=max_file_size))
    try:
        make_user(ws, "doc", "documenter")
        client = signed_in(ws, "doc", lang=lang)
        yield ws, client, form_token(client.get("/add").text)
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]


def _paste(client: TestClient, fields: dict[str, str], *, encoding: str) -> httpx.Response:
    """Post the paste form as a browser does: multipart, or URL-encoded."""
    if encoding == "multipart":
        return client.post("/add/text", files={k: (None, v) for k, v in fields.items()})
    return client.post("/add/text", data=fields)


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_paste_over_one_megabyte_is_added(settings: Settings, encoding: str) -> None:
    with _adding(settings, max_file_size=2 * 1024 * 1024, lang="ar") as (ws, client, token):
        text = _long_arabic(1_300_000)  # over Starlette's 1 MB per field; about 3.9 MB once URL-encoded
        fields = {"title": "تقرير طويل", "language": "ar", "text": text, "csrf_token": token}
        done = _paste(client, fields, encoding=encoding)
        assert done.status_code == 200, done.text[-2000:]
        assert 'data-status="new"' in done.text
        assert "Field exceeded" not in done.text and "Part exceeded" not in done.text
        assert repository.count_sources(ws.db) == 1


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "The pasted text is 2 KB, over the limit of 1000 bytes; nothing was stored."),
    ("ar", "حجم النص الملصق 2 كيلوبايت، وهو يتجاوز الحد الأقصى (1000 بايت)؛ لم يُحفظ شيء."),
])
@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_paste_over_the_file_limit_is_refused_in_the_page_language(settings: Settings, lang: str, said: str,
                                                                     encoding: str) -> None:
    with _adding(settings, max_file_size=1000, lang=lang) as (ws, client, token):
        fields = {"title": "Kept title", "language": "en", "text": "x" * 2000, "author": "Kept author",
                  "csrf_token": token}
        done = _paste(client, fields, encoding=encoding)
        assert done.status_code == 413
        assert said in done.text
        assert 'value="Kept title"' in done.text and 'value="Kept author"' in done.text  # the rest is kept
        assert 'data-testid="paste-error"' in done.text
        assert repository.count_sources(ws.db) == 0


@pytest.mark.parametrize(("lang", "said", "nav"), [
    ("en", "over the limit of", "Incidents"), ("ar", "يتجاوز الحد الأقصى لهذا النموذج", "الحوادث")])
def test_a_body_far_over_the_limit_gets_a_page_in_the_readers_language(settings: Settings, lang: str, said: str,
                                                                      nav: str) -> None:
    with _adding(settings, max_file_size=1000, lang=lang) as (ws, client, token):
        done = client.post("/add/text", data={"text": "x" * 2_000_000, "csrf_token": token})
        assert done.status_code == 413
        assert said in done.text and "request too large" not in done.text
        assert f">{nav}</a>" in done.text  # a normal page: the header and navigation are there
        assert repository.count_sources(ws.db) == 0
