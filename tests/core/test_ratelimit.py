"""Socket-command rate limits: a clear error with the wait, per actor, shared via Redis."""

import pytest

from webapp.core.ratelimit import RateLimits
from webapp.errors import RateLimited


def test_over_the_limit_raises_with_retry_after():
    limits = RateLimits()
    limits.configure("memory://")
    for _n in range(3):
        limits.hit("ask", "registration:1", "3/minute")
    with pytest.raises(RateLimited) as caught:
        limits.hit("ask", "registration:1", "3/minute")
    assert 1 <= caught.value.details["retry_after"] <= 60
    limits.hit("ask", "registration:2", "3/minute")  # another person is not affected


@pytest.mark.redis
def test_limits_are_shared_through_redis(redis_url):
    first, second = RateLimits(), RateLimits()
    first.configure(redis_url)
    second.configure(redis_url)
    first.reset()
    first.hit("vote", "registration:7", "2/minute")
    second.hit("vote", "registration:7", "2/minute")
    with pytest.raises(RateLimited):
        first.hit("vote", "registration:7", "2/minute")
    first.reset()
