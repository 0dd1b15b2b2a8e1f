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


EVENTS = [
    # a cruel death is a killing, not only a punishment
    ("A man was stoned to death by ISIS fighters in the town of Tabqa.", "attack", "killed"),
    ("A young man was beaten to death by members of the Military Police in Afrin.", "attack", "killed"),
    # a killing outranks the theft in the same act
    ("Unknown gunmen killed a shepherd near Palmyra and stole dozens of his sheep.", "attack", "killed"),
    # a state's strike is an air strike
    ("An Israeli strike targeted a building in the Mazzeh neighbourhood of Damascus.", "air-drone-strike", None),
    # a suicide attacker outranks the vehicle bomb
    ("Three suicide bombers and a car bomb struck a checkpoint in Qamishli, killing eight soldiers.", "suicide-bomb", "killed"),
    # shots in the air to disperse a protest, nobody hurt
    ("Security forces fired in the air to disperse a protest in Suwayda.", "protest-with-intervention", None),
    ("فرقت قوات النظام مظاهرة في مدينة درعا بإطلاق الرصاص في الهواء.", "protest-with-intervention", None),
]


@pytest.mark.parametrize("text,event_type,outcome", EVENTS)
def test_event_type(text: str, event_type: str, outcome: str | None) -> None:
    incidents = _X.extract(text)
    assert [i.event_type for i in incidents] == [event_type]
    if outcome:
        assert outcome in {g.outcome.value for g in incidents[0].victims}


NO_INCIDENT = [
    # appeals and documentation totals
    "The Syrian Network called on all parties to release all arbitrarily detained persons.",
    "طالبت الشبكة السورية بالإفراج عن جميع المعتقلين تعسفيا.",
    "ناشدت منظمات حقوقية الأطراف كافة الإفراج عن المختطفين.",
    "The observatory documented 23 kidnapping attempts in Hasakah province.",
    "وثق المرصد السوري مقتل 19 شخصا يوم أمس في عموم الأراضي السورية.",
]


@pytest.mark.parametrize("text", NO_INCIDENT)
def test_no_incident(text: str) -> None:
    assert _X.extract(text) == []


COUNTS = [
    # the pronoun object and the counted companions: three dead
    ("Masked gunmen ambushed a trader near Tafas, killing him and two of his sons.", 3),
    # a definite number after an Arabic plural counts it
    ("قتل الشبان الخمسة في قصف على بلدة سرمين.", 5),
    ("قتلت امرأة وأطفالها الأربعة بقصف مدفعي على بلدة كفرنبل.", 5),
    # a toll that rose to a total replaces the count told before; the later deaths are in it
    ("قتل سبعة مدنيين بقصف على بلدة معرة النعمان. وارتفع عدد القتلى إلى تسعة بعد وفاة امرأتين متأثرتين بجراحهما.", 9),
    ("Regime shelling killed five civilians in Ariha on Monday. The death toll rose to seven after two of the wounded died.", 7),
]


@pytest.mark.parametrize("text,killed", COUNTS)
def test_killed_count(text: str, killed: int) -> None:
    incidents = _X.extract(text)
    assert len(incidents) == 1
    assert sum(g.count_min or 0 for g in incidents[0].victims if g.outcome.value == "killed") == killed


CLAIMS_AND_QUOTED = [
    # a claim in the same sentence or the next names who did it
    ("A roadside bomb hit a bus near Jarablus, killing three workers, according to the ISIS Amaq news agency.",
     {("isis", "claimed")}),
    ("An explosive device went off in al-Bab on Friday, wounding four civilians. The bombing was claimed by ISIS.",
     {("isis", "claimed")}),
    ("انفجرت عبوة ناسفة في مدينة الباب ما أدى إلى إصابة أربعة مدنيين. وتبنت هيئة تحرير الشام التفجير.",
     {("hts", "claimed")}),
    ("انفجرت دراجة نارية مفخخة في مدينة الباب ما أدى إلى مقتل ثلاثة مدنيين، وذكرت وكالة أعماق التابعة لتنظيم داعش أن عناصره نفذوا الهجوم.",
     {("isis", "claimed")}),
    # a quoted name after a unit noun is the acting party; unknown names are "other"
    ("أطلق عناصر من ميليشيا \"لواء الباقر\" النار على مدني في مدينة الميادين.", {("other", "carried-out")}),
    ("اعتدى عناصر من فصيل \"الحمزات\" بالضرب على شاب في مدينة عفرين.", {("armed-opposition", "carried-out")}),
]


@pytest.mark.parametrize("text,expected", CLAIMS_AND_QUOTED)
def test_claims_and_quoted(text: str, expected: set[tuple[str, str]]) -> None:
    incidents = _X.extract(text)
    assert incidents
    assert {(p.actor, p.degree.value) for p in incidents[0].perpetrators} == expected


def test_beating_is_an_attack_with_torture() -> None:
    incidents = _X.extract("انهال عناصر من الأمن العسكري بالضرب المبرح على بائع متجول في مدينة درعا.")
    assert [i.event_type for i in incidents] == ["attack"]
    assert "torture" in incidents[0].violations


def test_pronoun_object_is_the_person_named() -> None:
    incidents = _X.extract("Gunmen opened fire on an officer of the Political Security branch in Inkhil, killing him.")
    assert [(g.kind.value, g.outcome.value, g.count_min) for g in incidents[0].victims] == [("combatant", "killed", 1)]


