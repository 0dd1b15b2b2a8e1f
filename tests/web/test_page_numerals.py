"""The page tells its scripts which digits to draw numbers in (<body data-numerals>), as the server writes
the page's own: Arabic-Indic only on Arabic pages for a reader who chose them."""
from __future__ import annotations

import re

import pytest
from _client import signed_in

from tawthiq.services import Workspace
from tawthiq.web.digits import DIGITS_COOKIE


@pytest.mark.parametrize(("lang", "digits", "numerals"), [
    ("en", "latn", "latn"), ("en", "arab", "latn"), ("ar", "latn", "latn"), ("ar", "arab", "arab"),
    ("ar", "<b>", "latn"),  # a hand-made cookie reads as Western digits
])
def test_body_says_the_digits_the_scripts_draw_in(ws: Workspace, lang: str, digits: str, numerals: str) -> None:
    client = signed_in(ws, "amal", "documenter", lang=lang)
    client.cookies.set(DIGITS_COOKIE, digits)
    for path in ("/map", "/timeline", "/dashboard", "/account"):
        page = client.get(path).text
        assert f'<html lang="{lang}"' in page
        found = re.findall(r'<body data-numerals="([a-z]+)">', page)
        assert found == [numerals], (path, found)
