"""Checks for user text: reject what a database or a screen cannot hold, keep the rest exact."""

from __future__ import annotations

import re

# C0 controls except tab, newline and carriage return; DEL; C1 controls; lone surrogates.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\ud800-\udfff]")


def forbidden_character(value: str) -> str | None:
    """Return the first character we refuse to store, or None when the text is acceptable.

    PostgreSQL cannot store NUL at all and other control characters only confuse screens and
    CSV readers, so they are refused with a message instead of silently dropped.
    """
    match = _FORBIDDEN.search(value)
    return match.group(0) if match else None


def is_blank(value: str | None) -> bool:
    """True for None and text of only white space (of any script)."""
    return value is None or value.strip() == ""


def single_line(value: str) -> bool:
    """Whether the text has no line breaks (names, titles)."""
    return "\n" not in value and "\r" not in value


def normalise_email(email: str) -> str:
    """The one form of an address for storing and looking up: staff accounts, registrations
    and link requests must agree, or the same person is two people."""
    return email.strip().lower()


def normalise_line_ends(value: str) -> str:
    """Every line end as a line feed: browsers send textareas with CRLF, and paragraph breaks, line
    counts and exports must not depend on which system the text was typed on."""
    return value.replace("\r\n", "\n").replace("\r", "\n")
