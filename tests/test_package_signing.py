"""Signed packages: the workspace's Ed25519 key signs every bag, and a checker trusts only the key it was given."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner, Result

from tawthiq.cli import cli
from tawthiq.export.bag_signature import SIGNATURE_FILE, sign_bag
from tawthiq.services import ServiceError, Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.services.packages import import_package, make_package, public_signing_key
from tawthiq.store.signing_key import key_path, signing_key

REPORT = "Aleppo, 12 March 2016: shelling by government forces killed two civilians in al-Shaar, residents said.\n"


def _env(ws: Workspace) -> dict[str, str]:
    return {"TAWTHIQ_DATABASE_URL": ws.settings.database_url, "TAWTHIQ_DATA_DIR": str(ws.settings.data_dir)}


def _cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env or {})


@pytest.fixture
def bag(ws: Workspace, tmp_path: Path) -> Path:
    (tmp_path / "r1.txt").write_text(REPORT, encoding="utf-8")
    (result,) = ingest_files(ws, [tmp_path / "r1.txt"], actor="cli:alice")
    assert result.status == "new", result.error
    made = _cli("package", "-o", str(tmp_path / "bag"), "--source", str(result.source_ids[0]), env=_env(ws))
    assert made.exit_code == 0, made.output
    return tmp_path / "bag"


@pytest.fixture
def public_pem(ws: Workspace, tmp_path: Path) -> Path:
    out = tmp_path / "public.pem"
    done = _cli("key", "public", "-o", str(out), env=_env(ws))
    assert done.exit_code == 0, done.output
    return out


def _fingerprint_in(bag: Path) -> str:
    line = next(x for x in (bag / SIGNATURE_FILE).read_text().splitlines() if x.startswith("Key-Fingerprint: "))
    return line.removeprefix("Key-Fingerprint: ")


def _reseal_with_more_killed(bag: Path) -> None:
    """A careful forger: twenty killed instead of two, then every manifest recomputed with the bagit library."""
    path = bag / "data/metadata/incidents.json"
    incidents = json.loads(path.read_text(encoding="utf-8"))
    group = incidents[0]["victims"][0]
    assert group["count_min"] == 2
    group["count_min"] = group["count_max"] = 20
    os.chmod(path, 0o644)
    path.write_text(json.dumps(incidents, ensure_ascii=False), encoding="utf-8")
    bagit.Bag(str(bag)).save(manifests=True)


def test_signed_package_verifies_against_the_public_key(bag: Path, public_pem: Path) -> None:
    done = _cli("verify-package", str(bag), "--key", str(public_pem))
    assert done.exit_code == 0, done.output
    last = done.output.splitlines()[-1]
    assert ": OK;" in last and f"signed by key {_fingerprint_in(bag)}, checked" in last
    # bagit alone accepts the bag with the signature beside the manifests
    assert bagit.Bag(str(bag)).is_valid()


def test_fingerprint_printed_matches_the_package_and_the_key_is_private(ws: Workspace, bag: Path,
                                                                        public_pem: Path) -> None:
    printed = _cli("key", "public", env=_env(ws))
    assert printed.exit_code == 0, printed.output
    assert printed.output.startswith("-----BEGIN PUBLIC KEY-----") and "PRIVATE" not in printed.output
    assert public_pem.read_text() in printed.output
    fingerprint = printed.output.splitlines()[-1].removeprefix("fingerprint: ")
    assert fingerprint == _fingerprint_in(bag) == public_signing_key(ws).fingerprint
    assert len(fingerprint.split()) == 16 and all(len(g) == 4 for g in fingerprint.split())
    key = key_path(ws.settings.data_dir)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert b"PRIVATE KEY" in key.read_bytes()
    again = _cli("key", "public", "-o", str(public_pem), env=_env(ws))
    assert again.exit_code == 1 and "already exists" in again.output


def test_resealed_package_is_refused_with_the_key(bag: Path, public_pem: Path) -> None:
    _reseal_with_more_killed(bag)
    # Without the signature every other check passes: this is the forgery signing exists for.
    assert _cli("verify-package", str(bag), "--no-signature-check").exit_code == 0
    done = _cli("verify-package", str(bag), "--key", str(public_pem))
    assert done.exit_code == 1
    assert any("the bag changed after it was signed" in line for line in done.output.splitlines())
    assert "FAILED (1 problem(s))" in done.output.splitlines()[-1]


def test_package_signed_by_another_key_is_refused(ws: Workspace, bag: Path, public_pem: Path,
                                                 tmp_path: Path) -> None:
    other = signing_key(data_dir=tmp_path / "other-data")
    (bag / SIGNATURE_FILE).unlink()
    _reseal_with_more_killed(bag)
    sign_bag(bag, key=other)  # the forger re-signs with a key of their own
    done = _cli("verify-package", str(bag), "--key", str(public_pem))
    assert done.exit_code == 1
    assert f"not by the key given ({public_signing_key(ws).fingerprint})" in done.output
    # The forgery is well made: it holds against the forger's own key, which is why the key must come from
    # the sender and never from the package.
    from tawthiq.export.bag_signature import public_pem as pem_of

    other_pem = tmp_path / "other.pem"
    other_pem.write_bytes(pem_of(other))
    assert _cli("verify-package", str(bag), "--key", str(other_pem)).exit_code == 0


def test_genuine_package_against_another_workspace_key_is_refused(bag: Path, tmp_path: Path) -> None:
    from tawthiq.export.bag_signature import public_pem as pem_of

    other_pem = tmp_path / "other.pem"
    other_pem.write_bytes(pem_of(signing_key(data_dir=tmp_path / "other-data")))
    done = _cli("verify-package", str(bag), "--key", str(other_pem))
    assert done.exit_code == 1 and "not by the key given" in done.output


def test_without_a_key_the_signature_is_named_but_not_trusted(bag: Path) -> None:
    done = _cli("verify-package", str(bag))
    assert done.exit_code == 1
    assert f"signed by key {_fingerprint_in(bag)}, not checked: give --key" in done.output
    allowed = _cli("verify-package", str(bag), "--no-signature-check")
    assert allowed.exit_code == 0 and "not checked" in allowed.output.splitlines()[-1]


def test_unsigned_package_is_refused(bag: Path, public_pem: Path) -> None:
    (bag / SIGNATURE_FILE).unlink()
    for extra in ([], ["--key", str(public_pem)]):
        done = _cli("verify-package", str(bag), *extra)
        assert done.exit_code == 1 and f"{SIGNATURE_FILE}: missing" in done.output, done.output
    allowed = _cli("verify-package", str(bag), "--no-signature-check")
    assert allowed.exit_code == 0 and "not signed" in allowed.output.splitlines()[-1]


def test_garbled_signature_file_is_one_line(bag: Path, public_pem: Path) -> None:
    (bag / SIGNATURE_FILE).write_text("Algorithm: Ed25519\nSigns: tagmanifest-sha256.txt\nSignature: !!\n")
    done = _cli("verify-package", str(bag), "--key", str(public_pem))
    assert done.exit_code == 1 and "not 64 bytes of base64" in done.output and "Traceback" not in done.output


def test_a_key_that_is_not_a_public_key_is_one_line(ws: Workspace, bag: Path) -> None:
    done = _cli("verify-package", str(bag), "--key", str(key_path(ws.settings.data_dir)))
    assert done.exit_code == 1 and done.output.strip().splitlines() == [
        "error: --key: not a PEM public key (give the file 'tawthiq key public' wrote)"]


def test_import_checks_the_signature_the_same_way(ws: Workspace, bag: Path, public_pem: Path,
                                                  tmp_path: Path) -> None:
    from tawthiq.services import init_workspace
    from tawthiq.settings import Settings

    b = init_workspace(Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}", data_dir=tmp_path / "b-data",
                                max_file_size=ws.settings.max_file_size))
    try:
        with pytest.raises(ServiceError, match="not checked: give --key"):
            import_package(b, path=bag, actor="cli:bob", machine="b-box")
        _reseal_with_more_killed(bag)
        with pytest.raises(ServiceError, match="changed after it was signed"):
            import_package(b, path=bag, actor="cli:bob", machine="b-box", public_key=public_pem.read_bytes())
        assert list(b.blobs.iter_shas()) == []
        refused = _cli("import-package", str(bag), "--key", str(public_pem), env=_env(b))
        assert refused.exit_code == 1 and "refused, nothing imported" in refused.output
    finally:
        b.db.dispose()  # type: ignore[attr-defined]


def test_every_package_is_signed_with_the_same_key(ws: Workspace, bag: Path, tmp_path: Path) -> None:
    first = _fingerprint_in(bag)
    make_package(ws, out=tmp_path / "second", source_ids=[1], actor="cli:alice", machine="a-box")
    assert _fingerprint_in(tmp_path / "second") == first
