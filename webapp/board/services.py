"""Board rules: posting, reactions, moderation, paging, settings, export and the wall.

Plain Python: the acting `Participant` (fixed when the socket connected) or `User` comes in as an
argument, and `now` can be passed in so a whole session can be replayed with a fake clock.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User
from webapp.accounts.participant import Participant
from webapp.accounts.permissions import require_moderator
from webapp.board.models import Post, Reaction, ReactionKind
from webapp.core.language import guess_language, name_language
from webapp.core.ratelimit import rate_limits
from webapp.core.rich_text import paragraphs
from webapp.core.spreadsheet import BOM, neutralise
from webapp.core.text import forbidden_character, is_blank, normalise_line_ends
from webapp.core.timefmt import zone_times
from webapp.core.timeutil import iso_utc, utcnow
from webapp.errors import (
    Closed,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    require_staff,
)
from webapp.extensions import db
from webapp.meetings import translations
from webapp.meetings.models import BoardMode, Meeting, MeetingStatus
from webapp.realtime import log
from webapp.realtime.coalescer import Coalescer
from webapp.realtime.models import Audience
from webapp.registration.labels import country_name
from webapp.registration.models import Registration

#: Longest post, in characters (any script).
MAX_POST_LENGTH = 1000
#: Longest hide reason.
MAX_REASON_LENGTH = 500
#: Posts a page opens with, and each "load older" step.
PAGE_SIZE = 50
#: The unlogged event that carries reaction counts (coalesced, with a revision per post).
COUNTS_EVENT = "reaction_counts_changed"
#: Longest slow-mode interval a moderator can set.
MAX_SLOW_SECONDS = 3600
MAX_CLIENT_ID = 64
#: Reactions in the order the board shows them.
REACTIONS = tuple(kind.value for kind in ReactionKind)
#: The emoji each reaction shows as: the one place this is decided (the board's page gets it
#: from `board/_panel.html`; its accessible name stays the translated word).
REACTION_EMOJI = {
    ReactionKind.THANKS.value: "\N{PERSON WITH FOLDED HANDS}",
    ReactionKind.APPLAUSE.value: "\N{CLAPPING HANDS SIGN}",
    ReactionKind.LIKE.value: "\N{THUMBS UP SIGN}",
    ReactionKind.INSIGHTFUL.value: "\N{ELECTRIC LIGHT BULB}",
}


# --- reading -------------------------------------------------------------------------------

def _meeting(meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(_l("This meeting does not exist."))
    return meeting


def _post_in_meeting(participant: Participant, post_id) -> Post:
    if not isinstance(post_id, int) or isinstance(post_id, bool):
        raise InvalidInput(_l("This post does not exist."))
    post = db.session.get(Post, post_id)
    if post is None or post.meeting_id != participant.meeting_id:
        raise NotFound(_l("This post does not exist."))
    return post


def reaction_counts(post_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Counts per post and kind; posts without reactions are absent."""
    ids = list(post_ids)
    counts: dict[int, dict[str, int]] = {}
    if not ids:
        return counts
    rows = db.session.execute(
        select(Reaction.post_id, Reaction.kind, func.count(Reaction.id))
        .where(Reaction.post_id.in_(ids))
        .group_by(Reaction.post_id, Reaction.kind)
    )
    for post_id, kind, count in rows:
        counts.setdefault(post_id, {})[kind.value] = count
    return counts


def _my_reactions(registration_id: int | None, post_ids: list[int]) -> dict[int, list[str]]:
    if registration_id is None or not post_ids:
        return {}
    mine: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(Reaction.post_id, Reaction.kind).where(
            Reaction.registration_id == registration_id, Reaction.post_id.in_(post_ids)
        )
    )
    for post_id, kind in rows:
        mine.setdefault(post_id, []).append(kind.value)
    return mine


def _with_authors() -> tuple:
    """Loader options for a list of posts: every author (attendee or staff) joined to the posts'
    own query, not read one per post."""
    return (joinedload(Post.registration), joinedload(Post.user))


def _author(post: Post) -> dict:
    if post.registration_id is None:
        if post.user_id is not None:
            user = post.user
            return _with_language({"name": user.name if user else "", "staff": True})
        return {"name": "", "staff": False}
    registration = post.registration
    if registration is None or registration.anonymised_at is not None:
        return {"name": "", "staff": False}
    return _with_language({"name": registration.name, "organisation": registration.organisation,
                           "country": registration.country, "staff": False})


