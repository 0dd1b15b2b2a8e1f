"""`tawthiq fixity`: reports written atomically and recorded, earlier heads held, stale temp files swept."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from tawthiq.evidence.fixity import FixityResult, parse_interval, run_fixity, sweep_temp_files
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store.db import Database
from tawthiq.store.fixity import list_runs
from tawthiq.store.vault.blobs import sha256_file
from tawthiq.store.vault.derived import derived_store

REPORT = "Aleppo, 12 March 2016: an air strike on the al-Shaar district killed five civilians.\n"
PAGE = "<html><body><p>Raqqa, 3 March 2015: an air strike killed four civilians, residents said.</p></body></html>"


def _fill(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    for result in ingest_files(ws, [tmp_path / "a.txt", tmp_path / "b.html"], actor="cli:tester"):
        assert result.status == "new", result.error


def _run(ws: Workspace, **kwargs: Any) -> FixityResult:
    return run_fixity(ws.db, blobs=ws.blobs, actor="cli:tester", machine="archive-1", **kwargs)


def _drop_guard(db: Database) -> None:
    with db.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER custody_log_no_delete")
        else:
            conn.exec_driver_sql("DROP TRIGGER custody_log_append_only ON custody_log")


def test_a_clean_run_writes_a_read_only_report_and_records_its_hash(ws: Workspace, tmp_path: Path) -> None:
    _fill(ws, tmp_path)
    result = _run(ws)
    assert result.ok and result.run.id == 1
    path = result.json_path
    assert path is not None and path.parent == ws.settings.data_dir / "fixity"
    assert path.name.startswith("fixity-") and path.name.endswith("Z.json")
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["ok"] is True and document["problems"] == []
    counts = document["counts"]
    # Every record row written by the two ingests is re-hashed against its content seal (verify_record.py).
    assert counts.pop("seals_checked") >= counts.pop("rows_checked") > 0
    assert counts == {"originals_checked": 2, "sources_checked": 2, "derivatives_checked": 1,
                                  "derived_blobs_checked": 1, "imported_entries_checked": 0,
                                  "entries_checked": 5, "problems": 0}
    assert document["head"] == {"id": 5, "hash": result.report.head_hash}
    assert document["machine"]["hostname"] == "archive-1" and document["tawthiq_version"]
    assert document["started_at"] <= document["finished_at"] and document["previous_run"] is None
    (row,) = list_runs(ws.db)
    assert row.report_sha256 == sha256_file(path) and row.report_path == str(path)
    assert (row.ok, row.problems, row.originals_checked, row.derivatives_checked, row.entries_checked,
            row.head_id, row.head_hash) == (True, 0, 2, 1, 5, 5, result.report.head_hash)
    summary = result.text_path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert summary.splitlines()[0].endswith(": OK") and f"sha256 {row.report_sha256}" in summary


def test_problems_are_in_the_report_and_the_row(ws: Workspace, tmp_path: Path) -> None:
    _fill(ws, tmp_path)
    store = ws.blobs
    sha = next(store.iter_shas())
    store.path(sha).chmod(0o600)
    store.path(sha).write_bytes(b"replaced")
    result = _run(ws)
    assert not result.ok and result.run.problems == 1
    document = json.loads(result.json_path.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    assert document["ok"] is False and len(document["problems"]) == 1
    assert document["problems"][0].startswith(f"original {sha}: bytes at ")
    assert f"problem: original {sha}" in result.summary
    (row,) = list_runs(ws.db)
    assert not row.ok and row.problems == 1


def test_each_run_holds_the_ledger_to_earlier_heads(ws: Workspace, tmp_path: Path) -> None:
    _fill(ws, tmp_path)
    first = _run(ws)
    assert first.ok
    second = _run(ws)  # nothing changed: the previous head is still there with the same hash
    assert second.ok and _held(second) == [(5, first.report.head_hash)]
    _drop_guard(ws.db)
    with ws.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM custody_log WHERE id >= 4"))  # the last ingest's entries, cut
    third = _run(ws)
    assert third.report.problems == [
        f"ledger: entry 5, the head recorded by {second.run.label()} (hash {second.report.head_hash}), is missing; "
        "the ledger now ends at entry 3: entries were cut from the end"]
    assert not third.run.ok and _held(third) == [(5, second.report.head_hash)]
    # The next run compares with run 3 (which recorded the shorter head) and with the last clean run,
    # so the cut keeps being reported instead of being forgotten after one run.
    fourth = _run(ws)
    assert _held(fourth) == [(3, third.report.head_hash), (5, second.report.head_hash)]
    assert len(fourth.report.problems) == 1 and f"recorded by {second.run.label()} " in fourth.report.problems[0]


def _held(result: FixityResult) -> list[tuple[int, str]]:
    """The (id, hash) heads a run's report says it held the ledger to."""
    assert result.json_path is not None
    document = json.loads(result.json_path.read_text(encoding="utf-8"))
    return [(head["id"], head["hash"]) for head in document["heads_held_to"]]


def test_two_runs_in_the_same_second_never_overwrite_a_report(ws: Workspace, tmp_path: Path) -> None:
    moment = datetime(2026, 11, 26, 1, 2, 3, tzinfo=UTC)
    first = _run(ws, clock=lambda: moment)
    second = _run(ws, clock=lambda: moment)
    assert first.json_path is not None and second.json_path is not None
    assert first.json_path.name == "fixity-20261126T010203Z.json"
    assert second.json_path.name == "fixity-20261126T010203Z-2.json"
    assert len({sha256_file(first.json_path), sha256_file(second.json_path)}) == 2
    assert [p.name for p in first.json_path.parent.iterdir() if p.name.startswith(".tmp-")] == []


