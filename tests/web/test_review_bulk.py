"""The review queue at scale: bulk decisions, assignments and "My queue", the language filter, and
"correct and accept" going on to the next suggestion."""
from __future__ import annotations

import html
import re
from itertools import pairwise
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from _client import form_token, make_user, signed_in
from _forms import encoded, form_fields, submit
from _record_helpers import SEED, ingest_text, text_of

from tawthiq.domain.access import Role, User
from tawthiq.domain.enums import IncidentStatus
from tawthiq.services import Workspace, accounts, queue_work
from tawthiq.services.errors import Conflict, PermissionDenied
from tawthiq.services.ingest import ingest_files
from tawthiq.store.history import incident_history
from tawthiq.store.incidents import get_incident
from tawthiq.store.sources import get_source

ARIHA = "Ariha, 12 May 2019: Russian jets struck a bakery in Ariha, killing two civilians, a witness said.\n"
DOUMA = "دوما، 15 تشرين الثاني 2017: قتل ثلاثة مدنيين جراء قصف قوات النظام على سوق مدينة دوما.\n"


@pytest.fixture
def ws(ws: Workspace, tmp_path: Path) -> Workspace:
    (result,) = ingest_files(ws, [SEED])
    assert result.status == "new" and result.incidents >= 3
    ingest_text(ws, tmp_path, "ariha.txt", ARIHA)
    ingest_text(ws, tmp_path, "douma.txt", DOUMA)
    make_user(ws, "rania", "reviewer", display_name="Rania K.")
    make_user(ws, "nour", "documenter")
    make_user(ws, "vera", "viewer")
    make_user(ws, "gone", "documenter")
    accounts.set_disabled(ws, actor=None, username="gone", disabled=True)
    return ws


def _ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="review-row" data-incident-id="(\d+)"', page)]


def _post_bulk(client, html_page: str, ids: list[int], verdict: str, **extra: str):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"csrf_token": form_token(html_page), "ids": [str(i) for i in ids], "verdict": verdict,
                               "queue": "", "page": "1", **extra}
    return client.post("/review/bulk", data=data, follow_redirects=False)


def test_bulk_accept_records_each_decision_and_refuses_what_is_no_longer_pending(ws: Workspace) -> None:
    client = signed_in(ws, "nour")
    page = client.get("/review?sort=oldest").text
    order = _ids(page)
    assert 'data-testid="bulk-form"' in page and page.count('data-testid="bulk-pick"') == len(order)
    # Someone else rejects the second one meanwhile.
    other = signed_in(ws, "rania")
    other_page = other.get(f"/review/{order[1]}").text
    other.post(f"/review/{order[1]}/reject", data={"csrf_token": form_token(other_page), "comment": "duplicate"})
    done = _post_bulk(client, page, [order[0], order[1], order[2], 99999], "accept", comment="checked the sources",
                      queue="sort=oldest", page="1")
    assert done.status_code == 303
    location = urlsplit(done.headers["location"])
    assert location.path == "/review"
    params = parse_qs(location.query)
    assert params["sort"] == ["oldest"] and params["bulk"] == ["accept"]
    assert params["done_count"] == ["2"] and params["refused_count"] == ["2"]
    for i in (order[0], order[2]):
        assert get_incident(ws.db, i).status is IncidentStatus.CONFIRMED
        last = incident_history(ws.db, i)[-1]
        assert (last.user, last.action, last.comment) == ("nour", "status", "checked the sources")
        assert last.after == {"status": "confirmed"}
    assert get_incident(ws.db, order[1]).status is IncidentStatus.REJECTED  # not re-confirmed
    shown = client.get(done.headers["location"]).text
    notice = text_of(re.search(r'<p class="notice warn"[^>]*data-testid="bulk-notice".*?</p>', shown, re.DOTALL).group(0))
    assert "2 accepted, 2 refused." in notice
    assert f"#{order[1]} already decided" in notice and "#99999 not found" in notice
    assert 'option value="oldest" selected' in shown  # the same queue
    arabic = signed_in(ws, "nour", lang="ar").get(done.headers["location"]).text
    assert "قُبل 2، وتعذّر البتّ في 2." in text_of(arabic) and "بُتّ فيها من قبل" in text_of(arabic)


