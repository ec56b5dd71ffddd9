"""Polls: organisers prepare, open and close them; attendees answer. Plain Python: the acting
participant is passed in.

Staff changes are written, logged (`realtime.log.record`: `poll_changed`, `poll_removed`,
`poll_answer_moderated`, with a `seq`, so they replay) and committed here. Answers are stored
once per registration (a unique constraint, `INSERT ... ON CONFLICT DO NOTHING`) and bump the
poll's `results_rev` in one UPDATE; results are not logged but coalesced (`polls.tally`),
a few frames per second per meeting, read from the database at flush time.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from webapp.accounts.participant import Participant
from webapp.agenda.models import AgendaItem
from webapp.core.i18n_text import LocalizedText, localized
from webapp.core.ratelimit import rate_limits
from webapp.core.text import forbidden_character, is_blank, normalise_line_ends
from webapp.core.timeutil import utcnow
from webapp.errors import Closed, Conflict, Forbidden, InvalidInput, NotFound, require_staff
from webapp.extensions import db
from webapp.meetings import duplicate as duplication
from webapp.meetings.models import Meeting, ModerationMode
from webapp.polls import results as results_module
from webapp.polls import serialise
from webapp.polls.models import (
    OPTION_KINDS,
    AnswerStatus,
    Poll,
    PollAnswer,
    PollKind,
    PollStatus,
    RatingScale,
    ResultsVisibility,
)
from webapp.polls.tally import coalescer
from webapp.realtime import log
from webapp.realtime.models import Audience

ANSWER_RATE = "30/minute"
CLIENT_ID_MAX = 64
QUESTION_MAX = 500
OPTION_MAX = 200
OPTIONS_MIN = 2
OPTIONS_MAX = 20
WORD_MAX = 40
WORDS_MAX = 3
OPEN_TEXT_MAX = 500
#: Most languages one organiser text may carry (the meeting's are fewer).
LANGUAGES_MAX = 10

_K = PollKind


# --- helpers -----------------------------------------------------------------------------

def _meeting(participant: Participant) -> Meeting:
    meeting = db.session.get(Meeting, participant.meeting_id)
    if meeting is None:
        raise NotFound()
    return meeting


def _poll(participant: Participant, poll_id) -> Poll:
    """The poll, only when it belongs to the participant's meeting (no IDOR)."""
    if not isinstance(poll_id, int) or isinstance(poll_id, bool):
        raise NotFound()
    poll = db.session.get(Poll, poll_id)
    if poll is None or poll.meeting_id != participant.meeting_id:
        raise NotFound(_l("This poll does not exist."))
    return poll


def _actor_key(participant: Participant) -> str:
    if participant.registration_id is not None:
        return f"registration:{participant.registration_id}"
    return f"user:{participant.user_id}"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: str, max_length: int, field: str, *, multiline: bool) -> str:
    if len(value) > max_length:
        raise InvalidInput(_l("Please use at most %(n)d characters.", n=max_length),
                           field=field, max_length=max_length)
    if forbidden_character(value) is not None:
        raise InvalidInput(_l("Please remove control characters from the text."), field=field)
    return normalise_line_ends(value) if multiline else value.strip()


def clean_localized(value, meeting: Meeting, max_length: int, field: str, *,
                    multiline: bool = False, empty=None) -> LocalizedText:
    """An organiser text in the meeting's languages (default first); refuses blank text,
    languages the meeting does not use, control characters and overlong values."""
    languages = meeting.content_languages
    if isinstance(value, str):
        value = {languages[0]: value}
    if not isinstance(value, dict) or len(value) > LANGUAGES_MAX:
        raise InvalidInput(field=field)
    cleaned = {}
    for lang, text in value.items():
        if lang not in languages:
            raise InvalidInput(_l("Write only in this meeting's languages."), field=field)
        if text is None:
            continue
        if not isinstance(text, str):
            raise InvalidInput(field=field)
        cleaned[lang] = _text(text, max_length, field, multiline=multiline)
    result = localized(cleaned).ordered(languages)
    if result.is_blank():
        raise InvalidInput(empty or _l("Please write the question."), field=field)
    return result


