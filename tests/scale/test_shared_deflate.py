"""permessage-deflate with frames shared by the whole room, over a real eventlet server."""

from __future__ import annotations

import json

import pytest

from tests.support.raw_websocket import RawWebSocket
from tests.support.server import running_probe_server

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_probe_server(tmp_path_factory.mktemp("shared-deflate") / "instance") as running:
        yield running


def test_a_broadcast_reaches_every_attendee_as_one_identical_compressed_frame(server):
    meeting = server.probe("/_probe/meeting")["id"]
    people = server.probe("/_probe/attendees", meeting=meeting, count=2)["attendees"]
    sockets = [RawWebSocket(server.port, person["cookie"]) for person in people]
    try:
        for ws, person in zip(sockets, people, strict=True):
            assert "server_no_context_takeover" in ws.handshake
            assert "permessage-deflate" in ws.handshake
            ws.join(person["csrf_token"], meeting)
        text = "Pregunta para el grupo de expertos · 专家组的问题 " * 20
        payloads = [{"text": f"{text} {n}"} for n in range(3)]
        for payload in payloads:
            server.probe("/_probe/record", meeting=meeting, type="question_approved",
                  payload=payload)
        received = [_events_carrying(ws, [p["text"] for p in payloads]) for ws in sockets]
    finally:
        for ws in sockets:
            ws.close()
    first, second = received
    assert [raw for raw, _text in first] == [raw for raw, _text in second]  # one frame per room
    assert all(raw[0] & 0x40 for raw, _text in first)  # each of them compressed


def _events_carrying(ws: RawWebSocket, texts: list[str]) -> list[tuple[bytes, str]]:
    """Event frames (possibly batched) until every text has arrived, in order of arrival."""
    frames, missing = [], list(texts)
    while missing:
        raw, text = ws.until("42")
        frames.append((raw, text))
        decoded = json.dumps(json.loads(text[2:]), ensure_ascii=False)
        missing = [t for t in missing if t not in decoded]
    return frames
