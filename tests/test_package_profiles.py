"""``tawthiq package --profile partner|public``: the bag holds what the audience's profile gives, and still verifies.

Unique markers are planted in persons' names, a source's author, link and
sender (its metadata), a source that is not shareable (its title and text),
restricted, confidential and unreviewed incidents and the staff's user names;
every byte of the partner and public packages is searched for them in UTF-8,
UTF-16 and JSON's escaped form. The positive checks: the shareable source's
text and original are in the partner package, its restricted incident too
(partners read restricted records), the public package holds the public
reviewed incident; both verify, a forged included text is still caught,
what the profile left out is said as a note, and a documenter needs a
reviewer's approval for the court profile.
"""
from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner

from tawthiq.cli import cli
from tawthiq.domain.filters import IncidentFilter
from tawthiq.domain.model import Person
from tawthiq.domain.profiles import PARTNER, PUBLIC, source_shareable
from tawthiq.export.bag_signature import SIGNATURE_FILE
from tawthiq.export.bag_verify import verify_bag
from tawthiq.services import Workspace, accounts, ingest, reading, review
from tawthiq.services.errors import PermissionDenied, ServiceError
from tawthiq.services.export_approvals import approve_export
from tawthiq.services.ingest import Provenance
from tawthiq.services.packages import import_package, make_package, public_signing_key
from tawthiq.services.shareable import shareable_sources
from tawthiq.store import custody
from tawthiq.store.incidents import add_person, get_incident
from tawthiq.store.sources import get_source

PASSWORD = "correct horse battery staple 2026"
SHARED = "On 3 March 2018 government forces shelled the market in Saraqib, killing four civilians. Qzsharedtext."
PRIVATE = "On 12 May 2019 Russian jets struck a bakery in Ariha, killing two civilians, Qzprivatetext said."
SECRET = "On 15 November 2017 government forces shelled the market in Douma, killing three civilians."
UNSEEN = "On 20 June 2019 shelling hit Maarat al-Numan, killing five civilians."

# Never in a partner's or the public's package.
NEVER = {
    "Qzpersonname": "a named person of a shared incident",
    "Qzauthor": "a shared source's author",
    "qzcontact": "a shared source's link",
    "Qzsender": "how a shared source was received (its sender, in its metadata)",
    "Qzprivatetext": "the text of a source behind a restricted incident (not shareable)",
    "Qzprivatetitle": "the title of that source",
    "Qzconfidential": "a confidential incident's description",
    "Qzunreviewed": "an unreviewed public incident's description",
    "qzdocumenter": "a documenter's user name",
    "qzreviewer": "a reviewer's user name",
    "qzoperator": "the user name of who made the package",
    "Qzgradenote": "a grading note",
}
# Also never in the public's.
NOT_PUBLIC = {
    "Qzrestricted": "a restricted incident's description",
    "Qzsharedtext": "a source's text (the public profile gives none)",
}


def _incidents_of(ws: Workspace, user: object, source_id: int) -> list[int]:
    found = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=source_id, unreviewed=True),
                                    sort="id")
    assert found.items, "the extractor found an incident in the test report"
    return [i.id for i in found.items]


def _reviewed(ws: Workspace, rev: object, source_id: int, *, level: str, description: str,
              accept: bool = True) -> int:
    """Every incident of the source at ``level`` with ``description``; accepted unless not; the first's id."""
    ids = _incidents_of(ws, rev, source_id)
    for incident_id in ids:
        review.update_incident(ws, user=rev, incident_id=incident_id, comment="reviewed", changes=review.IncidentChanges(
            description=description, confidentiality=level))
        if accept:
            review.accept(ws, user=rev, incident_id=incident_id, comment="")
    return ids[0]


