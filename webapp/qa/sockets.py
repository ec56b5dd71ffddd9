"""Q&A socket commands: declare each payload and role, call one service, answer with an ack.

Every id in a payload is only a claim: the services look each object up within the
participant's own meeting. The declarations here check types, ranges and sizes (once, in
`realtime.handlers`); the services check the domain rules.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.meetings.models import ModerationMode
from webapp.qa import serialise, services, tally, translation_services
from webapp.qa.models import DismissReason
from webapp.qa.tally import coalescer
from webapp.realtime import snapshots
from webapp.realtime.handlers import (
    Bool,
    Id,
    Int,
    List,
    Object,
    Role,
    Str,
    command,
    commands_of,
)

#: Longest question text a payload may carry; the meeting's own limit is the service's.
TEXT_MAX = 20_000
LANGUAGE_MAX = 16
REASONS = tuple(reason.value for reason in DismissReason)
_VERSION = Int(1)


# --- attendees ---------------------------------------------------------------------------

@command("ask_question", role=Role.ATTENDEE, payload={
    "text": Str(TEXT_MAX),
    "client_id": Str(services.CLIENT_ID_MAX),
    "anonymous": Bool(optional=True, default=False),
    "agenda_item_id": Id(optional=True),
    "speaker_id": Id(optional=True),
    "language": Str(LANGUAGE_MAX, optional=True),
})
def ask_question(participant, payload):
    """`ask_question` -> `{question: own}`; a retried `client_id` returns the stored question."""
    question = services.ask(
        participant, payload["text"], client_id=payload["client_id"],
        anonymous=payload["anonymous"], agenda_item_id=payload["agenda_item_id"],
        speaker_id=payload["speaker_id"], language=payload["language"],
    )
    return {"question": serialise.own(question)}


@command("find_similar", role=Role.ATTENDEE, payload={"text": Str(TEXT_MAX)})
def find_similar(participant, payload):
    """`find_similar {text}` -> `{similar}`: look-alikes the asker may vote on instead."""
    return {"similar": services.find_similar(participant, payload["text"])}


@command("vote", role=Role.ATTENDEE, payload={"question_id": Id(), "voted": Bool()})
def vote(participant, payload):
    """`vote {question_id, voted}` -> `{question_id, voted, votes, votes_rev}` (set, not toggle)."""
    return services.vote(participant, payload["question_id"], payload["voted"])


@command("edit_my_question", role=Role.ATTENDEE, payload={
    "question_id": Id(), "text": Str(TEXT_MAX), "language": Str(LANGUAGE_MAX, optional=True),
})
def edit_my_question(participant, payload):
    """`edit_my_question` -> `{question: own}`; may send the question back to moderation."""
    question = services.edit_own(participant, payload["question_id"], payload["text"],
                                 payload["language"])
    return {"question": serialise.own(question)}


@command("withdraw_my_question", role=Role.ATTENDEE, payload={"question_id": Id()})
def withdraw_my_question(participant, payload):
    """`withdraw_my_question` -> `{question: own}`: the asker takes it back."""
    return {"question": serialise.own(
        services.withdraw_own(participant, payload["question_id"]))}


# --- moderators --------------------------------------------------------------------------

_ONE_QUESTION = {"question_id": Id(), "version": _VERSION}


def _moderator_command(name: str, service):
    """A moderator command on one question: `{question_id, version}` -> `{question}`."""

    def handler(participant, payload):
        question = service(participant, payload["question_id"], payload["version"])
        return {"question": serialise.staff(question)}

    handler.__name__ = name
    handler.__qualname__ = name
    return command(name, role=Role.STAFF, payload=_ONE_QUESTION)(handler)


approve_question = _moderator_command("approve_question", services.approve)
highlight_question = _moderator_command("highlight_question", services.highlight)
unhighlight_question = _moderator_command("unhighlight_question", services.unhighlight)
mark_answered = _moderator_command("mark_answered", services.mark_answered)
restore_question = _moderator_command("restore_question", services.restore)
archive_question = _moderator_command("archive_question", services.archive)


@command("dismiss_question", role=Role.STAFF, payload={
    **_ONE_QUESTION,
    "reason": Str(32, choices=REASONS, message=_l("Choose a reason.")),
    "note": Str(services.NOTE_MAX, optional=True),
})
def dismiss_question(participant, payload):
    """`dismiss_question` -> `{question: staff}`; the asker sees the reason."""
    question = services.dismiss(participant, payload["question_id"], payload["version"],
                                payload["reason"], payload["note"])
    return {"question": serialise.staff(question)}


@command("answer_question", role=Role.STAFF, payload={
    **_ONE_QUESTION, "text": Str(services.ANSWER_MAX),
})
def answer_question(participant, payload):
    """`answer_question` -> `{question: staff}`: a written answer (empty clears it)."""
    question = services.answer(participant, payload["question_id"], payload["version"],
                               payload["text"])
    return {"question": serialise.staff(question)}


@command("edit_question", role=Role.STAFF, payload={
    **_ONE_QUESTION,
    "text": Str(TEXT_MAX, optional=True),
    "language": Str(LANGUAGE_MAX, optional=True),
})
def edit_question(participant, payload):
    """`edit_question` -> `{question: staff}`; the first original wording is kept."""
    question = services.edit(participant, payload["question_id"], payload["version"],
                             text=payload["text"], language=payload["language"])
    return {"question": serialise.staff(question)}


@command("similar_questions", role=Role.STAFF, payload={"question_id": Id()})
def similar_questions(participant, payload):
    """`similar_questions {question_id}` -> `{similar: [{question_id, score}]}`, best first."""
    return {"similar": services.similar_for_moderators(participant, payload["question_id"])}


@command("merge_questions", role=Role.STAFF, payload={
    **_ONE_QUESTION, "into_id": Id(), "into_version": _VERSION,
})
def merge_questions(participant, payload):
    """`merge_questions` -> `{question: staff}`: votes move to the target."""
    question = services.merge(participant, payload["question_id"], payload["version"],
                              payload["into_id"], payload["into_version"])
    return {"question": serialise.staff(question)}


@command("set_labels", role=Role.STAFF, payload={
    **_ONE_QUESTION,
    "labels": List(Str(services.LABEL_MAX), services.LABELS_MAX,
                   message=_l("Use at most %(n)d labels.", n=services.LABELS_MAX)),
})
def set_labels(participant, payload):
    """`set_labels` -> `{question: staff}`: the moderators' own sorting."""
    question = services.set_labels(participant, payload["question_id"], payload["version"],
                                   payload["labels"])
    return {"question": serialise.staff(question)}


