"""False incidents: a source's account of an act already told ("the ministry said its air defences …",
"فيما قالت موسكو إن …"), a state that lasts ("the town remains besieged", "ولا تزال الألغام …"), and a
report's own tallies (anniversaries, "38 of these deaths", thousands of strikes recorded) are no new
incident; an act dated inside a state sentence, and a second act at another place, still are. English and
Arabic; the sentences are written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def extract(rules: RuleExtractor, text: str, language: str):
    return rules.extract(text, language=language, published=date(2019, 3, 12))


def types(rules: RuleExtractor, text: str, language: str) -> list[str]:
    return [i.event_type for i in extract(rules, text, language)]


# -- a source retells the act just told -----------------------------------

@pytest.mark.parametrize("text, language", [
    ("Israeli warplanes struck an arms depot near Masyaf airport on Monday night. "
     "The defence ministry in Damascus said its air defences intercepted most of the missiles.", "en"),
    ("قصفت طائرات إسرائيلية مستودعاً للذخيرة قرب مطار مصياف ليل الاثنين. "
     "ونقلت وسائل إعلام رسمية عن مصدر عسكري أن الدفاعات الجوية تصدت لمعظم الصواريخ.", "ar"),
])
def test_air_defences_claim_is_part_of_the_strike(rules: RuleExtractor, text: str, language: str) -> None:
    found = extract(rules, text, language)
    assert [i.event_type for i in found] == ["air-drone-strike"]
    assert len(found[0].evidence) == 2  # the claim is kept as the strike's evidence


@pytest.mark.parametrize("text, language", [
    ("A car bomb exploded near the vegetable market in Azaz on Friday morning. "
     "Doctors at the town hospital spoke of at least 17 dead.", "en"),
    ("انفجرت سيارة مفخخة قرب سوق الخضار في مدينة اعزاز صباح الجمعة. "
     "ويقول أطباء في مشفى المدينة إن 17 شخصاً على الأقل قتلوا.", "ar"),
])
def test_a_source_giving_the_toll_is_the_toll_of_the_act(rules: RuleExtractor, text: str, language: str) -> None:
    found = extract(rules, text, language)
    assert [i.event_type for i in found] == ["remote-explosive-landmine-ied"]
    assert any(v.count_min == 17 for v in found[0].victims)


@pytest.mark.parametrize("text, language", [
    ("Regime helicopters dropped barrel bombs on Kafr Zita on Sunday. "
     "Moscow said that Syrian jets struck a rebel weapons store in the town.", "en"),
    ("ألقت مروحيات النظام براميل متفجرة على بلدة كفرزيتا يوم الأحد. "
     "فيما قالت موسكو إن الطيران السوري استهدف مستودعاً للسلاح في البلدة.", "ar"),
])
def test_a_side_retelling_the_strike_is_no_second_strike(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == ["air-drone-strike"]


@pytest.mark.parametrize("text, language", [
    ("Regime forces arrested four young men at a checkpoint in Jableh on Monday. "
     "Activists said that regime forces also arrested three teachers in Baniyas.", "en"),
    ("اعتقلت قوات النظام أربعة شبان على حاجز في مدينة جبلة يوم الاثنين. "
     "وقال ناشطون إن قوات النظام اعتقلت ثلاثة معلمين في مدينة بانياس.", "ar"),
])
def test_a_source_telling_an_act_elsewhere_tells_a_new_act(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == ["arrests", "arrests"]


# -- a state, not an act --------------------------------------------------

@pytest.mark.parametrize("text, language", [
    ("Half of the old town remains besieged by government forces and their militias.", "en"),
    ("ولا تزال الألغام التي زرعها التنظيم منتشرة في حقول القرية.", "ar"),
    ("The shelling of the camp continued for the fifth consecutive day.", "en"),
])
def test_a_lasting_state_is_no_incident(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == []


@pytest.mark.parametrize("text, language", [
    ("ولا تزال أحياء المدينة القديمة تتعرض لقصف شبه يومي، إذ سقطت صباح أمس الاثنين عشر قذائف هاون "
     "على حي الميدان، ما أدى إلى مقتل امرأة.", "ar"),
])
def test_an_act_dated_inside_a_state_sentence_stands(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == ["shelling-artillery-missile-attack"]


# -- a report's own tallies and anniversaries -----------------------------

@pytest.mark.parametrize("text, language", [
    ("Government forces were responsible for 41 of these deaths, and Russian forces for 9.", "en"),
    ("Over 2,500 air strikes by government and Russian jets were recorded in the province.", "en"),
    ("Mines and remnants of war killed 212 civilians between 2015 and the end of 2018.", "en"),
    ("خمس سنوات على مجزرة الحولة...", "ar"),
    ("وتعرض أكثر من نصف المدارس في المحافظة للقصف خلال العقد الماضي.", "ar"),
])
def test_tallies_and_anniversaries_are_no_incident(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == []


@pytest.mark.parametrize("text, language", [
    ("Government forces were responsible for 30 of these deaths, while 12 civilians were killed by landmines.", "en"),
    ("The truce comes after months of shelling on the southern villages.", "en"),
    ("The rescue teams have so far recovered the bodies of 19 people from the ruins.", "en"),
    ("The human rights body has since attributed three other gas attacks to the air force.", "en"),
    ("After hundreds of thousands of deaths, the people of Syria still demand justice.", "en"),
    ("Defending the right to peaceful protest is our duty.", "en"),
    ("We hold the occupying forces responsible for the displacement of the people of the valley.", "en"),
    ("ويأتي ذلك في ظل القصف المتواصل على قرى جبل الزاوية.", "ar"),
])
def test_framing_and_running_totals_are_no_incident(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == []


@pytest.mark.parametrize("text, language", [
    ("An air strike hit a bakery in Ariha on Tuesday morning, killing six civilians. "
     "Civil defence volunteers said eleven bodies were recovered from under the rubble.", "en"),
    ("استهدفت غارة جوية مخبزاً في مدينة أريحا صباح الثلاثاء، ما أدى إلى مقتل ستة مدنيين. "
     "وقال متطوعو الدفاع المدني إن فرقهم انتشلت إحدى عشرة جثة من تحت الأنقاض.", "ar"),
])
def test_bodies_a_source_counts_after_a_strike_are_its_toll(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == ["air-drone-strike"]


@pytest.mark.parametrize("text, language", [
    ("نحمّل الفصيل مسؤولية الهجوم الذي شنه فجر اليوم على مواقعنا في بلدة كفرنوران، حيث دارت اشتباكات "
     "أسفرت عن مقتل ثلاثة من مقاتلينا.", "ar"),
])
def test_holding_responsible_for_an_act_told_here_keeps_it(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) != []


@pytest.mark.parametrize("text, language", [
    ("As the siege of the eastern districts enters its fourth month, food prices keep rising.", "en"),
    ("مع دخول حملة القصف على ريف حماة شهرها الثاني، تتضاعف معاناة النازحين في المخيمات.", "ar"),
])
def test_a_campaign_entering_its_nth_month_is_no_incident(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == []


@pytest.mark.parametrize("text, language", [
    ("A roadside bomb struck a bus on the Sarmada road on Thursday, killing three passengers. "
     "No group has claimed the bombing so far, although cells of ISIS have carried out bombings in the area.", "en"),
    ("انفجرت عبوة ناسفة بحافلة على طريق سرمدا يوم الخميس، ما أدى إلى مقتل ثلاثة ركاب. "
     "ولم تتبنَّ أي جهة التفجير حتى الآن.", "ar"),
])
def test_nobody_claiming_the_act_is_no_second_act(rules: RuleExtractor, text: str, language: str) -> None:
    assert types(rules, text, language) == ["remote-explosive-landmine-ied"]
