"""Detection across report styles: testimony told in the first person or in dialect, statements that
condemn an act they report, background (anniversaries, a report's own figures, plans) that is no act,
and a second act of the same kind that is not folded into the first. English and Arabic; the sentences
are written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def types(rules: RuleExtractor, text: str, language: str) -> list[str]:
    return [i.event_type for i in rules.extract(text, language=language, published=date(2016, 5, 10))]


@pytest.mark.parametrize("text", [
    "At the bridge checkpoint a soldier of Military Intelligence ordered me down from the minibus with my cousin.",
    "Three men from State Security pushed him into a white van outside the bakery in Jableh.",
    "My son was taken from the checkpoint at the entrance of Tartus on his way to work.",
])
def test_english_testimony_detention_without_the_word_arrest(rules: RuleExtractor, text: str) -> None:
    assert types(rules, text, "en") == ["arrests"]


@pytest.mark.parametrize("text", [
    "اعتقلوني عند حاجز الجسر مع ابن خالي، وكانوا عناصر من الأمن العسكري.",
    "عند حاجز البلدة نزّلوه من السرفيس عناصر الأمن العسكري وما رجع.",
    "أخدوا ابني عناصر من الأمن العسكري من قدام البيت بجبلة.",
])
def test_levantine_testimony_detention(rules: RuleExtractor, text: str) -> None:
    assert types(rules, text, "ar") == ["arrests"]


def test_taken_by_an_armed_group_is_an_abduction(rules: RuleExtractor) -> None:
    incidents = rules.extract("Masked ISIS fighters pushed him into a car near his shop in Raqqa.", language="en")
    assert [i.event_type for i in incidents] == ["abduction-forced-disappearance"]
    assert "hostage-taking" in incidents[0].violations


def test_dialect_shooting_and_burning(rules: RuleExtractor) -> None:
    assert types(rules, "بالليل قوصوا جارنا قدام باب بيتو بحي الشيخ.", "ar") == ["attack"]
    assert types(rules, "هجموا على الحارة وحرقوا تلات بيوت وسيارة.", "ar") == ["looting-property-destruction"]


def test_whipping_and_setting_on_fire(rules: RuleExtractor) -> None:
    assert types(rules, "The morality police whipped a young man sixty times in the main square of Tabqa.", "en") \
        == ["attack"]
    assert types(rules, "Gunmen looted the pharmacy and set the building on fire in Azaz.", "en") \
        == ["looting-property-destruction"]


def test_villagers_killed_are_no_mob(rules: RuleExtractor) -> None:
    assert "mob-violence" not in types(rules, "Relatives said at least 12 villagers were killed in the raid on Tell Jijan.", "en")


def test_a_condemned_act_told_for_the_first_time(rules: RuleExtractor) -> None:
    text = "The council condemns the massacre committed this morning by regime warplanes against the bakery of Kafr Nabl."
    assert types(rules, text, "en") == ["air-drone-strike"]
    assert types(rules, "The council condemns the continued shelling of Kafr Nabl.", "en") == []


@pytest.mark.parametrize("text,language", [
    ("Eight years on, more than 9,000 people have died under torture in the prisons of the regime.", "en"),
    ("In 2019 alone we documented the arrest of 310 people who had returned from Lebanon.", "en"),
    ("The report also records at least 88 cases of arbitrary arrest in Deir ez-Zor.", "en"),
    ("Turkish forces will set up checkpoints along the road next week.", "en"),
    ("تمر اليوم ثماني سنوات على اعتقال آلاف الشبان في المدينة.", "ar"),
    ("في الذكرى الثانية لاقتحام البلدة، يروي الأهالي ما جرى.", "ar"),
    ("ومن المقرر أن تنسحب القوات من المواقع الشمالية خلال أيام.", "ar"),
])
def test_background_and_plans_are_no_act(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == []


def test_a_personal_settlement_is_no_agreement(rules: RuleExtractor) -> None:
    assert types(rules, "أخي عمل تسوية بعد ما دخل الجيش عالبلد.", "ar") == []
    assert types(rules, "توصل الطرفان إلى اتفاق تسوية بين اللجنة المركزية والنظام في طفس.", "ar") == ["agreement"]


def test_another_bomber_is_another_act(rules: RuleExtractor) -> None:
    text = ("A bomber blew himself up at the gate of the Sayyida Zainab shrine on Sunday; "
            "another blew himself up near the bus station after police chased him.")
    assert types(rules, text, "en") == ["suicide-bomb", "suicide-bomb"]
