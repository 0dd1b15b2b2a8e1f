"""Ingest as an explicit, ordered list of stages (see :class:`Stage` for the contract).

read → store original → source → extract → index → named persons → custody
→ derive. A later step (linking a source to known incidents, OCR of a
scanned page) attaches by adding one entry to ``DEFAULT_STAGES`` where it
belongs.
"""

from __future__ import annotations

from .base import DocumentContext, IngestContext, IngestResult, Stage, Stated, Status
from .derive import DeriveStage
from .extract import ExtractStage
from .named import NamedPersonsStage
from .original import StoreOriginalStage
from .read import ReadStage
from .record import CustodyStage, IndexStage
from .source import SourceStage

DEFAULT_STAGES: list[Stage] = [
    ReadStage(),
    StoreOriginalStage(),
    SourceStage(),
    ExtractStage(),
    IndexStage(),
    NamedPersonsStage(),
    CustodyStage(),
    DeriveStage(),
]

__all__ = [
    "DEFAULT_STAGES",
    "CustodyStage",
    "DeriveStage",
    "DocumentContext",
    "ExtractStage",
    "IndexStage",
    "IngestContext",
    "IngestResult",
    "NamedPersonsStage",
    "ReadStage",
    "SourceStage",
    "Stage",
    "Stated",
    "Status",
    "StoreOriginalStage",
]
