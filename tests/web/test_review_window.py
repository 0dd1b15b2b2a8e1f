"""A two-million-character source: the review page of one suggestion shows the text around its evidence (marked,
offsets kept, the cut said in the page's language, a link to the whole text), and the source page a page at a time."""
from __future__ import annotations

import re

import pytest
from _client import make_user, signed_in

from tawthiq.domain import (
    Claim,
    ClaimField,
    Confidentiality,
    Incident,
    IncidentDate,
    Location,
    Source,
    SourceKind,
    Span,
)
from tawthiq.services import Workspace
from tawthiq.store import repository

LENGTH = 2_000_000
FILLER = "تقرير طويل عن الأوضاع الإنسانية في المنطقة، بلا حادثة محددة فيه. Background paragraph, no incident here.\n\n"
ACT = "Idlib, 3 March 2019: a government air strike on the market of Ariha killed four civilians, a witness said."
MARKER = "Qzconfidentialmarker"  # in a confidential incident's description: never on a viewer's page


def _long_source(ws: Workspace, at: int) -> tuple[int, int, int]:
    """A source of LENGTH characters with ACT starting at ``at``; (source id, incident id, ACT's start)."""
    head = (FILLER * (at // len(FILLER) + 1))[:at]
    head = head[:head.rfind("\n\n") + 2]
    text = head + ACT + "\n\n"
    text = (text + FILLER * ((LENGTH - len(text)) // len(FILLER) + 1))[:LENGTH]
    start = len(head)
    source_id, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256=f"{at:064x}", text=text,
                                                        title="Long report", language="en"))

    def span(words: str) -> Span:
        begin = start + ACT.index(words)
        return Span.of(text, begin, begin + len(words))

    incident_id = repository.add_incident(ws.db, Incident(
        event_type="air-drone-strike", source_id=source_id, description=f"air strike on Ariha {MARKER}",
        confidentiality=Confidentiality.CONFIDENTIAL, location=Location(name="Ariha", admin1="Idlib"),
        date=IncidentDate(edtf="2019-03-03"), evidence=[Span.of(text, start, start + len(ACT))],
        claims=[Claim(field=ClaimField.EVENT_TYPE, value="air-drone-strike", span=span("air strike"),
                      method="rule:test", source_id=source_id),
                Claim(field=ClaimField.DATE, value="2019-03-03", span=span("3 March 2019"), method="rule:test",
                      source_id=source_id),
                Claim(field=ClaimField.LOCATION, value={"name": "Ariha"}, span=span("Ariha"), method="rule:test",
                      source_id=source_id)],
    ))
    return source_id, incident_id, start


def _marks(html: str) -> dict[int, str]:
    """Each evidence mark's start (from its id) and text."""
    return {int(m[0]): m[1] for m in re.findall(r'<mark class="evidence[^"]*" id="ev-(\d+)"[^>]*>([^<]*)</mark>', html)}


@pytest.mark.parametrize(("lang", "said"), [("en", "Text shortened: showing characters "),
                                             ("ar", "النص مختصر: تُعرض الأحرف ")])
def test_the_review_page_of_a_two_million_character_source_shows_its_evidence_in_under_200_kb(
        ws: Workspace, lang: str, said: str) -> None:
    source_id, incident_id, start = _long_source(ws, 1_900_000)
    client = signed_in(ws, "nour", "documenter", lang=lang)
    page = client.get(f"/review/{incident_id}")
    assert page.status_code == 200
    assert len(page.content) < 200_000, len(page.content)
    html = page.text
    # Every mark at its offset in the whole text, with the words the claim rests on, in its field's colour.
    marks = _marks(html)
    begin = start + ACT.index("air strike")
    assert marks[begin].startswith("air strike")
    assert any(text == "3 March 2019" for text in marks.values())
    assert f'id="ev-{start}"' in html and 'class="evidence f-date"' in html and 'class="evidence f-location"' in html
    assert 'data-testid="mark-legend"' in html and 'data-field="date"' in html and 'data-field="location"' in html
    # The cut is said, with the characters shown, in the page's language; a link leads to the whole text there.
    note = re.search(r'data-testid="text-shortened" data-length="(\d+)" data-start="(\d+)" data-end="(\d+)">([^<]*)',
                     html)
    assert note is not None and int(note[1]) == LENGTH
    shown_from, shown_to = int(note[2]), int(note[3])
    assert shown_from < start < start + len(ACT) < shown_to < LENGTH
    assert note[4].strip().startswith(said) and f"{shown_from + 1:,}–{shown_to:,}" in note[4]
    assert f"{LENGTH:,}" in note[4]
    assert f'href="/sources/{source_id}?at={start}#ev-{start}"' in html
    assert html.count('data-testid="text-gap"') == 2  # before the excerpt and after it
    # The whole text's page holding the evidence: the same marks at the same offsets, a page of the text.
    whole = client.get(f"/sources/{source_id}?at={start}")
    assert whole.status_code == 200 and len(whole.content) < 200_000
    assert _marks(whole.text)[begin].startswith("air strike")
    assert 'data-testid="text-previous"' in whole.text and 'data-testid="text-next"' in whole.text
    # Its first page does not hold the evidence: the incident's "show in the text" leads to the page that does.
    first = client.get(f"/sources/{source_id}")
    assert f'id="ev-{start}"' not in first.text and len(first.content) < 200_000
    assert f'href="/sources/{source_id}?at={start}#ev-{start}" data-testid="show-marks-page"' in first.text


def test_a_viewer_sees_neither_page_nor_the_confidential_words(ws: Workspace) -> None:
    source_id, incident_id, start = _long_source(ws, 1_000_000)
    make_user(ws, "vera", "viewer")
    client = signed_in(ws, "vera")
    for url in (f"/review/{incident_id}", f"/sources/{source_id}?at={start}", f"/sources/{source_id}"):
        page = client.get(url)
        assert page.status_code in (403, 404), url
        assert MARKER not in page.text and ACT not in page.text


def test_the_evidence_at_the_start_of_a_long_text_is_shown_from_its_first_character(ws: Workspace) -> None:
    source_id, incident_id, start = _long_source(ws, 0)
    client = signed_in(ws, "nour", "documenter")
    html = client.get(f"/review/{incident_id}").text
    note = re.search(r'data-testid="text-shortened" data-length="\d+" data-start="(\d+)" data-end="(\d+)"', html)
    assert note is not None and int(note[1]) == 0 and start == 0
    assert html.count('data-testid="text-gap"') == 1  # only after the excerpt
    assert _marks(html)[ACT.index("air strike")].startswith("air strike")
