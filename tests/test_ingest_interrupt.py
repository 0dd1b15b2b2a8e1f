"""A batch killed with SIGKILL part-way loses nothing committed and duplicates nothing when run again."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from tawthiq.store import tables
from tawthiq.store.vault.blobs import BlobStore

WORKER = r"""
import sys, time
from pathlib import Path
from tawthiq.domain import Claim, ClaimField, Incident, Span
from tawthiq.store.vault.blobs import BlobStore
from tawthiq.ingest.pipeline import ingest_paths
from tawthiq.store.db import connect

class SlowExtractor:
    # Slow enough that SIGKILL lands inside a file's work, not only between files.
    name = "slow"
    def extract(self, text, *, language=None, published=None):
        time.sleep(0.01)
        span = Span.of(text, 0, min(len(text), 40))
        return [Incident(event_type="attack", evidence=[span],
                         claims=[Claim(field=ClaimField.EVENT_TYPE, value="attack", span=span, method="test")])]

url, folder, blobs = sys.argv[1:4]
ingest_paths([Path(folder)], db=connect(url), blobs=BlobStore(Path(blobs)), extractor=SlowExtractor(),
             max_file_size=10_000_000, on_result=lambda r: print(r.status, r.path.name, flush=True))
print("DONE", flush=True)
"""

N_TEXT = 40
N_CSV = 10
ROWS = 6


def make_batch(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    files: dict[str, bytes] = {}
    for i in range(N_TEXT):
        # Some files are large so that a kill can land while an original is being written.
        padding = ("Witnesses described the scene in detail. " * (5000 if i % 7 == 0 else 3)).encode()
        files[f"r{i:03}.txt"] = f"Report {i}: shelling on the town of Douma killed {i} civilians.\n".encode() + padding
    for i in range(N_CSV):
        rows = "".join(f"c{i}-{j},Row {j} of log {i}: an air strike on Ariha killed {j} people\n" for j in range(ROWS))
        files[f"log{i:02}.csv"] = ("id,text\n" + rows).encode()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def run_worker(url: str, folder: Path, blobs: Path, *, kill_after: int | None) -> list[str]:
    """Run a batch in a child process; SIGKILL it once it has reported ``kill_after`` files."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, url, str(folder), str(blobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            lines.append(line.strip())
            if kill_after is not None and len(lines) >= kill_after:
                time.sleep(0.015)  # into the next file's work
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = proc.stderr.read() if proc.stderr else ""
    assert "Traceback" not in stderr
    if kill_after is None:
        assert proc.returncode == 0 and lines[-1] == "DONE", (proc.returncode, lines[-3:], stderr[-2000:])
    else:
        assert proc.returncode == -signal.SIGKILL and "DONE" not in lines
    return lines


def test_killed_batches_resume_without_loss_or_duplicates(db, tmp_path: Path) -> None:
    files = make_batch(tmp_path / "in")
    blob_root = tmp_path / "originals"

    first = run_worker(db.url, tmp_path / "in", blob_root, kill_after=9)
    second = run_worker(db.url, tmp_path / "in", blob_root, kill_after=25)
    final = run_worker(db.url, tmp_path / "in", blob_root, kill_after=None)

    committed_before = {line.split()[1] for line in first + second if line.split()[0] == "new"}
    statuses = dict(line.split()[::-1] for line in final[:-1])
    assert set(statuses) == set(files)
    assert set(statuses.values()) <= {"new", "duplicate"}
    assert all(statuses[name] == "duplicate" for name in committed_before)
    assert "new" in statuses.values()  # the kills really interrupted the batch

    expected_sources = N_TEXT + N_CSV * ROWS
    with db.session() as session:
        n_sources = session.scalar(select(func.count()).select_from(tables.sources))
        keys = session.execute(select(tables.sources.c.sha256, tables.sources.c.record_key)).all()
        n_incidents = session.scalar(select(func.count()).select_from(tables.incidents))
        per_source = session.execute(
            select(tables.incidents.c.source_id, func.count()).group_by(tables.incidents.c.source_id)
        ).all()
    assert n_sources == expected_sources == len(set(keys))
    # Each source was committed together with its incident, exactly once.
    assert n_incidents == expected_sources and {n for _, n in per_source} == {1}
    assert {sha for sha, _ in keys} == {hashlib.sha256(data).hexdigest() for data in files.values()}

    store = BlobStore(blob_root)
    shas = set(store.iter_shas())
    assert shas == {hashlib.sha256(data).hexdigest() for data in files.values()}
    for sha in shas:
        assert store.verify(sha)  # no blob is half-written under its real name
    for path in (blob_root / "sha256").rglob("*"):
        if path.is_file():
            assert path.name in shas or path.name.startswith(".tmp-"), path
