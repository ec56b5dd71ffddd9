"""Board and clock commands through the Socket.IO test client: acks, broadcasts, replay."""

from __future__ import annotations

import pytest

from tests.conftest import forget_request_caches
from tests.factories import demo_agenda, make_registration, make_user
from tests.support.people import attend, new_staff, second_client
from webapp.accounts.models import RoleKind
from webapp.board import services as board_services
from webapp.board import sockets as board_sockets
from webapp.extensions import db
from webapp.registration.models import Registration


@pytest.fixture
def socket_client_factory(socket_client_factory):
    """Each connect resolves its own session's person (see `forget_request_caches`)."""
    def connect(*args, **kwargs):
        forget_request_caches()
        return socket_client_factory(*args, **kwargs)
    return connect


@pytest.fixture
def staff_socket(app, meeting, socket_client_factory):
    """A moderator's socket on its own HTTP session."""
    def connect(role=RoleKind.MODERATOR):
        user = make_user(meeting=meeting, role=role)
        http, token = second_client(app, email=user.email)
        sio = socket_client_factory(meeting.id, token=token, flask_client=http)
        assert sio.is_connected()
        return sio
    return connect


@pytest.fixture
def attendee_socket(app, client, meeting, registration, socket_client_factory):
    attend(client, meeting, registration)
    sio = socket_client_factory(meeting.id)
    assert sio.is_connected()
    return sio


def test_post_is_acked_and_broadcast_to_everyone(app, meeting, attendee_socket, staff_socket,
                                                 received):
    mod = staff_socket()
    ack = attendee_socket.emit("post_message", {"text": "¡Gracias! 谢谢", "client_id": "a1"},
                               callback=True)
    assert ack["ok"] is True and isinstance(ack["id"], int)
    for sio in (attendee_socket, mod):
        [event] = received.of(sio, "post_published")
        assert event["post"]["text"] == "¡Gracias! 谢谢" and event["seq"] >= 1
    again = attendee_socket.emit("post_message", {"text": "¡Gracias! 谢谢", "client_id": "a1"},
                                 callback=True)
    assert again == ack and received.of(attendee_socket, "post_published") == []


def test_refusals_are_clear_acks(app, meeting, registration, attendee_socket, staff_socket,
                                 received):
    mod = staff_socket()
    assert attendee_socket.emit("post_message", {"text": ""}, callback=True)["error"]["code"] \
        == "invalid"
    assert attendee_socket.emit("post_message", "text", callback=True)["error"]["code"] == \
        "invalid"
    ack = mod.emit("configure_board", {"slow_seconds": 60}, callback=True)
    assert ack == {"ok": True, "mode": "open", "slow_seconds": 60}
    assert received.of(attendee_socket, "board_settings_changed")[-1]["slow_seconds"] == 60
    assert attendee_socket.emit("post_message", {"text": "1"}, callback=True)["ok"]
    slow = attendee_socket.emit("post_message", {"text": "2"}, callback=True)
    assert slow["ok"] is False and slow["error"]["code"] == "rate_limited"
    assert 55 <= slow["error"]["retry_after"] <= 60
    mod.emit("configure_board", {"slow_seconds": 0, "mode": "read_only"}, callback=True)
    closed = attendee_socket.emit("post_message", {"text": "3"}, callback=True)
    assert closed["error"]["code"] == "closed" and closed["error"]["message"]
    mod.emit("configure_board", {"mode": "open"}, callback=True)
    registration = db.session.get(Registration, registration.id)
    registration.muted = True
    db.session.commit()
    muted = attendee_socket.emit("post_message", {"text": "4"}, callback=True)
    assert muted["error"]["code"] == "forbidden"


STAFF_COMMANDS = [
    ("hide_post", lambda post_id, item_id: {"post_id": post_id, "reason": "spam"}),
    ("restore_post", lambda post_id, item_id: {"post_id": post_id}),
    ("pin_post", lambda post_id, item_id: {"post_id": post_id, "pinned": True}),
    ("configure_board", lambda post_id, item_id: {"mode": "read_only"}),
    ("start_next_item", lambda post_id, item_id: {}),
    ("jump_to_item", lambda post_id, item_id: {"item_id": item_id}),
    ("end_current_item", lambda post_id, item_id: {}),
    ("end_meeting", lambda post_id, item_id: {}),
]


@pytest.mark.parametrize("role", [None, RoleKind.MODERATOR, RoleKind.ORGANISER,
                                  RoleKind.INTERPRETER])
