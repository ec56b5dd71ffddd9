"""Real HTTP sessions and python-socketio clients against a running server."""

from __future__ import annotations

import re

import requests
import socketio

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browserish:
    """A requests session that logs in or joins like a browser and then opens sockets."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.http = requests.Session()
        self.sockets: list[socketio.Client] = []

    def csrf(self, path: str = "/") -> str:
        html = self.http.get(self.base_url + path, timeout=10).text
        return _CSRF.search(html).group(1)

    def login(self, email: str, password: str) -> None:
        token = self.csrf("/login")
        response = self.http.post(self.base_url + "/login", allow_redirects=False, timeout=10,
                                  data={"email": email, "password": password,
                                        "csrf_token": token})
        assert response.status_code == 302, response.text[:300]

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def connect(self, meeting_id: int, *, origin: str | None = None,
                token: str | None = None, transport: str = "websocket",
                **client_options) -> socketio.Client:
        """Open a socket; the WebSocket client sends the page's own Origin by itself."""
        client = socketio.Client(reconnection=False, **client_options)
        headers = {"Cookie": self.cookie_header()}
        if origin:
            headers["Origin"] = origin
        client.connect(self.base_url, headers=headers, transports=[transport],
                       auth={"csrf_token": token or self.csrf(), "meeting": meeting_id},
                       wait_timeout=10)
        self.sockets.append(client)
        return client

    def close(self) -> None:
        for client in self.sockets:
            if client.connected:
                client.disconnect()
        self.http.close()