def _with_language(author: dict) -> dict:
    """The author with the `language` their name is written in, when its script tells."""
    language = name_language(author["name"])
    if language:
        author["language"] = language
    return author


def serialise(post: Post, *, counts: dict | None = None, full: bool = False) -> dict:
    """A post as clients see it; a hidden post keeps its place but loses its text.

    `full` (staff, or the author) keeps the text and the moderator's reason. `paragraphs` is
    the text cut into paragraphs, links and line breaks by `core.rich_text`, so browsers show
    links without looking for them.
    """
    data = {
        "id": post.id,
        "created_at": iso_utc(post.created_at),
        "pinned": post.pinned,
        "hidden": post.hidden,
        "reactions": counts or {},
        "reactions_rev": post.reactions_version or 0,
    }
    if post.hidden and not full:
        return data
    data["quoted"] = post.quoted_at is not None
    data["text"] = post.text
    language = post.language or (guess_language(post.text) if post.registration_id else None)
    if language:  # an older announcement: the client takes the meeting's first language
        data["language"] = language
    data["paragraphs"] = paragraphs(post.text)
    data["translations"] = post_translations(post)
    data["author"] = _author(post)
    if post.hidden:
        data["hide_reason"] = post.hide_reason or ""
    return data


def post_translations(post: Post) -> dict:
    """Each translation with its paragraphs, cut like the original's."""
    shown = translations.public(post.translations)
    for entry in shown.values():
        entry["paragraphs"] = paragraphs(entry["text"])
    return shown


def _sees_all(participant: Participant, post: Post) -> bool:
    return participant.is_staff or (
        participant.registration_id is not None
        and post.registration_id == participant.registration_id
    )


def _serialise_many(participant: Participant, posts: list[Post]) -> list[dict]:
    ids = [post.id for post in posts]
    counts = reaction_counts(ids)
    mine = _my_reactions(participant.registration_id, ids)
    rows = []
    for post in posts:
        data = serialise(post, counts=counts.get(post.id), full=_sees_all(participant, post))
        if post.id in mine:
            data["mine"] = mine[post.id]
        rows.append(data)
    return rows


def page(participant: Participant, before: int | None = None,
         limit: int = PAGE_SIZE) -> dict:
    """Posts older than `before` (keyset on id), oldest first, with whether more exist."""
    if before is not None and (not isinstance(before, int) or isinstance(before, bool)):
        raise InvalidInput(_l("This request is not in the expected format."))
    posts, more = _older_posts(participant.meeting_id, before, max(1, min(int(limit), 200)))
    return {"posts": _serialise_many(participant, posts), "more": more,
            "before": posts[0].id if posts else None}


def _older_posts(meeting_id: int, before: int | None, limit: int) -> tuple[list[Post], bool]:
    """Up to `limit` posts older than `before` (the newest when None), oldest first, and
    whether older ones exist."""
    query = select(Post).where(Post.meeting_id == meeting_id)
    if before is not None:
        query = query.where(Post.id < before)
    posts = list(db.session.scalars(query.options(*_with_authors())
                                    .order_by(Post.id.desc()).limit(limit + 1)))
    return posts[:limit][::-1], len(posts) > limit


def settings(meeting: Meeting) -> dict:
    """The board rules live pages receive (built once, by `Meeting.board_settings`)."""
    return meeting.board_settings()


def snapshot(participant: Participant, meeting: Meeting | None = None) -> dict:
    """The board part of a `join` snapshot: settings, pinned posts and the newest page, with
    this participant's reactions (`my_reactions`) and, for an attendee, their own hidden
    posts in full (`own_posts`: everyone else sees such a post without its text).
    `meeting`: the participant's, when the caller has read it already (a join reads it once
    for every part)."""
    meeting = meeting if meeting is not None else _meeting(participant.meeting_id)
    common = _view(meeting, full=True) if participant.is_staff else attendees_snapshot(meeting)
    return {**common, **own_snapshot(participant, meeting)}


