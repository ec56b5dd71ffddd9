"""Q&A services against a real database: asking, voting, moderating, privacy, export."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import (
    make_agenda_item,
    make_meeting,
    make_question,
    make_registration,
    make_speaker,
)
from tests.support.people import attendee, new_staff
from webapp.accounts.models import RoleKind
from webapp.core.ratelimit import rate_limits
from webapp.errors import Closed, Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from webapp.extensions import db
from webapp.meetings.models import ModerationMode
from webapp.qa import export_services, services
from webapp.qa.models import DismissReason, Question, QuestionStatus, Vote
from webapp.realtime import log
from webapp.realtime.models import Audience, MeetingEvent
from webapp.registration.models import OrganisationType, Registration


def fresh(question_id: int) -> Question:
    db.session.expire_all()
    return db.session.get(Question, question_id)


def events_of(events, type_):
    return [e for e in events if e.type == type_]


@pytest.fixture
def limits_on():
    rate_limits.enabled = True
    rate_limits.reset()
    yield
    rate_limits.reset()
    rate_limits.enabled = False


# --- asking ------------------------------------------------------------------------------

def test_ask_in_pre_moderation_goes_to_staff_and_asker_only(meeting, asker, events):
    question = services.ask(asker, "¿Cómo financian los centros de salud?", client_id="a1")
    assert question.status == QuestionStatus.PENDING
    assert question.language == "es"
    rooms = {(e.type, e.audience) for e in events}
    assert rooms == {("staff_question_changed", Audience.STAFF),
                     ("own_question_changed", Audience.PARTICIPANT),
                     ("interpreter_question_changed", Audience.INTERPRETERS)}
    assert all(e.seq for e in events)


def test_ask_in_post_moderation_is_published_at_once(asker, meeting, events):
    meeting.qa_moderation = ModerationMode.POST
    db.session.commit()
    question = services.ask(asker, "How were the clinics financed?", client_id="a1")
    assert question.status == QuestionStatus.LIVE
    published = events_of(events, "question_published")
    assert published[0].audience == Audience.EVERYONE
    assert published[0].payload["question"]["author"] == {
        "name": "Lucía Quispe", "organisation": "Red de Salud Comunitaria"}


def test_retried_ask_is_stored_once_and_broadcast_once(asker, events):
    first = services.ask(asker, "Una pregunta", client_id="same")
    again = services.ask(asker, "Una pregunta", client_id="same")
    assert first.id == again.id
    assert db.session.scalar(select(func.count()).select_from(Question)) == 1
    assert len(events_of(events, "staff_question_changed")) == 1


def test_text_is_stored_exactly_and_limited(asker, meeting):
    text = "  two spaces, a tab\tand\nnewlines\r\n  "
    stored = "  two spaces, a tab\tand\nnewlines\n  "  # exact, with every line end as \n
    assert fresh(services.ask(asker, text, client_id="x").id).text == stored
    meeting.question_max_length = 10
    db.session.commit()
    with pytest.raises(InvalidInput) as error:
        services.ask(asker, "x" * 11, client_id="y")
    assert error.value.details == {"field": "text", "max_length": 10}


@pytest.mark.parametrize("bad", ["", "   ", "nul\x00byte", "bell\x07", 42, None])
def test_blank_control_or_non_text_questions_are_refused(asker, bad):
    with pytest.raises(InvalidInput):
        services.ask(asker, bad, client_id="z")


@pytest.mark.parametrize("client_id", ["", "x" * 65, None, 7, "tab\x01"])
def test_client_id_is_required_and_bounded(asker, client_id):
    with pytest.raises(InvalidInput):
        services.ask(asker, "text", client_id=client_id)


def test_language_is_guessed_and_can_be_chosen(asker):
    assert services.ask(asker, "社区卫生服务中心如何筹资？", client_id="1").language == "zh_Hans"
    assert services.ask(asker, "que papel tiene el parlamento", client_id="2").language == "es"
    assert services.ask(asker, "What role did parliament play?", client_id="3").language == "en"
    assert services.ask(asker, "Hello", client_id="4", language="es").language == "es"
    with pytest.raises(InvalidInput):
        services.ask(asker, "Hello", client_id="5", language="<script>")


def test_anonymous_only_when_allowed(asker, meeting):
    assert services.ask(asker, "Sin nombre", client_id="1", anonymous=True).anonymous
    meeting.anonymous_questions = False
    db.session.commit()
    with pytest.raises(InvalidInput) as error:
        services.ask(asker, "Sin nombre", client_id="2", anonymous=True)
    assert error.value.details["field"] == "anonymous"


def test_aim_must_belong_to_this_meeting(asker, meeting):
    other = make_meeting()
    mine = make_agenda_item(meeting)
    speaker = make_speaker(meeting)
    question = services.ask(asker, "Para el panel", client_id="1", agenda_item_id=mine.id,
                            speaker_id=speaker.id)
    assert (question.agenda_item_id, question.speaker_id) == (mine.id, speaker.id)
    with pytest.raises(InvalidInput):
        services.ask(asker, "x", client_id="2", agenda_item_id=make_agenda_item(other).id)
    with pytest.raises(InvalidInput):
        services.ask(asker, "x", client_id="3", speaker_id=make_speaker(other).id)


def test_muted_closed_and_staff_cannot_ask(asker, meeting, mod):
    with pytest.raises(Forbidden):
        services.ask(mod, "staff", client_id="1")
    meeting.qa_open = False
    db.session.commit()
    with pytest.raises(Closed):
        services.ask(asker, "closed", client_id="2")
    meeting.qa_open = True
    services.set_muted(mod, asker.registration_id, True)
    with pytest.raises(services.Muted) as error:
        services.ask(asker, "muted", client_id="3")
    assert error.value.code == "muted"


def test_asking_is_rate_limited(asker, limits_on):
    for n in range(5):
        services.ask(asker, f"question {n}", client_id=str(n))
    services.ask(asker, "question 0", client_id="0")  # a retry is not a new question
    with pytest.raises(RateLimited) as error:
        services.ask(asker, "one too many", client_id="6")
    assert error.value.details["retry_after"] >= 1


def test_similar_questions_only_visible_ones(asker, meeting):
    make_question(meeting, text="社区卫生服务中心如何筹资？", language="zh_Hans")
    make_question(meeting, text="社区卫生服务中心的资金来源？", status=QuestionStatus.PENDING)
    make_question(meeting, text="What about vaccines?")
    found = services.find_similar(asker, "社区卫生服务中心的资金从哪里来")
    assert [f["question"]["text"] for f in found] == ["社区卫生服务中心如何筹资？"]
    assert services.find_similar(asker, "   ") == []
    for n in range(5):
        make_question(meeting, text=f"How are community health centres financed {n}?")
    assert len(services.find_similar(asker, "how are community health centres financed")) == 3


# --- voting ------------------------------------------------------------------------------

def test_vote_is_idempotent_and_does_not_bump_version(asker, meeting):
    question = make_question(meeting)
    version = question.version
    for _ in range(3):
        result = services.vote(asker, question.id, True)
    assert result["votes"] == 1
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 1
    assert services.vote(asker, question.id, False)["votes"] == 0
    assert "changed" not in services.vote(asker, question.id, False)
    assert fresh(question.id).version == version


def test_the_vote_service_itself_sends_the_tally_after_commit(asker, meeting, mod,
                                                             events):
    """No adapter has to remember the tally: the service marks it once the vote commits, a
    vote that changes nothing marks nothing, and a merge re-sends the target's count."""
    question = make_question(meeting)
    other = make_question(meeting)
    services.vote(asker, question.id, True)
    assert [e.payload["tallies"] for e in events_of(events, "vote_tally_changed")] == [
        {str(question.id): 1}]
    events.clear()
    services.vote(asker, question.id, True)
    assert events_of(events, "vote_tally_changed") == []
    services.merge(mod, question.id, fresh(question.id).version, other.id,
                   fresh(other.id).version)
    assert [e.payload["tallies"] for e in events_of(events, "vote_tally_changed")] == [
        {str(other.id): 1}]


