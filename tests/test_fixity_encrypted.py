"""Fixity reports of an encrypted workspace are sealed like its originals (issue 13).

A report's problems name originals by their plaintext SHA-256, which would let
anyone holding the disk confirm that a known file is in the workspace. The
test plants a marker in a report's name and text and a known file, removes
the known file's sealed original so the run reports it by hash, runs
``tawthiq fixity`` and reads every byte under the workspace: neither the
marker nor the known file's hash (hex, in UTF-8 or UTF-16) may be there. With
the passphrase, ``--history`` lists the run and ``--show`` gives the report
back, checked against the SHA-256 the run recorded; a changed report is refused.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from _encrypted import files_holding, one_line_error, run
from test_encryption import PASS, _env

from tawthiq.services import Workspace
from tawthiq.services.encryption import unlock
from tawthiq.services.errors import ServiceError
from tawthiq.services.integrity import fixity_report, run_fixity
from tawthiq.settings import Settings

MARK = "Qzfixmark Wendelborough"
KNOWN = b"A leaked statement everyone has seen: shelling hit Harasta on 5 May 2016. Qzknownfile\n" * 40


def test_an_encrypted_workspaces_fixity_report_names_nothing_on_disk(tmp_path: Path) -> None:
    workspace, inputs = tmp_path / "workspace", tmp_path / "inputs"
    workspace.mkdir()
    inputs.mkdir()
    env = _env(workspace)
    assert run(["init", "--encrypt"], env=env).returncode == 0
    report = inputs / f"{MARK}.txt"
    report.write_text(f"On 3 March 2016 an airstrike hit the market in Douma, killing 12 civilians, "
                      f"said {MARK}.\n", encoding="utf-8")
    known = inputs / "known.txt"
    known.write_bytes(KNOWN)
    known_sha = hashlib.sha256(KNOWN).hexdigest()
    ingested = run(["ingest", str(report), str(known)], env=env)
    assert ingested.returncode == 0, ingested.stderr

    # The known file's sealed original goes missing: the run reports it by its plaintext hash.
    data = workspace / "data"
    ws = Workspace.open(unlock(Settings.from_env(env), passphrase=PASS))
    target = ws.blobs.path(known_sha)
    assert target.is_file() and target.is_relative_to(data / "sha256")
    target.unlink()

    fixed = run(["fixity"], env=env)
    assert fixed.returncode == 1 and known_sha in fixed.stdout  # the operator is told, on the terminal
    reports = sorted((data / "fixity").iterdir())
    assert [p.name.split(".", 1)[1] for p in reports] == ["json.sealed", "txt.sealed"], reports
    for path in reports:
        assert stat.S_IMODE(path.stat().st_mode) == 0o400
        assert path.read_bytes().startswith(b"TWQS1\n")
    assert stat.S_IMODE((data / "fixity").stat().st_mode) == 0o700
    assert files_holding(workspace, [MARK, known_sha, known_sha.upper(), "Douma"]) == []

    history = run(["fixity", "--history"], env=env)
    assert history.returncode == 0, history.stderr
    (row,) = [line.split("\t") for line in history.stdout.splitlines()[1:]]
    assert row[0] == "1" and row[3].endswith("problem(s)") and row[-1] == str(reports[0])
    shown = run(["fixity", "--show", "1"], env=env)
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert document["ok"] is False and any(known_sha in p for p in document["problems"])
    assert json.loads(fixity_report(ws, run_id=1)) == document  # the service's own read

    # A changed sealed report fails: its sealing no longer authenticates.
    sealed_json = reports[0]
    saved = sealed_json.read_bytes()
    os.chmod(sealed_json, 0o600)
    sealed_json.write_bytes(saved[:-5] + bytes([saved[-5] ^ 1]) + saved[-4:])
    one_line_error(run(["fixity", "--show", "1"], env=env), "fails authentication")
    one_line_error(run(["fixity", "--show", "99"], env=env), "no fixity run 99")
    # Without the passphrase nothing is shown.
    one_line_error(run(["fixity", "--show", "1"], env=_env(workspace, "not the passphrase")), "wrong passphrase")


def test_a_plain_workspaces_report_is_checked_against_its_recorded_hash(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Aleppo, 12 March 2016: an air strike killed five civilians.\n", encoding="utf-8")
    from tawthiq.services.ingest import ingest_files

    assert [r.status for r in ingest_files(ws, [tmp_path / "a.txt"], actor="cli:tester")] == ["new"]
    result = run_fixity(ws, actor="cli:tester", machine="archive-1")
    assert result.json_path is not None and result.json_path.name.endswith("Z.json")  # plain: as before
    assert stat.S_IMODE(result.json_path.stat().st_mode) == 0o400
    assert fixity_report(ws, run_id=result.run.id) == result.json_path.read_bytes()
    os.chmod(result.json_path, 0o600)
    result.json_path.write_bytes(result.json_path.read_bytes().replace(b'"ok": true', b'"ok": false'))
    with pytest.raises(ServiceError, match="was changed") as refused:
        fixity_report(ws, run_id=result.run.id)
    assert result.run.report_sha256 in str(refused.value)
