"""Fixtures: a fresh app and database per test, clients, and the outer tiers' services."""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from jinja2 import BytecodeCache

from tests.factories import make_meeting, make_registration, make_user
from tests.support import services
from tests.support.people import attendee, staff
from tests.support.pg import temporary_database
from tests.support.rule_builders import share_rule_builders
from webapp.accounts.models import RoleKind
from webapp.live.sockets import SESSION_REGISTRATIONS

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

share_rule_builders()

#: Fixtures kept next to their helpers in tests/support (e.g. `received`).
pytest_plugins = ("tests.support.live", "tests.support.blns", "tests.support.libretranslate")


def base_config(tmp_path: Path, database_url: str | None = None, **extra) -> dict:
    config = {
        "TESTING": True,
        "INSTANCE_PATH": tmp_path / "instance",
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{tmp_path / 'test.db'}",
        "PUENTE_ASYNC_MODE": "threading",
        "REDIS_URL": None,
        "SMTP_URL": None,
        "BASE_URL": None,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    }
    config.update(extra)
    return config


class _SharedTemplateCode(BytecodeCache):
    """Compiled templates kept for the whole run and shared by every test's app.

    Each app has its own Jinja environment and would compile each template again; a bucket
    is keyed by the template's name and source checksum, so an edited template recompiles.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CODE = _SharedTemplateCode()


def _make_app(config: dict):
    from webapp import create_app
    from webapp.extensions import db

    _copy_empty_schema(str(config.get("SQLALCHEMY_DATABASE_URI") or ""))
    app = create_app(config)
    app.jinja_env.bytecode_cache = _TEMPLATE_CODE
    with app.app_context():
        db.create_all()  # finds a copied schema complete and leaves it as it is
    return app


_SCHEMA_TEMPLATE: list[Path] = []


def _copy_empty_schema(url: str) -> None:
    """Give a SQLite database file that does not exist yet a copy of the empty schema.

    `db.create_all()` on a fresh file costs more than the rest of a small test; the schema is
    made that way once per test run (`_schema_template`) and copied from then on.
    """
    if not url.startswith("sqlite:///") or "?" in url or ":memory:" in url:
        return
    path = Path(url.removeprefix("sqlite:///"))
    if path.exists():
        return
    if not _SCHEMA_TEMPLATE:
        _SCHEMA_TEMPLATE.append(_schema_template())
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_SCHEMA_TEMPLATE[0], path)
    path.chmod(0o600)  # as the application creates it


def _schema_template() -> Path:
    """A SQLite file holding the empty schema, as `db.create_all()` makes it."""
    from webapp import create_app
    from webapp.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="puente-schema-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    app = create_app(base_config(folder))
    with app.app_context():
        db.create_all()
        db.session.remove()
        db.engine.dispose()
    template = folder / "test.db"
    # Fold the write-ahead log into the file, so the file alone is the database.
    with contextlib.closing(sqlite3.connect(template)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return template


_REQUEST_CACHES = ("_login_user", "csrf_token", "puente_pinned_language")


def forget_request_caches() -> None:
    """Drop what Flask-Login and Flask-WTF cache in `g`, as a new request would have."""
    from flask import g

    for name in _REQUEST_CACHES:
        g.pop(name, None)


def _fresh_globals_per_request(app) -> None:
    """Tests keep one app context pushed, so requests would share `g` (the logged-in user,
    the CSRF token); in production each request has its own."""
    app.before_request(forget_request_caches)


@pytest.fixture
def app_config(tmp_path):
    """Override in a test module to change the configuration of `app`."""
    return base_config(tmp_path)


@pytest.fixture
def app(app_config):
    from webapp.extensions import db

    app = _make_app(app_config)
    _fresh_globals_per_request(app)
    context = app.app_context()
    context.push()
    yield app
    db.session.remove()
    db.engine.dispose()
    context.pop()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token_from(html: str) -> str:
    match = _CSRF_INPUT.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def csrf(client):
    """A CSRF token valid for `client`'s session (taken from a rendered form)."""
    return csrf_token_from(client.get("/").get_data(as_text=True))


