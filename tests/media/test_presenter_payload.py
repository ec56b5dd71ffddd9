"""The presenter screen learns the running item's speakers with their photo URLs: in the page,
in the `join` snapshot and in `agenda_changed`."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token_from, forget_request_caches
from tests.factories import make_agenda_item, make_speaker, make_user
from tests.support import pictures as images
from tests.support.html import parse
from webapp.accounts.models import RoleKind
from webapp.agenda import clock_services
from webapp.agenda import services as agenda
from webapp.core.i18n_text import LocalizedText
from webapp.extensions import db, socketio
from webapp.media import services as media
from webapp.qa import presenter_services


@pytest.fixture
def organiser(meeting):
    return make_user(meeting=meeting, role=RoleKind.ORGANISER)


@pytest.fixture
def running(meeting, mod):
    photo = media.store(images.jpeg_with_gps())
    speaker = make_speaker(meeting, name="Rosa Quispe", photo_id=photo.id,
                           title=LocalizedText({"zh_Hans": "主席", "es": "Presidenta"}))
    item = make_agenda_item(meeting, [speaker], title="Apertura")
    clock_services.start_next(mod, now=meeting.starts_at)
    db.session.commit()
    return item, speaker, media.path(photo, "card")


def test_the_presenter_page_and_snapshot_carry_the_photo_url(app, meeting, organiser, running,
                                                            received):
    item, speaker, url = running
    token = presenter_services.rotate_token(organiser, meeting)
    client = app.test_client()
    forget_request_caches()
    response = client.get(f"/m/{meeting.slug}/present/{token}?lang=es")
    page = parse(response.data)
    section = page.one("#presenter-speakers")
    assert not section.has("hidden")
    photo = section.one("img.presenter-speaker-photo")
    assert photo.attr("src") == url
    assert photo.attr("alt") == "Rosa Quispe, Presidenta"

    forget_request_caches()
    csrf = csrf_token_from(client.get("/").get_data(as_text=True))
    forget_request_caches()
    sio = socketio.test_client(app, flask_test_client=client, auth={
        "csrf_token": csrf, "meeting": meeting.id, "presenter_token": token})
    try:
        snapshot = sio.emit("join", {}, callback=True)["snapshot"]
        assert snapshot["clock"]["current_item_id"] == item.id
        [entry] = [i for i in snapshot["agenda"] if i["id"] == item.id]
        assert entry["speakers"] == [{"id": speaker.id, "name": "Rosa Quispe",
                                      "title": {"zh_Hans": "主席", "es": "Presidenta"},
                                      "photo": url, "role": "speaker"}]
        received(sio)
        agenda.update_speaker(organiser, speaker, name="Rosa Quispe", remove_photo=True)
        [change] = received.until(sio, "agenda_changed", lambda got: len(got) >= 1)
        assert change["agenda"][0]["speakers"][0]["photo"] is None
    finally:
        sio.disconnect()
    assert client.get(url).status_code == 404  # the removed photo is gone
