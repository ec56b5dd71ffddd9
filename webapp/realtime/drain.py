"""A process that is shutting down moves its clients elsewhere before it goes.

`puente serve` (webapp/serving) calls `begin` on SIGTERM once it has closed its listening
socket: from then on /healthz answers 503 `draining`, and `tell_clients` sends every socket
of this process (and only of this process) `server_draining {reconnect_within_ms}`. Each
client then disconnects and reconnects after a random delay within that window, reaching
another process through the proxy, and rejoins with its last `seq` (docs/protocol.md,
"Restarts"): the reconnects of a large meeting are spread over the window instead of arriving
all at once, and nothing committed is lost, because the rejoin replays it from the log.
"""

from __future__ import annotations

from webapp.realtime import state

#: The server→client event of a process about to stop.
SERVER_DRAINING = "server_draining"
#: Share of the drain time within which clients are asked to reconnect: the rest is left for
#: the last ones to go before the process stops waiting.
WINDOW_SHARE = 0.8
#: Key in `app.extensions` set while the process drains.
EXTENSION_KEY = "puente_draining"


def begin(app) -> None:
    """Mark the process as draining (/healthz answers 503 from now on)."""
    app.extensions[EXTENSION_KEY] = True


def is_draining(app) -> bool:
    """Whether the process is stopping (set by `begin`)."""
    return bool(app.extensions.get(EXTENSION_KEY))


def reconnect_window_ms(drain_seconds: float) -> int:
    """Milliseconds within which clients should reconnect, for a drain of `drain_seconds`."""
    return max(0, int(drain_seconds * 1000 * WINDOW_SHARE))


def tell_clients(app, within_ms: int) -> int:
    """Send `server_draining` to every socket of this process; returns how many there were."""
    live = state.of(app)
    count = len(live.connections.all())
    if live.broadcaster is not None:
        live.broadcaster.tell_local_sockets(SERVER_DRAINING,
                                            {"reconnect_within_ms": int(within_ms)})
    return count


def local_clients(app) -> int:
    """Sockets still connected to this process."""
    return len(state.of(app).connections.all())


def flush(app) -> None:
    """Send what waits in this process: coalesced figures, then the broadcaster's last tick
    (to this process's remaining sockets and, with Redis, to the other processes)."""
    live = state.of(app)
    for run in list(live.coalescers.values()):
        run.flush()  # announces after its own commit: queued in the broadcaster
        run.ticker.stop()
    if live.broadcaster is not None:
        live.broadcaster.flush()
