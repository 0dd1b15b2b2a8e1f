"""Load-test the web app with wrk: incidents list with filters, search, incident page.

    .venv/bin/python benchmarks/gen_incidents.py --count 100000 --db bench/incidents.db
    .venv/bin/python benchmarks/web_load.py --db bench/incidents.db

Starts ``tawthiq serve`` (uvicorn, ``--workers`` processes) on the database,
signs a benchmark user in over HTTP, then runs wrk once per scenario (a
short warm-up first, then the measured run; each scenario round-robins over
paths drawn from the database, so no single cached row is measured). Prints
p50/p95/p99 and requests/s and writes them, with the machine, date and
command, to ``--out`` as JSON and Markdown. Only measured numbers are
written; a scenario whose pages do not answer 200 is reported as not run.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import secrets
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import func, select, text

from tawthiq.services import Workspace, accounts
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.store.tables import incidents, involvements
from tawthiq.web.cookies import LOGIN_CSRF_COOKIE, SESSION_COOKIE

HERE = Path(__file__).resolve().parent
LUA = HERE / "p95.lua"
TARGET_P95_MS = 200.0
# Words the generator writes into descriptions (benchmarks/gen_incidents.py OBJECTS), both scripts.
SEARCH_WORDS = ("market", "school", "hospital", "bakery", "mosque", "checkpoint", "farm", "سوق", "مدرسة",
                "مشفى", "فرن", "مسجد", "حاجز", "مزرعة")
DEFAULT_TEMPLATES = {
    "list": "/incidents?event_type={event_type}&governorate={governorate}&page={page}",
    # The list narrowed by three facets at once, as a team member drills down.
    "facets": "/incidents?event_type={event_type}&governorate={governorate}&perpetrator={perpetrator}&page={page}",
    # The review queue, filtered and paged as a reviewer works through it.
    "queue": "/review?governorate={governorate}&page={page}",
    "search": "/incidents?q={word}",
    "incident": "/incidents/{id}",
}


@dataclass(slots=True)
class Result:
    scenario: str
    mode: str  # "closed": no wait between requests; "think": each user waits between requests
    template: str
    paths: int
    ran: bool
    note: str = ""
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        errors = sum(self.figures.get("errors", {}).values())
        return self.ran and errors == 0 and float(self.figures.get("p95_ms", 1e9)) < TARGET_P95_MS


# ------------------------------------------------------------------ set-up


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scenario_paths(ws: Workspace, *, templates: dict[str, str], count: int, rng: random.Random) -> dict[str, list[str]]:
    """Paths for each scenario, filled from values that exist in the database."""
    with ws.db.session() as session:  # type: ignore[attr-defined]
        pairs = session.execute(
            select(incidents.c.event_type, incidents.c.loc_admin1, func.count())
            .where(incidents.c.loc_admin1 != "")
            .group_by(incidents.c.event_type, incidents.c.loc_admin1)
            .order_by(func.count().desc())
            .limit(40)  # the common filter combinations, as users would pick them
        ).all()
        top = int(session.scalar(select(func.max(incidents.c.id))) or 0)
        perpetrators = session.scalars(
            select(involvements.c.actor).where(involvements.c.role == "perpetrator")
            .group_by(involvements.c.actor).order_by(func.count().desc()).limit(10)
        ).all()
    if not pairs or not top:
        raise SystemExit("error: the database has no incidents: run benchmarks/gen_incidents.py first")
    paths: dict[str, list[str]] = {}
    for name, template in templates.items():
        found: list[str] = []
        for _ in range(count):
            event_type, governorate, _n = rng.choice(pairs)
            found.append(template.format(event_type=quote(event_type), governorate=quote(governorate),
                                         perpetrator=quote(rng.choice(perpetrators or [""])),
                                         page=rng.randint(1, 3), word=quote(rng.choice(SEARCH_WORDS)),
                                         id=rng.randint(1, top)))
        paths[name] = found
    return paths


def start_server(*, database_url: str, data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, TAWTHIQ_DATABASE_URL=database_url, TAWTHIQ_DATA_DIR=str(data_dir))
    command = [sys.executable, "-m", "tawthiq", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]
    # Its own process group, so stopping it also stops its worker processes.
    return subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def wait_healthy(base: str, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"error: the server exited with status {server.returncode} while starting")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"error: the server did not answer /health within {timeout:.0f} s")


def _cookie(response: httpx.Response, base_name: str) -> tuple[str, str]:
    """(name, value) of the cookie ``base_name`` in ``response``: Secure and prefixed ("__Host-", "__Secure-")
    on 127.0.0.1 or https, plain on http to another machine (web/cookies.py)."""
    for name in (f"__Host-{base_name}", f"__Secure-{base_name}", base_name):
        if response.cookies.get(name):
            return name, response.cookies[name]
    return base_name, ""


def sign_in(base: str, *, username: str, password: str) -> str:
    """The session cookie, got through the real sign-in form (CSRF token and all).

    Cookies are carried by hand: they are Secure, and a client would rightly
    not send them back over the plain HTTP of a local benchmark.
    """
    with httpx.Client(base_url=base, timeout=10, follow_redirects=False) as client:
        form = client.get("/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        csrf_name, login_csrf = _cookie(form, LOGIN_CSRF_COOKIE)
        if form.status_code != 200 or not match or not login_csrf:
            raise SystemExit(f"error: GET /login gave {form.status_code} without a sign-in form and its token")
        done = client.post("/login", data={"username": username, "password": password, "csrf_token": match.group(1)},
                           headers={"Cookie": f"{csrf_name}={login_csrf}"})
        session_name, session = _cookie(done, SESSION_COOKIE)
        if done.status_code != 303 or not session:
            raise SystemExit(f"error: signing in as {username} gave {done.status_code} and no session cookie")
        return f"{session_name}={session}"


def preflight(base: str, cookie: str, paths: list[str], sample: int = 10) -> str:
    """"" when the first paths answer 200; otherwise why the scenario cannot be measured."""
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False, headers={"Cookie": cookie}) as client:
        for path in paths[:sample]:
            status = client.get(path).status_code
            if status != 200:
                return f"GET {path} answered {status}, not 200"
    return ""


# ------------------------------------------------------------------ running


def run_wrk(*, base: str, cookie: str, paths_file: Path, threads: int, connections: int, duration: str,
            think_ms: int = 0, jitter_ms: int = 0) -> dict[str, Any]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", "--latency", "--timeout", "10s",
               "-s", str(LUA), "-H", f"Cookie: {cookie}", base, "--", str(paths_file)]
    env = dict(os.environ, WRK_THINK_MS=str(think_ms), WRK_JITTER_MS=str(jitter_ms))
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("P95LUA ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"error: wrk failed ({done.returncode}): {(done.stderr or done.stdout).strip()[:300]}")
    return dict(json.loads(line.removeprefix("P95LUA ")))


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"cores": os.cpu_count(), "python": platform.python_version(),
                            "sqlite": sqlite3.sqlite_version, "system": platform.platform()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        model = re.search(r"^Model name:\s*(.+)$", lscpu, re.M)
        info["cpu"] = model.group(1).strip() if model else ""
    except (OSError, subprocess.CalledProcessError):
        info["cpu"] = platform.processor()
    try:
        mem = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        info["memory_gib"] = round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None
    except OSError:
        info["memory_gib"] = None
    try:
        version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
        info["wrk"] = version.split("\n")[0].split(" Copyright")[0].strip()
    except OSError:
        info["wrk"] = ""
    return info


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"## Web load benchmark, {report['date']}",
        "",
        f"- Machine: {m.get('cpu') or 'unknown CPU'}, {m['cores']} cores, {m.get('memory_gib')} GiB; {m['system']}",
        f"- Database: {report['incidents']:,} incidents ({report['database']}), {report['engine']}",
        f"- Server: `tawthiq serve --workers {report['workers']}`; load: {m.get('wrk', 'wrk')}, "
        f"{report['threads']} threads, {report['connections']} connections, {report['duration']} per scenario",
        f"- Modes: closed = no wait between requests (each connection sends its next request as soon as the "
        f"answer arrives); think = each user waits {report['think_ms']} ± {report['jitter_ms']} ms between "
        "requests (not counted in latency)",
        f"- Load average before the run (1, 5, 15 min): {report.get('loadavg', '')}",
        f"- Commit: {report['commit'] or 'unknown'}; command: `{report['command']}`",
        "",
        "| scenario | mode | path pattern | p50 ms | p95 ms | p99 ms | req/s | errors | p95 < 200 ms |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in report["results"]:
        if not r["ran"]:
            lines.append(f"| {r['scenario']} | {r['mode']} | `{r['template']}` | – | – | – | – | – | "
                         f"not run: {r['note']} |")
            continue
        f = r["figures"]
        errors = sum(f["errors"].values())
        ok = "yes" if r["passed"] else "no"
        lines.append(f"| {r['scenario']} | {r['mode']} | `{r['template']}` | {f['p50_ms']} | {f['p95_ms']} | "
                     f"{f['p99_ms']} | "
                     f"{f['rps']} | {errors} | {ok} |")
    return "\n".join(lines) + "\n"


def count_incidents(ws: Workspace) -> int:
    with ws.db.session() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(incidents)) or 0)


def database_engine(ws: Workspace) -> str:
    """The database product and version, as the report names it."""
    with ws.db.session() as session:  # type: ignore[attr-defined]
        if session.bind.dialect.name == "postgresql":
            return f"PostgreSQL {session.scalar(text('SHOW server_version'))}"
    return f"SQLite {sqlite3.sqlite_version}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="the SQLite file made by gen_incidents.py")
    where.add_argument("--database-url", help="another database (e.g. PostgreSQL) filled by gen_incidents.py")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="server processes (default: cores)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=20, help="concurrent users (wrk connections)")
    parser.add_argument("--duration", default="30s", help="measured time per scenario (wrk -d)")
    parser.add_argument("--warmup", default="5s", help="unmeasured run before each scenario")
    parser.add_argument("--paths", type=int, default=500, help="distinct paths per scenario")
    parser.add_argument("--role", default="documenter", help="benchmark user's role (documenter sees every record)")
    parser.add_argument("--scenario", action="append", choices=sorted(DEFAULT_TEMPLATES),
                        help="run only these (repeatable); default all")
    for name, template in DEFAULT_TEMPLATES.items():
        parser.add_argument(f"--{name}-path", default=template, help=f"path template (default {template})")
    parser.add_argument("--mode", action="append", choices=("closed", "think"),
                        help="closed: no wait between requests; think: each user waits --think-ms "
                             "(± --jitter-ms) between requests; repeatable, default both")
    parser.add_argument("--think-ms", type=int, default=1000, help="think mode: mean wait between requests")
    parser.add_argument("--jitter-ms", type=int, default=500, help="think mode: the wait varies by up to this")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "results", help="directory for the JSON and Markdown")
    args = parser.parse_args(argv)

    url = f"sqlite:///{args.db}" if args.db else args.database_url
    data_dir = args.db.parent / f"{args.db.stem}-data" if args.db else Path("tawthiq-bench-data")
    if args.db and not args.db.is_file():
        parser.error(f"{args.db} does not exist: run benchmarks/gen_incidents.py first")
    ws = Workspace.open(Settings(database_url=url, data_dir=data_dir, max_file_size=DEFAULT_MAX_FILE_SIZE))
    username, password = f"bench-{secrets.token_hex(4)}", secrets.token_urlsafe(18)
    accounts.create_user(ws, actor=None, username=username, password=password, role=args.role,
                         display_name="web_load.py benchmark")
    names = args.scenario or list(DEFAULT_TEMPLATES)
    modes = args.mode or ["closed", "think"]
    loadavg = " ".join(f"{x:.2f}" for x in os.getloadavg())
    templates = {n: getattr(args, f"{n}_path") for n in names}
    paths = scenario_paths(ws, templates=templates, count=args.paths, rng=random.Random(args.seed))
    total = count_incidents(ws)
    engine = database_engine(ws)
    ws.db.dispose()  # type: ignore[attr-defined]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(database_url=url, data_dir=data_dir, port=port, workers=args.workers)
    results: list[Result] = []
    try:
        wait_healthy(base, server)
        cookie = sign_in(base, username=username, password=password)
        with tempfile.TemporaryDirectory(prefix="web-load-") as tmp:
            for name in names:
                note = preflight(base, cookie, paths[name])
                if note:
                    print(f"{name}: not run: {note}", file=sys.stderr)
                    results.extend(Result(scenario=name, mode=m, template=templates[name], paths=len(paths[name]),
                                          ran=False, note=note) for m in modes)
                    continue
                paths_file = Path(tmp) / f"{name}.txt"
                paths_file.write_text("\n".join(paths[name]) + "\n", encoding="utf-8")
                for mode in modes:
                    result = Result(scenario=name, mode=mode, template=templates[name], paths=len(paths[name]),
                                    ran=False)
                    results.append(result)
                    think = (args.think_ms, args.jitter_ms) if mode == "think" else (0, 0)
                    common = dict(base=base, cookie=cookie, paths_file=paths_file, threads=args.threads,
                                  connections=args.connections, think_ms=think[0], jitter_ms=think[1])
                    print(f"{name} ({mode}): warm-up {args.warmup}, then {args.duration} with "
                          f"{args.connections} connections", file=sys.stderr)
                    run_wrk(duration=args.warmup, **common)  # type: ignore[arg-type]
                    result.figures = run_wrk(duration=args.duration, **common)  # type: ignore[arg-type]
                    result.ran = True
    finally:
        stop_server(server)

    report = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(), "commit": git_commit(), "database": args.db.name if args.db else "database URL",
        "incidents": total, "engine": engine, "workers": args.workers, "threads": args.threads, "connections": args.connections,
        "duration": args.duration, "target_p95_ms": TARGET_P95_MS, "think_ms": args.think_ms,
        "jitter_ms": args.jitter_ms, "loadavg": loadavg,
        "command": shlex.join(["benchmarks/web_load.py", *(argv if argv is not None else sys.argv[1:])]),
        "results": [dict(asdict(r), passed=r.passed) for r in results],
    }
    print(f"\nload average before: {loadavg}")
    print(f"{'scenario':<10} {'mode':<7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} {'errors':>7}  target")
    for r in results:
        if r.ran:
            f = r.figures
            print(f"{r.scenario:<10} {r.mode:<7} {f['p50_ms']:>8} {f['p95_ms']:>8} {f['p99_ms']:>8} {f['rps']:>8} "
                  f"{sum(f['errors'].values()):>7}  {'ok' if r.passed else 'MISSED'}")
        else:
            print(f"{r.scenario:<10} {r.mode:<7} not run: {r.note}")
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"web-load-{datetime.now(timezone.utc).strftime('%Y%m%d-%H%M%S')}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
    print(f"\nwrote {stem}.json and {stem}.md")
    return 0 if results and all(r.passed for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
