"""The service functions the CLI (and later the web app and API) call.

Each entry point builds one :class:`Workspace` from :class:`Settings` at the
edge and passes it inward, so nothing below reads the environment.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..domain import Incident, Source
from ..domain.filters import IncidentFilter
from ..settings import Settings
from .errors import Conflict, NotFound, PermissionDenied, ServiceError  # noqa: F401  (re-exported)


@dataclass(slots=True)
class Workspace:
    settings: Settings
    db: object  # tawthiq.store.db.Database; typed loosely to keep imports lazy for fast CLI start

    @classmethod
    def open(cls, settings: Settings, *, create: bool = False) -> Workspace:
        from ..store.db import connect, init_db, schema_is_current

        if settings.database_url.startswith("sqlite:///") and not create:
            path = Path(settings.database_url.removeprefix("sqlite:///"))
            if not path.exists():
                raise ServiceError(f"no database at {path}: run 'tawthiq init' first")
        try:
            db = connect(settings.database_url)
            if create:
                init_db(db)
            elif not schema_is_current(db):
                raise ServiceError(f"database {settings.database_url} is not set up or is out of date: "
                                   "run 'tawthiq init'")
        except ServiceError:
            raise
        except Exception as exc:  # connection refused, bad URL, permission denied
            raise ServiceError(f"cannot open database {settings.database_url}: {_one_line(exc)}") from exc
        return cls(settings=settings, db=db)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def init_workspace(settings: Settings) -> Workspace:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Workspace.open(settings, create=True)


def ingest(ws: Workspace, paths: Iterable[Path], *, mapping: object | None = None,
           on_result: Callable[[object], None] | None = None, actor: str = "system", reason: str = "") -> list:
    from ..extract.contract import default_extractor
    from ..ingest.pipeline import ingest_paths
    from ..store.vault.blobs import BlobStore

    ws.settings.data_dir.mkdir(parents=True, exist_ok=True)
    return ingest_paths(
        paths,
        db=ws.db,
        blobs=BlobStore(ws.settings.data_dir),
        extractor=default_extractor(),
        max_file_size=ws.settings.max_file_size,
        mapping=mapping,
        on_result=on_result,
        actor=actor,
        via="tawthiq ingest",
        extra_metadata={"received_reason": reason} if reason else None,
    )


def list_incidents(ws: Workspace, *, filters: IncidentFilter | None = None, limit: int | None = None,
                   offset: int = 0) -> list[Incident]:
    """Whole incidents matching ``filters``, oldest record first, of every confidentiality (the CLI's
    operator sees everything); merged ones only when the filter's status asks for them."""
    from ..store import repository

    return repository.list_incidents(ws.db, filters=filters, limit=limit, offset=offset)  # type: ignore[arg-type]


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