def attendees_snapshot(meeting: Meeting) -> dict:
    """What every attendee's board part holds alike (shared between them by the snapshot
    cache): hidden posts without their text, no one's own reactions."""
    if meeting.board_mode == BoardMode.OFF:
        return {**settings(meeting), "posts": [], "more": False, "before": None, "pinned": [],
                "reactions": list(REACTIONS)}
    return _view(meeting, full=False)


def _view(meeting: Meeting, *, full: bool) -> dict:
    """Settings, the newest page and the pinned posts; `full`: hidden posts with their text
    (staff)."""
    posts, more = _older_posts(meeting.id, None, PAGE_SIZE)
    pinned_posts = list(db.session.scalars(
        select(Post).options(*_with_authors())
        .where(Post.meeting_id == meeting.id, Post.pinned.is_(True), Post.hidden.is_(False))
        .order_by(Post.id)))
    counts = reaction_counts({post.id for post in posts} | {post.id for post in pinned_posts})
    return {**settings(meeting),
            "posts": [serialise(post, counts=counts.get(post.id), full=full) for post in posts],
            "more": more, "before": posts[0].id if posts else None,
            "pinned": [serialise(post, counts=counts.get(post.id), full=full)
                       for post in pinned_posts],
            "reactions": list(REACTIONS)}


#: Built once: every join of a crowd runs these with its own ids.
_OWN_HIDDEN = (
    select(Post).options(*_with_authors())
    .where(Post.meeting_id == bindparam("meeting"), Post.hidden.is_(True),
           Post.registration_id == bindparam("registration")).order_by(Post.id))
_MY_REACTIONS = (
    select(Reaction.post_id, Reaction.kind).join(Post, Post.id == Reaction.post_id)
    .where(Reaction.registration_id == bindparam("registration"),
           Post.meeting_id == bindparam("meeting"))
    .order_by(Reaction.post_id, Reaction.kind))

#: Whether an attendee has a reaction or a hidden post of their own in the meeting (see
#: `realtime.snapshots`: most have neither when they join, and skip both reads).
HAS_OWN_DATA = or_(
    exists(select(Reaction.id).join(Post, Post.id == Reaction.post_id)
           .where(Reaction.registration_id == bindparam("registration"),
                  Post.meeting_id == bindparam("meeting"))),
    exists().where(Post.meeting_id == bindparam("meeting"), Post.hidden.is_(True),
                   Post.registration_id == bindparam("registration")))
#: `own_snapshot` and `own_figures` of an attendee without reactions or hidden posts.
NOTHING_OWN = {"my_reactions": {}, "own_posts": []}
NOTHING_OWN_FIGURES = {"my_reactions": {}}


def own_snapshot(participant: Participant, meeting: Meeting) -> dict:
    """A participant's own keys of the board part: every reaction of theirs by post, and
    their own hidden posts in full, which the shared part shows without text."""
    if participant.registration_id is None or (
            meeting.board_mode == BoardMode.OFF and not participant.is_staff):
        return {"my_reactions": {}, "own_posts": []}
    hidden = [] if participant.is_staff else list(db.session.scalars(_OWN_HIDDEN, {
        "meeting": meeting.id, "registration": participant.registration_id}))
    counts = reaction_counts(post.id for post in hidden)
    return {"my_reactions": _all_my_reactions(participant),
            "own_posts": [serialise(post, counts=counts.get(post.id), full=True)
                          for post in hidden]}


def _all_my_reactions(participant: Participant) -> dict[str, list[str]]:
    """Every reaction of this attendee's in the meeting, by post (as the key in JSON)."""
    mine: dict[str, list[str]] = {}
    if participant.registration_id is None:
        return mine
    rows = db.session.execute(_MY_REACTIONS, {
        "registration": participant.registration_id, "meeting": participant.meeting_id})
    for post_id, kind in rows:
        mine.setdefault(str(post_id), []).append(kind.value)
    return mine


def figures(participant: Participant) -> dict:
    """The board part of a short replay's ack: the reaction counts and own reactions no
    event replays.

    `{counts, revs}` has the shape of `reaction_counts_changed`, for posts whose counts ever
    changed (the others have none); `my_reactions` is every own reaction by post (a post
    missing from it has none of this attendee's). Hidden posts only for staff, who see their
    counts.
    """
    meeting = _meeting(participant.meeting_id)
    if meeting.board_mode == BoardMode.OFF and not participant.is_staff:
        return {"counts": {}, "revs": {}, "my_reactions": {}}
    return {**_counts_of(meeting.id, staff=participant.is_staff),
            "my_reactions": _all_my_reactions(participant)}


