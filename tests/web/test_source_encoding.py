"""A source's page says which encoding its text was read with, why, and warns of replaced bytes (D.13)."""
from __future__ import annotations

import html
from pathlib import Path

from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files

from _client import signed_in

ROOT = Path(__file__).resolve().parents[2]


def test_source_page_shows_the_encoding_and_its_warning(web_workspace: Workspace, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(b"Warplanes struck the town of Saraqib in Idlib on Monday, killing three civilians.\xff\n")
    (bad,) = ingest_files(web_workspace, [damaged])
    (legacy,) = ingest_files(web_workspace, [ROOT / "samples" / "02-douma-shelling.ar.txt"])
    client = signed_in(web_workspace, "huda", "documenter")

    page = html.unescape(client.get(f"/sources/{bad.source_ids[0]}").text)
    assert 'data-testid="source-encoding"' in page and "Text encoding" in page
    assert "not valid UTF-8" in page and 'data-testid="encoding-warning"' in page and "Check the original" in page

    page = html.unescape(client.get(f"/sources/{legacy.source_ids[0]}").text)
    assert "cp1256" in page and "Windows-1256" in page and 'data-testid="encoding-warning"' not in page

    arabic = signed_in(web_workspace, "huda", lang="ar")
    page = html.unescape(arabic.get(f"/sources/{bad.source_ids[0]}").text)
    assert "ترميز النص" in page and "راجع الأصل" in page
