"""The service functions the CLI (and later the web app and API) call.

Each entry point builds one :class:`Workspace` from :class:`Settings` at the
edge and passes it inward, so nothing below reads the environment.
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import Incident, Source
from ..domain.filters import IncidentFilter
from ..settings import Settings
from .errors import Conflict, NotFound, PermissionDenied, ServiceError  # noqa: F401  (re-exported)

if TYPE_CHECKING:  # imported where used, so that `tawthiq --help` loads neither SQLAlchemy nor the extractor
    from ..extract.base import Extractor
    from ..store.db import Database
    from ..store.identity_vault import IdentityVault
    from ..store.vault.blobs import BlobStore


class Workspace:
    """What every service works on: the database, the evidence store, the extractor and the settings.

    Built by :meth:`open` at the edge (CLI command, web app, test fixture)
    and passed inward. ``blobs`` is the store of originals under
    ``settings.data_dir``. ``extractor`` is the one ingest runs: unless one
    is given it is the default extractor, loaded the first time it is asked
    for, so commands that only read never load it.
    """

    __slots__ = ("_extractor", "blobs", "db", "settings")

    def __init__(self, *, settings: Settings, db: Database, blobs: BlobStore,
                 extractor: Extractor | None = None) -> None:
        self.settings = settings
        self.db = db
        self.blobs = blobs
        self._extractor = extractor

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            # The default one follows the actor vocabulary: an actor an admin just added is
            # recognised in the next report, with no restart.
            from .vocabulary import extractor

            return extractor(self)
        return self._extractor

    @classmethod
    def open(cls, settings: Settings, *, db: Database | None = None, create: bool = False,
             extractor: Extractor | None = None) -> Workspace:
        """The workspace for ``settings``: the one place a workspace is built.

        Connects to ``settings.database_url`` and checks that its schema is
        current (``create`` sets it up or upgrades it instead). ``db`` is a
        database the caller has already connected and set up (a test's, or
        one shared by two workspaces): it is used as it is.
        """
        from ..store.vault.blobs import BlobStore
        from ..store.vault.keys import derive, is_encrypted
        from .identity_vault import open_vault, secure_identities

        keys = None
        if settings.main_key is not None:
            keys = derive(settings.main_key)
            # The identity vault's key comes from the main key too: an encrypted workspace keeps no key in the clear.
            settings = dataclasses.replace(settings, vault_key=bytes(keys.identities))
        elif is_encrypted(settings.data_dir):
            raise ServiceError("this workspace is encrypted: give its passphrase (asked for, or TAWTHIQ_PASSPHRASE)",
                               kind="workspace.locked")
        made = db is None
        if db is None:
            # Set-up migrates with the key (0029 encrypts what is there); an open finds the database first,
            # so a missing database says "run tawthiq init" rather than "the key is missing".
            db = _connect(settings, create=create, vault=open_vault(settings, create=True) if create else None,
                          key=keys.database if keys else None)
            if db.vault is None:
                try:
                    db.attach_vault(open_vault(settings, create=False))
                except ServiceError:
                    db.dispose()
                    raise
        else:
            if db.vault is None:
                # A caller's own database (a test's, a restore's): the key check below still refuses a
                # key that does not open names already stored.
                db.attach_vault(open_vault(settings, create=True))
            if create:
                from ..store.db import init_db

                init_db(db)
        try:
            secure_identities(db, check_only=True)  # a full scan only where no key check is stored yet
        except ServiceError:
            if made:
                db.dispose()
            raise
        ws = cls(settings=settings, db=db, blobs=BlobStore(settings.data_dir, keys=keys), extractor=extractor)
        from sqlalchemy.exc import SQLAlchemyError

        from .vocabulary import refresh

        try:
            refresh(ws)  # the actors added from the interface join the built-in vocabulary
        except SQLAlchemyError:
            # A database not reachable (health reports it) or not yet set up (a package being
            # verified, a schema upgrade to come): the built-in vocabulary stands; extraction
            # refreshes again before it reads a report.
            pass
        return ws


def _connect(settings: Settings, *, create: bool, vault: IdentityVault | None,
             key: bytes | bytearray | None = None) -> Database:
    from ..store.db import connect, init_db, schema_is_current
    from ..store.vault.private import private_file

    if key is not None and not settings.database_url.startswith("sqlite"):
        raise ServiceError("an encrypted workspace needs a SQLite database: PostgreSQL's files are the server's "
                           "to protect (encrypt its disk)")
    if settings.database_url.startswith("sqlite:///"):
        path = Path(settings.database_url.removeprefix("sqlite:///"))
        if not create and not path.exists():
            raise ServiceError(f"no database at {path}: run 'tawthiq init' first")
        if create and not path.exists() and path.name:
            # 0600 before SQLite writes a page; its -wal and -shm files take the database file's mode.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        if create:
            for suffix in ("", "-wal", "-shm"):
                private_file(Path(f"{path}{suffix}"))
    try:
        db = connect(settings.database_url, vault=vault, key=key)
        if create:
            init_db(db)
        elif not schema_is_current(db):
            raise ServiceError(f"database {settings.database_url} is not set up or is out of date: "
                               "run 'tawthiq init'")
    except ServiceError:
        raise
    except Exception as exc:  # connection refused, bad URL, permission denied
        raise ServiceError(f"cannot open database {settings.database_url}: {_one_line(exc)}") from exc
    return db


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def init_workspace(settings: Settings) -> Workspace:
    from ..store.vault.private import private_dir

    private_dir(settings.data_dir)
    return Workspace.open(settings, create=True)


def list_incidents(ws: Workspace, *, filters: IncidentFilter | None = None, limit: int | None = None,
                   offset: int = 0) -> list[Incident]:
    """Whole incidents matching ``filters``, oldest record first, of every confidentiality (the CLI's
    operator sees everything); merged ones only when the filter's status asks for them."""
    from ..store import repository
    from .place_search import resolve

    resolved = resolve(ws.db, filters) if filters is not None else None
    return repository.list_incidents(ws.db, filters=resolved, limit=limit, offset=offset)


def get_incident(ws: Workspace, incident_id: int) -> Incident:
    from ..store import repository

    incident = repository.get_incident(ws.db, incident_id)
    if incident is None:
        raise ServiceError(f"no incident with id {incident_id}")
    return incident


def list_sources(ws: Workspace, *, limit: int | None = None, offset: int = 0) -> list[Source]:
    from ..store import repository

    return repository.list_sources(ws.db, limit=limit, offset=offset)


def get_source(ws: Workspace, source_id: int) -> tuple[Source, list[Incident]]:
    from ..store import repository

    source = repository.get_source(ws.db, source_id)
    if source is None:
        raise ServiceError(f"no source with id {source_id}")
    return source, repository.incidents_for_source(ws.db, source_id)


def search(ws: Workspace, query: str, *, limit: int = 50) -> list:
    from ..store import repository

    if not query.strip():
        raise ServiceError("give some words to search for")
    return repository.search(ws.db, query, limit=limit)
