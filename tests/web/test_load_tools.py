"""The load-benchmark tools keep working as the store and the app change.

``benchmarks/`` is not a package; its scripts are imported by path.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from sqlalchemy import func, select

from tawthiq.domain import vocab
from tawthiq.services import Workspace, search
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.store.tables import audit_log, incidents, sources
from tawthiq.web.cookies import SECURE_SESSION_COOKIE as SESSION  # https and 127.0.0.1: __Host-

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _open(db_path: Path) -> Workspace:
    # The generator's data folder (beside the file, as the CLI has it): it holds the identity vault's key.
    data_dir = db_path.parent / f"{db_path.stem}-data"
    return Workspace.open(Settings(database_url=f"sqlite:///{db_path}", data_dir=data_dir,
                                   max_file_size=DEFAULT_MAX_FILE_SIZE))


def test_generated_database_is_varied_searchable_and_reproducible(tmp_path: Path) -> None:
    gen = _script("gen_incidents")
    assert gen.main(["--count", "300", "--db", str(tmp_path / "a.db"), "--batch", "120"]) == 0
    ws = _open(tmp_path / "a.db")
    with ws.db.session() as session:
        rows = session.execute(select(incidents)).mappings().all()
        n_sources = session.scalar(select(func.count()).select_from(sources))
        n_audit = session.scalar(select(func.count()).select_from(audit_log))
    assert len(rows) == 300 and 100 <= n_sources < 300 and n_audit == 300
    assert set(r["event_type"] for r in rows) <= set(vocab.event_types()) and len({r["event_type"] for r in rows}) >= 8
    assert set(Counter(r["date_precision"] for r in rows)) >= {"day", "month", "year", "approximate"}
    assert set(Counter(r["confidentiality"] for r in rows)) == {"public", "restricted", "confidential"}
    assert len({r["loc_admin1"] for r in rows if r["loc_admin1"]}) >= 8
    assert any(r["loc_precision"] == "town" for r in rows) and any(r["loc_precision"] == "governorate" for r in rows)
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in r["description"]) for r in rows)
    assert any(r["description"].isascii() for r in rows)
    # Full-text search finds generated words in both scripts, through the service the app uses.
    assert search(ws, "market") and search(ws, "مدرسة")
    first = [(r["event_type"], r["description"], r["date_edtf"]) for r in rows]
    ws.db.dispose()

    assert gen.main(["--count", "300", "--db", str(tmp_path / "b.db")]) == 0
    again = _open(tmp_path / "b.db")
    with again.db.session() as session:
        second = [tuple(r) for r in session.execute(
            select(incidents.c.event_type, incidents.c.description, incidents.c.date_edtf).order_by(incidents.c.id))]
    again.db.dispose()
    assert first == second  # same seed, same records, whatever the batch size


def test_generator_refuses_an_existing_file(tmp_path: Path) -> None:
    existing = tmp_path / "real.db"
    existing.write_bytes(b"")
    with pytest.raises(SystemExit):
        _script("gen_incidents").main(["--count", "1", "--db", str(existing)])


def test_benchmark_signs_in_through_the_real_form(live_server: str, make_user: object) -> None:
    make_user("bench-test", password="a long enough secret")  # type: ignore[operator]
    cookie = _script("web_load").sign_in(live_server, username="bench-test", password="a long enough secret")
    assert cookie.startswith(f"{SESSION}=")
    home = httpx.get(f"{live_server}/", headers={"Cookie": cookie}, follow_redirects=False)
    assert home.status_code == 200
    anonymous = httpx.get(f"{live_server}/", follow_redirects=False)
    assert anonymous.status_code in (302, 303, 307)


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is missing: sudo apt-get install wrk")
def test_wrk_script_reports_percentiles_and_status_errors(live_server: str, tmp_path: Path) -> None:
    paths = tmp_path / "paths.txt"
    paths.write_text("# two good, one missing\n/health\n/login\n/no-such-page\n", encoding="utf-8")
    # Warm the app first: the first answer of each page compiles its templates and loads the
    # translations, which on a busy CI machine took most of a one-second run (one request counted).
    for path in ("/health", "/login", "/no-such-page"):
        httpx.get(f"{live_server}{path}", timeout=30)
    done = subprocess.run(["wrk", "-t1", "-c2", "-d3s", "--latency", "-s", str(BENCHMARKS / "p95.lua"),
                           live_server, "--", str(paths)], capture_output=True, text=True, timeout=30, check=True)
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("P95LUA "))
    figures = json.loads(line.removeprefix("P95LUA "))
    assert figures["requests"] > 3
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    # Round-robin: about a third of the requests hit the missing page.
    assert 0.2 < figures["errors"]["status"] / figures["requests"] < 0.45
