"""Merging from the review page: candidates ranked, each a choice with its date, place, type, victims and
the reason in words; a typed number still works and wins; per role; shortcuts and next/previous links."""
from __future__ import annotations

import re

import pytest
from _client import form_token, make_user, signed_in
from _record_helpers import text_of

from tawthiq.domain import (
    Confidentiality,
    Incident,
    IncidentDate,
    IncidentStatus,
    Location,
)
from tawthiq.domain.enums import CountingUnit, VictimKind, VictimOutcome
from tawthiq.domain.judgements import Judgement, Subject, Verdict, pair
from tawthiq.domain.model import VictimGroup
from tawthiq.services import Workspace
from tawthiq.store import judgements, repository
from tawthiq.store.incidents import get_incident


def _add(ws: Workspace, day: str, governorate: str = "Idlib", town: str = "Ariha", **kwargs: object) -> int:
    place = Location(name=town, name_ar="أريحا" if town == "Ariha" else "", admin1=governorate)
    return repository.add_incident(ws.db, Incident(event_type="air-drone-strike", location=place,  # type: ignore[arg-type]
                                                   date=IncidentDate(edtf=day), description=f"strike {day}", **kwargs))


@pytest.fixture
def strikes(ws: Workspace) -> dict[str, int]:
    make_user(ws, "nour", "documenter")
    make_user(ws, "vera", "viewer")
    here = _add(ws, "2019-05-12")
    near = _add(ws, "2019-05-14", victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN,
                                                       unit=CountingUnit.INDIVIDUAL, count_min=6, count_max=6)])
    linked = _add(ws, "2018-01-01", governorate="Hama", town="Kafr Nabudah")
    secret = _add(ws, "2019-05-12", confidentiality=Confidentiality.CONFIDENTIAL, status=IncidentStatus.CONFIRMED)
    left, right = pair(here, linked)
    judgements.record(ws.db, Judgement(subject=Subject.INCIDENT, left_id=left, right_id=right, verdict=Verdict.UNSURE,
                                       actor="linker", by_person=False, probability=0.87))
    return {"here": here, "near": near, "linked": linked, "secret": secret}


