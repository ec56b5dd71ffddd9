"""The attendance history migration goes up and down on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import base_config

BEFORE = "b5d2f8e3c7a1"
REVISION = "c8e4a1f7d2b9"


def _check_up_and_down(tmp_path, url):
    from flask_migrate import downgrade, upgrade

    from webapp import create_app
    from webapp.extensions import db
    from webapp.meetings.models import Meeting

    app = create_app(base_config(tmp_path, url))
    with app.app_context():
        upgrade(revision=BEFORE)
        assert "presence_samples" not in sa.inspect(db.engine).get_table_names()
        upgrade(revision=REVISION)
        inspector = sa.inspect(db.engine)
        assert "recording_opened_at" in {c["name"] for c in inspector.get_columns("registrations")}
        assert [c["column_names"] for c in inspector.get_unique_constraints("presence_samples")
                ] == [["meeting_id", "bucket"]]
        # Plain SQL: the models describe the newest schema, not this revision's.
        meeting_id = 1
        db.session.execute(sa.text(
            "INSERT INTO meetings (id, slug, title, description, timezone, starts_at, "
            "planned_end, languages, registration_mode, qa_moderation, qa_open, "
            "after_meeting_questions, anonymous_questions, question_max_length, "
            "board_mode, board_slow_seconds, wall_published, status, retention_days, "
            "last_seq, pruned_seq, created_at, updated_at, default_language, "
            "confirmation_text, follow_up_text, partner_timezones) VALUES (1, 'm1', "
            "'\"T\"', '\"\"', 'UTC', '2026-12-01 12:00', '2026-12-01 14:00', '[]', 'open', "
            "'pre', true, false, true, 500, 'open', 0, false, 'ended', 180, 0, 0, "
            "'2026-01-01', '2026-01-01', 'en', '\"\"', '\"\"', '[]')"))
        insert = sa.text("INSERT INTO presence_samples (meeting_id, bucket, at, attendees_online) "
                         "VALUES (:m, '2026-12-01 12:00:00', :at, :n)")
        db.session.execute(insert, {"m": meeting_id, "at": "2026-12-01 12:00:05", "n": 4})
        db.session.commit()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(insert, {"m": meeting_id, "at": "2026-12-01 12:00:09", "n": 5})
        db.session.rollback()
        db.session.remove()
        downgrade(revision=BEFORE)
        inspector = sa.inspect(db.engine)
        assert "presence_samples" not in inspector.get_table_names()
        assert "recording_opened_at" not in {
            c["name"] for c in inspector.get_columns("registrations")}
        upgrade()
        assert db.session.get(Meeting, meeting_id) is not None
        assert "presence_samples" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_sqlite_attendance_history_up_and_down(tmp_path):
    _check_up_and_down(tmp_path, f"sqlite:///{tmp_path / 'attendance.db'}")


@pytest.mark.postgres
def test_postgres_attendance_history_up_and_down(tmp_path, postgres_url):
    _check_up_and_down(tmp_path, postgres_url)
