"""Pictures in the database: stored once per content, served by hash, forgotten with their
owner; accent colours keep WCAG AA contrast."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select

from tests.factories import make_agenda_item, make_meeting, make_speaker
from tests.support import pictures as images
from tests.support.forms import meeting_details
from webapp.agenda import services as agenda
from webapp.agenda.services import agenda_payload
from webapp.errors import InvalidInput
from webapp.extensions import db
from webapp.media import services as media
from webapp.media.alt import banner_alt, organisation_alt, speaker_alt
from webapp.media.colour import check_accent, contrast
from webapp.media.models import StoredImage, StoredImageVariant
from webapp.meetings import services as meetings


def image_count() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredImage))


def test_a_stored_picture_is_found_by_its_url_and_identical_uploads_share_it(app):
    image = media.store(images.jpeg_with_gps())
    again = media.store(images.jpeg_with_gps())
    db.session.commit()
    assert again.id == image.id and image_count() == 1
    name = media.filename(image, "thumb")
    assert name == f"{image.sha256[:32]}-thumb.webp"
    assert media.path(image, "thumb") == f"/media/{name}"
    variant = media.find_variant(name)
    assert variant.data.startswith(b"RIFF") and variant.mime == "image/webp"
    assert media.find_variant(name.replace("-thumb", "-huge")) is None
    assert media.find_variant("0" * 32 + "-thumb.webp") is None
    assert media.find_variant(name.replace(".webp", ".png")) is None
    assert media.find_variant("../../etc/passwd") is None


def test_a_missing_size_falls_back_to_one_that_exists(app):
    image = media.store(images.small_jpeg())  # 120 px: only the thumbnail
    assert [v.size for v in image.variants] == ["thumb"]
    assert media.filename(image, "full").endswith("-thumb.webp")


def test_data_uri_holds_the_stored_variant(app):
    image = media.store(images.png_with_transparency())
    uri = media.data_uri(image, "card")
    prefix = "data:image/webp;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix):]) == image.variant("card").data
    assert media.data_uri(None, "card") is None


def test_a_speakers_photo_is_replaced_removed_and_deleted_with_them(app, cast):
    organiser, meeting = cast.organiser_a, cast.meeting_a
    speaker = agenda.add_speaker(organiser, meeting.id, name="Rosa Quispe",
                                 photo=images.jpeg_with_gps())
    first = speaker.photo_id
    assert first is not None and image_count() == 1
    agenda.update_speaker(organiser, speaker, name="Rosa Quispe", photo=images.small_jpeg())
    assert speaker.photo_id not in (None, first)
    assert db.session.get(StoredImage, first) is None and image_count() == 1
    agenda.update_speaker(organiser, speaker, name="Rosa Quispe")  # no file: kept
    assert speaker.photo_id is not None
    agenda.update_speaker(organiser, speaker, name="Rosa Quispe", remove_photo=True)
    assert speaker.photo_id is None and image_count() == 0
    agenda.update_speaker(organiser, speaker, name="Rosa Quispe", photo=images.small_jpeg())
    agenda.delete_speaker(organiser, speaker)
    assert image_count() == 0
    assert db.session.scalar(select(func.count()).select_from(StoredImageVariant)) == 0


def test_a_picture_shared_by_two_owners_stays_until_the_last_goes(app, cast):
    organiser, meeting = cast.organiser_a, cast.meeting_a
    one = agenda.add_speaker(organiser, meeting.id, name="A", photo=images.small_jpeg())
    two = agenda.add_speaker(organiser, meeting.id, name="B", photo=images.small_jpeg())
    assert one.photo_id == two.photo_id
    agenda.delete_speaker(organiser, one)
    assert image_count() == 1
    agenda.delete_speaker(organiser, two)
    assert image_count() == 0


def test_a_refused_photo_changes_nothing_and_names_its_field(app, cast):
    organiser, meeting = cast.organiser_a, cast.meeting_a
    speaker = make_speaker(meeting, name="Before")
    with pytest.raises(InvalidInput) as caught:
        agenda.update_speaker(organiser, speaker, name="After", photo=images.SVG_WITH_SCRIPT)
    assert caught.value.details["field"] == "photo"
    db.session.rollback()
    assert db.session.get(type(speaker), speaker.id).name == "Before"


def test_organisation_logos_survive_saving_the_details_and_go_with_their_organisation(app):
    from tests.factories import make_user

    actor = make_user("creator@example.org", admin=True)
    meeting = meetings.create_meeting(actor, meeting_details(
        hosts=["Asociación A"], partners=["机构 B", "Red C"]))
    host, partner_b, _partner_c = meeting.organisations
    meetings.set_organisation_logo(actor, meeting, host.id, logo=images.png_with_transparency())
    meetings.set_organisation_logo(actor, meeting, partner_b.id, logo=images.small_jpeg())
    assert image_count() == 2
    details = meetings.MeetingDetails.of(meeting)
    details.description = "Changed"
    meetings.update_details(actor, meeting, details)
    assert [o.logo_id is not None for o in meeting.organisations] == [True, True, False]
    details.partners = ["Red C"]  # B leaves: its logo goes
    meetings.update_details(actor, meeting, details)
    assert [o.logo_id is not None for o in meeting.organisations] == [True, False]
    assert image_count() == 1
    meetings.set_organisation_logo(actor, meeting, meeting.organisations[0].id, remove=True)
    assert image_count() == 0


def test_a_whole_meeting_deleted_leaves_no_orphans_after_the_sweep(app, cast):
    meeting = make_meeting()
    speaker = make_speaker(meeting, photo_id=media.store(images.small_jpeg()).id)
    assert speaker.photo_id and image_count() == 1
    db.session.delete(meeting)
    db.session.commit()
    assert media.sweep_orphans() == 1
    db.session.commit()
    assert image_count() == 0


def test_the_live_agenda_carries_each_speakers_photo_url(app, cast):
    meeting = cast.meeting_a
    photo = media.store(images.jpeg_with_gps())
    with_photo = make_speaker(meeting, name="Rosa", photo_id=photo.id)
    without = make_speaker(meeting, name="Ana")
    make_agenda_item(meeting, [with_photo, without], title="Opening")
    [item] = agenda_payload(meeting)
    assert item["speakers"][0]["photo"] == f"/media/{photo.sha256[:32]}-card.webp"
    assert item["speakers"][1]["photo"] is None


@pytest.mark.parametrize(("colour", "ok"), [
    ("#0b5d4b", True), ("#8A3B00", True), ("#000", True), ("#777777", False),
    ("#ffcc00", False), ("#ffffff", False),
])
def test_accent_colours_need_aa_contrast(app, colour, ok):
    if ok:
        assert check_accent(colour) == colour.lower() if len(colour) == 7 else "#000000"
        return
    with pytest.raises(InvalidInput) as caught:
        check_accent(colour)
    assert caught.value.details["field"] == "accent_colour"
    assert ":1" in str(caught.value.message) and "4.5:1" in str(caught.value.message)


def test_contrast_is_the_wcag_formula(app):
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48
    with pytest.raises(InvalidInput):
        check_accent("red; background:url(x)")
    assert check_accent("") is None


def test_series_and_meeting_accent_and_banner(app, cast):
    from tests.factories import make_series

    series = make_series(cast.admin)
    meetings.update_series(cast.admin, series, slug=series.slug, title="Series",
                           accent_colour="#1a5fb4", banner=images.jpeg_with_gps())
    assert series.accent_colour == "#1a5fb4" and series.banner_id
    meeting = cast.meeting_a
    meeting.series_id = series.id
    db.session.commit()
    assert meeting.shown_accent == "#1a5fb4" and meeting.shown_banner.id == series.banner_id
    meetings.update_series(cast.admin, series, slug=series.slug, title="Series",
                           remove_banner=True)
    assert series.banner_id is None and image_count() == 0


def test_default_alt_texts_read_in_the_asked_language(app, cast):
    from webapp.core.i18n_text import LocalizedText

    speaker = make_speaker(cast.meeting_a, name="Rosa Quispe", title=LocalizedText(
        {"es": "Presidenta", "zh_Hans": "主席"}))
    assert speaker_alt(speaker, "es") == "Rosa Quispe, Presidenta"
    assert speaker_alt(speaker, "zh_Hans") == "Rosa Quispe, 主席"
    assert speaker_alt(make_speaker(cast.meeting_a, name="Ana"), "es") == "Ana"
    organisation = type("Org", (), {"name": LocalizedText({"es": "Casa China"})})()
    assert organisation_alt(organisation, "es") == "Casa China"
    meeting = type("M", (), {"title": LocalizedText({"es": "Sesión"})})()
    assert banner_alt(meeting, "es") == ""
    assert banner_alt(meeting, "es", title_beside=False) == "Sesión"
