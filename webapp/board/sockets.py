"""Board socket commands (thin: validate the payload shape, call a service, ack).

Reaction counts are the board's hot path: instead of one message per click to every client,
the posts whose counts changed are collected and one `reaction_counts_changed` per meeting is
announced a few times per second by a background flusher.
"""

from __future__ import annotations

from webapp.board import services
from webapp.realtime import snapshots
from webapp.realtime.coalescer import Coalescer
from webapp.realtime.handlers import socket_command
from webapp.realtime.sockets import register

#: Posts whose reaction counts changed, announced a few times per second per meeting.
coalescer = Coalescer("reaction counts", services.announce_counts,
                      setting="PUENTE_REACTION_INTERVAL_MS", default_ms=300,
                      everything=services.visible_post_ids)


@socket_command
def on_post_message(participant, payload):
    """`post_message {text, client_id}` -> `{ok, id}`."""
    post = services.post(participant, payload.get("text"), payload.get("client_id"))
    return {"id": post.id}


@socket_command
def on_react(participant, payload):
    """`react {post_id, kind, on}` -> `{ok, on}`; counts follow within a fraction of a second."""
    post_id = payload.get("post_id")
    on = services.react(participant, post_id, payload.get("kind"), payload.get("on", True))
    coalescer.mark(participant.meeting_id, [post_id])
    return {"on": on}


@socket_command
def on_load_posts(participant, payload):
    """`load_posts {before}` -> `{ok, posts, more, before}` (older posts, oldest first)."""
    return services.page(participant, payload.get("before"))


@socket_command
def on_hide_post(participant, payload):
    post = services.hide(participant, payload.get("post_id"), payload.get("reason"))
    return {"id": post.id}


@socket_command
def on_restore_post(participant, payload):
    post = services.restore(participant, payload.get("post_id"))
    return {"id": post.id}


@socket_command
def on_pin_post(participant, payload):
    post = services.pin(participant, payload.get("post_id"), payload.get("pinned", True))
    return {"id": post.id, "pinned": post.pinned}


@socket_command
def on_configure_board(participant, payload):
    """`configure_board {mode?, slow_seconds?}` -> `{ok, mode, slow_seconds}` (staff)."""
    return services.configure(participant, payload.get("mode"), payload.get("slow_seconds"))


def init_app(app) -> None:
    coalescer.init_app(app)
    snapshots.provide("board", services.snapshot)
    register("post_message", on_post_message)
    register("react", on_react)
    register("load_posts", on_load_posts)
    register("hide_post", on_hide_post)
    register("restore_post", on_restore_post)
    register("pin_post", on_pin_post)
    register("configure_board", on_configure_board)
