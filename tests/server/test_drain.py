"""A stopped `puente serve` under eventlet and under threading: a client that never leaves is
dropped at the drain deadline and the process still exits 0 (a real process, a real socket)."""

from __future__ import annotations

import http.client
import json
import signal
import socket

import pytest
import socketio

from tests.support.bench_clients import Recorder
from tests.support.live import wait_for
from tests.support.server import PROBE, migrate, server_env, start_server

pytestmark = pytest.mark.server


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.mark.parametrize("mode", ["eventlet", "threading"])
def test_a_client_that_stays_is_dropped_at_the_deadline_and_the_exit_is_clean(tmp_path, mode):
    env = server_env(tmp_path / "instance", PUENTE_ASYNC_MODE=mode, PUENTE_DRAIN_SECONDS="2")
    migrate(env)
    server = start_server(env, module=PROBE)
    client = socketio.Client(reconnection=False)
    try:
        meeting = server.probe("/_probe/meeting")["id"]
        [alice] = server.probe("/_probe/attendees", meeting=meeting, count=1)["attendees"]
        seen = Recorder(client)
        client.connect(server.url, transports=["websocket"], headers={"Cookie": alice["cookie"]},
                       auth={"csrf_token": alice["csrf_token"], "meeting": meeting},
                       wait_timeout=10)
        assert client.call("join", {"last_seq": None}, timeout=10)["ok"] is True

        server.process.send_signal(signal.SIGTERM)
        assert seen.wait_for(lambda r: r.of("server_draining"))
        assert seen.of("server_draining") == [{"reconnect_within_ms": 1600}]
        assert refused(server.port)
        assert server.process.wait(timeout=60) == 0
        wait_for(lambda: not client.connected, message="the socket to be closed")
    finally:
        if client.connected:
            client.disconnect()
        server.stop(kill=True)
    log = server.log()
    assert "draining: 1 client(s) asked to reconnect within 1600 ms" in log
    assert "stopped (" in log and "Traceback" not in log


def test_a_proxy_connection_opened_before_the_drain_hears_draining_and_is_closed(tmp_path):
    """An upstream keep-alive connection still reaches the draining process: /healthz says 503
    draining, a new Socket.IO session is refused, and each answer asks to close."""
    env = server_env(tmp_path / "instance", PUENTE_DRAIN_SECONDS="60")
    migrate(env)
    server = start_server(env, module=PROBE)
    client = socketio.Client(reconnection=False)
    kept = [http.client.HTTPConnection("127.0.0.1", server.port, timeout=10) for _n in range(2)]
    try:
        for connection in kept:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            assert response.status == 200 and response.getheader("Connection") != "close"
            response.read()
        meeting = server.probe("/_probe/meeting")["id"]
        [alice] = server.probe("/_probe/attendees", meeting=meeting, count=1)["attendees"]
        seen = Recorder(client)
        client.connect(server.url, transports=["websocket"], headers={"Cookie": alice["cookie"]},
                       auth={"csrf_token": alice["csrf_token"], "meeting": meeting},
                       wait_timeout=10)

        server.process.send_signal(signal.SIGTERM)
        assert seen.wait_for(lambda r: r.of("server_draining"))
        health, handshake = kept
        health.request("GET", "/healthz")
        response = health.getresponse()
        assert response.status == 503 and response.getheader("Connection") == "close"
        assert json.loads(response.read())["status"] == "draining"
        handshake.request("GET", "/socket.io/?EIO=4&transport=polling")
        response = handshake.getresponse()
        assert response.status == 503 and response.getheader("Connection") == "close"
        response.read()

        client.disconnect()  # the last client leaves: the process ends without waiting more
        assert server.process.wait(timeout=30) == 0
    finally:
        for connection in kept:
            connection.close()
        if client.connected:
            client.disconnect()
        server.stop(kill=True)