def test_votes_only_on_live_questions_of_this_meeting(asker, meeting, mod):
    pending = make_question(meeting, status=QuestionStatus.PENDING)
    elsewhere = make_question(make_meeting())
    with pytest.raises(Closed):
        services.vote(asker, pending.id, True)
    with pytest.raises(NotFound):
        services.vote(asker, elsewhere.id, True)
    with pytest.raises(Forbidden):
        services.vote(mod, make_question(meeting).id, True)
    with pytest.raises(InvalidInput):
        services.vote(asker, make_question(meeting).id, "yes")


def test_askers_cannot_vote_for_their_own_question(asker, meeting, events):
    own = make_question(meeting, db.session.get(Registration, asker.registration_id))
    with pytest.raises(services.OwnQuestion) as refused:
        services.vote(asker, own.id, True)
    assert refused.value.as_dict()["code"] == "own_question"
    assert fresh(own.id).vote_count == 0 and events == []
    # An old vote of one's own (cast before this rule) can still be taken back.
    db.session.add(Vote(question_id=own.id, registration_id=asker.registration_id,
                        created_at=own.created_at))
    own.vote_count = 1
    db.session.commit()
    assert services.vote(asker, own.id, False)["votes"] == 0


def test_voting_is_rate_limited(asker, meeting, limits_on):
    question = make_question(meeting)
    for n in range(60):
        services.vote(asker, question.id, n % 2 == 0)
    with pytest.raises(RateLimited):
        services.vote(asker, question.id, True)


