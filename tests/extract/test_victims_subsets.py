"""A part named after a group: "among them three civilians" of uncounted martyrs says there were at least
three; "أصيب 60 شخصاً، توفي منهم 11" is a group of dead of its own, not a part of the wounded counted twice;
"killed 20 people, among them four children" stays 20. Sentences are written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def groups(rules: RuleExtractor, text: str, language: str) -> list[tuple[str, int | None]]:
    return [(v.outcome.value, v.count_min)
            for i in rules.extract(text, language=language, published=date(2021, 3, 9)) for v in i.victims]


def test_uncounted_group_is_at_least_its_counted_part(rules: RuleExtractor) -> None:
    text = ("The town council mourned the martyrs who fell when militia forces stormed the northern quarter of "
            "Tafas on Friday, among them five civilians.")
    assert ("killed", 5) in groups(rules, text, "en")


@pytest.mark.parametrize("text, language", [
    ("Regime shelling on Tafas killed 20 people on Friday, among them four children.", "en"),
    ("قصفت قوات النظام بلدة طفس يوم الجمعة، فقتل 20 شخصاً بينهم أربعة أطفال.", "ar"),
])
def test_a_counted_group_keeps_its_count(rules: RuleExtractor, text: str, language: str) -> None:
    assert [n for o, n in groups(rules, text, language) if o == "killed"] == [20]


def test_those_of_the_wounded_who_died_are_a_group_of_their_own(rules: RuleExtractor) -> None:
    text = ("سقطت قذائف محملة بغاز الكلور على بلدة طفس فجر الجمعة، وأصيب قرابة 40 شخصاً بحالات اختناق، "
            "توفي منهم لاحقاً سبعة مدنيين.")
    found = groups(rules, text, "ar")
    assert ("killed", 7) in found and any(o == "injured" for o, _ in found), found
