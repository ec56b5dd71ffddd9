"""Questions, votes and moderation. Plain Python: the acting participant is passed in.

Every change is written, logged (`realtime.log.record`, so it has a `seq` and replays) and
committed here; the broadcaster sends it after commit. Each change produces the shapes of
`qa.serialise` for the rooms allowed to see them: public for `meeting:<id>`, staff for
`meeting:<id>:staff`, the asker's own for `registration:<id>`.

Moderators send the `version` of the question they saw; a different current version is a
`Conflict` carrying the current state. Vote counts move with SQL `UPDATE ... SET vote_count =
vote_count + 1`, which does not touch `version`, so votes never make a moderator's view stale.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, exists, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from webapp import machine_translation
from webapp.accounts.participant import Participant
from webapp.agenda.models import AgendaItem, Speaker
from webapp.core.language import guess_language
from webapp.core.ratelimit import rate_limits
from webapp.core.text import forbidden_character, is_blank, normalise_line_ends
from webapp.core.timeutil import utcnow
from webapp.errors import Closed, Conflict, Forbidden, InvalidInput, NotFound, require_staff
from webapp.extensions import db
from webapp.meetings import lifecycle
from webapp.meetings.models import Meeting, MeetingStatus, ModerationMode
from webapp.qa import serialise, similarity, translation_services
from webapp.qa.models import (
    ANSWER_MAX,
    DismissReason,
    Question,
    QuestionStatus,
    Vote,
    next_status,
)
from webapp.qa.tally import coalescer as tally_coalescer
from webapp.realtime import log
from webapp.realtime.models import Audience
from webapp.registration.models import Registration

ASK_RATE = "5/minute"
VOTE_RATE = "60/minute"
SIMILAR_RATE = "30/minute"
CLIENT_ID_MAX = 64
NOTE_MAX = 500
LABEL_MAX = 40
LABELS_MAX = 10
BULK_MAX = 200
#: Longest "up next" order a moderator may set.
UP_NEXT_MAX = 50

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,3}$")
class Muted(Forbidden):
    """The attendee was muted by a moderator: may read and vote, not ask."""
    code = "muted"
    default_message = _l("A moderator has muted you: you can read and vote but not ask.")


class OwnQuestion(Forbidden):
    """Askers do not vote for their own question: asking already says they want it answered."""

    code = "own_question"
    default_message = _l("You cannot vote for your own question.")


# --- helpers -----------------------------------------------------------------------------

def _language(value, text: str) -> str:
    if value is None or value == "":
        return guess_language(text)
    if not isinstance(value, str) or not _LANGUAGE_TAG.match(value):
        raise InvalidInput(_l("Choose a language from the list."), field="language")
    return value


def clean_text(value, max_length: int, *, field: str = "text", allow_blank: bool = False,
               empty=None) -> str:
    """Refuse what cannot be stored or shown; keep everything else exactly as typed."""
    if not isinstance(value, str) or (is_blank(value) and not allow_blank):
        raise InvalidInput(empty or _l("Please write your question."), field=field)
    if len(value) > max_length:
        raise InvalidInput(
            _l("Please use at most %(n)d characters.", n=max_length),
            field=field, max_length=max_length,
        )
    if forbidden_character(value) is not None:
        raise InvalidInput(
            _l("Please remove control characters from the text."), field=field
        )
    return normalise_line_ends(value)


def _require_attendee(participant: Participant) -> None:
    if participant.registration_id is None:
        raise Forbidden(_l("Only registered attendees can do this."))


def _meeting(participant: Participant) -> Meeting:
    meeting = db.session.get(Meeting, participant.meeting_id)
    if meeting is None:
        raise NotFound()
    return meeting


def _require_not_ended(meeting: Meeting) -> None:
    """After the end attendees read the questions; asking, editing, withdrawing and voting stop,
    unless the organisers take questions after the meeting (`after_meeting_questions`)."""
    if meeting.status == MeetingStatus.ENDED and not meeting.after_meeting_questions:
        raise Closed(_l("The meeting has ended."))


def _question(participant: Participant, question_id) -> Question:
    """The question, only when it belongs to the participant's meeting (no IDOR)."""
    if not isinstance(question_id, int) or isinstance(question_id, bool):
        raise NotFound()
    question = db.session.get(Question, question_id)
    if question is None or question.meeting_id != participant.meeting_id:
        raise NotFound()
    return question


def _question_in_meeting(participant: Participant, question_id) -> tuple[Question, Meeting]:
    """The question and its meeting in one statement: a vote needs both, and votes come in
    storms."""
    if not isinstance(question_id, int) or isinstance(question_id, bool):
        raise NotFound()
    row = db.session.execute(
        select(Question, Meeting).join(Meeting, Meeting.id == Question.meeting_id)
        .where(Question.id == question_id, Question.meeting_id == participant.meeting_id)
    ).first()
    if row is None:
        raise NotFound()
    return row.Question, row.Meeting


