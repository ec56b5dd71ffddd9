"""The live Q&A commands on two processes + Redis + PostgreSQL: one meeting, everywhere."""

import secrets

import pytest

from tests.support.live import wait_for

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis]


def ask(client, text):
    ack = client.call("ask_question", {"text": text, "client_id": secrets.token_hex(8)},
                      timeout=10)
    assert ack["ok"] is True, ack
    return ack["question"]


def latest_staff_view(recorder, question_id):
    changes = [data for data in recorder.of("staff_question_changed")
               if data["question"]["id"] == question_id]
    return changes[-1]["question"] if changes else None


def test_question_asked_on_a_is_moderated_on_b_and_reaches_everyone(cluster):
    alice, bruno = cluster.attendees(2)
    asker, on_a, _ack = cluster.connect(0, alice)
    _c, on_b, _ack = cluster.connect(1, bruno)
    moderator, staff_on_b, _ack = cluster.staff(1)

    question = ask(asker, "¿Cómo financian los programas de salud en Yunnan? 资金来源？")
    assert staff_on_b.wait_for(lambda r: latest_staff_view(r, question["id"]))
    assert on_b.of("question_published") == []  # pre-moderation: attendees do not see it yet

    pending = latest_staff_view(staff_on_b, question["id"])
    ack = moderator.call("approve_question", {"question_id": question["id"],
                                              "version": pending["version"]}, timeout=10)
    assert ack["ok"] is True, ack
    for recorder in (on_a, on_b):
        assert recorder.wait_for(lambda r: r.of("question_published"))
        [published] = recorder.of("question_published")
        assert published["question"]["text"] == question["text"]

    ack = moderator.call("highlight_question", {"question_id": question["id"],
                                                "version": ack["question"]["version"]},
                         timeout=10)
    assert ack["ok"] is True, ack
    for recorder in (on_a, on_b):
        assert recorder.wait_for(lambda r: any(
            u["question"]["highlighted"] for u in r.of("question_updated")))


def test_votes_through_both_processes_converge_to_the_exact_count_everywhere(cluster):
    people = cluster.attendees(12)
    asker, watcher_a, _ack = cluster.connect(0, people[0])
    moderator, _staff, _ack = cluster.staff(1)
    question = ask(asker, "Una pregunta para votar")
    version = wait_for(lambda: (latest_staff_view(_staff, question["id"]) or {}).get("version"),
                       message="the question in the staff view")
    assert moderator.call("approve_question", {"question_id": question["id"],
                                               "version": version}, timeout=10)["ok"]
    _c, watcher_b, _ack = cluster.connect(1, people[1])

    voters = [cluster.connect(n % 2, person)[0] for n, person in enumerate(people[2:])]
    for voter in voters:
        ack = voter.call("vote", {"question_id": question["id"], "voted": True}, timeout=10)
        assert ack["ok"] is True, ack

    def tally(recorder):
        events = recorder.of("vote_tally_changed")
        counts = [e["tallies"].get(str(question["id"])) for e in events]
        counts = [c for c in counts if c is not None]
        return counts[-1] if counts else None

    for recorder in (watcher_a, watcher_b, _staff):
        assert recorder.wait_for(lambda r: tally(r) == len(voters), timeout=10), tally(recorder)
    # A late joiner on either process reads the same figure from its snapshot.
    for index in (0, 1):
        [late] = cluster.attendees(1)
        _c, _r, ack = cluster.connect(index, late)
        [snap] = [q for q in ack["snapshot"]["qa"]["questions"] if q["id"] == question["id"]]
        assert snap["votes"] == len(voters)


def test_banned_participant_is_disconnected_on_both_processes(cluster):
    [mallory] = cluster.attendees(1)
    on_a, _ra, _ack = cluster.connect(0, mallory)
    on_b, _rb, _ack = cluster.connect(1, mallory)
    moderator, _staff, _ack = cluster.staff(1)
    ack = moderator.call("ban_participant", {"registration_id": mallory["registration_id"],
                                             "banned": True}, timeout=10)
    assert ack["ok"] is True, ack
    wait_for(lambda: not on_a.connected and not on_b.connected,
             message="both sockets to be closed")
    import socketio

    for index in (0, 1):
        with pytest.raises(socketio.exceptions.ConnectionError):
            cluster.connect(index, mallory)


def test_presence_counts_people_on_both_processes(cluster):
    people = cluster.attendees(3)
    _c, first, _ack = cluster.connect(0, people[0])
    cluster.connect(1, people[1])
    cluster.connect(1, people[2])
    cluster.connect(0, people[2])  # a second tab is not a second person

    def online(recorder):
        events = recorder.of("presence_changed")
        return events[-1]["online"] if events else None

    assert first.wait_for(lambda r: online(r) == 3, timeout=15), online(first)


def test_rotating_the_presenter_token_closes_screens_on_both_processes(cluster):
    """The rotation commits on A; the close goes to every process over the control channel."""
    import re

    import socketio

    from tests.support.cluster import ADMIN
    from tests.support.live_clients import Browserish

    meeting = cluster.post(0, "/_probe/meeting")
    admin = Browserish(cluster.a.url)
    cluster.people.append(admin)
    admin.login(*ADMIN)

    def rotate() -> str:
        page = admin.http.post(f"{cluster.a.url}/m/{meeting['slug']}/console/presenter-link",
                               data={"csrf_token": admin.csrf()}, timeout=10)
        assert page.status_code == 200, page.text[:300]
        return re.search(r'id="presenter-url"[^>]*value="[^"]*/present/([^"]+)"',
                         page.text).group(1)

    def screen(index: int, token: str) -> socketio.Client:
        person = Browserish(cluster.servers[index].url)
        cluster.people.append(person)
        page = person.http.get(f"{person.base_url}/m/{meeting['slug']}/present/{token}",
                               timeout=10)
        if page.status_code != 200:
            raise socketio.exceptions.ConnectionError(f"presenter page: {page.status_code}")
        csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)
        client = socketio.Client(reconnection=False)
        client.connect(person.base_url, transports=["websocket"],
                       headers={"Cookie": person.cookie_header()},
                       auth={"csrf_token": csrf, "meeting": meeting["id"],
                             "presenter_token": token}, wait_timeout=10)
        cluster.clients.append(client)
        return client

    token = rotate()
    on_a, on_b = screen(0, token), screen(1, token)
    assert on_a.call("join", {"last_seq": None}, timeout=10)["ok"] is True
    rotate()
    wait_for(lambda: not on_a.connected and not on_b.connected,
             message="both sockets to be closed")
    with pytest.raises(socketio.exceptions.ConnectionError):
        screen(1, token)
