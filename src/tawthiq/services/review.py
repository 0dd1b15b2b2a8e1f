"""People's decisions on incidents: accept, reject, verify, edit (or correct, then accept), merge, create
(adding material is in .ingest).

Every decision is checked against the user's role here (never trusted from
the caller), written in one transaction, and recorded in the audit log with
who, when, the fields before and after, and the comment. Overriding the
machine needs a reason: rejecting a suggestion, or changing a field that
only machine claims support, requires a comment, so a later reader can see
why a person disagreed with the extractor.

Nothing goes public without a reviewer: a change (edit, correction, merge)
to a public incident by someone who may not publish takes it out of
publication (back to restricted, recorded as "withdraw" with the reason)
until a reviewer publishes it again; and a merge makes the incident that
absorbs the other as restricted as the stricter of the two, unless a
reviewer decides otherwise.
"""
from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..domain import vocab
from ..domain.access import Action, User, allowed, looser, strictest, visible_confidentialities
from ..domain.breakdown import breakdown_problem
from ..domain.claims import supports
from ..domain.enums import ClaimField, Confidentiality, IncidentStatus, InvolvementRole
from ..domain.judgements import Judgement, Subject, Verdict
from ..domain.model import Claim, Incident, IncidentDate, Involvement, Location, Span, VictimGroup
from ..domain.quotes import QuoteMismatch, cited_span
from . import Workspace
from .errors import Conflict, NotFound, PermissionDenied, ServiceError

HUMAN = "human"
EDITABLE = ("event_type", "violations", "perpetrators", "victims", "location", "date", "description",
            "confidentiality")
# The claim field that backs each editable field (confidentiality is a decision, not a fact).
CLAIM_FIELD: dict[str, ClaimField] = {
    "event_type": ClaimField.EVENT_TYPE, "violations": ClaimField.VIOLATION,
    "perpetrators": ClaimField.PERPETRATOR, "victims": ClaimField.VICTIMS, "location": ClaimField.LOCATION,
    "date": ClaimField.DATE, "description": ClaimField.DESCRIPTION,
}


class Clear(enum.Enum):
    """Asks for a field to be emptied, which ``None`` ("leave it") cannot say."""

    CLEAR = "clear"


# A wrong place or date must be removable, not only replaceable: the audit log
# then records the old value before and null after, and a human claim says null.
CLEAR = Clear.CLEAR


@dataclass(slots=True)
class IncidentChanges:
    """Fields to change; None leaves a field as it is, ``CLEAR`` empties the place or the date.

    ``spans`` cites where in ``source_id``'s text (default: the incident's
    own source) a changed field is stated, keyed by field name.
    """

    event_type: str | None = None
    violations: list[str] | None = None
    perpetrators: list[Involvement | str] | None = None
    victims: list[VictimGroup] | None = None
    location: Location | Clear | None = None
    date: IncidentDate | Clear | None = None
    description: str | None = None
    confidentiality: Confidentiality | str | None = None
    spans: dict[str, Span] = field(default_factory=dict)
    source_id: int | None = None

    def any(self) -> bool:
        """Whether a field is to change (spans and their source only cite: alone they change nothing)."""
        return any(getattr(self, name) is not None for name in EDITABLE)


# Why a public incident left publication, for the history (the person's own comment is on the edit).
HELD_REASON = ("changed by a role that may not publish: out of publication until a reviewer "
               "publishes it again")


class CommentMissing(ServiceError):
    """Overriding the machine without saying why: a reason is needed (the pages ask in their language)."""


class PublishNeedsReviewer(ServiceError):
    """A correction that would make an incident public, by a role that may not publish."""


class Changed(list[str]):
    """The fields an edit changed, in order (compares equal to a plain list).

    ``withdrawn`` is true when the change took a public incident out of
    publication because its author may not publish (see :func:`_hold`).
    """

    withdrawn: bool = False
    # The team requires a second reviewer and the change sent a verified incident back to confirmed.
    reverify: bool = False


