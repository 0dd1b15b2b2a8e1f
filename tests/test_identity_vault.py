"""The identity vault: names, contact details, authors and second-factor secrets never stored in the clear.

Marker names (Latin and Arabic) are planted the ways they reach the database: a person list, a
victim named in a report, an e-mail's sender and recipient (a source's author and metadata) and a
TOTP secret. The stored bytes are then read without the application's types: the SQLite file and
its WAL, and on PostgreSQL every row of every table cast to text. No marker is there, in UTF-8 or
UTF-16, while the application still shows every name to the roles that see them.
"""
from __future__ import annotations

import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import create_engine, inspect, text

from tawthiq.domain.persons import REPORTS_LIST
from tawthiq.services import ServiceError, Workspace, accounts, ingest, persons
from tawthiq.settings import Settings
from tawthiq.store import identity_rows, person_clusters, person_records, second_factor, vault_key
from tawthiq.store.db import connect, init_db
from tawthiq.store.history import history
from tawthiq.store.identity_vault import IdentityVault, VaultKeyError
from tawthiq.store.incidents import persons_for_incident
from tawthiq.store.sources import get_source
from tawthiq.store.vault.blobs import BlobStore
from tawthiq.store.vault_key import MISSING, key_path, load_key

LIST_LATIN, LIST_ARABIC, MOTHER, MOTHER_AGAIN = "Qzvaultlatin", "قزفالتعربي", "Qzmothervault", "Qzmotheragain"
REPORT_VICTIM = "Qzreportvictim"
REPORT = (f"On 3 March 2018 government warplanes struck the market in Saraqib, killing the child {REPORT_VICTIM} "
          "Hamdan, 12.")
SENDER, RECIPIENT = "Qzsendervault", "qzrecipientvault"
TOTP_SECRET = pyotp.random_base32()
# Everything but the report's victim, whose name the report's own text (the evidence) holds.
STORED_ONLY_IN_VAULT = (LIST_LATIN, LIST_ARABIC, MOTHER, MOTHER_AGAIN, SENDER, RECIPIENT, TOTP_SECRET)


def _forms(marker: str) -> list[bytes]:
    return [marker.encode("utf-8"), marker.encode("utf-16-le"), marker.encode("utf-16-be")]


def _plant(ws: Workspace, tmp_path: Path) -> dict[str, int]:
    listing = tmp_path / "list.csv"
    listing.write_text(f"id,name,mother_name\n1,{LIST_LATIN} Haddad,{MOTHER}\n2,{LIST_ARABIC} العلي,فاطمة\n",
                       encoding="utf-8")
    persons.import_list(ws, path=listing, list_name="homs", id_column="id", actor="test")
    # A re-import that changes a field: the audit entry's before and after are values of the vault too.
    listing.write_text(f"id,name,mother_name\n1,{LIST_LATIN} Haddad,{MOTHER_AGAIN}\n2,{LIST_ARABIC} العلي,فاطمة\n",
                       encoding="utf-8")
    persons.import_list(ws, path=listing, list_name="homs", id_column="id", actor="test")
    doc = accounts.create_user(ws, actor=None, username="docu", password="correct horse battery",
                               role="documenter")  # type: ignore[arg-type]
    (report,) = ingest.ingest_text(ws, user=doc, text=REPORT).source_ids
    mail = EmailMessage()
    mail["From"] = f"{SENDER} <witness@example.org>"
    mail["To"] = f"{RECIPIENT}@example.org"
    mail["Subject"] = "Testimony"
    mail.set_content("The market in Saraqib was struck on 3 March 2018.")
    path = tmp_path / "testimony.eml"
    path.write_bytes(bytes(mail))
    (result,) = ingest.ingest_files(ws, [path])
    (email_source,) = result.source_ids
    assert second_factor.enable(ws.db, doc.id, secret=TOTP_SECRET, step=1, code_hashes=["0" * 64],
                                by="test")
    return {"report": report, "email": email_source, "user": doc.id}


