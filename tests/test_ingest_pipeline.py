"""The ingest pipeline against a real database (SQLite and PostgreSQL via the ``db`` fixture)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from test_ingest_readers import ARABIC, ENGLISH, PAGE, minimal_pdf

from tawthiq.domain import Claim, ClaimField, Incident, Span
from tawthiq.domain.enums import SourceKind
from tawthiq.ingest.pipeline import IngestResult, ingest_bytes, ingest_paths, iter_input_files
from tawthiq.ingest.readers import ColumnMapping
from tawthiq.store import tables
from tawthiq.store.vault.blobs import BlobStore

LIMIT = 64 * 1024


class KilledExtractor:
    """Test stand-in for the rule extractor: one incident per sentence saying someone was killed."""

    name = "test-killed"

    def __init__(self) -> None:
        self.calls: list[tuple[str | None, date | None]] = []

    def extract(self, text: str, *, language: str | None = None, published: date | None = None) -> list[Incident]:
        self.calls.append((language, published))
        found = []
        for match in re.finditer(r"[^.\n]*(killing|killed|مقتل|قتل)[^.\n]*", text):
            span = Span.of(text, match.start(), match.end())
            found.append(
                Incident(
                    event_type="attack",
                    evidence=[span],
                    claims=[Claim(field=ClaimField.EVENT_TYPE, value="attack", span=span, method="test:killed")],
                )
            )
        return found


class BrokenExtractor:
    name = "broken"

    def extract(self, text: str, *, language: str | None = None, published: date | None = None) -> list[Incident]:
        raise ValueError("rule table\nis corrupt")


def count(db, table) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)))


def sources(db) -> list:
    with db.session() as session:
        return list(session.execute(select(tables.sources).order_by(tables.sources.c.id)))


def write_good_files(folder: Path) -> dict[str, int]:
    """Good inputs of every format; values are how many sources each should give."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a-english.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "b-arabic-1256.txt").write_bytes(ARABIC.encode("cp1256"))
    (folder / "c-page.html").write_bytes(PAGE)
    (folder / "d-report.pdf").write_bytes(minimal_pdf(["Shelling of Douma killed 6 civilians."]))
    (folder / "e-batch.csv").write_text(
        f'id,text,date\n1,"{ENGLISH}",2016-02-14\n2,{ARABIC},16/02/2016\n', encoding="utf-8"
    )
    (folder / "f-batch.jsonl").write_text(
        json.dumps({"text": ENGLISH}) + "\n" + json.dumps({"text": "Quiet day in Idlib"}) + "\n"
    )
    (folder / "sub").mkdir(exist_ok=True)
    (folder / "sub" / "g-note.md").write_text(f"# Note\n\n{ENGLISH}\n", encoding="utf-8")
    return {
        "a-english.txt": 1,
        "b-arabic-1256.txt": 1,
        "c-page.html": 1,
        "d-report.pdf": 1,
        "e-batch.csv": 2,
        "f-batch.jsonl": 2,
        "g-note.md": 1,
    }


