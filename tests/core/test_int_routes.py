"""Ids outside signed 64 bits are a 404 on every route, never a 500 from the database driver."""

from __future__ import annotations

import re

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from tests.conftest import csrf_token_from, login
from tests.factories import make_meeting, make_registration, make_user
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus

HUGE = 2**63
INT64_MAX = 2**63 - 1
_ARGUMENT = re.compile(r"<(?:([a-zA-Z_]+)(?:\(([^)]*)\))?:)?([a-zA-Z_]+)>")


def int_rules(app):
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            yield rule


def path_for(rule, values: dict) -> str:
    def fill(match):
        name = match.group(3)
        converter = rule._converters[name]
        if name in values:
            return str(values[name])
        if isinstance(converter, AnyConverter):
            return sorted(converter.items)[0]
        return "cancel"
    return _ARGUMENT.sub(fill, rule.rule)


@pytest.fixture
def admin_client(app, client):
    meeting = make_meeting()
    make_registration(meeting)
    make_user("root@example.org", admin=True)
    login(client, "root@example.org")
    client.csrf = csrf_token_from(client.get("/").get_data(as_text=True))
    client.meeting = meeting
    return client


def test_there_are_int_routes(app):
    assert len(list(int_rules(app))) >= 25


@pytest.mark.parametrize("value", [HUGE, 10**30])
def test_every_int_route_answers_404_for_an_id_past_64_bits(app, admin_client, value):
    wrong = []
    for rule in int_rules(app):
        ints = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        for huge in ints:
            values = {n: admin_client.meeting.id for n in ints}
            values[huge] = value
            values["slug"] = admin_client.meeting.slug
            path = path_for(rule, values)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = admin_client.open(path, method=method,
                                             data={"csrf_token": admin_client.csrf})
                if response.status_code != 404:
                    wrong.append((method, path, response.status_code))
    assert wrong == []


def test_the_largest_64_bit_id_reaches_the_view_and_is_not_found(app, admin_client):
    failed = []
    for rule in int_rules(app):
        values = {n: INT64_MAX for n in rule._converters}
        values["slug"] = admin_client.meeting.slug
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = admin_client.open(path_for(rule, values), method=method,
                                         data={"csrf_token": admin_client.csrf})
            if response.status_code >= 500:
                failed.append((method, rule.rule, response.status_code))
    assert failed == []


@pytest.mark.parametrize("before", [str(HUGE), str(10**30), "-1", "0"])
def test_wall_cursor_outside_the_id_range_is_404(app, client, before):
    meeting = make_meeting()
    assert client.get(f"/m/{meeting.slug}/wall?before={before}").status_code == 404


@pytest.mark.parametrize("before", [str(INT64_MAX), "abc", "1e3", "１２", "9" * 5000])
def test_other_wall_cursors_are_not_an_error(app, client, before):
    meeting = make_meeting()
    assert client.get(f"/m/{meeting.slug}/wall?before={before}").status_code < 500


@pytest.mark.parametrize("question_id", [str(HUGE), str(10**30)])
def test_form_ids_past_64_bits_are_refused_by_the_form(app, admin_client, question_id):
    meeting = admin_client.meeting
    meeting.status = MeetingStatus.ENDED
    db.session.commit()
    response = admin_client.post(f"/m/{meeting.slug}/follow-up", data={
        "csrf_token": admin_client.csrf, "question_id": question_id, "text": "Una respuesta"})
    assert response.status_code < 500
