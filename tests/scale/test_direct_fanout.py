"""Broadcasts written straight to the sockets keep order and integrity, even for a reader
that falls megabytes behind (partial writes, a busy send lock, the queue as fallback)."""

from __future__ import annotations

import secrets

import pytest

from tests.support.raw_websocket import RawWebSocket, events
from tests.support.server import running_probe_server

pytestmark = pytest.mark.server


@pytest.fixture(params=["1", "0"], ids=["deflate", "plain"])
def server(request, tmp_path):
    with running_probe_server(tmp_path / "instance",
                              PUENTE_WS_COMPRESSION=request.param) as running:
        yield running


def _read_seqs(ws: RawWebSocket, last: int) -> list[int]:
    seqs: list[int] = []
    while not seqs or seqs[-1] < last:
        _raw, text = ws.until("42")
        seqs += [data["seq"] for kind, data in events(text) if kind == "bench_note"]
    return seqs


def test_a_reader_far_behind_still_gets_every_event_once_and_in_order(server):
    meeting = server.probe("/_probe/meeting")["id"]
    people = server.probe("/_probe/attendees", meeting=meeting, count=2)["attendees"]
    slow = RawWebSocket(server.port, people[0]["cookie"], receive_buffer=4096)
    fast = RawWebSocket(server.port, people[1]["cookie"])
    try:
        slow.join(people[0]["csrf_token"], meeting)
        fast.join(people[1]["csrf_token"], meeting)
        # ~8 MB of events that compress badly, while `slow` reads nothing.
        seqs = []
        for _n in range(400):
            seqs += server.probe("/_probe/record", meeting=meeting, type="bench_note",
                          payload={"noise": secrets.token_urlsafe(15000)})["seqs"]
        assert _read_seqs(fast, seqs[-1]) == seqs
        assert _read_seqs(slow, seqs[-1]) == seqs
    finally:
        slow.close()
        fast.close()
