"""After-meeting pages: transcript, wall, follow-up (answers + one digest per person), CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from flask import current_app

from tests.conftest import csrf_token_from
from tests.conftest import forget_request_caches as forget_csrf_cache
from tests.factories import (
    demo_agenda,
    make_meeting,
    make_question,
    make_registration,
    make_user,
)
from tests.support.blns import blns_strings
from tests.support.html import parse
from tests.support.people import second_client, staff
from webapp.accounts.models import RoleKind
from webapp.agenda import clock_services
from webapp.board import services
from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus
from webapp.qa.models import Question, QuestionStatus, Vote
from webapp.registration.models import RegistrationStatus


@pytest.fixture
def ended(meeting):
    meeting.status = MeetingStatus.ENDED
    db.session.commit()
    return meeting


def outbox() -> list:
    folder = Path(current_app.config["PUENTE_OUTBOX"])
    return [BytesParser(policy=policy.default).parsebytes(p.read_bytes())
            for p in sorted(folder.glob("*.eml"))]


def vote(question, registration):
    db.session.add(Vote(question_id=question.id, registration_id=registration.id,
                        created_at=utcnow()))
    question.vote_count += 1
    db.session.commit()


def test_transcript_lists_answered_questions_in_order(app, client, ended):
    ended.wall_published = True  # a published record names the askers to everyone
    asker = make_registration(ended, name="梁顺", organisation="Sociedad")
    now = utcnow()
    make_question(ended, asker, text="Second?", status=QuestionStatus.ANSWERED,
                  answered_at=now, answer_text="<script>alert(1)</script>Yes")
    make_question(ended, asker, text="First?", status=QuestionStatus.ANSWERED,
                  answered_at=now.replace(year=now.year - 1), anonymous=True)
    make_question(ended, asker, text="Never answered", status=QuestionStatus.LIVE)
    html = client.get(f"/m/{ended.slug}/transcript").get_data(as_text=True)
    entries = parse(html).all("ol.transcript-list > li.transcript-entry")
    assert [entry.one(".transcript-question").text for entry in entries] == ["First?", "Second?"]
    assert "Never answered" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Yes" in html and "<script>alert" not in html
    assert entries[1].one(".transcript-answer").texts("p") == [
        "Written answer", "<script>alert(1)</script>Yes"]
    assert parse(html).all("article script") == []
    askers = [entry.all("p.muted")[0].text for entry in entries]
    assert askers[0].startswith("Anonymous") and "梁顺" not in askers[0]
    assert askers[1].startswith("梁顺, Sociedad")
    assert client.get("/m/nope/transcript").status_code == 404


def test_wall_is_public_read_only_and_pages_back(app, client, ended, me, mod):
    ended.wall_published = True
    db.session.commit()
    for n in range(55):
        services.post(me, f"mensaje {n} <img src=x onerror=alert(1)>")
    page = client.get(f"/m/{ended.slug}/wall")
    html = page.get_data(as_text=True)
    wall = parse(html)
    texts = wall.texts("ol.wall-posts .board-text")
    assert page.status_code == 200
    assert texts[0] == "mensaje 5 <img src=x onerror=alert(1)>"  # oldest first, as on the board
    assert texts[-1] == "mensaje 54 <img src=x onerror=alert(1)>"
    assert "mensaje 4 <img src=x onerror=alert(1)>" not in texts
    assert "<img src=x" not in html and wall.all("img[onerror]") == []
    sections = [s.attr("aria-labelledby") for s in wall.all("article.wall section")]
    assert sections == ["wall-posts", "wall-orgs", "wall-countries"]  # messages, then figures
    assert wall.texts("section[aria-labelledby=wall-orgs] tbody td")[0] == "Minsa"
    assert wall.texts("section[aria-labelledby=wall-countries] tbody td")[0] == "Peru"
    older = client.get(wall.one("nav.wall-pages a").attr("href"))
    assert "mensaje 4 <img src=x onerror=alert(1)>" in parse(older.data).texts(
        "ol.wall-posts .board-text")
    assert client.get(f"/m/{ended.slug}/wall?before=abc").status_code == 200


def test_wall_shows_paragraphs_links_and_countries_in_the_readers_language(client, ended, me):
    ended.wall_published = True
    db.session.commit()
    services.post(me, "Gracias.\r\n\r\nVideo: https://example.org/v\r\njavascript:alert(1)")
    wall = parse(client.get(f"/m/{ended.slug}/wall", headers={"Accept-Language": "es"}).data)
    post = wall.one("ol.wall-posts .board-text")
    assert post.texts("p") == ["Gracias.", "Video: https://example.org/vjavascript:alert(1)"]
    assert [(a.attr("href"), a.attr("rel")) for a in post.all("a")] == [
        ("https://example.org/v", "nofollow noopener")]
    assert len(post.all("br")) == 1
    assert wall.texts("section[aria-labelledby=wall-countries] tbody td")[0] == "Perú"


def test_board_export_is_a_named_csv_download_like_the_others(app, ended, me):
    services.post(me, "Hola")
    http, _token = second_client(app, email=make_user(meeting=ended, role=RoleKind.MODERATOR).email,
                                 meeting=ended)
    response = http.get(f"/m/{ended.slug}/board.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="board-{ended.slug}.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Posted (UTC)", "Author"] and rows[1][7] == "Hola"


def test_draft_meetings_have_no_public_pages(app, client):
    draft = make_meeting(status=MeetingStatus.DRAFT)
    for path in ("transcript", "wall", "follow-up", "board.csv", "clock"):
        assert client.get(f"/m/{draft.slug}/{path}").status_code == 404


@pytest.mark.parametrize("who, status", [
    ("anonymous", 404), ("attendee", 404), ("speaker", 403), ("other_moderator", 403),
    ("moderator", 200), ("organiser", 200)])
def test_follow_up_and_export_authorisation(app, ended, who, status):
    other = make_meeting()
    email = None
    if who in ("speaker", "moderator", "organiser"):
        email = make_user(meeting=ended, role=RoleKind(who)).email
    elif who == "other_moderator":
        email = make_user(meeting=other, role=RoleKind.MODERATOR).email
    registration = make_registration(ended) if who == "attendee" else None
    http, token = second_client(app, email=email, meeting=ended, registration=registration)
    assert http.get(f"/m/{ended.slug}/follow-up").status_code == status
    assert http.get(f"/m/{ended.slug}/board.csv").status_code == (
        200 if status == 200 else 403)
    forget_csrf_cache()
    published = http.post(f"/m/{ended.slug}/follow-up/publish", data={"csrf_token": token})
    assert published.status_code == (302 if status == 200 else status)


def test_follow_up_answers_and_one_digest_per_person(app, ended):
    mod_user = make_user(meeting=ended, role=RoleKind.MODERATOR)
    asker = make_registration(ended, language="zh_Hans", name="张淑静")
    voter = make_registration(ended, language="es", name="Rosa")
    both = make_registration(ended, language="en", name="Sam")
    bystander = make_registration(ended)
    q1 = make_question(ended, asker, text="社区如何联动？", language="zh_Hans")
    q2 = make_question(ended, both, text="How many volunteers?")
    untouched = make_question(ended, bystander, text="Nobody answers this")
    vote(q1, voter)
    vote(q1, both)
    vote(q2, voter)
    http, token = second_client(app, email=mod_user.email)
    page = http.get(f"/m/{ended.slug}/follow-up").get_data(as_text=True)
    assert "社区如何联动？" in page and "Nobody answers this" in page
    for question, text in ((q1, "通过社区、医院和志愿者三方联动。\nSegunda línea"),
                           (q2, "About 120.")):
        forget_csrf_cache()
        response = http.post(f"/m/{ended.slug}/follow-up", data={
            "csrf_token": token, "question_id": question.id, "text": text})
        assert response.status_code == 302
    forget_csrf_cache()
    assert http.post(f"/m/{ended.slug}/follow-up", data={
        "csrf_token": token, "question_id": untouched.id, "text": "  "}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Question, q1.id).status == QuestionStatus.ANSWERED
    forget_csrf_cache()
    http.post(f"/m/{ended.slug}/follow-up/publish", data={"csrf_token": token})
    mails = outbox()
    by_person = {m["To"]: m for m in mails}
    assert sorted(by_person) == sorted([asker.email, voter.email, both.email])
    assert len(mails) == 3  # each person once, however many questions they followed
    assert "社区如何联动" in by_person[asker.email].get_body(("plain",)).get_content()
    assert by_person[voter.email]["Subject"].startswith("Respuestas")
    rosa = by_person[voter.email].get_body(("plain",)).get_content()
    assert "About 120." in rosa and "三方联动" in rosa
    assert by_person[asker.email]["Subject"].startswith("对您问题的回答")
    forget_csrf_cache()
    again = http.post(f"/m/{ended.slug}/follow-up/publish", data={"csrf_token": token},
                      follow_redirects=True)
    assert len(outbox()) == 3 and again.status_code == 200


def test_publishing_before_the_end_is_refused(app, meeting):
    mod_user = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    http, token = second_client(app, email=mod_user.email)
    page = http.post(f"/m/{meeting.slug}/follow-up/publish", data={"csrf_token": token},
                     follow_redirects=True).get_data(as_text=True)
    assert "after the meeting has ended" in page and outbox() == []


@pytest.mark.blns
def test_blns_answers_round_trip_or_fail_cleanly(app, ended):
    mod_user = make_user(meeting=ended, role=RoleKind.MODERATOR)
    question = make_question(ended, make_registration(ended))
    http, token = second_client(app, email=mod_user.email)
    for text in blns_strings():
        forget_csrf_cache()
        response = http.post(f"/m/{ended.slug}/follow-up", data={
            "csrf_token": token, "question_id": question.id, "text": text})
        assert response.status_code in (302, 400), text
        if response.status_code == 302:
            db.session.expire_all()
            # browsers send CRLF and WTForms keeps it: compare what a form would carry
            assert db.session.get(Question, question.id).answer_text == text
    assert client_free_render(http, ended)


def client_free_render(http, meeting) -> bool:
    forget_csrf_cache()
    return http.get(f"/m/{meeting.slug}/transcript").status_code == 200


def test_meeting_page_links_after_the_end(app, client, ended):
    def after_links(http_client, meeting) -> list[str]:
        """Every link on the page to one of the meeting's own pages, except its calendar."""
        hrefs = [link.attr("href") for link in parse(
            http_client.get(f"/m/{meeting.slug}").data).all("a[href]")]
        return [href for href in hrefs
                if href.startswith(f"/m/{meeting.slug}/") and not href.endswith(".ics")]

    base = f"/m/{ended.slug}"
    assert after_links(client, ended) == [f"{base}/transcript"]  # wall and follow-up unpublished
    mod_user = make_user(meeting=ended, role=RoleKind.MODERATOR)
    http, _token = second_client(app, email=mod_user.email)
    assert after_links(http, ended) == [f"{base}/transcript", f"{base}/wall", f"{base}/follow-up"]
    ended.wall_published = True
    db.session.commit()
    forget_csrf_cache()
    assert after_links(client, ended) == [f"{base}/transcript", f"{base}/wall"]
    live = make_meeting()
    html = app.test_client().get(f"/m/{live.slug}").get_data(as_text=True)
    assert "/wall" not in html and "ul.after-links" not in parse(html)


