"""Every interface text exists in English and Arabic, and every key a template uses exists."""
from __future__ import annotations

import re
from importlib import resources

from tawthiq.web.i18n import catalogue, direction, pick_language, translate


def test_every_text_has_both_languages() -> None:
    missing = [key for key, entry in catalogue().items() if not entry["en"].strip() or not entry["ar"].strip()]
    assert missing == []


def test_arabic_texts_are_arabic() -> None:
    # A copy-pasted English string in the "ar" slot is a missing translation.
    # Texts naming the other language (the switch button) are the exception, and a date field's example, which
    # is figures only (written in the digits the reader chose, web/digits.py).
    latin_only = [key for key, entry in catalogue().items()
                  if not re.search(r"[\u0600-\u06FF]", entry["ar"]) and key not in ("nav.language", "date.placeholder")]
    assert latin_only == []


def test_templates_use_only_known_keys() -> None:
    known = set(catalogue())
    folder = resources.files("tawthiq.web").joinpath("templates")
    used: dict[str, str] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".html"):
            for key in re.findall(r"""\bt\(\s*["']([a-z0-9_.]*[a-z0-9_])["']""", entry.read_text(encoding="utf-8")):
                used.setdefault(key, entry.name)
    unknown = {key: name for key, name in used.items() if key not in known}
    assert unknown == {}
    assert used, "no t(...) calls found: the pattern is wrong"


def test_translate_and_direction() -> None:
    assert translate("ar", "login.title") == "تسجيل الدخول"
    assert translate("en", "common.page_of", page=2, pages=5) == "Page 2 of 5"
    assert translate("ar", "no.such.key") == "no.such.key"
    assert direction("ar") == "rtl" and direction("en") == "ltr"
    assert pick_language(None, "fr", accept_language="fr-FR,ar;q=0.8,en;q=0.5") == "ar"
    assert pick_language(accept_language="") == "en"