def test_authorisation_matrix(app, meeting, attendee_socket, staff_socket, role):
    items = demo_agenda(meeting)
    post_id = attendee_socket.emit("post_message", {"text": "hola"}, callback=True)["id"]
    announcement = board_services.post(new_staff(meeting), "Bienvenidos")
    sio = attendee_socket if role is None else staff_socket(role)
    # Interpreters translate, nothing else: every staff command is refused to them.
    for command, payload in STAFF_COMMANDS:
        ack = sio.emit(command, payload(post_id, items[3].id), callback=True)
        if role in (None, RoleKind.INTERPRETER):
            assert ack["ok"] is False and ack["error"]["code"] == "forbidden", command
        else:
            assert ack["ok"] is True, (command, ack)
    ack = sio.emit("translate_post", {"post_id": announcement.id, "language": "es",
                                      "text": "Bienvenidos a todos"}, callback=True)
    if role is None:
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    else:
        assert ack["ok"] is True, ack


def test_hidden_post_reason_reaches_the_author_only(app, meeting, client, attendee_socket,
                                                     staff_socket, socket_client_factory, received):
    mod = staff_socket()
    other_http, token = second_client(app, meeting=meeting,
                                      registration=make_registration(meeting))
    other = socket_client_factory(meeting.id, token=token, flask_client=other_http)
    post_id = attendee_socket.emit("post_message", {"text": "oops"}, callback=True)["id"]
    for sio in (attendee_socket, mod, other):
        sio.get_received()
    assert mod.emit("hide_post", {"post_id": post_id, "reason": "<b>off topic</b>"},
                    callback=True)["ok"]
    mine = [e["post"] for e in received.of(attendee_socket, "post_hidden")]
    theirs = [e["post"] for e in received.of(other, "post_hidden")]
    assert any(p.get("hide_reason") == "<b>off topic</b>" for p in mine)
    assert theirs == [{"id": post_id, "created_at": theirs[0]["created_at"], "pinned": False,
                       "hidden": True, "reactions": {}, "reactions_rev": 0}]


def test_reaction_counts_are_coalesced(app, meeting, attendee_socket, socket_client_factory,
                                       received):
    post_id = attendee_socket.emit("post_message", {"text": "¡Bravo!"}, callback=True)["id"]
    others = []
    for _n in range(5):
        http, token = second_client(app, meeting=meeting,
                                    registration=make_registration(meeting))
        others.append(socket_client_factory(meeting.id, token=token, flask_client=http))
    attendee_socket.get_received()
    for sio in others:
        for kind in ("thanks", "applause"):
            assert sio.emit("react", {"post_id": post_id, "kind": kind}, callback=True) == \
                {"ok": True, "on": True}
    assert others[0].emit("react", {"post_id": post_id, "kind": "like", "on": "yes"},
                          callback=True)["error"]["code"] == "invalid"
    board_sockets.coalescer.flush()  # what the background task does a few times a second
    updates = received.until(attendee_socket, "reaction_counts_changed", lambda updates: (
        updates[-1]["counts"][str(post_id)] == {"thanks": 5, "applause": 5} if updates else False))
    assert updates[-1]["counts"][str(post_id)] == {"thanks": 5, "applause": 5}
    assert len(updates) < 10  # ten clicks, far fewer broadcasts
    assert all("seq" not in u for u in updates)


def test_load_older_posts_and_snapshot(app, meeting, attendee_socket):
    for n in range(60):
        attendee_socket.emit("post_message", {"text": f"p{n}"}, callback=True)
    ack = attendee_socket.emit("join", {"last_seq": None}, callback=True)
    board = ack["snapshot"]["board"]
    assert [p["text"] for p in board["posts"]] == [f"p{n}" for n in range(10, 60)]
    assert board["more"] is True and board["reactions"] == ["thanks", "applause", "like",
                                                            "insightful"]
    assert "clock" in ack["snapshot"]
    older = attendee_socket.emit("load_posts", {"before": board["before"]}, callback=True)
    assert [p["text"] for p in older["posts"]] == [f"p{n}" for n in range(10)]
    assert older["more"] is False
    assert attendee_socket.emit("load_posts", {"before": "x"}, callback=True)["error"][
        "code"] == "invalid"


def test_rejoin_replays_missed_posts_and_clock_changes(app, meeting, attendee_socket,
                                                       staff_socket, socket_client_factory):
    demo_agenda(meeting)
    mod = staff_socket()
    seq = attendee_socket.emit("join", {"last_seq": None}, callback=True)["seq"]
    attendee_socket.disconnect()
    mod.emit("post_message", {"text": "Missed announcement"}, callback=True)
    mod.emit("start_next_item", {}, callback=True)
    back = socket_client_factory(meeting.id)  # the same attendee, reconnected
    ack = back.emit("join", {"last_seq": seq}, callback=True)
    assert [e["type"] for e in ack["events"]] == ["post_published", "clock_changed"]
    assert ack["events"][0]["data"]["post"]["text"] == "Missed announcement"
    clock = ack["events"][1]["data"]["clock"]
    assert clock["status"] == "live" and clock["current_item_id"] is not None
    assert [e["data"]["seq"] for e in ack["events"]] == [seq + 1, seq + 2]