def _registration(participant: Participant, registration_id) -> Registration:
    if not isinstance(registration_id, int) or isinstance(registration_id, bool):
        raise NotFound()
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.meeting_id != participant.meeting_id:
        raise NotFound()
    return registration


def _actor_key(participant: Participant) -> str:
    if participant.registration_id is not None:
        return f"registration:{participant.registration_id}"
    return f"user:{participant.user_id}"


def _staff_signature(participant: Participant) -> dict | None:
    """Who acted, shown on staff actions only: attendees stay unnamed in `by`."""
    return {"name": participant.name} if participant.is_staff else None


def settings(meeting: Meeting) -> dict:
    """The Q&A rules live pages receive (built once, by `Meeting.qa_settings`)."""
    return meeting.qa_settings()


def counts(meeting_id: int) -> dict:
    """Questions per moderator tab."""
    rows = db.session.execute(
        select(Question.status, func.count())
        .where(Question.meeting_id == meeting_id)
        .group_by(Question.status)
    ).all()
    found = {status: n for status, n in rows}
    return {status.value: found.get(status, 0) for status in serialise.TABS}


def _broadcast(question: Question, action: str, participant: Participant | None,
               was_visible: bool, *, merged_into: Question | None = None) -> None:
    """Record the change for each room allowed to see it (sent after commit).

    Each event names the askers whose data it carries (`subjects`), so erasing one deletes it.
    """
    meeting_id = question.meeting_id
    asker = (question.registration_id,)
    visible = question.status in serialise.VISIBLE
    if visible:
        kind = "question_updated" if was_visible else "question_published"
        log.record(meeting_id, kind, {"question": serialise.public(question)}, subjects=asker)
    elif was_visible:
        log.record(meeting_id, "question_removed",
                   {"question_id": question.id, "merged_into_id": question.merged_into_id})
    log.record(
        meeting_id,
        "staff_question_changed",
        {
            "action": action,
            "question": serialise.staff(question),
            "counts": counts(meeting_id),
            "by": _staff_signature(participant) if participant is not None else None,
        },
        audience=Audience.STAFF,
        subjects=asker,
    )
    if not visible:
        # Interpreters work on pending questions too, without the author's data.
        log.record(meeting_id, "interpreter_question_changed",
                   {"action": action, "question": serialise.interpreter(question)},
                   audience=Audience.INTERPRETERS)
    if question.registration_id is not None:
        log.record(
            meeting_id,
            "own_question_changed",
            {
                "action": action,
                "question": serialise.own(question),
                "merged_into": serialise.public(merged_into) if merged_into else None,
            },
            audience=Audience.PARTICIPANT,
            registration_id=question.registration_id,
            subjects=(*asker, merged_into.registration_id if merged_into else None),
        )


def _flush(question: Question) -> None:
    """Write now so `version` is current; a concurrent moderator's change is a Conflict.

    A question that stops waiting (no longer live, or now being answered) leaves "up next"
    here, the one place every change of a question passes through.
    """
    question_id = question.id
    leaves_up_next = question.up_next_position is not None and (
        question.status != QuestionStatus.LIVE or question.highlighted)
    if leaves_up_next:
        question.up_next_position = None
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        current = db.session.get(Question, question_id)
        raise Conflict(question=serialise.staff(current) if current else None) from None
    if leaves_up_next:
        _record_up_next(question.meeting_id)


def _up_next_of(questions) -> list[int]:
    """The "up next" order among questions already read (a snapshot reads no more)."""
    queued = sorted((q for q in questions if q.up_next_position is not None),
                    key=lambda q: (q.up_next_position, q.id))
    return [question.id for question in queued]


def up_next_ids(meeting_id: int) -> list[int]:
    """The moderators' "up next" order: question ids, first to be answered first."""
    return list(db.session.scalars(
        select(Question.id)
        .where(Question.meeting_id == meeting_id, Question.up_next_position.is_not(None))
        .order_by(Question.up_next_position, Question.id)
    ))


def _record_up_next(meeting_id: int) -> list[int]:
    """Tell every page of the meeting the current order (the presenter's "next" follows it)."""
    ids = up_next_ids(meeting_id)
    log.record(meeting_id, "up_next_changed", {"question_ids": ids})
    return ids


# --- attendees ---------------------------------------------------------------------------

def _check_question_target(meeting_id: int, agenda_item_id, speaker_id) -> None:
    for value, model, field in ((agenda_item_id, AgendaItem, "agenda_item_id"),
                                (speaker_id, Speaker, "speaker_id")):
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidInput(field=field)
        row = db.session.get(model, value)
        if row is None or row.meeting_id != meeting_id:
            raise InvalidInput(_l("Choose an item of this meeting's agenda."), field=field)


def _existing(participant: Participant, client_id: str) -> Question | None:
    return db.session.scalar(
        select(Question).where(
            Question.meeting_id == participant.meeting_id,
            Question.registration_id == participant.registration_id,
            Question.client_id == client_id,
        )
    )


