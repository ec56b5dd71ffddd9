"""Q&A handlers through the Socket.IO test client: acks, rooms, authorisation, privacy."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tests.factories import (
    demo_agenda,
    make_meeting,
    make_question,
    make_registration,
    make_user,
)
from tests.support.blns import blns_strings
from tests.support.live import wait_for
from webapp.accounts.models import RoleKind
from webapp.core.ratelimit import rate_limits
from webapp.core.text import forbidden_character
from webapp.extensions import db
from webapp.meetings.models import ModerationMode
from webapp.qa.models import Question, QuestionStatus, Vote
from webapp.qa.sockets import COMMANDS, STAFF_COMMANDS
from webapp.qa.tally import coalescer

#: Fields that exist only in staff or own payloads.
PRIVATE_KEYS = ("registration_id", "email", "original_text", "dismiss_reason", "dismiss_note",
                "version", "organisation_type", "mine")


@pytest.fixture
def people(meeting, live_sockets):
    """An asker, a second attendee and a moderator, all connected."""
    asker = make_registration(meeting, name="Secret Asker", email="asker@example.org",
                              organisation="Secret Org")
    other = make_registration(meeting)
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)

    class People:
        asker_reg = asker
        other_reg = other
        asker_sio = live_sockets.attendee(asker)
        other_sio = live_sockets.attendee(other)
        staff_sio = live_sockets.staff(moderator, meeting.id)

        @classmethod
        def drain(cls):
            for sio in (cls.asker_sio, cls.other_sio, cls.staff_sio):
                sio.get_received()

    People.drain()
    return People


def ask(sio, text="¿Cómo se financian los centros?", **extra):
    payload = {"text": text, "client_id": extra.pop("client_id", text[:60] or "c"), **extra}
    return sio.emit("ask_question", payload, callback=True)


def test_pre_moderated_question_reaches_staff_then_everyone_on_approval(people, received):
    ack = ask(people.asker_sio, anonymous=True)
    assert ack["ok"] is True and ack["question"]["status"] == "pending"
    question_id = ack["question"]["id"]
    staff = received(people.staff_sio, "staff_question_changed")
    assert staff[0]["args"][0]["question"]["author"]["email"] == "asker@example.org"
    assert received(people.other_sio) == []
    assert received(people.asker_sio, "own_question_changed")[0]["args"][0]["action"] == "asked"

    version = staff[0]["args"][0]["question"]["version"]
    ack = people.staff_sio.emit("approve_question",
                                {"question_id": question_id, "version": version},
                                callback=True)
    assert ack["ok"] and ack["question"]["version"] == version + 1
    published = received(people.other_sio, "question_published")
    assert published[0]["args"][0]["question"]["author"] is None
    assert published[0]["args"][0]["seq"] > 0


def test_retried_ask_over_the_socket_is_stored_once(people):
    first = ask(people.asker_sio, client_id="retry-1")
    second = ask(people.asker_sio, client_id="retry-1")
    assert first["question"]["id"] == second["question"]["id"]
    assert db.session.scalar(select(func.count()).select_from(Question)) == 1


def test_bad_payloads_get_invalid_acks_never_server_errors(people):
    for command in COMMANDS:
        for payload in ({}, {"question_id": "1", "version": "x", "text": 5, "voted": "yes",
                             "labels": "x", "items": "x", "registration_id": True},
                        {"question_id": -1, "version": 2**70}):
            if command == "update_qa_settings":
                continue  # unknown keys are ignored: nothing to change is a valid request
            ack = people.staff_sio.emit(command, payload, callback=True)
            assert ack["ok"] is False, (command, payload, ack)
            assert ack["error"]["code"] in {"invalid", "not_found", "forbidden"}, (command, ack)
    ack = people.staff_sio.emit("update_qa_settings", {"open": "no"}, callback=True)
    assert ack["error"]["code"] == "invalid" and ack["error"]["field"] == "open"
    ack = ask(people.asker_sio, "x" * 501)
    assert ack["error"]["code"] == "invalid" and ack["error"]["field"] == "text"
    assert ask(people.asker_sio, "nul \x00")["error"]["code"] == "invalid"


def test_attendee_sending_any_moderator_command_is_refused(people, meeting):
    question = make_question(meeting, status=QuestionStatus.PENDING)
    payload = {"question_id": question.id, "version": question.version, "reason": "other",
               "text": "hijacked", "into_id": question.id, "into_version": question.version,
               "labels": ["x"], "starred": True, "action": "approve",
               "items": [{"question_id": question.id, "version": question.version}],
               "moderation": "post", "open": False, "registration_id": people.other_reg.id,
               "muted": True, "banned": True, "question_ids": [question.id]}
    assert len(STAFF_COMMANDS) == 18
    for command in sorted(STAFF_COMMANDS):
        ack = people.asker_sio.emit(command, payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", command
    db.session.expire_all()
    unchanged = db.session.get(Question, question.id)
    assert (unchanged.status, unchanged.version, unchanged.text) == (
        QuestionStatus.PENDING, question.version, question.text)
    assert people.asker_sio.is_connected() and people.other_sio.is_connected()


def test_moderator_of_meeting_a_cannot_touch_meeting_b(people, meeting, live_sockets):
    other_meeting = make_meeting()
    theirs = make_question(other_meeting, make_registration(other_meeting),
                           status=QuestionStatus.PENDING)
    outsider = make_registration(other_meeting)
    payload = {"question_id": theirs.id, "version": theirs.version, "reason": "other",
               "text": "x", "into_id": theirs.id, "into_version": 1, "labels": [],
               "starred": True, "registration_id": outsider.id, "muted": True,
               "banned": True, "question_ids": [theirs.id]}
    for command in sorted(STAFF_COMMANDS - {"bulk_moderate", "update_qa_settings"}):
        ack = people.staff_sio.emit(command, payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "not_found", command
    ack = people.staff_sio.emit("bulk_moderate", {"action": "approve", "items": [
        {"question_id": theirs.id, "version": theirs.version}]}, callback=True)
    assert ack["results"][0]["error"]["code"] == "not_found"
    ack = people.asker_sio.emit("vote", {"question_id": theirs.id, "voted": True},
                                callback=True)
    assert ack["error"]["code"] == "not_found"
    db.session.expire_all()
    assert db.session.get(Question, theirs.id).status == QuestionStatus.PENDING
    assert not db.session.get(type(outsider), outsider.id).banned


def test_staff_only_payloads_never_reach_attendees(people, meeting, received):
    asked = ask(people.asker_sio, "Anónima", anonymous=True)["question"]
    pending = ask(people.asker_sio, "Never approved")["question"]
    staff = people.staff_sio

    def act(command, **payload):
        current = db.session.get(Question, payload["question_id"])
        db.session.refresh(current)
        ack = staff.emit(command, {"version": current.version, **payload}, callback=True)
        assert ack["ok"], (command, ack)

    act("approve_question", question_id=asked["id"])
    act("edit_question", question_id=asked["id"], text="Anónima, corregida")
    act("highlight_question", question_id=asked["id"])
    act("set_labels", question_id=asked["id"], labels=["salud"])
    people.other_sio.emit("vote", {"question_id": asked["id"], "voted": True}, callback=True)
    act("answer_question", question_id=asked["id"], text="Respuesta")
    act("dismiss_question", question_id=pending["id"], reason="off_topic", note="nota privada")
    staff.emit("mute_participant", {"registration_id": people.asker_reg.id, "muted": True},
               callback=True)
    staff.emit("join", {"last_seq": None}, callback=True)
    arrived = received(people.other_sio)
    assert {m["name"] for m in arrived} >= {"question_published", "question_updated",
                                             "vote_tally_changed"}
    ack = people.other_sio.emit("join", {"last_seq": 0}, callback=True)
    replay = people.other_sio.emit("join", {"last_seq": None}, callback=True)
    wire = json.dumps([arrived, ack, replay], ensure_ascii=False)
    for secret in ("Secret Asker", "asker@example.org", "Secret Org", "Never approved",
                   "nota privada", "pending", *PRIVATE_KEYS):
        assert secret not in wire, secret
    assert "asker@example.org" in json.dumps(received(staff))


def test_votes_are_idempotent_and_tallies_coalesced(people, meeting, app, received):
    question = make_question(meeting)
    coalescer.interval = 3600  # no background flushes: flush by hand below
    try:
        for sio in (people.asker_sio, people.other_sio):
            for _ in range(4):
                ack = sio.emit("vote", {"question_id": question.id, "voted": True},
                               callback=True)
                assert ack["ok"] and ack["voted"] is True
        assert received(people.other_sio, "vote_tally_changed") == []
        assert coalescer.flush() == 1
    finally:
        coalescer.interval = 0
    tallies = received(people.other_sio, "vote_tally_changed")
    assert [m["args"][0] for m in tallies] == [{"tallies": {str(question.id): 2},
                                                    "revs": {str(question.id): 2}}]
    assert received(people.asker_sio, "own_vote_changed")[0]["args"][0] == {
        "question_id": question.id, "voted": True}
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 2
    ack = people.other_sio.emit("vote", {"question_id": question.id, "voted": False},
                                callback=True)
    assert ack["votes"] == 1


def test_background_coalescer_flushes_by_itself(people, meeting, received):
    """Under threading (the test mode) the coalescer runs as a Socket.IO background task."""
    question = make_question(meeting)
    coalescer.interval = 0.05
    try:
        for sio in (people.asker_sio, people.other_sio):
            sio.emit("vote", {"question_id": question.id, "voted": True}, callback=True)
        tallies = received.until(people.staff_sio, "vote_tally_changed", lambda tallies: (
            tallies[-1]["tallies"][str(question.id)] == 2 if tallies else False))
    finally:
        coalescer.interval = 0
    assert tallies[-1] == {"tallies": {str(question.id): 2}, "revs": {str(question.id): 2}}
    assert len(tallies) <= 2  # two votes, at most two ticks


def test_stale_moderator_action_is_refused_with_current_state(people, meeting,
                                                              live_sockets, received):
    question = make_question(meeting, status=QuestionStatus.PENDING)
    second = live_sockets.staff(make_user(meeting=meeting, role=RoleKind.ORGANISER),
                                meeting.id)
    seen = question.version
    assert people.staff_sio.emit("approve_question", {"question_id": question.id,
                                                      "version": seen}, callback=True)["ok"]
    ack = second.emit("dismiss_question", {"question_id": question.id, "version": seen,
                                           "reason": "duplicate"}, callback=True)
    assert ack["error"]["code"] == "conflict"
    assert ack["error"]["question"]["status"] == "live"
    changed = received(second, "staff_question_changed")
    assert changed[-1]["args"][0]["question"]["version"] == ack["error"]["question"]["version"]


def test_own_question_vote_is_refused_with_its_own_code(people, meeting):
    mine = ask(people.asker_sio, "¿Puedo votar mi propia pregunta?")["question"]
    people.staff_sio.emit("approve_question", {"question_id": mine["id"], "version": 1},
                          callback=True)
    ack = people.asker_sio.emit("vote", {"question_id": mine["id"], "voted": True},
                                callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "own_question"
    assert ack["error"]["message"]
    other = people.other_sio.emit("vote", {"question_id": mine["id"], "voted": True},
                                  callback=True)
    assert other["ok"] is True and other["votes"] == 1


def test_rate_limited_ack(people, meeting):
    rate_limits.enabled = True
    rate_limits.reset()
    try:
        acks = [ask(people.asker_sio, f"pregunta {n}") for n in range(6)]
    finally:
        rate_limits.reset()
        rate_limits.enabled = False
    assert [a["ok"] for a in acks] == [True] * 5 + [False]
    assert acks[-1]["error"]["code"] == "rate_limited"
    assert acks[-1]["error"]["retry_after"] >= 1 and acks[-1]["error"]["message"]


def test_ban_closes_every_socket_of_the_attendee(people, meeting, live_sockets):
    second_tab = live_sockets.attendee(people.asker_reg)
    ack = people.staff_sio.emit("ban_participant", {"registration_id": people.asker_reg.id,
                                                    "banned": True}, callback=True)
    assert ack == {"ok": True, "registration_id": people.asker_reg.id, "banned": True}
    assert not people.asker_sio.is_connected() and not second_tab.is_connected()
    assert people.other_sio.is_connected()
    with pytest.raises(AssertionError):
        live_sockets.attendee(people.asker_reg)


def test_mute_stops_asking_but_not_voting(people, meeting, received):
    question = make_question(meeting)
    people.staff_sio.emit("mute_participant", {"registration_id": people.asker_reg.id,
                                               "muted": True}, callback=True)
    assert received(people.asker_sio, "own_status_changed")[0]["args"][0]["muted"] is True
    assert ask(people.asker_sio)["error"]["code"] == "muted"
    assert people.asker_sio.emit("vote", {"question_id": question.id, "voted": True},
                                 callback=True)["ok"]


def test_settings_live_and_snapshot_keys(people, meeting, received):
    ack = people.staff_sio.emit("update_qa_settings", {"moderation": "post", "open": True},
                                callback=True)
    assert ack["settings"]["moderation"] == "post"
    changed = received(people.other_sio, "qa_settings_changed")
    assert changed[0]["args"][0]["settings"]["moderation"] == "post"
    db.session.refresh(meeting)
    assert meeting.qa_moderation == ModerationMode.POST
    snapshot = people.other_sio.emit("join", {"last_seq": None}, callback=True)["snapshot"]
    assert snapshot["qa"]["settings"]["moderation"] == "post"
    assert snapshot["presence"] == {"online": 3}
    staff_snapshot = people.staff_sio.emit("join", {}, callback=True)["snapshot"]
    assert set(staff_snapshot["qa"]["counts"]) == {"pending", "live", "answered", "dismissed",
                                                   "archived"}


def test_presence_counts_people_not_tabs(meeting, live_sockets, received):
    first = make_registration(meeting)
    watcher = live_sockets.attendee(make_registration(meeting))
    tab_one = live_sockets.attendee(first)
    live_sockets.attendee(first)
    counts = [m["args"][0]["online"] for m in received(watcher, "presence_changed")]
    assert counts == [2]
    tab_one.disconnect()
    assert received(watcher, "presence_changed") == []  # the second tab still counts


def test_find_similar_and_merge_over_the_socket(people, meeting, received):
    people.staff_sio.emit("update_qa_settings", {"moderation": "post"}, callback=True)
    source = ask(people.asker_sio, "社区卫生服务中心如何筹资？")["question"]
    target = ask(people.other_sio, "社区卫生服务中心的资金从哪里来？")["question"]
    similar = people.other_sio.emit("find_similar", {"text": "社区卫生服务中心如何筹资"},
                                    callback=True)["similar"]
    assert similar[0]["question"]["id"] == source["id"]
    people.drain()
    ack = people.staff_sio.emit("merge_questions", {
        "question_id": source["id"], "version": 1, "into_id": target["id"],
        "into_version": 1}, callback=True)
    assert ack["ok"] and ack["question"]["merged_into_id"] == target["id"]
    told = received(people.asker_sio, "own_question_changed")
    assert told[-1]["args"][0]["merged_into"]["id"] == target["id"]


def test_a_spanish_question_merges_into_a_chinese_one(people, meeting, received):
    """Similarity cannot pair these wordings; the console's picker can, and the server lets it."""
    source = ask(people.asker_sio, "¿Cómo se financian los centros de salud comunitarios?",
                 language="es")["question"]
    target = ask(people.other_sio, "社区卫生服务中心如何筹资？", language="zh_Hans")["question"]
    assert source["status"] == target["status"] == "pending"
    people.staff_sio.emit("approve_question", {"question_id": target["id"], "version": 1},
                          callback=True)
    people.other_sio.emit("vote", {"question_id": source["id"], "voted": True}, callback=True)
    similar = people.staff_sio.emit("similar_questions", {"question_id": source["id"]},
                                    callback=True)["similar"]
    assert target["id"] not in [found["question_id"] for found in similar]
    people.drain()
    ack = people.staff_sio.emit("merge_questions", {
        "question_id": source["id"], "version": 1, "into_id": target["id"],
        "into_version": 2}, callback=True)
    assert ack["ok"], ack
    assert ack["question"]["merged_into_id"] == target["id"]
    assert ack["question"]["status"] == "dismissed" and ack["question"]["language"] == "es"
    told = received(people.asker_sio, "own_question_changed")
    assert told[-1]["args"][0]["merged_into"]["id"] == target["id"]
    assert told[-1]["args"][0]["merged_into"]["language"] == "zh_Hans"
    staff = [m["args"][0] for m in received(people.staff_sio, "staff_question_changed")]
    assert {(m["action"], m["question"]["id"]) for m in staff} >= {
        ("merged", source["id"]), ("merge_received", target["id"])}


