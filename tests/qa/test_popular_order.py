"""The server's popular order runs the vectors the browser runs too
(tests/data/popular_vectors.json, tests/js/qa-popular.test.mjs), so a page's first render and
its live re-sort agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.factories import make_question
from webapp.extensions import db
from webapp.qa import presenter_services
from webapp.qa.models import Question
from webapp.qa.ordering import POPULAR

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "data" / "popular_vectors.json")
                     .read_text(encoding="utf-8"))


def _ask(meeting, vector) -> dict[int, int]:
    """Ask the vector's questions in the order of their ids; the database id -> vector id."""
    stored = {}
    for given in sorted(vector["questions"], key=lambda question: question["id"]):
        question = make_question(meeting, text=f"Question {given['id']}",
                                 vote_count=given["votes"])
        stored[question.id] = given["id"]
    return stored


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["name"] for vector in VECTORS])
def test_the_server_orders_as_the_shared_vectors_say(meeting, vector):
    stored = _ask(meeting, vector)
    ids = db.session.scalars(
        select(Question.id).where(Question.meeting_id == meeting.id).order_by(*POPULAR)).all()
    assert [stored[question_id] for question_id in ids] == vector["expected"]


def test_the_presenter_screen_lists_the_next_questions_in_that_order(meeting):
    vector = next(v for v in VECTORS if v["name"].startswith("a late question"))
    stored = _ask(meeting, vector)
    shown = presenter_services.screen(meeting)["next"]
    assert [stored[question["id"]] for question in shown] == vector["expected"][:3]
