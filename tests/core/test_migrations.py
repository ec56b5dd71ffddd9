"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

A model change without its migration would pass every other test (they create tables from
the models) and then fail on the first `puente db upgrade` of a real site.
"""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.support.migrations import scripts, upgraded_app


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


def test_migrations_have_one_head(tmp_path):
    app = upgraded_app(tmp_path, f"sqlite:///{tmp_path / 'heads.db'}")
    assert len(scripts(app).get_heads()) == 1, "several migration heads: chain the new revisions"


def test_sqlite_migrations_equal_the_models(tmp_path):
    app = upgraded_app(tmp_path, f"sqlite:///{tmp_path / 'migrated.db'}")
    assert _differences(app) == []


@pytest.mark.postgres
def test_postgres_migrations_equal_the_models(tmp_path, postgres_url):
    app = upgraded_app(tmp_path, postgres_url)
    assert _differences(app) == []
