"""`tawthiq persons` as a user runs it: a real process, a real SQLite database, real files."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NAME = "مُحَمَّد الحِمْصِيّ"


def run(args: list[str], *, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    e = dict(os.environ)
    e["TAWTHIQ_DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    e["TAWTHIQ_DATA_DIR"] = str(tmp_path / "originals")
    e.pop("TAWTHIQ_MAX_FILE_SIZE", None)
    assert run(["init"], env=e).returncode == 0
    return e


def _one_line_error(proc: subprocess.CompletedProcess, fragment: str) -> None:
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0], proc.stderr


def test_import_list_show_export(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "قائمة.csv"
    path.write_bytes(f"الرقم,الاسم,اسم الأم,تاريخ الاستشهاد,الحي\n7,{NAME},فاطمة,2012-02-04,الخالدية\n,,,,\n"
                     .encode("cp1256"))
    proc = run(["persons", "import", str(path), "--list", "homs", "--id-column", "الرقم"], env=env)
    assert proc.returncode == 0, proc.stderr
    assert "list homs: 1 added, 0 updated, 0 unchanged, 1 skipped" in proc.stdout
    assert "skipped line 3: empty row" in proc.stderr and NAME not in proc.stdout + proc.stderr  # no names
    again = run(["persons", "import", str(path), "--list", "homs", "--id-column", "الرقم"], env=env)
    assert "already stored as source" in again.stdout and "0 added, 0 updated, 1 unchanged" in again.stdout

    listed = run(["persons", "list", "--format", "json"], env=env)
    (row,) = json.loads(listed.stdout)
    assert (row["name"], row["mother_name"], row["date"], row["extra"]) == (NAME, "فاطمة", "2012-02-04",
                                                                          {"الحي": "الخالدية"})
    shown = run(["persons", "show", str(row["id"])], env=env)
    assert shown.returncode == 0 and NAME in shown.stdout and "source 1" in shown.stdout

    exported = run(["persons", "export", "--format", "csv", "--list", "homs"], env=env)
    (out,) = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert (out["list"], out["record_id"], out["cluster_id"], out["name"]) == ("homs", "7", str(row["id"]), NAME)
    target = tmp_path / "out.json"
    proc = run(["persons", "export", "--format", "json", "-o", str(target)], env=env)
    assert proc.returncode == 0 and json.loads(target.read_text(encoding="utf-8"))[0]["name"] == NAME


def test_bad_input_is_one_line(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("name,age\nA,1\n", encoding="utf-8")
    _one_line_error(run(["persons", "import", str(path), "--list", "x", "--map", "nope=age"], env=env),
                    "'nope' is not a person field")
    _one_line_error(run(["persons", "import", str(path), "--list", "x", "--id-column", "ID"], env=env),
                    "--id-column 'ID': no such column")
    _one_line_error(run(["persons", "import", str(tmp_path / "none.csv"), "--list", "x"], env=env), "no such file")
    (tmp_path / "bad.json").write_text("[{", encoding="utf-8")
    _one_line_error(run(["persons", "import", str(tmp_path / "bad.json"), "--list", "x"], env=env),
                    "malformed JSON")
    _one_line_error(run(["persons", "export", "--format", "csv", "--list", "none"], env=env), "no list named")
    _one_line_error(run(["persons", "show", "99"], env=env), "no person record with id 99")
