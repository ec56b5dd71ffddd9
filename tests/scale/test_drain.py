"""A stopped process drains: it stops listening, asks its clients to move, waits for them and
exits 0, and the clients that move to the other process miss nothing (two real processes
sharing PostgreSQL and Redis; real Socket.IO clients).

The python-socketio clients here move as static/js/live/connection.js does on
`server_draining`: disconnect, connect to the other process and join with their last seq.
"""

from __future__ import annotations

import signal
import socket

import pytest

from tests.support.cluster import start_cluster
from tests.support.live import wait_for

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]

#: Long enough that an exit before it shows the clients' leaving ended the drain.
DRAIN_SECONDS = 60


@pytest.fixture
def cluster(tmp_path, postgres_url, redis_url):
    running = start_cluster(tmp_path, postgres_url, redis_url,
                            PUENTE_DRAIN_SECONDS=str(DRAIN_SECONDS),
                            PUENTE_TALLY_INTERVAL_MS="10000")
    yield running
    running.close()


def seqs(recorder, event_type="question_asked") -> list[int]:
    return [data["seq"] for data in recorder.of(event_type)]


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


def test_sigterm_moves_clients_to_the_other_process_and_nothing_is_missed(cluster):
    alice, bruno = cluster.attendees(2)
    alice_on_a, alice_seen, _ack = cluster.connect(0, alice)
    bruno_on_a, bruno_seen, _ack = cluster.connect(0, bruno)
    written = cluster.record(1, "question_asked", {"n": 0})
    for seen in (alice_seen, bruno_seen):
        assert seen.wait_for(lambda r: seqs(r) == written)

    cluster.a.process.send_signal(signal.SIGTERM)
    for seen in (alice_seen, bruno_seen):
        assert seen.wait_for(lambda r: r.of("server_draining"))
        assert seen.of("server_draining") == [{"reconnect_within_ms": DRAIN_SECONDS * 800}]
    assert refused(cluster.a.port)  # closed before anyone was told to move
    assert cluster.a.process.poll() is None  # still serving the clients it has

    # Alice moves at once; events are posted while she is between processes.
    alice_last = max(seqs(alice_seen))
    alice_on_a.disconnect()
    during = cluster.record(1, "question_asked", {"n": 1}, count=3)
    _client, alice_on_b, ack = cluster.connect(1, alice, last_seq=alice_last)
    assert ack["ok"] is True and "snapshot" not in ack
    assert [event["data"]["seq"] for event in ack["events"]] == during

    # Bruno stays a little: the draining process still delivers, then he moves too.
    assert bruno_seen.wait_for(lambda r: seqs(r) == written + during)
    later = cluster.record(1, "question_asked", {"n": 2})
    bruno_last = max(seqs(bruno_seen))
    bruno_on_a.disconnect()
    _client, bruno_on_b, ack = cluster.connect(1, bruno, last_seq=bruno_last)
    replayed = [event["data"]["seq"] for event in ack["events"]]
    # `later` comes by the replay or, when B had not delivered it yet, live: once either way.
    assert bruno_on_b.wait_for(lambda r: sorted(seqs(bruno_seen) + replayed + seqs(r))
                               == written + during + later)
    assert alice_on_b.wait_for(lambda r: seqs(r) == later)

    # Both gone: the process ends long before the drain time, with status 0.
    assert cluster.a.process.wait(timeout=DRAIN_SECONDS / 2) == 0
    log = cluster.a.log()
    assert "draining: 2 client(s) asked to reconnect within 48000 ms" in log
    assert "stopped (0 connection(s) left)" in log


def test_counts_waiting_to_be_sent_go_out_before_the_process_exits(cluster):
    voter, watcher = cluster.attendees(2)
    question = cluster.post(0, "/_probe/question", meeting=cluster.meeting)["id"]
    voter_on_a, _seen, _ack = cluster.connect(0, voter)
    _client, on_b, _ack = cluster.connect(1, watcher)
    ack = voter_on_a.call("vote", {"question_id": question, "voted": True}, timeout=10)
    assert ack["ok"] is True, ack  # acknowledged: stored, its count still waiting to be sent

    cluster.a.process.send_signal(signal.SIGTERM)
    voter_on_a.disconnect()
    assert cluster.a.process.wait(timeout=DRAIN_SECONDS / 2) == 0
    tallies = wait_for(lambda: [event["tallies"].get(str(question))
                                for event in on_b.of("vote_tally_changed")],
                       message=lambda: f"a tally on B; A's log:\n{cluster.a.log()}")
    assert tallies[-1] == 1