def _check_agenda_item(meeting_id: int, agenda_item_id) -> None:
    if agenda_item_id is None:
        return
    if not _is_int(agenda_item_id):
        raise InvalidInput(field="agenda_item_id")
    item = db.session.get(AgendaItem, agenda_item_id)
    if item is None or item.meeting_id != meeting_id:
        raise InvalidInput(_l("Choose an item of this meeting's agenda."),
                           field="agenda_item_id")


def _enum(enum_cls, value, field: str, message):
    try:
        return enum_cls(value)
    except ValueError:
        raise InvalidInput(message, field=field) from None


def results_visible(poll: Poll) -> bool:
    """Whether attendees may see this poll's results now (staff and the presenter always)."""
    if poll.status == PollStatus.DRAFT:
        return False
    return (poll.results == ResultsVisibility.LIVE
            or (poll.results == ResultsVisibility.CLOSED and poll.status == PollStatus.CLOSED))


def _record_poll(poll: Poll) -> None:
    """`poll_changed`: drafts to staff only, open and closed polls to everyone."""
    audience = Audience.STAFF if poll.status == PollStatus.DRAFT else Audience.EVERYONE
    log.record(poll.meeting_id, "poll_changed", {"poll": serialise.poll(poll)},
               audience=audience)


def _flush(poll: Poll) -> None:
    """Write now so `version` is current; a concurrent edit is a Conflict."""
    poll_id = poll.id
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        current = db.session.get(Poll, poll_id)
        raise Conflict(poll=serialise.poll(current) if current else None) from None


# --- staff: drafts -----------------------------------------------------------------------

def _apply(poll: Poll, meeting: Meeting, fields: dict) -> None:
    """Set the given fields (None: unchanged) and check the whole poll's consistency."""
    if fields.get("kind") is not None:
        poll.kind = _enum(PollKind, fields["kind"], "kind", _l("Choose a kind of poll."))
    if fields.get("question") is not None:
        poll.question = clean_localized(fields["question"], meeting, QUESTION_MAX, "question",
                                        multiline=True)
    if fields.get("options") is not None:
        options = fields["options"]
        if not isinstance(options, list):
            raise InvalidInput(field="options")
        poll.options = [
            clean_localized(option, meeting, OPTION_MAX, f"options.{index}",
                            empty=_l("Please fill in every option.")).to_json_value()
            for index, option in enumerate(options)]
    if fields.get("max_choices") is not None:
        if not _is_int(fields["max_choices"]):
            raise InvalidInput(field="max_choices")
        poll.max_choices = fields["max_choices"]
    if fields.get("scale") is not None:
        poll.scale = _enum(RatingScale, fields["scale"], "scale", _l("Choose a scale."))
    if fields.get("results") is not None:
        poll.results = _enum(ResultsVisibility, fields["results"], "results",
                             _l("Choose when attendees see the results."))
    if fields.get("anonymous") is not None:
        if not isinstance(fields["anonymous"], bool):
            raise InvalidInput(field="anonymous")
        poll.anonymous = fields["anonymous"]
    if "agenda_item_id" in fields and fields["agenda_item_id"] is not None:
        _check_agenda_item(meeting.id, fields["agenda_item_id"])
        poll.agenda_item_id = fields["agenda_item_id"]
    _check_consistency(poll)


def _check_consistency(poll: Poll) -> None:
    if poll.kind in OPTION_KINDS:
        if not OPTIONS_MIN <= len(poll.options or []) <= OPTIONS_MAX:
            raise InvalidInput(_l("Give between %(min)d and %(max)d options.",
                                  min=OPTIONS_MIN, max=OPTIONS_MAX), field="options")
    else:
        poll.options = []
    if poll.kind == _K.MULTIPLE:
        if poll.max_choices is None:
            poll.max_choices = len(poll.options)
        if not 1 <= poll.max_choices <= len(poll.options):
            raise InvalidInput(_l("Allow between 1 and %(n)d choices.", n=len(poll.options)),
                               field="max_choices")
    else:
        poll.max_choices = None
    if poll.kind == _K.RATING:
        poll.scale = poll.scale or RatingScale.STARS5
    else:
        poll.scale = None


