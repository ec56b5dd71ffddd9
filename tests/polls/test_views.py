"""The per-poll CSV download: staff only, BOM, formulas neutralised, names when not anonymous."""

from __future__ import annotations

import csv
import io

from tests.conftest import forget_request_caches, login
from tests.factories import make_meeting, make_registration, make_user
from tests.support.people import attend, attendee, new_staff, second_client
from webapp.accounts.models import RoleKind
from webapp.extensions import db
from webapp.meetings.models import ModerationMode
from webapp.polls import services


def _poll(meeting, **fields):
    mod = new_staff(meeting)
    poll = services.create_poll(mod, **{"kind": "single", "question": "¿Cuál?",
                                        "options": ["=1+1", "社区"], **fields})
    services.open_poll(mod, poll.id)
    return poll


def _rows(response):
    assert response.data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_poll_csv_is_for_staff_only(app, client, meeting):
    poll = _poll(meeting)
    url = f"/m/{meeting.slug}/polls/{poll.id}.csv"
    assert client.get(url).status_code == 302
    attend(client, meeting, make_registration(meeting))
    assert client.get(url).status_code == 302
    for user in (make_user(meeting=make_meeting(), role=RoleKind.ORGANISER),
                 make_user(meeting=meeting, role=RoleKind.INTERPRETER)):
        http, _token = second_client(app, email=user.email)
        assert http.get(url).status_code == 404


def test_poll_csv_names_answers_only_when_not_anonymous(client, meeting):
    meeting.qa_moderation = ModerationMode.POST
    db.session.commit()
    named = _poll(meeting, kind="open_text", anonymous=False, options=None)
    hidden = _poll(meeting)
    person = make_registration(meeting, name="Lucía Quispe", organisation="@Minsa")
    services.answer(attendee(person), named.id, "a", {"text": "-2+3 más agua"})
    services.answer(attendee(person), hidden.id, "b", {"choice": 0})
    login(client, make_user(meeting=meeting, role=RoleKind.MODERATOR).email)
    forget_request_caches()
    response = client.get(f"/m/{meeting.slug}/polls/{named.id}.csv")
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="polls-{meeting.slug}-{named.id}.csv"'
    header, row = _rows(response)
    assert header[:4] == ["Answer ID", "Name", "Organisation", "Answer"]
    assert row[1:5] == ["Lucía Quispe", "'@Minsa", "'-2+3 más agua", "shown"]
    header, row = _rows(client.get(f"/m/{meeting.slug}/polls/{hidden.id}.csv"))
    assert "Name" not in header and "Lucía Quispe" not in row
    assert row[1] == "'=1+1"
    assert client.get(f"/m/{meeting.slug}/polls/{hidden.id + 99}.csv").status_code == 404


def test_closed_polls_results_on_the_transcript_and_the_ended_meeting_page(client, meeting):
    from flask_babel import refresh

    from tests.support.html import parse
    from webapp.meetings.models import MeetingStatus

    shown = _poll(meeting, question={"zh_Hans": "下一届在哪里？", "es": "¿Dónde será?"},
                  options=[{"zh_Hans": "北京", "es": "Pekín"}, {"zh_Hans": "利马", "es": "Lima"}])
    secret = _poll(meeting, question="¿Secreta?", results="never")
    rating = _poll(meeting, kind="rating", scale="stars5", options=None, question="¿Nota?")
    still_open = _poll(meeting, question="¿Abierta?")
    for index, choice in enumerate((1, 1, 0)):
        someone = attendee(make_registration(meeting))
        services.answer(someone, shown.id, f"s{index}", {"choice": choice})
        services.answer(someone, secret.id, f"x{index}", {"choice": 0})
        services.answer(someone, rating.id, f"r{index}", {"rating": 4 + index % 2})
    mod = new_staff(meeting)
    for poll in (shown, secret, rating):
        services.close_poll(mod, poll.id)
    meeting.status = MeetingStatus.ENDED
    db.session.commit()

    for path in (f"/m/{meeting.slug}/transcript", f"/m/{meeting.slug}"):
        refresh()
        page = parse(client.get(path, headers={"Accept-Language": "es"}).data)
        section = page.one("section.polls-closed")
        assert "¿Dónde será?" in section.text and "下一届" not in section.text
        rows = {row.one("th").text.strip(): row.all("td")[0].text.strip()
                for row in section.all("tbody tr")}
        assert rows["Lima"] == "2" and rows["Pekín"] == "1"
        assert "¿Secreta?" not in section.text and still_open.id  # never / still open: not shown
        assert "¿Abierta?" not in section.text
        assert "4,3" in section.text  # the rating's average, written the Spanish way


def test_a_persons_data_export_lists_their_poll_answers(meeting):
    from webapp.registration import services as registration_services

    poll = _poll(meeting, question={"zh_Hans": "哪里？", "es": "¿Dónde?"})
    person = make_registration(meeting, name="Lucía")
    services.answer(attendee(person), poll.id, "c", {"choice": 1})
    organiser = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    data = registration_services.export_person(organiser, person)
    [entry] = data["poll_answers"]
    assert entry["answer"] == {"choice": 1} and entry["poll"] in ("哪里？", "¿Dónde?")
