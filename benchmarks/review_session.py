"""A scripted review session in a real browser: page loads and clicks to work through the queue.

    PYTHONPATH=src .venv/bin/python benchmarks/review_session.py --flow current
    PYTHONPATH=/path/to/older/checkout/src .venv/bin/python benchmarks/review_session.py --flow baseline

A reviewer works through ``--suggestions`` machine suggestions (default 200):
one in ten is rejected (with a reason), two in ten are corrected (one more
person killed, with a reason) and accepted, the rest accepted as they are.
The decision for each suggestion follows from its number, so both flows make
the same decisions on the same records.

Two flows, each the shortest path its version of the web app offers:

- ``baseline``: the review queue as it was before issue 12 (commit 5d6cd2f):
  open a suggestion from the queue, decide, and come back to the queue.
- ``current``: the queue as it is now: corrections and rejections one by one
  with "next" after each decision, the rest accepted in bulk, page by page.

Counted: page loads (main-frame navigations, redirects' targets included),
clicks (a pointer click or a keyboard shortcut: one user gesture each) and
fields typed in. Chromium (Debian's /usr/bin/chromium) through Playwright.
The records are synthetic (benchmarks/gen_incidents.py's generator) and the
database is a throw-away SQLite file.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_incidents import insert_incident, insert_source, load_pools, reports  # noqa: E402
from tawthiq.domain.enums import IncidentStatus  # noqa: E402
from tawthiq.services import accounts, init_workspace  # noqa: E402
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "review-session-Pa55word!"
REASON_REJECT = "Not an incident: a commemoration of an earlier strike."
REASON_CORRECT = "One of the wounded died in hospital the next day."


def decision_for(incident_id: int) -> str:
    """The same decision for the same suggestion, whatever the flow."""
    last = incident_id % 10
    return "reject" if last == 2 else "correct" if last in (0, 1) else "accept"


@dataclasses.dataclass
class Counts:
    page_loads: int = 0
    clicks: int = 0
    typed: int = 0
    decided: dict[str, int] = dataclasses.field(default_factory=lambda: {"accept": 0, "correct": 0, "reject": 0})


# ------------------------------------------------------------------ set-up


def build(directory: Path, *, suggestions: int, seed: int) -> tuple[str, str]:
    """A database holding ``suggestions`` pending suggestions and a reviewer; (database URL, username)."""
    url = f"sqlite:///{directory / 'review.db'}"
    ws = init_workspace(Settings(database_url=url, data_dir=directory / "data", max_file_size=DEFAULT_MAX_FILE_SIZE))
    made = 0
    with ws.db.session(write=True) as session:  # type: ignore[attr-defined]
        for source, incidents in reports(random.Random(seed), load_pools(), suggestions):
            source_id, _created = insert_source(session, source)
            for incident in incidents:
                pending = dataclasses.replace(incident, status=IncidentStatus.SUGGESTED)
                insert_incident(session, pending, source_id=source_id, user="benchmark")
                made += 1
    accounts.create_user(ws, actor=None, username="layla", password=PASSWORD, role="reviewer",
                         display_name="Layla (review_session.py)")
    ws.db.dispose()  # type: ignore[attr-defined]
    if made != suggestions:
        raise SystemExit(f"error: made {made} suggestions, not {suggestions}")
    return url, "layla"


def serve(*, url: str, data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TAWTHIQ_DATABASE_URL": url, "TAWTHIQ_DATA_DIR": str(data_dir), "TAWTHIQ_COOKIE_SECURE": "0"}
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "tawthiq", "serve", "--port", str(port)], env=env,
                                  stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"error: the server exited: {log.read_text(errors='replace')[-1500:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("error: the server did not start within 120 s")


# ------------------------------------------------------------------ the user's gestures


class Reviewer:
    """A browser page whose gestures are counted."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base, self.counts = page, base, Counts()
        page.on("framenavigated", lambda frame: self._navigated(frame))
        page.on("dialog", lambda dialog: self._confirm(dialog))

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.counts.page_loads += 1

    def _confirm(self, dialog: Any) -> None:
        # A "are you sure?" dialog is one more click for the user.
        self.counts.clicks += 1
        dialog.accept()

    def go(self, path: str) -> None:
        """Typing an address (or a bookmark): one page load, no click."""
        self.page.goto(self.base + path)

    def click(self, selector: str, *, navigates: bool = True) -> None:
        self.counts.clicks += 1
        if navigates:
            with self.page.expect_navigation():
                self.page.click(selector)
        else:
            self.page.click(selector)

    def key(self, key: str, *, navigates: bool = True) -> None:
        self.counts.clicks += 1
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press(key)
        else:
            self.page.keyboard.press(key)

    def fill(self, selector: str, value: str) -> None:
        self.counts.typed += 1
        self.page.fill(selector, value)

    def current_id(self) -> int:
        found = re.search(r"/review/(\d+)", self.page.url)
        if not found:
            raise SystemExit(f"error: not on a suggestion's page: {self.page.url}")
        return int(found.group(1))

    def killed_plus_one(self) -> None:
        """Raise the first victims row's count by one (a death in hospital)."""
        low = self.page.input_value("[data-testid=edit-victim-min] >> nth=0") or "0"
        high = self.page.input_value("[data-testid=edit-victim-max] >> nth=0") or low
        self.fill("[data-testid=edit-victim-min] >> nth=0", str(int(low) + 1))
        self.fill("[data-testid=edit-victim-max] >> nth=0", str(int(high) + 1))


