"""Run the web server of `puente serve`, and stop it without dropping anyone.

Under eventlet (production) the process listens on its own socket, so that on SIGTERM or
SIGINT it can:

1. stop accepting: leave the accept loop and close the listening socket, so new connections
   are refused at once and the proxy sends them to another process (/healthz, if still
   reached over an open connection, answers 503 `draining`);
2. send its Socket.IO clients `server_draining {reconnect_within_ms}`; each reconnects after a
   random delay within that window, through the proxy to another process, and rejoins with
   its last `seq` (webapp/realtime/drain.py);
3. wait until its connections are gone or `PUENTE_DRAIN_SECONDS` have passed;
4. send what still waits (coalesced counts, the broadcaster's last tick), stop the mail
   worker after its current pass, and exit 0.

A second signal during the drain skips the rest of the wait. Under threading (development)
the same steps run around Werkzeug's server; gevent keeps Flask-SocketIO's `run`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time

from werkzeug.debug import DebuggedApplication
from werkzeug.serving import make_server

from webapp.extensions import socketio
from webapp.mail.worker import worker_of
from webapp.realtime import drain
from webapp.serving import logs

logger = logging.getLogger("puente")

#: How long the mail worker may take to finish its current pass at shutdown.
MAIL_STOP_SECONDS = 5.0
#: How often the serving process looks whether a stop signal arrived.
SIGNAL_POLL_SECONDS = 0.2
#: How often the drain looks whether its clients are gone.
DRAIN_POLL_SECONDS = 0.05


def run(app, host: str, port: int, *, debug: bool, base_url: str) -> None:
    """Serve `app` until SIGTERM or SIGINT, then drain and return (exit status 0).

    Logging is configured already (`logs.configure`, first thing in `puente serve`)."""
    app.debug = debug
    mode = app.config["PUENTE_ASYNC_MODE"]
    if debug and mode != "gevent":  # (gevent: Flask-SocketIO's `run` adds it itself)
        # Werkzeug's debugger between the Socket.IO middleware and Flask, as `socketio.run`
        # placed it: `--debug` only, never in production.
        socketio.sockio_mw.wsgi_app = DebuggedApplication(socketio.sockio_mw.wsgi_app,
                                                          evalex=True)
    if mode == "eventlet":
        _run_eventlet(app, host, port, debug=debug, base_url=base_url)
    elif mode == "threading":
        _run_threading(app, host, port, base_url=base_url)
    else:
        _announce(app, f"{host}:{port}", base_url)
        socketio.run(app, host=host, port=port, debug=debug, use_reloader=False,
                     log_output=debug)


def _address(sockname) -> str:
    host, port = sockname[0], sockname[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _announce(app, listening: str, base_url: str) -> None:
    logs.banner(listening, base_url or f"http://{listening}",
                async_mode=app.config["PUENTE_ASYNC_MODE"],
                database=app.extensions["sqlalchemy"].engines[None].dialect.name,
                message_queue="Redis" if app.config.get("REDIS_URL") else None)


class _Stop:
    """The signals that end serving: the first starts the drain, a second cuts it short."""

    def __init__(self, on_first) -> None:
        self.signals = 0
        self._on_first = on_first

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self._handle)
        signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum, _frame) -> None:
        self.signals += 1
        if self.signals == 1:
            self._on_first(signum)


def _drain(app, stop: _Stop, remaining, sleep) -> None:
    """Steps 2-4: tell the clients, wait for them (or the deadline), send what waits."""
    seconds = float(app.config.get("PUENTE_DRAIN_SECONDS", 10))
    window = drain.reconnect_window_ms(seconds)
    told = drain.tell_clients(app, window)
    logger.info("draining: %d client(s) asked to reconnect within %d ms", told, window,
                extra={"clients": told, "reconnect_within_ms": window})
    deadline = time.monotonic() + seconds
    while remaining() and time.monotonic() < deadline and stop.signals < 2:
        sleep(DRAIN_POLL_SECONDS)
    left = remaining()
    try:
        drain.flush(app)
    except Exception:  # the database may be gone: exit anyway, the log has what committed
        logger.exception("draining: the last flush failed")
    if not worker_of(app).stop(wait=MAIL_STOP_SECONDS):
        logger.warning("draining: the mail worker was still sending; it resumes at the next "
                       "start")
    logger.info("stopped (%d connection(s) left)", left, extra={"connections_left": left})


def _run_eventlet(app, host: str, port: int, *, debug: bool, base_url: str) -> None:
    import eventlet  # monkey-patching order: `serve` has patched before this runs
    import eventlet.event  # monkey-patching order: as above
    import eventlet.green.socket  # monkey-patching order: as above
    import eventlet.wsgi  # monkey-patching order: as above

    addresses = eventlet.green.socket.getaddrinfo(host, port)
    if not addresses:
        raise RuntimeError(f"cannot resolve {host!r}")
    listener = _Listener(eventlet.listen(addresses[0][4], addresses[0][0],
                                         backlog=app.config["PUENTE_LISTEN_BACKLOG"]),
                         eventlet.event.Event())
    _announce(app, _address(listener.getsockname()), base_url)
    requests = _InFlight(app, close_keepalive=True)
    stop = _Stop(lambda _signum: None)
    stop.install()
    # eventlet's WSGI server holds 1024 connections by default and then hangs new clients
    # silently; every WebSocket holds one.
    server = eventlet.spawn(eventlet.wsgi.server, listener, app, log_output=debug, debug=debug,
                            max_size=app.config["PUENTE_MAX_CONNECTIONS"])
    # A signal handler runs while the hub waits for I/O and cannot wake it: look often.
    while not stop.signals and not server.dead:
        eventlet.sleep(SIGNAL_POLL_SECONDS)
    if not stop.signals:  # the server loop ended by itself: show why
        server.wait()
        return
    drain.begin(app)
    listener.close()
    logger.info("stopped listening on %s", _address(addresses[0][4]))
    _drain(app, stop, lambda: max(requests.count, drain.local_clients(app)), eventlet.sleep)
    _exit_now()


class _Listener:
    """The listening socket, closable while eventlet's server waits in `accept`.

    eventlet's server loop ends when `accept` fails, and on its way out shuts every connection
    it thinks idle, WebSockets included. So once closed here, `accept` parks the server loop
    for good instead: the connections it holds live on until their clients leave."""

    def __init__(self, sock, never) -> None:
        self._sock = sock
        self._never = never  # an event nobody sends
        self.closed = False

    def accept(self):
        try:
            return self._sock.accept()
        except OSError:
            if not self.closed:
                raise
            self._never.wait()
            raise

    def close(self) -> None:
        self.closed = True
        self._sock.close()

    def __getattr__(self, name):
        return getattr(self._sock, name)


class _InFlight:
    """Counts the requests being answered (a WebSocket is one until it closes).

    While the process drains, a request can still arrive over a connection the proxy opened
    before (an upstream keep-alive): it is answered, but a new Socket.IO session is refused
    with 503 (its client connects again, elsewhere), and with `close_keepalive` every
    response says `Connection: close`, so the proxy opens its next connection elsewhere."""

    def __init__(self, app, *, close_keepalive: bool) -> None:
        self.count = 0
        self._app = app
        self._close_keepalive = close_keepalive
        self._lock = threading.Lock()
        self._wsgi_app = app.wsgi_app
        app.wsgi_app = self

    def _change(self, delta: int) -> None:
        with self._lock:
            self.count += delta

    def __call__(self, environ, start_response):
        if drain.is_draining(self._app):
            if _new_socket_session(environ):
                start_response("503 Service Unavailable", [
                    ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "9"),
                    *self._closing_headers()])
                return [b"draining\n"]
            start_response = self._closing(start_response)
        self._change(1)
        try:
            body = self._wsgi_app(environ, start_response)
        except BaseException:
            self._change(-1)
            raise
        return logs.closing(body, lambda: self._change(-1))

    def _closing_headers(self) -> list[tuple[str, str]]:
        return [("Connection", "close")] if self._close_keepalive else []

    def _closing(self, start_response):
        extra = self._closing_headers()
        if not extra:
            return start_response

        def closing_start_response(status, headers, exc_info=None):
            kept = [(name, value) for name, value in headers if name.lower() != "connection"]
            return start_response(status, kept + extra, exc_info)

        return closing_start_response


def _new_socket_session(environ) -> bool:
    """An Engine.IO handshake: a Socket.IO request that names no session yet."""
    return (environ.get("PATH_INFO", "").startswith("/socket.io")
            and "sid=" not in environ.get("QUERY_STRING", ""))


def _exit_now() -> None:
    """Exit 0 without the interpreter's teardown, which would resume every parked greenlet
    (connections already dropped, the server's pool) only to end it, for seconds."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _run_threading(app, host: str, port: int, *, base_url: str) -> None:
    server = make_server(host, port, app, threaded=True)
    _announce(app, _address(server.socket.getsockname()), base_url)
    stop = _Stop(lambda _signum: threading.Thread(target=server.shutdown, daemon=True).start())
    stop.install()
    requests = _InFlight(app, close_keepalive=False)  # Werkzeug's server closes each one
    server.serve_forever()
    drain.begin(app)
    server.socket.close()
    logger.info("stopped listening on %s", _address(server.server_address))
    _drain(app, stop, lambda: max(requests.count, drain.local_clients(app)), time.sleep)
