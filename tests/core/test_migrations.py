"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

A model change without its migration would pass every other test (they create tables from
the models) and then fail on the first `puente db upgrade` of a real site.
"""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from tests.conftest import base_config


def _upgraded_app(tmp_path, database_url):
    from flask_migrate import upgrade

    from webapp import create_app

    app = create_app(base_config(tmp_path, database_url))
    with app.app_context():
        upgrade()
    return app


def _differences(app) -> list:
    from webapp.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    with app.app_context():
        db.engine.dispose()
    return differences


def _heads(app) -> tuple:
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
    return tuple(ScriptDirectory.from_config(config).get_heads())


def test_migrations_have_one_head(tmp_path):
    app = _upgraded_app(tmp_path, f"sqlite:///{tmp_path / 'heads.db'}")
    assert len(_heads(app)) == 1, "several migration heads: chain the new revisions"


def test_sqlite_migrations_equal_the_models(tmp_path):
    app = _upgraded_app(tmp_path, f"sqlite:///{tmp_path / 'migrated.db'}")
    assert _differences(app) == []


@pytest.mark.postgres
def test_postgres_migrations_equal_the_models(tmp_path, postgres_url):
    app = _upgraded_app(tmp_path, postgres_url)
    assert _differences(app) == []