# ------------------------------------------------------------------ the flows


def baseline(r: Reviewer) -> None:
    """Before issue 12: from the queue to a suggestion and back, one at a time."""
    r.go("/review")
    while r.page.locator("[data-testid=review-open]").count():
        r.click("[data-testid=review-open] >> nth=0")
        choice = decision_for(r.current_id())
        if choice == "accept":
            r.click("[data-testid=accept]")
        elif choice == "reject":
            r.click("#reject summary", navigates=False)
            r.fill("[data-testid=reject-comment]", REASON_REJECT)
            r.click("[data-testid=reject-form] button[type=submit]")
        else:
            r.click("#edit summary", navigates=False)
            if r.page.locator("[data-testid=edit-victim-min]").count():
                r.killed_plus_one()
            r.fill("[data-testid=edit-comment]", REASON_CORRECT)
            r.click("[data-testid=edit-accept]")
            # "Save and accept" ended on the incident's page: back to the queue by the menu.
            r.click("nav a[href='/review']")
        r.counts.decided[choice] += 1


def current(r: Reviewer) -> None:
    """Now: the suggestions to accept as they are, ticked and accepted a page at a time; the rest opened
    one by one, each decision going on to the next suggestion (keyboard shortcuts for accept and reject)."""
    r.go("/review")
    while r.page.locator("[data-testid=review-row]").count():
        ids = [int(x) for x in r.page.locator("[data-testid=review-row]").evaluate_all(
            "rows => rows.map(row => row.dataset.incidentId)")]
        accept = [i for i in ids if decision_for(i) == "accept"]
        if accept:
            others = [i for i in ids if i not in accept]
            if len(others) + 1 < len(accept):  # fewer clicks: all, then untick the others
                r.click("[data-testid=select-all]", navigates=False)
                ticks = others
            else:
                ticks = accept
            for one in ticks:
                r.click(f"tr[data-incident-id='{one}'] [data-testid=bulk-pick]", navigates=False)
            r.click("[data-testid=bulk-accept]")
            r.counts.decided["accept"] += len(accept)
            continue
        r.click("[data-testid=review-open] >> nth=0")
        while re.search(r"/review/\d+", r.page.url) and r.page.locator("[data-testid=edit-accept]").count():
            choice = decision_for(r.current_id())
            if choice == "accept":
                r.key("a")
            elif choice == "reject":
                r.key("r", navigates=False)
                r.fill("[data-testid=reject-comment]", REASON_REJECT)
                r.click("[data-testid=reject]")
            else:
                if r.page.locator("[data-testid=edit-victim-min]").count():
                    r.killed_plus_one()
                r.fill("[data-testid=edit-comment]", REASON_CORRECT)
                r.click("[data-testid=edit-accept]")
            r.counts.decided[choice] += 1
        if not r.page.url.startswith(r.base + "/review"):
            r.go("/review")
        elif re.search(r"/review/\d+", r.page.url):
            r.click("[data-testid=back-to-queue]")


FLOWS: dict[str, Callable[[Reviewer], None]] = {"baseline": baseline, "current": current}


def statuses(url: str) -> dict[str, int]:
    """How many incidents stand in each status: the session must have decided every suggestion."""
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return dict(conn.execute("SELECT status, count(*) FROM incidents GROUP BY status").fetchall())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flow", choices=sorted(FLOWS), required=True)
    parser.add_argument("--suggestions", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="review-session-") as tmp:
        directory = Path(tmp)
        url, username = build(directory, suggestions=args.suggestions, seed=args.seed)
        port = httpx_free_port()
        server = serve(url=url, data_dir=directory / "data", port=port, log=directory / "server.log")
        started = time.perf_counter()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM)
                page = browser.new_page(locale="en-GB")
                page.set_default_timeout(60_000)
                page.goto(f"http://127.0.0.1:{port}/login")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", PASSWORD)
                with page.expect_navigation():
                    page.click("button[type=submit]")
                reviewer = Reviewer(page, f"http://127.0.0.1:{port}")
                FLOWS[args.flow](reviewer)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
        seconds = time.perf_counter() - started
        stored = statuses(url)
    counts = reviewer.counts
    decided = sum(counts.decided.values())
    if decided != args.suggestions or stored.get("suggested"):
        raise SystemExit(f"error: {decided} decisions for {args.suggestions} suggestions; stored: {stored}")
    report: dict[str, Any] = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "flow": args.flow,
        "suggestions": args.suggestions, "decided": counts.decided, "stored": stored, "page_loads": counts.page_loads,
        "clicks": counts.clicks, "fields_typed": counts.typed, "seconds": round(seconds, 1),
        "per_suggestion": {"page_loads": round(counts.page_loads / decided, 2),
                           "clicks": round(counts.clicks / decided, 2)},
    }
    print(json.dumps(report, indent=2))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"review-session-{args.flow}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def httpx_free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    raise SystemExit(main())
