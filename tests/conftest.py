"""Shared fixtures: a fresh, migrated database per test, on SQLite and PostgreSQL.

``database_url`` is parametrised: ``sqlite`` (a temporary file, always) and
``postgresql`` (only when ``TAWTHIQ_TEST_DATABASE_URL`` is set, else skipped).
Each PostgreSQL test gets its own schema, selected through the connection's
``search_path``, so tests never see each other's rows (nor each other's
``alembic_version``) and the schema is dropped afterwards.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url
from sqlalchemy.engine import URL

from tawthiq.services import Workspace
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.store.db import Database, connect, init_db
from tawthiq.store.queries import clear_cache

PG_ENV = "TAWTHIQ_TEST_DATABASE_URL"


def _pg_schema_url(base: str, schema: str) -> URL:
    url = make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={schema}"})


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (not yet migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tawthiq.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"set {PG_ENV} to run against PostgreSQL")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield _pg_schema_url(base, schema).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A migrated database with the actor vocabulary seeded."""
    database = connect(database_url)
    init_db(database)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty directory for stored originals."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def settings(database_url: str, data_dir: Path) -> Settings:
    """Settings pointing at the test database (not yet migrated) and ``data_dir``."""
    return Settings(database_url=database_url, data_dir=data_dir, max_file_size=DEFAULT_MAX_FILE_SIZE)


@pytest.fixture
def ws(settings: Settings, db: Database) -> Iterator[Workspace]:
    """A workspace on the migrated test database, as ``init_workspace(settings)`` gives.

    It shares ``db`` (which disposes of the engine), so a test may insert rows
    through either. The query cache is process-wide: cleared on both sides so
    no test sees counts cached by another test's database.
    """
    clear_cache()
    try:
        yield Workspace.open(settings, db=db)
    finally:
        clear_cache()


def _spark_missing() -> str:
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'tawthiq[spark]')"
    if shutil.which("java") is None:
        return "no Java runtime (apt-get install openjdk-17-jre-headless)"
    return ""


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One local Spark session for every Spark test: a JVM can hold one, and a second getOrCreate()
    would silently reuse the first with its settings (Splink's similarity jar included or not)."""
    if why := _spark_missing():
        pytest.skip(why)
    from pyspark.sql import SparkSession

    from tawthiq.link.backends import spark_jar

    session = (SparkSession.builder.master("local[1]").appName("tawthiq-test")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .config("spark.jars", spark_jar()).config("spark.driver.memory", "1g").getOrCreate())
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("spark-checkpoints")))
    yield session
    session.stop()


@pytest.fixture(scope="session", autouse=True)
def second_factor_not_required() -> Iterator[None]:
    """A real installation requires a second factor of admins and reviewers unless the team turns it off
    (services.second_factor); the suite's made-up admins sign in with a password alone, as the team
    that turned it off would. Tests of the rule turn it on through the settings (audited), as an admin does.
    For the whole session, so that module-wide fixtures which sign in are covered too."""
    from tawthiq.services import second_factor

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(second_factor, "REQUIRED_BY_DEFAULT", False)
        yield
