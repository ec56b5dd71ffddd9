"""The pictures migration (c4e7a9d2f1b6) goes up and down on SQLite and PostgreSQL, keeping
the rows that were there and giving a stored picture back to its speaker."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.migrations import insert_meeting, migration_app

BEFORE = "d7b3e9a1c5f2"
REVISION = "c4e7a9d2f1b6"


def _check_up_and_down(tmp_path, url):
    from flask_migrate import downgrade, upgrade

    from webapp.extensions import db

    app = migration_app(tmp_path, url)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            insert_meeting(connection, status="published")
            connection.execute(sa.text(
                "INSERT INTO speakers (id, meeting_id, name, title, affiliation, bio, "
                "created_at, updated_at) VALUES (1, 1, 'Rosa', '\"\"', '\"\"', '\"\"', "
                "'2026-01-01', '2026-01-01')"))
        upgrade(revision=REVISION)
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO stored_images (id, sha256, width, height, created_at) "
                "VALUES (1, :sha, 10, 10, '2026-01-01')"), {"sha": "a" * 64})
            connection.execute(sa.text(
                "INSERT INTO stored_image_variants (image_id, size, mime, width, height, data, "
                "etag) VALUES (1, 'thumb', 'image/webp', 10, 10, :data, :etag)"),
                {"data": b"RIFF", "etag": "b" * 64})
            connection.execute(sa.text("UPDATE speakers SET photo_id = 1 WHERE id = 1"))
            connection.execute(sa.text("UPDATE meetings SET accent_colour = '#0b5d4b', "
                                       "banner_id = 1 WHERE id = 1"))
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT photo_id FROM speakers WHERE id = 1")).scalar() == 1
            # Deleting the picture leaves its owners, without it.
        with db.engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.execute(sa.text("PRAGMA foreign_keys = ON"))
            connection.execute(sa.text("DELETE FROM stored_images WHERE id = 1"))
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT photo_id FROM speakers WHERE id = 1")).scalar() is None
            assert connection.execute(sa.text(
                "SELECT count(*) FROM stored_image_variants")).scalar() == 0

        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns("speakers")}
            tables = set(sa.inspect(connection).get_table_names())
            name = connection.execute(sa.text("SELECT name FROM speakers")).scalar()
        assert "photo_id" not in columns and name == "Rosa"
        assert "stored_images" not in tables and "stored_image_variants" not in tables
        upgrade()  # and up again to the head
        db.engine.dispose()


def test_sqlite_pictures_migration_up_and_down(tmp_path):
    _check_up_and_down(tmp_path, f"sqlite:///{tmp_path / 'pictures.db'}")


@pytest.mark.postgres
def test_postgres_pictures_migration_up_and_down(tmp_path, postgres_url):
    _check_up_and_down(tmp_path, postgres_url)
