"""JSON for Socket.IO packets, with objects serialised once and spliced into many packets.

A join snapshot is mostly the same for every attendee of a meeting (the questions, the
board's newest page, the polls): encoding it again for each of 5,000 arriving attendees
costs more than everything else a join does. `SharedJSON` carries such an object's text,
encoded once, together with the few keys that are the receiver's own; `dumps` writes the
text into the packet as is and appends the own keys.

A `SharedJSON` is also the dict it stands for, so Python code (tests, the test client)
reads it like any other value. Only the first few levels of a packet are searched for one
(a snapshot's parts sit at the third), so ordinary events pay nothing measurable; and
`SplicedPacket` does not search shared values for binary attachments, which python-socketio
would otherwise do by walking every item of every snapshot.
"""

from __future__ import annotations

import json
import secrets

from socketio import packet

from webapp.realtime.transport.shared_deflate import shared_texts

#: How deep into a packet's data `dumps` looks for shared objects: an ack's data is
#: `[{"ok": true, "snapshot": {"qa": <shared>}}]`, a shared part three containers down.
SEARCH_DEPTH = 3


class SharedJSON(dict):
    """A JSON object whose keys, but for `own`, were serialised once (`text`) and are shared
    with every receiver of the same state; `own` holds the receiver's own keys."""

    __slots__ = ("own", "text")

    def __init__(self, shared: dict, text: str, own: dict | None = None):
        super().__init__(shared)
        own = own or {}
        self.update(own)
        #: The shared keys as one JSON object, exactly as `json.dumps(shared)` writes it.
        self.text = text
        self.own = own

    @property
    def stem(self) -> str:
        """What every receiver's copy starts with, verbatim: the text less its closing brace."""
        return self.text[:-1]

    def encoded(self, **options) -> str:
        """This object as JSON text: the shared text with the own keys appended."""
        if not self.own:
            return self.text
        own = json.dumps(self.own, **options)
        if self.text == "{}":
            return own
        return self.text[:-1] + "," + own[1:]


class SharedArray(list):
    """A JSON array serialised once (`text`) and shared with every receiver."""

    __slots__ = ("text",)

    def __init__(self, shared: list, text: str):
        super().__init__(shared)
        self.text = text

    @property
    def stem(self) -> str:
        """What every receiver's copy holds verbatim: the whole text."""
        return self.text

    def encoded(self, **_options) -> str:
        """This array as JSON text."""
        return self.text


def shared_value(value: dict | list, text: str,
                 own: dict | None = None) -> SharedJSON | SharedArray:
    """`value` (an object or an array, encoded once as `text`) with the receiver's own keys."""
    if isinstance(value, list):
        return SharedArray(value, text)
    return SharedJSON(value, text, own)


def encode_shared(value: dict | list) -> str:
    """The shared text of `value`, written as Socket.IO writes packets."""
    return json.dumps(value, separators=(",", ":"))


_SHARED = (SharedJSON, SharedArray)


def _children(value) -> list:
    if type(value) is dict:
        return list(value.values())
    if type(value) is list:
        return value
    return []


def _has_shared(value, depth: int) -> bool:
    """Whether a `SharedJSON` sits in `value`, at most `depth` containers down."""
    if isinstance(value, _SHARED):
        return True
    if depth <= 0:
        return False
    return any(_has_shared(child, depth - 1) for child in _children(value)
               if type(child) is dict or type(child) is list or isinstance(child, _SHARED))


def _swap(value, found: list, token: str, depth: int):
    """A copy of `value` with every `SharedJSON` down to `depth` replaced by a placeholder
    string (`token` and its number in `found`)."""
    if isinstance(value, _SHARED):
        found.append(value)
        return f"{token}{len(found) - 1}"
    if depth <= 0:
        return value
    if type(value) is dict:
        return {key: _swap(item, found, token, depth - 1) for key, item in value.items()}
    if type(value) is list:
        return [_swap(item, found, token, depth - 1) for item in value]
    return value


def dumps(obj, **options) -> str:
    """`json.dumps`, with each shared value near the top written from its shared text."""
    if not _has_shared(obj, SEARCH_DEPTH):
        return json.dumps(obj, **options)
    found: list = []
    # A random token per call: no text a user wrote can pose as a placeholder.
    token = f"\x00shared-{secrets.token_hex(8)}-"
    swapped = _swap(obj, found, token, SEARCH_DEPTH)
    text = json.dumps(swapped, **options)
    # The placeholders come in the order they were found: the encoder walks the same way.
    pieces, position = [], 0
    for number, shared in enumerate(found):
        placeholder = json.dumps(f"{token}{number}")
        at = text.index(placeholder, position)
        pieces += [text[position:at], shared.encoded(**options)]
        position = at + len(placeholder)
        shared_texts.offer(shared.stem)  # its frame copies the text's compressed blocks
    pieces.append(text[position:])
    return "".join(pieces)


class SplicedPacket(packet.Packet):
    """Socket.IO's packet, knowing that shared values are JSON text: never binary."""

    @classmethod
    def data_is_binary(cls, data) -> bool:
        """Whether `data` holds bytes, without walking into shared values."""
        if isinstance(data, _SHARED):
            return False
        return super().data_is_binary(data)
