"""Learning from review: a team's corrections teach the event-type model, which ingest then uses.

The rules type "a drone dropped a grenade on …" as a grenade attack; ACLED codes
a munition dropped from a drone as a drone strike. A team that corrects such
suggestions again and again should see the next one typed as they would: the
model trained on their reviewed record says so, with a claim that names the
model and what the rules had said, and ``use shipped`` brings the rules back.
"""
from __future__ import annotations

import random
import zlib
from pathlib import Path

import pytest

from tawthiq.domain.access import Role, User
from tawthiq.domain.model import ClaimField
from tawthiq.services import Workspace, init_workspace
from tawthiq.services.errors import ServiceError
from tawthiq.services.ingest import ingest_text
from tawthiq.services.learning import SHIPPED, current_model, evaluate, train_model, use_model
from tawthiq.services.review import IncidentChanges, accept, accept_with_edit
from tawthiq.settings import Settings
from tawthiq.store.learned_models import list_models

PLACES = ["Sarmin", "Binnish", "Taftanaz", "Maarrat Misrin", "Kafr Takharim", "Salqin", "Harim", "Darkush",
          "Armanaz", "Kafr Nabl", "Ariha", "Jisr al-Shughur", "Saraqib", "Khan Shaykhun", "Atarib"]
ADMIN = User(id=1, username="reviewer", role=Role.ADMIN)


def _workspace(tmp_path: Path) -> Workspace:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'tawthiq.db'}", data_dir=tmp_path / "data",
                        max_file_size=10 * 1024 * 1024)
    return init_workspace(settings)


def _drone_report(rng: random.Random) -> str:
    place = rng.choice(PLACES)
    return (f"On {rng.randint(1, 28)} May 2020, a regime drone dropped a grenade on a car in {place}, "
            f"wounding {rng.randint(2, 6)} civilians, local activists said.")


def _shelling_report(rng: random.Random) -> str:
    place = rng.choice(PLACES)
    return f"On {rng.randint(1, 28)} June 2020, regime artillery shelled {place}, killing {rng.randint(1, 5)} civilians."


def _review(ws: Workspace, *, drones: int, shellings: int, seed: int = 3) -> None:
    """Ingest reports; the reviewer corrects every drone-dropped grenade to a drone strike, confirms the rest."""
    rng = random.Random(seed)
    for n in range(drones + shellings):
        text = _drone_report(rng) if n < drones else _shelling_report(rng)
        result = ingest_text(ws, user=ADMIN, text=text, title=f"report {n}")
        for source_id in result.source_ids:
            for incident in _of_source(ws, source_id):
                if incident.event_type == "grenade":
                    accept_with_edit(ws, user=ADMIN, incident_id=incident.id,
                                     changes=IncidentChanges(event_type="air-drone-strike"),
                                     comment="a grenade dropped from a drone is a drone strike (ACLED)")
                else:
                    accept(ws, user=ADMIN, incident_id=incident.id)


def _of_source(ws: Workspace, source_id: int) -> list:
    from tawthiq.domain.filters import IncidentFilter
    from tawthiq.store.queries import list_incidents

    return list_incidents(ws.db, filters=IncidentFilter(source_id=source_id, status=("suggested",)))


def _types_of(ws: Workspace, text: str) -> list[tuple[str, list]]:
    result = ingest_text(ws, user=ADMIN, text=text, title="new report")
    out = []
    for source_id in result.source_ids:
        for incident in _of_source(ws, source_id):
            out.append((incident.event_type, [c for c in incident.claims if c.field is ClaimField.EVENT_TYPE]))
    return out


def test_corrections_teach_the_next_report(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    before = "Yesterday a regime drone dropped a grenade on a water truck near Maar Shurin, wounding two men."
    assert [t for t, _ in _types_of(ws, before)] == ["grenade"]  # the rules alone
    unseen = "Yesterday a regime drone dropped a grenade on a motorbike near Kafr Ruma, wounding its driver."

    _review(ws, drones=40, shellings=20)
    result = train_model(ws, actor="reviewer", reason="first model")
    assert result.examples >= 60 and result.corrections >= 40 and result.in_use
    held = result.held_out
    assert held.examples > 0 and held.model_accuracy > held.rules_accuracy
    assert current_model(ws) == result.name

    (event_type, claims), = _types_of(ws, unseen)
    assert event_type == "air-drone-strike"
    claim = next(c for c in claims if c.current)
    assert claim.method == f"model:event-type/{result.name.removeprefix('event-type-').split('.')[0]}"
    assert "the rules said grenade" in claim.note

    # switched back: the rules as shipped, and the change is audited
    use_model(ws, name=SHIPPED, actor="reviewer", reason="compare with the rules")
    again = "This morning a regime drone dropped a grenade on a tractor near Hish, wounding a farmer."
    assert [t for t, _ in _types_of(ws, again)] == ["grenade"]
    from tawthiq.store.history import history
    from tawthiq.store.vocabulary import setting_id

    changes = history(ws.db, entity="setting", entity_id=setting_id(ws.db, "extract.type_model"))
    assert [e.comment for e in changes][-2:] == ["first model", "compare with the rules"]

    figures = evaluate(ws)
    assert figures["model"] == SHIPPED and figures["models"] == [result.name]


def test_too_few_reviewed_incidents_is_one_line(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    _review(ws, drones=3, shellings=2)
    with pytest.raises(ServiceError, match="at least 20 are needed"):
        train_model(ws, actor="reviewer")
    with pytest.raises(ServiceError, match="no model has been trained"):
        use_model(ws, name="latest", actor="reviewer", reason="try")


def test_the_model_file_is_private_and_never_overwritten(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    _review(ws, drones=25, shellings=10)
    first = train_model(ws, actor="reviewer", reason="one")
    second = train_model(ws, actor="reviewer", reason="two")
    assert first.name != second.name and list_models(ws.settings.data_dir) == [first.name, second.name]
    folder = ws.settings.data_dir / "models"
    assert folder.stat().st_mode & 0o777 == 0o700
    for path in folder.iterdir():
        assert path.stat().st_mode & 0o777 == 0o600
        zlib.decompress(path.read_bytes())  # a plain workspace's model is its compressed JSON


def test_an_encrypted_workspace_seals_its_model(tmp_path: Path) -> None:
    from tawthiq.services.encryption import init_encrypted

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'tawthiq.db'}", data_dir=tmp_path / "data",
                        max_file_size=10 * 1024 * 1024)
    ws = init_encrypted(settings, passphrase="a long test passphrase").workspace
    _review(ws, drones=25, shellings=10)
    result = train_model(ws, actor="reviewer", reason="sealed")
    path = ws.settings.data_dir / "models" / result.name
    assert result.name.endswith(".model.sealed")
    data = path.read_bytes()
    with pytest.raises(zlib.error):
        zlib.decompress(data)
    for word in (b"Sarmin", b"grenade", b"drone"):  # the features are the reports' words
        assert word not in data
    assert evaluate(ws)["model"] == result.name  # and it opens with the workspace's key
