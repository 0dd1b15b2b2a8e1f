"""No file name, title or message can forge or hide a line of the CLI's output (issue 9, D.11).

Names come from outside: a file's name, a Telegram export's paths, a
report's first line. Line breaks, terminal escapes and bidi overrides in
them are printed as visible escapes, on every command that shows them.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tawthiq.domain.printable import escaped_line, escaped_text, json_text

SRC = Path(__file__).resolve().parents[1] / "src"
FORGED = "good.txt\nfailed evil.txt: virus detected"
RLO = "\u202etxt.exe"  # shows as "exe.txt"
RAW = ("\n", "\r", "\x1b", "\u202e", "\u2028", "\x85")
REPORT = "Warplanes struck the town of Saraqib in Idlib on Monday, killing three civilians.\n"
LINE_STARTS = ("new ", "failed ", "note ", "duplicate ", "partial ")


@pytest.mark.parametrize(("raw", "shown"), [
    (FORGED, "good.txt\\nfailed evil.txt: virus detected"),
    ("a\r\nb", "a\\r\\nb"),
    ("x\x1b[2Jy", "x\\x1b[2Jy"),
    (RLO, "\\u202etxt.exe"),
    ("a\u2028b\u2029c\x85d\x00e\tf", "a\\u2028b\\u2029c\\x85d\\x00e\\tf"),
    ("\u2066isolated\u2069 \u200fmark\u061c", "\\u2066isolated\\u2069 \\u200fmark\\u061c"),
])
def test_controls_and_bidi_controls_are_escaped(raw: str, shown: str) -> None:
    assert escaped_line(raw) == shown
    assert "\n" not in escaped_line(raw) and not any(ch in escaped_line(raw) for ch in RAW)


@pytest.mark.parametrize("text", ["تقرير-حلب.txt", "گزارش\u200cها.txt", "report (2).pdf", "a\\nb", "«quoted»"])
def test_ordinary_names_are_unchanged(text: str) -> None:
    assert escaped_line(text) == text  # Arabic, Persian ZWNJ, a literal backslash: all printable


def test_a_body_keeps_its_lines_and_tabs_only() -> None:
    assert escaped_text("line one\r\nline\ttwo\x1b]0;title\x07\u202e") == "line one\nline\ttwo\\x1b]0;title\\x07\\u202e"


def test_json_stays_the_same_value() -> None:
    value = {"name": f"{FORGED}\u202e\u2028\x85", "n": 3}
    encoded = json_text(json.dumps(value, ensure_ascii=False))
    assert json.loads(encoded) == value and not any(ch in encoded for ch in RAW)


def run(args: list[str], *, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    e = dict(os.environ, PYTHONPATH=str(SRC), TAWTHIQ_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
             TAWTHIQ_DATA_DIR=str(tmp_path / "originals"))
    e.pop("TAWTHIQ_MAX_FILE_SIZE", None)
    assert run(["init"], env=e).returncode == 0
    return e


def _clean(output: str) -> list[str]:
    """The output's lines, after checking no raw control or bidi character is left in it."""
    assert not any(ch in output.replace("\n", "") for ch in RAW), ascii(output)
    return output.splitlines()


def test_ingest_lines_cannot_be_forged(env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / FORGED).write_text(REPORT, encoding="utf-8")
    (folder / RLO).write_text(REPORT.replace("Saraqib", "Ariha"), encoding="utf-8")
    (folder / "broken\x1b[31m.pdf").write_bytes(b"%PDF-1.4 not really")
    proc = run(["ingest", str(folder)], env=env)
    assert proc.returncode == 1  # the PDF failed
    out, err = _clean(proc.stdout), _clean(proc.stderr)
    assert all(line.startswith(LINE_STARTS) for line in out[:-1] + err), out + err
    assert not any(line.startswith("failed evil.txt") for line in out + err)
    assert any(line.startswith("new ") and line.endswith("good.txt\\nfailed evil.txt: virus detected  "
                                                          "(1 source(s), 1 suggested incident(s))") for line in out)
    assert any("\\u202etxt.exe" in line for line in out)
    assert any(line.startswith("failed ") and "broken\\x1b[31m.pdf: " in line for line in err)
    assert out[-1].startswith("2 new, 0 already stored, 1 failed")

    # and wherever the names are shown again: tables, details, JSON
    for args in (["sources", "list"], ["incidents", "list"], ["search", "Saraqib"]):
        proc = run(args, env=env)
        assert proc.returncode == 0 and "failed evil.txt" not in _clean(proc.stdout)[0], args
    listed = run(["sources", "list", "--format", "json"], env=env).stdout
    _clean(listed.replace("\n", ""))
    names = {s["original_name"].rsplit("/", 1)[-1] for s in json.loads(listed)}
    assert {FORGED, RLO} <= names  # JSON keeps the real names, escaped
    forged_id = next(s["id"] for s in json.loads(listed) if s["original_name"].endswith(FORGED))
    shown = _clean(run(["sources", "show", str(forged_id)], env=env).stdout)
    assert not any(line.startswith("failed evil.txt") for line in shown)
    assert any(line.startswith("original_name:") and "good.txt\\nfailed evil.txt" in line for line in shown)


def test_telegram_lines_cannot_be_forged(env: dict[str, str], tmp_path: Path) -> None:
    root = tmp_path / "export"
    root.mkdir()
    message = {"id": 1, "type": "message", "date": "2016-03-12T10:01:00", "date_unixtime": "1457777060",
               "from": "chan", "from_id": "channel1", "text": REPORT, "text_entities": [],
               "photo": f"photos/{FORGED}\u202e.jpg"}
    (root / "result.json").write_text(json.dumps({"name": "chan\nfailed x", "type": "public_channel", "id": 1,
                                                  "messages": [message]}), encoding="utf-8")
    proc = run(["telegram", str(root)], env=env)
    assert proc.returncode == 1
    err = _clean(proc.stderr)
    # the importer flattens line breaks in what it quotes; the bidi override is shown, not obeyed
    assert len(err) == 1 and err[0].startswith("message 1 (chat chan") and "failed evil.txt" in err[0]
    assert err[0].endswith("\\u202e.jpg is missing from the export")
    assert len(_clean(proc.stdout)) == 1


def test_verify_package_names_the_bag_on_one_line(env: dict[str, str], tmp_path: Path) -> None:
    bag = tmp_path / "bag\npackage 1: OK; 9 payload file(s)\u202e"
    bag.mkdir()
    proc = run(["verify-package", str(bag)], env=env)
    assert proc.returncode == 1
    out = _clean(proc.stdout)
    assert len(out) == 2 and "\\u202e" in out[0] and out[1].startswith("package ?: FAILED")
    assert not any(line.startswith("package 1: OK") for line in out)
