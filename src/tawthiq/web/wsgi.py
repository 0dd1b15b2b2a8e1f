"""The app built from the environment, for ``uvicorn tawthiq.web.wsgi:app`` and worker processes."""
from __future__ import annotations

from ..settings import Settings
from .app import create_app

app = create_app(Settings.from_env())
