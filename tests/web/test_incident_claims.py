"""An incident resting on three thousand claims: its page lists a bounded number of them at a time, says how many
there are in the page's language, and its pages together list every claim exactly once; a viewer, whose
projection of the incident has no claims, is shown none of them on any page."""
from __future__ import annotations

import html
import re

import pytest
from _client import signed_in
from _review_scale_helpers import CLAIMS, FIELDS, many_claims

from tawthiq.domain import Claim, ClaimField, Confidentiality, Incident, IncidentStatus, Source, SourceKind, Span
from tawthiq.services import Workspace, claim_pages
from tawthiq.store import repository
from tawthiq.web.routes import pairs

MAX_PAGE_BYTES = 200_000  # the whole list made the incident page 3.7 MB; a page of fifty claims is about 78 KB
QUOTED = "shelled village"  # in every claim's quote of the report, nowhere a viewer may look


def _listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="claim" data-claim-id="(\d+)"', html)]


def _count_said(html: str) -> str:
    count = re.search(r'<p class="notice claims-count"[^>]*>(.*?)</p>', html, re.S)
    assert count is not None, "no count of the claims on the page"
    return " ".join(re.sub(r"<[^>]+>", "", count.group(1)).split())


@pytest.mark.parametrize(("lang", "total", "listed", "more"), [
    ("en", "This incident rests on 3,000 claims.", "Listed here: claims 1 to 50, field by field (page 1 of 60).",
     "Show more claims"),
    ("ar", "تستند هذه الحادثة إلى 3,000 ادعاء.",  # the account's digits: Latin unless chosen
     "المعروض هنا: الادعاءات من 1 إلى 50، حقلاً بعد حقل (الصفحة 1 من 60).", "اعرض مزيداً من الادعاءات"),
])
def test_thousands_of_claims_are_listed_a_bounded_page_at_a_time_and_every_one_is_reached_once(
        ws: Workspace, lang: str, total: str, listed: str, more: str) -> None:
    incident_id, every = many_claims(ws)
    client = signed_in(ws, "nour", "documenter", lang=lang)
    first = client.get(f"/incidents/{incident_id}?done=tagged")
    assert first.status_code == 200
    assert len(first.content) < MAX_PAGE_BYTES, len(first.content)
    assert len(_listed(first.text)) == claim_pages.CLAIMS_PER_PAGE
    said = _count_said(first.text)
    assert total in said and listed in said, said
    assert f">{more}</a>" in first.text
    # The link to the next claims lands at the claims; the one-time notice is not said again there.
    following = re.search(r'<a href="([^"]+)" rel="next" data-testid="claims-next">', first.text)
    assert following is not None and following.group(1) == f"/incidents/{incident_id}?claims=2#claims"
    # Walk the pages by their links: each claim exactly once, the replaced ones too, and each page bounded.
    seen: list[int] = []
    address: str | None = f"/incidents/{incident_id}"
    pages = 0
    while address is not None:
        page = client.get(address)
        assert page.status_code == 200 and len(page.content) < MAX_PAGE_BYTES
        ids = _listed(page.text)
        assert 0 < len(ids) <= claim_pages.CLAIMS_PER_PAGE
        assert 'data-testid="done"' not in page.text
        seen += ids
        pages += 1
        found = re.search(r'<a href="([^"#]+)#claims" rel="next" data-testid="claims-next">', page.text)
        address = found.group(1) if found else None
    assert pages == CLAIMS // claim_pages.CLAIMS_PER_PAGE
    assert len(seen) == len(set(seen)) == CLAIMS and set(seen) == every
    # The last page links back, not on; a page beyond the last is the last, and a bad number the first.
    last = client.get(f"/incidents/{incident_id}?claims={pages}")
    assert 'data-testid="claims-next"' not in last.text and 'data-testid="claims-previous"' in last.text
    assert f'href="/incidents/{incident_id}?claims=1#claims" data-testid="claims-first"' in last.text
    assert _listed(client.get(f"/incidents/{incident_id}?claims=999999").text) == _listed(last.text)
    # A number typed in Arabic-Indic digits is that page; what is not a page number (web/listing.page_number: no
    # sign, at most seven digits) is the first.
    second = client.get(f"/incidents/{incident_id}?claims=2").text
    assert _listed(client.get(f"/incidents/{incident_id}?claims=٢").text) == _listed(second)
    for bad in ("abc", "-3", "0", "", "99999999999999999999"):
        answer = client.get(f"/incidents/{incident_id}?claims={bad}")
        assert answer.status_code == 200 and _listed(answer.text) == _listed(first.text)


