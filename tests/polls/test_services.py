"""Poll services against a real database: drafts, running, answering, moderation, roles."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from tests.factories import demo_agenda, make_meeting, make_registration
from tests.support.blns import blns_strings
from tests.support.people import attendee, new_staff
from webapp.accounts.models import RoleKind
from webapp.accounts.participant import Participant
from webapp.core.text import forbidden_character
from webapp.errors import Closed, Conflict, Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.meetings.models import ModerationMode
from webapp.polls import services
from webapp.polls.models import Poll, PollAnswer


def choice_poll(mod, **extra):
    values = dict(kind="single", question={"es": "¿Qué tema?", "zh_Hans": "什么主题？"},
                  options=["Salud", {"es": "Agua", "zh_Hans": "水"}])
    values.update(extra)
    return services.create_poll(mod, **values)


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def test_a_draft_keeps_the_meetings_default_language_first(mod, meeting):
    poll = choice_poll(mod)
    assert meeting.content_languages[0] == "zh_Hans"
    assert list(poll.question.as_dict()) == ["zh_Hans", "es"]
    assert poll.options == [{"zh_Hans": "Salud"}, {"zh_Hans": "水", "es": "Agua"}]
    assert poll.status.value == "draft" and poll.version == 1 and poll.position == 0
    assert choice_poll(mod).position == 1


@pytest.mark.parametrize(("fields", "field"), [
    (dict(kind="nope"), "kind"),
    (dict(question=""), "question"),
    (dict(question={"fr": "Bonjour"}), "question"),
    (dict(question="x" * 501), "question"),
    (dict(options=["solo"]), "options"),
    (dict(options=[str(i) for i in range(21)]), "options"),
    (dict(options=["a", "b" * 201]), "options.1"),
    (dict(options=["a", " "]), "options.1"),
    (dict(kind="multiple", max_choices=3), "max_choices"),
    (dict(kind="rating", scale="stars7"), "scale"),
    (dict(results="sometimes"), "results"),
    (dict(question="a\x00b"), "question"),
])
def test_drafts_are_validated(mod, meeting, fields, field):
    with pytest.raises(InvalidInput) as error:
        choice_poll(mod, **fields)
    assert error.value.details["field"] == field


def test_agenda_item_must_be_of_this_meeting(mod, meeting):
    other = demo_agenda(make_meeting())[0]
    with pytest.raises(InvalidInput):
        choice_poll(mod, agenda_item_id=other.id)
    mine = demo_agenda(meeting)[1]
    assert choice_poll(mod, agenda_item_id=mine.id).agenda_item_id == mine.id


def test_update_needs_the_seen_version_and_a_draft(mod, meeting):
    poll = choice_poll(mod)
    poll = services.update_poll(mod, poll.id, 1, kind="multiple", max_choices=2)
    assert poll.kind.value == "multiple" and poll.max_choices == 2 and poll.version == 2
    with pytest.raises(Conflict):
        services.update_poll(mod, poll.id, 1, anonymous=False)
    services.open_poll(mod, poll.id)
    with pytest.raises(Closed):
        services.update_poll(mod, poll.id, fresh(Poll, poll.id).version, anonymous=False)
    with pytest.raises(Closed):
        services.delete_poll(mod, poll.id)


def test_delete_removes_a_draft_and_logs_it_for_staff(mod, meeting, events):
    poll = choice_poll(mod)
    services.delete_poll(mod, poll.id)
    assert fresh(Poll, poll.id) is None
    [removed] = events.of("poll_removed")
    assert removed.payload == {"poll_id": poll.id} and removed.audience.value == "staff"


def test_only_staff_manage_and_only_attendees_answer(meeting, me, mod):
    interpreter = new_staff(meeting, RoleKind.INTERPRETER)
    presenter = Participant(meeting.id, presenter_key="digest")
    for who in (me, interpreter, presenter):
        with pytest.raises(Forbidden):
            choice_poll(who)
    poll = choice_poll(mod)
    services.open_poll(mod, poll.id)
    for who in (me, interpreter, presenter):
        with pytest.raises(Forbidden):
            services.close_poll(who, poll.id)
    for who in (mod, interpreter, presenter):
        with pytest.raises(Forbidden):
            services.answer(who, poll.id, "c", {"choice": 0})
    with pytest.raises(NotFound):
        services.open_poll(new_staff(make_meeting()), poll.id)


def test_several_polls_open_and_answers_change_until_closed(mod, me, meeting, events):
    first, second = choice_poll(mod), choice_poll(mod, kind="rating", scale="scale10")
    services.open_poll(mod, first.id)
    services.open_poll(mod, second.id)
    assert services.answer(me, first.id, "a1", {"choice": 0}) == {
        "value": {"choice": 0}, "status": "shown"}
    assert services.answer(me, first.id, "a2", {"choice": 1})["value"] == {"choice": 1}
    # A retry of the first emit arriving late changes nothing back.
    assert services.answer(me, first.id, "a2", {"choice": 0})["value"] == {"choice": 1}
    services.answer(me, second.id, "b1", {"rating": 0})
    poll = fresh(Poll, first.id)
    assert poll.answer_count == 1 and poll.results_rev == 2 and poll.version == 2
    assert services.results_of(poll)["counts"] == [0, 1]
    services.close_poll(mod, first.id)
    with pytest.raises(Closed):
        services.answer(me, first.id, "a3", {"choice": 0})
    changed = events.of("poll_changed")
    assert [e.payload["poll"]["status"] for e in changed] == [
        "draft", "draft", "open", "open", "closed"]
    assert [e.audience.value for e in changed] == [
        "staff", "staff", "everyone", "everyone", "everyone"]


@pytest.mark.parametrize(("kind", "extra", "bad", "good"), [
    ("single", {}, [{"choice": 2}, {"choice": True}, {"choice": "0"}, {}], {"choice": 1}),
    ("multiple", {"max_choices": 1}, [{"choices": [0, 1]}, {"choices": []},
                                      {"choices": [0, 0]}], {"choices": [1]}),
    ("rating", {"scale": "stars5"}, [{"rating": 0}, {"rating": 6}, {"rating": 4.5}],
     {"rating": 5}),
    ("ranking", {}, [{"order": [0]}, {"order": [0, 0]}, {"order": [1, 2]}], {"order": [1, 0]}),
    ("word_cloud", {}, [{"words": []}, {"words": ["a", "b", "c", "d"]}, {"words": ["x" * 41]},
                        {"words": [" "]}, {"words": "salud"}], {"words": [" Salud ", "公共卫生"]}),
    ("open_text", {}, [{"text": ""}, {"text": "x" * 501}, {"text": "a\x00"}],
     {"text": "Más recursos\r\npara 社区"}),
])
def test_answers_are_validated_per_kind(mod, me, meeting, kind, extra, bad, good):
    meeting.qa_moderation = ModerationMode.POST
    db.session.commit()
    poll = choice_poll(mod, kind=kind, **extra)
    services.open_poll(mod, poll.id)
    for value in bad:
        with pytest.raises(InvalidInput) as error:
            services.answer(me, poll.id, f"bad-{value!r}"[:60], value)
        assert error.value.details["field"] == "value"
    stored = services.answer(me, poll.id, "good", good)["value"]
    expected = {"words": ["Salud", "公共卫生"]} if kind == "word_cloud" else good
    if kind == "open_text":
        expected = {"text": "Más recursos\npara 社区"}
    assert stored == expected


def test_open_text_is_pending_in_pre_moderation_and_moderated(mod, me, meeting, events):
    assert meeting.qa_moderation == ModerationMode.PRE
    poll = choice_poll(mod, kind="open_text", anonymous=False)
    services.open_poll(mod, poll.id)
    assert services.answer(me, poll.id, "t1", {"text": "Más agua"})["status"] == "pending"
    assert services.results_of(fresh(Poll, poll.id))["answers"] == []
    answer = db.session.scalar(select(PollAnswer))
    services.moderate_answer(mod, poll.id, answer.id, True)
    results = services.results_of(fresh(Poll, poll.id))
    assert results["answers"] == [{"id": answer.id, "text": "Más agua",
                                   "name": "María José Quispe"}]
    [moderated] = events.of("poll_answer_moderated")
    assert moderated.payload == {"poll_id": poll.id, "answer_id": answer.id, "shown": True}
    assert moderated.audience.value == "staff"
    with pytest.raises(InvalidInput):
        services.moderate_answer(mod, choice_poll(mod).id, answer.id, True)


def test_a_hidden_answer_changed_in_post_moderation_waits_for_a_moderator(mod, me, meeting):
    meeting.qa_moderation = ModerationMode.POST
    db.session.commit()
    poll = choice_poll(mod, kind="open_text")
    services.open_poll(mod, poll.id)
    assert services.answer(me, poll.id, "t1", {"text": "uno"})["status"] == "shown"
    answer = db.session.scalar(select(PollAnswer))
    services.moderate_answer(mod, poll.id, answer.id, False)
    assert services.answer(me, poll.id, "t2", {"text": "dos"})["status"] == "pending"


def test_answering_is_rate_limited(mod, me, meeting, app):
    from webapp.core.ratelimit import rate_limits

    rate_limits.enabled = True
    poll = choice_poll(mod)
    services.open_poll(mod, poll.id)
    try:
        with pytest.raises(Exception) as error:
            for n in range(40):
                services.answer(me, poll.id, f"c{n}", {"choice": n % 2})
        assert getattr(error.value, "code", None) == "rate_limited"
    finally:
        rate_limits.enabled = False


#: Naughty answers given to one word cloud and one open-text poll before the next pair.
ANSWERS_PER_POLL = 50


@pytest.mark.blns
def test_naughty_strings_round_trip_or_are_refused(mod, me, meeting):
    meeting.qa_moderation = ModerationMode.POST
    db.session.commit()
    for n, string in enumerate(blns_strings()):
        if n % ANSWERS_PER_POLL == 0:
            # Each answer sends its poll's results and every written answer (the tests'
            # coalescer flushes at once): fresh polls keep that work from growing with n.
            cloud = choice_poll(mod, kind="word_cloud")
            text = choice_poll(mod, kind="open_text")
            for poll in (cloud, text):
                services.open_poll(mod, poll.id)
        refused = forbidden_character(string) is not None or not string.strip()
        for fields, limit in (({"question": string}, services.QUESTION_MAX),
                              ({"options": [string, "b"]}, services.OPTION_MAX)):
            if refused or len(string) > limit:
                with pytest.raises(InvalidInput):
                    choice_poll(mod, **fields)
                continue
            poll = choice_poll(mod, **fields)
            stored = fresh(Poll, poll.id)
            if "question" in fields:
                assert stored.question.get("zh_Hans") == string.replace(
                    "\r\n", "\n").replace("\r", "\n")
            else:
                assert stored.options[0] == {"zh_Hans": string.strip()}
        registration = attendee(make_registration(meeting))
        if refused:
            with pytest.raises(InvalidInput):
                services.answer(registration, text.id, f"t{n}", {"text": string})
        elif len(string) <= services.OPEN_TEXT_MAX:
            stored = services.answer(registration, text.id, f"t{n}", {"text": string})
            assert stored["value"]["text"] == string.replace("\r\n", "\n").replace("\r", "\n")
        if not refused and len(string.strip()) <= services.WORD_MAX:
            stored = services.answer(registration, cloud.id, f"w{n}", {"words": [string]})
            assert stored["value"]["words"] == [string.strip()]
    services.results_of(fresh(Poll, cloud.id))


@pytest.mark.postgres
def test_a_race_of_one_registrations_answers_stores_one_on_postgresql(pg_app):
    """Two tabs answer at once: the unique constraint keeps one row, the later write wins
    and the same client_id twice is stored once."""
    meeting = make_meeting()
    mod = new_staff(meeting)
    poll = choice_poll(mod)
    services.open_poll(mod, poll.id)
    people = [attendee(make_registration(meeting)) for _ in range(5)]
    barrier = threading.Barrier(10)
    errors = []

    def answer(person, client_id, choice):
        with pg_app.app_context():
            try:
                barrier.wait()
                services.answer(person, poll.id, client_id, {"choice": choice})
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=answer, args=(person, f"{person.registration_id}-{n}",
                                                     n % 2))
               for person in people for n in (0, 1)]
    threads += [threading.Thread(target=answer, args=(people[0], "same", 0)) for _ in range(2)]
    barrier = threading.Barrier(len(threads))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(PollAnswer)) == 5
    stored = fresh(Poll, poll.id)
    assert stored.answer_count == 5
    assert sum(services.results_of(stored)["counts"]) == 5
