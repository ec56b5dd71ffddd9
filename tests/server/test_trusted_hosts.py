"""Links that carry secrets never come from a request's `Host` (a real server and SMTP server).

Without BASE_URL Puente builds e-mailed links from the request's host, so a request for a host
it was not told about is refused with 400 before any view runs, and no mail is produced.
"""

from __future__ import annotations

import re

import pytest
import requests

from tests.support.live_clients import Browserish
from tests.support.server import migrate, running_server, server_db, server_env

pytestmark = pytest.mark.server

ATTACKER = "attacker.example"


def prepared(tmp_path, smtp_server, **overrides) -> tuple[dict, dict]:
    """A migrated instance mailing through the test SMTP server, one meeting, one attendee."""
    from tests.factories import make_meeting, make_registration

    env = server_env(tmp_path / "instance", PUENTE_RATELIMIT="0", SMTP_URL=smtp_server.url,
                     **overrides)
    migrate(env)
    with server_db(env):
        meeting = make_meeting(slug="hosts-1")
        make_registration(meeting, email="victim@example.org")
        data = {"slug": meeting.slug, "meeting_id": meeting.id}
    return env, data


def all_mail_text(smtp_server) -> str:
    return "\n".join(m["message"].as_string() for m in smtp_server.messages)


def post_with_host(person: Browserish, path: str, host: str, **data) -> requests.Response:
    """POST a form with a CSRF token from a page fetched through the trusted loopback host."""
    data["csrf_token"] = person.csrf(path.rsplit("/", 1)[0])
    # requests matches cookies against an explicit Host header, so send the session by hand.
    headers = {"Host": host, "Cookie": person.cookie_header()}
    return requests.post(person.base_url + path, data=data, headers=headers,
                         allow_redirects=False, timeout=10)


REGISTRATION = dict(name="Lucía Huamán", organisation="Hospital Loayza",
                    organisation_type="health", position="Enfermera", country="PE",
                    language="es", consent="y")


def test_a_poisoned_host_is_refused_and_mails_nothing(tmp_path, smtp_server):
    env, data = prepared(tmp_path, smtp_server)
    with running_server(env) as server:
        person = Browserish(server.url)
        slug = data["slug"]
        resend = post_with_host(person, f"/m/{slug}/resend", ATTACKER,
                                email="victim@example.org")
        assert resend.status_code == 400
        register = post_with_host(person, f"/m/{slug}/register", f"{ATTACKER}:{server.port}",
                                  email="new@example.org", **REGISTRATION)
        assert register.status_code == 400
        assert person.http.get(server.url + "/", headers={"Host": ATTACKER},
                               timeout=10).status_code == 400

        # The same requests for the host the server was started on are served and mailed.
        for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}"):
            assert person.http.get(server.url + f"/m/{slug}", headers={"Host": host},
                                   timeout=10).status_code == 200
        ok = post_with_host(person, f"/m/{slug}/resend", f"127.0.0.1:{server.port}",
                            email="victim@example.org")
        assert ok.status_code in (200, 302)
        smtp_server.wait_for(1)
        (mail,) = smtp_server.to("victim@example.org")
        link = re.search(r"http://127\.0\.0\.1:\d+/m/[\w-]+/join/([\w-]+)", mail.as_string())
        assert link, mail.as_string()
        assert smtp_server.to("new@example.org") == []
        assert ATTACKER not in all_mail_text(smtp_server)

        # The live socket still connects through the trusted host.
        path = f"/m/{slug}/join/{link.group(1)}"
        joined = person.http.post(server.url + path, data={"csrf_token": person.csrf(path)},
                                  allow_redirects=False, timeout=10)
        assert joined.status_code == 302
        client = person.connect(data["meeting_id"])
        assert client.call("join", {"last_seq": None}, timeout=10)["ok"] is True
        person.close()


def test_with_base_url_the_mailed_link_ignores_the_request_host(tmp_path, smtp_server):
    env, data = prepared(tmp_path, smtp_server, BASE_URL="https://puente.example.org")
    with running_server(env) as server:
        person = Browserish(server.url)
        slug = data["slug"]
        refused = post_with_host(person, f"/m/{slug}/resend", ATTACKER,
                                 email="victim@example.org")
        assert refused.status_code == 400
        # A trusted but different host (a health check on loopback) still gets BASE_URL links.
        ok = post_with_host(person, f"/m/{slug}/resend", f"localhost:{server.port}",
                            email="victim@example.org")
        assert ok.status_code in (200, 302)
        smtp_server.wait_for(1)
        (mail,) = smtp_server.to("victim@example.org")
        text = mail.as_string()
        assert f"https://puente.example.org/m/{slug}/join/" in text
        assert f"localhost:{server.port}" not in text and ATTACKER not in all_mail_text(smtp_server)
        person.close()


def test_serving_on_every_interface_without_base_url_warns(tmp_path, smtp_server):
    env, _data = prepared(tmp_path, smtp_server)
    with running_server(env, extra_args=("--host", "0.0.0.0")) as server:
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
        assert requests.get(server.url + "/healthz", headers={"Host": ATTACKER},
                            timeout=10).status_code == 400
        log = server.log()
        assert "WARNING" in log and "BASE_URL" in log and "0.0.0.0" in log
        # The printed setup link names a host the server answers, not the wildcard.
        setup = re.search(r"http://[^/\s]+/setup/[\w-]+", log).group(0)
        assert setup.startswith(f"http://127.0.0.1:{server.port}/setup/")
        assert requests.get(setup, timeout=10).status_code == 200
    with running_server(env) as loopback:
        assert "WARNING" not in loopback.log()  # loopback needs no BASE_URL
