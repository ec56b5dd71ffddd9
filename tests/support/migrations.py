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
