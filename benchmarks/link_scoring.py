"""What the person-linkage benchmarks (febrl_link.py, syrian_link.py) share: running the linker on records,
or the command line as a user does, and scoring the pairs found against the true ones.

Not a benchmark itself; the two scripts put this folder on ``sys.path`` to import it.
"""
from __future__ import annotations

import csv
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from tawthiq.domain.persons import PersonRecord

Pairs = set[frozenset[Any]]


def link_records(records: list[PersonRecord], *, backend: str, threshold: float) -> Any:
    """``link_persons`` on ``records``; for ``backend="spark"`` a local two-core session is started."""
    from tawthiq.link.persons import link_persons

    spark = None
    if backend == "spark":
        from pyspark.sql import SparkSession

        from tawthiq.link.backends import spark_jar

        spark = (SparkSession.builder.master("local[2]")
                 .config("spark.jars", spark_jar()).config("spark.sql.shuffle.partitions", "8")
                 .config("spark.driver.memory", "3g").getOrCreate())
        # Splink checkpoints long lineages to disk given a directory; without one it persists in the heap
        spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="tawthiq-spark-"))
    return link_persons(records, backend=backend, spark=spark, min_probability=threshold)


def score(found: Pairs, truth: Pairs) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 (0 where a ratio has nothing to count)."""
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def print_engine_run(result: Any, *, found: Pairs, truth: Pairs, elapsed: float) -> None:
    """The model, its notes, the scores, the link time and the peak memory of an engine run."""
    precision, recall, f1 = score(found, truth)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model {result.model_version} trained={result.trained}")
    for note in result.notes:
        print(f"  note: {note}")
    print(f"pairs found {len(found)}; precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    print(f"link time {elapsed:.1f} s; peak RSS {peak:.0f} MB")


def tawthiq_cli(folder: str, name: str) -> Callable[..., str]:
    """``tawthiq <args>`` in a subprocess on a fresh database under ``folder`` (``init`` already run); stdout."""
    env = dict(os.environ, TAWTHIQ_DATABASE_URL=f"sqlite:///{folder}/{name}.db", TAWTHIQ_DATA_DIR=f"{folder}/o")

    def tawthiq(*args: str) -> str:
        proc = subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                              check=False)  # a failure is said in one line, not as a traceback
        if proc.returncode != 0:
            raise SystemExit(f"tawthiq {args[0]} failed: {proc.stderr.strip()}")
        return proc.stdout

    tawthiq("init")
    return tawthiq


def link_and_export(tawthiq: Callable[..., str], *, threshold: float,
                    backend: str) -> tuple[list[dict[str, str]], float]:
    """``tawthiq link persons`` (its summary printed), then the records as ``persons export`` writes them,
    and the seconds the linking took."""
    started = time.perf_counter()
    low = min(threshold, 0.5)
    print(tawthiq("link", "persons", "--threshold", str(threshold), "--review-band", f"{low}:{threshold}",
                  "--backend", backend).strip())
    linked = time.perf_counter() - started
    return list(csv.DictReader(io.StringIO(tawthiq("persons", "export", "--format", "csv")))), linked