def attendees_figures(meeting_id: int) -> dict:
    """The reaction counts every attendee's `figures.board` holds alike (shared between
    them): none while the board is off."""
    if _meeting(meeting_id).board_mode == BoardMode.OFF:
        return {"counts": {}, "revs": {}}
    return _counts_of(meeting_id, staff=False)


def own_figures(participant: Participant) -> dict:
    """An attendee's own key of `figures.board`: every reaction of theirs by post."""
    return {"my_reactions": _all_my_reactions(participant)}


def _counts_of(meeting_id: int, *, staff: bool) -> dict:
    query = select(Post.id, Post.reactions_version).where(
        Post.meeting_id == meeting_id, Post.reactions_version > 0)
    if not staff:
        query = query.where(Post.hidden.is_(False))
    versions = dict(db.session.execute(query.order_by(Post.id)).all())
    counts = reaction_counts(versions)
    return {"counts": {str(post_id): counts.get(post_id, {}) for post_id in versions},
            "revs": {str(post_id): version for post_id, version in versions.items()}}


# --- writing -------------------------------------------------------------------------------

def _check_text(text, *, maximum: int, what) -> str:
    if not isinstance(text, str) or is_blank(text):
        raise InvalidInput(what)
    if len(text) > maximum:
        raise InvalidInput(_l("Please keep this under %(n)d characters.", n=maximum),
                           field="text")
    bad = forbidden_character(text)
    if bad is not None:
        raise InvalidInput(
            _l("This text contains a control character (U+%(code)04X) that cannot be saved.",
               code=ord(bad)), field="text")
    return normalise_line_ends(text)


def _check_client_id(client_id) -> str | None:
    if client_id is None:
        return None
    if (not isinstance(client_id, str) or not client_id or len(client_id) > MAX_CLIENT_ID
            or forbidden_character(client_id) is not None):
        raise InvalidInput(_l("This request is not in the expected format."))
    return client_id


def _existing(participant: Participant, client_id: str | None) -> Post | None:
    if client_id is None:
        return None
    query = select(Post).where(Post.meeting_id == participant.meeting_id,
                               Post.client_id == client_id)
    if participant.registration_id is not None:
        query = query.where(Post.registration_id == participant.registration_id)
    else:
        query = query.where(Post.user_id == participant.user_id,
                            Post.registration_id.is_(None))
    return db.session.scalar(query)


def _check_may_post(participant: Participant, meeting: Meeting, now: datetime) -> None:
    if meeting.board_mode == BoardMode.OFF:
        raise Closed(_l("The board is switched off."))
    if participant.is_staff:
        return
    if meeting.board_mode == BoardMode.READ_ONLY:
        raise Closed(_l("The board is read-only right now."))
    if participant.registration_id is None:  # an interpreter: translates, does not post
        raise Forbidden(_l("You are not registered for this meeting."))
    registration = db.session.get(Registration, participant.registration_id)
    if registration is None or registration.meeting_id != meeting.id:
        raise Forbidden(_l("You are not registered for this meeting."))
    if registration.banned:
        raise Forbidden(_l("You have been removed from this meeting."))
    if registration.muted:
        raise Forbidden(_l("A moderator has muted you: you can read but not post."))
    if meeting.board_slow_seconds > 0:
        last = db.session.scalar(
            select(func.max(Post.created_at)).where(
                Post.meeting_id == meeting.id, Post.registration_id == registration.id)
        )
        if last is not None:
            waited = (now - last).total_seconds()
            if waited < meeting.board_slow_seconds:
                wait = max(1, int(meeting.board_slow_seconds - waited + 0.999))
                raise RateLimited(
                    _l("Slow mode is on: you can post again in %(n)d seconds.", n=wait),
                    retry_after=wait)


