"""psycopg2 is green under eventlet: ten one-second queries overlap instead of queueing."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.server import running_server, server_env

pytestmark = [pytest.mark.server, pytest.mark.postgres]


def test_ten_concurrent_pg_sleeps_finish_in_about_one_second(tmp_path, postgres_url):
    env = server_env(tmp_path / "instance", DATABASE_URL=postgres_url)
    with running_server(env, module=("-m", "tests.support.pg_sleep_server")) as server:
        requests.get(f"{server.url}/_probe/pg_sleep", timeout=10)  # warm the pool
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=10) as pool:
            responses = list(pool.map(
                lambda _n: requests.get(f"{server.url}/_probe/pg_sleep", timeout=30), range(10)))
        elapsed = time.monotonic() - started
    print(f"\n10 concurrent SELECT pg_sleep(1) through eventlet: {elapsed:.2f} s")
    assert all(r.status_code == 200 for r in responses)
    assert elapsed < 4, f"queries ran one after another ({elapsed:.1f} s): the driver blocks"
