"""Runtime facts: importing Puente patches nothing; health on PostgreSQL + Redis; first run."""

import re
import subprocess
import sys

import pytest
import requests

from tests.conftest import _make_app, base_config
from tests.support.server import migrate, running_server, server_env


def test_importing_and_building_the_app_patches_nothing():
    code = (
        "import socket, threading\n"
        "from webapp import create_app\n"
        "create_app({'INSTANCE_PATH': '/tmp/puente-import-check'})\n"
        "import eventlet.patcher as p\n"
        "print(p.is_monkey_patched('socket'), p.is_monkey_patched('thread'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False False"


@pytest.mark.postgres
@pytest.mark.redis
def test_healthz_is_green_on_postgres_and_redis(tmp_path, postgres_url, redis_url):
    app = _make_app(base_config(tmp_path, postgres_url, REDIS_URL=redis_url))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["checks"] == {
        "database": {"ok": True, "backend": "postgresql"},
        "message_queue": {"ok": True, "backend": "redis"},
    }


@pytest.mark.server
def test_first_run_prints_a_one_time_setup_link(tmp_path):
    env = server_env(tmp_path / "instance")
    migrate(env)
    with running_server(env) as server:
        match = re.search(r"/setup/(\S+)", server.log())
        assert match, server.log()
        page = requests.get(f"{server.url}/setup/{match.group(1)}", timeout=10)
        assert page.status_code == 200 and "csrf_token" in page.text
        assert requests.get(f"{server.url}/setup/guess", timeout=10).status_code == 404