def _hold(session: Any, user: User, incident_id: int, level: Confidentiality) -> bool:
    """After a change by ``user`` to an incident now at ``level``: a public one goes back
    to restricted unless ``user`` may publish. Returns whether it did."""
    from ..store import edits

    if level is not Confidentiality.PUBLIC or allowed(user.role, Action.PUBLISH):
        return False
    edits.set_confidentiality(session, incident_id, level=Confidentiality.RESTRICTED.value, user=user.username,
                              action="withdraw", comment=HELD_REASON)
    return True


def _require(user: User, action: Action) -> None:
    if user.disabled or not allowed(user.role, action):
        raise PermissionDenied(f"your role ({user.role}) may not {action.value.replace('-', ' ')}")


def _load(session: Any, user: User, incident_id: int, *, for_update: bool = True) -> Incident:
    from ..store.edits import load_incident

    incident = load_incident(session, int(incident_id), for_update=for_update)
    if incident is None or incident.confidentiality not in visible_confidentialities(user.role):
        raise NotFound(f"no incident with id {incident_id}")
    return incident


# ------------------------------------------------------------------- status


def _decide(ws: Workspace, user: User, incident_id: int, status: IncidentStatus, comment: str, *,
            changes: IncidentChanges | None = None, check: Callable[[Any, Incident], None] | None = None) -> Changed:
    from ..store import edits

    comment = (comment or "").strip()
    changed = Changed()
    with ws.db.session(write=True) as session:
        incident = _load(session, user, incident_id)
        if incident.status is IncidentStatus.MERGED:
            raise Conflict(f"incident {incident_id} was merged into #{incident.merged_into_id}; decide there")
        if check is not None:
            check(session, incident)
        if status is IncidentStatus.REJECTED and incident.status is IncidentStatus.SUGGESTED and not comment:
            raise CommentMissing("a comment is needed to reject a suggestion")
        if changes is not None:
            changed = _edit(session, ws, user, incident, changes, comment)
        edits.set_status(session, incident.id, status=status, user=user.username, comment=comment)  # type: ignore[arg-type]
    return changed


def accept(ws: Workspace, *, user: User, incident_id: int, comment: str = "") -> None:
    """Confirm: a person agrees the incident happened as recorded."""
    _require(user, Action.EDIT)
    _decide(ws, user, incident_id, IncidentStatus.CONFIRMED, comment)


def reject(ws: Workspace, *, user: User, incident_id: int, comment: str) -> None:
    """Reject (kept for the record, never deleted); a suggestion needs a reason."""
    _require(user, Action.EDIT)
    _decide(ws, user, incident_id, IncidentStatus.REJECTED, comment)


