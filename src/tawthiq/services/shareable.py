"""Which sources an audience's profile may be given the text and original of (``SourceTexts.SHAREABLE``).

The rule is the domain's (:func:`tawthiq.domain.profiles.source_shareable`):
a source all of whose incidents the profile lets through as public, and no
victim list. Here it is applied to the record: every incident the source is
tied to is read (its own, those whose claims cite it, those it is attached to
as evidence), not only those a package or an export selected. An original
travels only when every source read out of it is shareable: a batch file
holds every row, and a row behind a restricted incident is in its bytes; and
never, for a profile without authors and contacts, a file that names its
senders (:data:`FILES_NAMING_SENDERS`).
"""
from __future__ import annotations

from collections.abc import Sequence

from ..domain import Source
from ..domain.profiles import Profile, source_shareable
from ..export.bag_profile import Sharing
from . import Workspace

__all__ = ["FILES_NAMING_SENDERS", "shareable_sources"]

# Readers whose files hold, beside the text a source keeps, who sent it or other people's details: an
# e-mail's headers, a chat export's senders, a batch file's other columns (a reporter's name or phone).
# A profile without authors and contacts gives these sources' texts, never their files.
FILES_NAMING_SENDERS = frozenset({"email", "telegram", "csv", "json", "jsonl"})


def shareable_sources(ws: Workspace, *, profile: Profile, sources: Sequence[Source]) -> Sharing:
    """Of ``sources``: those ``profile`` gives the text of, and the originals it gives the bytes of."""
    from ..ingest.person_list_original import READER as PERSON_LIST
    from ..store.incidents import incidents_by_ids
    from ..store.packages import incident_ids_of_source, source_ids_with_sha, source_names_people
    from ..store.sources import get_source

    known: dict[int, bool] = {}

    def shareable(source_id: int, source: Source | None = None) -> bool:
        if source_id not in known:
            source = source if source is not None else get_source(ws.db, source_id)
            reader = (source.metadata or {}).get("reader") if source is not None else None
            names = reader == PERSON_LIST or source_names_people(ws.db, source_id)
            known[source_id] = source is not None and source_shareable(
                profile, incidents=incidents_by_ids(ws.db, incident_ids_of_source(ws.db, source_id)),
                names_people=names)
        return known[source_id]

    texts = frozenset(s.id for s in sources if s.id is not None and shareable(s.id, s))
    files = {s.sha256 for s in sources if s.id in texts
             and (profile.authors or (s.metadata or {}).get("reader") not in FILES_NAMING_SENDERS)}
    originals = frozenset(sha for sha in files if all(shareable(sid) for sid in source_ids_with_sha(ws.db, sha)))
    return Sharing(texts=texts, originals=originals)
