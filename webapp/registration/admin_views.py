"""Organiser pages: the registrations of a meeting and its custom registration questions.

The list is paged on the server (100 rows a page) with filters in the query string, so a
meeting of any size stays quick and every filtered view has its own address to share.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.forms import show_error
from webapp.core.i18n import LANGUAGES, current_language
from webapp.core.localized_fields import join_lines, split_lines
from webapp.core.text import forbidden_character
from webapp.errors import DomainError
from webapp.meetings.forms import ConfirmForm
from webapp.meetings.models import Meeting
from webapp.registration import admin_services
from webapp.registration import services as registration_services
from webapp.registration.admin_forms import BULK_ACTIONS, QUESTION_KIND_LABELS, QuestionForm
from webapp.registration.export import registrations_csv
from webapp.registration.labels import ORGANISATION_TYPE_LABELS, STATUS_LABELS
from webapp.registration.models import QuestionKind
from webapp.registration.services import questions as registration_questions
from webapp.web.downloads import csv_download
from webapp.web.pages import (
    abort_for,
    meeting_context,
    meeting_page,
    refuse_read_only,
)

bp = Blueprint("registration_admin", __name__,
               url_prefix="/organiser/meetings/<int:meeting_id>")

#: One-registration actions: name -> (call, success message).
ACTIONS = {
    "approve": (lambda actor, r: registration_services.approve(actor, r),
                lambda: _("Approved.")),
    "reject": (lambda actor, r: registration_services.reject(actor, r),
               lambda: _("Rejected.")),
    "promote": (lambda actor, r: registration_services.promote(actor, r),
                lambda: _("Promoted from the waiting list.")),
    "cancel": (lambda actor, r: registration_services.cancel(r, actor=actor),
               lambda: _("Cancelled.")),
    "resend": (lambda actor, r: registration_services.resend_link(r.meeting, r.email),
               lambda: _("The personal link was sent again.")),
    "reissue": (lambda actor, r: registration_services.reissue_link(actor, r),
                lambda: _("A new personal link was sent; the old one no longer works.")),
    "revoke": (lambda actor, r: registration_services.revoke_link(actor, r),
               lambda: _("The personal link no longer works.")),
}
FILTER_KEYS = ("q", "status", "type", "country", "language", "joined", "sort", "desc", "page")


def _arg(name: str, limit: int = 200) -> str:
    value = request.args.get(name, "")
    if len(value) > limit or forbidden_character(value) is not None:
        return ""
    return value


def _wanted() -> admin_services.RegistrationFilter:
    try:
        page = int(_arg("page", 6) or 1)
    except ValueError:
        page = 1
    return admin_services.RegistrationFilter(
        search=_arg("q"), status=_arg("status", 24), organisation_type=_arg("type", 24),
        country=_arg("country", 2), language=_arg("language", 16), joined=_arg("joined", 3),
        sort=_arg("sort", 24) or "created", descending=_arg("desc", 1) == "1", page=page,
    )


def _current_filters() -> dict:
    return {key: _arg(key) for key in FILTER_KEYS if _arg(key)}


@bp.get("/registrations")
@login_required
@meeting_page()
def registrations(meeting: Meeting):
    """The registrations of a meeting, filtered and paged."""
    wanted = _wanted()
    page = admin_services.list_registrations(current_user, meeting.id, wanted)
    figures = admin_services.figures(current_user, meeting.id)
    filters = _current_filters()

    def link(**changes):
        values = {**filters, **changes}
        return url_for("registration_admin.registrations", meeting_id=meeting.id,
                       **{k: v for k, v in values.items() if v not in ("", None)})

    def sort_link(key):
        descending = wanted.sort == key and not wanted.descending
        return link(sort=key, desc="1" if descending else "", page="")

    return render_template(
        "organiser/registrations.html", page=page, wanted=wanted, figures=figures,
        link=link, sort_link=sort_link, filters=filters, query=urlencode(filters),
        statuses=STATUS_LABELS, types=ORGANISATION_TYPE_LABELS, languages=LANGUAGES,
        countries=[code for code, _n in figures.by_country if code],
        bulk_actions=BULK_ACTIONS, button=ConfirmForm(),
        **meeting_context(meeting, "registrations"),
    )


@bp.get("/registrations.csv")
@login_required
@meeting_page(write=True)
def export_csv(meeting: Meeting):
    """Every registration as CSV."""
    rows = admin_services.all_registrations(current_user, meeting.id, _wanted())
    data = registrations_csv(rows, registration_questions(meeting), current_language())
    return csv_download(data, f"registrations-{meeting.slug}.csv")


@bp.get("/registrations/<int:registration_id>")
@login_required
@meeting_page()
def registration(meeting: Meeting, registration_id: int):
    """One registration with its answers."""
    try:
        person = admin_services.get_registration(current_user, meeting.id, registration_id)
    except DomainError as error:
        abort_for(error)
    answers = [(q.label, (person.answers or {}).get(str(q.id)))
               for q in registration_questions(meeting)]
    return render_template("organiser/registration.html", person=person, answers=answers,
                           button=ConfirmForm(), **meeting_context(meeting, "registrations"))


@bp.post("/registrations/<int:registration_id>/<action>")
@login_required
@meeting_page(write=True)
def act(meeting: Meeting, registration_id: int, action: str):
    """Approve, reject, promote or cancel one registration."""
    if action not in ACTIONS:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        person = admin_services.get_registration(current_user, meeting.id, registration_id,
                                                 write=True)
    except DomainError as error:
        abort_for(error)
    call, message = ACTIONS[action]
    try:
        call(current_user, person)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(message(), "success")
    return redirect(url_for("registration_admin.registration", meeting_id=meeting.id,
                            registration_id=registration_id))


@bp.post("/registrations/bulk")
@login_required
@meeting_page(write=True)
def bulk(meeting: Meeting):
    """The same action on the ticked registrations."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    action = request.form.get("action", "")
    if action not in BULK_ACTIONS:
        flash(_("Choose what to do with the selected registrations."), "error")
    else:
        ids = [int(v) for v in request.form.getlist("ids") if v.isdigit() and len(v) < 12]
        people = admin_services.registrations_by_ids(current_user, meeting.id, ids)
        done, failed = 0, 0
        call = ACTIONS[action][0]
        for person in people:
            try:
                call(current_user, person)
            except DomainError:
                failed += 1
            else:
                done += 1
        if not people:
            flash(_("Select at least one registration."), "error")
        else:
            flash(_("Done for %(done)d of %(total)d selected registrations.",
                    done=done, total=done + failed), "success" if not failed else "error")
    query = dict(parse_qsl(request.form.get("query", "")[:2000]))
    query = {k: v for k, v in query.items() if k in FILTER_KEYS}
    return redirect(url_for("registration_admin.registrations", meeting_id=meeting.id, **query))


