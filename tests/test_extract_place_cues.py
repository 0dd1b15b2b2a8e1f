"""Place cues of issue 14 (location): hashtag spellings, a section label beside a place someone is taken
from, "near X town in <governorate>", a Syrian village named like a foreign town, and towns a protest
stands in solidarity with. Sentences are written for these tests, in English and Arabic."""
from __future__ import annotations

import pytest

from tawthiq.domain.enums import LocationPrecision as P
from tawthiq.extract.engine import RuleExtractor
from tawthiq.extract.places import find_places

_X = RuleExtractor()


def _location(text: str, lang: str):  # noqa: ANN202 - a test helper
    incidents = _X.extract(text, language=lang)
    assert len(incidents) == 1, [i.location for i in incidents]
    assert incidents[0].location is not None
    return incidents[0].location


@pytest.mark.parametrize(("text", "lang", "name"), [
    ("#Idlib | Regime artillery shelled the village of #Jub_Zarzur at noon, wounding two farmers.",
     "en", "Jub Zarzur"),
    ("#حماة | قصفت قوات النظام بالمدفعية قرية #جب_الزرزور ظهر اليوم ما أدى إلى جرح مزارعين.", "ar", "جب الزرزور"),
])
def test_a_hashtag_writes_words_with_underscores(text: str, lang: str, name: str) -> None:
    names = [m.text.replace("_", " ") for m in find_places(text)]
    assert name in names
    loc = _location(text, lang)
    assert loc.precision is P.DISTRICT  # placed near the tagged governorate's town, not at it
    assert (loc.text or "").replace("_", " ") == name


@pytest.mark.parametrize(("text", "lang", "want"), [
    ("Raqqa: gunmen kidnapped four farmers from the village of Tell Abyad last night.", "en", "Tell Abyad"),
    ("الحسكة: خطف مسلحون مجهولون طبيبين من بلدة القحطانية مساء أمس.", "ar", "Al Qahtaniyah"),
])
def test_a_label_does_not_outvote_the_place_people_are_taken_from(text: str, lang: str, want: str) -> None:
    loc = _location(text, lang)
    assert loc.precision is P.TOWN
    assert loc.name == want


@pytest.mark.parametrize(("text", "lang"), [
    ("Unknown gunmen shot dead a teacher near Saraqib town in Idlib on Monday.", "en"),
    ("A roadside bomb killed three soldiers near Mhardeh town in Hama.", "en"),
])
def test_near_a_town_in_its_governorate_is_the_town(text: str, lang: str) -> None:
    loc = _location(text, lang)
    assert loc.precision is P.DISTRICT  # around the town, not the whole governorate
    assert loc.name in ("Saraqib", "Mhardeh", "Muhradah", "Mahardah")


@pytest.mark.parametrize(("text", "lang"), [
    ("قُتل شاب برصاص مجهولين في بلدة صيدا بريف درعا الشرقي مساء الثلاثاء.", "ar"),
    ("Unknown gunmen killed a young man in the village of Sidon in the eastern Daraa countryside.", "en"),
])
def test_a_syrian_village_named_like_a_foreign_town_stays_in_syria(text: str, lang: str) -> None:
    loc = _location(text, lang)
    assert loc.country == "SY"
    assert loc.admin1 == "Daraa"
    assert all(m.place is None or m.place.country == "SY" for m in find_places(text))


def test_a_foreign_city_is_still_foreign() -> None:
    places = find_places("وصل الوفد إلى مدينة صيدا اللبنانية صباح اليوم.")
    assert [m.place.country for m in places if m.place] == ["LB"]


@pytest.mark.parametrize(("text", "lang", "name"), [
    ("Hundreds of people demonstrated in Saraqib city tonight in solidarity with Daraa and Homs.", "en", "Saraqib"),
    ("خرج المئات في مظاهرة في مدينة جاسم مساء اليوم تضامناً مع حمص وحلب.", "ar", "Jasim"),
])
def test_towns_a_protest_stands_with_are_not_its_scene(text: str, lang: str, name: str) -> None:
    assert _location(text, lang).name == name