def ask(participant: Participant, text, *, client_id, anonymous=False, agenda_item_id=None,
        speaker_id=None, language=None) -> Question:
    """Store a question once per `client_id`; pending or live by the meeting's moderation."""
    _require_attendee(participant)
    if (not isinstance(client_id, str) or not client_id or len(client_id) > CLIENT_ID_MAX
            or forbidden_character(client_id) is not None):
        raise InvalidInput(field="client_id")
    existing = _existing(participant, client_id)
    if existing is not None:
        return existing
    meeting = _meeting(participant)
    registration = db.session.get(Registration, participant.registration_id)
    if registration is None or registration.banned:
        raise Forbidden()
    if registration.muted:
        raise Muted()
    _require_not_ended(meeting)
    if not meeting.qa_open:
        raise Closed(_l("Questions are closed right now."))
    text = clean_text(text, meeting.question_max_length)
    if not isinstance(anonymous, bool):
        raise InvalidInput(field="anonymous")
    if anonymous and not meeting.anonymous_questions:
        raise InvalidInput(_l("This meeting does not take anonymous questions."),
                           field="anonymous")
    _check_question_target(meeting.id, agenda_item_id, speaker_id)
    language = _language(language, text)
    rate_limits.hit("ask_question", _actor_key(participant), ASK_RATE)
    status = (QuestionStatus.PENDING if meeting.qa_moderation == ModerationMode.PRE
              else QuestionStatus.LIVE)
    question = Question(
        meeting_id=meeting.id, registration_id=registration.id, client_id=client_id,
        text=text, language=language, anonymous=anonymous, status=status,
        agenda_item_id=agenda_item_id, speaker_id=speaker_id, labels=[],
    )
    db.session.add(question)
    try:
        db.session.flush()
    except IntegrityError:  # the same client_id arrived twice at once
        db.session.rollback()
        existing = _existing(participant, client_id)
        if existing is None:
            raise
        return existing
    _broadcast(question, "asked", None, False)
    _ask_for_suggestions(question, meeting)
    db.session.commit()
    return question


def _ask_for_suggestions(question: Question, meeting: Meeting) -> None:
    """Ask the organisers' translator (when they run one) for the question in the other
    meeting languages once this transaction commits; asking never waits for it. The answers
    arrive in `translation_services.suggest`."""
    targets = [code for code in meeting.languages or [] if code != question.language]
    if targets:
        machine_translation.suggest_after_commit(translation_services.SUGGESTION_KIND,
                                                 question.id, question.text,
                                                 source=question.language, targets=targets)


def visible_questions(meeting_id: int) -> list[Question]:
    """Questions attendees see (live and answered), oldest first."""
    return list(db.session.scalars(
        select(Question)
        .options(selectinload(Question.registration))
        .where(Question.meeting_id == meeting_id, Question.status.in_(serialise.VISIBLE))
        .order_by(Question.id)
    ))


#: How many look-alikes the moderator's console lists under a question.
SIMILAR_FOR_MODERATORS = 5


def find_similar(participant: Participant, text) -> list[dict]:
    """Up to three visible questions close to `text`, best first."""
    if not isinstance(text, str) or len(text) > 5000:
        raise InvalidInput(field="text")
    rate_limits.hit("find_similar", _actor_key(participant), SIMILAR_RATE)
    if is_blank(text):
        return []
    found = similarity.most_similar(text, visible_questions(participant.meeting_id),
                                    key=similarity.question_texts)
    return [{"question": serialise.public(q), "score": score} for q, score in found]


def similar_for_moderators(participant: Participant, question_id) -> list[dict]:
    """Questions close to one the moderator is looking at, best first, for merging duplicates;
    translations count, so a duplicate in another language is found too.

    The console asks the server rather than scoring in the browser, so there is one similarity
    rule and one threshold (`similarity.THRESHOLD`).
    """
    require_staff(participant)
    question = _question(participant, question_id)
    candidates = db.session.scalars(select(Question).where(
        Question.meeting_id == question.meeting_id, Question.id != question.id,
        Question.status.not_in((QuestionStatus.ARCHIVED, QuestionStatus.WITHDRAWN))))
    found = similarity.most_similar(similarity.question_texts(question), candidates,
                                    key=similarity.question_texts, limit=SIMILAR_FOR_MODERATORS)
    return [{"question_id": other.id, "score": score} for other, score in found]


def _insert_vote(question_id: int, registration_id: int) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING: True when this call stored the vote."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    result = db.session.execute(
        insert(Vote)
        .values(question_id=question_id, registration_id=registration_id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["question_id", "registration_id"])
    )
    return result.rowcount == 1


def _add_votes(question_id: int, delta: int) -> None:
    db.session.execute(
        update(Question)
        .where(Question.id == question_id)
        .values(vote_count=Question.vote_count + delta,
                votes_version=Question.votes_version + 1,
                updated_at=Question.updated_at)  # a vote is not an edit of the question
        .execution_options(synchronize_session=False)
    )


