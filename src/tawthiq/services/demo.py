"""The demo (``tawthiq demo``): a fresh SQLite workspace in a folder of its own, the samples in it, an admin.

The folder is marked as the demo's, and a later demo empties only a folder
so marked: pointed at anything else that is not empty, it refuses.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import Incident
from ..settings import Settings
from .errors import ServiceError

if TYPE_CHECKING:
    from ..ingest.pipeline import IngestResult

__all__ = ["DEMO_ADMIN", "DEMO_MARKER", "Demo", "make_demo"]

DEMO_MARKER = ".tawthiq-demo"
DEMO_ADMIN = "admin"
DEMO_MAX_FILE_SIZE = 50 * 1024 * 1024


@dataclass(slots=True)
class Demo:
    settings: Settings  # of the demo's own database and originals, for the web app to serve
    database: Path
    ingested: list[IngestResult]  # one per sample file
    incidents: list[Incident]  # the suggested incidents, as stored
    admin: str
    password: str  # the admin's one-time password: to be changed at first sign-in


def make_demo(*, samples: Path, workdir: Path) -> Demo:
    """Make ``workdir`` afresh (only a folder an earlier demo made is emptied), ingest ``samples`` into it."""
    from . import accounts, init_workspace, list_incidents
    from .ingest import ingest_files, input_files

    marker = workdir / DEMO_MARKER
    if workdir.exists() and any(workdir.iterdir()) and not marker.exists():
        raise ServiceError(f"{workdir} exists and is not a Tawthiq demo folder; choose another --dir")
    if marker.exists():
        shutil.rmtree(workdir)  # only ever a folder this made
    workdir.mkdir(parents=True, exist_ok=True)
    marker.write_text("made by tawthiq demo\n", encoding="utf-8")
    database = workdir / "tawthiq.db"
    settings = Settings(database_url=f"sqlite:///{database}", data_dir=workdir / "originals",
                        max_file_size=DEMO_MAX_FILE_SIZE)
    ws = init_workspace(settings)
    ingested = ingest_files(ws, input_files([samples]), link=True)  # as `tawthiq ingest` does
    incidents = list_incidents(ws)
    password = accounts.one_time_password()
    accounts.create_user(ws, actor=None, username=DEMO_ADMIN, password=password, role="admin",
                         display_name="Demo admin", must_change_password=True)
    return Demo(settings=settings, database=database, ingested=ingested, incidents=incidents, admin=DEMO_ADMIN,
                password=password)
