"""`tawthiq link …` and the link stage of `tawthiq ingest`, as a user runs them (real processes, real Splink)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EN = ("Russian warplanes bombed the town of Ariha in Idlib countryside on 7 October 2015, killing at least 6 "
      "civilians including two children, local activists said.\n")
AR = "قصفت طائرات حربية روسية مدينة أريحا في ريف إدلب يوم 7 تشرين الأول 2015، ما أدى إلى مقتل خمسة مدنيين بينهم طفلان.\n"
OTHER = ("Government artillery shelled the town of Douma in Eastern Ghouta on 15 November 2017, killing five "
         "civilians.\n")


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
    return lines[0]


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    e = dict(os.environ)
    e["TAWTHIQ_DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    e["TAWTHIQ_DATA_DIR"] = str(tmp_path / "originals")
    assert run(["init"], e).returncode == 0
    return e


def _rows(env: dict[str, str]) -> dict[int, dict]:
    proc = run(["incidents", "list", "--format", "json"], env)
    assert proc.returncode == 0, proc.stderr
    return {r["id"]: r for r in json.loads(proc.stdout)}


def test_an_arabic_and_an_english_report_of_one_strike_become_one_event(env: dict[str, str], tmp_path: Path) -> None:
    for name, text in (("en.txt", EN), ("ar.txt", AR), ("other.txt", OTHER)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    proc = run(["ingest", str(tmp_path / "en.txt"), str(tmp_path / "ar.txt"), str(tmp_path / "other.txt")], env)
    assert proc.returncode == 0, proc.stderr
    assert "linked 3 new incident(s) with the record: 1 same" in proc.stdout
    rows = _rows(env)
    strike = [r for r in rows.values() if r["place"] == "Ariha"]
    douma = [r for r in rows.values() if r["place"] == "Douma"]
    assert len(strike) == 2 and {r["cluster_id"] for r in strike} == {min(r["id"] for r in strike)}
    assert all(r["independent_sources"] == 2 for r in strike)
    assert douma and all(r["cluster_id"] == r["id"] and r["independent_sources"] == 1 for r in douma)

    # The history shows who judged, why and with which weights; undo splits the event.
    a, b = sorted(r["id"] for r in strike)
    history = json.loads(run(["link", "history", str(b), "--format", "json"], env).stdout)
    [same] = history
    assert same["by"] == "linker" and same["verdict"] == "same" and same["probability"] >= 0.9
    assert "place" in same["weights"] and "date" in same["weights"]
    undo = run(["link", "undo", str(same["judgement"]), "--comment", "two raids that day"], env)
    assert undo.returncode == 0 and "withdrawn" in undo.stdout
    assert {r["cluster_id"] for r in _rows(env).values() if r["place"] == "Ariha"} == {a, b}
    # Re-linking leaves the pair to people; a person's decision joins it again.
    relink = run(["link", "incidents"], env)
    assert relink.returncode == 0 and "1 judged by people" in relink.stdout
    decided = run(["link", "decide", str(a), str(b), "--verdict", "same", "--comment", "checked the videos"], env)
    assert decided.returncode == 0, decided.stderr
    assert {r["cluster_id"] for r in _rows(env).values() if r["place"] == "Ariha"} == {a}
    assert run(["link", "review"], env).stdout.strip() == "no pairs to review"


def test_no_link_and_bad_options_are_one_line(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "ar.txt").write_text(AR, encoding="utf-8")
    proc = run(["ingest", "--no-link", str(tmp_path)], env)
    assert proc.returncode == 0 and "linked" not in proc.stdout + proc.stderr
    assert {r["cluster_id"] for r in _rows(env).values()} == set(_rows(env))
    assert "LOW:HIGH" in one_line_error(run(["link", "incidents", "--review-band", "0.2-0.4"], env))
    assert "below the threshold" in one_line_error(run(["link", "incidents", "--threshold", "0.8",
                                                        "--review-band", "0.5:0.95"], env))
    assert "no incident judgement" in one_line_error(run(["link", "undo", "999"], env))
    assert "no incident" in one_line_error(run(["link", "decide", "1", "999", "--verdict", "same"], env))
    assert "itself" in one_line_error(run(["link", "decide", "1", "1", "--verdict", "same"], env))
