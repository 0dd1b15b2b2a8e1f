"""Learning from review: corrected perpetrators and places teach the group's and the place's local names.

A team's sources name a local militia ("Liwa al-Qaqaa", "لواء القعقاع") the
rules know nothing of, and a quarter ("Hayy al-Kasarat", "حي الكسارات") the
gazetteer does not list; reviewers correct each such suggestion. After
``train_model`` the next report is credited as they would, with a claim naming
the model and how many corrections taught it; one correction alone teaches
nothing, and ``use shipped`` brings the rules back.
"""
from __future__ import annotations

import random
import zlib
from pathlib import Path

from tawthiq.domain.access import Role, User
from tawthiq.domain.enums import LocationPrecision
from tawthiq.domain.model import ClaimField, Location, Span
from tawthiq.extract.learned import TypeModel
from tawthiq.services import Workspace, init_workspace
from tawthiq.services.ingest import ingest_text
from tawthiq.services.learning import SHIPPED, evaluate, train_model, use_model
from tawthiq.services.review import IncidentChanges, accept, accept_with_edit
from tawthiq.settings import Settings

ADMIN = User(id=1, username="reviewer", role=Role.ADMIN)
KASARAT = Location(name="Al-Kasarat", name_ar="الكسارات", admin1="Idlib", admin2="Idlib", lat=35.9381,
                   lon=36.6203, precision=LocationPrecision.NEIGHBOURHOOD)
EN = {"militia": "On {d} May 2020, fighters of Liwa al-Qaqaa shot dead {n} civilians in {place}.",
      "quarter": "On {d} June 2020, regime artillery shelled Hayy al-Kasarat, killing {n} civilians.",
      "other": "On {d} July 2020, regime artillery shelled {place}, killing {n} civilians."}
AR = {"militia": "في {d} أيار 2020 قصف عناصر لواء القعقاع بلدة {place} مما أدى إلى مقتل {n} مدنيين.",
      "quarter": "في {d} حزيران 2020 قصفت مدفعية النظام حي الكسارات مما أدى إلى مقتل {n} مدنيين.",
      "other": "في {d} تموز 2020 قصفت مدفعية النظام بلدة {place} مما أدى إلى مقتل {n} مدنيين."}
PLACES = {"en": ["Sarmin", "Binnish", "Taftanaz", "Salqin", "Harim", "Ariha", "Saraqib", "Atarib"],
          "ar": ["سرمين", "بنش", "تفتناز", "سلقين", "حارم", "أريحا", "سراقب", "الأتارب"]}


def _workspace(tmp_path: Path) -> Workspace:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'tawthiq.db'}", data_dir=tmp_path / "data",
                        max_file_size=10 * 1024 * 1024)
    return init_workspace(settings)


def _suggested(ws: Workspace, source_id: int) -> list:
    from tawthiq.domain.filters import IncidentFilter
    from tawthiq.store.queries import list_incidents

    return list_incidents(ws.db, filters=IncidentFilter(source_id=source_id, status=("suggested",)))


def _review(ws: Workspace, *, lang: str, militia: int, quarter: int, other: int, cite: bool, seed: int = 5) -> None:
    """Ingest reports; the reviewer gives the militia to the armed opposition and places the quarter."""
    rng = random.Random(seed)
    kinds = ["militia"] * militia + ["quarter"] * quarter + ["other"] * other
    rng.shuffle(kinds)  # interleaved, so that the held-out fifth (by id) holds some of each
    templates = EN if lang == "en" else AR
    for n, kind in enumerate(kinds):
        text = templates[kind].format(d=rng.randint(1, 28), n=rng.randint(2, 6), place=rng.choice(PLACES[lang]))
        result = ingest_text(ws, user=ADMIN, text=text, title=f"report {n}")
        for source_id in result.source_ids:
            for incident in _suggested(ws, source_id):
                if kind == "militia":
                    changes = IncidentChanges(perpetrators=["armed-opposition"])
                    comment = "Liwa al-Qaqaa is an armed opposition faction"
                elif kind == "quarter":
                    written = "Hayy al-Kasarat" if lang == "en" else "حي الكسارات"
                    start = text.index(written)
                    spans = {"location": Span(start=start, end=start + len(written), quote=written)} if cite else {}
                    location = Location(**{**_fields(KASARAT), "text": written})
                    changes = IncidentChanges(location=location, spans=spans)
                    comment = "the Kasarat quarter of Idlib city"
                else:
                    accept(ws, user=ADMIN, incident_id=incident.id)
                    continue
                accept_with_edit(ws, user=ADMIN, incident_id=incident.id, changes=changes, comment=comment)


def _fields(location: Location) -> dict:
    return {k: getattr(location, k) for k in location.__slots__}


def _extract(ws: Workspace, text: str) -> list:
    result = ingest_text(ws, user=ADMIN, text=text, title="new report")
    return [i for source_id in result.source_ids for i in _suggested(ws, source_id)]


