"""`tawthiq derive`: copies a failed derive stage could not make are made later, once, with a reason."""
from __future__ import annotations

from pathlib import Path

import pytest
from _media import jpeg, photo
from click.testing import CliRunner

from tawthiq.domain import DerivativeKind
from tawthiq.ingest import derive as derive_module
from tawthiq.ingest.derive import derive_again
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store import custody
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.vault.blobs import sha256_bytes


class _Broken:
    """Stands for a deriver whose tool was missing at ingest."""

    name = "broken-thumbnails"

    def applies(self, source: object) -> bool:
        return True

    def derive(self, original: Path, source: object) -> list[object]:
        raise RuntimeError("thumbnail tool not installed")


def test_a_copy_missing_after_a_failed_ingest_is_made_once_later(ws: Workspace, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data = jpeg(photo(7))
    (tmp_path / "p.jpg").write_bytes(data)
    with monkeypatch.context() as patch:
        patch.setattr(derive_module, "DERIVERS", [_Broken()])
        (result,) = ingest_files(ws, [tmp_path / "p.jpg"])
    assert result.status == "partial" and "thumbnail tool not installed" in (result.error or "")
    sha = sha256_bytes(data)
    assert derivatives_of(ws.db, sha) == []  # the source is stored, its copy is not

    blobs = ws.blobs
    (outcome,) = derive_again(ws.db, blobs=blobs, source_ids=result.source_ids, actor="cli:tester",
                              reason="thumbnails after the Pillow upgrade")
    assert outcome.problems == [] and outcome.new_copies >= 1
    kinds = {d.kind for d in derivatives_of(ws.db, sha)}
    assert DerivativeKind.THUMBNAIL in kinds
    derived = [e for e in custody.entries_for_source(ws.db, result.source_ids[0]) if e.event == "derived"]
    assert derived and {e.reason for e in derived} == {"thumbnails after the Pillow upgrade"}
    assert {e.actor for e in derived} == {"cli:tester"}

    entries = len(list(custody.iter_entries(ws.db)))
    (again,) = derive_again(ws.db, blobs=blobs, source_ids=result.source_ids, actor="cli:tester")
    assert again.new_copies == 0 and again.problems == []
    assert len(list(custody.iter_entries(ws.db))) == entries  # nothing stored twice


def test_derive_command_reports_unknown_sources_and_exits_1(tmp_path: Path) -> None:
    from tawthiq.cli import cli

    env = {"TAWTHIQ_DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}", "TAWTHIQ_DATA_DIR": str(tmp_path / "data")}
    runner = CliRunner()
    assert runner.invoke(cli, ["init"], env=env).exit_code == 0
    (tmp_path / "r.html").write_text("<html><body><p>Idlib, 2 May 2019: shelling killed three civilians.</p>"
                                     "</body></html>", encoding="utf-8")
    assert runner.invoke(cli, ["ingest", str(tmp_path / "r.html")], env=env).exit_code == 0
    done = runner.invoke(cli, ["derive", "--all"], env=env)
    assert done.exit_code == 0 and "1 source(s), 0 new working copies, 0 with problems" in done.output
    missing = runner.invoke(cli, ["derive", "1", "99"], env=env)
    assert missing.exit_code == 1 and "source 99: no such source" in missing.output
    assert runner.invoke(cli, ["derive"], env=env).exit_code == 2  # neither ids nor --all
