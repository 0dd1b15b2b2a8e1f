"""Recall: an act is not lost as a period, a plan or a title — an ordinal yardstick ("the fourth such attack
since the start of the month"), a story's own time ("during the following months", "the last week of
August"), a past "continued" and the first item of a bulletin are acts. English and Arabic; the sentences
are written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def types(rules: RuleExtractor, text: str, language: str) -> list[str]:
    return [i.event_type for i in rules.extract(text, language=language, published=date(2021, 3, 9))]


@pytest.mark.parametrize("text, language, expected", [
    ("ومساء أمس، اغتال مسلحون مجهولون تاجراً أمام منزله في بلدة اليادودة، في حادثة هي الثالثة من نوعها "
     "في البلدة منذ مطلع الشهر.", "ar", "attack"),
    ("A Russian convoy entered the area on Monday and set up a new base near Tell Tamr, the fifth Russian "
     "position established in the province since the start of the year.", "en", "headquarters-or-base-established"),
    ("هناك اشتراني عنصر من التنظيم واغتصبني مرات عدة خلال الأشهر التالية.", "ar", "sexual-violence"),
    ("During the last week of March at least five women were raped by militiamen at a checkpoint near Tafas.",
     "en", "sexual-violence"),
    ("السويداء: تواصلت الاحتجاجات السلمية في ساحة السير وسط المدينة لليوم العاشر على التوالي.", "ar",
     "peaceful-protest"),
    ("On Monday, militiamen continued to loot the houses of displaced families in Kafr Nabudah.", "en",
     "looting-property-destruction"),
])
def test_an_act_framed_by_a_yardstick_or_its_story_time_stands(rules: RuleExtractor, text: str, language: str,
                                                               expected: str) -> None:
    assert expected in types(rules, text, language)


@pytest.mark.parametrize("text, language", [
    ("The regime continues to shell the town every day.", "en"),
    ("وثّقت الشبكة خلال الأشهر الماضية مقتل 300 مدني في المحافظة.", "ar"),
])
def test_a_running_state_or_a_period_total_is_still_no_act(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == []


@pytest.mark.parametrize("text, expected", [
    ("وقد تمكن مقاتلو المعارضة صباح أمس من السيطرة على قرية تل ملح.", ["non-state-actor-overtakes-territory"]),
    ("وقد تعتقل الأجهزة الأمنية مزيداً من الشبان.", []),
])
def test_qad_before_a_present_verb_supposes_before_a_past_one_reports(rules: RuleExtractor, text: str,
                                                                       expected: list[str]) -> None:
    assert types(rules, text, "ar") == expected


def test_the_first_item_of_a_bulletin_is_no_title(rules: RuleExtractor) -> None:
    text = ("⚡️ عاجل | #ريف_حلب\n"
            "▪️ محتجون غاضبون يهاجمون مبنى المجلس المحلي في مدينة مارع ويحطمون زجاجه.\n"
            "▪️ متظاهرون يقتحمون مقر الشرطة العسكرية في مدينة مارع ويضرمون النار بسيارتين.\n")
    assert types(rules, text, "ar") == ["violent-demonstration", "violent-demonstration"]
