"""Live Q&A against a real `python -m webapp serve` process and python-socketio clients.

Attendees join exactly as people do: their join token is put in the server's database, the
test GETs the link page for its CSRF token and POSTs it; the session cookie then opens the
socket. Data is prepared and checked through the app factory on the server's own SQLite file.
"""

from __future__ import annotations

import threading
import time

import pytest
import socketio
from sqlalchemy import func, select

from tests.support.blns import blns_strings
from tests.support.live import wait_for
from tests.support.live_clients import close_all
from tests.support.qa_people import Person, attendee, prepare
from tests.support.server import (
    migrate,
    running_server,
    server_db,
    server_env,
    start_server,
)

pytestmark = pytest.mark.server

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    environment = server_env(tmp_path_factory.mktemp("qa-live") / "instance",
                             PUENTE_RATELIMIT="0")
    migrate(environment)
    return environment


@pytest.fixture(scope="module")
def server(env):
    with running_server(env) as running:
        yield running


def ask(client, text, client_id):
    return client.call("ask_question", {"text": text, "client_id": client_id}, timeout=10)


def visible_event_seqs(env, meeting_id: int, after: int, registration_id: int) -> list[int]:
    from webapp.realtime.models import Audience, MeetingEvent

    with server_db(env) as db:
        rows = db.session.scalars(select(MeetingEvent).where(
            MeetingEvent.meeting_id == meeting_id, MeetingEvent.seq > after)).all()
        return sorted(e.seq for e in rows if e.audience == Audience.EVERYONE or (
            e.audience == Audience.PARTICIPANT and e.registration_id == registration_id))


def registration_id_of(env, token: str) -> int:
    from webapp.core.tokens import digest
    from webapp.registration.models import Registration

    with server_db(env) as db:
        return db.session.scalar(select(Registration.id).where(
            Registration.join_token_hash == digest(token)))


def test_rejoin_with_last_seq_gets_exactly_the_missed_events(server, env):
    data = prepare(env, 2)
    watcher_person, asker_person = attendee(server, data, 0), attendee(server, data, 1)
    try:
        watcher, listener = watcher_person.open(data["meeting_id"])
        asker, _ = asker_person.open(data["meeting_id"])
        first = watcher.call("join", {"last_seq": None}, timeout=10)
        first_question = ask(asker, "Primera", "q1")["question"]["id"]
        wait_for(lambda: listener.of("question_published"), message="first question", timeout=15.0)
        last_seq = max(listener.seqs())
        watcher.disconnect()

        for n in range(2, 6):
            assert ask(asker, f"Pregunta {n}", f"q{n}")["ok"]
        refused = asker.call("vote", {"question_id": first_question, "voted": True},
                             timeout=10)  # one's own question: refused, nothing logged
        assert refused["error"]["code"] == "own_question"

        watcher, listener = watcher_person.open(data["meeting_id"])
        ack = watcher.call("join", {"last_seq": last_seq}, timeout=10)
        assert ack["ok"] and "events" in ack, ack
        replayed = [event["data"]["seq"] for event in ack["events"]]
        expected = visible_event_seqs(env, data["meeting_id"], last_seq,
                                      registration_id_of(env, data["tokens"][0]))
        assert replayed == expected  # no gap, no duplicate, in order
        assert replayed and replayed[0] > last_seq and ack["seq"] >= replayed[-1]
        texts = [e["data"]["question"]["text"] for e in ack["events"]
                 if e["type"] == "question_published"]
        assert texts == [f"Pregunta {n}" for n in range(2, 6)]
        assert first["snapshot"]["seq"] <= last_seq
    finally:
        watcher_person.close()
        asker_person.close()


def test_rejoin_after_a_short_drop_brings_the_counts_and_own_votes(server, env):
    """Tallies and own votes carry no `seq`: the replay's ack carries their current figures."""
    data = prepare(env, 3)
    people = [attendee(server, data, n) for n in range(3)]
    try:
        tab_a, _ = people[0].open(data["meeting_id"])
        tab_b, _ = people[0].open(data["meeting_id"])
        asker, _ = people[1].open(data["meeting_id"])
        voter, _ = people[2].open(data["meeting_id"])
        question = ask(asker, "¿Quién financia el programa?", "f1")["question"]["id"]
        last_seq = tab_a.call("join", {"last_seq": None}, timeout=10)["seq"]
        tab_a.disconnect()

        for client in (voter, tab_b):
            assert client.call("vote", {"question_id": question, "voted": True},
                               timeout=10)["votes"] >= 1

        tab_a, _ = people[0].open(data["meeting_id"])
        ack = tab_a.call("join", {"last_seq": last_seq}, timeout=10)
        assert ack["ok"] and "snapshot" not in ack, ack
        figures = ack["figures"]["qa"]
        assert figures["tallies"] == {str(question): 2}
        assert figures["revs"] == {str(question): 2}
        assert figures["my_votes"] == [question]
    finally:
        for person in people:
            person.close()


