"""The application factory: config, extensions, blueprints, socket handlers, error pages.

The composition root: it imports every package explicitly (each `models` module, so that
metadata and Alembic see all tables; each module that registers a hook with a lower package).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy.engine import make_url

from webapp import cli, errors_web
from webapp import config as config_module
from webapp import views as home_views
from webapp.accounts import invite_views, loader
from webapp.accounts import models as _accounts_models  # noqa: F401
from webapp.accounts import views as accounts_views
from webapp.agenda import admin_views as agenda_admin_views
from webapp.agenda import models as _agenda_models  # noqa: F401
from webapp.agenda import sockets as agenda_sockets
from webapp.agenda import views as agenda_views
from webapp.board import models as _board_models  # noqa: F401
from webapp.board import privacy as _board_privacy  # noqa: F401  (registers its export and eraser)
from webapp.board import sockets as board_sockets
from webapp.board import views as board_views
from webapp.core import (
    converters,
    proxy,
    ratelimit,
    secret_keys,
    security_headers,
    sessions,
    sqlite_pragmas,
    static_files,
)
from webapp.core.i18n import LANGUAGES, html_lang, negotiate, pinned_language
from webapp.extensions import babel, csrf, db, limiter, login_manager, migrate, socketio
from webapp.feedback import admin_views as feedback_admin_views
from webapp.feedback import models as _feedback_models  # noqa: F401
from webapp.feedback import privacy as _feedback_privacy  # noqa: F401  (registers its hooks)
from webapp.feedback import views as feedback_views
from webapp.live import sockets as live_sockets
from webapp.mail import models as _mail_models  # noqa: F401
from webapp.media import models as _media_models  # noqa: F401
from webapp.media import views as media_views
from webapp.meetings import admin_views as meeting_admin_views
from webapp.meetings import dashboard_views
from webapp.meetings import models as _meetings_models  # noqa: F401
from webapp.meetings import views as meeting_views
from webapp.polls import models as _polls_models  # noqa: F401
from webapp.polls import privacy as _polls_privacy  # noqa: F401  (registers its export and eraser)
from webapp.polls import sockets as poll_sockets
from webapp.polls import views as poll_views
from webapp.qa import models as _qa_models  # noqa: F401
from webapp.qa import privacy as _qa_privacy  # noqa: F401  (registers its export and eraser)
from webapp.qa import sockets as qa_sockets
from webapp.qa import views as qa_views
from webapp.realtime import broadcaster, handlers
from webapp.realtime import models as _realtime_models  # noqa: F401
from webapp.realtime.transport import socket_guard, spliced_json
from webapp.realtime.transport.room_index import IndexedManager, IndexedRedisManager
from webapp.registration import admin_views as registration_admin_views
from webapp.registration import models as _registration_models  # noqa: F401
from webapp.registration import views as registration_views
from webapp.reports import models as _reports_models  # noqa: F401
from webapp.reports import views as report_views
from webapp.serving import logs
from webapp.web import pages, request_memo

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
#: Installed from a wheel, the package carries templates/, static/ and migrations/ itself
#: (build_hooks.py copies them in); in a checkout (editable install, tests) they are at its top.
INSTALLED = (PACKAGE_DIR / "templates").is_dir()
DATA_ROOT = PACKAGE_DIR if INSTALLED else PROJECT_ROOT
STATIC_FOLDER = DATA_ROOT / "static"
TEMPLATE_FOLDER = DATA_ROOT / "templates"
MIGRATIONS_FOLDER = DATA_ROOT / "migrations"
#: The instance folder when PUENTE_INSTANCE_PATH is unset: `instance/` in a checkout; for an
#: installed package Flask's own convention, `var/puente-instance` under the environment's prefix.
DEFAULT_INSTANCE = (Path(sys.prefix) / "var" / "puente-instance" if INSTALLED
                    else PROJECT_ROOT / "instance")
#: Socket.IO payload cap: a question is at most a few KB; keep abuse cheap to refuse.
MAX_SOCKET_PAYLOAD = 64 * 1024


def build_app(overrides: dict | None = None) -> Flask:
    """An application configured from the environment plus `overrides` (tests)."""
    overrides = dict(overrides or {})
    explicit = overrides.pop("INSTANCE_PATH", None)
    instance_path = (Path(explicit) if explicit
                     else config_module.instance_path(DEFAULT_INSTANCE)).resolve()
    static_version = static_files.tree_version(STATIC_FOLDER)  # once, at start
    app = Flask(
        "webapp",
        instance_path=str(instance_path),
        template_folder=str(TEMPLATE_FOLDER),
        static_folder=str(STATIC_FOLDER),
        static_url_path=static_files.versioned_path(static_version),
    )
    static_files.init_app(app, static_version)
    _private_folder(instance_path)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        BABEL_DEFAULT_LOCALE="en",
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_STRATEGY="moving-window",
        PUENTE_REPLAY_LIMIT=500,
        PUENTE_OUTBOX=str(instance_path / "outbox"),
    )
    app.config.update(config_module.from_environ(instance_path))
    if "SQLALCHEMY_DATABASE_URI" in overrides:
        url = config_module.normalise_database_url(overrides["SQLALCHEMY_DATABASE_URI"])
        overrides["SQLALCHEMY_DATABASE_URI"] = url
        overrides.setdefault("SQLALCHEMY_ENGINE_OPTIONS", config_module.engine_options(url))
    app.config.update(overrides)
    if "TRUSTED_HOSTS" not in overrides:
        app.config["TRUSTED_HOSTS"] = config_module.trusted_hosts(
            app.config.get("PUENTE_TRUSTED_HOSTS"), app.config.get("BASE_URL"))
    _private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])

    prefix = app.config.get("PUENTE_REDIS_PREFIX") or app.config["PUENTE_SOCKETIO_CHANNEL"]
    app.config["PUENTE_REDIS_PREFIX"] = prefix
    if app.config.get("REDIS_URL"):  # Flask-Limiter's keys carry the site's prefix too
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"key_prefix": f"{prefix}:limits"})
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)  # Redis down: serve, unlimited
    _init_extensions(app)
    converters.init_app(app)  # before the blueprints: ids outside 64 bits are a 404
    _register_blueprints(app)
    _register_socket_handlers(app)
    _register_hooks(app)
    errors_web.init_app(app)
    cli.init_app(app)
    logs.init_app(app)  # the access log sits inside ProxyFix: it sees the client's address
    proxy.init_app(app)  # last: ProxyFix must wrap the Socket.IO middleware too
    return app


def _private_folder(path: Path) -> None:
    """The instance folder holds secrets (key, database, mailed links): owner only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)


