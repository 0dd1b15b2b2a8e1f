"""The history's newer actions read as sentences, in both languages (issue 12, C1).

The tester saw "docu set attachment to 1. docu set incident id to 31. docu set source id to 14…",
"حدّد rev assignee: rev2" and a victims edit that read the same before and after.
"""
from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from _client import make_user, signed_in
from _record_helpers import ingest_text, text_of

from tawthiq.domain.audit import AuditEntry
from tawthiq.domain.tags import Tag
from tawthiq.services import Workspace, review
from tawthiq.store import assignments, tags
from tawthiq.store.incidents import get_incident
from tawthiq.store.tables import incidents
from tawthiq.web.plain_history import sentences

REPORT = ("Douma, 15 November 2017: regime forces shelled the market of Douma, killing 7 civilians, "
          "a witness said.\n")


def _say(lang: str, action: str, *, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
         user: str = "docu", entity: str = "incident") -> str:
    entry = AuditEntry(id=1, at=datetime(2024, 1, 1, tzinfo=UTC), user=user, entity=entity, entity_id=31,
                       action=action, before=before, after=after, comment="")
    return " ".join(text for _field, text in sentences(lang, entry))


ATTACHED = {"attachment": 1, "incident_id": 31, "source_id": 14, "part": "region", "region": [0.1, 0.1, 0.5, 0.5]}


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", {
        "attach": "docu attached source #14 (a region of the picture) as evidence.",
        "withdraw": "docu withdrew source #14 (from 0:12 to 1:05) from the evidence.",
        "tag": "docu tagged it «shelling».",
        "untag": "docu took the tag «shelling» off it.",
        "assign": "rev assigned it to rev2.",
        "unassign": "rev took it off rev2's list.",
        "same": "rev judged it the same event as #12.",
        "not-same": "rev judged it a different event from #12.",
        "withdrawn": "rev withdrew the judgement that it is the same event as #12.",
    }),
    ("ar", {
        "attach": "أرفق docu المصدر رقم 14 (جزء من الصورة) دليلاً.",
        "withdraw": "سحب docu المصدر رقم 14 (من 0:12 إلى 1:05) من الأدلة.",
        "tag": "وسم docu الحادثة بالوسم «قصف».",
        "untag": "أزال docu الوسم «قصف» عنها.",
        "assign": "أسند rev المراجعة إلى rev2.",
        "unassign": "سحب rev المراجعة من rev2.",
        "same": "حكم rev بأنها الحدث نفسه الذي في رقم 12.",
        "not-same": "حكم rev بأنها حدث مختلف عن رقم 12.",
        "withdrawn": "سحب rev الحكم بأنها الحدث نفسه الذي في رقم 12.",
    }),
])
def test_newer_actions_are_sentences_not_field_dumps(lang: str, expected: dict[str, str]) -> None:
    said = {
        "attach": _say(lang, "attach-media", after=ATTACHED),
        "withdraw": _say(lang, "withdraw-media", before={**ATTACHED, "part": "time", "time": [12.4, 65]}),
        "tag": _say(lang, "tag", after={"tag": "shelling", "tag_ar": "قصف"}),
        "untag": _say(lang, "untag", before={"tag": "shelling", "tag_ar": "قصف"}),
        "assign": _say(lang, "assign", before={"assignee": None}, after={"assignee": "rev2"}, user="rev"),
        "unassign": _say(lang, "unassign", before={"assignee": "rev2"}, after={"assignee": None}, user="rev"),
        "same": _say(lang, "judgement", after={"judgement": 3, "other": 12, "verdict": "same", "probability": None},
                     user="rev"),
        "not-same": _say(lang, "judgement", after={"judgement": 3, "other": 12, "verdict": "not-same"}, user="rev"),
        "withdrawn": _say(lang, "judgement-withdrawn", before={"judgement": 3, "other": 12, "verdict": "same"},
                          user="rev"),
    }
    assert said == expected
    for text in said.values():
        for dump in ("attachment", "incident id", "source id", "assignee", "verdict", "tag ar", "judgement:"):
            assert dump not in text, text


