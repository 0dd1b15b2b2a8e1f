"""First-person testimony: the witness as a victim (hooded, driven off, "the three of us"), the perpetrators
named after the act ("they are from X", "وكانوا عناصر من X", also in the next sentence), the setting named once
in the introduction, a year closing a sentence, and a pick-up truck that is no month. English and Arabic; the
sentences are written for these tests."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.domain import Incident
from tawthiq.extract.dates import find_dates
from tawthiq.extract.engine import RuleExtractor
from tawthiq.extract.segment import sentences


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


def extract(rules: RuleExtractor, text: str, language: str) -> list[Incident]:
    return rules.extract(text, language=language, published=date(2017, 9, 1))


def held(incident: Incident) -> list[tuple[str, int | None]]:
    return [(v.kind.value, v.count_min) for v in incident.victims if v.outcome.value in ("detained", "abducted")]


@pytest.mark.parametrize(("text", "language"), [
    ("On 12 June 2015 two men from Political Security put a hood over my head at the Sheikh Najjar crossing "
     "and drove me to the branch.", "en"),
    ("في 9 نيسان 2014 داهمت دورية من الأمن العسكري بيتنا في جبلة وكلبشوني وساقوني عالفرع.", "ar"),
])
def test_the_witness_hooded_or_driven_off_is_one_civilian_held(rules: RuleExtractor, text: str,
                                                                 language: str) -> None:
    incidents = extract(rules, text, language)
    assert [i.event_type for i in incidents] == ["arrests"]
    assert held(incidents[0]) == [("civilian", 1)]


@pytest.mark.parametrize(("text", "language", "count"), [
    ("On 2 May 2013 a soldier of the Fourth Division at the crossing in Aleppo read my name and my cousin's "
     "name and arrested the two of us.", "en", 2),
    ("في 3 أيار 2014 اعتقلونا نحن الثلاثة على حاجز في مدينة حمص.", "ar", 3),
])
def test_the_witness_counts_those_held_with_them(rules: RuleExtractor, text: str, language: str, count: int) -> None:
    incidents = extract(rules, text, language)
    assert held(incidents[0]) == [("civilian", count)]


def test_perpetrators_named_after_the_act_in_the_same_sentence_arabic(rules: RuleExtractor) -> None:
    text = "اعتقلوني على الحاجز أنا وأخي سامر في بلدة كفرنبل في 4 آذار 2014، وكانوا عناصر من المخابرات الجوية."
    (incident,) = extract(rules, text, "ar")
    assert [p.actor for p in incident.perpetrators] == ["syrian-government"]
    assert sum(n or 0 for _, n in held(incident)) == 2


def test_perpetrators_identified_in_the_next_sentence_english(rules: RuleExtractor) -> None:
    text = ("My father was taken from our shop in Azaz on 4 May 2016. Five armed men came at night; "
            "I knew two of them, they are from the Sultan Murad Division.")
    incidents = extract(rules, text, "en")
    assert len(incidents) == 1
    assert [p.actor for p in incidents[0].perpetrators] == ["armed-opposition"]
    # taken by an armed group: an abduction, not an arrest
    assert incidents[0].event_type == "abduction-forced-disappearance"
    assert [(v.outcome.value, v.count_min) for v in incidents[0].victims] == [("abducted", 1)]


def test_a_next_sentence_naming_no_one_by_a_plain_marker_adds_no_perpetrator(rules: RuleExtractor) -> None:
    text = ("My father was taken from our shop in Azaz on 4 May 2016. Later we heard the Sultan Murad Division "
            "had opened an office in the town.")
    incidents = extract(rules, text, "en")
    assert incidents and incidents[0].perpetrators == []


@pytest.mark.parametrize(("text", "language", "place"), [
    ("Testimony of Abu Ahmad, a baker from Saraqib:\n\nIt was early in the morning. On 3 March 2015 a "
     "helicopter dropped a barrel bomb on the bakery next to our house.", "en", "Saraqib"),
    ("تروي أم سمير، من مدينة الميادين، ما جرى:\n\n\"في 5 آذار 2015 اعتقلوا ابني من قدام البيت، وكانوا عناصر "
     "من الحسبة.\"", "ar", "Mayadin"),
])
def test_the_setting_named_in_the_introduction_places_the_act(rules: RuleExtractor, text: str, language: str,
                                                              place: str) -> None:
    incidents = extract(rules, text, language)
    assert incidents and incidents[0].location is not None
    assert place.lower() in incidents[0].location.name.lower()


def test_no_place_is_invented_when_the_report_names_none(rules: RuleExtractor) -> None:
    (incident,) = extract(rules, "On 3 March 2015 they arrested me at the checkpoint.", "en")
    assert incident.location is None


def test_a_year_closes_its_sentence_but_a_list_number_does_not() -> None:
    text = "He was taken on 4 May 2016. Five men came. See point 3. Then they left."
    parts = [text[s.start:s.end] for s in sentences(text)]
    assert parts[:2] == ["He was taken on 4 May 2016.", "Five men came."]
    assert "See point 3. Then they left." in parts


def test_a_pick_up_truck_is_no_month() -> None:
    found = find_dates("رمونا بسيارة بيك آب ومشيت فينا.", language="ar", published=date(2014, 3, 10))
    assert found == []
    found = find_dates("قصفوا البلدة في شهر آب.", language="ar", published=date(2014, 3, 10))
    assert [d.edtf for d in found] == ["2013-08"]


def test_a_plural_verb_goes_on_about_the_members_named_before(rules: RuleExtractor) -> None:
    text = ("بشهر أيلول 2019 إجا عناصر من فرقة الحمزة على بيتنا بجنديرس وقالوا بدنا الأرض. "
            "بعد يومين سرقوا المحصول كلو من المستودع.")
    incidents = [i for i in extract(rules, text, "ar") if i.event_type == "looting-property-destruction"]
    assert incidents and [p.actor for p in incidents[0].perpetrators] == ["armed-opposition"]


def test_a_noun_ending_like_a_plural_verb_borrows_no_perpetrator(rules: RuleExtractor) -> None:
    text = ("🔴 الميدان: حملة اعتقالات تطال خمسة شبان صباح اليوم من قبل عناصر الأمن السياسي.\n"
            "🔴 القدم: انفجار عبوة ناسفة بسيارة قرب دوار البلدة دون معرفة الجهة المنفذة.")
    blast = [i for i in extract(rules, text, "ar") if i.event_type == "remote-explosive-landmine-ied"]
    assert blast and "syrian-government" not in [p.actor for p in blast[0].perpetrators]


def test_a_witness_says_when_it_was_two_sentences_on_and_the_next_act_counts_from_it(rules: RuleExtractor) -> None:
    text = ("\"سمعنا صوت الطيارة، والبرميل نزل عالسوق اللي جنب بيتنا بحي الشعار بحلب.\n"
            "طلع جارنا من تحت الردم، وكان الغبار مالي الحارة.\n"
            "كان هاد بتاريخ 11 آذار. بعدها بيومين اعتقلوا ابن عمي عالحاجز تبع الأمن العسكري.\"")
    incidents = rules.extract(text, language="ar", published=date(2014, 3, 20))
    by_type = {i.event_type: i for i in incidents}
    assert by_type["air-drone-strike"].date is not None and by_type["air-drone-strike"].date.edtf == "2014-03-11"
    assert by_type["arrests"].date is not None and by_type["arrests"].date.edtf == "2014-03-13"


@pytest.mark.parametrize(("gang", "actor"), [("a kidnapping gang", "other"), ("an armed gang", "unknown")])
def test_a_kidnapping_gang_is_another_actor_an_armed_gang_an_unidentified_one(rules: RuleExtractor, gang: str,
                                                                               actor: str) -> None:
    text = f"A trader was kidnapped on Sunday on the road near Shahba by {gang} that demanded a ransom."
    (incident,) = extract(rules, text, "en")
    assert [p.actor for p in incident.perpetrators] == [actor]


def test_a_state_guaranteeing_an_agreement_is_a_party_to_it(rules: RuleExtractor) -> None:
    text = ("Under Russian guarantee, the town's committee signed an agreement with the regime's delegation "
            "in Talbiseh yesterday.")
    agreements = [i for i in extract(rules, text, "en") if i.event_type == "agreement"]
    assert agreements and {"russia", "syrian-government"} <= {p.actor for p in agreements[0].perpetrators}


def test_a_statement_condemning_an_assault_on_a_protest_then_telling_it_is_one_act(rules: RuleExtractor) -> None:
    text = ("The Local Council of Atarib condemns the assault carried out on Friday by members of the General "
            "Security Service of Hayat Tahrir al-Sham against the peaceful demonstration in the main square. "
            "Masked men beat the protesters with sticks and detained three young men.")
    incidents = extract(rules, text, "en")
    assert [i.event_type for i in incidents] == ["protest-with-intervention"]
    assert [p.actor for p in incidents[0].perpetrators] == ["hts"]
    assert held(incidents[0]) == [("civilian", 3)]


def test_protests_in_two_towns_stay_two(rules: RuleExtractor) -> None:
    text = ("Hundreds demonstrated in Atarib on Friday against the high prices. "
            "In Daret Azza, protesters gathered in front of the council building.")
    assert len([i for i in extract(rules, text, "en") if i.event_type == "peaceful-protest"]) == 2


def test_a_follow_up_at_the_same_place_joins_the_act_and_another_place_does_not(rules: RuleExtractor) -> None:
    same = ("Regime artillery shelled Kafr Nabl on Monday, killing two civilians. "
            "The shells also hit houses in Kafr Nabl near the bakery.")
    assert len(extract(rules, same, "en")) == 1
    other = ("Regime artillery shelled Kafr Nabl on Monday, killing two civilians. "
             "The shells also hit houses in Hass near the bakery.")
    assert len(extract(rules, other, "en")) == 2


def test_the_setting_is_the_first_town_named_not_a_door_told_later(rules: RuleExtractor) -> None:
    text = ("تحكي أم خالد، من مدينة الميادين، ما جرى:\n\n"
            "\"بأول أيار 2015 دقوا علينا الباب بالليل.\n\n"
            "اعتقلوا زوجي من قدام عيوني وما رجع.\"")
    arrests = [i for i in extract(rules, text, "ar") if i.event_type in ("arrests", "abduction-forced-disappearance")]
    assert arrests and arrests[0].location is not None and "mayadin" in arrests[0].location.name.lower()
