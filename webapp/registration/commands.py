"""`puente purge`: anonymise registrations whose meeting's retention period is over."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from webapp.registration.services import purge_expired


@click.command("purge")
@with_appcontext
def purge() -> None:
    """Anonymise personal data of registrations past their meeting's retention (cron-safe)."""
    count = purge_expired()
    click.echo(f"{count} registration(s) anonymised.")
