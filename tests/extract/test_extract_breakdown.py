"""The extractor's victim breakdowns ("of whom 3 children and 2 women"), English and Arabic.

Sentences here are the patterns' own; the held-out set (tests/extract/data/breakdown_heldout.yaml)
is scored apart by benchmarks/breakdown_heldout.py and never read by these tests.
"""
from __future__ import annotations

import pytest

from tawthiq.domain import ClaimField, Incident, VictimGroup
from tawthiq.domain.breakdown import breakdown_problem
from tawthiq.extract.contract import incident_to_contract
from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def groups(incidents: list[Incident]) -> list[VictimGroup]:
    return [g for i in incidents for g in i.victims]


def parts(g: VictimGroup) -> dict[str, int]:
    return {p: getattr(g, p) for p in ("children", "women", "men") if getattr(g, p) is not None}


def the_group(incidents: list[Incident], outcome: str) -> VictimGroup:
    found = [g for g in groups(incidents) if str(g.outcome) == outcome]
    assert len(found) == 1, [(str(g.outcome), g.text) for g in groups(incidents)]
    return found[0]


def breakdown_claims(incidents: list[Incident]) -> list:
    return [c for i in incidents for c in i.claims if c.field is ClaimField.VICTIMS and "breakdown" in c.method]


@pytest.mark.parametrize(("text", "outcome", "expected"), [
    # a marker, then a list of counted parts
    ("Government helicopters dropped barrel bombs on Anadan, killing 10 civilians, including 6 children and 2 women.",
     "killed", {"children": 6, "women": 2}),
    ("Airstrikes on the market of Saraqib killed eight civilians, among them three children.",
     "killed", {"children": 3}),
    ("Regime snipers shot dead five people in Bustan al-Qasr, of whom 2 were women.", "killed", {"women": 2}),
    ("Gunmen killed 4 farmers near Salamiyah, of whom one was a child.", "killed", {"children": 1}),
    # a count of them: "3 of them children"
    ("A missile struck a house in Ariha, killing 7 people, 3 of them children.", "killed", {"children": 3}),
    ("Shelling on Maarat Misrin wounded nine civilians, two of them women.", "injured", {"women": 2}),
    # boys and girls are children; a part with an article is one; a word may stand before the noun
    ("Warplanes struck a school in Hass, killing 11 people, including a woman, two boys and a girl.",
     "killed", {"children": 3, "women": 1}),
    ("Artillery shells hit Talbiseh, killing 6 civilians, including two elderly women and a man.",
     "killed", {"women": 2, "men": 1}),
    ("Security forces arrested 30 people in Daraa, including at least 4 women.", "detained", {"women": 4}),
])
def test_english_breakdowns(rules: RuleExtractor, text: str, outcome: str, expected: dict[str, int]) -> None:
    assert parts(the_group(rules.extract(text, language="en"), outcome)) == expected


@pytest.mark.parametrize(("text", "outcome", "expected"), [
    ("قتل 10 مدنيين بينهم 6 أطفال و2 نساء بقصف بالبراميل على عندان", "killed", {"children": 6, "women": 2}),
    ("استشهد ثمانية مدنيين من بينهم ثلاثة أطفال في غارات على سوق سراقب", "killed", {"children": 3}),
    # the Arabic dual is two, a singular one, with or without the conjunction on it
    ("قتل خمسة مدنيين منهم طفلان وامرأة في قصف على بنش", "killed", {"children": 2, "women": 1}),
    ("قتل سبعة مدنيين بينهم طفلين في قصف على سرمين", "killed", {"children": 2}),
    ("أصيب تسعة مدنيين بينهم امرأتان بقصف على معرة مصرين", "injured", {"women": 2}),
    ("قتل أربعة مدنيين بينهم سيدة بقصف على كفرنبل", "killed", {"women": 1}),
    ("اعتقلت قوات النظام 20 شخصاً بينهم رجلان وطفلة في درعا", "detained", {"men": 2, "children": 1}),
    # a singular noun after a number from eleven up is counted by the number; "5 من الأطفال" too
    ("قتل 30 مدنياً بينهم 16 طفلاً في غارة على حاس", "killed", {"children": 16}),
    ("قتل 12 مدنياً بينهم 5 من الأطفال في قصف على دوما", "killed", {"children": 5}),
    # an adjective after a part, then the list goes on
    ("قتل ستة مدنيين بينهم امرأة حامل وطفلان في قصف على أريحا", "killed", {"women": 1, "children": 2}),
    # a count of them
    ("قتل سبعة مدنيين في قصف على أريحا، ثلاثة منهم أطفال", "killed", {"children": 3}),
])
def test_arabic_breakdowns(rules: RuleExtractor, text: str, outcome: str, expected: dict[str, int]) -> None:
    assert parts(the_group(rules.extract(text, language="ar"), outcome)) == expected


