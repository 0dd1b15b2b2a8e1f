"""The one incident form model: the correction form's and the by-hand form's fields read into the same changes."""
from __future__ import annotations

import pytest
from starlette.datastructures import FormData

from tawthiq.domain import Confidentiality, DatePrecision, Incident, IncidentDate, Location, LocationPrecision
from tawthiq.services.review import CLEAR, IncidentChanges
from tawthiq.web.forms import FormProblem, IncidentForm, parse_changes

COMMON = [("event_type", "air-drone-strike"), ("violations", "killing"), ("violations", "killing"),
          ("date", "2019-05-12"), ("description", "Air strikes on al-Basha"), ("confidentiality", "restricted"),
          ("comment", "from the field report")]
# The by-hand form: one perpetrator, a typed place, one victim group in fields of its own, and the citation.
HAND = FormData([*COMMON, ("perpetrator", "russia"), ("place", "Atlantis"), ("outcome", "killed"),
                 ("victim_kind", "civilian"), ("count_min", "6"), ("count_max", "6"), ("source_id", "#12"),
                 ("span_start", "3"), ("span_end", "9"), ("quote", " killing\r\n")])
# The correction form: the same incident in its own field names (and its blank "add a group" row).
EDIT = FormData([*COMMON, ("perpetrators", "russia"), ("place_name", "Atlantis"), ("victims-0-outcome", "killed"),
                 ("victims-0-kind", "civilian"), ("victims-0-count_min", "6"), ("victims-0-count_max", "6"),
                 ("victims-1-outcome", ""), ("victims-1-kind", "unknown"), ("victims-1-unit", "individual")])


def test_both_shapes_read_into_the_same_changes() -> None:
    hand, edit = IncidentForm.from_submitted(HAND), IncidentForm.from_submitted(EDIT)
    assert hand.perpetrators == edit.perpetrators == ["russia"] and hand.place_name == edit.place_name == "Atlantis"
    assert (hand.source_number(), hand.offsets(), hand.quote) == (12, (3, 9), " killing\r\n")  # quote untrimmed
    assert (edit.source_number(), edit.offsets()) == (None, None)
    new = parse_changes(hand, None)
    assert new == parse_changes(edit, None)
    assert isinstance(new, IncidentChanges) and new.any()
    assert new.violations == ["killing"] and [i.actor for i in new.perpetrators or []] == ["russia"]
    assert [(str(v.outcome), str(v.kind), v.count_min, v.count_max) for v in new.victims or []] == [
        ("killed", "civilian", 6, 6)]
    assert new.location == Location(name="Atlantis", text="Atlantis", precision=LocationPrecision.COUNTRY)
    assert new.date == IncidentDate(edtf="2019-05-12", text="2019-05-12", precision=DatePrecision.DAY)
    assert new.confidentiality is Confidentiality.RESTRICTED


def test_against_the_stored_incident_only_what_differs_is_a_change() -> None:
    form = IncidentForm.from_submitted(EDIT)
    stored = Incident(event_type="air-drone-strike", violations=["killing"], description="Air strikes on al-Basha",
                      date=IncidentDate(edtf="2019-05-12", text="12 May"), location=Location(name="Ariha"))
    changes = parse_changes(form, stored)
    assert changes.event_type is None and changes.violations is None and changes.description is None
    assert changes.date is None and changes.confidentiality is None
    assert changes.location is not None and changes.perpetrators is not None and changes.victims is not None
    cleared = IncidentForm.from_submitted(FormData([("place_clear", "1"), ("date_clear", "1")]))
    assert (parse_changes(cleared, stored).location, parse_changes(cleared, stored).date) == (CLEAR, CLEAR)
    assert not parse_changes(IncidentForm.from_incident(stored), stored).any()


@pytest.mark.parametrize("field", [("event_type", "picnic"), ("perpetrator", "martians"), ("count_min", "six"),
                                   ("confidentiality", "secret")])
def test_a_value_the_form_cannot_hold_is_a_form_problem(field: tuple[str, str]) -> None:
    with pytest.raises(FormProblem):
        parse_changes(IncidentForm.from_submitted(FormData([field])), None)