def test_clock_page_renders_for_staff_with_controls(app, meeting):
    demo_agenda(meeting)
    user = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    http, _token = second_client(app, email=user.email)
    page = parse(http.get(f"/m/{meeting.slug}/clock").data)
    assert "section[data-clock-controls]" in page and "section[data-clock]" in page
    assert "div[data-board] form[data-board-settings]" in page
    forget_csrf_cache()
    public = app.test_client().get(f"/m/{meeting.slug}/clock").get_data(as_text=True)
    assert "data-clock-controls" not in public and "data-board-settings" not in public
    assert "[data-clock-controls]" not in parse(public)
    assert "[data-board-settings]" not in parse(public)
    assert csrf_token_from(public)


def test_clock_partials_render_the_warning_and_both_zones(app, meeting):
    items = demo_agenda(meeting)
    now = utcnow()
    meeting.starts_at = now - timedelta(hours=3)
    meeting.planned_end = now - timedelta(hours=1)
    meeting.latest_end = now - timedelta(minutes=30)
    db.session.commit()
    user = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    clock_services.jump_to(staff(user, meeting, RoleKind.ORGANISER), items[5].id,
                           now=now - timedelta(minutes=40))
    http, _token = second_client(app, email=user.email)
    http.set_cookie("tz", "America/Lima")
    html = http.get(f"/m/{meeting.slug}/clock").get_data(as_text=True)
    page = parse(html)
    warning = page.one("[data-clock-controls] [data-clock-warning]")
    assert not warning.has("hidden") and warning.attr("role") == "alert"
    assert "is past the latest acceptable end" in warning.text
    assert "Questions" in html
    assert "min over" in page.one("section[data-clock] [data-clock-overrun]").text
    meeting_zone, viewer_zone = page.one("section[data-clock] [data-clock-end]").text.split(" · ")
    assert "Shanghai" in meeting_zone and "Lima" in viewer_zone




