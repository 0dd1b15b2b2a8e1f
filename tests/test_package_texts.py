"""verify-package re-derives each source's text from its original, and checks the record-seal head it carries.

A forger who rewrites a package and recomputes its manifests is stopped by
the signature; with ``--no-signature-check`` (or no key at hand) the texts
are still read again out of the originals, so a forged source text is
named, while what cannot be re-derived (media) is said, never passed as OK.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import bagit
import pytest
from _media import jpeg, photo
from click.testing import CliRunner, Result

from tawthiq.cli import cli
from tawthiq.export.bag_signature import SIGNATURE_FILE
from tawthiq.export.bag_texts import check_source_texts
from tawthiq.ingest.readers import ColumnMapping
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store.queries import list_incidents
from tawthiq.store.seals import iter_seals
from tawthiq.store.sources import list_sources

REPORT = "Aleppo, 12 March 2016: shelling by government forces killed two civilians in al-Shaar, residents said.\n"
PAGE = """<html><head><title>Raqqa</title></head><body><article>
<p>Raqqa, 3 March 2015: an air strike on the al-Mashlab district killed four civilians, residents said.</p>
</article></body></html>"""
ROWS = ("id,headline,body\n"
        "a1,Idlib strike,\"Idlib, 5 May 2019: an air strike on a market killed three civilians.\"\n"
        "a2,Hama shelling,\"Hama, 9 June 2019: shelling killed a child in Kafr Zita, residents said.\"\n")


def _env(ws: Workspace) -> dict[str, str]:
    return {"TAWTHIQ_DATABASE_URL": ws.settings.database_url, "TAWTHIQ_DATA_DIR": str(ws.settings.data_dir)}


def _cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env or {})


def _ingest(ws: Workspace, folder: Path) -> None:
    folder.mkdir()
    (folder / "r1.txt").write_text(REPORT, encoding="utf-8")
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    (folder / "rows.csv").write_text(ROWS, encoding="utf-8")
    (folder / "photo.jpg").write_bytes(jpeg(photo(3)))
    results = ingest_files(ws, sorted(folder.iterdir()), actor="cli:alice")
    assert all(r.status == "new" for r in results), [r.error for r in results]


@pytest.fixture
def made(ws: Workspace, tmp_path: Path) -> tuple[Path, Path, str]:
    """A signed package of every source (text, web page, two CSV rows, a photo), its public key, the seal head."""
    _ingest(ws, tmp_path / "in")
    ids = [str(s.id) for s in list_sources(ws.db)]
    assert len(ids) == 5
    done = _cli("package", "-o", str(tmp_path / "bag"), *[a for i in ids for a in ("--source", i)], env=_env(ws))
    assert done.exit_code == 0, done.output
    (head,) = re.findall(r"record-seal head \(publish it; .*\): (\d+:[0-9a-f]{64})$", done.output, flags=re.M)
    with ws.db.session() as session:
        last = list(iter_seals(session))[-1]
    assert head == f"{last.id}:{last.entry_hash}"  # the chain's head when packaged
    key = tmp_path / "public.pem"
    assert _cli("key", "public", "-o", str(key), env=_env(ws)).exit_code == 0
    return tmp_path / "bag", key, head


def _sources(bag: Path) -> tuple[Path, dict]:
    path = bag / "data/metadata/sources.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, value: object) -> None:
    os.chmod(path, 0o644)
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def _reseal_unsigned(bag: Path) -> None:
    """The careful forger: every manifest recomputed, and the signature (which no longer matches) dropped."""
    (bag / SIGNATURE_FILE).unlink(missing_ok=True)
    bagit.Bag(str(bag)).save(manifests=True)


def _lines(done: Result) -> list[str]:
    return [line for line in done.output.splitlines()[:-1] if not line.startswith("note:")]


def test_every_text_is_re_derived_and_media_is_said_not_checked(made: tuple[Path, Path, str]) -> None:
    bag, key, _ = made
    done = _cli("verify-package", str(bag), "--key", str(key))
    assert done.exit_code == 0, done.output
    last = done.output.splitlines()[-1]
    assert ": OK;" in last and "4 source text(s) re-derived (1 not checked)" in last
    _, meta = _sources(bag)
    photo_id = next(s["id"] for s in meta["sources"] if s["kind"] == "image")
    assert (f"note: source {photo_id}: text not checked (its original is an image, video or audio file: there is "
            "no text to re-derive offline)") in done.output.splitlines()


def test_seals_head_given_by_the_reader_must_match(made: tuple[Path, Path, str]) -> None:
    bag, key, head = made
    assert _cli("verify-package", str(bag), "--key", str(key), "--seals-head", head).exit_code == 0
    assert _cli("verify-package", str(bag), "--key", str(key), "--seals-head", head.split(":")[1]).exit_code == 0
    seal_id, seal_hash = head.split(":")
    other = f"{seal_id}:{'0' * 64}"
    wrong = _cli("verify-package", str(bag), "--key", str(key), "--seals-head", other)
    assert wrong.exit_code == 1
    assert _lines(wrong) == [f"record-seal head in the package ({head}) is not the one given with --seals-head "
                             f"({other}): the package did not come from that record"]
    later = _cli("verify-package", str(bag), "--key", str(key), "--seals-head", f"{int(seal_id) + 1}:{seal_hash}")
    assert later.exit_code == 1 and "is not the one given with --seals-head" in later.output
    env = {"TAWTHIQ_DATABASE_URL": f"sqlite:///{bag.parent / 'other.db'}", "TAWTHIQ_DATA_DIR": str(bag.parent / "o")}
    assert _cli("init", env=env).exit_code == 0
    refused = _cli("import-package", str(bag), "--key", str(key), "--seals-head", other, env=env)
    assert refused.exit_code == 1 and "nothing imported" in refused.output and "--seals-head" in refused.output
    taken = _cli("import-package", str(bag), "--key", str(key), "--seals-head", head, env=env)
    assert taken.exit_code == 0, taken.output
    bad = _cli("verify-package", str(bag), "--key", str(key), "--seals-head", "yesterday's")
    assert bad.exit_code != 0 and "Traceback" not in bad.output
    assert bad.output.strip().splitlines()[-1].startswith("error: --seals-head: expected ID:HASH")


def test_seals_head_in_bag_info_must_agree_with_package_json(made: tuple[Path, Path, str]) -> None:
    bag, _, head = made
    path = bag / "data/metadata/package.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["seals_head"]["hash"] = "f" * 64  # a forger matching a head they published, bag-info left alone
    _write(path, package)
    _reseal_unsigned(bag)
    done = _cli("verify-package", str(bag), "--no-signature-check", "--seals-head", f"{head.split(':')[0]}:{'f' * 64}")
    assert _lines(done) == ["bag-info.txt Tawthiq-Seals-Head does not match data/metadata/package.json seals_head"]


def test_resealed_unsigned_package_with_a_changed_count_is_refused(made: tuple[Path, Path, str]) -> None:
    bag, key, _ = made
    path = bag / "data/metadata/incidents.json"
    incidents = json.loads(path.read_text(encoding="utf-8"))
    group = next(i for i in incidents if i["victims"])["victims"][0]
    group["count_min"] = group["count_max"] = 20
    _write(path, incidents)
    _reseal_unsigned(bag)
    plain = _cli("verify-package", str(bag))
    assert plain.exit_code == 1
    assert _lines(plain) == [f"{SIGNATURE_FILE}: missing; an unsigned package is refused (--no-signature-check to "
                             "check the rest only)"]
    keyed = _cli("verify-package", str(bag), "--key", str(key))
    assert keyed.exit_code == 1 and f"{SIGNATURE_FILE}: missing, but --key was given" in keyed.output
    # A count is not in any original: only the signature could have caught it, and it was waived.
    assert _cli("verify-package", str(bag), "--no-signature-check").exit_code == 0


def test_forged_source_text_is_caught_without_the_signature(ws: Workspace, made: tuple[Path, Path, str],
                                                             tmp_path: Path) -> None:
    bag, key, _ = made
    path, meta = _sources(bag)
    source = next(s for s in meta["sources"] if s["kind"] == "text")
    source["text"] = source["text"].replace("two civilians", "twenty civilians")
    _write(path, meta)
    _reseal_unsigned(bag)
    for flags in (["--no-signature-check"], ["--key", str(key)]):
        done = _cli("verify-package", str(bag), *flags)
        assert done.exit_code == 1
        assert (f"source {source['id']}: text in package differs from what its original yields (text reader; first "
                f"difference at character {REPORT.index('two') + 2})") in _lines(done)
    # Zipped, and on import, the same.
    zipped = shutil.make_archive(str(tmp_path / "forged"), "zip", bag)
    done = _cli("verify-package", zipped, "--no-signature-check")
    assert done.exit_code == 1 and f"source {source['id']}: text in package differs" in done.output
    other = tmp_path / "other"
    env = {"TAWTHIQ_DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}", "TAWTHIQ_DATA_DIR": str(other)}
    assert _cli("init", env=env).exit_code == 0
    refused = _cli("import-package", str(bag), "--no-signature-check", env=env)
    assert refused.exit_code == 1 and "nothing imported" in refused.output
    assert f"source {source['id']}: text in package differs" in refused.output


def test_a_renamed_original_does_not_choose_its_reader(made: tuple[Path, Path, str]) -> None:
    """The web page renamed .txt is read as text (which it claims to be) and its stripped text no longer matches;
    text forged for the photo is caught although it claims a text file: the photo's bytes choose its reader."""
    bag, _, _ = made
    path, meta = _sources(bag)
    page = next(s for s in meta["sources"] if s["kind"] == "html")
    page["original_name"] = "page.txt"
    picture = next(s for s in meta["sources"] if s["kind"] == "image")
    picture.update(original_name="statement.txt", text="A forged statement.", kind="text")
    _write(path, meta)
    _reseal_unsigned(bag)
    lines = _lines(_cli("verify-package", str(bag), "--no-signature-check"))
    assert any(line.startswith(f"source {page['id']}: text in package differs from what its original yields (text "
                               "reader") for line in lines), lines
    assert (f"source {picture['id']}: text in package differs from what its original yields (its bytes are an "
            "image, video or audio file, which yields no text)") in lines