def _plant(ws: Workspace) -> dict[str, int]:
    users = {name: accounts.create_user(ws, actor=None, username=name, password=PASSWORD, role=role)
             for name, role in (("qzdocumenter", "documenter"), ("qzreviewer", "reviewer"))}
    doc, rev = users["qzdocumenter"], users["qzreviewer"]
    contact = Provenance(author="Qzauthor", url="https://qzcontact.example/report",
                         received_from="Qzsender by phone")
    (shared,) = ingest.ingest_text(ws, user=doc, text=SHARED, title="Market shelling", provenance=contact).source_ids
    public = _reviewed(ws, rev, shared, level="public", description="Shelling of the market in Saraqib.")
    add_person(ws.db, Person(name="Qzpersonname", incident_id=public), user="qzdocumenter")
    review.set_source_evaluation(ws, user=rev, source_id=shared, reliability="B", credibility="2",
                                 note="Qzgradenote")
    (private,) = ingest.ingest_text(ws, user=doc, text=PRIVATE, title="Qzprivatetitle").source_ids
    restricted = _reviewed(ws, rev, private, level="restricted", description="Qzrestricted bakery strike")
    (secret,) = ingest.ingest_text(ws, user=doc, text=SECRET).source_ids
    confidential = _reviewed(ws, rev, secret, level="confidential", description="Qzconfidential shelling")
    (unseen,) = ingest.ingest_text(ws, user=doc, text=UNSEEN).source_ids
    unreviewed = _reviewed(ws, rev, unseen, level="public", description="Qzunreviewed shelling", accept=False)
    return {"shared": shared, "private": private, "secret": secret, "unseen": unseen, "public": public,
            "restricted": restricted, "confidential": confidential, "unreviewed": unreviewed}


def _forms(marker: str) -> list[bytes]:
    escaped = json.dumps(marker)[1:-1]
    return [marker.encode("utf-8"), marker.encode("utf-16-le"), marker.encode("utf-16-be"), escaped.encode("ascii")]


def _leaks(bag: Path, markers: dict[str, str]) -> list[str]:
    found = []
    for path in sorted(bag.rglob("*")):
        if path.is_file():
            body = path.read_bytes().lower()
            for marker, where in markers.items():
                if any(form.lower() in body for form in _forms(marker)):
                    found.append(f"{marker} ({where}) in {path.relative_to(bag)}")
    return found


def _package(ws: Workspace, out: Path, ids: dict[str, int], **kw: object) -> object:
    return make_package(ws, out=out, actor="qzoperator", machine="test-box",  # type: ignore[arg-type]
                        incident_ids=[ids[k] for k in ("public", "restricted", "confidential", "unreviewed")], **kw)


def _json(bag: Path, name: str) -> object:
    return json.loads((bag / "data" / "metadata" / name).read_text(encoding="utf-8"))


@pytest.fixture
def planted(ws: Workspace) -> dict[str, int]:
    return _plant(ws)


def test_the_court_package_holds_the_markers(ws: Workspace, planted: dict[str, int], tmp_path: Path) -> None:
    """The planting is real: the court's package (today's) carries what the others must not."""
    bag = tmp_path / "court"
    _package(ws, bag, planted, include_persons=True)
    found = {line.split(" ")[0] for line in _leaks(bag, NEVER | NOT_PUBLIC)}
    assert {"Qzpersonname", "Qzauthor", "qzcontact", "Qzprivatetext", "Qzprivatetitle", "Qzconfidential",
            "Qzunreviewed", "Qzrestricted", "Qzsharedtext", "qzoperator", "Qzgradenote"} <= found
    assert _json(bag, "package.json")["profile"] == "court"  # type: ignore[index]
    assert bagit.Bag(str(bag)).info["Tawthiq-Profile"] == "court"


def test_shareable_is_a_source_all_of_whose_incidents_are_public(ws: Workspace, planted: dict[str, int]) -> None:
    sources = [get_source(ws.db, planted[k]) for k in ("shared", "private", "secret", "unseen")]
    sharing = shareable_sources(ws, profile=PARTNER, sources=sources)  # type: ignore[arg-type]
    assert sharing.texts == {planted["shared"]}
    assert sharing.originals == {sources[0].sha256}  # type: ignore[union-attr]
    assert shareable_sources(ws, profile=PUBLIC, sources=sources).texts == set()  # type: ignore[arg-type]
    public = get_incident(ws.db, planted["public"])
    assert source_shareable(PARTNER, incidents=[public], names_people=False)  # type: ignore[list-item]
    assert not source_shareable(PARTNER, incidents=[public], names_people=True)  # a victim list: names
    assert not source_shareable(PARTNER, incidents=[], names_people=False)  # no reviewed record rests on it


