"""What a viewer is given of an incident: its current public values and nothing else.

Every response for a role without :func:`~tawthiq.domain.access.sees_provenance`
(viewers) is built from these projections, not from the stored record with
fields hidden later, so a page or an API route added tomorrow cannot show
what the projection left out. Left out:

* claims: they quote the source (a witness's name in the machine's sentence),
  keep values a reviewer replaced, and name the staff who made them;
* evidence spans and the mentions "as written" of perpetrators, victims and
  the date: quotes of source text, and copied from the machine's reading even
  after a person changed the value beside them (a corrected date keeps the
  text it was read from);
* the source ids, history, named persons: who reported what, and who decided.

Kept: the codes, counts, place, EDTF date and description a reviewer
published. The place's own text is kept: it is the name of the place as
matched in the gazetteer or typed by a person, replaced whole whenever the
place is corrected, and it is what search matches besides the description,
so search for viewers only ever matches values they are shown.
"""
from __future__ import annotations

import dataclasses

from ..domain.model import Incident
from ..store.queries import IncidentSummary

__all__ = ["public_incident", "public_summary"]


def public_incident(incident: Incident) -> Incident:
    """A copy of ``incident`` with only the current public values."""
    return dataclasses.replace(
        incident,
        involvements=[dataclasses.replace(i, text="") for i in incident.involvements],
        victims=[dataclasses.replace(v, text="") for v in incident.victims],
        date=dataclasses.replace(incident.date, text="") if incident.date is not None else None,
        evidence=[], claims=[], source_id=None, cluster_id=None, independent_sources=None,
    )


def public_summary(summary: IncidentSummary) -> IncidentSummary:
    """A list, map or timeline row without the date as written, the source or the cluster.

    A cluster may join restricted incidents (its id can be one) and its count
    of independent sources counts sources a viewer may not know of.
    """
    return dataclasses.replace(summary, date_text="", source_id=None, cluster_id=None, independent_sources=0,
                               confidence=None)
