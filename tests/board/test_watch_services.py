"""Watch later: chapters from the agenda clock's actual starts, question offsets, and the
WebVTT and plain chapter files, exactly."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.factories import make_agenda_item, make_meeting, make_question
from tests.support.blns import blns_strings
from webapp.board import watch_services
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus
from webapp.qa.models import QuestionStatus

START = datetime(2026, 11, 20, 13, 0)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture
def recorded(app):
    """Recording began at 13:00; the opening started a minute earlier, the Q&A never ran."""
    meeting = make_meeting(status=MeetingStatus.ENDED, recording_started_at=START,
                           recording_url="https://video.example.org/m/1")
    make_agenda_item(meeting, title="Pre-show", actual_start=at(-5), actual_end=at(-1))
    make_agenda_item(meeting, title="Opening", actual_start=at(-1), actual_end=at(10))
    make_agenda_item(meeting, title="Community", actual_start=at(10), actual_end=at(35.5))
    make_agenda_item(meeting, title="Questions")
    make_agenda_item(meeting, title="Closing", planned_minutes=5,
                     actual_start=at(75), actual_end=at(81 + 1 / 60))
    return meeting


def test_chapters_follow_actual_starts_clamp_to_zero_and_skip_unstarted(recorded):
    chapters = watch_services.chapters(recorded)
    assert [(c.title, c.offset) for c in chapters] == [
        ("Opening", 0), ("Community", 600), ("Closing", 4500)]
    assert chapters[1].started_at == at(10)
    assert watch_services.end_offset(recorded) == 4861


def test_chapters_keep_the_order_the_clock_ran_them_in(app):
    meeting = make_meeting(recording_started_at=START)
    make_agenda_item(meeting, title="Planned first", actual_start=at(20))
    make_agenda_item(meeting, title="Jumped to first", actual_start=at(2), actual_end=at(20))
    assert [(c.title, c.offset) for c in watch_services.chapters(meeting)] == [
        ("Jumped to first", 120), ("Planned first", 1200)]
    # Still running: the last chapter ends after its planned length.
    assert watch_services.end_offset(meeting) == 1200 + 15 * 60


def test_without_a_recording_start_the_first_actual_start_is_zero(app):
    meeting = make_meeting()
    make_agenda_item(meeting, title="A", actual_start=at(3), actual_end=at(8))
    make_agenda_item(meeting, title="B", actual_start=at(8), actual_end=at(9))
    assert [(c.title, c.offset) for c in watch_services.chapters(meeting)] == [("A", 0),
                                                                              ("B", 300)]
    assert watch_services.chapters(make_meeting()) == []
    assert watch_services.chapters_txt(make_meeting()) == ""
    assert watch_services.chapters_vtt(make_meeting()) == "WEBVTT\n"


def test_answered_questions_sit_where_they_were_answered(recorded):
    late = make_question(recorded, text="Late", status=QuestionStatus.ANSWERED,
                         answered_at=at(40.25))
    early = make_question(recorded, text="Early", status=QuestionStatus.ANSWERED,
                          answered_at=at(-3))
    make_question(recorded, text="Open", status=QuestionStatus.LIVE)
    make_question(recorded, text="Dismissed", status=QuestionStatus.DISMISSED,
                  answered_at=at(50))
    marks = watch_services.question_marks(recorded)
    assert [(m.question, m.offset) for m in marks] == [(early, 0), (late, 2415)]


def test_webvtt_cues_end_where_the_next_starts_and_the_last_at_the_actual_end(recorded):
    assert watch_services.chapters_vtt(recorded) == (
        "WEBVTT\n"
        "\n"
        "1\n00:00:00.000 --> 00:10:00.000\nOpening\n"
        "\n"
        "2\n00:10:00.000 --> 01:15:00.000\nCommunity\n"
        "\n"
        "3\n01:15:00.000 --> 01:21:01.000\nClosing\n"
    )


def test_plain_chapter_list_starts_at_zero(app):
    meeting = make_meeting(recording_started_at=START)
    make_agenda_item(meeting, title="Opening", actual_start=at(2), actual_end=at(10))
    make_agenda_item(meeting, title="  Long\nday  ", actual_start=at(10), actual_end=at(70))
    make_agenda_item(meeting, title="Closing", actual_start=at(70.5), actual_end=at(75))
    assert watch_services.chapters_txt(meeting) == (
        "00:00 Opening\n10:00 Long day\n1:10:30 Closing\n")


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.youtube.com/watch?v=abc&t=9", "https://www.youtube.com/watch?v=abc&t=75s"),
    ("https://youtu.be/abc", "https://youtu.be/abc?t=75s"),
    ("https://vimeo.com/123", "https://vimeo.com/123#t=75s"),
    ("https://video.example.org/m/1.mp4#old", "https://video.example.org/m/1.mp4#t=75"),
])
def test_jump_links_use_each_providers_time_parameter(url, expected):
    assert watch_services.jump_url(url, 75) == expected


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "/local", "", None,
                                 "https://[broken/v"])
def test_only_http_recording_links_count(app, url):
    assert watch_services.recording_url(make_meeting(recording_url=url)) is None


@pytest.mark.blns
def test_naughty_titles_never_break_the_chapter_files(app):
    meeting = make_meeting(recording_started_at=START)
    strings = [s for s in blns_strings() if s][:200]
    for minute, text in enumerate(strings):
        make_agenda_item(meeting, title=text[:300], actual_start=at(minute),
                         actual_end=at(minute + 1))
    db.session.refresh(meeting)
    vtt = watch_services.chapters_vtt(meeting).split("\n")
    assert vtt[:2] == ["WEBVTT", ""]
    cues = vtt[2:]
    assert len(cues) == 4 * len(watch_services.chapters(meeting))
    for number in range(0, len(cues), 4):
        identifier, timing, text, blank = cues[number:number + 4]
        assert identifier == str(number // 4 + 1) and blank == ""
        assert " --> " in timing and "-->" not in text and "<" not in text and text
    txt = watch_services.chapters_txt(meeting).splitlines()
    assert len(txt) == len(watch_services.chapters(meeting)) and txt[0].startswith("00:00")
