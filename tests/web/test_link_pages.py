"""Linking through the pages: the pairs to review, one pair side by side, same/undo, the Same event panel.

Contents are checked (both incidents, the linker's weights and levels in
English and Arabic), decisions are made through the real forms and change
the clusters, CSRF is enforced, and a viewer never reads a marker planted in
what only staff may see.
"""
from __future__ import annotations

import re

import pytest
from _client import form_token, signed_in
from _link_helpers import MARKERS, MODEL, plant
from _record_helpers import text_of

from tawthiq.domain import Confidentiality
from tawthiq.domain.judgements import Subject
from tawthiq.services import Workspace
from tawthiq.store import judgements as jstore
from tawthiq.store.edits import load_incident


def _cluster(ws: Workspace, incident_id: int) -> int | None:
    with ws.db.session() as session:
        found = load_incident(session, incident_id)
    assert found is not None
    return found.cluster_id


def _pairs(page: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in re.findall(r'data-testid="pair-row" data-left="(\d+)" data-right="(\d+)"',
                                                    page)]


def _weights(page: str) -> dict[str, float]:
    return {name: float(w) for name, w in re.findall(r'data-comparison="([a-z_]+)" data-weight="([-0-9.]+)"', page)}


def test_the_queue_and_a_pair_side_by_side_with_the_linkers_comparison(ws: Workspace) -> None:
    linked = plant(ws)
    client = signed_in(ws, "nour", "documenter")
    queue = client.get("/review/pairs")
    assert queue.status_code == 200
    # Most probable first: the strike's two reports (0.8) before the strike and the shelling (0.55).
    assert _pairs(queue.text) == [(linked.en, linked.ar), (linked.ar, linked.other)]
    assert 'href="/review/pairs"' in client.get("/review").text  # linked from the review page and the nav

    page = client.get(f"/review/pairs/{linked.en}/{linked.ar}")
    assert page.status_code == 200
    sides = re.findall(r'data-testid="pair-side" data-incident-id="(\d+)"', page.text)
    assert sides == [str(linked.en), str(linked.ar)]
    shown = text_of(page.text)
    assert "Qzwitnessen" in shown and "قزشاهد" in shown  # both descriptions
    assert "Qztitleen" in shown and "Qztitlear" in shown  # both sources, by title
    assert f'href="/sources/{linked.sources[linked.en]}?at=0#ev-0"' in page.text  # the evidence quoted, linked
    assert "Russian warplanes" in shown
    assert _weights(page.text) == {"date": 3.2, "place": 2.8, "victims": -2.0, "novelty": 0.5}
    assert "same day" in shown and "a level the texts do not know" in shown
    assert "0.800" in shown and MODEL in shown
    assert re.search(r'data-comparison="victims"[^>]*class="against"', page.text)
    for verdict in ("same", "not-same", "unsure"):
        assert f'name="verdict" value="{verdict}"' in page.text

    arabic = signed_in(ws, "nour", lang="ar").get(f"/review/pairs/{linked.en}/{linked.ar}")
    assert 'dir="rtl"' in arabic.text and 'lang="ar"' in arabic.text
    shown_ar = text_of(arabic.text)
    assert "اليوم نفسه" in shown_ar and "المكان نفسه" in shown_ar  # the levels, translated
    assert "التاريخ" in shown_ar and "مقارنة الرابط الآلي" in shown_ar
    assert "a level the texts do not know" in shown_ar  # an unknown level is shown as the linker wrote it
    assert "الحدث نفسه" in shown_ar and "ليستا الحدث نفسه" in shown_ar


