"""Secret tokens for links: 192 bits of randomness, only the SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """Return (token for the link, digest for the database)."""
    token = secrets.token_urlsafe(24)
    return token, digest(token)


def digest(token: str) -> str:
    """The stored form of a secret link token: its hash, so a database leak reveals no links."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