def _private_sqlite_file(url: str) -> None:
    """Create a SQLite database file 0600 before SQLAlchemy opens it (its -wal and -shm
    files take the database file's mode)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return
    if parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    sqlite_pragmas.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_FOLDER), render_as_batch=True,
                    compare_type=True)
    secret_keys.init_app(app)  # before CSRF: old keys still verify during a rotation
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "basic"  # "strong" logs phones out when their IP changes
    babel.init_app(app, locale_selector=_select_locale)
    limiter.init_app(app)
    socketio.init_app(
        app,
        async_mode=app.config["PUENTE_ASYNC_MODE"],
        client_manager=_client_manager(app),
        cors_allowed_origins=_allowed_origins(app),
        max_http_buffer_size=MAX_SOCKET_PAYLOAD,
        ping_interval=25,
        ping_timeout=20,
        transports=["websocket"] if app.config["PUENTE_WEBSOCKET_ONLY"] else None,
        http_compression=True,
        logger=False,
        engineio_logger=False,
        json=socket_guard.DepthLimitedJSON,
        serializer=spliced_json.SplicedPacket,
    )
    socket_guard.init_app(app, socketio)
    loader.init_app(app)
    ratelimit.init_app(app)


def _client_manager(app: Flask):
    """Redis pub/sub between worker processes when REDIS_URL is set; in-process otherwise.

    Under eventlet the managers write room broadcasts straight to idle WebSockets
    (`transport.direct_fanout`). Built here rather than through `message_queue=` because the
    extension object is shared and would otherwise keep a previous application's queue.
    """
    url = app.config.get("REDIS_URL")
    if app.config["PUENTE_ASYNC_MODE"] == "eventlet":
        from webapp.realtime.transport import direct_fanout  # imports eventlet: only under it

        local, shared = direct_fanout.DirectManager, direct_fanout.DirectRedisManager
    else:
        local, shared = IndexedManager, IndexedRedisManager
    if not url:
        return local()
    return shared(url, channel=app.config["PUENTE_SOCKETIO_CHANNEL"])


def _allowed_origins(app: Flask):
    """Same-origin by default; with BASE_URL behind a proxy, exactly that origin."""
    base_url = app.config.get("BASE_URL")
    return [base_url] if base_url else None


def _select_locale() -> str:
    if not has_request_context():  # CLI, e-mails rendered in workers
        return "en"
    pinned = pinned_language()
    if pinned:
        return pinned
    explicit = session.get("lang")
    if not explicit and current_user and getattr(current_user, "is_authenticated", False):
        explicit = current_user.locale
    return negotiate(explicit, list(request.accept_languages))


#: Blueprints, registered in this order.
BLUEPRINTS = (
    home_views.bp,
    accounts_views.bp,
    invite_views.bp,
    meeting_views.bp,
    dashboard_views.bp,
    meeting_admin_views.bp,
    registration_views.bp,
    registration_admin_views.bp,
    agenda_views.bp,
    agenda_admin_views.bp,
    qa_views.bp,
    board_views.bp,
    poll_views.bp,
    feedback_views.bp,
    feedback_admin_views.bp,
    report_views.bp,
)
#: Modules whose `init_app(app)` attaches Socket.IO handlers.
SOCKET_MODULES = (live_sockets, qa_sockets, board_sockets, agenda_sockets, poll_sockets)


def _register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    media_views.init_app(app)
    pages.init_app(app)
    request_memo.init_app(app)


def _register_socket_handlers(app: Flask) -> None:
    broadcaster.init_app(app)
    handlers.limit_turns(app)
    for module in SOCKET_MODULES:
        module.init_app(app)
    handlers.attach_commands()  # every command the modules declared, with one payload check


def _register_hooks(app: Flask) -> None:
    security_headers.init_app(app)
    sessions.init_app(app)

    @app.before_request
    def sliding_session():
        """A session in use is permanent, so PERMANENT_SESSION_LIFETIME counts from the last
        request and an idle one ends; an empty session stays empty (no cookie for visitors)."""
        if session and not session.permanent:
            session.permanent = True

    @app.context_processor
    def inject_language():
        locale = str(get_locale() or "en")
        return {"LANGUAGES": LANGUAGES, "current_language": locale,
                "html_lang": html_lang(locale)}
