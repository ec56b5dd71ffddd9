"""Configuration read from the environment, with zero-config defaults for a laptop."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ASYNC_MODES = ("eventlet", "gevent", "threading")
DEFAULT_MAX_CONNECTIONS = 10_000
#: Connections the kernel queues for `accept` (the listen backlog; capped by the system's
#: net.core.somaxconn). A crowd reconnecting at once past it loses SYNs and waits 1, 3, 7 s.
DEFAULT_LISTEN_BACKLOG = 2048
#: Host names always answered: a health check or an operator on the machine itself.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")
#: A session ends after this many hours without a request (PUENTE_SESSION_HOURS).
DEFAULT_SESSION_HOURS = 24
#: "Keep me logged in" lasts this many days (PUENTE_REMEMBER_DAYS).
DEFAULT_REMEMBER_DAYS = 14
#: Seconds a stopping `puente serve` waits for its clients to move on (PUENTE_DRAIN_SECONDS).
DEFAULT_DRAIN_SECONDS = 10
#: Log record formats (PUENTE_LOG_FORMAT): plain lines, or one JSON object per line.
LOG_FORMATS = ("text", "json")
#: `--host` values that listen on every interface and so name no host.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", "[::]", ""})  # noqa: S104


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


def _positive(environ, name: str, default: int) -> int:
    value = _int(environ, name, default)
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {value}")
    return value


def normalise_database_url(url: str) -> str:
    """Accept the `postgres://` spelling that hosting platforms hand out."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg2://" + url[len("postgresql://") :]
    return url