def create_poll(participant: Participant, *, kind, question, options=None, max_choices=None,
           scale=None, results=None, anonymous=None, agenda_item_id=None) -> Poll:
    """A new draft, last in the meeting's list; staff see it at once."""
    require_staff(participant)
    meeting = _meeting(participant)
    if kind is None:
        raise InvalidInput(_l("Choose a kind of poll."), field="kind")
    if question is None:
        raise InvalidInput(_l("Please write the question."), field="question")
    position = db.session.scalar(
        select(func.coalesce(func.max(Poll.position) + 1, 0))
        .where(Poll.meeting_id == meeting.id))
    poll = Poll(meeting_id=meeting.id, position=position, status=PollStatus.DRAFT,
                results=ResultsVisibility.LIVE, anonymous=True, options=[],
                question=LocalizedText(""), answer_count=0, results_rev=0)
    _apply(poll, meeting, dict(kind=kind, question=question, options=options,
                               max_choices=max_choices, scale=scale, results=results,
                               anonymous=anonymous, agenda_item_id=agenda_item_id))
    db.session.add(poll)
    db.session.flush()
    _record_poll(poll)
    db.session.commit()
    return poll


def _draft(participant: Participant, poll_id, version=None) -> Poll:
    require_staff(participant)
    poll = _poll(participant, poll_id)
    if version is not None and (not _is_int(version) or version != poll.version):
        raise Conflict(poll=serialise.poll(poll))
    if poll.status != PollStatus.DRAFT:
        raise Closed(_l("Only a draft poll can be changed."))
    return poll


def update_poll(participant: Participant, poll_id, version, **fields) -> Poll:
    """Change a draft; `version` is the one the organiser saw (else a Conflict)."""
    if not _is_int(version):
        raise InvalidInput(field="version")
    poll = _draft(participant, poll_id, version)
    _apply(poll, _meeting(participant), fields)
    _flush(poll)
    _record_poll(poll)
    db.session.commit()
    return poll


def delete_poll(participant: Participant, poll_id) -> None:
    """Remove a draft (a poll that was ever opened keeps its answers: close it instead)."""
    poll = _draft(participant, poll_id)
    meeting_id, poll_id = poll.meeting_id, poll.id
    db.session.delete(poll)
    db.session.flush()
    log.record(meeting_id, "poll_removed", {"poll_id": poll_id}, audience=Audience.STAFF)
    db.session.commit()


# --- staff: running ----------------------------------------------------------------------

def open_poll(participant: Participant, poll_id) -> Poll:
    """Draft or closed -> open; several polls may be open at once."""
    require_staff(participant)
    poll = _poll(participant, poll_id)
    if poll.status == PollStatus.OPEN:
        raise Closed(_l("This poll is already open."))
    poll.status = PollStatus.OPEN
    poll.opened_at = utcnow()
    poll.closed_at = None
    return _running_changed(poll)


def close_poll(participant: Participant, poll_id) -> Poll:
    """Open -> closed: answers stop, and `closed`-visibility results reach attendees."""
    require_staff(participant)
    poll = _poll(participant, poll_id)
    if poll.status != PollStatus.OPEN:
        raise Closed(_l("This poll is not open."))
    poll.status = PollStatus.CLOSED
    poll.closed_at = utcnow()
    return _running_changed(poll)


def _running_changed(poll: Poll) -> Poll:
    _flush(poll)
    _record_poll(poll)
    # Who may see the results may have changed: send them again after commit.
    coalescer.mark_after_commit(poll.meeting_id, [poll.id])
    db.session.commit()
    return poll


