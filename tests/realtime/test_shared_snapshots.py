"""Attendees share most of a join snapshot: built once per meeting state, never carrying one
attendee's own data (own questions, votes, answers, reactions, hidden posts) or staff fields
to another, and equal to what each attendee would get built for them alone."""

from __future__ import annotations

import json
import threading

import pytest

from tests.factories import make_question, make_registration
from tests.support.people import attendee
from webapp.board import services as board
from webapp.extensions import db
from webapp.polls import services as polls
from webapp.polls import tally as polls_tally
from webapp.qa import services as qa
from webapp.qa import tally as qa_tally
from webapp.qa.models import QuestionStatus
from webapp.realtime import snapshots, state
from webapp.realtime.transport import spliced_json

COALESCERS = (qa_tally.coalescer, board.coalescer, polls_tally.coalescer)


@pytest.fixture
def counts_by_hand(app):
    """Counts are sent when the test flushes them, not by the coalescers' own tasks."""
    for counts in COALESCERS:
        counts.interval = 3600
    yield
    for counts in COALESCERS:
        counts.interval = 0


@pytest.fixture
def scene(meeting, mod, counts_by_hand):
    """A meeting where Ana has private things of every kind and Bo only a public question."""
    ana_row = make_registration(meeting, name="Ana Secreta", email="ana.secreta@example.org",
                                organisation="Hospital Privado")
    bo_row = make_registration(meeting, name="Bo Li", email="bo@example.org")
    ana, bo = attendee(ana_row), attendee(bo_row)
    public = make_question(meeting, bo_row, text="¿Pregunta pública de Bo?")
    make_question(meeting, ana_row, text="Pregunta PENDIENTE de Ana", status=QuestionStatus.PENDING)
    make_question(meeting, ana_row, text="Pregunta anónima de Ana", anonymous=True)
    qa.vote(ana, public.id, True)
    hidden = board.post(ana, "Mensaje OCULTO de Ana", "c1")
    board.hide(mod, hidden.id, "Motivo del moderador")
    shown = board.post(bo, "Mensaje visible de Bo", "c2")
    board.react(ana, shown.id, "thanks")
    poll = polls.create_poll(mod, kind="single", question={"es": "¿Cuál?"},
                             options=[{"es": "Uno"}, {"es": "Dos"}])
    polls.open_poll(mod, poll.id)
    polls.answer(ana, poll.id, "a1", {"choice": 1})
    db.session.commit()
    for counts in COALESCERS:
        counts.flush()
    yield {"ana": ana, "bo": bo, "public": public, "hidden": hidden, "shown": shown,
           "poll": poll}


def _registration(registration_id):
    from webapp.registration.models import Registration

    return db.session.get(Registration, registration_id)


def _join(live_sockets, registration_id) -> dict:
    sio = live_sockets.attendee(_registration(registration_id))
    ack = sio.emit("join", {"last_seq": None}, callback=True)
    assert ack["ok"], ack
    return ack


def _without_moments(snapshot: dict) -> dict:
    """The snapshot less what is read at each join's own moment (the clock's `now`)."""
    rest = dict(snapshot)
    rest["clock"] = {key: value for key, value in rest["clock"].items() if key != "now"}
    return rest


def test_a_shared_snapshot_never_carries_another_attendees_private_data(app, live_sockets,
                                                                      scene):
    cache = state.of(app).shared_snapshots
    first = _join(live_sockets, scene["bo"].registration_id)
    built = cache.built
    assert built > 0
    _join(live_sockets, scene["ana"].registration_id)
    again = _join(live_sockets, scene["bo"].registration_id)
    assert cache.built == built, "the second and third joins reused the shared parts"

    for ack in (first, again):
        text = json.dumps(ack, ensure_ascii=False)
        for secret in ("Pregunta PENDIENTE de Ana", "Mensaje OCULTO de Ana",
                       "Motivo del moderador", "ana.secreta@example.org", "Ana Secreta",
                       "Hospital Privado"):
            assert secret not in text
        snapshot = ack["snapshot"]
        assert [q["text"] for q in snapshot["qa"]["own"]] == ["¿Pregunta pública de Bo?"]
        assert snapshot["qa"]["my_votes"] == []
        assert snapshot["board"]["my_reactions"] == {} and snapshot["board"]["own_posts"] == []
        assert snapshot["polls"]["my_answers"] == {}
        for question in snapshot["qa"]["questions"]:
            assert {"email", "version", "registration_id"}.isdisjoint(question.get("author")
                                                                      or {})
            assert "dismiss_note" not in question and "original_text" not in question
        # Ana's anonymous question is there, without her.
        anonymous = [q for q in snapshot["qa"]["questions"] if q["anonymous"]]
        assert [q["author"] for q in anonymous] == [None]


