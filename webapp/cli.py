"""The `puente` command group: serve, db, users, demo and maintenance commands."""

from __future__ import annotations

import ipaddress
import logging
import smtplib
import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp import create_app
from webapp.accounts import services
from webapp.config import WILDCARD_HOSTS, ConfigError, add_bind_host, describe_instance
from webapp.core.i18n import LANGUAGES
from webapp.demo.loader import load_demo
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.mail import compose, run_pending, store
from webapp.mail.sender import build_message, deliver_smtp, explain_smtp_error, smtp_address
from webapp.mail.worker import worker_of
from webapp.registration.commands import purge
from webapp.serving import logs
from webapp.serving import server as serving

logger = logging.getLogger("puente")


def _create_app_or_exit():
    try:
        app = create_app()
    except ConfigError as error:
        click.echo(f"puente: configuration error: {error}", err=True)
        sys.exit(2)
    # Every command acts on one database and instance folder: name them before it does.
    where = describe_instance(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    click.echo(logs.command_notice(app, where), err=True)
    return app


cli = FlaskGroup(create_app=_create_app_or_exit, add_default_commands=True,
                 help="Puente: registration, agenda and live Q&A for large online meetings.")


def fail(message: str) -> None:
    """Stop the command with a message and a non-zero exit status."""
    click.echo(f"puente: {message}", err=True)
    sys.exit(2)


def preflight(app) -> None:
    """Check the database and message queue once, with one clear line per problem."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0][:200]
        fail(f"cannot reach the database at DATABASE_URL: {reason}")
    try:
        db.session.execute(text("SELECT 1 FROM users LIMIT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        fail("the database has no Puente tables yet: run `puente db upgrade` first")
    finally:
        db.session.remove()
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        import redis  # optional: only with REDIS_URL

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
        except (redis.RedisError, OSError) as error:
            fail(f"cannot reach Redis at REDIS_URL: {error}")


def _setup_hint(app, base: str) -> None:
    try:
        if not services.has_any_user():
            token = services.issue_setup_token(app.config["SECRET_KEY"])
            logger.info("No staff account yet. Create the first organiser at: %s/setup/%s",
                        base, token)
    finally:
        # `serve` keeps its application context until it stops: a transaction left open here
        # would hold a lock on `users` (and back VACUUM) for the life of the process.
        db.session.remove()


def listens_publicly(host: str) -> bool:
    """True for every interface and for any address other than loopback."""
    name = host.strip().lower()
    if name in WILDCARD_HOSTS:
        return True
    if name == "localhost":
        return False
    try:
        return not ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return True  # a host name: it may resolve to a public address


def _warn_without_base_url(app, host: str) -> None:
    if app.config.get("BASE_URL") or not listens_publicly(host):
        return
    trusted = ", ".join(app.config.get("TRUSTED_HOSTS") or ())
    logger.warning(
        f"Listening on {host} without BASE_URL. Links in e-mails (join links, "
        "invitations, the presenter link) need BASE_URL set to the public address, e.g. "
        f"BASE_URL=https://meet.example.org. Until then only requests for {trusted} are "
        "answered (PUENTE_TRUSTED_HOSTS adds names); any other Host gets 400.",
    )


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug/--no-debug", default=False)
@with_appcontext
def serve(host: str, port: int, debug: bool) -> None:
    """Serve web pages and Socket.IO on one port (eventlet by default)."""
    app = current_app._get_current_object()
    logs.configure(app)  # every line from here on: text or JSON (PUENTE_LOG_FORMAT)
    preflight(app)
    add_bind_host(app.config, host)
    _warn_without_base_url(app, host)
    # A wildcard is no address to browse to, nor a trusted host name: show loopback instead.
    shown = "127.0.0.1" if host.strip().lower() in WILDCARD_HOSTS else host
    base = app.config.get("BASE_URL") or f"http://{shown}:{port}"
    # Mail the worker writes outside any request links here when BASE_URL is unset.
    app.config["PUENTE_SERVED_URL"] = base
    _setup_hint(app, base)
    worker_of(app).start(app)  # queued e-mail, sent next to the other background tasks
    serving.run(app, host, port, debug=debug, base_url=base)  # until SIGTERM: drains, exits 0


@click.group("users")
def users() -> None:
    """Manage staff accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--admin", is_flag=True, help="May manage every meeting.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def users_create(email: str, name: str, admin: bool, password_stdin: bool) -> None:
    """Create a staff user (asks for a password unless --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(email, name, password, is_admin=admin)
    except DomainError as error:
        fail(str(error.message))
    click.echo(f"Created {user.email}{' (admin)' if user.is_admin else ''}.")


#: The address `puente serve` listens on when given none (and `make run`'s HOST and PORT).
DEFAULT_SERVE_ADDRESS = "http://127.0.0.1:5000"


@click.command("demo")
@click.option("--base-url", default=None,
              help="The address the server answers on, for the printed links (default: "
                   "BASE_URL, else the address `puente serve` uses without options).")
@with_appcontext
def demo(base_url: str | None) -> None:
    """Load a fictional demo series modelled on a real bi-national NGO exchange.

    It starts no server: the links it prints open once one runs (`make run` or `puente serve`).
    """
    configured = current_app.config.get("BASE_URL")
    base = (base_url or configured or DEFAULT_SERVE_ADDRESS).rstrip("/")
    result = load_demo()
    click.echo(result.summary(base))
    click.echo("")
    if configured and base == configured.rstrip("/"):
        click.echo(f"The links use BASE_URL ({base}).")
    else:
        click.echo(f"The links assume the server answers on {base}: `make run` listens on "
                   "HOST:PORT (127.0.0.1:5000 unless given, e.g. `make run PORT=8000`; `make "
                   "demo` takes the same); set BASE_URL or pass --base-url for another address.")
    click.echo("This command started no server: start one with `make run` (or `puente serve "
               "--host HOST --port PORT`) to open them.")


@click.group("mail")
def mail() -> None:
    """Outgoing e-mail."""


@mail.command("retry")
@with_appcontext
def mail_retry() -> None:
    """Queue failed e-mails again and try everything waiting now."""
    requeued = store.requeue_failed()
    sent = run_pending()
    report = store.status()
    click.echo(f"{requeued} queued again, {sent} sent, {report.queued} waiting, "
               f"{report.failed} failed.")
    if report.queued or report.failed:
        sys.exit(1)


@mail.command("status")
@with_appcontext
def mail_status() -> None:
    """How many e-mails are waiting, sent and failed, and the latest errors."""
    report = store.status()
    click.echo(f"{report.queued} waiting, {report.sent} sent, {report.failed} failed.")
    for mail_id, recipient, status, attempts, next_at, error in report.problems:
        click.echo(f"  #{mail_id} {status} to {recipient}: {attempts} attempt(s), next "
                   f"{next_at:%Y-%m-%d %H:%M:%S} UTC; {error or ''}")


@mail.command("test")
@click.argument("address")
@click.option("--language", type=click.Choice(sorted(LANGUAGES)), default=None,
              help="The message's language (default: the site's default language).")
@with_appcontext
def mail_test(address: str, language: str | None) -> None:
    """Send a test message to ADDRESS through SMTP_URL now (not through the queue).

    Exit status 0 when the server accepted it, 1 when it did not (the reason is printed), 2
    without SMTP_URL or with an invalid address.
    """
    config = current_app.config
    url = config.get("SMTP_URL")
    if not url:
        click.echo("puente: SMTP_URL is not set: in this configuration no mail is sent; each "
                   "message is printed to the console (the service's log) and saved in "
                   f"{config['PUENTE_OUTBOX']}.", err=True)
        sys.exit(2)
    try:
        address = validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        fail(f"{address!r} is not a valid e-mail address: {error}")
    message = compose("smtp_test", to=address,
                      language=language or config.get("BABEL_DEFAULT_LOCALE", "en"),
                      subject=_l("Test message from Puente"), base_url=config.get("BASE_URL"))
    host, port = smtp_address(url)
    try:
        deliver_smtp(url, build_message(message, config["MAIL_FROM"]))
    except (OSError, smtplib.SMTPException) as error:
        click.echo(f"puente: the test message to {address} was not sent through {host}:{port}: "
                   f"{explain_smtp_error(error)}", err=True)
        sys.exit(1)
    click.echo(f"Test message to {address} accepted by the SMTP server at {host}:{port}.")


def init_app(app) -> None:
    """Register the `flask` commands."""
    for command in (serve, users, demo, mail, purge):
        app.cli.add_command(command)
