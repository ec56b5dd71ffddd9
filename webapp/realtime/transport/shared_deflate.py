"""Compress a broadcast frame once for the whole room instead of once per connection.

With permessage-deflate as browsers offer it, every connection keeps its own compression
context, so a frame sent to 5,000 attendees is compressed 5,000 times and each idle socket
holds a zlib state of about 100 KB. RFC 7692 (section 7.1.1.1) lets the server answer with
`server_no_context_takeover` even when the client did not ask for it; each server message is
then compressed on its own, so identical messages give identical frames, and the frame built
for the first recipient can be sent as is to every other one.

Two parts, applied only under eventlet (the server whose WebSocket class this knows):

- `WithSharedCompression`, WSGI middleware that adds `server_no_context_takeover` to the
  client's offer, so eventlet negotiates it and says so in its handshake answer;
- `SharedFrameWebSocket`, eventlet's WebSocket with two changes: a data frame of a connection
  without server context takeover comes from a small cache of finished frames keyed by the
  message (a message too short to gain anything is sent uncompressed, allowed per frame);
  and the socket files itself in its request's environ under `WEBSOCKET_KEY`, where
  `transport.direct_fanout` finds it to write broadcasts without a hand-off.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections import OrderedDict

_EXTENSIONS_HEADER = "HTTP_SEC_WEBSOCKET_EXTENSIONS"
_NO_TAKEOVER = "server_no_context_takeover"

#: Below this many bytes compression saves too little to pay for a fresh zlib state.
MIN_COMPRESSED_BYTES = 128
#: Finished frames kept: one tick's broadcasts for every room of a busy process.
CACHED_FRAMES = 64
#: Messages larger than this are compressed but not kept (snapshots, exports).
MAX_CACHED_BYTES = 64 * 1024
#: Shared texts shorter than this are compressed with the rest of their message.
MIN_SHARED_BYTES = 4096
#: How many shared texts a long message is searched for (a snapshot has four parts).
SHARED_TEXTS = 8
#: How much of a shared text is searched for before comparing the rest.
PROBE_CHARS = 64
#: Where a connection's WebSocket object is filed in its WSGI environ.
WEBSOCKET_KEY = "puente.websocket"
#: Where the application's frame cache is handed to its WebSockets in the WSGI environ.
FRAMES_KEY = "puente.frames"


def offer_without_context_takeover(header: str) -> str:
    """Add `server_no_context_takeover` to every permessage-deflate offer in `header`."""
    offers = []
    for offer in header.split(","):
        params = [part.strip() for part in offer.split(";")]
        if params[0].lower() == "permessage-deflate" and not any(
            param.lower().startswith(_NO_TAKEOVER) for param in params[1:]
        ):
            params.append(_NO_TAKEOVER)
        offers.append("; ".join(params))
    return ", ".join(offers)


class WithSharedCompression:
    """WSGI middleware: ask eventlet to negotiate `server_no_context_takeover`, and hand the
    application's frame cache to the WebSocket built for the request."""

    def __init__(self, wsgi_app, frames: FrameCache | None = None):
        self.wsgi_app = wsgi_app
        self.frames = frames if frames is not None else FrameCache()

    def __call__(self, environ, start_response):
        """The WSGI entry point: hand the request on with shared compression switched on."""
        offer = environ.get(_EXTENSIONS_HEADER)
        if offer:
            environ[_EXTENSIONS_HEADER] = offer_without_context_takeover(offer)
        environ[FRAMES_KEY] = self.frames
        return self.wsgi_app(environ, start_response)


def _frame_header(opcode: int, length: int) -> bytes:
    """An unmasked, final frame's header (server to client)."""
    if length > 65535:
        return struct.pack("!BBQ", 0x80 | opcode, 127, length)
    if length > 125:
        return struct.pack("!BBH", 0x80 | opcode, 126, length)
    return struct.pack("!BB", 0x80 | opcode, length)


def plain_frame(message: bytes | str) -> bytes:
    """One complete, uncompressed server frame for `message`."""
    text = isinstance(message, str)
    payload = message.encode("utf-8") if text else message
    return _frame_header(0x1 if text else 0x2, len(payload)) + payload


