"""A Socket.IO client spoken by hand over a raw socket, for tests about the wire itself."""

from __future__ import annotations

import json
import socket
import struct
import zlib

BROWSER_OFFER = "permessage-deflate; client_max_window_bits"


class RawWebSocket:
    """A Socket.IO client spoken by hand, keeping every frame exactly as it arrived."""

    def __init__(self, port: int, cookie: str = "", *, receive_buffer: int | None = None,
                 timeout: float = 10):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if receive_buffer:  # a small window makes the server's writes partial
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.settimeout(timeout)
        self.sock.connect(("127.0.0.1", port))
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
        if len(payload) < 126:
            length = bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            length = bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        else:
            length = bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
        self.sock.sendall(bytes([0x81]) + length + mask + masked)

    @property
    def accepted(self) -> bool:
        """Whether the server switched protocols (101) rather than refusing the handshake."""
        return self.handshake.startswith("http/1.1 101")

    def wait_closed(self) -> None:
        """Read until the server closes the connection (EOF, a close frame or Engine.IO close),
        answering Engine.IO pings as a live client would; fails after the socket's timeout
        passes without a frame."""
        while True:
            try:
                head = self._read(2)
            except AssertionError:
                return  # EOF
            length = head[1] & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(length)
            if head[0] & 0x0F == 0x8 or payload == b"1":
                return
            if payload == b"2":
                self.send_text("3")

    def until(self, prefix: str) -> tuple[bytes, str]:
        for _n in range(50):
            raw, text = self.frame()
            if text.startswith(prefix):
                return raw, text
        raise AssertionError(f"no frame starting with {prefix!r}")

    def close(self) -> None:
        self.sock.close()

    def join(self, csrf_token: str, meeting: int) -> None:
        """Engine.IO open, then the Socket.IO connect with the attendee's credentials."""
        self.until("0")
        self.send_text("40" + json.dumps({"csrf_token": csrf_token, "meeting": meeting}))
        self.until("40")


def events(text: str) -> list[tuple[str, dict]]:
    """The (type, data) pairs of one `42` frame, unpacking a `batch`."""
    name, *args = json.loads(text[2:])
    if name == "batch":
        return [(kind, data) for kind, data in args[0]]
    return [(name, args[0] if args else None)]