def moderate_answer(participant: Participant, poll_id, answer_id, shown) -> PollAnswer:
    """Show or hide one open-text answer; results follow through the coalescer."""
    require_staff(participant)
    poll = _poll(participant, poll_id)
    if poll.kind != _K.OPEN_TEXT:
        raise InvalidInput(_l("Only written answers are moderated."), field="poll_id")
    if not isinstance(shown, bool):
        raise InvalidInput(field="shown")
    answer = db.session.get(PollAnswer, answer_id) if _is_int(answer_id) else None
    if answer is None or answer.poll_id != poll.id:
        raise NotFound(_l("This answer does not exist."))
    status = AnswerStatus.SHOWN if shown else AnswerStatus.HIDDEN
    if answer.status != status:
        answer.status = status
        _bump(poll.id, 0)
        coalescer.mark_after_commit(poll.meeting_id, [poll.id])
    log.record(poll.meeting_id, "poll_answer_moderated",
               {"poll_id": poll.id, "answer_id": answer.id, "shown": shown},
               audience=Audience.STAFF)
    db.session.commit()
    return answer


# --- attendees ---------------------------------------------------------------------------

def _bad_value(message=None) -> InvalidInput:
    return InvalidInput(message or _l("This answer does not fit the poll."), field="value")


def _option_index(value, count: int) -> int:
    if not _is_int(value) or not 0 <= value < count:
        raise _bad_value(_l("Choose one of the options."))
    return value


def clean_value(poll: Poll, value) -> dict:
    """The answer in its kind's shape, checked; text kept as typed (trimmed)."""
    if not isinstance(value, dict):
        raise _bad_value()
    count = len(poll.options or [])
    if poll.kind == _K.SINGLE:
        return {"choice": _option_index(value.get("choice"), count)}
    if poll.kind == _K.MULTIPLE:
        picked = value.get("choices")
        if not isinstance(picked, list) or not picked:
            raise _bad_value(_l("Choose at least one option."))
        indexes = sorted({_option_index(item, count) for item in picked})
        if len(indexes) != len(picked):
            raise _bad_value()
        if len(indexes) > (poll.max_choices or count):
            raise _bad_value(_l("Choose at most %(n)d options.", n=poll.max_choices or count))
        return {"choices": indexes}
    if poll.kind == _K.RATING:
        rating = value.get("rating")
        if not _is_int(rating) or rating not in results_module.SCALES[poll.scale.value]:
            raise _bad_value(_l("Choose a rating on the scale."))
        return {"rating": rating}
    if poll.kind == _K.RANKING:
        order = value.get("order")
        if (not isinstance(order, list) or not all(_is_int(i) for i in order)
                or sorted(order) != list(range(count))):
            raise _bad_value(_l("Put every option in order."))
        return {"order": list(order)}
    if poll.kind == _K.WORD_CLOUD:
        words = value.get("words")
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise _bad_value()
        words = [_text(w, WORD_MAX, "value", multiline=False) for w in words]
        words = [w for w in words if w]
        if not words:
            raise _bad_value(_l("Please write at least one word."))
        if len(words) > WORDS_MAX:
            raise _bad_value(_l("Please write at most %(n)d entries.", n=WORDS_MAX))
        return {"words": words}
    text = value.get("text")
    if not isinstance(text, str) or is_blank(text):
        raise _bad_value(_l("Please write your answer."))
    return {"text": _text(text, OPEN_TEXT_MAX, "value", multiline=True)}


def _insert_answer(poll_id: int, registration_id: int, client_id: str, value: dict,
                   status: AnswerStatus) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING: True when this call stored the answer."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    now = utcnow()
    result = db.session.execute(
        insert(PollAnswer)
        .values(poll_id=poll_id, registration_id=registration_id, client_id=client_id,
                value=value, status=status.value, created_at=now, updated_at=now)
        .on_conflict_do_nothing(index_elements=["poll_id", "registration_id"])
    )
    return result.rowcount == 1


def _bump(poll_id: int, added: int) -> None:
    """One UPDATE: the answer count and the results revision (never `version`)."""
    db.session.execute(
        update(Poll).where(Poll.id == poll_id)
        .values(answer_count=Poll.answer_count + added, results_rev=Poll.results_rev + 1,
                updated_at=Poll.updated_at)
        .execution_options(synchronize_session=False)
    )


