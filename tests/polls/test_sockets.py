"""Poll commands through the Socket.IO test client: acks, rooms, result visibility, replay,
coalescing and the authorisation matrix."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from, forget_request_caches
from tests.factories import make_meeting, make_registration, make_user
from tests.support.blns import blns_strings
from webapp.accounts.models import RoleKind, User
from webapp.core.text import forbidden_character
from webapp.extensions import db, socketio
from webapp.meetings.models import ModerationMode
from webapp.polls import services
from webapp.polls.models import Poll, PollAnswer
from webapp.polls.sockets import COMMANDS, STAFF_COMMANDS
from webapp.polls.tally import coalescer
from webapp.qa import presenter_services


def presenter_socket(app, meeting):
    organiser = db.session.scalars(select(User)).first() or make_user(
        meeting=meeting, role=RoleKind.ORGANISER)
    token = presenter_services.rotate_token(organiser, meeting)
    http = app.test_client()
    forget_request_caches()
    csrf = csrf_token_from(http.get("/").get_data(as_text=True))
    screen = socketio.test_client(app, flask_test_client=http, auth={
        "csrf_token": csrf, "meeting": meeting.id, "presenter_token": token})
    assert screen.is_connected()
    return screen


@pytest.fixture
def room(app, meeting, live_sockets):
    """Two attendees, a moderator and the presenter screen, connected and drained."""

    class Room:
        first_reg = make_registration(meeting, name="Ana Torres")
        second_reg = make_registration(meeting)
        first = live_sockets.attendee(first_reg)
        second = live_sockets.attendee(second_reg)
        staff = live_sockets.staff(make_user(meeting=meeting, role=RoleKind.MODERATOR),
                                   meeting.id)
        screen = presenter_socket(app, meeting)

        @classmethod
        def all(cls):
            return (cls.first, cls.second, cls.staff, cls.screen)

        @classmethod
        def drain(cls):
            for sio in cls.all():
                sio.get_received()

    Room.drain()
    yield Room
    Room.screen.disconnect()


def create(sio, **fields):
    payload = {"kind": "single", "question": {"es": "¿Qué tema?", "zh_Hans": "什么主题？"},
               "options": ["Salud", "Agua"], **fields}
    ack = sio.emit("create_poll", payload, callback=True)
    assert ack["ok"], ack
    return ack["poll"]


def launched(room, **fields):
    poll = create(room.staff, **fields)
    ack = room.staff.emit("open_poll", {"poll_id": poll["id"]}, callback=True)
    assert ack["ok"], ack
    room.drain()
    return ack["poll"]


def answer(sio, poll_id, value, client_id="c1"):
    return sio.emit("answer_poll", {"poll_id": poll_id, "client_id": client_id,
                                    "value": value}, callback=True)


def test_drafts_reach_staff_only_and_open_polls_everyone(room, received):
    poll = create(room.staff)
    assert set(poll) == {"id", "kind", "question", "options", "max_choices", "scale",
                         "results", "anonymous", "status", "agenda_item_id", "position",
                         "answer_count", "version", "opened_at", "closed_at"}
    assert list(poll["question"]) == ["zh_Hans", "es"]
    [changed] = received.of(room.staff, "poll_changed")
    assert changed["poll"] == poll and changed["seq"] > 0
    for sio in (room.first, room.screen):
        assert received.of(sio, "poll_changed") == []
    ack = room.staff.emit("open_poll", {"poll_id": poll["id"]}, callback=True)
    assert ack["poll"]["status"] == "open"
    for sio in room.all():
        assert received.of(sio, "poll_changed")[-1]["poll"]["status"] == "open"
    ack = room.staff.emit("close_poll", {"poll_id": poll["id"]}, callback=True)
    assert ack["ok"] and ack["poll"]["status"] == "closed" and ack["poll"]["closed_at"]


def test_delete_and_update_of_drafts(room, received):
    poll = create(room.staff)
    ack = room.staff.emit("update_poll", {"poll_id": poll["id"], "version": 1,
                                          "kind": "ranking", "options": ["a", "b", "c"]},
                          callback=True)
    assert ack["ok"] and ack["poll"]["kind"] == "ranking" and ack["poll"]["version"] == 2
    stale = room.staff.emit("update_poll", {"poll_id": poll["id"], "version": 1,
                                            "anonymous": False}, callback=True)
    assert stale["error"]["code"] == "conflict" and stale["error"]["poll"]["version"] == 2
    assert room.staff.emit("delete_poll", {"poll_id": poll["id"]}, callback=True) == {"ok": True}
    assert received.of(room.staff, "poll_removed")[-1]["poll_id"] == poll["id"]
    assert received.of(room.first, "poll_removed") == []


def test_answers_are_acked_idempotent_and_results_follow(room, received):
    poll = launched(room)
    ack = answer(room.first, poll["id"], {"choice": 1})
    assert ack == {"ok": True, "answer": {"value": {"choice": 1}, "status": "shown"}}
    assert answer(room.first, poll["id"], {"choice": 0}) == ack  # a retry: stored once
    frames = received.of(room.second, "poll_results_changed")
    assert frames[-1] == {"results": {str(poll["id"]): {"kind": "single", "total": 1,
                                                        "counts": [0, 1]}},
                          "revs": {str(poll["id"]): 1}}
    assert answer(room.staff, poll["id"], {"choice": 0})["error"]["code"] == "forbidden"
    assert answer(room.first, poll["id"], {"choice": 5}, "c2")["error"]["field"] == "value"
    assert answer(room.first, poll["id"], "nope", "c3")["error"]["field"] == "value"
    room.staff.emit("close_poll", {"poll_id": poll["id"]}, callback=True)
    closed = answer(room.first, poll["id"], {"choice": 0}, "c4")
    assert closed["error"]["code"] == "closed" and closed["error"]["message"]


@pytest.mark.parametrize("visibility", ["never", "closed"])
def test_attendees_never_get_hidden_results(room, received, visibility):
    poll = launched(room, results=visibility)
    for n, sio in enumerate((room.first, room.second)):
        assert answer(sio, poll["id"], {"choice": n})["ok"]
    key = str(poll["id"])
    for sio in (room.staff, room.screen):
        frames = received.of(sio, "poll_results_changed")
        assert frames[-1]["results"][key]["counts"] == [1, 1]
        assert len([f for f in frames if key in f["results"]]) == 2  # once per answer, no copy
    for sio in (room.first, room.second):
        assert received.of(sio, "poll_results_changed") == []
        snapshot = sio.emit("join", {}, callback=True)["snapshot"]["polls"]
        assert snapshot["results"] == {} and snapshot["revs"] == {}
    mine = room.first.emit("join", {}, callback=True)["snapshot"]["polls"]["my_answers"]
    assert mine == {key: {"choice": 0}}
    room.staff.emit("close_poll", {"poll_id": poll["id"]}, callback=True)
    frames = received.of(room.first, "poll_results_changed")
    if visibility == "never":
        assert frames == []
    else:
        assert frames[-1]["results"][key]["counts"] == [1, 1]
        joined = room.second.emit("join", {}, callback=True)["snapshot"]["polls"]
        assert joined["results"][key]["total"] == 2


def test_presenter_and_staff_snapshots_carry_results_and_drafts(room):
    poll = launched(room, results="never")
    draft = create(room.staff)
    answer(room.first, poll["id"], {"choice": 1})
    screen = room.screen.emit("join", {}, callback=True)["snapshot"]["polls"]
    assert [p["id"] for p in screen["polls"]] == [poll["id"]]
    assert screen["results"][str(poll["id"])]["counts"] == [0, 1]
    assert screen["my_answers"] == {}
    staff = room.staff.emit("join", {}, callback=True)["snapshot"]["polls"]
    assert [p["id"] for p in staff["polls"]] == [poll["id"], draft["id"]]
    attendee = room.second.emit("join", {}, callback=True)["snapshot"]["polls"]
    assert [p["id"] for p in attendee["polls"]] == [poll["id"]]


def test_rejoin_replays_poll_events_and_carries_current_figures(room, live_sockets):
    seq = room.first.emit("join", {}, callback=True)["seq"]
    poll = launched(room)
    answer(room.first, poll["id"], {"choice": 0})
    answer(room.second, poll["id"], {"choice": 0})
    room.staff.emit("close_poll", {"poll_id": poll["id"]}, callback=True)
    room.first.disconnect()  # a dropped connection: the new one's join replays the gap
    ack = live_sockets.attendee(room.first_reg).emit("join", {"last_seq": seq}, callback=True)
    statuses = [e["data"]["poll"]["status"] for e in ack["events"] if e["type"] == "poll_changed"]
    assert statuses == ["open", "closed"]  # the draft was staff-only
    figures = ack["figures"]["polls"]
    assert figures["results"][str(poll["id"])]["counts"] == [2, 0]
    assert figures["revs"][str(poll["id"])] == 2
    assert figures["my_answers"] == {str(poll["id"]): {"choice": 0}}


def test_open_text_moderation_reaches_staff_and_results(room, meeting, received):
    assert meeting.qa_moderation == ModerationMode.PRE
    poll = launched(room, kind="open_text", options=None)
    ack = answer(room.first, poll["id"], {"text": "<script>alert(1)</script>"})
    assert ack["answer"]["status"] == "pending"
    [review] = received.of(room.staff, "poll_answers_changed")
    [pending] = review["answers"][str(poll["id"])]
    assert pending["status"] == "pending" and pending["name"] is None
    assert received.of(room.second, "poll_answers_changed") == []
    ack = room.staff.emit("moderate_poll_answer", {"poll_id": poll["id"],
                                                    "answer_id": pending["id"], "shown": True},
                          callback=True)
    assert ack == {"ok": True}
    assert received.of(room.staff, "poll_answer_moderated")[-1]["shown"] is True
    seen = received(room.second)
    assert "poll_answer_moderated" not in {m["name"] for m in seen}
    frames = [m["args"][0] for m in seen if m["name"] == "poll_results_changed"]
    assert frames[-1]["results"][str(poll["id"])]["answers"] == [
        {"id": pending["id"], "text": "<script>alert(1)</script>", "name": None}]


def test_many_answers_are_coalesced_into_few_frames_equal_to_the_database(
        app, meeting, room, live_sockets, received):
    poll = launched(room, kind="word_cloud", options=None)
    coalescer.interval = 3600  # no background flushes: flush by hand below
    try:
        voters = [live_sockets.attendee(make_registration(meeting)) for _ in range(8)]
        words = ["Salud", "salud", "SALUD", "ｓａｌｕｄ", "salúd", "公共卫生", "Agua", "agua"]
        for sio, word in zip(voters, words, strict=True):
            assert answer(sio, poll["id"], {"words": [word]})["ok"]
        assert received.of(room.second, "poll_results_changed") == []
        assert coalescer.flush() == 1
    finally:
        coalescer.interval = 0
    frames = received.of(room.second, "poll_results_changed")
    assert len(frames) == 1
    stored = services.results_of(db.session.get(Poll, poll["id"]))
    assert frames[0]["results"][str(poll["id"])] == stored
    assert stored["words"] == [{"text": "Salud", "count": 5}, {"text": "Agua", "count": 2},
                               {"text": "公共卫生", "count": 1}]


def test_naughty_strings_through_the_socket(room, meeting, received):
    meeting.qa_moderation = ModerationMode.POST
    db.session.commit()
    cloud = launched(room, kind="word_cloud", options=None)
    text = launched(room, kind="open_text", options=None)
    sent = {}
    for n, string in enumerate(blns_strings()):
        ack = room.staff.emit("create_poll", {"kind": "single", "question": string,
                                              "options": [string, "b"]}, callback=True)
        usable = string.strip() and forbidden_character(string) is None
        if usable and len(string) <= services.OPTION_MAX:
            assert ack["ok"], (string, ack)
        else:
            assert ack["error"]["code"] == "invalid"
        sio = (room.first, room.second)[n % 2]
        for poll, value in ((text, {"text": string}), (cloud, {"words": [string]})):
            ack = answer(sio, poll["id"], value, f"{poll['id']}-{n}")
            assert ack["ok"] or ack["error"]["code"] == "invalid", (string, ack)
            if ack["ok"]:
                sent[(poll["id"], sio is room.first)] = ack["answer"]["value"]
    db.session.expire_all()
    for (poll_id, first), value in sent.items():
        registration = room.first_reg if first else room.second_reg
        stored = db.session.scalar(select(PollAnswer.value).where(
            PollAnswer.poll_id == poll_id, PollAnswer.registration_id == registration.id))
        assert stored == value


#: A payload for each poll command, given a draft, an open poll and an answer.
PAYLOADS = {
    "create_poll": lambda d, o, a: {"kind": "rating", "question": "¿Qué tal?"},
    "answer_poll": lambda d, o, a: {"poll_id": o, "client_id": "m", "value": {"text": "hola"}},
    "update_poll": lambda d, o, a: {"poll_id": d, "version": 1, "anonymous": False},
    "open_poll": lambda d, o, a: {"poll_id": d},
    "close_poll": lambda d, o, a: {"poll_id": o},
    "moderate_poll_answer": lambda d, o, a: {"poll_id": o, "answer_id": a, "shown": True},
    "delete_poll": lambda d, o, a: {"poll_id": create_for_delete(d)},
}


def create_for_delete(draft_id):
    poll = db.session.get(Poll, draft_id)
    organiser = services.Participant(poll.meeting_id, user_id=1,
                                     roles=frozenset({RoleKind.ORGANISER}))
    return services.create_poll(organiser, kind="rating", question="x").id


def test_every_poll_command_is_in_the_matrix():
    assert set(PAYLOADS) == set(COMMANDS)
    assert set(COMMANDS) - {"answer_poll"} == STAFF_COMMANDS


@pytest.mark.parametrize("who", ["attendee", "organiser", "moderator", "interpreter",
                                 "presenter", "outsider"])
def test_authorisation_matrix(app, meeting, room, live_sockets, who):
    if who == "attendee":
        sio = live_sockets.attendee(make_registration(meeting))
    elif who == "presenter":
        sio = room.screen
    elif who == "outsider":
        other = make_meeting()
        sio = live_sockets.attendee(make_registration(other))
    else:
        sio = live_sockets.staff(make_user(meeting=meeting, role=RoleKind(who)), meeting.id)
    draft = create(room.staff)
    opened = launched(room, kind="open_text", options=None)
    answer(room.first, opened["id"], {"text": "primera"})
    answer_id = db.session.scalar(select(PollAnswer.id))
    for name in PAYLOADS:  # in this order: the draft is updated before it is opened
        ack = sio.emit(name, PAYLOADS[name](draft["id"], opened["id"], answer_id), callback=True)
        if who == "outsider":
            # Another meeting's attendee: its ids do not exist there.
            expected = "forbidden" if name in STAFF_COMMANDS else "not_found"
            assert ack["ok"] is False and ack["error"]["code"] == expected, (name, ack)
        elif name in STAFF_COMMANDS:
            if who in ("organiser", "moderator"):
                assert ack["ok"], (who, name, ack)
            else:
                assert ack["error"]["code"] == "forbidden", (who, name, ack)
        elif who == "attendee":
            assert ack["ok"], (name, ack)
        else:
            assert ack["error"]["code"] == "forbidden", (who, name, ack)
