"""The demo (``tawthiq demo``): a SQLite workspace in a folder of its own, the samples in it, an admin.

The folder is marked as the demo's. A later demo keeps what was done in it
(reviews, corrections, uploads) and only upgrades its database; with
``fresh`` it empties the folder and starts again, and only ever a folder so
marked: pointed at anything else that is not empty, it refuses. The folder is
the owner's only (0700, its files 0600), as ``init`` makes a workspace: the
demo's database holds accounts and sessions like any other.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import Incident
from ..settings import Settings
from ..store.vault.private import private_dir, private_file, write_private
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
    ingested: list[IngestResult]  # one per sample file (none when earlier work was kept)
    incidents: list[Incident]  # the incidents, as stored
    admin: str
    password: str  # the admin's one-time password, to be changed at first sign-in; "" when the admin chose one
    kept: bool = False  # an earlier demo's work was kept


def make_demo(*, samples: Path, workdir: Path, fresh: bool = False,
              passphrase: Callable[[], str] | None = None) -> Demo:
    """The demo in ``workdir``: an earlier demo's work kept (its database upgraded), or with ``fresh`` (or the
    first time) made afresh and ``samples`` ingested into it. Only a folder an earlier demo made is emptied.

    A kept demo folder that is an encrypted workspace is opened with ``passphrase()`` (asked only then)."""
    from . import accounts, init_workspace, list_incidents, second_factor
    from .ingest import ingest_files, input_files

    marker = workdir / DEMO_MARKER
    if workdir.exists() and any(workdir.iterdir()) and not marker.exists():
        raise ServiceError(f"{workdir} exists and is not a Tawthiq demo folder; choose another --dir")
    database = workdir / "tawthiq.db"
    settings = Settings(database_url=f"sqlite:///{database}", data_dir=workdir / "originals",
                        max_file_size=DEMO_MAX_FILE_SIZE)
    if marker.exists() and database.exists() and not fresh:
        from .encryption import is_encrypted, unlock

        private_dir(workdir)  # a demo made before the folder was private is tightened too
        private_file(marker)
        if is_encrypted(settings):
            if passphrase is None:
                raise ServiceError(f"the demo in {workdir} is encrypted: its passphrase is needed")
            settings = unlock(settings, passphrase=passphrase())
        return _kept(settings, database)
    if marker.exists():
        shutil.rmtree(workdir)  # only ever a folder this made
    private_dir(workdir)
    write_private(marker, b"made by tawthiq demo\n")
    ws = init_workspace(settings)
    ingested = ingest_files(ws, input_files([samples]), link=True)  # as `tawthiq ingest` does
    incidents = list_incidents(ws)
    password = accounts.one_time_password(username=DEMO_ADMIN)
    accounts.create_user(ws, actor=None, username=DEMO_ADMIN, password=password, role="admin",
                         display_name="Demo admin", must_change_password=True)
    # A real team requires a second factor of admins unless it turns the rule off; a demo on one machine
    # with a made-up admin does turn it off (recorded, and on the settings page to turn back on).
    second_factor.set_required(ws, user=None, on=False, comment="demo: made-up accounts on one machine")
    return Demo(settings=settings, database=database, ingested=ingested, incidents=incidents, admin=DEMO_ADMIN,
                password=password)


def _kept(settings: Settings, database: Path) -> Demo:
    """An earlier demo's workspace, upgraded. Its admin gets a new one-time password only if they never chose
    their own (the one printed last time may be lost); a password they chose is left alone."""
    from . import accounts, init_workspace, list_incidents

    ws = init_workspace(settings)
    admin = next((u for u in accounts.list_users(ws, actor=None) if u.username == DEMO_ADMIN), None)
    password = ""
    if admin is None or admin.must_change_password:
        password = accounts.one_time_password(username=DEMO_ADMIN)
        if admin is None:
            accounts.create_user(ws, actor=None, username=DEMO_ADMIN, password=password, role="admin",
                                 display_name="Demo admin", must_change_password=True)
        else:
            accounts.reset_password(ws, actor=None, username=DEMO_ADMIN, password=password,
                                    comment="demo restarted before the first sign-in")
    return Demo(settings=settings, database=database, ingested=[], incidents=list_incidents(ws), admin=DEMO_ADMIN,
                password=password, kept=True)
