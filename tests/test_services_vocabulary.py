"""Actors added from the interface: checked, stored (SQLite and PostgreSQL), audited, and used at once."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from _users import ADMIN, REVIEWER

from tawthiq.domain import vocab
from tawthiq.domain.filters import IncidentFilter
from tawthiq.extract.contract import incident_to_contract
from tawthiq.services import Workspace, ingest, vocabulary
from tawthiq.services.errors import NotFound, PermissionDenied
from tawthiq.services.vocabulary import ActorForm, VocabularyError
from tawthiq.store import queries, repository
from tawthiq.store.history import history
from tawthiq.store.vocabulary import actor_id, list_recorded

TAHRIR = ActorForm(label_en="Liwa al-Tahrir", label_ar="لواء التحرير", aliases_en="Tahrir Brigade\nLiwa Tahrir",
                   aliases_ar="لواء التحرير، كتائب التحرير", parent="armed-opposition", kind="armed-group")
REPORT_EN = ("Liwa al-Tahrir fighters shelled the village of Kafr Nabl in Idlib on 3 March 2021, "
             "killing two civilians.")
REPORT_AR = "قصف لواء التحرير قرية كفرنبل في ريف إدلب يوم 3 آذار 2021، ما أدى إلى مقتل مدنيين اثنين."


@pytest.fixture(autouse=True)
def _fresh_vocabulary() -> Iterator[None]:
    # The merged vocabulary is per process: no other test may see this test's actors.
    yield
    vocab.use_recorded_actors([])
    vocabulary._State.stamp = None


def _add(ws: Workspace, form: ActorForm = TAHRIR, code: str = "liwa-al-tahrir", comment: str = "new group") -> None:
    vocabulary.add_actor(ws, user=ADMIN, code=code, form=form, comment=comment)


def test_an_added_actor_is_stored_audited_and_merged_with_the_built_in_ones(ws: Workspace) -> None:
    _add(ws)
    stored = list_recorded(ws.db)
    assert [a.code for a in stored] == ["liwa-al-tahrir"]
    assert stored[0].aliases_ar == ["لواء التحرير", "كتائب التحرير"] and stored[0].parent == "armed-opposition"
    merged = vocab.actors()
    assert "liwa-al-tahrir" in merged and "syrian-government" in merged
    assert vocab.top_actor("liwa-al-tahrir") == "armed-opposition"
    entries = history(ws.db, entity="actor", entity_id=actor_id(ws.db, "liwa-al-tahrir"))
    assert [(e.action, e.user, e.comment) for e in entries] == [("add", "admin", "new group")]
    assert entries[0].after["label_ar"] == "لواء التحرير"


def test_only_an_admin_may_change_the_vocabulary(ws: Workspace) -> None:
    with pytest.raises(PermissionDenied):
        vocabulary.add_actor(ws, user=REVIEWER, code="liwa-al-tahrir", form=TAHRIR, comment="")
    assert list_recorded(ws.db) == []


@pytest.mark.parametrize(("form", "code", "key"), [
    (ActorForm(label_en="X", label_ar="س", aliases_ar="قوات النظام", kind="militia"), "new-one", "alias_taken"),
    (ActorForm(label_en="Hayat Tahrir al-Sham", label_ar="جديد", kind="militia"), "new-one", "alias_taken"),
    (ActorForm(label_en="X", label_ar="س", kind="militia"), "russia", "code_taken"),
    (ActorForm(label_en="X", label_ar="س", kind="militia"), "Bad Code!", "code_invalid"),
    (ActorForm(label_en="X", label_ar="", kind="militia"), "new-one", "label_missing_ar"),
    (ActorForm(label_en="X", label_ar="س", kind="tribe"), "new-one", "kind_unknown"),
    (ActorForm(label_en="X", label_ar="س", kind="militia", parent="no-such"), "new-one", "parent_unknown"),
])
def test_a_bad_actor_is_refused_with_a_reason_and_nothing_stored(ws: Workspace, form: ActorForm, code: str,
                                                                  key: str) -> None:
    with pytest.raises(VocabularyError) as refused:
        _add(ws, form, code)
    assert refused.value.key == key and "\n" not in str(refused.value)
    assert list_recorded(ws.db) == []


def test_an_alias_another_added_actor_claims_is_refused_whatever_its_spelling(ws: Workspace) -> None:
    _add(ws)
    # Folded as the extractor folds: case, alef forms, short vowels.
    other = ActorForm(label_en="Other", label_ar="أخرى", aliases_ar="لِواء التَّحرير", kind="militia")
    with pytest.raises(VocabularyError) as refused:
        _add(ws, other, "other-group")
    assert refused.value.key == "alias_taken" and refused.value.values["code"] == "liwa-al-tahrir"


def test_no_loops_in_coalitions(ws: Workspace) -> None:
    _add(ws)
    child = ActorForm(label_en="Tahrir Youth", label_ar="شباب التحرير", parent="liwa-al-tahrir", kind="militia")
    _add(ws, child, "tahrir-youth")
    looped = ActorForm(**{**_fields(TAHRIR), "parent": "tahrir-youth"})
    with pytest.raises(VocabularyError) as refused:
        vocabulary.edit_actor(ws, user=ADMIN, code="liwa-al-tahrir", form=looped, comment="")
    assert refused.value.key == "parent_loop"
    assert vocab.actors()["liwa-al-tahrir"].parent == "armed-opposition"


def _fields(form: ActorForm) -> dict[str, str]:
    return {name: getattr(form, name) for name in ActorForm.__dataclass_fields__}


def test_edit_and_retire_are_audited_and_retiring_needs_a_reason(ws: Workspace) -> None:
    _add(ws)
    renamed = ActorForm(**{**_fields(TAHRIR), "aliases_en": "Tahrir Brigade\nLiberation Brigade"})
    assert vocabulary.edit_actor(ws, user=ADMIN, code="liwa-al-tahrir", form=renamed, comment="new spelling")
    assert not vocabulary.edit_actor(ws, user=ADMIN, code="liwa-al-tahrir", form=renamed, comment="")
    with pytest.raises(VocabularyError) as refused:
        vocabulary.retire_actor(ws, user=ADMIN, code="liwa-al-tahrir", comment=" ")
    assert refused.value.key == "reason_missing"
    assert vocabulary.retire_actor(ws, user=ADMIN, code="liwa-al-tahrir", comment="dissolved into the SNA")
    with pytest.raises(NotFound):
        vocabulary.retire_actor(ws, user=ADMIN, code="no-such", comment="x")
    entries = history(ws.db, entity="actor", entity_id=actor_id(ws.db, "liwa-al-tahrir"))
    assert [e.action for e in entries] == ["add", "edit", "retire"]
    assert entries[1].before == {"aliases_en": ["Tahrir Brigade", "Liwa Tahrir"]}
    assert entries[2].comment == "dissolved into the SNA"
    # Retired, never deleted: past records still name it, forms no longer offer it.
    assert vocab.actors()["liwa-al-tahrir"].retired
    assert "liwa-al-tahrir" not in vocab.active_actors()
    assert [a.code for a in list_recorded(ws.db)] == ["liwa-al-tahrir"]


def test_a_pasted_report_naming_a_new_actor_yields_it_as_perpetrator_at_once(ws: Workspace) -> None:
    before = ingest.ingest_text(ws, user=ADMIN, text=REPORT_EN)
    assert before.incidents == 1
    assert all(i.actor != "liwa-al-tahrir" for inc in repository.list_incidents(ws.db) for i in inc.perpetrators)
    _add(ws)
    for text in (REPORT_EN.replace("3 March", "4 March"), REPORT_AR):
        result = ingest.ingest_text(ws, user=ADMIN, text=text)
        assert result.incidents == 1, text
    found = [inc for inc in repository.list_incidents(ws.db)
             if any(p.actor == "liwa-al-tahrir" for p in inc.perpetrators)]
    assert len(found) == 2
    assert incident_to_contract(found[0])["perpetrators"][0]["actor"] == "armed-opposition"
    # The perpetrator filter "with its factions" finds them under the coalition, and by their own code.
    mine = queries.list_incidents(ws.db, filters=IncidentFilter(perpetrator="liwa-al-tahrir"))
    coalition = queries.list_incidents(ws.db, filters=IncidentFilter(perpetrator="armed-opposition"))
    assert {i.id for i in mine} == {i.id for i in found} <= {i.id for i in coalition}
    # Retired: the next report naming it no longer yields it.
    vocabulary.retire_actor(ws, user=ADMIN, code="liwa-al-tahrir", comment="dissolved")
    ingest.ingest_text(ws, user=ADMIN, text=REPORT_EN.replace("3 March", "5 March"))
    assert len([inc for inc in repository.list_incidents(ws.db)
                if any(p.actor == "liwa-al-tahrir" for p in inc.perpetrators)]) == 2


def test_another_process_notices_an_added_actor(ws: Workspace) -> None:
    _add(ws)
    # As a second web worker would be: its merged vocabulary is from before the change.
    vocab.use_recorded_actors([])
    vocabulary._State.stamp = None
    assert "liwa-al-tahrir" not in vocab.actors()
    assert ws.extractor.extract(REPORT_EN)[0].perpetrators[0].actor == "liwa-al-tahrir"
    assert "liwa-al-tahrir" in vocab.actors()
