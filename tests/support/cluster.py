"""Two Puente processes sharing one PostgreSQL database and one Redis, as in production,
the people on them, and a Redis server a test can stop and start.

Each person's view applies events as docs/protocol.md's client rule says
(`tests/support/live_clients.LiveView`); `fresh` and `differences` compare it with a snapshot.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import subprocess

import redis
import socketio

from tests.support.bench_clients import Recorder
from tests.support.live import wait_for
from tests.support.live_clients import Browserish, LiveView
from tests.support.server import (
    ADMIN,
    PROBE,
    free_port,
    migrate_with_admin,
    server_env,
    start_server,
)


class Cluster:
    """Processes A and B, with helpers to make attendees and open their sockets."""

    def __init__(self, env: dict):
        self.env = env
        self.servers = []
        self.people: list[Browserish] = []
        self.clients: list[socketio.Client] = []
        try:
            for _n in range(2):
                self.servers.append(start_server(env, module=PROBE))
            self.meeting = self.post(0, "/_probe/meeting")["id"]
        except Exception:
            self.close()
            raise

    @property
    def a(self):
        return self.servers[0]

    @property
    def b(self):
        return self.servers[1]

    def post(self, index: int, path: str, **body) -> dict:
        return self.servers[index].probe(path, **body)

    def attendees(self, count: int = 1) -> list[dict]:
        return self.post(0, "/_probe/attendees", meeting=self.meeting, count=count)["attendees"]

    def record(self, index: int, type_: str, payload: dict | None = None, **extra) -> list[int]:
        return self.post(index, "/_probe/record", meeting=self.meeting, type=type_,
                         payload=payload or {}, **extra)["seqs"]

    def connect(self, index: int, attendee: dict, *, join: bool = True,
                last_seq: int | None = None):
        """An attendee's socket on process `index`; returns (client, recorder, join ack)."""
        client = socketio.Client(reconnection=False)
        recorder = Recorder(client)
        client.connect(self.servers[index].url, transports=["websocket"],
                       headers={"Cookie": attendee["cookie"]},
                       auth={"csrf_token": attendee["csrf_token"], "meeting": self.meeting},
                       wait_timeout=10)
        self.clients.append(client)
        ack = client.call("join", {"last_seq": last_seq}, timeout=10) if join else None
        return client, recorder, ack

    def staff(self, index: int):
        """The admin, logged in through process `index`, with a joined socket."""
        person = Browserish(self.servers[index].url)
        self.people.append(person)
        person.login(*ADMIN)
        client = socketio.Client(reconnection=False)
        recorder = Recorder(client)
        client.connect(person.base_url, transports=["websocket"],
                       headers={"Cookie": person.cookie_header()},
                       auth={"csrf_token": person.csrf(), "meeting": self.meeting},
                       wait_timeout=10)
        self.clients.append(client)
        ack = client.call("join", {"last_seq": None}, timeout=10)
        return client, recorder, ack

    def close(self) -> None:
        for client in self.clients:
            if client.connected:
                client.disconnect()
        for person in self.people:
            person.close()
        for server in self.servers:
            server.stop()


def start_cluster(tmp_path, postgres_url: str, redis_url: str, **settings: str) -> Cluster:
    """Migrate a fresh database, add ADMIN and start processes A and B on it."""
    env = server_env(tmp_path / "instance", DATABASE_URL=postgres_url, REDIS_URL=redis_url,
                     PUENTE_SOCKETIO_CHANNEL=f"puente-test-{secrets.token_hex(6)}", **settings)
    migrate_with_admin(env)
    return Cluster(env)


def attendee_view(cluster, person: dict) -> LiveView:
    return LiveView(cluster.meeting, {"Cookie": person["cookie"]}, person["csrf_token"])


def staff_view(cluster, index: int) -> LiveView:
    person = Browserish(cluster.servers[index].url)
    cluster.people.append(person)
    person.login(*ADMIN)
    return LiveView(cluster.meeting, {"Cookie": person.cookie_header()}, person.csrf())


def fresh(view: LiveView, url: str) -> dict:
    """The same person's state from a new socket's snapshot."""
    other = LiveView(view.meeting_id, view.headers, view.csrf_token)
    ack = other.connect(url)
    try:
        assert "snapshot" in ack
        return other.view()
    finally:
        other.disconnect()


def settled_view(view: LiveView, expected: dict, timeout: float = 15.0) -> dict:
    """The view once it equals `expected`, or as it stands after `timeout` (to report)."""
    with contextlib.suppress(AssertionError):
        wait_for(lambda: view.view() == expected, timeout, interval=0.1)
    return view.view()


def differences(got: dict, expected: dict) -> list:
    found = [(key, got[key], expected[key]) for key in ("counts", "reactions")
             if got[key] != expected[key]]
    for qid in sorted(set(got["questions"]) | set(expected["questions"])):
        mine, theirs = got["questions"].get(qid), expected["questions"].get(qid)
        if mine is None or theirs is None:
            found.append((qid, mine, theirs))
        elif mine != theirs:
            found.append((qid, {k: (mine.get(k), theirs.get(k)) for k in set(mine) | set(theirs)
                                if mine.get(k) != theirs.get(k)}))
    return found


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class OwnRedis:
    """A redis-server of this test's own on a free port, stopped and started at will."""

    def __init__(self, workdir):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        wait_for(lambda: _answers(client), interval=0.05, message="redis-server to answer PING")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