def test_batch_rows_read_with_a_mapping_still_check(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "rows.csv").write_text(ROWS, encoding="utf-8")
    (result,) = ingest_files(ws, [folder / "rows.csv"], actor="cli:alice", mapping=ColumnMapping(text="headline"))
    assert result.status == "new", result.error
    args = [a for i in result.source_ids for a in ("--source", str(i))]
    assert _cli("package", "-o", str(tmp_path / "bag"), *args, env=_env(ws)).exit_code == 0
    done = _cli("verify-package", str(tmp_path / "bag"), "--no-signature-check")
    assert done.exit_code == 0 and "2 source text(s) re-derived" in done.output, done.output
    path, meta = _sources(tmp_path / "bag")
    meta["sources"][0]["text"] = "Homs strike"  # a cell of no column of that row
    _write(path, meta)
    _reseal_unsigned(tmp_path / "bag")
    done = _cli("verify-package", str(tmp_path / "bag"), "--no-signature-check")
    assert _lines(done) == [f"source {meta['sources'][0]['id']}: text in package differs from what its original "
                            "yields (csv reader; first difference at character 0)"]


def test_an_original_too_large_to_read_is_not_checked(made: tuple[Path, Path, str]) -> None:
    bag, _, _ = made
    _, meta = _sources(bag)
    problems: list[str] = []
    notes: list[str] = []
    result = check_source_texts(bag, meta["sources"], packaged_by="", problems=problems, notes=notes, max_bytes=16)
    assert problems == [] and result.checked == 0 and result.unchecked == 5
    assert sum("more than this check reads" in n for n in notes) == 4


