"""A real `python -m webapp serve` process talked to over loopback, as browsers would."""

import os
import signal
import socket

import pytest
import socketio

from tests.support.live import wait_for
from tests.support.live_clients import Browserish
from tests.support.server import ADMIN, prepared_env, running_server

pytestmark = pytest.mark.server

#: A cheap request (a static file) for tests about connections rather than pages.
STATIC_FILE_REQUEST = (b"GET /static/css/puente.css HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       b"Connection: keep-alive\r\n\r\n")

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = prepared_env(tmp_path_factory.mktemp("server"))
    with running_server(env) as running:
        yield running


@pytest.fixture
def admin(server):
    person = Browserish(server.url)
    person.login(*ADMIN)
    yield person
    person.close()


def test_staff_connects_over_websocket_and_joins(admin):
    client = admin.connect(1)
    ack = client.call("join", {"last_seq": None}, timeout=10)
    assert ack["ok"] is True and "snapshot" in ack


def test_foreign_origin_is_refused(admin):
    # Long-polling sends the header exactly as given; a same-origin poll is accepted.
    assert admin.connect(1, transport="polling").connected
    with pytest.raises(socketio.exceptions.ConnectionError):
        admin.connect(1, origin="http://evil.example", transport="polling")


def test_missing_csrf_token_is_refused(admin):
    with pytest.raises(socketio.exceptions.ConnectionError):
        admin.connect(1, token="forged")


def test_oversized_payload_closes_the_socket(admin):
    client = admin.connect(1)
    client.emit("join", {"last_seq": 1, "padding": "x" * 200_000})
    wait_for(lambda: not client.connected, interval=0.1, message="the socket to be closed")


def test_more_than_1024_connections_are_served(server):
    """eventlet's default pool is 1024; past it new clients would hang silently. (A static
    file: /healthz opens a database connection of its own for each of the 1,200.)"""
    held = []
    try:
        for _n in range(1200):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(STATIC_FILE_REQUEST)
            held.append(sock)
        answered = 0
        for sock in held:
            if sock.recv(64).startswith(b"HTTP/1.1 200"):
                answered += 1
        assert answered == 1200
    finally:
        for sock in held:
            sock.close()


@pytest.mark.parametrize("mode", ["gevent", "threading"])
def test_other_async_modes_serve_pages_and_sockets(tmp_path, mode):
    env = prepared_env(tmp_path, PUENTE_ASYNC_MODE=mode)
    with running_server(env) as running:
        person = Browserish(running.url)
        try:
            person.login(*ADMIN)
            health = person.http.get(running.url + "/healthz", timeout=10).json()
            assert health["async_mode"] == mode
            client = person.connect(1)
            assert client.call("join", {}, timeout=10)["ok"] is True
        finally:
            person.close()


def test_a_crowd_arriving_while_the_process_is_busy_waits_in_the_kernel(server):
    """The listening socket queues `PUENTE_LISTEN_BACKLOG` connections (2,048): a crowd that
    reconnects while the process is busy waits in the kernel's queue. eventlet's own default
    of 50 drops the rest of the crowd's SYNs, and each client tries again only after 1, 3, 7 s.
    """
    held = []
    os.kill(server.process.pid, signal.SIGSTOP)  # accepts nothing until it goes on
    try:
        for _n in range(300):
            held.append(socket.create_connection(("127.0.0.1", server.port), timeout=0.5))
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
        for sock in held:
            sock.settimeout(10)
            sock.sendall(STATIC_FILE_REQUEST)
    try:
        assert len(held) == 300
        assert all(sock.recv(64).startswith(b"HTTP/1.1 200") for sock in held)
    finally:
        for sock in held:
            sock.close()
