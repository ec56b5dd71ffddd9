"""Store, find, serve and forget pictures (plain Python: no request, no sockets).

Owners (a speaker, an organisation, a meeting, a series) keep an `…_id` column pointing at
`stored_images`; identical uploads share one row. `release` deletes a picture once no column
of any table points at it any more, found from the schema itself, so this package knows no
domain.
"""

from __future__ import annotations

import base64

from sqlalchemy import func, or_, select
from sqlalchemy.orm import undefer

from webapp.errors import InvalidInput
from webapp.extensions import db
from webapp.media.models import EXTENSIONS, StoredImage, StoredImageVariant
from webapp.media.processing import Cleaned, clean

#: Hex digits of the content hash in a URL (128 bits).
URL_HASH_LENGTH = 32
#: What every served picture says to caches: the URL names the content, so it never changes.
URL_PREFIX = "/media"
CACHE_CONTROL = "public, max-age=31536000, immutable"


def store(data: bytes, *, field: str = "picture") -> StoredImage:
    """Check and re-encode an upload, store its sizes (or find the identical picture); adds to
    the session without committing. `InvalidInput(field=field)` when refused."""
    try:
        cleaned = clean(data)
    except InvalidInput as error:
        error.details["field"] = field
        raise
    return store_cleaned(cleaned)


def store_cleaned(cleaned: Cleaned) -> StoredImage:
    """Store a cleaned picture, or return the stored one with the same hash."""
    existing = db.session.scalar(select(StoredImage).where(StoredImage.sha256 == cleaned.sha256))
    if existing is not None:
        return existing
    image = StoredImage(sha256=cleaned.sha256, width=cleaned.width, height=cleaned.height)
    for variant in cleaned.variants:
        image.variants.append(StoredImageVariant(
            size=variant.size, mime=variant.mime, width=variant.width, height=variant.height,
            data=variant.data, etag=variant.etag))
    db.session.add(image)
    db.session.flush()
    return image


def filename(image: StoredImage, size: str) -> str | None:
    """`<hash prefix>-<size>.<ext>`, the last part of the picture's URL; `None` without one."""
    variant = image.variant(size) if image is not None else None
    if variant is None:
        return None
    return f"{image.sha256[:URL_HASH_LENGTH]}-{variant.size}.{variant.extension}"


def path(image: StoredImage | None, size: str) -> str | None:
    """The picture's site-relative URL (`/media/…`), for socket payloads; `None` without one."""
    name = filename(image, size) if image is not None else None
    return f"{URL_PREFIX}/{name}" if name else None


def find_variant(name: str) -> StoredImageVariant | None:
    """The variant a URL's last part names, with its bytes; `None` for anything unknown."""
    stem, dot, extension = name.rpartition(".")
    prefix, dash, size = stem.rpartition("-")
    if (not dot or not dash or len(prefix) != URL_HASH_LENGTH
            or any(c not in "0123456789abcdef" for c in prefix)):
        return None
    image = db.session.scalar(select(StoredImage).where(
        StoredImage.sha256 >= prefix, StoredImage.sha256 < prefix + "g"))
    if image is None:
        return None
    variant = db.session.scalar(
        select(StoredImageVariant)
        .where(StoredImageVariant.image_id == image.id, StoredImageVariant.size == size)
        .options(undefer(StoredImageVariant.data)))
    if variant is None or EXTENSIONS.get(variant.mime) != extension:
        return None
    return variant


def data_uri(image: StoredImage | None, size: str) -> str | None:
    """A `data:` URI of the stored variant, for a standalone HTML file; `None` without one."""
    variant = image.variant(size) if image is not None else None
    if variant is None:
        return None
    encoded = base64.b64encode(variant.data).decode("ascii")
    return f"data:{variant.mime};base64,{encoded}"


def _references():
    """Every column of the schema that points at `stored_images.id`."""
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if table.name != StoredImageVariant.__tablename__ and any(
                    fk.column.table.name == StoredImage.__tablename__
                    and fk.column.name == "id" for fk in column.foreign_keys):
                yield column


def is_referenced(image_id: int) -> bool:
    """Whether any column of any table still points at the picture."""
    return any(db.session.scalar(select(func.count()).select_from(column.table)
                                 .where(column == image_id))
               for column in _references())


def release(*image_ids: int | None) -> int:
    """Delete each of these pictures that nothing points at any more (call after the owner's
    column was cleared or its row deleted, before the commit). How many were deleted."""
    db.session.flush()
    gone = 0
    for image_id in {i for i in image_ids if i is not None}:
        if not is_referenced(image_id):
            image = db.session.get(StoredImage, image_id)
            if image is not None:
                db.session.delete(image)
                gone += 1
    if gone:
        db.session.flush()
    return gone


def sweep_orphans() -> int:
    """Delete every picture nothing points at (after rows were deleted by a cascade in the
    database, e.g. a whole meeting). How many were deleted."""
    db.session.flush()
    references = list(_references())
    query = select(StoredImage.id)
    if references:
        query = query.where(~or_(*[
            StoredImage.id.in_(select(column).where(column.is_not(None)))
            for column in references]))
    ids = list(db.session.scalars(query))
    for image_id in ids:
        db.session.delete(db.session.get(StoredImage, image_id))
    db.session.flush()
    return len(ids)


def replace(current_id: int | None, data: bytes | None, *, remove: bool = False,
            field: str = "picture") -> tuple[int | None, int | None]:
    """The new picture id for an owner's column, given an upload (or removal): returns
    `(new_id, old_id_to_release)`. Refused uploads raise before anything changes."""
    if data:
        image = store(data, field=field)
        return image.id, (current_id if current_id != image.id else None)
    if remove:
        return None, current_id
    return current_id, None
