"""Limits on the live channel's transport, below Socket.IO: what one client may hold open.

- **Connections per client address** (`PUENTE_MAX_CONNECTIONS_PER_IP`, default 200 per process,
  0 for no limit): an Engine.IO connection past the limit is refused at its handshake (HTTP
  401), so one script cannot fill a process's connection slots. The address is the WSGI
  `REMOTE_ADDR`, which `core.proxy` rewrites from `X-Forwarded-For` for
  `PUENTE_TRUSTED_PROXIES` hops only. The default leaves room for an office or a ministry
  behind one NAT address (each browser tab is one connection).
- **Time to say who you are** (`PUENTE_SOCKET_CONNECT_TIMEOUT`, default 10 seconds, 0 for
  none): an Engine.IO connection that has not sent its Socket.IO CONNECT (with its CSRF
  token and meeting) by then is closed. Engine.IO's pings alone would keep it open forever.
  A CONNECT that has arrived is no longer timed here: in a crowd it waits for its turn
  (`realtime.turns`), and closing it would only make its page connect again, adding to the
  crowd it waits behind.
- **Malformed packets**: Socket.IO and Engine.IO packets are decoded with a JSON module that
  refuses nesting deeper than `MAX_DEPTH` (a 20,000-level array otherwise raises
  RecursionError inside the decoders and leaves the connection hanging), and a connection
  that sends a packet which cannot be decoded is closed.

The limits hook into the Engine.IO server's `connect`, `message` and `disconnect` handlers;
the Socket.IO server's own handlers still run behind them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

from engineio import json as engineio_json

from webapp.realtime.ticker import Ticker
from webapp.realtime.transport import spliced_json
from webapp.realtime.transport.socket_settings import connect_timeout, max_connections_per_ip

logger = logging.getLogger(__name__)

#: Deepest nesting of lists and objects a packet may carry (a command needs three or four).
MAX_DEPTH = 64


def _too_deep(value, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, list | dict))
    return False


class DepthLimitedJSON:
    """The `json` module Socket.IO and Engine.IO decode packets with, refusing deep nesting.

    Built on Engine.IO's own (which already refuses integers of more than 100 digits); every
    failure is a ValueError, which both decoders treat as a malformed packet.
    """

    #: Writes shared snapshot parts from their text, encoded once (`spliced_json`).
    dumps = staticmethod(spliced_json.dumps)

    @staticmethod
    def loads(text, **kwargs):
        """Parse a payload, refusing nesting deep enough to exhaust the stack."""
        try:
            value = engineio_json.loads(text, **kwargs)
        except RecursionError:
            raise ValueError("packet nested too deeply") from None
        if isinstance(value, list | dict) and _too_deep(value, MAX_DEPTH):
            raise ValueError("packet nested too deeply")
        return value


class ConnectionGuard:
    """Per-process counts of Engine.IO connections by address, and the CONNECT deadline."""

    def __init__(self, server, *, per_address: int, timeout: float):
        self.server = server
        self.eio = server.eio
        self.per_address = per_address
        self.timeout = timeout
        self._address: dict[str, str] = {}
        self._counts: Counter = Counter()
        self._deadlines: dict[str, float] = {}
        self._lock = threading.Lock()
        sweep_every = min(1.0, self.timeout / 2)
        self._sweeper = Ticker("connect deadline sweep", self._sweep, sweep_every,
                               idle_stop=sweep_every, runner=server)
        self._connect = self.eio.handlers["connect"]
        self._message = self.eio.handlers["message"]
        self._disconnect = self.eio.handlers["disconnect"]

    def install(self) -> ConnectionGuard:
        """Wrap the Engine.IO server's handlers with the guard."""
        self.eio.on("connect", self.on_connect)
        self.eio.on("message", self.on_message)
        self.eio.on("disconnect", self.on_disconnect)
        return self

    def connections(self, address: str) -> int:
        """How many sockets this address holds open now."""
        with self._lock:
            return self._counts[address]

    # Engine.IO handlers -----------------------------------------------------------------

    def on_connect(self, eio_sid: str, environ: dict):
        """Refuse an address over its socket limit before any work is done."""
        address = environ.get("REMOTE_ADDR") or ""
        with self._lock:
            if self.per_address and self._counts[address] >= self.per_address:
                logger.warning("refused a live connection: %s holds %d already",
                               address, self._counts[address])
                return False
            self._counts[address] += 1
            self._address[eio_sid] = address
            if self.timeout > 0:
                self._deadlines[eio_sid] = time.monotonic() + self.timeout
        if self.timeout > 0:
            self._sweeper.start()
        try:
            return self._connect(eio_sid, environ)
        except Exception:
            self._release(eio_sid)
            raise

    def on_message(self, eio_sid: str, data):
        """End the CONNECT deadline when the CONNECT arrives; close a socket whose packet
        cannot be decoded."""
        if isinstance(data, str) and data[:1] == "0":  # a CONNECT: it has said who it is
            with self._lock:
                self._deadlines.pop(eio_sid, None)
        try:
            return self._message(eio_sid, data)
        except (ValueError, RecursionError) as error:
            logger.info("closing a live connection that sent a malformed packet: %s", error)
            self.eio.disconnect(eio_sid)
            return None

    def on_disconnect(self, eio_sid: str, *args):
        """Release the socket's place in its address' count."""
        self._release(eio_sid)
        return self._disconnect(eio_sid, *args)

    # bookkeeping ------------------------------------------------------------------------

    def _release(self, eio_sid: str) -> None:
        with self._lock:
            self._deadlines.pop(eio_sid, None)
            address = self._address.pop(eio_sid, None)
            if address is not None:
                self._counts[address] -= 1
                if self._counts[address] <= 0:
                    del self._counts[address]

    def _connected(self, eio_sid: str) -> bool:
        manager = self.server.manager
        sid = manager.sid_from_eio_sid(eio_sid, "/")
        return sid is not None and manager.is_connected(sid, "/")

    def _sweep(self) -> bool:
        """Close connections past their deadline without a Socket.IO CONNECT; False when
        no deadline is left (the sweeper then ends until the next connection)."""
        now = time.monotonic()
        with self._lock:
            due = [sid for sid, deadline in self._deadlines.items() if deadline <= now]
            for sid in due:
                del self._deadlines[sid]
            waiting = bool(self._deadlines)
        for eio_sid in due:
            try:
                if not self._connected(eio_sid):
                    logger.info("closing a live connection that never connected")
                    self.eio.disconnect(eio_sid)
            except Exception:
                logger.exception("could not close an idle live connection")
        return waiting or bool(due)


def init_app(app, socketio) -> ConnectionGuard:
    """Install the limits on the Socket.IO server `socketio.init_app` just built for `app`."""
    guard = ConnectionGuard(socketio.server, per_address=max_connections_per_ip(app),
                            timeout=connect_timeout(app)).install()
    app.extensions["puente_socket_guard"] = guard
    return guard
