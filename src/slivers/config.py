"""Settings from the environment (SLIVERS_*). One object, built once per process and passed down."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "slivers"


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def log_json_from_env() -> bool:
    """SLIVERS_LOG_JSON, read without the rest of the settings (the CLI logs before it loads them)."""
    return _bool("SLIVERS_LOG_JSON", False)


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    data_dir: Path
    secret_key: str
    payment_provider: str = "ledger"
    cookie_secure: bool = False
    session_days: int = 14
    platform_fee_bps: int = 500
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "Slivers <no-reply@slivers.invalid>"
    stripe_api_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str | None = None
    debug: bool = False
    log_json: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    # Vetting (design 3.3): a volunteer's supervision is due every this many days; evidence files are
    # deleted once decided and in any case this many days after upload.
    supervision_days: int = 91
    evidence_retention_days: int = 183

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        data_dir = data_dir_from_env()
        secret = os.environ.get("SLIVERS_SECRET_KEY") or _load_or_create_secret(data_dir)
        values: dict[str, object] = {
            "database_url": database_url_from_env(),
            "data_dir": data_dir,
            "secret_key": secret,
            "payment_provider": os.environ.get("SLIVERS_PAYMENT_PROVIDER", "ledger"),
            "cookie_secure": _bool("SLIVERS_COOKIE_SECURE", False),
            "session_days": int(os.environ.get("SLIVERS_SESSION_DAYS", "14")),
            "platform_fee_bps": int(os.environ.get("SLIVERS_PLATFORM_FEE_BPS", "500")),
            "smtp_host": os.environ.get("SLIVERS_SMTP_HOST") or None,
            "smtp_port": int(os.environ.get("SLIVERS_SMTP_PORT", "587")),
            "smtp_user": os.environ.get("SLIVERS_SMTP_USER") or None,
            "smtp_password": os.environ.get("SLIVERS_SMTP_PASSWORD") or None,
            "smtp_from": os.environ.get("SLIVERS_SMTP_FROM", "Slivers <no-reply@slivers.invalid>"),
            "stripe_api_key": os.environ.get("SLIVERS_STRIPE_API_KEY") or None,
            "stripe_webhook_secret": os.environ.get("SLIVERS_STRIPE_WEBHOOK_SECRET") or None,
            "stripe_api_base": os.environ.get("SLIVERS_STRIPE_API_BASE") or None,
            "debug": _bool("SLIVERS_DEBUG", False),
            "log_json": log_json_from_env(),
            "supervision_days": int(os.environ.get("SLIVERS_SUPERVISION_DAYS", "91")),
            "evidence_retention_days": int(os.environ.get("SLIVERS_EVIDENCE_RETENTION_DAYS", "183")),
            "extra": _extra_from_env(),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


def data_dir_from_env() -> Path:
    return Path(os.environ.get("SLIVERS_DATA_DIR") or _default_data_dir())


def database_url_from_env() -> str:
    """SLIVERS_DATABASE_URL, or the SQLite file in the data folder; read without the rest of the
    settings (and without creating anything) so a command can say which database it opens."""
    url = (
        os.environ.get("SLIVERS_DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir_from_env() / 'slivers.db'}"
    )
    return normalise_database_url(url)


def database_shown(url: str) -> dict[str, str]:
    """Which database `url` names, fit to print: a SQLite file's path, or a server URL without the
    user's password (nor any password in its query). The user name is its own field, so a log's
    email-address scrubbing cannot swallow `user@host`."""
    from sqlalchemy.engine import URL, make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return {"database": "sqlite", "path": parsed.database or ":memory:"}
    bare = URL.create(
        parsed.drivername,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query={key: value for key, value in parsed.query.items() if "pass" not in key.lower()},
    )
    shown = {"database": parsed.get_backend_name(), "url": bare.render_as_string(hide_password=True)}
    if parsed.username:
        shown["user"] = parsed.username
    return shown


# Optional settings read by one domain, kept in `extra` under these keys.
EXTRA_SETTINGS = {
    "stripe_connect_webhook_secret": "SLIVERS_STRIPE_CONNECT_WEBHOOK_SECRET",
    "stripe_connect_return_url": "SLIVERS_STRIPE_CONNECT_RETURN_URL",
    "stripe_connect_refresh_url": "SLIVERS_STRIPE_CONNECT_REFRESH_URL",
}


def _extra_from_env() -> dict[str, str]:
    return {key: value for key, name in EXTRA_SETTINGS.items() if (value := os.environ.get(name))}


def normalise_database_url(url: str) -> str:
    """Accept the plain forms operators type and use the async drivers."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url[len("postgresql://") :]
    if url.startswith("sqlite:///"):
        url = "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    return url


def _load_or_create_secret(data_dir: Path) -> str:
    """A laptop install keeps a random secret in its data folder, so sessions survive restarts."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    return secret
