"""The editor forms take pictures (CSRF kept), the public pages show them with alt text, and
the pictures are served by hash with long caching and the right headers."""

from __future__ import annotations

import re

from flask_babel import refresh
from sqlalchemy import func, select

from tests.factories import make_agenda_item, make_speaker
from tests.support import pictures as images
from tests.support.html import parse
from webapp.core.i18n_text import LocalizedText
from webapp.extensions import db
from webapp.media import services as media
from webapp.media.models import StoredImage


def speaker_page(meeting, speaker=None):
    suffix = f"/speakers/{speaker.id}" if speaker else "/speakers/new"
    return f"/organiser/meetings/{meeting.id}{suffix}"


def upload(client, url, data, filename="photo.jpg", field="photo", **fields):
    import io

    return client.post_form(url, data={field: (io.BytesIO(data), filename), **fields},
                            content_type="multipart/form-data")


def test_the_speaker_form_is_multipart_and_uploads_a_photo(cast, as_user):
    client = as_user(cast.organiser_a)
    form = parse(client.get(speaker_page(cast.meeting_a)).data).one("form.org-form")
    assert form.attr("enctype") == "multipart/form-data"
    assert form.one("input[type=file][name=photo]").attr("accept").startswith("image/")
    response = upload(client, speaker_page(cast.meeting_a), images.jpeg_with_gps(),
                      name="Rosa Quispe", **{"title-es": "Presidenta"})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    speaker = cast.meeting_a.speakers[0]
    assert speaker.photo_id is not None


