"""``tawthiq estimate`` and its service: capture-table CSVs as published studies give them, bad files, strata."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_mse import KOSOVO, KOSOVO_LISTS, MADIGAN_YORK

from tawthiq.cli import cli
from tawthiq.services import ServiceError
from tawthiq.services.estimate import MODELS, estimate_capture_table, estimate_memberships
from tawthiq.stats import mse


def write_table(path: Path, lists: list[str], table: dict[tuple[int, ...], int]) -> Path:
    rows = [",".join([*lists, "count"])] + [",".join([*map(str, h), str(c)]) for h, c in sorted(table.items())]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def kosovo_csv(tmp_path: Path) -> Path:
    return write_table(tmp_path / "kosovo.csv", KOSOVO_LISTS, KOSOVO)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_service_and_the_estimator_name_the_same_models() -> None:
    assert MODELS == mse.MODELS


def test_json_has_exactly_the_documented_keys(kosovo_csv: Path) -> None:
    code, out, _ = invoke("estimate", "--capture-table", str(kosovo_csv), "--model", "all-two-way", "--format", "json")
    assert code == 0
    found = json.loads(out)
    assert list(found) == ["documented", "estimate", "interval", "model", "warnings"]
    assert found["documented"] == 4400 and found["estimate"] == pytest.approx(14402.5, abs=0.05)
    low, high = found["interval"]
    assert 4400 < low < 14402.5 < high
    assert found["model"] == "all-two-way" and found["warnings"] == []


def test_text_names_the_count_estimate_interval_model_and_warnings(tmp_path: Path) -> None:
    path = write_table(tmp_path / "spina.csv", ["birth", "death", "rehab"], MADIGAN_YORK)
    code, out, _ = invoke("estimate", "--capture-table", str(path), "--model", "independence")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "documented  626 people on 3 lists (birth, death, rehab)"
    assert lines[1].startswith("estimate    763.9 in all, so about 138 undocumented")
    assert lines[2].startswith("interval    ") and "95%, profile likelihood" in lines[2]
    assert lines[3] == "model       independence"
    # two lists only (--lists keeps two columns and sums over the third): a warning line
    code, out, _ = invoke("estimate", "--capture-table", str(path), "--lists", "birth,rehab")
    assert code == 0 and "documented  " in out and "warning: only two lists" in out


def test_an_unbounded_interval_is_null_in_json(tmp_path: Path) -> None:
    table = {(1, 0, 0): 50, (0, 1, 0): 40, (0, 0, 1): 30, (1, 1, 0): 1, (1, 0, 1): 1, (0, 1, 1): 1}
    path = write_table(tmp_path / "thin.csv", ["A", "B", "C"], table)
    code, out, _ = invoke("estimate", "--capture-table", str(path), "--model", "independence", "--format", "json")
    assert code == 0
    found = json.loads(out)
    assert found["interval"][0] > 123 and found["interval"][1] is None
    code, out, _ = invoke("estimate", "--capture-table", str(path), "--model", "independence")
    assert "to no upper bound (95%" in out


def test_lists_keeps_columns_and_sums_over_the_others(kosovo_csv: Path) -> None:
    found = estimate_capture_table(path=kosovo_csv, model="independence", lists=["OSCE", "EXH", "HRW"])
    on_any = sum(c for h, c in KOSOVO.items() if h[0] or h[2] or h[3])  # people on EXH, OSCE or HRW
    assert found.lists == ["OSCE", "EXH", "HRW"] and found.documented == on_any
    with pytest.raises(ServiceError, match="no list column 'UN'"):
        estimate_capture_table(path=kosovo_csv, lists=["EXH", "UN", "HRW"])


@pytest.mark.parametrize(("text", "message"), [
    ("A,B,C\n1,0,0\n", "no count column"),
    ("A,B,C,count\n1,0,2,5\n", "row 2, list 'C': '2' is not 0 or 1"),
    ("A,B,C,count\n1,0,1,-5\n", "row 2: negative count '-5'"),
    ("A,B,C,count\n1,0,1,2.5\n", "row 2: count '2.5' is not a whole number"),
    ("A,B,C,count\n1,0,1,5\n0,0,0,7\n", "row 3 is on no list"),
    ("A,B,C,count\n1,0,1,5\n0,1,0,3\n1,0,1,2\n", "rows 2 and 4 give the same history 101"),
    ("A,B,C,count\n1,0,1\n", "row 2 has 3 cells, the header 4"),
    ("A,count\n1,5\n", "1 list column(s)"),
    ("A,A,C,count\n1,0,1,5\n", "list column 'A' is named twice"),
    ("", "empty"),
    ("A,B,C,count\n1,0,1,0\n", "no one is counted"),
])
def test_bad_capture_tables_get_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ServiceError, match=re.escape(message)) as caught:
        estimate_capture_table(path=path)
    assert "\n" not in str(caught.value) and str(caught.value).startswith("table.csv: ")


def test_unreadable_files_get_one_line(tmp_path: Path) -> None:
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"A,B,count\n\xff\xfe,1,1\n")
    with pytest.raises(ServiceError, match="not UTF-8"):
        estimate_capture_table(path=binary)
    with pytest.raises(ServiceError, match="cannot read"):
        estimate_capture_table(path=tmp_path / "missing.csv")
    huge = tmp_path / "huge.csv"
    huge.write_text("A,B,count\n" + "1,0,1\n" * 200_000, encoding="utf-8")
    with pytest.raises(ServiceError, match="a capture table is at most"):
        estimate_capture_table(path=huge)


def test_a_table_no_model_can_estimate_is_one_line(tmp_path: Path) -> None:
    path = write_table(tmp_path / "apart.csv", ["A", "B", "C"], {(1, 0, 0): 5, (0, 1, 0): 4, (0, 0, 1): 3})
    with pytest.raises(ServiceError, match="^apart.csv: cannot estimate: "):
        estimate_capture_table(path=path)


def test_the_cli_errors_are_one_line_on_stderr(tmp_path: Path, kosovo_csv: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAWTHIQ_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("TAWTHIQ_DATA_DIR", str(tmp_path / "originals"))
    assert invoke("init")[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,C\n1,0,0\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "tawthiq", "estimate", "--capture-table", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == ["error: bad.csv: no count column; the header needs one column per list "
                                        "and a count column"]
    code, _, err = invoke("estimate")  # a database with no person lists
    assert code == 1 and len(err.splitlines()) == 1 and "two or more linked person lists" in err
    assert "tawthiq persons import" in err
    code, _, err = invoke("estimate", "--capture-table", str(kosovo_csv), "--by", "governorate")
    assert code == 1 and err.startswith("error: --by needs linked person lists")
    code, _, err = invoke("estimate", "--capture-table", str(kosovo_csv), "--lists", "EXH,,HRW")
    assert code == 1 and err.startswith("error: --lists takes list names")


def test_estimates_from_memberships_per_stratum() -> None:
    """Memberships as the person store will give them: (person cluster, list, stratum)."""
    memberships: list[tuple[int, str, str | None]] = []
    person = 0
    for governorate, table in (("Homs", KOSOVO), ("Hama", MADIGAN_YORK)):
        names = KOSOVO_LISTS if governorate == "Homs" else ["EXH", "ABA", "OSCE"]
        for history, count in table.items():
            for _ in range(count):
                person += 1
                memberships += [(person, name, governorate) for name, on in zip(names, history) if on]
    memberships += [(person + 1, "EXH", "Idlib"), (person + 2, "ABA", "Idlib")]  # two people, no overlap at all
    found = {s.stratum: s for s in estimate_memberships(memberships=memberships, lists=KOSOVO_LISTS,
                                                        by="governorate", model="independence")}
    assert set(found) == {"Homs", "Hama", "Idlib"}
    assert found["Homs"].estimate is not None and found["Homs"].estimate.estimate == pytest.approx(7394.6, abs=0.05)
    hama = found["Hama"].estimate  # HRW documents no one in Hama: left out, saying so
    assert hama is not None and hama.documented == 626 and hama.lists == ["EXH", "ABA", "OSCE"]
    assert hama.estimate == pytest.approx(763.9, abs=0.05)
    assert "list HRW documents no one here and is left out" in hama.warnings
    assert found["Idlib"].estimate is None and found["Idlib"].documented == 2 and found["Idlib"].problem
    # without --by the strata are ignored: one estimate over everyone
    (everyone,) = estimate_memberships(memberships=memberships, lists=KOSOVO_LISTS, model="independence")
    assert everyone.stratum is None and everyone.documented == 4400 + 626 + 2
    with pytest.raises(ServiceError, match="--by must be one of"):
        estimate_memberships(memberships=memberships, by="village")
