"""Perpetrators read from the role of each named party: a force going along with the subject, the side the
fire came from, the owner of a vehicle that was hit, soldiers named as a verb's object, a faction named in a
quote after "control of", armed gangs and local fighters. Sentences written for this test."""
from __future__ import annotations

import pytest

from tawthiq.extract.engine import RuleExtractor

_X = RuleExtractor()


def _actors(text: str, language: str) -> set[str]:
    incidents = _X.extract(text, language=language)
    assert incidents, text
    return {p.actor for p in incidents[0].perpetrators}


@pytest.mark.parametrize("text,language,expected", [
    # a force accompanying the subject acted with it; it does not replace it
    ("On Sunday, regime troops entered the town of Nawa, accompanied by Russian military police, "
     "and set up four checkpoints at its entrances.", "en", {"syrian-government", "russia"}),
    ("Yesterday SDF fighters stormed the village of Ghranij, escorted by coalition forces, and arrested five men.",
     "en", {"sdf", "coalition"}),
    # the side the fire came from fired it
    ("In Tal Rifaat, artillery stationed in the regime-held Nubl area shelled farmland overnight, "
     "wounding two farmers.", "en", {"syrian-government"}),
    ("سقطت أربعة صواريخ على بلدة حزة أُطلقت من مواقع الفوج 41 التابع لقوات النظام، ما أدى إلى إصابة طفلين.",
     "ar", {"syrian-government"}),
])
def test_companion_and_origin_are_agents(text: str, language: str, expected: set[str]) -> None:
    assert _actors(text, language) == expected


@pytest.mark.parametrize("text,language", [
    # the owner of the vehicle hit is the target; nobody claimed the bomb
    ("A roadside bomb exploded near Tafas on Monday as a military vehicle belonging to the regime's "
     "Fifth Corps drove by, killing one soldier.", "en"),
    # soldiers named as a verb's object suffered it, even with a demonym
    ("A car bomb exploded at the entrance of Jarablus on Friday, wounding several Turkish soldiers.", "en"),
    # the faction said to control the town, named in quotes, is no author of a car bomb
    ("انفجرت صباح الخميس سيارة مفخخة في السوق الرئيسي لمدينة الباب الخاضعة لسيطرة فصائل \"الجيش الوطني\"، "
     "ما أدى إلى مقتل أربعة مدنيين.", "ar"),
    # an armed gang of no named party is unidentified
    ("خُطف طبيب من أبناء مدينة شهبا على طريق المطار على يد عصابة مسلحة طالبت بفدية.", "ar"),
])
def test_target_or_unnamed_is_unknown(text: str, language: str) -> None:
    assert _actors(text, language) == {"unknown"}


def test_cooperating_with_is_no_affiliation() -> None:
    # "cooperating with X" holds "operating with" but does not make X the owner of the aircraft
    text = ("Israeli army drones dropped leaflets over the village of Hader warning residents against "
            "cooperating with Hezbollah.")
    assert _actors(text, "en") == {"israel"}


def test_in_response_to_names_the_other_side() -> None:
    # "رداً على تقدم X": the act answers X's move, X did not do it
    text = "أعلن فصيل جيش الإسلام حلّ ثلاث من كتائبه ودمجها في تشكيل جديد رداً على تقدم هيئة تحرير الشام."
    assert "hts" not in _actors(text, "ar")


def test_local_fighters_are_a_party_to_the_clash() -> None:
    text = ("اندلعت اشتباكات بين مسلحين محليين من أبناء بلدة طفس وعناصر حاجز تابع للمخابرات الجوية عند "
            "مدخل البلدة صباح اليوم.")
    assert _actors(text, "ar") == {"syrian-government", "other"}


def test_who_planted_a_device_did_not_defuse_it() -> None:
    text = ("On Monday, an engineering unit of the Syrian Democratic Forces defused an IED planted by ISIS "
            "near the Tabqa dam road.")
    assert _actors(text, "en") == {"sdf"}


