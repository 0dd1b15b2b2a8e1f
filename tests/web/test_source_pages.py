"""The source page and evidence highlighting: overlapping spans, Arabic text, escaping, the original."""
from __future__ import annotations

import re
from pathlib import Path

from _client import make_user, signed_in
from _record_helpers import SEED, ingest_text, text_of

from tawthiq.domain.enums import ClaimField
from tawthiq.domain.model import Claim, Incident, Span
from tawthiq.services import Workspace, reading
from tawthiq.web.highlight import EVIDENCE_FIELD, Highlight, highlighted_text, segments

ARABIC = "حلب، 12 آذار 2016: قتل خمسة مدنيين بينهم طفلان جراء قصف جوي لطائرات النظام على حي الشعار في مدينة حلب.\n"


# ------------------------------------------------------------ highlighting


def test_overlapping_spans_become_pieces_carrying_every_field() -> None:
    text = "a government air strike killed three civilians"
    sentence = Highlight(0, len(text), EVIDENCE_FIELD, incident_id=1)
    strike = Highlight(13, 23, "event_type", claim_id=7)      # "air strike"
    strike_wide = Highlight(2, 23, "perpetrator", claim_id=8)  # "government air strike"
    pieces = segments(text, [strike, sentence, strike_wide])
    assert "".join(p.text for p in pieces) == text
    by_text = {p.text: p for p in pieces}
    assert by_text["a "].fields == (EVIDENCE_FIELD,)
    assert by_text["government "].fields == (EVIDENCE_FIELD, "perpetrator") and by_text["government "].claim_ids == (8,)
    assert by_text["air strike"].fields == ("event_type", EVIDENCE_FIELD, "perpetrator")
    assert by_text["air strike"].claim_ids == (7, 8) and by_text["air strike"].anchor == "ev-13"
    assert by_text[" killed three civilians"].fields == (EVIDENCE_FIELD,)
    assert all(p.marked for p in pieces)


def test_spans_outside_the_text_are_skipped_and_plain_text_stays_whole() -> None:
    text = "short text"
    bad = [Highlight(-1, 3, "date"), Highlight(5, 5, "date"), Highlight(4, 2, "date"), Highlight(3, 99, "date"),
           Highlight(True, 3, "date")]  # type: ignore[arg-type]
    assert segments(text, bad) == segments(text, [])
    (only,) = segments(text, bad)
    assert only.text == text and not only.marked
    assert segments("", [Highlight(0, 1, "date")]) == []
    edge = segments(text, [Highlight(0, len(text), "location")])
    assert [(p.text, p.marked) for p in edge] == [(text, True)]


def test_arabic_spans_are_python_string_offsets() -> None:
    start = ARABIC.index("خمسة مدنيين")
    span = Span.of(ARABIC, start, start + len("خمسة مدنيين"))
    incident = Incident(event_type="air-drone-strike", source_id=5, id=3, evidence=[Span.of(ARABIC, 0, 20)],
                        claims=[Claim(field=ClaimField.VICTIMS, value={}, span=span, method="rule:x", source_id=5, id=9),
                                Claim(field=ClaimField.DATE, value="2016-03-12", span=Span.of(ARABIC, 5, 17),
                                      method="rule:y", source_id=4, id=10)])  # another source: not marked here
    pieces = highlighted_text(ARABIC, [incident], source_id=5)
    assert "".join(p.text for p in pieces) == ARABIC
    (victims,) = [p for p in pieces if p.claim_ids == (9,)]
    assert victims.text == "خمسة مدنيين" and victims.fields == ("victims",) and victims.incident_ids == (3,)
    assert not any(10 in p.claim_ids for p in pieces)
    assert [p.fields for p in pieces if p.start == 0] == [(EVIDENCE_FIELD,)]


# ------------------------------------------------------------------ pages


def _marks(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<mark class="evidence[^"]*" id="(ev-\d+)"[^>]*>([^<]*)</mark>', page)