def test_partner_package_gives_shareable_texts_and_nothing_else(ws: Workspace, planted: dict[str, int],
                                                               tmp_path: Path) -> None:
    bag = tmp_path / "partner"
    result = _package(ws, bag, planted, profile="partner", reason="for a partner group")
    assert _leaks(bag, NEVER) == []
    # What a partner is given: the public and the restricted reviewed incidents, the shareable source whole.
    incidents = _json(bag, "incidents.json")
    assert sorted(i["id"] for i in incidents) == sorted([planted["public"], planted["restricted"]])  # type: ignore
    assert all(i["claims"] == [] and i["evidence"] == [] for i in incidents)  # type: ignore[union-attr]
    meta = _json(bag, "sources.json")
    (source,) = meta["sources"]  # type: ignore[index]
    assert source["id"] == planted["shared"] and "Qzsharedtext" in source["text"]
    assert "author" not in source and "url" not in source and "received_from" not in source["metadata"]
    original = bag / "data" / source["original"]
    assert original.read_bytes().decode("utf-8").strip() == SHARED.strip()
    package = _json(bag, "package.json")
    assert package["profile"] == "partner" and package["not_included"] == {  # type: ignore[index]
        "sources": [planted["private"]]}
    assert bagit.Bag(str(bag)).info["Tawthiq-Profile"] == "partner"
    assert (bag / "data" / "custody" / "ledger.jsonl").read_text() == ""
    assert not (bag / "data" / "metadata" / "persons.json").exists()
    # Verifies, with the shared text re-derived and the withheld source said, not failed.
    report = verify_bag(bag, public_key=_key(ws))
    assert report.ok, report.problems
    assert report.texts_checked == 1 and report.profile == "partner"
    assert f"source {planted['private']}: not included by the partner profile" in report.notes
    assert ": OK; made for the partner profile, " in report.summary()
    # The custody ledger records the package, its profile, and the package as a whole.
    exported = [e for e in custody.iter_entries(ws.db) if e.event == "exported"]
    assert exported and all(e.details["profile"] == "partner" and e.details["package"] == result.package_id
                            for e in exported)
    assert any(e.details.get("incidents") == 2 for e in exported)


def test_public_package_gives_the_public_record_only(ws: Workspace, planted: dict[str, int], tmp_path: Path) -> None:
    bag = tmp_path / "public"
    _package(ws, bag, planted, profile="public")
    assert _leaks(bag, NEVER | NOT_PUBLIC) == []
    (incident,) = _json(bag, "incidents.json")  # type: ignore[misc]
    assert incident["id"] == planted["public"] and incident["source_id"] is None
    assert incident["description"] == "Shelling of the market in Saraqib."
    assert _json(bag, "sources.json") == {"sources": [], "originals": [], "derivatives": []}
    assert list((bag / "data" / "originals").iterdir()) == []
    report = verify_bag(bag, public_key=_key(ws))
    assert report.ok, report.problems
    exported = [e for e in custody.iter_entries(ws.db) if e.event == "exported"]
    assert len(exported) == 1 and exported[0].details["profile"] == "public"