@bp.get("/registrations/<int:registration_id>/export.json")
@login_required
@meeting_page(write=True)
def export_person(meeting: Meeting, registration_id: int):
    """Everything stored about one attendee, as JSON (access requests)."""
    try:
        person = admin_services.get_registration(current_user, meeting.id, registration_id,
                                                 write=True)
        data = registration_services.export_person(current_user, person)
    except DomainError as error:
        abort_for(error)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, headers={
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": f'attachment; filename="registration-{person.id}.json"',
        "Cache-Control": "no-store",
    })


# --- custom registration questions ---------------------------------------------------------

@bp.get("/questions")
@login_required
@meeting_page()
def questions(meeting: Meeting):
    """The extra questions of the registration form."""
    return render_template("organiser/questions.html", rows=registration_questions(meeting),
                           button=ConfirmForm(), kinds=QuestionKind,
                           **meeting_context(meeting, "questions"))


def _question_values(form: QuestionForm) -> dict:
    return dict(label=form.label.data, help_text=form.help_text.data,
                kind=form.kind.data, required=form.required.data,
                choices=split_lines(form.choices.data))


@bp.route("/questions/new", methods=["GET", "POST"])
@login_required
@meeting_page(write=True)
def new_question(meeting: Meeting):
    """Add an extra question."""
    form = QuestionForm(meta={"languages": meeting.content_languages})
    if form.validate_on_submit():
        try:
            admin_services.add_question(current_user, meeting.id, **_question_values(form))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("registration_admin.questions", meeting_id=meeting.id))
    return render_template("organiser/question_form.html", form=form, question=None,
                           **meeting_context(meeting, "questions"))


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@login_required
@meeting_page()
def edit_question(meeting: Meeting, question_id: int):
    """Change an extra question."""
    try:
        question = admin_services.get_question(current_user, meeting.id, question_id)
    except DomainError as error:
        abort_for(error)
    form = QuestionForm(meta={"languages": meeting.content_languages})
    if form.is_submitted():
        refuse_read_only(meeting)
    else:
        form.label.data, form.help_text.data = question.label, question.help_text
        form.kind.data, form.required.data = question.kind.value, question.required
        form.choices.data = join_lines(label for _key, label in question.options())
    if form.validate_on_submit():
        try:
            admin_services.update_question(current_user, question, **_question_values(form))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("registration_admin.questions", meeting_id=meeting.id))
    return render_template("organiser/question_form.html", form=form, question=question,
                           button=ConfirmForm(), **meeting_context(meeting, "questions"))


@bp.post("/questions/<int:question_id>/<any(up, down, delete):action>")
@login_required
@meeting_page(write=True)
def question_action(meeting: Meeting, question_id: int, action: str):
    """Move or remove an extra question."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        question = admin_services.get_question(current_user, meeting.id, question_id,
                                               write=True)
        if action == "delete":
            admin_services.delete_question(current_user, question)
            flash(_("The question was deleted."), "success")
        else:
            admin_services.move_question(current_user, question, -1 if action == "up" else 1)
    except DomainError as error:
        abort_for(error)
    return redirect(url_for("registration_admin.questions", meeting_id=meeting.id))


@bp.app_template_global()
def question_kind_label(kind) -> str:
    """The translated kind of a question, for templates."""
    return str(QUESTION_KIND_LABELS.get(kind, kind))