def test_bulk_reject_needs_the_comment_and_keeps_the_ticks(ws: Workspace) -> None:
    client = signed_in(ws, "nour")
    page = client.get("/review").text
    order = _ids(page)
    refused = _post_bulk(client, page, order[:2], "reject", comment="  ")
    assert refused.status_code == 400 and "Write a short comment" in refused.text
    ticked = re.findall(r'name="ids" value="(\d+)" data-testid="bulk-pick"[^>]*checked', refused.text)
    assert sorted(int(i) for i in ticked) == sorted(order[:2])
    assert all(get_incident(ws.db, i).status is IncidentStatus.SUGGESTED for i in order)
    nothing = _post_bulk(client, page, [], "accept", comment="kept words")
    assert nothing.status_code == 400 and "Tick at least one suggestion" in nothing.text
    assert 'value="kept words" data-testid="bulk-comment"' in nothing.text
    arabic = signed_in(ws, "nour", lang="ar")
    hostile = arabic.post("/review/bulk", data={"csrf_token": form_token(arabic.get("/review").text),
                                                "ids": ["<script>1</script>"], "verdict": "accept"})
    assert hostile.status_code == 400 and "تعذّرت قراءة الاقتراحات المختارة" in hostile.text
    assert "<script>1</script>" not in hostile.text and "Traceback" not in hostile.text
    odd = _post_bulk(arabic, arabic.get("/review").text, order[:1], "publish")
    assert odd.status_code == 400 and "اختر القبول أو الرفض أو الإسناد" in odd.text
    done = _post_bulk(client, page, order[:2], "reject", comment="not incidents")
    assert parse_qs(urlsplit(done.headers["location"]).query)["done_count"] == ["2"]
    assert all(get_incident(ws.db, i).status is IncidentStatus.REJECTED for i in order[:2])


def test_bulk_needs_the_csrf_token_and_a_reviewing_role(ws: Workspace) -> None:
    client = signed_in(ws, "nour")
    order = _ids(client.get("/review").text)
    forged = client.post("/review/bulk", data={"ids": [str(order[0])], "verdict": "accept"}, follow_redirects=False)
    assert forged.status_code in (400, 403)
    assert get_incident(ws.db, order[0]).status is IncidentStatus.SUGGESTED
    viewer = signed_in(ws, "vera")
    home = viewer.get("/").text
    denied = viewer.post("/review/bulk", data={"csrf_token": form_token(home), "ids": [str(order[0])],
                                               "verdict": "accept"}, follow_redirects=False)
    assert denied.status_code == 403 and get_incident(ws.db, order[0]).status is IncidentStatus.SUGGESTED
    # A documenter may not assign, in bulk or one at a time; the form does not offer it.
    page = client.get("/review").text
    assert 'data-testid="bulk-assign"' not in page
    assert _post_bulk(client, page, order[:1], "assign", assignee="nour").status_code == 403
    item = client.get(f"/review/{order[0]}").text
    assert 'data-testid="assign-form"' not in item
    assert client.post(f"/review/{order[0]}/assign", data={"csrf_token": form_token(item), "assignee": "nour"}
                       ).status_code == 403