def post(participant: Participant, text, client_id=None, *, now: datetime | None = None) -> Post:
    """Publish a post (staff posts are announcements); a retried `client_id` is stored once."""
    now = now or utcnow()
    client_id = _check_client_id(client_id)
    existing = _existing(participant, client_id)
    if existing is not None:
        return existing
    text = _check_text(text, maximum=MAX_POST_LENGTH,
                       what=_l("Write something before posting."))
    meeting = _meeting(participant.meeting_id)
    _check_may_post(participant, meeting, now)
    actor = f"r{participant.registration_id}" if participant.registration_id else \
        f"u{participant.user_id}"
    rate_limits.hit("board_post", actor, "20/minute")
    new = Post(meeting_id=meeting.id, registration_id=participant.registration_id,
               user_id=None if participant.registration_id else participant.user_id,
               client_id=client_id, text=text,
               language=guess_language(text) if participant.registration_id
               else meeting.default_language,
               created_at=now, updated_at=now)
    db.session.add(new)
    try:
        db.session.flush()
    except IntegrityError:  # the same client_id raced in from another tab
        db.session.rollback()
        existing = _existing(participant, client_id)
        if existing is None:
            raise
        return existing
    log.record(meeting.id, "post_published", {"post": serialise(new)},
               subjects=(new.registration_id,))
    db.session.commit()
    return new


def react(participant: Participant, post_id, kind, on=True, *,
          now: datetime | None = None) -> bool:
    """Add or take back one reaction; its counts are broadcast coalesced once it commits."""
    if participant.registration_id is None:
        raise Forbidden(_l("Only attendees can react to posts."))
    if kind not in REACTIONS:
        raise InvalidInput(_l("This reaction is not available."))
    if not isinstance(on, bool):
        raise InvalidInput(_l("This request is not in the expected format."))
    target = _post_in_meeting(participant, post_id)
    if target.hidden:
        raise NotFound(_l("This post does not exist."))
    meeting = _meeting(participant.meeting_id)
    if meeting.board_mode == BoardMode.OFF:
        raise Closed(_l("The board is switched off."))
    registration = db.session.get(Registration, participant.registration_id)
    if registration is None or registration.banned:
        raise Forbidden(_l("You have been removed from this meeting."))
    rate_limits.hit("board_react", f"r{participant.registration_id}", "120/minute")
    existing = db.session.scalar(select(Reaction).where(
        Reaction.post_id == target.id, Reaction.registration_id == participant.registration_id,
        Reaction.kind == ReactionKind(kind)))
    if on and existing is None:
        db.session.add(Reaction(post_id=target.id, registration_id=participant.registration_id,
                                kind=ReactionKind(kind), created_at=now or utcnow()))
        coalescer.mark_after_commit(participant.meeting_id, [target.id])
        _announce_own(participant, target.id, kind, on)
        try:
            _bump_reactions_version(target.id)  # flushes the insert: a duplicate raises here
            db.session.commit()
        except IntegrityError:  # a double click from two tabs: already there
            db.session.rollback()
    elif not on and existing is not None:
        db.session.delete(existing)
        _bump_reactions_version(target.id)
        coalescer.mark_after_commit(participant.meeting_id, [target.id])
        _announce_own(participant, target.id, kind, on)
        db.session.commit()
    return on


def _announce_own(participant: Participant, post_id: int, kind: str, on: bool) -> None:
    """Tell the attendee's other tabs (after commit) that their own reaction changed."""
    log.announce(participant.meeting_id, "own_reaction_changed",
                 {"post_id": post_id, "kind": kind, "on": on},
                 audience=Audience.PARTICIPANT, registration_id=participant.registration_id)


def _bump_reactions_version(post_id: int) -> None:
    """Count versions let clients keep the newest of two processes' broadcasts."""
    db.session.execute(update(Post).where(Post.id == post_id)
                       .values(reactions_version=Post.reactions_version + 1)
                       .execution_options(synchronize_session=False))


def announce_counts(meeting_id: int, post_ids: Iterable[int]) -> None:
    """Queue one ephemeral `reaction_counts_changed` for the given posts (caller commits)."""
    ids = sorted(set(post_ids))
    if not ids:
        return
    # The version is read before the counts: the counts are then at least as new as the
    # version they travel with, so the highest version a client sees is the final figure.
    versions = dict(db.session.execute(
        select(Post.id, Post.reactions_version).where(Post.id.in_(ids))).all())
    counts = reaction_counts(ids)
    log.announce(meeting_id, COUNTS_EVENT,
                 {"counts": {str(post_id): counts.get(post_id, {}) for post_id in ids},
                  "revs": {str(post_id): versions.get(post_id, 0) for post_id in ids}})