def test_each_attendee_gets_what_a_snapshot_of_their_own_would_hold(app, live_sockets, scene):
    from webapp.live.catchup import _meeting_now

    for name in ("bo", "ana", "bo", "ana"):
        participant = scene[name]
        ack = _join(live_sockets, participant.registration_id)
        meeting = _meeting_now(participant.meeting_id)
        alone = snapshots.build(participant, meeting.last_seq, meeting)
        assert _without_moments(ack["snapshot"]) == _without_moments(
            json.loads(json.dumps(alone)))
    ana = _join(live_sockets, scene["ana"].registration_id)["snapshot"]
    assert [q["text"] for q in ana["qa"]["own"]] == ["Pregunta PENDIENTE de Ana",
                                                    "Pregunta anónima de Ana"]
    assert ana["qa"]["my_votes"] == [scene["public"].id]
    assert ana["board"]["my_reactions"] == {str(scene["shown"].id): ["thanks"]}
    assert [p["text"] for p in ana["board"]["own_posts"]] == ["Mensaje OCULTO de Ana"]
    assert ana["polls"]["my_answers"] == {str(scene["poll"].id): {"choice": 1}}



def test_own_halves_are_read_only_for_parts_where_the_attendee_has_something(app, scene,
                                                                            meeting):
    newcomer = attendee(make_registration(meeting, name="Nueva", email="nueva@example.org"))
    providers, figures = snapshots._providers, snapshots._figure_providers
    assert snapshots.own_parts(newcomer, providers) == {"qa": False, "board": False,
                                                        "polls": False}
    assert snapshots.own_parts(scene["bo"], providers) == {"qa": True, "board": False,
                                                           "polls": False}
    assert snapshots.own_parts(scene["ana"], figures) == {"qa": True, "board": True,
                                                          "polls": True}
    # What a part stands in for its reads must be what those reads give a newcomer.
    for name in ("qa", "board", "polls"):
        assert providers[name].personal(newcomer, meeting) == providers[name].nothing_own
        assert figures[name].personal(newcomer) == figures[name].nothing_own


def test_a_newcomers_join_asks_one_statement_for_all_own_halves(app, live_sockets, scene,
                                                                meeting):
    from tests.support.sql import statements_of

    newcomer = make_registration(meeting, name="Nueva", email="nueva@example.org")
    db.session.commit()
    _join(live_sockets, scene["bo"].registration_id)  # the shared halves are built
    sio = live_sockets.attendee(newcomer)
    ack, statements = statements_of(app, lambda: sio.emit("join", {"last_seq": None},
                                                          callback=True))
    assert ack["ok"] and ack["snapshot"]["qa"]["own"] == []
    own_reads = [s for s in statements
                 if any(table in s for table in ("FROM votes", "FROM reactions",
                                                 "FROM poll_answers", "FROM questions"))]
    assert len(own_reads) == 1 and "EXISTS" in own_reads[0], "\n".join(statements)


def test_the_clock_comes_from_a_shared_plan_that_a_started_item_retires(app, live_sockets,
                                                                       scene, meeting, mod):
    from webapp.agenda import clock_services
    from webapp.agenda.models import AgendaItem

    db.session.add(AgendaItem(meeting_id=meeting.id, position=0, title={"es": "Apertura"},
                              planned_minutes=10))
    db.session.commit()
    from tests.support.sql import statements_of

    first = _join(live_sockets, scene["bo"].registration_id)["snapshot"]["clock"]
    ana = live_sockets.attendee(_registration(scene["ana"].registration_id))
    ack, statements = statements_of(app, lambda: ana.emit("join", {"last_seq": None},
                                                          callback=True))
    assert ack["snapshot"]["clock"]["current_item_id"] is None
    assert [i["title"] for i in ack["snapshot"]["clock"]["items"]] == [{"es": "Apertura"}]
    assert not [s for s in statements if "FROM agenda_items" in s], \
        "the second join's clock came from the shared plan"
    clock_services.start_next(mod)
    after = _join(live_sockets, scene["bo"].registration_id)["snapshot"]["clock"]
    assert first["current_item_id"] is None and after["current_item_id"] is not None
    assert after["now"] >= first["now"]

