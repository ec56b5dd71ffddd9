"""Which `Host` values Puente answers, and links built from BASE_URL or a trusted host only."""

from __future__ import annotations

import pytest

from tests.conftest import base_config, csrf_token_from, login
from tests.factories import make_meeting, make_user
from tests.support.html import parse
from webapp.accounts.models import RoleKind
from webapp.cli import listens_publicly
from webapp.config import ConfigError, add_bind_host, trusted_host_names, trusted_hosts
from webapp.extensions import db

PASSWORD = "correct horse battery"
ATTACKER = "attacker.example"


def test_default_hosts_are_loopback_plus_base_url_host():
    assert trusted_hosts(None, None) == ["localhost", "127.0.0.1"]
    assert trusted_hosts(None, "https://Meet.Example.org/puente") == [
        "meet.example.org", "localhost", "127.0.0.1"]
    explicit = trusted_host_names(" meet.example.org, .lan ,")
    assert explicit == ["meet.example.org", ".lan"]
    assert trusted_hosts(explicit, None) == explicit
    assert trusted_host_names("") is None


@pytest.mark.parametrize("raw", ["https://meet.example.org", "meet.example.org:443", "a b"])
def test_trusted_hosts_setting_takes_names_only(raw):
    with pytest.raises(ConfigError, match="PUENTE_TRUSTED_HOSTS"):
        trusted_host_names(raw)


def test_serve_trusts_the_address_it_binds_to_unless_hosts_are_explicit():
    config = {"TRUSTED_HOSTS": ["localhost", "127.0.0.1"], "PUENTE_TRUSTED_HOSTS": None}
    for host in ("0.0.0.0", "::", "127.0.0.1", "10.1.2.3", "Puente.Lan"):
        add_bind_host(config, host)
    assert config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1", "10.1.2.3", "puente.lan"]
    explicit = {"TRUSTED_HOSTS": ["meet.example.org"], "PUENTE_TRUSTED_HOSTS": ["meet.example.org"]}
    add_bind_host(explicit, "10.1.2.3")
    assert explicit["TRUSTED_HOSTS"] == ["meet.example.org"]


def test_public_interfaces_are_recognised():
    assert listens_publicly("0.0.0.0") and listens_publicly("::")
    assert listens_publicly("192.0.2.10") and listens_publicly("meet.example.org")
    assert not listens_publicly("127.0.0.1") and not listens_publicly("localhost")
    assert not listens_publicly("::1")


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:5123", "localhost:8080"])
def test_trusted_hosts_pass_with_any_port(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_other_hosts_get_400(client):
    refused = client.get("/", headers={"Host": ATTACKER})
    assert refused.status_code == 400 and ATTACKER not in refused.get_data(as_text=True)
    assert client.get("/", headers={"Host": ATTACKER, "Accept": "application/json"}).json[
        "error"]["code"] == 400


def test_base_url_host_is_trusted(tmp_path):
    from tests.conftest import _make_app

    app = _make_app(base_config(tmp_path, BASE_URL="https://meet.example.org"))
    client = app.test_client()
    assert client.get("/", headers={"Host": "meet.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": ATTACKER}).status_code == 400


def _presenter_link(client, meeting, host: str):
    """POST the console's button for `host`, carrying the staff session as a browser would."""
    html = client.get(f"/m/{meeting.slug}/console").get_data(as_text=True)
    cookie = client.get_cookie("session")
    # The test client's cookie jar only answers its own host, so send the cookie by hand.
    browser = client.application.test_client(use_cookies=False)
    return browser.post(f"/m/{meeting.slug}/console/presenter-link",
                       headers={"Host": host, "Cookie": f"session={cookie.value}"},
                       data={"csrf_token": csrf_token_from(html)})


def _moderated_meeting(client):
    meeting = make_meeting()
    user = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    login(client, user.email, PASSWORD)
    return meeting


def test_presenter_link_refuses_a_poisoned_host(client):
    meeting = _moderated_meeting(client)
    response = _presenter_link(client, meeting, ATTACKER)
    assert response.status_code == 400
    assert ATTACKER not in response.get_data(as_text=True)
    db.session.refresh(meeting)
    assert meeting.presenter_token_hash is None  # nothing was rotated


@pytest.fixture
def app_config(tmp_path, request):
    extra = getattr(request, "param", {})
    return base_config(tmp_path, **extra)


@pytest.mark.parametrize("app_config", [{"BASE_URL": "https://meet.example.org"}],
                         indirect=True)
def test_presenter_link_uses_base_url_whatever_the_host(client):
    meeting = _moderated_meeting(client)
    response = _presenter_link(client, meeting, "127.0.0.1:5123")
    assert response.status_code == 200, response.get_data(as_text=True)[-1500:]
    field = parse(response.data).one("input#presenter-url")
    assert field.has("readonly")
    url = field.attr("value")

    assert url.startswith(f"https://meet.example.org/m/{meeting.slug}/present/")


def test_socket_handshake_with_an_unknown_host_is_refused(app, client, csrf):
    """The Socket.IO handshake skips Flask's routing, where TRUSTED_HOSTS is checked."""
    from webapp.extensions import socketio

    meeting = _moderated_meeting(client)
    trusted = socketio.test_client(app, flask_test_client=client,
                                   auth={"csrf_token": csrf, "meeting": meeting.id})
    assert trusted.is_connected()
    trusted.disconnect()
    # The cookie jar only answers its own host, so carry the staff session by hand.
    cookie = f"session={client.get_cookie('session').value}"
    browser = app.test_client(use_cookies=False)
    for host, connects in (("localhost", True), (ATTACKER, False)):
        socket = socketio.test_client(app, flask_test_client=browser,
                                      headers={"Host": host, "Cookie": cookie},
                                      auth={"csrf_token": csrf, "meeting": meeting.id})
        assert socket.is_connected() is connects, host
        if connects:
            socket.disconnect()
