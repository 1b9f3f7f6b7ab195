"""Server settings from arguments and environment: limits, sessions, sign-in throttling, proxies.

Writing needs an account (digecon accounts create / token issue). The shared token of earlier
versions ($DIGECON_API_TOKEN, kept only as its SHA-256) still works for POST /api/v1/ingest
alone, is throttled and audited like any token, and is deprecated: issue account tokens instead.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from digecon.store.connection import resolve_path

from .scope import spec_path

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_ROWS = 200_000
MAX_PAGE = 10_000
# An anonymous POST /factcheck: the white paper is ~28 000 characters and checks in ~2 s.
MAX_FACTCHECK_CHARS = 50_000
FACTCHECK_PER_MINUTE = 30
SESSION_HOURS = 12.0  # a web session ends this long after sign-in …
SESSION_IDLE_MINUTES = 120  # … or after this long without a request
# Wrong passwords and wrong tokens from one address: this many within the window, then 429.
AUTH_FAILURES = 10
AUTH_WINDOW_SECONDS = 300
# Refusals (401/403) logged per address and window; beyond it they are answered, not logged.
REFUSALS_LOGGED = 60


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class Settings:
    db: Path = field(default_factory=lambda: resolve_path(None))
    reports_dir: Path | None = None
    spec: Path = field(default_factory=spec_path)  # the report spec: region, year, figures, maps
    token_sha256: str | None = None  # hex digest; None means writing is switched off
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    max_upload_rows: int = MAX_UPLOAD_ROWS
    uncertainty_runs: int = 500
    max_factcheck_chars: int = MAX_FACTCHECK_CHARS
    factcheck_per_minute: int = FACTCHECK_PER_MINUTE
    session_hours: float = SESSION_HOURS
    session_idle_minutes: int = SESSION_IDLE_MINUTES
    auth_failures: int = AUTH_FAILURES
    auth_window_seconds: int = AUTH_WINDOW_SECONDS
    refusals_logged: int = REFUSALS_LOGGED
    # Peers whose X-Forwarded-For / X-Forwarded-Proto are believed (a reverse proxy in front);
    # from anyone else those headers are ignored, so a client cannot choose its own address.
    trusted_proxies: tuple[str, ...] = ()

    @property
    def max_factcheck_bytes(self) -> int:
        """The body a text of max_factcheck_chars can take as JSON (\\uXXXX is 6 bytes a character)."""
        return 6 * self.max_factcheck_chars + 4096

    @classmethod
    def from_env(cls, db: str | os.PathLike[str] | None = None,
                 reports_dir: str | os.PathLike[str] | None = None,
                 spec: str | os.PathLike[str] | None = None) -> Settings:
        """DIGECON_API_TOKEN (plain, hashed at once) or DIGECON_API_TOKEN_SHA256 (already hashed);
        the spec is `spec`, else $DIGECON_REPORT_SPEC, else the bundled dataset's report.yaml;
        DIGECON_TRUSTED_PROXIES is a comma-separated list of proxy addresses."""
        plain = os.environ.get("DIGECON_API_TOKEN")
        hashed = os.environ.get("DIGECON_API_TOKEN_SHA256")
        digest = token_hash(plain) if plain else (hashed.strip().lower() if hashed else None)
        reports = reports_dir or os.environ.get("DIGECON_REPORTS_DIR")
        return cls(
            db=resolve_path(db),
            reports_dir=Path(reports) if reports else None,
            spec=spec_path(spec),
            token_sha256=digest,
            max_upload_bytes=int(os.environ.get("DIGECON_API_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)),
            max_upload_rows=int(os.environ.get("DIGECON_API_MAX_UPLOAD_ROWS", MAX_UPLOAD_ROWS)),
            max_factcheck_chars=int(os.environ.get("DIGECON_API_MAX_FACTCHECK_CHARS",
                                                   MAX_FACTCHECK_CHARS)),
            factcheck_per_minute=int(os.environ.get("DIGECON_API_FACTCHECK_PER_MINUTE",
                                                    FACTCHECK_PER_MINUTE)),
            session_hours=float(os.environ.get("DIGECON_SESSION_HOURS", SESSION_HOURS)),
            session_idle_minutes=int(os.environ.get("DIGECON_SESSION_IDLE_MINUTES",
                                                    SESSION_IDLE_MINUTES)),
            auth_failures=int(os.environ.get("DIGECON_AUTH_FAILURES", AUTH_FAILURES)),
            auth_window_seconds=int(os.environ.get("DIGECON_AUTH_WINDOW_SECONDS",
                                                   AUTH_WINDOW_SECONDS)),
            trusted_proxies=tuple(p.strip() for p in
                                  os.environ.get("DIGECON_TRUSTED_PROXIES", "").split(",")
                                  if p.strip()),
        )