def vote(participant: Participant, question_id, voted) -> dict:
    """Set (not toggle) this participant's vote: a retried command changes nothing more."""
    _require_attendee(participant)
    if not isinstance(voted, bool):
        raise InvalidInput(field="voted")
    rate_limits.hit("vote", _actor_key(participant), VOTE_RATE)
    question, meeting = _question_in_meeting(participant, question_id)
    _require_not_ended(meeting)
    if question.status != QuestionStatus.LIVE:
        raise Closed(_l("Voting is closed for this question."))
    if voted and question.registration_id == participant.registration_id:
        raise OwnQuestion()  # taking back an old vote of one's own stays possible
    if voted:
        changed = _insert_vote(question.id, participant.registration_id)
    else:
        changed = db.session.execute(
            delete(Vote).where(Vote.question_id == question.id,
                               Vote.registration_id == participant.registration_id)
        ).rowcount == 1
    if changed:
        _add_votes(question.id, 1 if voted else -1)
        log.announce(participant.meeting_id, "own_vote_changed",
                     {"question_id": question.id, "voted": voted},
                     audience=Audience.PARTICIPANT, registration_id=participant.registration_id)
        tally_coalescer.mark_after_commit(participant.meeting_id, [question.id])
    question_id = question.id  # read before the commit expires it: no reload afterwards
    db.session.commit()
    votes, version = db.session.execute(
        select(Question.vote_count, Question.votes_version).where(Question.id == question_id)
    ).one()
    return {"question_id": question_id, "voted": voted, "votes": votes, "votes_rev": version}


def _own(participant: Participant, question_id) -> Question:
    _require_attendee(participant)
    question = _question(participant, question_id)
    if question.registration_id != participant.registration_id:
        raise NotFound()
    return question


def edit_own(participant: Participant, question_id, text, language=None) -> Question:
    """The asker rewords a pending or live, unanswered question.

    In pre-moderation a live question goes back to pending so a moderator sees the new words.
    """
    question = _own(participant, question_id)
    registration = db.session.get(Registration, participant.registration_id)
    if registration is not None and registration.muted:
        raise Muted()
    meeting = _meeting(participant)
    _require_not_ended(meeting)
    if next_status("resubmit", question.status) is None:
        raise Closed(_l("This question can no longer be changed."))
    text = clean_text(text, meeting.question_max_length)
    new_language = _language(language, text) if language is not None else question.language
    was_visible = question.status in serialise.VISIBLE
    if text != question.text and question.status == QuestionStatus.LIVE \
            and meeting.qa_moderation == ModerationMode.PRE:
        _move(question, "resubmit")
        question.highlighted = False
    question.text = text
    question.language = new_language
    _flush(question)
    _broadcast(question, "edited_by_asker", None, was_visible)
    db.session.commit()
    return question


def withdraw_own(participant: Participant, question_id) -> Question:
    """The asker takes back a pending or live question."""
    question = _own(participant, question_id)
    _require_not_ended(_meeting(participant))
    was_visible = _move(question, "withdraw",
                        Closed(_l("This question can no longer be changed.")))
    question.highlighted = False
    _flush(question)
    _broadcast(question, "withdrawn", None, was_visible)
    db.session.commit()
    return question


# --- moderators --------------------------------------------------------------------------

def _moderated(participant: Participant, question_id, version) -> Question:
    """Staff of this meeting, this meeting's question, and the version the moderator saw."""
    require_staff(participant)
    question = _question(participant, question_id)
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidInput(field="version")
    if question.status == QuestionStatus.WITHDRAWN:
        raise Closed(_l("The asker withdrew this question."))
    if version != question.version:
        raise Conflict(question=serialise.staff(question))
    return question


def _finish(question: Question, action: str, participant: Participant, was_visible: bool,
            **kwargs) -> Question:
    _flush(question)
    _broadcast(question, action, participant, was_visible, **kwargs)
    db.session.commit()
    return question


def _wrong_state() -> Closed:
    return Closed(_l("This question is not in a state that allows that."))


def _move(question: Question, action: str, refusal: Closed | None = None) -> bool:
    """Change the status as `TRANSITIONS` allows, or raise; returns whether it was visible."""
    target = next_status(action, question.status)
    if target is None:
        raise refusal or _wrong_state()
    was_visible = question.status in serialise.VISIBLE
    question.status = target
    return was_visible


def approve(participant: Participant, question_id, version) -> Question:
    """Publish a pending question."""
    question = _moderated(participant, question_id, version)
    _move(question, "approve")
    return _finish(question, "approved", participant, False)