def test_assign_records_who_whom_and_when_and_my_queue_shows_mine(ws: Workspace) -> None:
    reviewer = signed_in(ws, "rania")
    page = reviewer.get("/review").text
    order = _ids(page)
    assert '<option dir="auto" value="nour">nour</option>' in page and 'value="gone"' not in page  # enabled team only
    assert 'value="vera"' not in page  # a viewer reviews nothing
    done = _post_bulk(reviewer, page, order[:2], "assign", assignee="nour", comment="yours this week")
    assert parse_qs(urlsplit(done.headers["location"]).query)["done_count"] == ["2"]
    last = incident_history(ws.db, order[0])[-1]
    assert (last.user, last.action, last.comment) == ("rania", "assign", "yours this week")
    assert last.before == {"assignee": None} and last.after == {"assignee": "nour"} and last.at is not None
    shown = reviewer.get("/review").text
    cells = dict(re.findall(r'data-incident-id="(\d+)">.*?data-assignee="([^"]*)"', shown, re.DOTALL))
    assert cells[str(order[0])] == "nour" and cells[str(order[2])] == ""
    # Nour's own queue: only the two, whether asked as "me" or by name; Rania's is empty.
    nour = signed_in(ws, "nour")
    mine = nour.get("/review?assignee=me").text
    assert sorted(_ids(mine)) == sorted(order[:2]) and 'aria-current="page"' in mine
    assert sorted(_ids(nour.get("/review?assignee=nour").text)) == sorted(order[:2])
    assert _ids(reviewer.get("/review?assignee=me").text) == []
    # One at a time from the item page: reassign to Rania, then take it back.
    item = reviewer.get(f"/review/{order[0]}?queue=assignee%3Dme").text
    assert 'data-assignee="nour"' in item and 'data-testid="assign-form"' in item
    moved = reviewer.post(f"/review/{order[0]}/assign", follow_redirects=False,
                          data={"csrf_token": form_token(item), "assignee": "rania", "queue": "assignee=me"})
    assert moved.headers["location"] == f"/review/{order[0]}?assigned=1&queue=assignee%3Dme"
    again = reviewer.get(moved.headers["location"]).text
    assert "The assignment was saved." in again and 'data-assignee="rania"' in again and "Rania K." in again
    back = reviewer.post(f"/review/{order[0]}/assign", follow_redirects=False,
                         data={"csrf_token": form_token(item), "assignee": "", "comment": "back to the pool"})
    assert "assigned=0" in back.headers["location"]
    history = incident_history(ws.db, order[0])
    assert [(h.action, h.before, h.after) for h in history[-2:]] == [
        ("assign", {"assignee": "nour"}, {"assignee": "rania"}), ("unassign", {"assignee": "rania"}, {"assignee": None})]
    # After accepting in "My queue", the next is the next of my queue.
    nour_item = nour.get(f"/review/{order[1]}?queue=assignee%3Dme").text
    nxt = nour.post(f"/review/{order[1]}/accept", follow_redirects=False,
                    data={"csrf_token": form_token(nour_item), "queue": "assignee=me"})
    assert nxt.headers["location"] == f"/review?done=accepted&id={order[1]}&assignee=me"


def test_assigning_refuses_strangers_and_decided_suggestions_in_the_page_language(ws: Workspace) -> None:
    reviewer = signed_in(ws, "rania", lang="ar")
    order = _ids(reviewer.get("/review").text)
    item = reviewer.get(f"/review/{order[0]}").text
    for stranger in ("vera", "gone", "nobody", "<b>x</b>"):
        refused = reviewer.post(f"/review/{order[0]}/assign",
                                data={"csrf_token": form_token(item), "assignee": stranger, "comment": "c"})
        assert refused.status_code == 400 and "اختر عضواً في الفريق" in refused.text
        assert "<b>x</b>" not in refused.text
    page = reviewer.get("/review").text
    bulk = _post_bulk(reviewer, page, order[:1], "assign", assignee="vera")
    assert bulk.status_code == 400 and "اختر عضواً في الفريق" in bulk.text
    reviewer.post(f"/review/{order[0]}/accept", data={"csrf_token": form_token(item)})
    late = reviewer.post(f"/review/{order[0]}/assign", data={"csrf_token": form_token(item), "assignee": "nour"})
    assert late.status_code == 400 and "بُتّ في هذا الاقتراح من قبل" in late.text
    assert incident_history(ws.db, order[0])[-1].action == "status"  # nothing recorded


def test_assignment_service_rules(ws: Workspace) -> None:
    documenter = User(id=0, username="nour", role=Role.DOCUMENTER)
    reviewer = User(id=0, username="rania", role=Role.REVIEWER)
    first = min(_ids(signed_in(ws, "nour").get("/review").text))
    with pytest.raises(PermissionDenied):
        queue_work.assign(ws, user=documenter, incident_id=first, assignee="nour")
    assert queue_work.assign(ws, user=reviewer, incident_id=first, assignee="nour") is True
    assert queue_work.assign(ws, user=reviewer, incident_id=first, assignee="nour") is False  # no change, no entry
    assert [h.action for h in incident_history(ws.db, first)].count("assign") == 1
    queue_work.decide_many(ws, user=reviewer, incident_ids=[first], verdict="accept")
    with pytest.raises(Conflict):
        queue_work.assign(ws, user=reviewer, incident_id=first, assignee="rania")


