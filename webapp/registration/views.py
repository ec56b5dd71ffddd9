"""Attendee pages: register, "check your e-mail", resend my link, the personal join link."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import lazy_gettext as _l

from webapp.core.forms import show_error
from webapp.core.i18n import current_language
from webapp.core.viewer import viewer_timezone
from webapp.errors import DomainError, InvalidInput, NotFound
from webapp.extensions import limiter
from webapp.feedback import services as feedback_services
from webapp.live import participants
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.meetings.views import PREFILL_KEY, render_meeting, transcript_url, visible_meeting
from webapp.registration import attendance_figures, services
from webapp.registration.forms import (
    ConfirmForm,
    EraseForm,
    NextSessionForm,
    ResendForm,
    registration_form,
)
from webapp.registration.labels import STATUS_LABELS
from webapp.registration.models import Registration, RegistrationStatus

bp = Blueprint("registration", __name__)

#: Per client address (see docs/deploy.md behind a proxy): an office or a ministry registers
#: dozens of staff from one address within minutes, so this only stops scripted floods; the
#: per-address mail limit (`services.LINK_MAILS_PER_ADDRESS`) protects inboxes.
FORM_LIMIT = "60/minute;300/hour"
LINK_LIMIT = "30/minute"


@bp.post("/m/<slug>/register")
@limiter.limit(FORM_LIMIT)
def register(slug: str):
    """Register for a meeting; the join link arrives by e-mail."""
    meeting = visible_meeting(slug)
    form = registration_form(meeting, current_language())
    if form.validate_on_submit():
        try:
            services.register(meeting, form.to_input(), viewer_timezone=viewer_timezone())
        except InvalidInput as error:
            show_error(form, error)
        except DomainError as error:
            flash(error.message, "error")
            return redirect(url_for("meetings.meeting_page", slug=slug))
        else:
            stored = session.get(PREFILL_KEY)
            if isinstance(stored, dict) and stored.get("meeting") == meeting.id:
                session.pop(PREFILL_KEY, None)
            return redirect(url_for("registration.check_email", slug=slug))
    return render_meeting(meeting, form=form, status=422)


@bp.get("/m/<slug>/registered")
def check_email(slug: str):
    """The same page for a new and a known address: it must not tell them apart."""
    meeting = visible_meeting(slug)
    return render_template("registration/check_email.html", meeting=meeting)


@bp.route("/m/<slug>/resend", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def resend(slug: str):
    """Send the join link again (limited per address, and the answer never tells whether the address
    is registered)."""
    meeting = visible_meeting(slug)
    form = ResendForm()
    if form.validate_on_submit():
        services.resend_link(meeting, form.email.data)
        return redirect(url_for("registration.check_email", slug=slug))
    return render_template("registration/resend.html", meeting=meeting, form=form), (
        422 if form.errors else 200)


def _by_token(slug: str, token: str) -> tuple[Meeting, Registration]:
    meeting = visible_meeting(slug)
    try:
        return meeting, services.by_token(meeting, token)
    except NotFound:
        abort(404)


def _link_page(meeting, registration, token, status: int = 200, erase_form=None):
    nxt = services.next_session(meeting)
    already = services.registered_in(nxt, registration.email) if nxt is not None else None
    return render_template(
        "registration/link.html", meeting=meeting, registration=registration, token=token,
        status_label=STATUS_LABELS[registration.status],
        position=services.waitlist_position(registration),
        can_join=(registration.status == RegistrationStatus.CONFIRMED
                  and not registration.banned),
        can_cancel=registration.status in services.ACTIVE,
        next_meeting=nxt, next_registered=already is not None and already.status in
        services.ACTIVE, form=ConfirmForm(), erase_form=erase_form or EraseForm(),
        recording_url=attendance_figures.recording_address(meeting)
        if meeting.status == MeetingStatus.ENDED else None,
        transcript_url=transcript_url(meeting) if meeting.status == MeetingStatus.ENDED
        else None,
        survey_open=meeting.status == MeetingStatus.ENDED and feedback_services.is_open(meeting),
    ), status


@bp.get("/m/<slug>/join/<token>")
def link(slug: str, token: str):
    """Show "Join as <name>"; mail scanners fetch this, so it changes nothing."""
    meeting, registration = _by_token(slug, token)
    return _link_page(meeting, registration, token)


@bp.post("/m/<slug>/join/<token>")
@limiter.limit(LINK_LIMIT)
def join(slug: str, token: str):
    """Open the join link: the session remembers the registration for the live page."""
    meeting, registration = _by_token(slug, token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    services.use_link(registration, token)
    try:
        services.record_join(registration)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("registration.link", slug=slug, token=token))
    joined = dict(session.get(SESSION_REGISTRATIONS) or {})
    joined[str(meeting.id)] = services.session_entry(registration)
    session[SESSION_REGISTRATIONS] = joined
    return redirect(url_for("qa.live", slug=slug))


def _recording_or_404(meeting: Meeting) -> str:
    address = attendance_figures.recording_address(meeting)
    if address is None:
        abort(404)
    return address


@bp.get("/m/<slug>/recording")
def recording(slug: str):
    """The meeting's recording, through Puente: a viewer whose browser joined the meeting with
    their personal link is counted as having opened it; anyone else is just redirected."""
    meeting = visible_meeting(slug)
    address = _recording_or_404(meeting)
    entry = (session.get(SESSION_REGISTRATIONS) or {}).get(str(meeting.id))
    _participant, registration = participants.admission(meeting, None, entry)
    if registration is not None:
        attendance_figures.record_recording_opened(registration)
    return redirect(address, code=302)


@bp.post("/m/<slug>/join/<token>/recording")
@limiter.limit(LINK_LIMIT)
def recording_by_link(slug: str, token: str):
    """"Watch the recording" from the personal link page: counted for this registration (a form,
    so mail scanners fetching the page count nothing)."""
    meeting, registration = _by_token(slug, token)
    address = _recording_or_404(meeting)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attendance_figures.record_recording_opened(registration)
    return redirect(address, code=303)


@bp.route("/m/<slug>/join/<token>/cancel", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT, methods=["POST"])
def cancel(slug: str, token: str):
    """Cancel one's own registration from the join link."""
    meeting, registration = _by_token(slug, token)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.use_link(registration, token)
        services.cancel(registration)
        flash(_l("Your registration is cancelled. Thank you for letting us know."), "success")
        return redirect(url_for("registration.link", slug=slug, token=token))
    return render_template("registration/cancel.html", meeting=meeting,
                           registration=registration, token=token, form=form,
                           can_cancel=registration.status in services.ACTIVE)


