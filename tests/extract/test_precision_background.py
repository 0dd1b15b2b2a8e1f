"""Precision: a report's background is no incident — a period opened by a broken truce or "منذ أواخر …", a
review of the past days, the front lines of a province, a ranking of provinces by victims, a count of cases
the writer's team recorded, civilians who "face airstrikes", and an appeal whose second half names detention
centres; an act told with its day still is. English and Arabic; the sentences are written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def types(rules: RuleExtractor, text: str, language: str) -> list[str]:
    return [i.event_type for i in rules.extract(text, language=language, published=date(2021, 6, 9))]


@pytest.mark.parametrize("text, language", [
    ("منذ انهيار الهدنة في الربيع، يعيش آلاف المدنيين في ريف حماة الشمالي تحت الغارات.", "ar"),
    ("صعّدت قوات النظام خلال الأيام الخمسة الماضية من قصفها على قرى جبل الزاوية.", "ar"),
    ("تتوزع في ريف درعا الغربي خطوط الاشتباك بين الفصائل والقوات الحكومية على نحو متشابك.", "ar"),
    ("وتصدرت محافظة حلب قائمة المحافظات من حيث عدد الضحايا، فيما تركزت حوادث القصف في ريف إدلب.", "ar"),
    ("كما سجّلنا ما لا يقل عن 310 حالات اعتقال تعسفي في المحافظة.", "ar"),
    ("كما دعت الهيئة إلى تشكيل لجنة مستقلة، وإلى السماح للمنظمات الإنسانية بزيارة مراكز الاحتجاز كافة.", "ar"),
    ("Aid groups say some 30,000 civilians are still in the town, where they face daily airstrikes and shelling.",
     "en"),
    ("Along the front lines in southern Idlib, fighting has become rare this spring.", "en"),
])
def test_background_is_no_incident(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == []


@pytest.mark.parametrize("text, language, expected", [
    ("قصفت قوات النظام بلدة كنصفرة صباح أمس بعشرات القذائف.", "ar", "shelling-artillery-missile-attack"),
    ("After more than two months of siege, the local committee and the army reached an agreement on Wednesday "
     "that ends the operations in the town.", "en", "agreement"),
])
def test_an_act_with_its_day_still_stands(rules: RuleExtractor, text: str, language: str, expected: str) -> None:
    assert types(rules, text, language) == [expected]


# -- "قد" before a past verb reports; before a present verb it only supposes --

@pytest.mark.parametrize("text, expected", [
    ("وقد تجددت صباح أمس الاشتباكات بين قوات النظام وفصائل المعارضة في محيط بلدة كفرنبودة.", ["armed-clash"]),
    ("فقد تعرضت بلدة كنصفرة صباح أمس لقصف مدفعي عنيف.", ["shelling-artillery-missile-attack"]),
    ("وقد تم اعتقال خمسة شبان من بلدة جاسم صباح أمس.", ["arrests"]),
    ("وقد تقصف قوات النظام بلدة كنصفرة في الأيام المقبلة.", []),
    ("وقد يشن الطيران غارات جديدة على بلدة كنصفرة.", []),
])
def test_qad_with_a_past_verb_is_an_act(rules: RuleExtractor, text: str, expected: list[str]) -> None:
    assert types(rules, text, "ar") == expected


# -- the basis of an act, a habit, a control that now holds ----------------------

def test_the_agreement_an_act_follows_is_its_setting(rules: RuleExtractor) -> None:
    text = ("انتشرت وحدات من الجيش السوري صباح اليوم في بلدة تل أبيض بعد انسحاب المقاتلين منها، "
            "وذلك بموجب الاتفاق الذي وُقّع بين الطرفين.")
    assert "agreement" not in types(rules, text, "ar")


@pytest.mark.parametrize("text, language", [
    ("A local activist, who has organised weekly protests outside the council building, said she was threatened.",
     "en"),
    ("وأكدت الوزارة أن القوات الحكومية باتت تسيطر على المدينة والقرى المحيطة بها.", "ar"),
])
def test_a_habit_or_a_lasting_control_is_no_act(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == []


def test_a_source_saying_the_aircraft_bombed_retells_the_strike(rules: RuleExtractor) -> None:
    text = ("استهدفت غارة جوية مستودعاً قرب مدينة سراقب فجر اليوم، ما أدى إلى مقتل أربعة مدنيين. "
            "فيما قالت وزارة الدفاع إن الطيران قصف «مخزناً للأسلحة».")
    found = rules.extract(text, language="ar", published=date(2021, 6, 9))
    assert [i.event_type for i in found] == ["air-drone-strike"]
    assert len(found[0].evidence) == 2


def test_a_lasting_state_reaches_past_a_relative_clause(rules: RuleExtractor) -> None:
    text = "لا تزال أحياء مدينة طفس، التي يسكنها نحو 30 ألف شخص من أبناء المنطقة، تحت حصار تفرضه قوات النظام."
    assert types(rules, text, "ar") == []
