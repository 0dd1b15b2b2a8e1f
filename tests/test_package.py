"""Evidence packages: the bag's contents, custody recorded for it, and the offline check catching tampering."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import bagit
import pytest
from _tsa import LocalTSA, local_tsa
from click.testing import CliRunner

from tawthiq.cli import cli
from tawthiq.export.bag_signature import load_public_key
from tawthiq.export.bag_verify import verify_bag
from tawthiq.export.formats import incident_record
from tawthiq.services import ServiceError, Workspace, init_workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.services.packages import make_package, public_signing_key
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.store import custody
from tawthiq.store.derivatives import derivatives_of, instance_id
from tawthiq.store.incidents import incidents_for_source
from tawthiq.store.vault.blobs import sha256_file

REPORT = "Aleppo, 12 March 2016: shelling by government forces killed two civilians in al-Shaar, residents said.\n"
PAGE = """<html><head><title>Raqqa <script>alert(1)</script></title></head><body><article>
<p>Raqqa, 3 March 2015: an air strike on the al-Mashlab district killed four civilians, residents said.</p>
</article></body></html>"""


def _ingest(ws: Workspace, tmp_path: Path) -> list[int]:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r1.txt").write_text(REPORT, encoding="utf-8")
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    results = ingest_files(ws, [folder / "r1.txt", folder / "page.html"], actor="cli:tester")
    assert all(r.status == "new" for r in results), [r.error for r in results]
    return [r.source_ids[0] for r in results]


def _package(ws: Workspace, out: Path, **kw: object) -> object:
    return make_package(ws, out=out, actor="cli:tester", machine="test-box", **kw)  # type: ignore[arg-type]


def _key(ws: Workspace) -> object:
    """The workspace's public key, as a recipient who was given it would hold it."""
    return load_public_key(public_signing_key(ws).pem)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_bag_holds_originals_copies_metadata_and_custody(ws: Workspace, tmp_path: Path) -> None:
    text_id, html_id = _ingest(ws, tmp_path)
    (incident,) = incidents_for_source(ws.db, text_id)
    head_before = list(custody.iter_entries(ws.db))[-1]
    bag = tmp_path / "bag"
    result = _package(ws, bag, incident_ids=[incident.id], source_ids=[html_id], reason="for the IIIM")
    assert bagit.Bag(str(bag)).is_valid()
    info = bagit.Bag(str(bag)).info
    assert info["External-Identifier"] == result.package_id and uuid.UUID(result.package_id)
    assert info["Tawthiq-Instance"] == instance_id(ws.db) and info["Source-Organization"]
    assert info["Payload-Oxum"].endswith(".9") and info["Bagging-Date"] and "IIIM" in info["External-Description"]
    assert sorted(p.name for p in bag.glob("*manifest-*.txt")) == [
        "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt", "tagmanifest-sha512.txt"]

    # Originals: byte for byte, named by their hash; working copies beside them with tool and params.
    store = ws.blobs
    originals = sorted((bag / "data" / "originals").iterdir())
    assert len(originals) == 2
    for path in originals:
        sha = path.name.split(".")[0]
        assert sha256_file(path) == sha and path.read_bytes() == store.get(sha)
    html_sha = sha256_file(tmp_path / "in" / "page.html")
    (copy,) = derivatives_of(ws.db, html_sha)
    assert (bag / "data" / "derived" / f"{copy.sha256}.txt").is_file()
    meta = json.loads((bag / "data/metadata/sources.json").read_text(encoding="utf-8"))
    assert {s["id"] for s in meta["sources"]} == {text_id, html_id}
    (d,) = meta["derivatives"]
    assert (d["sha256"], d["original_sha256"], d["tool"], d["params"]) == (copy.sha256, html_sha, copy.tool,
                                                                           copy.params)
    html_source = next(s for s in meta["sources"] if s["id"] == html_id)
    assert html_source["derivatives"] == [copy.sha256] and html_source["original"].startswith("originals/")

    # Incidents: the one asked for and the html source's, in the export's contract form, with claims.
    incidents = json.loads((bag / "data/metadata/incidents.json").read_text(encoding="utf-8"))
    assert {i["source_id"] for i in incidents} == {text_id, html_id}
    first = next(i for i in incidents if i["id"] == incident.id)
    skip = ("claims", "merged_into_id", "cluster_id", "independent_sources")
    assert {k: v for k, v in first.items() if k not in skip} == {
        k: v for k, v in incident_record(incident).items() if k not in skip}
    assert first["cluster_id"] == incident.id and first["independent_sources"] == 1  # an event told once
    assert first["claims"] and all("method" in c for c in first["claims"])

    # Custody: every entry about these items, in id order, with hashes; the head at packaging time.
    ledger = _lines(bag / "data/custody/ledger.jsonl")
    assert [e["id"] for e in ledger] == sorted(e["id"] for e in ledger)
    assert {e["event"] for e in ledger} >= {"received", "ingested", "derived"}
    assert all(len(e["entry_hash"]) == 64 and "prev_hash" in e for e in ledger)
    assert json.loads((bag / "data/metadata/package.json").read_text())["ledger_head"] == {
        "id": head_before.id, "hash": head_before.entry_hash}
    # The export itself is in the local ledger: one "exported" entry per original and copy.
    exported = [e for e in custody.iter_entries(ws.db) if e.event == "exported"]
    assert sorted(e.item_sha256 for e in exported) == sorted([p.name.split(".")[0] for p in originals]
                                                             + [copy.sha256])
    assert all(e.details["package"] == result.package_id and e.reason == "for the IIIM" for e in exported)
    assert verify_bag(bag, public_key=_key(ws)).ok


