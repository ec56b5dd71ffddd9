"""The demo is a trilingual meeting: every organiser text, question and announcement in
Chinese, Spanish and English, as the China–Peru exchange it models."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp.accounts.models import MeetingRole, RoleKind, User
from webapp.board.models import Post
from webapp.core.i18n_text import localized
from webapp.demo.loader import INTERPRETER_EMAIL, load_demo
from webapp.extensions import db
from webapp.meetings import content
from webapp.qa.models import Question
from webapp.registration.models import Registration

LANGUAGES = ("zh_Hans", "es", "en")


def _untranslated(meeting) -> list[str]:
    """Each organiser text lacking one of the three languages, named for the failure."""
    texts = content.texts(meeting)
    assert len(texts) > 40  # titles, descriptions, agenda, speakers, organisations, form
    missing = []
    for owner, attribute in texts:
        value = localized(getattr(owner, attribute))
        if value.is_plain or not all(value.has(lang) for lang in LANGUAGES):
            missing.append(f"{owner!r}.{attribute}: {value!r}")
    return missing


def _check_demo() -> None:
    result = load_demo()
    series = result.series
    assert all(localized(series.title).has(lang) and localized(series.description).has(lang)
               for lang in LANGUAGES)
    for meeting in result.meetings:
        db.session.refresh(meeting)
        assert meeting.languages == list(LANGUAGES)
        assert meeting.default_language == "zh_Hans"
        assert meeting.content_languages[0] == "zh_Hans"
        assert meeting.zones == ("Asia/Shanghai", "America/Lima")
        assert _untranslated(meeting) == []
        # The default language comes first, so a reader of a fourth language gets Chinese.
        assert localized(meeting.title).languages[0] == "zh_Hans"
        assert localized(meeting.title).localize("fr").startswith("太平洋之桥")
        assert localized(meeting.title).localize("en").startswith("Pacific Bridge")

    past = result.meetings[0]
    interpreter = db.session.scalar(select(User).where(User.email == INTERPRETER_EMAIL))
    assert {r.role for r in db.session.scalars(select(MeetingRole).where(
        MeetingRole.user_id == interpreter.id))} == {RoleKind.INTERPRETER}
    questions = db.session.scalars(select(Question).where(Question.meeting_id == past.id)).all()
    assert {q.language for q in questions} >= {"zh_Hans", "es"}
    for question in questions:
        others = set(LANGUAGES) - {question.language}
        assert set(question.translations) == others, question.text
        assert all(entry["machine"] is False and entry["by"] == interpreter.id
                   for entry in question.translations.values())
        # Each asker writes in the language they registered with, and their name fits it.
        asker = db.session.get(Registration, question.registration_id)
        assert asker.language == question.language
        if question.language == "zh_Hans":
            assert all("\u4e00" <= ch <= "\u9fff" for ch in asker.name)
    answered = [q for q in questions if q.answer_text]
    assert answered and all(set(q.answer_translations) == set(LANGUAGES) - {q.language}
                            for q in answered)
    announcement = db.session.scalar(select(Post).where(
        Post.meeting_id == past.id, Post.registration_id.is_(None)))
    assert announcement.pinned and set(announcement.translations) == {"es", "en"}
    assert announcement.translations["es"]["by"] == interpreter.id


def test_the_demo_is_trilingual(app):
    _check_demo()


@pytest.mark.postgres
def test_the_demo_loads_on_postgres(pg_app):
    _check_demo()
    db.session.expire_all()
    assert load_demo().created is False  # and a second load changes nothing
