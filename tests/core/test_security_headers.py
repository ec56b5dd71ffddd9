"""HSTS is sent only when the public address is https."""

from __future__ import annotations

import pytest

from tests.conftest import _make_app, base_config


@pytest.mark.parametrize(("base_url", "hsts"), [
    (None, None),
    ("http://puente.lan:5000", None),
    ("https://meet.example.org", "max-age=31536000; includeSubDomains"),
])
@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page"])
def test_hsts_only_with_an_https_base_url(tmp_path, base_url, hsts, path):
    app = _make_app(base_config(tmp_path, BASE_URL=base_url))
    response = app.test_client().get(path)
    assert response.headers.get("Strict-Transport-Security") == hsts, path
    assert response.headers["X-Frame-Options"] == "DENY"
