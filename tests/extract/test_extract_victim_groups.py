"""Victim groups (issue 14): a toll written as nobody, a toll written as a label, first-person
testimony, a beating to death, relatives as victims. Sentences written for this test."""
from __future__ import annotations

import pytest

from tawthiq.extract.engine import RuleExtractor

_X = RuleExtractor()


def _groups(text: str, language: str) -> list[tuple[str, str, int | None]]:
    incidents = _X.extract(text, language=language)
    assert incidents, text
    return [(str(g.kind.value), str(g.outcome.value), g.count_min) for g in incidents[0].victims]


def _all_groups(text: str, language: str) -> list[tuple[str, str, int | None]]:
    return [(str(g.kind.value), str(g.outcome.value), g.count_min)
            for i in _X.extract(text, language=language) for g in i.victims]


def _total(groups: list[tuple[str, str, int | None]], outcome: str) -> int:
    return sum(n or 0 for _, o, n in groups if o == outcome)


@pytest.mark.parametrize("text,language", [
    ("Turkish artillery shelled the outskirts of Tal Tamr at dawn. Neither fatalities nor injuries were reported.", "en"),
    ("Regime helicopters dropped two barrels on the hills near Kabani; no casualties were reported.", "en"),
    ("قصفت المدفعية التركية أطراف بلدة تل تمر فجر اليوم دون وقوع ضحايا.", "ar"),
    ("قصفت قوات النظام بالمدفعية الثقيلة قرية الحويز مع عدم وقوع ضحايا.", "ar"),
])
def test_nobody_befell_is_no_group(text: str, language: str) -> None:
    assert _groups(text, language) == []


@pytest.mark.parametrize("text,language,count", [
    ("On 12 May 2019, regime forces shelled the town of Kansafra in Idlib. Fatalities: 3.", "en", 3),
    ("قصفت قوات النظام بلدة كنصفرة في ريف إدلب يوم 12 أيار. القتلى: 2.", "ar", 2),
])
def test_toll_written_as_a_label(text: str, language: str, count: int) -> None:
    groups = _groups(text, language)
    assert _total(groups, "killed") == count


@pytest.mark.parametrize("text,language,detained", [
    ("Men of the Political Security branch stopped our bus at the Qutayfah checkpoint and arrested me.", "en", 1),
    ("At the Qutayfah checkpoint I was arrested by the Political Security branch along with two students.", "en", 3),
    ("داهمت دورية من أمن الدولة بيتنا في حي القابون واعتقلوني أنا وأخي.", "ar", 2),
])
def test_the_witness_is_one_detained_civilian(text: str, language: str, detained: int) -> None:
    groups = _groups(text, language)
    assert _total(groups, "detained") == detained
    assert _total(groups, "killed") == 0  # an arrest report invents no deaths
    assert all(kind == "civilian" for kind, outcome, _ in groups if outcome == "detained")


@pytest.mark.parametrize("text,language,expected", [
    ("An angry crowd in Jarablus beat a young man to death after accusing him of theft.", "en", "killed"),
    ("انهال عناصر من الحسبة بالضرب على رجل حتى الموت في ساحة مدينة الميادين.", "ar", "killed"),
    ("Hisba members flogged a shopkeeper in the main square of al-Mayadin for smoking.", "en", "injured"),
])
def test_a_beating_wounds_and_a_beating_to_death_kills(text: str, language: str, expected: str) -> None:
    groups = _groups(text, language)
    assert [(k, o, n) for k, o, n in groups] == [("civilian", expected, 1)]


@pytest.mark.parametrize("text,language,outcome,count", [
    ("Regime soldiers at the Kisweh checkpoint arrested my uncle and two cousins.", "en", "detained", 3),
    ("اعتقلت قوات النظام ابن عمي على حاجز الكسوة.", "ar", "detained", 1),
    ("قتل ثلاثة أطفال ووالدتهم بقصف مدفعي على بلدة حاس.", "ar", "killed", 4),
    ("Artillery shelling on Hass killed three children and their mother.", "en", "killed", 4),
])
def test_relatives_are_each_a_civilian(text: str, language: str, outcome: str, count: int) -> None:
    groups = _groups(text, language)
    assert _total(groups, outcome) == count
    assert {k for k, o, _ in groups if o == outcome} == {"civilian"}


@pytest.mark.parametrize("text,language,expected", [
    # a civil council's members carry no arms
    ("Unknown gunmen shot dead a member of the Manbij Civil Council outside his house.", "en", ("civilian", "killed", 1)),
    ("Asayish forces arrested three members of our council in al-Darbasiyah.", "en", ("civilian", "detained", 3)),
    # those a protest's dispersal fell on are civilians, even when only counted
    ("Security forces dispersed a sit-in in front of the courthouse in Salamiyah and arrested two.", "en",
     ("civilian", "detained", 2)),
    ("فرقت قوات الأمن وقفة احتجاجية في مدينة شهبا واعتقلت خمسة.", "ar", ("civilian", "detained", 5)),
])
def test_kind_from_the_body_and_the_occasion(text: str, language: str, expected: tuple[str, str, int]) -> None:
    assert expected in _all_groups(text, language)