# --- own questions -----------------------------------------------------------------------

def test_edit_and_withdraw_own_question(asker, meeting, events):
    question = services.ask(asker, "Primera versión", client_id="1")
    services.edit_own(asker, question.id, "Segunda versión")
    assert fresh(question.id).text == "Segunda versión"
    assert fresh(question.id).original_text is None
    services.withdraw_own(asker, question.id)
    assert fresh(question.id).status == QuestionStatus.WITHDRAWN
    with pytest.raises(Closed):
        services.edit_own(asker, question.id, "again")


def test_edit_of_a_live_question_in_pre_moderation_goes_back_to_pending(asker, meeting,
                                                                        events):
    question = make_question(meeting, db.session.get(Registration, asker.registration_id))
    services.edit_own(asker, question.id, "Spam after approval")
    assert fresh(question.id).status == QuestionStatus.PENDING
    assert events_of(events, "question_removed")[0].payload["question_id"] == question.id


def test_nobody_edits_someone_elses_question(asker, meeting):
    theirs = make_question(meeting, make_registration(meeting))
    with pytest.raises(NotFound):
        services.edit_own(asker, theirs.id, "mine now")
    with pytest.raises(NotFound):
        services.withdraw_own(asker, theirs.id)


def test_answered_question_cannot_be_edited_by_asker(asker, meeting, mod):
    question = services.ask(asker, "Q", client_id="1")
    question = services.approve(mod, question.id, question.version)
    services.mark_answered(mod, question.id, question.version)
    with pytest.raises(Closed):
        services.edit_own(asker, question.id, "late")


# --- moderation --------------------------------------------------------------------------

def test_approve_then_stale_version_is_a_conflict_with_current_state(asker, mod,
                                                                     meeting, events):
    question = services.ask(asker, "Q", client_id="1")
    seen = question.version
    other = new_staff(meeting)
    services.approve(other, question.id, seen)
    with pytest.raises(Conflict) as error:
        services.dismiss(mod, question.id, seen, "off_topic")
    current = error.value.details["question"]
    assert current["status"] == "live" and current["version"] == seen + 1
    assert fresh(question.id).status == QuestionStatus.LIVE
    published = events_of(events, "question_published")
    assert published[0].payload["question"]["id"] == question.id


def test_dismiss_reason_reaches_the_asker(asker, mod, events):
    question = services.ask(asker, "Q", client_id="1")
    services.dismiss(mod, question.id, question.version, "out_of_time", "Sorry")
    own = events_of(events, "own_question_changed")[-1]
    assert own.audience == Audience.PARTICIPANT and own.registration_id == asker.registration_id
    assert own.payload["question"]["dismiss_reason"] == "out_of_time"
    assert own.payload["question"]["dismiss_note"] == "Sorry"
    with pytest.raises(InvalidInput):
        services.dismiss(mod, question.id, fresh(question.id).version, "boring")


def test_only_one_question_is_highlighted(mod, meeting, events):
    first, second = make_question(meeting), make_question(meeting)
    services.highlight(mod, first.id, first.version)
    services.highlight(mod, second.id, fresh(second.id).version)
    assert fresh(first.id).highlighted is False and fresh(second.id).highlighted is True
    updates = [e.payload["question"]["id"] for e in events_of(events, "question_updated")]
    assert updates == [first.id, first.id, second.id]
    services.mark_answered(mod, second.id, fresh(second.id).version)
    answered = fresh(second.id)
    assert answered.status == QuestionStatus.ANSWERED and not answered.highlighted
    assert answered.answered_at is not None


