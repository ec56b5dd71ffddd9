"""Building the frames a room shares: the offer rewrite and the frame format."""

import json
import zlib

from webapp.realtime.transport.shared_deflate import (
    MIN_COMPRESSED_BYTES,
    FrameCache,
    build_frame,
    offer_without_context_takeover,
    plain_frame,
)


def test_every_deflate_offer_asks_for_no_server_context_takeover():
    offer = "permessage-deflate; client_max_window_bits, x-webkit-deflate-frame"
    assert offer_without_context_takeover(offer) == (
        "permessage-deflate; client_max_window_bits; server_no_context_takeover, "
        "x-webkit-deflate-frame")
    already = "permessage-deflate; server_no_context_takeover"
    assert offer_without_context_takeover(already) == already


def test_short_messages_go_uncompressed_and_long_ones_inflate_back():
    short = build_frame("42[\"tick\"]")
    assert short[0] == 0x81 and short[1] == len("42[\"tick\"]")
    text = "42" + "[\"question\",{\"text\":\"¿Y la diferencia horaria? 时差\"}]" * 10
    assert len(text.encode()) >= MIN_COMPRESSED_BYTES
    frame = build_frame(text)
    assert frame[0] == 0xC1  # final, RSV1 (compressed), text
    length, start = frame[1], 2
    if length == 126:
        length, start = int.from_bytes(frame[2:4], "big"), 4
    payload = frame[start:]
    assert len(payload) == length
    inflated = zlib.decompressobj(-zlib.MAX_WBITS).decompress(payload + b"\x00\x00\xff\xff")
    assert inflated.decode() == text


def test_plain_frames_carry_their_length_in_the_smallest_header():
    assert plain_frame("4") == b"\x81\x014"
    medium = plain_frame("x" * 300)
    assert medium[:4] == b"\x81\x7e\x01\x2c" and len(medium) == 304
    large = plain_frame(b"y" * 70000)
    assert large[:2] == b"\x82\x7f" and int.from_bytes(large[2:10], "big") == 70000


def test_the_cache_builds_each_message_once_and_forgets_the_oldest():
    cache = FrameCache(size=2)
    first = cache.frame("a" * 200)
    assert cache.frame("a" * 200) is first
    cache.frame("b" * 200)
    cache.frame("c" * 200)
    assert cache.built == 3
    cache.frame("a" * 200)
    assert cache.built == 4


def _inflate(frame: bytes) -> str:
    length, start = frame[1] & 0x7F, 2
    if length == 126:
        length, start = int.from_bytes(frame[2:4], "big"), 4
    elif length == 127:
        length, start = int.from_bytes(frame[2:10], "big"), 10
    payload = frame[start:]
    assert len(payload) == length and frame[0] == 0xC1
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(
        payload + b"\x00\x00\xff\xff").decode()


def test_a_shared_text_inside_a_message_is_copied_in_compressed_once():
    from webapp.realtime.transport import shared_deflate

    shared = json.dumps([{"id": n, "text": f"¿Pregunta {n}? 问题 {n}"} for n in range(400)])
    texts = shared_deflate.SharedTexts()
    texts.offer(shared)
    texts.offer("too short to bother")
    original, shared_deflate.shared_texts = shared_deflate.shared_texts, texts
    try:
        first = '430[{"ok":true,"snapshot":{"qa":' + shared + ',"own":[{"mine":"Ana 安娜"}]}}]'
        second = '431[{"ok":true,"snapshot":{"qa":' + shared + ',"own":[]}}]'
        assert texts.pieces(first) == [('430[{"ok":true,"snapshot":{"qa":', False),
                                       (shared, True), (',"own":[{"mine":"Ana 安娜"}]}}]', False)]
        assert _inflate(build_frame(first)) == first
        assert _inflate(build_frame(second)) == second
        assert texts.compressed(shared) is texts.compressed(shared)  # built once
        assert texts.pieces("no shared text here " * 300) is None
    finally:
        shared_deflate.shared_texts = original


def test_only_the_latest_shared_texts_are_looked_for():
    from webapp.realtime.transport.shared_deflate import MIN_SHARED_BYTES, SharedTexts

    texts = SharedTexts(size=2)
    old, middle, new = (letter * MIN_SHARED_BYTES for letter in "abc")
    for text in (old, middle, new):
        texts.offer(text)
    assert texts.pieces(old) is None
    assert texts.pieces("[" + middle + new + "]") == [("[", False), (middle, True),
                                                      (new, True), ("]", False)]
