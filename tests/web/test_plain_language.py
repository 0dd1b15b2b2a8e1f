"""Plain language instead of machine codes: the history in sentences, claims' "why", per-field evidence colours,
the Admiralty grade in words and its form, dates and settings in words; in English and Arabic."""
from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from pathlib import Path

from _client import form_token, make_user, signed_in
from _record_helpers import ingest_text, text_of

from tawthiq.domain.audit import AuditEntry
from tawthiq.domain.enums import Confidentiality
from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace, reading, review
from tawthiq.store import repository
from tawthiq.store.history import history
from tawthiq.store.incidents import get_incident
from tawthiq.web.plain_history import sentences
from tawthiq.web.plain_rules import rule_sentence
from tawthiq.web.plain_words import date_words, grade_words, params_words

REPORT = "Douma, 5 March 2015: A government air strike killed nine civilians in the market of Douma, activists said.\n"
SECOND = "Douma, 5 March 2015: warplanes bombed the market in Douma and killed nine civilians, medics said.\n"


def _incident(ws: Workspace, user: object, source_id: int) -> int:
    found = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=source_id), sort="id")
    assert found.items
    return found.items[0].id


def _outside_disclosures(html: str) -> str:
    return re.sub(r'<details class="why".*?</details>', "", html, flags=re.DOTALL)


# ----------------------------------------------------------------------- words, without the app


def test_rule_ids_become_sentences_from_their_parts_with_a_fallback() -> None:
    assert rule_sentence("en", "rule:victims/count/words-en|outcome/forward", "nine civilians were killed") == (
        "In “nine civilians were killed”: a number written in words; what happened to them is said after the "
        "number (“nine … killed”).")
    assert "عدد مكتوب بالحروف" in rule_sentence("ar", "rule:victims/count/words-ar|outcome/backward", "قتل تسعة")
    assert rule_sentence("en", "rule:place/heading/gazetteer:town", "Afrin") == (
        "“Afrin”: a place named in the report's heading; found in the list of Syrian places.")
    assert rule_sentence("en", "rule:violation/killed-protected-person") == \
        "A civilian or other protected person was killed."
    # A family or kind added later still reads as a sentence, never as the id.
    assert rule_sentence("en", "rule:brand-new/thing", "xyz") == "A reading rule found this in the words “xyz”."
    assert rule_sentence("en", "rule:date/some-new-rule", "on the day") == \
        "“on the day”: a date written near the act."


def test_dates_grades_and_settings_in_words() -> None:
    assert date_words("en", "2015-10-07") == "7 October 2015"
    assert date_words("ar", "2015-10-07") == "7 تشرين الأول 2015"
    assert date_words("en", "2015-01~") == "about January 2015"
    assert date_words("en", "2015-10-07/2015-10-09") == "between 7 October 2015 and 9 October 2015"
    assert date_words("en", "2015-21") == "date as recorded: 2015-21"  # a season: said as recorded, not guessed
    assert grade_words("en", "F", "6") == (
        "F6: the source's reliability cannot be judged; the truth of the information cannot be judged")
    assert grade_words("ar", "B", "2") == "B2: المصدر موثوق عادةً؛ المعلومة صحيحة على الأرجح"
    assert params_words("en", {"max_side": 256, "upright": True, "new_knob": [1, 2]}) == [
        ("Longest side (pixels)", "256"), ("Turned upright", "yes"), ("new knob", "1, 2")]


def test_history_entries_are_sentences_in_both_languages() -> None:
    at = datetime(2024, 5, 1, 10, 0)
    edit = AuditEntry(id=1, at=at, user="layla", entity="incident", entity_id=9, action="edit",
                      before={"victims": [{"kind": "civilian", "outcome": "killed", "count_min": 9, "count_max": 9,
                                           "unit": "individual", "sex": "unknown", "age": "unknown", "text": ""}]},
                      after={"victims": [{"kind": "civilian", "outcome": "killed", "count_min": 10, "count_max": 10,
                                          "unit": "individual", "sex": "unknown", "age": "unknown", "text": ""}]},
                      comment="one died in hospital")
    assert sentences("en", edit) == [("victims", "layla changed the number killed from 9 to 10.")]
    assert sentences("ar", edit) == [("victims", "غيّر layla عدد القتلى من 9 إلى 10.")]
    merge = dataclasses.replace(edit, action="merge", entity_id=12, before={"status": "confirmed"},
                                after={"status": "merged", "merged_into_id": 9})
    assert sentences("en", merge) == [("", "layla merged incident 12 into 9.")]
    status = dataclasses.replace(edit, user="omar", action="status", before={"status": "suggested"},
                                 after={"status": "confirmed"})
    assert sentences("en", status) == [("status", "omar accepted the incident.")]
    odd = dataclasses.replace(edit, action="something-new", before=None, after=None)
    assert sentences("en", odd) == [("", "layla: something-new.")]


