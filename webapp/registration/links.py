"""Absolute links for e-mails: the shared helper lives in `webapp.core.links`."""

from webapp.core.links import FALLBACK_BASE_URL, external_url

__all__ = ["FALLBACK_BASE_URL", "external_url"]