def test_same_goes_on_to_the_next_pair_and_undo_from_the_incident_page_splits_them(ws: Workspace) -> None:
    linked = plant(ws)
    client = signed_in(ws, "nour", "documenter")
    page = client.get(f"/review/pairs/{linked.en}/{linked.ar}")
    done = client.post(f"/review/pairs/{linked.en}/{linked.ar}", follow_redirects=False, data={
        "csrf_token": form_token(page.text), "verdict": "same", "comment": "one strike, two reports"})
    assert done.status_code == 303
    assert done.headers["location"].startswith(f"/review/pairs/{linked.ar}/{linked.other}?linked=same")
    assert _cluster(ws, linked.en) == linked.en and _cluster(ws, linked.ar) == linked.en
    following = client.get(done.headers["location"])
    assert f"#{linked.en} and #{linked.ar} are the same event" in text_of(following.text)
    assert _pairs(client.get("/review/pairs").text) == [(linked.ar, linked.other)]

    incident = client.get(f"/incidents/{linked.en}")
    panel = incident.text[incident.text.index('data-testid="same-event"'):]
    assert re.findall(r'data-testid="cluster-member" data-incident-id="(\d+)"', panel) == [str(linked.ar)]
    assert 'data-testid="independent-sources" data-n="2"' in panel
    rows = re.findall(r'data-testid="judgement" data-judgement-id="(\d+)" data-verdict="([a-z-]+)" '
                      r'data-in-force="(true|false)"', panel)
    mine = [int(j) for j, verdict, in_force in rows if verdict == "same" and in_force == "true"]
    assert len(mine) == 1 and "one strike, two reports" in text_of(panel) and "nour" in text_of(panel)
    assert ("unsure", "false") in {(v, f) for _, v, f in rows}  # the linker's, withdrawn and kept
    # The corroboration matrix: the place given by both sources, independently; the counts differ.
    matrix = panel[panel.index('data-testid="corroboration"'):]
    assert re.search(r'data-field="place".*?data-testid="matrix-independent">2<', matrix, re.S)
    assert f'href="/sources/{linked.sources[linked.ar]}"' in matrix
    # The list shows the event on both rows.
    listed = client.get("/incidents").text
    assert len(re.findall(rf'data-testid="cluster-badge" data-cluster-id="{linked.en}"', listed)) == 2

    undone = client.post(f"/incidents/{linked.en}/judgements/{mine[0]}/undo", follow_redirects=False,
                         data={"csrf_token": form_token(incident.text), "comment": "two raids that day"})
    assert undone.status_code == 303 and undone.headers["location"].startswith(f"/incidents/{linked.en}?linked=undone")
    assert _cluster(ws, linked.en) is None and _cluster(ws, linked.ar) is None
    after = client.get(undone.headers["location"])
    assert 'data-testid="cluster-alone"' in after.text and f"Judgement {mine[0]} was withdrawn" in text_of(after.text)
    [withdrawn] = [j for j in jstore.of_pair(ws.db, Subject.INCIDENT, linked.en, linked.ar) if j.id == mine[0]]
    assert withdrawn.withdrawn_by == "nour" and withdrawn.withdrawn_why == "two raids that day"

    # Undoing it again (a second click, another tab) says so, and changes nothing.
    again = client.post(f"/incidents/{linked.en}/judgements/{mine[0]}/undo",
                        data={"csrf_token": form_token(incident.text), "comment": ""})
    assert again.status_code == 409
    assert f"Judgement {mine[0]} was already withdrawn" in text_of(again.text)
    assert 'data-testid="undo-error"' in again.text and 'data-testid="same-event"' in again.text
    assert client.post(f"/incidents/{linked.en}/judgements/999999/undo",
                       data={"csrf_token": form_token(incident.text)}).status_code == 404


def test_same_as_and_not_the_same_as_from_the_incident_page(ws: Workspace) -> None:
    linked = plant(ws)
    client = signed_in(ws, "rana", "reviewer", lang="ar")
    page = client.get(f"/incidents/{linked.other}")
    token = form_token(page.text)
    same = client.post(f"/incidents/{linked.other}/same-event", follow_redirects=False, data={
        "csrf_token": token, "other_id": str(linked.en), "verdict": "same", "comment": "checked the videos"})
    assert same.status_code == 303 and _cluster(ws, linked.other) == linked.en
    shown = client.get(same.headers["location"])
    assert "سُجّل" in text_of(shown.text) and f'data-incident-id="{linked.en}"' in shown.text
    apart = client.post(f"/incidents/{linked.other}/same-event", follow_redirects=False, data={
        "csrf_token": token, "other_id": str(linked.en), "verdict": "not-same", "comment": "different towns"})
    assert apart.status_code == 303 and _cluster(ws, linked.other) is None
    # Bad input is the form's problem, in the page's language, with the input kept.
    for other, message in (("", "أدخل رقم حادثة أخرى"), ("abc", "أدخل رقم حادثة أخرى"),
                           (str(linked.other), "لا يمكن مقارنة حادثة بنفسها"),
                           ("999999", "لا توجد حادثة #999999 متاحة لك")):
        bad = client.post(f"/incidents/{linked.other}/same-event",
                          data={"csrf_token": token, "other_id": other, "verdict": "same", "comment": "قزتعليق"})
        assert bad.status_code == 400, other
        assert message in text_of(bad.text) and 'value="قزتعليق"' in bad.text
    assert client.post(f"/incidents/{linked.other}/same-event", data={
        "csrf_token": token, "other_id": str(linked.en), "verdict": "maybe"}).status_code == 400


