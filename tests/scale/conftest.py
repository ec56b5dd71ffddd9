"""Two Puente processes sharing one PostgreSQL database and one Redis (tests/support/cluster.py)."""

from __future__ import annotations

import shutil

import pytest

from tests.support.cluster import REDIS_SERVER, OwnRedis, start_cluster


@pytest.fixture
def cluster(tmp_path, postgres_url, redis_url):
    running = start_cluster(tmp_path, postgres_url, redis_url)
    yield running
    running.close()


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which(REDIS_SERVER):
        pytest.skip("redis-server is not installed")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()
