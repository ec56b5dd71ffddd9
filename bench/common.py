"""Shared plumbing: start Puente or a baseline server, mint attendees, run the load generator."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from tests.support.server import (
    PROBE,
    ROOT,
    Server,
    free_port,
    run_cli,
    server_env,
    start_server,
)

NODE = os.environ.get("PUENTE_BENCH_NODE", "node")
REDIS_URL = os.environ.get("PUENTE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTGRES_URL = os.environ.get("PUENTE_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} CPUs ({cpu}), {memory:.0f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def node_version() -> str:
    try:
        return subprocess.run([NODE, "--version"], capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except OSError:
        return "absent"


@contextlib.contextmanager
def temporary_postgres():
    from tests.support.pg import temporary_database

    with temporary_database(POSTGRES_URL, prefix="puente_bench") as url:
        yield url


class Puente:
    """One or more Puente processes (the probe build) on one database."""

    def __init__(self, workdir: Path, *, mode: str = "eventlet", compression: bool = True,
                 database_url: str | None = None, processes: int = 1,
                 interval_ms: int | None = None, ratelimit: bool = False,
                 env: dict | None = None):
        instance = workdir / f"instance-{secrets.token_hex(3)}"
        extra = {"PUENTE_ASYNC_MODE": mode, "PUENTE_WS_COMPRESSION": "1" if compression else "0",
                 "PUENTE_RATELIMIT": "1" if ratelimit else "0",
                 # Every load-generating client comes from 127.0.0.1.
                 "PUENTE_MAX_CONNECTIONS_PER_IP": "0"}
        if database_url:
            extra["DATABASE_URL"] = database_url
        if processes > 1:
            # processes x (size + overflow) must stay under PostgreSQL's max_connections (100)
            per_process = 80 // processes
            extra["PUENTE_DB_POOL_SIZE"] = str(per_process * 3 // 8)
            extra["PUENTE_DB_POOL_OVERFLOW"] = str(per_process - per_process * 3 // 8)
            extra["REDIS_URL"] = REDIS_URL
            extra["PUENTE_SOCKETIO_CHANNEL"] = f"puente-bench-{secrets.token_hex(4)}"
        if interval_ms is not None:
            extra["PUENTE_BROADCAST_INTERVAL_MS"] = str(interval_ms)
        extra.update(env or {})
        self.env = server_env(instance, **extra)
        result = run_cli(self.env, "db", "upgrade")
        if result.returncode:
            raise RuntimeError(result.stderr)
        self.servers: list[Server] = []
        try:
            for _n in range(processes):
                self.servers.append(start_server(self.env, module=PROBE, wait=60))
        except Exception:
            self.stop()
            raise
        self.meeting = self.post("/_probe/meeting")["id"]

    @property
    def urls(self) -> list[str]:
        return [server.url for server in self.servers]

    @property
    def pids(self) -> list[int]:
        return [server.process.pid for server in self.servers]

    def post(self, path: str, **body) -> dict:
        return self.servers[0].probe(path, **body)

    def attendees(self, count: int) -> list[dict]:
        made: list[dict] = []
        while len(made) < count:
            chunk = min(1000, count - len(made))
            made += self.post("/_probe/attendees", meeting=self.meeting, count=chunk)["attendees"]
        return [{"cookie": a["cookie"], "auth": {"csrf_token": a["csrf_token"],
                                                  "meeting": self.meeting}} for a in made]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


class Baseline:
    """A bare server (Flask-SocketIO or Node socket.io) with no authentication."""

    def __init__(self, kind: str, *, mode: str = "eventlet", compression: bool = True,
                 env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PUENTE_ASYNC_MODE=mode,
                   PUENTE_WS_COMPRESSION="1" if compression else "0", PYTHONUNBUFFERED="1",
                   **(env or {}))
        if kind == "flask":
            command = [sys.executable, "-m", "bench.bare_flask", str(self.port)]
        else:
            command = [NODE, "bench/node_server.mjs", str(self.port), "1" if compression else "0"]
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the process)
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{kind} baseline exited with {self.process.returncode}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + ("/healthz" if kind == "flask" else "/"),
                                timeout=1).ok:
                    break
            time.sleep(0.2)

    @property
    def urls(self) -> list[str]:
        return [self.url]

    @property
    def pids(self) -> list[int]:
        return [self.process.pid]

    def attendees(self, count: int) -> list[dict]:
        return [{"cookie": None, "auth": {}} for _n in range(count)]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def run_loadgen(target, clients: int, *, deflate: bool = True, mix: dict | None = None,
                burst: int = 200, timeout: int | None = None) -> dict:
    """Connect `clients` attendees to `target`, play the mix and the burst, return figures."""
    specs = target.attendees(clients + 1)
    config = {
        "urls": target.urls,
        "clients": specs[:-1],
        "driver": specs[-1],
        "join": True,
        "deflate": deflate,
        "mix": mix or {"seconds": 8, "questions": 2, "votes": 50, "posts": 1},
        "burst": burst,
        "pids": target.pids,
        "connectConcurrency": 100,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
        path = handle.name
    try:
        result = subprocess.run([NODE, "bench/loadgen.mjs", path], cwd=ROOT,
                                capture_output=True, text=True,
                                timeout=timeout or 120 + clients // 20)
    finally:
        os.unlink(path)
    if result.returncode:
        raise RuntimeError(f"load generator failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "-"
    return f"{a / b:.2f}"


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in headers]] + [["-" if c is None else str(c) for c in row]
                                          for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    return "\n".join(lines)


def run_node(script: str, config: dict, timeout: int) -> dict:
    """Run a Node driver of bench/ on `config` (handed over in a file); its last line of
    output is the result, as JSON."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(config, handle)
        path = handle.name
    try:
        result = subprocess.run([NODE, script, path], cwd=ROOT, capture_output=True,
                                text=True, timeout=timeout)
    finally:
        os.unlink(path)
    if result.returncode:
        raise RuntimeError(result.stderr[-1500:])
    return json.loads(result.stdout.strip().splitlines()[-1])
