"""Board and clock against a real server process over loopback: 10,000 posts, replay after a
reconnect, slow mode, and the follow-up digest through a real SMTP server."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from tests.support.bench_clients import Recorder
from tests.support.live import wait_for
from tests.support.live_clients import Browserish
from tests.support.server import ADMIN, prepare_demo, running_server
from tests.support.smtp import SMTPServer
from webapp.core.timeutil import utcnow

pytestmark = pytest.mark.server

JOIN_LINE = re.compile(r"Join as .+?: \S+(/m/pacific-bridge-11/join/\S+)")
UPCOMING, PAST = "pacific-bridge-11", "pacific-bridge-10"


@pytest.fixture(scope="module")
def smtp():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory, smtp):
    env, demo_output = prepare_demo(tmp_path_factory.mktemp("board-live") / "instance",
                                    SMTP_URL=smtp.url)
    engine = sa.create_engine(env["DATABASE_URL"])
    with engine.connect() as connection:
        ids = dict(connection.execute(sa.text("SELECT slug, id FROM meetings")).all())
    with running_server(env) as running:
        running.join_paths = JOIN_LINE.findall(demo_output)
        running.meeting_ids = ids
        running.engine = engine
        yield running
    engine.dispose()


@pytest.fixture
def admin(server):
    person = Browserish(server.url)
    person.login(*ADMIN)
    yield person
    person.close()


def attendee(server, index: int) -> Browserish:
    person = Browserish(server.url)
    path = server.join_paths[index]
    token = person.csrf(path)
    response = person.http.post(server.url + path, data={"csrf_token": token},
                                allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:300]
    return person


def test_ten_thousand_posts_page_back_exactly_once(server, admin):
    meeting_id = server.meeting_ids[UPCOMING]
    now = utcnow().replace(microsecond=0)
    with server.engine.begin() as connection:
        registration_id = connection.execute(sa.text(
            "SELECT id FROM registrations WHERE meeting_id = :m LIMIT 1"),
            {"m": meeting_id}).scalar_one()
        before = connection.execute(sa.text("SELECT count(*) FROM posts WHERE meeting_id = :m"),
                                    {"m": meeting_id}).scalar_one()
        connection.execute(sa.text(
            "INSERT INTO posts (meeting_id, registration_id, text, pinned, hidden, created_at,"
            " updated_at) VALUES (:m, :r, :t, false, false, :c, :c)"),
            [{"m": meeting_id, "r": registration_id, "t": f"bulk {n:05d} 谢谢", "c": now}
             for n in range(10_000)])
        expected = [row[0] for row in connection.execute(sa.text(
            "SELECT id FROM posts WHERE meeting_id = :m ORDER BY id"), {"m": meeting_id})]
    assert len(expected) == before + 10_000
    client = admin.connect(meeting_id)
    ack = client.call("join", {"last_seq": None}, timeout=10)
    board = ack["snapshot"]["board"]
    assert len(board["posts"]) == 50 and board["more"] is True
    seen = [p["id"] for p in board["posts"]]
    cursor, pages, started = board["before"], 1, time.perf_counter()
    while True:
        page = client.call("load_posts", {"before": cursor}, timeout=10)
        assert page["ok"], page
        seen = [p["id"] for p in page["posts"]] + seen
        pages += 1
        if not page["more"]:
            break
        cursor = page["before"]
    elapsed = time.perf_counter() - started
    print(f"\n{pages} pages of 50 back to the first post in {elapsed:.2f}s "
          f"({1000 * elapsed / pages:.1f} ms per page)")
    assert seen == expected  # each post exactly once, in order
    with server.engine.begin() as connection:  # leave the board small for the other tests
        connection.execute(sa.text("DELETE FROM posts WHERE meeting_id = :m"), {"m": meeting_id})


def test_reconnect_replays_missed_posts_and_clock_changes(server, admin):
    meeting_id = server.meeting_ids[UPCOMING]
    person = attendee(server, 0)
    try:
        reader = person.connect(meeting_id)
        seq = reader.call("join", {"last_seq": None}, timeout=10)["seq"]
        reader.disconnect()
        staff = admin.connect(meeting_id)
        assert staff.call("post_message", {"text": "Pausa de 10 minutos · 休息十分钟"},
                          timeout=10)["ok"]
        assert staff.call("start_next_item", {}, timeout=10)["ok"]
        assert staff.call("start_next_item", {}, timeout=10)["ok"]
        back = person.connect(meeting_id)
        inbox = Recorder(back)
        ack = back.call("join", {"last_seq": seq}, timeout=10)
        # The replay stops where the socket's live stream starts (docs/protocol.md, "join"):
        # an event this process had not delivered when the socket entered its rooms comes
        # live instead. Either way, each comes once and in order.
        replayed = [(e["type"], e["data"]["seq"]) for e in ack["events"]]
        assert ack["seq"] == (replayed[-1][1] if replayed else seq)
        missed = [("post_published", seq + 1), ("clock_changed", seq + 2),
                  ("clock_changed", seq + 3)]

        def live_after_replay():
            return [(kind, data["seq"]) for kind, data in inbox.events
                    if isinstance(data, dict) and ack["seq"] < data.get("seq", 0) <= seq + 3]

        assert inbox.wait_for(lambda _r: replayed + live_after_replay() == missed), \
            (replayed, live_after_replay())
        received = [e["data"] for e in ack["events"]] + inbox.of("clock_changed")
        clock = next(data for data in received if data["seq"] == seq + 3)["clock"]
        assert clock["status"] == "live" and clock["current_item_id"] == clock["items"][1]["id"]
        assert staff.call("end_current_item", {}, timeout=10)["ok"]
        # events broadcast while the join was in flight may arrive too: clients skip by seq
        live = wait_for(lambda: [d for d in inbox.of("clock_changed") if d["seq"] > seq + 3],
                        message="the clock change after the join")[0]
        assert live["seq"] == seq + 4 and live["clock"]["current_item_id"] is None
    finally:
        person.close()


def test_slow_mode_and_closed_board_over_the_wire(server, admin):
    meeting_id = server.meeting_ids[UPCOMING]
    person = attendee(server, 1)
    try:
        staff = admin.connect(meeting_id)
        writer = person.connect(meeting_id)
        inbox = Recorder(writer)
        writer.call("join", {"last_seq": None}, timeout=10)
        assert staff.call("configure_board", {"slow_seconds": 30}, timeout=10)["ok"]
        wait_for(lambda: any(d["slow_seconds"] == 30 for d in inbox.of("board_settings_changed")),
                 message="slow mode to reach the writer")
        first = writer.call("post_message", {"text": "uno", "client_id": "x1"}, timeout=10)
        assert first["ok"]
        assert writer.call("post_message", {"text": "uno", "client_id": "x1"},
                           timeout=10) == first
        slow = writer.call("post_message", {"text": "dos"}, timeout=10)
        assert slow["ok"] is False and slow["error"]["code"] == "rate_limited"
        assert 25 <= slow["error"]["retry_after"] <= 30 and slow["error"]["message"]
        assert staff.call("configure_board", {"slow_seconds": 0, "mode": "read_only"},
                          timeout=10)["ok"]
        closed = writer.call("post_message", {"text": "tres"}, timeout=10)
        assert closed["error"]["code"] == "closed"
        assert writer.call("configure_board", {"mode": "open"}, timeout=10)["error"][
            "code"] == "forbidden"
        assert staff.call("configure_board", {"mode": "open"}, timeout=10)["ok"]
    finally:
        person.close()


def unsent_mail(engine) -> int:
    """Mails the server's worker has still to send (or retry)."""
    with engine.connect() as connection:
        return connection.execute(sa.text(
            "SELECT count(*) FROM outgoing_mail WHERE status = 'queued'")).scalar_one()


