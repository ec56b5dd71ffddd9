"""Public meeting and series pages, calendar files, the time zone switch, `puente purge`."""

from __future__ import annotations

import re
from datetime import timedelta

import icalendar
import pytest
from flask_babel import refresh
from sqlalchemy import event

from tests.factories import make_agenda_item, make_meeting, make_registration, make_speaker
from tests.support.html import parse as parse_html
from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.meetings import ics
from webapp.meetings.models import MeetingOrganisation, MeetingStatus, OrganisationRole, Series
from webapp.registration.models import RegistrationStatus


@pytest.fixture
def meeting(app):
    meeting = make_meeting(slug="pb-11", title="Pacific Bridge 11", timezone="Asia/Shanghai",
                           capacity=100)
    speakers = [make_speaker(meeting, name="陈晓北", title="Professor", affiliation="Hospital"),
                make_speaker(meeting, name="Rosa Quispe", title="Chair")]
    make_agenda_item(meeting, speakers, title="Panel", planned_minutes=45)
    make_agenda_item(meeting, title="Q&A", planned_minutes=30)
    return meeting


def parse(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    return calendar, calendar.walk("VEVENT")


def test_meeting_page_lists_agenda_speakers_and_seats(client, meeting):
    make_registration(meeting)
    make_registration(meeting, status=RegistrationStatus.WAITLISTED)
    body = client.get("/m/pb-11").get_data(as_text=True)
    assert "Pacific Bridge 11" in body and "陈晓北" in body and "Rosa Quispe" in body
    assert "99 seats left" in body and "1 person on the waiting list" in body
    page = parse_html(body)
    for item in meeting.agenda_items:
        assert page.one(f"a[href='/m/pb-11/agenda/{item.id}/calendar.ics']").has("download")


def test_meeting_page_shows_both_clocks_for_a_viewer_elsewhere(client, meeting):
    client.set_cookie("tz", "America/Lima")
    page = parse_html(client.get("/m/pb-11").data)
    first = page.all("time.dual-time")[0]
    assert "Shanghai" in first.one(".meeting-time").text
    assert "Lima" in first.one(".viewer-time").text


def test_meeting_ics_has_tzid_and_vtimezone_and_parses_back(client, meeting):
    response = client.get("/m/pb-11/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar, (event,) = parse(response.data)
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    start = event.decoded("dtstart")
    assert start.utcoffset() == timedelta(hours=8)
    assert start.replace(tzinfo=None) - timedelta(hours=8) == meeting.starts_at
    assert str(event["summary"]) == "Pacific Bridge 11"
    assert str(event["url"]).endswith("/m/pb-11")


def test_agenda_item_ics_follows_the_timetable(client, meeting):
    second = meeting.agenda_items[1]
    response = client.get(f"/m/pb-11/agenda/{second.id}/calendar.ics")
    _calendar, (event,) = parse(response.data)
    start = event.decoded("dtstart").replace(tzinfo=None) - timedelta(hours=8)
    end = event.decoded("dtend").replace(tzinfo=None) - timedelta(hours=8)
    assert start == meeting.starts_at + timedelta(minutes=45)
    assert end - start == timedelta(minutes=30)
    assert event["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert str(event["summary"]) == "Q&A"
    make_meeting(slug="other")
    assert client.get(f"/m/other/agenda/{second.id}/calendar.ics").status_code == 404
    assert client.get("/m/pb-11/agenda/999999/calendar.ics").status_code == 404


def test_roles_in_the_item_calendar_file_and_the_report_moderator_first(client, meeting):
    from webapp.agenda.models import SpeakerRole
    from webapp.reports.services import agenda_entries

    panel = meeting.agenda_items[0]
    panel.speaker_links[0].role = SpeakerRole.PANELLIST
    panel.speaker_links[1].role = SpeakerRole.MODERATOR
    db.session.commit()
    response = client.get(f"/m/pb-11/agenda/{panel.id}/calendar.ics")
    _calendar, (item_event,) = parse(response.data)
    assert "陈晓北 (Panellist), Rosa Quispe (Moderator)" in str(item_event["description"])
    (entry,) = agenda_entries(meeting.agenda_items)
    assert [s.name for s in entry.speakers] == ["Rosa Quispe", "陈晓北"]
    assert [entry.role_label(s) for s in entry.speakers] == ["Moderator", "Panellist"]


def test_ics_for_a_zone_with_daylight_saving(app):
    meeting = make_meeting(timezone="Europe/Madrid", title="Reunión «ñ» 会议")
    calendar, (event,) = parse(ics.meeting_calendar(meeting))
    assert event["dtstart"].params["TZID"] == "Europe/Madrid"
    assert str(event["summary"]) == "Reunión «ñ» 会议"
    assert ics.filename("Reunión/../会议") == "Reuni-n.ics"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Madrid"]


def test_draft_meeting_and_its_calendar_are_hidden(client, app):
    make_meeting(slug="draft", status=MeetingStatus.DRAFT)
    assert client.get("/m/draft").status_code == 404
    assert client.get("/m/draft/calendar.ics").status_code == 404


def test_series_page_lists_past_and_upcoming_sessions(client, app):
    series = Series(slug="pb", title="Pacific Bridge")
    db.session.add(series)
    db.session.commit()
    make_meeting(slug="pb-10", series_id=series.id, session_number=10, title="Ten",
                 status=MeetingStatus.ENDED, starts_at=utcnow() - timedelta(days=14),
                 recording_url="https://video.example.org/10")
    make_meeting(slug="pb-11", series_id=series.id, session_number=11, title="Eleven")
    make_meeting(slug="pb-12", series_id=series.id, session_number=12, title="Hidden",
                 status=MeetingStatus.DRAFT)
    response = client.get("/s/pb")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    page = parse_html(body)
    upcoming = page.one("section[aria-labelledby=upcoming-heading]")
    past = page.one("section[aria-labelledby=past-heading]")
    assert upcoming.texts(".session-card h3") == ["Session 11: Eleven"]
    assert upcoming.one(".session-card a.button").attr("href") == "/m/pb-11#register"
    assert past.texts(".session-card h3") == ["Session 10: Ten"]
    recording = past.all(".session-links a")[0]
    assert recording.attr("href") == "/m/pb-10/recording"  # counted, then redirected
    assert recording.text == "Watch the recording: Ten"
    assert "Hidden" not in body
    assert client.get("/s/nope").status_code == 404


def test_meeting_page_links_to_its_series(client, app):
    series = Series(slug="pb", title="Pacific Bridge")
    db.session.add(series)
    db.session.commit()
    make_meeting(slug="pb-11", series_id=series.id, session_number=11)
    eyebrow = parse_html(client.get("/m/pb-11").data).one(".eyebrow")
    assert eyebrow.one("a").attr("href") == "/s/pb" and "Session 11" in eyebrow.text


def test_purge_command_prints_counts(app):
    old = make_meeting(status=MeetingStatus.ENDED, starts_at=utcnow() - timedelta(days=400),
                       retention_days=30)
    make_registration(old)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "1 registration(s) anonymised." in result.output
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "0 registration(s) anonymised." in result.output


# --- the selects rendered from cached option lists ------------------------------------------

def _page(client, accept_language: str, **form) -> str:
    """The meeting page in that language, or the form re-rendered with `form`'s errors."""
    refresh()  # the test's application context caches the locale between requests
    headers = {"Accept-Language": accept_language}
    if form:
        response = client.post("/m/pb-11/register", data=form, headers=headers)
        assert response.status_code == 422
    else:
        response = client.get("/m/pb-11", headers=headers)
    return response.get_data(as_text=True)


def test_country_and_type_options_follow_the_language_and_the_submitted_value(
        client, csrf, meeting):
    for language, peru in (("en", "Peru"), ("zh-CN", "秘鲁")):
        option = parse_html(_page(client, language)).one("select#country option[value=PE]")
        assert option.text == peru and not option.has("selected")
    body = _page(client, "es", csrf_token=csrf, name="Ana", email="no", country="PE",
                 organisation_type="ngo", language="zh_Hans")
    page = parse_html(body)
    assert page.texts("select#country option[selected]") == ["Perú"]
    assert page.one("select#country option[selected]").attr("value") == "PE"
    assert page.texts("select#organisation_type option[selected]") == ["ONG o asociación"]
    assert page.one("select#organisation_type option[selected]").attr("value") == "ngo"
    assert page.texts("select#language option[selected]") == ["简体中文"]
    assert page.one("select#language option[selected]").attr("value") == "zh_Hans"
    # the zone switcher keeps "as detected"
    assert page.one("select#timezone-select option[selected]").attr("value") == ""
    assert len(page.all("form.registration-form option[selected]")) == 3
    assert not page.one("select#country option[value=CN]").has("selected")
    body = _page(client, "en", csrf_token=csrf, country='"><script>x</script>')
    assert parse_html(body).all("select#country option[selected]") == []
    assert "<script>x" not in body
    assert not any(script.text == "x" for script in parse_html(body).all("script"))


def test_zone_switcher_marks_the_chosen_zone(client, csrf, meeting):
    zones = parse_html(_page(client, "en")).one("select#timezone-select")
    assert [option.attr("value") for option in zones.all("option[selected]")] == [""]
    assert not zones.one("option[value='Europe/Madrid']").has("selected")
    client.post("/timezone", data={"timezone": "Europe/Madrid", "csrf_token": csrf})
    page = parse_html(_page(client, "en"))
    zones = page.one("select#timezone-select")
    # the server's label: the offset now, the city and country, the IANA name
    (label,) = zones.texts("option[selected]")
    assert re.fullmatch(r"UTC\+0[12]:00 · Madrid \(Spain\) · Europe/Madrid", label), label
    assert zones.one("option[selected]").attr("value") == "Europe/Madrid"
    register = page.one("form.registration-form")
    assert [option.attr("value") for option in register.all("option[selected]")] == ["en"]
    assert register.one("select#language option[selected]").attr("value") == "en"




def test_meeting_page_queries_do_not_grow_with_the_agenda(client, app, meeting):
    def statements() -> int:
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/m/pb-11").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    db.session.add(MeetingOrganisation(meeting_id=meeting.id, name="ONG", position=0,
                                       role=OrganisationRole.HOST))
    db.session.commit()
    few = statements()
    speaker = make_speaker(meeting, name="Li Wei")
    for n in range(5):
        make_agenda_item(meeting, [speaker], title=f"Extra {n}")
    assert statements() == few


def test_descriptions_show_paragraphs_line_breaks_and_safe_links(client, meeting):
    meeting.description = ("Primer párrafo\r\ncon salto.\r\n\r\n"
                           "Más: https://example.org/a?b=1&c=2. <script>alert(1)</script>")
    item = meeting.agenda_items[0]
    item.description = "Línea uno\nLínea dos javascript:alert(1)\n\nhttp://example.cn/议程"
    db.session.commit()
    page = parse_html(client.get("/m/pb-11").data)
    about = page.one("section.prose")
    assert about.texts("p") == ["Primer párrafocon salto.",
                                "Más: https://example.org/a?b=1&c=2. <script>alert(1)</script>"]
    assert len(about.all("p br")) == 1 and "script" not in about
    link = about.one("a")
    assert (link.attr("href"), link.attr("rel")) == ("https://example.org/a?b=1&c=2",
                                                     "nofollow noopener")
    described = page.one(".agenda-description")
    assert described.texts("p") == ["Línea unoLínea dos javascript:alert(1)",
                                     "http://example.cn/议程"]
    assert len(described.all("br")) == 1
    assert [a.attr("href") for a in described.all("a")] == ["http://example.cn/议程"]