def test_index_is_escaped_static_and_offline(ws: Workspace, tmp_path: Path) -> None:
    _, html_id = _ingest(ws, tmp_path)
    bag = tmp_path / "bag"
    _package(ws, bag, source_ids=[html_id], reason="<img src=x onerror=alert(2)>")
    page = (bag / "data" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;" in page  # the title as written, shown, not run
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<[^>]*\ssrc\s*=", page)  # nothing loaded, not even from inside the bag
    # The original web page is listed, not linked (opened from the bag it would run its scripts).
    links = re.findall(r'href="([^"]+)"', page)
    assert links and all(link.endswith(".txt") for link in links) and ".html</" in page


def test_transfer_to_a_recipient_is_recorded_as_such(ws: Workspace, tmp_path: Path) -> None:
    text_id, _ = _ingest(ws, tmp_path)
    _package(ws, tmp_path / "bag", source_ids=[text_id], to="IIIM evidence unit")
    last = list(custody.iter_entries(ws.db))[-1]
    assert last.event == "transferred" and last.details["to"] == "IIIM evidence unit"


def test_failed_packaging_leaves_no_bag_and_no_entry(ws: Workspace, tmp_path: Path) -> None:
    text_id, _ = _ingest(ws, tmp_path)
    before = custody.count_entries(ws.db)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ServiceError, match="nothing selected"):
        _package(ws, out / "bag")
    with pytest.raises(ServiceError, match="no source with id 999"):
        _package(ws, out / "bag", source_ids=[999])
    # A stored original that no longer matches its hash is never packaged.
    sha = sha256_file(tmp_path / "in" / "r1.txt")
    blob = ws.blobs.path(sha)
    os.chmod(blob, 0o644)
    blob.write_bytes(blob.read_bytes().replace(b"two", b"six"))
    with pytest.raises(ServiceError, match="no longer matches its hash"):
        _package(ws, out / "bag", source_ids=[text_id])
    assert list(out.iterdir()) == [] and custody.count_entries(ws.db) == before
    (out / "taken").mkdir()
    with pytest.raises(ServiceError, match="already exists"):
        _package(ws, out / "taken", source_ids=[text_id])


# ------------------------------------------------------------------ verify-package


