"""CLI commands for the evidence store: ``verify``, ``fixity`` and ``derive`` (services.integrity)."""
from __future__ import annotations

import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..domain.ids import MAX_ID  # ids and limits the database can hold (64-bit)
from .context import cli_actor, this_machine, workspace
from .output import say, say_fields, say_json

if TYPE_CHECKING:
    from ..services import Workspace
    from ..services.integrity import ExpectedHead


def _heads(values: tuple[str, ...]) -> list[ExpectedHead]:
    from ..services.integrity import parse_head

    try:
        return [parse_head(value) for value in values]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--head") from None


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--head", "--expect-head", "heads", multiple=True, metavar="ID:HASH",
                  help="A ledger head recorded earlier (as printed by verify): reports it if that entry is "
                       "gone (the ledger cut short) or has another hash. Repeatable.")
    def verify(heads: tuple[str, ...]) -> None:
        """Re-hash every stored original and working copy, and check every link of the custody ledger.

        One line per problem on stdout, then a summary; exits 1 when anything is wrong.
        Keep the printed ledger head somewhere else and pass it back with --head next time.
        """
        from ..services import integrity

        expect = _heads(heads)
        report = integrity.verify(workspace(), expect=expect)
        for problem in report.problems:
            say(problem)
        say(report.summary())
        sys.exit(0 if report.ok else 1)

    @cli.command()
    @click.argument("source_ids", nargs=-1, type=click.IntRange(1, MAX_ID))
    @click.option("--all", "every_source", is_flag=True, help="Every stored source.")
    @click.option("--reason", default="", help="Why the copies are made again; kept in each \"derived\" entry.")
    def derive(source_ids: tuple[int, ...], every_source: bool, reason: str) -> None:
        """Make the working copies (text, thumbnails, previews, transcodes) an earlier run could not.

        Runs the derive stage again on the stored originals of SOURCE_IDS (or --all); copies already
        stored are not stored twice. One line per problem; exits 1 when any source had one.
        """
        from ..services import integrity

        if bool(source_ids) == every_source:
            raise click.UsageError("give SOURCE_IDS or --all")
        run = integrity.derive_again(workspace(), source_ids=None if every_source else source_ids,
                                     actor=cli_actor(), reason=reason.strip())
        made = failed = 0
        for outcome in run.outcomes:
            made += outcome.new_copies
            failed += bool(outcome.problems)
            for problem in outcome.problems:
                say(f"source {outcome.source_id}: {problem}", err=True)
        say(f"{len(run.source_ids)} source(s), {made} new working cop{'y' if made == 1 else 'ies'}, "
                   f"{failed} with problems")
        sys.exit(1 if failed else 0)

    @cli.command()
    @click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="Where reports go (default: <data dir>/fixity).")
    @click.option("--every", "every", default=None, metavar="INTERVAL",
                  help="Run again every INTERVAL (90s, 15m, 24h, 7d) in the foreground until Ctrl-C.")
    @click.option("--history", is_flag=True, help="List past runs instead of running.")
    @click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100000),
                  help="How many past runs --history lists.")
    @click.option("--show", "show", default=None, type=click.IntRange(1, MAX_ID), metavar="RUN_ID",
                  help="Print the JSON report of run RUN_ID (decrypted in an encrypted workspace) after "
                       "checking it against the SHA-256 the run recorded; exit 1 when it no longer matches.")
    def fixity(report_dir: Path | None, every: str | None, history: bool, limit: int, show: int | None) -> None:
        """Re-verify originals, working copies and the ledger, and write a fixity report.

        Each run writes fixity-<UTC time>.json (every problem) and .txt (summary),
        records the run with the report's SHA-256, holds the ledger to the head the
        previous run recorded, and removes temporary files of killed writes older
        than an hour. Exits 1 when the (last) run found problems.

        In an encrypted workspace both files are sealed (….json.sealed, ….txt.sealed):
        read them with --show RUN_ID.

        Instead of --every, cron or a systemd timer can run `tawthiq fixity` daily.
        """
        from ..services.integrity import fixity_report, parse_interval

        interval = None
        if every is not None:
            try:
                interval = parse_interval(every)
            except ValueError as error:
                raise click.BadParameter(str(error), param_hint="--every") from None
        ws = workspace()
        if history:
            _print_history(ws, limit)
            return
        if show is not None:
            say_json(fixity_report(ws, run_id=show).decode("utf-8"))  # control characters escaped for a terminal
            return
        if interval is None:
            sys.exit(0 if _run_once(ws, report_dir) else 1)
        sys.exit(_run_every(ws, report_dir, interval))


def _run_once(ws: Workspace, report_dir: Path | None) -> bool:
    from ..services import integrity

    result = integrity.run_fixity(ws, report_dir=report_dir, actor=cli_actor(), machine=this_machine())
    for problem in result.report.problems:
        say(problem)
    for line in result.summary.splitlines():  # the problems are already out, in full
        if not line.startswith(("problem: ", "… and ")):
            say(line)
    return result.ok


def _run_every(ws: Workspace, report_dir: Path | None, interval: float) -> int:
    """Fixed-rate runs until Ctrl-C (or SIGTERM from a service manager), which end it between runs.

    A run that fails outright (the database unreachable, the disk full) is
    one line on stderr and counts as not clean; the schedule goes on, since
    the next run may well succeed and a silent stop would go unnoticed.
    The schedule is the command's own (a foreground process and its
    signals); each run is one call of the fixity service.
    """
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    runs, last_ok, running = 0, True, False
    try:
        while True:
            began = time.monotonic()
            running = True
            try:
                last_ok = _run_once(ws, report_dir)
            except Exception as error:  # noqa: BLE001 - one line, and the schedule continues
                first = (str(error).strip().splitlines() or [""])[0]
                say(f"error: fixity run failed: {type(error).__name__}: {first}", err=True)
                last_ok = False
            running = False
            runs += 1
            wait = max(0.0, interval - (time.monotonic() - began))
            say(f"next fixity run in {_duration(wait)} (Ctrl-C to stop)")
            time.sleep(wait)
    except KeyboardInterrupt:
        during = "; the run in progress was abandoned (nothing half-written)" if running else ""
        say(f"fixity: stopped after {runs} run(s){during}")
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0 if last_ok else 1


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f}{unit}".replace(".0", "")
    return f"{seconds:.0f}s"


def _print_history(ws: Workspace, limit: int) -> None:
    from ..domain.custody import canonical_time
    from ..services import integrity

    runs = integrity.fixity_runs(ws, limit=limit)
    if not runs:
        say("no fixity runs yet")
        return
    say_fields("id", "started (UTC)", "seconds", "result", "originals", "derived", "entries", "head", "report")
    for run in runs:
        seconds = (run.finished_at - run.started_at).total_seconds()
        result = "OK" if run.ok else f"{run.problems} problem(s)"
        head = "-" if run.head_id is None else f"{run.head_id}:{run.head_hash}"
        say_fields(run.id, f"{canonical_time(run.started_at)[:19]}Z", f"{seconds:.1f}", result, run.originals_checked,
                   run.derivatives_checked, run.entries_checked, head, run.report_path)
