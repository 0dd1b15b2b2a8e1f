"""Learning from review: train, evaluate and choose the event-type model of a workspace.

Every incident a documenter confirmed or a reviewer verified is a labelled
example: the words of its evidence span, the type a person kept, and the type
the rules had suggested (a correction says where the rules go wrong, so it
counts twice). ``tawthiq extract train`` fits :mod:`tawthiq.extract.learned`
on them, measures it first on a held-out fifth (chosen by incident id, so the
same record always gives the same split) against the rules alone, then fits
it on everything and keeps the file with those figures; the team setting
``extract.type_model`` names the model ingest uses, or ``shipped`` for the
rules as shipped. Each change of that setting is audited (who, when, why).
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..domain import ClaimField, Incident
from ..domain.filters import IncidentFilter
from . import Workspace
from .errors import ServiceError

__all__ = ["SETTING", "SHIPPED", "Evaluation", "TrainResult", "current_model", "evaluate", "load_type_model",
           "train_model", "training_examples", "use_model"]

SETTING = "extract.type_model"
SHIPPED = "shipped"
MIN_EXAMPLES = 20
MIN_CORRECTIONS = 2  # corrections a written form needs before the model credits it (one typo must not teach)
_PAGE = 500
_HELD_OUT = 5  # one incident in five, by id, is kept out of training to measure the model


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Event-type accuracy on held-out reviewed incidents: the rules alone and with the model."""

    examples: int
    rules_right: int
    model_right: int
    changed: int  # how many the model retyped

    @property
    def rules_accuracy(self) -> float:
        return self.rules_right / self.examples if self.examples else 0.0

    @property
    def model_accuracy(self) -> float:
        return self.model_right / self.examples if self.examples else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"examples": self.examples, "rules_right": self.rules_right, "model_right": self.model_right,
                "changed": self.changed, "rules_accuracy": round(self.rules_accuracy, 3),
                "model_accuracy": round(self.model_accuracy, 3)}


@dataclass(frozen=True, slots=True)
class TrainResult:
    name: str  # the model file
    examples: int
    corrections: int
    held_out: Evaluation
    in_use: bool
    actors: Evaluation | None = None  # perpetrators on the held-out fifth: the rules, and with the learned forms
    places: Evaluation | None = None  # the place name, likewise
    actor_forms: int = 0  # written forms learned (on everything)
    place_forms: int = 0


def _reviewed(ws: Workspace) -> Iterator[Incident]:
    from ..store.queries import list_incidents

    offset = 0
    while True:
        page = list_incidents(ws.db, filters=IncidentFilter(status=("confirmed", "verified")), limit=_PAGE,
                              offset=offset)
        if not page:
            return
        yield from page
        offset += len(page)


def training_examples(ws: Workspace) -> list[tuple[int, Any]]:
    """(incident id, Example) for every reviewed incident with an evidence span the rules had typed."""
    from ..extract.learned import Example, candidate_types
    from ..extract.lexicon import detect_language, lexicon

    out: list[tuple[int, Any]] = []
    for incident in _reviewed(ws):
        span = incident.evidence[0] if incident.evidence else None
        typed = [c for c in incident.claims if c.field is ClaimField.EVENT_TYPE]
        rule = next((c for c in typed if c.method.startswith(("rule:", "model:"))), None)
        if span is None or not span.quote.strip() or rule is None or incident.id is None:
            continue  # entered by hand, or nothing the rules said to learn from
        corrected = rule.value != incident.event_type  # a person changed what the machine said
        language = detect_language(span.quote)
        names, types = candidate_types(lexicon(language), _fold(span.quote))
        out.append((incident.id, Example(text=span.quote, language=language, label=incident.event_type,
                                         rule_type=str(rule.value), triggers=tuple(names),
                                         weight=2.0 if corrected else 1.0, candidates=tuple(types))))
    return out


def _fold(text: str) -> str:
    from ..domain.arabic import fold_letters

    return fold_letters(text)


def _held_out(incident_id: int) -> bool:
    return zlib.crc32(str(incident_id).encode()) % _HELD_OUT == 0


def _classes() -> list[str]:
    from ..domain import vocab

    return sorted(vocab.event_types())


