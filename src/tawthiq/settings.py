"""Settings, read once from the environment at the edge (CLI, web) and passed inward."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///tawthiq.db"
DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024
# A browser session unused this long ends. An hour: reading a long testimony or writing a review
# without a click for half an hour is ordinary work, while an hour untouched is a screen left
# unattended (in an office, a shared laptop). Teams may shorten or lengthen it.
DEFAULT_SESSION_IDLE_MINUTES = 60
MAX_SESSION_IDLE_MINUTES = 12 * 60  # a session lasts 12 hours at most anyway
COOKIE_SECURE_MODES = ("auto", "on", "off")


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    data_dir: Path  # stored originals live under here, content-addressed
    max_file_size: int  # bytes; larger inputs are refused, not truncated
    # TAWTHIQ_COOKIE_SECURE: "auto" (Secure and "__Host-" named unless a request comes over plain http
    # to an address other than the machine's own, where a browser would drop them), "on" or "off".
    # Applied per request in web/cookies.py.
    cookie_secure: str = "auto"
    # Web captures reach public addresses only; a test (or a closed lab network) may allow
    # loopback and private ones with TAWTHIQ_CAPTURE_PRIVATE=1. The CLI is the operator's own.
    capture_private: bool = False
    # Minutes a browser session may go unused before it ends (TAWTHIQ_SESSION_IDLE_MINUTES).
    session_idle_minutes: int = DEFAULT_SESSION_IDLE_MINUTES
    # The identity vault's key, when something other than <data_dir>/keys/identity-vault.key holds it
    # (e.g. derived from a passphrase-unwrapped main key). Never printed.
    vault_key: bytes | None = field(default=None, repr=False)
    # The main key of an encrypted workspace, unwrapped at the edge from the passphrase (never read from the
    # environment itself); None for a plain workspace. Kept out of repr so no log or traceback shows it.
    main_key: bytes | bytearray | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        url = env.get("TAWTHIQ_DATABASE_URL") or DEFAULT_DATABASE_URL
        data_dir = env.get("TAWTHIQ_DATA_DIR")
        raw_limit = env.get("TAWTHIQ_MAX_FILE_SIZE", "")
        try:
            limit = int(raw_limit) if raw_limit else DEFAULT_MAX_FILE_SIZE
        except ValueError:
            raise ValueError(f"TAWTHIQ_MAX_FILE_SIZE must be a number of bytes, not {raw_limit!r}") from None
        raw_idle = env.get("TAWTHIQ_SESSION_IDLE_MINUTES", "").strip()
        try:
            idle = int(raw_idle) if raw_idle else DEFAULT_SESSION_IDLE_MINUTES
        except ValueError:
            idle = 0
        if not 1 <= idle <= MAX_SESSION_IDLE_MINUTES:
            raise ValueError(f"TAWTHIQ_SESSION_IDLE_MINUTES must be a whole number of minutes from 1 to "
                             f"{MAX_SESSION_IDLE_MINUTES}, not {raw_idle!r}")
        raw_secure = env.get("TAWTHIQ_COOKIE_SECURE", "auto").strip().lower() or "auto"
        cookie_secure = {"1": "on", "true": "on", "yes": "on", "0": "off", "false": "off", "no": "off"}.get(
            raw_secure, raw_secure)
        if cookie_secure not in COOKIE_SECURE_MODES:
            raise ValueError(f"TAWTHIQ_COOKIE_SECURE must be auto, on or off, not {raw_secure!r}")
        return cls(
            database_url=url,
            data_dir=Path(data_dir) if data_dir else default_data_dir(url),
            max_file_size=limit,
            cookie_secure=cookie_secure,
            capture_private=env.get("TAWTHIQ_CAPTURE_PRIVATE", "0").strip().lower() in ("1", "true", "yes"),
            session_idle_minutes=idle,
        )


def default_data_dir(database_url: str) -> Path:
    """Beside the SQLite file; in the working directory for a server database."""
    if database_url.startswith("sqlite:///"):
        db_path = Path(database_url.removeprefix("sqlite:///"))
        return db_path.parent / f"{db_path.stem}-data"
    return Path("tawthiq-data")
