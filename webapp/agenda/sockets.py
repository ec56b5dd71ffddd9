"""Live agenda clock commands for staff (thin: declare the payload, call a service, ack)."""

from __future__ import annotations

from webapp.agenda import clock_services, services
from webapp.realtime import snapshots
from webapp.realtime.handlers import Id, Role, command


@command("start_next_item", role=Role.STAFF)
def on_start_next_item(participant, payload):
    """`start_next_item {}` -> `{ok, clock}`."""
    return {"clock": clock_services.start_next(participant)}


@command("end_current_item", role=Role.STAFF)
def on_end_current_item(participant, payload):
    """`end_current_item {}` -> `{ok, clock}`."""
    return {"clock": clock_services.end_current(participant)}


@command("jump_to_item", role=Role.STAFF, payload={"item_id": Id()})
def on_jump_to_item(participant, payload):
    """`jump_to_item {item_id}` -> `{ok, clock}`."""
    return {"clock": clock_services.jump_to(participant, payload["item_id"])}


@command("end_meeting", role=Role.STAFF)
def on_end_meeting(participant, payload):
    """`end_meeting {}` -> `{ok, clock}`."""
    return {"clock": clock_services.end_meeting(participant)}


def init_app(app) -> None:
    """Offer the agenda's and the clock's parts of a `join` snapshot (the agenda first: it
    reads the items the clock then uses)."""
    snapshots.provide("agenda", services.snapshot, shared=services.shared_snapshot)
    snapshots.provide("clock", clock_services.snapshot, plan=clock_services.plan_of,
                      from_plan=clock_services.snapshot_from_plan)
