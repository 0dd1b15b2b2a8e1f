"""Opening a database and bringing its schema up to date.

``init_db`` runs Alembic programmatically with a Config built in code, so it
works from an installed package with no ``alembic.ini`` in the working
directory, and it is safe to run on every start.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from ..domain import vocab
from ..domain.model import Actor
from . import dialect, identity_vault, seals
from .identity_vault import IdentityVault
from .tables import actors as actors_table


@dataclass(slots=True)
class Database:
    """An engine and its session factories; one per process and URL."""

    url: str
    engine: Engine
    _reader: sessionmaker[Session] = field(repr=False)
    _writer: sessionmaker[Session] = field(repr=False)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on error.

        ``write=True`` takes the write lock up front on SQLite (BEGIN
        IMMEDIATE), which avoids "database is locked" failures when a
        transaction that has already read tries to write while another
        process writes. Every repository function that writes asks for it.
        """
        maker = self._writer if write else self._reader
        with maker.begin() as session:
            yield session

    @property
    def dialect_name(self) -> str:
        return self.engine.dialect.name

    @property
    def vault(self) -> IdentityVault | None:
        """The identity vault this database's engine encrypts with (None: not given one)."""
        return identity_vault.of(self.engine)

    def attach_vault(self, vault: IdentityVault) -> None:
        identity_vault.attach(self.engine, vault)

    def dispose(self) -> None:
        self.engine.dispose()


def connect(url: str, *, vault: IdentityVault | None = None, key: bytes | bytearray | None = None) -> Database:
    """Open (lazily: nothing connects until first use) the database at ``url``.

    ``vault`` encrypts and opens the identity columns (store.identity_vault); it belongs to this
    engine only. Without one, identity values are stored as given and encrypted ones cannot be read.
    ``key`` (32 bytes, SQLite only) opens it with SQLCipher: every page of the file and of its
    write-ahead log is encrypted with it.
    """
    engine = create_engine(url, **dialect.engine_options(url, encrypted=key is not None))
    dialect.install_hooks(engine, key=key)
    identity_vault.attach(engine, vault)
    reader = sessionmaker(bind=engine, expire_on_commit=False)
    writer = sessionmaker(bind=dialect.write_engine(engine), expire_on_commit=False)
    # Both: a write made through a reading session must be sealed too.
    seals.install(reader)
    seals.install(writer)
    return Database(url=url, engine=engine, _reader=reader, _writer=writer)


def alembic_config(db: Database) -> Config:
    """An Alembic Config pointing at the packaged migrations."""
    cfg = Config()
    location = resources.files("tawthiq.store").joinpath("migrations")
    # ConfigParser interpolates "%", which may occur in an install path.
    cfg.set_main_option("script_location", str(location).replace("%", "%%"))
    cfg.set_main_option("sqlalchemy.url", db.engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def init_db(db: Database) -> None:
    """Create or upgrade the schema to the newest revision and seed the actors.

    Idempotent: a second run finds the schema at head and re-seeds the
    actor vocabulary with the current labels.
    """
    cfg = alembic_config(db)
    with dialect.write_engine(db.engine).begin() as conn:
        dialect.lock_for_migration(conn)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    # Built-in actors only: those added from the interface are mirrored as they are stored.
    seed_actors(db, vocab.builtin_actors().values())


def schema_is_current(db: Database) -> bool:
    """Whether the database has been migrated to the newest revision.

    Commands other than ``init`` check this first, so that a database nobody
    set up (or an older one) gives "run tawthiq init" instead of a SQL error.
    """
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config(db)).get_heads())
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current == heads


def ping(db: Database) -> None:
    """One round trip to the database; raises whatever the driver raises when it cannot answer."""
    with db.session() as session:
        session.execute(text("SELECT 1"))


def seed_actors(db: Database, actors: Iterable[Actor]) -> None:
    """Insert or update the actor vocabulary; parents are written before children."""
    ordered = _parents_first(list(actors))
    known = {a.code for a in ordered}
    with db.session(write=True) as session:
        existing = set(session.scalars(select(actors_table.c.code)))
        known |= existing
        for actor in ordered:
            values = {
                "code": actor.code,
                "label_en": actor.label_en,
                "label_ar": actor.label_ar,
                "aliases_en": list(actor.aliases_en),
                "aliases_ar": list(actor.aliases_ar),
                "parent": actor.parent if actor.parent in known else None,
                "description": actor.description,
            }
            session.execute(dialect.upsert(session, actors_table, values=values, conflict_columns=["code"]))


def _parents_first(actors: list[Actor]) -> list[Actor]:
    by_code = {a.code: a for a in actors}

    def depth(code: str) -> int:
        seen: set[str] = set()
        n = 0
        while code in by_code and by_code[code].parent and code not in seen:
            seen.add(code)
            code = by_code[code].parent  # type: ignore[assignment]
            n += 1
        return n

    return sorted(actors, key=lambda a: (depth(a.code), a.code))
