"""A meeting in Shanghai with partners in Lima: every organiser list, e-mail, transcript and
export shows both zones, and never the server's UTC."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from tests.factories import make_question, make_registration
from tests.support.forms import meeting_form
from tests.support.html import parse
from webapp.board.models import Post
from webapp.extensions import db
from webapp.meetings import ics
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.qa.models import QuestionStatus

#: 13:24 UTC: 21:24 in Shanghai, 08:24 in Lima.
MOMENT = datetime(2026, 3, 10, 13, 24)


def page(meeting, suffix):
    return f"/organiser/meetings/{meeting.id}{suffix}"


@pytest.fixture
def lima(cast):
    cast.meeting_a.partner_timezones = ["America/Lima"]
    cast.meeting_a.starts_at = MOMENT
    db.session.commit()
    return cast.meeting_a


@pytest.fixture
def mailer(app, smtp_server):
    app.config["SMTP_URL"] = smtp_server.url
    return smtp_server


def test_partner_zones_are_edited_validated_and_stored_canonical(cast, as_user):
    client = as_user(cast.organiser_a)
    response = client.post_form("/organiser/meetings/new", meeting_form(
        partner_timezones="America/Lima\r\nAsia/Calcutta\r\nAsia/Shanghai\r\n"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == "session-12"))
    # the alias is stored under CLDR's name; the primary zone is not repeated
    assert meeting.partner_timezones == ["America/Lima", "Asia/Kolkata"]
    assert meeting.zones == ("Asia/Shanghai", "America/Lima", "Asia/Kolkata")
    form = parse(client.get(page(meeting, "/details")).data)
    pickers = form.all("select[name=partner_timezones]")
    assert [p.one("option[selected]").attr("value") for p in pickers[:2]] == [
        "America/Lima", "Asia/Kolkata"]
    assert [p.all("option[selected]") for p in pickers[2:]] == [[], [], []]

    for bad in ("Mars/Olympus_Mons", "posix/Asia/Tokyo", "../../etc/passwd", "Lima"):
        response = client.post_form(page(meeting, "/details"),
                                    meeting_form(slug="session-12", partner_timezones=bad))
        assert response.status_code in (200, 400, 422)
        assert "Unknown time zone" in response.get_data(as_text=True)
    db.session.refresh(meeting)
    assert meeting.partner_timezones == ["America/Lima", "Asia/Kolkata"]


def test_organiser_lists_show_the_partner_zone_not_utc(lima, cast, as_user):
    client = as_user(cast.organiser_a)
    client.set_cookie("tz", "UTC")  # a server or browser in UTC changes nothing but a 3rd clock
    make_registration(lima, name="Lucía", created_at=MOMENT)
    home = parse(client.get("/organiser/").data)
    row = next(r for r in home.all("table.org-table tbody tr") if str(lima.title) in r.text)
    assert "Start (UTC)" not in home.text
    # parsed text folds the narrow no-break space of "9:24\u202fPM" into a space
    assert "Mar 10, 2026, 9:24 PM Shanghai · 8:24 AM Lima · 1:24 PM UTC" in row.text

    listing = parse(client.get(page(lima, "/registrations")).data)
    row = next(r for r in listing.all("table.org-table tbody tr") if "Lucía" in r.text)
    assert row.all("time.dual-time")[0].text == (
        "Mar 10, 2026, 9:24 PM Shanghai · 8:24 AM Lima · 1:24 PM UTC")
    assert "(UTC)" not in listing.text


def test_public_page_in_chinese_names_both_cities(app, lima):
    visitor = app.test_client()
    visitor.set_cookie("tz", "UTC")
    html = parse(visitor.get(f"/m/{lima.slug}", headers={"Accept-Language": "zh-CN"}).data)
    when = html.all(".meeting-when time.dual-time")[0]
    assert when.one(".meeting-time").text == "2026年3月10日星期二, 21:24 上海"
    assert when.one(".partner-time").text == "· 08:24 利马"
    assert when.one(".viewer-time").text == "· 13:24 UTC"


def test_staff_invitation_gives_its_expiry_in_the_meeting_zones(lima, cast, as_user, mailer):
    client = as_user(cast.organiser_a)
    response = client.post_form(page(lima, "/staff"), {
        "email": "wang@example.org", "name": "王", "role": "moderator", "language": "zh_Hans"})
    assert response.status_code == 302
    (received,) = mailer.wait_for(1)
    text = received["message"].get_body(("plain",)).get_content()
    line = next(x for x in text.splitlines() if "上海" in x)
    assert re.search(r"\d\d:\d\d 上海 · \d\d:\d\d 利马", line), line
    assert "UTC" not in text
    staff = parse(client.get(page(lima, "/staff")).data)
    invited = staff.all("ul.role-list li")[-1].text
    assert "wang@example.org" in invited and "Shanghai · " in invited and "Lima" in invited
    assert "UTC" not in invited


def test_transcript_and_exports_show_the_partner_zone(app, lima, cast, as_user):
    lima.status = MeetingStatus.ENDED
    db.session.commit()
    asker = make_registration(lima, name="Lucía")
    make_question(lima, asker, text="¿Y Lima?", created_at=MOMENT, answered_at=MOMENT,
                  status=QuestionStatus.ANSWERED, answer_text="Sí")
    db.session.add(Post(meeting_id=lima.id, registration_id=asker.id, text="Hola",
                        created_at=MOMENT))
    db.session.commit()
    client = as_user(cast.organiser_a)

    transcript = parse(client.get(f"/m/{lima.slug}/transcript").data)
    asked = transcript.one(".transcript-asked time.dual-time")
    assert "Shanghai" in asked.one(".meeting-time").text
    assert asked.one(".partner-time").text == "· 8:24 AM Lima"

    registrations = client.get(page(lima, "/registrations.csv")).get_data(as_text=True)
    questions = client.get(f"/m/{lima.slug}/questions.csv").get_data(as_text=True)
    board = client.get(f"/m/{lima.slug}/board.csv").get_data(as_text=True)
    for export in (questions, board):
        assert "Mar 10, 2026, 9:24\u202fPM Shanghai · 8:24\u202fAM Lima" in export
    assert "Shanghai ·" in registrations and "Lima" in registrations

    with app.test_request_context(headers={"Accept-Language": "es"}):
        calendar = ics.meeting_calendar(lima, language="es").decode()
    assert "21:24 Shanghái · 8:24 Lima" in calendar.replace("\r\n ", "")


# --- the pickers: canonical zones, labels by the server, aliases still accepted ---------------

def test_the_pickers_offer_canonical_zones_labelled_in_the_readers_language(cast, as_user):
    from flask_babel import refresh

    cast.organiser_a.locale = "zh_Hans"
    db.session.commit()
    client = as_user(cast.organiser_a)
    refresh()  # the test's application context caches the locale between requests
    form = parse(client.get("/organiser/meetings/new").data)
    primary = form.one("select#timezone")
    assert primary.has("data-zone-picker")
    values = [option.attr("value") for option in primary.all("option")]
    assert "US/Pacific" not in values and "Asia/Calcutta" not in values
    assert "Asia/Kolkata" in values and "UTC" in values
    assert "上海" in primary.one("option[value='Asia/Shanghai']").text
    assert primary.one("option[selected]").attr("value") == "Asia/Shanghai"
    pickers = form.all("select[name=partner_timezones]")
    assert len(pickers) == 5 and all(p.has("data-zone-picker") for p in pickers)
    assert "利马" in pickers[0].one("option[value='America/Lima']").text
    assert "[data-zone-picker-strings]" in form


def test_an_old_alias_is_still_accepted_and_shown_as_its_zone(cast, as_user):
    client = as_user(cast.organiser_a)
    response = client.post_form("/organiser/meetings/new", meeting_form(
        timezone="US/Pacific", partner_timezones=["Asia/Calcutta", "", "America/Lima"]))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == "session-12"))
    assert meeting.timezone == "US/Pacific"
    assert meeting.partner_timezones == ["Asia/Kolkata", "America/Lima"]
    meeting.partner_timezones = ["America/Buenos_Aires"]  # stored before the pickers
    db.session.commit()
    form = parse(client.get(page(meeting, "/details")).data)
    assert form.one("select#timezone option[selected]").attr("value") == "America/Los_Angeles"
    assert form.one("select#partner-timezone-1 option[selected]").attr("value") == \
        "America/Argentina/Buenos_Aires"
    # Saving the page as shown keeps the same clocks under the canonical names.
    response = client.post_form(page(meeting, "/details"), meeting_form(
        timezone="America/Los_Angeles", partner_timezones="America/Argentina/Buenos_Aires"))
    assert response.status_code == 302
    db.session.refresh(meeting)
    assert meeting.timezone == "America/Los_Angeles"
    assert meeting.zones[0] == "America/Los_Angeles"


def test_a_stored_name_the_list_lacks_is_kept_on_the_page(cast, as_user):
    cast.meeting_a.timezone = "Etc/GMT-14"  # valid, but no canonical zone stands for it
    db.session.commit()
    client = as_user(cast.organiser_a)
    form = parse(client.get(page(cast.meeting_a, "/details")).data)
    assert form.one("select#timezone option[selected]").attr("value") == "Etc/GMT-14"
