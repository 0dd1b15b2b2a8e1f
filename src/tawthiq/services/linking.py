"""Linking incidents: run the linker, keep its decisions as judgements, review the pairs it is unsure of, undo.

The linker (``link/incidents.py``, Splink) scores pairs of incidents from
different sources. What happens to a pair is decided here, the same way for
every run:

* a pair a person has judged (in force), or whose linker judgement a person
  withdrew, is left alone: the linker never overrides nor re-proposes it;
* at or above ``threshold`` the linker records ``same`` (the clusters follow);
* unless the pair contradicts itself (``ScoredPair.conflicts``: two incidents that cannot be one
  event, or a join that would chain two such into one cluster): then ``unsure``, with the reason;
* inside the review band it records ``unsure``: the pair waits in the review
  queue for a person, with the comparison's per-field weights;
* a pair the linker had judged otherwise before gets the new judgement and
  the old one is withdrawn, saying which model and probability replaced it.

A person's decision on a pair withdraws whatever the linker said about it
and outranks it from then on. Nothing is deleted: ``undo`` withdraws a
judgement (and undoes a reviewer's merge that made it), and the history of a
pair keeps every judgement.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from ..domain.access import Action, User, allowed, visible_confidentialities
from ..domain.judgements import Judgement, ScoredPair, Subject, Verdict

# Defaults from the incident-duplicates benchmark (docs/figures.md, "Incident linkage"); importing
# them loads no Splink.
from ..link.incidents import DEFAULT_REVIEW_BAND, DEFAULT_THRESHOLD
from .errors import Conflict, NotFound, PermissionDenied, ServiceError
from .link_decisions import LINKER, LinkRun, check_band, decide_pairs, person_decides  # noqa: F401  (LINKER re-exported)

if TYPE_CHECKING:
    from . import Workspace


# What scores the pairs: ``link.incidents.link_incidents`` unless a caller gives another (the tests'
# small scorers check the decisions without Splink's training noise). It receives the linkable
# incidents and returns (pairs, model version, notes).
Scorer = Callable[..., tuple[list[ScoredPair], str, list[str]]]


def _splink_scorer(rows: Sequence[Any], *, backend: str, min_probability: float
                   ) -> tuple[list[ScoredPair], str, list[str]]:
    from ..link.incidents import LinkableIncident, link_incidents

    items = [LinkableIncident(incident=r.incident, language=r.language) for r in rows]
    if backend != "spark":
        try:
            result = link_incidents(items, backend=backend, min_probability=min_probability)
        except RuntimeError as exc:  # the backend cannot run here: one line
            raise ServiceError(str(exc)) from None
        return result.pairs, result.model_version, list(result.notes)
    with _local_spark() as spark:
        try:
            result = link_incidents(items, backend="spark", spark=spark, min_probability=min_probability)
        except RuntimeError as exc:
            raise ServiceError(str(exc)) from None
    return result.pairs, result.model_version, list(result.notes)


@contextmanager
def _local_spark() -> Iterator[Any]:
    """A Spark session in local mode for one run (a cluster's session is the caller's to give)."""
    import shutil

    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ServiceError("the spark backend needs pyspark: pip install 'tawthiq[spark]'") from None
    if shutil.which("java") is None:
        raise ServiceError("the spark backend needs a Java runtime: apt-get install openjdk-17-jre-headless")
    import os
    import sys

    # Spark's Python workers run this interpreter (the venv's), not whatever python3 is first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    import tempfile

    from ..link.backends import spark_jar

    with tempfile.TemporaryDirectory(prefix="tawthiq-spark-") as scratch:
        # Splink's string-similarity functions (the person model's Jaro-Winkler) come in a jar; a
        # checkpoint folder keeps Splink's intermediate tables out of the driver's memory.
        spark = (SparkSession.builder.master("local[*]").appName("tawthiq-link")
                 .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
                 .config("spark.jars", spark_jar()).config("spark.driver.memory", "4g")
                 .config("spark.local.dir", scratch).getOrCreate())
        spark.sparkContext.setCheckpointDir(scratch)
        try:
            yield spark
        finally:
            spark.stop()


def link_incidents(ws: Workspace, *, since: date | None = None, threshold: float = DEFAULT_THRESHOLD,
                   review_band: tuple[float, float] = DEFAULT_REVIEW_BAND, backend: str = "duckdb",
                   involving: Collection[int] | None = None, scorer: Scorer | None = None) -> LinkRun:
    """Score every linkable incident against the others and record the linker's judgements.

    With ``since``, only pairs with at least one incident added on or after that day are decided;
    with ``involving`` (an ingest batch's new incidents), only pairs with one of them. The other
    incidents still inform the model's parameters.
    """
    from ..store import linking as lstore

    check_band(threshold, review_band)
    rows = list(lstore.linkable(ws.db))
    run = LinkRun(compared=len(rows))
    if len(rows) < 2:
        run.notes.append("fewer than two incidents to compare")
        return run
    score = scorer or _splink_scorer
    pairs, version, notes = score(rows, backend=backend, min_probability=max(review_band[0], 1e-6))
    run.model_version, run.notes = version, list(notes)
    recent = ({int(r.incident.id) for r in rows if r.created_at is not None and r.created_at.date() >= since}
              if since else None)
    if involving is not None:
        chosen = {int(i) for i in involving}
        recent = chosen if recent is None else recent & chosen
    in_run = {int(r.incident.id) for r in rows}
    decide_pairs(ws, run=run, subject=Subject.INCIDENT, pairs=pairs, version=version, in_run=in_run, scope=recent,
                 threshold=threshold, review_band=review_band)
    return run


# ------------------------------------------------------------------ people


def _require(user: User | None) -> None:
    if user is not None and (user.disabled or not allowed(user.role, Action.EDIT)):
        raise PermissionDenied(f"your role ({user.role}) may not judge whether incidents are the same")


def _visible(session: Any, user: User | None, ids: Sequence[int]) -> None:
    """Refuse (as not found) an incident the user may not see, or that does not exist."""
    from ..store.judgements import confidentiality_of

    # Only the level is needed: loading each incident whole cost the incident page a full read.
    levels = confidentiality_of(session, ids)
    for incident_id in ids:
        level = levels.get(int(incident_id))
        if level is None or (user is not None and level not in visible_confidentialities(user.role)):
            raise NotFound(f"no incident with id {incident_id}")


def decide(ws: Workspace, *, user: User | None, actor: str, a: int, b: int, verdict: Verdict | str,
           comment: str = "") -> int:
    """A person's judgement on a pair of incidents; returns its id.

    Whatever the linker said about the pair, and the person's own earlier
    judgement of it, are withdrawn: the latest person's word is the one in force.
    """
    _require(user)
    who = user.username if user is not None else actor
    return person_decides(ws, subject=Subject.INCIDENT, who=who, a=a, b=b, verdict=verdict, comment=comment,
                          check=lambda session, ids: _visible(session, user, ids))


def undo_any(ws: Workspace, *, user: User | None, actor: str, judgement_id: int, comment: str = "") -> Judgement:
    """Undo a judgement whatever it pairs (incidents or person records): ``tawthiq link undo``."""
    from ..store import judgements as jstore
    from . import person_linking

    found = jstore.get(ws.db, int(judgement_id))
    if found is not None and found.subject is Subject.PERSON:
        return person_linking.undo(ws, user=user, actor=actor, judgement_id=judgement_id, comment=comment)
    return undo(ws, user=user, actor=actor, judgement_id=judgement_id, comment=comment)


def undo(ws: Workspace, *, user: User | None, actor: str, judgement_id: int, comment: str = "") -> Judgement:
    """Withdraw a judgement (the clusters follow); a reviewer's merge that made it is undone with it.

    Undoing the linker's judgement is a person's decision too: the linker
    will not propose that pair again unless a person judges it.
    """
    from ..store import edits
    from ..store import judgements as jstore
    from ..store.history import NotFoundError

    _require(user)
    who = user.username if user is not None else actor
    with ws.db.session(write=True) as session:
        found = jstore.get_in(session, int(judgement_id))
        if found is None or found.subject is not Subject.INCIDENT:
            raise NotFound(f"no incident judgement with id {judgement_id}")
        _visible(session, user, (found.left_id, found.right_id))
        if not found.in_force:
            raise Conflict(f"judgement {judgement_id} was already withdrawn by {found.withdrawn_by}")
        try:
            done = jstore.withdraw_in(session, int(judgement_id), by=who, why=(comment or "").strip() or "undone")
        except NotFoundError as exc:
            raise NotFound(str(exc)) from None
        if found.verdict is Verdict.SAME and found.by_person:
            # A reviewer's merge is this judgement: the merged incident stands on its own again.
            for merged, into in ((found.left_id, found.right_id), (found.right_id, found.left_id)):
                row = edits.load_incident(session, merged)
                if row is not None and row.merged_into_id == into:
                    edits.unmerge(session, merged, user=who, comment=(comment or "").strip()
                                  or f"judgement {judgement_id} undone")
    return done


# ------------------------------------------------------------------- reading


def review_queue(ws: Workspace, *, user: User | None, limit: int = 50) -> list[Judgement]:
    """The linker's ``unsure`` pairs no person has judged yet, most probable first."""
    from ..store import judgements as jstore

    if user is not None and not allowed(user.role, Action.READ_RESTRICTED):
        raise PermissionDenied(f"your role ({user.role}) may not review pairs of incidents")
    with ws.db.session() as session:
        queued = jstore.in_force(session, Subject.INCIDENT, verdict=Verdict.UNSURE, by_person=False)
        levels = set(visible_confidentialities(user.role)) if user is not None else None
        if levels is not None:
            seen = jstore.confidentiality_of(session, {i for j in queued for i in (j.left_id, j.right_id)})
            queued = [j for j in queued if seen.get(j.left_id) in levels and seen.get(j.right_id) in levels]
    queued.sort(key=lambda j: (-(j.probability or 0.0), j.id or 0))
    return queued[:max(0, int(limit))]


def judgements_of(ws: Workspace, *, user: User | None, incident_id: int) -> list[Judgement]:
    """Every judgement (withdrawn ones too) about pairs the incident is in, oldest first.

    Who judged and why is provenance: viewers are told nothing of it.
    """
    from ..store import judgements as jstore

    if user is not None and not allowed(user.role, Action.READ_RESTRICTED):
        raise PermissionDenied(f"your role ({user.role}) may not see who judged incidents the same")
    with ws.db.session() as session:
        _visible(session, user, (incident_id,))
        found = jstore.involving(session, Subject.INCIDENT, (incident_id,))
        if user is not None:
            levels = set(visible_confidentialities(user.role))
            seen = jstore.confidentiality_of(session, {i for j in found for i in (j.left_id, j.right_id)})
            found = [j for j in found if seen.get(j.left_id) in levels and seen.get(j.right_id) in levels]
    return found


def cluster_of(ws: Workspace, *, user: User | None, incident_id: int) -> list[int]:
    """The ids of the incidents in the incident's cluster that the user may see (itself included)."""
    from ..store import judgements as jstore

    if user is not None and not allowed(user.role, Action.READ_RESTRICTED):
        raise PermissionDenied(f"your role ({user.role}) may not see which incidents are judged the same")
    with ws.db.session() as session:
        _visible(session, user, (incident_id,))
        members = jstore.cluster_members(session, Subject.INCIDENT, int(incident_id))
        if user is not None:
            levels = set(visible_confidentialities(user.role))
            seen = jstore.confidentiality_of(session, set(members))
            members = [m for m in members if seen.get(m) in levels]
    return members


# ------------------------------------------------------------- ingest stage


class LinkStage:
    """The ingest stage that links a batch's new incidents with the record (``--no-link`` leaves it out).

    Per file it notes the incidents the file added; once the batch is done it
    runs the linker over the record, deciding only pairs with a new incident.
    """

    name = "link"
    per_document = False
    in_transaction = False

    def __init__(self, ws: Workspace, *, threshold: float = DEFAULT_THRESHOLD,
                 review_band: tuple[float, float] = DEFAULT_REVIEW_BAND, scorer: Scorer | None = None) -> None:
        self.ws, self.threshold, self.review_band, self.scorer = ws, threshold, review_band, scorer
        self.new: set[int] = set()

    def run(self, ctx: Any) -> None:
        for document in ctx.documents:
            if document.created:
                self.new.update(int(i) for i in document.incident_ids)

    def finish(self, results: list[Any]) -> list[str]:
        if not self.new:
            return []
        new, self.new = self.new, set()
        run = link_incidents(self.ws, threshold=self.threshold, review_band=self.review_band, involving=new,
                             scorer=self.scorer)
        return [f"linked {len(new)} new incident(s) with the record: {run.same} same, {run.queued} to review"]