def dismiss(participant: Participant, question_id, version, reason, note=None) -> Question:
    """Dismiss a question with a reason the asker sees."""
    question = _moderated(participant, question_id, version)
    try:
        reason = DismissReason(reason)
    except ValueError:
        raise InvalidInput(_l("Choose a reason."), field="reason") from None
    if note is not None:
        note = clean_text(note, NOTE_MAX, field="note", allow_blank=True) or None
    was_visible = _move(question, "dismiss")
    question.dismiss_reason = reason
    question.dismiss_note = note
    question.highlighted = False
    return _finish(question, "dismissed", participant, was_visible)


def highlight(participant: Participant, question_id, version) -> Question:
    """"Now answering": this question, and no other of the meeting."""
    question = _moderated(participant, question_id, version)
    if question.status not in serialise.VISIBLE:
        raise _wrong_state()
    others = db.session.scalars(
        select(Question).where(Question.meeting_id == question.meeting_id,
                               Question.highlighted.is_(True), Question.id != question.id)
    ).all()
    for other in others:
        other.highlighted = False
    if not question.highlighted:
        question.highlighted_at = utcnow()
    question.highlighted = True
    _flush(question)
    for other in others:
        _broadcast(other, "unhighlighted", participant, other.status in serialise.VISIBLE)
    _broadcast(question, "highlighted", participant, True)
    db.session.commit()
    return question


def unhighlight(participant: Participant, question_id, version) -> Question:
    """Clear the "now answering" mark."""
    question = _moderated(participant, question_id, version)
    question.highlighted = False
    return _finish(question, "unhighlighted", participant,
                   question.status in serialise.VISIBLE)


def _record_answer(question: Question, user_id: int | None) -> None:
    """When and by whom it was first answered; a later written answer keeps both."""
    if question.answered_at is None:
        question.answered_at = utcnow()
        question.answered_by_id = user_id


def mark_answered(participant: Participant, question_id, version) -> Question:
    """Mark a question answered live."""
    question = _moderated(participant, question_id, version)
    was_visible = _move(question, "mark_answered")
    _record_answer(question, participant.user_id)
    question.highlighted = False
    return _finish(question, "answered", participant, was_visible)


def answer(participant: Participant, question_id, version, text) -> Question:
    """Answer in writing (an empty text removes the written answer)."""
    question = _moderated(participant, question_id, version)
    text = clean_text(text, ANSWER_MAX, allow_blank=True)
    was_visible = _move(question, "answer")
    question.answer_text = None if is_blank(text) else text
    _record_answer(question, participant.user_id)
    return _finish(question, "answer_written", participant, was_visible)


def edit(participant: Participant, question_id, version, text=None, language=None) -> Question:
    """Reword (the asker's original is kept and the question shows "edited")."""
    question = _moderated(participant, question_id, version)
    meeting = _meeting(participant)
    if text is not None:
        text = clean_text(text, max(meeting.question_max_length, len(question.text)))
        if text != question.text:
            if question.original_text is None:
                question.original_text = question.text
            question.text = text
    if language is not None:
        question.language = _language(language, question.text)
    return _finish(question, "edited", participant, question.status in serialise.VISIBLE)


def _merge_target(participant: Participant, source: Question, into_id, into_version) -> Question:
    """The question `source` may be folded into: any other one of the meeting still open
    (pending, live or answered, whatever its language) that was not merged itself."""
    try:
        target = _moderated(participant, into_id, into_version)
    except NotFound:
        raise NotFound(_l("The question to merge into does not exist in this meeting."),
                       field="into_id") from None
    if target.id == source.id:
        raise InvalidInput(_l("A question cannot be merged into itself."), field="into_id")
    if target.merged_into_id is not None:
        raise InvalidInput(_l("That question was merged into another one: merge into that one "
                              "instead."), field="into_id")
    if target.status not in (QuestionStatus.PENDING, *serialise.VISIBLE):
        raise Closed(_l("Merge into a pending, live or answered question."), field="into_id")
    return target


