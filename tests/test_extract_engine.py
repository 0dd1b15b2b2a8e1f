"""Behaviour of the rule extractor on report sentences written for these tests.

Each test states what a documenter would code by hand; none of the texts is
from the development set.
"""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.domain import Incident
from tawthiq.extract.base import Extractor
from tawthiq.extract.contract import incident_to_contract
from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def only(incidents: list[Incident]) -> dict:
    assert len(incidents) == 1, [i.description for i in incidents]
    return incident_to_contract(incidents[0])


def actors(d: dict) -> set[str]:
    return {p["actor"] for p in d["perpetrators"]}


def killed(d: dict) -> int | None:
    counts = [v["count_min"] for v in d["victims"] if v["outcome"] == "killed" and v["count_min"] is not None]
    return sum(counts) if counts else None


def test_is_an_extractor(rules: RuleExtractor) -> None:
    assert isinstance(rules, Extractor)
    assert rules.name == "rules"


def test_shelling_with_civilian_deaths(rules: RuleExtractor) -> None:
    text = "On 3 May 2016, regime artillery shelled the town of Kafr Nabl, killing four civilians and wounding nine."
    d = only(rules.extract(text, language="en"))
    assert d["event_type"] == "shelling-artillery-missile-attack"
    assert actors(d) == {"syrian-government"}
    assert killed(d) == 4
    assert {"killing", "indiscriminate-attack"} <= set(d["violations"])
    assert d["date"]["edtf"] == "2016-05-03"
    assert d["location"] is not None


def test_arabic_barrel_bombs(rules: RuleExtractor) -> None:
    text = "ألقى الطيران المروحي التابع للنظام أربعة براميل متفجرة على مدينة داريا، ما أسفر عن مقتل خمسة مدنيين بينهم طفلان."
    d = only(rules.extract(text))  # language detected
    assert d["event_type"] == "air-drone-strike"
    assert "prohibited-weapons" in d["violations"]
    assert actors(d) == {"syrian-government"}
    assert killed(d) == 5  # the two children are among the five, not added to them
    assert all(v["kind"] == "civilian" for v in d["victims"])


def test_kidnapping_for_ransom(rules: RuleExtractor) -> None:
    text = ("Unidentified gunmen kidnapped a pharmacist from his shop in the town of Nawa in the western "
            "countryside of Daraa and demanded a ransom from his family.")
    d = only(rules.extract(text, language="en"))
    assert d["event_type"] == "abduction-forced-disappearance"
    assert "hostage-taking" in d["violations"]
    assert actors(d) == {"unknown"}
    assert [(v["kind"], v["outcome"], v["count_min"]) for v in d["victims"]] == [("civilian", "abducted", 1)]


def test_arabic_arrest_campaign(rules: RuleExtractor) -> None:
    text = "شنت قوات سوريا الديمقراطية حملة دهم واعتقالات في بلدة الشحيل بريف دير الزور الشرقي، طالت تسعة شبان."
    d = only(rules.extract(text, language="ar"))
    assert d["event_type"] == "arrests"
    assert actors(d) == {"sdf"}
    assert [(v["outcome"], v["count_min"]) for v in d["victims"]] == [("detained", 9)]
    assert "arbitrary-detention" in d["violations"]


def test_two_villages_two_incidents(rules: RuleExtractor) -> None:
    text = ("Russian warplanes struck the town of Saraqib, while regime helicopters dropped barrel bombs "
            "on the town of Maarat al-Numan.")
    found = [incident_to_contract(i) for i in rules.extract(text, language="en")]
    assert len(found) == 2
    assert [actors(d) for d in found] == [{"russia"}, {"syrian-government"}]
    assert found[0]["location"]["name"] != found[1]["location"]["name"]
    assert "prohibited-weapons" in found[1]["violations"]
    assert found[0]["evidence"][0]["end"] <= found[1]["evidence"][0]["start"]


def test_period_total_is_no_incident(rules: RuleExtractor) -> None:
    assert rules.extract("At least 543 civilians were killed in Idlib since the beginning of 2020, a monitor said.",
                         language="en") == []
    assert rules.extract("وثقت الشبكة مقتل 87 مدنياً خلال شهر نيسان الماضي في محافظة حلب.", language="ar") == []


