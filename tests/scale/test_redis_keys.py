"""Every key Puente writes to Redis starts with the site's prefix (issue 20).

Two installations may share one Redis: presence sets, Flask-Limiter's HTTP limits and the
socket commands' limits must all stay under `PUENTE_REDIS_PREFIX`.
"""

from __future__ import annotations

import pytest
import redis
import requests

from tests.support.cluster import start_cluster
from tests.support.live import wait_for

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
        wait_for(lambda: any(":presence:" in key for key in store.keys("*")), timeout=15,
                 interval=0.1, message="presence, written on its own tick")
        keys = store.keys("*")
        assert any(":limits" in key for key in keys), keys
        assert any(":presence:" in key for key in keys), keys
        assert [key for key in keys if not key.startswith("site-a:")] == []
    finally:
        cluster.close()
