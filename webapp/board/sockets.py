"""Board socket commands (thin: declare the payload and role, call a service, ack).

Reaction counts are the board's hot path: instead of one message per click to every client,
`board.services.react` marks the post in a coalescer once the reaction commits, and one
`reaction_counts_changed` per meeting is announced a few times per second by a background
flusher.
"""

from __future__ import annotations

from webapp.board import services
from webapp.board.services import coalescer
from webapp.meetings.models import BoardMode
from webapp.realtime import snapshots
from webapp.realtime.handlers import Bool, Id, Int, Role, Str, command

#: Longest text a payload may carry; the service gives the friendly limit (1,000).
TEXT_MAX = 20_000


@command("post_message", role=Role.MEMBER, payload={
    "text": Str(TEXT_MAX), "client_id": Str(services.MAX_CLIENT_ID, optional=True),
})
def on_post_message(participant, payload):
    """`post_message {text, client_id}` -> `{ok, id}`."""
    post = services.post(participant, payload["text"], payload["client_id"])
    return {"id": post.id}


@command("react", role=Role.ATTENDEE, payload={
    "post_id": Id(), "kind": Str(32, choices=services.REACTIONS),
    "on": Bool(optional=True, default=True),
})
def on_react(participant, payload):
    """`react {post_id, kind, on}` -> `{ok, on}`; counts follow within a fraction of a second."""
    return {"on": services.react(participant, payload["post_id"], payload["kind"],
                                 payload["on"])}


@command("load_posts", role=Role.MEMBER, payload={"before": Id(optional=True)})
def on_load_posts(participant, payload):
    """`load_posts {before}` -> `{ok, posts, more, before}` (older posts, oldest first)."""
    return services.page(participant, payload["before"])


@command("hide_post", role=Role.STAFF, payload={
    "post_id": Id(), "reason": Str(TEXT_MAX),
})
def on_hide_post(participant, payload):
    """`hide_post {post_id, reason}` -> `{id}`; the author sees the reason."""
    post = services.hide(participant, payload["post_id"], payload["reason"])
    return {"id": post.id}


@command("restore_post", role=Role.STAFF, payload={"post_id": Id()})
def on_restore_post(participant, payload):
    """`restore_post {post_id}` -> `{id}`: a hidden post shows again."""
    post = services.restore(participant, payload["post_id"])
    return {"id": post.id}


@command("pin_post", role=Role.STAFF, payload={
    "post_id": Id(), "pinned": Bool(optional=True, default=True),
})
def on_pin_post(participant, payload):
    """`pin_post {post_id, pinned}` -> `{id, pinned}`: announcements stay on top."""
    post = services.pin(participant, payload["post_id"], payload["pinned"])
    return {"id": post.id, "pinned": post.pinned}


@command("quote_post", role=Role.STAFF, payload={"post_id": Id()})
def on_quote_post(participant, payload):
    """`quote_post {post_id}` -> `{id, quoted: true}`: the post goes into the meeting report."""
    post = services.quote(participant, payload["post_id"], True)
    return {"id": post.id, "quoted": post.quoted_at is not None}


@command("unquote_post", role=Role.STAFF, payload={"post_id": Id()})
def on_unquote_post(participant, payload):
    """`unquote_post {post_id}` -> `{id, quoted: false}`: the post leaves the report."""
    post = services.quote(participant, payload["post_id"], False)
    return {"id": post.id, "quoted": post.quoted_at is not None}


@command("translate_post", role=Role.TRANSLATOR, payload={
    "post_id": Id(), "language": Str(16), "text": Str(TEXT_MAX),
})
def on_translate_post(participant, payload):
    """`translate_post {post_id, language, text}` -> `{post_id, translations}` (blank removes)."""
    post = services.translate(participant, payload["post_id"], payload["language"],
                              payload["text"])
    return {"post_id": post.id, "translations": services.post_translations(post)}


@command("configure_board", role=Role.STAFF, payload={
    "mode": Str(16, choices=[mode.value for mode in BoardMode], optional=True),
    "slow_seconds": Int(0, services.MAX_SLOW_SECONDS, optional=True),
})
def on_configure_board(participant, payload):
    """`configure_board {mode?, slow_seconds?}` -> `{ok, mode, slow_seconds}` (staff)."""
    return services.configure(participant, payload["mode"], payload["slow_seconds"])


def init_app(app) -> None:
    """Start the reaction coalescer for this application and offer the board snapshot and
    figures parts."""
    coalescer.init_app(app)
    snapshots.provide("board", services.snapshot, shared=services.attendees_snapshot,
                      personal=services.own_snapshot, retired_by=(services.COUNTS_EVENT,),
                      has_own=services.HAS_OWN_DATA, nothing_own=services.NOTHING_OWN)
    snapshots.provide_figures("board", services.figures, shared=services.attendees_figures,
                              personal=services.own_figures, has_own=services.HAS_OWN_DATA,
                              nothing_own=services.NOTHING_OWN_FIGURES)
