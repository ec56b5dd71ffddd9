"""A short rejoin brings every count and every own vote/reaction up to date.

Counts and own votes/reactions travel without `seq` (coalesced, ephemeral), so a replay of
logged events cannot bring them back: the replay's ack carries their current figures.
"""

from __future__ import annotations

import pytest

from tests.factories import make_question, make_registration, make_user
from webapp.accounts.models import RoleKind
from webapp.extensions import db
from webapp.meetings.models import BoardMode
from webapp.qa.models import QuestionStatus


@pytest.fixture
def crowd(meeting, live_sockets):
    """Lucía (two tabs), two other attendees, a moderator; two live questions and a post."""
    lucia = make_registration(meeting, name="Lucía Quispe")
    others = [make_registration(meeting), make_registration(meeting)]
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)

    class Crowd:
        questions = [make_question(meeting), make_question(meeting)]
        lucia_reg = lucia
        tab_a = live_sockets.attendee(lucia)
        tab_b = live_sockets.attendee(lucia)
        other_socks = [live_sockets.attendee(reg) for reg in others]
        staff = live_sockets.staff(moderator, meeting.id)
        moderator_user = moderator

    Crowd.post_id = Crowd.other_socks[0].emit("post_message", {"text": "¡Gracias! 谢谢"},
                                              callback=True)["id"]
    return Crowd


def vote(sio, question, voted=True):
    ack = sio.emit("vote", {"question_id": question.id, "voted": voted}, callback=True)
    assert ack["ok"], ack
    return ack


def react(sio, post_id, kind, on=True):
    ack = sio.emit("react", {"post_id": post_id, "kind": kind, "on": on}, callback=True)
    assert ack == {"ok": True, "on": on}


def test_rejoin_ack_carries_current_counts_and_own_votes_and_reactions(
        crowd, meeting, live_sockets):
    first, second = crowd.questions
    position = crowd.tab_a.emit("join", {"last_seq": None}, callback=True)["seq"]
    staff_position = crowd.staff.emit("join", {"last_seq": None}, callback=True)["seq"]
    vote(crowd.tab_a, first)
    react(crowd.tab_a, crowd.post_id, "like")
    crowd.tab_a.disconnect()
    crowd.staff.disconnect()

    # While tab A is away: others vote and react, Lucía's other tab changes her mind.
    for sio in crowd.other_socks:
        vote(sio, second)
        react(sio, crowd.post_id, "applause")
    vote(crowd.tab_b, first, voted=False)
    vote(crowd.tab_b, second)
    react(crowd.tab_b, crowd.post_id, "like", on=False)
    react(crowd.tab_b, crowd.post_id, "thanks")
    crowd.other_socks[1].emit("post_message", {"text": "Un evento registrado"}, callback=True)

    back = live_sockets.attendee(crowd.lucia_reg)
    ack = back.emit("join", {"last_seq": position}, callback=True)
    assert ack["ok"] and "snapshot" not in ack
    assert [event["type"] for event in ack["events"]] == ["post_published"]
    qa, board = ack["figures"]["qa"], ack["figures"]["board"]
    assert qa["tallies"] == {str(first.id): 0, str(second.id): 3}
    assert qa["revs"][str(first.id)] == 2 and qa["revs"][str(second.id)] == 3
    assert qa["my_votes"] == [second.id]
    post = str(crowd.post_id)
    assert board["counts"] == {post: {"applause": 2, "thanks": 1}}
    assert board["revs"] == {post: 5}
    assert board["my_reactions"] == {post: ["thanks"]}
    assert ack["figures"]["presence"] == {"online": 3}  # the moderator is away too

    staff_back = live_sockets.staff(crowd.moderator_user, meeting.id)
    staff_ack = staff_back.emit("join", {"last_seq": staff_position}, callback=True)
    assert staff_ack["figures"]["qa"]["tallies"] == qa["tallies"]
    assert staff_ack["figures"]["qa"]["my_votes"] == []
    assert staff_ack["figures"]["board"]["counts"] == board["counts"]
    assert staff_ack["figures"]["board"]["my_reactions"] == {}


def test_figures_leave_out_what_the_attendee_may_not_see(crowd, meeting):
    dismissed = make_question(meeting, status=QuestionStatus.DISMISSED, vote_count=3,
                              votes_version=3)
    first, _second = crowd.questions
    vote(crowd.other_socks[0], first)
    react(crowd.other_socks[1], crowd.post_id, "applause")
    position = crowd.tab_a.emit("join", {"last_seq": None}, callback=True)["seq"]
    staff_position = crowd.staff.emit("join", {"last_seq": None}, callback=True)["seq"]
    assert crowd.staff.emit("hide_post", {"post_id": crowd.post_id, "reason": "Fuera de tema"},
                            callback=True)["ok"]
    ack = crowd.tab_a.emit("join", {"last_seq": position}, callback=True)
    assert ack["figures"]["qa"]["tallies"] == {str(first.id): 1}
    assert ack["figures"]["board"]["counts"] == {}
    staff_ack = crowd.staff.emit("join", {"last_seq": staff_position}, callback=True)
    assert staff_ack["figures"]["qa"]["tallies"] == {str(first.id): 1, str(dismissed.id): 3}
    assert staff_ack["figures"]["board"]["counts"] == {str(crowd.post_id): {"applause": 1}}
    meeting.board_mode = BoardMode.OFF
    db.session.commit()
    ack = crowd.tab_a.emit("join", {"last_seq": position}, callback=True)
    assert ack["figures"]["board"] == {"counts": {}, "revs": {}, "my_reactions": {}}


def test_own_reactions_reach_the_attendees_other_tabs(crowd, received):
    for sio in (crowd.tab_a, crowd.tab_b, *crowd.other_socks):
        sio.get_received()
    react(crowd.tab_a, crowd.post_id, "thanks")
    expected = {"post_id": crowd.post_id, "kind": "thanks", "on": True}
    assert received.until(crowd.tab_b, "own_reaction_changed", lambda got: got) == [expected]
    react(crowd.tab_a, crowd.post_id, "thanks")  # already given: nothing changes, nothing sent
    react(crowd.tab_a, crowd.post_id, "thanks", on=False)
    taken_back = received.until(crowd.tab_b, "own_reaction_changed", lambda got: got)
    assert taken_back == [{**expected, "on": False}]
    assert all(received.of(sio, "own_reaction_changed") == [] for sio in crowd.other_socks)
