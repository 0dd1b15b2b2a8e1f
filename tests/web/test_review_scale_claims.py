"""A suggestion resting on three thousand claims: its review page lists a bounded number of them at a time,
says how many there are in the page's language, and its pages together list every claim exactly once."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from _client import signed_in
from _review_scale_helpers import CLAIMS, FIELDS, many_claims

from tawthiq.domain import Claim, ClaimField
from tawthiq.services import Workspace, claim_pages

MAX_PAGE_BYTES = 250_000  # the whole list was 3.9 MB; a page of claims beside the text's excerpts is about 220 KB


def _listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="claim" data-claim-id="(\d+)"', html)]


@pytest.mark.parametrize(("lang", "total", "listed", "more"), [
    ("en", "This suggestion rests on 3,000 claims.", "Listed here: claims 1 to 50, field by field (page 1 of 60).",
     "Show more claims"),
    ("ar", "يستند هذا الاقتراح إلى 3,000 ادعاء.",  # the account's digits: Latin unless chosen
     "المعروض هنا: الادعاءات من 1 إلى 50، حقلاً بعد حقل (الصفحة 1 من 60).", "اعرض مزيداً من الادعاءات"),
])
def test_thousands_of_claims_are_listed_a_bounded_page_at_a_time_and_every_one_is_reached_once(
        ws: Workspace, lang: str, total: str, listed: str, more: str) -> None:
    incident_id, every = many_claims(ws)
    client = signed_in(ws, "nour", "documenter", lang=lang)
    first = client.get(f"/review/{incident_id}?queue=sort%3Doldest")
    assert first.status_code == 200
    assert len(first.content) < MAX_PAGE_BYTES, len(first.content)
    assert len(_listed(first.text)) == claim_pages.CLAIMS_PER_PAGE
    count = re.search(r'<p class="notice claims-count"[^>]*>(.*?)</p>', first.text, re.S)
    assert count is not None
    said = " ".join(re.sub(r"<[^>]+>", "", count.group(1)).split())
    assert total in said and listed in said, said
    assert f">{more}</a>" in first.text
    # The link to the next claims keeps the queue the person came from and lands at the claims.
    following = re.search(r'<a href="([^"]+)" rel="next" data-testid="claims-next">', first.text)
    assert following is not None
    assert following.group(1).replace("&amp;", "&") == f"/review/{incident_id}?queue=sort%3Doldest&claims=2#claims"
    # Walk the pages by their links: each claim exactly once, the replaced ones too, and each page bounded.
    seen: list[int] = []
    address: str | None = f"/review/{incident_id}?queue=sort%3Doldest"
    pages = 0
    while address is not None:
        page = client.get(address)
        assert page.status_code == 200 and len(page.content) < MAX_PAGE_BYTES
        ids = _listed(page.text)
        assert 0 < len(ids) <= claim_pages.CLAIMS_PER_PAGE
        if pages:  # opened at the claims, which a paging link asked for
            assert 'id="suggestion" data-testid="suggestion" open' in page.text
        seen += ids
        pages += 1
        found = re.search(r'<a href="([^"#]+)#claims" rel="next" data-testid="claims-next">', page.text)
        address = found.group(1).replace("&amp;", "&") if found else None
    assert pages == CLAIMS // claim_pages.CLAIMS_PER_PAGE
    assert len(seen) == len(set(seen)) == CLAIMS and set(seen) == every
    # The last page links back, not on; a page beyond the last is the last, and a bad number the first.
    last = client.get(f"/review/{incident_id}?claims={pages}")
    assert 'data-testid="claims-next"' not in last.text and 'data-testid="claims-previous"' in last.text
    assert _listed(client.get(f"/review/{incident_id}?claims=999999").text) == _listed(last.text)
    assert _listed(client.get(f"/review/{incident_id}?claims=abc").text) == _listed(first.text)


def test_a_field_whose_claims_are_all_on_other_pages_says_so_rather_than_none(ws: Workspace) -> None:
    incident_id, _ = many_claims(ws)
    client = signed_in(ws, "nour", "documenter")
    html = client.get(f"/review/{incident_id}?claims=60").text  # description claims only, none of the others
    notes = dict(re.findall(r'data-field="(\w+)"[^>]*>(?:(?!</dd>).)*?data-testid="claims-elsewhere" '
                            r'data-count="(\d+)"', html, re.S))
    per_field = CLAIMS // len(FIELDS)
    assert notes["event_type"] == str(per_field) and notes["date"] == str(per_field)
    assert "No claim supports this field" not in html


def test_no_page_of_the_claims_reaches_a_viewer(ws: Workspace) -> None:
    """The claims quote the report: a viewer is refused every page of them, and sees none of their words."""
    incident_id, _ = many_claims(ws)
    viewer = signed_in(ws, "visitor", "viewer")
    for query in ("", "?claims=2", "?claims=60", "?claims=abc"):
        page = viewer.get(f"/review/{incident_id}{query}")
        assert page.status_code == 403 and "shelled village" not in page.text and 'data-testid="claim"' not in page.text
        assert 'data-testid="claims-count"' not in page.text


def test_a_few_claims_are_listed_whole_without_paging() -> None:
    page = claim_pages.claim_page([Claim(field=ClaimField.DATE, value="2019-03-01", span=None, method="m", id=i)
                                   for i in range(1, 4)])
    assert not page.paged and page.total == 3 and (page.first, page.last) == (1, 3)
    assert [c.id for c in page.by_field["date"]] == [1, 2, 3]


def test_the_pages_take_the_fields_in_the_order_the_page_shows_them_current_before_replaced() -> None:
    when = datetime(2024, 5, 1, tzinfo=timezone.utc)
    claims = [Claim(field=ClaimField.DESCRIPTION, value="d", span=None, method="m", id=1),
              Claim(field=ClaimField.EVENT_TYPE, value="shelling", span=None, method="m", id=5, superseded_at=when),
              Claim(field=ClaimField.EVENT_TYPE, value="shelling", span=None, method="m", id=9),
              Claim(field=ClaimField.DATE, value="2019", span=None, method="m", id=2)]
    assert [c.id for c in claim_pages.in_order(claims)] == [9, 5, 2, 1]
    second = claim_pages.claim_page(claims, page=2, per_page=2)
    assert (second.first, second.last, second.previous, second.next) == (3, 4, 1, None)
    assert second.elsewhere == {"event_type": 2}
