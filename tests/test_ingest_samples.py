"""The bundled samples through the real pipeline and the real rule extractor."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import func, select

from tawthiq.extract.contract import default_extractor
from tawthiq.ingest.pipeline import ingest_paths
from tawthiq.store import tables
from tawthiq.store.vault.blobs import BlobStore

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # beside the clone, where present


def test_samples_become_sources_and_suggested_incidents_once(db, tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "originals")
    kwargs = dict(db=db, blobs=blobs, extractor=default_extractor(), max_file_size=10 * 1024 * 1024)
    first = {r.path.name: r for r in ingest_paths([SAMPLES], **kwargs)}
    assert "README.md" not in first
    assert {r.status for r in first.values()} == {"new"}, {n: r.error for n, r in first.items() if r.error}
    assert len(first["05-field-log.csv"].source_ids) == 3 and len(first["06-monitoring-feed.jsonl"].source_ids) == 2
    # Every sample describes at least one act; the extractor finds it and the store keeps it as a suggestion.
    assert all(r.incidents >= 1 for r in first.values()), {n: r.incidents for n, r in first.items()}
    with db.session() as session:
        n_incidents = session.scalar(select(func.count()).select_from(tables.incidents))
        statuses = set(session.scalars(select(tables.incidents.c.status)))
        n_claims = session.scalar(select(func.count()).select_from(tables.claims))
        page = session.execute(
            select(tables.sources.c.text).where(tables.sources.c.original_name == "03-qutayfah-checkpoint-arrests.html")
        ).scalar_one()
    assert n_incidents == sum(r.incidents for r in first.values()) and statuses == {"suggested"}
    assert n_claims >= n_incidents
    assert "SHOULD-NOT-APPEAR" not in page and "Military Intelligence" in page

    second = ingest_paths([SAMPLES], **kwargs)
    assert {r.status for r in second} == {"duplicate"} and sum(r.incidents for r in second) == 0


def test_the_seed_sample_is_the_seed_byte_for_byte() -> None:
    (seed,) = SAMPLES.glob("000_*.txt")
    digest = hashlib.sha256(seed.read_bytes()).hexdigest()
    if SEED.is_dir():
        assert digest == hashlib.sha256((SEED / seed.name).read_bytes()).hexdigest()
    assert seed.read_bytes().startswith(b"exclusive") and b"Raqqa is Being Slaughtered Silently" in seed.read_bytes()
