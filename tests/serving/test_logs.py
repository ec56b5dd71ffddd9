"""Logs of a served process: the JSON format, the access log and the banner (real processes)
and the pieces they are made of (in process, with a real application)."""

from __future__ import annotations

import io
import json
import logging
import signal
from datetime import UTC, datetime

import pytest
import requests

from tests.conftest import _make_app, base_config
from tests.support.live import wait_for
from tests.support.server import migrate, server_env, start_server
from webapp.realtime import drain
from webapp.serving import logs

QUERY_SECRET = "qs-secret-0f3a9c"
PATH_SECRET = "pathsecret7b2e41d0c9"
COOKIE_SECRET = "cookie-secret-55aa"


def _records(server) -> list[dict]:
    lines = [line for line in server.log().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is one JSON object


def _access(records: list[dict]) -> list[dict]:
    return [record for record in records if record["logger"] == logs.ACCESS_LOGGER]


@pytest.mark.server
def test_json_access_log_of_a_served_process(tmp_path):
    env = server_env(tmp_path / "instance", PUENTE_ACCESS_LOG="1", PUENTE_LOG_FORMAT="json",
                     PUENTE_TRUSTED_PROXIES="1")
    migrate(env)
    server = start_server(env)  # no staff account: the setup link is a record too
    try:
        forwarded = {"X-Forwarded-For": "203.0.113.7", "Cookie": f"session={COOKIE_SECRET}"}
        assert requests.get(f"{server.url}/healthz?token={QUERY_SECRET}", headers=forwarded,
                            timeout=10).status_code == 200
        assert requests.get(f"{server.url}/setup/{PATH_SECRET}?next={QUERY_SECRET}",
                            headers=forwarded, timeout=10).status_code == 404
        handshake = requests.get(f"{server.url}/socket.io/?EIO=4&transport=polling"
                                 f"&t={QUERY_SECRET}", timeout=10)
        assert handshake.status_code == 200
        wait_for(lambda: any(r["path"] == "/socket.io/" for r in _access(_records(server))),
                 message=lambda: server.log())
        records = _records(server)
    finally:
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=60) == 0

    for record in records:
        assert {"time", "level", "logger", "message"} <= set(record)
        moment = datetime.fromisoformat(record["time"].replace("Z", "+00:00"))
        assert moment.utcoffset() == UTC.utcoffset(None)
    [banner] = [r for r in records if r["logger"] == "puente" and "listen" in r]
    assert banner["listen"] == f"127.0.0.1:{server.port}"
    assert str(server.port) in banner["message"] and banner["async_mode"] == "eventlet"
    assert any("/setup/" in r["message"] for r in records if r["logger"] == "puente")

    access = _access(records)
    health = [r for r in access if r["path"] == "/healthz" and r["remote_addr"] == "203.0.113.7"]
    assert health and health[0]["method"] == "GET" and health[0]["status"] == 200
    assert isinstance(health[0]["duration_ms"], float) and health[0]["duration_ms"] >= 0
    [setup] = [r for r in access if r["path"].startswith("/setup/")]
    assert setup["path"] == "/setup/<token>" and setup["status"] == 404
    [polling] = [r for r in access if r["path"] == "/socket.io/"]  # one line per request
    assert polling["status"] == 200 and polling["remote_addr"] == "127.0.0.1"
    text = server.log()
    for secret in (QUERY_SECRET, PATH_SECRET, COOKIE_SECRET, "Cookie", "?"):
        assert secret not in text


@pytest.mark.server
def test_default_text_logs_name_the_port_and_log_no_requests(tmp_path):
    env = server_env(tmp_path / "instance")
    migrate(env)
    server = start_server(env)
    try:
        assert requests.get(f"{server.url}/healthz", timeout=10).status_code == 200
        banner = wait_for(lambda: [line for line in server.log().splitlines()
                                   if "Puente listening on" in line])
    finally:
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=60) == 0
    assert f"127.0.0.1:{server.port}" in banner[0] and "INFO puente:" in banner[0]
    assert "/healthz" not in server.log()


def test_the_json_formatter_keeps_extra_fields_and_exceptions():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter_for("json"))
    logger = logging.getLogger("puente.test-json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("ünïcode %s", "ok", extra={"meeting": 7})
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines()
                     if line.startswith("{"))
    assert first["message"] == "ünïcode ok" and first["meeting"] == 7
    assert first["level"] == "WARNING" and first["logger"] == "puente.test-json"
    assert first["time"].endswith("Z")
    assert "ValueError: boom" in second["exception"]


def test_access_log_is_off_by_default_and_hides_tokens_in_paths(tmp_path):
    plain = _make_app(base_config(tmp_path / "plain"))
    assert not isinstance(plain.wsgi_app, logs.AccessLog)
    app = _make_app(base_config(tmp_path / "logged", PUENTE_ACCESS_LOG=True))
    assert isinstance(app.wsgi_app, logs.AccessLog)
    assert logs.shown_path(app.url_map, "/m/some-slug/join/abc123/cancel", "GET") == \
        "/m/some-slug/join/<token>/cancel"
    assert logs.shown_path(app.url_map, "/invitation/abc123", "POST") == "/invitation/<token>"
    assert logs.shown_path(app.url_map, "/healthz", "GET") == "/healthz"
    assert logs.shown_path(app.url_map, "/no/such/page", "GET") == "/no/such/page"


def test_healthz_answers_503_draining_while_the_process_stops(tmp_path):
    app = _make_app(base_config(tmp_path))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    drain.begin(app)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] == "draining"
