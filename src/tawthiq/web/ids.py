"""Ids in paths, typed so an id no record can have is a 400 before any query (never a 500)."""
from __future__ import annotations

from typing import Annotated

from fastapi import Path

from ..domain.ids import MAX_ID

# A path id: 1..2**63-1. Beyond 64 bits SQLite's driver raises OverflowError;
# with this the request is refused by validation (400) and documented in OpenAPI.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
