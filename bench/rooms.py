"""Everyone leaves at once: disconnecting N clients, each in its own room and the meeting's.

In-process, no sockets: it times the client manager's bookkeeping alone, python-socketio's
`Manager` against Puente's `IndexedManager` (same operations, same run).
"""

from __future__ import annotations

import time

import socketio

from bench.common import ratio, table
from webapp.realtime.transport.room_index import IndexedManager


def mass_disconnect(manager_class, clients: int) -> float:
    manager = manager_class()
    socketio.Server(async_mode="threading", client_manager=manager)
    manager.initialize()
    sids = []
    for n in range(clients):
        sid = manager.connect(f"eio{n}", "/")
        manager.enter_room(sid, "/", "meeting:1")
        manager.enter_room(sid, "/", f"registration:{n}")
        sids.append(sid)
    started = time.perf_counter()
    for sid in sids:
        manager.disconnect(sid, "/")
    return time.perf_counter() - started


def run(quick: bool = False, report: list | None = None) -> None:
    rows, results = [], {}
    for clients in ([1000, 2000] if quick else [1000, 5000]):
        plain = mass_disconnect(socketio.Manager, clients)
        indexed = mass_disconnect(IndexedManager, clients)
        results[clients] = {"library_s": plain, "indexed_s": indexed}
        rows.append([clients, round(plain * 1000, 1), round(indexed * 1000, 1),
                     ratio(indexed, plain)])
    print("\n### Mass disconnect: N clients leave at once (client manager bookkeeping)")
    print(table(["clients", "python-socketio Manager ms", "Puente IndexedManager ms",
                 "Puente ÷ library"], rows))
    if report is not None:
        report.append({"bench": "mass_disconnect", "results": results})
