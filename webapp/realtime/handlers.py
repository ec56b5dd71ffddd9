"""One registry of socket commands: who may send each, what its payload holds, and the acks.

Every command is declared once with `@command(name, role=..., payload={...})`. `dispatch` runs
the same checks for all of them, in this order, before the handler sees anything:

1. the socket has a participant (fixed at connect), else `not_connected`;
2. the participant is still admitted: one keyed lookup (the registration is confirmed and not
   banned, the presenter token was not rotated). A ban issued while Redis was down never
   closed this socket on this process, so the command is refused with `forbidden` and the
   socket is closed;
3. the declared role, else `forbidden` (before the payload is looked at);
4. the payload against its declaration, else `invalid` with the `field` at fault.

The handler then gets `(participant, clean)`, where `clean` holds exactly the declared
fields (absent optional ones as their default). Domain errors become `{ok: false, error}`;
anything unexpected is logged and answered with `server_error`, never a dropped ack.
"""

from __future__ import annotations

import enum
import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

from webapp.errors import DomainError, Forbidden, InvalidInput, StaffOnly
from webapp.extensions import db, socketio
from webapp.realtime import log, state
from webapp.realtime.actor import Actor as Participant
from webapp.realtime.models import Audience
from webapp.realtime.transport import socket_settings
from webapp.realtime.turns import NoTurn, Turns

logger = logging.getLogger(__name__)
#: Seconds a `busy` answer asks the client to wait (the page's join retries on its own back-off).
BUSY_RETRY_AFTER = 5

def remember(sid: str, participant: Participant, live_from: int | None = None) -> None:
    """Fix the socket's participant at connect: commands never re-resolve who sent them.
    `live_from`: the `seq` after which the socket receives every event live."""
    state.current().connections.remember(sid, participant, live_from)


def live_from(sid: str) -> int | None:
    """The `seq` after which this socket receives every event live (None: not known)."""
    return state.current().connections.live_from.get(sid)


def forget(sid: str) -> Participant | None:
    """Drop a closed socket; returns its participant for the presence count."""
    return state.current().connections.forget(sid)


def participant_for(sid: str) -> Participant | None:
    """The participant of a socket of this process, or None (not connected)."""
    return state.current().connections.get(sid)


def connections() -> list[tuple[str, Participant]]:
    """Every socket of this application in this process with its participant."""
    return state.current().connections.all()


def error_ack(code: str, message: str, **details) -> dict:
    """A refusal in the one ack shape clients read: `{ok: false, error: {code, message}}`."""
    return {"ok": False, "error": {"code": code, "message": message, **details}}


# --- roles -------------------------------------------------------------------------------

class Role(enum.Enum):
    """Who may send a command."""

    #: Every connected socket, the read-only presenter screen included (only `join`).
    ANYONE = "anyone"
    #: Attendees and staff of the meeting, not the presenter screen.
    MEMBER = "member"
    #: A confirmed registration of the meeting.
    ATTENDEE = "attendee"
    #: Organisers and moderators of the meeting.
    STAFF = "staff"
    #: Staff and interpreters: adding and correcting translations, nothing else.
    TRANSLATOR = "translator"

    def allows(self, participant: Participant) -> bool:
        """Whether this participant may send a command that needs this role."""
        if self is Role.ANYONE:
            return True
        if self is Role.MEMBER:
            return not participant.is_presenter
        if self is Role.ATTENDEE:
            return participant.registration_id is not None
        if self is Role.TRANSLATOR:
            return participant.may_translate
        return participant.is_staff

    def refusal(self) -> Forbidden:
        """The error a participant without this role gets, in words they understand."""
        if self is Role.ATTENDEE:
            return Forbidden(_l("Only registered attendees can do this."))
        if self is Role.STAFF:
            return StaffOnly()
        if self is Role.TRANSLATOR:
            return Forbidden(_l("Only interpreters and moderators can translate."))
        return Forbidden()


# --- payload declarations ----------------------------------------------------------------

#: Largest id or count a command accepts: the range of a signed 64-bit database integer.
INT64_MAX = 2**63 - 1
_MISSING = object()
_FORMAT = _l("This request is not in the expected format.")
#: What a command or a connection answered `busy` tells the person (the page tries again).
BUSY_MESSAGE = _l("The server is busy. Trying again in a moment.")
#: What the log says made an event `busy`.
BUSY_CAUSES = {SQLAlchemyTimeoutError: "database pool exhausted",
               NoTurn: "no free turn (PUENTE_SOCKET_CONCURRENCY)"}


