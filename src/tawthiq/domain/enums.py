"""Closed sets of values used across the record.

These are the values that code branches on. Open-ended vocabularies (event
types, violation codes, actors) are data files loaded by ``vocab``, because
documentation teams extend them without touching code.
"""
from __future__ import annotations

from enum import StrEnum


class SourceKind(StrEnum):
    TEXT = "text"
    HTML = "html"
    PDF = "pdf"
    EMAIL = "email"
    RECORD = "record"  # one row of a CSV/JSON/JSONL batch of reports
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    WEB_ARCHIVE = "web_archive"  # a WARC or WACZ file
    TELEGRAM = "telegram"  # one message of a Telegram Desktop export
    PERSON_LIST = "person_list"  # a victim list (`tawthiq persons import`): kept as an original, not read for incidents
    OTHER = "other"


class DerivativeKind(StrEnum):
    """What a working copy made from an original is; the original itself is never changed."""

    TEXT = "text"  # the text a reader extracted (what evidence spans point into)
    THUMBNAIL = "thumbnail"
    PREVIEW = "preview"  # e.g. a PDF's first page, an audio waveform
    KEYFRAME = "keyframe"  # a still taken from a video
    REDACTED = "redacted"
    TRANSCODED = "transcoded"
    SCREENSHOT = "screenshot"  # made by `tawthiq capture` from the live page
    WARC = "warc"  # the HTTP exchange as captured
    HEADERS = "headers"  # the HTTP response headers as captured (JSON)
    CERTIFICATE = "certificate"  # the server's TLS certificate as captured (PEM)


class Reliability(StrEnum):
    """Admiralty code, source reliability (who said it)."""

    A = "A"  # completely reliable
    B = "B"  # usually reliable
    C = "C"  # fairly reliable
    D = "D"  # not usually reliable
    E = "E"  # unreliable
    F = "F"  # reliability cannot be judged


class Credibility(StrEnum):
    """Admiralty code, information credibility (what was said)."""

    CONFIRMED = "1"
    PROBABLY_TRUE = "2"
    POSSIBLY_TRUE = "3"
    DOUBTFUL = "4"
    IMPROBABLE = "5"
    CANNOT_BE_JUDGED = "6"


class IncidentStatus(StrEnum):
    SUGGESTED = "suggested"  # produced by a machine, nobody has looked yet
    CONFIRMED = "confirmed"  # a documenter accepted it
    VERIFIED = "verified"  # a reviewer checked it against the sources
    REJECTED = "rejected"  # kept for the record, never deleted
    MERGED = "merged"  # folded into another incident (``merged_into_id``); kept for the record


class Confidentiality(StrEnum):
    PUBLIC = "public"
    RESTRICTED = "restricted"
    CONFIDENTIAL = "confidential"


class InvolvementRole(StrEnum):
    PERPETRATOR = "perpetrator"
    TARGET = "target"


class InvolvementDegree(StrEnum):
    """How an actor took part (HURIDOCS events model, simplified)."""

    CARRIED_OUT = "carried-out"
    ORDERED = "ordered"
    SUSPECTED = "suspected"
    CLAIMED = "claimed"  # the actor claimed responsibility
    ATTRIBUTED = "attributed"  # a third party (an investigation) attributed it
    COMPLICIT = "complicit"


class CountingUnit(StrEnum):
    INDIVIDUAL = "individual"
    FAMILY = "family"
    GROUP = "group"


class VictimKind(StrEnum):
    CIVILIAN = "civilian"
    COMBATANT = "combatant"
    UNKNOWN = "unknown"


class VictimOutcome(StrEnum):
    KILLED = "killed"
    INJURED = "injured"
    DETAINED = "detained"
    ABDUCTED = "abducted"
    DISAPPEARED = "disappeared"
    TORTURED = "tortured"
    DISPLACED = "displaced"
    OTHER = "other"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    MIXED = "mixed"
    UNKNOWN = "unknown"


class AgeGroup(StrEnum):
    CHILD = "child"
    ADULT = "adult"
    ELDERLY = "elderly"
    MIXED = "mixed"
    UNKNOWN = "unknown"


class LocationPrecision(StrEnum):
    """Ordered from most to least precise; see ``PRECISION_ORDER``."""

    EXACT = "exact"
    NEIGHBOURHOOD = "neighbourhood"
    TOWN = "town"
    DISTRICT = "district"
    GOVERNORATE = "governorate"
    COUNTRY = "country"


PRECISION_ORDER: tuple[LocationPrecision, ...] = tuple(LocationPrecision)


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    APPROXIMATE = "approximate"  # EDTF with ~ or a season/"early 2015"
    UNKNOWN = "unknown"


class ClaimField(StrEnum):
    """The incident fields a claim can support."""

    EVENT_TYPE = "event_type"
    VIOLATION = "violation"
    PERPETRATOR = "perpetrator"
    TARGET = "target"
    VICTIMS = "victims"
    LOCATION = "location"
    DATE = "date"
    DESCRIPTION = "description"
