"""Uploads are checked by content and re-encoded: nothing an uploader sent is served as is."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from tests.support import pictures as images
from webapp.errors import InvalidInput
from webapp.media import processing
from webapp.media.processing import MAX_BYTES, SIZES, clean


def decoded(variant) -> Image.Image:
    image = Image.open(io.BytesIO(variant.data))
    image.load()
    return image


def refusal(data: bytes) -> str:
    with pytest.raises(InvalidInput) as caught:
        clean(data)
    assert caught.value.details["field"] == "picture"
    return str(caught.value.message)


def test_a_jpeg_with_gps_comes_out_without_any_metadata(app):
    cleaned = clean(images.jpeg_with_gps())
    # 640 px wide: the thumbnail, the card and the original size as the largest.
    assert [v.size for v in cleaned.variants] == ["thumb", "card", "full"]
    for variant in cleaned.variants:
        image = decoded(variant)
        assert image.format == "WEBP"
        assert variant.mime == "image/webp"
        assert not image.getexif()
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert b"Exif" not in variant.data and b"PhoneMaker" not in variant.data
        assert max(image.size) == min(SIZES[variant.size], 640)
    assert (cleaned.width, cleaned.height) == (640, 480)


def test_the_orientation_is_applied_before_the_metadata_goes(app):
    # Orientation 6: the camera was turned; the picture is shown rotated by 90°.
    cleaned = clean(images.jpeg_with_gps(size=(400, 200), orientation=6))
    assert (cleaned.width, cleaned.height) == (200, 400)


def test_a_png_logo_keeps_its_transparency(app):
    cleaned = clean(images.png_with_transparency())
    image = decoded(cleaned.variants[0])
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0))[3] == 0
    assert image.getpixel((image.width // 2, image.height // 2))[3] == 255


def test_gif_gives_its_first_frame_and_webp_is_accepted(app):
    assert clean(images.gif_animation()).width == 64
    webp = clean(images.webp_image())
    assert (webp.width, [v.size for v in webp.variants]) == (200, ["thumb", "card"])


def test_identical_pictures_have_the_same_hash(app):
    assert clean(images.small_jpeg()).sha256 == clean(images.small_jpeg()).sha256


def test_a_decompression_bomb_is_refused_before_decoding(app):
    data = images.png_bomb()
    assert len(data) < 5_000
    assert "million pixels" in refusal(data)


def test_pillows_own_bomb_limit_is_an_error_too(app, monkeypatch):
    monkeypatch.setattr(processing, "MAX_PIXELS", 10**12)  # only Pillow's check is left
    message = refusal(images.png_bomb())
    assert "million pixels" in message


@pytest.mark.parametrize("make", [images.gif_html_polyglot, images.jpeg_zip_polyglot],
                         ids=["gif-html", "jpeg-zip"])
def test_a_polyglot_is_refused(app, make):
    assert "not only a picture" in refusal(make())


def test_svg_with_a_script_is_refused(app):
    assert "JPEG, PNG, WebP or GIF" in refusal(images.SVG_WITH_SCRIPT)


def test_a_truncated_jpeg_is_refused(app):
    data = images.jpeg_with_gps()
    message = refusal(data[: len(data) // 2])
    assert "damaged or incomplete" in message or "not only a picture" in message


def test_random_bytes_and_nothing_are_refused(app):
    assert "JPEG, PNG, WebP or GIF" in refusal(os.urandom(4096))
    assert "JPEG, PNG, WebP or GIF" in refusal(b"")


def test_more_than_the_byte_limit_is_refused(app):
    assert "10 MB" in refusal(images.small_jpeg() + b"\x00" * MAX_BYTES)
