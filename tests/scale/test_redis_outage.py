"""Redis goes away and comes back: nothing acknowledged is lost, bans reach every process.

Issue 10 item 4 (a) and the sweep of (b): two processes share PostgreSQL and a Redis server
this test starts itself, so it can stop it. While it is down, process A commits an edit, votes
and a ban; after it is back, B's clients must hold every acknowledged change (their views equal
a fresh snapshot, counts included) and the banned attendee's socket on B must be closed.
"""

from __future__ import annotations

import pytest

from tests.support.cluster import attendee_view, differences, fresh, staff_view, start_cluster
from tests.support.live import wait_for

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]

def test_changes_and_bans_committed_while_redis_is_down_reach_the_other_process(
        tmp_path, postgres_url, own_redis):
    cluster = start_cluster(tmp_path, postgres_url, own_redis.url)
    try:
        a, b = cluster.a.url, cluster.b.url
        questions = [cluster.post(0, "/_probe/question", meeting=cluster.meeting)["id"]
                     for _n in range(3)]
        alice, bruno, mallory = cluster.attendees(3)
        voter = attendee_view(cluster, alice)
        voter.connect(a)
        watcher = attendee_view(cluster, bruno)
        watcher.connect(b)
        banned = attendee_view(cluster, mallory)
        banned.connect(b)
        moderator = staff_view(cluster, 0)
        moderator.connect(a)
        colleague = staff_view(cluster, 1)
        colleague.connect(b)

        own_redis.stop()
        qid = questions[0]
        ack = moderator.client.call("edit_question", {
            "question_id": qid, "version": moderator.questions[qid]["version"],
            "text": "Editada sin Redis · 无 Redis 时编辑"}, timeout=10)
        assert ack["ok"], ack
        for question_id in questions[1:]:
            ack = voter.client.call("vote", {"question_id": question_id, "voted": True},
                                    timeout=10)
            assert ack["ok"], ack
        ack = moderator.client.call("ban_participant", {
            "registration_id": mallory["registration_id"], "banned": True}, timeout=10)
        assert ack["ok"], ack
        own_redis.start()

        wait_for(lambda: not banned.client.connected, timeout=30, interval=0.1,
                 message="the banned attendee to leave B")
        for view, url in ((watcher, a), (colleague, a), (voter, b), (moderator, b)):
            expected = fresh(view, url)
            wait_for(lambda v=view, e=expected: v.view() == e, timeout=30, interval=0.1,
                     message=lambda v=view, e=expected: str(differences(v.view(), e)))
        assert watcher.view()["questions"][qid]["text"] == "Editada sin Redis · 无 Redis 时编辑"
        assert [watcher.view()["questions"][q]["votes"] for q in questions[1:]] == [1, 1]
    finally:
        cluster.close()