def test_the_first_answer_records_who_answered_and_a_restore_forgets_it(mod, meeting):
    question = make_question(meeting)
    services.mark_answered(mod, question.id, question.version)
    answered = fresh(question.id)
    assert answered.answered_by_id == mod.user_id and answered.answered_by.name
    first_answer_at = answered.answered_at
    other = new_staff(meeting)
    services.answer(other, question.id, answered.version, "Por escrito.")
    written = fresh(question.id)
    assert (written.answered_by_id, written.answered_at) == (mod.user_id, first_answer_at)
    services.restore(other, question.id, written.version)
    restored = fresh(question.id)
    assert restored.answered_at is None and restored.answered_by_id is None
    services.answer(other, question.id, restored.version, "Otra vez.")
    assert fresh(question.id).answered_by_id == other.user_id


def test_written_answer_and_edit_keep_the_original(mod, meeting):
    question = make_question(meeting, text="orignal wording")
    question = services.edit(mod, question.id, question.version, text="Original wording")
    question = services.edit(mod, question.id, question.version, text="Third")
    assert question.original_text == "orignal wording"
    question = services.answer(mod, question.id, question.version, "Por escrito: sí.")
    assert question.status == QuestionStatus.ANSWERED and question.answer_text == "Por escrito: sí."


def test_merge_moves_votes_and_counts_a_voter_of_both_once(mod, meeting, events):
    source_asker = make_registration(meeting)
    source = make_question(meeting, source_asker)
    target = make_question(meeting)
    both, only_source, only_target = (attendee(make_registration(meeting))
                                      for _ in range(3))
    for voter, question in ((both, source), (both, target), (only_source, source),
                            (only_target, target)):
        services.vote(voter, question.id, True)
    revisions = fresh(source.id).votes_version, fresh(target.id).votes_version
    services.merge(mod, source.id, fresh(source.id).version, target.id,
                   fresh(target.id).version)
    merged, kept = fresh(source.id), fresh(target.id)
    # Both counts changed, so both revisions move: clients keep the newest count by revision.
    assert merged.votes_version > revisions[0] and kept.votes_version > revisions[1]
    assert merged.status == QuestionStatus.DISMISSED and merged.merged_into_id == target.id
    assert merged.dismiss_reason == DismissReason.DUPLICATE
    assert kept.vote_count == 3
    assert db.session.scalar(select(func.count()).where(Vote.question_id == target.id)) == 3
    told = [e for e in events_of(events, "own_question_changed")
            if e.registration_id == source_asker.id]
    assert told[-1].payload["action"] == "merged"
    assert told[-1].payload["merged_into"]["id"] == target.id
    assert events_of(events, "question_removed")[-1].payload == {
        "question_id": source.id, "merged_into_id": target.id}
    with pytest.raises(InvalidInput):
        services.merge(mod, target.id, kept.version, target.id, kept.version)


def test_merge_does_not_turn_the_target_askers_vote_into_a_vote_for_their_own_question(
        mod, meeting):
    target_asker = make_registration(meeting)
    target = make_question(meeting, target_asker)
    source = make_question(meeting, make_registration(meeting))
    services.vote(attendee(target_asker), source.id, True)
    services.vote(attendee(make_registration(meeting)), source.id, True)
    services.merge(mod, source.id, fresh(source.id).version, target.id,
                   fresh(target.id).version)
    voters = set(db.session.scalars(select(Vote.registration_id)
                                    .where(Vote.question_id == target.id)))
    assert target_asker.id not in voters
    assert fresh(target.id).vote_count == len(voters) == 1


MERGE_SOURCES = (QuestionStatus.PENDING, QuestionStatus.LIVE, QuestionStatus.ANSWERED,
                 QuestionStatus.DISMISSED, QuestionStatus.ARCHIVED)
MERGE_TARGETS = (QuestionStatus.PENDING, QuestionStatus.LIVE, QuestionStatus.ANSWERED)


