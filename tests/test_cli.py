"""The CLI as a user runs it: a real process, a real SQLite database, real files."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEED = sorted((Path(__file__).resolve().parents[1] / "samples").glob("000_*.txt"))


def run(args: list[str], *, env: dict[str, str], stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tawthiq", *args], input=stdin, capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    e = dict(os.environ)
    e["TAWTHIQ_DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    e["TAWTHIQ_DATA_DIR"] = str(tmp_path / "originals")
    e.pop("TAWTHIQ_MAX_FILE_SIZE", None)
    return e


def assert_one_line_error(proc: subprocess.CompletedProcess) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error:")


@pytest.fixture()
def ingested(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "seed.txt").write_bytes(SEED[0].read_bytes())
    (reports / "ar.txt").write_text(
        "قتل أربعة مدنيين بينهم طفلان جراء قصف مدفعي لقوات النظام على بلدة كفرنبل في ريف إدلب الجنوبي.\n",
        encoding="utf-8")
    assert run(["init"], env=env).returncode == 0
    proc = run(["ingest", str(reports)], env=env)
    assert proc.returncode == 0, proc.stderr
    return env


def test_commands_before_init_fail_with_one_line(env: dict[str, str]) -> None:
    assert_one_line_error(run(["incidents", "list"], env=env))


def test_ingest_list_show_and_filters(ingested: dict[str, str]) -> None:
    env = ingested
    rows = json.loads(run(["incidents", "list", "--format", "json"], env=env).stdout)
    assert isinstance(rows, list) and len(rows) >= 6
    assert {"id", "event_type", "perpetrators", "place", "victims"} <= set(rows[0])

    isis = json.loads(run(["incidents", "list", "--actor", "isis", "--format", "json"], env=env).stdout)
    assert isis and all("isis" in r["perpetrators"].split(",") for r in isis)
    assert len(isis) < len(rows)

    raqqa = json.loads(run(["incidents", "list", "--place", "Raqqa", "--format", "json"], env=env).stdout)
    assert raqqa and len(raqqa) < len(rows)

    suggested = json.loads(run(["incidents", "list", "--status", "suggested", "--format", "json"], env=env).stdout)
    assert len(suggested) == len(rows)
    assert json.loads(run(["incidents", "list", "--status", "verified", "--format", "json"], env=env).stdout) == []

    out = run(["incidents", "list", "--format", "csv"], env=env).stdout
    assert len(list(csv.DictReader(io.StringIO(out)))) == len(rows)

    shown = run(["incidents", "show", str(rows[0]["id"])], env=env)
    assert shown.returncode == 0
    assert "evidence:" in shown.stdout and "claims:" in shown.stdout and "«" in shown.stdout

    detail = json.loads(run(["incidents", "show", str(rows[0]["id"]), "--format", "json"], env=env).stdout)
    assert detail["claims"], "every extracted incident carries claims"
    assert all(c["span"] and c["span"]["quote"] for c in detail["claims"])


def test_reingest_changes_nothing(ingested: dict[str, str], tmp_path: Path) -> None:
    env = ingested
    before = json.loads(run(["incidents", "list", "--format", "json"], env=env).stdout)
    proc = run(["ingest", str(tmp_path / "reports")], env=env)
    assert proc.returncode == 0
    assert "0 new, 2 already stored" in proc.stdout
    after = json.loads(run(["incidents", "list", "--format", "json"], env=env).stdout)
    assert after == before


def test_sources_search_and_export(ingested: dict[str, str], tmp_path: Path) -> None:
    env = ingested
    sources = json.loads(run(["sources", "list", "--format", "json"], env=env).stdout)
    assert len(sources) == 2
    seed = next(s for s in sources if s["original_name"].endswith("seed.txt"))
    import hashlib

    assert seed["sha256"] == hashlib.sha256(SEED[0].read_bytes()).hexdigest()
    shown = run(["sources", "show", str(seed["id"])], env=env).stdout
    assert "Raqqa is Being Slaughtered Silently" in shown

    hits = json.loads(run(["search", "Kobani", "--format", "json"], env=env).stdout)
    assert any(h["kind"] == "source" and h["id"] == seed["id"] for h in hits)
    ar_hits = json.loads(run(["search", "كفرنبل", "--format", "json"], env=env).stdout)
    assert ar_hits and all(h["id"] != seed["id"] or h["kind"] != "source" for h in ar_hits)

    out = tmp_path / "incidents.geojson"
    assert run(["export", "--format", "geojson", "-o", str(out)], env=env).returncode == 0
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and fc["features"]
    located = [f for f in fc["features"] if f["geometry"]]
    assert located and all(-180 <= f["geometry"]["coordinates"][0] <= 180 for f in located)

    exported = json.loads(run(["export", "--format", "json"], env=env).stdout)
    assert {e["id"] for e in exported} == {r["id"] for r in json.loads(
        run(["incidents", "list", "--format", "json"], env=env).stdout)}
    rows = list(csv.DictReader(io.StringIO(run(["export", "--format", "csv"], env=env).stdout)))
    assert len(rows) == len(exported) and "killed_min" in rows[0]


def test_errors_are_one_line(ingested: dict[str, str]) -> None:
    env = ingested
    assert_one_line_error(run(["incidents", "show", "999999"], env=env))
    assert_one_line_error(run(["sources", "show", "999999"], env=env))
    assert_one_line_error(run(["incidents", "list", "--from", "yesterday"], env=env))
    bad = dict(env, TAWTHIQ_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert_one_line_error(run(["incidents", "list"], env=bad))


def test_ingest_reports_failures_in_exit_code(env: dict[str, str], tmp_path: Path) -> None:
    assert run(["init"], env=env).returncode == 0
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Warplanes struck the town of Saraqib on Monday, killing three civilians.\n",
                                     encoding="utf-8")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "empty.txt").write_bytes(b"")
    proc = run(["ingest", str(folder)], env=env)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    failures = [line for line in proc.stderr.splitlines() if line.startswith("failed")]
    assert len(failures) == 2
    assert "1 new" in proc.stdout


def test_extract_jsonl_follows_contract(env: dict[str, str]) -> None:
    lines = [json.dumps({"id": "a", "text": "Turkish drones struck a car near Qamishli on Friday, killing two fighters.",
                         "language": "en", "published": "2022-11-20"}),
             "this is not json",
             json.dumps({"id": "b", "text": "اختطف مسلحون مجهولون طفلاً في مدينة درعا."})]
    proc = run(["extract", "--jsonl"], env=env, stdin="\n".join(lines) + "\n")
    assert "Traceback" not in proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o.get("id") for o in out][0] == "a" and out[2]["id"] == "b"
    assert out[1]["incidents"] == [] and out[1].get("error")
    assert out[0]["incidents"] and out[2]["incidents"]