def test_fifty_clients_voting_four_times_store_fifty_votes(server, env):
    from webapp.qa.models import Question, Vote

    data = prepare(env, 51)
    people = [attendee(server, data, n) for n in range(51)]
    try:
        asker, _ = people[0].open(data["meeting_id"])
        question_id = ask(asker, "¿Votamos?", "vote-me")["question"]["id"]
        voters = [person.open(data["meeting_id"]) for person in people[1:]]
        acks: list[dict] = []
        lock = threading.Lock()

        def acked(ack):
            with lock:
                acks.append(ack)

        for client, _listener in voters:
            for _ in range(4):
                client.emit("vote", {"question_id": question_id, "voted": True},
                            callback=acked)
        wait_for(lambda: len(acks) == 200, message="200 acks", timeout=15.0)
        assert all(ack["ok"] for ack in acks), [a for a in acks if not a["ok"]][:3]

        def final_tally(listener):
            tallies = listener.of("vote_tally_changed")
            return tallies and tallies[-1]["tallies"].get(str(question_id))

        wait_for(lambda: all(final_tally(lst) == 50 for _c, lst in voters),
                 message="every client's tally to reach 50", timeout=15.0)
        with server_db(env) as db:
            stored = db.session.scalar(select(func.count()).select_from(Vote).where(
                Vote.question_id == question_id))
            assert stored == 50
            assert db.session.get(Question, question_id).vote_count == 50
        published = len(voters[0][1].of("vote_tally_changed"))
        print(f"\n200 vote commands -> {published} vote_tally_changed broadcasts per client")
    finally:
        for person in people:
            person.close()


@pytest.mark.blns
def test_blns_question_texts_round_trip_exactly(server, env):
    data = prepare(env, 2)
    asker_person, reader_person = attendee(server, data, 0), attendee(server, data, 1)
    try:
        asker, _ = asker_person.open(data["meeting_id"])
        stored, strings = {}, blns_strings()
        for n, text in enumerate(strings):
            ack = ask(asker, text, f"blns-{n}")
            if ack["ok"]:
                stored[ack["question"]["id"]] = text
                assert ack["question"]["text"] == text
            else:
                assert ack["error"]["code"] == "invalid", (text, ack)
        assert len(stored) > len(strings) * 0.75
        reader, _ = reader_person.open(data["meeting_id"])
        snapshot = reader.call("join", {"last_seq": None}, timeout=30)["snapshot"]
        assert {q["id"]: q["text"] for q in snapshot["qa"]["questions"]} == stored
    finally:
        asker_person.close()
        reader_person.close()


def test_killed_server_restarts_with_every_acknowledged_write_and_clients_resync(
        tmp_path):
    from webapp.qa.models import Question, Vote

    env = server_env(tmp_path / "instance", PUENTE_RATELIMIT="0")
    migrate(env)
    data = prepare(env, 3)
    server = start_server(env)
    people = [attendee(server, data, n) for n in range(3)]
    try:
        clients = []
        for person in people:
            client, listener = person.open(data["meeting_id"], reconnection=True,
                                           reconnection_delay=0.2, reconnection_delay_max=1)
            state = {"seq": client.call("join", {"last_seq": None}, timeout=10)["seq"],
                     "joins": []}

            def rejoin(client=client, state=state):
                def run():
                    ack = client.call("join", {"last_seq": state["seq"]}, timeout=10)
                    state["joins"].append(ack)
                client.start_background_task(run)

            client.on("connect", rejoin)
            clients.append((client, listener, state))
        asker = clients[0][0]
        asked = [ask(asker, f"Antes del corte {n}", f"pre-{n}") for n in range(3)]
        assert all(a["ok"] for a in asked)
        ids = [a["question"]["id"] for a in asked]
        for client, _listener, _state in clients[1:]:
            for question_id in ids[:2]:
                assert client.call("vote", {"question_id": question_id, "voted": True},
                                   timeout=10)["ok"]
        for _client, listener, state in clients:
            wait_for(lambda listener=listener: len(listener.of("question_published")) == 3,
                     message="questions before the crash", timeout=15.0)
            state["seq"] = max(listener.seqs())

        server.stop(kill=True)  # SIGKILL: no shutdown hooks, no flushing
        server = start_server(env, port=server.port)

        for client, _listener, state in clients:
            wait_for(lambda state=state: state["joins"], timeout=30,
                     message="automatic reconnect and join")
            assert client.connected
            assert state["joins"][-1]["ok"] is True
        with server_db(env) as db:
            assert db.session.scalar(select(func.count()).select_from(Question)) == 3
            assert db.session.scalar(select(func.count()).select_from(Vote)) == 4
        snapshot = clients[1][0].call("join", {"last_seq": None}, timeout=10)["snapshot"]
        votes = {q["id"]: q["votes"] for q in snapshot["qa"]["questions"]}
        assert votes == {ids[0]: 2, ids[1]: 2, ids[2]: 0}
        assert sorted(snapshot["qa"]["my_votes"]) == sorted(ids[:2])
        ack = ask(asker, "Después del corte", "post-1")
        assert ack["ok"]
        wait_for(lambda: any(q["question"]["text"] == "Después del corte"
                             for q in clients[2][1].of("question_published")),
                 message="a live event after the restart", timeout=15.0)
    finally:
        for person in people:
            person.close()
        server.stop()


