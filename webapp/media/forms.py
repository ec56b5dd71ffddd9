"""Form pieces for a picture: a file field (checked by content in the service, never by its
name or declared type) and a "remove" box."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField

from webapp.media.processing import MAX_BYTES

#: A hint for the browser's file picker only; the server decodes every upload to check it.
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


def picture_field(label) -> FileField:
    """A file field for a picture; the browser's picker offers pictures only."""
    return FileField(label, render_kw={"accept": ACCEPT})


def remove_field(label) -> BooleanField:
    """The "remove the picture" box."""
    return BooleanField(label)


def upload_bytes(field) -> bytes | None:
    """The uploaded file's bytes (at most one byte over the limit, so the service can refuse a
    larger one), or `None` when no file was chosen."""
    storage = field.data
    if storage is None or not hasattr(storage, "read"):
        return None
    data = storage.read(MAX_BYTES + 1)
    return data or None