def test_merge_into_a_bad_target_gets_a_clear_refusal(people, meeting):
    source = make_question(meeting, text="¿Quién paga?")
    other_meeting = make_question(make_meeting(), text="谁出钱？")
    merged = make_question(meeting, text="Who pays?")
    kept = make_question(meeting, text="Who pays for it?")
    archived = make_question(meeting, text="Old one", status=QuestionStatus.ARCHIVED)

    def merge(into_id, into_version=1):
        return people.staff_sio.emit("merge_questions", {
            "question_id": source.id, "version": 1, "into_id": into_id,
            "into_version": into_version}, callback=True)

    assert people.staff_sio.emit("merge_questions", {
        "question_id": merged.id, "version": 1, "into_id": kept.id, "into_version": 1},
        callback=True)["ok"]
    cases = {
        "other meeting": (merge(other_meeting.id), "not_found"),
        "nonexistent": (merge(2_000_000_000), "not_found"),
        "itself": (merge(source.id), "invalid"),
        "already merged": (merge(merged.id, 2), "invalid"),
        "archived": (merge(archived.id), "closed"),
    }
    for name, (ack, code) in cases.items():
        assert ack["ok"] is False, name
        assert ack["error"]["code"] == code, (name, ack)
        assert ack["error"]["message"], name
        assert ack["error"]["field"] == "into_id", (name, ack)
    # An attendee cannot merge, and nothing changed.
    refused = people.other_sio.emit("merge_questions", {
        "question_id": source.id, "version": 1, "into_id": kept.id, "into_version": 1},
        callback=True)
    assert refused["error"]["code"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(Question, source.id).merged_into_id is None


@pytest.mark.blns
def test_blns_strings_round_trip_or_get_a_clean_error(people, meeting):
    people.staff_sio.emit("update_qa_settings", {"moderation": "post"}, callback=True)
    strings = [s for s in blns_strings() if s.strip()]
    stored = {}
    for n, text in enumerate(strings):
        ack = ask(people.asker_sio, text, client_id=f"blns-{n}")
        if ack["ok"]:
            stored[ack["question"]["id"]] = text
        else:
            assert ack["error"]["code"] == "invalid", (text, ack)
            assert forbidden_character(text) is not None, text
    assert len(stored) > len(strings) * 0.9
    snapshot = people.other_sio.emit("join", {}, callback=True)["snapshot"]
    texts = {q["id"]: q["text"] for q in snapshot["qa"]["questions"]}
    assert texts == stored


def test_presenter_screen_sees_the_public_view_and_can_do_nothing(people, meeting, app, received):

    from tests.conftest import csrf_token_from, forget_request_caches
    from webapp.accounts.models import User
    from webapp.extensions import socketio
    from webapp.qa import presenter_services

    organiser = db.session.scalars(select(User)).first()
    token = presenter_services.rotate_token(organiser, meeting)
    flask_client = app.test_client()
    forget_request_caches()
    csrf = csrf_token_from(flask_client.get("/").get_data(as_text=True))

    def connect(presenter_token):
        return socketio.test_client(app, flask_test_client=flask_client, auth={
            "csrf_token": csrf, "meeting": meeting.id, "presenter_token": presenter_token})

    assert not connect("wrong").is_connected()
    screen = connect(token)
    assert screen.is_connected()
    people.drain()
    snapshot = screen.emit("join", {}, callback=True)["snapshot"]
    assert snapshot["qa"]["own"] == [] and snapshot["presence"] == {"online": 3}
    question = make_question(meeting)
    for command, payload in (("ask_question", {"text": "x", "client_id": "p"}),
                             ("vote", {"question_id": question.id, "voted": True}),
                             ("approve_question", {"question_id": question.id, "version": 1})):
        ack = screen.emit(command, payload, callback=True)
        assert ack["error"]["code"] == "forbidden", command
    people.staff_sio.emit("update_qa_settings", {"moderation": "post"}, callback=True)
    ask(people.asker_sio, "Para la pantalla")
    names = {m["name"] for m in received(screen)}
    assert "question_published" in names and "staff_question_changed" not in names
    screen.disconnect()


def test_editor_page_and_console_send_the_same_settings_events(app, meeting, live_sockets,
                                                                events):
    """Both producers of `qa_settings_changed` / `board_settings_changed` (the organiser's
    settings page and the live console) send one shape, the one the live pages read."""
    from tests.conftest import csrf_token_from, forget_request_caches, login

    organiser = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    console = live_sockets.staff(organiser, meeting.id)
    http = app.test_client()
    forget_request_caches()
    login(http, organiser.email)
    forget_request_caches()
    token = csrf_token_from(http.get(f"/organiser/meetings/{meeting.id}/qa")
                            .get_data(as_text=True))

    def sent(name):
        payloads = [event.payload for event in events if event.type == name]
        events.clear()
        return payloads

    def from_page(path, form):
        forget_request_caches()
        response = http.post(f"/organiser/meetings/{meeting.id}/qa/{path}", data=form)
        assert response.status_code == 302

    length = str(meeting.question_max_length)
    for moderation, anonymous in (("post", False), ("pre", True)):
        form = {"qa-csrf_token": token, "qa-moderation": moderation, "qa-open_": "y",
                "qa-max_length": length}
        if anonymous:
            form["qa-anonymous"] = "y"
        from_page("questions", form)
        from_editor = sent("qa_settings_changed")
        ack = console.emit("update_qa_settings", {"moderation": moderation, "open": True,
                                                  "anonymous_allowed": anonymous},
                           callback=True)
        assert ack["ok"], ack
        from_console = sent("qa_settings_changed")
        assert from_editor == from_console == [{"settings": ack["settings"]}]
        assert ack["settings"]["anonymous_allowed"] is anonymous

    from_page("board", {"board-csrf_token": token, "board-mode": "read_only",
                        "board-slow_seconds": "20"})
    from_editor = sent("board_settings_changed")
    ack = console.emit("configure_board", {"mode": "read_only", "slow_seconds": 20},
                       callback=True)
    assert ack["ok"], ack
    assert from_editor == sent("board_settings_changed") == [{"mode": "read_only",
                                                              "slow_seconds": 20}]


def test_the_console_gets_look_alikes_from_the_server(people, meeting):
    """One similarity rule and threshold: the console asks, the server scores."""
    question = make_question(meeting, text="How are community health centres financed?")
    twin = make_question(meeting, text="how are the community health centres financed",
                         status=QuestionStatus.PENDING)
    make_question(meeting, text="¿Dónde está la sala?")
    archived = make_question(meeting, text="How are community health centres financed!",
                             status=QuestionStatus.ARCHIVED)
    ack = people.staff_sio.emit("similar_questions", {"question_id": question.id},
                                callback=True)
    assert ack["ok"], ack
    assert [found["question_id"] for found in ack["similar"]] == [twin.id]
    assert archived.id not in [found["question_id"] for found in ack["similar"]]
    refused = people.other_sio.emit("similar_questions", {"question_id": question.id},
                                    callback=True)
    assert refused["error"]["code"] == "forbidden"


def test_connected_attendees_receive_the_end_and_their_ask_is_refused(meeting, people,
                                                                       received):
    demo_agenda(meeting)
    assert people.staff_sio.emit("start_next_item", {}, callback=True)["ok"] is True
    question_id = ask(people.asker_sio)["question"]["id"]
    question = db.session.get(Question, question_id)
    question.status, question.highlighted = QuestionStatus.LIVE, True
    db.session.commit()
    people.drain()
    ack = people.staff_sio.emit("end_meeting", {}, callback=True)
    assert ack["ok"] is True and ack["clock"]["status"] == "ended"
    for sio in (people.asker_sio, people.other_sio):
        got: dict = {}

        def both_arrived(sio=sio, got=got):
            for message in received(sio):
                got[message["name"]] = message["args"][0]
            return {"qa_settings_changed", "clock_changed"} <= got.keys()

        wait_for(both_arrived, message="the end on every attendee's socket")
        assert got["qa_settings_changed"]["settings"]["ended"] is True
        assert got["qa_settings_changed"]["settings"]["open"] is False
        assert got["clock_changed"]["clock"]["status"] == "ended"
        assert got["question_updated"]["question"]["highlighted"] is False
    refused = ask(people.other_sio, "¿Una más después del final?")
    assert refused["ok"] is False and refused["error"]["code"] == "closed"
    assert refused["error"]["message"]
    edit = people.asker_sio.emit("edit_my_question",
                                 {"question_id": question_id, "text": "Cambio"}, callback=True)
    vote = people.other_sio.emit("vote", {"question_id": question_id, "voted": True},
                                 callback=True)
    assert edit["error"]["code"] == vote["error"]["code"] == "closed"
    db.session.expire_all()
    assert db.session.get(Question, question_id).highlighted is False