def _choices(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-incident-id="(\d+)" data-testid="merge-candidate-choice"', page)]


def test_candidates_are_ranked_choices_with_their_reasons(ws: Workspace, strikes: dict[str, int]) -> None:
    client = signed_in(ws, "nour")
    page = client.get(f"/review/{strikes['here']}").text
    # The linker's pair first; then the same day and place (the confidential one) before two days apart.
    assert _choices(page) == [strikes["linked"], strikes["secret"], strikes["near"]]
    shown = text_of(page)
    assert "the linker gives 87% that they are the same event" in shown
    assert "2 days apart; same place; same type of event" in shown
    near = re.search(rf'data-incident-id="{strikes["near"]}" data-testid="merge-candidate-choice".*?</label>',
                     page, re.DOTALL).group(0)
    assert 'data-outcome="killed"' in near and "6" in text_of(near) and "2019-05-14" in near
    assert f'name="into_choice" value="{strikes["near"]}"' in page and 'name="into_id"' in page
    arabic = text_of(signed_in(ws, "nour", lang="ar").get(f"/review/{strikes['here']}").text)
    assert "يرجّح الرابط الآلي بنسبة 87% أنهما الحدث نفسه" in arabic and "بفارق يومين؛ " in arabic  # the dual, and the Arabic semicolon
    assert "أريحا" in arabic


def test_merge_from_the_list_and_a_typed_number_wins(ws: Workspace, strikes: dict[str, int]) -> None:
    client = signed_in(ws, "nour")
    page = client.get(f"/review/{strikes['here']}").text
    done = client.post(f"/review/{strikes['here']}/merge", follow_redirects=False, data={
        "csrf_token": form_token(page), "into_choice": str(strikes["near"]), "into_id": "", "comment": "same raid"})
    assert done.status_code == 303
    merged = get_incident(ws.db, strikes["here"])
    assert merged.status is IncidentStatus.MERGED and merged.merged_into_id == strikes["near"]
    other = _add(ws, "2019-05-12")
    page = client.get(f"/review/{other}").text
    done = client.post(f"/review/{other}/merge", follow_redirects=False, data={
        "csrf_token": form_token(page), "into_choice": str(strikes["near"]), "into_id": str(strikes["linked"]),
        "comment": "typed"})
    assert done.status_code == 303 and get_incident(ws.db, other).merged_into_id == strikes["linked"]


def test_nothing_chosen_is_refused_in_the_page_language_with_the_choice_kept(
        ws: Workspace, strikes: dict[str, int]) -> None:
    client = signed_in(ws, "nour", lang="ar")
    page = client.get(f"/review/{strikes['here']}").text
    refused = client.post(f"/review/{strikes['here']}/merge", data={
        "csrf_token": form_token(page), "into_choice": "", "into_id": "", "comment": "x"})
    assert refused.status_code == 400 and 'data-testid="page-error"' in refused.text
    hostile = client.post(f"/review/{strikes['here']}/merge", data={
        "csrf_token": form_token(page), "into_choice": "<b>1</b>", "into_id": "", "comment": ""})
    assert hostile.status_code == 400 and "<b>1</b>" not in hostile.text
    no_comment = client.post(f"/review/{strikes['here']}/merge", data={
        "csrf_token": form_token(page), "into_choice": str(strikes["near"]), "comment": ""})
    assert no_comment.status_code == 400
    assert f'name="into_choice" value="{strikes["near"]}" data-testid="merge-choice" checked' in no_comment.text
    assert get_incident(ws.db, strikes["here"]).status is IncidentStatus.SUGGESTED


def test_a_confidential_candidate_is_offered_only_to_those_who_may_see_it(
        ws: Workspace, strikes: dict[str, int]) -> None:
    documenter = signed_in(ws, "nour").get(f"/review/{strikes['here']}").text
    assert strikes["secret"] in _choices(documenter)
    reviewer_sees = signed_in(ws, "rania", "reviewer").get(f"/review/{strikes['here']}").text
    assert strikes["secret"] in _choices(reviewer_sees)
    viewer = signed_in(ws, "vera")
    assert viewer.get(f"/review/{strikes['here']}").status_code == 403
    assert f"/incidents/{strikes['secret']}" not in viewer.get("/incidents").text


def test_shortcut_legend_and_next_previous_links(ws: Workspace, strikes: dict[str, int]) -> None:
    client = signed_in(ws, "nour")
    order = sorted((i for i in strikes.values() if i != strikes["secret"]), reverse=True)
    page = client.get(f"/review/{order[1]}").text
    assert 'data-shortcut="a"' in page and 'data-shortcut="r"' in page and 'data-shortcut="c"' in page
    assert 'data-testid="shortcuts"' in page and "Keyboard shortcuts" in text_of(page)
    nxt = client.get(f"/review/{order[1]}/next", follow_redirects=False)
    assert nxt.headers["location"] == f"/review/{order[2]}"
    prev = client.get(f"/review/{order[1]}/previous", follow_redirects=False)
    assert prev.headers["location"] == f"/review/{order[0]}"
    first = client.get(f"/review/{order[0]}/previous", follow_redirects=False)
    assert first.headers["location"] == f"/review/{order[0]}?edge=first"
    assert "This is the first suggestion of the queue." in client.get(first.headers["location"]).text
    oldest = client.get(f"/review/{order[0]}/next?queue=sort%3Doldest", follow_redirects=False)
    assert oldest.headers["location"] == f"/review/{order[0]}?edge=last&queue=sort%3Doldest"
    assert client.get(f"/review/{order[0]}/sideways").status_code in (404, 405)
    arabic = signed_in(ws, "nour", lang="ar").get(f"/review/{order[1]}").text
    assert "اختصارات لوحة المفاتيح" in arabic and "الاقتراح التالي" in arabic
