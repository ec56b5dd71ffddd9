"""Only pages re-send the session cookie: a picture or a script answered after the person's
next click (a language change, a login) must not set the cookie back to what it held."""

from __future__ import annotations

from tests.support import pictures as images
from webapp.extensions import db
from webapp.media import services as media


def _choose_spanish(client) -> None:
    from tests.conftest import csrf_token_from

    token = csrf_token_from(client.get("/").get_data(as_text=True))
    response = client.post("/language", data={"language": "es", "csrf_token": token})
    assert response.status_code == 302


def _sets_session_cookie(response, app) -> bool:
    name = app.config["SESSION_COOKIE_NAME"]
    return any(header.startswith(f"{name}=") for header in response.headers.getlist("Set-Cookie"))


def test_pictures_and_static_files_leave_the_session_cookie_alone(app, client):
    image = media.store(images.small_jpeg())
    db.session.commit()
    _choose_spanish(client)
    static_url = f"{app.static_url_path}/js/base.js"
    for url in (media.path(image, "card"), static_url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _sets_session_cookie(response, app), url


def test_pages_still_slide_the_session(app, client):
    _choose_spanish(client)
    response = client.get("/")
    assert response.status_code == 200
    assert _sets_session_cookie(response, app)
    assert 'lang="es' in response.get_data(as_text=True)