# --- who may see the wall ------------------------------------------------------------------

def wall_status(app, meeting, *, email=None, registration=None) -> int:
    http, _token = second_client(app, email=email, meeting=meeting, registration=registration)
    forget_csrf_cache()
    return http.get(f"/m/{meeting.slug}/wall").status_code


@pytest.mark.parametrize("board_mode", ["open", "read_only", "off"])
@pytest.mark.parametrize("stage", ["upcoming", "ended", "published"])
def test_wall_is_for_staff_and_joined_attendees_until_published(
        app, meeting, me, registration, board_mode, stage):
    """Anonymous visitor, attendee who joined, staff, and everyone once published."""
    from webapp.meetings.models import BoardMode

    services.post(me, "Saludos desde Cusco")
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    other_staff = make_user(meeting=make_meeting(), role=RoleKind.ORGANISER)
    cancelled = make_registration(meeting, status=RegistrationStatus.CANCELLED)
    meeting.board_mode = BoardMode(board_mode)
    if stage != "upcoming":
        meeting.status = MeetingStatus.ENDED
    meeting.wall_published = stage == "published"
    db.session.commit()
    board_on = board_mode != "off"
    public = stage == "published" and board_on
    expected = {
        "anonymous visitor": 200 if public else 404,
        "organiser of another meeting": 200 if public else 404,
        "cancelled registration": 200 if public else 404,
        "attendee who joined": 200 if board_on else 404,
        "moderator": 200,
    }
    seen = {
        "anonymous visitor": wall_status(app, meeting),
        "organiser of another meeting": wall_status(app, meeting, email=other_staff.email),
        "cancelled registration": wall_status(app, meeting, registration=cancelled),
        "attendee who joined": wall_status(app, meeting, registration=registration),
        "moderator": wall_status(app, meeting, email=moderator.email),
    }
    assert seen == expected


