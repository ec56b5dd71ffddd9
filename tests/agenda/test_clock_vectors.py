"""The clock rules run in Python (the server's state) and in the browser (between events):
both run the same vectors, from tests/data/clock_vectors.json (also tests/js/clock.test.mjs)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from webapp.agenda import clock_services
from webapp.agenda.models import AgendaItem, ItemKind
from webapp.meetings.models import Meeting, MeetingStatus

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "data" / "clock_vectors.json")
                     .read_text(encoding="utf-8"))


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.removesuffix("Z")) if value else None


def _meeting(vector: dict) -> Meeting:
    given = vector["meeting"]
    meeting = Meeting(status=MeetingStatus(given["status"]), timezone="UTC",
                      starts_at=_time(given["starts_at"]),
                      planned_end=_time(given["planned_end"]),
                      latest_end=_time(given["latest_end"]))
    meeting.agenda_items = [
        AgendaItem(id=item["id"], position=item["position"], title=f"Item {item['id']}",
                   kind=ItemKind(item["kind"]), planned_minutes=item["planned_minutes"],
                   actual_start=_time(item["actual_start"]),
                   actual_end=_time(item["actual_end"]))
        for item in vector["items"]
    ]
    return meeting


def test_there_are_vectors_for_every_situation():
    statuses = {vector["meeting"]["status"] for vector in VECTORS}
    assert {"draft", "published", "live", "ended"} <= statuses


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["name"] for vector in VECTORS])
def test_python_clock_matches_the_shared_vectors(app, vector):
    state = clock_services.state(_meeting(vector), _time(vector["now"]))
    got = {key: state[key] for key in vector["expected"]}
    assert got == vector["expected"]