def test_staff_snapshots_are_built_for_them_alone(app, live_sockets, scene, moderator_user,
                                                  meeting):
    _join(live_sockets, scene["bo"].registration_id)
    cache = state.of(app).shared_snapshots
    built = cache.built
    sio = live_sockets.staff(moderator_user, meeting.id)
    snapshot = sio.emit("join", {"last_seq": None}, callback=True)["snapshot"]
    assert cache.built == built
    assert "ana.secreta@example.org" in json.dumps(snapshot["qa"])
    assert "Mensaje OCULTO de Ana" in json.dumps(snapshot["board"]["posts"])


def test_a_change_reaches_the_next_join(app, live_sockets, scene, mod, meeting):
    before = _join(live_sockets, scene["bo"].registration_id)["snapshot"]
    pending = next(q for q in qa.snapshot(mod)["questions"] if q["status"] == "pending")
    qa.approve(mod, pending["id"], pending["version"])
    after = _join(live_sockets, scene["bo"].registration_id)["snapshot"]
    assert pending["id"] not in {q["id"] for q in before["qa"]["questions"]}
    assert pending["id"] in {q["id"] for q in after["qa"]["questions"]}
    assert after["seq"] > before["seq"]


def test_an_unlogged_count_delivered_to_the_room_retires_the_shared_parts(app, scene):
    from webapp.realtime import log

    cache = state.of(app).shared_snapshots
    calls = []
    version = (1, 0)
    cache.part(scene["bo"].meeting_id, version, "qa", lambda: calls.append(1) or {"n": 1})
    cache.part(scene["bo"].meeting_id, version, "qa", lambda: calls.append(1) or {"n": 1})
    assert len(calls) == 1
    log.deliver_now(log.DomainEvent(scene["bo"].meeting_id, "vote_tally_changed", {"t": 1}))
    log.deliver_now(log.DomainEvent(scene["bo"].meeting_id, "presence_changed", {"online": 3}))
    state.of(app).broadcaster.flush()
    cache.part(scene["bo"].meeting_id, version, "qa", lambda: calls.append(1) or {"n": 2})
    assert len(calls) == 2


def test_shared_parts_expire_even_when_nothing_was_announced():
    now = [100.0]
    cache = snapshots.SharedSnapshots(clock=lambda: now[0])
    values = iter([{"n": 1}, {"n": 2}])
    assert cache.part(7, (1, 0), "qa", lambda: next(values))[0] == {"n": 1}
    now[0] += snapshots.MAX_AGE / 2
    assert cache.part(7, (1, 0), "qa", lambda: next(values))[0] == {"n": 1}
    now[0] += snapshots.MAX_AGE
    assert cache.part(7, (1, 0), "qa", lambda: next(values))[0] == {"n": 2}



def test_joins_that_arrive_during_a_build_wait_for_it_instead_of_building_again():
    cache = snapshots.SharedSnapshots()
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow_build():
        calls.append(1)
        started.set()
        release.wait(5)
        return {"n": len(calls)}

    results = []
    first = threading.Thread(target=lambda: results.append(cache.part(7, (1, 0), "qa",
                                                                      slow_build)))
    first.start()
    assert started.wait(5)
    waiters = [threading.Thread(target=lambda: results.append(cache.part(7, (1, 0), "qa",
                                                                         slow_build)))
               for _ in range(5)]
    for waiter in waiters:
        waiter.start()
    release.set()
    for thread in (first, *waiters):
        thread.join(5)
    assert len(calls) == 1 and cache.built == 1
    assert [value for value, _text in results] == [{"n": 1}] * 6


class _SaysWhenWaitedOn(threading.Event):
    def __init__(self):
        super().__init__()
        self.waited_on = threading.Event()

    def wait(self, timeout=None):
        self.waited_on.set()
        return super().wait(timeout)


