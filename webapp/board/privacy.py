"""The board's part of a person's data export (registered with `registration.privacy`)."""

from __future__ import annotations

from sqlalchemy import select

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


privacy.on_export("posts", exported_posts)
