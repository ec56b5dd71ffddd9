"""The room index gives exactly the library's room table, and leaving touches only the
client's own rooms."""

from __future__ import annotations

import random

import socketio

from webapp.realtime.transport.room_index import IndexedManager

NS = "/"


def _managers():
    plain, indexed = socketio.Manager(), IndexedManager()
    for manager in (plain, indexed):
        socketio.Server(async_mode="threading", client_manager=manager)
        manager.initialize()
    return plain, indexed


def _table(manager) -> dict:
    return {ns: {room: dict(members) for room, members in rooms.items()}
            for ns, rooms in manager.rooms.items()}


def test_random_joins_leaves_closes_and_disconnects_match_the_library():
    plain, indexed = _managers()
    rng = random.Random(7)
    clients: list[tuple[str, str]] = []  # (plain sid, indexed sid) of the same client
    rooms = [f"meeting:{n}" for n in range(3)] + [f"registration:{n}" for n in range(40)]
    for step in range(3000):
        action = rng.random()
        if action < 0.2 or not clients:
            eio_sid = f"eio{step}"
            clients.append((plain.connect(eio_sid, NS), indexed.connect(eio_sid, NS)))
        elif action < 0.7:
            room = rng.choice(rooms)
            for manager, sid in zip((plain, indexed), rng.choice(clients), strict=True):
                manager.enter_room(sid, NS, room)
        elif action < 0.85:
            room = rng.choice(rooms)
            for manager, sid in zip((plain, indexed), rng.choice(clients), strict=True):
                manager.leave_room(sid, NS, room)
        elif action < 0.87:
            room = rng.choice(rooms)
            plain.close_room(room, NS)
            indexed.close_room(room, NS)
        else:
            pair = clients.pop(rng.randrange(len(clients)))
            for manager, sid in zip((plain, indexed), pair, strict=True):
                manager.disconnect(sid, NS)
        sids = {p: i for p, i in clients}
        rename = {**sids, None: None}
        assert _table(indexed) == {
            ns: {rename.get(room, room): {sids[s]: e for s, e in members.items()}
                 for room, members in table.items()}
            for ns, table in _table(plain).items()}
        if clients:
            p_sid, i_sid = rng.choice(clients)
            assert sorted(map(str, indexed.get_rooms(i_sid, NS))) == sorted(
                str(rename.get(room, room)) for room in plain.get_rooms(p_sid, NS))
