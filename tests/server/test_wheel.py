"""Puente installs from its wheel alone: no checkout, no Node.js.

The wheel is built from a copy of the checkout as `make wheel` builds it (the build backend's
hook copies templates/, static/ and migrations/ into the package and compiles the catalogues),
installed with pip into a new virtual environment outside the checkout (its dependencies come
from the package index, so the wheel's own list of them is what gets tested), and run from an
empty folder: `puente db upgrade`, `puente demo`, `puente serve`. An attendee joins from a
printed link, the live page loads, its script's import of the vendored Socket.IO client
resolves, and a socket joins the meeting.

Needs the package index (PyPI or pip's configured mirror): without it the test skips, and
fails under CI=true.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
import socketio

from tests.support import services
from tests.support.live import wait_for
from tests.support.migrations import head_revision
from tests.support.server import free_port

pytestmark = [pytest.mark.server, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
#: Not part of a build: what the checkout holds besides its sources.
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "node_modules", "build", "dist", "instance",
                                     "__pycache__", "*.pyc", "*.egg-info", "*.mo",
                                     "test-artifacts", ".pytest_cache", ".ruff_cache")
JOIN_LINE = re.compile(r"Join as .+?: \S+?(/m/[\w-]+/join/\S+)")
FORM = re.compile(r'<form method="post" action="(/m/[\w-]+/join/[^"]+)">\s*'
                  r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
INDEX_UNREACHABLE = ("NewConnectionError", "Network is unreachable", "Temporary failure in name",
                     "No matching distribution found", "ConnectTimeoutError")


def _clean_env(**extra: str) -> dict:
    """The environment of someone who installed the wheel: nothing of the checkout or its venv."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTHONPATH", "VIRTUAL_ENV", "DATABASE_URL", "REDIS_URL", "SMTP_URL",
                          "BASE_URL", "SECRET_KEY", "PUENTE_INSTANCE_PATH", "FLASK_APP"}}
    env.update(PYTHONUNBUFFERED="1", FLASK_SKIP_DOTENV="1", **extra)
    return env


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not (ROOT / "static" / "vendor" / "socket.io.esm.min.js").is_file():
        services.unavailable("static/vendor", "run `make vendor` (scripts/vendor.py) first")
    source = tmp_path_factory.mktemp("source") / "puente"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    dist = tmp_path_factory.mktemp("dist")
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                  "--wheel-dir", str(dist), str(source)], timeout=600)
    if built.returncode and any(sign in built.stderr for sign in INDEX_UNREACHABLE):
        services.unavailable("package index", "pip could not fetch the build backend")
    assert built.returncode == 0, built.stderr
    [found] = dist.glob("puente-*-py3-none-any.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment, outside the checkout, with the wheel installed."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    # No pip of its own (ensurepip takes a while): this pip installs into it (`--python`).
    venv.EnvBuilder(with_pip=False).create(env_dir)
    result = _run([sys.executable, "-m", "pip", "--python", str(env_dir / "bin" / "python"),
                   "install", "--quiet", "--disable-pip-version-check", str(wheel)],
                  env=_clean_env(), timeout=900)
    if result.returncode and any(sign in result.stderr for sign in INDEX_UNREACHABLE):
        services.unavailable("package index", "pip could not fetch Puente's dependencies")
    assert result.returncode == 0, result.stderr
    return env_dir


def test_the_wheel_carries_templates_static_files_catalogues_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("webapp/templates/base.html", "webapp/static/js/live-page.js",
                 "webapp/static/vendor/socket.io.esm.min.js",
                 "webapp/translations/es/LC_MESSAGES/messages.mo",
                 "webapp/translations/zh_Hans/LC_MESSAGES/messages.mo",
                 "webapp/migrations/env.py", "webapp/migrations/alembic.ini"):
        assert name in names, name
    versions = {path.name for path in (ROOT / "migrations" / "versions").glob("*.py")}
    assert versions <= {Path(name).name for name in names
                        if name.startswith("webapp/migrations/versions/")}
    templates = {str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.html")}
    assert {f"webapp/{name}" for name in templates} <= names
    assert not [name for name in names if "__pycache__" in name or name.startswith("tests/")]


def test_installed_from_the_wheel_it_migrates_serves_and_takes_a_socket(installed, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    instance = tmp_path / "instance"
    env = _clean_env(PUENTE_INSTANCE_PATH=str(instance))
    puente = str(installed / "bin" / "puente")

    where = _run([str(installed / "bin" / "python"), "-c",
                  "import webapp.app as a; print(a.__file__, a.TEMPLATE_FOLDER)"],
                 cwd=folder, env=env)
    module, templates = where.stdout.split()
    assert Path(module).is_relative_to(installed), where.stdout  # not the checkout's
    assert Path(templates).is_relative_to(installed)

    upgrade = _run([puente, "db", "upgrade"], cwd=folder, env=env, timeout=300)
    assert upgrade.returncode == 0, upgrade.stderr
    assert head_revision() in upgrade.stderr  # Alembic logs each revision it applies
    demo = _run([puente, "demo"], cwd=folder, env=env, timeout=300)
    assert demo.returncode == 0, demo.stderr
    join_path = JOIN_LINE.search(demo.stdout).group(1)
    assert sorted(os.listdir(folder)) == []  # everything went to the instance folder

    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([puente, "serve", "--port", str(port)], cwd=folder, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    http = requests.Session()
    client = socketio.Client(reconnection=False)
    try:
        wait_for(lambda: _healthy(base, server), timeout=60,
                 message="the installed `puente serve` to answer /healthz")
        home = http.get(base + "/", timeout=10)
        assert home.status_code == 200
        assert "Puente</title>" in home.text

        joining = http.get(base + join_path, timeout=10)
        action, token = FORM.search(joining.text).groups()
        live = http.post(base + action, data={"csrf_token": token}, timeout=10)
        assert live.status_code == 200 and live.url.endswith("/live"), live.url
        assert 'lang="' in live.text and "Puente</title>" in live.text

        # The Socket.IO client, found as a browser finds it: the page's module script imports
        # live-page.js, which imports the vendored client (relative URLs all the way).
        [script] = re.findall(r'src="([^"]+/js/qa-attendee\.js)"', live.text)
        page_script = http.get(urljoin(live.url, script), timeout=10)
        assert page_script.status_code == 200
        [shared] = re.findall(r'from "(\./live-page\.js)"', page_script.text)
        shared_script = http.get(urljoin(page_script.url, shared), timeout=10)
        assert shared_script.status_code == 200
        [vendored] = re.findall(r'from "(\.\./vendor/socket\.io[^"]+)"', shared_script.text)
        client_script = http.get(urljoin(shared_script.url, vendored), timeout=10)
        assert client_script.status_code == 200
        assert "javascript" in client_script.headers["Content-Type"]
        assert client_script.content == (ROOT / "static" / "vendor" / Path(vendored).name
                                         ).read_bytes()

        meeting = int(re.search(r'data-meeting-id="(\d+)"', live.text).group(1))
        cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
        client.connect(base, transports=["websocket"], headers={"Cookie": cookie},
                       auth={"csrf_token": CSRF.search(live.text).group(1), "meeting": meeting},
                       wait_timeout=10)
        ack = client.call("join", {"last_seq": None}, timeout=10)
        assert "snapshot" in ack, ack
    finally:
        if client.connected:
            client.disconnect()
        http.close()
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _healthy(base: str, server: subprocess.Popen) -> bool:
    if server.poll() is not None:
        raise AssertionError(f"`puente serve` exited with {server.returncode}")
    try:
        return requests.get(base + "/healthz", timeout=1).status_code == 200
    except requests.RequestException:
        return False
