"""What Puente believes of a reverse proxy's forwarded headers: only the configured hops."""

from types import SimpleNamespace

import pytest

from webapp.config import ConfigError
from webapp.core import proxy


def seen_by_app(hops, headers):
    seen = {}

    def inner(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    app = SimpleNamespace(config={"PUENTE_TRUSTED_PROXIES": hops}, wsgi_app=inner)
    proxy.init_app(app)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "127.0.0.1",
               "SERVER_PORT": "5001", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1:5001",
               "wsgi.url_scheme": "http", **headers}
    app.wsgi_app(environ, lambda *args: None)
    return seen


FORWARDED = {"HTTP_X_FORWARDED_FOR": "203.0.113.7", "HTTP_X_FORWARDED_PROTO": "https",
             "HTTP_X_FORWARDED_HOST": "evil.example"}


def test_without_trusted_proxies_forwarded_headers_are_ignored():
    seen = seen_by_app(0, FORWARDED)
    assert seen["REMOTE_ADDR"] == "127.0.0.1" and seen["wsgi.url_scheme"] == "http"


def test_one_trusted_hop_gives_the_client_address_and_scheme_but_never_the_host():
    seen = seen_by_app(1, FORWARDED)
    assert seen["REMOTE_ADDR"] == "203.0.113.7"
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["HTTP_HOST"] == "127.0.0.1:5001"


def test_a_client_cannot_prepend_a_fake_address_past_the_trusted_hop():
    seen = seen_by_app(1, {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.7"})
    assert seen["REMOTE_ADDR"] == "203.0.113.7"


@pytest.mark.parametrize("bad", ["two", "-1", "9"])
def test_a_malformed_setting_is_a_configuration_error(bad):
    with pytest.raises(ConfigError, match="PUENTE_TRUSTED_PROXIES"):
        seen_by_app(bad, {})
