"""Shared set-up for the review, incident and source page tests: report text in, visible text out.

The client, sign-in and user helpers are in ``_client``.
"""
from __future__ import annotations

import html
import re
from pathlib import Path


from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SEED = SAMPLES / "000_9032e6eeb26cf358.txt"


def ingest_text(ws: Workspace, tmp: Path, name: str, text: str) -> list[int]:
    """Ingest one text file; returns its source ids."""
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    (result,) = ingest_files(ws, [path])
    assert result.status == "new", result
    return list(result.source_ids)


def text_of(page: str) -> str:
    """The visible text of a page, tags removed and entities decoded (for plain assertions)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))
