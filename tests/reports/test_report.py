"""The meeting report: its figures equal the database, quoted posts follow their authors'
privacy, quoting is staff-only, and the exports escape what people wrote."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token_from, login
from tests.factories import make_registration, make_user
from tests.support.blns import blns_strings
from tests.support.people import attendee, staff
from webapp.accounts.models import RoleKind
from webapp.board import services as board_services
from webapp.board.models import Post
from webapp.core.text import forbidden_character
from webapp.demo import data
from webapp.demo.loader import ORGANISER_EMAIL, load_demo
from webapp.errors import InvalidInput, StaffOnly
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus
from webapp.registration import services as registration_services
from webapp.reports import services


def _one(sql: str, **params) -> int:
    return db.session.execute(sa.text(sql), params).scalar_one()


@pytest.fixture
def past(app):
    return load_demo().meetings[0]


@pytest.fixture
def organiser(app, past):
    user = make_user(meeting=past, role=RoleKind.ORGANISER)
    client = app.test_client()
    login(client, user.email)
    return client


def test_the_figures_equal_the_database(past, organiser):
    page = organiser.get(f"/organiser/meetings/{past.id}/report?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    asked = _one("SELECT COUNT(*) FROM questions WHERE meeting_id = :m AND status != 'withdrawn'",
                 m=past.id)
    live = _one("SELECT COUNT(*) FROM questions WHERE meeting_id = :m AND status = 'answered' "
                "AND (answer_text IS NULL OR TRIM(answer_text) = '')", m=past.id)
    written = _one("SELECT COUNT(*) FROM questions WHERE meeting_id = :m AND status = "
                   "'answered' AND TRIM(answer_text) != ''", m=past.id)
    votes = _one("SELECT COUNT(*) FROM votes JOIN questions q ON q.id = votes.question_id "
                 "WHERE q.meeting_id = :m AND q.status != 'withdrawn'", m=past.id)
    assert (asked, live, written) == (len(data.QUESTIONS), 5, 1) and votes > 0
    for name, value in (("asked", asked), ("answered_live", live),
                        ("answered_in_writing", written), ("votes", votes)):
        assert f'data-figure="{name}">{value}<' in text
    top = db.session.execute(sa.text(
        "SELECT q.id, COUNT(v.id) AS n FROM questions q LEFT JOIN votes v ON v.question_id = q.id "
        "WHERE q.meeting_id = :m AND q.status IN ('live', 'answered', 'archived') "
        "GROUP BY q.id ORDER BY n DESC, q.id LIMIT 5"), {"m": past.id}).all()
    shown = re.findall(r'data-question="(\d+)">.*?data-votes>(\d+) vote', text, re.S)
    assert [(int(i), int(n)) for i, n in shown] == [(i, n) for i, n in top]
    # Anonymous askers stay anonymous.
    for question_id, anonymous, name in db.session.execute(sa.text(
            "SELECT q.id, q.anonymous, r.name FROM questions q JOIN registrations r "
            "ON r.id = q.registration_id WHERE q.id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)), {"ids": [i for i, _n in top]}):
        block = text.split(f'data-question="{question_id}"')[1].split("</li>")[0]
        assert (html.escape(name) in block) is (not anonymous)
    # Planned 2 h, ran longer: the overrun and the end in both zones, from the agenda.
    start, end = db.session.execute(sa.text(
        "SELECT MIN(actual_start), MAX(actual_end) FROM agenda_items WHERE meeting_id = :m"),
        {"m": past.id}).one()
    report = services.build(past, "en")
    assert report.timing.actual_minutes == round((_dt(end) - _dt(start)).total_seconds() / 60)
    assert "planned for 2 h and ran 3 h 27 min, 1 h 27 min over" in text
    assert "in Lima (next day)" in text and "in Shanghai" in text
    # The closed poll and the quoted thank-yous.
    for count in data.POLL["counts"]:
        assert f"<td>{count}</td>" in text
    quoted = db.session.scalars(sa.select(Post.text).where(
        Post.meeting_id == past.id, Post.quoted_at.is_not(None))).all()
    assert sorted(quoted) == sorted(data.POSTS[i][1] for i in data.QUOTED_POSTS)
    for post in quoted:
        assert html.escape(post) in text


def _dt(value):
    from datetime import datetime
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def test_the_report_reads_in_each_meeting_language(past, organiser):
    for language, word in (("es", "sesión"), ("zh_Hans", "第10")):
        page = organiser.get(f"/organiser/meetings/{past.id}/report?lang={language}")
        assert page.status_code == 200
        text = html.unescape(page.get_data(as_text=True))
        assert data.meeting_title(10)[language] in text and word in text


def test_a_quoted_post_leaves_the_report_when_its_author_erases_their_data(past, organiser):
    post = db.session.scalar(sa.select(Post).where(Post.meeting_id == past.id,
                                                   Post.quoted_at.is_not(None)))
    author, text = post.registration, post.text
    assert html.escape(text) in organiser.get(f"/organiser/meetings/{past.id}/report").get_data(
        as_text=True)
    registration_services.erase(author)
    db.session.expire_all()
    page = organiser.get(f"/organiser/meetings/{past.id}/report").get_data(as_text=True)
    assert f'data-quote="{post.id}"' not in page
    assert db.session.get(Post, post.id).quoted_at is None
    with pytest.raises(InvalidInput):
        board_services.quote(staff(make_user(meeting=past), past), post.id, True)


def test_quote_and_unquote_are_staff_only_and_reach_other_staff(app, past, live_sockets,
                                                              received):
    post = db.session.scalar(sa.select(Post).where(Post.meeting_id == past.id,
                                                   Post.quoted_at.is_(None),
                                                   Post.registration_id.is_not(None)))
    someone = make_registration(past, name="Ana Torres", email="ana@example.org")
    guest = live_sockets.attendee(someone)
    for name in ("quote_post", "unquote_post"):
        ack = guest.emit(name, {"post_id": post.id}, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
        assert ack["error"]["message"]
    with pytest.raises(StaffOnly):
        board_services.quote(attendee(someone), post.id, True)
    mods = [make_user(meeting=past, role=RoleKind.MODERATOR) for _ in range(2)]
    first, second = (live_sockets.staff(user, past.id) for user in mods)
    assert first.emit("quote_post", {"post_id": post.id}, callback=True) == {
        "ok": True, "id": post.id, "quoted": True}
    [event] = received.of(second, "post_quoted")
    assert event["post"]["id"] == post.id and event["post"]["quoted"] is True and event["seq"]
    assert received.of(guest, "post_quoted")[0]["post"]["quoted"] is True
    assert first.emit("unquote_post", {"post_id": post.id}, callback=True)["quoted"] is False
    assert received.of(second, "post_quoted")[-1]["post"]["quoted"] is False
    assert first.emit("quote_post", {"post_id": "x"}, callback=True)["error"]["code"] == \
        "invalid"


def test_the_http_fallback_quotes_with_a_csrf_form(app, past, organiser):
    post = db.session.scalar(sa.select(Post).where(Post.meeting_id == past.id,
                                                   Post.quoted_at.is_(None),
                                                   Post.registration_id.is_not(None)))
    url = f"/m/{past.slug}/board/posts/{post.id}/quote"
    assert organiser.post(url).status_code == 400  # no CSRF token
    token = csrf_token_from(organiser.get(f"/organiser/meetings/{past.id}/report").get_data(
        as_text=True))
    assert organiser.post(url, data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post.id).quoted_at is not None
    visitor = app.test_client()
    assert visitor.post(url, data={"csrf_token": token}).status_code in (400, 404)


def test_published_reports_are_public_and_drafts_are_not(app, past, organiser):
    visitor = app.test_client()
    assert visitor.get(f"/m/{past.slug}/report").status_code == 404
    assert visitor.get(f"/m/{past.slug}/report.md").status_code == 404
    token = csrf_token_from(organiser.get(f"/organiser/meetings/{past.id}/report").get_data(
        as_text=True))
    assert organiser.post(f"/organiser/meetings/{past.id}/report/publish").status_code == 400
    assert organiser.post(f"/organiser/meetings/{past.id}/report/publish",
                          data={"csrf_token": token}).status_code == 302
    page = visitor.get(f"/m/{past.slug}/report?lang=es")
    assert page.status_code == 200 and 'lang="es"' in page.get_data(as_text=True)
    assert f"/m/{past.slug}/report" in visitor.get(f"/m/{past.slug}").get_data(as_text=True)
    assert visitor.get(f"/m/{past.slug}/report.md").status_code == 200
    organiser.post(f"/organiser/meetings/{past.id}/report/unpublish", data={"csrf_token": token})
    assert visitor.get(f"/m/{past.slug}/report").status_code == 404


def test_moderators_read_but_only_organisers_edit_and_publish(app, past):
    moderator = make_user(meeting=past, role=RoleKind.MODERATOR)
    client = app.test_client()
    login(client, moderator.email)
    assert client.get(f"/organiser/meetings/{past.id}/report").status_code == 200
    token = csrf_token_from(client.get(f"/organiser/meetings/{past.id}/report").get_data(
        as_text=True))
    assert client.post(f"/organiser/meetings/{past.id}/report/publish",
                       data={"csrf_token": token}).status_code == 403
    assert client.post(f"/organiser/meetings/{past.id}/report/edit",
                       data={"csrf_token": token, "intro-en": "x"}).status_code == 403


def test_edited_texts_are_stored_and_figures_stay_live(app, past, organiser):
    page = organiser.get(f"/organiser/meetings/{past.id}/report/edit")
    assert page.status_code == 200
    token = csrf_token_from(page.get_data(as_text=True))
    response = organiser.post(f"/organiser/meetings/{past.id}/report/edit", data={
        "csrf_token": token, "intro-en": "Our own summary <b>bold</b>.",
        "intro-es": "Nuestro resumen.", "intro-zh_Hans": "我们的总结。",
        "questions_note-en": "Many questions.", "attendance_note-en": "Seats *filled*.",
        "attendance_note-es": "Sala llena."})
    assert response.status_code == 302
    text = organiser.get(f"/organiser/meetings/{past.id}/report?lang=en").get_data(as_text=True)
    assert "Our own summary &lt;b&gt;bold&lt;/b&gt;." in text and "Many questions." in text
    attendance = text.split('id="report-attendance"')[1].split("</section>")[0]
    assert '<p class="report-note">Seats *filled*.</p>' in attendance
    spanish = organiser.get(f"/organiser/meetings/{past.id}/report?lang=es").get_data(
        as_text=True)
    assert "Sala llena." in spanish.split('id="report-attendance"')[1].split("</section>")[0]
    markdown = organiser.get(f"/m/{past.slug}/report.md?lang=en").get_data(as_text=True)
    assert "## Attendance\n\nSeats \\*filled\\*\\.\n" in markdown
    before = services.build(past, "en").qa.asked
    from tests.factories import make_question
    make_question(past, text="One more?")
    after = organiser.get(f"/organiser/meetings/{past.id}/report?lang=en").get_data(as_text=True)
    assert f'data-figure="asked">{before + 1}<' in after


def test_publishing_waits_for_the_end(app, past):
    upcoming = load_demo().meetings[1]
    from webapp.accounts.models import User
    user = db.session.scalar(sa.select(User).where(User.email == ORGANISER_EMAIL))
    assert upcoming.status != MeetingStatus.ENDED
    from webapp.errors import Closed
    with pytest.raises(Closed):
        services.publish(user, upcoming)


def _unescape_markdown(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


#: Hostile strings quoted in one report: each export is rendered once per batch.
QUOTES_PER_REPORT = 25


@pytest.mark.blns
def test_exports_escape_hostile_text(app, past, organiser):
    first = db.session.scalar(sa.select(Post).where(Post.meeting_id == past.id,
                                                    Post.quoted_at.is_not(None)))
    posts = [first] + [
        Post(meeting_id=past.id, registration_id=first.registration_id, user_id=first.user_id,
             text="-", language=first.language, quoted_at=first.quoted_at)
        for _n in range(QUOTES_PER_REPORT - 1)]
    db.session.add_all(posts)
    db.session.commit()
    hostile = [text for text in blns_strings()  # the board refuses the others
               if text.strip() and len(text) <= 1000 and not forbidden_character(text)]
    for start in range(0, len(hostile), QUOTES_PER_REPORT):
        batch = hostile[start:start + QUOTES_PER_REPORT]
        for post, text in zip(posts, batch + ["-"] * len(posts), strict=False):
            post.text = text
        db.session.commit()
        markdown = organiser.get(f"/m/{past.slug}/report.md?lang=en").get_data(as_text=True)
        page = organiser.get(f"/m/{past.slug}/report.html?lang=en").get_data(as_text=True)
        assert "<script" not in page.lower()
        for post, text in zip(posts, batch, strict=False):
            for line in (line for line in text.splitlines() if line.strip()):
                escaped = services.md_escape(line)
                assert f"> {escaped}\n" in markdown
                # Every ASCII punctuation mark is escaped: nothing can start Markdown syntax.
                assert re.search(r"[!-/:-@\[-`{-~]", re.sub(r"\\.", "", escaped)) is None
                assert _unescape_markdown(escaped) == " ".join(line.split())
            quote = page.split(f'data-quote="{post.id}"')[1].split("</blockquote>")[0]
            lines = [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", quote, re.S)]
            assert lines == [line for line in text.splitlines() if line.strip()]


def _attendance_rows(text: str, name: str) -> list[tuple]:
    table = text.split(f'data-breakdown="{name}"')[1].split("</table>")[0]
    return [(key, html.unescape(label), int(r), int(j), int(w)) for key, label, r, j, w in
            re.findall(r'<tr data-key="([^"]*)"><th scope="row">(.*?)</th><td>(\d+)</td>'
                       r'<td>(\d+)</td><td>(\d+)</td></tr>', table)]


def test_attendance_equals_the_registrations_and_the_presence_history(past, organiser):
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from babel.dates import format_time

    from webapp.registration.attendance_figures import (
        record_presence_sample,
        record_recording_opened,
    )
    from webapp.registration.models import Registration, RegistrationStatus

    start = past.starts_at
    for minutes, seconds, online in ((5, 10, 12), (40, 3, 31), (40, 40, 20), (41, 0, 31),
                                     (70, 15, 25)):
        record_presence_sample(past.id, online, start + timedelta(minutes=minutes,
                                                                  seconds=seconds))
    db.session.commit()
    people = db.session.scalars(sa.select(Registration).where(
        Registration.meeting_id == past.id).order_by(Registration.id)).all()
    for registration in people[:3]:  # two joined live and watched too, or only watched
        assert record_recording_opened(registration) is True
    people[0].status = RegistrationStatus.CANCELLED  # joined, then cancelled: still counted
    joined_not = next(p for p in people if p.first_joined_at is None)
    joined_not.status = RegistrationStatus.WAITLISTED  # never attended: not counted
    db.session.commit()

    registered_sql = ("(status = 'confirmed' OR first_joined_at IS NOT NULL "
                      "OR recording_opened_at IS NOT NULL)")
    registered = _one(f"SELECT COUNT(*) FROM registrations WHERE meeting_id = :m AND "
                      f"{registered_sql}", m=past.id)
    joined = _one("SELECT COUNT(*) FROM registrations WHERE meeting_id = :m AND "
                  "first_joined_at IS NOT NULL", m=past.id)
    watched = _one("SELECT COUNT(*) FROM registrations WHERE meeting_id = :m AND "
                   "recording_opened_at IS NOT NULL", m=past.id)
    peak = _one("SELECT MAX(attendees_online) FROM presence_samples WHERE meeting_id = :m",
                m=past.id)
    peak_at = _dt(_one("SELECT MIN(at) FROM presence_samples WHERE meeting_id = :m AND "
                       "attendees_online = :n", m=past.id, n=peak))
    assert (peak, peak_at) == (31, start + timedelta(minutes=40, seconds=3))
    assert 0 < joined < registered and watched == 3

    text = organiser.get(f"/organiser/meetings/{past.id}/report?lang=en").get_data(as_text=True)
    for name, value in (("registered", registered), ("joined_live", joined),
                        ("peak_at_once", peak), ("watched_recording", watched)):
        assert f'data-figure="{name}">{value}<' in text
    # The peak's moment in each of the meeting's zones.
    sentence = text.split('data-report="peak"')[1].split("</p>")[0]
    for zone, place in (("America/Lima", "Lima"), ("Asia/Shanghai", "Shanghai")):
        local = peak_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone))
        assert f"{format_time(local, format='short', locale='en')} in {place}" in sentence

    def grouped(column):
        return sorted(((key or "", r, j, w) for key, r, j, w in db.session.execute(sa.text(
            f"SELECT {column}, SUM(CASE WHEN {registered_sql} THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN first_joined_at IS NOT NULL THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN recording_opened_at IS NOT NULL THEN 1 ELSE 0 END) "
            f"FROM registrations WHERE meeting_id = :m AND {registered_sql} GROUP BY {column}"),
            {"m": past.id})), key=lambda row: (-row[1], row[0]))

    by_type = grouped("organisation_type")
    assert [(k, r, j, w) for k, _label, r, j, w in _attendance_rows(text, "organisation_type")] \
        == by_type and len(by_type) > 1
    assert ("government", "Government") in {
        (k, label) for k, label, *_ in _attendance_rows(text, "organisation_type")}
    by_country = grouped("country")
    assert [(k, r, j, w) for k, _label, r, j, w in _attendance_rows(text, "country")] \
        == by_country
    # Labels in the reader's language: organisation types translated, countries by Babel.
    spanish = organiser.get(f"/organiser/meetings/{past.id}/report?lang=es").get_data(
        as_text=True)
    countries = {k: label for k, label, *_ in _attendance_rows(spanish, "country")}
    assert countries["PE"] == "Perú" and countries["CN"] == "China"
    chinese = organiser.get(f"/organiser/meetings/{past.id}/report?lang=zh_Hans").get_data(
        as_text=True)
    assert {k: label for k, label, *_ in _attendance_rows(chinese, "country")}["PE"] == "秘鲁"
    # The Markdown export says the same.
    token = csrf_token_from(text)
    organiser.post(f"/organiser/meetings/{past.id}/report/publish", data={"csrf_token": token})
    markdown = organiser.get(f"/m/{past.slug}/report.md?lang=en").get_data(as_text=True)
    assert "## Attendance" in markdown
    assert f"- Peak at once: {peak}" in markdown and f"- Registered: {registered}" in markdown
    assert f"| Government | {dict((k, r) for k, r, *_ in by_type)['government']} |" in markdown


def test_pictures_are_served_on_the_page_and_inlined_in_the_standalone_file(past, organiser):
    from webapp.media import services as media_services
    from webapp.media.alt import organisation_alt, speaker_alt

    speakers = [s for s in past.speakers if s.photo is not None]
    logos = [o for o in past.organisations if o.logo is not None]
    assert speakers and logos, "the demo meeting shows faces and logos"
    page = organiser.get(f"/organiser/meetings/{past.id}/report?lang=es").get_data(as_text=True)
    standalone = organiser.get(f"/m/{past.slug}/report.html?lang=es").get_data(as_text=True)
    for speaker in speakers:
        alt = html.escape(speaker_alt(speaker, "es"))
        name = media_services.filename(speaker.photo, "thumb")
        assert re.search(rf'<img src="[^"]*/media/{re.escape(name)}"[^>]*alt="{re.escape(alt)}"',
                         page), speaker.name
        uri = media_services.data_uri(speaker.photo, "thumb")
        assert f'src="{uri}"' in standalone and f'alt="{alt}"' in standalone
    for organisation in logos:
        assert f'alt="{html.escape(organisation_alt(organisation, "es"))}"' in page
    # The standalone file fetches nothing: every picture is inside it.
    assert "/media/" not in standalone
