"""Privacy hooks: what every package forgets of a person on erasure, and shows on export.

`registration` sits below the packages that keep data about a person (the Q&A, the board,
outgoing mail...), so it cannot import them. Each registers a callback instead::

    from webapp.registration import privacy

    privacy.on_erase(forget_my_rows)

Callbacks run inside the erasing transaction, before the registration's own personal fields
are cleared (so they can still read `registration.email`), for one erasure (`erase`) or a
batch (`puente purge`). They must not commit; an exception rolls the whole erasure back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select

from webapp import mail
from webapp.extensions import db
from webapp.realtime import log
from webapp.registration.models import Registration

#: `callback(registrations)`: forget what the package holds about these people.
Eraser = Callable[[Sequence[Registration]], None]

_erasers: list[Eraser] = []


def on_erase(callback: Eraser) -> Eraser:
    """Register `callback` once (usable as a decorator)."""
    if callback not in _erasers:
        _erasers.append(callback)
    return callback


#: `exporter(registration)`: what the package holds about this person, as JSON-ready values.
Exporter = Callable[[Registration], object]

_exporters: dict[str, Exporter] = {}


def on_export(name: str, exporter: Exporter) -> Exporter:
    """Register `exporter` to fill `export[name]` in a data-access export (`export_person`)."""
    _exporters[name] = exporter
    return exporter


def exported(registration: Registration) -> dict:
    """Every registered package's part of one person's export."""
    return {name: exporter(registration) for name, exporter in _exporters.items()}


def forget(registrations: Sequence[Registration]) -> None:
    """Run every registered eraser for these registrations (the caller commits)."""
    if not registrations:
        return
    for callback in tuple(_erasers):
        callback(registrations)


@on_erase
def _forget_logged_events(registrations: Sequence[Registration]) -> None:
    """The event log keeps serialised payloads (an asker's name, organisation, e-mail) for
    replay: delete the events that carry these people's data."""
    log.forget([registration.id for registration in registrations])


@on_erase
def _forget_stored_mail(registrations: Sequence[Registration]) -> None:
    """Stored e-mails hold the address, the name and live links. Mail still waiting for an
    address that another meeting's registration uses is kept, so that meeting loses nothing."""
    erased_ids = {registration.id for registration in registrations}
    for registration in registrations:
        if not registration.email:
            continue
        others = db.session.scalar(
            select(Registration.id).where(Registration.email == registration.email,
                                          Registration.id.not_in(erased_ids),
                                          Registration.anonymised_at.is_(None)).limit(1))
        mail.forget_address(registration.email, keep_queued=others is not None, commit=False)
