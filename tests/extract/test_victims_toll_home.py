"""A toll told in a later sentence belongs to the act that can have left it: not to a truce, a riot or a
march told after a clash in the same sentence, and not to "another" bomber told after the first (one toll of
both, given to the first). Sentences are written for these tests, English and Arabic."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def killed_by_type(rules: RuleExtractor, text: str, language: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in rules.extract(text, language=language, published=date(2021, 3, 9)):
        n = sum(v.count_min or 0 for v in i.victims if v.outcome.value == "killed")
        out[i.event_type] = max(out.get(i.event_type, 0), n)
    return out


@pytest.mark.parametrize("text, language", [
    ("Fighting erupted on Monday in the Ghuwayran quarter of Hasakah between SDF units and a government militia, "
     "and went on until a ceasefire mediated by Russia took effect on Thursday. At least 6 fighters were killed "
     "in the fighting.", "en"),
    ("Rebels clashed with regime troops near the prison of Idlib on Monday, while inmates rioted inside. "
     "Eleven fighters were killed in the clashes.", "en"),
])
def test_a_toll_after_a_clash_and_a_truce_is_the_clash(rules: RuleExtractor, text: str, language: str) -> None:
    found = killed_by_type(rules, text, language)
    assert found.get("armed-clash"), found
    assert not any(n for t, n in found.items() if t != "armed-clash"), found


@pytest.mark.parametrize("text, language", [
    ("On Friday morning a suicide bomber blew himself up at the bus station in Jableh, and another "
     "bomber blew himself up near the hospital gate minutes later. Hospital staff counted 21 dead.", "en"),
    ("فجّر انتحاري نفسه صباح الجمعة في مرآب البولمان بمدينة جبلة، وفجّر انتحاري آخر نفسه قرب باب المشفى "
     "بعد دقائق. وأحصت المصادر الطبية 21 قتيلاً.", "ar"),
])
def test_a_toll_after_two_bombers_is_the_first(rules: RuleExtractor, text: str, language: str) -> None:
    found = rules.extract(text, language=language, published=date(2021, 3, 9))
    tolls = [sum(v.count_min or 0 for v in i.victims) for i in found]
    assert tolls and tolls[0] == 21, [(i.event_type, i.victims) for i in found]


def test_a_toll_after_a_lone_truce_stays_with_it(rules: RuleExtractor) -> None:
    # with no violent act before it in its sentence there is nowhere else for the toll to go
    text = "A truce between the two factions took effect in Jasim on Monday. Three fighters were killed."
    found = rules.extract(text, language="en", published=date(2021, 3, 9))
    assert sum(v.count_min or 0 for i in found for v in i.victims) == 3


@pytest.mark.parametrize("text, language", [
    ("Gunmen abducted 12 villagers from Tal Jamal on Monday. The health directorate put the overall toll at "
     "more than 90 dead.", "en"),
    ("اختطف مسلحون 12 مدنياً من قرية تل جمال يوم الاثنين. وبلغت الحصيلة الإجمالية لهجمات الأسبوع أكثر من 90 قتيلاً.",
     "ar"),
])
def test_an_overall_toll_is_no_toll_of_the_last_act(rules: RuleExtractor, text: str, language: str) -> None:
    found = rules.extract(text, language=language, published=date(2021, 3, 9))
    assert not any(v.outcome.value == "killed" for i in found for v in i.victims)
    assert any(v.outcome.value == "abducted" and v.count_min == 12 for i in found for v in i.victims)


def test_a_toll_that_rose_is_still_the_acts(rules: RuleExtractor) -> None:
    text = "A regime air strike hit the market of Ariha on Monday. The death toll rose to 14 civilians."
    found = rules.extract(text, language="en", published=date(2021, 3, 9))
    assert [v.count_min for i in found for v in i.victims if v.outcome.value == "killed"] == [14]


@pytest.mark.parametrize("text, language", [
    ("Unidentified aircraft struck militia positions near Abu Kamal before dawn on Monday. Heavy explosions were "
     "heard for almost an hour. Local sources said at least nine militia members were killed.", "en"),
    ("شنت طائرات حربية مجهولة فجر الاثنين غارات جوية على مواقع للميليشيات قرب البوكمال. وسُمع دوي انفجارات عنيفة "
     "لنحو ساعة. وقالت مصادر محلية إن تسعة عناصر من الميليشيات قتلوا.", "ar"),
])
def test_blasts_heard_after_a_strike_are_its_sound(rules: RuleExtractor, text: str, language: str) -> None:
    found = rules.extract(text, language=language, published=date(2021, 3, 9))
    assert [i.event_type for i in found] == ["air-drone-strike"]
    assert [v.count_min for v in found[0].victims if v.outcome.value == "killed"] == [9]


def test_blasts_heard_with_nothing_told_before_still_stand(rules: RuleExtractor) -> None:
    text = "Loud explosions were heard in the Mezzeh district of Damascus on Monday night."
    assert rules.extract(text, language="en", published=date(2021, 3, 9))
