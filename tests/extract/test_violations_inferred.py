"""Violations implied by an act and its victims: a bomb set off among people is an indiscriminate attack (an old
mine is not), a chemical agent is a prohibited weapon whatever word named the act, a title's toll makes the
body's act a killing, civilian infrastructure is a protected object, an evacuation deal that moves civilians
displaces them, goods carried off are pillage, a mass grave or a killing "on a charge" is an execution, a
blasphemy accusation is persecution, shells on homes are indiscriminate. English and Arabic; the sentences are
written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def violations(rules: RuleExtractor, text: str, language: str) -> list[list[str]]:
    return [list(i.violations) for i in rules.extract(text, language=language, published=date(2019, 3, 9))]


def only(rules: RuleExtractor, text: str, language: str) -> list[str]:
    found = violations(rules, text, language)
    assert len(found) == 1, found
    return found[0]


# -- bombs: among people they strike without aim; an old mine does not ------------

@pytest.mark.parametrize("text, language", [
    ("A car bomb exploded on Thursday evening in a shopping street of Azaz, wounding eleven civilians.", "en"),
    ("A suicide bomber blew himself up on Friday at a restaurant in Qamishli, killing six civilians.", "en"),
    ("أصيب سبعة مدنيين بانفجار سيارة مفخخة مساء الخميس في الشارع الرئيسي لمدينة الباب.", "ar"),
])
def test_a_bomb_that_harmed_civilians_is_indiscriminate(rules: RuleExtractor, text: str, language: str) -> None:
    assert "indiscriminate-attack" in only(rules, text, language)


@pytest.mark.parametrize("text, language", [
    ("Two shepherds were killed on Sunday when a landmine left over from the war exploded near Tal Abyad.", "en"),
])
def test_an_old_mine_is_no_attack(rules: RuleExtractor, text: str, language: str) -> None:
    found = only(rules, text, language)
    assert "indiscriminate-attack" not in found
    assert "killing" in found


@pytest.mark.parametrize("text, language", [
    ("A bomber detonated his explosive vest at the crowded bus station of Jableh on Monday morning.", "en"),
    ("فجّر انتحاري نفسه صباح الاثنين بين المنتظرين في كراج مدينة جبلة.", "ar"),
])
def test_a_bomb_among_a_crowd_is_indiscriminate_without_a_toll(rules: RuleExtractor, text: str,
                                                                language: str) -> None:
    assert "indiscriminate-attack" in only(rules, text, language)


# -- a chemical agent, whatever word named the act ---------------------------------

@pytest.mark.parametrize("text, language", [
    ("Rockets fired by regime forces hit the eastern quarter of Kafr Batna at dawn, and dozens of residents "
     "showed symptoms of suffocation.", "en"),
    ("سقطت صواريخ أطلقتها قوات النظام على بلدة كفربطنا فجراً، وسُجّلت عشرات حالات الاختناق بين السكان.", "ar"),
])
def test_a_chemical_attack_is_a_prohibited_weapon(rules: RuleExtractor, text: str, language: str) -> None:
    found = violations(rules, text, language)
    assert any("prohibited-weapons" in v for v in found), found


# -- a title's toll ------------------------------------------------------------------

def test_a_title_toll_makes_the_act_a_killing(rules: RuleExtractor) -> None:
    text = ("MAYADIN — A car bomb and a suicide attack killed at least 14 people on Sunday in the town of al-Mayadin, "
            "east of Deir ez-Zor.\nA car packed with explosives blew up near the livestock market. When people "
            "gathered, a man wearing an explosive belt walked towards them and blew himself up.\n"
            "No group has claimed the attacks.")
    bombing = [i for i in rules.extract(text, language="en", published=date(2019, 3, 9))
               if i.event_type == "suicide-bomb"]
    assert len(bombing) == 1 and bombing[0].victims
    assert "killing" in bombing[0].violations


# -- protected objects: civilian infrastructure --------------------------------------

@pytest.mark.parametrize("text, language", [
    ("Turkish warplanes struck the power station of Tal Tamr on Sunday, cutting electricity to the town.", "en"),
    ("Israeli missiles hit the runway of Aleppo International Airport on Tuesday night, halting all flights.", "en"),
    ("استهدفت غارة جوية روسية النقطة الطبية في بلدة كفرنبل، ما أدى إلى خروجها عن الخدمة.", "ar"),
    ("قصفت طائرات حربية تركية محطة عامودا لتوليد الكهرباء، ما أدى إلى انقطاع التيار عن المدينة.", "ar"),
])
def test_civilian_infrastructure_is_protected(rules: RuleExtractor, text: str, language: str) -> None:
    assert "attack-on-protected-objects" in only(rules, text, language)


def test_the_clinic_the_wounded_reached_was_not_hit(rules: RuleExtractor) -> None:
    text = ("وبحسب الكوادر الطبية في النقاط الطبية المزدحمة، فإن بلدة حزة تلقت قذائف عدة أطلقتها قوات النظام.")
    assert all("attack-on-protected-objects" not in v for v in violations(rules, text, "ar"))


# -- evacuation deals ---------------------------------------------------------------

@pytest.mark.parametrize("text, language", [
    ("The local committee signed an agreement with the government side on Tuesday providing for the exit of "
     "the fighters and of the civilians who wish to leave towards Idlib.", "en"),
    ("توصلت اللجنة المحلية إلى اتفاق مع الجانب الروسي يقضي بخروج المقاتلين وعائلاتهم والمدنيين الراغبين "
     "من البلدة نحو الشمال السوري.", "ar"),
])
def test_a_deal_that_moves_civilians_out_displaces_them(rules: RuleExtractor, text: str, language: str) -> None:
    assert "forced-displacement" in only(rules, text, language)


# -- who the victims are is not what was done to them ----------------------------------

def test_displaced_people_are_not_a_displacement_and_goods_carried_off_are_pillage(rules: RuleExtractor) -> None:
    text = ("On Wednesday a crowd of displaced people stormed an aid depot near the Atmeh camp and carried off "
            "sacks of rice and sugar.")
    found = violations(rules, text, "en")
    assert found and all("forced-displacement" not in v for v in found), found
    assert any("pillage" in v for v in found), found


def test_driving_out_an_armed_group_is_no_displacement(rules: RuleExtractor) -> None:
    text = ("عثرت فرق الدفاع المدني أمس على مقبرة جماعية في أطراف مدينة الطبقة، تضم رفات عشرات الأشخاص، "
            "وهي الثالثة منذ طرد تنظيم داعش من المدينة.")
    found = violations(rules, text, "ar")
    assert found and all("forced-displacement" not in v for v in found), found
    assert any("execution" in v for v in found), found


# -- executions ----------------------------------------------------------------------

@pytest.mark.parametrize("text, language", [
    ("Rescue teams uncovered a mass grave holding the remains of some forty people on the outskirts of Tabqa.", "en"),
    ("قال شاهد إن عناصر التنظيم قتلوا رجلاً رمياً بالرصاص في ساحة البلدة بتهمة الردة.", "ar"),
])
def test_a_mass_grave_or_a_killing_on_a_charge_is_an_execution(rules: RuleExtractor, text: str,
                                                               language: str) -> None:
    found = violations(rules, text, language)
    assert any("execution" in v for v in found), found


# -- persecution ------------------------------------------------------------------------

def test_a_blasphemy_accusation_is_persecution(rules: RuleExtractor) -> None:
    text = ("In Binnish, a mob attacked a shopkeeper accused of insulting the Prophet, beating him in front of "
            "his shop on Friday.")
    found = violations(rules, text, "en")
    assert any("persecution" in v for v in found), found


# -- shells on homes -------------------------------------------------------------------

@pytest.mark.parametrize("text, language", [
    ("Government artillery shelled the village of Kafr Hamra with dozens of shells, setting fire to houses; "
     "no one was hurt.", "en"),
    ("قصفت مدفعية النظام الأحياء السكنية في بلدة الهبيط بعشرات القذائف دون تسجيل إصابات.", "ar"),
])
def test_shells_on_homes_are_indiscriminate(rules: RuleExtractor, text: str, language: str) -> None:
    assert "indiscriminate-attack" in only(rules, text, language)