def _online(listener) -> int | None:
    counts = listener.of("presence_changed")
    return counts[-1]["online"] if counts else None


@pytest.mark.parametrize("mode", ["gevent", "threading"])
def test_tallies_and_presence_are_coalesced_under_other_async_modes(tmp_path, mode):
    """The coalescers run as Socket.IO background tasks, so every async mode drives them."""
    env = server_env(tmp_path / "instance", PUENTE_RATELIMIT="0", PUENTE_ASYNC_MODE=mode)
    migrate(env)
    data = prepare(env, 6)
    with running_server(env) as running:
        people = [attendee(running, data, n) for n in range(6)]
        try:
            asker, watcher = people[0].open(data["meeting_id"])
            question_id = ask(asker, "¿Modo?", "mode")["question"]["id"]
            voters = [person.open(data["meeting_id"])[0] for person in people[1:]]
            for client in voters:
                for _ in range(2):
                    assert client.call("vote", {"question_id": question_id, "voted": True},
                                       timeout=10)["ok"]
            wait_for(lambda: (watcher.of("vote_tally_changed") or [{"tallies": {}}])[-1]
                     ["tallies"].get(str(question_id)) == 5, message="tally of 5", timeout=15.0)
            wait_for(lambda: _online(watcher) == 6, message="six people online", timeout=15.0)
        finally:
            close_all(people)


@pytest.mark.redis
def test_two_processes_share_presence_and_a_ban_closes_sockets_on_both(tmp_path, redis_url):
    channel = f"puente-test-{time.monotonic_ns()}"
    env = server_env(tmp_path / "instance", PUENTE_RATELIMIT="0", REDIS_URL=redis_url,
                     PUENTE_SOCKETIO_CHANNEL=channel)
    migrate(env)
    data = prepare(env, 2)
    first = start_server(env)
    second = start_server(env)
    moderator = Person(first.url)
    banned = attendee(first, data, 0)
    watcher_person = attendee(first, data, 1)
    try:
        banned.base_url = second.url  # same secret, same database: the cookie works there
        watcher_person.base_url = second.url
        watcher, watching = watcher_person.open(data["meeting_id"])
        victim, victim_saw = banned.open(data["meeting_id"])
        banned.base_url = first.url  # a second tab, on the process that commits the ban
        victim_here, victim_here_saw = banned.open(data["meeting_id"])
        banned.base_url = second.url
        for client, listener in ((victim, victim_saw), (victim_here, victim_here_saw)):
            client.on("disconnect", lambda *_a, listener=listener: listener.events.append(
                ("disconnected", {})))
        moderator.login(data["moderator"], PASSWORD)
        staff, _ = moderator.open(data["meeting_id"])
        wait_for(lambda: _online(watching) == 3,
                 message="three people over two processes", timeout=15.0)

        registration_id = registration_id_of(env, data["tokens"][0])
        ack = staff.call("ban_participant", {"registration_id": registration_id,
                                             "banned": True}, timeout=10)
        assert ack["ok"], ack
        wait_for(lambda: not victim.connected,
                 message="the banned socket on the other process", timeout=15.0)
        wait_for(lambda: not victim_here.connected,
                 message="the banned socket on this process", timeout=15.0)
        for listener in (victim_saw, victim_here_saw):
            wait_for(lambda listener=listener: listener.of("disconnected"),
                     message="the client's own disconnect", timeout=15.0)
            names = [name for name, _data in listener.events]
            # The ban's own events reach the attendee, then the server closes the socket.
            assert names.index("own_status_changed") < names.index("access_revoked") \
                < names.index("disconnected"), names
            assert listener.of("own_status_changed")[-1]["banned"] is True
        assert watcher.connected and staff.connected
        wait_for(lambda: _online(watching) == 2,
                 message="presence to drop the banned person", timeout=15.0)
        with pytest.raises(socketio.exceptions.ConnectionError):
            banned.open(data["meeting_id"])
    finally:
        for person in (moderator, banned, watcher_person):
            person.close()
        first.stop()
        second.stop()
