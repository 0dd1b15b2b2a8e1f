"""Field reports tell an act and then its toll in a sentence of its own: an aside naming who among the dead
they were ("31 people, most of them farmers, were killed") and a toll of "martyrs" still count for the act;
a square named after the martyrs is no toll. Sentences written for this test."""
from __future__ import annotations

import pytest

from tawthiq.extract.engine import RuleExtractor

_X = RuleExtractor()


def _killed(text: str) -> list[tuple[str, int | None]]:
    incidents = _X.extract(text, language="en")
    assert incidents, text
    return [(str(v.kind.value), v.count_min) for v in incidents[0].victims if str(v.outcome.value) == "killed"]


@pytest.mark.parametrize("text,count", [
    ("A car bomb exploded outside the grain silo in Manbij on Sunday morning. Hospital staff said at least 17 people, "
     "most of them farmers waiting to sell wheat, were killed.", 17),
    ("Regime artillery shelled the old souq of Maarat Misrin all afternoon. Medics said 9 people, including two "
     "children, were killed.", 9),
    ("Regime helicopters dropped barrel bombs on the eastern quarter of Anadan at noon. The local medical point "
     "documented 14 martyrs by nightfall, among them three women.", 14),
])
def test_toll_sentence_counts_for_the_act(text: str, count: int) -> None:
    killed = _killed(text)
    assert sum(n or 0 for _, n in killed) == count, killed


def test_martyrs_square_is_no_toll() -> None:
    assert _X.extract("Hundreds gathered in Martyrs Square in the evening to mark the feast.", language="en") == []