def test_a_forged_included_text_is_caught(ws: Workspace, planted: dict[str, int], tmp_path: Path) -> None:
    bag = tmp_path / "partner"
    _package(ws, bag, planted, profile="partner")
    path = bag / "data" / "metadata" / "sources.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["sources"][0]["text"] = meta["sources"][0]["text"].replace("four", "forty")
    os.chmod(path, 0o644)
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    (bag / SIGNATURE_FILE).unlink()
    bagit.Bag(str(bag)).save(manifests=True)  # the careful forger: manifests recomputed
    report = verify_bag(bag, signature_check=False)
    assert not report.ok
    assert any(p.startswith(f"source {planted['shared']}: text in package differs") for p in report.problems)
    # Dropping the original to dodge the check (and calling the source withheld) is no way out either.
    meta["sources"][0]["original"] = None
    path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    bagit.Bag(str(bag)).save(manifests=True)
    report = verify_bag(bag, signature_check=False)
    assert report.texts_checked == 0 and report.texts_unchecked == 1
    assert f"source {planted['shared']}: text not checked (its original is not included by the partner " \
           "profile)" in report.notes
    assert "1 not checked" in report.summary()
    # And it is a problem in a package that says it is the court's.
    package = bag / "data" / "metadata" / "package.json"
    value = json.loads(package.read_text(encoding="utf-8"))
    value["profile"] = "court"
    os.chmod(package, 0o644)
    package.write_text(json.dumps(value), encoding="utf-8")
    bagit.Bag(str(bag)).save(manifests=True)
    report = verify_bag(bag, signature_check=False)
    assert any("Tawthiq-Profile does not match" in p for p in report.problems)


def test_persons_do_not_go_with_a_narrower_profile(ws: Workspace, planted: dict[str, int], tmp_path: Path) -> None:
    for profile in ("partner", "public"):
        with pytest.raises(ServiceError, match=f"--include-persons and --profile {profile} do not go together"):
            _package(ws, tmp_path / profile, planted, profile=profile, include_persons=True)
        assert not (tmp_path / profile).exists()
    with pytest.raises(ServiceError, match="unknown profile"):
        _package(ws, tmp_path / "x", planted, profile="press")


def test_a_documenter_needs_an_approval_for_the_court_profile(ws: Workspace, planted: dict[str, int],
                                                            tmp_path: Path) -> None:
    doc = accounts.get_user(ws, actor=None, username="qzdocumenter")
    rev = accounts.get_user(ws, actor=None, username="qzreviewer")
    with pytest.raises(PermissionDenied, match="court profile needs a reviewer's approval"):
        _package(ws, tmp_path / "court", planted, user=doc)
    assert not (tmp_path / "court").exists()
    _package(ws, tmp_path / "partner", planted, user=doc, profile="partner")  # their role's own profile
    approval = approve_export(ws, reviewer=rev, username="qzdocumenter", profile="court", hours=2,
                              reason="for the mechanism", machine="test-box", now=datetime.now(UTC))
    _package(ws, tmp_path / "court", planted, user=doc)
    entries = [e for e in custody.iter_entries(ws.db) if e.event == "exported" and e.details["profile"] == "court"]
    assert entries and all(e.details["approval"] == approval.entry_id for e in entries)


def test_only_court_packages_are_imported(ws: Workspace, planted: dict[str, int], tmp_path: Path) -> None:
    bag = tmp_path / "public"
    _package(ws, bag, planted, profile="public")
    with pytest.raises(ServiceError, match="made for the public profile"):
        import_package(ws, path=bag, actor="cli:tester", machine="test-box", public_key=public_signing_key(ws).pem)


def test_cli_package_profile_and_verify(ws: Workspace, planted: dict[str, int], tmp_path: Path) -> None:
    env = {"TAWTHIQ_DATABASE_URL": ws.settings.database_url, "TAWTHIQ_DATA_DIR": str(ws.settings.data_dir)}
    bag = tmp_path / "bag"
    done = CliRunner().invoke(cli, ["package", "-o", str(bag), "--incident", str(planted["public"]),
                                    "--profile", "partner"], env=env)
    assert done.exit_code == 0, done.output
    assert "(partner profile)" in done.output
    key = tmp_path / "key.pem"
    key.write_bytes(public_signing_key(ws).pem)
    checked = CliRunner().invoke(cli, ["verify-package", str(bag), "--key", str(key)])
    assert checked.exit_code == 0 and ": OK; made for the partner profile, " in checked.output, checked.output
    refused = CliRunner().invoke(cli, ["package", "-o", str(tmp_path / "b2"), "--incident", str(planted["public"]),
                                       "--profile", "public", "--include-persons"], env=env)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert refused.output.strip().count("\n") == 0 and "do not go together" in refused.output


def _key(ws: Workspace) -> object:
    from tawthiq.export.bag_signature import load_public_key

    return load_public_key(public_signing_key(ws).pem)


