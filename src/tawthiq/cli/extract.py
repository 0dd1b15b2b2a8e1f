"""CLI command ``extract``: incidents from report text, without storing anything (the extraction contract)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .context import parse_date
from .output import say, say_json


class _ExtractGroup(click.Group):
    """``tawthiq extract [FILES]`` reads reports; ``tawthiq extract train|evaluate|use`` manage the model.

    A first argument that is no subcommand's name is a file (or an option) of the reading command itself.
    """

    default_command = "read"  # the README documents it as `tawthiq extract …` (tests/test_cli_reference.py)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] [FILES]... | train | evaluate [CASES.yaml] | use MODEL")


def register(cli: click.Group) -> None:
    @cli.group(cls=_ExtractGroup, invoke_without_command=False)
    def extract() -> None:
        """Extract incidents from report text, without storing anything; train the model reviews teach.

        `tawthiq extract [--jsonl] [FILES]` reads reports (the extraction contract).
        `tawthiq extract train` learns event types, actors and places from the reviewed record,
        `tawthiq extract evaluate` measures the model in use, `tawthiq extract use`
        chooses it (`shipped` for the rules alone). See docs/learning.md.
        """

    _register_learning(extract)

    @extract.command("read")
    @click.option("--jsonl", is_flag=True, help="Batch mode: JSON Lines reports on stdin, one result per line on stdout.")
    @click.option("--language", type=click.Choice(["en", "ar"]), default=None, help="Language of FILES (default: detect).")
    @click.option("--published", default=None, help="Publication date of FILES (YYYY-MM-DD), for relative dates.")
    @click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
    def read(jsonl: bool, language: str | None, published: str | None, files: tuple[Path, ...]) -> None:
        """Extract incidents from report text, without storing anything.

        With --jsonl, follows the extraction contract (one JSON object per input
        line). Otherwise reads plain-text FILES (or stdin) and prints one JSON
        object per file.
        """
        from ..services.extraction import extract_report, run_contract

        if jsonl:
            failures = run_contract(sys.stdin, sys.stdout)
            sys.exit(1 if failures else 0)
        pub = parse_date(published, "--published")
        inputs = [(str(f), f) for f in files] or [("-", None)]
        failed = 0
        for name, path in inputs:
            try:
                text = sys.stdin.read() if path is None else path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                say(f"error: {name}: cannot read as UTF-8 text ({type(exc).__name__})", err=True)
                failed += 1
                continue
            incidents = extract_report(text, language=language, published=pub)
            say_json(json.dumps({"id": name, "incidents": incidents}, ensure_ascii=False))
        sys.exit(1 if failed else 0)


def _register_learning(group: click.Group) -> None:
    from .context import cli_actor, workspace

    @group.command("train")
    @click.option("--reason", default="", help="Why (kept in the audit log with the change of model).")
    @click.option("--keep-current", is_flag=True, help="Train and keep the file, but go on using the current model.")
    @click.option("--min-corrections", type=click.IntRange(min=1), default=2, show_default=True,
                  help="Corrections a group's or a place's written form needs before it is learned.")
    def train(reason: str, keep_current: bool, min_corrections: int) -> None:
        """Learn event types, actors and places from the reviewed record; measure on a held-out fifth; use it."""
        from ..services.errors import ServiceError
        from ..services.learning import train_model

        try:
            result = train_model(workspace(), actor=cli_actor(), reason=reason, use=not keep_current,
                                 min_corrections=min_corrections)
        except ServiceError as exc:
            raise click.ClickException(str(exc)) from None
        held = result.held_out
        say(f"trained {result.name} on {result.examples} reviewed incidents ({result.corrections} corrected)")
        say(f"held out {held.examples}: rules alone {held.rules_accuracy:.2f}, with the model "
            f"{held.model_accuracy:.2f} ({held.changed} retyped)")
        for label, figures, count, kind in (("perpetrators", result.actors, result.actor_forms, "actor"),
                                            ("places", result.places, result.place_forms, "place")):
            if figures is not None:
                say(f"{label}: {count} {kind} forms learned; held out {figures.examples}: rules alone "
                    f"{figures.rules_accuracy:.2f}, with the model {figures.model_accuracy:.2f} "
                    f"({figures.changed} credited)")
        say("in use" if result.in_use else "not in use (tawthiq extract use " + result.name + " to use it)")

    @group.command("evaluate")
    @click.argument("cases", required=False, type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
    def evaluate(cases: Path | None, as_json: bool) -> None:
        """Measure the model in use: on today's held-out reviewed incidents, and on CASES (contract YAML)."""
        from ..services.errors import ServiceError
        from ..services.learning import evaluate as run

        try:
            figures = run(workspace(), cases=cases)
        except ServiceError as exc:
            raise click.ClickException(str(exc)) from None
        if as_json:
            say_json(json.dumps(figures, ensure_ascii=False))
            return
        say(f"model in use: {figures['model']}")
        if figures.get("recorded"):
            r = figures["recorded"]
            say(f"when trained: held out {r['examples']}, rules {r['rules_accuracy']:.2f}, "
                f"with the model {r['model_accuracy']:.2f}")
        if figures.get("held_out_now"):
            r = figures["held_out_now"]
            say(f"now: held out {r['examples']}, rules {r['rules_accuracy']:.2f}, "
                f"with the model {r['model_accuracy']:.2f} ({r['changed']} retyped)")
        for label, key in (("perpetrators", "actors"), ("places", "places")):
            when, now = figures.get(f"recorded_{key}"), figures.get(f"{key}_now")
            forms = (figures.get("forms") or {}).get(key, 0)
            if when:
                say(f"{label} when trained ({forms} forms): held out {when['examples']}, rules "
                    f"{when['rules_accuracy']:.2f}, with the model {when['model_accuracy']:.2f}")
            if now:
                say(f"{label} now: held out {now['examples']}, rules {now['rules_accuracy']:.2f}, "
                    f"with the model {now['model_accuracy']:.2f} ({now['changed']} credited)")
        for label, r in (figures.get("cases") or {}).items():
            acc = "n/a" if r["event_type_accuracy"] is None else f"{r['event_type_accuracy']:.2f}"
            say(f"{cases}: {label}: event type right {r['event_type_right']}/{r['incidents']} ({acc})")

    @group.command("use")
    @click.argument("model")
    @click.option("--reason", required=True, help="Why (kept in the audit log).")
    def use(model: str, reason: str) -> None:
        """Choose the event-type model ingest uses: a model file, `latest`, or `shipped` (the rules alone)."""
        from ..services.errors import ServiceError
        from ..services.learning import use_model

        try:
            name = use_model(workspace(), name=model, actor=cli_actor(), reason=reason)
        except ServiceError as exc:
            raise click.ClickException(str(exc)) from None
        say(f"ingest now uses {name}")
