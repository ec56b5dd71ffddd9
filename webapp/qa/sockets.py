"""Q&A socket commands: check the payload's shape, call one service, answer with an ack.

Every id in a payload is only a claim: the services look each object up within the
participant's own meeting. Payload schemas here only check types and sizes.
"""

from __future__ import annotations

import functools

from flask_babel import lazy_gettext as _l

from webapp.errors import Forbidden, InvalidInput
from webapp.qa import serialise, services
from webapp.qa.tally import coalescer
from webapp.realtime import snapshots
from webapp.realtime.handlers import socket_command
from webapp.realtime.sockets import register

_MISSING = object()


def _int(payload: dict, key: str, *, optional: bool = False):
    value = payload.get(key, _MISSING)
    if optional and (value is _MISSING or value is None):
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**63:
        raise InvalidInput(_l("This request is not in the expected format."), field=key)
    return value


def _bool(payload: dict, key: str, *, optional: bool = False):
    value = payload.get(key, _MISSING)
    if optional and (value is _MISSING or value is None):
        return None
    if not isinstance(value, bool):
        raise InvalidInput(_l("This request is not in the expected format."), field=key)
    return value


def _str(payload: dict, key: str, *, optional: bool = False, max_length: int = 20_000):
    value = payload.get(key, _MISSING)
    if optional and (value is _MISSING or value is None):
        return None
    if not isinstance(value, str) or len(value) > max_length:
        raise InvalidInput(_l("This request is not in the expected format."), field=key)
    return value


# --- attendees ---------------------------------------------------------------------------

@socket_command
def ask_question(participant, payload):
    question = services.ask(
        participant,
        _str(payload, "text"),
        client_id=_str(payload, "client_id", max_length=services.CLIENT_ID_MAX),
        anonymous=_bool(payload, "anonymous", optional=True) or False,
        agenda_item_id=_int(payload, "agenda_item_id", optional=True),
        speaker_id=_int(payload, "speaker_id", optional=True),
        language=_str(payload, "language", optional=True, max_length=16),
    )
    return {"question": serialise.own(question)}


@socket_command
def find_similar(participant, payload):
    return {"similar": services.find_similar(participant, _str(payload, "text"))}


@socket_command
def vote(participant, payload):
    result = services.vote(participant, _int(payload, "question_id"), _bool(payload, "voted"))
    if result.pop("changed"):
        coalescer.mark(participant.meeting_id, [result["question_id"]])
    return result


@socket_command
def edit_my_question(participant, payload):
    question = services.edit_own(
        participant, _int(payload, "question_id"), _str(payload, "text"),
        _str(payload, "language", optional=True, max_length=16),
    )
    return {"question": serialise.own(question)}


@socket_command
def withdraw_my_question(participant, payload):
    return {"question": serialise.own(
        services.withdraw_own(participant, _int(payload, "question_id")))}


# --- moderators --------------------------------------------------------------------------

def staff_command(handler):
    """Refuse non-staff before looking at the payload (services check again)."""

    @functools.wraps(handler)
    def checked(participant, payload):
        if not participant.is_staff:
            raise Forbidden()
        return handler(participant, payload)

    return socket_command(checked)


def _simple(service):
    """A moderator command on one question: `{question_id, version}` -> `{question}`."""

    def handler(participant, payload):
        question = service(participant, _int(payload, "question_id"), _int(payload, "version"))
        return {"question": serialise.staff(question)}

    handler.__name__ = service.__name__
    return staff_command(handler)


approve_question = _simple(services.approve)
highlight_question = _simple(services.highlight)
unhighlight_question = _simple(services.unhighlight)
mark_answered = _simple(services.mark_answered)
restore_question = _simple(services.restore)
archive_question = _simple(services.archive)