def test_source_page_marks_every_incidents_evidence_without_nesting(ws: Workspace) -> None:
    from tawthiq.services.ingest import ingest_files

    (result,) = ingest_files(ws, [SEED])
    client = signed_in(ws, "nour", "documenter")
    page = client.get(f"/sources/{result.source_ids[0]}")
    assert page.status_code == 200
    body = page.text[page.text.index('data-testid="source-text"'):]
    body = body[:body.index("</div>")]
    assert "<mark" not in re.sub(r"<mark[^>]*>[^<]*</mark>", "", body), "marks are never nested"
    marks = _marks(page.text)
    assert len(marks) > 5
    incident_ids = {int(i) for value in re.findall(r'data-incidents="([\d ]+)"', body) for i in value.split()}
    assert len(incident_ids) == result.incidents  # every supporting incident has marks
    text = text_of(body.split(">", 1)[1])
    source = reading.get_source_view(ws, user=make_user(ws, "rana", "reviewer"), source_id=result.source_ids[0])
    assert text == source.source.text  # the text is whole, marks or not
    listed = re.findall(r'data-testid="source-incident">#(\d+)', page.text)
    assert {int(i) for i in listed} == incident_ids


def test_source_page_metadata_and_original_download(ws: Workspace, tmp_path: Path) -> None:
    (source_id,) = ingest_text(ws, tmp_path, "تقرير <i>حلب.txt", ARABIC)
    client = signed_in(ws, "nour", "documenter")
    page = client.get(f"/sources/{source_id}")
    assert page.status_code == 200
    view = reading.get_source_view(ws, user=make_user(ws, "rana", "reviewer"), source_id=source_id)
    assert view.source.sha256 in page.text
    assert "&lt;i&gt;حلب" in page.text and "<i>حلب" not in page.text  # the file name is escaped
    assert 'href="/sources/%d/original"' % source_id in page.text
    marks = _marks(page.text)
    assert any(text == "خمسة مدنيين" for _, text in marks)
    original = client.get(f"/sources/{source_id}/original")
    assert original.status_code == 200
    assert original.content == ARABIC.encode("utf-8")
    assert original.headers["content-type"] == "application/octet-stream"
    assert original.headers["x-content-type-options"] == "nosniff"
    disposition = original.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    assert re.fullmatch(r"attachment; filename=\"[A-Za-z0-9._-]+\"; filename\*=UTF-8''[A-Za-z0-9._%-]+", disposition)


def test_source_url_is_shown_as_text_never_a_live_link(ws: Workspace, tmp_path: Path) -> None:
    html_report = ("<html><head><title>Report</title>"
                   "<link rel=\"canonical\" href=\"https://example.org/r?a=1&amp;b=%22%3E%3Cscript%3E\">"
                   "</head><body><p>" + ARABIC + "</p></body></html>")
    (source_id,) = ingest_text(ws, tmp_path, "report.html", html_report)
    client = signed_in(ws, "nour", "documenter")
    page = client.get(f"/sources/{source_id}").text
    shown = re.search(r'data-testid="source-url">([^<]*)<', page)
    assert shown and text_of(shown.group(1)) == "https://example.org/r?a=1&b=%22%3E%3Cscript%3E"
    assert not re.search(r'<a [^>]*href="(?!/|#)', page), "no link leaves the app"


def test_viewer_cannot_read_sources_and_unknown_source_is_404(ws: Workspace, tmp_path: Path) -> None:
    (source_id,) = ingest_text(ws, tmp_path, "aleppo.txt", ARABIC)
    viewer = signed_in(ws, "guest", "viewer")
    for url in (f"/sources/{source_id}", f"/sources/{source_id}/original"):
        refused = viewer.get(url)
        assert refused.status_code in (403, 404) and ARABIC.strip()[:10] not in refused.text
    documenter = signed_in(ws, "nour", "documenter")
    assert documenter.get("/sources/424242").status_code == 404
    assert documenter.get("/sources/424242/original").status_code == 404