def _score(model: Any, examples: list[Any]) -> Evaluation:
    """How many held-out examples the rules, and the rules with ``model``, type as the person did."""
    from ..extract.learned import candidate_types, features
    from ..extract.lexicon import lexicon

    rules_right = model_right = changed = 0
    for e in examples:
        _names, types = candidate_types(lexicon(e.language), _fold(e.text))
        candidates = list(dict.fromkeys([e.rule_type, *types]))
        choice = e.rule_type
        if len(candidates) > 1:
            probs = model.probabilities(features(e.text, language=e.language, rule_type=e.rule_type,
                                                 triggers=e.triggers), candidates)
            best = max(candidates, key=lambda c: (probs[c], c == e.rule_type))
            if best != e.rule_type and probs[best] >= model.threshold:
                choice = best
        rules_right += e.rule_type == e.label
        model_right += choice == e.label
        changed += choice != e.rule_type
    return Evaluation(examples=len(examples), rules_right=rules_right, model_right=model_right, changed=changed)


def train_model(ws: Workspace, *, actor: str, reason: str = "", use: bool = True,
                min_corrections: int = MIN_CORRECTIONS) -> TrainResult:
    """Train on the reviewed record, measure on its held-out fifth, keep the model (and use it if ``use``).

    Besides event types, the model keeps the actor and place forms reviewers' corrections taught, each
    seen in at least ``min_corrections`` corrections (see ``learned_forms.py``)."""
    from ..extract.learned import train
    from ..store.learned_models import write_model
    from .learned_forms import form_examples, learn_forms

    if min_corrections < 1:
        raise ServiceError("--min-corrections must be 1 or more", kind="learning.bad_min", value=min_corrections)
    pairs = training_examples(ws)
    if len(pairs) < MIN_EXAMPLES:
        raise ServiceError(f"{len(pairs)} reviewed incidents with evidence to learn from; at least "
                           f"{MIN_EXAMPLES} are needed (confirm or correct suggestions first)",
                           kind="learning.too_few", value=len(pairs))
    classes = _classes()
    train_part = [e for i, e in pairs if not _held_out(i)]
    test_part = [e for i, e in pairs if _held_out(i)]
    held = _score(train(train_part, classes=classes), test_part)
    reviewed = form_examples(_reviewed(ws))
    held_forms = learn_forms([x for x in reviewed if not _held_out(x[0])], min_corrections=min_corrections)
    held_actors, held_places = _score_forms(held_forms, [x for x in reviewed if _held_out(x[0])])
    forms = learn_forms(reviewed, min_corrections=min_corrections)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")  # the model's id, in every claim it makes
    corrections = sum(1 for _, e in pairs if e.weight > 1)
    meta = {"id": stamp, "trained_at": datetime.now(UTC).isoformat(timespec="seconds"), "trained_by": actor,
            "examples": len(pairs), "corrections": corrections, "held_out": held.as_dict(),
            "held_out_actors": held_actors.as_dict(), "held_out_places": held_places.as_dict(),
            "min_corrections": min_corrections}
    model = train([e for _, e in pairs], classes=classes, meta=meta)
    model.forms = forms
    name = write_model(ws.settings.data_dir, stamp=stamp, data=model.to_bytes(), files_key=_files_key(ws))
    in_use = False
    if use:
        use_model(ws, name=name, actor=actor, reason=reason or f"trained on {len(pairs)} reviewed incidents")
        in_use = True
    return TrainResult(name=name, examples=len(pairs), corrections=corrections, held_out=held, in_use=in_use,
                       actors=held_actors, places=held_places, actor_forms=len(forms["actors"]),
                       place_forms=len(forms["places"]))


def _score_forms(forms: dict[str, Any], held: list[tuple[int, Any, Any]]) -> tuple[Evaluation, Evaluation]:
    """Perpetrator and place accuracy of the rules, and with ``forms``, on held-out examples."""
    from .learned_forms import score_actors, score_places

    out = []
    for scorer, part in ((score_actors, [a for _i, a, _p in held]), (score_places, [p for _i, _a, p in held])):
        n, rules_right, model_right, changed = scorer(forms, part)
        out.append(Evaluation(examples=n, rules_right=rules_right, model_right=model_right, changed=changed))
    return out[0], out[1]


def _files_key(ws: Workspace) -> bytes | None:
    keys = getattr(ws.blobs, "keys", None)
    return keys.files if keys is not None else None


