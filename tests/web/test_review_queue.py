"""The review queue's order, filters, confidence and source columns, and the next suggestion after a decision."""
from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from _client import form_token, signed_in
from _record_helpers import SEED, ingest_text, text_of

from tawthiq.domain.enums import IncidentStatus
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store.incidents import get_incident
from tawthiq.store.sources import get_source
from tawthiq.web.queue_query import QueueQuery, parse_queue, queue_from_field
from tawthiq.web.routes import review_queue as review_routes

ARIHA = "Ariha, 12 May 2019: Russian jets struck a bakery in Ariha, killing two civilians, a witness said.\n"
DOUMA = "دوما، 15 تشرين الثاني 2017: قتل ثلاثة مدنيين جراء قصف قوات النظام على سوق مدينة دوما.\n"


@pytest.fixture
def ws(ws: Workspace, tmp_path: Path) -> Workspace:
    """The seed report (several suggestions from one source), then two one-incident reports."""
    (result,) = ingest_files(ws, [SEED])
    assert result.status == "new" and result.incidents >= 3
    ingest_text(ws, tmp_path, "ariha.txt", ARIHA)
    ingest_text(ws, tmp_path, "douma.txt", DOUMA)
    return ws


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="review-row" data-incident-id="(\d+)"', page)]


def _row_sources(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="queue-source" data-source-id="(\d+)"', page)]


def _hidden_queue(page: str) -> list[str]:
    return [html.unescape(v) for v in re.findall(r'<input type="hidden" name="queue" value="([^"]*)">', page)]


def test_newest_is_the_default_and_oldest_and_confidence_reorder(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    newest = _ids(client.get("/review").text)
    assert len(newest) >= 5 and newest == sorted(newest, reverse=True)
    assert _ids(client.get("/review?sort=newest").text) == newest
    assert _ids(client.get("/review?sort=oldest").text) == sorted(newest)
    by_confidence = _ids(client.get("/review?sort=confidence").text)
    assert sorted(by_confidence) == sorted(newest)
    keys = [(get_incident(ws.db, i).confidence, i) for i in by_confidence]
    assert keys == sorted(keys)  # least confident first, ties by number


@pytest.mark.parametrize("query", ["sort=bogus", "sort=", "sort=-id", "sort=%00", "group=nonsense", "page=abc"])
def test_an_unknown_order_is_the_default_not_an_error(ws: Workspace, query: str) -> None:
    client = signed_in(ws, "nour", "documenter")
    default = _ids(client.get("/review").text)
    page = client.get(f"/review?{query}")
    assert page.status_code == 200 and "Traceback" not in page.text
    assert _ids(page.text) == default
    assert 'option value="newest" selected' in page.text


def test_a_malformed_filter_shows_the_whole_queue_and_says_so(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    page = client.get("/review?date_from=yesterday&event_type=nothing-like-it")
    assert page.status_code == 200
    assert 'data-testid="queue-error"' in page.text and "could not be read" in page.text
    assert _ids(page.text) == _ids(client.get("/review").text)
    arabic = signed_in(ws, "nour", lang="ar").get("/review?received_to=2015-13-40")
    assert "تعذّرت قراءة أحد المرشّحات" in arabic.text


def test_filters_narrow_the_queue_and_the_form_keeps_them(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    everything = _ids(client.get("/review").text)
    types = {i: get_incident(ws.db, i).event_type for i in everything}
    wanted = types[everything[0]]
    page = client.get(f"/review?event_type={wanted}&sort=oldest")
    shown = _ids(page.text)
    assert shown == sorted(i for i, t in types.items() if t == wanted)
    assert len(shown) < len(everything)
    assert f'<option value="{wanted}" selected>' in page.text
    assert 'option value="oldest" selected' in page.text
    # One source's suggestions only, and the number stays in its box.
    sources = {i: get_incident(ws.db, i).source_id for i in everything}
    seed_source = sources[min(everything)]
    page = client.get(f"/review?source_id={seed_source}")
    assert set(_ids(page.text)) == {i for i, s in sources.items() if s == seed_source}
    assert f'name="source_id" id="queue-source" data-testid="queue-source-id" value="{seed_source}"' in page.text
    # A place by name, in either script.
    douma = client.get("/review?place=دوما").text
    assert len(_ids(douma)) == 1 and "Douma" in text_of(douma)


def test_date_received_filters_by_the_day_the_record_was_made(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    everything = _ids(client.get("/review").text)
    today = datetime.now(UTC).date()  # the records were made a moment ago (UTC days)
    kept = client.get(f"/review?received_from={today}&received_to={today}&date_from=2011-03-15").text
    assert set(_ids(kept)) <= set(everything)
    # The form shows the dates chosen, in both date ranges.
    assert f'name="received_from" id="queue-received-from" data-testid="queue-received-from" value="{today}"' in kept
    assert 'name="date_from" id="queue-date-from" data-testid="queue-date-from" value="2011-03-15"' in kept
    assert set(_ids(client.get(f"/review?received_from={today}&received_to={today}").text)) == set(everything)
    earlier = client.get(f"/review?received_to={today - timedelta(days=1)}")
    assert _ids(earlier.text) == [] and 'data-testid="review-empty"' in earlier.text
    assert f'value="{today - timedelta(days=1)}"' in earlier.text  # kept in the form
    assert _ids(client.get(f"/review?received_from={today + timedelta(days=1)}").text) == []


def test_paging_keeps_the_order_and_filters(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    client = signed_in(ws, "nour", "documenter")
    everything = sorted(_ids(client.get("/review").text))
    monkeypatch.setattr(review_routes, "PER_PAGE", 2)
    seed_source = get_incident(ws.db, everything[0]).source_id
    mine = [i for i in everything if get_incident(ws.db, i).source_id == seed_source]
    assert len(mine) >= 3
    first = client.get(f"/review?sort=oldest&source_id={seed_source}").text
    assert _ids(first) == mine[:2]
    link = html.unescape(re.search(r'href="([^"]+)" rel="next" data-testid="pager-next"', first).group(1))
    assert parse_qs(urlsplit(link).query) == {"sort": ["oldest"], "source_id": [str(seed_source)], "page": ["2"]}
    second = client.get(link).text
    assert _ids(second) == mine[2:4]
    back = html.unescape(re.search(r'href="([^"]+)" rel="prev"', second).group(1))
    assert _ids(client.get(back).text) == mine[:2]


def test_confidence_in_words_and_the_source_of_each_suggestion(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    page = client.get("/review").text
    cells = re.findall(r'<span class="confidence (\w+)" data-level="\w+" title="([0-9.]+)">([^<]+)</span>', page)
    assert len(cells) == len(_ids(page))
    for (level, number, word), incident_id in zip(cells, _ids(page), strict=True):
        value = get_incident(ws.db, incident_id).confidence
        assert float(number) == pytest.approx(value, abs=0.005)
        assert level == ("low" if value < 0.5 else "medium" if value < 0.7 else "high") and word == level
    shown = text_of(page)
    for source_id in set(_row_sources(page)):
        source = get_source(ws.db, source_id)
        assert f'<a href="/sources/{source_id}">#{source_id}' in page
        assert f"#{source_id} {(source.title or source.original_name)[:60]}" in shown
    assert "exclusive –\xa0Raqqa is Being Slaughtered Silently" in shown  # the seed report's own title
    arabic = signed_in(ws, "nour", lang="ar").get("/review").text
    assert re.search(r'data-level="(low|medium|high)"[^>]*>(منخفضة|متوسطة|عالية)<', arabic)
    assert "الأقل ثقة أولاً" in arabic and "تاريخ الورود" in arabic and "تجميع حسب المصدر" in arabic


def test_grouped_by_source_rows_run_by_source_then_number(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    page = client.get("/review?group=source&sort=newest").text
    pairs = list(zip(_row_sources(page), _ids(page), strict=True))
    assert len(set(s for s, _ in pairs)) == 3 and pairs == sorted(pairs)
    assert 'id="queue-group" data-testid="queue-group" checked' in page


def test_accept_goes_to_the_next_suggestion_of_the_same_queue_with_the_notice(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    queue = client.get("/review?sort=oldest").text
    order = _ids(queue)
    open_link = html.unescape(re.search(rf'href="(/review/{order[0]}[^"]*)"', queue).group(1))
    assert open_link == f"/review/{order[0]}?queue=sort%3Doldest"
    item = client.get(open_link).text
    assert _hidden_queue(item) == ["sort=oldest"] * 4  # accept, merge, reject and correct carry it
    assert 'href="/review?sort=oldest" data-testid="back-to-queue"' in item
    done = client.post(f"/review/{order[0]}/accept", follow_redirects=False,
                       data={"csrf_token": form_token(item), "comment": "", "queue": "sort=oldest"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/review/{order[1]}?done=accepted&id={order[0]}&queue=sort%3Doldest"
    following = client.get(done.headers["location"]).text
    assert f"Incident #{order[0]} was accepted." in text_of(following)
    assert f'data-incident-id="{order[1]}"' in following and _hidden_queue(following) == ["sort=oldest"] * 4
    assert get_incident(ws.db, order[0]).status is IncidentStatus.CONFIRMED
    # Rejecting in the newest-first queue goes down the numbers.
    newest = _ids(client.get("/review").text)
    done = client.post(f"/review/{newest[0]}/reject", follow_redirects=False,
                       data={"csrf_token": form_token(item), "comment": "not an incident", "queue": ""})
    assert done.headers["location"] == f"/review/{newest[1]}?done=rejected&id={newest[0]}"
    arabic = signed_in(ws, "nour", lang="ar").get(done.headers["location"]).text
    assert f"رُفضت الحادثة رقم {newest[0]}." in text_of(arabic)


def test_the_next_one_follows_the_filtered_queue_and_the_last_goes_back_to_it(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    everything = _ids(client.get("/review").text)
    seed_source = get_incident(ws.db, min(everything)).source_id
    queue = f"source_id={seed_source}&sort=confidence"
    order = _ids(client.get(f"/review?{queue}").text)
    token = form_token(client.get(f"/review/{order[0]}").text)
    for here, there in zip(order, [*order[1:], None], strict=True):
        done = client.post(f"/review/{here}/accept", follow_redirects=False,
                           data={"csrf_token": token, "comment": "", "queue": queue})
        location = done.headers["location"]
        if there is None:  # the queue is empty: back to it, with the notice and the same choices
            assert location == f"/review?done=accepted&id={here}&sort=confidence&source_id={seed_source}"
            back = client.get(location).text
            assert 'data-testid="done"' in back and _ids(back) == []
        else:
            assert urlsplit(location).path == f"/review/{there}"
            assert parse_qs(urlsplit(location).query)["queue"] == [f"sort=confidence&source_id={seed_source}"]
    other = [i for i in everything if i not in order]
    assert all(get_incident(ws.db, i).status is IncidentStatus.SUGGESTED for i in other)


def test_a_refused_decision_stays_on_the_item_and_keeps_the_queue(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    incident_id = _ids(client.get("/review").text)[0]
    item = client.get(f"/review/{incident_id}?queue=sort%3Dconfidence").text
    refused = client.post(f"/review/{incident_id}/reject",
                          data={"csrf_token": form_token(item), "comment": " ", "queue": "sort=confidence"})
    assert refused.status_code == 400 and "Write a short comment" in refused.text
    assert _hidden_queue(refused.text) == ["sort=confidence"] * 4
    assert get_incident(ws.db, incident_id).status is IncidentStatus.SUGGESTED
    merge = client.post(f"/review/{incident_id}/merge",
                        data={"csrf_token": form_token(item), "into_id": "", "comment": "x", "queue": "sort=oldest"})
    assert merge.status_code == 400 and _hidden_queue(merge.text) == ["sort=oldest"] * 4


def test_a_form_posted_without_the_queue_field_goes_back_to_the_queue(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    incident_id = _ids(client.get("/review").text)[0]
    done = client.post(f"/review/{incident_id}/accept", follow_redirects=False,
                       data={"csrf_token": form_token(client.get("/review").text)})
    assert done.headers["location"] == f"/review?done=accepted&id={incident_id}"


def test_the_queue_field_keeps_only_known_valid_choices() -> None:
    assert queue_from_field("sort=oldest&event_type=air-strike&evil=1&page=3&status=rejected").query() \
        == "sort=oldest&event_type=air-strike"
    assert queue_from_field("sort=nonsense&group=source").query() == "group=source"
    assert queue_from_field("date_from=not-a-date&sort=oldest") == QueueQuery()  # unreadable: the default queue
    assert queue_from_field("x" * 3000) == QueueQuery()
    assert queue_from_field(None) == QueueQuery() and queue_from_field("").query() == ""
    assert queue_from_field("sort=confidence&sort=oldest").sort == "confidence"  # the first value wins
    assert parse_queue({"q": "words", "source_id": "99999999999999999999999"}).bad_filter
    assert parse_queue({"sort": "confidence", "group": "source"}).store_sort == "source"
    assert parse_queue({"sort": "confidence"}).store_sort == "confidence"
    assert parse_queue({}).store_sort == "-id"
