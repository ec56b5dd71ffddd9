"""Organiser pages of the survey: when it takes answers, the organisers' questions, the CSV."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.forms import show_error
from webapp.core.i18n import current_language
from webapp.errors import DomainError
from webapp.extensions import limiter
from webapp.feedback import services
from webapp.feedback.forms import KIND_LABELS, QuestionForm, SettingsForm
from webapp.meetings.forms import ConfirmForm
from webapp.meetings.models import Meeting
from webapp.web.downloads import csv_download
from webapp.web.pages import abort_for, meeting_context, meeting_page, refuse_read_only

bp = Blueprint("feedback_admin", __name__, url_prefix="/organiser/meetings/<int:meeting_id>")


def _back(meeting: Meeting):
    return redirect(url_for("feedback_admin.survey", meeting_id=meeting.id))


@bp.get("/feedback")
@login_required
@meeting_page()
def survey(meeting: Meeting):
    """The survey's settings and the organisers' own questions."""
    current = services.settings(meeting)
    form = SettingsForm(data={"open_early": current.open_early, "closed": current.closed})
    return render_template(
        "organiser/feedback.html", form=form, rows=services.questions(meeting),
        button=ConfirmForm(), is_open=services.is_open(meeting),
        **meeting_context(meeting, "feedback"))


@bp.post("/feedback/settings")
@login_required
@meeting_page(write=True)
def settings(meeting: Meeting):
    """Open the survey early or close it."""
    form = SettingsForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.configure(current_user, meeting.id, open_early=form.open_early.data,
                           closed=form.closed.data)
    except DomainError as error:
        abort_for(error)
    flash(_("Saved."), "success")
    return _back(meeting)


@bp.route("/feedback/questions/new", methods=["GET", "POST"])
@login_required
@meeting_page(write=True)
def new_question(meeting: Meeting):
    """Add an organiser's question."""
    form = QuestionForm(meta={"languages": meeting.content_languages})
    if form.validate_on_submit():
        try:
            services.add_question(current_user, meeting.id, label=form.label.data,
                                  kind=form.kind.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return _back(meeting)
    return render_template("organiser/feedback_question.html", form=form, question=None,
                           **meeting_context(meeting, "feedback")), 422 if form.errors else 200


@bp.route("/feedback/questions/<int:question_id>", methods=["GET", "POST"])
@login_required
@meeting_page()
def edit_question(meeting: Meeting, question_id: int):
    """Change an organiser's question."""
    try:
        question = services.get_question(current_user, meeting.id, question_id)
    except DomainError as error:
        abort_for(error)
    form = QuestionForm(meta={"languages": meeting.content_languages})
    if form.is_submitted():
        refuse_read_only(meeting)
    else:
        form.label.data, form.kind.data = question.label, question.kind.value
    if form.validate_on_submit():
        try:
            services.update_question(current_user, question, label=form.label.data,
                                     kind=form.kind.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return _back(meeting)
    return render_template("organiser/feedback_question.html", form=form, question=question,
                           button=ConfirmForm(), **meeting_context(meeting, "feedback")), (
        422 if form.errors else 200)


@bp.post("/feedback/questions/<int:question_id>/<any(up, down, delete):action>")
@login_required
@meeting_page(write=True)
def question_action(meeting: Meeting, question_id: int, action: str):
    """Move or remove an organiser's question."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        question = services.get_question(current_user, meeting.id, question_id, write=True)
        if action == "delete":
            services.delete_question(current_user, question)
            flash(_("The question was deleted."), "success")
        else:
            services.move_question(current_user, question, -1 if action == "up" else 1)
    except DomainError as error:
        abort_for(error)
    return _back(meeting)


@bp.get("/feedback.csv")
@login_required
@limiter.limit("30 per hour")
@meeting_page()
def export(meeting: Meeting):
    """Every response as CSV, without names, for the meeting's staff."""
    try:
        body = services.export_csv(current_user, meeting, current_language())
    except DomainError as error:
        abort_for(error)
    return csv_download(body, f"feedback-{meeting.slug}.csv")


@bp.app_template_global()
def feedback_kind_label(kind) -> str:
    """The translated kind of a survey question, for templates."""
    return str(KIND_LABELS.get(kind, kind))
