"""The attendee's survey page, reached three ways that all name one registration: the session
of the join link, the join link itself, and the personal survey link of the follow-up e-mail.

A GET only shows the page (mail scanners prefetch links); answering is the form's POST.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session
from flask_login import current_user

from webapp.core.forms import show_error
from webapp.core.i18n import current_language
from webapp.errors import Closed, Conflict, DomainError, InvalidInput, NotFound
from webapp.extensions import limiter
from webapp.feedback import services
from webapp.feedback.forms import answers_of, survey_form
from webapp.feedback.models import FeedbackKind
from webapp.live import participants
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.meetings import services as meeting_services
from webapp.registration import services as registration_services

bp = Blueprint("feedback", __name__)

#: Answering is rare: this only stops scripted floods from one address.
ANSWER_LIMIT = "30/minute"


def _meeting(slug: str):
    try:
        return meeting_services.get_visible(slug, current_user)
    except NotFound:
        abort(404)


def _thanks(meeting, response, status: int = 200):
    items = {item.id: item for item in services.agenda_items(meeting)}
    asked = {q.id: q for q in services.questions(meeting)}
    return render_template(
        "feedback/thanks.html", meeting=meeting, response=response,
        item_ratings=[(items[r.agenda_item_id], r.rating) for r in response.item_ratings
                      if r.agenda_item_id in items],
        answers=[(asked[a.question_id], a.rating if a.rating is not None else a.text)
                 for a in response.answers if a.question_id in asked]), status


def _survey(meeting, registration, *, on_answer=None):
    """The survey for `registration` (None: not identified), or why it cannot be answered."""
    if not services.may_answer(meeting, registration):
        return render_template("feedback/no_access.html", meeting=meeting), 403
    existing = services.response_of(registration)
    if existing is not None:
        return _thanks(meeting, existing, 409 if request.method == "POST" else 200)
    if not services.is_open(meeting):
        return render_template("feedback/closed.html", meeting=meeting), 403
    items, asked = services.agenda_items(meeting), services.questions(meeting)
    form = survey_form(items, asked)
    status = 200
    if form.validate_on_submit():
        if on_answer is not None:
            on_answer()
        try:
            services.submit(meeting, registration, answers_of(form),
                            language=current_language())
        except Conflict:
            return _thanks(meeting, services.response_of(registration), 409)
        except Closed:
            return render_template("feedback/closed.html", meeting=meeting), 403
        except InvalidInput as error:
            show_error(form, error)
            status = 422
        except DomainError:
            abort(403)
        else:
            return redirect(request.path)
    elif request.method == "POST":
        status = 400 if "csrf_token" in form.errors else 422
    return render_template("feedback/survey.html", meeting=meeting, form=form,
                           rating_kind=FeedbackKind.RATING), status


@bp.route("/m/<slug>/feedback", methods=["GET", "POST"])
@limiter.limit(ANSWER_LIMIT, methods=["POST"])
def survey(slug: str):
    """The survey for whoever joined through their personal link in this browser."""
    meeting = _meeting(slug)
    joined = session.get(SESSION_REGISTRATIONS) or {}
    entry = joined.get(str(meeting.id)) if isinstance(joined, dict) else None
    registration = participants.admission(meeting, None, entry)[1]
    return _survey(meeting, registration)


@bp.route("/m/<slug>/join/<token>/feedback", methods=["GET", "POST"])
@limiter.limit(ANSWER_LIMIT, methods=["POST"])
def by_join_link(slug: str, token: str):
    """The survey from the personal join link."""
    meeting = _meeting(slug)
    try:
        registration = registration_services.by_token(meeting, token)
    except NotFound:
        abort(404)
    return _survey(meeting, registration,
                   on_answer=lambda: registration_services.use_link(registration, token))


@bp.route("/m/<slug>/feedback/<token>", methods=["GET", "POST"])
@limiter.limit(ANSWER_LIMIT, methods=["POST"])
def by_link(slug: str, token: str):
    """The survey from the personal link in the follow-up e-mail."""
    meeting = _meeting(slug)
    try:
        registration = services.by_link(meeting, token)
    except NotFound:
        abort(404)
    return _survey(meeting, registration)