@pytest.mark.parametrize("target_status", MERGE_TARGETS)
@pytest.mark.parametrize("source_status", MERGE_SOURCES)
def test_any_question_merges_into_any_open_one_whatever_the_language(
        mod, meeting, source_status, target_status):
    source = make_question(meeting, make_registration(meeting), status=source_status,
                           text="¿Quién paga los centros de salud?", language="es")
    target = make_question(meeting, make_registration(meeting), status=target_status,
                           text="谁为社区卫生中心出资？", language="zh_Hans")
    merged = services.merge(mod, source.id, source.version, target.id, target.version)
    assert merged.status == QuestionStatus.DISMISSED and merged.merged_into_id == target.id
    assert fresh(target.id).status == target_status


def test_merge_refuses_bad_targets_with_a_reason(mod, meeting):
    source = make_question(meeting)
    elsewhere = make_question(make_meeting())
    merged = make_question(meeting)
    kept = make_question(meeting)
    services.merge(mod, merged.id, merged.version, kept.id, kept.version)
    dismissed = make_question(meeting, status=QuestionStatus.DISMISSED)
    archived = make_question(meeting, status=QuestionStatus.ARCHIVED)
    withdrawn = make_question(meeting, status=QuestionStatus.WITHDRAWN)

    def refusal(target_id, version=1):
        with pytest.raises((NotFound, InvalidInput, Closed)) as caught:
            services.merge(mod, source.id, fresh(source.id).version, target_id, version)
        return caught.value

    for missing in (elsewhere.id, 999_999):
        error = refusal(missing)
        assert isinstance(error, NotFound) and error.details == {"field": "into_id"}
        assert "merge into" in str(error.message)
    itself = refusal(source.id, fresh(source.id).version)
    assert isinstance(itself, InvalidInput) and "itself" in str(itself.message)
    again = refusal(merged.id, fresh(merged.id).version)
    assert isinstance(again, InvalidInput) and "merged into another" in str(again.message)
    for closed in (dismissed, archived):
        error = refusal(closed.id, closed.version)
        assert isinstance(error, Closed) and error.details == {"field": "into_id"}
    assert isinstance(refusal(withdrawn.id, withdrawn.version), Closed)
    with pytest.raises(Conflict):
        services.merge(mod, source.id, fresh(source.id).version, kept.id, kept.version + 5)
    untouched = fresh(source.id)
    assert untouched.status == QuestionStatus.LIVE and untouched.merged_into_id is None


def test_labels_star_restore_archive(mod, meeting):
    question = make_question(meeting)
    question = services.set_labels(mod, question.id, question.version,
                                   ["salud", "财政", "salud"])
    assert question.labels == ["salud", "财政"]
    with pytest.raises(InvalidInput):
        services.set_labels(mod, question.id, question.version, ["x" * 41])
    question = services.set_starred(mod, question.id, question.version, True)
    question = services.dismiss(mod, question.id, question.version, "other")
    question = services.restore(mod, question.id, question.version)
    assert question.status == QuestionStatus.LIVE and question.dismiss_reason is None
    question = services.archive(mod, question.id, question.version)
    assert question.status == QuestionStatus.ARCHIVED and question.starred


def test_bulk_moderation_reports_each_item(mod, meeting):
    a = make_question(meeting, status=QuestionStatus.PENDING)
    b = make_question(meeting, status=QuestionStatus.PENDING)
    results = services.bulk_moderate(
        mod, "approve",
        [{"question_id": a.id, "version": a.version}, {"question_id": b.id, "version": 99},
         {"question_id": 10**6, "version": 1}])
    assert [r["ok"] for r in results] == [True, False, False]
    assert [r.get("error", {}).get("code") for r in results] == [None, "conflict", "not_found"]
    assert fresh(a.id).status == QuestionStatus.LIVE
    with pytest.raises(InvalidInput):
        services.bulk_moderate(mod, "dismiss", [{"question_id": b.id, "version": 1}])


@pytest.mark.parametrize(("who", "error"), [("asker", Forbidden),
                                           ("another meeting's organiser", NotFound)])
def test_attendees_and_other_meetings_staff_cannot_moderate(asker, meeting, who, error):
    question = make_question(meeting)
    actor = asker if who == "asker" else new_staff(make_meeting(), RoleKind.ORGANISER)
    with pytest.raises(error):
        services.approve(actor, question.id, question.version)
    with pytest.raises(error):
        services.highlight(actor, question.id, question.version)


def test_attendees_cannot_change_settings_nor_outsiders_ban(asker):
    outsider = new_staff(make_meeting(), RoleKind.ORGANISER)
    with pytest.raises(Forbidden):
        services.update_settings(asker, open_=False)
    with pytest.raises(NotFound):
        services.set_banned(outsider, asker.registration_id, True)


