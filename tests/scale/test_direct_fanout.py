"""Broadcasts written straight to the sockets keep order and integrity, even for a reader
that falls megabytes behind (partial writes, a busy send lock, the queue as fallback)."""

from __future__ import annotations

import secrets

import pytest
import requests

from tests.support.raw_websocket import RawWebSocket, events
from tests.support.server import run_cli, server_env, start_server

pytestmark = pytest.mark.server

PROBE = ("-m", "tests.support.bench_server")


@pytest.fixture(params=["1", "0"], ids=["deflate", "plain"])
def server(request, tmp_path):
    env = server_env(tmp_path / "instance", PUENTE_WS_COMPRESSION=request.param)
    assert run_cli(env, "db", "upgrade").returncode == 0
    running = start_server(env, module=PROBE)
    yield running
    running.stop()


def _post(server, path: str, **body) -> dict:
    response = requests.post(server.url + path, json=body, timeout=60)
    response.raise_for_status()
    return response.json()


def _read_seqs(ws: RawWebSocket, last: int) -> list[int]:
    seqs: list[int] = []
    while not seqs or seqs[-1] < last:
        _raw, text = ws.until("42")
        seqs += [data["seq"] for kind, data in events(text) if kind == "bench_note"]
    return seqs


def test_a_reader_far_behind_still_gets_every_event_once_and_in_order(server):
    meeting = _post(server, "/_probe/meeting")["id"]
    people = _post(server, "/_probe/attendees", meeting=meeting, count=2)["attendees"]
    slow = RawWebSocket(server.port, people[0]["cookie"], receive_buffer=4096)
    fast = RawWebSocket(server.port, people[1]["cookie"])
    try:
        slow.join(people[0]["csrf_token"], meeting)
        fast.join(people[1]["csrf_token"], meeting)
        # ~8 MB of events that compress badly, while `slow` reads nothing.
        seqs = []
        for _n in range(400):
            seqs += _post(server, "/_probe/record", meeting=meeting, type="bench_note",
                          payload={"noise": secrets.token_urlsafe(15000)})["seqs"]
        assert _read_seqs(fast, seqs[-1]) == seqs
        assert _read_seqs(slow, seqs[-1]) == seqs
    finally:
        slow.close()
        fast.close()
