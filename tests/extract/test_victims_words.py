"""Words that tell what befell a group: "fell" of fighters is their death ("nine rebel fighters fell",
"fell as martyrs"), while a town or a shell that fell is no one's. Sentences are written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def groups(rules: RuleExtractor, text: str) -> list[tuple[str, str, int | None]]:
    return [(v.kind.value, v.outcome.value, v.count_min)
            for i in rules.extract(text, language="en", published=date(2021, 3, 9)) for v in i.victims]


@pytest.mark.parametrize("text, expected", [
    ("Rebel fighters clashed with regime troops in Jobar on Sunday. At least 9 rebel fighters fell, "
     "according to activists.", ("combatant", "killed", 9)),
    ("Clashes raged in Jobar on Sunday, where seven FSA fighters fell as martyrs.", ("combatant", "killed", 7)),
])
def test_fighters_who_fell_were_killed(rules: RuleExtractor, text: str, expected: tuple[str, str, int]) -> None:
    assert expected in groups(rules, text)


@pytest.mark.parametrize("text", [
    "Regime forces shelled Jobar on Sunday; two shells fell near the school, damaging its wall.",
    "The hill of Tal Kurdi fell to regime forces on Sunday after a week of siege.",
])
def test_a_shell_or_a_place_that_fell_killed_nobody(rules: RuleExtractor, text: str) -> None:
    assert not any(outcome == "killed" for _, outcome, _ in groups(rules, text))
