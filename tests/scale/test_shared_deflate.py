"""permessage-deflate with frames shared by the whole room, over a real eventlet server."""

from __future__ import annotations

import json
import socket
import struct
import zlib

import pytest
import requests

from tests.support.server import run_cli, server_env, start_server

pytestmark = pytest.mark.server

PROBE = ("-m", "tests.support.bench_server")
BROWSER_OFFER = "permessage-deflate; client_max_window_bits"


class RawWebSocket:
    """A Socket.IO client spoken by hand, keeping every frame exactly as it arrived."""

    def __init__(self, port: int, cookie: str):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall((
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\nCookie: " + cookie + "\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Extensions: {BROWSER_OFFER}\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        self.handshake = head.decode("latin-1").lower()

    def _read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            assert chunk, "connection closed"
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def frame(self) -> tuple[bytes, str]:
        """The next frame's raw bytes and its text, inflated with a fresh decompressor."""
        head = self._read(2)
        length, extra = head[1] & 0x7F, b""
        if length == 126:
            extra = self._read(2)
            length = struct.unpack("!H", extra)[0]
        elif length == 127:
            extra = self._read(8)
            length = struct.unpack("!Q", extra)[0]
        payload = self._read(length)
        data = payload
        if head[0] & 0x40:
            data = zlib.decompressobj(-zlib.MAX_WBITS).decompress(payload + b"\x00\x00\xff\xff")
        return head + extra + payload, data.decode()

    def send_text(self, text: str) -> None:
        payload, mask = text.encode(), b"\x01\x02\x03\x04"
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        assert len(payload) < 126
        self.sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)

    def until(self, prefix: str) -> tuple[bytes, str]:
        for _n in range(50):
            raw, text = self.frame()
            if text.startswith(prefix):
                return raw, text
        raise AssertionError(f"no frame starting with {prefix!r}")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = server_env(tmp_path_factory.mktemp("shared-deflate") / "instance")
    assert run_cli(env, "db", "upgrade").returncode == 0
    running = start_server(env, module=PROBE)
    yield running
    running.stop()


def _post(server, path: str, **body) -> dict:
    response = requests.post(server.url + path, json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def test_a_broadcast_reaches_every_attendee_as_one_identical_compressed_frame(server):
    meeting = _post(server, "/_probe/meeting")["id"]
    people = _post(server, "/_probe/attendees", meeting=meeting, count=2)["attendees"]
    sockets = [RawWebSocket(server.port, person["cookie"]) for person in people]
    try:
        for ws, person in zip(sockets, people, strict=True):
            assert "server_no_context_takeover" in ws.handshake
            assert "permessage-deflate" in ws.handshake
            ws.until("0")  # Engine.IO open
            ws.send_text("40" + json.dumps({"csrf_token": person["csrf_token"],
                                            "meeting": meeting}))
            ws.until("40")
        text = "Pregunta para el grupo de expertos · 专家组的问题 " * 20
        payloads = [{"text": f"{text} {n}"} for n in range(3)]
        for payload in payloads:
            _post(server, "/_probe/record", meeting=meeting, type="question_approved",
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
