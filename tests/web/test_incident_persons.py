"""An incident naming three thousand people (a victim list): its page lists a bounded number of them at a time,
says how many there are in the page's language, its pages together list every person exactly once, and its links
keep the page of claims shown; a viewer, who never sees named persons, is shown none of them on any page."""
from __future__ import annotations

import html
import re

import pytest
from _client import signed_in
from _review_scale_helpers import many_claims

from tawthiq.domain import Confidentiality, Incident, IncidentStatus, Person, Source, SourceKind
from tawthiq.services import Workspace, reading
from tawthiq.store import repository
from tawthiq.store.incidents import insert_person

PERSONS = 3_000
MAX_PAGE_BYTES = 120_000  # the whole list made the page 670 KB
MARKER = "Planted-Name-Zx"  # in every person's name, nowhere a viewer may look


def _with_persons(ws: Workspace, incident_id: int) -> set[int]:
    """PERSONS named persons (real rows) on the incident, stored in one transaction as ingest stores a list."""
    ids: set[int] = set()
    with ws.db.session(write=True) as session:
        for n in range(PERSONS):
            ids.add(insert_person(session, Person(name=f"{MARKER} {n}", name_alt=f"شخص {n}", age=n % 90,
                                                  incident_id=incident_id), user="nour"))
    return ids


def _incident(ws: Workspace, **incident: object) -> int:
    source_id, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="f" * 64, title="A victim list",
                                                        text="A list of the names of the people killed."))
    return repository.add_incident(ws.db, Incident(event_type="shelling", source_id=source_id,
                                                   description="Shelling of the market", **incident))  # type: ignore[arg-type]


def _many_persons(ws: Workspace, **incident: object) -> tuple[int, set[int]]:
    incident_id = _incident(ws, **incident)
    return incident_id, _with_persons(ws, incident_id)


def _listed(text: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="person" data-person-id="(\d+)"', text)]


def _next(text: str) -> str | None:
    found = re.search(r'<a href="([^"#]+)#persons" rel="next" data-testid="persons-next">', text)
    return html.unescape(found.group(1)) if found else None


@pytest.mark.parametrize(("lang", "total", "listed", "more"), [
    ("en", "3,000 named people are linked to this incident.", "Listed here: people 1 to 50 (page 1 of 60).",
     "Show more people"),
    ("ar", "يرتبط بهذه الحادثة 3,000 من الأشخاص المسمَّين.", "المعروض هنا: الأشخاص من 1 إلى 50 (الصفحة 1 من 60).",
     "اعرض مزيداً من الأشخاص"),
])
def test_thousands_of_persons_are_listed_a_bounded_page_at_a_time_and_every_one_is_reached_once(
        ws: Workspace, lang: str, total: str, listed: str, more: str) -> None:
    incident_id, every = _many_persons(ws)
    client = signed_in(ws, "nour", "documenter", lang=lang)
    first = client.get(f"/incidents/{incident_id}")
    assert first.status_code == 200 and len(first.content) < MAX_PAGE_BYTES, len(first.content)
    assert len(_listed(first.text)) == reading.PERSONS_PER_PAGE
    count = re.search(r'data-testid="persons-count"[^>]*>(.*?)</p>', first.text, re.S)
    assert count is not None
    said = " ".join(re.sub(r"<[^>]+>", "", count.group(1)).split())
    assert total in said and listed in said, said
    assert f">{more}</a>" in first.text
    assert _next(first.text) == f"/incidents/{incident_id}?persons=2"
    seen: list[int] = []
    address: str | None = f"/incidents/{incident_id}"
    pages = 0
    while address is not None:
        page = client.get(address)
        assert page.status_code == 200 and len(page.content) < MAX_PAGE_BYTES
        shown = _listed(page.text)
        assert 0 < len(shown) <= reading.PERSONS_PER_PAGE
        seen += shown
        pages += 1
        address = _next(page.text)
    assert pages == PERSONS // reading.PERSONS_PER_PAGE
    assert len(seen) == len(set(seen)) == PERSONS and set(seen) == every
    last = client.get(f"/incidents/{incident_id}?persons=999999").text
    assert 'data-testid="persons-previous"' in last and 'data-testid="persons-next"' not in last
    assert f'href="/incidents/{incident_id}?persons=1#persons" data-testid="persons-first"' in last
    assert _listed(last) == seen[-50:]
    assert _listed(client.get(f"/incidents/{incident_id}?persons=٢").text) == seen[50:100]
    for bad in ("abc", "-3", "0", "", "99999999999999999999"):
        answer = client.get(f"/incidents/{incident_id}?persons={bad}")
        assert answer.status_code == 200 and _listed(answer.text) == seen[:50], bad


def test_each_list_keeps_the_others_page(ws: Workspace) -> None:
    """Paging the persons keeps the page of claims shown, and paging the claims keeps the page of persons."""
    incident_id, _ = many_claims(ws)
    _with_persons(ws, incident_id)
    page = signed_in(ws, "nour", "documenter").get(f"/incidents/{incident_id}?claims=3&persons=4&done=tagged").text
    assert 'data-testid="done"' in page
    persons_next = re.search(r'<a href="([^"]+)" rel="next" data-testid="persons-next">', page)
    claims_next = re.search(r'<a href="([^"]+)" rel="next" data-testid="claims-next">', page)
    assert persons_next is not None and claims_next is not None
    assert html.unescape(persons_next.group(1)) == f"/incidents/{incident_id}?claims=3&persons=5#persons"
    assert html.unescape(claims_next.group(1)) == f"/incidents/{incident_id}?claims=4&persons=4#claims"


def test_a_few_persons_are_listed_whole_without_paging(ws: Workspace) -> None:
    incident_id = _incident(ws)
    with ws.db.session(write=True) as session:
        for n in range(3):
            insert_person(session, Person(name=f"Person {n}", incident_id=incident_id), user="nour")
    page = signed_in(ws, "nour", "documenter", lang="ar").get(f"/incidents/{incident_id}?persons=7").text
    assert len(_listed(page)) == 3
    assert "يرتبط بهذه الحادثة 3 من الأشخاص المسمَّين" in page  # the sentence shown before paging, as it was
    assert 'data-testid="persons-count"' not in page and 'data-testid="persons-pager"' not in page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_page_of_the_persons_reaches_a_viewer(ws: Workspace, lang: str) -> None:
    """A viewer opens the public incident on every page number and never reads a name, their count or a link to
    more; a documenter's same pages hold them, so they are there to leak."""
    incident_id, _ = _many_persons(ws, confidentiality=Confidentiality.PUBLIC, status=IncidentStatus.VERIFIED)
    viewer = signed_in(ws, "visitor", "viewer", lang=lang)
    documenter = signed_in(ws, "nour", "documenter", lang=lang)
    for query in ("", "?persons=2", "?persons=60", "?persons=999999", "?persons=abc", "?claims=2&persons=3"):
        page = viewer.get(f"/incidents/{incident_id}{query}")
        assert page.status_code == 200 and "Shelling of the market" in page.text
        for hidden in (MARKER, "شخص 1", 'data-testid="person"', 'data-testid="persons-count"',
                       'data-testid="persons-pager"', "#persons\"", 'id="persons"'):
            assert hidden not in page.text, (query, hidden)
        staff = documenter.get(f"/incidents/{incident_id}{query}").text
        assert MARKER in staff and 'data-testid="persons-count"' in staff and "#persons\"" in staff
