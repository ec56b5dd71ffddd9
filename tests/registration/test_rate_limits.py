"""Sign-up and "resend my link" are rate-limited per client address (against floods; the
per-recipient limit on link mails is in test_link_requests.py)."""

from __future__ import annotations

import pytest

from tests.conftest import base_config
from tests.factories import make_meeting


@pytest.fixture
def app_config(tmp_path):
    return base_config(tmp_path, RATELIMIT_ENABLED=True)


def test_registration_posts_are_limited_per_address(client, csrf, app):
    make_meeting(slug="busy")
    codes = [client.post("/m/busy/register", data={"csrf_token": csrf, "name": ""}).status_code
             for _ in range(61)]
    assert codes[:60] == [422] * 60
    assert codes[60] == 429
    other = client.post("/m/busy/register", data={"csrf_token": csrf},
                        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 422


def test_resend_is_limited_too(client, csrf, app):
    make_meeting(slug="busy")
    codes = [client.post("/m/busy/resend", data={"csrf_token": csrf,
                                                 "email": "x@example.org"}).status_code
             for _ in range(61)]
    assert codes[:60] == [302] * 60 and codes[60] == 429
    assert client.get("/m/busy/resend").status_code == 200  # reading the page is not limited
