"""Perpetrators reached through the sentence: vague armed labels, a force
"of" an army acting with coordinated verbs, a nationality word that ends a
group's name. Sentences written for this test."""
from __future__ import annotations

import pytest

from tawthiq.extract.engine import RuleExtractor

_X = RuleExtractor()

PERPETRATORS = [
    # a nameless armed label is an unidentified perpetrator
    ("Terrorists fired rocket shells on a residential neighbourhood in Aleppo, injuring three civilians.", {"unknown"}),
    ("Militants fired mortar shells at the town of Mhardeh, killing a woman.", {"unknown"}),
    ("أطلق إرهابيون قذائف صاروخية على حي سكني في حلب ما أدى إلى إصابة ثلاثة مدنيين.", {"unknown"}),
    # "a force of the X army" entered … and arrested: one subject for both verbs
    ("توغلت قوة من الجيش الإسرائيلي في قرية جملة بريف درعا واعتقلت شابين.", {"israel"}),
    ("دخلت وحدة من الجيش التركي قرية في ريف تل أبيض واعتقلت ثلاثة رعاة.", {"turkey"}),
    # a nationality word closing a group's name is part of the name
    ("قصفت فصائل الجيش الوطني السوري قرية تل رفعت ما أدى إلى مقتل طفل.", {"armed-opposition"}),
    ("Syrian National Army factions shelled the village of Tal Rifaat, killing a child.", {"armed-opposition"}),
]


@pytest.mark.parametrize("text,expected", PERPETRATORS)
def test_perpetrator(text: str, expected: set[str]) -> None:
    incidents = _X.extract(text)
    assert incidents
    assert {p.actor for p in incidents[0].perpetrators} == expected


VICTIM_KINDS = [
    # members of a body of unarmed people are civilians
    ("Three members of one family were killed when regime shelling hit their house in Ariha.", ("civilian", 3)),
    ("Two members of the Civil Defence were injured by Russian airstrikes on Kafr Nabl.", ("civilian", 2)),
    ("قتل ثلاثة من عناصر الدفاع المدني بقصف روسي على بلدة كفرنبل.", ("civilian", 3)),
    ("Four members of a medical team were wounded when a shell hit their ambulance near Saraqib.", ("civilian", 4)),
    # the members after "برصاص" fired the shots; they are no victims
    ("قتل شاب برصاص عناصر من قوات سوريا الديمقراطية في مدينة الرقة.", ("civilian", 1)),
    ("قتلت امرأة برصاص عناصر من الفرقة الرابعة عند حاجز قرب مدينة الصنمين.", ("civilian", 1)),
]


@pytest.mark.parametrize("text,expected", VICTIM_KINDS)
def test_victim_kind(text: str, expected: tuple[str, int]) -> None:
    incidents = _X.extract(text)
    assert incidents
    groups = [(g.kind.value, g.count_min) for g in incidents[0].victims]
    assert groups == [expected]
