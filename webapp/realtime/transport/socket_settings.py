"""Transport settings of the live channel: WebSocket compression and broadcast batching.

Both are read from the application config first and the environment second, so a deployment
can tune them without code:

- `PUENTE_WS_COMPRESSION` (default on): whether the server accepts the permessage-deflate
  extension browsers always offer. Neither eventlet's WebSocket server nor simple-websocket
  (gevent, threading) has a switch for it: both negotiate the extension from the
  `Sec-WebSocket-Extensions` request header, so turning it off means removing that header
  before the request reaches Engine.IO. The connection then runs uncompressed, which costs
  less CPU and memory per connection and more bandwidth. With it on under eventlet,
  `transport.shared_deflate` compresses each broadcast once for the whole room.
- `PUENTE_BROADCAST_INTERVAL_MS` (default 50; 0 under `TESTING`): how long the broadcaster
  gathers committed events before sending them to each room as one frame.
- `PUENTE_MAX_CONNECTIONS_PER_IP` (default 200, 0 for no limit) and
  `PUENTE_SOCKET_CONNECT_TIMEOUT` (seconds, default 10, 0 for none): what one client address
  may hold open per process, and how long a connection may stay without the Socket.IO
  CONNECT (`transport.socket_guard`).
- `PUENTE_LOG_POLL_MS` (default 1000; only with `REDIS_URL`): how often each process checks
  the event log of the meetings it serves, so events another process committed reach its
  clients even when their Redis message was lost (an outage, a reconnect).
"""

from __future__ import annotations

import logging
from importlib import metadata

from webapp.config import bounded
from webapp.extensions import socketio

logger = logging.getLogger(__name__)

DEFAULT_BROADCAST_INTERVAL_MS = 50
_EXTENSIONS_HEADER = "HTTP_SEC_WEBSOCKET_EXTENSIONS"


def _setting(app, name: str, default):
    """The application's value (from the environment through `config.py`), else `default`."""
    value = app.config.get(name)
    return default if value in (None, "") else value


def broadcast_interval(app) -> float:
    """Seconds between broadcast flushes; 0 sends every event at once (tests, debugging)."""
    default = 0 if app.config.get("TESTING") else DEFAULT_BROADCAST_INTERVAL_MS
    raw = _setting(app, "PUENTE_BROADCAST_INTERVAL_MS", default)
    return bounded("PUENTE_BROADCAST_INTERVAL_MS", raw, 1000) / 1000


DEFAULT_MAX_CONNECTIONS_PER_IP = 200
DEFAULT_CONNECT_TIMEOUT = 10


def _whole_number(app, name: str, default: int, maximum: int) -> int:
    return bounded(name, _setting(app, name, default), maximum)


def max_connections_per_ip(app) -> int:
    """Live connections one client address may hold per process; 0 is no limit."""
    return _whole_number(app, "PUENTE_MAX_CONNECTIONS_PER_IP",
                         DEFAULT_MAX_CONNECTIONS_PER_IP, 1_000_000)


DEFAULT_SOCKET_CONCURRENCY = 16


def socket_concurrency(app) -> int:
    """Socket events (connects, commands) a process works on at once; 0 is no limit."""
    return _whole_number(app, "PUENTE_SOCKET_CONCURRENCY", DEFAULT_SOCKET_CONCURRENCY, 10_000)


def connect_timeout(app) -> float:
    """Seconds a connection may stay open without the Socket.IO CONNECT; 0 is no limit."""
    return float(_whole_number(app, "PUENTE_SOCKET_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT,
                               3600))
def log_poll_interval(app) -> float:
    """Seconds between event log polls of a process (0 turns the poll off)."""
    return _whole_number(app, "PUENTE_LOG_POLL_MS", 1000, 60000) / 1000


class WithoutWebSocketCompression:
    """WSGI middleware that hides the client's extension offer, so none is negotiated."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        """The WSGI entry point: hide the client's compression offer when it is switched off."""
        environ.pop(_EXTENSIONS_HEADER, None)
        return self.wsgi_app(environ, start_response)


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def init_app(app) -> None:
    """Wrap the WSGI app (outside Socket.IO's middleware): shared frames or no compression."""
    compression = bool(app.config.get("PUENTE_WS_COMPRESSION", True))
    active = {"shared frames": False, "direct writes": False}
    if app.config.get("PUENTE_ASYNC_MODE") == "eventlet":
        from webapp.realtime.transport import (  # imports eventlet: only under it
            direct_fanout,
            shared_deflate,
        )

        active["shared frames"] = shared_deflate.install(app, compression=compression)
        active["direct writes"] = active["shared frames"] and isinstance(
            getattr(socketio.server, "manager", None), direct_fanout.DirectFanout)
        off = [name for name, on in active.items() if not on]
        if off:
            logger.warning(
                "%s off: eventlet %s and python-socketio %s are not the shape these "
                "optimisations were built for (pyproject.toml pins the tested range); "
                "broadcasts take the slower standard path", " and ".join(off),
                _version("eventlet"), _version("python-socketio"))
    #: Which fan-out optimisations run in this application (tests and `puente serve` read it).
    app.extensions["puente_transport"] = active
    if not compression and not isinstance(app.wsgi_app, WithoutWebSocketCompression):
        app.wsgi_app = WithoutWebSocketCompression(app.wsgi_app)
