"""Transport limits on a real server: connections per address, the CONNECT deadline, and
packets nested too deeply (raw Engine.IO WebSockets, as a script would open them)."""

from __future__ import annotations

import json

import pytest
import requests

from tests.support.live import wait_for
from tests.support.live_clients import Browserish
from tests.support.raw_websocket import RawWebSocket
from tests.support.server import ADMIN, prepare_demo, running_server

pytestmark = pytest.mark.server

CAP = 5


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory):
    return prepare_demo(tmp_path_factory.mktemp("limits") / "instance")[0]


def test_connections_per_address_are_capped(demo_env):
    env = {**demo_env, "PUENTE_MAX_CONNECTIONS_PER_IP": str(CAP),
           "PUENTE_SOCKET_CONNECT_TIMEOUT": "0"}
    with running_server(env) as server:
        held = [RawWebSocket(server.port) for _n in range(CAP)]
        try:
            assert all(ws.accepted for ws in held)
            for ws in held:
                ws.until("0")  # Engine.IO open
            excess = [RawWebSocket(server.port) for _n in range(3)]
            assert [ws.accepted for ws in excess] == [False] * 3
            assert all(ws.handshake.startswith("http/1.1 401") for ws in excess)
            for ws in excess:
                ws.close()
            assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
            # A closed connection frees its slot.
            held.pop().close()

            def one_more_fits():
                ws = RawWebSocket(server.port)
                if ws.accepted:
                    held.append(ws)
                else:
                    ws.close()
                return ws.accepted

            wait_for(one_more_fits, timeout=20.0, message="a free slot for one more connection")
        finally:
            for ws in held:
                ws.close()


def test_a_connection_that_never_sends_connect_is_closed(demo_env):
    env = {**demo_env, "PUENTE_SOCKET_CONNECT_TIMEOUT": "2"}
    with running_server(env) as server:
        admin = Browserish(server.url)
        try:
            admin.login(*ADMIN)
            connected = admin.connect(1)  # opened first: its deadline passes first too
            # It answers pings, so only the CONNECT deadline can end it within the timeout.
            silent = RawWebSocket(server.port, timeout=15)
            assert silent.accepted
            silent.until("0")
            silent.wait_closed()
            assert connected.connected
            assert connected.call("join", {"last_seq": None}, timeout=10)["ok"] is True
        finally:
            admin.close()


@pytest.mark.parametrize("frame", [
    "42" + json.dumps(["join"])[:-1] + "," + "[" * 20_000 + "]" * 20_000 + "]",
    "4" + "[" * 20_000 + "]" * 20_000,
])
def test_a_deeply_nested_packet_closes_the_connection_cleanly(demo_env, frame):
    with running_server(demo_env) as server:
        admin = Browserish(server.url)
        try:
            admin.login(*ADMIN)
            raw = RawWebSocket(server.port, admin.cookie_header(), timeout=30)
            raw.join(admin.csrf(), 1)
            raw.send_text(frame)
            raw.wait_closed()
            # Everyone else is served as before.
            assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
            other = admin.connect(1)
            assert other.call("join", {"last_seq": None}, timeout=10)["ok"] is True
            assert "RecursionError" not in server.log()
        finally:
            admin.close()
