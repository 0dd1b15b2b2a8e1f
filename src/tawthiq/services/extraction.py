"""Extraction without storing anything: report text in, incidents in the extraction contract's shape out.

What ``tawthiq extract`` runs. Nothing here opens a workspace: the text is
read, the default extractor runs, and the result is returned to the caller.
"""
from __future__ import annotations

from datetime import date
from typing import Any, TextIO

from ..extract.contract import default_extractor, incident_to_contract, run_jsonl

__all__ = ["extract_report", "run_contract"]


def extract_report(text: str, *, language: str | None = None, published: date | None = None) -> list[dict[str, Any]]:
    """The incidents the default extractor finds in ``text``, each in the contract's INCIDENT shape.

    ``published`` anchors relative dates ("yesterday"); ``language`` None means detect.
    """
    incidents = default_extractor().extract(text, language=language, published=published)
    return [incident_to_contract(incident) for incident in incidents]


def run_contract(stdin: TextIO, stdout: TextIO) -> int:
    """JSON Lines batch mode of the contract: one result per input line; returns the number of bad lines."""
    return run_jsonl(stdin, stdout)
