"""Write a room's broadcast straight to each idle WebSocket instead of through its queue.

Engine.IO hands every packet to a per-connection queue, and a writer greenlet per connection
wakes up to send it. For one frame to 5,000 attendees that is 5,000 queue hand-offs, timer
entries and greenlet switches, about three quarters of the fan-out's CPU. Under eventlet the
broadcast can instead be written to the socket at once when nothing can overtake it:

- the connection is a WebSocket this process accepted (`transport.shared_deflate` files it in the
  request's environ), Engine.IO considers it open, and its queue is empty;
- its send lock is free, so no frame is half-written. Greenlets switch only on I/O, so an
  empty queue and a free lock mean no older packet of this connection is still waiting.

The frame is built once per broadcast (shared compression or none) and written with one
non-blocking `send`; if the kernel takes only part of it, a greenlet writes the rest while
still holding the send lock, so the connection's next packet waits behind it. Anything else
(polling clients, a busy or slow connection, callbacks) goes through Engine.IO as before.
"""

from __future__ import annotations

import ssl

import eventlet
import socketio
from engineio import packet as eio_packet
from socketio import packet as sio_packet

from webapp.realtime.transport.room_index import RoomIndex
from webapp.realtime.transport.shared_deflate import WEBSOCKET_KEY, plain_frame


class _Frames:
    """The frames of one broadcast, built at most once per kind of connection."""

    def __init__(self, text: str):
        self.text = text
        self._shared = None
        self._plain = None

    def for_socket(self, ws) -> bytes | None:
        if ws.shares_frames:
            if self._shared is None:
                self._shared = ws.frames.frame(self.text)
            return self._shared
        if not ws.extensions.get("permessage-deflate"):
            if self._plain is None:
                self._plain = plain_frame(self.text)
            return self._plain
        return None  # a per-connection compression context: only its own writer may send


def _finish(ws, rest: bytes) -> None:
    try:
        ws.socket.sendall(rest)
    except OSError:
        pass  # the connection is gone; its reader notices and closes it
    finally:
        ws._sendlock.release()


def write_now(server, eio_sid: str, built: _Frames) -> bool:
    """Send the broadcast to one connection now; False when it must go through its queue."""
    connection = server.eio.sockets.get(eio_sid)
    if connection is None or connection.closed or not connection.upgraded \
            or connection.upgrading or connection.queue.qsize():
        return False
    environ = server.environ.get(eio_sid)
    ws = environ.get(WEBSOCKET_KEY) if environ is not None else None
    if ws is None or not hasattr(ws, "shares_frames") or isinstance(ws.socket.fd, ssl.SSLSocket):
        return False  # not ours, or TLS in this process: a raw send would bypass the record layer
    frame = built.for_socket(ws)
    if frame is None or not ws._sendlock.acquire(blocking=False):
        return False
    try:
        sent = ws.socket.fd.send(frame)
    except BlockingIOError:
        sent = 0
    except OSError:
        ws._sendlock.release()
        return False  # Engine.IO's writer meets the same error and closes the connection
    if sent == len(frame):
        ws._sendlock.release()
    else:
        eventlet.spawn_n(_finish, ws, frame[sent:])
    return True


def send_acks_directly(server) -> None:
    """Write acks like broadcasts: straight to an idle WebSocket.

    Besides the hand-off, this keeps join answers from lingering: Engine.IO's writer greenlet
    holds the last packet it sent until the next one comes, and after a join that is the
    whole snapshot (~175 KB of text in a busy meeting) for every attendee who then only
    receives broadcasts, which come this way and never through that writer.
    """
    send_through_queue = server._send_packet

    def send_packet(eio_sid, pkt):
        if pkt.packet_type != sio_packet.ACK:
            return send_through_queue(eio_sid, pkt)
        encoded = pkt.encode()
        if isinstance(encoded, list):  # binary attachments: Engine.IO's own path
            return send_through_queue(eio_sid, pkt)
        message = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        if not write_now(server, eio_sid, _Frames(message.encode())):
            server._send_eio_packet(eio_sid, message)
        return None

    server._send_packet = send_packet


class DirectFanout(socketio.Manager):
    """A client manager whose room broadcasts (and its server's acks) use `write_now` where
    it is safe."""

    def set_server(self, server):
        """Take the server whose rooms this manages, and send its acks directly too."""
        super().set_server(server)
        send_acks_directly(server)

    def emit(self, event, data, namespace, room=None, skip_sid=None, callback=None, to=None,
             **kwargs):
        """Send to a room by writing one shared frame to each socket directly."""
        room = to or room
        if callback or namespace not in self.rooms:
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid,
                                callback=callback, **kwargs)
        arguments = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        encoded = self.server.packet_class(sio_packet.EVENT, namespace=namespace,
                                           data=[event, *arguments]).encode()
        if isinstance(encoded, list):  # binary attachments: Engine.IO's own path
            return super().emit(event, data, namespace, room=room, skip_sid=skip_sid, **kwargs)
        message = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        built = _Frames(message.encode())
        skip = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        for sid, eio_sid in self.get_participants(namespace, room):
            if sid not in skip and not write_now(self.server, eio_sid, built):
                self.server._send_eio_packet(eio_sid, message)


class DirectManager(DirectFanout, RoomIndex):
    """One process: rooms in memory, broadcasts written directly."""


class DirectRedisManager(socketio.RedisManager, DirectFanout, RoomIndex):
    """Several processes: the Redis queue delivers to each, which then writes directly."""