class SecondReviewNeeded(Conflict):
    """Refused by the team's second-review rule: ``key`` names the interface's message (``verify.error.<key>``)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def _second_reviewer(user: User) -> Callable[[Any, Incident], None]:
    """The check a verification passes, in its transaction, when the team requires a second reviewer:
    the incident was accepted (so there is a first person), and not by the one verifying it."""
    from ..store.conditions import second_review
    from ..store.history import accepted_by

    def check(session: Any, incident: Incident) -> None:
        if not second_review(session):
            return
        if incident.status not in (IncidentStatus.CONFIRMED, IncidentStatus.VERIFIED):
            raise SecondReviewNeeded("not_accepted", "accept the incident first: a second reviewer verifies "
                                     "what another person accepted")
        accepter = accepted_by(session, [int(incident.id or 0)]).get(int(incident.id or 0))
        if accepter is not None and accepter == user.username:
            raise SecondReviewNeeded("same_reviewer", "you accepted this incident: another reviewer must "
                                     "verify it")

    return check


def verify(ws: Workspace, *, user: User, incident_id: int, comment: str = "") -> None:
    """Verified against the sources: a reviewer's decision, not a documenter's.

    When the team requires a second reviewer, only an accepted incident can be
    verified, and not by the person who accepted it (:class:`SecondReviewNeeded`).
    """
    _require(user, Action.VERIFY)
    _decide(ws, user, incident_id, IncidentStatus.VERIFIED, comment, check=_second_reviewer(user))


# --------------------------------------------------------------------- edit


def update_incident(ws: Workspace, *, user: User, incident_id: int, changes: IncidentChanges,
                    comment: str) -> Changed:
    """Apply ``changes``; returns the fields that actually changed (an empty list
    changes nothing and records nothing). A public incident changed by someone
    who may not publish goes back to restricted (``withdrawn``)."""
    _require(user, Action.EDIT)
    with ws.db.session(write=True) as session:
        incident = _load(session, user, incident_id)
        if incident.status is IncidentStatus.MERGED:
            raise Conflict(f"incident {incident_id} was merged into #{incident.merged_into_id}; edit that one")
        return _edit(session, ws, user, incident, changes, (comment or "").strip())


def accept_with_edit(ws: Workspace, *, user: User, incident_id: int, changes: IncidentChanges,
                     comment: str) -> Changed:
    """Correct a suggestion and confirm it, in one transaction (the fields changed, as
    :func:`update_incident` returns them)."""
    _require(user, Action.EDIT)
    return _decide(ws, user, incident_id, IncidentStatus.CONFIRMED, comment, changes=changes)


class Correction(enum.Enum):
    """What a correction from the review page came to (the value names the page's notice)."""

    ACCEPTED = "accepted"
    ACCEPTED_HELD = "accepted_held"  # accepted, and the change took a public incident out of publication
    EDITED = "edited"
    EDITED_HELD = "edited_held"
    EDITED_REVERIFY = "edited_reverify"  # a verified incident changed under the second-review rule: confirmed again
    UNCHANGED = "unchanged"  # the form asked for no change: nothing recorded


def correct(ws: Workspace, *, user: User, incident_id: int, changes: Callable[[Incident], IncidentChanges],
            comment: str, then_accept: bool) -> Correction:
    """A person's correction of an incident: save it, or (for a suggestion) save it and accept.

    ``changes`` reads what the person asks for against the incident as it
    stands (a form shows the stored values; what it sends back unchanged is
    no change), outside any transaction; whatever it raises reaches the
    caller. Accepting a suggestion needs no comment when nothing changes;
    changing one does (:class:`CommentMissing`), and making an incident public
    is a reviewer's decision (:class:`PublishNeedsReviewer`).
    """
    _require(user, Action.EDIT)
    with ws.db.session() as session:
        current = _load(session, user, incident_id, for_update=False)
    wanted = changes(current)
    if wanted.confidentiality == Confidentiality.PUBLIC and current.confidentiality is not Confidentiality.PUBLIC \
            and not allowed(user.role, Action.PUBLISH):
        raise PublishNeedsReviewer("only reviewers can make an incident public")
    comment = (comment or "").strip()
    suggested = current.status is IncidentStatus.SUGGESTED
    if wanted.any() and not comment and suggested:
        raise CommentMissing("a comment is needed to change what the machine suggested")
    if then_accept and suggested:
        if not wanted.any():
            accept(ws, user=user, incident_id=incident_id, comment=comment)
            return Correction.ACCEPTED
        changed = accept_with_edit(ws, user=user, incident_id=incident_id, changes=wanted, comment=comment)
        return Correction.ACCEPTED_HELD if changed.withdrawn else Correction.ACCEPTED
    if not wanted.any():
        return Correction.UNCHANGED
    changed = update_incident(ws, user=user, incident_id=incident_id, changes=wanted, comment=comment)
    if changed.reverify:  # out of viewers' sight whatever its level: the notice that matters most
        return Correction.EDITED_REVERIFY
    return Correction.EDITED_HELD if changed.withdrawn else Correction.EDITED


def _edit(session: Any, ws: Workspace, user: User, incident: Incident, changes: IncidentChanges,
          comment: str) -> Changed:
    from ..store import edits

    new = _validated(changes)
    for name in ("victims", "perpetrators", "date", "location"):
        if name in new:
            new[name] = _unquoted(_current(incident, name), new[name])
    if "confidentiality" in new and new["confidentiality"] is Confidentiality.PUBLIC \
            and incident.confidentiality is not Confidentiality.PUBLIC:
        _require(user, Action.PUBLISH)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    edited = dataclasses.replace(incident, claims=[])
    for name, value in new.items():
        old_json, new_json = _json(name, _current(incident, name)), _json(name, value)
        if old_json == new_json:
            continue
        before[name], after[name] = old_json, new_json
        if name == "perpetrators":
            targets = [i for i in incident.involvements if i.role is not InvolvementRole.PERPETRATOR]
            edited.involvements = list(value) + targets
        else:
            setattr(edited, name, value)
    if not after:
        return Changed()
    machine_only = [name for name in after if name in CLAIM_FIELD and _machine_only(incident, CLAIM_FIELD[name])]
    if not comment and (incident.status is IncidentStatus.SUGGESTED or machine_only):
        raise ServiceError("a comment is needed to change what the machine suggested")
    source_id = changes.source_id if changes.source_id is not None else incident.source_id
    spans = _checked_spans(session, changes.spans, source_id, fields=set(after))
    claims = [claim for name in after if name in CLAIM_FIELD
              for claim in _claims(name, after[name], spans.get(name), source_id, user, comment)]
    # A changed field's claims that no longer state what the record holds (the machine's "nine
    # killed" once a person wrote ten) are marked replaced, never deleted; those that still do
    # (a violation kept while another is added) stay current beside the person's.
    changed_fields = {CLAIM_FIELD[name] for name in after if name in CLAIM_FIELD}
    superseded = [c.id for c in incident.claims
                  if c.id is not None and c.current and c.field in changed_fields and not supports(c, edited)]
    reverify = edits.apply_edit(session, edited, changed=after, before=before, after=after, new_claims=claims,
                                user=user.username, comment=comment, superseded=superseded)
    changed = Changed(after)
    changed.reverify = reverify
    changed.withdrawn = _hold(session, user, incident.id, edited.confidentiality)  # type: ignore[arg-type]
    if changed.withdrawn:
        changed.append("confidentiality")
    return changed


def _unquoted(old: Any, value: Any) -> Any:
    """A corrected value keeps the source's wording ("as written") only where it still states it.

    The edit form carries each row's wording along, so ten killed would otherwise be shown as
    "10, killed 'nine civilians'"; an item unchanged from the record keeps its wording, a changed
    one keeps only wording a person gave it anew.
    """
    if value is None:
        return None
    if isinstance(value, list):
        carried = {item.text for item in old or []} - {""}
        return [dataclasses.replace(item, text="") if item.text in carried and item not in old else item
                for item in value]
    if old is not None and value != old and value.text and value.text == old.text:
        return dataclasses.replace(value, text="")
    return value


class DateRefused(ServiceError):
    """An event date that cannot be used: ``key`` names the interface's message
    (``record.edit.<key>``: ``bad_date``, or ``future_date`` for a day that has not come yet)."""

    def __init__(self, key: str, message: str, *, value: str) -> None:
        super().__init__(message)
        self.key, self.value = key, value


def checked_date(value: IncidentDate) -> IncidentDate:
    """An event date as it is stored: its digits ASCII (a date typed "٢٠١٩-٠٥-٠٧" is 2019-05-07), a
    real EDTF date, and not one whose earliest day is after today (:class:`DateRefused`)."""
    from ..domain.edtfrange import date_range, latest_today, starts_after, typed_edtf

    edtf = typed_edtf(value.edtf)
    if date_range(edtf) == (None, None):
        raise DateRefused("bad_date", f"not a valid EDTF date: {value.edtf[:60]!r} (e.g. 2015-10-07, 2015-10, "
                          "2015~)", value=value.edtf[:60])
    if starts_after(edtf, latest_today()):
        raise DateRefused("future_date", f"the event date {edtf[:60]!r} is after today: an event date cannot "
                          "be in the future", value=value.edtf[:60])
    return value if edtf == value.edtf else dataclasses.replace(value, edtf=edtf)


def _validated(changes: IncidentChanges) -> dict[str, Any]:
    new: dict[str, Any] = {}
    if changes.event_type is not None:
        if changes.event_type not in vocab.event_types():
            raise ServiceError(f"unknown event type {changes.event_type!r}")
        new["event_type"] = changes.event_type
    if changes.violations is not None:
        unknown = [v for v in changes.violations if v not in vocab.violations()]
        if unknown:
            raise ServiceError(f"unknown violation {unknown[0]!r}")
        new["violations"] = list(dict.fromkeys(changes.violations))
    if changes.perpetrators is not None:
        people = [p if isinstance(p, Involvement) else Involvement(actor=p) for p in changes.perpetrators]
        for p in people:
            if p.actor not in vocab.actors():
                raise ServiceError(f"unknown actor {p.actor!r}")
        new["perpetrators"] = [dataclasses.replace(p, role=InvolvementRole.PERPETRATOR) for p in people]
    if changes.victims is not None:
        for v in changes.victims:
            lo, hi = v.count_min, v.count_max
            if (lo is not None and lo < 0) or (hi is not None and hi < 0) or (
                    lo is not None and hi is not None and lo > hi):
                raise ServiceError("victim counts must be 0 or more, the lower bound not above the upper")
            problem = breakdown_problem(v)
            if problem is not None:  # the web form says it in the page's language before this
                raise ServiceError("the children, women and men of a victim group must be 0 or more and "
                                   "together not more than the group's largest count")
        new["victims"] = list(changes.victims)
    if changes.location is CLEAR:
        new["location"] = None
    elif changes.location is not None:
        new["location"] = changes.location
    if changes.date is CLEAR:
        new["date"] = None
    elif changes.date is not None:
        new["date"] = checked_date(changes.date)
    if changes.description is not None:
        new["description"] = changes.description.strip()
    if changes.confidentiality is not None:
        try:
            new["confidentiality"] = Confidentiality(changes.confidentiality)
        except ValueError:
            raise ServiceError(f"unknown confidentiality {changes.confidentiality!r}") from None
    return new


def _current(incident: Incident, name: str) -> Any:
    return incident.perpetrators if name == "perpetrators" else getattr(incident, name)


def _json(name: str, value: Any) -> Any:
    """The audit-log form of a field: codes and plain dicts."""
    if value is None:
        return None
    if name == "perpetrators":
        return [{"actor": i.actor, "degree": str(i.degree), "text": i.text} for i in value]
    if name == "victims":
        return [{k: (str(v) if hasattr(v, "value") else v) for k, v in dataclasses.asdict(g).items()} for g in value]
    if name in ("location", "date"):
        return {k: (str(v) if hasattr(v, "value") else v) for k, v in dataclasses.asdict(value).items()}
    if name == "violations":
        return list(value)
    return str(value)


def _machine_only(incident: Incident, claim_field: ClaimField) -> bool:
    """Whether the field's claims exist and none of them is a person's."""
    mine = [c for c in incident.claims if c.field is claim_field and c.current]
    return bool(mine) and all(c.method != HUMAN and not c.method.startswith("user:") for c in mine)


def _claims(name: str, value: Any, span: Span | None, source_id: int | None, user: User,
            comment: str) -> list[Claim]:
    """Human claims for one changed field: one per item for list fields, as the extractor does."""
    claim_field = CLAIM_FIELD[name]
    if name == "violations":
        values: list[Any] = list(value) or [None]
    elif name == "perpetrators":
        values = [p["actor"] for p in value] or [None]
    elif name == "victims":
        values = list(value) or [None]
    elif name == "date" and isinstance(value, dict):
        values = [value.get("edtf")]  # as the extractor states a date: its EDTF
    else:
        values = [value]
    return [Claim(field=claim_field, value=v, span=span, method=HUMAN, confidence=1.0,
                  source_id=source_id if span is not None else None, created_by=user.username, note=comment)
            for v in values]


def _checked_spans(session: Any, spans: dict[str, Span], source_id: int | None, *,
                   fields: set[str] | None = None) -> dict[str, Span]:
    """Spans that really quote the source (cut from its text); anything else is a ServiceError.

    A span given by its offsets alone (an empty quote: the API lets a caller
    leave the words out) quotes what the source holds there."""
    from ..store.edits import source_text

    if not spans:
        return {}
    if source_id is None:
        raise ServiceError("a cited span needs a source")
    text = source_text(session, int(source_id))
    if text is None:
        raise NotFound(f"no source with id {source_id}")
    out: dict[str, Span] = {}
    for name, span in spans.items():
        if fields is not None and name not in fields:
            continue
        try:
            quote = span.quote or text[max(span.start, 0):max(span.end, 0)]  # out of range: refused below
            out[name] = cited_span(text, quote=quote, start=span.start, end=span.end, field=name)
        except QuoteMismatch as exc:
            raise ServiceError(str(exc)) from None
    return out


# -------------------------------------------------------------------- merge


@dataclass(frozen=True, slots=True)
class MergeResult:
    claims_copied: int
    confidentiality: Confidentiality  # of the incident that absorbed the other, after the merge
    withdrawn: bool  # that incident was public and is no longer


def merge(ws: Workspace, *, user: User, incident_id: int, into_id: int, comment: str,
          confidentiality: Confidentiality | str | None = None) -> MergeResult:
    """Fold a duplicate into another incident.

    The incident that absorbs the other takes the stricter confidentiality of
    the two, or ``confidentiality`` when given: a level looser than that, or
    public, is a reviewer's decision (PUBLISH) and needs a comment. Merged
    into a public incident by someone who may not publish, the result goes
    back to restricted until a reviewer publishes it again.
    """
    from ..store import edits, judgements

    _require(user, Action.EDIT)
    if int(incident_id) == int(into_id):
        raise Conflict("an incident cannot be merged into itself", kind="merge.into_itself")
    comment = (comment or "").strip()
    try:
        chosen = Confidentiality(confidentiality) if confidentiality is not None else None
    except ValueError:
        raise ServiceError(f"unknown confidentiality {confidentiality!r}") from None
    with ws.db.session(write=True) as session:
        source = _load(session, user, incident_id)
        target = _load(session, user, into_id)
        if source.status is IncidentStatus.MERGED:
            raise Conflict(f"incident {incident_id} is already merged into #{source.merged_into_id}")
        if target.status in (IncidentStatus.MERGED, IncidentStatus.REJECTED):
            raise Conflict(f"incident {into_id} is {target.status.value}; merge into a current incident")
        strict = strictest(source.confidentiality, target.confidentiality)
        level, reason = strict, (f"merged with #{incident_id} ({source.confidentiality.value}): as restricted "
                                 "as the stricter of the two")
        loosened = chosen is not None and looser(chosen, strict)
        if chosen is not None:
            if chosen is Confidentiality.PUBLIC or loosened:
                _require(user, Action.PUBLISH)
                if loosened and not comment:
                    raise ServiceError("a comment is needed to make a merged incident less restricted "
                                       "than its parts")
            level = chosen
            if loosened:
                reason = (f"merged with #{incident_id}: {chosen.value}, looser than its stricter part "
                          f"({strict.value}), by a reviewer's decision: {comment}")
            else:
                reason = comment or reason
        # A person's merge is their "same" judgement on the pair: one record of sameness for people and linker.
        judgements.record_in(session, Judgement(subject=Subject.INCIDENT, left_id=int(incident_id),
                                                right_id=int(into_id), verdict=Verdict.SAME, actor=user.username,
                                                by_person=True, comment=comment))
        copied = edits.merge(session, int(incident_id), into_id=int(into_id), user=user.username,
                             comment=comment)
        # A reviewer's decision to loosen is recorded even when the level stays the target's own.
        if level is not target.confidentiality or loosened:
            edits.set_confidentiality(session, int(into_id), level=level.value, user=user.username,
                                      action="confidentiality", comment=reason)
        held = _hold(session, user, int(into_id), level)
        final = Confidentiality.RESTRICTED if held else level
        return MergeResult(claims_copied=copied, confidentiality=final,
                           withdrawn=target.confidentiality is Confidentiality.PUBLIC
                           and final is not Confidentiality.PUBLIC)


# ------------------------------------------------------------------- create


def create_incident(ws: Workspace, *, user: User, incident: Incident, source_id: int | None,
                    spans: dict[str, Span] | None = None, comment: str = "") -> int:
    """Record an incident a person documented; its facts are human claims citing ``spans``.

    ``spans`` is keyed like :class:`IncidentChanges` fields (event_type,
    violations, perpetrators, victims, location, date, description); each is
    checked to quote ``source_id``'s text exactly.
    """
    from ..store import edits
    from ..store.incidents import insert_incident

    _require(user, Action.EDIT)
    if incident.event_type not in vocab.event_types():
        raise ServiceError(f"unknown event type {incident.event_type!r}")
    try:
        confidentiality = Confidentiality(incident.confidentiality)
    except ValueError:
        raise ServiceError(f"unknown confidentiality {incident.confidentiality!r}") from None
    if confidentiality is Confidentiality.PUBLIC:
        _require(user, Action.PUBLISH)
    changes = IncidentChanges(violations=incident.violations, perpetrators=list(incident.perpetrators),
                              victims=incident.victims, date=incident.date)
    checked = _validated(changes)  # codes and dates as an edit would check them
    incident = dataclasses.replace(incident, date=checked.get("date", incident.date))  # its digits ASCII
    comment = (comment or "").strip()
    with ws.db.session(write=True) as session:
        checked = _checked_spans(session, spans or {}, source_id)
        facts: dict[str, Any] = {
            "event_type": incident.event_type, "violations": incident.violations,
            "perpetrators": _json("perpetrators", incident.perpetrators),
            "victims": _json("victims", incident.victims), "location": _json("location", incident.location),
            "date": incident.date.edtf if incident.date else None, "description": incident.description or None,
        }
        claims = [c for name, value in facts.items() if value not in (None, [], "")
                  for c in _claims(name, value, checked.get(name), source_id, user, comment)]
        new = dataclasses.replace(incident, status=IncidentStatus.CONFIRMED, claims=[], source_id=source_id,
                                  merged_into_id=None, id=None)
        new_id = insert_incident(session, new, source_id=source_id, user=user.username)
        # Added apart so that a fact stated without a span does not claim to come from the source.
        edits.add_claims(session, new_id, claims, default_source_id=None)
        return new_id


# -------------------------------------------------------------- evaluation


class GradeInvalid(ServiceError):
    """A grade outside the Admiralty scale (the pages say so in their language)."""


class GradeReasonMissing(ServiceError):
    """A grade given without saying why: the reason is part of the record."""


def set_source_evaluation(ws: Workspace, *, user: User, source_id: int, reliability: str, credibility: str,
                          note: str = "") -> None:
    """Grade a source on the Admiralty scale (who, when and why are recorded; the why is required)."""
    from ..domain.enums import Credibility, Reliability
    from ..store import repository

    _require(user, Action.EDIT)
    try:
        grade_r, grade_c = Reliability(reliability), Credibility(credibility)
    except ValueError:
        raise GradeInvalid("reliability is A-F and credibility 1-6") from None
    if not (note or "").strip():
        raise GradeReasonMissing("say why you give this grade")
    try:
        repository.grade_source(ws.db, int(source_id), reliability=grade_r, credibility=grade_c,
                                user=user.username, note=(note or "").strip())
    except repository.NotFoundError:
        raise NotFound(f"no source with id {source_id}") from None
