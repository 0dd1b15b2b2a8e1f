"""A place filter or a search on a common spelling of a governorate ("Idleb", "Halab", "Deir Ezzor", "Sweida")
finds the incidents anywhere in that governorate, not only in the district its seat city gives its name to."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from _client import client_for, form_token, make_user, sign_in
from fastapi.testclient import TestClient

from tawthiq.domain.enums import Confidentiality, IncidentStatus
from tawthiq.domain.model import Incident, Location
from tawthiq.extract.gazetteer import Gazetteer, Place
from tawthiq.services import Workspace, init_workspace
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.store import repository
from tawthiq.store.queries import clear_cache

SPELLINGS = {
    "sy-idlib": ("Idleb", "Idlib"),
    "sy-aleppo": ("Halab",),
    "sy-deir-ez-zor": ("Deir al-Zour", "Deir ez-Zor", "Deir Ezzor"),
    "sy-raqqa": ("Raqa", "Al-Raqqa"),
    "sy-hama": ("Hama", "Hamah"),
    "sy-homs": ("Homs", "Hims"),
    "sy-daraa": ("Daraa", "Deraa", "Dar'a"),
    "sy-al-hasakah": ("Hasakah", "Hasaka", "Al-Hasakeh"),
    "sy-latakia": ("Lattakia", "Latakia"),
    "sy-tartus": ("Tartous", "Tartus"),
    "sy-quneitra": ("Quneitra", "Al-Qunaytirah"),
    "sy-as-suwayda": ("Sweida", "As-Suwayda"),
    "sy-rif-dimashq": ("Rural Damascus", "Reef Damascus"),
}
CASES = [(gov, name) for gov, names in SPELLINGS.items() for name in names]


def _away_from_the_seat(gaz: Gazetteer, gov: Place) -> Place:
    """A place of the governorate outside the district its seat city is in (the biggest town, else a sub-district):
    only a governorate-wide match reaches it."""
    seat = gaz.get(gov.seat_id) if gov.seat_id else None
    away = [p for p in gaz.places if p.governorate_id == gov.id and p.level in ("town", "subdistrict") and p.district
            and (seat is None or p.district_id != seat.district_id)]
    return min(away, key=lambda p: (p.level != "town", -p.population, p.id))


@pytest.fixture(scope="module")
def placed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, dict[str, int]]]:
    """One incident in each governorate, away from its seat city's district."""
    clear_cache()
    root: Path = tmp_path_factory.mktemp("spellings")
    ws = init_workspace(Settings(database_url=f"sqlite:///{root / 'db.sqlite'}", data_dir=root / "data",
                                 max_file_size=DEFAULT_MAX_FILE_SIZE))
    make_user(ws, "doc", "documenter")
    gaz = Gazetteer.load()
    ids: dict[str, int] = {}
    for gov_id in SPELLINGS:
        gov = gaz.get(gov_id)
        assert gov is not None
        place = _away_from_the_seat(gaz, gov)
        ids[gov_id] = repository.add_incident(ws.db, Incident(  # type: ignore[arg-type]
            event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC,
            description="an airstrike on a market",
            location=Location(name=place.name_en, name_ar=place.name_ar, text=place.name_en, admin1=gov.name_en,
                              admin2=place.district, place_id=place.id)))
    yield ws, ids
    ws.db.dispose()  # type: ignore[attr-defined]
    clear_cache()


@pytest.fixture(scope="module")
def clients(placed: tuple[Workspace, dict[str, int]]) -> dict[str, TestClient]:
    out = {}
    for lang in ("ar", "en"):
        client = client_for(placed[0])
        assert sign_in(client, "doc").status_code == 303
        client.post("/language", data={"lang": lang, "next": "/", "csrf_token": form_token(client.get("/").text)})
        out[lang] = client
    return out


def _rows(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'data-testid="result-row" data-incident-id="(\d+)"', html)}


@pytest.mark.parametrize(("gov", "name"), CASES)
def test_a_spelling_of_a_governorate_finds_its_incidents_by_place_and_by_search(
        placed: tuple[Workspace, dict[str, int]], clients: dict[str, TestClient], gov: str, name: str) -> None:
    _, ids = placed
    for lang, client in clients.items():
        for params in ({"place": name}, {"q": name}):
            page = client.get("/incidents", params=params)
            assert page.status_code == 200, (lang, params)
            assert _rows(page.text) == {ids[gov]}, (lang, params, name)
