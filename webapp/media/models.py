"""Stored pictures and their re-encoded sizes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.timeutil import utcnow
from webapp.extensions import db


class StoredImage(db.Model):
    """One picture, identified by the hash of its cleaned pixels (identical uploads share it)."""
    __tablename__ = "stored_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Hex SHA-256 of the re-encoded full size: the URL names it, so a URL never changes.
    sha256: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    #: The cleaned picture's size (after orientation was applied).
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    variants: Mapped[list[StoredImageVariant]] = relationship(
        back_populates="image", cascade="all, delete-orphan", passive_deletes=True,
        lazy="selectin")

    def variant(self, size: str) -> StoredImageVariant | None:
        """The variant of that size name (`thumb`, `card`, `full`), else the nearest larger."""
        by_name = {v.size: v for v in self.variants}
        for name in (size, *SIZE_FALLBACK.get(size, ())):
            if name in by_name:
                return by_name[name]
        return None

    def __repr__(self) -> str:
        return f"<StoredImage {self.id} {self.sha256[:12]} {self.width}x{self.height}>"


#: Which size to show when the asked one was not made (a small original has no larger size).
SIZE_FALLBACK = {"thumb": ("card", "full"), "card": ("full", "thumb"), "full": ("card", "thumb")}


class StoredImageVariant(db.Model):
    """One re-encoded size of a picture: the only bytes ever served."""
    __tablename__ = "stored_image_variants"
    __table_args__ = (UniqueConstraint("image_id", "size", name="uq_stored_image_variant_size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[int] = mapped_column(
        ForeignKey("stored_images.id", ondelete="CASCADE"), index=True, nullable=False)
    #: `thumb` (160 px), `card` (480 px) or `full` (1200 px), the longest side.
    size: Mapped[str] = mapped_column(String(16), nullable=False)
    mime: Mapped[str] = mapped_column(String(32), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, deferred=True)
    #: Hex SHA-256 of `data`: the ETag.
    etag: Mapped[str] = mapped_column(String(64), nullable=False)

    image: Mapped[StoredImage] = relationship(back_populates="variants")

    @property
    def extension(self) -> str:
        """The file name extension of its type (`webp`)."""
        return EXTENSIONS[self.mime]


EXTENSIONS = {"image/webp": "webp", "image/png": "png", "image/jpeg": "jpg"}
