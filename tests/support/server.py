"""Run a real `python -m webapp serve` process for the server, scale-out and browser tiers."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
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
    result = run_cli(env, "db", "upgrade")
    if result.returncode:
        raise RuntimeError(result.stderr)
    with running_server(env, module=PROBE) as server:
        yield server


#: The admin every prepared demo instance has.
ADMIN = ("admin@example.org", "a long admin password")


def prepare_demo(instance: Path, **overrides: str) -> tuple[dict, str]:
    """Migrate a fresh instance, load the demo and add ADMIN; return (env, demo's output)."""
    env = server_env(instance, **overrides)
    outputs = []
    for args, stdin in ((("db", "upgrade"), None), (("demo",), None),
                        (("users", "create", "--email", ADMIN[0], "--name", "Admin", "--admin",
                          "--password-stdin"), ADMIN[1] + "\n")):
        result = run_cli(env, *args, stdin=stdin)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    return env, outputs[1]


def prepared_env(tmp_path: Path, **overrides: str) -> dict:
    """The environment of a migrated demo instance under `tmp_path`."""
    return prepare_demo(tmp_path / "instance", **overrides)[0]
