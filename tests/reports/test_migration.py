"""The report's migration adds `meeting_reports` and `posts.quoted_at` on top of existing
posts, and its downgrade takes them away again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.migrations import insert_meeting, migration_app

BEFORE = "c8e4a1f7d2b9"
REVISION = "c4e8a2d6f1b3"


def _check(tmp_path, url):
    from flask_migrate import downgrade, upgrade

    from webapp.extensions import db

    app = migration_app(tmp_path, url)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            insert_meeting(connection)
            connection.execute(sa.text(
                "INSERT INTO posts (id, meeting_id, text, pinned, hidden, reactions_version, "
                "created_at, updated_at) VALUES (1, 1, '¡Gracias!', false, false, 0, "
                "'2026-12-01 13:00', '2026-12-01 13:00')"))
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT quoted_at FROM posts WHERE id = 1")).scalar_one() is None
            assert connection.execute(sa.text(
                "SELECT COUNT(*) FROM meeting_reports")).scalar_one() == 0
        downgrade(revision=BEFORE)
        inspector = sa.inspect(db.engine)
        assert "meeting_reports" not in inspector.get_table_names()
        assert "quoted_at" not in {c["name"] for c in inspector.get_columns("posts")}
        db.engine.dispose()


def test_sqlite_upgrade_and_downgrade(tmp_path):
    _check(tmp_path, f"sqlite:///{tmp_path / 'report.db'}")


@pytest.mark.postgres
def test_postgres_upgrade_and_downgrade(tmp_path, postgres_url):
    _check(tmp_path, postgres_url)


def _check_attendance_note(tmp_path, url):
    from flask_migrate import downgrade, upgrade

    from webapp.extensions import db

    app = migration_app(tmp_path, url)
    with app.app_context():
        upgrade(revision=REVISION)
        with db.engine.begin() as connection:
            insert_meeting(connection)
            connection.execute(sa.text(
                "INSERT INTO meeting_reports (meeting_id, created_at, updated_at) "
                "VALUES (1, '2026-12-01', '2026-12-01')"))
        upgrade(revision=ATTENDANCE_NOTE)
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT attendance_note FROM meeting_reports")).scalar_one() == '""'
        downgrade(revision=REVISION)
        assert "attendance_note" not in {
            c["name"] for c in sa.inspect(db.engine).get_columns("meeting_reports")}
        db.engine.dispose()


ATTENDANCE_NOTE = "d7b3e9a1c5f2"


def test_sqlite_attendance_note(tmp_path):
    _check_attendance_note(tmp_path, f"sqlite:///{tmp_path / 'note.db'}")


@pytest.mark.postgres
def test_postgres_attendance_note(tmp_path, postgres_url):
    _check_attendance_note(tmp_path, postgres_url)