@command("set_starred", role=Role.STAFF, payload={**_ONE_QUESTION, "starred": Bool()})
def set_starred(participant, payload):
    """`set_starred` -> `{question: staff}`: a star for the speaker."""
    question = services.set_starred(participant, payload["question_id"], payload["version"],
                                    payload["starred"])
    return {"question": serialise.staff(question)}


@command("bulk_moderate", role=Role.STAFF, payload={
    "action": Str(16, choices=services.BULK_ACTIONS),
    "items": List(Object(_ONE_QUESTION), services.BULK_MAX),
    "reason": Str(32, choices=REASONS, optional=True, message=_l("Choose a reason.")),
})
def bulk_moderate(participant, payload):
    """`bulk_moderate` -> `{results}`: each item as its single command, failures listed."""
    return {"results": services.bulk_moderate(participant, payload["action"], payload["items"],
                                              payload["reason"])}


@command("set_up_next", role=Role.STAFF, payload={
    "question_ids": List(Id(), services.UP_NEXT_MAX,
                         message=_l("Use at most %(n)d questions.", n=services.UP_NEXT_MAX)),
})
def set_up_next(participant, payload):
    """`set_up_next {question_ids}` -> `{question_ids}`; every page gets `up_next_changed`."""
    return {"question_ids": services.set_up_next(participant, payload["question_ids"])}


@command("update_qa_settings", role=Role.STAFF, payload={
    "moderation": Str(8, choices=[mode.value for mode in ModerationMode], optional=True),
    "anonymous_allowed": Bool(optional=True),
    "open": Bool(optional=True),
    "after_meeting_questions": Bool(optional=True),
})
def update_qa_settings(participant, payload):
    """`update_qa_settings` -> `{settings}`; open pages get `qa_settings_changed`."""
    current = services.update_settings(
        participant, moderation=payload["moderation"],
        anonymous_allowed=payload["anonymous_allowed"], open_=payload["open"],
        after_meeting=payload["after_meeting_questions"],
    )
    return {"settings": current}


@command("mute_participant", role=Role.STAFF, payload={"registration_id": Id(), "muted": Bool()})
def mute_participant(participant, payload):
    """`mute_participant` -> `{registration_id, muted}`: reads and votes, cannot ask."""
    registration = services.set_muted(participant, payload["registration_id"], payload["muted"])
    return {"registration_id": registration.id, "muted": registration.muted}


@command("ban_participant", role=Role.STAFF, payload={"registration_id": Id(), "banned": Bool()})
def ban_participant(participant, payload):
    """`ban_participant` -> `{registration_id, banned}`: closes every socket of that attendee."""
    registration = services.set_banned(participant, payload["registration_id"],
                                       payload["banned"])
    return {"registration_id": registration.id, "banned": registration.banned}


# --- translations (staff and interpreters) ------------------------------------------------

_TRANSLATION = {"question_id": Id(), "language": Str(LANGUAGE_MAX), "text": Str(TEXT_MAX)}


@command("translate_question", role=Role.TRANSLATOR, payload=_TRANSLATION)
def translate_question(participant, payload):
    """`translate_question {question_id, language, text}` -> the `question_translated` payload
    (a blank text removes the translation)."""
    question = translation_services.set_translation(
        participant, payload["question_id"], payload["language"], payload["text"])
    return translation_services.payload(question)


@command("translate_answer", role=Role.TRANSLATOR, payload=_TRANSLATION)
def translate_answer(participant, payload):
    """`translate_answer {question_id, language, text}`: the written answer's translation."""
    question = translation_services.set_translation(
        participant, payload["question_id"], payload["language"], payload["text"],
        field="answer")
    return translation_services.payload(question)


#: Every Q&A command, by event name.
COMMANDS = commands_of(__name__)
#: Commands only staff of the meeting may send.
STAFF_COMMANDS = frozenset(name for name, cmd in COMMANDS.items() if cmd.role is Role.STAFF)


def init_app(app) -> None:
    """Start the tally coalescer for this application and offer the Q&A snapshot and
    figures parts."""
    coalescer.init_app(app)
    snapshots.provide("qa", services.snapshot, shared=services.attendees_snapshot,
                      personal=services.own_snapshot, retired_by=(tally.EVENT,),
                      has_own=services.HAS_OWN_DATA, nothing_own=services.NOTHING_OWN)
    snapshots.provide_figures("qa", services.figures, shared=services.attendees_figures,
                              personal=services.own_figures, has_own=services.HAS_OWN_DATA,
                              nothing_own=services.NOTHING_OWN_FIGURES)
