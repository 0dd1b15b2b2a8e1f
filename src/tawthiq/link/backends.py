"""Where a Splink model runs: DuckDB embedded (the default) or Spark for corpora beyond one machine.

A linker (incidents, person records) builds one model definition
and hands its rows to a backend; the backend turns them into a table of the
engine's own and gives the Splink database API the model runs on. The rows
come with an explicit column schema, so every backend types the columns the
same way (a missing count is a NULL integer on both, never a float NaN on
one), which is what lets the same definition give the same pairs on both.

The registry is an explicit list: a new backend is a class here and an entry
in :data:`BACKENDS`.
"""
from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol

ColumnKind = Literal["int", "float", "str", "str_array"]


class LinkBackend(Protocol):
    """One engine Splink can run a model on.

    ``name`` is what callers pass (``backend="duckdb"``). :meth:`prepare`
    returns the Splink database API and the registered input table for
    ``rows`` (each a mapping of the column names in ``schema``; ``None`` is
    a NULL). ``spark`` is the caller's SparkSession for backends that need
    one, ignored by the others. :meth:`unavailable` says why the backend
    cannot run on this machine, or ``""`` when it can.

    :meth:`db_api` is the Splink database API alone, for a linker that
    registers a data frame of its own (the person linker); ``udfs`` asks for
    Splink's string-similarity functions (Jaro-Winkler), which on Spark come
    in a jar the session must load (:func:`spark_jar`).
    """

    name: str

    def unavailable(self) -> str: ...

    def prepare(self, *, rows: Sequence[Mapping[str, Any]], schema: Mapping[str, ColumnKind],
                table_name: str, spark: Any = None) -> tuple[Any, Any]: ...

    def db_api(self, *, spark: Any = None, udfs: bool = False) -> Any: ...


class DuckDBBackend:
    """An in-memory DuckDB database per run: nothing to install, nothing left behind."""

    name = "duckdb"

    def unavailable(self) -> str:
        try:
            import duckdb  # noqa: F401
        except ImportError:
            return "the duckdb package is not installed"
        return ""

    def prepare(self, *, rows: Sequence[Mapping[str, Any]], schema: Mapping[str, ColumnKind],
                table_name: str, spark: Any = None) -> tuple[Any, Any]:
        import pyarrow as pa
        from splink import DuckDBAPI

        types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "str_array": pa.list_(pa.string())}
        table = pa.table({col: pa.array([row.get(col) for row in rows], type=types[kind])
                          for col, kind in schema.items()})
        db_api = DuckDBAPI(":memory:")
        return db_api, db_api.register(table, table_name=table_name)

    def db_api(self, *, spark: Any = None, udfs: bool = False) -> Any:
        from splink import DuckDBAPI

        return DuckDBAPI()  # DuckDB has the similarity functions built in


class SparkBackend:
    """A SparkSession the caller owns (local mode in tests, a cluster in production); we never stop it."""

    name = "spark"

    def unavailable(self) -> str:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            return "pyspark is not installed (pip install 'tawthiq[spark]')"
        if not shutil.which("java"):
            return "no Java runtime on PATH (apt-get install openjdk-17-jre-headless)"
        return ""

    def prepare(self, *, rows: Sequence[Mapping[str, Any]], schema: Mapping[str, ColumnKind],
                table_name: str, spark: Any = None) -> tuple[Any, Any]:
        from pyspark.sql import types as T
        from splink import SparkAPI

        if spark is None:
            raise ValueError("the spark backend needs a SparkSession (spark=...)")
        kinds = {"int": T.LongType(), "float": T.DoubleType(), "str": T.StringType(),
                 "str_array": T.ArrayType(T.StringType())}
        struct = T.StructType([T.StructField(col, kinds[kind], True) for col, kind in schema.items()])
        frame = spark.createDataFrame([tuple(row.get(col) for col in schema) for row in rows], schema=struct)
        # Splink's Jaro-Winkler UDF jar is not needed by the incident model (its levels are plain SQL).
        db_api = SparkAPI(spark_session=spark, register_udfs_automatically=False)
        return db_api, db_api.register(frame, table_name=table_name)

    def db_api(self, *, spark: Any = None, udfs: bool = False) -> Any:
        if spark is None:
            raise ValueError("the spark backend needs a SparkSession (spark=...)")
        if udfs:
            jar = spark_jar().rsplit("/", 1)[-1]
            if jar not in spark.conf.get("spark.jars", ""):
                raise ValueError(f"the Spark session does not load {jar}: build it with "
                                 ".config('spark.jars', tawthiq.link.backends.spark_jar())")
        from splink import SparkAPI

        # Splink breaks long query lineages by checkpointing, which needs a checkpoint directory; a session
        # without one (local mode, usually) persists instead, rather than this code changing the caller's session.
        has_checkpoint_dir = spark.sparkContext.getCheckpointDir() is not None
        return SparkAPI(spark_session=spark, register_udfs_automatically=udfs,
                        break_lineage_method=None if has_checkpoint_dir else "persist")


def spark_jar() -> str:
    """The jar of string-similarity functions (Jaro-Winkler, Damerau-Levenshtein) Splink's Spark SQL calls:
    a session for a model that compares strings is built with ``.config("spark.jars", spark_jar())``."""
    from splink.backends.spark import similarity_jar_location

    return str(similarity_jar_location())


BACKENDS: tuple[LinkBackend, ...] = (DuckDBBackend(), SparkBackend())


def backend_named(name: str) -> LinkBackend:
    for backend in BACKENDS:
        if backend.name == name:
            return backend
    known = ", ".join(b.name for b in BACKENDS)
    raise ValueError(f"unknown linkage backend {name!r} (known: {known})")
