"""The ``tawthiq`` command line.

- :mod:`.main`: the root group, the list of command groups, the entry point;
- :mod:`.context`: settings and workspace per command, one-line errors, who acts;
- :mod:`.output`: how every line is printed (escaped) and how lists are rendered;
- one module per command group: :mod:`.start` (init, demo), :mod:`.ingest`,
  :mod:`.extract`, :mod:`.records` (incidents, sources, search, export),
  :mod:`.evidence` (verify, derive, fixity), :mod:`.package`, :mod:`.telegram`,
  :mod:`.capture`, :mod:`.redact`, :mod:`.serve`, :mod:`.users`.
"""
from __future__ import annotations

from .main import cli, main

__all__ = ["cli", "main"]
