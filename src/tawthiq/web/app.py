"""The web application: pages for documenters and the JSON API, over the same services."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from ..services import Workspace
from ..settings import Settings
from . import errors
from .auth import LanguageMiddleware, signed_in, verify_csrf
from .routes import PRIVATE_ROUTERS, PUBLIC_ROUTERS
from .guard import RequestGuard
from .security import SecurityHeaders


def static_dir() -> Path:
    return Path(str(resources.files("tawthiq.web").joinpath("static")))


def create_app(settings: Settings, *, workspace: Workspace | None = None) -> FastAPI:
    """Build the app for one database; ``workspace`` lets a caller share an open one."""
    ws = workspace or Workspace.open(settings)
    # The API router publishes its own OpenAPI document behind sign-in; FastAPI's
    # default documentation pages load scripts from a CDN, so they are off.
    app = FastAPI(title="Tawthiq", version="0.1.0", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ws = ws
    app.state.settings = settings
    errors.install(app)
    for router in PUBLIC_ROUTERS:
        app.include_router(router)
    for router in PRIVATE_ROUTERS:
        app.include_router(router, dependencies=[Depends(signed_in), Depends(verify_csrf)])
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    # Inside the language middleware, so that its refusals are pages in the reader's language: every
    # body is bounded by its route, and uploads are refused by role before a byte is read.
    app.add_middleware(RequestGuard, settings=settings)
    app.add_middleware(LanguageMiddleware)
    app.add_middleware(SecurityHeaders)
    return app
