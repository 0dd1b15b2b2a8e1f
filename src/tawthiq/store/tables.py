"""The database tables (SQLAlchemy Core).

Core tables rather than ORM classes: the domain model is plain dataclasses
and the repositories map rows to them explicitly, so a second object model
would only add a layer to keep in step.

The migration in ``migrations/versions`` creates exactly these tables (a test
compares them), plus the per-dialect search index and the append-only guard
on ``audit_log`` and ``custody_log``, which live in :mod:`dialect`.

Strings are unbounded ``Text`` everywhere: report text is untrusted and a
length limit would turn an odd report into a failed ingest.
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    UniqueConstraint,
    func,
)

from .dialect import JSONType, SafeText, UTCDateTime
from .identity_vault import VaultJSON, VaultText

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def _id() -> Column:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _created_at() -> Column:
    return Column("created_at", UTCDateTime, nullable=False, server_default=func.current_timestamp())


actors = Table(
    "actors",
    metadata,
    Column("code", SafeText, primary_key=True),
    Column("label_en", SafeText, nullable=False),
    Column("label_ar", SafeText, nullable=False, server_default=""),
    Column("aliases_en", JSONType, nullable=False),
    Column("aliases_ar", JSONType, nullable=False),
    Column("parent", SafeText, ForeignKey("actors.code"), nullable=True),
    Column("description", SafeText, nullable=False, server_default=""),
)

sources = Table(
    "sources",
    metadata,
    _id(),
    Column("kind", SafeText, nullable=False),
    Column("sha256", SafeText, nullable=False),
    # "" for a whole file; the row key for one record of a batch file.
    Column("record_key", SafeText, nullable=False, server_default=""),
    Column("text", SafeText, nullable=False),
    Column("title", SafeText, nullable=False, server_default=""),
    Column("author", VaultText("sources.author"), nullable=False, server_default=""),  # (0029) encrypted
    Column("url", SafeText, nullable=False, server_default=""),
    Column("language", SafeText, nullable=False, server_default=""),
    Column("published", Date, nullable=True),
    Column("retrieved_at", UTCDateTime, nullable=True),
    Column("original_name", SafeText, nullable=False, server_default=""),
    Column("media_type", SafeText, nullable=False, server_default=""),
    Column("size", BigInteger, nullable=False, server_default="0"),
    Column("reliability", SafeText, nullable=False, server_default="F"),
    Column("credibility", SafeText, nullable=False, server_default="6"),
    Column("evaluation_note", SafeText, nullable=False, server_default=""),
    Column("graded_by", SafeText, nullable=True),
    Column("graded_at", UTCDateTime, nullable=True),
    # (0029) Encrypted as a whole: e-mail recipients, Telegram senders, chats and usernames.
    Column("metadata", VaultJSON("sources.metadata"), nullable=False),
    # Copies of one account share it (domain/origins.py): corroboration counts origins, not files.
    Column("origin", SafeText, nullable=False, server_default=""),
    _created_at(),
    UniqueConstraint("sha256", "record_key", name="uq_sources_sha256_record_key"),
    Index("ix_sources_origin", "origin"),
    Index("ix_sources_record_key", "record_key"),  # (0031) imports keyed by another system's id
)

incidents = Table(
    "incidents",
    metadata,
    _id(),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=True, index=True),
    Column("event_type", SafeText, nullable=False, index=True),
    Column("status", SafeText, nullable=False, server_default="suggested", index=True),
    Column("confidentiality", SafeText, nullable=False, server_default="restricted"),
    Column("description", SafeText, nullable=False, server_default=""),
    Column("confidence", Float, nullable=False, server_default="0.5"),
    # Date: the EDTF as given plus its earliest/latest day, for range filters.
    Column("date_edtf", SafeText, nullable=True),
    Column("date_text", SafeText, nullable=False, server_default=""),
    Column("date_precision", SafeText, nullable=True),
    Column("date_start", Date, nullable=True, index=True),
    Column("date_end", Date, nullable=True, index=True),
    # Location: has_location separates "no location" from an empty one.
    Column("has_location", Boolean, nullable=False, server_default="0"),
    Column("loc_name", SafeText, nullable=False, server_default=""),
    Column("loc_text", SafeText, nullable=False, server_default=""),
    Column("loc_name_ar", SafeText, nullable=False, server_default=""),
    Column("loc_country", SafeText, nullable=False, server_default=""),
    Column("loc_admin1", SafeText, nullable=False, server_default=""),
    Column("loc_admin2", SafeText, nullable=False, server_default=""),
    Column("loc_admin3", SafeText, nullable=False, server_default=""),
    Column("loc_lat", Float, nullable=True),
    Column("loc_lon", Float, nullable=True),
    Column("loc_precision", SafeText, nullable=True),
    Column("loc_place_id", SafeText, nullable=False, server_default=""),
    # "|name|name_ar|…|", each folded by textnorm.normalise: the place filter
    # matches Arabic spelling variants and non-ASCII case alike on both engines.
    Column("loc_keys", SafeText, nullable=False, server_default=""),
    # Set when a reviewer merged this incident into another (status "merged");
    # not a foreign key so that adding it needs no table rebuild on SQLite.
    Column("merged_into_id", Integer, nullable=True),
    # The lowest incident id among those "same" judgements join it to (link/clusters.py);
    # NULL when it stands alone. Derived from the judgements in force, in their transaction.
    Column("cluster_id", Integer, nullable=True),
    _created_at(),
    Column("updated_at", UTCDateTime, nullable=False, server_default=func.current_timestamp()),
)

Index("ix_incidents_loc_admin1", incidents.c.loc_admin1)
Index("ix_incidents_loc_place_id", incidents.c.loc_place_id)  # 0019: a town's incidents by gazetteer id
Index("ix_incidents_admin_path", incidents.c.loc_admin1, incidents.c.loc_admin2, incidents.c.loc_admin3,
      incidents.c.loc_place_id)  # 0019: districts and sub-districts within their governorate
Index("ix_incidents_confidentiality", incidents.c.confidentiality)
Index("ix_incidents_merged_into_id", incidents.c.merged_into_id)
Index("ix_incidents_cluster_id", incidents.c.cluster_id)
Index("ix_incidents_event_type_date", incidents.c.event_type, incidents.c.date_start)  # type filter, date sort
Index("ix_incidents_updated_at", incidents.c.updated_at)
# Counts and facets are read from these alone (see migrations 0004 and 0022: the place id for a governorate,
# and on PostgreSQL the incident id, which SQLite's indexes hold anyway as the rowid).
Index("ix_incidents_facets_type", incidents.c.event_type, incidents.c.loc_admin1, incidents.c.status,
      incidents.c.confidentiality, incidents.c.loc_place_id, postgresql_include=["id"])
Index("ix_incidents_facets_place", incidents.c.loc_admin1, incidents.c.status, incidents.c.confidentiality,
      incidents.c.event_type, incidents.c.loc_place_id, postgresql_include=["id"])

incident_violations = Table(
    "incident_violations",
    metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("code", SafeText, nullable=False, index=True),
)

evidence_spans = Table(
    "evidence_spans",
    metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("quote", SafeText, nullable=False),
)

involvements = Table(
    "involvements",
    metadata,
    _id(),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    # Not a foreign key to actors: an extractor may name a faction the
    # vocabulary does not have yet, and the record must still be kept.
    Column("actor", SafeText, nullable=False, index=True),
    Column("role", SafeText, nullable=False),
    Column("degree", SafeText, nullable=False),
    Column("text", SafeText, nullable=False, server_default=""),
)

# Covering indexes for the perpetrator and violation filters and facets (0019): answered from the index.
Index("ix_involvements_actor_role_incident", involvements.c.actor, involvements.c.role, involvements.c.incident_id)
Index("ix_involvements_incident_role_actor", involvements.c.incident_id, involvements.c.role, involvements.c.actor)
Index("ix_incident_violations_code_incident", incident_violations.c.code, incident_violations.c.incident_id)
Index("ix_incident_violations_incident_code", incident_violations.c.incident_id, incident_violations.c.code)

victim_groups = Table(
    "victim_groups",
    metadata,
    _id(),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("outcome", SafeText, nullable=False),
    Column("kind", SafeText, nullable=False),
    Column("unit", SafeText, nullable=False),
    Column("count_min", BigInteger, nullable=True),
    Column("count_max", BigInteger, nullable=True),
    Column("sex", SafeText, nullable=False),
    Column("age", SafeText, nullable=False),
    Column("text", SafeText, nullable=False, server_default=""),
    # The group's breakdown, "of whom 3 children, 2 women" (0014); NULL when not said.
    Column("children", BigInteger, nullable=True),
    Column("women", BigInteger, nullable=True),
    Column("men", BigInteger, nullable=True),
)

persons = Table(
    "persons",
    metadata,
    _id(),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=True, index=True),
    # (0029) Encrypted with the identity vault (store.identity_vault); empty stays empty.
    Column("name", VaultText("persons.name"), nullable=False),
    Column("name_alt", VaultText("persons.name_alt"), nullable=False, server_default=""),
    Column("sex", SafeText, nullable=False),
    Column("age", Integer, nullable=True),
    Column("outcome", SafeText, nullable=True),
    Column("confidentiality", SafeText, nullable=False, server_default="confidential"),
    _created_at(),
)

claims = Table(
    "claims",
    metadata,
    _id(),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False, index=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=True, index=True),
    Column("field", SafeText, nullable=False),
    Column("value", JSONType, nullable=True),
    Column("span_start", Integer, nullable=True),
    Column("span_end", Integer, nullable=True),
    Column("span_quote", SafeText, nullable=True),
    Column("method", SafeText, nullable=False),
    Column("confidence", Float, nullable=False, server_default="1.0"),
    Column("created_by", SafeText, nullable=False, server_default="system"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("note", SafeText, nullable=False, server_default=""),
    # (0008) A replaced claim: when, by whom and why; NULL while it is current.
    Column("superseded_at", UTCDateTime, nullable=True),
    Column("superseded_by", SafeText, nullable=True),
    Column("superseded_note", SafeText, nullable=True),
)

# Append-only (database triggers refuse UPDATE/DELETE): the record of human
# and machine decisions. ``before``/``after`` hold the changed fields only.
audit_log = Table(
    "audit_log",
    metadata,
    _id(),
    Column("at", UTCDateTime, nullable=False),
    Column("user", SafeText, nullable=False),
    Column("entity", SafeText, nullable=False),
    Column("entity_id", Integer, nullable=False),
    Column("action", SafeText, nullable=False),
    Column("before", JSONType, nullable=True),
    Column("after", JSONType, nullable=True),
    Column("comment", SafeText, nullable=False, server_default=""),
    Index("ix_audit_log_entity", "entity", "entity_id"),
)

# ------------------------------------------------------------ accounts (0002)

users = Table(
    "users",
    metadata,
    _id(),
    Column("username", SafeText, nullable=False, unique=True),
    Column("display_name", SafeText, nullable=False, server_default=""),
    Column("role", SafeText, nullable=False),
    Column("password_hash", SafeText, nullable=False),
    Column("disabled", Boolean, nullable=False, server_default="0"),
    # A password set by someone else (the demo's one-time password, an
    # admin's reset) must be changed at the next login.
    Column("must_change_password", Boolean, nullable=False, server_default="0"),
    Column("language", SafeText, nullable=False, server_default="en"),
    # The digits of the Arabic interface the user chose (0020): "latn" or "arab", "" while they have not
    # chosen on their account (the browser's digits cookie then decides).
    Column("digits", SafeText, nullable=False, server_default=""),
    _created_at(),
    # When an admin last unlocked the account: failed sign-ins before it no longer count (0009).
    Column("failures_cleared_at", UTCDateTime, nullable=True),
    # (0023) The confirmed authenticator (TOTP) secret: never shown again, never in the audit log. The
    # last 30-second step a code was accepted for, so the same code is not accepted twice.
    Column("totp_secret", VaultText("users.totp_secret"), nullable=True),  # (0029) encrypted
    Column("totp_enabled_at", UTCDateTime, nullable=True),
    Column("totp_last_step", BigInteger, nullable=True),
)

# (0023) One-use recovery codes for an account with a second factor, as Argon2 hashes.
recovery_codes = Table(
    "recovery_codes",
    metadata,
    _id(),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("code_hash", SafeText, nullable=False),
    _created_at(),
    Column("used_at", UTCDateTime, nullable=True),
)

# A browser session: the cookie holds a random token, the table only its
# SHA-256, so a copy of the database cannot be used to log in.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", SafeText, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("csrf_token", SafeText, nullable=False),
    _created_at(),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("ip", SafeText, nullable=False, server_default=""),
    Column("user_agent", SafeText, nullable=False, server_default=""),
    # (0023) The password was right but the second factor is still to come: the session opens no page.
    Column("pending", Boolean, nullable=False, server_default="0"),
    # (0024) Moved on at most once a minute while the session is used; NULL counts from created_at.
    Column("last_used_at", UTCDateTime, nullable=True),
)

# Personal API tokens for scripts; stored hashed like sessions.
api_tokens = Table(
    "api_tokens",
    metadata,
    _id(),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", SafeText, nullable=False),
    Column("token_hash", SafeText, nullable=False, unique=True),
    Column("prefix", SafeText, nullable=False),  # shown in lists so a user can tell tokens apart
    _created_at(),
    Column("last_used_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("expires_at", UTCDateTime, nullable=True),  # (0009) set for every token; NULL is refused
)

# Every login attempt, for rate limiting across processes and for the record.
login_attempts = Table(
    "login_attempts",
    metadata,
    _id(),
    Column("at", UTCDateTime, nullable=False),
    Column("username", SafeText, nullable=False),
    Column("ip", SafeText, nullable=False),
    Column("success", Boolean, nullable=False),
    # (0009) "login" or "password" (the current password on the password page); ``limited``: refused
    # by the limit without checking the password, kept for the record but not counted as a failure.
    Column("purpose", SafeText, nullable=False, server_default="login"),
    Column("limited", Boolean, nullable=False, server_default="0"),
    # (0023) "totp" or "recovery" for a second-factor check (purpose "code"); the browser, for the history.
    Column("second_factor", SafeText, nullable=False, server_default=""),
    Column("user_agent", SafeText, nullable=False, server_default=""),
    Index("ix_login_attempts_username_at", "username", "at"),
    Index("ix_login_attempts_ip_at", "ip", "at"),
)

# Not in ``metadata``: created per dialect by ``dialect.create_search_objects``.
SEARCH_INDEX = "search_index"


# Append-only and hash-chained (see tawthiq.domain.custody): what happened
# to each original, by whom, from where. ``id`` is assigned by the appender
# because it is part of the hashed content.
custody_log = Table(
    "custody_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False),
    Column("item_sha256", SafeText, nullable=False),
    Column("source_id", Integer, nullable=True),
    Column("event", SafeText, nullable=False),
    Column("actor", SafeText, nullable=False),
    Column("machine", SafeText, nullable=False, server_default=""),
    Column("reason", SafeText, nullable=False, server_default=""),
    Column("details", JSONType, nullable=False),
    Column("prev_hash", SafeText, nullable=False),
    Column("entry_hash", SafeText, nullable=False),
    Index("ix_custody_log_source_id", "source_id"),
    Index("ix_custody_log_item_sha256", "item_sha256"),
    Index("ix_custody_log_event_id", "event", "id"),  # (0030) the newest entries of an event (export approvals)
)

# ------------------------------------------------------------ evidence (0007)

# Working copies made from an original (extracted text, thumbnails, a
# capture's screenshot and WARC). Their bytes live in a separate,
# content-addressed store so an original is never overwritten by one.
derivatives = Table(
    "derivatives",
    metadata,
    _id(),
    Column("original_sha256", SafeText, nullable=False),
    Column("sha256", SafeText, nullable=False),
    Column("kind", SafeText, nullable=False),
    Column("media_type", SafeText, nullable=False, server_default=""),
    Column("size", BigInteger, nullable=False, server_default="0"),
    Column("tool", SafeText, nullable=False),
    Column("tool_version", SafeText, nullable=False, server_default=""),
    Column("params", JSONType, nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=True),
    Column("created_by", SafeText, nullable=False, server_default=""),
    _created_at(),
    UniqueConstraint("original_sha256", "kind", "sha256", name="uq_derivatives_original_kind_sha256"),
    Index("ix_derivatives_sha256", "sha256"),
)

# Facts read out of a media original, once per distinct bytes.
media_items = Table(
    "media_items",
    metadata,
    Column("sha256", SafeText, primary_key=True),
    Column("kind", SafeText, nullable=False),
    Column("width", Integer, nullable=True),
    Column("height", Integer, nullable=True),
    Column("duration_seconds", Float, nullable=True),
    Column("taken_at", UTCDateTime, nullable=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("metadata", JSONType, nullable=False),
    _created_at(),
)

# Perceptual hashes (one per image, one per video keyframe). Each 64-bit hash
# is also split into eight 8-bit bands in media_hash_bands: two hashes within
# Hamming distance 7 share at least one band exactly (pigeonhole), so
# near-duplicate candidates come from an index lookup, not a full scan.
media_hashes = Table(
    "media_hashes",
    metadata,
    _id(),
    Column("sha256", SafeText, ForeignKey("media_items.sha256"), nullable=False),
    Column("frame", Integer, nullable=False, server_default="0"),
    Column("at_seconds", Float, nullable=True),
    Column("algorithm", SafeText, nullable=False),
    Column("hash", SafeText, nullable=False),
    UniqueConstraint("sha256", "frame", "algorithm", name="uq_media_hashes_sha256_frame_algorithm"),
)

media_hash_bands = Table(
    "media_hash_bands",
    metadata,
    Column("hash_id", Integer, ForeignKey("media_hashes.id"), nullable=False),
    Column("band", Integer, nullable=False),
    Column("value", Integer, nullable=False),
    Index("ix_media_hash_bands_band_value", "band", "value"),
)

near_duplicates = Table(
    "near_duplicates",
    metadata,
    _id(),
    Column("sha256_a", SafeText, nullable=False),
    Column("sha256_b", SafeText, nullable=False),
    Column("distance", Integer, nullable=False),
    Column("method", SafeText, nullable=False),
    _created_at(),
    UniqueConstraint("sha256_a", "sha256_b", name="uq_near_duplicates_sha256_a_sha256_b"),
    Index("ix_near_duplicates_sha256_b", "sha256_b"),
)

# Relations between sources: a Telegram message and its photos, a message
# and the channel it was forwarded from.
source_links = Table(
    "source_links",
    metadata,
    _id(),
    Column("from_source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("to_source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("relation", SafeText, nullable=False),
    Column("details", JSONType, nullable=False),
    _created_at(),
    UniqueConstraint("from_source_id", "to_source_id", "relation", name="uq_source_links_from_to_relation"),
    Index("ix_source_links_to_source_id", "to_source_id"),
)

# Custody entries that came with an imported package, kept as they were
# written by the instance that wrote them (append-only, like custody_log):
# the history before this instance received the item is extended, not reset.
imported_custody = Table(
    "imported_custody",
    metadata,
    _id(),
    Column("package", SafeText, nullable=False),  # the bag's External-Identifier / name
    Column("origin", SafeText, nullable=False),  # the writing instance's id
    Column("position", Integer, nullable=False),
    Column("item_sha256", SafeText, nullable=False),
    Column("entry", JSONType, nullable=False),  # the entry's fields exactly as packaged
    Column("entry_hash", SafeText, nullable=False),
    Column("imported_at", UTCDateTime, nullable=False),
    UniqueConstraint("origin", "entry_hash", name="uq_imported_custody_origin_entry_hash"),
    Index("ix_imported_custody_item_sha256", "item_sha256"),
)

# Small facts about this installation, e.g. its id, written into packages.
instance_meta = Table(
    "instance_meta",
    metadata,
    Column("key", SafeText, primary_key=True),
    Column("value", SafeText, nullable=False),
)

# One row per `tawthiq fixity` run; the report itself is a file beside the
# originals, and its head (id, hash) lets the next run notice a ledger cut
# short at the end.
fixity_runs = Table(
    "fixity_runs",
    metadata,
    _id(),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("problems", Integer, nullable=False),
    Column("originals_checked", Integer, nullable=False),
    Column("derivatives_checked", Integer, nullable=False),
    Column("entries_checked", Integer, nullable=False),
    Column("head_id", Integer, nullable=True),
    Column("head_hash", SafeText, nullable=True),
    Column("report_path", SafeText, nullable=False, server_default=""),
    Column("report_sha256", SafeText, nullable=False, server_default=""),
    Column("actor", SafeText, nullable=False, server_default=""),
    Column("machine", SafeText, nullable=False, server_default=""),
)


# Pairwise judgements (domain/judgements.py): "same", "not-same" or "unsure" about two
# incidents or two person records, by a person or by the linker (its model and the
# probability it gave). Never deleted: withdrawing one keeps it, with who, when and why.
judgements = Table(
    "judgements",
    metadata,
    _id(),
    Column("subject", SafeText, nullable=False),  # "incident" or "person"
    Column("left_id", Integer, nullable=False),  # the lower id of the pair
    Column("right_id", Integer, nullable=False),
    Column("verdict", SafeText, nullable=False),
    Column("actor", SafeText, nullable=False),
    Column("by_person", Boolean, nullable=False),
    Column("probability", Float, nullable=True),
    Column("model_version", SafeText, nullable=False, server_default=""),
    Column("comment", SafeText, nullable=False, server_default=""),
    # The linker's comparison: {"weights": {field: match weight}, "levels": {field: level}}.
    Column("detail", JSONType, nullable=True),
    _created_at(),
    Column("withdrawn_at", UTCDateTime, nullable=True),
    Column("withdrawn_by", SafeText, nullable=False, server_default=""),
    Column("withdrawn_why", SafeText, nullable=False, server_default=""),
    Index("ix_judgements_pair", "subject", "left_id", "right_id"),
)


# ------------------------------------------------------------ victim lists (0012)

# Person records (domain/persons.py): one row per entry of a victim list, its values exactly as
# the list wrote them. (list_name, record_id) is the record's identity, so a re-imported list
# updates its rows; a record missing from a later version of its list stays. ``name`` copies the
# ``name`` field for listing and sorting. ``cluster_id`` is maintained by the linkage: the lowest
# record id among those judged the same person (NULL or its own id: alone). Not the ``persons``
# table, which holds the named persons of one incident.
person_records = Table(
    "person_records",
    metadata,
    _id(),
    Column("list_name", SafeText, nullable=False),
    Column("record_id", SafeText, nullable=False),
    # (0029) Encrypted with the identity vault; ``name_index`` is the name's blind index (HMAC of each
    # normalised word, " t1 t2 "), what a name search matches instead of the name.
    Column("name", VaultText("person_records.name"), nullable=False, server_default=""),
    Column("fields", VaultJSON("person_records.fields"), nullable=False),
    Column("extra", VaultJSON("person_records.extra"), nullable=False),
    Column("name_index", SafeText, nullable=False, server_default=""),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=True),
    Column("span_start", Integer, nullable=True),
    Column("span_end", Integer, nullable=True),
    Column("cluster_id", Integer, nullable=True, index=True),
    _created_at(),
    Column("updated_at", UTCDateTime, nullable=False, server_default=func.current_timestamp()),
    UniqueConstraint("list_name", "record_id", name="uq_person_records_list_name_record_id"),
    Index("ix_person_records_source_id", "source_id"),
    # (0029) A list's page in import order: names are encrypted, so pages are no longer sorted by name.
    Index("ix_person_records_list_name_id", "list_name", "id"),
)


# ------------------------------------------------------------ vocabulary from the interface (0017)

# Actors an admin added from the interface (domain/actor_rules.py checks them). Built-in actors
# stay in domain/data/actors.toml; both are mirrored into ``actors`` (which the perpetrator filter
# reads for factions). Never deleted: retiring one sets ``retired`` and stops the extractor
# recognising it, while past records keep naming it. Every change is in ``audit_log``
# (entity "actor", entity_id = this id).
recorded_actors = Table(
    "recorded_actors",
    metadata,
    _id(),
    Column("code", SafeText, nullable=False, unique=True),
    Column("label_en", SafeText, nullable=False),
    Column("label_ar", SafeText, nullable=False),
    Column("aliases_en", JSONType, nullable=False),
    Column("aliases_ar", JSONType, nullable=False),
    Column("parent", SafeText, nullable=True),
    Column("kind", SafeText, nullable=False, server_default=""),
    Column("retired", Boolean, nullable=False, server_default="0"),
    _created_at(),
    Column("created_by", SafeText, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False, server_default=func.current_timestamp()),
    Column("updated_by", SafeText, nullable=False),
)

# A team's choices an admin makes from the interface (e.g. "second_review": an incident is
# public only once a second reviewer verified it). ``value`` is JSON. Every change is in
# ``audit_log`` (entity "setting", entity_id = this id).
team_settings = Table(
    "team_settings",
    metadata,
    _id(),
    Column("key", SafeText, nullable=False, unique=True),
    Column("value", JSONType, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False, server_default=func.current_timestamp()),
    Column("updated_by", SafeText, nullable=False),
)

# ------------------------------------------------------------ attached media (0015)

# A source attached to an incident as evidence (domain/attachments.py): the whole of it, a region of a
# photo (fractions of the upright picture), a time range of a video or recording, or a page of a PDF.
# Never deleted: withdrawing one keeps it, with who, when and why.
incident_media = Table(
    "incident_media",
    metadata,
    _id(),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("part", SafeText, nullable=False),  # "whole", "region", "time" or "page"
    Column("region_x", Float, nullable=True),
    Column("region_y", Float, nullable=True),
    Column("region_w", Float, nullable=True),
    Column("region_h", Float, nullable=True),
    Column("start_seconds", Float, nullable=True),
    Column("end_seconds", Float, nullable=True),
    Column("page", Integer, nullable=True),
    Column("reason", SafeText, nullable=False, server_default=""),
    Column("created_by", SafeText, nullable=False),
    _created_at(),
    Column("withdrawn_at", UTCDateTime, nullable=True),
    Column("withdrawn_by", SafeText, nullable=False, server_default=""),
    Column("withdrawn_why", SafeText, nullable=False, server_default=""),
    Index("ix_incident_media_incident_id", "incident_id"),
    Index("ix_incident_media_source_id", "source_id"),
)

# A user's named incident-list filter (0016). ``query`` is the list's query string as the
# services normalised it; deleting sets deleted_at/deleted_by and keeps the row.
saved_searches = Table(
    "saved_searches",
    metadata,
    _id(),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("name", SafeText, nullable=False),
    Column("query", SafeText, nullable=False),
    _created_at(),
    Column("deleted_at", UTCDateTime, nullable=True),
    Column("deleted_by", SafeText, nullable=True),
)

# ------------------------------------------------------- assignments (0013)

# Who is to review a suggestion: one row per incident ever assigned, its current assignee (NULL once
# unassigned). The row holds only the present state; who assigned whom, when and why is in the audit
# log (entity "incident", actions "assign" and "unassign"). A table of its own rather than a column on
# incidents, so that a staff name never reaches the incident lists a viewer reads.
review_assignments = Table(
    "review_assignments",
    metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id"), primary_key=True),
    Column("assignee", SafeText, nullable=True),
    Column("assigned_by", SafeText, nullable=False),
    Column("assigned_at", UTCDateTime, nullable=False),
    Index("ix_review_assignments_assignee", "assignee"),
)

# ------------------------------------------------------------------------ tags (0018)

# A team's tag (domain/tags.py): labels in English and Arabic, an optional colour from the palette.
# ``key_en``/``key_ar`` are the labels folded as search folds words: unique, so two admins adding the
# same label at once cannot both succeed. Never deleted: retiring one stops offering it. Every change
# is in ``audit_log`` (entity "tag", entity_id = this id).
tags = Table(
    "tags",
    metadata,
    _id(),
    Column("label_en", SafeText, nullable=False),
    Column("label_ar", SafeText, nullable=False),
    Column("key_en", SafeText, nullable=False, unique=True),
    Column("key_ar", SafeText, nullable=False, unique=True),
    Column("colour", SafeText, nullable=False, server_default=""),
    Column("retired", Boolean, nullable=False, server_default="0"),
    _created_at(),
    Column("created_by", SafeText, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False, server_default=func.current_timestamp()),
    Column("updated_by", SafeText, nullable=False),
    # 0021: whether viewers may see the tag on public incidents; the team's own unless an admin says so.
    Column("shown_to_viewers", Boolean, nullable=False, server_default="0"),
)


def _tag_links(name: str, target: str) -> Table:
    """A tag on an incident or a source. Taking it off sets withdrawn_at/withdrawn_by and keeps the row;
    putting it on again is a new row."""
    return Table(
        name,
        metadata,
        _id(),
        Column("tag_id", Integer, ForeignKey("tags.id"), nullable=False),
        Column(f"{target}_id", Integer, ForeignKey(f"{target}s.id"), nullable=False),
        Column("created_by", SafeText, nullable=False),
        _created_at(),
        Column("withdrawn_at", UTCDateTime, nullable=True),
        Column("withdrawn_by", SafeText, nullable=False, server_default=""),
        Index(f"ix_{name}_{target}_id", f"{target}_id"),
        Index(f"ix_{name}_tag_id", "tag_id"),
    )


incident_tags = _tag_links("incident_tags", "incident")
source_tags = _tag_links("source_tags", "source")

# ------------------------------------------------------------------------ content seals (0025)

# Append-only and hash-chained like custody_log (see tawthiq.domain.seals): every write to a record
# table appends, at commit, the SHA-256 of each written row group's new content. ``row_key`` is the
# group key as text (the row id, or the incident id for an incident's violations and evidence spans);
# ``sha256`` is "deleted" when the application removed the group. ``id`` is assigned by the appender
# because it is part of the hashed content.
record_seals = Table(
    "record_seals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("table_name", SafeText, nullable=False),
    Column("row_key", SafeText, nullable=False),
    Column("sha256", SafeText, nullable=False),
    Column("sealed_at", UTCDateTime, nullable=False),
    Column("prev_hash", SafeText, nullable=False),
    Column("entry_hash", SafeText, nullable=False),
    Index("ix_record_seals_table_row", "table_name", "row_key"),
)
