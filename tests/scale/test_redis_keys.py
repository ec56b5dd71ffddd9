"""Every key Puente writes to Redis starts with the site's prefix (issue 20).

Two installations may share one Redis: presence sets, Flask-Limiter's HTTP limits and the
socket commands' limits must all stay under `PUENTE_REDIS_PREFIX`.
"""

from __future__ import annotations

import time

import pytest
import redis
import requests

from tests.scale.conftest import start_cluster

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]


def test_every_redis_key_carries_the_site_prefix(tmp_path, postgres_url, own_redis):
    cluster = start_cluster(tmp_path, postgres_url, own_redis.url,
                            PUENTE_REDIS_PREFIX="site-a")
    try:
        qid = cluster.post(0, "/_probe/question", meeting=cluster.meeting)["id"]
        people = cluster.attendees(2)
        for index, person in enumerate(people):
            client, _recorder, _ack = cluster.connect(index, person)
            assert client.call("vote", {"question_id": qid, "voted": True}, timeout=10)["ok"]
        cluster.staff(1)  # a login: Flask-Limiter counts it
        requests.post(f"{cluster.a.url}/login", data={}, timeout=10)
        store = redis.Redis.from_url(own_redis.url, decode_responses=True)
        deadline = time.monotonic() + 15  # presence is written on its own tick
        while not any(":presence:" in key for key in store.keys("*")) \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        keys = store.keys("*")
        assert any(":limits" in key for key in keys), keys
        assert any(":presence:" in key for key in keys), keys
        assert [key for key in keys if not key.startswith("site-a:")] == []
    finally:
        cluster.close()
