"""The review queue's order and filters as a query string, read leniently and written back.

One value travels three ways: the queue page's own query string, the links
from the queue to each item (``?queue=…``) and the hidden ``queue`` field of
the decision forms, so that after a decision the next suggestion is the one
that followed in the queue the person was working through. Only known keys
are kept; an unknown order is the default rather than an error, and a
malformed filter (a bad date, say) drops the filters and is reported.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from ..domain.access import User
from ..domain.filters import IncidentFilter
from ..services import reading
from ..services.errors import ServiceError

# The page's names for the orders, and the store's.
SORTS = {"newest": "-id", "oldest": "id", "confidence": "confidence"}
DEFAULT_SORT = "newest"  # new material on top
GROUPS = ("source",)
FILTER_KEYS = ("event_type", "perpetrator", "governorate", "place", "source_id", "date_from", "date_to",
               "received_from", "received_to")
# The queue's own filters, kept out of IncidentFilter's query strings (see domain/filters.py).
QUEUE_KEYS = ("language", "assignee")
UNFOLD = "off"  # "fold=off": identical suggestions from one source each on its own row (folded by default)
KNOWN_KEYS = ("sort", "group", *FILTER_KEYS, *QUEUE_KEYS, "fold")
LANGUAGES = ("ar", "en")  # offered in the select; another ISO 639 code typed in a link works too
ME = "me"  # "assignee=me": the person reading the queue, whoever they are
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_USERNAME = re.compile(r"[^\x00-\x1f\x7f]{1,100}")
MAX_QUEUE_CHARS = 2000  # a hidden field from the browser: bounded before it is parsed


@dataclass(frozen=True, slots=True)
class QueueQuery:
    sort: str = DEFAULT_SORT
    group: str = ""
    filters: IncidentFilter = field(default_factory=IncidentFilter)
    bad_filter: bool = False  # a filter could not be read and all were dropped
    language: str = ""  # of the source a suggestion was read from
    assignee: str = ""  # an account's name, or ME
    fold: bool = True  # identical suggestions from one source as one row (services/queue_folds.py)
    # Why the filter could not be read (said in the page's language by the template's ``problem``).
    problem: ServiceError | None = field(default=None, compare=False)

    @property
    def store_sort(self) -> str:
        """The order the reading service is asked for: by source then id when grouped."""
        return "source" if self.group == "source" else SORTS[self.sort]

    def params(self) -> dict[str, str | list[str]]:
        """The chosen values only (defaults left out), in a stable order."""
        out: dict[str, str | list[str]] = {}
        if self.sort != DEFAULT_SORT:
            out["sort"] = self.sort
        if self.group:
            out["group"] = self.group
        chosen = self.filters.to_params()
        out.update((k, chosen[k]) for k in FILTER_KEYS if k in chosen)
        if self.language:
            out["language"] = self.language
        if self.assignee:
            out["assignee"] = self.assignee
        if not self.fold:
            out["fold"] = UNFOLD
        return out

    def filters_for(self, user: User) -> IncidentFilter:
        """The filter the services are asked for, with the queue's own choices ("me" is ``user``)."""
        assigned = user.username if self.assignee == ME else self.assignee
        return dataclasses.replace(self.filters, language=self.language or None, assigned_to=assigned or None)

    def query(self) -> str:
        """``params()`` as a query string (no leading "?"); "" for the default queue."""
        return urlencode(self.params(), doseq=True)

    @property
    def filtered(self) -> bool:
        return bool(self.params())


def parse_queue(params: Mapping[str, str]) -> QueueQuery:
    """The queue a query string asks for; unknown keys are ignored, an unknown order is the default."""
    def text(name: str) -> str:
        value = params.get(name)
        return value.strip() if isinstance(value, str) else ""

    sort = text("sort")
    group = text("group")
    picked = {k: text(k) for k in FILTER_KEYS if text(k)}
    try:
        filters, bad, problem = reading.parse_filter(picked), False, None
    except ServiceError as exc:
        filters, bad, problem = IncidentFilter(), True, exc
    language, assignee = text("language").lower(), text("assignee")
    if (language and not _LANGUAGE.fullmatch(language)) or (assignee and not _USERNAME.fullmatch(assignee)):
        filters, bad = IncidentFilter(), True
    if bad:
        language = assignee = ""
    return QueueQuery(sort=sort if sort in SORTS else DEFAULT_SORT, group=group if group in GROUPS else "",
                      filters=filters, bad_filter=bad, language=language, assignee=assignee, problem=problem,
                      fold=text("fold") != UNFOLD)


def queue_from_field(raw: object) -> QueueQuery:
    """The hidden ``queue`` field of a decision form: validated as the queue's own query string,
    and the default queue when it cannot be read at all."""
    if not isinstance(raw, str) or len(raw) > MAX_QUEUE_CHARS:
        return QueueQuery()
    pairs = parse_qsl(raw, keep_blank_values=False)
    found = parse_queue({k: v for k, v in reversed(pairs) if k in KNOWN_KEYS})  # the first value wins
    return QueueQuery() if found.bad_filter else found