@bp.route("/m/<slug>/join/<token>/erase", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT, methods=["POST"])
def erase(slug: str, token: str):
    """Erase one's own registration and personal data from the join link."""
    meeting, registration = _by_token(slug, token)
    form = EraseForm()
    if form.validate_on_submit():
        services.erase(registration)
        joined = dict(session.get(SESSION_REGISTRATIONS) or {})
        if joined.pop(str(meeting.id), None) is not None:
            session[SESSION_REGISTRATIONS] = joined
        flash(_l("Your registration is withdrawn and your personal data erased."), "success")
        return redirect(url_for("meetings.meeting_page", slug=slug))
    return render_template("registration/erase.html", meeting=meeting,
                           registration=registration, token=token, form=form), (
        422 if form.errors else 200)


def _next_page(meeting, registration, token, target, form, status: int = 200):
    return render_template(
        "registration/next.html", meeting=meeting, registration=registration, token=token,
        target=target, form=form, organisers=services.meeting_organisers(target),
        hosts=[o.name for o in target.organisations if o.role.value == "host"],
        needs_answers=any(q.required for q in services.questions(target)),
    ), status


@bp.route("/m/<slug>/join/<token>/next", methods=["GET", "POST"])
@limiter.limit(FORM_LIMIT, methods=["POST"])
def register_next(slug: str, token: str):
    """The same person, the same details, the next session of the series: the page first says
    what is shared with whom, and only the POST from it (naming that meeting) registers."""
    meeting, registration = _by_token(slug, token)
    target = services.next_session(meeting)
    if target is None or registration.anonymised_at is not None:
        abort(404)
    form = NextSessionForm()
    if not form.is_submitted():
        form.meeting.data = target.id
        return _next_page(meeting, registration, token, target, form)
    if not form.validate_on_submit():
        abort(400)
    if form.meeting.data != target.id:
        # The offer changed since the page was shown: show what is shared now.
        form.meeting.data = target.id
        return _next_page(meeting, registration, token, target, form, 409)
    services.use_link(registration, token)
    if any(q.required for q in services.questions(target)):
        session[PREFILL_KEY] = {"meeting": target.id, **services.prefill(registration)}
        flash(_l("Your details are filled in. Please answer the remaining questions."), "info")
        return redirect(url_for("meetings.meeting_page", slug=target.slug, _anchor="register"))
    try:
        services.register_for_next(registration, target)
    except InvalidInput:
        session[PREFILL_KEY] = {"meeting": target.id, **services.prefill(registration)}
        return redirect(url_for("meetings.meeting_page", slug=target.slug, _anchor="register"))
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("registration.link", slug=slug, token=token))
    return redirect(url_for("registration.check_email", slug=target.slug))
