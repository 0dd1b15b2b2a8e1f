"""Failures a service reports to its caller (CLI line, web page, API status)."""
from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A user-facing failure, printed as one line. The API answers 400.

    The message is the CLI's (and the API's) English line. ``kind`` names the problem, stably, for an interface
    that says it in its own language, with ``values`` (what was typed, which field); "" when it has no kind yet.
    """

    def __init__(self, message: str = "", *, kind: str = "", **values: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.values: dict[str, Any] = dict(values)


class BadFilterDate(ServiceError):
    """A filter's date is no day (``field``: date_from, date_to, received_from, received_to; ``value``: as typed,
    at most 40 characters), for pages that name both in their own language."""

    def __init__(self, message: str, *, field: str, value: str) -> None:
        # A kind too, so any page that shows a service's refusal says it in its own language.
        super().__init__(message, kind="filter.bad_date", field=field, value=value)
        self.field, self.value = field, value


class NotFound(ServiceError):
    """The record does not exist, or the user may not know it exists (404)."""


class PermissionDenied(ServiceError):
    """The user's role does not allow the action (403)."""


class Conflict(ServiceError):
    """The request contradicts the record's state, e.g. merging an incident into itself (409)."""