def visible_post_ids(meeting_id: int) -> list[int]:
    """Posts whose counts a client may show (for re-sending every count)."""
    return list(db.session.scalars(select(Post.id).where(Post.meeting_id == meeting_id,
                                                        Post.hidden.is_(False))))


#: Posts whose reaction counts changed, announced a few times per second per meeting.
coalescer = Coalescer("reaction counts", announce_counts, setting="PUENTE_REACTION_INTERVAL_MS",
                      default_ms=300, everything=visible_post_ids)


def hide(participant: Participant, post_id, reason) -> Post:
    """Hide a post from everyone but staff and its author, who sees the reason."""
    require_staff(participant)
    reason = _check_text(reason, maximum=MAX_REASON_LENGTH,
                         what=_l("Please give a reason: the author will see it."))
    target = _post_in_meeting(participant, post_id)
    target.hidden = True
    target.hide_reason = reason
    target.pinned = False
    target.quoted_at = None  # a hidden post leaves the report
    db.session.flush()
    author = (target.registration_id,)
    log.record(target.meeting_id, "post_hidden", {"post": serialise(target)}, subjects=author)
    log.record(target.meeting_id, "post_hidden", {"post": serialise(target, full=True)},
               audience=Audience.STAFF, subjects=author)
    if target.registration_id is not None:
        log.record(target.meeting_id, "post_hidden", {"post": serialise(target, full=True)},
                   audience=Audience.PARTICIPANT, registration_id=target.registration_id,
                   subjects=author)
    db.session.commit()
    return target


def restore(participant: Participant, post_id) -> Post:
    """Show a hidden post again."""
    require_staff(participant)
    target = _post_in_meeting(participant, post_id)
    target.hidden = False
    target.hide_reason = None
    db.session.flush()
    counts = reaction_counts([target.id]).get(target.id)
    log.record(target.meeting_id, "post_restored", {"post": serialise(target, counts=counts)},
               subjects=(target.registration_id,))
    db.session.commit()
    return target


def translate(participant: Participant, post_id, language, text, *,
              machine: bool = False) -> Post:
    """Set, correct or (blank `text`) remove a translation of a staff announcement.

    Announcements are taken to be written in the meeting's content language. A machine
    suggestion never replaces a person's translation.
    """
    if not participant.may_translate:
        raise Forbidden(_l("Only interpreters and moderators can translate."))
    target = _post_in_meeting(participant, post_id)
    if target.registration_id is not None or (target.hidden and not participant.is_staff):
        raise NotFound()
    meeting = _meeting(target.meeting_id)
    language = translations.check_language(meeting, meeting.default_language, language)
    text = translations.check_text(text, MAX_POST_LENGTH * 3)
    existing = (target.translations or {}).get(language)
    if machine and existing is not None and not existing.get("machine"):
        return target
    target.translations = translations.apply(target.translations, language, text,
                                             machine=machine,
                                             by=None if machine else participant.user_id)
    db.session.flush()
    data = {"post_id": target.id, "translations": post_translations(target)}
    log.record(target.meeting_id, "post_translated", data,
               audience=Audience.STAFF if target.hidden else Audience.EVERYONE)
    db.session.commit()
    return target


def pin(participant: Participant, post_id, pinned_=True) -> Post:
    """Pin (or unpin) a post at the top of the board: announcements, usually staff posts."""
    require_staff(participant)
    if not isinstance(pinned_, bool):
        raise InvalidInput(_l("This request is not in the expected format."))
    target = _post_in_meeting(participant, post_id)
    if target.hidden and pinned_:
        raise InvalidInput(_l("A hidden post cannot be pinned."))
    target.pinned = pinned_
    db.session.flush()
    counts = reaction_counts([target.id]).get(target.id)
    log.record(target.meeting_id, "post_pinned", {"post": serialise(target, counts=counts)},
               subjects=(target.registration_id,))
    db.session.commit()
    return target


