"""Which rooms each client is in, so that a disconnect costs that client's rooms only.

python-socketio finds a leaving client's rooms by testing every room of the namespace (and
copies the room table first). Every attendee has a room of their own (`registration:<id>`),
so with N attendees one disconnect costs O(N) and everyone leaving at once (the end of the
meeting, a venue's Wi-Fi dropping) costs O(N²): seconds of a process's only core at 5,000.
This mixin keeps the reverse index on the way in and uses it on the way out; the room table
itself, and so every other method, stays exactly as the library keeps it.
"""

from __future__ import annotations

import socketio
from socketio.base_manager import BaseManager


class RoomIndex(BaseManager):
    """A client manager that knows each client's rooms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._rooms_of: dict[tuple[str, str], set] = {}

    def basic_enter_room(self, sid, namespace, room, eio_sid=None):
        """Join a room and index it by socket, for a cheap room list."""
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        self._rooms_of.setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid, namespace, room):
        """Leave a room and drop it from the index."""
        super().basic_leave_room(sid, namespace, room)
        rooms = self._rooms_of.get((namespace, sid))
        if rooms is not None:
            rooms.discard(room)
            if not rooms:
                del self._rooms_of[namespace, sid]

    def get_rooms(self, sid, namespace):
        """The rooms of a socket, from the index (no scan of every room)."""
        return [room for room in self._rooms_of.get((namespace, sid), ()) if room is not None]

    def basic_disconnect(self, sid, namespace, **kwargs):
        """The library's disconnect, with the room scan replaced by the index."""
        if namespace not in self.rooms:
            return
        for room in list(self._rooms_of.get((namespace, sid), ())):
            self.basic_leave_room(sid, namespace, room)
        self._rooms_of.pop((namespace, sid), None)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            waiting = pending.get(namespace)
            if waiting is not None and sid in waiting:
                waiting.remove(sid)
                if not waiting:
                    del pending[namespace]


class IndexedManager(socketio.Manager, RoomIndex):
    """One process, rooms in memory."""


class IndexedRedisManager(socketio.RedisManager, RoomIndex):
    """Several processes sharing a Redis message queue."""
