"""Importing a package into another instance: same hashes, custody extended (not reset), idempotent."""
from __future__ import annotations

import json
import os
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, make_url, select

from tawthiq.domain.custody import hash_of
from tawthiq.export.bag_format import entry_from_json
from tawthiq.export.bag_verify import verify_bag
from tawthiq.services import ServiceError, Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.services.packages import import_package, make_package, public_signing_key, verify_package
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.store import custody
from tawthiq.store.db import connect, init_db
from tawthiq.store.derivatives import derivatives_of, instance_id, iter_derivatives
from tawthiq.store.history import incident_history
from tawthiq.store.queries import list_incidents
from tawthiq.store.sources import list_sources
from tawthiq.store.tables import imported_custody
from tawthiq.store.vault.blobs import sha256_file
from tawthiq.store.vault.derived import derived_store

REPORT = "Aleppo, 12 March 2016: shelling by government forces killed two civilians in al-Shaar, residents said.\n"
PAGE = """<html><head><title>الرقة</title></head><body><article>
<p>Raqqa, 3 March 2015: an air strike on the al-Mashlab district killed four civilians, residents said.</p>
</article></body></html>"""


@pytest.fixture
def instance(database_url: str, tmp_path: Path) -> Iterator[Callable[[str], Workspace]]:
    """Makes further instances (own database and data folder) of the same engine as ``ws``."""
    made: list[tuple[Workspace, Callable[[], None]]] = []

    def make(name: str) -> Workspace:
        if database_url.startswith("sqlite"):
            url, drop = f"sqlite:///{tmp_path / f'{name}.db'}", (lambda: None)
        else:
            schema = f"t_{uuid.uuid4().hex[:16]}"
            admin = create_engine(os.environ["TAWTHIQ_TEST_DATABASE_URL"])
            with admin.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            url = make_url(os.environ["TAWTHIQ_TEST_DATABASE_URL"]).update_query_dict(
                {"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)

            def drop() -> None:
                with admin.begin() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                admin.dispose()
        db = connect(url)
        init_db(db)
        data = tmp_path / f"{name}-data"
        data.mkdir()
        ws = Workspace.open(Settings(database_url=url, data_dir=data, max_file_size=DEFAULT_MAX_FILE_SIZE), db=db)
        made.append((ws, drop))
        return ws

    yield make
    for ws, drop in made:
        ws.db.dispose()  # type: ignore[attr-defined]
        drop()


def _ingest(ws: Workspace, tmp_path: Path) -> list[int]:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "r1.txt").write_text(REPORT, encoding="utf-8")
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    results = ingest_files(ws, [folder / "r1.txt", folder / "page.html"], actor="cli:alice")
    assert all(r.status == "new" for r in results), [r.error for r in results]
    return [r.source_ids[0] for r in results]


def _pem(ws: Workspace) -> bytes:
    """The public key of the workspace that wrote a package, as its recipient was given it."""
    return public_signing_key(ws).pem


def _items(ws: Workspace) -> set[str]:
    originals = set(ws.blobs.iter_shas())
    return originals | {d.sha256 for d in iter_derivatives(ws.db)}  # type: ignore[arg-type]


def _imported_rows(ws: Workspace) -> list[dict]:
    with ws.db.session() as session:  # type: ignore[attr-defined]
        return [dict(r._mapping) for r in session.execute(select(imported_custody).order_by(imported_custody.c.id))]


def test_round_trip_keeps_hashes_and_extends_custody(ws: Workspace, instance: Callable[[str], Workspace],
                                                     tmp_path: Path) -> None:
    a = ws
    ids = _ingest(a, tmp_path)
    bag_a = tmp_path / "bag-a"
    pkg_a = make_package(a, out=bag_a, source_ids=ids, actor="cli:alice", machine="a-box")
    a_entries = {e.entry_hash: e for e in custody.iter_entries(a.db)  # type: ignore[arg-type]
                 if e.event != "exported"}

    b = instance("b")
    result = import_package(b, path=bag_a, actor="cli:bob", machine="b-box", reason="received from A",
                            public_key=_pem(a))
    assert (result.originals, result.derivatives, result.sources, result.incidents) == (2, 1, 2, 2)
    # Same bytes under the same hashes, originals and working copies alike, in B's own stores.
    assert _items(b) == _items(a) and len(_items(b)) == 3
    for sha in b.blobs.iter_shas():
        assert b.blobs.verify(sha)
    html_sha = sha256_file(tmp_path / "in" / "page.html")
    (copy_a,), (copy_b,) = derivatives_of(a.db, html_sha), derivatives_of(b.db, html_sha)  # type: ignore[arg-type]
    assert (copy_b.sha256, copy_b.tool, copy_b.params) == (copy_a.sha256, copy_a.tool, copy_a.params)
    assert derived_store(b.blobs).verify(copy_b.sha256)
    sources_b = list_sources(b.db)  # type: ignore[arg-type]
    assert {s.title for s in sources_b} == {s.title for s in list_sources(a.db)}  # type: ignore[arg-type]
    assert all(s.metadata["received_via"] == "package import" for s in sources_b)

    # Custody of each item in B: A's entries (kept as written) and B's own "imported" entry, nothing else.
    kept = _imported_rows(b)
    assert {r["entry_hash"] for r in kept} == set(a_entries)
    assert all(r["origin"] == instance_id(a.db) and r["package"] == pkg_a.package_id for r in kept)  # type: ignore[arg-type]
    for row in kept:
        assert hash_of(entry_from_json(row["entry"])) == row["entry_hash"]
    local = list(custody.iter_entries(b.db))  # type: ignore[arg-type]
    assert {e.event for e in local} == {"imported"} and {e.item_sha256 for e in local} == _items(a)
    head = json.loads((bag_a / "data/metadata/package.json").read_text())["ledger_head"]
    assert all(e.details["package"] == pkg_a.package_id and e.details["origin"] == instance_id(a.db)  # type: ignore[arg-type]
               and e.details["origin_head"] == head and e.reason == "received from A" for e in local)

    # Incidents: as suggestions, their provenance in the history, claims and spans along.
    incidents_b = list_incidents(b.db)  # type: ignore[arg-type]
    assert len(incidents_b) == 2 and all(str(i.status) == "suggested" for i in incidents_b)
    assert all(i.evidence and i.source_id in {s.id for s in sources_b} for i in incidents_b)
    history = incident_history(b.db, incidents_b[0].id)  # type: ignore[arg-type]
    assert any(h.action == "import" and h.after["package"] == pkg_a.package_id for h in history)

    # Importing again adds nothing at all.
    before = (len(kept), custody.count_entries(b.db), len(list_incidents(b.db)))  # type: ignore[arg-type]
    again = import_package(b, path=bag_a, actor="cli:bob", machine="b-box", public_key=_pem(a))
    assert (again.originals, again.sources, again.incidents, again.entries, again.imported_entries) == (0,) * 5
    assert (len(_imported_rows(b)), custody.count_entries(b.db), len(list_incidents(b.db))) == before  # type: ignore[arg-type]

    # B packages again: A's history travels on in imported.jsonl, B's own in ledger.jsonl.
    bag_b = tmp_path / "bag-b"
    make_package(b, out=bag_b, source_ids=[s.id for s in sources_b], actor="cli:bob", machine="b-box")
    assert verify_package(bag_b, public_key=_pem(b)).ok
    travelled = [json.loads(line) for line in (bag_b / "data/custody/imported.jsonl").read_text().splitlines()]
    assert {r["entry_hash"] for r in travelled} == set(a_entries)
    own = [json.loads(line) for line in (bag_b / "data/custody/ledger.jsonl").read_text().splitlines()]
    assert {e["event"] for e in own} == {"imported"}

    # A third instance gets the whole history: A's entries and B's, each under its own origin.
    c = instance("c")
    import_package(c, path=bag_b, actor="cli:carol", machine="c-box", public_key=_pem(b))
    origins = {r["origin"] for r in _imported_rows(c)}
    assert origins == {instance_id(a.db), instance_id(b.db)}  # type: ignore[arg-type]
    assert len(_imported_rows(c)) == len(a_entries) + len(own) and _items(c) == _items(a)


def test_bad_bag_is_refused_and_nothing_imported(ws: Workspace, instance: Callable[[str], Workspace],
                                                 tmp_path: Path) -> None:
    ids = _ingest(ws, tmp_path)
    bag = tmp_path / "bag"
    make_package(ws, out=bag, source_ids=ids, actor="cli:alice", machine="a-box")
    ledger = bag / "data/custody/ledger.jsonl"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("cli:alice", "cli:mallory", 1), encoding="utf-8")
    b = instance("b")
    with pytest.raises(ServiceError, match="refused, nothing imported.*ledger.jsonl"):
        import_package(b, path=bag, actor="cli:bob", machine="b-box", public_key=_pem(ws))
    assert _items(b) == set() and list_sources(b.db) == [] and custody.count_entries(b.db) == 0  # type: ignore[arg-type]
    with b.db.session() as session:  # type: ignore[attr-defined]
        assert session.scalar(select(func.count()).select_from(imported_custody)) == 0


