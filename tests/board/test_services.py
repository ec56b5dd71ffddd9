"""Board rules without any client: posting, moderation, slow mode, paging, reactions, export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import insert

from tests.factories import make_meeting, make_registration, make_user
from tests.support.blns import blns_strings
from tests.support.people import attendee, staff
from webapp.accounts.models import RoleKind
from webapp.board import services
from webapp.board.models import Post
from webapp.core.timeutil import utcnow
from webapp.errors import Closed, Forbidden, InvalidInput, NotFound, RateLimited
from webapp.extensions import db
from webapp.meetings.models import BoardMode
from webapp.realtime.models import Audience, MeetingEvent


def test_post_is_stored_exactly_and_logged_with_seq(app, me, registration, events):
    text = "  感谢张书记的分享！ Gracias 🙏\n第二行  "
    post = services.post(me, text, "c-1")
    assert db.session.get(Post, post.id).text == text
    [event] = events.of("post_published")
    assert event.seq is not None and event.audience == Audience.EVERYONE
    assert event.payload["post"]["text"] == text
    assert event.payload["post"]["author"]["name"] == "María José Quispe"
    assert db.session.query(MeetingEvent).filter_by(type="post_published").count() == 1


def test_crlf_post_is_stored_with_line_feeds_and_sent_with_its_paragraphs(app, me, events):
    post = services.post(me, "Hola\r\n\r\nVer https://example.org/x. o javascript:alert(1)\r\nfin")
    assert db.session.get(Post, post.id).text == \
        "Hola\n\nVer https://example.org/x. o javascript:alert(1)\nfin"
    [event] = events.of("post_published")
    assert event.payload["post"]["paragraphs"] == [
        [{"type": "text", "text": "Hola"}],
        [{"type": "text", "text": "Ver "},
         {"type": "link", "href": "https://example.org/x", "text": "https://example.org/x"},
         {"type": "text", "text": ". o javascript:alert(1)"}, {"type": "break"},
         {"type": "text", "text": "fin"}]]


def test_retried_client_id_is_stored_once(app, me, events):
    first = services.post(me, "Hola", "same-id")
    again = services.post(me, "Hola", "same-id")
    assert first.id == again.id
    assert len(events.of("post_published")) == 1
    assert db.session.query(Post).count() == 1


def test_length_limit_counts_characters_in_any_script(app, me):
    services.post(me, "谢" * 1000)
    with pytest.raises(InvalidInput):
        services.post(me, "谢" * 1001)


@pytest.mark.parametrize("bad", ["", "   \n", None, 42, "a\x00b", "bell\x07"])
def test_blank_or_control_characters_are_refused(app, me, bad):
    with pytest.raises(InvalidInput):
        services.post(me, bad)


@pytest.mark.parametrize("bad", [7, "", "x" * 65, "a\x00"])
def test_bad_client_id_is_refused(app, me, bad):
    with pytest.raises(InvalidInput):
        services.post(me, "Hola", bad)


def test_muted_and_banned_attendees_cannot_post(app, meeting):
    muted = make_registration(meeting, muted=True)
    banned = make_registration(meeting, banned=True)
    with pytest.raises(Forbidden) as error:
        services.post(attendee(muted), "Hola")
    assert "muted" in str(error.value.message)
    with pytest.raises(Forbidden):
        services.post(attendee(banned), "Hola")


def test_read_only_board_refuses_attendees_but_not_staff(app, meeting, me, mod):
    services.configure(mod, mode="read_only")
    with pytest.raises(Closed) as error:
        services.post(me, "Hola")
    assert error.value.code == "closed"
    assert services.post(mod, "Announcement: the break is 10 minutes.").user_id == mod.user_id
    services.configure(mod, mode="off")
    with pytest.raises(Closed):
        services.post(mod, "Nobody may post now")
    assert services.snapshot(me)["posts"] == []


def test_slow_mode_says_how_long_to_wait(app, meeting, me, mod):
    services.configure(mod, slow_seconds=30)
    start = utcnow()
    services.post(me, "first", now=start)
    with pytest.raises(RateLimited) as error:
        services.post(me, "second", now=start + timedelta(seconds=12))
    assert error.value.details["retry_after"] == 18
    assert "18" in str(error.value.message)
    assert services.post(me, "third", now=start + timedelta(seconds=30)).text == "third"
    # staff are never slowed down
    services.post(mod, "a", now=start)
    services.post(mod, "b", now=start)


def test_only_staff_moderate(app, meeting, registration, me, mod):
    post = services.post(me, "Hola")
    other = attendee(make_registration(meeting))
    for call in (lambda: services.hide(other, post.id, "spam"),
                 lambda: services.restore(other, post.id),
                 lambda: services.pin(other, post.id),
                 lambda: services.configure(other, mode="off"),
                 lambda: services.configure(other, slow_seconds=5)):
        with pytest.raises(Forbidden):
            call()
    # a moderator of another meeting cannot reach this meeting's posts
    elsewhere = make_meeting()
    foreign = staff(make_user(meeting=elsewhere, role=RoleKind.ORGANISER), elsewhere,
                    RoleKind.ORGANISER)
    with pytest.raises(NotFound):
        services.hide(foreign, post.id, "spam")
    with pytest.raises(NotFound):
        services.pin(foreign, post.id)


def test_hide_shows_the_reason_to_the_author_and_staff_only(app, meeting, me, mod, events):
    post = services.post(me, "texto original")
    services.hide(mod, post.id, "Fuera de tema / off topic")
    hidden = events.of("post_hidden")
    by_audience = {e.audience: e.payload["post"] for e in hidden}
    assert "text" not in by_audience[Audience.EVERYONE]
    assert "hide_reason" not in by_audience[Audience.EVERYONE]
    assert by_audience[Audience.PARTICIPANT]["hide_reason"] == "Fuera de tema / off topic"
    assert by_audience[Audience.STAFF]["text"] == "texto original"
    assert all(e.seq for e in hidden)
    # the snapshot agrees: others see a placeholder, the author the reason
    someone = attendee(make_registration(meeting))
    assert "text" not in services.snapshot(someone)["posts"][0]
    assert services.snapshot(me)["own_posts"][0]["hide_reason"] == "Fuera de tema / off topic"
    with pytest.raises(InvalidInput):
        services.hide(mod, post.id, "   ")
    services.restore(mod, post.id)
    assert events.of("post_restored")[0].payload["post"]["text"] == "texto original"
    assert services.snapshot(someone)["posts"][0]["text"] == "texto original"


def test_pinned_announcements(app, me, mod, events):
    note = services.post(mod, "Recording will be online tomorrow")
    services.pin(mod, note.id)
    snapshot = services.snapshot(me)
    assert [p["id"] for p in snapshot["pinned"]] == [note.id]
    assert snapshot["pinned"][0]["author"]["staff"] is True
    services.pin(mod, note.id, False)
    assert services.snapshot(me)["pinned"] == []
    assert [e.payload["post"]["pinned"] for e in events.of("post_pinned")] == [True, False]


def test_reactions_toggle_and_count(app, meeting, me, mod, events):
    post = services.post(me, "Gracias")
    other = attendee(make_registration(meeting))
    services.react(me, post.id, "thanks")
    services.react(me, post.id, "thanks")  # twice is still one
    services.react(other, post.id, "thanks")
    services.react(other, post.id, "applause")
    assert services.reaction_counts([post.id]) == {post.id: {"thanks": 2, "applause": 1}}
    services.react(other, post.id, "thanks", False)
    assert services.reaction_counts([post.id])[post.id] == {"thanks": 1, "applause": 1}
    assert services.snapshot(me)["my_reactions"] == {str(post.id): ["thanks"]}
    with pytest.raises(InvalidInput):
        services.react(me, post.id, "angry")
    with pytest.raises(Forbidden):
        services.react(mod, post.id, "thanks")
    with pytest.raises(InvalidInput):
        services.react(me, "1", "thanks")
    services.announce_counts(meeting.id, [post.id])
    db.session.commit()
    counts = events.of("reaction_counts_changed")[-1]  # the coalescer may have sent earlier
    assert counts.seq is None  # ephemeral: the next snapshot carries the latest counts
    assert counts.payload == {"counts": {str(post.id): {"thanks": 1, "applause": 1}},
                              "revs": {str(post.id): 4}}  # four changes so far


def test_the_react_service_itself_marks_the_counts_after_commit(app, meeting, me, events):
    """No adapter has to remember the counts: the service marks the post once it commits."""
    post = services.post(me, "Gracias")
    services.react(me, post.id, "thanks")
    services.coalescer.flush()  # what the background task does a few times a second
    sent = events.of("reaction_counts_changed")
    assert sent and sent[-1].payload["counts"] == {str(post.id): {"thanks": 1}}


def test_keyset_paging_returns_each_post_once_in_order(app, meeting, registration, me):
    now = utcnow()
    db.session.execute(insert(Post), [
        {"meeting_id": meeting.id, "registration_id": registration.id, "text": f"post {n}",
         "created_at": now, "updated_at": now, "pinned": False, "hidden": False}
        for n in range(237)])
    db.session.commit()
    first = services.snapshot(me)
    assert len(first["posts"]) == 50 and first["more"] is True
    seen = [p["text"] for p in first["posts"]]
    cursor = first["before"]
    while True:
        page = services.page(me, cursor)
        seen = [p["text"] for p in page["posts"]] + seen
        if not page["more"]:
            break
        cursor = page["before"]
    assert seen == [f"post {n}" for n in range(237)]
    with pytest.raises(InvalidInput):
        services.page(me, "12")


def test_csv_export_has_bom_and_neutralises_formulas(app, meeting, me, moderator_user):
    services.post(me, "=HYPERLINK(\"http://evil.example\")")
    services.post(me, "谢谢, \"quoted\"\nnewline")
    body = services.export_csv(moderator_user, meeting)
    assert body.startswith(b"\xef\xbb\xbf") and b"\r\n" in body
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][8] == "'=HYPERLINK(\"http://evil.example\")"
    assert rows[2][8] == "谢谢, \"quoted\"\nnewline"
    with pytest.raises(Forbidden):
        services.export_csv(None, meeting)
    with pytest.raises(Forbidden):
        services.export_csv(make_user(), meeting)


def test_csv_export_has_the_other_exports_headers_and_names_countries(
        app, meeting, me, mod, moderator_user):
    services.post(me, "Hola")
    services.post(mod, "Aviso")
    rows = list(csv.reader(io.StringIO(
        services.export_csv(moderator_user, meeting, "es").decode("utf-8-sig"))))
    assert rows[0] == ["ID", "Posted (UTC)", "Posted", "Author", "Organisation", "Country code",
                       "Country", "Staff", "Post", "Pinned", "Hidden", "Hide reason", "Thanks",
                       "Applause", "Like", "Insightful"]
    attendee_row, staff_row = (dict(zip(rows[0], row, strict=True)) for row in rows[1:])
    assert (attendee_row["Country code"], attendee_row["Country"]) == ("PE", "Perú")
    assert (attendee_row["Staff"], staff_row["Staff"]) == ("no", "yes")
    assert (staff_row["Country code"], staff_row["Country"]) == ("", "")


def test_wall_counts_posts_by_organisation_and_country(app, meeting, me, mod):
    chinese = attendee(make_registration(meeting, organisation="武汉社区", country="CN"))
    services.post(me, "uno")
    services.post(me, "dos")
    services.post(chinese, "三")
    hidden = services.post(chinese, "spam")
    services.hide(mod, hidden.id, "spam")
    services.post(mod, "staff note")
    wall = services.wall(meeting)
    assert wall.total == 4
    assert wall.by_organisation == [("Minsa", 2), ("武汉社区", 1)]
    assert wall.by_country == [("PE", 2), ("CN", 1)]
    assert [p["text"] for p in wall.posts] == ["uno", "dos", "三", "staff note"]
    newest = services.wall(meeting, limit=2)
    assert [p["text"] for p in newest.posts] == ["三", "staff note"]
    assert [p["text"] for p in services.wall(meeting, newest.before, limit=2).posts] == \
        ["uno", "dos"]


@pytest.mark.parametrize("bad", [{"mode": "closed"}, {"slow_seconds": -1}, {"slow_seconds": "5"},
                                 {"slow_seconds": 10**6}, {"slow_seconds": True}])
def test_configure_refuses_bad_settings(app, mod, bad):
    with pytest.raises(InvalidInput):
        services.configure(mod, **bad)


def test_configure_takes_good_settings(app, mod):
    assert services.configure(mod, mode=BoardMode.READ_ONLY.value, slow_seconds=10) == \
        {"mode": "read_only", "slow_seconds": 10}


@pytest.mark.blns
def test_blns_posts_and_reasons_round_trip_or_fail_cleanly(app, meeting, me, mod):
    accepted = refused = 0
    strings = blns_strings()
    for n, text in enumerate(strings):
        try:
            post = services.post(me, text, f"blns-{n}")
        except InvalidInput:
            db.session.rollback()
            refused += 1
            continue
        accepted += 1
        db.session.expire_all()
        assert db.session.get(Post, post.id).text == text
        if len(text) > services.MAX_REASON_LENGTH:
            with pytest.raises(InvalidInput):
                services.hide(mod, post.id, text)
            db.session.rollback()
            continue
        services.hide(mod, post.id, text)
        db.session.expire_all()
        assert db.session.get(Post, post.id).hide_reason == text
    assert accepted > len(strings) * 0.8 and refused >= 1


def test_posts_carry_the_language_of_their_text_and_of_their_authors_name(app, meeting, events):
    chinese = attendee(make_registration(meeting, name="王芳", organisation="卫生部"))
    spanish = attendee(make_registration(meeting, name="Lucía Núñez"))
    latin = attendee(make_registration(meeting, name="Ana Lopez"))
    first = services.post(chinese, "感谢分享，很有启发。")
    second = services.post(spanish, "¡Muchas gracias por la presentación!")
    services.post(latin, "Thanks, this was useful.")
    assert (first.language, second.language) == ("zh_Hans", "es")
    sent = [event.payload["post"] for event in events.of("post_published")]
    assert [(post["language"], post["author"].get("language")) for post in sent] == [
        ("zh_Hans", "zh_Hans"), ("es", "es"), ("en", None)]


def test_announcements_are_in_the_meetings_first_language(app, meeting, mod):
    meeting.languages = ["es", "en"]
    meeting.default_language = "es"
    db.session.commit()
    announcement = services.post(mod, "Welcome, everyone")
    assert announcement.language == "es"


def test_posts_stored_before_the_language_are_guessed_when_shown(app, me, mod):
    post = services.post(me, "感谢")
    announcement = services.post(mod, "Hola")
    db.session.query(Post).update({Post.language: None})
    db.session.commit()
    db.session.expire_all()
    assert services.serialise(db.session.get(Post, post.id))["language"] == "zh_Hans"
    assert "language" not in services.serialise(db.session.get(Post, announcement.id))
