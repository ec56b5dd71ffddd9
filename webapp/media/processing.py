"""Decode, check and re-encode an uploaded picture with Pillow (no database, no Flask).

Checked by content, never by name or declared type: the bytes must decode as JPEG, PNG, WebP
or GIF (first frame); SVG and everything else is refused. The orientation is applied first,
then the pixels are copied into a fresh image, so no EXIF, GPS, ICC or comment survives, and
each size is encoded anew. A file that is also something else (it holds HTML, a script or a
zip archive, in a comment or after the image) is refused, as are decompression bombs and
truncated files. Whatever slips through is harmless: only the re-encoded pixels are served,
as `image/webp` with `nosniff`.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

from webapp.errors import InvalidInput

#: Largest upload accepted, in bytes.
MAX_BYTES = 10 * 1024 * 1024
#: Largest picture accepted, in pixels (width × height), checked before any pixel is decoded.
MAX_PIXELS = 40_000_000
#: Longest side of each size made at upload.
SIZES = {"thumb": 160, "card": 480, "full": 1200}
#: The formats accepted, by what Pillow finds in the bytes.
ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF"}
#: Text that has no business in a picture: the file is also a web page, a script or an archive.
_FOREIGN = re.compile(
    rb"<\s*(?:script|html|svg|body|iframe|object|embed|!doctype|\?php|\?xml)|javascript:"
    rb"|PK\x03\x04|PK\x05\x06|PK\x01\x02",
    re.IGNORECASE,
)
WEBP_QUALITY = 82

REFUSED_TYPE = _l("Upload a picture in JPEG, PNG, WebP or GIF format.")
REFUSED_BROKEN = _l("This picture could not be read: the file is damaged or incomplete.")
REFUSED_FOREIGN = _l("This file is not only a picture (it also holds a web page, a script or "
                     "an archive), so it was refused.")


def refused_size() -> str:
    """The refusal of a file over the byte limit."""
    return _l("The picture is larger than %(mb)d MB.", mb=MAX_BYTES // (1024 * 1024))


def refused_pixels() -> str:
    """The refusal of a picture over the pixel limit (or a decompression bomb)."""
    return _l("The picture has more than %(mp)d million pixels.", mp=MAX_PIXELS // 1_000_000)


@dataclass(frozen=True)
class Variant:
    """One encoded size."""
    size: str
    mime: str
    width: int
    height: int
    data: bytes

    @property
    def etag(self) -> str:
        """Hex SHA-256 of the bytes."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Cleaned:
    """A picture made from an upload: its size and the variants to store."""
    sha256: str
    width: int
    height: int
    variants: tuple[Variant, ...]


def _refuse(message) -> InvalidInput:
    return InvalidInput(message, field="picture")


def clean(data: bytes) -> Cleaned:
    """Check an upload and make its sizes; `InvalidInput(field="picture")` when refused."""
    if not data:
        raise _refuse(REFUSED_TYPE)
    if len(data) > MAX_BYTES:
        raise _refuse(refused_size())
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=sorted(ACCEPTED)) as image:
                width, height = image.size
                if width * height > MAX_PIXELS or width <= 0 or height <= 0:
                    raise _refuse(refused_pixels())
                image.seek(0)  # a GIF or WebP animation: its first frame
                image.load()
                if _FOREIGN.search(data):
                    raise _refuse(REFUSED_FOREIGN)
                upright = ImageOps.exif_transpose(image)
        except InvalidInput:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(refused_pixels()) from None
        except Image.UnidentifiedImageError:
            raise _refuse(REFUSED_TYPE) from None
        except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
            raise _refuse(REFUSED_BROKEN) from None
    return _encode(upright)


def _fresh(image: Image.Image) -> Image.Image:
    """The pixels alone, in a new image: no metadata of the upload can come along."""
    transparent = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info) or "transparency" in image.info
    mode = "RGBA" if transparent else "RGB"
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _encode(image: Image.Image) -> Cleaned:
    pixels = _fresh(image)
    longest = max(pixels.size)
    variants = []
    for name, side in SIZES.items():
        copy = pixels.copy()
        copy.thumbnail((side, side), Image.Resampling.LANCZOS)  # never enlarges
        out = io.BytesIO()
        copy.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
        variants.append(Variant(name, "image/webp", copy.width, copy.height, out.getvalue()))
        if side >= longest:
            break  # the original's own size: no larger size is made
    full = variants[-1]
    digest = hashlib.sha256(b"".join(v.data for v in variants)).hexdigest()
    return Cleaned(sha256=digest, width=full.width, height=full.height,
                   variants=tuple(variants))


def render_png(image: Image.Image) -> bytes:
    """Encode a picture made in code (demo avatars, tests) as PNG bytes for `clean`."""
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