def test_own_package_is_not_imported_back(ws: Workspace, tmp_path: Path) -> None:
    ids = _ingest(ws, tmp_path)
    bag = tmp_path / "bag"
    make_package(ws, out=bag, source_ids=ids, actor="cli:alice", machine="a-box")
    with pytest.raises(ServiceError, match="written by this instance"):
        import_package(ws, path=bag, actor="cli:alice", machine="a-box", public_key=_pem(ws))


def _zip(bag: Path, out: Path, *, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(bag.rglob("*")):
            if path.is_file():
                archive.write(path, f"{bag.name}/{path.relative_to(bag).as_posix()}")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out


def test_zipped_package_imports_like_a_folder(ws: Workspace, instance: Callable[[str], Workspace],
                                              tmp_path: Path) -> None:
    ids = _ingest(ws, tmp_path)
    bag = tmp_path / "bag"
    make_package(ws, out=bag, source_ids=ids, actor="cli:alice", machine="a-box")
    zipped = _zip(bag, tmp_path / "bag.zip")
    assert verify_package(zipped, public_key=_pem(ws)).ok
    b = instance("b")
    result = import_package(b, path=zipped, actor="cli:bob", machine="b-box", public_key=_pem(ws))
    assert result.originals == 2 and _items(b) == _items(ws)
    assert all(e.details["bag"] == str(zipped) for e in custody.iter_entries(b.db))  # type: ignore[arg-type]
    assert not list(b.settings.data_dir.glob(".package-unzip-*"))  # the scratch copy is gone


def test_zip_with_a_traversal_member_is_refused_whole(ws: Workspace, instance: Callable[[str], Workspace],
                                                      tmp_path: Path) -> None:
    ids = _ingest(ws, tmp_path)
    bag = tmp_path / "bag"
    make_package(ws, out=bag, source_ids=ids, actor="cli:alice", machine="a-box")
    zipped = _zip(bag, tmp_path / "evil.zip", extra={"../escaped.txt": b"x"})
    b = instance("b")
    with pytest.raises(ServiceError, match="evil.zip"):
        import_package(b, path=zipped, actor="cli:bob", machine="b-box", public_key=_pem(ws))
    assert not (tmp_path / "escaped.txt").exists() and _items(b) == set()
    assert custody.count_entries(b.db) == 0 and not list(b.settings.data_dir.glob(".package-unzip-*"))  # type: ignore[arg-type]


class _Ran:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = code, stdout, stderr


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., _Ran]:
    """``tawthiq ARGS`` through its real entry point (main(): one-line errors, exit codes), in this process."""
    from tawthiq.cli import main

    def run(args: list[str], env: dict[str, str]) -> _Ran:
        for key in [k for k in os.environ if k.startswith("TAWTHIQ_")]:
            monkeypatch.delenv(key)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.setattr(sys, "argv", ["tawthiq", *args])
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return _Ran(code, out.out, out.err)

    return run