def test_target_is_not_perpetrator(rules: RuleExtractor) -> None:
    text = "A Turkish drone struck a vehicle carrying members of the SDF near Qamishli, killing two fighters."
    d = only(rules.extract(text, language="en"))
    assert actors(d) == {"turkey"}
    assert {v["kind"] for v in d["victims"]} == {"combatant"}


def test_victim_side_is_not_perpetrator(rules: RuleExtractor) -> None:
    text = "Unknown gunmen assassinated three members of Hayat Tahrir al-Sham near the town of Sarmada."
    d = only(rules.extract(text, language="en"))
    assert actors(d) == {"unknown"}
    assert [(v["kind"], v["count_min"]) for v in d["victims"]] == [("combatant", 3)]


def test_claim_names_the_perpetrator(rules: RuleExtractor) -> None:
    text = ("A car bomb exploded at a crowded roundabout in the city of Afrin, killing seven people.\n"
            "ISIS later claimed responsibility for the bombing.")
    d = only(rules.extract(text, language="en"))
    assert d["event_type"] == "remote-explosive-landmine-ied"
    assert actors(d) == {"isis"}
    assert killed(d) == 7


def test_old_landmine_has_no_perpetrator(rules: RuleExtractor) -> None:
    text = "Two shepherds were injured when an old landmine exploded near the village of Tal Tamr."
    d = only(rules.extract(text, language="en"))
    assert d["perpetrators"] == []
    assert [(v["outcome"], v["count_min"]) for v in d["victims"]] == [("injured", 2)]
    assert killed(d) is None  # an injury report must not invent deaths


def test_protest_fired_on(rules: RuleExtractor) -> None:
    text = "Security forces fired live ammunition at demonstrators in the city of Homs, killing a young man."
    d = only(rules.extract(text, language="en"))
    assert d["event_type"] == "excessive-force-against-protesters"
    assert actors(d) == {"syrian-government"}
    assert killed(d) == 1


def test_relative_date_needs_publication_date(rules: RuleExtractor) -> None:
    text = "Regime forces shelled the village of al-Latamneh on Tuesday, killing two children."
    assert only(rules.extract(text, language="en"))["date"] is None
    dated = only(rules.extract(text, language="en", published=date(2019, 5, 16)))  # a Thursday
    assert dated["date"]["edtf"] == "2019-05-14"


def test_publisher_boilerplate_is_no_incident(rules: RuleExtractor) -> None:
    text = ("About us\n\nWe are a network of activists documenting violations committed against civilians, "
            "including killings, arrests and torture, by all parties.")
    assert rules.extract(text, language="en") == []


def test_every_field_has_a_claim_with_a_span(rules: RuleExtractor) -> None:
    text = "Hezbollah fighters arrested six young men at a checkpoint in the town of Madaya on Monday."
    incident = rules.extract(text, language="en", published=date(2017, 3, 8))[0]
    fields = {c.field.value for c in incident.claims}
    assert {"event_type", "perpetrator", "victims", "location", "date", "violation"} <= fields
    for claim in incident.claims:
        assert claim.method.startswith("rule:")
        assert claim.span is not None and text[claim.span.start:claim.span.end] == claim.span.quote
    for span in incident.evidence:
        assert span.end - span.start <= 600 and text[span.start:span.end] == span.quote


@pytest.mark.parametrize("text", [
    "", "   ", "\x00\x01\x02", "..." * 1000, "،،،؛؛؛", "killed " * 5000, "قتل " * 3000,
    "A" * 200_000, "🙂 " * 1000, "\n\n\n", "(((((((((", "[" * 10000,
])
def test_odd_input_never_raises(rules: RuleExtractor, text: str) -> None:
    out = rules.extract(text)
    assert isinstance(out, list)
    for incident in out:
        for span in incident.evidence:
            assert 0 <= span.start < span.end <= len(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("Regime shelling on the town of Ariha killed two men and a teenage boy.", 3),
    ("Two civilians, a woman and her son, were killed by regime shelling on the town of Ariha.", 2),
    ("قُتل طفلان وامرأة بقصف لقوات النظام على مدينة أريحا.", 3),
    ("قتل ثلاثة مدنيين بينهم امرأة بقصف لقوات النظام على مدينة أريحا.", 3),
    ("A regime air strike on the town of Ariha killed nine civilians from one family.", 9),
])
def test_victim_counts_add_up(rules: RuleExtractor, text: str, expected: int) -> None:
    assert killed(only(rules.extract(text))) == expected