def test_named_person_after_almadu_is_one_civilian() -> None:
    incidents = _X.extract("اختطف مسلحون مجهولون المدعو خالد العمر في بلدة الصنمين.")
    assert [(g.kind.value, g.count_min) for g in incidents[0].victims] == [("civilian", 1)]


@pytest.mark.parametrize("text", [
    "Regime shelling hit the town of Kafr Nabl on Monday, killing four civilians. "
    "Five others were wounded and taken to a hospital in Idlib.",
    "Russian warplanes struck the town of Ariha, killing two children, while a third died later in hospital.",
    "قتل أربعة مدنيين بقصف لقوات النظام على بلدة كفرنبل. ونقل الجرحى إلى مشفى في مدينة إدلب.",
])
def test_hospital_the_wounded_went_to_was_not_hit(text: str) -> None:
    incidents = _X.extract(text)
    assert len(incidents) == 1
    assert "attack-on-protected-objects" not in incidents[0].violations


@pytest.mark.parametrize("text", [
    "قتل رجل على يد مسلحين في مدينة جاسم.",
    "A farmer was shot dead by armed assailants in the town of Tafas.",
])
def test_nameless_armed_agent_is_unknown_not_a_victim(text: str) -> None:
    incidents = _X.extract(text)
    assert {p.actor for p in incidents[0].perpetrators} == {"unknown"}
    assert [(g.kind.value, g.count_min) for g in incidents[0].victims] == [("civilian", 1)]


def test_unexploded_remnant_is_an_explosive() -> None:
    incidents = _X.extract("قنبلة عنقودية من مخلفات القصف انفجرت بطفل في قرية الحويز ما أدى إلى مقتله.")
    assert [i.event_type for i in incidents] == ["remote-explosive-landmine-ied"]


CARRY = [
    # "one of the missiles" is part of the raid just told, in the same sentence
    ("شنت الطائرات الروسية غارات على بلدة كفرنبل، وأصاب أحد الصواريخ مدرسة ما أدى إلى مقتل ثلاثة أطفال.",
     [("air-drone-strike", {("russia", "carried-out")})]),
    # a negated claim names nobody; the accusation attributes the act
    ("A car bomb exploded in the city of Afrin on 12 March, killing six civilians. No group has claimed responsibility, "
     "but local sources accused the PKK of being behind the attack.",
     [("remote-explosive-landmine-ied", {("sdf", "attributed")})]),
    # the claimer named before the act in its own sentence claimed it
    ("تبنى تنظيم داعش عبر وكالة أعماق هجوما بعبوة ناسفة استهدف حافلة قرب مدينة السخنة، ما أدى إلى مقتل 12 عسكريا.",
     [("remote-explosive-landmine-ied", {("isis", "claimed")})]),
    # who a faction is loyal to did not act
    ("اختطفت فصائل الجيش الوطني السوري الموالية لتركيا امرأة في مدينة عفرين.",
     [("abduction-forced-disappearance", {("armed-opposition", "carried-out")})]),
]


@pytest.mark.parametrize("text,expected", CARRY)
def test_carry(text: str, expected: list) -> None:
    got = [(i.event_type, {(p.actor, p.degree.value) for p in i.perpetrators}) for i in _X.extract(text)]
    assert got == expected


def test_a_raid_that_only_killed_is_an_attack() -> None:
    incidents = _X.extract("داهمت قوات النظام قرية في ريف درعا الغربي، وقتلت شابين خلال المداهمة.")
    assert [i.event_type for i in incidents] == ["attack"]
    assert "arbitrary-detention" not in incidents[0].violations


@pytest.mark.parametrize("text", [
    "Regime forces arrested a young man at a checkpoint in Homs, and he died under torture a week later.",
    "رجم تنظيم داعش رجلا حتى الموت في مدينة الميادين.",
])
def test_death_after_the_act_is_a_killing(text: str) -> None:
    incidents = _X.extract(text)
    assert incidents[0].event_type == "attack"
    assert sum(g.count_min or 0 for g in incidents[0].victims if g.outcome.value == "killed") == 1


def test_arabic_state_strike_is_an_air_strike() -> None:
    incidents = _X.extract("استهدفت ضربة روسية منزلا في بلدة البارة بريف إدلب.")
    assert [(i.event_type, {p.actor for p in i.perpetrators}, "torture" in i.violations) for i in incidents] == \
        [("air-drone-strike", {"russia"}, False)]


def test_toll_in_scattered_areas_is_a_total() -> None:
    assert _X.extract("وثقت الشبكة مقتل 27 مدنيا خلال الأيام الثلاثة الماضية في مناطق متفرقة من سوريا.") == []


@pytest.mark.parametrize("text,actor", [
    ("أطلق عناصر من ميليشيا \"لواء الباقر\" الإيرانية النار على مدني في مدينة الميادين.", "iran-backed"),
    ("أطلق عناصر من ميليشيا \"درع القلمون\" النار على مدني في مدينة يبرود.", "other"),
])
def test_quoted_militia_takes_its_parent_from_context(text: str, actor: str) -> None:
    assert {p.actor for p in _X.extract(text)[0].perpetrators} == {actor}


@pytest.mark.parametrize("text", [
    "The army killed three militants in clashes near Jabal al-Zawiya.",
    "قتل ثلاثة مسلحين في اشتباكات مع الجيش قرب جبل الزاوية.",
])
def test_counted_armed_labels_are_victims(text: str) -> None:
    incidents = _X.extract(text)
    assert [(g.kind.value, g.count_min) for g in incidents[0].victims] == [("combatant", 3)]
    assert "unknown" not in {p.actor for p in incidents[0].perpetrators}
