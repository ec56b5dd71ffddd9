"""The attendance history migration goes up and down on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.migrations import insert_meeting, migration_app

BEFORE = "b5d2f8e3c7a1"
REVISION = "c8e4a1f7d2b9"


def _check_up_and_down(tmp_path, url):
    from flask_migrate import downgrade, upgrade

    from webapp.extensions import db
    from webapp.meetings.models import Meeting

    app = migration_app(tmp_path, url)
    with app.app_context():
        upgrade(revision=BEFORE)
        assert "presence_samples" not in sa.inspect(db.engine).get_table_names()
        upgrade(revision=REVISION)
        inspector = sa.inspect(db.engine)
        assert "recording_opened_at" in {c["name"] for c in inspector.get_columns("registrations")}
        assert [c["column_names"] for c in inspector.get_unique_constraints("presence_samples")
                ] == [["meeting_id", "bucket"]]
        meeting_id = insert_meeting(db.session)
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
