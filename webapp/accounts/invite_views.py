"""Meeting staff: invite by e-mail, remove roles, and the invitee's one-time password page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.accounts.invite_forms import AcceptInvitationForm, InviteForm
from webapp.accounts.models import RoleKind
from webapp.core.forms import show_error
from webapp.errors import DomainError, NotFound
from webapp.extensions import limiter
from webapp.meetings import invitation_services as services
from webapp.meetings.forms import ConfirmForm
from webapp.meetings.invitation_services import ROLE_LABELS
from webapp.meetings.models import Meeting
from webapp.realtime.presence import disconnect_user
from webapp.web.pages import abort_for, managed_meeting, meeting_context, meeting_page

bp = Blueprint("invite", __name__)


@bp.route("/organiser/meetings/<int:meeting_id>/staff", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
@login_required
@meeting_page()
def staff(meeting: Meeting):
    """The meeting's staff and open invitations; organisers invite from here."""
    form = InviteForm()
    if not form.is_submitted():
        form.language.data = current_user.locale if current_user.locale else "en"
    if form.is_submitted():
        managed_meeting(meeting.id, write=True)
    if form.validate_on_submit():
        try:
            result = services.invite(current_user, meeting.id, email=form.email.data,
                                     role=form.role.data, name=form.name.data or "",
                                     language=form.language.data)
        except DomainError as error:
            show_error(form, error)
        else:
            if result.user is not None:
                flash(_("%(name)s already has an account and now holds the role.",
                        name=result.user.name), "success")
            else:
                flash(_("The invitation was sent to %(email)s.",
                        email=result.invitation.email), "success")
            return redirect(url_for("invite.staff", meeting_id=meeting.id))
    return render_template(
        "organiser/staff.html", form=form, members=services.staff(current_user, meeting.id),
        invitations=services.open_invitations(current_user, meeting.id), roles=ROLE_LABELS,
        button=ConfirmForm(), **meeting_context(meeting, "staff"))


@bp.post("/organiser/meetings/<int:meeting_id>/staff/remove")
@login_required
@meeting_page(write=True)
def remove_role(meeting: Meeting):
    """Take a role back from a staff member of this meeting."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    role = request.form.get("role", "")
    user_id = request.form.get("user_id", "")
    if role not in RoleKind._value2member_map_ or not user_id.isdigit() or len(user_id) > 12:
        abort(400)
    try:
        services.remove_role(current_user, meeting.id, int(user_id), RoleKind(role))
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        disconnect_user(int(user_id))  # open live pages re-check their access on reconnect
        flash(_("The role was removed."), "success")
    return redirect(url_for("invite.staff", meeting_id=meeting.id))


@bp.post("/organiser/meetings/<int:meeting_id>/staff/invitations/<int:invitation_id>/withdraw")
@login_required
@meeting_page(write=True)
def withdraw(meeting: Meeting, invitation_id: int):
    """Withdraw an open invitation."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.withdraw_invitation(current_user, meeting.id, invitation_id)
    except DomainError as error:
        abort_for(error)
    flash(_("The invitation was withdrawn."), "success")
    return redirect(url_for("invite.staff", meeting_id=meeting.id))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def accept(token: str):
    """GET only shows the form (mail scanners open links); POST creates the account."""
    try:
        invitation = services.find_open(token)
    except DomainError:
        return render_template("organiser/invitation_invalid.html"), 404
    form = AcceptInvitationForm()
    if not form.is_submitted():
        form.name.data = invitation.name
    if form.validate_on_submit():
        try:
            user = services.accept(token, name=form.name.data, password=form.password.data)
        except DomainError as error:
            show_error(form, error)
        else:
            if current_user.is_authenticated and current_user.id != user.id:
                logout_user()
            login_user(user)
            flash(_("Welcome! Your account is ready."), "success")
            if invitation.role == RoleKind.INTERPRETER:
                return redirect(url_for("qa.translations", slug=invitation.meeting.slug))
            return redirect(url_for("dashboard.meeting_dashboard",
                                    meeting_id=invitation.meeting_id)
                            if invitation.role != RoleKind.SPEAKER else url_for("core.home"))
    return render_template("organiser/invitation_accept.html", form=form,
                           invitation=invitation, role_label=ROLE_LABELS[invitation.role])
