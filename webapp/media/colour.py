"""Accent colours: a hex colour is accepted only when text in it, and white text on it, keep
WCAG AA contrast (4.5:1 for normal text) against the page."""

from __future__ import annotations

import re

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from webapp.errors import InvalidInput

HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
#: WCAG 2.x AA for normal text.
MIN_RATIO = 4.5
#: The page background (`--paper`) and the cards and white button text (`--card`).
PAGE_BACKGROUNDS = ("#fbfaf7", "#ffffff")


def normalise(value: str | None) -> str | None:
    """`"#1a2b3c"` in lower case, `None` for blank; `InvalidInput` for anything else."""
    text = (value or "").strip()
    if not text:
        return None
    match = HEX.match(text)
    if not match:
        raise InvalidInput(_l("Give the colour as # and six hexadecimal digits, e.g. #0b5d4b."),
                           field="accent_colour")
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def worst_ratio(colour: str) -> float:
    """The lowest contrast of the colour against the page and against white text on it."""
    return min(contrast(colour, background) for background in PAGE_BACKGROUNDS)


def check_accent(value: str | None) -> str | None:
    """The normalised colour, or `InvalidInput(field="accent_colour")` naming the ratio."""
    colour = normalise(value)
    if colour is None:
        return None
    ratio = worst_ratio(colour)
    if ratio < MIN_RATIO:
        shown = format_decimal(int(ratio * 100) / 100, format="0.00")
        raise InvalidInput(
            _l("This colour has a contrast of only %(ratio)s:1 with the page background and "
               "with white text; at least 4.5:1 is needed. Choose a darker colour.",
               ratio=shown),
            field="accent_colour")
    return colour
