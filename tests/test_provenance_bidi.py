"""Bidi embedding, override and isolate controls never reach a stored title, author or received-from
(paste, upload, Telegram, the API, a package: whatever stores a source), and a typed title over 500
characters is refused in words, not cut (issue 12 fixes, A5). On SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from _users import DOCUMENTER

from tawthiq.domain import Source, SourceKind
from tawthiq.services import Workspace, ingest
from tawthiq.store import repository

TEXT = "Shelling hit Douma yesterday, killing 4 civilians."
SPOOF = "report\u202egnp.exe"
ALL = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_a_paste_stores_title_author_and_received_from_without_reordering_controls(ws: Workspace) -> None:
    given = ingest.Provenance.from_form(author=f"\u2067المرصد{ALL}\u2069", received_from=f"Signal {SPOOF}")
    result = ingest.ingest_text(ws, user=DOCUMENTER, text=TEXT, title=SPOOF, provenance=given)
    source = repository.get_source(ws.db, result.source_ids[0])
    assert source is not None
    assert source.title == "reportgnp.exe"
    assert source.author == "المرصد"
    assert source.metadata["received_from"] == "Signal reportgnp.exe"
    # The marks Arabic beside Latin may need (RLM, LRM) are not reordering controls: kept.
    marked = ingest.ingest_text(ws, user=DOCUMENTER, text=TEXT + " 2", title="تقرير\u200f PDF")
    assert repository.get_source(ws.db, marked.source_ids[0]).title == "تقرير\u200f PDF"  # type: ignore[union-attr]


def test_any_way_in_is_cleaned_where_the_source_is_stored(ws: Workspace) -> None:
    # As the Telegram reader, a package import or the API hand a source to the store.
    sid, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="ab" * 32, text=TEXT, title=SPOOF,
                                                 author="a\u202db", metadata={"chat": f"x{ALL}y",
                                                                               "body": "line\u202e\nline"}))
    source = repository.get_source(ws.db, sid)
    assert source is not None
    assert (source.title, source.author, source.metadata["chat"]) == ("reportgnp.exe", "ab", "xy")
    assert source.metadata["body"] == "line\u202e\nline"  # multi-line text is kept as read


def test_a_title_over_500_characters_is_refused_not_cut(ws: Workspace) -> None:
    before = repository.count_sources(ws.db)
    with pytest.raises(ingest.ProvenanceError, match="over 500 characters") as refused:
        ingest.ingest_text(ws, user=DOCUMENTER, text=TEXT, title="t" * 501)
    assert refused.value.key == "title_long" and "\n" not in str(refused.value)
    assert repository.count_sources(ws.db) == before
    kept = ingest.ingest_text(ws, user=DOCUMENTER, text=TEXT, title="t" * 500)
    assert repository.get_source(ws.db, kept.source_ids[0]).title == "t" * 500  # type: ignore[union-attr]
