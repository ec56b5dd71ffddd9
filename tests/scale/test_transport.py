"""WebSocket compression is a setting: off means the server never negotiates it."""

import socket

import pytest

from tests.support.server import migrate, running_server, server_env

pytestmark = pytest.mark.server

OFFER = "permessage-deflate; client_max_window_bits"


def handshake(port: int) -> str:
    request = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"Sec-WebSocket-Extensions: {OFFER}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.decode("latin-1").split("\r\n\r\n")[0].lower()


@pytest.mark.parametrize(("setting", "negotiated"), [("1", True), ("0", False)])
def test_permessage_deflate_follows_the_setting(tmp_path, setting, negotiated):
    env = server_env(tmp_path / "instance", PUENTE_WS_COMPRESSION=setting)
    migrate(env)
    with running_server(env) as server:
        head = handshake(server.port)
    assert head.startswith("http/1.1 101")
    assert ("sec-websocket-extensions: permessage-deflate" in head) is negotiated