def use_model(ws: Workspace, *, name: str, actor: str, reason: str) -> str:
    """Make ingest use model ``name`` ("latest" for the newest, ``shipped`` for the rules alone)."""
    from ..store.learned_models import ModelFileError, list_models, read_model
    from ..store.vocabulary import set_setting

    if not reason.strip():
        raise ServiceError("say why the model changes (--reason)", kind="learning.reason_required")
    if name == "latest":
        found = list_models(ws.settings.data_dir)
        if not found:
            raise ServiceError("no model has been trained in this workspace (tawthiq extract train)",
                               kind="learning.no_model")
        name = found[-1]
    if name != SHIPPED:
        from ..extract.learned import TypeModel

        try:
            TypeModel.from_bytes(read_model(ws.settings.data_dir, name, files_key=_files_key(ws)))
        except (ModelFileError, ValueError) as exc:
            raise ServiceError(str(exc), kind="learning.bad_model", value=name[:80]) from None
    set_setting(ws.db, SETTING, name, user=actor, comment=reason, default=SHIPPED)
    return name


def current_model(ws: Workspace) -> str:
    from ..store.vocabulary import get_setting

    return str(get_setting(ws.db, SETTING, SHIPPED) or SHIPPED)


def load_type_model(ws: Workspace) -> Any:
    """The model the setting names, or None for the shipped rules (a model that will not open: None too,
    so ingest goes on with the rules; ``tawthiq extract evaluate`` says what is wrong)."""
    from ..extract.learned import TypeModel
    from ..store.learned_models import ModelFileError, read_model

    name = current_model(ws)
    if name == SHIPPED:
        return None
    try:
        return TypeModel.from_bytes(read_model(ws.settings.data_dir, name, files_key=_files_key(ws)))
    except (ModelFileError, ValueError):
        return None


def evaluate(ws: Workspace, *, cases: Path | None = None) -> dict[str, Any]:
    """The model in use measured again: on the held-out fifth of today's reviewed record, and on ``cases``
    (the evaluation contract's YAML) when given; with the figures recorded when it was trained."""
    from ..store.learned_models import list_models

    name = current_model(ws)
    model = load_type_model(ws)
    out: dict[str, Any] = {"model": name, "models": list_models(ws.settings.data_dir)}
    if name != SHIPPED and model is None:
        raise ServiceError(f"the model in use ({name}) cannot be read; choose another with tawthiq extract use",
                           kind="learning.bad_model", value=name[:80])
    if model is not None:
        from .learned_forms import form_examples

        out["recorded"] = model.meta.get("held_out")
        out["recorded_actors"] = model.meta.get("held_out_actors")
        out["recorded_places"] = model.meta.get("held_out_places")
        held = [e for i, e in training_examples(ws) if _held_out(i)]
        out["held_out_now"] = _score(model, held).as_dict()
        actors, places = _score_forms(model.forms, [x for x in form_examples(_reviewed(ws)) if _held_out(x[0])])
        out["actors_now"], out["places_now"] = actors.as_dict(), places.as_dict()
        out["forms"] = {"actors": len(model.forms.get("actors") or {}), "places": len(model.forms.get("places") or {})}
    if cases is not None:
        out["cases"] = _score_cases(cases, model)
    return out


def _score_cases(path: Path, model: Any) -> dict[str, Any]:
    """Event-type accuracy of the rules, and of the rules with ``model``, on a YAML set of the contract."""
    import yaml

    from ..extract.engine import RuleExtractor

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        cases = list(data["cases"])
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ServiceError(f"cannot read {path} as an evaluation set: {type(exc).__name__}") from None
    extractors = {"rules": RuleExtractor(), "rules+model": RuleExtractor(type_model=model)} if model is not None \
        else {"rules": RuleExtractor()}
    out: dict[str, Any] = {}
    for label, extractor in extractors.items():
        right = asked = 0
        for case in cases:
            text = str(case.get("text") or "")
            found = extractor.extract(text, language=case.get("lang"))
            for gold in case.get("incidents") or []:
                if gold.get("optional") or not gold.get("event_type"):
                    continue
                start = text.find(str(gold.get("cue", "")))
                if start < 0:
                    continue
                end = start + len(str(gold["cue"]))
                hit = next((i for i in found if any(s.start < end and start < s.end for s in i.evidence)), None)
                asked += 1
                right += hit is not None and hit.event_type in gold["event_type"]
        out[label] = {"incidents": asked, "event_type_right": right,
                      "event_type_accuracy": round(right / asked, 3) if asked else None}
    return out
