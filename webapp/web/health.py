"""What /healthz asks the database and Redis, on connections of its own.

A crowd joining at once can hold every pooled database connection for seconds. A check that
queued behind it would wait the pool's timeout and then call a working process unhealthy, and
a load balancer would take the process out of rotation in the middle of the storm. So the
check opens a connection of its own each time: a few a minute per process.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from webapp.extensions import db

#: Where an application keeps the engine of its health checks.
_ENGINE_KEY = "puente_health_engine"
#: Seconds a check waits for a database or Redis answer.
CHECK_TIMEOUT = 2


def _engine():
    engine = current_app.extensions.get(_ENGINE_KEY)
    if engine is None:
        url = db.engine.url
        waits = ({"connect_timeout": CHECK_TIMEOUT} if url.get_backend_name() == "postgresql"
                 else {"timeout": CHECK_TIMEOUT})
        engine = create_engine(url, poolclass=NullPool, connect_args=waits)
        current_app.extensions[_ENGINE_KEY] = engine
    return engine


def check_database() -> dict:
    """The database part of the health check, outside the application's pool."""
    try:
        with _engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # report, never raise, from a health check
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "backend": db.engine.dialect.name}


def check_message_queue() -> dict | None:
    """The Redis part of the health check (None without Redis)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    import redis  # optional: only with REDIS_URL

    try:
        redis.Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT,
                             socket_timeout=CHECK_TIMEOUT).ping()
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "backend": "redis"}
