"""Next and previous on the review page, and the next suggestion after a decision, step over the copies folded
with the current suggestion in the queue (the fold the queue shows), landing on the next distinct suggestion;
with the queue unfolded they go one by one, as before."""
from __future__ import annotations

import html
import re

import pytest
from _client import form_token, signed_in
from _review_scale_helpers import folded_queue

from tawthiq.domain.enums import IncidentStatus
from tawthiq.services import Workspace
from tawthiq.store.incidents import get_incident


@pytest.fixture
def queue(ws: Workspace) -> dict[str, int]:
    return folded_queue(ws)


def _rows(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="review-row" data-incident-id="(\d+)"', page)]


def _step(client: object, here: int, way: str, queue: str) -> str:
    response = client.get(f"/review/{here}/{way}", params={"queue": queue} if queue else {},  # type: ignore[attr-defined]
                          follow_redirects=False)
    assert response.status_code == 303
    return html.unescape(response.headers["location"])


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_next_and_previous_step_over_the_folded_copies_as_the_queue_shows_them(
        ws: Workspace, queue: dict[str, int], lang: str) -> None:
    client = signed_in(ws, "nour", "documenter", lang=lang)
    q = "sort=oldest"
    rows = _rows(client.get(f"/review?{q}").text)
    assert rows == [queue[k] for k in ("A1", "B", "C", "D1", "E")]
    # Forwards row by row, never onto a copy, to the end of the queue.
    walked, here = [rows[0]], rows[0]
    while True:
        location = _step(client, here, "next", q)
        if "edge=last" in location:
            assert location == f"/review/{here}?edge=last&queue=sort%3Doldest"
            break
        here = int(re.match(r"/review/(\d+)\?queue=sort%3Doldest$", location).group(1))  # type: ignore[union-attr]
        walked.append(here)
    assert walked == rows
    # And backwards, row by row: from B to A1 (the row shown), not to a copy.
    back, here = [rows[-1]], rows[-1]
    while "edge=first" not in (location := _step(client, here, "previous", q)):
        here = int(re.match(r"/review/(\d+)", location).group(1))  # type: ignore[union-attr]
        back.append(here)
    assert back == rows[::-1]
    # A copy opened by itself stands where its row does (A3 lies after B, D2 after E).
    assert _step(client, queue["A3"], "next", q).startswith(f"/review/{queue['B']}?")
    assert _step(client, queue["D2"], "previous", q).startswith(f"/review/{queue['C']}?")
    # The page itself says the edge in the page's language.
    edge = client.get(f"/review/{queue['E']}?edge=last&queue=sort%3Doldest").text
    assert {"en": "This is the last suggestion of the queue.", "ar": "هذا آخر اقتراح في القائمة."}[lang] in edge


def test_newest_first_and_by_confidence_step_over_the_copies_too(ws: Workspace, queue: dict[str, int]) -> None:
    client = signed_in(ws, "nour", "documenter")
    for q in ("", "sort=confidence", "group=source"):
        rows = _rows(client.get(f"/review?{q}").text)
        assert len(rows) == 5
        for here, there in zip(rows, rows[1:]):
            assert _step(client, here, "next", q).startswith(f"/review/{there}"), (q, here, there)
            assert _step(client, there, "previous", q).startswith(f"/review/{here}"), (q, here, there)


def test_with_the_queue_unfolded_each_copy_is_its_own_step(ws: Workspace, queue: dict[str, int]) -> None:
    client = signed_in(ws, "nour", "documenter")
    q = "sort=oldest&fold=off"
    assert _rows(client.get(f"/review?{q}").text) == sorted(queue.values())
    assert _step(client, queue["A1"], "next", q).startswith(f"/review/{queue['A2']}?")
    assert _step(client, queue["B"], "next", q).startswith(f"/review/{queue['A3']}?")
    assert _step(client, queue["C"], "previous", q).startswith(f"/review/{queue['A3']}?")
    # And after a decision, the next one is the copy.
    item = client.get(f"/review/{queue['A1']}").text
    done = client.post(f"/review/{queue['A1']}/accept", follow_redirects=False,
                       data={"csrf_token": form_token(item), "comment": "", "queue": q})
    assert done.headers["location"].startswith(f"/review/{queue['A2']}?")


@pytest.mark.parametrize(("lang", "said"), [("en", "was accepted."), ("ar", "قُبلت الحادثة رقم")])
def test_after_a_decision_the_next_is_the_next_distinct_suggestion_and_the_copies_stay_folded(
        ws: Workspace, queue: dict[str, int], lang: str, said: str) -> None:
    client = signed_in(ws, "nour", "documenter", lang=lang)
    token = form_token(client.get(f"/review/{queue['A1']}?queue=sort%3Doldest").text)

    def decide(key: str, verdict: str, q: str = "sort=oldest") -> str:
        done = client.post(f"/review/{queue[key]}/{verdict}", follow_redirects=False,
                           data={"csrf_token": token, "comment": "" if verdict == "accept" else "a copy", "queue": q})
        assert done.status_code == 303
        return done.headers["location"]

    # Accepting A1 goes on to B, not to A2, its copy (A1 has left the queue; its copies are found all the same).
    location = decide("A1", "accept")
    assert location == f"/review/{queue['B']}?done=accepted&id={queue['A1']}&queue=sort%3Doldest"
    assert said in client.get(location).text
    # The copies wait for review still, as one row of the queue, to be decided together from there.
    assert get_incident(ws.db, queue["A2"]).status is IncidentStatus.SUGGESTED  # type: ignore[union-attr]
    page = client.get("/review?sort=oldest").text
    assert _rows(page) == [queue[k] for k in ("A2", "B", "C", "D1", "E")]
    assert re.search(rf'data-incident-id="{queue["A2"]}".*?data-identical="1"', page, re.S)
    # Deciding B steps over A3, folded into A2's row; deciding A2 steps over A3, its copy.
    assert decide("B", "reject").startswith(f"/review/{queue['C']}?")
    assert decide("A2", "reject").startswith(f"/review/{queue['C']}?")
    # After E only D2, folded into D1's row (before E): the queue itself, as when the queue is done; and after
    # D1 only D2, its copy: the queue again.
    assert decide("E", "reject") == f"/review?done=rejected&id={queue['E']}&sort=oldest"
    assert decide("D1", "reject") == f"/review?done=rejected&id={queue['D1']}&sort=oldest"
    assert get_incident(ws.db, queue["D2"]).status is IncidentStatus.SUGGESTED  # type: ignore[union-attr]


def test_a_queue_filter_limits_the_copies_stepped_over(ws: Workspace, queue: dict[str, int]) -> None:
    """The copies are the queue's: a suggestion outside the filtered queue is never a step's target."""
    client = signed_in(ws, "nour", "documenter")
    source = get_incident(ws.db, queue["D1"]).source_id  # type: ignore[union-attr]
    q = f"source_id={source}&sort=oldest"
    assert _rows(client.get(f"/review?{q}").text) == [queue["D1"], queue["E"]]
    assert _step(client, queue["D1"], "next", q).startswith(f"/review/{queue['E']}?")
    assert "edge=last" in _step(client, queue["E"], "next", q)
    assert "edge=first" in _step(client, queue["D2"], "previous", q)