@pytest.mark.parametrize("text,language", [
    ("In the Palmyra prison an interrogator raped her twice.", "en"),
    ("He and two of the jailers raped me in the branch.", "en"),
    ("A detainee held in Adra was subjected to sexual assault by guards, according to her relatives.", "en"),
])
def test_the_one_a_rape_fell_on_not_who_acted(text: str, language: str) -> None:
    assert _groups(text, language) == [("civilian", "other", 1)]


@pytest.mark.parametrize("text,language,expected", [
    # a reporting verb before its subject: the activists report, they are no victims
    ("وأكد ناشطون أن ثلاثة شبان قتلوا برصاص قوات الأمن في مدينة حمص.", "ar", [("civilian", "killed", 3)]),
    # a singular stem with a dual ending is two
    ("قتل مقاتلان من الفصيل بانفجار عبوة ناسفة في مدينة سرمدا.", "ar", [("combatant", "killed", 2)]),
    # "أمام" (in front of) is no imam
    ("أطلقت قوات الأمن الرصاص على المتظاهرين أمام مبنى المحافظة، ما أدى إلى مقتل شابين.", "ar", None),
])
def test_arabic_sources_and_numbers(text: str, language: str, expected: list | None) -> None:
    groups = _groups(text, language)
    if expected is not None:
        assert groups == expected
    assert all(n != 1 for _, _, n in groups)


@pytest.mark.parametrize("text,language,expected", [
    # the word before a toll noun says whose, the count before both counts it
    ("Russian jets struck the village of Kafr Sajna; local sources reported 6 civilian deaths.", "en",
     [("civilian", "killed", 6)]),
    # the count between "bodies of" and its noun counts the bodies
    ("Civil defence teams recovered the bodies of 9 people from a collapsed building in Jisr al-Shughur.", "en",
     [("civilian", "killed", 9)]),
    ("Villagers found a mass grave holding the remains of at least 30 people near Tabqa.", "en",
     [("civilian", "killed", 30)]),
    ("عثر الأهالي على جثث خمسة شبان مكبلي الأيدي قرب بلدة إنخل.", "ar", [("civilian", "killed", 5)]),
])
def test_toll_nouns_take_the_count_and_kind_of_their_words(text: str, language: str, expected: list) -> None:
    assert _groups(text, language) == expected


@pytest.mark.parametrize("text,language,expected", [
    # "led away" detains; supporters of a party are people
    ("وداهمت دورية من المخابرات بلدة تفتناز واقتادت ما لا يقل عن 12 شاباً إلى جهة مجهولة.", "ar",
     ("civilian", "detained", 12)),
    ("اعتقلت قوات الأسايش خمسة من أنصار حزب يكيتي في مدينة عامودا.", "ar", ("civilian", "detained", 5)),
    # a number after a label and a comma is a count, not the label's number
    ("Military police raided the camp's third section, 14 people detained.", "en", ("civilian", "detained", 14)),
])
def test_detained_groups(text: str, language: str, expected: tuple[str, str, int]) -> None:
    assert expected in _all_groups(text, language)


@pytest.mark.parametrize("text,language", [
    ("Police dispersed the vigil and arrested four participants, one of them a well-known lawyer.", "en"),
    ("فرقت قوات الأمن الوقفة الاحتجاجية واعتقلت أربعة من المشاركين، أحدهم محام معروف.", "ar"),
])
def test_one_of_them_is_already_counted(text: str, language: str) -> None:
    assert sum(n or 0 for _, o, n in _all_groups(text, language) if o == "detained") == 4


@pytest.mark.parametrize("text,language,expected", [
    # people in a shop or a street are civilians
    ("A hand grenade was thrown at a bakery in Nawa at dawn, injuring the owner and three customers.", "en",
     [("civilian", "injured", 1), ("civilian", "injured", 3)]),
    # a lost limb and a breathing difficulty are injuries
    ("An old mine exploded under a farmer near Tal Abyad this morning, and he lost his right leg.", "en",
     [("civilian", "injured", 1)]),
    ("Medics said 14 people suffered breathing difficulties after helicopters dropped chlorine barrels on Kafr Zita.",
     "en", [("civilian", "injured", 14)]),
    # mourning names the dead; the construct form "مقاتلي" is a fighter
    ("Drones struck a convoy near Maaret al-Numan; loyalist pages mourned 6 soldiers.", "en",
     [("combatant", "killed", 6)]),
    ("دارت اشتباكات بين قوات النظام وفصائل المعارضة قرب بلدة اللطامنة قتل خلالها خمسة من مقاتلي الفصائل.", "ar",
     [("combatant", "killed", 5)]),
    ("Regime shelling hit the hills around al-Waer, and medics counted 8 martyrs.", "en",
     [("unknown", "killed", 8)]),
])
def test_more_victim_words(text: str, language: str, expected: list) -> None:
    assert _groups(text, language) == expected


