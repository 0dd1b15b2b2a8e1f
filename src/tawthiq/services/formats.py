"""The record's shape for other systems: one incident as exports, packages and the API write it.

The shape is the export floor's (:func:`tawthiq.export.formats.incident_record`,
the contract's vocabulary), so an API answer and an exported file say the
same thing the same way; the edges reach it through this service.
"""
from __future__ import annotations

from ..export.formats import incident_record

__all__ = ["incident_record"]