def _file_sources(ws: Workspace, path: Path) -> list[int]:
    """``path`` ingested as a file (its original kept, as ``tawthiq ingest`` does): its sources, in order."""
    from tawthiq.services.ingest import ingest_files

    (result,) = ingest_files(ws, [path], actor="cli:alice")
    return sorted(result.source_ids)


def _partner_bag(ws: Workspace, bag: Path, incident_ids: list[int]) -> dict[str, object]:
    """A partner package of ``incident_ids`` written to ``bag``; the one source its sources.json lists."""
    make_package(ws, out=bag, actor="cli:tester", machine="test-box", profile="partner", incident_ids=incident_ids)
    (source,) = _json(bag, "sources.json")["sources"]  # type: ignore[index]
    return source


def test_a_profile_that_gives_nothing_writes_nothing(ws: Workspace, planted: dict[str, int], tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="the public profile gives none of the incidents selected"):
        make_package(ws, out=tmp_path / "none", actor="cli:tester", machine="test-box", profile="public",
                     incident_ids=[planted["restricted"], planted["unreviewed"]])
    assert not (tmp_path / "none").exists() and not list(tmp_path.glob(".none.tmp-*"))


ROWS = ("id,headline,body\n"
        "a1,Idlib strike,\"Idlib, 5 May 2019: an air strike on a market killed three civilians.\"\n"
        "a2,Hama shelling,\"Hama, 9 June 2019: shelling killed a child in Kafr Zita, residents said. Qzotherrow.\"\n")


def test_a_batch_file_with_a_row_not_shareable_stays_home(ws: Workspace, planted: dict[str, int],
                                                           tmp_path: Path) -> None:
    """A shared row travels with its text only: the file holds the other row, which is not shareable."""
    rev = accounts.get_user(ws, actor=None, username="qzreviewer")
    rows = tmp_path / "rows.csv"
    rows.write_text(ROWS, encoding="utf-8")
    first, second = _file_sources(ws, rows)
    shared = _reviewed(ws, rev, first, level="public", description="Strike on a market in Idlib.")
    restricted = _reviewed(ws, rev, second, level="restricted", description="Shelling in Kafr Zita.")
    bag = tmp_path / "bag"
    source = _partner_bag(ws, bag, [shared, restricted])
    assert _leaks(bag, {"Qzotherrow": "the text of the row that is not shareable"}) == []
    assert source["id"] == first and "three civilians" in source["text"] and source["original"] is None
    assert list((bag / "data" / "originals").iterdir()) == []
    report = verify_bag(bag, public_key=_key(ws))
    assert report.ok, report.problems
    assert report.texts_checked == 0 and report.texts_unchecked == 1
    assert f"source {first}: text not checked (its original is not included by the partner profile)" in report.notes
    assert f"source {second}: not included by the partner profile" in report.notes


EMAIL = ("From: Qzmailsender <qzmailsender@example.org>\r\nTo: desk@example.org\r\nSubject: Report\r\n"
         "Date: Tue, 07 May 2019 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
         "Jisr al-Shughur, 7 May 2019: an air strike on a school killed six civilians, residents said.\r\n")


def test_an_email_travels_as_its_text_without_its_headers(ws: Workspace, planted: dict[str, int],
                                                          tmp_path: Path) -> None:
    """Its file names the sender (From:): a partner gets the body the source keeps, not the message."""
    rev = accounts.get_user(ws, actor=None, username="qzreviewer")
    mail = tmp_path / "report.eml"
    mail.write_bytes(EMAIL.encode("utf-8"))
    (source_id,) = _file_sources(ws, mail)
    incident = _reviewed(ws, rev, source_id, level="public", description="Strike on a school.")
    assert get_source(ws.db, source_id).author  # type: ignore[union-attr]  # the reader found the sender
    bag = tmp_path / "bag"
    source = _partner_bag(ws, bag, [incident])
    assert _leaks(bag, {"Qzmailsender": "an e-mail's sender"}) == []
    assert "six civilians" in source["text"] and source["original"] is None
    report = verify_bag(bag, public_key=_key(ws))
    assert report.ok and report.texts_unchecked == 1, report.problems
