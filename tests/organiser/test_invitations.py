"""Staff invitations end to end through a real SMTP server."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.support.blns import blns_strings
from webapp.accounts.models import MeetingRole, RoleKind, StaffInvitation, User
from webapp.core.timeutil import utcnow
from webapp.errors import Forbidden, NotFound
from webapp.extensions import db
from webapp.meetings import invitation_services

LINK = re.compile(r"https?://\S+/invitation/([A-Za-z0-9_\-]+)")


@pytest.fixture
def mailer(app, smtp_server):
    app.config["SMTP_URL"] = smtp_server.url
    return smtp_server


def roles_of(user_id: int, meeting_id: int) -> set:
    return set(db.session.scalars(select(MeetingRole.role).where(
        MeetingRole.user_id == user_id, MeetingRole.meeting_id == meeting_id)))


def test_invited_moderator_sets_a_password_once(cast, as_user, mailer, app):
    organiser = as_user(cast.organiser_a)
    response = organiser.post_form(f"/organiser/meetings/{cast.meeting_a.id}/staff", {
        "email": "Li.Na@Example.org", "name": "李娜", "role": "moderator", "language": "zh_Hans",
        "is_admin": "1"})
    assert response.status_code == 302
    (received,) = mailer.wait_for(1)
    message = received["message"]
    assert received["to"] == ["li.na@example.org"]
    assert "邀请" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "李娜" in text and "主持人" in text
    token = LINK.search(text).group(1)
    assert len(token) >= 22  # >= 128 bits, url-safe base64
    stored = db.session.scalar(select(StaffInvitation))
    assert stored.token_hash != token and token not in stored.token_hash

    visitor = app.test_client()
    page = visitor.get(f"/invitation/{token}")
    assert page.status_code == 200 and "li.na@example.org" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(StaffInvitation)).used_at is None  # GET changes nothing
    csrf = csrf_token_from(page.get_data(as_text=True))
    response = visitor.post(f"/invitation/{token}", data={
        "csrf_token": csrf, "name": "李娜", "password": "long enough pw",
        "confirm": "long enough pw"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "li.na@example.org"))
    assert user.name == "李娜" and not user.is_admin and user.locale == "zh_Hans"
    assert roles_of(user.id, cast.meeting_a.id) == {RoleKind.MODERATOR}
    # Logged in: the moderator reaches the meeting's dashboard but not meeting B.
    assert visitor.get(f"/organiser/meetings/{cast.meeting_a.id}/").status_code == 200
    assert visitor.get(f"/organiser/meetings/{cast.meeting_b.id}/").status_code == 404
    # The link works once.
    assert app.test_client().get(f"/invitation/{token}").status_code == 404


def test_invited_interpreter_lands_on_the_translation_console(cast, as_user, mailer, app):
    organiser = as_user(cast.organiser_a)
    response = organiser.post_form(f"/organiser/meetings/{cast.meeting_a.id}/staff", {
        "email": "interp@example.org", "name": "Ana", "role": "interpreter", "language": "es"})
    assert response.status_code == 302
    token = LINK.search(mailer.wait_for(1)[0]["message"].get_body(("plain",))
                        .get_content()).group(1)
    visitor = app.test_client()
    page = visitor.get(f"/invitation/{token}")
    response = visitor.post(f"/invitation/{token}", data={
        "csrf_token": csrf_token_from(page.get_data(as_text=True)), "name": "Ana",
        "password": "long enough pw", "confirm": "long enough pw"})
    slug = cast.meeting_a.slug
    assert response.headers["Location"].endswith(f"/m/{slug}/console/translations")
    user = db.session.scalar(select(User).where(User.email == "interp@example.org"))
    assert roles_of(user.id, cast.meeting_a.id) == {RoleKind.INTERPRETER}
    assert visitor.get(f"/m/{slug}/console/translations").status_code == 200
    assert visitor.get(f"/organiser/meetings/{cast.meeting_a.id}/").status_code == 404


def test_existing_user_just_gets_the_role(cast, mailer):
    result = invitation_services.invite(cast.organiser_a, cast.meeting_a.id,
                                        email="org-b@example.org", role=RoleKind.SPEAKER,
                                        language="es")
    assert result.invitation is None and result.user == cast.organiser_b
    assert RoleKind.SPEAKER in roles_of(cast.organiser_b.id, cast.meeting_a.id)
    assert db.session.scalar(select(StaffInvitation)) is None
    (received,) = mailer.wait_for(1)
    assert received["to"] == ["org-b@example.org"]


def test_expired_and_withdrawn_links_do_not_work(cast, mailer):
    invitation_services.invite(cast.organiser_a, cast.meeting_a.id, email="new@example.org",
                               role=RoleKind.MODERATOR)
    token = LINK.search(mailer.wait_for(1)[0]["message"].get_body(("plain",))
                        .get_content()).group(1)
    invitation = db.session.scalar(select(StaffInvitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(NotFound):
        invitation_services.accept(token, name="X", password="long enough pw")
    invitation.expires_at = utcnow() + timedelta(days=1)
    db.session.commit()
    invitation_services.withdraw_invitation(cast.organiser_a, cast.meeting_a.id, invitation.id)
    with pytest.raises(NotFound):
        invitation_services.find_open(token)
    with pytest.raises(NotFound):
        invitation_services.find_open("x" * 32)


@pytest.mark.parametrize(("who", "error"), [("moderator_a", Forbidden),
                                           ("organiser_b", NotFound)])
def test_others_may_not_invite_or_remove(cast, mailer, who, error):
    user = getattr(cast, who)
    with pytest.raises(error):
        invitation_services.invite(user, cast.meeting_a.id, email="x@example.org",
                                   role=RoleKind.ORGANISER)
    with pytest.raises(error):
        invitation_services.remove_role(user, cast.meeting_a.id, cast.moderator_a.id,
                                        RoleKind.MODERATOR)


def test_organisers_remove_roles_but_the_last_organiser_stays(cast, mailer):
    invitation_services.remove_role(cast.organiser_a, cast.meeting_a.id, cast.moderator_a.id,
                                    RoleKind.MODERATOR)
    assert roles_of(cast.moderator_a.id, cast.meeting_a.id) == set()
    with pytest.raises(Forbidden):  # the last organiser stays
        invitation_services.remove_role(cast.admin, cast.meeting_a.id, cast.organiser_a.id,
                                        RoleKind.ORGANISER)
    assert mailer.messages == []


def test_staff_page_removes_a_role(cast, as_user):
    client = as_user(cast.organiser_a)
    html = client.get(f"/organiser/meetings/{cast.meeting_a.id}/staff").get_data(as_text=True)
    assert "mod-a@example.org" in html
    response = client.post_form(f"/organiser/meetings/{cast.meeting_a.id}/staff/remove",
                                {"user_id": str(cast.moderator_a.id), "role": "moderator"})
    assert response.status_code == 302
    assert roles_of(cast.moderator_a.id, cast.meeting_a.id) == set()
    response = client.post_form(f"/organiser/meetings/{cast.meeting_a.id}/staff/remove",
                                {"user_id": "abc", "role": "king"})
    assert response.status_code == 400


@pytest.mark.blns
def test_accept_page_refuses_control_characters_and_keeps_names_exact(cast, mailer, app):
    from webapp.core.text import forbidden_character

    corpus = blns_strings()
    samples = [s for s in corpus if forbidden_character(s)] + [
        s for s in corpus if s.strip() and not forbidden_character(s) and len(s) <= 200][:20]
    for index, name in enumerate(samples):
        invitation_services.invite(cast.organiser_a, cast.meeting_a.id,
                                   email=f"n{index}@example.org", role=RoleKind.SPEAKER)
        token = LINK.search(mailer.wait_for(index + 1)[index]["message"]
                            .get_body(("plain",)).get_content()).group(1)
        visitor = app.test_client()
        csrf = csrf_token_from(visitor.get(f"/invitation/{token}").get_data(as_text=True))
        response = visitor.post(f"/invitation/{token}", data={
            "csrf_token": csrf, "name": name, "password": "long enough pw",
            "confirm": "long enough pw"})
        user = db.session.scalar(select(User).where(User.email == f"n{index}@example.org"))
        if forbidden_character(name):
            assert response.status_code == 200 and "control character" in response.get_data(
                as_text=True)
            assert user is None
        else:
            assert response.status_code == 302, name
            assert user.name == name


def test_a_link_is_claimed_once_even_from_two_tabs(cast, mailer):
    invitation_services.invite(cast.organiser_a, cast.meeting_a.id, email="twice@example.org",
                               role=RoleKind.MODERATOR, name="Dos Pestañas")
    token = LINK.search(mailer.wait_for(1)[0]["message"].get_body(("plain",))
                        .get_content()).group(1)
    user = invitation_services.accept(token, name="Dos Pestañas", password="long enough pw")
    assert RoleKind.MODERATOR in roles_of(user.id, cast.meeting_a.id)
    with pytest.raises(NotFound):
        invitation_services.accept(token, name="Otra", password="another long pw")
    assert db.session.get(User, user.id).name == "Dos Pestañas"
