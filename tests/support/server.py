"""Run a real `python -m webapp serve` process for the server, scale-out and browser tiers."""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def server_db(env):
    """The server's database, opened with the app factory in this process."""
    from tests.conftest import base_config
    from webapp import create_app
    from webapp.extensions import db

    instance = Path(env["PUENTE_INSTANCE_PATH"])
    app = create_app(base_config(instance.parent, env["DATABASE_URL"],
                                 INSTANCE_PATH=instance / "test-side"))
    with app.app_context():
        try:
            yield db
        finally:
            db.session.remove()
            db.engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(instance: Path, **overrides: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "SMTP_URL", "BASE_URL"}}
    env.update(
        PUENTE_INSTANCE_PATH=str(instance),
        PUENTE_ASYNC_MODE="eventlet",
        DATABASE_URL=f"sqlite:///{instance / 'puente.db'}",
        PYTHONUNBUFFERED="1",
        # A stopped test server exits at once; tests of the drain set their own time.
        PUENTE_DRAIN_SECONDS="0",
    )
    env.update(overrides)
    return env


def run_cli(env: dict, *args: str, stdin: str | None = None,
            timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "webapp", *args],
        env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=timeout,
    )


class Server:
    def __init__(self, env: dict, port: int, process: subprocess.Popen, log_path: Path):
        self.env = env
        self.port = port
        self.process = process
        self.log_path = log_path
        self.url = f"http://127.0.0.1:{port}"

    def probe(self, path: str, **body) -> dict:
        """POST to the bench server's loopback probe (`tests/support/bench_server.py`)."""
        response = requests.post(self.url + path, json=body, timeout=120)  # bulk inserts
        response.raise_for_status()
        return response.json()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, kill: bool = False) -> None:
        if self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(env: dict, port: int | None = None, *, extra_args: tuple[str, ...] = (),
                 module: tuple[str, ...] = ("-m", "webapp"), wait: float = 30.0) -> Server:
    port = port or free_port()
    instance = Path(env["PUENTE_INSTANCE_PATH"])
    instance.mkdir(parents=True, exist_ok=True)
    log_path = instance / f"server-{port}.log"
    log_file = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, *module, "serve", "--port", str(port), *extra_args],
        env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT,
    )
    server = Server(env, port, process, log_path)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.log()}")
        try:
            if requests.get(f"{server.url}/healthz", timeout=1).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.2)
    server.stop(kill=True)
    raise RuntimeError(f"server did not become healthy in {wait}s:\n{server.log()}")


@contextlib.contextmanager
def running_server(env: dict, **kwargs):
    server = start_server(env, **kwargs)
    try:
        yield server
    finally:
        server.stop()


#: `start_server(..., module=PROBE)` serves Puente with the bench server's probe.
PROBE = ("-m", "tests.support.bench_server")


@contextlib.contextmanager
def running_probe_server(instance: Path, **overrides: str):
    """A migrated instance served with the probe, for tests that make people without e-mail."""
    env = server_env(instance, **overrides)
    migrate(env)
    with running_server(env, module=PROBE) as server:
        yield server


#: The admin every prepared demo instance has.
ADMIN = ("admin@example.org", "a long admin password")


def prepare_demo(instance: Path, **overrides: str) -> tuple[dict, str]:
    """Migrate a fresh instance, load the demo and add ADMIN; return (env, demo's output).

    Each instance has its own database and secret key; the database starts as a copy of one
    these same steps prepared earlier in the test run (see `_from_template`).
    """
    env = server_env(instance, **overrides)
    return env, _from_template(env, overrides, _DEMO_STEPS)


def migrate(env: dict) -> None:
    """`puente db upgrade` for the fresh instance of `env` (a copy of a migrated database: the
    schema depends on the migrations alone)."""
    _from_template(env, {}, _MIGRATE_STEPS)


def migrate_with_admin(env: dict) -> None:
    """`puente db upgrade`, then ADMIN, for the fresh instance of `env` (a copy, as above)."""
    _from_template(env, {}, _ADMIN_STEPS)


_MIGRATE_STEPS = ((("db", "upgrade"), None),)
_ADMIN_STEP = (("users", "create", "--email", ADMIN[0], "--name", "Admin", "--admin",
                "--password-stdin"), ADMIN[1] + "\n")