class Field:
    """One declared payload field. Absent and null are the same: `default` when optional.

    `lenient` fields read an unusable value as absent instead of refusing the command (the
    `last_seq` of `join`: a confused client gets a fresh snapshot).
    """

    def __init__(self, *, optional: bool = False, default=None, lenient: bool = False,
                 message=None):
        self.optional = optional or lenient
        self.default = default
        self.lenient = lenient
        self.message = message

    def clean(self, value, name: str):
        """The checked value of this field, its default when absent, or InvalidInput."""
        if value is _MISSING or value is None:
            if self.optional:
                return self.default
            raise self.invalid(name)
        try:
            return self.check(value, name)
        except InvalidInput:
            if self.lenient:
                return self.default
            raise

    def check(self, value, name: str):
        """Check a present value; subclasses say what a usable value is."""
        raise NotImplementedError

    def invalid(self, name: str) -> InvalidInput:
        """The refusal naming this field, so the client can point at it."""
        return InvalidInput(self.message or _FORMAT, field=name)


class Int(Field):
    """A whole number (not a boolean, not a float) within `minimum..maximum`."""

    def __init__(self, minimum: int = 0, maximum: int = INT64_MAX, **options):
        super().__init__(**options)
        self.minimum = max(minimum, -INT64_MAX - 1)
        self.maximum = min(maximum, INT64_MAX)

    def check(self, value, name: str):
        """A whole number in range (booleans are not numbers here)."""
        if type(value) is not int or not self.minimum <= value <= self.maximum:
            raise self.invalid(name)
        return value


class Id(Int):
    """A database id: 1..2^63-1. Whether it exists, and in this meeting, is the service's."""

    def __init__(self, **options):
        super().__init__(1, INT64_MAX, **options)


class Bool(Field):
    """A true or false value (not 0 or 1, not a string)."""
    def check(self, value, name: str):
        """A real boolean only."""
        if not isinstance(value, bool):
            raise self.invalid(name)
        return value


class Str(Field):
    """Text of at most `max_length` characters, optionally one of `choices`."""

    def __init__(self, max_length: int, *, choices=None, **options):
        super().__init__(**options)
        self.max_length = max_length
        self.choices = frozenset(choices) if choices is not None else None

    def check(self, value, name: str):
        """Text within the length and, when given, one of the choices."""
        if not isinstance(value, str) or len(value) > self.max_length:
            raise self.invalid(name)
        if self.choices is not None and value not in self.choices:
            raise self.invalid(name)
        return value


class Localized(Field):
    """An organiser text: a string, or `{language tag: string}` with at most `max_languages`
    entries, each at most `max_length` characters. Which languages fit is the service's."""

    def __init__(self, max_length: int, max_languages: int = 10, **options):
        super().__init__(**options)
        self.max_length = max_length
        self.max_languages = max_languages

    def check(self, value, name: str):
        """A string within the length, or a small mapping of short tags to such strings."""
        if isinstance(value, str):
            if len(value) > self.max_length:
                raise self.invalid(name)
            return value
        if not isinstance(value, dict) or len(value) > self.max_languages:
            raise self.invalid(name)
        for lang, text in value.items():
            if len(lang) > 16 or not (text is None or isinstance(text, str)):
                raise self.invalid(name)
            if text is not None and len(text) > self.max_length:
                raise self.invalid(name)
        return dict(value)


class Dict(Field):
    """A JSON object of at most `max_keys` keys whose shape the service checks (an answer's
    value differs by poll kind)."""

    def __init__(self, max_keys: int = 8, **options):
        super().__init__(**options)
        self.max_keys = max_keys

    def check(self, value, name: str):
        """An object, not too large."""
        if not isinstance(value, dict) or len(value) > self.max_keys:
            raise self.invalid(name)
        return value


class List(Field):
    """A list of at most `max_items` values, each checked by `of`."""

    def __init__(self, of: Field, max_items: int, **options):
        super().__init__(**options)
        self.of = of
        self.max_items = max_items

    def check(self, value, name: str):
        """A list within the size, each item checked (errors name the item's index)."""
        if not isinstance(value, list) or len(value) > self.max_items:
            raise self.invalid(name)
        return [self.of.clean(item, f"{name}.{index}") for index, item in enumerate(value)]


class Object(Field):
    """A nested object with its own declared fields (unknown keys are dropped)."""

    def __init__(self, fields: Mapping[str, Field], **options):
        super().__init__(**options)
        self.fields = fields

    def check(self, value, name: str):
        """A dict, cleaned to its declared fields."""
        if not isinstance(value, dict):
            raise self.invalid(name)
        return clean_payload(self.fields, value, prefix=f"{name}.")