def test_settings_change_is_broadcast(mod, meeting, events):
    current = services.update_settings(mod, moderation="post", anonymous_allowed=False,
                                       open_=False)
    assert current == {"moderation": "post", "anonymous_allowed": False, "open": False,
                       "max_length": 500, "ended": False,
                       "after_meeting_questions": False}
    assert events_of(events, "qa_settings_changed")[0].payload == {"settings": current}
    with pytest.raises(InvalidInput):
        services.update_settings(mod, moderation="sometimes")


def test_ban_announces_access_revoked(mod, asker, events):
    services.set_banned(mod, asker.registration_id, True)
    revoked = events_of(events, log.ACCESS_REVOKED)
    assert revoked[0].registration_id == asker.registration_id and revoked[0].seq is None
    assert events_of(events, "own_status_changed")[0].payload == {"muted": False,
                                                                   "banned": True}


# --- privacy -----------------------------------------------------------------------------

def test_attendee_payloads_never_carry_private_data(meeting, mod, events):
    registration = make_registration(meeting, name="Secret Name",
                                     email="secret@example.org", organisation="Secret Org")
    asker = attendee(registration)
    question = services.ask(asker, "Anonymous one", client_id="1", anonymous=True)
    services.ask(asker, "Never approved", client_id="2")
    question = services.approve(mod, question.id, question.version)
    question = services.edit(mod, question.id, question.version, text="Reworded")
    question = services.highlight(mod, question.id, question.version)
    services.vote(attendee(make_registration(meeting)), question.id, True)
    services.dismiss(mod, question.id, fresh(question.id).version, "other", "note")
    public = [e for e in events if e.audience == Audience.EVERYONE]
    assert public
    logged = db.session.scalars(select(MeetingEvent).where(
        MeetingEvent.audience == Audience.EVERYONE)).all()
    for text in [json.dumps(e.payload, ensure_ascii=False) for e in public] + [
            json.dumps(e.payload, ensure_ascii=False) for e in logged]:
        for secret in ("Secret Name", "secret@example.org", "Secret Org", "registration_id",
                       "original_text", "Never approved", "pending", "dismiss", "note"):
            assert secret not in text
    snapshot = json.dumps(services.snapshot(attendee(make_registration(meeting))),
                          ensure_ascii=False)
    assert "Secret" not in snapshot and "@" not in snapshot


def test_snapshots_by_role(asker, mod, meeting):
    mine = services.ask(asker, "Mine, pending", client_id="1")
    live = make_question(meeting)
    dismissed = make_question(meeting, make_registration(meeting),
                              status=QuestionStatus.DISMISSED)
    services.vote(asker, live.id, True)
    attendee_view = services.snapshot(asker)
    assert [q["id"] for q in attendee_view["questions"]] == [live.id]
    assert [q["id"] for q in attendee_view["own"]] == [mine.id]
    assert attendee_view["own"][0]["status"] == "pending"
    assert attendee_view["my_votes"] == [live.id]
    staff_view = services.snapshot(mod)
    assert {q["id"] for q in staff_view["questions"]} == {mine.id, live.id, dismissed.id}
    assert staff_view["counts"] == {"pending": 1, "live": 1, "answered": 0, "dismissed": 1,
                                    "archived": 0}


# --- export ------------------------------------------------------------------------------

