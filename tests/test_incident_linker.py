"""The incident linker: reports of one event across Arabic and English link; near misses do not.

Incidents are built as extraction makes them (codes, gazetteer places, EDTF
dates, counts), so these tests exercise the model, not the extractor. The
small cases run on the model's fixed priors (too few incidents to estimate
anything); :func:`_corpus` builds enough incidents for EM to train, and the
same corpus runs on Spark in local mode when pyspark and Java are present.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tawthiq.domain.enums import InvolvementRole, LocationPrecision, VictimKind, VictimOutcome
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location, Span, VictimGroup
from tawthiq.link.incident_model import MODEL_NAME
from tawthiq.link.incidents import MIN_INCIDENTS_TO_TRAIN, LinkableIncident, link_incidents

# (place id, town, governorate, district, lat, lon)
KHAN_SHAYKHUN = ("gn:170017", "Khan Shaykhun", "Idlib", "Maarrat al-Nu'man", 35.442, 36.651)
SARAQIB = ("gn:164816", "Saraqib", "Idlib", "Idlib", 35.864, 36.806)
DOUMA = ("gn:170654", "Douma", "Rif Dimashq", "Douma", 33.572, 36.403)
TOWNS = [KHAN_SHAYKHUN, SARAQIB, DOUMA,
         ("gn:1", "Ariha", "Idlib", "Ariha", 35.813, 36.608), ("gn:2", "Tafas", "Daraa", "Daraa", 32.737, 36.068),
         ("gn:3", "Tadmur", "Homs", "Tadmur", 34.562, 38.284), ("gn:4", "Manbij", "Aleppo", "Manbij", 36.528, 37.955),
         ("gn:5", "Darayya", "Rif Dimashq", "Darayya", 33.458, 36.236)]


def incident(id_: int, source: int, *, town: tuple = KHAN_SHAYKHUN, edtf: str | None = "2016-03-07",
             governorate_only: bool = False, event_type: str = "air-drone-strike", actor: str = "syrian-government",
             killed: tuple[int | None, int | None] | None = (12, None), text: str = "") -> Incident:
    place_id, name, gov, district, lat, lon = town
    if governorate_only:
        location = Location(name=gov, text=gov, admin1=gov, precision=LocationPrecision.GOVERNORATE)
    else:
        location = Location(name=name, text=name, admin1=gov, admin2=district, lat=lat, lon=lon,
                            precision=LocationPrecision.TOWN, place_id=place_id)
    victims = [] if killed is None else [VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN,
                                                     count_min=killed[0], count_max=killed[1])]
    return Incident(event_type=event_type, involvements=[Involvement(actor=actor, role=InvolvementRole.PERPETRATOR)],
                    victims=victims, location=location, date=IncidentDate(edtf=edtf) if edtf else None,
                    evidence=[Span(0, len(text), text)] if text else [], source_id=source, id=id_)


def probabilities(items: list[LinkableIncident], **kwargs: object) -> dict[tuple[int, int], float]:
    result = link_incidents(items, min_probability=0.0, **kwargs)  # type: ignore[arg-type]
    return {(p.left_id, p.right_id): p.probability for p in result.pairs}


EN = "On 7 March 2016 a government air strike hit the market in Khan Shaykhun, killing at least 12 civilians."
AR = "قتل 14 مدنياً في غارة جوية لقوات النظام على سوق مدينة خان شيخون يوم 7 آذار 2016."


def test_an_arabic_and_an_english_report_of_one_strike_link_and_near_misses_do_not() -> None:
    items = [
        LinkableIncident(incident(1, 10, killed=(12, None), text=EN), "en"),
        LinkableIncident(incident(2, 20, killed=(14, 14), text=AR), "ar"),
        # the same town, two days later, another count
        LinkableIncident(incident(3, 30, edtf="2016-03-09", killed=(3, 3)), "en"),
        # the same day, another town of the governorate, another count
        LinkableIncident(incident(4, 40, town=SARAQIB, killed=(5, 5)), "ar"),
    ]
    result = link_incidents(items, min_probability=0.0)
    p = {(s.left_id, s.right_id): s for s in result.pairs}
    assert p[(1, 2)].probability > 0.95
    assert p[(1, 2)].levels["date"] == "same day" and p[(1, 2)].levels["place"] == "same place"
    assert p[(1, 2)].levels["evidence"] == "unknown"  # two languages: the words are not compared
    assert p[(1, 2)].weights["date"] > 0 and p[(1, 2)].weights["evidence"] == 0
    for near_miss in [(1, 3), (2, 3), (1, 4), (2, 4)]:
        assert p[near_miss].probability < 0.5, (near_miss, p[near_miss])
    assert p[(1, 3)].levels["date"].startswith("2–")
    assert p[(1, 4)].levels["place"] == "same governorate"


def test_a_governorate_level_place_matches_a_town_inside_it_not_one_outside() -> None:
    items = [
        LinkableIncident(incident(1, 10, killed=(12, 12)), "en"),
        LinkableIncident(incident(2, 20, governorate_only=True, killed=(12, 12)), "ar"),  # "in the Idlib countryside"
        LinkableIncident(incident(3, 30, town=DOUMA, governorate_only=True, killed=(12, 12)), "ar"),
    ]
    result = link_incidents(items, min_probability=0.0)
    p = {(s.left_id, s.right_id): s for s in result.pairs}
    assert p[(1, 2)].levels["place"] == "one inside the other's governorate"
    assert p[(1, 2)].probability > 0.9
    assert (1, 3) not in p  # another governorate is not even a candidate


def test_an_undated_report_is_compared_with_places_containing_or_near_its_own_only() -> None:
    items = [
        LinkableIncident(incident(1, 10, killed=(12, 12)), "en"),  # Khan Shaykhun, dated
        LinkableIncident(incident(2, 20, edtf=None, governorate_only=True, killed=(12, 12)), "ar"),  # "today", Idlib
        LinkableIncident(incident(3, 30, edtf=None, town=SARAQIB, killed=(12, 12)), "ar"),  # another Idlib town
        LinkableIncident(incident(4, 40, edtf=None, town=DOUMA, killed=(12, 12)), "ar"),  # another governorate
    ]
    compared = {(p.left_id, p.right_id) for p in link_incidents(items, min_probability=0.0).pairs}
    # The governorate holds both towns; the two towns are ~50 km apart; Douma is elsewhere.
    assert compared == {(1, 2), (2, 3)}


def test_the_share_of_matches_assumes_a_recall_that_follows_how_many_incidents_give_a_day_and_a_town() -> None:
    from tawthiq.link import incident_model as model
    from tawthiq.link.incident_features import incident_rows

    dated = [LinkableIncident(incident(i, i, killed=None), "en") for i in range(1, 5)]
    undated = [LinkableIncident(incident(i, i, edtf=None, killed=None), "en") for i in range(5, 9)]
    all_precise = model.deterministic_recall(incident_rows(dated))
    half_precise = model.deterministic_recall(incident_rows(dated + undated))
    assert all_precise == pytest.approx(model.DETERMINISTIC_RECALL_PER_PRECISE)
    assert half_precise == pytest.approx(all_precise / 2)
    assert model.deterministic_recall(incident_rows(undated)) == model.DETERMINISTIC_RECALL_BOUNDS[0]


def test_a_month_precision_date_reaches_a_day_inside_it() -> None:
    items = [
        LinkableIncident(incident(1, 10, edtf="2016-03-07", killed=(12, 12)), "en"),
        LinkableIncident(incident(2, 20, edtf="2016-03", killed=(12, 12)), "ar"),  # "in March 2016"
        LinkableIncident(incident(3, 30, edtf="2016-05", killed=(12, 12)), "ar"),  # another month
    ]
    result = link_incidents(items, min_probability=0.0)
    p = {(s.left_id, s.right_id): s for s in result.pairs}
    assert p[(1, 2)].levels["date"] == "inside the other's stated range of up to about a month"
    assert p[(1, 2)].probability > 0.9
    assert (1, 3) not in p  # seven weeks away: outside the widened window, never compared
    # An approximate month ("2016-03~") widens further: a day in early April is now a candidate.
    widened = link_incidents([LinkableIncident(incident(1, 10, edtf="2016-04-05"), "en"),
                              LinkableIncident(incident(2, 20, edtf="2016-03~"), "en")], min_probability=0.0)
    assert [(s.left_id, s.right_id) for s in widened.pairs] == [(1, 2)]
    assert widened.pairs[0].levels["date"] == "inside a wider range, or only its approximate margin"
    exact = link_incidents([LinkableIncident(incident(1, 10, edtf="2016-04-25"), "en"),
                            LinkableIncident(incident(2, 20, edtf="2016-03"), "en")], min_probability=0.0)
    assert exact.pairs == []


def test_a_handful_of_incidents_uses_the_priors_and_says_so() -> None:
    items = [LinkableIncident(incident(1, 10), "en"), LinkableIncident(incident(2, 20, killed=None), "ar")]
    result = link_incidents(items)
    assert not result.trained
    assert any("too few" in note for note in result.notes)
    assert result.model_version.startswith(f"{MODEL_NAME}:")
    assert [(p.left_id, p.right_id) for p in result.pairs] == [(1, 2)]
    assert result.pairs[0].levels["count"] == "unknown"
    again = link_incidents(items)
    assert again.model_version == result.model_version and again.pairs == result.pairs


def test_missing_dates_places_and_counts_do_not_break_it_and_one_source_pairs_nothing() -> None:
    bare = Incident(event_type="air-drone-strike", source_id=10, id=1)
    items = [LinkableIncident(bare, ""),
             LinkableIncident(incident(2, 20, edtf=None, killed=None), "en"),
             LinkableIncident(incident(3, 30, killed=None), "ar")]
    result = link_incidents(items, min_probability=0.0)
    assert all(p.left_id < p.right_id for p in result.pairs)
    # The undated one is compared only with the same place and type: 2 and 3.
    assert {(p.left_id, p.right_id) for p in result.pairs} == {(2, 3)}
    assert result.pairs[0].levels["date"] == "unknown"
    same_source = link_incidents([LinkableIncident(incident(1, 10), "en"), LinkableIncident(incident(2, 10), "en")])
    assert same_source.pairs == []
    with pytest.raises(ValueError, match="id and its source_id"):
        link_incidents([LinkableIncident(Incident(event_type="attack"), "en")])


def _corpus(seed: int = 3, events: int = 40) -> tuple[list[LinkableIncident], set[tuple[int, int]]]:
    """Events told by 1-3 sources each (day or month precision, town or governorate, varied counts)."""
    rng = random.Random(seed)
    items: list[LinkableIncident] = []
    truth: set[tuple[int, int]] = set()
    next_id, next_source = 1, 100
    for _ in range(events):
        town = rng.choice(TOWNS)
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(900))
        kind = rng.choice(["air-drone-strike", "shelling-artillery-missile-attack"])
        killed = rng.randint(2, 30)
        ids = []
        for _ in range(rng.choice([1, 2, 2, 3])):
            edtf = day.isoformat() if rng.random() < 0.8 else day.strftime("%Y-%m")
            count = (killed, killed) if rng.random() < 0.6 else (max(1, killed - rng.randint(0, 3)), None)
            items.append(LinkableIncident(incident(next_id, next_source, town=town, edtf=edtf, event_type=kind,
                                                   killed=count, governorate_only=rng.random() < 0.15),
                                          rng.choice(["en", "ar"])))
            ids.append(next_id)
            next_id, next_source = next_id + 1, next_source + 1
        truth |= {(a, b) for a in ids for b in ids if a < b}
    return items, truth


def test_with_enough_incidents_the_model_is_estimated_and_finds_the_duplicates() -> None:
    items, truth = _corpus()
    assert len(items) >= MIN_INCIDENTS_TO_TRAIN
    result = link_incidents(items, min_probability=0.01)
    assert result.trained, result.notes
    found = {(p.left_id, p.right_id) for p in result.pairs if p.probability >= 0.9}
    assert len(found & truth) >= 0.8 * len(truth)
    assert len(found & truth) >= 0.8 * len(found)


def test_spark_runs_the_same_model_and_gives_the_same_pairs(spark) -> None:  # type: ignore[no-untyped-def]
    items, _ = _corpus(events=12)  # priors: the parameters are fixed, so the scores must agree exactly
    duck = link_incidents(items, min_probability=0.01)
    on_spark = link_incidents(items, backend="spark", spark=spark, min_probability=0.01)
    assert not duck.trained and not on_spark.trained
    assert on_spark.model_version == duck.model_version
    assert [(p.left_id, p.right_id) for p in on_spark.pairs] == [(p.left_id, p.right_id) for p in duck.pairs]
    for a, b in zip(on_spark.pairs, duck.pairs, strict=True):
        assert a.probability == pytest.approx(b.probability, abs=1e-9)
        assert a.levels == b.levels


def test_a_report_without_a_year_is_compared_by_the_day_and_weekday_it_names() -> None:
    # A wire story dated "July 25" with no year, an Arabic post saying only "on Wednesday", and a report
    # dated 25 July 2018 (a Wednesday) in the same town; a fourth names 12 July, another day of the year.
    wire = "BEIRUT, July 25 (Reuters) - A government air strike on Khan Shaykhun on Wednesday killed 12 people."
    post = "قتل 12 مدنياً بغارة جوية على خان شيخون يوم الأربعاء."
    other_day = "BEIRUT, July 12 (Reuters) - A government air strike on Khan Shaykhun killed 12 people."
    items = [
        LinkableIncident(incident(1, 10, edtf=None, text=wire), "en"),
        LinkableIncident(incident(2, 20, edtf="2018-07-25", text="Air strike on Khan Shaykhun."), "en"),
        LinkableIncident(incident(3, 30, edtf=None, text=post), "ar"),
        LinkableIncident(incident(4, 40, edtf=None, text=other_day), "en"),
    ]
    result = link_incidents(items, min_probability=0.0)
    p = {(s.left_id, s.right_id): s for s in result.pairs}
    assert p[(1, 2)].levels["calendar"] == "the same day of the year" and p[(1, 2)].weights["calendar"] > 3
    assert p[(2, 3)].levels["calendar"] == "the same weekday" and p[(2, 3)].weights["calendar"] > 0
    assert p[(2, 4)].levels["calendar"] == "different days of the year" and p[(2, 4)].weights["calendar"] < 0
    assert p[(1, 2)].probability > p[(2, 4)].probability
    # Two dated incidents are compared by their dates only: the calendar says nothing more.
    dated = link_incidents([LinkableIncident(incident(1, 10, text=EN), "en"),
                            LinkableIncident(incident(2, 20, text=AR), "ar")], min_probability=0.0).pairs[0]
    assert dated.levels["calendar"] == "unknown" and dated.weights["calendar"] == 0


def test_a_village_the_gazetteer_lacks_is_one_place_in_either_script() -> None:
    # One report names the village in Arabic (placed at its district), the other in English (placed at the
    # governorate's countryside); a third names another village of the district.
    def village(id_: int, source: int, written: str, precision: LocationPrecision, killed: int) -> Incident:
        loc = Location(name="Maarrat al-Nu'man" if precision is LocationPrecision.DISTRICT else "Idlib", text=written,
                       admin1="Idlib", admin2="Maarrat al-Nu'man" if precision is LocationPrecision.DISTRICT else "",
                       lat=35.64, lon=36.67, precision=precision)
        return Incident(event_type="air-drone-strike", location=loc, date=IncidentDate(edtf="2016-10-26"),
                        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN,
                                             count_min=killed, count_max=killed)], source_id=source, id=id_)
    items = [LinkableIncident(village(1, 10, "حاس", LocationPrecision.DISTRICT, 22), "ar"),
             LinkableIncident(village(2, 20, "Hass", LocationPrecision.GOVERNORATE, 26), "en"),
             LinkableIncident(village(3, 30, "Kafr Nabl", LocationPrecision.DISTRICT, 22), "en")]
    p = {(s.left_id, s.right_id): s for s in link_incidents(items, min_probability=0.0).pairs}
    assert p[(1, 2)].levels["place"] == "the same place name, in either script"
    assert p[(1, 3)].levels["place"] != "the same place name, in either script"
    assert p[(1, 2)].probability > p[(1, 3)].probability
