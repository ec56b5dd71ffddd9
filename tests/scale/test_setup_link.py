"""One first-run setup link for the site, whichever process prints it (issue 20)."""

from __future__ import annotations

import re

import pytest
import requests

from tests.support.server import run_cli, running_server, server_env

pytestmark = [pytest.mark.server, pytest.mark.postgres]


def test_two_processes_print_the_same_link_and_it_works_on_either(tmp_path, postgres_url):
    # Separate instance folders, as on two machines; one database and one SECRET_KEY.
    shared = {"DATABASE_URL": postgres_url, "SECRET_KEY": "s" * 40}
    first = server_env(tmp_path / "one", **shared)
    second = server_env(tmp_path / "two", **shared)
    assert run_cli(first, "db", "upgrade").returncode == 0
    with running_server(first) as a, running_server(second) as b:
        links = [re.search(r"/setup/(\S+)", server.log()) for server in (a, b)]
        assert all(links), (a.log(), b.log())
        tokens = {match.group(1) for match in links}
        assert len(tokens) == 1, tokens
        [token] = tokens
        for server in (a, b):
            assert requests.get(f"{server.url}/setup/{token}", timeout=10).status_code == 200
        assert requests.get(f"{a.url}/setup/{'x' * len(token)}", timeout=10).status_code == 404
