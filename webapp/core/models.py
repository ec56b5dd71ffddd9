"""Column helpers shared by every domain's models."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.i18n_text import LocalizedText, LocalizedTextType
from webapp.core.timeutil import utcnow


def enum_column(enum_cls: type[enum.Enum], **kwargs):
    """Store an enum by its value as a VARCHAR with a CHECK, portable across databases."""
    return mapped_column(
        Enum(
            enum_cls,
            native_enum=False,
            length=24,
            create_constraint=True,
            name=enum_cls.__name__.lower(),
            values_callable=lambda cls: [member.value for member in cls],
            validate_strings=True,
        ),
        **kwargs,
    )


def localized_column(**kwargs):
    """A column for text an organiser writes, one value per meeting language."""
    kwargs.setdefault("nullable", False)
    if not kwargs["nullable"]:
        kwargs.setdefault("default", LocalizedText)
        kwargs.setdefault("server_default", '""')
    return mapped_column(LocalizedTextType(), **kwargs)


class Timestamps:
    #: When the row was created (naive UTC).
    """Created and updated times (naive UTC) for models that show or sort by them."""
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    #: When the row last changed (naive UTC).
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


#: Enum members compare equal to their string values (handy in templates and JSON).
StrEnum = enum.StrEnum