def test_a_reviewer_sees_a_bounded_page_too(ws: Workspace) -> None:
    """An admin's page says more of each claim (who made it, who replaced it): still bounded."""
    incident_id, _ = many_claims(ws)
    admin = signed_in(ws, "rima", "admin")
    page = admin.get(f"/incidents/{incident_id}?claims=2")
    assert page.status_code == 200 and len(page.content) < MAX_PAGE_BYTES, len(page.content)
    assert len(_listed(page.text)) == claim_pages.CLAIMS_PER_PAGE
    assert 'data-testid="claim-by"' in page.text


def test_a_field_whose_claims_are_all_on_other_pages_says_so_rather_than_none(ws: Workspace) -> None:
    incident_id, _ = many_claims(ws)
    client = signed_in(ws, "nour", "documenter", lang="ar")
    html = client.get(f"/incidents/{incident_id}?claims=60").text  # description claims only, none of the others
    notes = dict(re.findall(r'data-field="(\w+)"[^>]*>(?:(?!</dd>).)*?data-testid="claims-elsewhere" '
                            r'data-count="(\d+)"', html, re.S))
    per_field = CLAIMS // len(FIELDS)
    assert notes["event_type"] == str(per_field) and notes["date"] == str(per_field)
    assert "375 ادعاءً لهذا الحقل في صفحات أخرى من الادعاءات." in html  # 11 to 99 after the hundreds: accusative
    assert "لا يوجد ادعاء يدعم هذا الحقل." not in html


def test_a_few_claims_are_listed_whole_without_paging(ws: Workspace) -> None:
    source_id, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="d" * 64, title="short",
                                                                text="A short report: shelling on 1 March 2019."))
    incident_id = repository.add_incident(ws.db, Incident(
        event_type="shelling", source_id=source_id, description="Shelling", claims=[
            Claim(field=ClaimField.DATE, value=f"2019-03-0{n}", span=None, method="rule:test", source_id=source_id)
            for n in range(1, 4)]))
    html = signed_in(ws, "nour", "documenter").get(f"/incidents/{incident_id}?claims=7").text
    assert len(_listed(html)) == 3
    assert 'data-testid="claims-count"' not in html and 'data-testid="claims-pager"' not in html


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_page_of_the_claims_reaches_a_viewer(ws: Workspace, lang: str) -> None:
    """A viewer opens the public incident (its public values) on every page number, and never reads a claim, its
    quote of the report, their count or a link to more; a documenter's same pages hold them, so they are there."""
    incident_id, _ = many_claims(ws, confidentiality=Confidentiality.PUBLIC, status=IncidentStatus.VERIFIED)
    viewer = signed_in(ws, "visitor", "viewer", lang=lang)
    documenter = signed_in(ws, "nour", "documenter", lang=lang)
    for query in ("", "?claims=2", "?claims=60", "?claims=999999", "?claims=abc"):
        page = viewer.get(f"/incidents/{incident_id}{query}")
        assert page.status_code == 200 and "Shelling of many villages" in page.text
        for hidden in (QUOTED, 'data-testid="claim"', 'data-testid="claims-count"', 'data-testid="claims-pager"',
                       'data-testid="claims-elsewhere"', "#claims\"", "corrected by hand"):
            assert hidden not in page.text, (query, hidden)
        staff = documenter.get(f"/incidents/{incident_id}{query}").text
        assert QUOTED in staff and 'data-testid="claims-count"' in staff and "#claims\"" in staff


PAIR_MAX_BYTES = 150_000  # every quoted passage of two 3,000-claim incidents made the pair page 1.5 MB


@pytest.mark.parametrize(("lang", "more", "see_all"), [
    ("en", "2,860 more passages are quoted by this incident's claims.", "See all its claims, a page at a time"),
    ("ar", "تقتبس ادعاءات هذه الحادثة 2,860 مقطعاً آخر.", "اطّلع على جميع ادعاءاتها، صفحةً بعد صفحة"),
])
def test_the_pair_page_quotes_a_bounded_number_of_passages_and_counts_the_rest(
        ws: Workspace, lang: str, more: str, see_all: str) -> None:
    """Side by side, each incident shows its first quoted passages, and says in words how many more its claims
    quote, linking to its page where they are all listed, a page at a time."""
    left, _ = many_claims(ws)
    right, _ = many_claims(ws, sha256="e" * 64)
    page = signed_in(ws, "nour", "documenter", lang=lang).get(f"/review/pairs/{left}/{right}")
    assert page.status_code == 200 and len(page.content) < PAIR_MAX_BYTES, len(page.content)
    sides = page.text.split('data-testid="pair-side"')[1:]
    assert len(sides) == 2
    for incident_id, side in zip((left, right), sides, strict=True):
        # Each current claim quotes its own line (one in 25 was replaced): 2,880 passages, 20 shown.
        assert side.count('data-testid="pair-quote"') == pairs.PAIR_QUOTES
        note = re.search(r'data-testid="pair-quotes-more" data-count="(\d+)">(.*?)</p>', side, re.S)
        assert note is not None and note.group(1) == "2860"
        said = " ".join(html.unescape(re.sub(r"<[^>]+>", "", note.group(2))).split())
        assert more in said and see_all in said, said
        assert f'<a href="/incidents/{incident_id}#claims" data-testid="pair-all-claims">' in side