@pytest.mark.parametrize("text,language,expected", [
    # the dead of a strike on homes or a market are civilians when the sentence names no fighters
    ("قصف مدفعي عنيف على حي الوعر في حمص أدى إلى سقوط أربعة شهداء.", "ar", [("civilian", "killed", 4)]),
    ("A fighter jet fired missiles at a residential building in Jisr al-Shughur, killing 5.", "en",
     [("civilian", "killed", 5)]),
    # … but not when it names positions or a front: the kind stays unknown
    ("Regime shelling on rebel positions near the neighbourhood of Jobar killed 5.", "en", [("unknown", "killed", 5)]),
])
def test_kind_from_the_place_struck(text: str, language: str, expected: list) -> None:
    assert _groups(text, language) == expected


@pytest.mark.parametrize("text,language,outcome,count", [
    # counted members of an armed party named as an actor are victims, each conjunct with its count
    ("Opposition factions repelled the assault; at least 9 regime soldiers and 4 rebels were killed, sources said.",
     "en", "killed", 13),
    ("Tribal gunmen attacked SDF positions in Diban; sources put the toll at 5 SDF members and 3 tribal fighters killed.",
     "en", "killed", 8),
    # an Arabic dual with a possessive: "وطفلاه" are two
    ("قتل رجل وطفلاه بانفجار لغم أرضي قرب منزلهم في بلدة معدان.", "ar", "killed", 3),
    # a plural pronoun object is the group named before
    ("An angry crowd in al-Bab attacked a van carrying three men accused of stealing, injuring them.", "en",
     "injured", 3),
])
def test_counts_across_the_sentence(text: str, language: str, outcome: str, count: int) -> None:
    assert _total(_all_groups(text, language), outcome) == count


@pytest.mark.parametrize("text,language", [
    ("Residents of Azaz beat two men accused of kidnapping a child near the market.", "en"),
    ("أعدم عناصر التنظيم رجلاً بتهمة خطف الأطفال في ساحة مدينة الميادين.", "ar"),
])
def test_a_charge_is_nothing_that_befell(text: str, language: str) -> None:
    assert all(o != "abducted" for _, o, _ in _all_groups(text, language))


@pytest.mark.parametrize("text,language,count", [
    ("Helicopters dropped chlorine barrels on Talmenes. A family of five - parents and three children - died of suffocation.",
     "en", 5),
    ("A displaced family of seven was killed when a shell hit their tent near Atmeh.", "en", 7),
    ("أدى القصف إلى مقتل عائلة كاملة مؤلفة من ستة أفراد، بينهم أربعة أطفال، في بلدة كفرنبل.", "ar", 6),
])
def test_a_family_of_n_is_n_people(text: str, language: str, count: int) -> None:
    assert _total(_all_groups(text, language), "killed") == count


@pytest.mark.parametrize("text,language,expected", [
    ("Masked gunmen killed him outside his shop in Jasim in May 2019.", "en", [("civilian", "killed", 1)]),
    ("أوقفت دورية من الأمن العسكري الحافلة عند حاجز القطيفة واعتقلوه أمام الركاب.", "ar", [("civilian", "detained", 1)]),
])
def test_a_pronoun_object_is_one_person(text: str, language: str, expected: list) -> None:
    assert _all_groups(text, language) == expected


@pytest.mark.parametrize("text,language,expected", [
    ("Helicopters dropped chlorine barrels on Kafr Zita; medics received 17 cases of suffocation.", "en",
     [("civilian", "injured", 17)]),
    ("لقي مزارع في الخمسين من عمره حتفه جراء انفجار لغم أرضي قرب قرية معدان.", "ar", [("civilian", "killed", 1)]),
    ("قتل حارسان في قصف تركي على محطة لضخ المياه قرب بلدة تل تمر.", "ar", [("unknown", "killed", 2)]),
    # a square, a cemetery, a brigade named after martyrs names nobody
    ("Regime helicopters dropped barrels near the Martyrs' Square in Douma.", "en", []),
])
def test_cases_guards_and_names(text: str, language: str, expected: list) -> None:
    assert _all_groups(text, language) == expected


def test_the_witness_beside_a_named_relative() -> None:
    groups = _all_groups("Political Security men arrested my uncle and me at the Sasa checkpoint in May 2014.", "en")
    assert _total(groups, "detained") == 2


@pytest.mark.parametrize("text,language", [
    ("Two members of a kidnapping gang were detained during a security operation in Jaramana.", "en"),
    ("اعتقلت قوى الأمن الداخلي ثلاثة عناصر من عصابة خطف في مدينة السويداء.", "ar"),
])
def test_gang_members_are_no_combatants(text: str, language: str) -> None:
    groups = [g for g in _all_groups(text, language) if g[1] == "detained"]
    assert groups and all(kind == "unknown" for kind, _, _ in groups)