def _own_answer(poll_id: int, registration_id: int) -> PollAnswer | None:
    return db.session.scalar(select(PollAnswer).where(
        PollAnswer.poll_id == poll_id, PollAnswer.registration_id == registration_id))


def _status_for(poll: Poll, meeting: Meeting, previous: PollAnswer | None) -> AnswerStatus:
    """Open-text answers wait for a moderator in a pre-moderated meeting; a changed answer a
    moderator hid waits too."""
    if poll.kind != _K.OPEN_TEXT:
        return AnswerStatus.SHOWN
    if meeting.qa_moderation == ModerationMode.PRE:
        return AnswerStatus.PENDING
    if previous is not None and previous.status != AnswerStatus.SHOWN:
        return AnswerStatus.PENDING
    return AnswerStatus.SHOWN


def answer(participant: Participant, poll_id, client_id, value) -> dict:
    """Store or change this registration's answer; a retried `client_id` changes nothing.

    Returns `{value, status}` as stored.
    """
    if participant.registration_id is None:
        raise Forbidden(_l("Only registered attendees can do this."))
    if (not isinstance(client_id, str) or not client_id or len(client_id) > CLIENT_ID_MAX
            or forbidden_character(client_id) is not None):
        raise InvalidInput(field="client_id")
    row = db.session.execute(
        select(Poll, Meeting).join(Meeting, Meeting.id == Poll.meeting_id)
        .where(Poll.id == poll_id, Poll.meeting_id == participant.meeting_id)
    ).first() if _is_int(poll_id) else None
    if row is None:
        raise NotFound(_l("This poll does not exist."))
    poll, meeting = row.Poll, row.Meeting
    existing = _own_answer(poll.id, participant.registration_id)
    if existing is not None and existing.client_id == client_id:
        return {"value": existing.value, "status": existing.status.value}
    if poll.status != PollStatus.OPEN:
        raise Closed(_l("This poll is closed."))
    value = clean_value(poll, value)
    rate_limits.hit("answer_poll", _actor_key(participant), ANSWER_RATE)
    poll_id, meeting_id = poll.id, poll.meeting_id
    if existing is None:
        status = _status_for(poll, meeting, None)
        if _insert_answer(poll_id, participant.registration_id, client_id, value, status):
            _bump(poll_id, 1)
            coalescer.mark_after_commit(meeting_id, [poll_id])
            db.session.commit()
            return {"value": value, "status": status.value}
        # Another request of this registration stored an answer first: change that one.
        existing = _own_answer(poll_id, participant.registration_id)
        if existing is None:  # deleted meanwhile (the draft cannot be; be safe)
            raise Closed(_l("This poll is closed."))
        if existing.client_id == client_id:
            db.session.commit()
            return {"value": existing.value, "status": existing.status.value}
    status = (existing.status if existing.value == value
              else _status_for(poll, meeting, existing))
    existing.client_id = client_id
    if existing.value != value or existing.status != status:
        existing.value = value
        existing.status = status
        _bump(poll_id, 0)
        coalescer.mark_after_commit(meeting_id, [poll_id])
    db.session.commit()
    return {"value": value, "status": status.value}


# --- reading -----------------------------------------------------------------------------

def _counted_by_poll(polls: list[Poll]) -> dict[int, list[results_module.Answer]]:
    """The answers that count in results (`shown`), oldest first, of several polls in one
    statement; named only in open-text polls that are not anonymous."""
    found: dict[int, list[results_module.Answer]] = {poll.id: [] for poll in polls}
    if not polls:
        return found
    named = {poll.id for poll in polls if not poll.anonymous and poll.kind == _K.OPEN_TEXT}
    query = (select(PollAnswer).where(PollAnswer.poll_id.in_(list(found)),
                                      PollAnswer.status == AnswerStatus.SHOWN)
             .order_by(PollAnswer.id))
    if named:
        query = query.options(selectinload(PollAnswer.registration))
    for item in db.session.scalars(query):
        name = None
        if item.poll_id in named and item.registration is not None:
            name = item.registration.name or None
        found[item.poll_id].append(results_module.Answer(item.id, item.value, name))
    return found