def test_decisions_without_the_csrf_token_are_refused(ws: Workspace) -> None:
    linked = plant(ws)
    client = signed_in(ws, "nour", "documenter")
    refused = [
        client.post(f"/review/pairs/{linked.en}/{linked.ar}", data={"verdict": "same"}),
        client.post(f"/incidents/{linked.en}/same-event", data={"other_id": str(linked.ar), "verdict": "same"}),
        client.post(f"/incidents/{linked.en}/judgements/1/undo", data={"comment": "x"}),
        client.post(f"/review/pairs/{linked.en}/{linked.ar}", data={"verdict": "same", "csrf_token": "forged"}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert _cluster(ws, linked.en) is None
    assert len(jstore.of_pair(ws.db, Subject.INCIDENT, linked.en, linked.ar)) == 1


def test_a_pair_decision_needs_a_verdict_and_a_pair(ws: Workspace) -> None:
    linked = plant(ws)
    client = signed_in(ws, "nour", "documenter")
    token = form_token(client.get(f"/review/pairs/{linked.en}/{linked.ar}").text)
    bad = client.post(f"/review/pairs/{linked.en}/{linked.ar}", data={"csrf_token": token, "verdict": "perhaps",
                                                                       "comment": "kept"})
    assert bad.status_code == 400 and "Choose same, not the same or unsure" in text_of(bad.text)
    assert 'value="kept"' in bad.text
    assert client.get(f"/review/pairs/{linked.en}/{linked.en}").status_code == 404
    assert client.get(f"/review/pairs/{linked.en}/999999").status_code == 404
    assert client.post(f"/review/pairs/{linked.en}/{linked.en}",
                       data={"csrf_token": token, "verdict": "same"}).status_code == 404


def test_the_last_decision_returns_to_an_empty_queue(ws: Workspace) -> None:
    linked = plant(ws)
    client = signed_in(ws, "nour", "documenter")
    token = form_token(client.get("/review/pairs").text)
    for a, b in ((linked.en, linked.ar), (linked.ar, linked.other)):
        done = client.post(f"/review/pairs/{a}/{b}", data={"csrf_token": token, "verdict": "not-same"},
                           follow_redirects=False)
    assert done.headers["location"] == f"/review/pairs?linked=not-same&a={linked.ar}&b={linked.other}"
    empty = client.get(done.headers["location"])
    assert 'data-testid="pairs-empty"' in empty.text and "are not the same event" in text_of(empty.text)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_viewer_sees_nothing_of_links(ws: Workspace, lang: str) -> None:
    # Public incidents, judged the same event, with staff-only markers in their sources and judgements.
    linked = plant(ws, confidentiality=Confidentiality.PUBLIC, probability=0.95)
    assert _cluster(ws, linked.ar) == linked.en
    staff = signed_in(ws, "nour", "documenter")
    assert 'data-testid="cluster-badge"' in staff.get("/incidents").text
    viewer = signed_in(ws, "vera", "viewer", lang=lang)
    for url in ("/review/pairs", f"/review/pairs/{linked.en}/{linked.ar}"):
        assert viewer.get(url).status_code == 403, url
    token = form_token(viewer.get("/").text)
    for url, data in ((f"/review/pairs/{linked.ar}/{linked.other}", {"verdict": "same"}),
                      (f"/incidents/{linked.en}/same-event", {"other_id": str(linked.other), "verdict": "same"}),
                      (f"/incidents/{linked.en}/judgements/1/undo", {})):
        assert viewer.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    assert _cluster(ws, linked.other) is None and _cluster(ws, linked.ar) == linked.en
    for incident_id in (linked.en, linked.ar):
        page = viewer.get(f"/incidents/{incident_id}")
        assert page.status_code == 200
        assert 'data-testid="same-event"' not in page.text and "/judgements/" not in page.text
        assert not [m for m in MARKERS if m in text_of(page.text) and m not in ("Qzwitnessen", "قزشاهد")]
    listed = viewer.get("/incidents")
    assert listed.status_code == 200 and 'data-testid="cluster-badge"' not in listed.text
    assert 'href="/review/pairs"' not in listed.text  # not in a viewer's nav
    api = [viewer.get("/api/link/pairs"), viewer.get(f"/api/incidents/{linked.en}/judgements"),
           viewer.get(f"/api/incidents/{linked.en}/corroboration")]
    assert [r.status_code for r in api] == [403, 403, 403]
    assert all(m not in r.text for r in api for m in MARKERS)
