"""CSV export of registrations that opens cleanly in Excel and cannot run formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from webapp.core.spreadsheet import BOM, neutralise
from webapp.core.timeutil import iso_utc
from webapp.registration.models import Registration, RegistrationQuestion

COLUMNS = (
    ("id", "ID"),
    ("name", "Name"),
    ("email", "E-mail"),
    ("organisation", "Organisation"),
    ("organisation_type", "Organisation type"),
    ("position", "Position"),
    ("country", "Country"),
    ("language", "Language"),
    ("status", "Status"),
    ("created_at", "Registered (UTC)"),
    ("first_joined_at", "First joined (UTC)"),
    ("last_seen_at", "Last seen (UTC)"),
)


def _cell(registration: Registration, key: str):
    value = getattr(registration, key)
    if hasattr(value, "isoformat"):
        return iso_utc(value)
    if hasattr(value, "value"):
        return value.value
    return value


def _answer(registration: Registration, question: RegistrationQuestion):
    answer = (registration.answers or {}).get(str(question.id))
    if isinstance(answer, list):
        return "; ".join(str(a) for a in answer)
    return answer


def registrations_csv(registrations: Iterable[Registration],
                      questions: Iterable[RegistrationQuestion] = ()) -> bytes:
    """UTF-8 with BOM, CRLF line ends, one row per registration plus custom answers."""
    questions = list(questions)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(title) for _key, title in COLUMNS]
                    + [neutralise(q.label) for q in questions])
    for registration in registrations:
        writer.writerow([neutralise(_cell(registration, key)) for key, _title in COLUMNS]
                        + [neutralise(_answer(registration, q)) for q in questions])
    return (BOM + buffer.getvalue()).encode("utf-8")