def test_report_dir_is_honoured(ws: Workspace, tmp_path: Path) -> None:
    result = _run(ws, report_dir=tmp_path / "reports")
    assert result.json_path is not None and result.json_path.parent == tmp_path / "reports"
    assert result.ok and result.report.head_id is None


def test_stale_temp_files_older_than_an_hour_are_removed_and_never_a_blob(ws: Workspace, tmp_path: Path) -> None:
    _fill(ws, tmp_path)
    originals = ws.blobs
    sha = next(originals.iter_shas())
    old = originals.path(sha).parent / ".tmp-killed-write"
    old.write_bytes(b"half of an original")
    young = originals.root / "sha256" / ".tmp-in-progress"
    young.write_bytes(b"a write still going")
    derived_old = derived_store(originals).root / "sha256" / ".tmp-old-copy"
    derived_old.write_bytes(b"half a thumbnail")
    target = tmp_path / "elsewhere"
    target.write_bytes(b"not ours")
    link = originals.root / "sha256" / ".tmp-link"
    link.symlink_to(target)
    two_hours_ago = time.time() - 7200
    for path in (old, derived_old):
        os.utime(path, (two_hours_ago, two_hours_ago))
    os.utime(link, (two_hours_ago, two_hours_ago), follow_symlinks=False)
    shas_before = set(originals.iter_shas())

    result = _run(ws)
    assert result.ok
    assert {Path(item.path).name: item.removed for item in result.stale} == {
        ".tmp-killed-write": True, ".tmp-in-progress": False, ".tmp-old-copy": True}
    assert not old.exists() and not derived_old.exists() and young.exists()
    assert link.is_symlink() and target.read_bytes() == b"not ours"
    assert set(originals.iter_shas()) == shas_before and all(originals.verify(s) for s in shas_before)
    assert "stale temporary files: 3 found, 2 removed (older than 60 min), 1 left" in result.summary
    document = json.loads(result.json_path.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    assert sorted(item["removed"] for item in document["stale_temporary_files"]) == [False, True, True]


def test_sweep_touches_only_temp_names(tmp_path: Path) -> None:
    blob = tmp_path / "ab" / "cd" / ("ab" + "0" * 62)
    blob.parent.mkdir(parents=True)
    blob.write_bytes(b"x")
    os.utime(blob, (0, 0))
    assert sweep_temp_files([tmp_path, tmp_path / "absent"]) == [] and blob.exists()


@pytest.mark.parametrize(("given", "seconds"), [("90s", 90), ("15m", 900), ("24h", 86400), ("7d", 604800),
                                                ("1.5h", 5400), (" 2H ", 7200)])
def test_intervals(given: str, seconds: float) -> None:
    assert parse_interval(given) == seconds


@pytest.mark.parametrize("bad", ["", "24", "0h", "-1h", "1w", "h", "1 day"])
def test_bad_intervals_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="expected a positive interval"):
        parse_interval(bad)


# --- the command --------------------------------------------------------------------------------------------

def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "TAWTHIQ_DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
            "TAWTHIQ_DATA_DIR": str(tmp_path / "data"), "PYTHONUNBUFFERED": "1"}


def _tawthiq(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def _invoke(*args: str, env: dict[str, str]) -> Result:
    """The command in process (CliRunner): the same click command the `tawthiq` entry point runs."""
    from tawthiq.cli import cli

    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_fixity_command_exit_codes_and_history(tmp_path: Path) -> None:
    env = _env(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(REPORT, encoding="utf-8")
    assert _invoke("init", env=env).exit_code == 0
    assert _invoke("ingest", str(tmp_path / "in"), env=env).exit_code == 0
    assert _invoke("fixity", "--history", env=env).output.strip() == "no fixity runs yet"
    clean = _invoke("fixity", env=env)
    assert clean.exit_code == 0, clean.output
    assert clean.output.splitlines()[0].endswith(": OK") and "report: " in clean.output

    blob = next((tmp_path / "data" / "sha256").glob("*/*/*"))
    blob.chmod(0o600)
    blob.write_bytes(b"changed")
    broken = _invoke("fixity", env=env)
    assert broken.exit_code == 1 and broken.output.startswith(f"original {blob.name}: bytes at ")
    history = _invoke("fixity", "--history", env=env).output.splitlines()
    assert history[0].startswith("id\tstarted (UTC)") and len(history) == 3
    assert history[1].split("\t")[0] == "2" and history[1].split("\t")[3] == "1 problem(s)"
    assert history[2].split("\t")[3] == "OK"
    assert len(list((tmp_path / "data" / "fixity").glob("fixity-*.json"))) == 2
    bad = _invoke("fixity", "--every", "soon", env=env)
    assert bad.exit_code == 2 and "expected a positive interval" in bad.output


def test_fixity_every_runs_on_schedule_until_ctrl_c(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _tawthiq("init", env=env).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "tawthiq", "fixity", "--every", "1s"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reports = tmp_path / "data" / "fixity"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(reports.glob("fixity-*.json"))) < 2:
        time.sleep(0.1)
    time.sleep(0.3)  # let the second run finish its row and go to sleep
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, out + err
    assert "Traceback" not in err and err == ""
    assert out.splitlines()[-1].startswith("fixity: stopped after ") and out.count("next fixity run in") >= 2