# ----------------------------------------------------------------------- pages


def test_incident_page_says_why_in_words_and_keeps_rule_ids_inside_the_disclosure(
        ws: Workspace, tmp_path: Path) -> None:
    user = make_user(ws, "nour", "documenter")
    (source_id,) = ingest_text(ws, tmp_path, "douma.txt", REPORT)
    incident_id = _incident(ws, user, source_id)
    for lang, why, band in (("en", "Why?", "confidence"), ("ar", "لماذا؟", "ثقة")):
        client = signed_in(ws, "nour", lang=lang)
        page = client.get(f"/incidents/{incident_id}").text
        assert page.count('<details class="why"') >= 3
        assert f"<summary>{why}</summary>" in page
        assert "rule:victims/" in page  # kept for technical review …
        outside = _outside_disclosures(page)
        assert "rule:" not in text_of(outside) and "rule:" not in outside  # … and nowhere else
        assert not re.search(r"\d+%", text_of(outside))  # no bare percentages
        assert band in text_of(page).lower() or band in text_of(page)
        assert 'data-edtf="2015-03-05"' in page
        assert ("5 March 2015" if lang == "en" else "5 آذار 2015") in text_of(page)
        if lang == "en":
            assert "a number written in words" in text_of(page)
            assert "(carried it out)" in text_of(page) or 'data-testid="degree"' not in page
            assert "carried-out" not in text_of(page)
        else:
            assert "عدد مكتوب بالحروف" in text_of(page)


def test_source_text_marks_each_field_in_its_own_colour_with_a_legend_and_titles(
        ws: Workspace, tmp_path: Path) -> None:
    make_user(ws, "nour", "documenter")
    (source_id,) = ingest_text(ws, tmp_path, "douma.txt", REPORT)
    for lang, legend, victims in (("en", "What the marks mean", "Victims"), ("ar", "معنى الإشارات", "الضحايا")):
        page = signed_in(ws, "nour", lang=lang).get(f"/sources/{source_id}").text
        assert 'data-testid="mark-legend"' in page and legend in page
        marks = re.findall(r'<mark class="evidence f-(\w+)[^"]*"[^>]*title="([^"]+)"[^>]*>([^<]*)</mark>', page)
        coloured = {field: text for field, _, text in marks}
        assert coloured.get("victims", "").strip() == "nine civilians" or "nine" in coloured.get("victims", "")
        assert "Douma" in coloured.get("location", "")
        # The exact words are coloured; the rest of the sentence is only outlined, never the same block.
        assert len(coloured["victims"]) < 30
        assert any(victims in title for field, title, _ in marks if field == "victims")
        assert '<li data-field="victims"><mark class="evidence-swatch f-victims"' in page


def test_history_on_the_incident_page_reads_as_sentences(ws: Workspace, tmp_path: Path) -> None:
    nour = make_user(ws, "nour", "reviewer")
    (first,) = ingest_text(ws, tmp_path, "a.txt", REPORT)
    (second,) = ingest_text(ws, tmp_path, "b.txt", SECOND)
    a, b = _incident(ws, nour, first), _incident(ws, nour, second)
    incident = get_incident(ws.db, a)
    ten = [dataclasses.replace(v, count_min=10, count_max=10) for v in incident.victims]
    assert ten and incident.victims[0].count_min == 9
    review.update_incident(ws, user=nour, incident_id=a, comment="one died in hospital",
                           changes=review.IncidentChanges(victims=ten))
    review.accept(ws, user=nour, incident_id=a, comment="checked")
    review.merge(ws, user=nour, incident_id=b, into_id=a, comment="same strike")
    en = text_of(signed_in(ws, "nour").get(f"/incidents/{a}").text)
    assert "nour changed the number killed from 9 to 10." in en
    assert "Reason given: one died in hospital" in en.replace("\n", " ").replace("  ", " ") or \
        "one died in hospital" in en
    assert "nour accepted the incident." in en
    assert f"nour merged incident {b} into {a}" in en
    assert "The machine suggested this incident after reading source" in en
    ar = text_of(signed_in(ws, "nour", lang="ar").get(f"/incidents/{a}").text)
    assert "غيّر nour عدد القتلى من 9 إلى 10." in ar
    assert "قبِل nour الحادثة." in ar
    assert f"دمج nour الحادثة {b} في الحادثة {a}" in ar
    assert '"count_min"' not in en and "count_min" not in en