def test_an_accuser_near_a_claim_claimed_nothing() -> None:
    # the blast in the first line was claimed by nobody; the next line's accuser is no claimer of it
    text = ("حلب: قُتل عنصران من قوات النظام بانفجار عبوة ناسفة استهدفت سيارتهما قرب بلدة خناصر.\n"
            "الرقة: احترقت عشرات الدونمات من حقول الشعير، وتتهم الإدارة الذاتية خلايا تابعة لتنظيم داعش بإحراقها، "
            "بعدما تبنى التنظيم حرق المحاصيل.")
    assert _actors(text, "ar") == {"unknown"}


def test_a_force_under_air_cover_still_took_the_town() -> None:
    # "تحت غطاء من 80 غارة للطيران الروسي": the air force backed the take-over; the ground force made it,
    # and the rebels whose stronghold it was lost it
    text = ("قوات النظام تسيطر على بلدة كباني، أبرز معاقل الثوار في جبل الأكراد، تحت غطاء من 80 غارة "
            "للطيران الروسي خلال يومين.")
    actors = _actors(text, "ar")
    assert "syrian-government" in actors and "armed-opposition" not in actors


def test_bare_factions_fired_the_shell() -> None:
    text = "دمشق: أُصيب ثلاثة مدنيين بقذيفة هاون أطلقتها فصائل القلمون على حي ركن الدين."
    assert _actors(text, "ar") == {"armed-opposition"}


def test_an_aircraft_named_by_model_still_belongs_to_its_force() -> None:
    text = "ألقت طائرة حربية من طراز ميراج 5 تابعة لقوات النظام صباح اليوم قنابل على بلدة التمانعة."
    assert _actors(text, "ar") == {"syrian-government"}


@pytest.mark.parametrize("text,language", [
    ("After weeks of talks under Turkish guarantee, the local council signed an agreement with the regime's "
     "delegation on Sunday providing for a ceasefire.", "en"),
    ("توصّل المجلس المحلي أمس إلى اتفاق مع وفد النظام برعاية تركية يقضي بخروج المقاتلين إلى الشمال.", "ar"),
])
def test_a_guarantor_state_is_a_party_to_the_deal(text: str, language: str) -> None:
    actors = _actors(text, language)
    assert {"turkey", "syrian-government"} <= actors


@pytest.mark.parametrize("text,language,expected", [
    # who launched the drones did not shoot them down; the statement's "we" (its issuer, named in the heading) did
    ("القيادة العامة للجيش والقوات المسلحة\nبيان صادر عن القيادة العامة\nتمكنت وسائط دفاعنا الجوي مساء اليوم من "
     "إسقاط أربع طائرات مسيرة أطلقها الإرهابيون باتجاه مواقعنا في ريف اللاذقية.", "ar", {"syrian-government"}),
    ("فككت مجموعة محلية في بلدة المزيريب عبوة ناسفة مزروعة قرب المدرسة قبل انفجارها.", "ar", {"other"}),
])
def test_who_made_a_device_safe(text: str, language: str, expected: set[str]) -> None:
    assert _actors(text, language) == expected


def test_the_militants_are_the_group_named_before() -> None:
    text = ("ISIS militants attacked the village of Tal Shaer at dawn on Friday. Before withdrawing, the militants "
            "kidnapped 12 shepherds from the village.")
    incidents = _X.extract(text, language="en")
    assert incidents and all(p.actor == "isis" for i in incidents for p in i.perpetrators), \
        [(i.event_type, [p.actor for p in i.perpetrators]) for i in incidents]


def test_indefinite_gunmen_stay_unknown() -> None:
    text = ("ISIS claimed an attack on an army post near Sukhnah on Monday. On Tuesday, gunmen kidnapped a "
            "teacher in Palmyra.")
    incidents = _X.extract(text, language="en")
    kidnap = [i for i in incidents if "teacher" in i.evidence[0].quote]
    assert kidnap and {p.actor for p in kidnap[0].perpetrators} == {"unknown"}
