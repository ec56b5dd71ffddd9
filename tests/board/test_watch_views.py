"""The watch-later page and the chapter downloads: who sees them, the jump links, and
naughty strings in titles and links."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.factories import (
    make_agenda_item,
    make_meeting,
    make_question,
    make_registration,
    make_user,
)
from tests.support.blns import blns_strings
from tests.support.html import parse
from tests.support.people import second_client
from webapp.accounts.models import RoleKind
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus
from webapp.qa.models import QuestionStatus

START = datetime(2026, 11, 20, 13, 0)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture
def recorded(app):
    meeting = make_meeting(status=MeetingStatus.ENDED, timezone="America/Lima",
                           starts_at=START, recording_started_at=START,
                           recording_url="https://www.youtube.com/watch?v=pb10")
    make_agenda_item(meeting, title="Apertura", actual_start=at(-1), actual_end=at(10))
    make_agenda_item(meeting, title="交流", actual_start=at(10), actual_end=at(40))
    make_agenda_item(meeting, title="Never ran")
    make_question(meeting, text="¿Cuándo?", status=QuestionStatus.ANSWERED, answered_at=at(12.5))
    return meeting


def test_watch_page_lists_chapters_and_questions_with_jump_links(client, recorded):
    response = client.get(f"/m/{recorded.slug}/watch")
    assert response.status_code == 200
    page = parse(response.data)
    assert page.one("h1").text == "Watch later"
    assert page.one(".watch-recording a").attr("href") == recorded.recording_url
    chapters = page.all("li.watch-chapter")
    assert [c.one("a").text for c in chapters] == ["00:00:00 Apertura", "00:10:00 交流"]
    assert [c.one("a").attr("href") for c in chapters] == [
        "https://www.youtube.com/watch?v=pb10&t=0s",
        "https://www.youtube.com/watch?v=pb10&t=600s"]
    assert chapters[1].one("time.dual-time").attr("datetime").startswith("2026-11-20T")
    assert "Lima" in chapters[1].one("time .meeting-time").text
    question = page.one("li.watch-question a")
    assert question.text == "00:12:30 ¿Cuándo?"
    assert question.attr("href") == "https://www.youtube.com/watch?v=pb10&t=750s"
    downloads = [a.attr("href") for a in page.all(".watch-downloads a")]
    assert downloads == [f"/m/{recorded.slug}/chapters.vtt", f"/m/{recorded.slug}/chapters.txt"]
    meeting_page = parse(client.get(f"/m/{recorded.slug}").data)
    assert meeting_page.one("a[data-after=watch]").attr("href") == f"/m/{recorded.slug}/watch"


def test_chapter_downloads(client, recorded):
    vtt = client.get(f"/m/{recorded.slug}/chapters.vtt")
    assert vtt.status_code == 200 and vtt.mimetype == "text/vtt"
    assert vtt.get_data(as_text=True) == (
        "WEBVTT\n\n1\n00:00:00.000 --> 00:10:00.000\nApertura\n\n"
        "2\n00:10:00.000 --> 00:40:00.000\n交流\n")
    txt = client.get(f"/m/{recorded.slug}/chapters.txt")
    assert txt.mimetype == "text/plain"
    assert txt.get_data(as_text=True) == "00:00 Apertura\n10:00 交流\n"


def test_other_providers_get_a_media_fragment(client, recorded):
    recorded.recording_url = "https://video.example.org/pb-10.mp4"
    db.session.commit()
    page = parse(client.get(f"/m/{recorded.slug}/watch").data)
    assert page.one("li.watch-question a").attr("href") == \
        "https://video.example.org/pb-10.mp4#t=750"


@pytest.mark.parametrize("change", ["draft", "published", "no_recording", "javascript"])
def test_no_page_without_an_ended_visible_meeting_with_an_http_recording(client, recorded,
                                                                         change):
    if change == "draft":
        recorded.status = MeetingStatus.DRAFT
    elif change == "published":
        recorded.status = MeetingStatus.PUBLISHED
    elif change == "no_recording":
        recorded.recording_url = None
    else:
        recorded.recording_url = "javascript:alert(1)"
    db.session.commit()
    for path in ("watch", "chapters.vtt", "chapters.txt"):
        assert client.get(f"/m/{recorded.slug}/{path}").status_code == 404
    assert client.get("/m/nope/watch").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "attendee", "organiser", "other_moderator"])
def test_whoever_sees_the_transcript_sees_the_watch_page(app, recorded, who):
    email = None
    if who == "organiser":
        email = make_user(meeting=recorded, role=RoleKind.ORGANISER).email
    elif who == "other_moderator":
        email = make_user(meeting=make_meeting(), role=RoleKind.MODERATOR).email
    registration = make_registration(recorded) if who == "attendee" else None
    http, _token = second_client(app, email=email, meeting=recorded, registration=registration)
    transcript = http.get(f"/m/{recorded.slug}/transcript").status_code
    assert http.get(f"/m/{recorded.slug}/watch").status_code == transcript == 200


def test_draft_watch_page_is_hidden_even_from_other_staff(app, recorded):
    recorded.status = MeetingStatus.DRAFT
    db.session.commit()
    email = make_user(meeting=make_meeting(), role=RoleKind.ORGANISER).email
    http, _token = second_client(app, email=email)
    assert http.get(f"/m/{recorded.slug}/watch").status_code == 404


@pytest.mark.blns
def test_naughty_titles_and_links_never_break_the_page(client, recorded):
    strings = [s for s in blns_strings() if s.strip()][:120]
    for text in strings:
        recorded.agenda_items[0].title = text[:300]
        recorded.recording_url = "https://video.example.org/v?q=" + text[:400]
        db.session.commit()
        response = client.get(f"/m/{recorded.slug}/watch")
        assert response.status_code == 200, text
        page = parse(response.data)
        links = [a.attr("href") for a in page.all("li.watch-chapter a")]
        assert all(link.startswith("https://video.example.org/v?q=") for link in links), text
        assert page.all("li.watch-chapter")[0].one("a").text.startswith("00:00:00")
        vtt = client.get(f"/m/{recorded.slug}/chapters.vtt").get_data(as_text=True)
        assert vtt.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:10:00.000\n"), text
        assert len(vtt.split("\n")) == 2 + 4 * 2, text


@pytest.mark.parametrize(("url", "player"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5s",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://www.youtube.com/live/dQw4w9WgXcQ",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
])
def test_youtube_and_vimeo_recordings_play_in_the_page(client, recorded, url, player):
    recorded.recording_url = url
    db.session.commit()
    response = client.get(f"/m/{recorded.slug}/watch")
    frame = parse(response.data).one(".watch-player iframe")
    assert frame.attr("src") == player
    assert frame.attr("title") == f"Recording of {recorded.title}"
    # The policy lets this page frame that one player and nothing else; the rest is unchanged.
    policy = response.headers["Content-Security-Policy"]
    origin = player.split("/embed/")[0].split("/video/")[0]
    assert policy.endswith(f"; frame-src {origin}")
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("url", [
    "https://video.example.org/pacific-bridge-10",
    "https://www.youtube.com/watch?v=short",  # not a YouTube id
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ\"><script>",
    "https://vimeo.com/channels/staffpicks",
])
def test_other_recordings_are_a_link_and_the_page_frames_nothing(client, recorded, url):
    recorded.recording_url = url
    db.session.commit()
    response = client.get(f"/m/{recorded.slug}/watch")
    assert response.status_code == 200
    assert "iframe" not in parse(response.data)
    assert "frame-src" not in response.headers["Content-Security-Policy"]