def test_cli_package_verify_and_import(tmp_path: Path, run_cli: Callable[..., _Ran]) -> None:
    """As an operator runs it: two instances; errors are one line, never a traceback."""
    _run = run_cli
    base: dict[str, str] = {}
    env_a = {"TAWTHIQ_DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}
    env_b = {"TAWTHIQ_DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"}
    (tmp_path / "r1.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    assert _run(["init"], env_a).returncode == 0 and _run(["init"], env_b).returncode == 0
    assert _run(["ingest", str(tmp_path / "r1.txt"), str(tmp_path / "page.html")], env_a).returncode == 0
    bag = tmp_path / "bag"
    made = _run(["package", "-o", str(bag), "--event-type", "air-drone-strike", "--reason", "IIIM request 7"], env_a)
    assert made.returncode == 0, made.stderr
    assert "1 original(s), 1 working cop(ies), 1 source(s), 1 incident(s)" in made.stdout
    key = tmp_path / "a-public.pem"
    assert _run(["key", "public", "-o", str(key)], env_a).returncode == 0
    checked = _run(["verify-package", str(bag), "--key", str(key)], env=base)
    assert checked.returncode == 0 and ": OK;" in checked.stdout.splitlines()[-1]
    imported = _run(["import-package", str(bag), "--reason", "from A", "--key", str(key)], env_b)
    assert imported.returncode == 0 and "1 new original(s)" in imported.stdout, imported.stderr
    again = _run(["import-package", str(bag), "--key", str(key)], env_b)
    assert again.returncode == 0 and "0 new original(s)" in again.stdout and "0 'imported'" in again.stdout
    assert _run(["verify"], env_b).returncode == 0

    nothing = _run(["package", "-o", str(tmp_path / "none"), "--status", "verified"], env_a)
    assert nothing.returncode == 1 and nothing.stderr.strip() == "error: no incident matches the filters given"
    meta = bag / "data/metadata/sources.json"
    os.chmod(meta, 0o644)
    meta.write_text(meta.read_text(encoding="utf-8").replace("Raqqa", "Homs"), encoding="utf-8")
    bad = _run(["verify-package", str(bag), "--key", str(key)], env=base)
    lines = [line for line in bad.stdout.splitlines() if not line.startswith("note:")]
    assert bad.returncode == 1 and len(lines) == 5, bad.stdout
    assert "Payload-Oxum" in lines[0] and all(line.startswith("data/metadata/sources.json: sha") for line in lines[1:3])
    # The changed text is also not what its original yields.
    assert lines[3].startswith("source ") and "text in package differs from what its original yields" in lines[3]
    refused = _run(["import-package", str(bag), "--key", str(key)], env_b)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "refused, nothing imported" in refused.stderr


def test_history_from_an_earlier_instance_is_checked_too(ws: Workspace, instance: Callable[[str], Workspace],
                                                         tmp_path: Path) -> None:
    import bagit

    ids = _ingest(ws, tmp_path)
    make_package(ws, out=tmp_path / "bag-a", source_ids=ids, actor="cli:alice", machine="a-box")
    b = instance("b")
    import_package(b, path=tmp_path / "bag-a", actor="cli:bob", machine="b-box", public_key=_pem(ws))
    bag = tmp_path / "bag-b"
    make_package(b, out=bag, source_ids=[s.id for s in list_sources(b.db)], actor="cli:bob",  # type: ignore[arg-type]
                 machine="b-box")
    path = bag / "data/custody/imported.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["entry"]["id"] for r in rows][:2] == [1, 2]

    def forge(rehash: bool) -> list[str]:
        forged = [dict(r, entry=dict(r["entry"])) for r in rows]
        forged[0]["entry"]["actor"] = "cli:mallory"
        if rehash:  # a careful forger: the entry's own hash is made to fit
            forged[0]["entry"]["entry_hash"] = forged[0]["entry_hash"] = hash_of(entry_from_json(forged[0]["entry"]))
        os.chmod(path, 0o644)
        path.write_text("".join(json.dumps(r) + "\n" for r in forged), encoding="utf-8")
        bagit.Bag(str(bag)).save(manifests=True)
        return verify_bag(bag, signature_check=False).problems  # the history check alone

    assert forge(rehash=False) == ["data/custody/imported.jsonl line 1: entry #1 of instance "
                                   f"{instance_id(ws.db)} does not hash to its entry_hash (altered)"]  # type: ignore[arg-type]
    assert forge(rehash=True) == ["data/custody/imported.jsonl: entry #2 of instance "
                                  f"{instance_id(ws.db)} does not link to #1"]  # type: ignore[arg-type]


def test_named_persons_travel_only_when_asked(ws: Workspace, instance: Callable[[str], Workspace],
                                              tmp_path: Path) -> None:
    from tawthiq.domain import Person
    from tawthiq.store.incidents import add_person, incidents_for_source, persons_for_incident

    text_id, _ = _ingest(ws, tmp_path)
    (incident,) = incidents_for_source(ws.db, text_id)  # type: ignore[arg-type]
    add_person(ws.db, Person(name="محمد الأحمد", name_alt="Mohammad al-Ahmad", incident_id=incident.id),  # type: ignore[arg-type]
               user="amal")
    plain, named = tmp_path / "plain", tmp_path / "named"
    make_package(ws, out=plain, source_ids=[text_id], actor="cli:alice", machine="a-box")
    make_package(ws, out=named, source_ids=[text_id], actor="cli:alice", machine="a-box", include_persons=True)
    assert not (plain / "data/metadata/persons.json").exists()
    assert "محمد" not in "".join(p.read_text(encoding="utf-8") for p in plain.rglob("*.json"))
    (person,) = json.loads((named / "data/metadata/persons.json").read_text(encoding="utf-8"))
    assert (person["name"], person["incident_id"], person["confidentiality"]) == ("محمد الأحمد", incident.id,
                                                                                  "confidential")
    assert "محمد" not in (named / "data/index.html").read_text(encoding="utf-8")
    b = instance("b")
    import_package(b, path=named, actor="cli:bob", machine="b-box", public_key=_pem(ws))
    (imported,) = list_incidents(b.db)  # type: ignore[arg-type]
    (copy,) = persons_for_incident(b.db, imported.id)  # type: ignore[arg-type]
    assert (copy.name, copy.name_alt, str(copy.confidentiality)) == ("محمد الأحمد", "Mohammad al-Ahmad",
                                                                     "confidential")
    import_package(b, path=named, actor="cli:bob", machine="b-box", public_key=_pem(ws))
    assert len(persons_for_incident(b.db, imported.id)) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize(("change", "message"), [
    (lambda m: m["sources"][0].update(kind="bogus"), "source 1 is malformed"),
    (lambda m: m["sources"][0].update(metadata=["not", "an", "object"]), "source 1 is malformed"),
    (lambda m: m.update(sources="nope"), "malformed"),
])
def test_malformed_metadata_imports_nothing(ws: Workspace, instance: Callable[[str], Workspace], tmp_path: Path,
                                            change: Callable[[dict], None], message: str) -> None:
    import bagit

    ids = _ingest(ws, tmp_path)
    bag = tmp_path / "bag"
    make_package(ws, out=bag, source_ids=ids, actor="cli:alice", machine="a-box")
    path = bag / "data/metadata/sources.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    change(meta)
    path.write_text(json.dumps(meta), encoding="utf-8")
    bagit.Bag(str(bag)).save(manifests=True)  # a well-formed bag whose content is wrong
    b = instance("b")
    with pytest.raises(ServiceError, match=message):
        import_package(b, path=bag, actor="cli:bob", machine="b-box", signature_check=False)  # the importer's own checks
    assert _items(b) == set() and list_sources(b.db) == [] and custody.count_entries(b.db) == 0  # type: ignore[arg-type]


def test_replaced_claims_stay_replaced_through_a_package(ws: Workspace, instance: Callable[[str], Workspace],
                                                         tmp_path: Path) -> None:
    from _users import DOCUMENTER

    from tawthiq.domain import ClaimField, VictimGroup, VictimKind, VictimOutcome
    from tawthiq.services import review
    from tawthiq.services.review import IncidentChanges
    from tawthiq.store import repository

    ids = _ingest(ws, tmp_path)
    [incident] = [i for i in repository.list_incidents(ws.db) if i.source_id == ids[0]]  # type: ignore[arg-type]
    three = [VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=3, count_max=3)]
    review.update_incident(ws, user=DOCUMENTER, incident_id=incident.id, changes=IncidentChanges(victims=three),
                           comment="three by the network's list")
    make_package(ws, out=tmp_path / "bag", source_ids=ids, actor="cli:alice", machine="a-box")
    b = instance("b")
    import_package(b, path=tmp_path / "bag", actor="cli:bob", machine="b-box", public_key=_pem(ws))
    [imported] = [i for i in repository.list_incidents(b.db)  # type: ignore[arg-type]
                  if any(v.count_min == 3 for v in i.victims)]
    victims = {(c.method, c.current, c.superseded_by, c.superseded_note)
               for c in imported.claims if c.field is ClaimField.VICTIMS}
    machine = {v for v in victims if v[0] != review.HUMAN}
    assert machine and all(v[1:] == (False, DOCUMENTER.username, "three by the network's list") for v in machine)
    assert {v[1] for v in victims if v[0] == review.HUMAN} == {True}
