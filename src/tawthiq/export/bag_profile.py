"""What a package for an audience narrower than a court keeps (issue 13 §5): the profile's cut of the bag.

A court package (the default) carries everything. For another profile
(:mod:`tawthiq.domain.profiles`) the selection is cut before a byte is
written, never hidden afterwards:

* incidents: only those the profile's levels and review statuses let
  through, each as the profile's projection builds it (``Audience.project``,
  :func:`tawthiq.services.public.project_incident`);
* sources: only with a profile that gives sources at all, and then only the
  shareable ones (``Audience.shares``, the rule of
  :func:`tawthiq.domain.profiles.source_shareable`). A source that is not
  shareable is left out of the sources index whole (not listed without its
  text: its title and file name can name the people its text names); the
  package lists its id under ``not_included`` so the incidents' ``source_id``
  is explained;
* originals (and their working copies): only where every source read out of
  the file is shareable (a batch file holds every row, not only the shared
  one) and the file does not name its senders (an e-mail's headers, a chat
  export, a batch file's other columns); a shared source whose original
  stays behind keeps its text, which ``verify-package`` then says it could
  not re-derive;
* of a shared source: no author, URL, grader or grading note, and of its
  metadata only what re-reading the original needs (the reader and the
  column mapping): the rest holds senders and contacts;
* no named persons, no custody ledger (it names staff, machines and senders),
  no staff on working copies or on the package itself.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.enums import Confidentiality, IncidentStatus

if TYPE_CHECKING:
    from ..domain import Incident, Source
    from ..domain.profiles import Profile

__all__ = ["KEPT_METADATA", "Audience", "Sharing", "lets_through", "source_for_profile"]

# What verify-package needs of a source's metadata to re-read its original as ingest did (bag_texts).
KEPT_METADATA = ("reader", "mapping")


@dataclass(frozen=True, slots=True)
class Sharing:
    """Of the sources asked about: those whose text travels, and the originals whose bytes travel."""

    texts: frozenset[int]
    originals: frozenset[str]  # sha256 of originals every source of which is shareable


@dataclass(frozen=True, slots=True)
class Audience:
    """A profile other than court, with what the services know how to do for it."""

    profile: Profile
    # Those of these incidents the profile lets through under the sight rules of a reader limited to its
    # levels (the team's second-review rule included): :func:`lets_through` and the store's sight terms.
    admits: Callable[[Sequence[Incident]], list[Incident]]
    project: Callable[[Incident], Incident]  # the profile's projection of one incident
    shares: Callable[[Sequence[Source]], Sharing]  # which of these sources (and originals) it may give


def lets_through(profile: Profile, incident: Incident) -> bool:
    """Whether ``profile``'s levels and review statuses let ``incident`` through (the sight rules aside)."""
    return (Confidentiality(incident.confidentiality) in profile.confidentialities
            and IncidentStatus(incident.status) in profile.statuses)


def source_for_profile(record: dict[str, Any], *, profile: Profile, original_included: bool) -> dict[str, Any]:
    """A shared source's record as ``profile`` gives it: a new dict of the fields it allows."""
    kept = {k: record[k] for k in ("id", "kind", "sha256", "record_key", "title", "language", "published",
                                   "retrieved_at", "media_type", "size", "text")}
    evaluation = record["evaluation"]
    kept["evaluation"] = {"reliability": evaluation["reliability"], "credibility": evaluation["credibility"]}
    metadata = record.get("metadata") or {}
    kept["metadata"] = {k: metadata[k] for k in KEPT_METADATA if k in metadata}
    # The name as received can name a person ("testimony of …"); the reader is chosen by its extension.
    suffix = record["original_name"].rsplit(".", 1)[1] if "." in record["original_name"] else ""
    kept["original_name"] = f"original.{suffix}" if suffix else "original"
    kept["original"] = record["original"] if original_included else None
    kept["derivatives"] = list(record["derivatives"]) if original_included else []
    if profile.authors:  # no profile but court gives them today; kept should one come to
        kept.update(author=record["author"], url=record["url"])
    return kept