def test_incidents_of_the_package_are_those_of_the_record(ws: Workspace, made: tuple[Path, Path, str]) -> None:
    """The bag the tests above forge is the real thing: its counts are the record's (so a 20 is a forgery)."""
    bag, _, _ = made
    packaged = json.loads((bag / "data/metadata/incidents.json").read_text(encoding="utf-8"))
    assert sorted(i["id"] for i in packaged) == sorted(i.id for i in list_incidents(ws.db))  # type: ignore[misc]


def test_a_mapped_rows_text_swapped_for_another_cell_of_it_is_caught(ws: Workspace, tmp_path: Path) -> None:
    """Ingest keeps the row's column mapping, so the row is read again the same way: another cell of the same
    row (its title) is not its text; a package made before the mapping was kept is still checked by cells."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "rows.csv").write_text(ROWS, encoding="utf-8")
    (result,) = ingest_files(ws, [folder / "rows.csv"], actor="cli:alice", mapping=ColumnMapping(text="headline"))
    args = [a for i in result.source_ids for a in ("--source", str(i))]
    assert _cli("package", "-o", str(tmp_path / "bag"), *args, env=_env(ws)).exit_code == 0
    path, meta = _sources(tmp_path / "bag")
    first = meta["sources"][0]
    assert first["metadata"]["mapping"]["text"] == "headline"
    other_cells = [v for v in first["metadata"]["columns"].values() if isinstance(v, str) and v.strip()]
    assert other_cells, first["metadata"]
    first["text"] = other_cells[0]
    _write(path, meta)
    _reseal_unsigned(tmp_path / "bag")
    done = _cli("verify-package", str(tmp_path / "bag"), "--no-signature-check")
    mine = [line for line in _lines(done) if line.startswith(f"source {first['id']}:")]
    assert len(mine) == 1 and mine[0].startswith(
        f"source {first['id']}: text in package differs from what its original yields (csv reader; first difference "
        "at character "), done.output
    # A hostile mapping (a field that is not a report field) is refused, not obeyed.
    first["metadata"]["mapping"] = {"text": "headline", "password": "x"}
    _write(path, meta)
    _reseal_unsigned(tmp_path / "bag")
    done = _cli("verify-package", str(tmp_path / "bag"), "--no-signature-check")
    assert done.exit_code == 1 and "not a report field" in done.output, done.output
