"""CSV export of registrations that opens cleanly in Excel and cannot run formulas.

Codes (organisation type, country, status) come with a readable label beside them, in the
language the export is made in: the codes for sorting and re-import, the labels for people.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from flask_babel import lazy_gettext as _l

from webapp.core.spreadsheet import BOM, neutralise
from webapp.core.timefmt import zone_times
from webapp.core.timeutil import iso_utc
from webapp.registration.labels import ORGANISATION_TYPE_LABELS, STATUS_LABELS, country_name
from webapp.registration.models import Registration, RegistrationQuestion


def _value(key: str) -> Callable[[Registration, str], object]:
    def read(registration: Registration, _language: str):
        value = getattr(registration, key)
        if hasattr(value, "isoformat"):
            return iso_utc(value)
        if hasattr(value, "value"):
            return value.value
        return value
    return read


def _when(key: str) -> Callable[[Registration, str], object]:
    """The moment in the meeting's zones, for people (the UTC column beside it is for sorting)."""
    def read(registration: Registration, language: str):
        moment = getattr(registration, key)
        if moment is None:
            return ""
        return zone_times(moment, registration.meeting.zones, None, language).line("short")
    return read


def _label(key: str, labels: dict) -> Callable[[Registration, str], object]:
    def read(registration: Registration, _language: str):
        value = getattr(registration, key)
        return str(labels[value]) if value in labels else ""
    return read


def _country(registration: Registration, language: str) -> str:
    return country_name(registration.country, language) if registration.country else ""


#: (header, how to read the cell), in order.
COLUMNS = (
    (_l("ID"), _value("id")),
    (_l("Name"), _value("name")),
    (_l("E-mail"), _value("email")),
    (_l("Organisation"), _value("organisation")),
    (_l("Organisation type code"), _value("organisation_type")),
    (_l("Organisation type"), _label("organisation_type", ORGANISATION_TYPE_LABELS)),
    (_l("Position"), _value("position")),
    (_l("Country code"), _value("country")),
    (_l("Country"), _country),
    (_l("Language"), _value("language")),
    (_l("Status code"), _value("status")),
    (_l("Status"), _label("status", STATUS_LABELS)),
    (_l("Registered (UTC)"), _value("created_at")),
    (_l("Registered"), _when("created_at")),
    (_l("First joined (UTC)"), _value("first_joined_at")),
    (_l("First joined"), _when("first_joined_at")),
    (_l("Last seen (UTC)"), _value("last_seen_at")),
    (_l("Last seen"), _when("last_seen_at")),
)


def _answer(registration: Registration, question: RegistrationQuestion):
    answer = (registration.answers or {}).get(str(question.id))
    if isinstance(answer, list):
        return "; ".join(str(a) for a in answer)
    return answer


def registrations_csv(registrations: Iterable[Registration],
                      questions: Iterable[RegistrationQuestion] = (),
                      language: str = "en") -> bytes:
    """UTF-8 with BOM, CRLF line ends, one row per registration plus custom answers.

    `language`: the organiser's, for the country names (headers and other labels follow the
    request's language like every page).
    """
    questions = list(questions)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(str(title)) for title, _read in COLUMNS]
                    + [neutralise(q.label) for q in questions])
    for registration in registrations:
        writer.writerow([neutralise(read(registration, language)) for _title, read in COLUMNS]
                        + [neutralise(_answer(registration, q)) for q in questions])
    return (BOM + buffer.getvalue()).encode("utf-8")
