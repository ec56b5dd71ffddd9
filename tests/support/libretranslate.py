"""A LibreTranslate stand-in on loopback: `/translate` and `/languages`, and every failure.

Translations are deterministic (`[es] original text`). `mode` switches the next answers to a
failure: "slow" (holds each request until `release` is set), "500", "429", "malformed" (not
JSON), "missing" (JSON without translatedText); with `api_key` set, a request carrying another
key gets 403 as LibreTranslate answers. `stop()` closes the port, so the next call is refused.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

#: What `/languages` lists by default (LibreTranslate 1.7+ spells Chinese `zh-Hans`).
LANGUAGES = ("en", "es", "zh-Hans")
#: How long a slow answer is held at most, should a test never release it.
SLOW_HOLD_SECONDS = 30


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args):  # keep the test output quiet
        pass

    def do_GET(self):
        fake = self.server.fake
        if self.path != "/languages":
            return self._send(404, {"error": "Not Found"})
        fake.requests.append(("GET", self.path, None))
        if fake.languages_mode and not self._fail(fake.languages_mode):
            return None
        codes = list(fake.languages)
        return self._send(200, [{"code": code, "name": code, "targets": codes}
                                for code in codes])

    def do_POST(self):
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        fake.requests.append(("POST", self.path, body))
        fake.received.set()
        if self.path != "/translate":
            return self._send(404, {"error": "Not Found"})
        if not self._fail(fake.mode):
            return None
        if fake.api_key is not None and body.get("api_key") != fake.api_key:
            return self._send(403, {"error": "Invalid API key"})
        return self._send(200, {"translatedText": f"[{body['target']}] {body['q']}"})

    def _fail(self, mode: str | None) -> bool:
        """Answer as `mode` says; True when the normal answer should follow."""
        if mode == "slow":
            self.server.fake.release.wait(SLOW_HOLD_SECONDS)
            return True
        if mode == "500":
            self._send(500, {"error": "Internal Server Error"})
        elif mode == "429":
            self._send(429, {"error": "Too many request limits violations"})
        elif mode == "malformed":
            self._send_raw(200, b"{\"translatedText\": ")
        elif mode == "missing":
            self._send(200, {"detectedLanguage": {"language": "en"}})
        else:
            return True
        return False

    def _send(self, status: int, payload) -> None:
        self._send_raw(status, json.dumps(payload).encode())

    def _send_raw(self, status: int, raw: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
        except OSError:
            pass  # the client gave up (its timeout): nothing to answer
        if self.command == "POST":
            self.server.fake.answered.set()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeLibreTranslate


class FakeLibreTranslate:
    """The stand-in server; `url` is what TRANSLATE_URL would be."""

    def __init__(self, languages=LANGUAGES) -> None:
        self.languages = tuple(languages)
        self.mode: str | None = None
        #: A failure mode for `/languages` only.
        self.languages_mode: str | None = None
        self.api_key: str | None = None
        #: `(method, path, json body)` of every request, in order.
        self.requests: list[tuple[str, str, dict | None]] = []
        #: Set when a `/translate` request arrives, and after its answer is written.
        self.received = threading.Event()
        self.answered = threading.Event()
        #: Lets slow answers go.
        self.release = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self.port = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def translations(self) -> list[dict]:
        return [body for method, path, body in self.requests if path == "/translate"]

    def start(self) -> FakeLibreTranslate:
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the port: from now on connections are refused."""
        self.release.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()


@pytest.fixture
def libretranslate():
    """A running stand-in LibreTranslate server, stopped after the test."""
    fake = FakeLibreTranslate().start()
    yield fake
    fake.stop()