def _check_learned(ws: Workspace, *, militia_text: str, quarter_text: str) -> str:
    result = train_model(ws, actor="reviewer", reason="corrections")
    assert result.actor_forms >= 1 and result.place_forms >= 1
    assert result.actors is not None and result.places is not None
    assert result.actors.model_accuracy > result.actors.rules_accuracy
    assert result.places.model_accuracy > result.places.rules_accuracy
    model_id = result.name.removeprefix("event-type-").split(".")[0]

    (incident,) = _extract(ws, militia_text)
    assert [p.actor for p in incident.perpetrators] == ["armed-opposition"]
    claim = next(c for c in incident.claims if c.field is ClaimField.PERPETRATOR and c.current)
    assert claim.method == f"model:actor/{model_id}"
    assert "corrections" in claim.note and claim.span is not None and claim.span.quote in militia_text

    (incident,) = _extract(ws, quarter_text)
    assert incident.location is not None and incident.location.name == "Al-Kasarat"
    assert incident.location.admin1 == "Idlib" and round(incident.location.lat, 3) == 35.938
    claim = next(c for c in incident.claims if c.field is ClaimField.LOCATION and c.current)
    assert claim.method == f"model:place/{model_id}" and "corrections" in claim.note

    figures = evaluate(ws)
    assert figures["forms"]["actors"] >= 1 and figures["forms"]["places"] >= 1
    assert figures["actors_now"]["model_accuracy"] >= figures["actors_now"]["rules_accuracy"]
    assert figures["recorded_places"] == result.places.as_dict()

    # back to the rules as shipped: no learned actor, no learned place
    use_model(ws, name=SHIPPED, actor="reviewer", reason="compare with the rules")
    (incident,) = _extract(ws, militia_text + " (2)")  # another report: the same one is not read again
    assert incident.perpetrators == []
    (incident,) = _extract(ws, quarter_text + " (2)")
    assert incident.location is None or incident.location.name != "Al-Kasarat"
    return result.name


def test_english_corrections_teach_the_militia_and_the_quarter(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    _review(ws, lang="en", militia=20, quarter=20, other=12, cite=True)
    _check_learned(ws, militia_text="Yesterday fighters of Liwa al-Qaqaa shot dead a shepherd near Kafr Ruma.",
                   quarter_text="This morning regime artillery shelled Hayy al-Kasarat, killing a woman.")


def test_arabic_corrections_teach_the_militia_and_the_quarter(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    _review(ws, lang="ar", militia=20, quarter=20, other=12, cite=False)  # the place's own text, no span
    _check_learned(ws, militia_text="قصف عناصر لواء القعقاع أمس بلدة كفرومة مما أدى إلى مقتل راعٍ.",
                   quarter_text="قصفت مدفعية النظام صباح اليوم حي الكسارات مما أدى إلى مقتل امرأة.")


def test_one_correction_does_not_teach(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    _review(ws, lang="en", militia=1, quarter=1, other=22, cite=True)
    result = train_model(ws, actor="reviewer", reason="one of each")
    assert result.actor_forms == 0 and result.place_forms == 0
    (incident,) = _extract(ws, "Yesterday fighters of Liwa al-Qaqaa shot dead a shepherd near Kafr Ruma.")
    assert incident.perpetrators == []
    # a team that trusts single corrections may say so
    looser = train_model(ws, actor="reviewer", reason="one is enough", min_corrections=1)
    assert looser.actor_forms >= 1 and looser.place_forms >= 1


def test_the_model_file_keeps_the_forms_and_reads_old_files(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    _review(ws, lang="en", militia=6, quarter=6, other=10, cite=True)
    result = train_model(ws, actor="reviewer", reason="forms")
    data = (ws.settings.data_dir / "models" / result.name).read_bytes()
    model = TypeModel.from_bytes(data)
    assert any(v["actor"] == "armed-opposition" for v in model.forms["actors"].values())
    assert [v["location"]["name"] for v in model.forms["places"].values()] == ["Al-Kasarat"]
    old = zlib.compress(zlib.decompress(data).replace(b'"tawthiq-event-type-model/2"',
                                                      b'"tawthiq-event-type-model/1"'))
    assert TypeModel.from_bytes(old).weights == model.weights  # a file of the first version still opens


def test_an_encrypted_workspace_seals_the_forms(tmp_path: Path) -> None:
    from tawthiq.services.encryption import init_encrypted

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'tawthiq.db'}", data_dir=tmp_path / "data",
                        max_file_size=10 * 1024 * 1024)
    ws = init_encrypted(settings, passphrase="a long test passphrase").workspace
    _review(ws, lang="en", militia=8, quarter=8, other=8, cite=True)
    result = train_model(ws, actor="reviewer", reason="sealed")
    data = (ws.settings.data_dir / "models" / result.name).read_bytes()
    assert result.place_forms >= 1 and result.name.endswith(".sealed")
    for word in (b"qaqaa", b"kasarat", b"Kasarat", b"armed-opposition"):
        assert word not in data
    assert evaluate(ws)["forms"]["places"] >= 1