@staff_command
def dismiss_question(participant, payload):
    question = services.dismiss(
        participant, _int(payload, "question_id"), _int(payload, "version"),
        _str(payload, "reason", max_length=32),
        _str(payload, "note", optional=True, max_length=services.NOTE_MAX),
    )
    return {"question": serialise.staff(question)}


@staff_command
def answer_question(participant, payload):
    question = services.answer(
        participant, _int(payload, "question_id"), _int(payload, "version"),
        _str(payload, "text", max_length=services.ANSWER_MAX),
    )
    return {"question": serialise.staff(question)}


@staff_command
def edit_question(participant, payload):
    question = services.edit(
        participant, _int(payload, "question_id"), _int(payload, "version"),
        text=_str(payload, "text", optional=True),
        language=_str(payload, "language", optional=True, max_length=16),
    )
    return {"question": serialise.staff(question)}


@staff_command
def merge_questions(participant, payload):
    question = services.merge(
        participant, _int(payload, "question_id"), _int(payload, "version"),
        _int(payload, "into_id"), _int(payload, "into_version"),
    )
    coalescer.mark(participant.meeting_id, [question.merged_into_id])
    return {"question": serialise.staff(question)}


@staff_command
def set_labels(participant, payload):
    labels = payload.get("labels")
    if not isinstance(labels, list):
        raise InvalidInput(_l("This request is not in the expected format."), field="labels")
    question = services.set_labels(
        participant, _int(payload, "question_id"), _int(payload, "version"), labels)
    return {"question": serialise.staff(question)}


@staff_command
def set_starred(participant, payload):
    question = services.set_starred(
        participant, _int(payload, "question_id"), _int(payload, "version"),
        _bool(payload, "starred"))
    return {"question": serialise.staff(question)}


@staff_command
def bulk_moderate(participant, payload):
    results = services.bulk_moderate(
        participant, _str(payload, "action", max_length=16), payload.get("items"),
        _str(payload, "reason", optional=True, max_length=32),
    )
    return {"results": results}


@staff_command
def update_qa_settings(participant, payload):
    current = services.update_settings(
        participant,
        moderation=_str(payload, "moderation", optional=True, max_length=8),
        anonymous_allowed=_bool(payload, "anonymous_allowed", optional=True),
        open_=_bool(payload, "open", optional=True),
    )
    return {"settings": current}


@staff_command
def mute_participant(participant, payload):
    registration = services.set_muted(
        participant, _int(payload, "registration_id"), _bool(payload, "muted"))
    return {"registration_id": registration.id, "muted": registration.muted}


@staff_command
def ban_participant(participant, payload):
    registration = services.set_banned(
        participant, _int(payload, "registration_id"), _bool(payload, "banned"))
    return {"registration_id": registration.id, "banned": registration.banned}


#: Every Q&A command, by event name.
COMMANDS = {
    "ask_question": ask_question,
    "find_similar": find_similar,
    "vote": vote,
    "edit_my_question": edit_my_question,
    "withdraw_my_question": withdraw_my_question,
    "approve_question": approve_question,
    "dismiss_question": dismiss_question,
    "highlight_question": highlight_question,
    "unhighlight_question": unhighlight_question,
    "mark_answered": mark_answered,
    "answer_question": answer_question,
    "edit_question": edit_question,
    "merge_questions": merge_questions,
    "set_labels": set_labels,
    "set_starred": set_starred,
    "restore_question": restore_question,
    "archive_question": archive_question,
    "bulk_moderate": bulk_moderate,
    "update_qa_settings": update_qa_settings,
    "mute_participant": mute_participant,
    "ban_participant": ban_participant,
}
#: Commands only staff of the meeting may send.
STAFF_COMMANDS = frozenset(COMMANDS) - {
    "ask_question", "find_similar", "vote", "edit_my_question", "withdraw_my_question",
}


def init_app(app) -> None:
    coalescer.init_app(app)
    snapshots.provide("qa", services.snapshot)
    for event, handler in COMMANDS.items():
        register(event, handler)
