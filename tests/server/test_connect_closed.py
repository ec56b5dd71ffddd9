"""A socket whose connection closes while its connect handler waits is not left counted.

The transport closes a connection that has not finished connecting within
`PUENTE_SOCKET_CONNECT_TIMEOUT`; in a reconnect storm many connects wait that long for a turn
or for the database. Socket.IO runs no disconnect handler for a socket still connecting, so
the connect handler itself must not admit it (presence, rooms) once its connection is gone.
"""

from __future__ import annotations

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


def test_connects_closed_while_they_wait_are_not_counted_online(tmp_path, postgres_url):
    env = server_env(tmp_path / "instance", DATABASE_URL=postgres_url, PUENTE_RATELIMIT="0",
                     PUENTE_SOCKET_CONNECT_TIMEOUT="1", PUENTE_SOCKET_CONCURRENCY="1")
    migrate(env)
    data = prepare(env, 3)
    with running_server(env) as server:
        people = [attendee(server, data, n) for n in range(3)]
        tokens = [person.csrf() for person in people[:2]]
        blocker = psycopg2.connect(postgres_url)
        try:
            with blocker.cursor() as cursor:  # the connects' meeting read waits for this
                cursor.execute("LOCK TABLE meetings IN ACCESS EXCLUSIVE MODE")
            waiting = [_connecting(person, data["meeting_id"], token)
                       for person, token in zip(people[:2], tokens, strict=True)]
            wait_for(lambda: all(client.eio.state == "disconnected" for client in waiting),
                     timeout=15, interval=0.05,
                     message="the transport closed both connects past their deadline")
            blocker.commit()  # both handlers now finish, one turn after the other

            watcher, _listener = people[2].open(data["meeting_id"])  # a turn after them
            ack = watcher.call("join", {"last_seq": None}, timeout=10)
            assert ack["ok"]
            assert ack["snapshot"]["presence"]["online"] == 1
        finally:
            blocker.close()
            for person in people:
                person.close()
