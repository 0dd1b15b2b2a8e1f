"""PyAV, loaded on first use.

Importing PyAV loads FFmpeg's libraries: about 22 MB of every process that
imports the ingest pipeline, which is every CLI command and web worker, most
of which never touch a video. The media modules reach it through this proxy
(``from .lazy_av import av``), so it is imported the first time one of them
actually uses it.
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _LazyModule:
    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)


av: Any = _LazyModule("av")
