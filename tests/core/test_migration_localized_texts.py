"""Organiser texts written before meetings had languages move into the default language.

The rows are written with SQL at the revision before, as an existing site holds them; the
upgrade must leave each text readable in the meeting's default language, on both databases,
and the downgrade must give the plain text back.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.support.migrations import migration_app

BEFORE = "e2b8c4d1f6a3"


def _seed_legacy_rows(connection):
    run = lambda sql, **params: connection.execute(sa.text(sql), params)  # noqa: E731
    run("INSERT INTO series (id, slug, title, description, created_at, updated_at) "
        "VALUES (1, 'exchange', 'China–Peru exchange', '', '2026-01-01', '2026-01-01')")
    for meeting_id, languages in ((1, '["zh_Hans", "es"]'), (2, '["pt"]')):
        run("INSERT INTO meetings (id, slug, series_id, title, description, timezone, starts_at, "
            "planned_end, languages, registration_mode, qa_moderation, qa_open, "
            "after_meeting_questions, anonymous_questions, question_max_length, board_mode, "
            "board_slow_seconds, wall_published, status, retention_days, last_seq, pruned_seq, "
            "created_at, updated_at) VALUES (:id, :slug, 1, :title, 'Line one\nline two', "
            "'Asia/Shanghai', '2026-12-01 12:00', '2026-12-01 14:00', :languages, 'open', "
            "'pre', true, false, true, 500, 'open', 0, false, 'published', 180, 0, 0, "
            "'2026-01-01', '2026-01-01')",
            id=meeting_id, slug=f"m{meeting_id}", title='{"en": "looks like JSON"}',
            languages=languages)
    run("INSERT INTO agenda_items (id, meeting_id, position, title, description, kind, "
        "planned_minutes, created_at, updated_at) VALUES (1, 1, 0, '开幕致辞', '', 'opening', 10, "
        "'2026-01-01', '2026-01-01')")
    run("INSERT INTO speakers (id, meeting_id, name, title, affiliation, bio, created_at, "
        "updated_at) VALUES (1, 1, 'Merino', 'Embajador', 'Cancillería', '', '2026-01-01', "
        "'2026-01-01')")
    run("INSERT INTO meeting_organisations (id, meeting_id, name, role, position) "
        "VALUES (1, 2, 'Asociación', 'host', 0)")
    run("INSERT INTO registration_questions (id, meeting_id, position, label, help_text, kind, "
        "choices, required, created_at, updated_at) VALUES (1, 1, 0, '¿Interpretación?', "
        "'', 'choice', :choices, false, '2026-01-01', '2026-01-01')",
        choices=json.dumps(["Sí", "No"]))


def _check_upgrade_and_downgrade(tmp_path, url):
    from flask_migrate import downgrade, upgrade

    from webapp.agenda.models import AgendaItem, Speaker
    from webapp.core.i18n_text import LocalizedText
    from webapp.extensions import db
    from webapp.meetings.models import Meeting, MeetingOrganisation, Series
    from webapp.registration.models import RegistrationQuestion

    app = migration_app(tmp_path, url)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _seed_legacy_rows(connection)
        upgrade()  # through this revision to the head, where the models are

        first, second = db.session.get(Meeting, 1), db.session.get(Meeting, 2)
        assert (first.default_language, second.default_language) == ("zh_Hans", "en")
        assert first.title == LocalizedText({"zh_Hans": '{"en": "looks like JSON"}'})
        assert first.description.get("zh_Hans") == "Line one\nline two"
        assert first.confirmation_text == LocalizedText("")
        assert db.session.get(AgendaItem, 1).title.languages == ["zh_Hans"]
        speaker = db.session.get(Speaker, 1)
        assert speaker.affiliation.get("zh_Hans") == "Cancillería"
        assert not speaker.bio
        assert db.session.get(MeetingOrganisation, 1).name.languages == ["en"]
        assert db.session.get(Series, 1).title.get("zh_Hans") == "China–Peru exchange"
        question = db.session.get(RegistrationQuestion, 1)
        assert question.choices == [{"zh_Hans": "Sí"}, {"zh_Hans": "No"}]
        assert [key for key, _label in question.options()] == ["Sí", "No"]
        db.session.remove()

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            title, = connection.execute(sa.text("SELECT title FROM meetings WHERE id = 1")).one()
            choices, = connection.execute(
                sa.text("SELECT choices FROM registration_questions")).one()
        assert title == '{"en": "looks like JSON"}'
        assert (json.loads(choices) if isinstance(choices, str) else choices) == ["Sí", "No"]
        db.engine.dispose()


def test_sqlite_texts_move_into_the_default_language(tmp_path):
    _check_upgrade_and_downgrade(tmp_path, f"sqlite:///{tmp_path / 'legacy.db'}")


@pytest.mark.postgres
def test_postgres_texts_move_into_the_default_language(tmp_path, postgres_url):
    _check_upgrade_and_downgrade(tmp_path, postgres_url)
