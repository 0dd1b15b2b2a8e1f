"""The declared stage list: a stage added to it runs where it is put, and its failures are one line each."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from test_ingest_pipeline import ENGLISH, PAGE, count, run, sources

from tawthiq.ingest.stages import DEFAULT_STAGES, IngestContext, Stage
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store import repository, tables
from tawthiq.store.db import Database
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.vault.blobs import BlobStore


@dataclass
class Seen:
    """Appended after derive: notes each source it is run for, as committed and as derive left it."""

    db: Database
    name: str = "seen"
    per_document: bool = True
    in_transaction: bool = False
    sources: list[int] = field(default_factory=list)
    copies: dict[int, int] = field(default_factory=dict)  # source id -> working copies already stored

    def run(self, ctx: IngestContext) -> None:
        source_id = ctx.document.source_id
        assert source_id is not None
        stored = repository.get_source(self.db, source_id)  # read apart from the pipeline: committed
        assert stored is not None and stored.original_name == ctx.path.name
        self.sources.append(source_id)
        self.copies[source_id] = len(derivatives_of(self.db, stored.sha256))


@dataclass
class Fails:
    """Raises for the documents of one file, wherever in the list it is put."""

    file: str
    name: str = "link"
    per_document: bool = True
    in_transaction: bool = False

    def run(self, ctx: IngestContext) -> None:
        if ctx.path.name == self.file:
            raise ValueError("linkage index\nis missing")


def _inputs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "b-page.html").write_bytes(PAGE)
    (folder / "c-batch.csv").write_text(f'id,text\n1,"{ENGLISH}"\n2,Shelling killed two in Idlib.\n',
                                        encoding="utf-8")
    (folder / "d-copy.txt").write_text(ENGLISH, encoding="utf-8")  # the same bytes as a.txt
    (folder / "e-empty.txt").write_bytes(b"")
    return [folder]


def _stored_ids(db: Database) -> list[int]:
    return [row.id for row in sources(db)]


def test_a_stage_appended_after_derive_sees_every_stored_source_once_in_order(db: Database, tmp_path: Path) -> None:
    seen = Seen(db)
    stages: list[Stage] = [*DEFAULT_STAGES, seen]
    results = run(db, BlobStore(tmp_path / "o"), _inputs(tmp_path / "in"), stages=stages)
    assert [results[n].status for n in ("a.txt", "b-page.html", "c-batch.csv", "d-copy.txt", "e-empty.txt")] == [
        "new", "new", "new", "duplicate", "failed"]
    assert len(_stored_ids(db)) == 4
    assert seen.sources == _stored_ids(db)  # each stored source once, in the order it was stored
    page = results["b-page.html"].source_ids[0]
    assert seen.copies[page] >= 1  # derive ran before it: the page's extracted text was already kept
    again = run(db, BlobStore(tmp_path / "o"), [tmp_path / "in"], stages=stages)
    assert {r.status for n, r in again.items() if n != "e-empty.txt"} == {"duplicate"}
    assert seen.sources == _stored_ids(db)  # nothing stored twice, nothing seen twice


def test_adding_one_entry_to_the_default_list_attaches_a_stage_to_every_ingest(ws: Workspace,
                                                                               tmp_path: Path) -> None:
    seen = Seen(ws.db)
    DEFAULT_STAGES.append(seen)
    try:
        results = ingest_files(ws, _inputs(tmp_path / "in"))
    finally:
        DEFAULT_STAGES.remove(seen)
    assert [r.status for r in results] == ["new", "new", "new", "duplicate", "failed"]
    assert seen.sources == [i for r in results if r.status == "new" for i in r.source_ids]
    assert seen.sources == _stored_ids(ws.db)


def test_a_stage_failing_after_the_commit_is_one_line_the_source_stays_and_the_batch_goes_on(
        db: Database, tmp_path: Path) -> None:
    seen = Seen(db)
    results = run(db, BlobStore(tmp_path / "o"), _inputs(tmp_path / "in"),
                  stages=[*DEFAULT_STAGES, Fails("c-batch.csv"), seen])
    batch = results["c-batch.csv"]
    assert batch.status == "partial" and len(batch.source_ids) == 2
    assert batch.error == ("skipped 2 of 2: id:1: link: ValueError: linkage index is missing; "
                           "id:2: link: ValueError: linkage index is missing")
    assert results["a.txt"].status == results["b-page.html"].status == "new"
    assert seen.sources == _stored_ids(db)  # the stage after the failing one still ran, for every source


def test_a_stage_failing_before_the_commit_leaves_that_file_unstored_and_the_batch_goes_on(
        db: Database, tmp_path: Path) -> None:
    extract = next(i for i, stage in enumerate(DEFAULT_STAGES) if stage.name == "extract")
    stages = [*DEFAULT_STAGES[:extract + 1], Fails("a.txt"), *DEFAULT_STAGES[extract + 1:]]
    results = run(db, BlobStore(tmp_path / "o"), _inputs(tmp_path / "in"), stages=stages)
    failed = results["a.txt"]
    assert failed.status == "failed"
    assert failed.error == "skipped 1 of 1: link failed (ValueError: linkage index is missing)"
    assert results["b-page.html"].status == results["c-batch.csv"].status == "new"
    # The same bytes under another name are stored: a.txt's original was kept, no source points at it yet.
    assert results["d-copy.txt"].status == "new"
    assert [row.original_name for row in sources(db)] == ["b-page.html", "c-batch.csv", "c-batch.csv", "d-copy.txt"]


def test_a_stage_failing_inside_the_transaction_rolls_the_document_back(db: Database, tmp_path: Path) -> None:
    @dataclass
    class RefusesInTransaction(Fails):
        in_transaction: bool = True

    custody = next(i for i, stage in enumerate(DEFAULT_STAGES) if stage.name == "custody")
    stages = [*DEFAULT_STAGES[:custody + 1], RefusesInTransaction("a.txt"), *DEFAULT_STAGES[custody + 1:]]
    _inputs(tmp_path / "in")
    results = run(db, BlobStore(tmp_path / "o"), [tmp_path / "in" / "a.txt", tmp_path / "in" / "b-page.html"],
                  stages=stages)
    failed = results["a.txt"]
    assert failed.status == "failed"
    assert failed.error == "skipped 1 of 1: could not be stored (ValueError: linkage index is missing)"
    assert results["b-page.html"].status == "new"
    # Neither the source, its incidents nor its custody entries were kept: all or nothing.
    assert [row.original_name for row in sources(db)] == ["b-page.html"]
    with db.session() as session:
        sources_in_ledger = session.scalar(select(func.count(func.distinct(tables.custody_log.c.source_id))))
    assert sources_in_ledger == 1
    assert count(db, tables.incidents) == len(repository.incidents_for_source(db, results["b-page.html"].source_ids[0]))


def test_a_per_file_stage_that_fails_fails_its_file_only(db: Database, tmp_path: Path) -> None:
    @dataclass
    class RefusesHtml:
        name: str = "policy"
        per_document: bool = False
        in_transaction: bool = False

        def run(self, ctx: IngestContext) -> None:
            if ctx.path.suffix == ".html":
                raise ValueError("no pages today")

    stages = [DEFAULT_STAGES[0], RefusesHtml(), *DEFAULT_STAGES[1:]]
    blobs = BlobStore(tmp_path / "o")
    results = run(db, blobs, _inputs(tmp_path / "in"), stages=stages)
    assert results["b-page.html"].status == "failed"
    assert results["b-page.html"].error == "internal error reading b-page.html: ValueError: no pages today"
    assert results["a.txt"].status == results["c-batch.csv"].status == "new"
    assert all(row.original_name != "b-page.html" for row in sources(db))
    assert not blobs.exists(results["b-page.html"].sha256 or "0" * 64)  # refused before its original was kept
