"""Connects that wait for their turn in a crowd.

A socket that has sent its CONNECT waits for a turn (`PUENTE_SOCKET_CONCURRENCY`) however
long the crowd before it takes: the transport's deadline (`PUENTE_SOCKET_CONNECT_TIMEOUT`) is
for connections that never say who they are, and closing a waiting one would only make its
page connect again. A page can still go away while its connect waits. Socket.IO runs no
disconnect handler for a socket still connecting, so the connect handler itself must not
admit it (presence, rooms) once its connection is gone.
"""

from __future__ import annotations

import contextlib

import engineio
import psycopg2
import pytest
import socketio

from tests.support.live import wait_for
from tests.support.qa_people import Person, attendee, prepare
from tests.support.server import migrate, running_server, server_env

pytestmark = [pytest.mark.server, pytest.mark.postgres]


def _connecting(person: Person, meeting_id: int, csrf_token: str) -> socketio.Client:
    """A socket that sends its CONNECT and does not wait for the answer."""
    client = socketio.Client(reconnection=False)
    client.connect(person.base_url, headers={"Cookie": person.cookie_header()},
                   transports=["websocket"],
                   auth={"csrf_token": csrf_token, "meeting": meeting_id}, wait=False)
    person.sockets.append(client)
    return client


def _silent(person: Person) -> engineio.Client:
    """A connection that never sends the Socket.IO CONNECT."""
    client = engineio.Client()
    client.connect(person.base_url, headers={"Cookie": person.cookie_header()},
                   transports=["websocket"], engineio_path="socket.io")
    return client


@pytest.fixture
def crowd(request, tmp_path, postgres_url):
    """A server that works on `request.param` socket events at a time, with a one-second
    deadline for the CONNECT, three attendees, and a lock that makes a connect's meeting
    read wait."""
    turns = request.param
    env = server_env(tmp_path / "instance", DATABASE_URL=postgres_url, PUENTE_RATELIMIT="0",
                     PUENTE_SOCKET_CONNECT_TIMEOUT="1", PUENTE_SOCKET_CONCURRENCY=str(turns))
    migrate(env)
    data = prepare(env, 3)
    with running_server(env) as server:
        people = [attendee(server, data, n) for n in range(3)]
        blocker = psycopg2.connect(postgres_url)
        try:
            yield data, people, blocker
        finally:
            blocker.close()
            for person in people:
                person.close()


def _waiting_for_the_lock(postgres_url) -> int:
    """Database sessions waiting for a lock (the connects reading the locked meeting)."""
    with contextlib.closing(psycopg2.connect(postgres_url)) as other, other.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                       " AND datname = current_database()")
        return cursor.fetchone()[0]


def _lock_meetings(blocker) -> None:
    with blocker.cursor() as cursor:
        cursor.execute("LOCK TABLE meetings IN ACCESS EXCLUSIVE MODE")


@pytest.mark.parametrize("crowd", [1], indirect=True)
def test_connects_waiting_past_the_deadline_are_answered_when_their_turn_comes(crowd):
    data, people, blocker = crowd
    tokens = [person.csrf() for person in people[:2]]
    _lock_meetings(blocker)  # the first connect holds the only turn, waiting for this
    waiting = [_connecting(person, data["meeting_id"], token)
               for person, token in zip(people[:2], tokens, strict=True)]
    silent = _silent(people[2])
    try:
        wait_for(lambda: silent.state == "disconnected", timeout=15,
                 message="the connection that never sent its CONNECT closed at the deadline")
        assert all(client.eio.state == "connected" for client in waiting)
        blocker.commit()  # both handlers now finish, one turn after the other
        wait_for(lambda: all("/" in client.namespaces for client in waiting), timeout=15,
                 message="both connects admitted")
        acks = [client.call("join", {"last_seq": None}, timeout=10) for client in waiting]
        assert all(ack["ok"] for ack in acks), acks
        assert acks[-1]["snapshot"]["presence"]["online"] == 2
    finally:
        silent.disconnect()


@pytest.mark.parametrize("crowd", [2], indirect=True)
def test_connects_closed_while_they_wait_are_not_counted_online(crowd, postgres_url):
    data, people, blocker = crowd
    tokens = [person.csrf() for person in people[:2]]
    _lock_meetings(blocker)  # the connects' meeting read waits for this
    waiting = [_connecting(person, data["meeting_id"], token)
               for person, token in zip(people[:2], tokens, strict=True)]
    wait_for(lambda: _waiting_for_the_lock(postgres_url) == 2, timeout=15,
             message="both connects reading the locked meeting")
    for client in waiting:  # the pages go away
        client.eio.disconnect(abort=True)
    blocker.commit()  # both handlers now finish, one turn after the other

    watcher, _listener = people[2].open(data["meeting_id"])  # a turn after them
    ack = watcher.call("join", {"last_seq": None}, timeout=10)
    assert ack["ok"]
    assert ack["snapshot"]["presence"]["online"] == 1
