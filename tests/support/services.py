"""Real services for the outer test tiers: skip locally when absent, fail under CI=true."""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlsplit

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get(
    "PUENTE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("PUENTE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CHROMIUM = os.environ.get("PUENTE_TEST_CHROMIUM", "/usr/bin/chromium")


def unavailable(what: str, reason: str):
    """Skip with a clear reason on a laptop; fail in CI, where every tier must run."""
    message = f"{what} unavailable: {reason}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: every test tier must run)", pytrace=False)
    pytest.skip(message)


def port_open(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=1):
            return True
    except OSError:
        return False


def require_postgres() -> str:
    if not port_open(POSTGRES_URL):
        unavailable("PostgreSQL", f"nothing listens at {POSTGRES_URL}")
    return POSTGRES_URL


def require_redis() -> str:
    if not port_open(REDIS_URL):
        unavailable("Redis", f"nothing listens at {REDIS_URL}")
    return REDIS_URL


def require_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        unavailable("Chromium", f"{CHROMIUM} is not installed (apt-get install chromium)")
    return CHROMIUM