def _shown(ws: Workspace, got: dict[str, int]) -> None:
    """Read through the application, every planted value comes back as it was written."""
    changed = person_records.find(ws.db, list_name="homs", record_id="1")
    assert changed is not None and changed.fields["mother_name"] == MOTHER_AGAIN
    (entry,) = [e for e in history(ws.db, entity="person_record", entity_id=changed.id) if e.action == "import-update"]
    assert (entry.before, entry.after) == ({"mother_name": MOTHER}, {"mother_name": MOTHER_AGAIN})
    names = {r.get("name") for r in person_records.iter_records(ws.db)}
    assert {f"{LIST_LATIN} Haddad", f"{LIST_ARABIC} العلي", f"{REPORT_VICTIM} Hamdan"} <= names
    email = get_source(ws.db, got["email"])
    assert email is not None and SENDER in email.author and RECIPIENT in str(email.metadata)
    assert second_factor.secret_of(ws.db, got["user"]) == (TOTP_SECRET, 1)
    report = get_source(ws.db, got["report"])
    assert report is not None
    found = [p.name for inc in {r.incident_id for r in person_records.iter_records(ws.db, lists=[REPORTS_LIST])}
             if inc is not None for p in persons_for_incident(ws.db, inc)]
    assert f"{REPORT_VICTIM} Hamdan" in found
    # A name search finds a whole word, folded, through the blind index.
    ids = person_clusters.cluster_page(ws.db, query=LIST_LATIN.upper())
    assert len(ids) == 1 and person_records.get(ws.db, ids[0]).get("name") == f"{LIST_LATIN} Haddad"
    assert person_clusters.count_people(ws.db, query=LIST_ARABIC) == 1
    assert person_clusters.count_people(ws.db, query=LIST_LATIN[:-2]) == 0  # whole words only