def test_a_photo_upload_without_csrf_is_refused(cast, as_user, app):
    import io

    client = as_user(cast.organiser_a)
    response = client.post(speaker_page(cast.meeting_a), data={
        "name": "X", "photo": (io.BytesIO(images.small_jpeg()), "a.jpg")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(StoredImage)) == 0


def test_bad_files_get_a_form_error_never_a_500(cast, as_user):
    client = as_user(cast.organiser_a)
    speaker = make_speaker(cast.meeting_a, name="Ana")
    cases = {
        "svg": (images.SVG_WITH_SCRIPT, "JPEG, PNG, WebP or GIF"),
        "bomb": (images.png_bomb(), "million pixels"),
        "polyglot": (images.gif_html_polyglot(), "not only a picture"),
        "truncated": (images.jpeg_with_gps()[:5000], "damaged or incomplete"),
        "random": (bytes(range(256)) * 20, "JPEG, PNG, WebP or GIF"),
    }
    for name, (data, message) in cases.items():
        response = upload(client, speaker_page(cast.meeting_a, speaker), data,
                          filename="innocent.jpg", name="Ana")
        assert response.status_code == 200, name
        error = parse(response.data).one("#photo-error")
        assert message in error.text, (name, error.text)
    assert db.session.scalar(select(func.count()).select_from(StoredImage)) == 0


def test_fifty_megabytes_get_the_413_page(cast, as_user):
    client = as_user(cast.organiser_a)
    response = upload(client, speaker_page(cast.meeting_a), b"\xff" * (50 * 1024 * 1024),
                      name="Big")
    assert response.status_code == 413
    page = parse(response.data)
    assert "too large" in page.one("h1").text
    assert "10 MB" in page.one("main").text


def test_remove_the_photo(cast, as_user):
    client = as_user(cast.organiser_a)
    speaker = make_speaker(cast.meeting_a, name="Ana",
                           photo_id=media.store(images.small_jpeg()).id)
    db.session.commit()
    page = parse(client.get(speaker_page(cast.meeting_a, speaker)).data)
    assert page.one(".picture-current img").attr("alt") == "Ana"
    response = client.post_form(speaker_page(cast.meeting_a, speaker),
                                data={"name": "Ana", "remove_photo": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert speaker.photo_id is None
    assert db.session.scalar(select(func.count()).select_from(StoredImage)) == 0


def test_served_pictures_have_immutable_caching_and_their_type(app, client):
    image = media.store(images.jpeg_with_gps())
    db.session.commit()
    url = media.path(image, "card")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data == image.variant("card").data
    etag = response.headers["ETag"].strip('"')
    again = client.get(url, headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    for unknown in ("/media/" + "a" * 32 + "-card.webp", url.replace("-card", "-nope"),
                    "/media/x", url.replace(".webp", ".html")):
        assert client.get(unknown).status_code == 404, unknown


def test_the_content_security_policy_allows_same_origin_pictures(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert re.search(r"img-src 'self'", policy)


def test_the_meeting_page_shows_banner_photos_and_logos_with_alt_text(app, client, cast):
    meeting = cast.meeting_a
    meeting.banner_id = media.store(images.jpeg_with_gps()).id
    meeting.accent_colour = "#0b5d4b"
    speaker = make_speaker(meeting, name="Rosa Quispe",
                           title=LocalizedText({"es": "Presidenta", "zh_Hans": "主席"}),
                           photo_id=media.store(images.small_jpeg()).id)
    make_agenda_item(meeting, [speaker], title="Apertura")
    from webapp.meetings.models import MeetingOrganisation, OrganisationRole

    meeting.organisations.append(MeetingOrganisation(
        name=LocalizedText({"es": "Casa China"}), role=OrganisationRole.HOST,
        logo_id=media.store(images.png_with_transparency()).id))
    db.session.commit()

    page = parse(client.get(f"/m/{meeting.slug}", headers={"Accept-Language": "es"}).data)
    banner = page.one(".meeting-banner img")
    assert banner.attr("alt") == "" and banner.attr("width") and banner.attr("height")
    card = page.one(".speaker-cards img")
    assert card.attr("alt") == "Rosa Quispe, Presidenta"
    assert card.attr("loading") == "lazy"
    assert page.one(".agenda .speaker-thumb").attr("alt") == "Rosa Quispe, Presidenta"
    assert page.one(".organisations img").attr("alt") == "Casa China"
    [accent] = [link.attr("href") for link in page.all("link[rel=stylesheet]")
                if link.attr("href").startswith("/media/accent-")]
    css = client.get(accent)
    assert css.status_code == 200 and b"--meeting-accent:#0b5d4b" in css.data
    assert css.headers["Content-Type"].startswith("text/css")
    for img in page.all("img"):
        assert client.get(img.attr("src")).status_code == 200

    refresh()  # the test's application context caches the locale between requests
    zh = parse(client.get(f"/m/{meeting.slug}", headers={"Accept-Language": "zh"}).data)
    assert zh.one(".speaker-cards img").attr("alt") == "Rosa Quispe, 主席"


def test_an_accent_without_contrast_is_a_form_error_naming_the_ratio(cast, as_user):
    from tests.support.forms import meeting_form

    client = as_user(cast.organiser_a)
    response = client.post_form("/organiser/meetings/new",
                                meeting_form(accent_colour="#ffcc00"))
    assert response.status_code == 200
    error = parse(response.data).one("#accent_colour-error").text
    assert "1.44:1" in error and "4.5:1" in error


def test_a_banner_and_logo_through_the_details_page(cast, as_user):
    import io

    from tests.support.forms import meeting_form

    client = as_user(cast.organiser_a)
    response = client.post_form("/organiser/meetings/new", {
        **meeting_form(accent_colour="#0B5D4B"),
        "banner": (io.BytesIO(images.jpeg_with_gps()), "banner.jpg")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    from webapp.meetings.models import Meeting

    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == "session-12"))
    assert meeting.banner_id and meeting.accent_colour == "#0b5d4b"
    host = meeting.organisations[0]
    logo_url = f"/organiser/meetings/{meeting.id}/organisations/{host.id}/logo"
    page = parse(client.get(f"/organiser/meetings/{meeting.id}/details").data)
    assert page.one(f'form[action="{logo_url}"]').attr("enctype") == "multipart/form-data"
    response = upload(client, logo_url, images.png_with_transparency(), filename="logo.png",
                      field=f"logo-{host.id}-logo")
    assert response.status_code == 302
    db.session.expire_all()
    assert host.logo_id is not None
    response = upload(client, logo_url, images.SVG_WITH_SCRIPT, filename="logo.svg",
                      field=f"logo-{host.id}-logo")
    assert response.status_code == 400
    assert "JPEG, PNG, WebP or GIF" in response.get_data(as_text=True)
    other = cast.meeting_b
    response = upload(client, f"/organiser/meetings/{other.id}/organisations/{host.id}/logo",
                      images.small_jpeg(), field=f"logo-{host.id}-logo")
    assert response.status_code in (403, 404)
