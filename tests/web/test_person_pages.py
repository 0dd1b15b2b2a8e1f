"""Victim lists through the pages: the people, one person's records side by side, the person pairs to review.

Contents are checked in English and Arabic (names as written, each in its own
<bdi>), decisions are made through the real forms and change who is the same
person, CSRF is enforced, and documenters and viewers never read a planted name.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from _client import form_token, signed_in
from _person_helpers import LEVELS, MODEL, NAME_MARKERS, REPORT_NAME, cluster, plant
from _record_helpers import text_of

from tawthiq.domain.judgements import Subject
from tawthiq.services import Workspace
from tawthiq.store import judgements as jstore


def _pairs(page: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in
            re.findall(r'data-testid="person-pair-row" data-left="(\d+)" data-right="(\d+)"', page)]


def _columns(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="person-record" data-record-id="(\d+)"', page)]


def _judgements(page: str) -> list[tuple[int, str, str]]:
    return [(int(j), v, f) for j, v, f in re.findall(
        r'data-testid="judgement" data-judgement-id="(\d+)" data-verdict="([a-z-]+)" data-in-force="(true|false)"',
        page)]


def test_the_people_their_lists_and_a_name_search(ws: Workspace, tmp_path: Path) -> None:
    got = plant(ws, tmp_path)
    client = signed_in(ws, "rana", "reviewer")
    page = client.get("/persons")
    assert page.status_code == 200
    arabic, latin = got.lists
    assert f'data-list="{arabic}" data-count="2"' in page.text and f'data-list="{latin}" data-count="2"' in page.text
    assert 'data-list="reports" data-count="1"' in page.text
    rows = re.findall(r'data-testid="person-row" data-cluster-id="(\d+)" data-records="(\d+)"', page.text)
    assert [int(c) for c, _ in rows] == sorted([got.ar1, got.ar2, got.la1, got.la2, got.report])
    shown = text_of(page.text)
    for name in NAME_MARKERS:
        assert name in shown
    # Names as written, each isolated in its own direction.
    assert re.search(r'<bdi dir="auto" data-testid="person-name">محمد أحمد قزاسم</bdi>', page.text)
    assert re.search(r'<bdi dir="auto" data-testid="person-name">Mohammad Ahmad Qzkhatib</bdi>', page.text)
    assert 'href="/review/persons"' in page.text

    only = client.get(f"/persons?list={latin}")
    assert [int(c) for c in re.findall(r'data-testid="person-row" data-cluster-id="(\d+)"', only.text)] == [
        got.la1, got.la2]
    found = client.get("/persons?q=qzKHATIB")
    assert re.findall(r'data-testid="person-row" data-cluster-id="(\d+)"', found.text) == [str(got.la1)]
    assert 'data-total="1"' in found.text
    found_ar = client.get("/persons", params={"q": "قزحسن"})
    assert re.findall(r'data-testid="person-row" data-cluster-id="(\d+)"', found_ar.text) == [str(got.ar2)]
    assert 'data-testid="people-empty"' in client.get("/persons?q=nobody%25").text  # % is a letter, not a wildcard

    ar = signed_in(ws, "rana", lang="ar").get("/persons")
    assert 'dir="rtl"' in ar.text and 'lang="ar"' in ar.text
    shown_ar = text_of(ar.text)
    assert "قوائم الضحايا: الأشخاص" in shown_ar and "مذكورون في التقارير" in shown_ar and "قزاسم" in shown_ar
    assert "Qzkhatib" in shown_ar  # a Latin name stays as written on an Arabic page


def test_a_pair_side_by_side_with_the_linkers_comparison(ws: Workspace, tmp_path: Path) -> None:
    got = plant(ws, tmp_path)
    client = signed_in(ws, "rana", "reviewer")
    queue = client.get("/review/persons")
    assert queue.status_code == 200
    assert _pairs(queue.text) == [(got.ar1, got.la1), (got.ar2, got.la2)]  # most probable first
    assert 'href="/review/persons"' in client.get("/review").text  # linked from the review page too

    page = client.get(f"/review/persons/{got.ar1}/{got.la1}")
    assert page.status_code == 200
    assert _columns(page.text) == [got.ar1, got.la1]
    shown = text_of(page.text)
    assert "محمد أحمد قزاسم" in shown and "Qzkhatib" in shown and "أريحا 0" in shown  # fields and extra attributes
    assert f'href="/sources/{got.sources[got.lists[0]]}"' in page.text
    weights = dict(re.findall(r'data-comparison="([a-z_]+)" data-weight="([-0-9.]+)"', page.text))
    assert weights == {"given": "4.1", "father": "3.0", "family": "-1.5", "novelty": "0.5"}
    assert "Given name" in shown and "Father's name" in shown and "novelty" in shown  # unknown: as named
    assert "the same name in another script or spelling" in shown and LEVELS["novelty"] in shown
    assert "0.800" in shown and MODEL in shown
    assert re.search(r'data-comparison="family"[^>]*class="against"', page.text)

    arabic = signed_in(ws, "rana", lang="ar").get(f"/review/persons/{got.ar1}/{got.la1}")
    shown_ar = text_of(arabic.text)
    assert "الاسم الأول" in shown_ar and "اسم الأب" in shown_ar and "الكنية" in shown_ar
    assert "الاسم نفسه بكتابة أو أبجدية أخرى" in shown_ar and "a level the texts do not know" in shown_ar
    assert "الشخص نفسه" in shown_ar and "ليسا الشخص نفسه" in shown_ar and "احتمال أن يكونا الشخص نفسه" in shown_ar


def test_same_joins_them_and_undo_from_the_person_page_splits_them(ws: Workspace, tmp_path: Path) -> None:
    got = plant(ws, tmp_path)
    client = signed_in(ws, "rana", "reviewer")
    page = client.get(f"/review/persons/{got.ar1}/{got.la1}")
    done = client.post(f"/review/persons/{got.ar1}/{got.la1}", follow_redirects=False, data={
        "csrf_token": form_token(page.text), "verdict": "same", "comment": "same father, same day"})
    assert done.status_code == 303
    assert done.headers["location"].startswith(f"/review/persons/{got.ar2}/{got.la2}?linked=same")
    assert cluster(ws, got.la1) == got.ar1
    following = client.get(done.headers["location"])
    assert f"records #{got.ar1} and #{got.la1} are the same person" in text_of(following.text)
    assert _pairs(client.get("/review/persons").text) == [(got.ar2, got.la2)]
    listed = client.get("/persons").text
    assert f'data-cluster-id="{got.ar1}" data-records="2"' in listed  # one person, two records

    person = client.get(f"/persons/{got.la1}")
    assert _columns(person.text) == [got.la1, got.ar1] or _columns(person.text) == [got.ar1, got.la1]
    assert sorted(_columns(person.text)) == [got.ar1, got.la1]
    assert 'data-testid="cluster-size" data-n="2"' in person.text
    rows = _judgements(person.text)
    mine = [j for j, verdict, in_force in rows if verdict == "same" and in_force == "true"]
    assert len(mine) == 1 and ("unsure", "false") in {(v, f) for _, v, f in rows}  # the linker's, kept
    assert "same father, same day" in text_of(person.text) and "rana" in text_of(person.text)

    undone = client.post(f"/persons/{got.la1}/judgements/{mine[0]}/undo", follow_redirects=False,
                         data={"csrf_token": form_token(person.text), "comment": "two men"})
    assert undone.status_code == 303 and undone.headers["location"].startswith(f"/persons/{got.la1}?linked=undone")
    assert cluster(ws, got.la1) == got.la1 and cluster(ws, got.ar1) == got.ar1
    after = client.get(undone.headers["location"])
    assert 'data-testid="cluster-alone"' in after.text and f"Judgement {mine[0]} was withdrawn" in text_of(after.text)
    [withdrawn] = [j for j in jstore.of_pair(ws.db, Subject.PERSON, got.ar1, got.la1) if j.id == mine[0]]
    assert withdrawn.withdrawn_by == "rana" and withdrawn.withdrawn_why == "two men"

    again = client.post(f"/persons/{got.la1}/judgements/{mine[0]}/undo",
                        data={"csrf_token": form_token(person.text), "comment": ""})
    assert again.status_code == 409 and f"Judgement {mine[0]} was already withdrawn" in text_of(again.text)
    assert 'data-testid="undo-error"' in again.text
    assert client.post(f"/persons/{got.la1}/judgements/999999/undo",
                       data={"csrf_token": form_token(person.text)}).status_code == 404


def test_same_as_a_report_named_person_from_the_person_page(ws: Workspace, tmp_path: Path) -> None:
    got = plant(ws, tmp_path)
    client = signed_in(ws, "rana", "reviewer", lang="ar")
    page = client.get(f"/persons/{got.ar1}")
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    token = form_token(page.text)
    same = client.post(f"/persons/{got.ar1}/same-person", follow_redirects=False, data={
        "csrf_token": token, "other_id": str(got.report), "verdict": "same", "comment": "قزتعليق الاسم في التقرير"})
    assert same.status_code == 303 and cluster(ws, got.report) == got.ar1
    shown = client.get(same.headers["location"])
    assert sorted(_columns(shown.text)) == sorted([got.ar1, got.report])
    assert "سُجّل" in text_of(shown.text) and "للشخص نفسه" in text_of(shown.text)
    assert f'href="/incidents/{got.incident}"' in shown.text  # the report's incident
    assert f'data-testid="person-quote">{REPORT_NAME}</q>' in shown.text  # the words of the report, quoted
    assert "مذكورون في التقارير" in text_of(shown.text)
    apart = client.post(f"/persons/{got.ar1}/same-person", follow_redirects=False, data={
        "csrf_token": token, "other_id": str(got.report), "verdict": "not-same", "comment": ""})
    assert apart.status_code == 303 and cluster(ws, got.report) == got.report
    # Bad input is the form's problem, in the page's language, with the input kept.
    for other, message in (("", "أدخل رقم سجل شخص آخر"), ("abc", "أدخل رقم سجل شخص آخر"),
                           (str(got.ar1), "لا يمكن مقارنة سجل بنفسه"), ("999999", "لا يوجد سجل شخص #999999")):
        bad = client.post(f"/persons/{got.ar1}/same-person",
                          data={"csrf_token": token, "other_id": other, "verdict": "same", "comment": "قزتعليق"})
        assert bad.status_code == 400, other
        assert message in text_of(bad.text) and 'value="قزتعليق"' in bad.text
    assert client.post(f"/persons/{got.ar1}/same-person", data={
        "csrf_token": token, "other_id": str(got.la1), "verdict": "maybe"}).status_code == 400
    assert client.get("/persons/999999").status_code == 404


def test_a_pair_decision_needs_a_verdict_and_a_pair_and_the_last_empties_the_queue(ws: Workspace,
                                                                                    tmp_path: Path) -> None:
    got = plant(ws, tmp_path)
    client = signed_in(ws, "rana", "reviewer")
    token = form_token(client.get(f"/review/persons/{got.ar1}/{got.la1}").text)
    bad = client.post(f"/review/persons/{got.ar1}/{got.la1}", data={"csrf_token": token, "verdict": "perhaps",
                                                                     "comment": "kept"})
    assert bad.status_code == 400 and "Choose same person, not the same person or unsure" in text_of(bad.text)
    assert 'value="kept"' in bad.text
    assert client.get(f"/review/persons/{got.ar1}/{got.ar1}").status_code == 404
    assert client.get(f"/review/persons/{got.ar1}/999999").status_code == 404
    assert client.post(f"/review/persons/{got.ar1}/{got.ar1}",
                       data={"csrf_token": token, "verdict": "same"}).status_code == 404
    for a, b in ((got.ar1, got.la1), (got.ar2, got.la2)):
        done = client.post(f"/review/persons/{a}/{b}", data={"csrf_token": token, "verdict": "not-same"},
                           follow_redirects=False)
    assert done.headers["location"] == f"/review/persons?linked=not-same&a={got.ar2}&b={got.la2}"
    empty = client.get(done.headers["location"])
    assert 'data-testid="pairs-empty"' in empty.text and "are not the same person" in text_of(empty.text)


def test_decisions_without_the_csrf_token_are_refused(ws: Workspace, tmp_path: Path) -> None:
    got = plant(ws, tmp_path)
    client = signed_in(ws, "rana", "reviewer")
    [linker] = jstore.of_pair(ws.db, Subject.PERSON, got.ar1, got.la1)
    refused = [
        client.post(f"/review/persons/{got.ar1}/{got.la1}", data={"verdict": "same"}),
        client.post(f"/persons/{got.ar1}/same-person", data={"other_id": str(got.la1), "verdict": "same"}),
        client.post(f"/persons/{got.ar1}/judgements/{linker.id}/undo", data={"comment": "x"}),
        client.post(f"/review/persons/{got.ar1}/{got.la1}", data={"verdict": "same", "csrf_token": "forged"}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert cluster(ws, got.la1) == got.la1
    assert [j.in_force for j in jstore.of_pair(ws.db, Subject.PERSON, got.ar1, got.la1)] == [True]


@pytest.mark.parametrize(("role", "lang"), [("documenter", "en"), ("viewer", "ar"), ("documenter", "ar")])
def test_no_name_reaches_a_documenter_or_a_viewer(ws: Workspace, tmp_path: Path, role: str, lang: str) -> None:
    got = plant(ws, tmp_path)
    staff = signed_in(ws, "rana", "reviewer")
    assert set(NAME_MARKERS) <= {m for m in NAME_MARKERS if m in text_of(staff.get("/persons").text)}
    [linker] = jstore.of_pair(ws.db, Subject.PERSON, got.ar1, got.la1)
    other = signed_in(ws, "nour", role, lang=lang)
    refused = ["/persons", f"/persons/{got.ar1}", f"/persons/{got.report}", "/review/persons",
               f"/review/persons/{got.ar1}/{got.la1}", "/api/persons", f"/api/persons/{got.ar1}",
               "/api/link/person-pairs", f"/sources/{got.sources[got.lists[0]]}"]
    seen = ["/", "/dashboard", "/incidents", "/review", f"/incidents/{got.incident}", "/sources", "/api/incidents",
            f"/api/incidents/{got.incident}", "/map", "/timeline", *[f"/incidents?q={m}" for m in NAME_MARKERS],
            *[f"/api/search?q={m}" for m in NAME_MARKERS]]
    bodies = []
    for url in refused:
        response = other.get(url)
        assert response.status_code in (403, 404), url
        bodies.append((url, response.text))
    for url in seen:
        response = other.get(url)
        assert response.status_code in (200, 403, 404), url
        bodies.append((url, response.text))
    token = form_token(other.get("/").text)
    for url, data in ((f"/review/persons/{got.ar1}/{got.la1}", {"verdict": "same"}),
                      (f"/persons/{got.ar1}/same-person", {"other_id": str(got.la1), "verdict": "same"}),
                      (f"/persons/{got.ar1}/judgements/{linker.id}/undo", {})):
        response = other.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 403, url
        bodies.append((url, response.text))
    # A search echoes its own words back (the search box, "query"): that is the caller's input, so the
    # searched name is checked by what the search found.
    leaks = {url: [m for m in NAME_MARKERS if m in text_of(body) and not url.endswith(f"q={m}")]
             for url, body in bodies}
    for marker in NAME_MARKERS:
        assert other.get(f"/api/search?q={marker}").json()["hits"] == [], marker
        assert 'data-testid="incident-link"' not in other.get(f"/incidents?q={marker}").text
    assert {url: found for url, found in leaks.items() if found} == {}
    assert not any('href="/persons' in body or 'href="/review/persons"' in body for _, body in bodies)  # no links
    if role == "viewer":  # a restricted report's person is not a viewer's either
        assert not [url for url, body in bodies if REPORT_NAME in body]
    assert cluster(ws, got.la1) == got.la1 and [j.in_force for j in jstore.of_pair(
        ws.db, Subject.PERSON, got.ar1, got.la1)] == [True]