def test_a_pair_with_few_quotes_shows_them_all(ws: Workspace) -> None:
    ids = []
    for n, letter in enumerate("gh"):
        text = f"Report {n}: shelling of the market on 1 March 2019."
        source_id, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256=letter * 64, text=text))
        ids.append(repository.add_incident(ws.db, Incident(
            event_type="shelling", source_id=source_id, description="Shelling", claims=[
                Claim(field=ClaimField.EVENT_TYPE, value="shelling", span=Span.of(text, 10, 18), method="rule:test",
                      source_id=source_id)])))
    page = signed_in(ws, "nour", "documenter").get(f"/review/pairs/{ids[0]}/{ids[1]}")
    assert page.text.count('data-testid="pair-quote"') == 2 and 'data-testid="pair-quotes-more"' not in page.text


SOURCE_INCIDENTS = 3_000
SOURCE_MAX_BYTES = 150_000  # listed whole, 3,000 incidents made the source page 0.9 MB


def _source_with_incidents(ws: Workspace) -> tuple[int, set[int]]:
    """A report from which SOURCE_INCIDENTS incidents were read (real rows), one a line."""
    text = "".join(f"Shelling of village {n} on 1 March 2019.\n" for n in range(SOURCE_INCIDENTS))
    source_id, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="b" * 64, text=text,
                                                        title="A report of many shellings"))
    ids = {repository.add_incident(ws.db, Incident(event_type="shelling", source_id=source_id,
                                                   description=f"Shelling of village {n}"))
           for n in range(SOURCE_INCIDENTS)}
    return source_id, ids


def _source_incidents(text: str) -> list[int]:
    return [int(i) for i in re.findall(r'<a href="/incidents/(\d+)" data-testid="source-incident">', text)]


@pytest.mark.parametrize(("lang", "total", "listed"), [
    ("en", "3,000 incidents were read from this source.", "Listed here: 1 to 50 (page 1 of 60)."),
    ("ar", "قُرئت من هذا المصدر 3,000 حادثة.", "المعروض هنا: من 1 إلى 50 (الصفحة 1 من 60)."),
])
def test_the_source_page_lists_its_incidents_a_bounded_page_at_a_time(ws: Workspace, lang: str, total: str,
                                                                      listed: str) -> None:
    source_id, every = _source_with_incidents(ws)
    client = signed_in(ws, "nour", "documenter", lang=lang)
    first = client.get(f"/sources/{source_id}?at=60000")
    assert first.status_code == 200 and len(first.content) < SOURCE_MAX_BYTES, len(first.content)
    count = re.search(r'data-testid="source-incidents-count"[^>]*>(.*?)</p>', first.text, re.S)
    assert count is not None
    said = " ".join(re.sub(r"<[^>]+>", "", count.group(1)).split())
    assert total in said and listed in said, said
    # The next incidents keep the page of the text being read, and open at the incidents.
    following = re.search(r'<a href="([^"]+)" rel="next" data-testid="incidents-next">', first.text)
    assert following is not None
    assert following.group(1).replace("&amp;", "&") == f"/sources/{source_id}?at=60000&incidents=2#incidents"
    seen: list[int] = []
    address: str | None = f"/sources/{source_id}"
    pages = 0
    while address is not None:
        page = client.get(address)
        assert page.status_code == 200 and len(page.content) < SOURCE_MAX_BYTES
        shown = _source_incidents(page.text)
        assert 0 < len(shown) <= 50
        seen += shown
        pages += 1
        found = re.search(r'<a href="([^"#]+)#incidents" rel="next" data-testid="incidents-next">', page.text)
        address = found.group(1).replace("&amp;", "&") if found else None
    assert pages == 60 and len(seen) == len(set(seen)) == SOURCE_INCIDENTS and set(seen) == every
    last = client.get(f"/sources/{source_id}?incidents=999999").text
    assert 'data-testid="incidents-previous"' in last and 'data-testid="incidents-next"' not in last
    assert _source_incidents(last) == seen[-50:]
    assert _source_incidents(client.get(f"/sources/{source_id}?incidents=abc").text) == seen[:50]


def test_a_source_of_few_incidents_lists_them_whole(ws: Workspace) -> None:
    incident_id, _ = many_claims(ws)
    source_id = repository.get_incident(ws.db, incident_id).source_id  # type: ignore[union-attr]
    page = signed_in(ws, "nour", "documenter").get(f"/sources/{source_id}?incidents=3")
    assert _source_incidents(page.text) == [incident_id]
    assert 'data-testid="source-incidents-count"' not in page.text and "incidents-pager" not in page.text
