"""The speaker-roles migration keeps every existing link of an item to its speakers, as a
"speaker" in the current order, and its downgrade takes the role away again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.migrations import insert_meeting, migration_app

BEFORE = "a8c3e5f7b9d1"
REVISION = "e5c1a9d3b7f2"


def _check(tmp_path, url):
    from flask_migrate import downgrade, upgrade

    from webapp.extensions import db

    app = migration_app(tmp_path, url)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            insert_meeting(connection)
            connection.execute(sa.text(
                "INSERT INTO agenda_items (id, meeting_id, position, title, description, kind, "
                "planned_minutes, created_at, updated_at) VALUES "
                "(1, 1, 0, '\"Experts\"', '\"\"', 'panel', 60, '2026-01-01', '2026-01-01')"))
            for number in (1, 2, 3):
                connection.execute(sa.text(
                    "INSERT INTO speakers (id, meeting_id, name, title, affiliation, bio, "
                    "created_at, updated_at) VALUES "
                    f"({number}, 1, 'S{number}', '\"\"', '\"\"', '\"\"', '2026-01-01', "
                    "'2026-01-01')"))
            # Positions as an older editor may have left them: a gap, out of id order.
            for speaker, position in ((1, 5), (2, 0), (3, 2)):
                connection.execute(sa.text(
                    "INSERT INTO agenda_item_speakers (agenda_item_id, speaker_id, position) "
                    f"VALUES (1, {speaker}, {position})"))
        upgrade(revision=REVISION)
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT speaker_id, position, role FROM agenda_item_speakers "
                "ORDER BY position")).all()
        assert [tuple(row) for row in rows] == [(2, 0, "speaker"), (3, 1, "speaker"),
                                                (1, 2, "speaker")]
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "UPDATE agenda_item_speakers SET role = 'moderator' WHERE speaker_id = 2"))
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
            connection.execute(sa.text(
                "UPDATE agenda_item_speakers SET role = 'chair' WHERE speaker_id = 3"))
        downgrade(revision=BEFORE)
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("agenda_item_speakers")}
        assert columns == {"agenda_item_id", "speaker_id", "position"}
        with db.engine.connect() as connection:
            assert connection.execute(sa.text(
                "SELECT COUNT(*) FROM agenda_item_speakers")).scalar_one() == 3
        db.engine.dispose()


def test_sqlite_upgrade_and_downgrade(tmp_path):
    _check(tmp_path, f"sqlite:///{tmp_path / 'roles.db'}")


@pytest.mark.postgres
def test_postgres_upgrade_and_downgrade(tmp_path, postgres_url):
    _check(tmp_path, postgres_url)