def _raw_rows(url: str, tables: list[str], columns: dict[str, list[str]] | None = None) -> str:
    """Rows as the database holds them, read by a plain connection (no application types)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out = []
            for name in tables:
                cols = (columns or {}).get(name)
                if cols is None:
                    cols = [c["name"] for c in inspect(conn).get_columns(name)]
                listed = ", ".join(f"CAST({c} AS TEXT)" for c in cols)
                out.extend(repr(tuple(row)) for row in conn.execute(text(f"SELECT {listed} FROM {name}")))
            return "\n".join(out)
    finally:
        engine.dispose()


def test_nothing_identifying_is_stored_in_the_clear(ws: Workspace, tmp_path: Path) -> None:
    got = _plant(ws, tmp_path)
    _shown(ws, got)
    url = ws.settings.database_url
    # The victim's name: nowhere in the vault's columns (the report text is the evidence itself).
    vault_columns = {"persons": ["name", "name_alt"], "person_records": ["name", "fields", "extra", "name_index"],
                     "sources": ["author", "metadata"], "users": ["totp_secret"]}
    raw = _raw_rows(url, list(vault_columns), vault_columns)
    for marker in (*STORED_ONLY_IN_VAULT, REPORT_VICTIM):
        assert marker not in raw and marker.lower() not in raw.lower(), marker
    assert raw.count("tv1:") >= 8
    if ws.db.dialect_name == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        files = (path, path.with_name(path.name + "-wal"))
        assert files[1].exists()  # the WAL as it stands, with the writes not yet checkpointed
        stored = b"".join(p.read_bytes() for p in files if p.exists())
        ws.db.dispose()  # and the file once everything is checkpointed into it
        stored += b"".join(p.read_bytes() for p in files if p.exists())
    else:
        engine = create_engine(url)
        with engine.connect() as conn:
            every = inspect(conn).get_table_names()
        engine.dispose()
        stored = _raw_rows(url, every).encode("utf-8")
    for marker in STORED_ONLY_IN_VAULT:
        for form in _forms(marker):
            assert form not in stored, marker


def test_legacy_plaintext_is_encrypted_in_place_and_sealed(database_url: str, data_dir: Path,
                                                           tmp_path: Path) -> None:
    """A database written without the key (as before the vault) is encrypted at the next set-up, and its seals
    still verify."""
    from tawthiq.services import integrity

    settings = Settings(database_url=database_url, data_dir=data_dir, max_file_size=10**8)
    bare = connect(database_url)  # no vault: values stored as given, as an older version did
    init_db(bare)
    plain = Workspace(settings=settings, db=bare, blobs=BlobStore(data_dir))
    listing = tmp_path / "list.csv"
    listing.write_text(f"id,name\n1,{LIST_LATIN} Haddad\n", encoding="utf-8")
    persons.import_list(plain, path=listing, list_name="homs", id_column="id", actor="test")
    assert LIST_LATIN in _raw_rows(database_url, ["person_records"], {"person_records": ["name"]})
    bare.dispose()
    ws = Workspace.open(settings, create=True)
    try:
        raw = _raw_rows(database_url, ["person_records"], {"person_records": ["name", "fields", "name_index"]})
        assert LIST_LATIN not in raw and "tv1:" in raw
        assert person_clusters.count_people(ws.db, query=LIST_LATIN) == 1
        report = integrity.verify(ws)
        assert report.ok, report
    finally:
        ws.db.dispose()


def test_a_missing_or_wrong_key_is_one_clear_line(ws: Workspace, tmp_path: Path) -> None:
    _plant(ws, tmp_path)
    settings = ws.settings
    path = key_path(settings.data_dir)
    key = path.read_bytes()
    path.unlink()
    with pytest.raises(ServiceError, match="identity vault key is missing: restore it from a backup"):
        Workspace.open(settings)
    path.write_bytes(os.urandom(32))
    with pytest.raises(ServiceError, match="does not open this database's names"):
        Workspace.open(settings)
    path.write_bytes(b"short")
    with pytest.raises(ServiceError, match="is not an identity vault key"):
        Workspace.open(settings)
    path.write_bytes(key)
    again = Workspace.open(settings)
    try:
        assert person_clusters.count_people(again.db, query=LIST_LATIN) == 1
    finally:
        if again.db is not ws.db:
            again.db.dispose()
    # A value read with no key, or the wrong one, raises: never ciphertext shown as a name.
    other = IdentityVault(os.urandom(32))
    sealed = IdentityVault(key).encrypt("Qzname", context="persons.name")
    with pytest.raises(VaultKeyError):
        other.decrypt(sealed, context="persons.name")
    with pytest.raises(VaultKeyError):  # moved to another column: the associated data differs
        IdentityVault(key).decrypt(sealed, context="persons.name_alt")


def test_the_key_file_and_an_injected_key(tmp_path: Path) -> None:
    data = tmp_path / "d"
    with pytest.raises(VaultKeyError, match=MISSING):
        load_key(data_dir=data)
    key = load_key(data_dir=data, create=True)
    assert len(key) == 32 and load_key(data_dir=data) == key
    assert os.stat(key_path(data)).st_mode & 0o777 == 0o600
    assert os.stat(key_path(data).parent).st_mode & 0o777 == 0o700
    # Another process that made the key a moment earlier wins: its key is the one kept and returned.
    assert vault_key._create(key_path(data)) == key and load_key(data_dir=data) == key
    assert [p.name for p in key_path(data).parent.iterdir()] == [key_path(data).name]  # no temporary left
    # An injected key (a main key's derivative, later) is used instead of the file, and never printed.
    injected = Settings(database_url=f"sqlite:///{tmp_path / 'i.db'}", data_dir=tmp_path / "i", max_file_size=1,
                        vault_key=b"k" * 32)
    assert "kkkk" not in repr(injected)
    ws = Workspace.open(injected, create=True)
    try:
        assert not key_path(injected.data_dir).exists()
        assert ws.db.vault is not None
        assert identity_rows.check(ws.db.engine.connect(), IdentityVault(b"k" * 32))
    finally:
        ws.db.dispose()


def test_cli_persons_list_show_and_search_read_through_the_vault(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["TAWTHIQ_DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    env["TAWTHIQ_DATA_DIR"] = str(tmp_path / "data")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                              timeout=300)

    assert run("init").returncode == 0
    listing = tmp_path / "l.csv"
    listing.write_text(f"id,name\n1,{LIST_LATIN} Haddad\n2,{LIST_ARABIC} العلي\n", encoding="utf-8")
    assert run("persons", "import", str(listing), "--list", "homs", "--id-column", "id").returncode == 0
    listed = run("persons", "list")
    assert LIST_LATIN in listed.stdout and LIST_ARABIC in listed.stdout
    shown = run("persons", "show", "2")
    assert LIST_ARABIC in shown.stdout
    db_file = tmp_path / "cli.db"
    for marker in (LIST_LATIN, LIST_ARABIC):
        assert not any(form in db_file.read_bytes() for form in _forms(marker))
    key_path(tmp_path / "data").rename(tmp_path / "kept.key")
    refused = run("persons", "list")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "the identity vault key is missing: restore it from a backup" in lines[0]
    assert LIST_LATIN not in refused.stdout + refused.stderr


def test_a_restore_brings_the_key_back_and_stores_no_name_in_the_clear(ws: Workspace, tmp_path: Path) -> None:
    from tawthiq.services import backups, integrity

    got = _plant(ws, tmp_path)
    keys = backups.Keys(passphrase="correct horse battery staple")
    made = backups.create(ws, output=tmp_path / "b.age", actor="cli:tester", machine="test-host", keys=keys)
    members = list(made.manifest["members"])
    # The key comes before the first row, so a restore writes every name encrypted from the start.
    assert members.index("keys/identity-vault.key") < min(i for i, m in enumerate(members) if m.startswith("database/"))
    restored = backups.restore([tmp_path / "b.age"], to=tmp_path / "r", keys=keys)
    assert restored.ok
    assert key_path(restored.data_dir).read_bytes() == key_path(ws.settings.data_dir).read_bytes()
    db_file = tmp_path / "r" / "tawthiq.db"
    stored = b"".join(p.read_bytes() for p in (db_file, db_file.with_name(db_file.name + "-wal")) if p.exists())
    for marker in STORED_ONLY_IN_VAULT:
        assert not any(form in stored for form in _forms(marker)), marker
    back = Workspace.open(Settings(database_url=restored.database_url, data_dir=restored.data_dir,
                                   max_file_size=10**8))
    try:
        _shown(back, got)
        assert integrity.verify(back).ok
    finally:
        back.db.dispose()