@pytest.mark.parametrize(("text", "language"), [
    # parts over the group's count: not said right, left out (and no crash)
    ("Shelling on Kafr Nabl killed three civilians, including five children.", "en"),
    ("قتل ثلاثة مدنيين بينهم أربعة أطفال في قصف على كفرنبل", "ar"),
    # a group named by a part noun itself has no parts to tell apart
    ("Four children were killed in shelling on Kafr Nabl, including two girls.", "en"),
    ("قتل أربعة أطفال بينهم طفلتان في قصف على كفرنبل", "ar"),
    # parts said without a number, or a vague one, are not counted
    ("Shelling killed 40 people in Douma, including dozens of children.", "en"),
    ("Shelling killed 40 people in Douma, including women and children.", "en"),
    ("قتل 40 مدنياً بينهم أطفال ونساء في قصف على دوما", "ar"),
    # "including" before no part
    ("Shelling killed 9 people in Ariha, including a local council member.", "en"),
    # another sentence: not the same statement
    ("Shelling killed 8 civilians in Ariha. Among them were 3 children, rescuers said.", "en"),
    # groups side by side are no breakdown
    ("An air strike on Jisreen killed three men and a woman.", "en"),
])
def test_no_breakdown(rules: RuleExtractor, text: str, language: str) -> None:
    incidents = rules.extract(text, language=language)
    assert groups(incidents), "the sentence should still give its victim group"
    assert all(not parts(g) for g in groups(incidents))
    assert not breakdown_claims(incidents)


def test_the_nearest_group_before_takes_it(rules: RuleExtractor) -> None:
    text = "A car bomb exploded in Azaz, killing 4 people and wounding 15 others, among them 5 children."
    incidents = rules.extract(text, language="en")
    assert parts(the_group(incidents, "injured")) == {"children": 5}
    assert parts(the_group(incidents, "killed")) == {}
    text = "انفجرت عبوة ناسفة في الباب ما أدى إلى مقتل أربعة مدنيين بينهم طفل وإصابة 15 آخرين"
    incidents = rules.extract(text, language="ar")
    assert parts(the_group(incidents, "killed")) == {"children": 1}  # the list stops at "وإصابة"
    assert all(not parts(g) for g in groups(incidents) if str(g.outcome) != "killed")


def test_a_part_with_its_own_outcome_is_no_part(rules: RuleExtractor) -> None:
    text = "Shelling on Saraqib killed 12 people, including 4 children, and 3 women were injured."
    g = the_group(rules.extract(text, language="en"), "killed")
    assert g.children == 4 and g.women is None


@pytest.mark.parametrize(("text", "language"), [
    ("Regime forces shelled Douma on Monday, killing 9 civilians. The death toll rose to 15, including 6 children.", "en"),
    ("قصفت قوات النظام مدينة دوما يوم الاثنين ما أدى إلى مقتل 9 مدنيين. ارتفعت حصيلة القتلى إلى 15 قتيلاً بينهم ستة أطفال.",
     "ar"),
])
def test_a_risen_toll_keeps_its_breakdown(rules: RuleExtractor, text: str, language: str) -> None:
    g = the_group(rules.extract(text, language=language), "killed")
    assert (g.count_min, g.count_max, parts(g)) == (15, 15, {"children": 6})


@pytest.mark.parametrize(("text", "language", "quote"), [
    ("Warplanes struck Kafr Nabl, killing 12 civilians, including 5 children and 3 women, witnesses said.", "en",
     "including 5 children and 3 women"),
    ("مقتل 12 مدنياً بينهم 5 أطفال و3 نساء في قصف جوي على كفرنبل", "ar", "بينهم 5 أطفال و3 نساء"),
    ("Shelling killed seven people in Ariha, three of them children.", "en", "three of them children"),
])
def test_each_breakdown_has_a_claim_with_its_rule_and_span(rules: RuleExtractor, text: str, language: str,
                                                            quote: str) -> None:
    incidents = rules.extract(text, language=language)
    g = the_group(incidents, "killed")
    [claim] = breakdown_claims(incidents)
    assert claim.span is not None and claim.span.quote == quote == text[claim.span.start:claim.span.end]
    assert claim.method in ("rule:victims/breakdown/marker", "rule:victims/breakdown/count-of-them")
    assert claim.value == {"kind": str(g.kind), "outcome": "killed", "count_min": g.count_min,
                           "count_max": g.count_max, "children": g.children, "women": g.women, "men": g.men}
    assert breakdown_problem(g) is None


def test_the_jsonl_contract_is_unchanged(rules: RuleExtractor) -> None:
    # CONTRACT.md lists a victim's fields and no others: the breakdown stays out of the JSON Lines output
    incidents = rules.extract("Shelling killed 12 civilians in Douma, including 5 children.", language="en")
    assert the_group(incidents, "killed").children == 5
    for incident in incidents:
        for v in incident_to_contract(incident)["victims"]:
            assert set(v) == {"kind", "outcome", "count_min", "count_max", "text"}


@pytest.mark.parametrize("text", [
    "including", "بينهم", "12 killed, including", "killed 5, 3 of them", "مقتل 5 منهم",
    "Shelling killed 7 people, including " + "and " * 500 + "2 children.",
    "قتل 7 مدنيين بينهم " + "و" * 3000,
    "Shelling killed 7 people, including 99999999999999999999 children.",
])
def test_odd_input_never_raises(rules: RuleExtractor, text: str) -> None:
    for g in groups(rules.extract(text)):
        assert breakdown_problem(g) is None
