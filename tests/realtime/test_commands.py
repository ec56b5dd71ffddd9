"""One registry of socket commands: every payload is checked before any service runs.

The fuzz sends every registered command, from a participant its role admits, with each
declared field replaced by values of the wrong shape; the answer is always `invalid` naming
the field (or `not_found` for a well-formed id that does not exist), never `server_error`.
"""

from __future__ import annotations

import pytest

from tests.factories import make_meeting, make_registration, make_user
from tests.support.commands import plausible
from webapp.accounts.models import RoleKind
from webapp.extensions import socketio
from webapp.realtime import handlers
from webapp.realtime.handlers import Bool, Dict, Int, List, Localized, Role, Str


def nested(depth: int):
    value: list = []
    for _n in range(depth):
        value = [value]
    return value


#: Values of every wrong shape a client could send in a field.
BAD_VALUES = {
    "huge": 2**63,
    "huger": 10**40,
    "negative": -1,
    "float": 1.5,
    "string": "1",
    "list": [1],
    "object": {"id": 1},
    "null": None,
    "true": True,
    "nested": nested(40),
}


def accepts(spec, value) -> bool:
    """Whether the declaration takes this value (null is 'absent' for optional fields)."""
    if value is None:
        return spec.optional
    if spec.lenient:
        return True
    if isinstance(spec, Int):
        return type(value) is int and spec.minimum <= value <= spec.maximum
    if isinstance(spec, Bool):
        return isinstance(value, bool)
    if isinstance(spec, Str):
        return isinstance(value, str) and (spec.choices is None or value in spec.choices)
    if isinstance(spec, List):  # a list of well-formed ids may name ids that do not exist
        return isinstance(value, list) and all(accepts(spec.of, item) for item in value)
    if isinstance(spec, Localized):
        return isinstance(value, str) or (isinstance(value, dict) and all(
            isinstance(text, str | None) for text in value.values()))
    if isinstance(spec, Dict):
        return isinstance(value, dict)
    return False


@pytest.fixture
def sockets(app, live_sockets):
    meeting = make_meeting()
    attendee = live_sockets.attendee(make_registration(meeting))
    staff = live_sockets.staff(make_user(meeting=meeting, role=RoleKind.ORGANISER), meeting.id)
    return {Role.ANYONE: attendee, Role.MEMBER: attendee, Role.ATTENDEE: attendee,
            Role.STAFF: staff, Role.TRANSLATOR: staff}


def test_every_command_is_declared_in_the_registry(app):
    attached = set(socketio.server.handlers["/"])
    lifecycle = {"connect", "disconnect"}
    assert attached - lifecycle == set(handlers.REGISTRY)
    assert len(handlers.REGISTRY) >= 33
    for cmd in handlers.REGISTRY.values():
        assert isinstance(cmd.role, Role), cmd.name


def test_every_field_of_every_command_refuses_the_wrong_shape(sockets):
    failures = []
    for name, cmd in sorted(handlers.REGISTRY.items()):
        sio = sockets[cmd.role]
        base = {field: plausible(spec) for field, spec in cmd.payload.items()}
        for field, spec in cmd.payload.items():
            for label, value in BAD_VALUES.items():
                ack = sio.emit(name, {**base, field: value}, callback=True)
                code = ack["error"]["code"] if not ack["ok"] else None
                if code == "server_error" or (
                        not accepts(spec, value)
                        and (code != "invalid"
                             or not str(ack["error"].get("field")).startswith(field))):
                    failures.append((name, field, label, ack))
        for label, value in BAD_VALUES.items():  # the whole payload of the wrong shape
            ack = sio.emit(name, value, callback=True)
            if not isinstance(value, dict | None) and not (ack["ok"] is False
                                          and ack["error"]["code"] == "invalid"):
                failures.append((name, "<payload>", label, ack))
            if not ack["ok"] and ack["error"]["code"] == "server_error":
                failures.append((name, "<payload>", label, ack))
        if cmd.payload:
            ack = sio.emit(name, base, callback=True)
            if not ack["ok"] and ack["error"]["code"] == "server_error":
                failures.append((name, "<plausible>", "", ack))
    assert failures == [], "\n".join(map(repr, failures))
    assert sockets[Role.ATTENDEE].is_connected() and sockets[Role.STAFF].is_connected()


@pytest.mark.parametrize(("command", "payload"), [
    ("react", {"post_id": 2**63, "kind": "like"}),
    ("hide_post", {"post_id": 2**63, "reason": "spam"}),
    ("restore_post", {"post_id": 2**63}),
    ("load_posts", {"before": 2**63}),
    ("configure_board", {"mode": []}),
    ("configure_board", {"mode": {}}),
    ("vote", {"question_id": 2**63, "voted": True}),
])
def test_reported_payloads_are_invalid(sockets, command, payload):
    ack = sockets[handlers.REGISTRY[command].role].emit(command, payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid", ack
    assert ack["error"]["field"] == next(iter(payload))


def test_nested_fields_name_the_element_at_fault(sockets):
    ack = sockets[Role.STAFF].emit("bulk_moderate", {
        "action": "approve", "items": [{"question_id": 1, "version": 1},
                                       {"question_id": 2**63, "version": 1}]}, callback=True)
    assert ack["error"]["code"] == "invalid"
    assert ack["error"]["field"] == "items.1.question_id"