def _deflated(data: bytes) -> bytes:
    """`data` as raw deflate blocks of their own, ending byte-aligned (sync flush): such
    pieces, each from a fresh compressor, follow one another into one valid stream."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


class SharedTexts:
    """Long texts that many messages embed (the attendees' shared snapshot parts, see
    `spliced_json`), each compressed once: a message holding one is compressed around it,
    and the text's own blocks are copied in, so 5,000 join answers do not compress the same
    150 KB 5,000 times. Only the most recently offered few are looked for."""

    def __init__(self, size: int = SHARED_TEXTS):
        self.size = size
        self._texts: OrderedDict[str, bytes | None] = OrderedDict()
        self._lock = threading.Lock()

    def offer(self, text: str) -> None:
        """Note that `text` is about to be written into messages."""
        if len(text) < MIN_SHARED_BYTES:
            return
        with self._lock:
            if text in self._texts:
                self._texts.move_to_end(text)
                return
            self._texts[text] = None
            while len(self._texts) > self.size:
                self._texts.popitem(last=False)

    def pieces(self, message: str) -> list[tuple[str, bool]] | None:
        """`message` cut into `(piece, shared?)` in order, or None when it holds no shared
        text."""
        with self._lock:
            texts = list(reversed(self._texts))
        found = []
        for text in texts:
            # A short probe, then one comparison: cheaper than searching for the whole text.
            at = message.find(text[:PROBE_CHARS])
            while at >= 0 and not message.startswith(text, at):
                at = message.find(text[:PROBE_CHARS], at + 1)
            if at >= 0:
                found.append((at, text))
        if not found:
            return None
        pieces, position = [], 0
        for at, text in sorted(found):
            if at < position:
                continue  # one text inside another: the first one found stands
            if at > position:
                pieces.append((message[position:at], False))
            pieces.append((text, True))
            position = at + len(text)
        if position < len(message):
            pieces.append((message[position:], False))
        return pieces

    def compressed(self, text: str) -> bytes:
        """The deflate blocks of a shared text, built once."""
        found = self._texts.get(text)
        if found is None:
            found = _deflated(text.encode("utf-8"))
            with self._lock:
                if text in self._texts:
                    self._texts[text] = found
        return found


#: The shared texts of this process (one set for every application: a text is its own key).
shared_texts = SharedTexts()


def _compressed_payload(message: bytes | str) -> bytes:
    """The permessage-deflate payload of `message`, with shared texts copied in already
    compressed."""
    pieces = shared_texts.pieces(message) if isinstance(message, str) and \
        len(message) >= MIN_SHARED_BYTES else None
    if pieces is None:
        data = message.encode("utf-8") if isinstance(message, str) else message
        stream = _deflated(data)
    else:
        stream = b"".join(shared_texts.compressed(piece) if shared
                          else _deflated(piece.encode("utf-8")) for piece, shared in pieces)
    return stream[:-4]  # RFC 7692 7.2.1: drop the trailing 00 00 ff ff


def build_frame(message: bytes | str) -> bytes:
    """One complete server frame for `message`, compressed when that pays off."""
    text = isinstance(message, str)
    opcode = 0x1 if text else 0x2
    # A long text is compressed piece by piece, never encoded whole (a join answer is large).
    if len(message) >= MIN_COMPRESSED_BYTES:
        payload = _compressed_payload(message)
        opcode |= 0x40  # RSV1: this frame is compressed
    else:
        payload = message.encode("utf-8") if text else message
        if len(payload) >= MIN_COMPRESSED_BYTES:
            payload = _compressed_payload(message)
            opcode |= 0x40
    return _frame_header(opcode, len(payload)) + payload


class FrameCache:
    """The last few frames built, so a room's copies of one message share one."""

    def __init__(self, size: int = CACHED_FRAMES):
        self.size = size
        self._frames: OrderedDict[bytes | str, bytes] = OrderedDict()
        self.built = 0

    def frame(self, message: bytes | str) -> bytes:
        """One compressed frame of `message`, built once and reused for every client."""
        found = self._frames.get(message)
        if found is not None:
            self._frames.move_to_end(message)
            return found
        frame = build_frame(message)
        self.built += 1
        if len(message) <= MAX_CACHED_BYTES:
            self._frames[message] = frame
            if len(self._frames) > self.size:
                self._frames.popitem(last=False)
        return frame


def _shared_websocket_class():
    from eventlet import websocket  # imports eventlet: only under it

    class SharedFrameWebSocket(websocket.RFC6455WebSocket):
        """eventlet's WebSocket, taking data frames from the shared cache when it can."""

        def __init__(self, sock, environ, *args, **kwargs):
            super().__init__(sock, environ, *args, **kwargs)
            environ[WEBSOCKET_KEY] = self
            #: The frames of this socket's application (one cache per application).
            self.frames = environ.get(FRAMES_KEY) or FrameCache()

        @property
        def shares_frames(self) -> bool:
            deflate = self.extensions.get("permessage-deflate")
            return bool(deflate and deflate.get(_NO_TAKEOVER))

        def _pack_message(self, message, masked=False, continuation=False, final=True,
                          control_code=None):
            if (self.shares_frames and message and not masked
                    and not continuation and final and control_code is None):
                return self.frames.frame(message)
            return super()._pack_message(message, masked=masked, continuation=continuation,
                                         final=final, control_code=control_code)

    return SharedFrameWebSocket


def install(app, *, compression: bool) -> bool:
    """Make eventlet build its WebSockets from the sharing class; with `compression`, also
    wrap `app` so that frames are compressed without context takeover.

    Returns False (and changes nothing) when eventlet's WebSocket is not the expected shape.
    """
    from eventlet import websocket  # imports eventlet: only under it

    original = getattr(websocket, "RFC6455WebSocket", None)
    if original is None or not hasattr(original, "_pack_message"):
        return False
    if getattr(original, "__name__", "") != "SharedFrameWebSocket":
        websocket.RFC6455WebSocket = _shared_websocket_class()
    if compression and not isinstance(app.wsgi_app, WithSharedCompression):
        app.wsgi_app = WithSharedCompression(app.wsgi_app, app.extensions.setdefault(
            "puente_frames", FrameCache()))
    return True
