"""The one incident filter: its documented status defaults and its query-string form."""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.domain.filters import LISTED_STATUSES, REVIEWED, REVIEWED_STATUSES, IncidentFilter


def test_status_defaults_for_lists_and_statistics() -> None:
    any_status = IncidentFilter()
    assert "merged" not in any_status.statuses() and set(any_status.statuses()) == set(LISTED_STATUSES)
    assert set(LISTED_STATUSES) == {"suggested", "confirmed", "verified", "rejected"}
    assert any_status.statuses(counting=True) == REVIEWED_STATUSES == ("confirmed", "verified")
    assert IncidentFilter(unreviewed=True).statuses(counting=True) == ("confirmed", "verified", "suggested")
    assert IncidentFilter(unreviewed=True).statuses() == LISTED_STATUSES  # lists ignore it
    for counting in (False, True):  # a chosen status is the same for both
        assert IncidentFilter(status="merged").statuses(counting=counting) == ("merged",)
        assert IncidentFilter(status="rejected", unreviewed=True).statuses(counting=counting) == ("rejected",)
        assert IncidentFilter(status=REVIEWED).statuses(counting=counting) == REVIEWED_STATUSES


def test_query_string_round_trip() -> None:
    flt = IncidentFilter.from_params({"place": " Ariha ", "date_to": "2015-12-31", "source_id": "7",
                                      "unreviewed": "on", "perpetrator": "", "other": "x"})
    assert flt == IncidentFilter(place="Ariha", date_to=date(2015, 12, 31), source_id=7, unreviewed=True)
    assert flt.to_params() == {"place": "Ariha", "date_to": "2015-12-31", "source_id": "7", "unreviewed": "1"}
    assert IncidentFilter.from_params(flt.to_params()) == flt
    assert hash(flt) == hash(IncidentFilter.from_params(flt.to_params()))  # a cache key


@pytest.mark.parametrize(("params", "message"), [
    ({"status": "gone"}, "unknown status"),
    ({"confidentiality": "secret"}, "unknown confidentiality"),
    ({"victim_kind": "tree"}, "unknown victim kind"),
    ({"date_from": "7 Oct"}, "date_from must be a date"),
    ({"date_from": "2016-01-01", "date_to": "2015-01-01"}, "date_from is after date_to"),
    ({"source_id": "99999999999999999999"}, "source_id must be a record number"),
])
def test_malformed_values_are_one_line_errors(params: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        IncidentFilter.from_params(params)


def test_multi_choice_values_round_trip_and_single_strings_are_one_choice() -> None:
    flt = IncidentFilter.from_params({"perpetrator": ["russia", " syrian-government ", "russia", ""],
                                      "status": ["confirmed", REVIEWED]})
    assert flt.perpetrator == ("russia", "syrian-government")
    assert flt.statuses() == ("confirmed", "verified")  # REVIEWED adds verified once
    assert flt.to_params() == {"perpetrator": ["russia", "syrian-government"], "status": ["confirmed", REVIEWED]}
    assert IncidentFilter.from_params(flt.to_params()) == flt
    assert IncidentFilter(perpetrator="russia").perpetrator == ("russia",)
    assert IncidentFilter(governorate=None).governorate == ()
    with pytest.raises(ValueError, match="at most 20 values"):
        IncidentFilter.from_params({"event_type": [f"t{i}" for i in range(21)]})
