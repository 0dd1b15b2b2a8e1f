"""Column mapping for CSV/JSON/JSONL batches; lives with the batch readers, named here for callers."""

from __future__ import annotations

from .readers.records import ColumnMapping

__all__ = ["ColumnMapping"]