def quote(participant: Participant, post_id, quoted=True, *,
          now: datetime | None = None) -> Post:
    """Mark (or unmark) an attendee's post "quote in the report": the meeting report shows
    the marked posts, with their authors' names. Staff only; a hidden post, an announcement or
    the post of an author who erased their data cannot be quoted."""
    require_staff(participant)
    if not isinstance(quoted, bool):
        raise InvalidInput(_l("This request is not in the expected format."))
    target = _post_in_meeting(participant, post_id)
    if quoted:
        if target.hidden:
            raise InvalidInput(_l("A hidden post cannot be quoted in the report."))
        if target.registration_id is None:
            raise InvalidInput(_l("Only attendees' posts can be quoted in the report."))
        author = db.session.get(Registration, target.registration_id)
        if author is None or author.anonymised_at is not None:
            raise InvalidInput(_l("The author erased their data: this post cannot be quoted."))
    if (target.quoted_at is not None) == quoted:
        return target
    target.quoted_at = (now or utcnow()) if quoted else None
    db.session.flush()
    counts = reaction_counts([target.id]).get(target.id)
    log.record(target.meeting_id, "post_quoted", {"post": serialise(target, counts=counts)},
               subjects=(target.registration_id,))
    db.session.commit()
    return target


def quoted_posts(meeting_id: int) -> list[Post]:
    """The posts staff marked for the report, oldest first: visible ones whose author still
    has their data (an erased author's posts leave the report)."""
    return list(db.session.scalars(
        select(Post).join(Registration, Registration.id == Post.registration_id)
        .options(joinedload(Post.registration))
        .where(Post.meeting_id == meeting_id, Post.quoted_at.is_not(None),
               Post.hidden.is_(False), Registration.anonymised_at.is_(None))
        .order_by(Post.created_at, Post.id)))


def quotable_posts(user: User | None, meeting: Meeting, limit: int = 200) -> list[Post]:
    """Attendees' visible posts (newest first) for the report's staff page, where staff mark
    posts without the live board."""
    require_moderator(user, meeting.id)
    return list(db.session.scalars(
        select(Post).join(Registration, Registration.id == Post.registration_id)
        .options(joinedload(Post.registration))
        .where(Post.meeting_id == meeting.id, Post.hidden.is_(False),
               Registration.anonymised_at.is_(None))
        .order_by(Post.id.desc()).limit(limit)))


def configure(participant: Participant, mode=None, slow_seconds=None) -> dict:
    """Switch the board open/read-only/off and set slow mode, live."""
    require_staff(participant)
    meeting = _meeting(participant.meeting_id)
    if mode is not None:
        if mode not in {m.value for m in BoardMode}:
            raise InvalidInput(_l("This board setting is not available."))
        meeting.board_mode = BoardMode(mode)
    if slow_seconds is not None:
        if (not isinstance(slow_seconds, int) or isinstance(slow_seconds, bool)
                or not 0 <= slow_seconds <= MAX_SLOW_SECONDS):
            raise InvalidInput(
                _l("Slow mode takes a number of seconds from 0 to %(n)d.", n=MAX_SLOW_SECONDS))
        meeting.board_slow_seconds = slow_seconds
    db.session.flush()
    log.record(meeting.id, "board_settings_changed", settings(meeting))
    db.session.commit()
    return settings(meeting)


# --- export and the wall -------------------------------------------------------------------

#: Column headers of the export, in order; one column per reaction kind follows.
EXPORT_COLUMNS = (
    _l("ID"),
    _l("Posted (UTC)"),
    _l("Posted"),
    _l("Author"),
    _l("Organisation"),
    _l("Country code"),
    _l("Country"),
    _l("Staff"),
    _l("Post"),
    _l("Pinned"),
    _l("Hidden"),
    _l("Hide reason"),
)
#: Reaction kinds as the board names them, for the export's headers.
REACTION_LABELS = {
    ReactionKind.THANKS.value: _l("Thanks"),
    ReactionKind.APPLAUSE.value: _l("Applause"),
    ReactionKind.LIKE.value: _l("Like"),
    ReactionKind.INSIGHTFUL.value: _l("Insightful"),
}