@pytest.mark.parametrize(("written", "place"), [
    ("Kfar Takharim", "Kafr Takharim"),
    ("Kafar Takharim", "Kafr Takharim"),
    ("Jsr al-Shughur", "Jisr al-Shughur"),
    ("Maart Misrin", "Ma'arratmisrin"),
    ("معرة مصرين", "Ma'arratmisrin"),
])
def test_a_head_word_spelled_another_way_finds_the_place(written: str, place: str) -> None:
    from tawthiq.extract.gazetteer import Gazetteer

    assert place in [p.name_en for p in Gazetteer.load().lookup(written)]


@pytest.mark.parametrize(("text", "lang", "name"), [
    ("Regime jets struck Kfar Takharim at dawn, killing two civilians.", "en", "Kafr Takharim"),
    ("قصف الطيران الحربي بلدة معرة مصرين صباح اليوم ما أدى إلى مقتل مدنيين.", "ar", "Ma'arratmisrin"),
])
def test_a_head_word_spelled_another_way_in_a_report(text: str, lang: str, name: str) -> None:
    loc = _location(text, lang)
    assert loc.name == name
    assert loc.text in text  # the name as written is kept as the evidence


def test_derived_keys_never_replace_a_written_name() -> None:
    from tawthiq.extract.gazetteer import derived_keys, normalize_name

    assert normalize_name("Kfar Takharim") in derived_keys(normalize_name("Kafr Takharim"))
    assert derived_keys("kafr") == ()  # the head alone is no name
    assert derived_keys(normalize_name("Homs")) == ()


@pytest.mark.parametrize(("text", "lang", "town"), [
    ("#Saraqib #Idlib\nAt dawn regime jets struck the village of Hazm, killing two farmers.", "en", "Saraqib"),
    ("🔴 #البوكمال | #دير_الزور\n▪️ فجر اليوم: غارات لطيران مجهول على مواقع للميليشيات في محيط بلدة الهري، "
     "وأنباء عن مقتل ستة عناصر.", "ar", "Abu Kamal"),
])
def test_a_governorate_tag_after_a_town_tag_is_its_container(text: str, lang: str, town: str) -> None:
    loc = _location(text, lang)
    assert loc.name in (town, "Hazm")  # an unlisted village is placed at the tagged town, not the governorate
    assert loc.precision is P.DISTRICT
    gov = [m for m in find_places(text) if m.rule == "container:governorate"]
    assert len(gov) == 1


@pytest.mark.parametrize("text", [
    "Regime forces stormed the city of Saraqib in the eastern Idlib countryside, where fighting raged in the "
    "al-Sinaa neighbourhood.",
    "اقتحمت قوات النظام مدينة سراقب في ريف إدلب الشرقي، ودارت اشتباكات عند دوار البريد.",
])
def test_a_quarter_is_in_the_town_of_its_sentence_not_the_countryside(text: str) -> None:
    quarter = [m for m in find_places(text) if m.kind == "neighbourhood" and m.place is None]
    assert len(quarter) == 1
    assert quarter[0].rule == "unlisted-neighbourhood-in-town"
    assert quarter[0].location.precision is P.NEIGHBOURHOOD
    assert quarter[0].location.admin1 == "Idlib"


def test_a_bare_word_spelled_like_a_far_village_is_no_place() -> None:
    text = ("تقرير من مدينة حماة، مع الإشارة إلى أن فريقنا التقى بعدد من الأهالي في أحيائها الشمالية.\n"
            "وقصفت قوات النظام حي الأربعين في حماة صباح اليوم.")
    assert all(m.place is None or m.place.governorate == "Hama" for m in find_places(text))
    # the same word with a place noun, or with the governorate it is in named, stays the village
    assert any(m.place and m.place.governorate == "Deir ez-Zor" for m in find_places("قصف الطيران بلدة الأشارة في ريف دير الزور."))


@pytest.mark.parametrize(("text", "lang", "city"), [
    ("Raqqa, 3 June: religious police detained four young men in the Tal Abyad street for smoking.", "en", "Raqqa"),
    ("Gunmen shot dead a shopkeeper on Baghdad Street in Damascus.", "en", "Damascus"),
    ("دمشق: اعتقلت دورية للأمن العسكري ثلاثة شبان في شارع بغداد وسط المدينة.", "ar", "Damascus"),
])
def test_a_street_named_after_a_town_is_in_the_city_it_runs_through(text: str, lang: str, city: str) -> None:
    assert _location(text, lang).name == city
