"""The incident page of an extracted report says the breakdown the report gave ("of whom …"), in both
languages, on the victim group and on the claim that rests on the report's words."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from _client import make_user, signed_in
from _record_helpers import ingest_text, text_of

from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace, reading

REPORT = ("On 4 May 2016 regime warplanes struck the market in Atarib, killing 14 civilians, including 6 children "
          "and 2 women, local activists said.\n")
EXPECT = {
    "en": ("of whom 6 children and 2 women", "say how many of the group just named were children, women or men"),
    "ar": ("منهم 6 من الأطفال و2 من النساء", "تقول كم من المجموعة المذكورة قبلها كانوا أطفالاً أو نساءً أو رجالاً"),
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_incident_page_says_of_whom_for_an_extracted_report(ws: Workspace, tmp_path: Path, lang: str) -> None:
    user = make_user(ws, "nour", "documenter")
    client = signed_in(ws, "nour", lang=lang)
    (source_id,) = ingest_text(ws, tmp_path, "atarib.txt", REPORT)
    (item,) = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=source_id), sort="id").items
    page = client.get(f"/incidents/{item.id}")
    assert page.status_code == 200
    of_whom, why = EXPECT[lang]
    # the stored group itself, listed before the claims
    values = re.search(r'<dd data-testid="field-victims"[^>]*>\s*<ul class="values">(.*?)</ul>', page.text, re.DOTALL)
    assert values is not None and of_whom in text_of(values.group(1))
    claims = re.findall(r'<li class="claim[^"]*" data-testid="claim"[^>]*data-field="victims".*?</li>', page.text,
                        re.DOTALL)
    (breakdown,) = [c for c in claims if "“including 6 children and 2 women”" in text_of(c)
                    or "«including 6 children and 2 women»" in text_of(c)]
    assert of_whom in text_of(breakdown) and why in text_of(breakdown)
    assert "rule:victims/breakdown/marker" in breakdown  # the rule id, kept inside the "why" disclosure