def export_csv(user: User | None, meeting: Meeting, language: str = "en") -> bytes:
    """Every post as CSV, shaped like the other exports: UTF-8 with BOM (Excel opens Chinese
    and Spanish text correctly), CRLF line ends, headers in the reader's language, formulas
    neutralised; the country as its code and its name in `language`."""
    require_moderator(user, meeting.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(str(title)) for title in (
        *EXPORT_COLUMNS, *(REACTION_LABELS[kind] for kind in REACTIONS))])
    last_id = 0
    while True:  # keyset batches keep memory flat on 10,000 posts
        posts = list(db.session.scalars(
            select(Post).options(*_with_authors())
            .where(Post.meeting_id == meeting.id, Post.id > last_id)
            .order_by(Post.id).limit(500)))
        if not posts:
            break
        counts = reaction_counts([p.id for p in posts])
        for item in posts:
            author = _author(item)
            per_kind = counts.get(item.id, {})
            country = author.get("country") or ""
            writer.writerow([neutralise(v) for v in (
                item.id, iso_utc(item.created_at),
                zone_times(item.created_at, meeting.zones, None, language).line("short"),
                author.get("name", ""),
                author.get("organisation", ""), country,
                country_name(country, language) if country else "",
                bool(author.get("staff")), item.text, item.pinned, item.hidden,
                item.hide_reason or "", *(per_kind.get(kind, 0) for kind in REACTIONS))])
        last_id = posts[-1].id
    return (BOM + buffer.getvalue()).encode("utf-8")


def may_see_who_took_part(meeting: Meeting, participant: Participant | None) -> bool:
    """Who may read attendees' names, organisations and countries in the meeting's record.

    `participant` is the viewer as the live pages resolve it: staff of the meeting, or a
    confirmed, unbanned attendee who joined from their link; None for anyone else. Those
    always may; everyone else only once the meeting has ended and the organisers published
    its record.
    """
    if participant is not None and (participant.is_staff
                                    or participant.meeting_id == meeting.id):
        return True
    return meeting.status == MeetingStatus.ENDED and meeting.wall_published


def may_see_wall(meeting: Meeting, participant: Participant | None) -> bool:
    """Who may read the wall (every post with its author, organisation and country): staff
    always; anyone else who may see who took part, while the board is not off."""
    if participant is not None and participant.is_staff:
        return True
    return meeting.board_mode != BoardMode.OFF and may_see_who_took_part(meeting, participant)


@dataclass(frozen=True)
class Wall:
    """The board after the meeting: posts and who took part, for the published wall."""
    posts: list[dict]
    before: int | None  #: cursor for the next (older) page, None at the first post
    total: int
    by_organisation: list[tuple[str, int]]
    by_country: list[tuple[str, int]]


def wall(meeting: Meeting, before: int | None = None, limit: int = PAGE_SIZE) -> Wall:
    """The board as a read-only wall: like the board, the newest page of visible posts, oldest
    first within it (`before` pages back), with who took part."""
    query = select(Post).where(Post.meeting_id == meeting.id, Post.hidden.is_(False))
    if before is not None:
        query = query.where(Post.id < before)
    posts = list(db.session.scalars(query.options(*_with_authors())
                                    .order_by(Post.id.desc()).limit(limit + 1)))
    more = len(posts) > limit
    posts = posts[:limit][::-1]
    counts = reaction_counts([p.id for p in posts])
    rows = [serialise(p, counts=counts.get(p.id)) for p in posts]
    for row, item in zip(rows, posts, strict=True):
        row["created"] = item.created_at
    grouped = db.session.execute(
        select(Registration.organisation, Registration.country, func.count(Post.id))
        .join(Post, Post.registration_id == Registration.id)
        .where(Post.meeting_id == meeting.id, Post.hidden.is_(False),
               Registration.anonymised_at.is_(None))
        .group_by(Registration.organisation, Registration.country)
    ).all()
    organisations: Counter = Counter()
    countries: Counter = Counter()
    for organisation, country, count in grouped:
        organisations[organisation or ""] += count
        countries[country or ""] += count
    total = db.session.scalar(select(func.count(Post.id)).where(
        Post.meeting_id == meeting.id, Post.hidden.is_(False))) or 0
    return Wall(rows, posts[0].id if more and posts else None, total,
                sorted(organisations.items(), key=lambda kv: (-kv[1], kv[0])),
                sorted(countries.items(), key=lambda kv: (-kv[1], kv[0])))
