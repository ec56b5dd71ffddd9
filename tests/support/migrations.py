"""Applications for migration tests: built from a database URL, upgraded to any revision."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from tests.conftest import base_config


def migration_app(tmp_path, database_url: str, **extra):
    """An application on `database_url` whose tables only the migrations create."""
    from webapp import create_app

    return create_app(base_config(tmp_path, database_url, **extra))


def upgraded_app(tmp_path, database_url: str, revision: str = "head"):
    """`migration_app`, upgraded to `revision`."""
    from flask_migrate import upgrade

    app = migration_app(tmp_path, database_url)
    with app.app_context():
        upgrade(revision=revision)
    return app


def scripts(app) -> ScriptDirectory:
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config)


def first_revision(app) -> str:
    """The revision every chain starts from: walk `down_revision` from the head to the root."""
    directory = scripts(app)
    (revision,) = directory.get_heads()
    while (down := directory.get_revision(revision).down_revision) is not None:
        assert isinstance(down, str), f"{revision} merges several revisions: {down}"
        revision = down
    return revision


def head_revision() -> str:
    """The newest revision of the checkout's migrations (one head)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "migrations"
    (head,) = ScriptDirectory(str(folder)).get_heads()
    return head


#: A meeting row as the schema holds it from revision b5d2f8e3c7a1 on (later revisions add only
#: columns with defaults): what migration tests write before upgrading past their revision.
MEETING_ROW = (
    "INSERT INTO meetings (id, slug, title, description, timezone, starts_at, planned_end, "
    "languages, registration_mode, qa_moderation, qa_open, after_meeting_questions, "
    "anonymous_questions, question_max_length, board_mode, board_slow_seconds, wall_published, "
    "status, retention_days, last_seq, pruned_seq, created_at, updated_at, default_language, "
    "confirmation_text, follow_up_text, partner_timezones) VALUES (1, 'm1', '\"T\"', '\"\"', "
    "'UTC', '2026-12-01 12:00', '2026-12-01 14:00', '[\"en\"]', 'open', 'pre', true, false, "
    "true, 500, 'open', 0, false, :status, 180, 0, 0, '2026-01-01', '2026-01-01', 'en', '\"\"', "
    "'\"\"', '[]')")


def insert_meeting(connection, status: str = "ended") -> int:
    """Write meeting 1 with plain SQL (the models describe the newest schema, not the one under
    test) and return its id."""
    from sqlalchemy import text

    connection.execute(text(MEETING_ROW), {"status": status})
    return 1