def shown_database_url(url: str) -> str:
    """The database URL to print: any password replaced by `***`."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return urlsplit(url).scheme + "://…"


def describe_instance(database_url: str, instance_path) -> str:
    """The line every `puente` command prints first: which database and instance folder."""
    return f"database {shown_database_url(database_url)}, instance folder {instance_path}"


def validate_database_url(url: str) -> None:
    """Refuse an unusable database URL at start, not at the first request."""
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


def secret_key_fallbacks(raw: str | None) -> list[str]:
    """SECRET_KEY_FALLBACKS: old secret keys, comma-separated, newest first (Flask's order).

    Cookies, CSRF tokens and the setup link signed with one of them still verify, and are
    signed again with SECRET_KEY; nothing new is ever signed with them.
    """
    if not raw or not raw.strip():
        return []
    keys = [item.strip() for item in raw.split(",")]
    if any(not key for key in keys):
        raise ConfigError("SECRET_KEY_FALLBACKS has an empty key (a stray comma?)")
    return keys


def engine_options(url: str, environ=None) -> dict:
    """Connect and statement timeouts, so a stuck database fails a request instead of a worker.

    Under eventlet hundreds of requests run at once in one process, so the pool is larger than
    SQLAlchemy's default; PostgreSQL's max_connections bounds pool size times processes. Most
    of it is kept open: a connection beyond the pool size is closed when it comes back, and
    opening the next one costs PostgreSQL a new backend, which at a meeting's opening (fifty
    joins in flight) was a third of the database's work.
    """
    environ = os.environ if environ is None else environ
    if url.startswith("postgresql"):
        return {
            "pool_pre_ping": True,
            "pool_size": _int(environ, "PUENTE_DB_POOL_SIZE", 40),
            "max_overflow": _int(environ, "PUENTE_DB_POOL_OVERFLOW", 20),
            "pool_timeout": _int(environ, "PUENTE_DB_POOL_TIMEOUT", 20),
            "connect_args": {
                "connect_timeout": 5,
                "options": "-c statement_timeout=15000 -c lock_timeout=10000",
                "application_name": "puente",
            },
        }
    return {"connect_args": {"timeout": 15}}


def trusted_host_names(raw: str | None) -> list[str] | None:
    """PUENTE_TRUSTED_HOSTS as a list of names (a leading dot admits subdomains); None if unset."""
    if not raw or not raw.strip():
        return None
    hosts = []
    for item in raw.split(","):
        host = item.strip().lower()
        if not host:
            continue
        if "/" in host or ":" in host or " " in host:
            raise ConfigError(
                f"PUENTE_TRUSTED_HOSTS takes host names without scheme or port, got {item!r}")
        hosts.append(host)
    return hosts


def trusted_hosts(explicit: list[str] | None, base_url: str | None) -> list[str]:
    """The `Host` values a request may carry; any other gets a 400 (Flask's TRUSTED_HOSTS).

    Without BASE_URL, links in e-mails use the request's host, so it must be one Puente was
    told about: PUENTE_TRUSTED_HOSTS when set, else the loopback names (and the address of
    `puente serve --host`, added by the command). BASE_URL's host is always trusted.
    """
    hosts = list(explicit) if explicit else list(LOOPBACK_HOSTS)
    if base_url:
        base_host = (urlsplit(base_url).hostname or "").lower()
        if base_host and base_host not in hosts:
            hosts.insert(0, base_host)
    return hosts


def add_bind_host(config, host: str) -> None:
    """Trust the address `puente serve` listens on, unless the hosts were set explicitly.

    A wildcard (0.0.0.0, ::) names no host, and Flask cannot match IPv6 literals.
    """
    hosts = config.get("TRUSTED_HOSTS")
    if config.get("PUENTE_TRUSTED_HOSTS") or hosts is None:
        return
    name = host.strip().lower()
    if name not in WILDCARD_HOSTS and ":" not in name and name not in hosts:
        hosts.append(name)


#: Live-channel settings: whole numbers in a range, taken from the environment only when set,
#: so that an unset one keeps the default of where it is read (often 0 under `TESTING`) and an
#: application's own config (tests, `create_app` overrides) still wins.
BOUNDED_SETTINGS = {
    "PUENTE_TRUSTED_PROXIES": 5,
    "PUENTE_BROADCAST_INTERVAL_MS": 1000,
    "PUENTE_TALLY_INTERVAL_MS": 10_000,
    "PUENTE_REACTION_INTERVAL_MS": 10_000,
    "PUENTE_PRESENCE_INTERVAL_MS": 60_000,
    "PUENTE_ATTENDANCE_INTERVAL_MS": 60_000,
    "PUENTE_LOG_POLL_MS": 60_000,
    "PUENTE_MAX_CONNECTIONS_PER_IP": 1_000_000,
    "PUENTE_SOCKET_CONNECT_TIMEOUT": 3600,
    "PUENTE_SOCKET_CONCURRENCY": 10_000,
}


def bounded(name: str, raw, maximum: int) -> int:
    """`raw` as a whole number from 0 to `maximum`, or a one-line ConfigError naming `name`."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if not 0 <= value <= maximum:
        raise ConfigError(f"{name} must be 0-{maximum}, got {value}")
    return value


def instance_path(default: Path, environ=None) -> Path:
    """The instance folder: `PUENTE_INSTANCE_PATH`, else `default`."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("PUENTE_INSTANCE_PATH") or default)


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

    translate_url = (environ.get("TRANSLATE_URL") or "").strip().rstrip("/") or None
    if translate_url and urlsplit(translate_url).scheme not in ("http", "https"):
        raise ConfigError(
            f"TRANSLATE_URL must start with http:// or https://, got {translate_url[:60]!r}")

    log_format = (environ.get("PUENTE_LOG_FORMAT") or "text").strip().lower()
    if log_format not in LOG_FORMATS:
        raise ConfigError(
            f"PUENTE_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, got {log_format!r}")
    drain_seconds = _int(environ, "PUENTE_DRAIN_SECONDS", DEFAULT_DRAIN_SECONDS)
    if not 0 <= drain_seconds <= 3600:
        raise ConfigError(f"PUENTE_DRAIN_SECONDS must be 0-3600, got {drain_seconds}")

    secret_key = environ.get("SECRET_KEY") or load_secret_key(instance_path)
    secure_cookies = _bool(environ.get("PUENTE_SECURE_COOKIES"), bool(base_url and
                           base_url.startswith("https://")))
    return {
        "SECRET_KEY": secret_key,
        "SECRET_KEY_FALLBACKS": secret_key_fallbacks(environ.get("SECRET_KEY_FALLBACKS")),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url, environ),
        "REDIS_URL": redis_url,
        "PUENTE_ASYNC_MODE": async_mode,
        "SMTP_URL": smtp_url,
        "MAIL_FROM": environ.get("MAIL_FROM", "Puente <no-reply@localhost>"),
        "BASE_URL": base_url,
        # A LibreTranslate server for machine translation suggestions; unset: none.
        "TRANSLATE_URL": translate_url,
        "TRANSLATE_API_KEY": environ.get("TRANSLATE_API_KEY") or None,
        "PUENTE_MAX_CONNECTIONS": _int(environ, "PUENTE_MAX_CONNECTIONS",
                                       DEFAULT_MAX_CONNECTIONS),
        "PUENTE_LISTEN_BACKLOG": bounded(
            "PUENTE_LISTEN_BACKLOG",
            _positive(environ, "PUENTE_LISTEN_BACKLOG", DEFAULT_LISTEN_BACKLOG), 65_535),
        "PUENTE_WS_COMPRESSION": _bool(environ.get("PUENTE_WS_COMPRESSION"), True),
        "PUENTE_WEBSOCKET_ONLY": _bool(environ.get("PUENTE_WEBSOCKET_ONLY"), False),
        "PERMANENT_SESSION_LIFETIME": timedelta(
            hours=_positive(environ, "PUENTE_SESSION_HOURS", DEFAULT_SESSION_HOURS)),
        "REMEMBER_COOKIE_DURATION": timedelta(
            days=_positive(environ, "PUENTE_REMEMBER_DAYS", DEFAULT_REMEMBER_DAYS)),
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "PUENTE_MAIL_RETRY_BASE": _int(environ, "PUENTE_MAIL_RETRY_BASE", 30),
        "PUENTE_MAIL_MAX_ATTEMPTS": _int(environ, "PUENTE_MAIL_MAX_ATTEMPTS", 10),
        "PUENTE_MAIL_POLL_SECONDS": _int(environ, "PUENTE_MAIL_POLL_SECONDS", 5),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _bool(environ.get("PUENTE_RATELIMIT"), True),
        "PUENTE_TRUSTED_HOSTS": trusted_host_names(environ.get("PUENTE_TRUSTED_HOSTS")),
        # Every key Puente writes to Redis starts with this (presence, rate limits), so two
        # sites can share one Redis; by default the Socket.IO channel's name.
        "PUENTE_REDIS_PREFIX": (environ.get("PUENTE_REDIS_PREFIX")
                                or environ.get("PUENTE_SOCKETIO_CHANNEL") or "puente"),
        "PUENTE_SOCKETIO_CHANNEL": environ.get("PUENTE_SOCKETIO_CHANNEL", "puente"),
        # On SIGTERM `puente serve` stops listening, asks its clients to reconnect elsewhere
        # and exits once they are gone or after this many seconds.
        "PUENTE_DRAIN_SECONDS": drain_seconds,
        # One log line per HTTP request (method, path without query, status, ms, client).
        "PUENTE_ACCESS_LOG": _bool(environ.get("PUENTE_ACCESS_LOG"), False),
        "PUENTE_LOG_FORMAT": log_format,
        **{name: bounded(name, environ[name], maximum)
           for name, maximum in BOUNDED_SETTINGS.items() if environ.get(name) not in (None, "")},
    }
