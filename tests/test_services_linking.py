"""The linker's decisions kept as judgements: threshold and review band, people outrank it, undo, clusters."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest
from _users import DOCUMENTER, REVIEWER, VIEWER

from tawthiq.domain import Confidentiality, Incident, IncidentDate, IncidentStatus, Location, Source, SourceKind
from tawthiq.domain.judgements import ScoredPair, Subject, Verdict
from tawthiq.services import Workspace, linking, review
from tawthiq.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from tawthiq.store import judgements as jstore
from tawthiq.store import repository
from tawthiq.store.edits import load_incident


def _add(ws: Workspace, n: int, *, confidentiality: Confidentiality = Confidentiality.RESTRICTED) -> list[int]:
    ids = []
    for i in range(n):
        text = f"report {i}: a strike on Ariha"
        _, _, [iid] = repository.add_source_with_incidents(
            ws.db, Source(kind=SourceKind.TEXT, sha256=f"{i:064x}", text=text, language="en"),
            [Incident(event_type="air-drone-strike", date=IncidentDate(edtf="2015-10-07"),
                      location=Location(name="Ariha", admin1="Idlib"), confidentiality=confidentiality)])
        ids.append(iid)
    return ids


class Fixed:
    """Gives the pairs it was told, as the Splink linker would: the decisions are what is under test."""

    def __init__(self, probabilities: dict[tuple[int, int], float]) -> None:
        self.probabilities = probabilities
        self.seen: list[int] = []

    def __call__(self, rows: Sequence[Any], *, backend: str, min_probability: float
                 ) -> tuple[list[ScoredPair], str, list[str]]:
        self.seen = [int(r.incident.id) for r in rows]
        return ([ScoredPair(a, b, p, weights={"date": 3.2, "place": -1.0}, levels={"date": "same day"})
                 for (a, b), p in self.probabilities.items() if p >= min_probability], "test-model-1", [])


def _cluster(ws: Workspace, incident_id: int) -> int | None:
    with ws.db.session() as session:
        found = load_incident(session, incident_id)
    assert found is not None
    return found.cluster_id


def test_above_the_threshold_same_in_the_band_queued_below_nothing(ws: Workspace) -> None:
    a, b, c, d = _add(ws, 4)
    run = linking.link_incidents(ws, scorer=Fixed({(a, b): 0.97, (a, c): 0.7, (a, d): 0.1}),
                                 threshold=0.9, review_band=(0.5, 0.9))
    assert (run.compared, run.same, run.queued, run.scored) == (4, 1, 1, 2)
    assert _cluster(ws, a) == a and _cluster(ws, b) == a and _cluster(ws, c) is None and _cluster(ws, d) is None
    [same] = jstore.of_pair(ws.db, Subject.INCIDENT, a, b)
    assert same.actor == linking.LINKER and not same.by_person and same.model_version == "test-model-1"
    assert same.probability == pytest.approx(0.97) and same.weights == {"date": 3.2, "place": -1.0}
    assert same.levels == {"date": "same day"}
    [queued] = linking.review_queue(ws, user=REVIEWER)
    assert (queued.left_id, queued.right_id, queued.verdict) == (a, c, Verdict.UNSURE)
    # Run again, nothing changed: the same judgements stand, none added.
    again = linking.link_incidents(ws, scorer=Fixed({(a, b): 0.97, (a, c): 0.7}), threshold=0.9,
                                   review_band=(0.5, 0.9))
    assert (again.same, again.queued, again.kept, again.withdrawn) == (0, 0, 2, 0)


def test_a_persons_not_same_survives_a_relink_and_is_never_proposed_again(ws: Workspace) -> None:
    a, b, c = _add(ws, 3)
    linking.link_incidents(ws, scorer=Fixed({(a, b): 0.99, (b, c): 0.95}))
    assert _cluster(ws, c) == a
    linking.decide(ws, user=DOCUMENTER, actor="", a=b, b=c, verdict="not-same", comment="two strikes, two days")
    assert _cluster(ws, c) is None and _cluster(ws, b) == a  # the linker's same on (b, c) was withdrawn
    run = linking.link_incidents(ws, scorer=Fixed({(a, b): 0.99, (b, c): 0.999}))
    assert run.left_to_people == 1 and _cluster(ws, c) is None
    history = jstore.of_pair(ws.db, Subject.INCIDENT, b, c)
    assert [(j.actor, j.verdict.value, j.in_force) for j in history] == [
        ("linker", "same", False), (DOCUMENTER.username, "not-same", True)]
    assert "replaced by" in history[0].withdrawn_why


def test_undo_splits_the_cluster_and_the_linker_does_not_redo_it(ws: Workspace) -> None:
    a, b = _add(ws, 2)
    linking.link_incidents(ws, scorer=Fixed({(a, b): 0.99}))
    [same] = jstore.of_pair(ws.db, Subject.INCIDENT, a, b)
    undone = linking.undo(ws, user=REVIEWER, actor="", judgement_id=int(same.id or 0), comment="different towns")
    assert not undone.in_force and undone.withdrawn_by == REVIEWER.username
    assert _cluster(ws, a) is None and _cluster(ws, b) is None
    assert linking.link_incidents(ws, scorer=Fixed({(a, b): 0.99})).left_to_people == 1
    with pytest.raises(Conflict, match="already withdrawn"):
        linking.undo(ws, user=REVIEWER, actor="", judgement_id=int(same.id or 0))
    with pytest.raises(NotFound):
        linking.undo(ws, user=REVIEWER, actor="", judgement_id=10**9)


def test_undoing_a_merge_restores_the_merged_incident(ws: Workspace) -> None:
    a, b = _add(ws, 2)
    review.accept(ws, user=REVIEWER, incident_id=b)
    review.merge(ws, user=REVIEWER, incident_id=b, into_id=a, comment="same strike")
    assert _cluster(ws, b) == a
    [same] = jstore.of_pair(ws.db, Subject.INCIDENT, a, b)
    linking.undo(ws, user=REVIEWER, actor="", judgement_id=int(same.id or 0), comment="not the same after all")
    with ws.db.session() as session:
        back = load_incident(session, b)
        target = load_incident(session, a)
    assert back is not None and back.status is IncidentStatus.CONFIRMED and back.merged_into_id is None
    assert back.cluster_id is None and target is not None
    copied = [c for c in target.claims if c.note.startswith(f"merged from #{b}")]
    assert all(not c.current and "unmerged" in c.superseded_note for c in copied)
    actions = [e.action for e in repository.incident_history(ws.db, b)]
    assert actions[-1] == "unmerge"


def test_since_decides_only_pairs_with_a_new_incident(ws: Workspace) -> None:
    a, b, c = _add(ws, 3)
    run = linking.link_incidents(ws, scorer=Fixed({(a, b): 0.99}), since=date(2999, 1, 1))
    assert run.same == 0 and run.compared == 3


def test_who_may_judge_and_what_they_may_see(ws: Workspace) -> None:
    a, b = _add(ws, 2)
    with pytest.raises(PermissionDenied):
        linking.decide(ws, user=VIEWER, actor="", a=a, b=b, verdict="same")
    with pytest.raises(PermissionDenied):
        linking.review_queue(ws, user=VIEWER)
    with pytest.raises(NotFound):
        linking.decide(ws, user=DOCUMENTER, actor="", a=a, b=10**9, verdict="same")
    with pytest.raises(ServiceError, match="verdict"):
        linking.decide(ws, user=DOCUMENTER, actor="", a=a, b=b, verdict="maybe")
    with pytest.raises(Conflict):
        linking.decide(ws, user=DOCUMENTER, actor="", a=a, b=a, verdict="same")
    with pytest.raises(ServiceError, match="review band"):
        linking.link_incidents(ws, scorer=Fixed({}), threshold=0.8, review_band=(0.5, 0.95))
    # The CLI is the machine's operator (user None): it names itself.
    judged = linking.decide(ws, user=None, actor="cli:op", a=a, b=b, verdict="same")
    assert jstore.get(ws.db, judged).actor == "cli:op"  # type: ignore[union-attr]
    assert linking.cluster_of(ws, user=DOCUMENTER, incident_id=b) == [a, b]


def test_lists_give_the_cluster_and_its_independent_sources(ws: Workspace) -> None:
    from tawthiq import services
    from tawthiq.domain.filters import IncidentFilter
    from tawthiq.services.reading import get_incident_view, query_incidents

    long_text = ("Russian aircraft struck the market in Ariha on 7 October 2015, killing five civilians "
                 "including two children, according to local activists on the ground.")
    ids = []
    # Two copies of one article (another address, other spacing) and one independent report.
    for sha, text, url in (("1", long_text, "https://a.example/1"), ("2", long_text.replace(" ", "  "), "https://b.example/x"),
                           ("3", "An independent witness saw the strike on the Ariha market that morning, with "
                                 "five dead among the stalls and many wounded.", "")):
        _, _, [iid] = repository.add_source_with_incidents(
            ws.db, Source(kind=SourceKind.TEXT, sha256=sha * 64, text=text, url=url, language="en"),
            [Incident(event_type="air-drone-strike", date=IncidentDate(edtf="2015-10-07"),
                      location=Location(name="Ariha", admin1="Idlib"), status=IncidentStatus.CONFIRMED,
                      confidentiality=Confidentiality.PUBLIC if sha == "3" else Confidentiality.RESTRICTED)])
        ids.append(iid)
    a, b, c = ids
    linking.link_incidents(ws, scorer=Fixed({(a, b): 0.99, (b, c): 0.99}))
    rows = {i.id: (i.cluster_id, i.independent_sources) for i in services.list_incidents(ws)}
    assert rows == {a: (a, 2), b: (a, 2), c: (a, 2)}  # three files, two accounts
    page = query_incidents(ws, user=REVIEWER, filters=IncidentFilter())
    assert {s.id: (s.cluster_id, s.independent_sources) for s in page.items} == rows
    assert get_incident_view(ws, user=REVIEWER, incident_id=b).cluster == [a, c]
    # A viewer is told nothing of clusters (they may join incidents and sources it may not see).
    [seen] = query_incidents(ws, user=VIEWER, filters=IncidentFilter()).items
    assert (seen.id, seen.cluster_id, seen.independent_sources) == (c, None, 0)
    linking.decide(ws, user=REVIEWER, actor="", a=a, b=b, verdict="not-same")
    alone = {i.id: (i.cluster_id, i.independent_sources) for i in services.list_incidents(ws)}
    assert alone[a] == (a, 1) and alone[b] == (b, 2) and alone[c] == (b, 2)


class Everyone:
    """Says every two incidents from different sources are the same (the decisions, not the model, under test)."""

    def __call__(self, rows: Sequence[Any], *, backend: str, min_probability: float
                 ) -> tuple[list[ScoredPair], str, list[str]]:
        found = [r.incident for r in rows]
        return ([ScoredPair(a.id, b.id, 0.99) for i, a in enumerate(found) for b in found[i + 1:]
                 if a.source_id != b.source_id], "everyone-1", [])


def test_the_link_stage_links_each_batch_once_after_its_files(ws: Workspace, tmp_path: Any) -> None:
    from tawthiq.ingest.pipeline import ingest_paths
    from tawthiq.ingest.stages import DEFAULT_STAGES
    from tawthiq.services.ingest import _wiring

    old = _add(ws, 1)[0]
    for i in range(2):
        (tmp_path / f"r{i}.txt").write_text(f"Report {i}: Russian aircraft struck Ariha on 7 October 2015, "
                                            "killing five civilians.", encoding="utf-8")
    lines: list[str] = []
    stage = linking.LinkStage(ws, scorer=Everyone())
    results = ingest_paths([tmp_path], **_wiring(ws), stages=[*DEFAULT_STAGES, stage], on_note=lines.append)
    new = [i for r in results for i in repository.incidents_for_source(ws.db, r.source_ids[0])]
    assert len(new) == 2 and all(r.status == "new" for r in results)
    assert len(lines) == 1 and lines[0].startswith("linked 2 new incident(s)")
    assert {_cluster(ws, i.id) for i in new} == {old} and _cluster(ws, old) == old
    # Ingesting the same files again adds nothing, so there is nothing to link.
    again: list[str] = []
    ingest_paths([tmp_path], **_wiring(ws), stages=[*DEFAULT_STAGES, stage], on_note=again.append)
    assert again == []


def test_a_failing_link_stage_is_one_line_and_the_batch_stays(ws: Workspace, tmp_path: Any) -> None:
    from tawthiq.ingest.pipeline import ingest_paths
    from tawthiq.ingest.stages import DEFAULT_STAGES
    from tawthiq.services.ingest import _wiring

    def broken(rows: Sequence[Any], **_: Any) -> Any:
        raise RuntimeError("the model could not be fitted\nsecond line")

    _add(ws, 1)
    (tmp_path / "r.txt").write_text("Russian aircraft struck Ariha on 7 October 2015, killing five civilians.",
                                    encoding="utf-8")
    lines: list[str] = []
    [result] = ingest_paths([tmp_path], **_wiring(ws), stages=[*DEFAULT_STAGES, linking.LinkStage(ws, scorer=broken)],
                            on_note=lines.append)
    assert result.status == "new" and result.incidents >= 1
    [line] = lines
    assert line.startswith("link failed: RuntimeError: the model could not be fitted") and "\n" not in line


def test_a_viewer_is_told_nothing_of_judgements_or_clusters(ws: Workspace) -> None:
    a, b = _add(ws, 2, confidentiality=Confidentiality.PUBLIC)
    linking.link_incidents(ws, scorer=Fixed({(a, b): 0.99}))
    with pytest.raises(PermissionDenied):
        linking.judgements_of(ws, user=VIEWER, incident_id=a)
    with pytest.raises(PermissionDenied):
        linking.cluster_of(ws, user=VIEWER, incident_id=a)


class Contradicting(Fixed):
    """Gives its pairs with the contradiction the linker found in (a, b)."""

    def __call__(self, rows: Sequence[Any], *, backend: str, min_probability: float
                 ) -> tuple[list[ScoredPair], str, list[str]]:
        pairs, version, notes = super().__call__(rows, backend=backend, min_probability=min_probability)
        first = min(self.probabilities)
        return ([ScoredPair(p.left_id, p.right_id, p.probability, weights=p.weights, levels=p.levels,
                            conflicts=("dated 4 days apart (2023-04-09, 2023-04-13)",) if (p.left_id, p.right_id)
                            == first else ()) for p in pairs], version, notes)


def test_a_contradicting_pair_above_the_threshold_goes_to_review_with_the_reason(ws: Workspace) -> None:
    a, b, c = _add(ws, 3)
    run = linking.link_incidents(ws, scorer=Contradicting({(a, b): 0.99, (a, c): 0.97}), threshold=0.9)
    assert (run.same, run.queued) == (1, 1)
    [held] = jstore.of_pair(ws.db, Subject.INCIDENT, a, b)
    assert held.verdict is Verdict.UNSURE and "4 days apart" in held.comment and "person" in held.comment
    assert _cluster(ws, b) is None and _cluster(ws, c) == _cluster(ws, a)
    assert [j.left_id for j in linking.review_queue(ws, user=None)] == [a]