_ADMIN_STEPS = (*_MIGRATE_STEPS, _ADMIN_STEP)
_DEMO_STEPS = (*_MIGRATE_STEPS, (("demo",), None), _ADMIN_STEP)
#: Settings the CLI steps ignore (only `serve` patches for an async mode): instances that
#: differ in them alone share a template.
_RUNTIME_ONLY = frozenset({"PUENTE_ASYNC_MODE"})
#: (steps, overrides, database server) -> (template database, output of the steps).
_TEMPLATES: dict[tuple, tuple[str, str]] = {}


def _run_steps(env: dict, steps) -> str:
    """Run the CLI steps; return the demo's output (the second step's) or the only one's."""
    outputs = []
    for args, stdin in steps:
        result = run_cli(env, *args, stdin=stdin)
        assert result.returncode == 0, f"{' '.join(args)}: {result.stderr}"
        outputs.append(result.stdout)
    return outputs[1] if len(outputs) > 1 else outputs[0]


def _sqlite_file(env: dict) -> Path | None:
    """The database file of `env` when it is the instance folder's own SQLite file."""
    instance = Path(env["PUENTE_INSTANCE_PATH"])
    if env.get("DATABASE_URL") != f"sqlite:///{instance / 'puente.db'}":
        return None
    return instance / "puente.db"


def _empty_postgres(url: str) -> bool:
    if not url.startswith(("postgresql://", "postgresql+psycopg2://", "postgres://")):
        return False
    import psycopg2

    with contextlib.closing(psycopg2.connect(url.replace("+psycopg2", ""),
                                             connect_timeout=5)) as connection, \
            connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0] == 0


def _from_template(env: dict, overrides: dict, steps) -> str:
    """Run the CLI `steps` for the fresh instance of `env`, or copy a database they prepared.

    The steps run once per test run (per set of overrides) into a template: a SQLite file, or
    a PostgreSQL database on the same server; every later instance gets a copy of it, which
    saves a CLI process per step. The instance folder gets its own new secret key, as the
    first CLI run makes one (unless SECRET_KEY is set). Other databases run the steps.
    """
    from tests.support.pg import database_name, with_database

    url = env.get("DATABASE_URL", "")
    database = _sqlite_file(env)
    if database is None and not _empty_postgres(url):
        return _run_steps(env, steps)
    instance = Path(env["PUENTE_INSTANCE_PATH"])
    key = (steps, tuple(sorted((name, value) for name, value in overrides.items()
                               if name not in _RUNTIME_ONLY)),
           "sqlite" if database else with_database(url, ""))
    if key not in _TEMPLATES:
        root = Path(tempfile.mkdtemp(prefix="puente-template-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        template_env = dict(env, PUENTE_INSTANCE_PATH=str(root / "instance"))
        if database:
            template = root / "instance" / "puente.db"
            template_env["DATABASE_URL"] = f"sqlite:///{template}"
            output = _run_steps(template_env, steps)
            # Fold the write-ahead log into the file, so the file alone is the database.
            with contextlib.closing(sqlite3.connect(template)) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            _TEMPLATES[key] = str(template), output
        else:
            template = f"puente_template_{secrets.token_hex(4)}"
            with _postgres_admin(url) as cursor:
                cursor.execute(f'CREATE DATABASE "{template}"')
            atexit.register(_drop_database, url, template)
            template_env["DATABASE_URL"] = with_database(url, template)
            output = _run_steps(template_env, steps)
            _TEMPLATES[key] = template, output
    template, output = _TEMPLATES[key]
    _private_folder(instance)  # as the CLI makes it
    if database:
        if database.exists():
            raise RuntimeError(f"{instance} already has a database")
        shutil.copy2(template, database)
    else:
        name = database_name(url)
        with _postgres_admin(url) as cursor:
            cursor.execute(f'DROP DATABASE "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    if "SECRET_KEY" not in env:
        from webapp.config import load_secret_key

        load_secret_key(instance)
    return output


def _private_folder(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)


@contextlib.contextmanager
def _postgres_admin(url: str):
    """A cursor on the server of `url`, connected to the tests' own database (as
    tests/support/pg.py's temporary databases are made), never to `url`'s."""
    from tests.support import services
    from tests.support.pg import admin_connection, database_name, with_database

    own = with_database(url, database_name(services.POSTGRES_URL))
    with contextlib.closing(admin_connection(own)) as connection, connection.cursor() as cursor:
        yield cursor


def _drop_database(url: str, name: str) -> None:
    with contextlib.suppress(Exception), _postgres_admin(url) as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepared_env(tmp_path: Path, **overrides: str) -> dict:
    """The environment of a migrated demo instance under `tmp_path`."""
    return prepare_demo(tmp_path / "instance", **overrides)[0]
