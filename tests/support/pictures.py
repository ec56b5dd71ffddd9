"""Pictures made by Pillow inside the tests (uploads, bombs, polyglots): nothing binary is
checked in."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image


def jpeg_with_gps(size=(640, 480), orientation: int | None = None) -> bytes:
    """A JPEG whose EXIF holds a camera, a GPS position and optionally an orientation."""
    image = Image.new("RGB", size, "#336699")
    for x in range(0, size[0], 40):  # some detail, so the re-encoded file is not trivial
        for y in range(size[1] // 2):
            image.putpixel((x, y), (255, 200, 0))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (12.0, 2.0, 46.0)  # 12°02'46" S: Lima
    gps[3] = "W"
    gps[4] = (77.0, 1.0, 42.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_with_transparency(size=(300, 150)) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    for x in range(size[0] // 3, 2 * size[0] // 3):
        for y in range(size[1]):
            image.putpixel((x, y), (200, 30, 30, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def gif_animation() -> bytes:
    frames = [Image.new("P", (64, 64), index) for index in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def webp_image() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 100), "#0b5d4b").save(out, "WEBP")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_bomb(width=30_000, height=30_000) -> bytes:
    """A PNG header claiming 900 million pixels, with a tiny compressed body (a few KB)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    body = zlib.compress(row * 200, 9)  # far fewer rows than claimed: never decoded anyway
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body)
            + _chunk(b"IEND", b""))


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), "#884422").save(out, "JPEG")
    return out.getvalue()


def gif_html_polyglot() -> bytes:
    """A valid GIF with a web page in a comment block: a browser sniffing it sees HTML."""
    out = io.BytesIO()
    Image.new("P", (32, 32), 1).save(out, "GIF", comment=b"<html><script>alert(1)</script>")
    return out.getvalue()


def jpeg_zip_polyglot() -> bytes:
    """A JPEG with a zip archive appended (opens as either)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.html", "<script>alert(1)</script>")
    return small_jpeg() + archive.getvalue()


SVG_WITH_SCRIPT = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                   b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>')
