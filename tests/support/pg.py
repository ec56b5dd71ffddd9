"""Throw-away PostgreSQL databases for tests."""

from __future__ import annotations

import contextlib
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg2


def admin_connection(url: str):
    """An autocommit connection to the server of `url` (for CREATE and DROP DATABASE)."""
    connection = psycopg2.connect(url, connect_timeout=5)
    connection.autocommit = True
    return connection


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@contextlib.contextmanager
def temporary_database(url: str, prefix: str = "puente_test"):
    """Create an empty database, yield its URL, drop it afterwards."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    connection = admin_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield with_database(url, name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()