def test_the_assignee_column_and_filter_are_not_for_viewers(ws: Workspace) -> None:
    viewer = signed_in(ws, "vera")
    assert viewer.get("/review?assignee=me").status_code == 403
    reviewer = signed_in(ws, "rania")
    page = reviewer.get("/review").text
    order = _ids(page)
    _post_bulk(reviewer, page, order[:1], "assign", assignee="nour")
    # Even public incidents' lists never name the assignee or take the filter.
    listing = viewer.get("/incidents?assigned_to=nour&assignee=nour").text
    assert "nour" not in text_of(listing)
    api = viewer.get("/api/incidents?assignee=nour")
    assert "nour" not in api.text


def test_language_filter_keeps_the_sources_language(ws: Workspace) -> None:
    client = signed_in(ws, "nour")
    everything = _ids(client.get("/review").text)
    language = {i: get_source(ws.db, get_incident(ws.db, i).source_id).language for i in everything}
    assert {"ar", "en"} <= set(language.values())
    arabic = client.get("/review?language=ar").text
    assert sorted(_ids(arabic)) == sorted(i for i, lang in language.items() if lang == "ar")
    assert '<option value="ar" selected>' in arabic
    english = _ids(client.get("/review?language=en&sort=oldest").text)
    assert english == sorted(i for i, lang in language.items() if lang == "en")
    bad = client.get("/review?language=%3Cscript%3E")
    assert bad.status_code == 200 and 'data-testid="queue-error"' in bad.text and "<script>" not in bad.text
    # The open links and the next after a decision keep the language.
    link = html.unescape(re.search(rf'href="(/review/{english[0]}[^"]*)"', client.get(
        "/review?language=en&sort=oldest").text).group(1))
    assert link == f"/review/{english[0]}?queue=sort%3Doldest%26language%3Den"
    item = client.get(link).text
    done = client.post(f"/review/{english[0]}/accept", follow_redirects=False,
                       data={"csrf_token": form_token(item), "queue": "sort=oldest&language=en"})
    assert urlsplit(done.headers["location"]).path == f"/review/{english[1]}"


def test_correct_and_accept_goes_on_to_the_next_suggestion(ws: Workspace) -> None:
    client = signed_in(ws, "nour")
    order = _ids(client.get("/review?sort=oldest").text)
    item = client.get(f"/review/{order[0]}?queue=sort%3Doldest").text
    form = form_fields(item, f"/review/{order[0]}/edit")
    assert form.value("queue") == "sort=oldest"
    corrected = form.with_values(description="Corrected by hand.", comment="shorter description")
    done = client.post(f"/review/{order[0]}/edit", data=encoded(submit(corrected, ("then", "accept"))),
                       follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/review/{order[1]}?done=accepted&id={order[0]}&queue=sort%3Doldest"
    after = get_incident(ws.db, order[0])
    assert after.status is IncidentStatus.CONFIRMED and after.description == "Corrected by hand."
    arabic = signed_in(ws, "nour", lang="ar").get(done.headers["location"]).text
    assert f'data-incident-id="{order[1]}"' in arabic


@pytest.mark.parametrize("query", ["", "sort=oldest", "sort=confidence", "group=source", "language=en&sort=oldest"])
def test_next_and_previous_walk_the_queue_in_its_order_both_ways(ws: Workspace, query: str) -> None:
    client = signed_in(ws, "nour")
    order = _ids(client.get(f"/review?{query}").text)
    assert len(order) >= 2
    carried = f"?queue={quote(query)}" if query else ""
    for here, there in pairwise(order):
        forward = client.get(f"/review/{here}/next{carried}", follow_redirects=False).headers["location"]
        assert urlsplit(forward).path == f"/review/{there}"
        back = client.get(f"/review/{there}/previous{carried}", follow_redirects=False).headers["location"]
        assert urlsplit(back).path == f"/review/{here}"
    end = client.get(f"/review/{order[-1]}/next{carried}", follow_redirects=False).headers["location"]
    assert urlsplit(end).path == f"/review/{order[-1]}" and "edge=last" in end
