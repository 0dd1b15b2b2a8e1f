"""Precision: what a report tells of an act it has already told is no new incident — the setting of a clash
("amid mutual shelling"), the taking away of the people just arrested or abducted, a note's closing tally
("Fatalities: 2.") — while a second act told in its own words still is. English and Arabic; the sentences
are written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def extract(rules: RuleExtractor, text: str, language: str):
    return rules.extract(text, language=language, published=date(2020, 5, 4))


def types(rules: RuleExtractor, text: str, language: str) -> list[str]:
    return [i.event_type for i in extract(rules, text, language)]


# -- the setting of a clash is part of it -----------------------------------

@pytest.mark.parametrize("text, language", [
    ("Fierce clashes broke out on Sunday between rebel fighters and regime forces near Kafr Nabudah, "
     "amid mutual mortar shelling, leaving nine fighters dead.", "en"),
    ("اندلعت يوم الأحد اشتباكات عنيفة بين فصائل المعارضة وقوات النظام في محيط بلدة كفرنبودة، "
     "وسط قصف متبادل بقذائف الهاون، أسفر عن مقتل تسعة مقاتلين.", "ar"),
])
def test_mutual_shelling_amid_a_clash_is_the_clash(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == ["armed-clash"]


@pytest.mark.parametrize("text, language", [
    ("Regime artillery shelled Khan Shaykhun on Sunday, while rebel fighters shelled the town of Suqaylabiyah.", "en"),
])
def test_a_second_shelling_in_the_sentence_still_stands(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language).count("shelling-artillery-missile-attack") == 2


# -- people taken away after they were seized --------------------------------

@pytest.mark.parametrize("text, language", [
    ("Gunmen abducted four farmers from the village of Tal Shaeer on Sunday, and took them to an unknown place.",
     "en"),
    ("اختطف مسلحون أربعة مزارعين من قرية تل شعير يوم الأحد، واقتادوهم إلى جهة مجهولة.", "ar"),
])
def test_taking_away_the_abducted_is_the_abduction(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == ["abduction-forced-disappearance"]


def test_taken_to_a_branch_after_the_arrest_is_the_arrest(rules: RuleExtractor) -> None:
    text = ("Members of the Air Force Intelligence arrested five students at a checkpoint in Jableh on Sunday. "
            "They were taken to the branch headquarters in Latakia.")
    found = extract(rules, text, "en")
    assert [i.event_type for i in found] == ["arrests"]
    assert len(found[0].evidence) == 2  # the transfer is kept as the arrest's evidence


def test_taken_away_after_a_strike_is_its_own_act(rules: RuleExtractor) -> None:
    text = ("Regime warplanes struck the market of Saraqib on Sunday, killing six civilians. "
            "Security forces then detained two paramedics and took them to the military security branch.")
    assert types(rules, text, "en") == ["air-drone-strike", "arrests"]


# -- a note's closing tally --------------------------------------------------

def test_a_tally_line_is_the_toll_of_the_note(rules: RuleExtractor) -> None:
    text = ("On 3 May 2020, unidentified gunmen shot dead a local council member in Tafas (Daraa). "
            "He had received threats for weeks. Local police opened an investigation. Fatalities: 1.")
    found = extract(rules, text, "en")
    assert [i.event_type for i in found] == ["attack"]
    assert len(found[0].evidence) == 2  # three sentences on, the tally is still the killing's


def test_an_arabic_tally_line_is_no_act(rules: RuleExtractor) -> None:
    text = ("اغتال مسلحون مجهولون عضواً في المجلس المحلي في مدينة طفس يوم 3 أيار. وكان قد تلقى تهديدات منذ أسابيع. "
            "وفتحت الشرطة المحلية تحقيقاً في الحادثة. الضحايا: 1.")
    assert types(rules, text, "ar") == ["attack"]


# -- a definite noun names the act already told -------------------------------

@pytest.mark.parametrize("text, expected", [
    ("A roadside bomb hit a police car on the Aleppo-Gaziantep road on Monday, wounding two officers. "
     "The explosion went off near the village of Kafr Naha as the car was heading to Atarib.",
     ["remote-explosive-landmine-ied"]),
    ("An unknown man threw a hand grenade into a crowd at a funeral in the town of Jasim on Friday. "
     "The grenade landed near the tent where the women sat.", ["grenade"]),
    ("Two suicide bombers blew themselves up at the bus station of Jableh on Monday morning. "
     "Doctors counted at least 20 dead from the station blasts.", ["suicide-bomb"]),
])
def test_a_definite_noun_retells_the_act(rules: RuleExtractor, text: str, expected: list[str]) -> None:
    found = extract(rules, text, "en")
    assert [i.event_type for i in found] == expected
    assert len(found[0].evidence) == 2


@pytest.mark.parametrize("text, expected", [
    # an actor after the article makes a sentence of its own act
    ("Regime artillery shelled Khan Shaykhun on Sunday. The regime warplanes bombed Maarat al-Numan at noon.",
     ["shelling-artillery-missile-attack", "air-drone-strike"]),
    # "in a separate incident" opens another act, whatever its noun
    ("Gunmen killed a teacher in Tafas on Monday. In a separate incident, the assassination of a former commander "
     "was reported in Jasim.", ["attack", "attack"]),
])
def test_a_new_act_is_not_a_retelling(rules: RuleExtractor, text: str, expected: list[str]) -> None:
    assert types(rules, text, "en") == expected


# -- aircraft that are only seen, heard or moved -------------------------------

@pytest.mark.parametrize("text, language", [
    ("Footage showed four attack helicopters being unloaded at the airport of Deir ez-Zor on Monday.", "en"),
    ("Residents said they heard drones circling over Sarmada for most of the night.", "en"),
    ("ونقلت القوات الروسية إلى مطار دير الزور أربع مروحيات قتالية يوم الاثنين.", "ar"),
    ("وقال الأهالي إن المروحيات حلقت فوق مدينة سرمدا طوال الليل.", "ar"),
])
def test_idle_aircraft_are_no_strike(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == []


@pytest.mark.parametrize("text, language", [
    ("Residents saw a helicopter drop two barrel bombs on Sarmada on Monday, killing three civilians.", "en"),
    ("شوهدت مروحية تلقي برميلين متفجرين على مدينة سرمدا يوم الاثنين، ما أدى إلى مقتل ثلاثة مدنيين.", "ar"),
])
def test_aircraft_seen_striking_still_strike(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == ["air-drone-strike"]


# -- what the act left, and its toll at the same place ---------------------------

@pytest.mark.parametrize("text, language, expected", [
    ("اندلعت أمس اشتباكات عنيفة بين قوات النظام من جهة، وفصائل المعارضة من جهة أخرى، في محيط بلدة كبانة، "
     "أسفرت بحسب مصادر ميدانية عن مقتل ثمانية عناصر.", "ar", ["armed-clash"]),
    ("دارت صباح أمس اشتباكات بين فصائل المعارضة وقوات النظام، وأسفرت في محيط بلدة كفرنبودة عن مقتل خمسة عناصر.", "ar",
     ["armed-clash"]),
])
def test_what_the_act_left_is_its_toll(rules: RuleExtractor, text: str, language: str, expected: list[str]) -> None:
    assert types(rules, text, language) == expected


def test_a_toll_at_the_same_place_is_the_acts(rules: RuleExtractor) -> None:
    text = ("Kafr Nabudah: Clashes between rebel factions and regime forces went on near Kafr Nabudah on Sunday. "
            "Two civilians were killed by stray bullets in Kafr Nabudah.")
    found = extract(rules, text, "en")
    assert [i.event_type for i in found] == ["armed-clash"]
    assert len(found[0].evidence) == 2


def test_a_toll_at_another_place_is_its_own_act(rules: RuleExtractor) -> None:
    text = ("Clashes between rebel factions and regime forces went on near Kafr Nabudah on Sunday. "
            "Two civilians were killed by gunfire in Khan Shaykhun.")
    assert len(extract(rules, text, "en")) == 2


@pytest.mark.parametrize("text, expected", [
    ("Regime forces broke up a sit-in of teachers in front of the directorate in Jableh on Sunday and detained "
     "six of them. They were taken to the security branch. Witnesses say the teachers were beaten during the arrest.",
     ["protest-with-intervention"]),
    ("1. Gunmen ambushed an army checkpoint at the entrance of Tafas on Monday, killing two soldiers. "
     "The attackers fled toward the farms. 2. Police arrested 4 men in Jasim. "
     "3. A statement by a local group claimed Monday's ambush.", ["attack", "arrests"]),
])
def test_a_definite_noun_reaches_back_past_another_act(rules: RuleExtractor, text: str, expected: list[str]) -> None:
    assert types(rules, text, "en") == expected


def test_a_source_inside_a_long_trigger_retells_the_strike(rules: RuleExtractor) -> None:
    text = ("Israeli missiles struck an arms depot near Masyaf on Monday night, killing three soldiers. "
            "Syrian air defences claimed to have intercepted most of the missiles.")
    found = extract(rules, text, "en")
    assert len(found) == 1
    assert len(found[0].evidence) == 2


def test_a_place_before_the_noun_sets_another_scene(rules: RuleExtractor) -> None:
    text = ("Russian warplanes struck the market of Maarat al-Numan on Monday, killing five civilians. "
            "In Khan Shaykhun, the strikes hit two houses.")
    assert len(extract(rules, text, "en")) == 2
