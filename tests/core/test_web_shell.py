"""The web shell: home page, health check, error pages, languages, security headers."""

import re

import pytest
from flask_babel import refresh

from tests.factories import make_meeting
from tests.support.html import parse
from webapp.meetings.models import MeetingStatus


def test_home_lists_published_meetings_only(client, app):
    make_meeting(title="Public exchange", status=MeetingStatus.PUBLISHED)
    make_meeting(title="Secret draft", status=MeetingStatus.DRAFT)
    html = client.get("/").get_data(as_text=True)
    assert "Public exchange" in html
    assert "Secret draft" not in html


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["checks"]["database"] == {"ok": True, "backend": "sqlite"}
    assert "message_queue" not in response.json["checks"]


def test_healthz_reports_unreachable_queue(tmp_path):
    from tests.conftest import _make_app, base_config

    app = _make_app(base_config(tmp_path, REDIS_URL="redis://127.0.0.1:1/0"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["message_queue"]["ok"] is False


def test_unknown_route_is_translated_404(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "es-PE,es;q=0.9"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Página no encontrada" in html
    assert parse(html).one("html").attr("lang") == "es"


def test_chinese_browser_gets_simplified_chinese(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert parse(response.data).one("html").attr("lang") == "zh-Hans"
    assert "页面不存在" in response.get_data(as_text=True)


def test_language_switch_is_remembered(client, csrf):
    response = client.post("/language", data={"language": "zh_Hans", "next": "/",
                                              "csrf_token": csrf})
    assert response.status_code == 302
    refresh()  # the test's application context caches the locale between requests
    assert parse(client.get("/").data).one("html").attr("lang") == "zh-Hans"


def test_language_switch_refuses_offsite_redirect(client, csrf):
    response = client.post("/language", data={"language": "es", "next": "//evil.example/",
                                              "csrf_token": csrf})
    assert response.headers["Location"] == "/"


def test_language_switch_requires_csrf(client):
    assert client.post("/language", data={"language": "es"}).status_code == 400


def test_server_error_page_has_no_stack_trace(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/_boom", headers={"Accept-Language": "es"})
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in html and "Traceback" not in html
    assert "Algo salió mal" in html


def test_security_headers_and_no_inline_script(client):
    make_meeting(slug="open-day")
    for path in ("/", "/m/open-day", "/login"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        html = response.get_data(as_text=True)
        # Scripts come from files; `application/json` blocks are data the browser never runs.
        assert not re.search(r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>',
                             html), path
        assert not re.search(r"<[^>]+\son[a-z]+=", html), path


@pytest.mark.parametrize("path", ["/", "/login", "/no-such"])
def test_every_page_has_landmarks_and_skip_link(client, path):
    body = parse(client.get(path).data).one("body")
    skip = body.all("a")[0]  # the first link, so keyboard users reach it first
    assert skip.attr("href") == "#main" and skip.text
    assert body.one("main#main").parent is body
    assert body.one("header[role=banner]").parent is body
    assert body.one("footer[role=contentinfo]").parent is body

