"""CLI command ``estimate``: how many people the lists together did not document (multiple systems estimation)."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..services.estimate import BY, MODELS
from .context import CliError, workspace
from .output import say, say_json

if TYPE_CHECKING:
    from ..services.estimate import Estimate


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--capture-table", "capture_table", type=click.Path(path_type=Path), metavar="FILE.csv",
                  help="An aggregated table of capture histories: one 0/1 column per list and a count column.")
    @click.option("--model", type=click.Choice(MODELS), default="auto", show_default=True,
                  help="independence; all-two-way (every pair of lists may depend); auto: every model of two-way "
                       "terms, averaged by AIC weight.")
    @click.option("--by", type=click.Choice(BY), help="One estimate per governorate, perpetrator or year "
                                                      "(linked person lists only).")
    @click.option("--lists", metavar="A,B,C", help="The lists (systems) to use, comma-separated; others are summed "
                                                   "over. Default: all.")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    def estimate(capture_table: Path | None, model: str, by: str | None, lists: str | None, fmt: str) -> None:
        """Estimate the total number of victims, documented or not, from three or more overlapping lists.

        Log-linear capture-recapture models over the lists' overlaps, with a
        95% profile likelihood interval and warnings where the data are too
        thin to trust; see "Estimating the undocumented" in the README.
        """
        chosen = [name.strip() for name in lists.split(",")] if lists else None
        if chosen is not None and not all(chosen):
            raise CliError("--lists takes list names separated by commas, e.g. --lists VDC,SNHR,SCSR")
        if capture_table is None:
            from ..services.estimate import estimate_record

            strata = estimate_record(workspace(), lists=chosen, by=by, model=model)
            if fmt == "json":
                found_json: Any = ([{"stratum": s.stratum, "documented": s.documented,
                                     **(as_json(s.estimate) if s.estimate else {"problem": s.problem})}
                                    for s in strata] if by else
                                   (as_json(strata[0].estimate) if strata and strata[0].estimate else
                                    {"documented": strata[0].documented if strata else 0, "estimate": None,
                                     "interval": [None, None], "model": model,
                                     "warnings": [strata[0].problem if strata else "no one documented"]}))
                say_json(json.dumps(found_json, ensure_ascii=False, indent=2))
                return
            for s in strata:
                if by:
                    say(f"== {by} {s.stratum if s.stratum is not None else '(unknown)'}")
                if s.estimate is not None:
                    render(s.estimate)
                else:
                    say(f"documented  {s.documented:,}; no estimate: {s.problem}")
            return
        if by is not None:
            raise CliError("--by needs linked person lists: a capture table has no governorate, perpetrator or year")
        from ..services.estimate import estimate_capture_table

        found = estimate_capture_table(path=capture_table, model=model, lists=chosen)
        if fmt == "json":
            say_json(json.dumps(as_json(found), ensure_ascii=False, indent=2))
        else:
            render(found)


def _bound(value: float) -> float | None:
    return None if math.isinf(value) else round(value, 1)


def as_json(found: Estimate) -> dict[str, Any]:
    """The estimate as the documented JSON object: exactly these five keys (an unbounded end is null)."""
    return {"documented": found.documented, "estimate": round(found.estimate, 1),
            "interval": [_bound(found.interval[0]), _bound(found.interval[1])], "model": found.model,
            "warnings": list(found.warnings)}


def render(found: Estimate) -> None:
    low, high = found.interval
    upper = "no upper bound" if math.isinf(high) else f"{high:,.1f}"
    say(f"documented  {found.documented:,} people on {len(found.lists)} lists ({', '.join(found.lists)})")
    say(f"estimate    {found.estimate:,.1f} in all, so about {found.estimate - found.documented:,.0f} undocumented")
    say(f"interval    {low:,.1f} to {upper} (95%, {found.interval_method})")
    say(f"model       {found.model}")
    for warning in found.warnings:
        say(f"warning: {warning}")
