"""The board's part of a person's data export and erasure (registered with
`registration.privacy`).

Erasure keeps an erased author's posts on the board without a name, but takes them out of
the meeting report: a quote there names its author.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update

from webapp.board.models import Post
from webapp.core.timeutil import iso_utc
from webapp.extensions import db
from webapp.registration import privacy
from webapp.registration.models import Registration


def exported_posts(registration: Registration) -> list[dict]:
    """The posts this person published, oldest first."""
    posted = db.session.scalars(select(Post).where(
        Post.registration_id == registration.id).order_by(Post.id))
    return [{"text": p.text, "posted_at": iso_utc(p.created_at)} for p in posted]


def unquote_posts(registrations: Sequence[Registration]) -> None:
    """The erased people's posts leave the report (inside the erasing transaction)."""
    ids = [registration.id for registration in registrations]
    db.session.execute(update(Post).where(Post.registration_id.in_(ids),
                                          Post.quoted_at.is_not(None))
                       .values(quoted_at=None))


privacy.on_export("posts", exported_posts)
privacy.on_erase(unquote_posts)