def _compute(poll: Poll, answers: list[results_module.Answer]) -> dict:
    return results_module.compute(poll.kind.value, answers,
                                  option_count=len(poll.options or []),
                                  scale=poll.scale.value if poll.scale else None)


def results_of(poll: Poll) -> dict:
    """The current results of one poll (`results.compute` over its counted answers)."""
    return _compute(poll, _counted_by_poll([poll])[poll.id])


def results_of_many(polls: list[Poll]) -> dict[int, dict]:
    """The current results of several polls, their answers read in one statement."""
    answers = _counted_by_poll(polls)
    return {poll.id: _compute(poll, answers[poll.id]) for poll in polls}


def reviews(polls: list[Poll]) -> dict[int, list[dict]]:
    """Every answer of the open-text polls among `polls` with its status, for moderators."""
    written = {poll.id: poll for poll in polls if poll.kind == _K.OPEN_TEXT}
    found: dict[int, list[dict]] = {poll_id: [] for poll_id in written}
    if not written:
        return found
    query = (select(PollAnswer).options(selectinload(PollAnswer.registration))
             .where(PollAnswer.poll_id.in_(list(written))).order_by(PollAnswer.id))
    for item in db.session.scalars(query):
        poll = written[item.poll_id]
        name = (None if poll.anonymous or item.registration is None
                else (item.registration.name or None))
        found[item.poll_id].append({"id": item.id, "text": item.value.get("text", ""),
                                    "status": item.status.value, "name": name})
    return found


def versioned_results(poll_ids) -> list[tuple[Poll, dict]]:
    """Polls (read first: their `results_rev`) with their results read after: each figure
    is at least as new as its revision."""
    ids = list(poll_ids)
    if not ids:
        return []
    polls = [poll for poll in db.session.scalars(
        select(Poll).where(Poll.id.in_(ids)).order_by(Poll.id)
        .execution_options(populate_existing=True)) if poll.status != PollStatus.DRAFT]
    results = results_of_many(polls)
    return [(poll, results[poll.id]) for poll in polls]


def answered_poll_ids(meeting_id: int) -> list[int]:
    """Open and closed polls (whose results a client may show), for re-sending them all."""
    return list(db.session.scalars(select(Poll.id).where(
        Poll.meeting_id == meeting_id, Poll.status != PollStatus.DRAFT)))


def _listed(participant: Participant, meeting_id: int) -> list[Poll]:
    query = select(Poll).where(Poll.meeting_id == meeting_id)
    if not participant.is_staff:
        query = query.where(Poll.status != PollStatus.DRAFT)
    return list(db.session.scalars(query.order_by(Poll.position, Poll.id)))


def _sees_results(participant: Participant, poll: Poll) -> bool:
    return participant.is_staff or participant.is_presenter or results_visible(poll)


def _my_answers(participant: Participant, meeting_id: int, polls: list[Poll]) -> dict[str, dict]:
    if participant.registration_id is None or not polls:
        return {}
    return _answers_of(participant.registration_id, meeting_id)


#: Built once: every join of a crowd runs it with its own ids.
_ANSWERS_OF = (
    select(PollAnswer.poll_id, PollAnswer.value).join(Poll, Poll.id == PollAnswer.poll_id)
    .where(Poll.meeting_id == bindparam("meeting"),
           PollAnswer.registration_id == bindparam("registration")))

#: Whether an attendee answered any poll of the meeting (see `realtime.snapshots`).
HAS_OWN_DATA = exists(select(PollAnswer.id).join(Poll, Poll.id == PollAnswer.poll_id)
                      .where(Poll.meeting_id == bindparam("meeting"),
                             PollAnswer.registration_id == bindparam("registration")))
#: `own_snapshot` and `own_figures` of an attendee who answered no poll.
NOTHING_OWN = {"my_answers": {}}


def _answers_of(registration_id: int, meeting_id: int) -> dict[str, dict]:
    rows = db.session.execute(_ANSWERS_OF, {"meeting": meeting_id,
                                            "registration": registration_id}).all()
    return {str(poll_id): value for poll_id, value in rows}


