"""Poll socket commands: declare each payload and role, call one service, answer with an ack.

Staff (organisers, moderators) prepare and run polls; interpreters and the presenter screen
cannot. Attendees answer. Ids are only claims: the services look each poll up within the
participant's own meeting.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.polls import serialise, services, tally
from webapp.polls.models import PollKind, RatingScale, ResultsVisibility
from webapp.polls.tally import coalescer
from webapp.realtime import snapshots
from webapp.realtime.handlers import (
    Bool,
    Dict,
    Id,
    Int,
    List,
    Localized,
    Role,
    Str,
    command,
    commands_of,
)

KINDS = tuple(kind.value for kind in PollKind)
SCALES = tuple(scale.value for scale in RatingScale)
VISIBILITIES = tuple(visibility.value for visibility in ResultsVisibility)

#: The fields of a poll staff send to create or change it.
_POLL_FIELDS = {
    "question": Localized(services.QUESTION_MAX, optional=True),
    "options": List(Localized(services.OPTION_MAX), services.OPTIONS_MAX, optional=True,
                    message=_l("Give between %(min)d and %(max)d options.",
                               min=services.OPTIONS_MIN, max=services.OPTIONS_MAX)),
    "max_choices": Int(1, services.OPTIONS_MAX, optional=True),
    "scale": Str(16, choices=SCALES, optional=True, message=_l("Choose a scale.")),
    "results": Str(16, choices=VISIBILITIES, optional=True,
                   message=_l("Choose when attendees see the results.")),
    "anonymous": Bool(optional=True),
    "agenda_item_id": Id(optional=True),
}
_KIND = Str(16, choices=KINDS, message=_l("Choose a kind of poll."))


def _fields(payload: dict) -> dict:
    return {name: payload[name] for name in _POLL_FIELDS}


# --- staff -------------------------------------------------------------------------------

@command("create_poll", role=Role.STAFF, payload={"kind": _KIND, **_POLL_FIELDS})
def create_poll(participant, payload):
    """`create_poll` -> `{poll}`: a draft, sent to the staff room."""
    poll = services.create_poll(participant, kind=payload["kind"], **_fields(payload))
    return {"poll": serialise.poll(poll)}


@command("update_poll", role=Role.STAFF, payload={
    "poll_id": Id(), "version": Int(1), "kind": Str(16, choices=KINDS, optional=True),
    **_POLL_FIELDS,
})
def update_poll(participant, payload):
    """`update_poll` -> `{poll}`: drafts only, at the version the organiser saw."""
    poll = services.update_poll(participant, payload["poll_id"], payload["version"],
                           kind=payload["kind"], **_fields(payload))
    return {"poll": serialise.poll(poll)}


@command("delete_poll", role=Role.STAFF, payload={"poll_id": Id()})
def delete_poll(participant, payload):
    """`delete_poll {poll_id}` -> `{}`: drafts only."""
    services.delete_poll(participant, payload["poll_id"])
    return {}


@command("open_poll", role=Role.STAFF, payload={"poll_id": Id()})
def open_poll(participant, payload):
    """`open_poll {poll_id}` -> `{poll}`: draft or closed -> open."""
    return {"poll": serialise.poll(services.open_poll(participant, payload["poll_id"]))}


@command("close_poll", role=Role.STAFF, payload={"poll_id": Id()})
def close_poll(participant, payload):
    """`close_poll {poll_id}` -> `{poll}`."""
    return {"poll": serialise.poll(services.close_poll(participant, payload["poll_id"]))}


@command("moderate_poll_answer", role=Role.STAFF, payload={
    "poll_id": Id(), "answer_id": Id(), "shown": Bool(),
})
def moderate_poll_answer(participant, payload):
    """`moderate_poll_answer {poll_id, answer_id, shown}` -> `{}` (written answers)."""
    services.moderate_answer(participant, payload["poll_id"], payload["answer_id"],
                             payload["shown"])
    return {}


# --- attendees ---------------------------------------------------------------------------

@command("answer_poll", role=Role.ATTENDEE, payload={
    "poll_id": Id(), "client_id": Str(services.CLIENT_ID_MAX), "value": Dict(),
})
def answer_poll(participant, payload):
    """`answer_poll {poll_id, client_id, value}` -> `{answer: {value, status}}`."""
    return {"answer": services.answer(participant, payload["poll_id"], payload["client_id"],
                                      payload["value"])}


#: Every poll command, by event name.
COMMANDS = commands_of(__name__)
#: Commands only staff of the meeting may send.
STAFF_COMMANDS = frozenset(name for name, cmd in COMMANDS.items() if cmd.role is Role.STAFF)


def init_app(app) -> None:
    """Start the results coalescer for this application and offer the `polls` snapshot and
    figures parts."""
    coalescer.init_app(app)
    snapshots.provide("polls", services.snapshot, shared=services.attendees_snapshot,
                      personal=services.own_snapshot, retired_by=(tally.EVENT,),
                      has_own=services.HAS_OWN_DATA, nothing_own=services.NOTHING_OWN)
    snapshots.provide_figures("polls", services.figures, shared=services.attendees_figures,
                              personal=services.own_figures, has_own=services.HAS_OWN_DATA,
                              nothing_own=services.NOTHING_OWN)