def test_csv_export_hides_anonymous_authors_and_neutralises_formulas(meeting, mod):
    from webapp.accounts.models import User

    user = db.session.get(User, mod.user_id)
    named = make_registration(meeting, name="Chen Xiaobei", organisation="=HYPERLINK(1)")
    hidden = make_registration(meeting, name="Hidden Person", organisation="Hidden Org")
    item = make_agenda_item(meeting, title="Financiamiento")
    make_question(meeting, named, text="=cmd|' /C calc'!A0", labels=["salud"],
                  agenda_item_id=item.id)
    asked_at = datetime(2026, 3, 10, 2, 15)
    make_question(meeting, hidden, text="社区卫生服务中心如何筹资？", anonymous=True,
                  status=QuestionStatus.ANSWERED, answer_text="Por escrito",
                  created_at=asked_at, answered_at=asked_at + timedelta(minutes=4),
                  answered_by_id=user.id)
    data = export_services.questions_csv(user, meeting.id)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["ID", "Question"]
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert rows[1][3:5] == ["Chen Xiaobei", "'=HYPERLINK(1)"]
    assert rows[1][7:9] == ["Financiamiento", "salud"]
    assert rows[2][1] == "社区卫生服务中心如何筹资？" and rows[2][12] == "Por escrito"
    assert rows[0][13:18] == ["Asked (UTC)", "Asked", "Answered (UTC)", "Answered",
                              "Answered by"]
    # UTC for sorting, the meeting's zone for people
    assert rows[2][13:18] == ["2026-03-10T02:15:00Z", "Mar 10, 2026, 10:15\u202fAM Shanghai",
                              "2026-03-10T02:19:00Z", "Mar 10, 2026, 10:19\u202fAM Shanghai",
                              user.name]
    assert rows[1][15:18] == ["", "", ""]  # not answered: no time, nobody
    assert "Hidden" not in data.decode("utf-8")
    with pytest.raises(NotFound):
        export_services.questions_csv(None, meeting.id)


def test_analytics_by_organisation_type_and_country(meeting, mod):
    from webapp.accounts.models import User

    user = db.session.get(User, mod.user_id)
    ngo = make_registration(meeting, organisation_type=OrganisationType.NGO, country="PE")
    gov = make_registration(meeting, organisation_type=OrganisationType.GOVERNMENT,
                            country="CN")
    make_question(meeting, ngo)
    make_question(meeting, ngo, status=QuestionStatus.ANSWERED)
    make_question(meeting, gov, status=QuestionStatus.ANSWERED, anonymous=True)
    make_question(meeting, gov, status=QuestionStatus.WITHDRAWN)
    figures = export_services.analytics(user, meeting.id)
    assert (figures["asked"], figures["answered"], figures["askers"]) == (3, 2, 2)
    assert figures["by_organisation_type"] == [
        {"key": "ngo", "asked": 2, "answered": 1},
        {"key": "government", "asked": 1, "answered": 1},
    ]
    assert {row["key"] for row in figures["by_country"]} == {"PE", "CN"}


def test_a_write_racing_between_check_and_commit_is_a_conflict(mod, meeting):
    """Another process changes the row after this one read it: the versioned UPDATE fails."""
    from sqlalchemy import update

    question = make_question(meeting, status=QuestionStatus.PENDING)
    seen = question.version
    with db.engine.begin() as other_process:
        other_process.execute(update(Question).where(Question.id == question.id)
                              .values(version=Question.version + 1, status="live"))
    with pytest.raises(Conflict) as error:
        services.dismiss(mod, question.id, seen, "other")
    assert error.value.details["question"]["version"] == seen + 1
    assert fresh(question.id).status == QuestionStatus.LIVE


@pytest.mark.postgres
def test_votes_and_merges_on_postgresql(pg_app):
    meeting = make_meeting()
    mod = new_staff(meeting)
    source, target = make_question(meeting), make_question(meeting)
    voters = [attendee(make_registration(meeting)) for _ in range(3)]
    for voter in voters:
        for _ in range(2):
            services.vote(voter, source.id, True)
    services.vote(voters[0], target.id, True)
    assert fresh(source.id).vote_count == 3
    services.merge(mod, source.id, fresh(source.id).version, target.id,
                   fresh(target.id).version)
    assert fresh(target.id).vote_count == 3
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 3


def test_every_staff_only_service_refuses_with_the_same_message(asker, meeting):
    """One staff rule for the live services: Q&A refuses an attendee as the board does."""
    from webapp.board import services as board_services

    question = make_question(meeting)
    with pytest.raises(Forbidden) as from_qa:
        services.approve(asker, question.id, question.version)
    with pytest.raises(Forbidden) as from_board:
        board_services.configure(asker, mode="open")
    assert str(from_qa.value.message) == str(from_board.value.message)
    assert "organisers and moderators" in str(from_qa.value.message)


def test_questions_and_answers_typed_with_crlf_are_stored_with_line_feeds(asker, meeting, mod):
    question = services.ask(asker, "Primera línea\r\nsegunda\r\rtercera", client_id="crlf")
    assert fresh(question.id).text == "Primera línea\nsegunda\n\ntercera"
    question = services.answer(mod, question.id, fresh(question.id).version, "Sí.\r\n\r\nY no.")
    assert fresh(question.id).answer_text == "Sí.\n\nY no."
