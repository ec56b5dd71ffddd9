"""Two server processes + Redis + PostgreSQL serving one meeting."""

import pytest

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]


def seqs(recorder, event_type):
    return [data["seq"] for data in recorder.of(event_type)]


def test_event_written_through_a_reaches_clients_of_a_and_b(cluster):
    alice, bruno = cluster.attendees(2)
    _c, on_a, _ack = cluster.connect(0, alice)
    _c, on_b, _ack = cluster.connect(1, bruno)
    [seq] = cluster.record(0, "question_asked", {"text": "¿Qué aprendieron en Yunnan?"})
    for recorder in (on_a, on_b):
        assert recorder.wait_for(lambda r: r.of("question_asked"))
        assert recorder.of("question_asked") == [{"text": "¿Qué aprendieron en Yunnan?",
                                                  "seq": seq}]


def test_burst_through_b_arrives_once_and_in_order_on_a(cluster):
    [alice] = cluster.attendees(1)
    _c, on_a, _ack = cluster.connect(0, alice)
    written = cluster.record(1, "post_published", {"text": "你好"}, count=25)
    assert on_a.wait_for(lambda r: len(r.of("post_published")) >= 25)
    assert seqs(on_a, "post_published") == written


def test_staff_events_reach_staff_on_the_other_process_only(cluster):
    [alice] = cluster.attendees(1)
    _c, staff_on_b, _ack = cluster.staff(1)
    _c, attendee_on_b, _ack = cluster.connect(1, alice)
    [pending] = cluster.record(0, "question_submitted", {"text": "pendiente"},
                               audience="staff")
    [public] = cluster.record(0, "question_approved", {"id": 1})
    assert staff_on_b.wait_for(lambda r: r.of("question_approved"))
    assert seqs(staff_on_b, "question_submitted") == [pending]
    assert attendee_on_b.wait_for(lambda r: r.of("question_approved"))
    assert seqs(attendee_on_b, "question_approved") == [public]
    assert attendee_on_b.of("question_submitted") == []


def test_killed_process_clients_reconnect_to_the_other_and_replay_exactly_the_missed(cluster):
    alice, bruno = cluster.attendees(2)
    _client, on_a, _ack = cluster.connect(0, alice)
    _c, on_b, _ack = cluster.connect(1, bruno)
    [first] = cluster.record(1, "question_asked", {"n": 0})
    assert on_a.wait_for(lambda r: r.of("question_asked"))
    last_seen = max(seqs(on_a, "question_asked"))
    assert last_seen == first

    cluster.a.stop(kill=True)
    missed = cluster.record(1, "question_asked", {"n": 1}, count=3)
    assert on_b.wait_for(lambda r: len(r.of("question_asked")) == 4)

    _again, _rec, ack = cluster.connect(1, alice, last_seq=last_seen)
    assert ack["ok"] is True and "snapshot" not in ack
    assert [event["data"]["seq"] for event in ack["events"]] == missed
    assert {event["type"] for event in ack["events"]} == {"question_asked"}


def test_reconnect_far_behind_gets_a_snapshot(cluster):
    [alice] = cluster.attendees(1)
    _c, _rec, ack = cluster.connect(1, alice, last_seq=10_000)
    assert ack["ok"] is True and ack["snapshot"]["seq"] == ack["seq"]