def test_follow_up_digest_through_a_real_smtp_server(server, admin, smtp):
    base = server.url + f"/m/{PAST}/follow-up"
    page = admin.http.get(base, timeout=10)
    assert page.status_code == 200
    question_ids = [int(q) for q in re.findall(r'name="question_id" value="(\d+)"', page.text)]
    assert question_ids
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    for question_id in question_ids:
        response = admin.http.post(base, data={"csrf_token": token, "question_id": question_id,
                                               "text": "Respuesta escrita · 书面回答"},
                                   allow_redirects=False, timeout=10)
        assert response.status_code == 302
    with server.engine.connect() as connection:
        askers = connection.execute(sa.text(  # askers and voters of written answers
            "SELECT r.email FROM registrations r WHERE r.id IN ("
            " SELECT q.registration_id FROM questions q WHERE q.meeting_id = :m"
            "  AND q.answer_text IS NOT NULL"
            " UNION SELECT v.registration_id FROM votes v JOIN questions q"
            "  ON q.id = v.question_id WHERE q.meeting_id = :m AND q.answer_text IS NOT NULL)"),
            {"m": server.meeting_ids[PAST]}).scalars().all()
    assert askers
    published = admin.http.post(base + "/publish", data={"csrf_token": token}, timeout=30)
    assert published.status_code == 200
    with server.engine.connect() as connection:
        everyone = connection.execute(sa.text(
            "SELECT email FROM registrations WHERE meeting_id = :m AND status = 'confirmed'"),
            {"m": server.meeting_ids[PAST]}).scalars().all()
    messages = smtp.wait_for(len(everyone), timeout=30)
    assert len(askers) > len(question_ids) // 2
    assert sorted(r for m in messages for r in m["to"]) == sorted(everyone)
    digests = [m for m in messages if m["to"][0] in askers]
    body = digests[0]["message"].get_body(("plain",)).get_content()
    assert "书面回答" in body and f"/m/{PAST}/transcript" in body
    admin.http.post(base + "/publish", data={"csrf_token": token}, timeout=30)
    wait_for(lambda: unsent_mail(server.engine) == 0, message="the mail worker to empty its queue")
    assert len(smtp.messages) == len(everyone)  # publishing again mails nobody twice
