"""CLI commands ``link …``: run the linkers (incidents, persons), review the pairs they are unsure of, decide, undo."""
from __future__ import annotations

from typing import Any

import click

from ..domain.ids import MAX_ID
from .context import CliError, cli_actor, parse_date, workspace
from .output import LIST_FORMATS, emit, say


def _band(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    try:
        low, high = (float(part) for part in value.split(":"))
    except ValueError:
        raise CliError(f"--review-band must be LOW:HIGH, e.g. 0.5:0.9, not {value!r}") from None
    return low, high


def _row(j: Any) -> dict[str, Any]:
    weights = ", ".join(f"{k} {v:+.1f}" for k, v in sorted(j.weights.items(), key=lambda kv: -abs(kv[1])))
    return {"judgement": j.id, "left": j.left_id, "right": j.right_id, "verdict": j.verdict.value,
            "probability": None if j.probability is None else round(j.probability, 3), "by": j.actor,
            "at": j.at.isoformat(timespec="seconds") if j.at else "", "in_force": j.in_force,
            "withdrawn_by": j.withdrawn_by, "why": j.withdrawn_why or j.comment, "weights": weights}


def register(cli: click.Group) -> None:
    @cli.group()
    def link() -> None:
        """Find the same event (or person) across sources; review and undo the decisions."""

    @link.command("incidents")
    @click.option("--since", metavar="DATE", help="Decide only pairs with an incident added on or after DATE.")
    @click.option("--threshold", type=float, default=None, metavar="P",
                  help="Match probability from which the linker records 'same' (default: the benchmark's).")
    @click.option("--review-band", metavar="LOW:HIGH",
                  help="Probabilities that go to the review queue as 'unsure' (default: the benchmark's).")
    @click.option("--backend", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
                  help="Where Splink runs: embedded DuckDB, or Spark (pip install 'tawthiq[spark]' and Java).")
    def link_incidents(since: str | None, threshold: float | None, review_band: str | None, backend: str) -> None:
        """Link incidents from different sources that describe the same event.

        Pairs at or above the threshold get a 'same' judgement by the linker
        (their incidents form one cluster); pairs in the review band wait in
        `tawthiq link review`; a pair a person has judged is never touched.
        """
        from ..services import linking

        run = linking.link_incidents(workspace(), since=parse_date(since, "--since"),
                                     threshold=linking.DEFAULT_THRESHOLD if threshold is None else threshold,
                                     review_band=_band(review_band) or linking.DEFAULT_REVIEW_BAND, backend=backend)
        say(f"compared {run.compared} incidents with {run.model_version or 'no model'}: {run.same} new same, "
            f"{run.queued} to review, {run.kept} unchanged, {run.left_to_people} judged by people, "
            f"{run.withdrawn} withdrawn")
        for note in run.notes:
            say(f"note: {note}")

    @link.command("persons")
    @click.option("--list", "lists", multiple=True, metavar="NAME",
                  help="Link only the records of these lists (repeatable; default: every list and the persons "
                       "reports name).")
    @click.option("--threshold", type=float, default=None, metavar="P",
                  help="Match probability from which the linker records 'same' (default: the benchmark's).")
    @click.option("--review-band", metavar="LOW:HIGH",
                  help="Probabilities that go to the review queue as 'unsure' (default: the benchmark's).")
    @click.option("--backend", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
                  help="Where Splink runs: embedded DuckDB, or Spark (pip install 'tawthiq[spark]' and Java).")
    def link_persons(lists: tuple[str, ...], threshold: float | None, review_band: str | None,
                     backend: str) -> None:
        """Link person records that are the same person, within and across victim lists and reports.

        Names are compared across Arabic and Latin script (transliteration,
        name parts, order); pairs at or above the threshold form one person
        cluster; pairs in the review band wait in `tawthiq link review --persons`.
        """
        from ..services import person_linking

        run = person_linking.link_persons(
            workspace(), lists=lists,
            threshold=person_linking.DEFAULT_THRESHOLD if threshold is None else threshold,
            review_band=_band(review_band) or person_linking.DEFAULT_REVIEW_BAND, backend=backend)
        say(f"compared {run.compared} person records with {run.model_version or 'no model'}: {run.same} new same, "
            f"{run.queued} to review, {run.kept} unchanged, {run.left_to_people} judged by people, "
            f"{run.withdrawn} withdrawn")
        for note in run.notes:
            say(f"note: {note}")

    @link.command("review")
    @click.option("--persons", is_flag=True, help="Pairs of person records instead of incidents.")
    @click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
    @click.option("--format", "fmt", type=LIST_FORMATS, default="table", show_default=True)
    def link_review(persons: bool, limit: int, fmt: str) -> None:
        """The pairs the linker is unsure of, most probable first, with each comparison's weight.

        Decide one with `tawthiq link decide LEFT RIGHT --verdict same|not-same|unsure [--persons]`.
        """
        from ..services import linking, person_linking

        queue = (person_linking.review_queue if persons else linking.review_queue)(workspace(), user=None,
                                                                                 limit=limit)
        emit([_row(j) for j in queue], fmt=fmt, title="pairs to review")

    @link.command("decide")
    @click.argument("left", type=click.IntRange(1, MAX_ID))
    @click.argument("right", type=click.IntRange(1, MAX_ID))
    @click.option("--verdict", type=click.Choice(["same", "not-same", "unsure"]), required=True)
    @click.option("--comment", default="", help="Why (kept with the judgement).")
    @click.option("--persons", is_flag=True, help="LEFT and RIGHT are person records, not incidents.")
    def link_decide(left: int, right: int, verdict: str, comment: str, persons: bool) -> None:
        """Judge whether incidents (or person records) LEFT and RIGHT are the same; the linker never overrides it."""
        from ..services import linking, person_linking

        decide = person_linking.decide if persons else linking.decide
        new_id = decide(workspace(), user=None, actor=cli_actor(), a=left, b=right, verdict=verdict,
                        comment=comment)
        say(f"judgement {new_id}: {left} and {right} {'are the same' if verdict == 'same' else verdict}")

    @link.command("undo")
    @click.argument("judgement_id", type=click.IntRange(1, MAX_ID))
    @click.option("--comment", default="", help="Why the judgement is withdrawn (kept in the history).")
    def link_undo(judgement_id: int, comment: str) -> None:
        """Withdraw a judgement: the clusters follow, a merge it made is undone, nothing is deleted."""
        from ..services import linking

        done = linking.undo_any(workspace(), user=None, actor=cli_actor(), judgement_id=judgement_id,
                                comment=comment)
        say(f"judgement {done.id} ({done.left_id} {done.verdict.value} {done.right_id}, by {done.actor}) withdrawn")

    @link.command("history")
    @click.argument("record_id", type=click.IntRange(1, MAX_ID))
    @click.option("--persons", is_flag=True, help="RECORD_ID is a person record, not an incident.")
    @click.option("--format", "fmt", type=LIST_FORMATS, default="table", show_default=True)
    def link_history(record_id: int, persons: bool, fmt: str) -> None:
        """Every judgement about pairs the incident (or person record) is in, withdrawn ones included."""
        from ..services import linking, person_linking

        found = (person_linking.judgements_of(workspace(), user=None, record_id=record_id) if persons
                 else linking.judgements_of(workspace(), user=None, incident_id=record_id))
        emit([_row(j) for j in found], fmt=fmt, title=f"judgements about {'person record' if persons else 'incident'} "
             f"{record_id}")
