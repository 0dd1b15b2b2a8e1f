"""One person told of only by a pronoun ("they whipped him", "he was taken", "جلدوه", "اعتقلته"), a person
held of whom nothing has been heard since (disappeared), and counts of lashes or munitions that are no
people. Sentences are written for these tests, English and Arabic."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def groups(rules: RuleExtractor, text: str, language: str) -> list[tuple[str, str, int | None, int | None]]:
    return [(v.kind.value, v.outcome.value, v.count_min, v.count_max)
            for i in rules.extract(text, language=language, published=date(2021, 3, 9)) for v in i.victims]


@pytest.mark.parametrize("text, language", [
    ("On the second day of Ramadan the Hisba men whipped him thirty times outside the mosque in Raqqa.", "en"),
    ("وفي اليوم التالي جلدوه ثلاثين جلدة أمام الناس في ساحة السوق بمدينة الرقة.", "ar"),
])
def test_a_flogged_pronoun_is_one_injured_person_not_the_lashes(rules: RuleExtractor, text: str, language: str) -> None:
    found = groups(rules, text, language)
    assert ("civilian", "injured", 1, 1) in found, found
    assert not any(n == 30 for _, _, n, _ in found), found


def test_beaten_to_death_pronoun_is_a_death(rules: RuleExtractor) -> None:
    found = groups(rules, "Outside the bakery in Saraqib the gunmen beat him to death with iron bars.", "en")
    assert ("civilian", "killed", 1, 1) in found, found


@pytest.mark.parametrize("text, language", [
    ("A year later my cousin went to Damascus; he was taken at the Qutayfah checkpoint and we have heard nothing "
     "about him since.", "en"),
    ("اعتقلته دورية من المخابرات الجوية عند حاجز القطيفة في شهر آذار، ولم نسمع عنه شيئاً منذ ذلك اليوم.", "ar"),
])
def test_held_and_never_heard_of_since_is_disappeared(rules: RuleExtractor, text: str, language: str) -> None:
    outcomes = {o for _, o, n, _ in groups(rules, text, language) if n == 1}
    assert "disappeared" in outcomes and outcomes & {"detained", "abducted"}, outcomes


def test_taken_to_hospital_is_no_arrest(rules: RuleExtractor) -> None:
    text = "A mortar shell hit the street in Jaramana on Monday; he was taken to the hospital with shrapnel wounds."
    assert not any(o in ("detained", "abducted", "disappeared") for _, o, _, _ in groups(rules, text, "en"))


def test_a_held_person_with_news_is_not_disappeared(rules: RuleExtractor) -> None:
    text = "Military Security arrested a teacher in Hama on Monday; his family visited him in prison a week later."
    assert "disappeared" not in {o for _, o, _, _ in groups(rules, text, "en")}


@pytest.mark.parametrize("text, language, outcome", [
    ("تجمهر عدد من الأهالي في بلدة الصنمين حول رجل يُتّهم بالانتماء إلى عصابة تمتهن السلب، وانهالوا عليه ضرباً "
     "بالحجارة حتى فارق الحياة.", "ar", "killed"),
    ("A crowd in Tafas surrounded a man accused of kidnapping a child and beat him to death with sticks.", "en", "killed"),
])
def test_a_charge_is_no_act_and_the_beating_is(rules: RuleExtractor, text: str, language: str, outcome: str) -> None:
    found = rules.extract(text, language=language, published=date(2021, 3, 9))
    assert "abduction-forced-disappearance" not in [i.event_type for i in found]
    assert (outcome, 1) in [(v.outcome.value, v.count_min) for i in found for v in i.victims]


@pytest.mark.parametrize("text, language", [
    ("Gunmen shot dead two employees of the water directorate in Jasim on Monday.", "en"),
    ("قتل مسلحون مجهولون موظفَين اثنين في مديرية المياه بمدينة جاسم يوم الاثنين.", "ar"),
])
def test_employees_are_civilians(rules: RuleExtractor, text: str, language: str) -> None:
    assert ("civilian", "killed") in [(k, o) for k, o, _, _ in groups(rules, text, language)]