@pytest.mark.parametrize(("lang", "added", "renamed", "setting"), [
    ("en", "admin added the actor «Liwa al-Fajr».", "admin changed the English name from Liwa al-Fajr to Liwa "
     "al-Fajr al-Jadid.", "admin changed"),
    ("ar", "أضاف admin الجهة «لواء الفجر».", "غيّر admin الاسم الإنجليزي من Liwa al-Fajr إلى Liwa al-Fajr al-Jadid.",
     "غيّر admin"),
])
def test_actor_tag_and_setting_records_read_as_sentences(lang: str, added: str, renamed: str, setting: str) -> None:
    assert _say(lang, "add", entity="actor", user="admin",
                after={"code": "liwa-al-fajr", "label_en": "Liwa al-Fajr", "label_ar": "لواء الفجر"}) == added
    assert _say(lang, "edit", entity="actor", user="admin", before={"label_en": "Liwa al-Fajr"},
                after={"label_en": "Liwa al-Fajr al-Jadid"}) == renamed
    retired = _say(lang, "retire", entity="tag", user="admin", before={"retired": False}, after={"retired": True})
    assert retired == ("admin retired it (past records keep it)." if lang == "en"
                       else "أوقف admin استخدامه (تبقى السجلات السابقة عليه).")
    said = _say(lang, "set", entity="setting", user="admin", before={"second_review": False},
                after={"second_review": True})
    assert said.startswith(setting) and "second_review" not in said


@pytest.mark.parametrize(("lang", "before", "after"), [
    ("en", "of whom 3 children", "of whom 3 children and 2 women"),
    ("ar", "منهم 3 من الأطفال", "منهم 3 من الأطفال و2 من النساء"),
])
def test_a_victims_breakdown_edit_shows_what_changed(lang: str, before: str, after: str) -> None:
    group = {"outcome": "killed", "kind": "civilian", "unit": "individual", "count_min": 7, "count_max": 7,
             "sex": "unknown", "age": "unknown", "children": 3, "women": None, "men": None}
    said = _say(lang, "edit", before={"victims": [group]}, after={"victims": [{**group, "women": 2}]})
    old, _, new = said.partition(" إلى " if lang == "ar" else " to ")
    assert before in old and after not in old, said
    assert after in new, said


@pytest.mark.parametrize(("lang", "tagged", "assigned"), [
    ("en", "tagged it «Qzshelling».", "assigned it to rev2."),
    ("ar", "بالوسم «قصف Qz».", "أسند nour المراجعة إلى rev2."),
])
def test_the_incident_page_history_tells_tags_and_assignments(ws: Workspace, tmp_path: Path, lang: str,
                                                              tagged: str, assigned: str) -> None:
    nour = make_user(ws, "nour", "reviewer")
    make_user(ws, "rev2", "reviewer")
    (source_id,) = ingest_text(ws, tmp_path, "douma.txt", REPORT)
    incident_id = _first_incident(ws, source_id)
    tag = tags.add_tag(ws.db, Tag(id=0, label_en="Qzshelling", label_ar="قصف Qz", colour=""),
                       user="nour", comment="", check=lambda _all: None)
    tags.add_link(ws.db, target="incident", target_id=incident_id, tag_id=tag.id, user="nour")
    with ws.db.session(write=True) as session:
        assignments.set_assignee(session, incident_id, assignee="rev2", user="nour")
    incident = get_incident(ws.db, incident_id)
    assert incident is not None and incident.victims
    parted = [dataclasses.replace(v, children=3) for v in incident.victims]
    review.update_incident(ws, user=nour, incident_id=incident_id, comment="three were children",
                           changes=review.IncidentChanges(victims=parted))
    page = text_of(signed_in(ws, "nour", lang=lang).get(f"/incidents/{incident_id}").text)
    assert tagged in page and assigned in page
    assert ("of whom 3 children" if lang == "en" else "منهم 3 من الأطفال") in page
    assert "assignee" not in page and "tag ar" not in page


def _first_incident(ws: Workspace, source_id: int) -> int:
    with ws.db.session() as session:
        return int(session.scalar(select(incidents.c.id).where(incidents.c.source_id == source_id)))
