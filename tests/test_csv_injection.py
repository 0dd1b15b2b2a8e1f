"""CSV exports never carry a spreadsheet formula (issue 9, D.10): every CSV writer, CLI and library."""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tawthiq.domain.csv_cells import FORMULA_STARTS, safe_cell, write_rows

SRC = Path(__file__).resolve().parents[1] / "src"  # the CLI runs in tmp_path, so no relative PYTHONPATH
FORMULA = '=HYPERLINK("http://evil.example/","x")'
REPORT = f"{FORMULA} Warplanes struck the town of Saraqib in Idlib on Monday, killing three civilians.\n"


def formula_cells(text: str) -> list[str]:
    """Every parsed cell a spreadsheet would evaluate."""
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "-3", FORMULA])
def test_text_that_starts_a_formula_gets_a_quote(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Saraqib", "3-3 civilian killed", "a=b", "'=already", "", "قصف"])
def test_other_text_is_unchanged(value: str) -> None:
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-3, -35.5, 0, 2.0])
def test_numbers_are_written_as_numbers(value: object) -> None:
    assert safe_cell(value) is value
    out = io.StringIO()
    write_rows(out, fieldnames=["lon"], rows=[{"lon": value}])
    assert out.getvalue().splitlines()[1] == str(value)


def run(args: list[str], *, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)


def test_every_cli_csv_escapes_a_report_that_starts_with_a_formula(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(SRC), TAWTHIQ_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
               TAWTHIQ_DATA_DIR=str(tmp_path / "originals"))
    (tmp_path / "@report.txt").write_text(REPORT, encoding="utf-8")  # its name is a formula start too
    assert run(["init"], env=env, cwd=tmp_path).returncode == 0
    assert run(["ingest", "@report.txt"], env=env, cwd=tmp_path).returncode == 0

    exported = run(["export", "--format", "csv"], env=env, cwd=tmp_path).stdout
    assert formula_cells(exported) == []
    (row,) = csv.DictReader(io.StringIO(exported))
    assert row["description"] == "'" + REPORT.strip()
    assert float(row["lat"]) > 35 and row["killed_min"] == "3"  # numbers stay numbers

    assert run(["export", "--format", "csv", "-o", "out.csv"], env=env, cwd=tmp_path).returncode == 0
    assert formula_cells((tmp_path / "out.csv").read_text(encoding="utf-8")) == []

    for args in (["incidents", "list"], ["sources", "list"], ["search", "Saraqib"]):
        out = run([*args, "--format", "csv"], env=env, cwd=tmp_path).stdout
        assert len(list(csv.reader(io.StringIO(out)))) >= 2, args
        assert formula_cells(out) == [], args
    sources = list(csv.DictReader(io.StringIO(run(["sources", "list", "--format", "csv"], env=env,
                                                  cwd=tmp_path).stdout)))
    assert sources[0]["title"].startswith("'" + FORMULA) and sources[0]["original_name"] == "'@report.txt"


def test_a_group_without_a_count_exports_as_unknown_never_at_least_zero() -> None:
    from tawthiq.domain.enums import VictimKind, VictimOutcome
    from tawthiq.domain.model import Incident, VictimGroup
    from tawthiq.export.formats import csv_row

    unknown = Incident(event_type="shelling", victims=[VictimGroup(outcome=VictimOutcome.KILLED)])
    row = csv_row(unknown)
    assert (row["killed_min"], row["killed_max"]) == (None, None)
    assert row["victims"] == "?-? unknown killed"
    some = Incident(event_type="shelling", victims=[
        VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=3, count_max=3),
        VictimGroup(outcome=VictimOutcome.KILLED),
        VictimGroup(outcome=VictimOutcome.INJURED, kind=VictimKind.CIVILIAN, count_min=14)])
    row = csv_row(some)
    # At least the counted three, no upper bound; injured apart, never added to killed.
    assert (row["killed_min"], row["killed_max"]) == (3, None)
    assert (row["injured_min"], row["injured_max"]) == (14, None)
