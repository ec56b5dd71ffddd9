"""Rate limits for socket commands (HTTP routes use Flask-Limiter with the same storage).

Plain Python: a service names the action and the actor, this module answers allowed or raises
RateLimited with how long to wait. Storage is Redis when REDIS_URL is set (shared by every
process), memory otherwise.
"""

from __future__ import annotations

import logging
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.local import LocalProxy

from webapp.errors import RateLimited

logger = logging.getLogger(__name__)


class RateLimits:
    """Fixed-window limits for socket commands, shared through Redis when there is one."""
    def __init__(self):
        self._limiter: MovingWindowRateLimiter | None = None
        self.enabled = True

    def configure(self, storage_uri: str, enabled: bool = True, key_prefix: str = "") -> None:
        """Choose the storage (memory or Redis) and whether limits apply."""
        options = {"key_prefix": key_prefix} if key_prefix and storage_uri.startswith(
            ("redis", "rediss", "unix")) else {}
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri, **options))
        self.enabled = enabled

    def hit(self, action: str, actor: str, rate: str) -> None:
        """Count one `action` by `actor` against `rate` ("5/minute"); raise when over."""
        if not self.enabled or self._limiter is None:
            return
        item = parse(rate)
        if not self._ask(self._limiter.hit, item, action, actor):
            reset_at, _remaining = self._limiter.get_window_stats(item, action, actor)
            wait = max(1, int(reset_at - time.time() + 0.999))
            raise RateLimited(
                _l("Too many requests. Please wait %(n)d seconds.", n=wait), retry_after=wait
            )

    def allowed(self, action: str, actor: str, rate: str) -> bool:
        """Whether one more `action` by `actor` fits in `rate`, without counting it."""
        if not self.enabled or self._limiter is None:
            return True
        return self._ask(self._limiter.test, parse(rate), action, actor)

    def record(self, action: str, actor: str, rate: str) -> None:
        """Count one `action` by `actor` (e.g. a failed login) without raising."""
        if self.enabled and self._limiter is not None:
            self._ask(self._limiter.hit, parse(rate), action, actor)

    @staticmethod
    def _ask(call, item, action: str, actor: str) -> bool:
        """The storage's answer, or "allowed" while the storage (Redis) is down.

        An outage must not stop the meeting, nor turn a login into an error page: limits
        fail open, like Flask-Limiter's (`RATELIMIT_SWALLOW_ERRORS`) on the HTTP routes.
        """
        try:
            return call(item, action, actor)
        except Exception:
            logger.warning("rate limit storage unavailable; allowing %s", action)
            return True

    def reset(self) -> None:
        """Forget every count (tests and a new application)."""
        if self._limiter is not None:
            self._limiter.storage.reset()


EXTENSION_KEY = "puente_rate_limits"

#: The limits of the application in context (each application counts on its own).
rate_limits: RateLimits = LocalProxy(lambda: current_app.extensions[EXTENSION_KEY])


def init_app(app) -> None:
    """Give the application its own limits, configured from its settings."""
    limits = app.extensions[EXTENSION_KEY] = RateLimits()
    prefix = app.config.get("PUENTE_REDIS_PREFIX") or "puente"
    limits.configure(app.config["RATELIMIT_STORAGE_URI"], app.config["RATELIMIT_ENABLED"],
                     key_prefix=f"{prefix}:limits")