def test_when_the_first_build_fails_the_waiting_joins_build_for_themselves():
    cache = snapshots.SharedSnapshots()
    started, release = threading.Event(), threading.Event()

    def failing_build():
        started.set()
        release.wait(5)
        raise RuntimeError("database went away")

    errors, results = [], []

    def first_join():
        try:
            cache.part(7, (1, 0), "qa", failing_build)
        except RuntimeError as error:
            errors.append(error)

    first = threading.Thread(target=first_join)
    first.start()
    assert started.wait(5)
    flight = cache._entries[7].building["qa"]
    flight.done = _SaysWhenWaitedOn()
    waiter = threading.Thread(target=lambda: results.append(cache.part(7, (1, 0), "qa",
                                                                       lambda: {"n": 2})))
    waiter.start()
    assert flight.done.waited_on.wait(5)
    release.set()
    first.join(5)
    waiter.join(5)
    assert len(errors) == 1
    assert results[0][0] == {"n": 2}
    assert cache.part(7, (1, 0), "qa", lambda: {"n": 3})[0] == {"n": 3}, \
        "a failed build is not kept, and the waiter's own build is not shared"

# --- the spliced encoding ------------------------------------------------------------------

def test_spliced_packets_equal_plain_json():
    shared = {"questions": [{"id": 1, "text": "¿Sí? 是吗"}], "up_next": []}
    text = spliced_json.encode_shared(shared)
    value = spliced_json.shared_value(shared, text, {"own": [], "my_votes": [3]})
    array = spliced_json.shared_value([{"id": 1}], spliced_json.encode_shared([{"id": 1}]))
    packet = [{"ok": True, "seq": 4, "snapshot": {"qa": value, "agenda": array, "seq": 4}}]
    plain = [{"ok": True, "seq": 4, "snapshot": {
        "qa": {**shared, "own": [], "my_votes": [3]}, "agenda": [{"id": 1}], "seq": 4}}]
    encoded = spliced_json.dumps(packet, separators=(",", ":"))
    assert json.loads(encoded) == plain
    assert encoded == json.dumps(plain, separators=(",", ":"))
    empty = spliced_json.shared_value({}, "{}", {"own": []})
    assert json.loads(spliced_json.dumps([{"x": {"y": empty}}])) == [{"x": {"y": {"own": []}}}]


def test_text_that_looks_like_a_placeholder_stays_text():
    shared = {"text": "\x00shared-0000000000000000-0"}
    value = spliced_json.shared_value(shared, spliced_json.encode_shared(shared))
    packet = [{"a": "\x00shared-0000000000000000-0", "b": {"c": value}}]
    assert json.loads(spliced_json.dumps(packet)) == [
        {"a": "\x00shared-0000000000000000-0", "b": {"c": shared}}]


def test_a_short_replay_shares_the_counts_and_keeps_own_figures_apart(app, live_sockets,
                                                                     scene):
    seq = _join(live_sockets, scene["bo"].registration_id)["seq"]
    cache = state.of(app).shared_snapshots
    rejoin = []
    for name in ("bo", "ana", "bo"):
        sio = live_sockets.attendee(_registration(scene[name].registration_id))
        ack = sio.emit("join", {"last_seq": seq}, callback=True)
        assert ack["ok"] and ack["events"] == []
        rejoin.append(ack["figures"])
        assert ack["figures"] == json.loads(json.dumps(snapshots.figures(scene[name])))
        if name == "bo" and len(rejoin) == 1:
            built = cache.built
    assert cache.built == built, "the figures' shared halves were built once"
    bo, ana, bo_again = rejoin
    assert {**bo, "presence": None} == {**bo_again, "presence": None}  # more sockets now
    assert bo["qa"]["my_votes"] == [] and bo["board"]["my_reactions"] == {}
    assert bo["polls"]["my_answers"] == {}
    assert ana["qa"]["my_votes"] == [scene["public"].id]
    assert ana["board"]["my_reactions"] == {str(scene["shown"].id): ["thanks"]}
    assert ana["polls"]["my_answers"] == {str(scene["poll"].id): {"choice": 1}}
    assert bo["qa"]["tallies"] == ana["qa"]["tallies"] == {str(scene["public"].id): 1}


def test_packets_do_not_search_shared_values_for_binary_attachments():
    from webapp.realtime.transport.spliced_json import SplicedPacket

    class Untouchable(list):
        def __iter__(self):
            raise AssertionError("a shared value was walked")

    shared = spliced_json.SharedArray([], "[]")
    shared.append(Untouchable())
    assert not SplicedPacket.data_is_binary([{"snapshot": {"qa": shared}}])
    assert SplicedPacket.data_is_binary([{"picture": b"\x89PNG"}])