def test_a_viewer_sees_no_history_names_or_rule_ids_on_a_public_incident(ws: Workspace, tmp_path: Path) -> None:
    rev = make_user(ws, "qzreviewer", "reviewer")
    (source_id,) = ingest_text(ws, tmp_path, "douma.txt", REPORT)
    incident_id = _incident(ws, rev, source_id)
    review.update_incident(ws, user=rev, incident_id=incident_id, comment="Qzsecretreason",
                           changes=review.IncidentChanges(confidentiality=Confidentiality.PUBLIC))
    page = signed_in(ws, "vera", "viewer").get(f"/incidents/{incident_id}")
    assert page.status_code == 200
    assert "Qzsecretreason" not in page.text and "qzreviewer" not in page.text
    assert 'data-testid="history"' not in page.text
    assert "rule:" not in _outside_disclosures(page.text)


def test_grading_a_source_from_its_page_is_recorded_and_refusals_are_in_the_page_language(
        ws: Workspace, tmp_path: Path) -> None:
    make_user(ws, "nour", "documenter")
    make_user(ws, "rana", "documenter")
    (source_id,) = ingest_text(ws, tmp_path, "douma.txt", REPORT)
    client = signed_in(ws, "nour")
    page = client.get(f"/sources/{source_id}").text
    assert 'data-grade="F6"' in page and "Nobody has graded this source yet." in page
    assert 'data-testid="grade-legend"' in page and "A: the source is completely reliable" in text_of(page)
    token = form_token(page)
    url = f"/sources/{source_id}/grade"
    # A reason is required; a value off the scale is refused; both keep what was typed.
    missing = client.post(url, data={"csrf_token": token, "reliability": "B", "credibility": "2", "reason": " "})
    assert missing.status_code == 400 and "Say why you give this grade" in missing.text
    bad = client.post(url, data={"csrf_token": token, "reliability": "Z", "credibility": "2",
                                 "reason": "<b>known</b> network"})
    assert bad.status_code == 400 and "Choose a reliability from A to F" in bad.text
    assert "&lt;b&gt;known&lt;/b&gt; network</textarea>" in bad.text
    long = client.post(url, data={"csrf_token": token, "reliability": "B", "credibility": "2", "reason": "x" * 2500})
    assert long.status_code == 400 and "too long" in long.text
    assert repository.get_source(ws.db, source_id).evaluation.graded_by is None
    ar = signed_in(ws, "rana", lang="ar")
    refused = ar.post(url, data={"csrf_token": form_token(ar.get(f"/sources/{source_id}").text),
                                 "reliability": "B", "credibility": "9", "reason": "سبب"})
    assert refused.status_code == 400 and "اختر موثوقية من A إلى F" in refused.text and ">سبب</textarea>" in refused.text

    done = client.post(url, data={"csrf_token": token, "reliability": "B", "credibility": "2",
                                  "reason": "known local network"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/sources/{source_id}?done=graded#grade"
    graded = repository.get_source(ws.db, source_id).evaluation
    assert (str(graded.reliability), str(graded.credibility), graded.graded_by) == ("B", "2", "nour")
    entry = [e for e in history(ws.db, entity="source", entity_id=source_id) if e.action == "grade"][-1]
    assert entry.user == "nour" and entry.comment == "known local network"
    shown = client.get(f"/sources/{source_id}?done=graded").text
    assert "B2: the source is usually reliable; the information is probably true" in text_of(shown)
    assert "Graded by nour on" in shown and "The grade is saved" in shown
    ar_page = text_of(ar.get(f"/sources/{source_id}").text)
    assert "B2: المصدر موثوق عادةً؛ المعلومة صحيحة على الأرجح" in ar_page


def test_a_viewer_cannot_grade_or_see_a_source(ws: Workspace, tmp_path: Path) -> None:
    make_user(ws, "nour", "documenter")
    (source_id,) = ingest_text(ws, tmp_path, "douma.txt", REPORT)
    viewer = signed_in(ws, "vera", "viewer")
    token = form_token(viewer.get("/").text)
    refused = viewer.post(f"/sources/{source_id}/grade", data={"csrf_token": token, "reliability": "A",
                                                              "credibility": "1", "reason": "trust me"})
    assert refused.status_code == 404
    assert repository.get_source(ws.db, source_id).evaluation.graded_by is None
    assert viewer.get(f"/sources/{source_id}").status_code == 404