@pytest.fixture
def socket_client_factory(app, client, csrf):
    """Connect Socket.IO test clients that share `client`'s HTTP session."""
    from webapp.extensions import socketio

    made = []

    def connect(meeting_id: int, *, token: str | None = None, flask_client=None):
        forget_request_caches()
        test_client = socketio.test_client(
            app,
            flask_test_client=flask_client or client,
            auth={"csrf_token": token if token is not None else csrf, "meeting": meeting_id},
        )
        made.append(test_client)
        return test_client

    yield connect
    for test_client in made:
        if test_client.is_connected():
            test_client.disconnect()


def login(client, email: str, password: str = "correct horse battery"):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


# --- people in a meeting --------------------------------------------------------------------

@pytest.fixture
def meeting(app):
    return make_meeting()


@pytest.fixture
def registration(meeting):
    return make_registration(meeting, name="María José Quispe", organisation="Minsa",
                             country="PE", language="es")


@pytest.fixture
def me(registration):
    """The attendee `registration`, as the socket layer resolves them."""
    return attendee(registration)


@pytest.fixture
def moderator_user(meeting):
    return make_user(meeting=meeting, role=RoleKind.MODERATOR)


@pytest.fixture
def mod(moderator_user, meeting):
    """`moderator_user` as a staff participant."""
    return staff(moderator_user, meeting)


@pytest.fixture
def live_sockets(app, socket_client_factory):
    """Open test sockets as an attendee (join-link session) or a logged-in staff user.

    Each person gets their own Flask test client, so sessions never mix.
    """

    def token_for(flask_client):
        forget_request_caches()
        return csrf_token_from(flask_client.get("/").get_data(as_text=True))

    def connect(meeting_id, token, flask_client):
        forget_request_caches()
        sio = socket_client_factory(meeting_id, token=token, flask_client=flask_client)
        forget_request_caches()
        return sio

    def as_attendee(registration):
        flask_client = app.test_client()
        token = token_for(flask_client)
        with flask_client.session_transaction() as session:
            session[SESSION_REGISTRATIONS] = {str(registration.meeting_id): registration.id}
        sio = connect(registration.meeting_id, token, flask_client)
        assert sio.is_connected()
        sio.get_received()
        return sio

    def as_staff(user, meeting_id, password="correct horse battery"):
        flask_client = app.test_client()
        forget_request_caches()
        login(flask_client, user.email, password)
        sio = connect(meeting_id, token_for(flask_client), flask_client)
        assert sio.is_connected()
        sio.get_received()
        return sio

    class Live:
        attendee = staticmethod(as_attendee)
        staff = staticmethod(as_staff)

    return Live()


# --- outer tiers ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def postgres_server_url():
    return services.require_postgres()


@pytest.fixture
def postgres_url(postgres_server_url):
    """A fresh, empty PostgreSQL database for one test."""
    with temporary_database(postgres_server_url) as url:
        yield url


@pytest.fixture
def pg_app(tmp_path, postgres_url):
    from webapp.extensions import db

    app = _make_app(base_config(tmp_path, postgres_url))
    _fresh_globals_per_request(app)
    context = app.app_context()
    context.push()
    yield app
    db.session.remove()
    db.engine.dispose()
    context.pop()


@pytest.fixture
def redis_url():
    import redis

    url = services.require_redis()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        services.unavailable("Redis", str(error))
    return url


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def _no_leaked_service_env(monkeypatch):
    """Tests build their configuration explicitly; the shell's settings must not leak in."""
    for name in ("DATABASE_URL", "REDIS_URL", "SMTP_URL", "BASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PUENTE_ASYNC_MODE", os.environ.get("PUENTE_TEST_ASYNC_MODE", "threading"))


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback; point SMTP_URL at `smtp_server.url`."""
    from tests.support.smtp import SMTPServer

    server = SMTPServer().start()
    yield server
    server.stop()