def clean_payload(fields: Mapping[str, Field], payload: dict, prefix: str = "") -> dict:
    """Exactly the declared fields, checked; raises InvalidInput naming the first bad one."""
    return {name: spec.clean(payload.get(name, _MISSING), prefix + name)
            for name, spec in fields.items()}


# --- the registry ------------------------------------------------------------------------

@dataclass(frozen=True)
class Command:
    """One declared socket command: handler, role and payload, as dispatch checks them."""
    name: str
    handler: Callable[[Participant, dict], dict | None]
    role: Role
    payload: Mapping[str, Field] = field(default_factory=dict)
    module: str = ""


#: Every socket command, by event name.
REGISTRY: dict[str, Command] = {}


def command(name: str, *, role: Role, payload: Mapping[str, Field] | None = None):
    """Declare a socket command: its event name, the role it needs and its payload."""

    def declare(handler):
        existing = REGISTRY.get(name)
        if existing is not None and existing.handler is not handler:
            raise ValueError(f"socket command {name!r} is declared twice")
        REGISTRY[name] = Command(name, handler, role, dict(payload or {}), handler.__module__)
        return handler

    return declare


def commands_of(module: str) -> dict[str, Command]:
    """The commands one module declared (tests and role lists read them)."""
    return {name: cmd for name, cmd in REGISTRY.items() if cmd.module == module}


def limit_turns(app) -> None:
    """Let `PUENTE_SOCKET_CONCURRENCY` socket events of this application work at once."""
    state.of(app).turns = Turns(socket_settings.socket_concurrency(app))


def admit_with(app, check: Callable[[Participant], bool]) -> None:
    """Install the per-command admission check (`live.participants.still_admitted`); until
    the live adapter does, every command is refused."""
    state.of(app).still_admitted = check


def dispatch(cmd: Command, payload=None) -> dict:
    """Run one command for the socket of the current event; always returns an ack."""
    live = state.current()
    participant = live.connections.get(request.sid)
    if participant is None:
        return error_ack("not_connected", _("Please reload the page to reconnect."))
    try:
        with live.turns.turn():
            if not live.still_admitted(participant):
                db.session.rollback()
                _close_after_ack(live, request.sid, participant)
                return error_ack("forbidden", _("You no longer have access to this meeting."))
            if not cmd.role.allows(participant):
                raise cmd.role.refusal()
            if payload is None:
                payload = {}
            if not isinstance(payload, dict):
                return error_ack("invalid", str(_FORMAT))
            clean = clean_payload(cmd.payload, payload)
            result = cmd.handler(participant, clean)
    except DomainError as error:
        db.session.rollback()
        return {"ok": False, "error": error.as_dict()}
    except (SQLAlchemyTimeoutError, NoTurn) as error:
        # Every pooled connection or every turn is taken (a crowd arriving at once): ask
        # for a retry.
        db.session.rollback()
        logger.warning("%s on socket command %s", BUSY_CAUSES[type(error)], cmd.name)
        return error_ack("busy", str(BUSY_MESSAGE),
                         retry_after=BUSY_RETRY_AFTER)
    except Exception:
        db.session.rollback()
        logger.exception("socket command %s failed", cmd.name)
        return error_ack("server_error", _("Something went wrong on our side. Please retry."))
    return {"ok": True, **(result or {})}


def _close_after_ack(live: state.LiveState, sid: str, participant: Participant) -> None:
    """Close this socket, and every tab of a revoked attendee on every process, once this
    handler has returned its ack: an attendee's tabs through `access_revoked`, which the
    broadcaster sends before it closes them (the revocation that was lost)."""

    def close():
        if participant.registration_id is not None:
            live.broadcaster.publish(log.DomainEvent(
                participant.meeting_id, log.ACCESS_REVOKED, {}, Audience.PARTICIPANT,
                registration_id=participant.registration_id))
        if live.server is not None:
            live.server.disconnect(sid, namespace="/")

    socketio.start_background_task(close)


def _event_handler(cmd: Command):
    @functools.wraps(cmd.handler)
    def on_event(payload=None, *_extra):
        return dispatch(REGISTRY.get(cmd.name, cmd), payload)

    return on_event


def attach_commands() -> None:
    """Attach every declared command to the current application's Socket.IO server.

    `init_app` builds a new server for each application, and handlers attached after it are
    not replayed, so each application attaches the registry again.
    """
    for name, cmd in REGISTRY.items():
        socketio.on_event(name, _event_handler(cmd))
