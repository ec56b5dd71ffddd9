"""An eventlet-served Puente with one extra route that sleeps in PostgreSQL.

Run as `python -m tests.support.pg_sleep_server serve --port N` with DATABASE_URL set: it
patches exactly as `python -m webapp serve` does, then proves psycopg2 yields to other
greenlets while a query waits.
"""

import eventlet

eventlet.monkey_patch()

import sys  # noqa: E402

from flask import Blueprint, jsonify  # noqa: E402
from sqlalchemy import text  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.extensions import csrf, db, socketio  # noqa: E402

probe = Blueprint("probe", __name__)


@probe.get("/_probe/pg_sleep")
@csrf.exempt
def pg_sleep():
    db.session.execute(text("SELECT pg_sleep(1)"))
    return jsonify(ok=True)


def main() -> None:
    port = int(sys.argv[sys.argv.index("--port") + 1])
    app = create_app()
    app.register_blueprint(probe)
    socketio.run(app, host="127.0.0.1", port=port, log_output=False, max_size=2000)


if __name__ == "__main__":
    main()
