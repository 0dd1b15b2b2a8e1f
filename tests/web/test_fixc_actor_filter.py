"""The perpetrator filter offers every current actor, a new one added on /admin/actors too (issue 12, C4)."""
from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from _client import form_token, signed_in

from tawthiq.domain import vocab
from tawthiq.services import Workspace, vocabulary

FAJR = {"label_en": "Liwa al-Fajr al-Jadid", "label_ar": "لواء الفجر الجديد", "aliases_en": "", "aliases_ar": "",
        "parent": "", "kind": "armed-group", "comment": "a new group"}
FAJR_FACTION = {**FAJR, "label_en": "Katibat al-Shuruq", "label_ar": "كتيبة الشروق", "parent": "liwa-al-fajr-al-jadid",
                "comment": "its faction"}


@pytest.fixture(autouse=True)
def _fresh_vocabulary() -> Iterator[None]:
    yield
    vocab.use_recorded_actors([])
    vocabulary._State.stamp = None


def _perpetrator_choices(page: str) -> dict[str, str]:
    found = re.search(r'<select name="perpetrator".*?</select>', page, re.S) or re.search(
        r'data-facet="perpetrator".*?</fieldset>', page, re.S)
    assert found, "no perpetrator filter on the page"
    block = found.group(0)
    options = re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', block)
    if not options:  # checkboxes: the value, then the label's text
        options = re.findall(r'value="([^"]+)"[^>]*>\s*<span dir="auto">([^<]*)</span>', block)
    return {v: html.unescape(label).strip() for v, label in options}


def _add(admin: object, data: dict[str, str]) -> None:
    page = admin.get("/admin/actors")  # type: ignore[attr-defined]
    added = admin.post("/admin/actors", data={**data, "csrf_token": form_token(page.text)},  # type: ignore[attr-defined]
                       follow_redirects=False)
    assert added.status_code == 303, added.text


@pytest.mark.parametrize(("lang", "label", "faction"), [
    ("en", "Liwa al-Fajr al-Jadid", "Katibat al-Shuruq (part of Liwa al-Fajr al-Jadid)"),
    ("ar", "لواء الفجر الجديد", "كتيبة الشروق (ضمن لواء الفجر الجديد)"),
])
def test_a_new_actor_is_a_choice_on_the_list_and_the_queue_with_no_incident_naming_it(
        ws: Workspace, lang: str, label: str, faction: str) -> None:
    admin = signed_in(ws, "boss", "admin", lang=lang)
    _add(admin, FAJR)
    _add(admin, FAJR_FACTION)
    for path in ("/incidents", "/review"):
        page = admin.get(path)
        assert page.status_code == 200, path
        choices = _perpetrator_choices(page.text)
        assert choices.get("liwa-al-fajr-al-jadid", "").startswith(label), (path, choices)
        assert "(0)" in page.text.split('value="liwa-al-fajr-al-jadid"', 1)[1].split("</option>", 1)[0] \
            or path == "/incidents"
        # Its faction follows it, named with it; built-in actors no incident names are there too.
        values = list(choices)
        assert values.index("katibat-al-shuruq") == values.index("liwa-al-fajr-al-jadid") + 1, path
        assert choices["katibat-al-shuruq"] == faction
        assert "russia" in choices and "syrian-government" in choices


def test_a_retired_actor_is_no_longer_offered(ws: Workspace) -> None:
    admin = signed_in(ws, "boss", "admin")
    _add(admin, FAJR)
    page = admin.get("/admin/actors")
    retired = admin.post("/admin/actors/liwa-al-fajr-al-jadid/retire",
                         data={"comment": "merged away", "csrf_token": form_token(page.text)}, follow_redirects=False)
    assert retired.status_code == 303
    assert "liwa-al-fajr-al-jadid" not in _perpetrator_choices(admin.get("/incidents").text)
