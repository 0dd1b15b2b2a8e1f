"""Working copies: stored apart from originals, linked to them with the tool that made them, in the ledger."""
from __future__ import annotations

from pathlib import Path

from tawthiq.domain import DerivativeKind
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store import custody
from tawthiq.store.derivatives import derivatives_of, instance_id
from tawthiq.store.vault.blobs import sha256_file
from tawthiq.store.vault.derived import derived_store

PAGE = """<html><head><title>Raqqa</title><script>alert(1)</script></head><body><article>
<p>Raqqa, 3 March 2015: an air strike on the al-Mashlab district killed four civilians, residents said.</p>
</article></body></html>"""


def test_html_gets_its_extracted_text_as_a_linked_working_copy(ws: Workspace, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    (result,) = ingest_files(ws, [page], actor="cli:tester")
    assert result.status == "new", result.error
    originals = ws.blobs
    original_sha = sha256_file(page)
    (copy,) = derivatives_of(ws.db, original_sha)
    assert copy.kind == DerivativeKind.TEXT and copy.source_id == result.source_ids[0]
    assert copy.tool == "tawthiq.ingest.readers:html" and copy.params == {"reader": "html"}
    store = derived_store(originals)
    text = store.get(copy.sha256).decode("utf-8")
    assert "al-Mashlab" in text and "alert(1)" not in text
    # Kept apart: the copy is not in the originals store, the original is untouched.
    assert not originals.exists(copy.sha256) and originals.verify(original_sha)
    events = [(e.event, e.item_sha256) for e in custody.iter_entries(ws.db)]
    assert events[-1] == ("derived", copy.sha256)
    assert custody.iter_entries(ws.db).__next__().event == "received"
    # Ingesting again makes no second copy and no new entry.
    ingest_files(ws, [page], actor="cli:tester")
    assert len(derivatives_of(ws.db, original_sha)) == 1 and len(list(custody.iter_entries(ws.db))) == len(events)


def test_plain_text_needs_no_copy(ws: Workspace, tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("Aleppo, 12 March 2016: shelling killed two civilians.", encoding="utf-8")
    ingest_files(ws, [report])
    assert derivatives_of(ws.db, sha256_file(report)) == []


def test_instance_id_is_made_once(ws: Workspace) -> None:
    first = instance_id(ws.db)
    assert len(first) == 36 and instance_id(ws.db) == first
