"""Chromium keeps its WebSocket when the server compresses each broadcast once for the room."""

from __future__ import annotations

import pytest

from tests.support.server import running_probe_server

pytestmark = pytest.mark.browser

CONNECT_AND_JOIN = """([token, meeting]) => import("/static/vendor/socket.io.esm.min.js")
  .then(({io}) => new Promise((resolve) => {
    const socket = io({transports: ["websocket"], auth: {csrf_token: token, meeting}});
    socket.on("connect_error", (error) => resolve({error: String(error)}));
    socket.on("connect", () => socket.emit("join", {last_seq: null}, (ack) =>
      resolve({transport: socket.io.engine.transport.name, ok: ack.ok,
               snapshot: ack.snapshot && ack.snapshot.seq !== undefined})));
    setTimeout(() => resolve({error: "no answer within 10 s"}), 10000);
  }))"""


def test_chromium_accepts_frames_shared_by_the_room(tmp_path, new_page):
    with running_probe_server(tmp_path / "instance") as server:
        meeting = server.probe("/_probe/meeting")["id"]
        person = server.probe("/_probe/attendees", meeting=meeting, count=1)["attendees"][0]
        page = new_page()
        name, value = person["cookie"].split("=", 1)
        page.context.add_cookies([{"name": name, "value": value, "url": server.url}])
        handshakes = []
        devtools = page.context.new_cdp_session(page)
        devtools.on("Network.webSocketHandshakeResponseReceived",
                    lambda event: handshakes.append(event["response"]["headers"]))
        devtools.send("Network.enable")
        sizes = []
        page.on("websocket", lambda ws: ws.on(
            "framereceived", lambda frame: sizes.append(len(frame))))
        page.goto(server.url + "/")
        result = page.evaluate(CONNECT_AND_JOIN, [person["csrf_token"], meeting])
    assert result == {"transport": "websocket", "ok": True, "snapshot": True}
    offered = {name.lower(): value for name, value in handshakes[0].items()}
    assert "server_no_context_takeover" in offered["sec-websocket-extensions"]
    assert max(sizes) > 128  # the snapshot: long enough to travel compressed
