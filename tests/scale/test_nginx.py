"""docs/deploy.md's nginx in front of two Puente processes, as the guide sets up a site.

The guide's own three nginx files (tests/support/deploy_guide.py takes them from between its
`<!-- tested: -->` markers) with only the upstream ports, the listening ports and the
certificate substituted; Debian's nginx run as the current user in a temporary prefix; two
`puente serve` processes sharing PostgreSQL and Redis with PUENTE_WEBSOCKET_ONLY=1 and no sticky
sessions (the guide's least_conn). Attendees whose WebSockets nginx gave to different processes
see each other's questions.
"""

from __future__ import annotations

import os
import secrets
import subprocess

import pytest
import requests
import socketio

from tests.support import services
from tests.support.bench_clients import Recorder
from tests.support.cluster import start_cluster
from tests.support.deploy_guide import NGINX, nginx_files, self_signed_certificate
from tests.support.live import wait_for
from tests.support.live_clients import Browserish
from tests.support.server import ADMIN, free_port

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]


class Nginx:
    def __init__(self, folder, upstreams: list[int], https_port: int):
        self.folder = folder
        self.http_port, self.https_port = free_port(), https_port
        cert, key = self_signed_certificate(folder)
        self.cert = str(cert)
        self.conf = nginx_files(folder, cert, key, upstreams=upstreams,
                                http_port=self.http_port, https_port=self.https_port)
        self.url = f"https://127.0.0.1:{self.https_port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.folder), "-c", str(self.conf), "-e", "stderr",
             "-g", "daemon off;"], stdout=subprocess.DEVNULL,
            stderr=(self.folder / "nginx.stderr").open("w"))
        wait_for(self._answers, timeout=30, message=self._log)

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"nginx exited with {self.process.returncode}: {self._log()}")
        try:
            return requests.get(self.url + "/healthz", verify=self.cert,
                                timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def _log(self) -> str:
        path = self.folder / "nginx.stderr"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def site(tmp_path, postgres_url, redis_url):
    """nginx (the guide's files) in front of processes A and B, WebSocket-only."""
    if not os.path.exists(NGINX):
        services.unavailable("nginx", f"{NGINX} is not installed (apt-get install nginx)")
    folder = tmp_path / "nginx"
    folder.mkdir()
    https_port = free_port()
    # BASE_URL: the public origin, the one the browser's Origin header and nginx's $host carry.
    cluster = start_cluster(tmp_path, postgres_url, redis_url, PUENTE_WEBSOCKET_ONLY="1",
                            PUENTE_TRUSTED_PROXIES="1",
                            BASE_URL=f"https://127.0.0.1:{https_port}")
    nginx = None
    try:
        nginx = Nginx(folder, [cluster.a.port, cluster.b.port], https_port)
        nginx.start()
        yield cluster, nginx
    finally:
        if nginx is not None:
            nginx.stop()
        cluster.close()


def sockets_per_process(cluster) -> list[int]:
    """Open sockets on A and on B, asked of each process directly (not through nginx)."""
    return [requests.get(server.url + "/_probe/stats", timeout=10).json()["sockets"]
            for server in cluster.servers]


def connect_through(nginx, cluster, headers: dict, csrf_token: str):
    client = socketio.Client(reconnection=False, ssl_verify=False)
    recorder = Recorder(client)
    client.connect(nginx.url, transports=["websocket"], headers=headers,
                   auth={"csrf_token": csrf_token, "meeting": cluster.meeting}, wait_timeout=30)
    cluster.clients.append(client)
    ack = client.call("join", {"last_seq": None}, timeout=30)
    assert "snapshot" in ack, ack
    return client, recorder


def landed_on(cluster, before: list[int]) -> int:
    """The process whose socket count grew by one since `before`."""
    after = wait_for(lambda: (now := sockets_per_process(cluster)) != before and now,
                     message="the new socket to be counted by a process")
    [index] = [n for n in (0, 1) if after[n] == before[n] + 1]
    return index


def test_through_the_guides_nginx_attendees_on_either_process_see_each_others_questions(site):
    cluster, nginx = site
    # The guide's plain-HTTP server redirects; its TLS server proxies pages to the processes.
    plain = requests.get(f"http://127.0.0.1:{nginx.http_port}/", allow_redirects=False,
                         timeout=30)
    assert plain.status_code == 301
    assert plain.headers["Location"].startswith("https://127.0.0.1/")
    page = requests.get(nginx.url + "/", verify=nginx.cert, timeout=30)
    assert page.status_code == 200 and "Puente</title>" in page.text
    # WebSocket-only: nginx passes Engine.IO's refusal of long-polling through.
    polling = requests.get(nginx.url + "/socket.io/?EIO=4&transport=polling",
                           verify=nginx.cert, timeout=30)
    assert polling.status_code == 400

    alice, bruno = cluster.attendees(2)
    assert sockets_per_process(cluster) == [0, 0]
    asker, on_asker = connect_through(nginx, cluster, {"Cookie": alice["cookie"]},
                                      alice["csrf_token"])
    asker_process = landed_on(cluster, [0, 0])
    before = sockets_per_process(cluster)
    _watcher, on_watcher = connect_through(nginx, cluster, {"Cookie": bruno["cookie"]},
                                           bruno["csrf_token"])
    watcher_process = landed_on(cluster, before)
    assert {asker_process, watcher_process} == {0, 1}  # no stickiness: one on each process

    # A moderator logs in through nginx too (its HTTP requests go to either process).
    moderator = Browserish(nginx.url)
    moderator.http.verify = nginx.cert
    moderator.http.trust_env = False  # REQUESTS_CA_BUNDLE would win over `verify`
    moderator.http.headers["Referer"] = nginx.url + "/login"  # as a browser sends it (HTTPS)
    cluster.people.append(moderator)
    moderator.login(*ADMIN)
    staff, on_staff = connect_through(nginx, cluster, {"Cookie": moderator.cookie_header()},
                                      moderator.csrf())

    text = "¿Llega la pregunta al otro proceso? 问题到了吗？"
    ack = asker.call("ask_question", {"text": text, "client_id": secrets.token_hex(8)},
                     timeout=30)
    assert ack["ok"] is True, ack
    question = ack["question"]

    def pending(recorder):
        changes = [data["question"] for data in recorder.of("staff_question_changed")
                   if data["question"]["id"] == question["id"]]
        return changes[-1] if changes else None

    assert on_staff.wait_for(pending)
    approved = staff.call("approve_question", {"question_id": question["id"],
                                               "version": pending(on_staff)["version"]},
                          timeout=30)
    assert approved["ok"] is True, approved
    for recorder in (on_watcher, on_asker):  # the other process's attendee, and the asker's own
        assert recorder.wait_for(lambda r: r.of("question_published"))
        [published] = recorder.of("question_published")
        assert published["question"]["text"] == text
