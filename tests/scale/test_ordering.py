"""Two processes, one order: every client's view ends equal to a fresh snapshot (issue 20).

Two moderators, one on each process, act on different questions at the same time; attendees
and staff on both processes vote and react; some reconnect to the other process mid-way.
Every client applies events exactly as docs/protocol.md's client rule says
(`tests/support/live_clients.LiveView`); at the end each view must equal a fresh snapshot of
the same person and every count must equal the database.
"""

from __future__ import annotations

import threading

import pytest
import requests

from tests.support.cluster import attendee_view, differences, fresh, settled_view, staff_view
from tests.support.live_clients import LiveView

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]

ROUNDS = 6


def moderate(view: LiveView, question_ids: list[int], errors: list) -> None:
    """Edit, then star, each question once: each change is that question's final state."""
    try:
        for qid in question_ids:
            ack = view.client.call("edit_question", {
                "question_id": qid, "version": view.questions[qid]["version"],
                "text": f"Pregunta {qid}, revisada · 问题 {qid}"}, timeout=10)
            assert ack["ok"], ack
        for qid in question_ids:
            ack = view.client.call("set_starred", {
                "question_id": qid, "version": view.questions[qid]["version"],
                "starred": True}, timeout=10)
            if not ack["ok"] and ack["error"]["code"] == "conflict":  # our own edit not seen yet
                current = view.client.call("join", {"last_seq": None}, timeout=10)
                [mine] = [q for q in current["snapshot"]["qa"]["questions"] if q["id"] == qid]
                ack = view.client.call("set_starred", {
                    "question_id": qid, "version": mine["version"], "starred": True},
                    timeout=10)
            assert ack["ok"], ack
    except BaseException as error:  # reported by the main thread
        errors.append(error)


def participate(view: LiveView, question_ids: list[int], post_ids: list[int], salt: int,
                errors: list) -> None:
    """Vote on (and sometimes off) every question, and react to the posts."""
    try:
        for round_ in range(ROUNDS):
            for qid in question_ids:
                voted = (qid + salt + round_) % 3 != 0
                ack = view.client.call("vote", {"question_id": qid, "voted": voted}, timeout=10)
                assert ack["ok"], ack
            for post_id in post_ids:
                ack = view.client.call("react", {"post_id": post_id, "kind": "thanks",
                                                 "on": (post_id + salt + round_) % 2 == 0},
                                       timeout=10)
                assert ack["ok"], ack
    except BaseException as error:
        errors.append(error)


def test_every_client_ends_equal_to_a_fresh_snapshot_with_two_processes(cluster):
    a, b = cluster.a.url, cluster.b.url
    questions = [cluster.post(0, "/_probe/question", meeting=cluster.meeting)["id"]
                 for _n in range(24)]
    cluster.post(0, "/_probe/posts", meeting=cluster.meeting, count=3)
    people = cluster.attendees(8)
    attendees = [attendee_view(cluster, person) for person in people]
    for n, view in enumerate(attendees):
        view.connect(a if n % 2 == 0 else b)
    staff = [staff_view(cluster, 0), staff_view(cluster, 1)]
    staff[0].connect(a)
    staff[1].connect(b)
    post_ids = sorted(attendees[0].reactions)
    assert len(post_ids) == 3

    errors: list = []
    threads = [threading.Thread(target=moderate, args=(staff[0], questions[:12], errors)),
               threading.Thread(target=moderate, args=(staff[1], questions[12:], errors))]
    threads += [threading.Thread(target=participate,
                                 args=(view, questions[::3], post_ids, n, errors))
                for n, view in enumerate(attendees[:6])]
    for thread in threads:
        thread.start()
    # Mid-way, two attendees and one moderator's colleague move to the other process.
    watcher = attendee_view(cluster, people[6])
    watcher.connect(a)
    for view, other in ((attendees[7], a), (watcher, b)):
        view.disconnect()
        view.connect(other)
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    everyone = [*attendees, *staff, watcher]
    wrong = []
    for n, view in enumerate(everyone):
        expected = fresh(view, a if n % 2 else b)
        got = settled_view(view, expected)
        if got != expected:
            wrong.append((n, differences(got, expected)))
    assert not wrong, wrong

    # Every count the views show equals the database.
    final = staff[0].view()["questions"]
    for qid in questions:
        stored = requests.get(f"{a}/_probe/votes/{qid}", timeout=10).json()
        assert stored["stored"] == stored["vote_count"] == final[qid]["votes"]