def write_bad_files(folder: Path) -> dict[str, str]:
    """Every kind of bad input; values are words the one-line error must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bad-binary.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "bad-mixed.txt").write_bytes(ARABIC.encode("utf-8") + b"\n" + ARABIC.encode("cp1256"))
    (folder / "bad-empty.txt").write_bytes(b"")
    (folder / "bad-huge.txt").write_bytes(b"x" * (LIMIT + 1))
    (folder / "bad-page.html").write_bytes(b"<html><<<\x00\x00\x00>>><script>x()</script>")
    (folder / "bad-truncated.pdf").write_bytes(minimal_pdf(["Shelling of Douma"])[:200])
    (folder / "bad-quote.csv").write_bytes(b'text,title\n"never closed, at all\n')
    (folder / "bad.json").write_bytes(b'{"reports": [{"text": "x"}')
    return {
        "bad-binary.txt": "binary",
        "bad-mixed.txt": "mixed",
        "bad-empty.txt": "empty",
        "bad-huge.txt": "size limit",
        "bad-page.html": "binary",
        "bad-truncated.pdf": "PDF",
        "bad-quote.csv": "malformed CSV",
        "bad.json": "malformed JSON",
    }


def run(db, blobs: BlobStore, paths: list[Path], extractor=None, **kwargs) -> dict[str, IngestResult]:
    seen: list[IngestResult] = []
    results = ingest_paths(
        paths,
        db=db,
        blobs=blobs,
        extractor=extractor or KilledExtractor(),
        max_file_size=LIMIT,
        on_result=seen.append,
        **kwargs,
    )
    assert seen == results  # the progress hook sees every file, in order
    return {r.path.name: r for r in results}


def test_a_mixed_batch_stores_the_good_files_and_reports_each_bad_one_on_one_line(db, tmp_path: Path) -> None:
    good = write_good_files(tmp_path / "in")
    bad = write_bad_files(tmp_path / "in")
    blobs = BlobStore(tmp_path / "originals")
    results = run(db, blobs, [tmp_path / "in"])

    assert set(results) == set(good) | set(bad)
    for name, expected in bad.items():
        result = results[name]
        assert result.status == "failed", (name, result)
        assert expected.lower() in result.error.lower(), (name, result.error)
        assert "\n" not in result.error and "Traceback" not in result.error
        assert result.source_ids == []
    for name, n in good.items():
        result = results[name]
        assert result.status == "new" and result.error is None, (name, result)
        assert len(result.source_ids) == n
        original = next(tmp_path.rglob(name)).read_bytes()
        assert result.sha256 == hashlib.sha256(original).hexdigest()
        assert blobs.get(result.sha256) == original  # kept byte-for-byte
    assert count(db, tables.sources) == sum(good.values())
    # Originals are kept only for files that became sources.
    assert set(blobs.iter_shas()) == {r.sha256 for r in results.values() if r.status == "new"}
    # Incidents were extracted and stored as suggestions with their claims.
    assert results["a-english.txt"].incidents == 1 and results["e-batch.csv"].incidents == 2
    assert count(db, tables.incidents) == sum(r.incidents for r in results.values())
    assert count(db, tables.claims) == count(db, tables.incidents)
    with db.session() as session:
        statuses = set(session.scalars(select(tables.incidents.c.status)))
    assert statuses == {"suggested"}


def test_sources_carry_the_metadata_read_from_each_file(db, tmp_path: Path) -> None:
    write_good_files(tmp_path / "in")
    extractor = KilledExtractor()
    results = run(db, BlobStore(tmp_path / "o"), [tmp_path / "in"], extractor=extractor)
    rows = {(r.original_name, r.record_key): r for r in sources(db)}
    arabic = rows[("b-arabic-1256.txt", "")]
    assert arabic.text == ARABIC and arabic.language == "ar" and arabic.kind == SourceKind.TEXT.value
    assert arabic.size == len(ARABIC.encode("cp1256")) and arabic.retrieved_at is not None
    page = rows[("c-page.html", "")]
    assert (
        page.title == "Barrel bombs on Aleppo"
        and page.url == "https://example.org/news/1"
        and "SCRIPT" not in page.text
    )
    csv_rows = [rows[("e-batch.csv", "id:1")], rows[("e-batch.csv", "id:2")]]
    assert {r.sha256 for r in csv_rows} == {results["e-batch.csv"].sha256}  # rows point at the one original
    assert [r.published for r in csv_rows] == [date(2016, 2, 14), date(2016, 2, 16)]
    assert ("ar", date(2016, 2, 16)) in extractor.calls  # language and date passed to extraction


def test_ingesting_again_changes_nothing(db, tmp_path: Path) -> None:
    good = write_good_files(tmp_path / "in")
    write_bad_files(tmp_path / "in")
    blobs = BlobStore(tmp_path / "originals")
    first = run(db, blobs, [tmp_path / "in"])
    before = (
        count(db, tables.sources),
        count(db, tables.incidents),
        count(db, tables.claims),
        sorted(blobs.iter_shas()),
    )

    second = run(db, blobs, [tmp_path / "in"])
    assert {n: r.status for n, r in second.items() if n in good} == {n: "duplicate" for n in good}
    assert all(second[n].source_ids == first[n].source_ids for n in good)
    assert all(r.incidents == 0 for r in second.values())
    assert (
        count(db, tables.sources),
        count(db, tables.incidents),
        count(db, tables.claims),
        sorted(blobs.iter_shas()),
    ) == before


def test_the_same_bytes_under_another_name_are_a_duplicate(db, tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "o")
    (tmp_path / "one.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "copy.txt").write_text(ENGLISH, encoding="utf-8")
    results = run(db, blobs, [tmp_path / "one.txt", tmp_path / "copy.txt"])
    assert [results["one.txt"].status, results["copy.txt"].status] == ["new", "duplicate"]
    assert count(db, tables.sources) == 1


def test_a_batch_with_bad_rows_is_partial_and_keeps_the_good_rows(db, tmp_path: Path) -> None:
    data = f"when;what;where\n03/03/2016;{ENGLISH};Aleppo\n04/03/2016;;Douma\n05/03/2016;Quiet day;Idlib\n"
    (tmp_path / "log.csv").write_text(data, encoding="utf-8")
    mapping = ColumnMapping(text="what", published="when")
    results = run(db, BlobStore(tmp_path / "o"), [tmp_path / "log.csv"], mapping=mapping)
    result = results["log.csv"]
    assert result.status == "partial" and len(result.source_ids) == 2
    assert "line 3: empty report text" in result.error and "\n" not in result.error
    assert [(r.record_key, r.published) for r in sources(db)] == [
        ("row:1", date(2016, 3, 3)),
        ("row:3", date(2016, 3, 5)),
    ]


def test_an_extractor_failure_is_one_line_and_the_batch_goes_on(db, tmp_path: Path) -> None:
    write_good_files(tmp_path / "in")
    results = run(db, BlobStore(tmp_path / "o"), [tmp_path / "in"], extractor=BrokenExtractor())
    assert {r.status for r in results.values()} == {"failed"}
    assert all("extraction failed (ValueError: rule table is corrupt)" in r.error for r in results.values())
    assert count(db, tables.sources) == 0  # left unstored so a fixed extractor can run on them later


def test_suggestions_past_the_cap_are_left_out_and_noted_on_the_source(db, tmp_path: Path, monkeypatch) -> None:
    from tawthiq.ingest.stages import extract
    from tawthiq.store import repository

    monkeypatch.setattr(extract, "MAX_SUGGESTIONS", 3)
    extractor = KilledExtractor()
    extractor.max_chars = 40  # type: ignore[attr-defined]
    report = tmp_path / "in" / "long.txt"
    report.parent.mkdir()
    report.write_text(" ".join(f"Shelling killed {n} people in Douma." for n in range(5)), encoding="utf-8")
    result = run(db, BlobStore(tmp_path / "o"), [report], extractor=extractor)["long.txt"]
    assert result.status == "new" and result.incidents == 3
    assert count(db, tables.incidents) == 3
    assert any("5 incidents were found; the first 3" in note and "2 were left out" in note for note in result.notes)
    assert any("read the first 40 of" in note for note in result.notes)
    stored = repository.get_source(db, result.source_ids[0])
    assert len(stored.metadata["ingest_notes"]) == 2 and "2 were left out" in stored.metadata["ingest_notes"][1]


def test_a_text_past_the_records_limit_is_cut_and_noted_and_the_original_kept_whole(db, tmp_path: Path,
                                                                                     monkeypatch) -> None:
    from tawthiq.ingest.stages import source
    from tawthiq.store import repository

    monkeypatch.setattr(source, "MAX_RECORD_TEXT", 60)
    report = tmp_path / "in" / "dump.txt"
    report.parent.mkdir()
    body = " ".join(f"Shelling killed {n} people in Douma." for n in range(10))
    report.write_text(body, encoding="utf-8")
    blobs = BlobStore(tmp_path / "o")
    result = run(db, blobs, [report], extractor=KilledExtractor())["dump.txt"]
    assert result.status == "new"
    stored = repository.get_source(db, result.source_ids[0])
    assert stored.text == body[:60]
    note = "the text runs past 60 characters: the record keeps the first 60 (the original is kept whole)"
    assert note in stored.metadata["ingest_notes"] and any(note in line for line in result.notes)
    assert blobs.path(stored.sha256).read_text(encoding="utf-8") == body


def test_file_over_the_limit_is_refused_before_it_is_read(db, tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (LIMIT + 10))
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: (opened.append(str(path)), real_open(path, *a, **k))[1])
    result = run(db, BlobStore(tmp_path / "o"), [big])["big.txt"]
    assert result.status == "failed" and "over the size limit of 64.0 KB" in result.error
    assert str(big) not in opened


def test_symbolic_links_are_refused_and_never_followed(db, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Someone was killed. Private file outside the tree.", encoding="utf-8")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "report.txt").write_text(ENGLISH, encoding="utf-8")
    (tree / "link.txt").symlink_to(outside / "secret.txt")
    (tree / "linked-dir").symlink_to(outside, target_is_directory=True)
    results = run(db, BlobStore(tmp_path / "o"), [tree])
    assert set(results) == {"report.txt", "link.txt", "linked-dir"}
    for name in ("link.txt", "linked-dir"):
        assert results[name].status == "failed" and "symbolic link" in results[name].error
    assert [r.original_name for r in sources(db)] == ["report.txt"]


def test_walk_is_recursive_sorted_and_skips_hidden_entries(tmp_path: Path) -> None:
    for rel in [
        "b.txt",
        "a/z.txt",
        "a/c.txt",
        ".hidden.txt",
        ".git/config",
        "a/.cache/x.txt",
        "c/d/e.txt",
        "README.md",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path])]
    assert found == ["a/c.txt", "a/z.txt", "b.txt", "c/d/e.txt"]
    assert list(iter_input_files([tmp_path / "README.md"])) == [tmp_path / "README.md"]  # named explicitly
    missing = tmp_path / "nope.txt"
    assert list(iter_input_files([missing, tmp_path / "b.txt", tmp_path / "b.txt"])) == [missing, tmp_path / "b.txt"]


def test_a_missing_path_and_a_pipe_fail_without_stopping_the_batch(db, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "ok.txt").write_text(ENGLISH, encoding="utf-8")
    results = run(db, BlobStore(tmp_path / "o"), [tmp_path / "missing.txt", tmp_path / "pipe.txt", tmp_path / "ok.txt"])
    assert results["missing.txt"].error == "no such file or folder"
    assert "not a regular file" in results["pipe.txt"].error
    assert results["ok.txt"].status == "new"


def test_ingest_bytes_for_uploads(db, tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "o")
    kwargs = dict(db=db, blobs=blobs, extractor=KilledExtractor(), max_file_size=LIMIT)
    result = ingest_bytes(ARABIC.encode("utf-16"), name="../../etc/upload.txt", **kwargs)
    assert result.status == "new" and result.path == Path("upload.txt") and result.incidents == 1
    assert ingest_bytes(ARABIC.encode("utf-16"), name="again.txt", **kwargs).status == "duplicate"
    refused = ingest_bytes(b"y" * (LIMIT + 1), name="big.txt", **kwargs)
    assert refused.status == "failed" and "size limit" in refused.error
    junk = ingest_bytes(os.urandom(4096), name="photo", **kwargs)
    assert junk.status == "failed" and "\n" not in junk.error


def test_an_unreachable_database_fails_each_file_on_one_line(tmp_path: Path) -> None:
    from tawthiq.store.db import connect

    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "b.csv").write_text(f"text\n{ARABIC}\n", encoding="utf-8")
    broken = connect(f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}")
    results = run(broken, BlobStore(tmp_path / "o"), [tmp_path / "a.txt", tmp_path / "b.csv"])
    assert [r.status for r in results.values()] == ["failed", "failed"]
    for result in results.values():
        assert "database error: OperationalError" in result.error and "\n" not in result.error


def test_the_database_and_originals_inside_the_ingested_folder_are_not_ingested(db, tmp_path: Path) -> None:
    # The SQLite fixture's database file lives in tmp_path too.
    (tmp_path / "report.txt").write_text(ENGLISH, encoding="utf-8")
    blobs = BlobStore(tmp_path / "tawthiq-data")
    run(db, blobs, [tmp_path])
    again = run(db, blobs, [tmp_path])
    assert list(again) == ["report.txt"] and again["report.txt"].status == "duplicate"
