"""The meeting report's pages: the staff page and editor, the public page, the exports."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.board import services as board_services
from webapp.core.i18n import LANGUAGES, current_language, pin_language
from webapp.core.viewer import viewer_timezone
from webapp.errors import DomainError, NotFound
from webapp.extensions import limiter
from webapp.media import services as media_services
from webapp.meetings import services as meeting_services
from webapp.meetings.forms import ConfirmForm
from webapp.meetings.models import Meeting
from webapp.reports import services
from webapp.reports.forms import PublishForm, ReportTextsForm
from webapp.reports.models import SECTIONS
from webapp.web.pages import abort_for, meeting_context, meeting_page, refuse_read_only

bp = Blueprint("reports", __name__)

#: The report's own stylesheet (screen and print), inlined in the standalone file.
REPORT_CSS = "css/report.css"


@bp.app_template_global()
def report_published(meeting) -> bool:
    """Whether the meeting page links to a public report."""
    return services.is_published(meeting.id)


def _language(meeting: Meeting) -> str:
    """The report's language: `?lang=` when it is a meeting language, else the reader's when
    it is one, else the meeting's default; the page's own words follow it."""
    asked = request.args.get("lang")
    languages = meeting.content_languages
    if asked in languages:
        language = asked
    elif current_language() in languages:
        language = current_language()
    else:
        language = meeting.default_language
    if language in LANGUAGES:
        pin_language(language)
    return language


def _build(meeting: Meeting, language: str, *, with_viewer: bool = True):
    return services.build(meeting, language, viewer_timezone() if with_viewer else None)


def _public_meeting(slug: str) -> Meeting:
    try:
        meeting = meeting_services.get_visible(slug, current_user)
        services.get_meeting_report(meeting, current_user)
    except NotFound:
        abort(404)
    return meeting


@bp.get("/organiser/meetings/<int:meeting_id>/report")
@login_required
@meeting_page()
def staff(meeting: Meeting):
    """The draft (or published) report for the meeting's staff, with its actions."""
    language = _language(meeting)
    return render_template(
        "reports/staff.html", report=_build(meeting, language), language=language,
        publish_form=PublishForm(), button=ConfirmForm(),
        posts=board_services.quotable_posts(current_user, meeting),
        **meeting_context(meeting, "report"))


@bp.route("/organiser/meetings/<int:meeting_id>/report/edit", methods=["GET", "POST"])
@login_required
@meeting_page()
def edit(meeting: Meeting):
    """Edit the report's prose in every meeting language; the figures are not editable."""
    stored = services.stored(meeting.id)
    data = {"intro": stored.intro if stored and not stored.intro.is_blank()
            else services.drafted_intros(meeting)}
    for section in SECTIONS:
        data[f"{section}_note"] = stored.note(section) if stored else None
    form = ReportTextsForm(data=data, meta={"languages": meeting.content_languages})
    if request.method == "POST":
        refuse_read_only(meeting)
        if form.validate_on_submit():
            try:
                services.save_texts(current_user, meeting, intro=form.intro.data, notes={
                    section: getattr(form, f"{section}_note").data for section in SECTIONS})
            except DomainError as error:
                abort_for(error)
            flash(_("Saved."), "success")
            return redirect(url_for("reports.staff", meeting_id=meeting.id))
    return render_template("reports/edit.html", form=form,
                           **meeting_context(meeting, "report")), 422 if form.errors else 200


def _publication(meeting: Meeting, action) -> Response:
    if not PublishForm().validate_on_submit():
        abort(400)
    try:
        action(current_user, meeting)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("reports.staff", meeting_id=meeting.id))


@bp.post("/organiser/meetings/<int:meeting_id>/report/publish")
@login_required
@meeting_page(write=True)
def publish(meeting: Meeting):
    """Publish the report at /m/<slug>/report."""
    return _publication(meeting, services.publish)


@bp.post("/organiser/meetings/<int:meeting_id>/report/unpublish")
@login_required
@meeting_page(write=True)
def unpublish(meeting: Meeting):
    """Take the report back to a draft."""
    return _publication(meeting, services.unpublish)


@bp.get("/m/<slug>/report")
def public(slug: str):
    """The published report (staff see the draft too); anyone else gets 404 until then."""
    meeting = _public_meeting(slug)
    language = _language(meeting)
    return render_template("reports/public.html", report=_build(meeting, language),
                           language=language, meeting=meeting)


def _download(body: str, mimetype: str, filename: str) -> Response:
    return Response(body, headers={"Content-Type": f"{mimetype}; charset=utf-8",
                                   "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/m/<slug>/report.md")
@limiter.limit("60 per minute")
def markdown(slug: str):
    """The report as Markdown for a website (user text escaped)."""
    meeting = _public_meeting(slug)
    language = _language(meeting)
    body = services.to_markdown(_build(meeting, language, with_viewer=False))
    return _download(body, "text/markdown", f"report-{meeting.slug}-{language}.md")


def inline_css() -> str:
    """The report's stylesheet, for the standalone file."""
    return (Path(current_app.static_folder) / REPORT_CSS).read_text(encoding="utf-8")


@bp.get("/m/<slug>/report.html")
@limiter.limit("60 per minute")
def standalone(slug: str):
    """The report as one HTML file: styles inlined, no scripts, nothing fetched.

    Pictures go in as data: URIs through `image_uri(image, size)`.
    """
    meeting = _public_meeting(slug)
    language = _language(meeting)
    body = render_template("reports/standalone.html", report=_build(meeting, language,
                                                                     with_viewer=False),
                           language=language, meeting=meeting, css=inline_css(),
                           image_uri=media_services.data_uri)
    return _download(body, "text/html", f"report-{meeting.slug}-{language}.html")


bp.add_app_template_global(services.duration_text, "duration_text")