def test_organisers_publish_the_wall_from_the_board_settings(app, ended, me):
    from tests.conftest import login

    services.post(me, "Gracias")
    organiser = make_user(meeting=ended, role=RoleKind.ORGANISER)
    assert app.test_client().get(f"/m/{ended.slug}/wall").status_code == 404
    http = app.test_client()
    login(http, organiser.email)
    forget_csrf_cache()
    page = http.get(f"/organiser/meetings/{ended.id}/qa").get_data(as_text=True)
    response = http.post(f"/organiser/meetings/{ended.id}/qa/board", data={
        "board-csrf_token": csrf_token_from(page), "board-mode": "open",
        "board-slow_seconds": "0", "board-publish_wall": "y"})
    assert response.status_code == 302
    db.session.refresh(ended)
    assert ended.wall_published
    forget_csrf_cache()
    assert app.test_client().get(f"/m/{ended.slug}/wall").status_code == 200


def test_transcript_names_askers_only_to_those_who_may_see_who_took_part(
        app, ended, registration):
    """The transcript stays public (it is mailed with the follow-up), its askers' names not."""
    asker = make_registration(ended, name="梁顺", organisation="Sociedad Central")
    make_question(ended, asker, text="¿Vacunas?", status=QuestionStatus.ANSWERED,
                  answered_at=utcnow(), answer_text="Sí")
    moderator = make_user(meeting=ended, role=RoleKind.MODERATOR)
    attendee = make_registration(ended)

    def names_shown(**viewer) -> bool:
        http, _token = second_client(app, meeting=ended, **viewer)
        forget_csrf_cache()
        html = http.get(f"/m/{ended.slug}/transcript").get_data(as_text=True)
        assert "¿Vacunas?" in html
        return "梁顺" in html or "Sociedad Central" in html

    assert not names_shown()
    assert names_shown(registration=attendee)
    assert names_shown(email=moderator.email)
    ended.wall_published = True
    db.session.commit()
    assert names_shown()
