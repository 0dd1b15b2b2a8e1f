"""A crowd that beats or kills someone is mob violence, also when the sentence names where the crowd was before
its act, or says the crowd gathered round the victim; a beating by a named force stays an attack. English and
Arabic; the sentences are written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def types(rules: RuleExtractor, text: str, language: str) -> list[str]:
    return [i.event_type for i in rules.extract(text, language=language, published=date(2021, 6, 2))]


@pytest.mark.parametrize("text, language", [
    ("On 3 May 2021, a crowd of villagers in Tal Hamis (al-Hasakah) beat a young man to death after accusing "
     "him of stealing sheep.", "en"),
    ("تجمهر عشرات من الأهالي في بلدة القريا حول رجل يُتهم بالانتماء إلى عصابة خطف، وانهالوا عليه ضرباً "
     "حتى فارق الحياة.", "ar"),
])
def test_a_crowd_that_beats_someone_is_mob_violence(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == ["mob-violence"]


def test_a_beating_by_a_named_force_stays_an_attack(rules: RuleExtractor) -> None:
    text = "Members of a regime checkpoint in Tal Hamis beat a young man to death on Monday."
    assert types(rules, text, "en") == ["attack"]
