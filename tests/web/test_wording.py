"""Counted texts and joined words in the reader's language (issue 12 fixes B, 4): "1 day apart", not "1 days
apart"; Arabic singular, dual and plural forms; Arabic commas and semicolons on Arabic pages."""
from __future__ import annotations

import re

import pytest
from _client import signed_in
from _record_helpers import SEED

from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.web.plain_words import value_words
from tawthiq.web.wording import clause_separator, counted, list_separator, plural_form


@pytest.mark.parametrize(("n", "en", "ar"), [
    (1, "1 day apart", "بفارق يوم واحد"), (2, "2 days apart", "بفارق يومين"), (3, "3 days apart", "بفارق 3 أيام"),
    (10, "10 days apart", "بفارق 10 أيام"), (11, "11 days apart", "بفارق 11 يوماً"),
    (99, "99 days apart", "بفارق 99 يوماً"), (100, "100 days apart", "بفارق 100 يوم"),
    (103, "103 days apart", "بفارق 103 أيام"), (0, "0 days apart", "بفارق 0 يوم"),
])
def test_days_apart_in_each_plural_form(n: int, en: str, ar: str) -> None:
    assert counted("en", "fixb.count.days_apart", n) == en
    assert counted("ar", "fixb.count.days_apart", n) == ar


def test_plural_forms_follow_the_languages_rules() -> None:
    assert [plural_form("en", n) for n in (0, 1, 2, 5)] == ["other", "one", "other", "other"]
    assert [plural_form("ar", n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 111)] == [
        "other", "one", "two", "few", "few", "many", "many", "other", "other", "many"]


def test_separators_and_joined_words() -> None:
    assert (list_separator("ar"), clause_separator("ar")) == ("، ", "؛ ")
    assert (list_separator("en"), clause_separator("en")) == (", ", "; ")
    ar = value_words("ar", "violations", ["indiscriminate-attack", "attack-on-civilians"])
    assert "، " in ar and ", " not in ar
    assert ", " in value_words("en", "violations", ["indiscriminate-attack", "attack-on-civilians"])
    victims = value_words("ar", "victims", [{"outcome": "killed", "count_min": 5, "count_max": 5},
                                            {"outcome": "injured", "count_min": 2, "count_max": 2}])
    assert "؛ " in victims and "; " not in victims and ", " not in victims


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    (result,) = ingest_files(ws, [SEED])
    assert result.status == "new"
    return ws


@pytest.mark.parametrize(("lang", "one", "many"), [
    ("en", "1 incident matches", r"\d+ incidents match"), ("ar", "حادثة واحدة مطابقة", r"\d+ (حوادث|حادثة) مطابقة")])
def test_the_list_count_agrees_with_its_number(ws: Workspace, lang: str, one: str, many: str) -> None:
    client = signed_in(ws, f"boss_{lang}", "admin", lang=lang)
    listed = client.get("/incidents").text
    count = re.search(r'data-testid="result-count" data-total="(\d+)">([^<]*)<', listed)
    assert count and int(count.group(1)) > 2 and re.fullmatch(many, count.group(2).strip())
    narrowed = client.get("/incidents", params={"governorate": "Latakia"}).text  # the seed has one there
    count = re.search(r'data-testid="result-count" data-total="(\d+)">([^<]*)<', narrowed)
    assert count and count.group(1) == "1" and count.group(2).strip() == one