def merge(participant: Participant, question_id, version, into_id, into_version) -> Question:
    """Fold a duplicate into another question: votes move, a voter of both counts once."""
    source = _moderated(participant, question_id, version)
    target = _merge_target(participant, source, into_id, into_version)
    already = select(Vote.registration_id).where(Vote.question_id == target.id)
    movable = [Vote.question_id == source.id, Vote.registration_id.not_in(already)]
    if target.registration_id is not None:  # nobody votes for their own question
        movable.append(Vote.registration_id != target.registration_id)
    db.session.execute(
        update(Vote)
        .where(*movable)
        .values(question_id=target.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(Vote).where(Vote.question_id == source.id))
    recount = (select(func.count()).select_from(Vote)
               .where(Vote.question_id == target.id).scalar_subquery())
    db.session.execute(
        update(Question).where(Question.id == target.id)
        .values(vote_count=recount, votes_version=Question.votes_version + 1)
        .execution_options(synchronize_session=False)
    )
    was_visible = _move(source, "merge")
    source.dismiss_reason = DismissReason.DUPLICATE
    source.merged_into_id = target.id
    source.highlighted = False
    source.vote_count = 0
    source.votes_version = (source.votes_version or 0) + 1  # every count change has a revision
    _flush(source)
    db.session.expire(target, ["vote_count", "votes_version"])
    _broadcast(target, "merge_received", participant, target.status in serialise.VISIBLE)
    _broadcast(source, "merged", participant, was_visible, merged_into=target)
    tally_coalescer.mark_after_commit(participant.meeting_id, [target.id])
    db.session.commit()
    return source


def set_labels(participant: Participant, question_id, version, labels) -> Question:
    """The moderators' labels on a question (at most LABELS_MAX)."""
    question = _moderated(participant, question_id, version)
    if not isinstance(labels, list) or len(labels) > LABELS_MAX:
        raise InvalidInput(_l("Use at most %(n)d labels.", n=LABELS_MAX), field="labels")
    cleaned: list[str] = []
    for label in labels:
        label = clean_text(label, LABEL_MAX, field="labels",
                           empty=_l("A label needs at least one character."))
        if label not in cleaned:
            cleaned.append(label)
    question.labels = cleaned
    return _finish(question, "labelled", participant, question.status in serialise.VISIBLE)


def set_starred(participant: Participant, question_id, version, starred) -> Question:
    """Star a question for the speaker."""
    question = _moderated(participant, question_id, version)
    if not isinstance(starred, bool):
        raise InvalidInput(field="starred")
    question.starred = starred
    return _finish(question, "starred", participant, question.status in serialise.VISIBLE)


def restore(participant: Participant, question_id, version) -> Question:
    """Bring a dismissed, archived or answered question back to live."""
    question = _moderated(participant, question_id, version)
    was_visible = _move(question, "restore")
    question.dismiss_reason = None
    question.dismiss_note = None
    question.merged_into_id = None
    question.answered_at = None
    question.answered_by_id = None
    return _finish(question, "restored", participant, was_visible)


def archive(participant: Participant, question_id, version) -> Question:
    """Hide a question from attendees without a reason."""
    question = _moderated(participant, question_id, version)
    was_visible = _move(question, "archive")
    question.highlighted = False
    return _finish(question, "archived", participant, was_visible)


def set_up_next(participant: Participant, question_ids) -> list[int]:
    """Replace the "up next" order with `question_ids` (live questions not being answered).

    Positions are written with plain UPDATEs that keep `version` and `updated_at`: ordering
    the queue is not an edit of the question, so no moderator's view of it goes stale.
    """
    require_staff(participant)
    if (not isinstance(question_ids, list) or len(question_ids) > UP_NEXT_MAX
            or not all(isinstance(i, int) and not isinstance(i, bool) for i in question_ids)):
        raise InvalidInput(field="question_ids")
    if len(set(question_ids)) != len(question_ids):
        raise InvalidInput(_l("A question can be up next only once."), field="question_ids")
    found = {question.id: question for question in db.session.scalars(select(Question).where(
        Question.meeting_id == participant.meeting_id, Question.id.in_(question_ids)))}
    for question_id in question_ids:
        question = found.get(question_id)
        if question is None:
            raise NotFound()
        if question.status != QuestionStatus.LIVE or question.highlighted:
            raise InvalidInput(_l("Only live questions not being answered can be up next."),
                               field="question_ids")
    unchanged = {"updated_at": Question.updated_at}
    db.session.execute(
        update(Question)
        .where(Question.meeting_id == participant.meeting_id,
               Question.up_next_position.is_not(None))
        .values(up_next_position=None, **unchanged)
        .execution_options(synchronize_session=False)
    )
    for position, question_id in enumerate(question_ids):
        db.session.execute(
            update(Question).where(Question.id == question_id)
            .values(up_next_position=position, **unchanged)
            .execution_options(synchronize_session=False)
        )
    ids = _record_up_next(participant.meeting_id)
    db.session.commit()
    return ids


BULK_ACTIONS = ("approve", "dismiss")


def bulk_moderate(participant: Participant, action, items, reason=None) -> list[dict]:
    """Approve or dismiss many; each item succeeds or fails on its own, like its command."""
    require_staff(participant)
    if action not in BULK_ACTIONS:
        raise InvalidInput(field="action")
    if (not isinstance(items, list) or not items or len(items) > BULK_MAX
            or not all(isinstance(item, dict) for item in items)):
        raise InvalidInput(field="items")
    if action == "dismiss" and reason not in {r.value for r in DismissReason}:
        raise InvalidInput(_l("Choose a reason."), field="reason")
    results = []
    for item in items:
        question_id = item.get("question_id")
        try:
            if action == "approve":
                approve(participant, question_id, item.get("version"))
            else:
                dismiss(participant, question_id, item.get("version"), reason)
            results.append({"question_id": question_id, "ok": True})
        except (Conflict, Closed, NotFound, InvalidInput) as error:
            db.session.rollback()
            results.append({"question_id": question_id, "ok": False, "error": error.as_dict()})
    return results


def update_settings(participant: Participant, *, moderation=None, anonymous_allowed=None,
                    open_=None, after_meeting=None) -> dict:
    """Change Q&A settings live; every client gets the new settings."""
    require_staff(participant)
    meeting = _meeting(participant)
    if moderation is not None:
        try:
            meeting.qa_moderation = ModerationMode(moderation)
        except ValueError:
            raise InvalidInput(field="moderation") from None
    for value, field in ((anonymous_allowed, "anonymous_allowed"), (open_, "open"),
                         (after_meeting, "after_meeting_questions")):
        if value is not None and not isinstance(value, bool):
            raise InvalidInput(field=field)
    if anonymous_allowed is not None:
        meeting.anonymous_questions = anonymous_allowed
    if open_ is not None:
        meeting.qa_open = open_
    if after_meeting is not None:
        meeting.after_meeting_questions = after_meeting
    db.session.flush()
    current = settings(meeting)
    log.record(meeting.id, "qa_settings_changed", {"settings": current})
    db.session.commit()
    return current


def _on_meeting_status(meeting: Meeting, now) -> None:
    """Ending closes the Q&A (unless the organisers take questions after the meeting) and clears
    "now answering"; every client gets the new settings.

    Going live again after an end leaves a closed Q&A closed until a moderator opens it.
    """
    if meeting.status == MeetingStatus.ENDED:
        meeting.qa_open = meeting.qa_open and meeting.after_meeting_questions
        highlighted = db.session.scalars(select(Question).where(
            Question.meeting_id == meeting.id, Question.highlighted.is_(True))).all()
        for question in highlighted:
            question.highlighted = False
        db.session.flush()
        for question in highlighted:
            _broadcast(question, "unhighlighted", None, question.status in serialise.VISIBLE)
    db.session.flush()
    log.record(meeting.id, "qa_settings_changed", {"settings": settings(meeting)})


lifecycle.on_status_change(_on_meeting_status)


def _participant_changed(participant: Participant, registration: Registration) -> None:
    log.record(
        registration.meeting_id, "participant_moderated",
        {"registration_id": registration.id, "name": registration.name,
         "muted": registration.muted, "banned": registration.banned,
         "by": _staff_signature(participant)},
        audience=Audience.STAFF, subjects=(registration.id,),
    )
    log.record(
        registration.meeting_id, "own_status_changed",
        {"muted": registration.muted, "banned": registration.banned},
        audience=Audience.PARTICIPANT, registration_id=registration.id,
    )


def set_muted(participant: Participant, registration_id, muted) -> Registration:
    """Mute or unmute an attendee of this meeting."""
    require_staff(participant)
    registration = _registration(participant, registration_id)
    if not isinstance(muted, bool):
        raise InvalidInput(field="muted")
    registration.muted = muted
    _participant_changed(participant, registration)
    db.session.commit()
    return registration


def set_banned(participant: Participant, registration_id, banned) -> Registration:
    """Ban: refused at connect from now on, and every open socket is closed on every process."""
    require_staff(participant)
    registration = _registration(participant, registration_id)
    if not isinstance(banned, bool):
        raise InvalidInput(field="banned")
    registration.banned = banned
    _participant_changed(participant, registration)
    if banned:
        # realtime.presence turns this event into disconnects on every server process.
        log.revoke_access(registration.meeting_id, registration.id)
    db.session.commit()
    return registration


# --- snapshot ----------------------------------------------------------------------------

def snapshot(participant: Participant, meeting: Meeting | None = None) -> dict:
    """The `qa` part of a fresh client state, shaped for who is asking. `meeting`: the
    participant's, when the caller has read it already (a join reads it once for every
    part)."""
    meeting = meeting if meeting is not None else _meeting(participant)
    if participant.is_interpreter:
        questions = db.session.scalars(
            select(Question)
            .where(Question.meeting_id == meeting.id,
                   Question.status.in_((QuestionStatus.PENDING, *serialise.VISIBLE)))
            .order_by(Question.id)
        ).all()
        return {
            "settings": settings(meeting),
            "questions": [serialise.interpreter(q) for q in questions],
            "up_next": _up_next_of(questions),
            "own": [],
            "my_votes": [],
        }
    if participant.is_staff:
        questions = db.session.scalars(
            select(Question)
            .options(selectinload(Question.registration))
            .where(Question.meeting_id == meeting.id,
                   Question.status != QuestionStatus.WITHDRAWN)
            .order_by(Question.id)
        ).all()
        return {
            "settings": settings(meeting),
            "questions": [serialise.staff(q) for q in questions],
            "counts": counts(meeting.id),
            "up_next": _up_next_of(questions),
            "own": [],
            "my_votes": [],
        }
    data = attendees_snapshot(meeting)
    return {**data, **(own_snapshot(participant, meeting)
                       if participant.registration_id is not None
                       else {"own": [], "my_votes": []})}


def attendees_snapshot(meeting: Meeting) -> dict:
    """What every attendee's `qa` part holds alike (shared between them by the snapshot
    cache): the rules, the visible questions and the "up next" order. Nothing of any one
    attendee's beyond what everyone sees."""
    visible = visible_questions(meeting.id)
    return {
        "settings": settings(meeting),
        "questions": [serialise.public(q) for q in visible],
        "up_next": _up_next_of(visible),
    }


#: Built once: every join of a crowd runs these with its own ids.
_OWN_QUESTIONS = (
    select(Question).options(joinedload(Question.registration))
    .where(Question.meeting_id == bindparam("meeting"),
           Question.registration_id == bindparam("registration"),
           Question.status != QuestionStatus.WITHDRAWN)
    .order_by(Question.id))
_MY_VOTES = (
    select(Vote.question_id).join(Question, Question.id == Vote.question_id)
    .where(Vote.registration_id == bindparam("registration"),
           Question.meeting_id == bindparam("meeting"))
    .order_by(Vote.question_id))

#: Whether an attendee has a question or a vote of their own in the meeting (see
#: `realtime.snapshots`: most have neither when they join, and skip both reads).
HAS_OWN_DATA = or_(
    exists().where(Question.meeting_id == bindparam("meeting"),
                   Question.registration_id == bindparam("registration"),
                   Question.status != QuestionStatus.WITHDRAWN),
    exists(select(Vote.id).join(Question, Question.id == Vote.question_id)
           .where(Vote.registration_id == bindparam("registration"),
                  Question.meeting_id == bindparam("meeting"))))
#: `own_snapshot` and `own_figures` of an attendee without questions or votes.
NOTHING_OWN = {"own": [], "my_votes": []}
NOTHING_OWN_FIGURES = {"my_votes": []}


def own_snapshot(participant: Participant, meeting: Meeting) -> dict:
    """An attendee's own keys of the `qa` part: their questions (pending ones too) and the
    questions they voted for."""
    own_questions = db.session.scalars(_OWN_QUESTIONS, {
        "meeting": meeting.id, "registration": participant.registration_id})
    return {"own": [serialise.own(q) for q in own_questions], "my_votes": _my_votes(participant)}


def figures(participant: Participant) -> dict:
    """The `qa` part of a short replay's ack: the counts and own votes no event replays.

    `{tallies, revs}` has the shape of `vote_tally_changed`, for questions with votes or a
    tally that ever changed (the others show 0 everywhere); `my_votes` is the whole set.
    Staff get the tallies of every question they list, attendees and the presenter those of
    visible questions.
    """
    return {**_tallies(participant.meeting_id, staff=participant.is_staff),
            "my_votes": _my_votes(participant)}


def attendees_figures(meeting_id: int) -> dict:
    """The tallies every attendee's `figures.qa` holds alike (shared between them)."""
    return _tallies(meeting_id, staff=False)


def own_figures(participant: Participant) -> dict:
    """An attendee's own key of `figures.qa`: the questions they voted for."""
    return {"my_votes": _my_votes(participant)}


def _tallies(meeting_id: int, *, staff: bool) -> dict:
    shown = (Question.status != QuestionStatus.WITHDRAWN if staff
             else Question.status.in_(serialise.VISIBLE))
    rows = db.session.execute(
        select(Question.id, Question.vote_count, Question.votes_version)
        .where(Question.meeting_id == meeting_id, shown,
               or_(Question.votes_version > 0, Question.vote_count > 0))
        .order_by(Question.id)
    ).all()
    return {
        "tallies": {str(question_id): votes for question_id, votes, _rev in rows},
        "revs": {str(question_id): rev for question_id, _votes, rev in rows},
    }


def _my_votes(participant: Participant) -> list[int]:
    if participant.registration_id is None:
        return []
    return list(db.session.scalars(_MY_VOTES, {
        "registration": participant.registration_id, "meeting": participant.meeting_id}))


def tallies(question_ids) -> dict[str, int]:
    """Current vote counts of some questions, keyed by id as text (JSON object keys)."""
    return versioned_tallies(question_ids)[0]


def versioned_tallies(question_ids) -> tuple[dict[str, int], dict[str, int]]:
    """Vote counts and their versions, read together from each question's row."""
    ids = list(question_ids)
    if not ids:
        return {}, {}
    rows = db.session.execute(
        select(Question.id, Question.vote_count, Question.votes_version)
        .where(Question.id.in_(ids))
    ).all()
    return ({str(question_id): votes for question_id, votes, _v in rows},
            {str(question_id): version for question_id, _votes, version in rows})


def live_question_ids(meeting_id: int) -> list[int]:
    """Questions whose tally a client may show (for re-sending every count)."""
    return list(db.session.scalars(select(Question.id).where(
        Question.meeting_id == meeting_id, Question.status == QuestionStatus.LIVE)))
