"""The CLI as the encryption tests drive it, and the markers they plant to look for on disk.

``tawthiq init --encrypt`` (test_encryption), ``tawthiq encrypt`` (test_encrypt_existing) and the
sealed fixity reports (test_fixity_encrypted) all run the real CLI in a subprocess, plant names
no real record holds, then read every byte under the workspace for them: one set of markers,
one way to plant them and one way to look, so a leak found by one test reads the same in all.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# Cheap Argon2id for the unit tests (the file records whatever was used; the CLI uses the defaults).
FAST_KDF = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
MARK_PERSON = "Zephyrine Quillfeather"
MARK_PERSON_AR = "زفيرين قلمريشة"
MARK_REPORT = "Abu Samir Oxtongue"
MARK_AUTHOR = "Barnabus Wickerfold"
_PASSPHRASES = ("TAWTHIQ_PASSPHRASE", "TAWTHIQ_NEW_PASSPHRASE", "TAWTHIQ_MAX_FILE_SIZE")


def run(args: list[str], *, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess:
    """``tawthiq ARGS``; with no ``stdin`` text the command reads an empty input, so a prompt can never wait."""
    feed: dict[str, object] = {"stdin": subprocess.DEVNULL} if stdin is None else {"input": stdin}
    return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                          timeout=300, **feed)


def cli_env(database: Path, data_dir: Path, passphrase: str | None = None) -> dict[str, str]:
    """This process's environment for a workspace, with no passphrase or size limit leaking in from it."""
    e = {k: v for k, v in os.environ.items() if k not in _PASSPHRASES}
    e["TAWTHIQ_DATABASE_URL"] = f"sqlite:///{database}"
    e["TAWTHIQ_DATA_DIR"] = str(data_dir)
    if passphrase is not None:
        e["TAWTHIQ_PASSPHRASE"] = passphrase
    return e


def one_line_error(proc: subprocess.CompletedProcess, fragment: str) -> None:
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0], proc.stderr


def files_holding(root: Path, markers: list[str]) -> list[str]:
    """Each file under ``root`` that holds a marker in UTF-8 or UTF-16 (either byte order), and which."""
    needles = [m.encode(enc) for m in markers for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.relative_to(root)}: {n!r}" for n in needles if n in data]
    return found


def plant_markers(inputs: Path, *, env: dict[str, str], also: Sequence[Path] = ()) -> None:
    """Through the CLI: a person list (a Latin and an Arabic name), a Douma report naming its witness and a
    Harasta batch row with an author, each a marker; ``also`` are more files ingested with them."""
    people = inputs / "list.csv"
    people.write_text(f"id,name\n1,{MARK_PERSON}\n2,{MARK_PERSON_AR}\n", encoding="utf-8")
    report = inputs / "report.txt"
    report.write_text(f"On 3 March 2016 an airstrike hit the market in Douma, killing 12 civilians, "
                      f"said the witness {MARK_REPORT}.\n", encoding="utf-8")
    batch = inputs / "batch.jsonl"
    batch.write_text(json.dumps({"text": "On 5 May 2016 shelling hit Harasta, killing 3 civilians.",
                                 "author": MARK_AUTHOR}) + "\n", encoding="utf-8")
    for args in (["persons", "import", str(people), "--list", "council"],
                 ["ingest", str(report), str(batch), *map(str, also)]):
        proc = run(args, env=env)
        assert proc.returncode == 0, proc.stderr
