"""Pictures of the fictional demo, drawn at load time (no files from elsewhere): an initials
avatar per speaker and simple logos, stored through the same checks as any upload."""

from __future__ import annotations

import hashlib

from PIL import Image, ImageDraw, ImageFont

from webapp.media import services as media
from webapp.media.processing import render_png

AVATAR_SIDE = 480
#: Dark backgrounds: white initials on them keep a contrast above 4.5:1.
PALETTE = ("#0b5d4b", "#8a3b00", "#1a5fb4", "#6d2f8e", "#a4161a", "#17603a", "#5c4a00")


def _colour(key: str) -> str:
    return PALETTE[hashlib.sha256(key.encode()).digest()[0] % len(PALETTE)]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except (OSError, TypeError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def _initials(name: str) -> str:
    letters = [part[0] for part in name.split() if part and part[0].isascii()
               and part[0].isalpha()]
    return "".join(letters[:2]).upper()


def avatar(name: str) -> Image.Image:
    """A square avatar: initials on a colour of the name, or a head and shoulders for a name
    the built-in font cannot draw (Chinese)."""
    side = AVATAR_SIDE
    image = Image.new("RGB", (side, side), _colour(name))
    draw = ImageDraw.Draw(image)
    initials = _initials(name)
    if initials:
        font = _font(side // 3)
        draw.text((side / 2, side / 2), initials, fill="#ffffff", font=font, anchor="mm")
    else:
        draw.ellipse((side * 0.34, side * 0.18, side * 0.66, side * 0.50), fill="#ffffff")
        draw.ellipse((side * 0.18, side * 0.56, side * 0.82, side * 1.20), fill="#ffffff")
    return image


def logo(key: str, shape: int = 0) -> Image.Image:
    """A transparent logo: a bridge's arch over two piers, in a colour of the key."""
    width, height = 600, 300
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    colour = _colour(key)
    draw.arc((60, 40, 540, 460), start=180, end=360, fill=colour, width=36)
    draw.rectangle((40, 230, 560, 262), fill=colour)
    for x in ((160, 440) if shape == 0 else (300,)):
        draw.rectangle((x - 14, 120, x + 14, 262), fill=colour)
    return image


def store(image: Image.Image) -> int:
    """Store a drawn picture like an upload; its id."""
    return media.store(render_png(image)).id
