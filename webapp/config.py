"""Configuration read from the environment, with zero-config defaults for a laptop."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

ASYNC_MODES = ("eventlet", "gevent", "threading")
DEFAULT_MAX_CONNECTIONS = 10_000


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it and says what is wrong."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(environ, name: str, default: int) -> int:
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def normalise_database_url(url: str) -> str:
    """Accept the `postgres://` spelling that hosting platforms hand out."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg2://" + url[len("postgresql://") :]
    return url


def validate_database_url(url: str) -> None:
    scheme = urlsplit(url).scheme
    if not scheme or not (scheme.startswith("sqlite") or scheme.startswith("postgresql")):
        raise ConfigError(
            f"DATABASE_URL must start with sqlite:/// or postgresql://, got {url[:40]!r}"
        )


def load_secret_key(instance_path: Path) -> str:
    """Generate the secret key once and keep it in the instance folder (mode 0600)."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def engine_options(url: str, environ=None) -> dict:
    """Connect and statement timeouts, so a stuck database fails a request instead of a worker.

    Under eventlet hundreds of requests run at once in one process, so the pool is larger than
    SQLAlchemy's default; PostgreSQL's max_connections bounds pool size times processes.
    """
    environ = os.environ if environ is None else environ
    if url.startswith("postgresql"):
        return {
            "pool_pre_ping": True,
            "pool_size": _int(environ, "PUENTE_DB_POOL_SIZE", 20),
            "max_overflow": _int(environ, "PUENTE_DB_POOL_OVERFLOW", 40),
            "pool_timeout": _int(environ, "PUENTE_DB_POOL_TIMEOUT", 20),
            "connect_args": {
                "connect_timeout": 5,
                "options": "-c statement_timeout=15000 -c lock_timeout=10000",
                "application_name": "puente",
            },
        }
    return {"connect_args": {"timeout": 15}}


def from_environ(instance_path: Path, environ=None) -> dict:
    """Return Flask config values derived from the environment."""
    environ = os.environ if environ is None else environ
    database_url = environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'puente.db'}"
    database_url = normalise_database_url(database_url)
    validate_database_url(database_url)

    redis_url = environ.get("REDIS_URL") or None
    if redis_url and urlsplit(redis_url).scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(f"REDIS_URL must start with redis:// or rediss://, got {redis_url!r}")

    async_mode = environ.get("PUENTE_ASYNC_MODE", "eventlet")
    if async_mode not in ASYNC_MODES:
        raise ConfigError(
            f"PUENTE_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, got {async_mode!r}"
        )

    smtp_url = environ.get("SMTP_URL") or None
    if smtp_url and urlsplit(smtp_url).scheme not in ("smtp", "smtps", "smtp+starttls"):
        raise ConfigError("SMTP_URL must look like smtp://user:pass@host:25")

    base_url = (environ.get("BASE_URL") or "").rstrip("/") or None
    if base_url and urlsplit(base_url).scheme not in ("http", "https"):
        raise ConfigError(f"BASE_URL must start with http:// or https://, got {base_url!r}")

    secret_key = environ.get("SECRET_KEY") or load_secret_key(instance_path)
    secure_cookies = _bool(environ.get("PUENTE_SECURE_COOKIES"), bool(base_url and
                           base_url.startswith("https://")))
    return {
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url, environ),
        "REDIS_URL": redis_url,
        "PUENTE_ASYNC_MODE": async_mode,
        "SMTP_URL": smtp_url,
        "MAIL_FROM": environ.get("MAIL_FROM", "Puente <no-reply@localhost>"),
        "BASE_URL": base_url,
        "PUENTE_MAX_CONNECTIONS": _int(environ, "PUENTE_MAX_CONNECTIONS",
                                       DEFAULT_MAX_CONNECTIONS),
        "PUENTE_WS_COMPRESSION": _bool(environ.get("PUENTE_WS_COMPRESSION"), True),
        "PUENTE_WEBSOCKET_ONLY": _bool(environ.get("PUENTE_WEBSOCKET_ONLY"), False),
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _bool(environ.get("PUENTE_RATELIMIT"), True),
        # Every key Puente writes to Redis starts with this (presence, rate limits), so two
        # sites can share one Redis; by default the Socket.IO channel's name.
        "PUENTE_REDIS_PREFIX": (environ.get("PUENTE_REDIS_PREFIX")
                                or environ.get("PUENTE_SOCKETIO_CHANNEL") or "puente"),
    }
