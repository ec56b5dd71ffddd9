"""Building the frames a room shares: the offer rewrite and the frame format."""

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