def _figures_of(participant: Participant, polls: list[Poll]) -> dict:
    shown = [poll for poll in polls
             if poll.status != PollStatus.DRAFT and _sees_results(participant, poll)]
    results = results_of_many(shown)
    data = {
        "results": {str(poll.id): results[poll.id] for poll in shown},
        "revs": {str(poll.id): poll.results_rev for poll in shown},
        "my_answers": _my_answers(participant, participant.meeting_id, polls),
    }
    if participant.is_staff:
        answered = [poll for poll in polls if poll.status != PollStatus.DRAFT]
        data["answers"] = {str(poll_id): items
                           for poll_id, items in reviews(answered).items()}
    return data


def snapshot(participant: Participant, meeting: Meeting | None = None) -> dict:
    """The `polls` part of a fresh client state: attendees see open and closed polls, staff
    drafts too; results only where this participant may see them; own answers."""
    meeting_id = meeting.id if meeting is not None else participant.meeting_id
    polls = _listed(participant, meeting_id)
    return {"polls": [serialise.poll(poll) for poll in polls],
            **_figures_of(participant, polls)}


def attendees_snapshot(meeting: Meeting) -> dict:
    """What every attendee's `polls` part holds alike (shared between them by the snapshot
    cache): the open and closed polls and the results attendees may see."""
    polls = _open_and_closed(meeting.id)
    return {"polls": [serialise.poll(poll) for poll in polls], **_public_results(polls)}


def attendees_figures(meeting_id: int) -> dict:
    """The results every attendee's `figures.polls` holds alike (shared between them)."""
    return _public_results(_open_and_closed(meeting_id))


def own_figures(participant: Participant) -> dict:
    """An attendee's own key of `figures.polls`: their answers."""
    return {"my_answers": _answers_of(participant.registration_id, participant.meeting_id)}


def _open_and_closed(meeting_id: int) -> list[Poll]:
    return list(db.session.scalars(
        select(Poll).where(Poll.meeting_id == meeting_id, Poll.status != PollStatus.DRAFT)
        .order_by(Poll.position, Poll.id)))


def _public_results(polls: list[Poll]) -> dict:
    """The results and revisions of the polls whose results attendees may see."""
    shown = [poll for poll in polls if results_visible(poll)]
    results = results_of_many(shown)
    return {"results": {str(poll.id): results[poll.id] for poll in shown},
            "revs": {str(poll.id): poll.results_rev for poll in shown}}


def own_snapshot(participant: Participant, meeting: Meeting) -> dict:
    """An attendee's own key of the `polls` part: their answers."""
    return {"my_answers": _answers_of(participant.registration_id, meeting.id)}


def figures(participant: Participant) -> dict:
    """The `polls` part of a short replay's ack: results, revisions and own answers, which
    no event replays."""
    return _figures_of(participant, _listed(participant, participant.meeting_id))


def published_results(meeting_id: int) -> list[tuple[Poll, dict]]:
    """Closed polls whose results attendees may see, with their results, in the organisers'
    order: what the transcript and the after-meeting page show."""
    polls = list(db.session.scalars(
        select(Poll).where(Poll.meeting_id == meeting_id, Poll.status == PollStatus.CLOSED,
                           Poll.results != ResultsVisibility.NEVER)
        .order_by(Poll.position, Poll.id)))
    results = results_of_many(polls)
    return [(poll, results[poll.id]) for poll in polls]


def _copy_polls(job: duplication.Copy) -> None:
    """Every poll's question and options as a draft: no answer, result or opening time."""
    items = job.ids.get("agenda_items", {})
    rows = db.session.scalars(select(Poll).where(Poll.meeting_id == job.source.id)
                              .order_by(Poll.position, Poll.id))
    for poll in rows:
        db.session.add(duplication.copy_columns(
            poll, skip=("opened_at", "closed_at", "answer_count", "results_rev", "version"),
            meeting_id=job.target.id, status=PollStatus.DRAFT,
            agenda_item_id=items.get(poll.agenda_item_id)))


duplication.register(_copy_polls, order=30)