@pytest.fixture(scope="module")
def pristine_bag(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One bag for the offline checks (which need no database), made once on SQLite and copied per test."""
    folder = tmp_path_factory.mktemp("pristine")
    settings = Settings(database_url=f"sqlite:///{folder / 'a.db'}", data_dir=folder / "data",
                        max_file_size=DEFAULT_MAX_FILE_SIZE)
    ws = init_workspace(settings)
    ids = _ingest(ws, folder)
    _package(ws, folder / "bag", source_ids=ids)
    (folder / "public.pem").write_bytes(public_signing_key(ws).pem)
    ws.db.dispose()  # type: ignore[attr-defined]
    yield folder / "bag"


@pytest.fixture
def bag(pristine_bag: Path, tmp_path: Path) -> Path:
    out = tmp_path / "bag"
    shutil.copytree(pristine_bag, out, symlinks=True)
    return out


@pytest.fixture
def public_pem(pristine_bag: Path) -> Path:
    return pristine_bag.parent / "public.pem"


def _rehash_manifests(bag: Path) -> None:
    """What a careful forger does: recompute every manifest so BagIt alone finds nothing."""
    b = bagit.Bag(str(bag))
    b.save(manifests=True)


def _problems(bag: Path, *extra: str, key: Path | None = None) -> list[str]:
    """The problems verify-package reports; without ``key`` the signature is left out, to see the other checks."""
    signature = ["--key", str(key)] if key else ["--no-signature-check"]
    result = CliRunner().invoke(cli, ["verify-package", str(bag), *signature, *extra])
    lines = result.output.splitlines()
    assert result.exit_code == (0 if ": OK;" in lines[-1] else 1), result.output
    return [line for line in lines[:-1] if not line.startswith("note:")]


def test_untouched_bag_verifies(bag: Path, public_pem: Path) -> None:
    assert _problems(bag, key=public_pem) == []
    assert _problems(bag) == []


def test_one_changed_byte_of_an_original_is_caught(bag: Path) -> None:
    original = next((bag / "data" / "originals").iterdir())
    os.chmod(original, 0o644)
    data = bytearray(original.read_bytes())
    data[0] ^= 1
    original.write_bytes(bytes(data))
    problems = _problems(bag)
    assert problems and all(original.name in p for p in problems)
    assert any("sha256" in p for p in problems)


def test_altered_ledger_entry_is_caught_even_with_rehashed_manifests(bag: Path) -> None:
    ledger = bag / "data/custody/ledger.jsonl"
    entries = _lines(ledger)
    entries[1]["actor"] = "someone-else"
    ledger.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    _rehash_manifests(bag)
    problems = _problems(bag)
    assert len(problems) == 1 and f"entry #{entries[1]['id']} does not hash" in problems[0]


def test_removed_ledger_entry_breaks_the_link(bag: Path) -> None:
    ledger = bag / "data/custody/ledger.jsonl"
    entries = _lines(ledger)
    ids = [e["id"] for e in entries]
    assert ids[:3] == [ids[0], ids[0] + 1, ids[0] + 2]
    # Remove entry 2 and renumber nothing: a gap, reported as information only...
    ledger.write_text("".join(json.dumps(e) + "\n" for i, e in enumerate(entries) if i != 1), encoding="utf-8")
    _rehash_manifests(bag)
    assert _problems(bag) == []
    # ...but a forged entry in its place that does not chain is a problem.
    forged = dict(entries[1], reason="nothing happened")
    from tawthiq.domain.custody import hash_of
    from tawthiq.export.bag_format import entry_from_json

    forged["entry_hash"] = hash_of(entry_from_json(forged))
    ledger.write_text("".join(json.dumps(forged if i == 1 else e) + "\n" for i, e in enumerate(entries)),
                      encoding="utf-8")
    _rehash_manifests(bag)
    problems = _problems(bag)
    assert len(problems) == 1 and f"entry #{entries[2]['id']} does not link" in problems[0]


def test_extra_and_missing_files_are_caught(bag: Path) -> None:
    (bag / "data" / "extra.txt").write_text("not listed")
    (bag / "timestamps").mkdir()
    (bag / "timestamps" / "extra.tsr").write_bytes(b"not listed either")
    index = bag / "data" / "index.html"
    index.unlink()
    problems = _problems(bag)
    assert any("extra.txt" in p for p in problems) and any("index.html" in p for p in problems)
    assert "timestamps/extra.tsr: in the bag but in no tag manifest" in problems


def test_symlinks_inside_a_bag_are_refused(bag: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("outside the bag")
    (bag / "data" / "link.txt").symlink_to(secret)
    problems = _problems(bag)
    assert problems == ["data/link.txt: symbolic link refused"]


@pytest.mark.parametrize("name", ["../outside.txt", "data/../../outside.txt", "/etc/passwd"])
def test_manifest_paths_outside_the_bag_are_refused(bag: Path, tmp_path: Path, name: str) -> None:
    (tmp_path / "outside.txt").write_text("x")
    manifest = bag / "manifest-sha256.txt"
    manifest.write_text(manifest.read_text() + f"{hashlib.sha256(b'x').hexdigest()}  {name}\n")
    problems = _problems(bag)
    assert any("unsafe path" in p and name in p for p in problems)


def test_verify_package_needs_no_database_and_imports_no_store(bag: Path, public_pem: Path,
                                                                tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAWTHIQ_")}
    env["TAWTHIQ_DATABASE_URL"] = f"sqlite:///{tmp_path / 'nowhere' / 'none.db'}"
    code = ("import sys; from tawthiq.cli import cli\n"
            "try:\n    cli.main(['verify-package', sys.argv[1], '--key', sys.argv[2]], standalone_mode=False)\n"
            "except SystemExit as e:\n    code = e.code\n"
            "bad = [m for m in sys.modules if m.startswith('tawthiq.store') or m == 'sqlalchemy']\n"
            "print('IMPORTED', bad); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", code, str(bag), str(public_pem)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "IMPORTED []" in done.stdout and ": OK;" in done.stdout
    assert not (tmp_path / "nowhere").exists()


# ------------------------------------------------------------------ timestamps


@pytest.fixture(scope="module")
def tsa() -> Iterator[LocalTSA]:
    with local_tsa() as running:
        yield running


def test_timestamped_bag_verifies_offline_and_catches_a_changed_manifest(ws: Workspace, tmp_path: Path,
                                                                         tsa: LocalTSA) -> None:
    ids = _ingest(ws, tmp_path)
    bag = tmp_path / "bag"
    result = _package(ws, bag, source_ids=ids, tsa_url=tsa.url, tsa_chain=tsa.chain_pem.read_bytes())
    assert result.timestamped
    tags = bagit.Bag(str(bag)).entries
    assert {"timestamps/manifest-sha256.txt.tsr", "timestamps/tsa-chain.pem"} <= set(tags)
    report = verify_bag(bag, public_key=_key(ws))
    assert report.ok and "Tawthiq Test TSA" in report.timestamp, report.problems
    assert "checked" in report.signature
    assert _problems(bag, "--tsa-cert", str(tsa.ca_pem)) == []
    # Another authority's root: the token does not chain to it.
    assert any("does not verify" in p for p in _problems(bag, "--tsa-cert", str(tsa.other_ca_pem)))
    # A forger edits a file and recomputes every manifest: BagIt is satisfied, the token is not.
    ledger = bag / "data/custody/ledger.jsonl"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("cli:tester", "cli:nobody"), encoding="utf-8")
    _rehash_manifests(bag)
    problems = _problems(bag, "--tsa-cert", str(tsa.ca_pem))
    assert any("timestamp does not verify" in p for p in problems)


def test_unreachable_tsa_fails_the_package_cleanly(ws: Workspace, tmp_path: Path) -> None:
    ids = _ingest(ws, tmp_path)
    before = custody.count_entries(ws.db)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ServiceError, match="cannot reach"):
        _package(ws, out / "bag", source_ids=ids, tsa_url="http://127.0.0.1:9/tsa")
    assert list(out.iterdir()) == [] and custody.count_entries(ws.db) == before


def test_a_signed_in_user_needs_the_role_to_package(ws: Workspace, tmp_path: Path) -> None:
    from _users import DOCUMENTER, REVIEWER

    from tawthiq.services import PermissionDenied

    text_id, _ = _ingest(ws, tmp_path)
    with pytest.raises(PermissionDenied):
        _package(ws, tmp_path / "bag", source_ids=[text_id], user=DOCUMENTER)
    assert not (tmp_path / "bag").exists()
    _package(ws, tmp_path / "bag", source_ids=[text_id], user=REVIEWER)
    assert verify_bag(tmp_path / "bag", public_key=_key(ws)).ok


@pytest.mark.parametrize("file", ["/etc/hostname", "originals/../../../etc/hostname", "derived/{name}"])
def test_metadata_naming_files_outside_their_folder_is_refused(bag: Path, file: str) -> None:
    meta_path = bag / "data/metadata/sources.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    original = meta["originals"][0]
    original["file"] = file.format(name=original["file"].split("/")[-1])
    os.chmod(meta_path, 0o644)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    _rehash_manifests(bag)
    assert _problems(bag) == [f"data/metadata/sources.json: originals entry {original['sha256']} names no file "
                              f"in the bag ({original['file']!r}): refused"]


def test_configured_tsa_is_used_by_the_cli(ws: Workspace, tmp_path: Path, tsa: LocalTSA) -> None:
    text_id, _ = _ingest(ws, tmp_path)
    env = {"TAWTHIQ_DATABASE_URL": ws.settings.database_url, "TAWTHIQ_DATA_DIR": str(ws.settings.data_dir),
           "TAWTHIQ_TSA_URL": tsa.url, "TAWTHIQ_TSA_CERT": str(tsa.chain_pem)}
    result = CliRunner().invoke(cli, ["package", "-o", str(tmp_path / "bag"), "--source", str(text_id)], env=env)
    assert result.exit_code == 0, result.output
    assert "manifest timestamped" in result.output
    assert verify_bag(tmp_path / "bag", tsa_certificates=tsa.ca_pem.read_bytes(), public_key=_key(ws)).ok
