"""Recall: acts told in words the lexicons missed — Arabic verbs in the present tense (headlines, bulletins),
fighting, marching and beating told plainly, land and groves seized, a takeover or a base with the group
named between verb and object, entries that never matched because they ended in a space — are incidents.
English and Arabic; the sentences are written for these tests."""
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
    # Arabic present tense, as headlines and bulletins write it
    ("دورية للأمن الجنائي تعتقل شابين من أبناء بلدة جاسم عند حاجز المدينة.", "ar", "arrests"),
    ("مسلحون مجهولون يختطفون طبيباً على طريق درعا - السويداء مساء أمس.", "ar", "abduction-forced-disappearance"),
    ("قوات النظام تقصف بلدة كنصفرة بقذائف المدفعية صباح اليوم.", "ar", "shelling-artillery-missile-attack"),
    # fighting, marching, shooting and beating told in plain words
    ("Rebel fighters and government troops fought near the village of Tell Malah on Monday.", "en", "armed-clash"),
    ("On Friday, hundreds marched through the streets of Saraqib demanding the release of detainees.", "en",
     "peaceful-protest"),
    ("On Friday, thousands again packed the main square of Jasim, chanting against the government.", "en",
     "peaceful-protest"),
    ("The border guards saw our group near the wall on Sunday night and started shooting at us.", "en", "attack"),
    ("On Tuesday two militiamen kicked him and hit him with rifle butts in front of his shop in Tafas.", "en",
     "attack"),
    # land, groves and homes taken
    ("On Sunday, members of the militia seized about 50 dunams of farmland belonging to displaced families "
     "near al-Mayadin.", "en", "looting-property-destruction"),
    ("Militants of the faction took over the olive groves of nine displaced families in the village of Basuta.",
     "en", "looting-property-destruction"),
    ("Soldiers came with trucks on Monday and emptied every house on the street in Zamalka.", "en",
     "looting-property-destruction"),
    ("أقدم عناصر من الفصيل يوم الاثنين على قطع نحو 200 شجرة زيتون في قرية بعدينا.", "ar",
     "looting-property-destruction"),
    # the group named between the verb and the object
    ("حلب: سيطرت قوات النظام بدعم من ميليشيات إيرانية وروسية أمس على بلدة خان طومان.", "ar",
     "government-regains-territory"),
    ("أنشأت ميليشيا \"لواء الباقر\" مقراً جديداً في مبنى البلدية بمدينة الميادين أمس.", "ar",
     "headquarters-or-base-established"),
    ("ميليشيا محلية تتخذ من مبنى المدرسة الزراعية في حي الجورة مقراً عسكرياً جديداً لها.", "ar",
     "headquarters-or-base-established"),
    ("أعلنت الدفاعات الجوية أنها أسقطت مساء أمس طائرتين مسيّرتين قرب قاعدة حميميم.", "ar",
     "disrupted-weapons-use"),
    # entries that ended in a space and so never matched
    ("An agreement reached on Sunday between the committee and the army ends the siege of the town of Busra.",
     "en", "agreement"),
    ("إدلب: دخلت قوات النظام مدينة خان شيخون صباح اليوم بعد معارك عنيفة.", "ar", "government-regains-territory"),
    # a fuel depot on fire with no strike named
    ("A fire broke out in a fuel depot near the industrial zone of Tabqa this afternoon.", "en", "other"),
])
def test_act_told_in_words_the_lexicons_missed(rules: RuleExtractor, text: str, language: str,
                                                expected: str) -> None:
    assert expected in types(rules, text, language)


@pytest.mark.parametrize("text, language", [
    ("دخلت وحدات من الشرطة العسكرية الروسية صباح اليوم مدينة تل رفعت دون أي مواجهات.", "ar"),
    ("Russian military police units entered Tal Rifaat on Monday without a fight.", "en"),
])
def test_a_handover_without_a_fight_outranks_the_side_of_who_entered(rules: RuleExtractor, text: str,
                                                                       language: str) -> None:
    assert types(rules, text, language) == ["non-violent-transfer-of-territory"]


@pytest.mark.parametrize("text, language, absent", [
    ("أعلنت خمسة فصائل يوم الأحد الماضي 3 نيسان عن تشكيل غرفة عمليات موحدة بهدف «تحرير» ريف حماة.", "ar",
     "non-state-actor-overtakes-territory"),
    ("The factions announced on Sunday the formation of a joint operations room in a bid to recapture the hills.",
     "en", "non-state-actor-overtakes-territory"),
])
def test_an_act_named_as_an_aim_is_no_act(rules: RuleExtractor, text: str, language: str, absent: str) -> None:
    found = types(rules, text, language)
    assert found == ["change-to-group-activity"] and absent not in found


def test_a_reconciliation_committee_named_in_passing_is_no_agreement(rules: RuleExtractor) -> None:
    text = "ومساء أمس، اغتال مسلحون مجهولون عضواً في لجنة المصالحة أمام منزله في بلدة المزيريب."
    assert types(rules, text, "ar") == ["attack"]
    assert types(rules, "توصلت اللجنة المركزية أمس إلى اتفاق مصالحة بين الأهالي والنظام في بلدة طفس.",
                 "ar") == ["agreement"]
