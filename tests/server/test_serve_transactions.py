"""A serving process keeps no transaction open: migrations and VACUUM are not held back.

`puente serve` keeps its application context for the whole of `socketio.run`; a start-up query
left in its session would hold a lock on `users` for the life of the process.
"""

from __future__ import annotations

import psycopg2
import pytest

from tests.support.live import wait_for
from tests.support.server import run_cli, running_server, server_env

pytestmark = [pytest.mark.server, pytest.mark.postgres]


def _connections(admin, database: str) -> list[tuple]:
    """(pid, state, query) of Puente's connections to `database`, but this test's own."""
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, query FROM pg_stat_activity WHERE datname = %s "
            "AND application_name = 'puente' AND pid <> pg_backend_pid()", (database,))
        return cursor.fetchall()


@pytest.mark.parametrize("first_run", [True, False], ids=["first-run", "with-an-account"])
def test_a_serving_process_leaves_no_transaction_open(tmp_path, postgres_url, first_run):
    env = server_env(tmp_path / "instance", DATABASE_URL=postgres_url)
    result = run_cli(env, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    if not first_run:
        result = run_cli(env, "users", "create", "--email", "ana@example.org", "--name", "Ana",
                         "--admin", "--password-stdin", stdin="a very long secret\n")
        assert result.returncode == 0, result.stderr
    admin = psycopg2.connect(postgres_url, connect_timeout=5)
    admin.autocommit = True
    try:
        database = admin.get_dsn_parameters()["dbname"]
        with running_server(env) as server:
            # Start-up is over (the process answers /healthz); the setup link is printed on a
            # first run only.
            assert ("/setup/" in server.log()) == first_run, server.log()
            assert _connections(admin, database), "the server holds no connection at all"

            def nothing_idle_in_transaction():
                rows = _connections(admin, database)
                return not [row for row in rows if row[1] == "idle in transaction"]

            wait_for(nothing_idle_in_transaction,
                     message=lambda: f"open transactions: {_connections(admin, database)}")
            # A migration altering the tables start-up read gets its lock while the process
            # runs.
            with admin.cursor() as cursor:
                for table in ("users", "setup_tokens"):
                    cursor.execute("BEGIN")
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                    cursor.execute(f"ALTER TABLE {table} ADD COLUMN lock_probe integer")
                    cursor.execute("ROLLBACK")
            assert server.process.poll() is None
    finally:
        admin.close()
