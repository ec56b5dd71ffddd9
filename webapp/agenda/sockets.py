"""Live agenda clock commands for staff (thin: call a service, ack)."""

from __future__ import annotations

from webapp.agenda import clock_services
from webapp.realtime import snapshots
from webapp.realtime.handlers import socket_command
from webapp.realtime.sockets import register


@socket_command
def on_start_next_item(participant, payload):
    """`start_next_item {}` -> `{ok, clock}`."""
    return {"clock": clock_services.start_next(participant)}


@socket_command
def on_end_current_item(participant, payload):
    """`end_current_item {}` -> `{ok, clock}`."""
    return {"clock": clock_services.end_current(participant)}


@socket_command
def on_jump_to_item(participant, payload):
    """`jump_to_item {item_id}` -> `{ok, clock}`."""
    return {"clock": clock_services.jump_to(participant, payload.get("item_id"))}


@socket_command
def on_end_meeting(participant, payload):
    """`end_meeting {}` -> `{ok, clock}`."""
    return {"clock": clock_services.end_meeting(participant)}


def init_app(app) -> None:
    snapshots.provide("clock", clock_services.snapshot)
    register("start_next_item", on_start_next_item)
    register("end_current_item", on_end_current_item)
    register("jump_to_item", on_jump_to_item)
    register("end_meeting", on_end_meeting)