def test_road_between_two_towns_is_one_incident(rules: RuleExtractor) -> None:
    text = "A Turkish drone struck a car on the road between Qamishli and Amuda, killing two men."
    d = only(rules.extract(text, language="en"))
    assert {p["actor"] for p in d["perpetrators"]} == {"turkey"}


def test_headings_do_not_repeat_the_act(rules: RuleExtractor) -> None:
    text = ("# Weekly bulletin\n\n## Air strike on Saraqib\n\n"
            "On Monday 3 June 2019, Russian warplanes struck the town of Saraqib, killing four civilians.\n")
    d = only(rules.extract(text, language="en"))
    assert d["evidence"][0]["quote"].startswith("On Monday 3 June 2019")
    assert d["date"]["edtf"] == "2019-06-03"


def test_second_verb_is_second_act(rules: RuleExtractor) -> None:
    text = "Regime forces shelled the town of Kafr Nabl and arrested five men in the town of Saraqib."
    found = [incident_to_contract(i) for i in rules.extract(text, language="en")]
    assert [d["event_type"] for d in found] == ["shelling-artillery-missile-attack", "arrests"]
    assert [(v["outcome"], v["count_min"]) for v in found[1]["victims"]] == [("detained", 5)]
    assert found[0]["victims"] == []


@pytest.mark.parametrize("text", [
    "The regime's policy of arrests and enforced disappearances has affected hundreds of thousands of Syrians.",
    "Regime forces have arrested more than 1,200 people in Daraa since the settlement agreement.",
    "ISIS carried out a series of field executions in the main square of the city during the past week.",
])
def test_generic_statements_are_no_incident(rules: RuleExtractor, text: str) -> None:
    assert rules.extract(text, language="en") == []


def test_next_paragraph_continuing_the_act_is_folded_in(rules: RuleExtractor) -> None:
    text = ("ISIS militants executed two young men in the main square of the city of al-Mayadin.\n\n"
            "The organization then crucified the bodies for three days.")
    d = only(rules.extract(text, language="en"))
    assert len(d["evidence"]) == 2
    assert {"execution", "cruel-punishment"} <= set(d["violations"])
    assert [(v["outcome"], v["count_min"]) for v in d["victims"]] == [("killed", 2)]


def test_a_post_headed_by_its_place_places_the_act_told_below(rules: RuleExtractor) -> None:
    # A Telegram-style post: the town alone on its first line (after a marker), the act told below without it.
    d = only(rules.extract("🔴 جرابلس الآن\nانفجار دراجة نارية مفخخة في السوق الشعبي، والحصيلة الأولية 9 قتلى. "
                           "نرجو من الأهالي الابتعاد عن المكان.", language="ar"))
    assert d["location"]["name"] == "Jarabulus" and d["location"]["precision"] == "town"
    assert killed(d) == 9


def test_an_unlisted_landmark_is_placed_in_the_town_its_report_is_headed_by(rules: RuleExtractor) -> None:
    # The roundabout is in no gazetteer and its sentence names no town: the heading's town places it.
    d = only(rules.extract("🔴 منبج الآن\nانفجار سيارة مفخخة قرب دوار السبع بحرات، والحصيلة الأولية 12 قتيلاً. "
                           "نرجو من الأهالي الابتعاد عن المكان.", language="ar"))
    assert d["location"]["admin1"] == "Aleppo" and d["location"]["lat"] is not None
    assert d["location"]["precision"] in ("neighbourhood", "district")
    assert killed(d) == 12


def test_people_displaced_from_several_towns_are_killed_where_the_strike_fell(rules: RuleExtractor) -> None:
    # Where the victims came from (a list after "from") is not the scene, and "displaced" there says who
    # they are, not what befell them.
    d = only(rules.extract("At least 21 people displaced from Homs, Hama and Palmyra were killed when coalition "
                           "aircraft struck a school sheltering families in Tabqa on Monday.", language="en"))
    assert d["location"]["name"] != "Homs" and d["location"]["admin1"] == "Raqqa"
    assert [(v["outcome"], v["count_min"]) for v in d["victims"]] == [("killed", 21)]
    ar = only(rules.extract("قتل 15 نازحاً من حلب وحمص ودير الزور بغارة للتحالف على مدرسة تؤوي عائلات في مدينة الطبقة.",
                            language="ar"))
    assert ar["location"]["admin1"] == "Raqqa" and killed(ar) == 15
