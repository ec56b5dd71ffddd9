"""Organiser pages for meetings and series: editor pages, publish, organiser home."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp.core.forms import show_error
from webapp.core.localized_fields import join_lines, split_lines
from webapp.errors import DomainError
from webapp.meetings import duplicate, services
from webapp.meetings.forms import (
    BoardSettingsForm,
    ConfirmForm,
    MeetingDetailsForm,
    NextSessionForm,
    QASettingsForm,
    SeriesForm,
    SeriesOrganiserForm,
    lines,
)
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.web.pages import (
    abort_for,
    meeting_context,
    meeting_page,
    refuse_read_only,
)

bp = Blueprint("meeting_admin", __name__, url_prefix="/organiser")


@bp.get("/")
@login_required  # the view loads the meeting through a permission check
def home():
    """The organiser's meetings and series."""
    meetings = services.managed_meetings(current_user)
    may_create = services.may_create_meetings(current_user)
    if not meetings and not may_create:
        abort(403)
    return render_template("organiser/home.html", meetings=meetings, may_create=may_create,
                           series=services.organised_series(current_user))


def _details_from(form: MeetingDetailsForm) -> services.MeetingDetails:
    return services.MeetingDetails(
        title=form.title.data, slug=form.slug.data, timezone=form.timezone.data,
        partner_timezones=lines(form.partner_timezones.data),
        starts_local=form.starts_local.data, planned_end_local=form.planned_end_local.data,
        latest_end_local=form.latest_end_local.data, description=form.description.data or "",
        series_id=int(form.series_id.data) if form.series_id.data else None,
        session_number=form.session_number.data, languages=list(form.languages.data or []),
        default_language=form.default_language.data,
        confirmation_text=form.confirmation_text.data, follow_up_text=form.follow_up_text.data,
        capacity=form.capacity.data, registration_mode=form.registration_mode.data,
        recording_url=form.recording_url.data or None,
        recording_started_local=form.recording_started_local.data,
        stream_url=form.stream_url.data or None,
        retention_days=form.retention_days.data, hosts=split_lines(form.hosts.data),
        partners=split_lines(form.partners.data), supporters=split_lines(form.supporters.data),
    )


def _fill(form: MeetingDetailsForm, details: services.MeetingDetails) -> None:
    form.title.data, form.slug.data = details.title, details.slug
    form.timezone.data = details.timezone
    form.partner_timezones.data = "\n".join(details.partner_timezones)
    form.starts_local.data = details.starts_local
    form.planned_end_local.data = details.planned_end_local
    form.latest_end_local.data = details.latest_end_local
    form.description.data = details.description
    form.series_id.data = str(details.series_id) if details.series_id else ""
    form.session_number.data = details.session_number
    form.languages.data = details.languages
    form.default_language.data = details.default_language
    form.confirmation_text.data = details.confirmation_text
    form.follow_up_text.data = details.follow_up_text
    form.capacity.data = details.capacity
    form.registration_mode.data = details.registration_mode.value
    form.recording_url.data = details.recording_url or ""
    form.recording_started_local.data = details.recording_started_local
    form.stream_url.data = details.stream_url or ""
    form.retention_days.data = details.retention_days
    form.hosts.data = join_lines(details.hosts)
    form.partners.data = join_lines(details.partners)
    form.supporters.data = join_lines(details.supporters)


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new_meeting():
    """Create a meeting."""
    if not services.may_create_meetings(current_user):
        abort(403)
    form = MeetingDetailsForm(series=services.organised_series(current_user))
    if not form.is_submitted():
        form.timezone.data = "Asia/Shanghai"
        form.retention_days.data = 180
        form.languages.data = ["en"]
        form.default_language.data = "en"
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(current_user, _details_from(form))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The meeting was created as a draft."), "success")
            return redirect(url_for("meeting_admin.details", meeting_id=meeting.id))
    return render_template("organiser/meeting_new.html", form=form)


@bp.route("/meetings/<int:meeting_id>/details", methods=["GET", "POST"])
@login_required
@meeting_page()
def details(meeting: Meeting):
    """Edit a meeting's details."""
    form = MeetingDetailsForm(series=services.organised_series(current_user,
                                                               keep=meeting.series_id),
                              meta={"languages": meeting.content_languages})
    if form.is_submitted():
        refuse_read_only(meeting)
    else:
        _fill(form, services.MeetingDetails.of(meeting))
    if form.validate_on_submit():
        try:
            services.update_details(current_user, meeting, _details_from(form))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("meeting_admin.details", meeting_id=meeting.id))
    return render_template("organiser/meeting_details.html", form=form,
                           completeness=services.content_completeness(meeting),
                           may_duplicate=duplicate.may_duplicate(current_user, meeting),
                           publish_form=ConfirmForm(), **meeting_context(meeting, "details"))


@bp.route("/meetings/<int:meeting_id>/next-session", methods=["GET", "POST"])
@login_required
@meeting_page(write=True)
def next_session(meeting: Meeting):
    """Duplicate a series meeting as its next session: the organiser picks the start."""
    try:
        duplicate.get_source(current_user, meeting.id)
    except DomainError as error:
        abort_for(error)
    form = NextSessionForm(meta={"languages": meeting.content_languages})
    if not form.is_submitted():
        form.starts_local.data = duplicate.suggested_start(meeting)
        form.title.data = duplicate.suggested_title(meeting)
        form.slug.data = duplicate.suggested_slug(meeting)
    if form.validate_on_submit():
        try:
            created = duplicate.duplicate(current_user, meeting.id,
                                          starts_local=form.starts_local.data,
                                          title=form.title.data, slug=form.slug.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The next session was created as a draft."), "success")
            return redirect(url_for("meeting_admin.details", meeting_id=created.id))
    return render_template("organiser/next_session.html", form=form,
                           next_number=duplicate.next_number(meeting),
                           **meeting_context(meeting, "details"))


@bp.post("/meetings/<int:meeting_id>/publish")
@login_required
@meeting_page(write=True)
def publish(meeting: Meeting):
    """Publish a draft or take it back to draft."""
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.set_published(current_user, meeting, not meeting.is_public)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The meeting is published.") if meeting.is_public
                  else _("The meeting is a draft again."), "success")
    return redirect(url_for("meeting_admin.details", meeting_id=meeting.id))


def _qa_form(meeting, submitted: bool) -> QASettingsForm:
    """The Q&A settings form: the posted values, or the meeting's current ones."""
    form = QASettingsForm(prefix="qa") if submitted else QASettingsForm(prefix="qa",
                                                                         formdata=None)
    if not submitted:
        form.moderation.data = meeting.qa_moderation.value
        form.open_.data = meeting.qa_open
        form.anonymous.data = meeting.anonymous_questions
        form.after_meeting.data = meeting.after_meeting_questions
        form.max_length.data = meeting.question_max_length
    return form


def _board_form(meeting, submitted: bool) -> BoardSettingsForm:
    """The board settings form: the posted values, or the meeting's current ones."""
    form = (BoardSettingsForm(prefix="board") if submitted
            else BoardSettingsForm(prefix="board", formdata=None))
    if not submitted:
        form.mode.data = meeting.board_mode.value
        form.slow_seconds.data = meeting.board_slow_seconds
        form.publish_wall.data = meeting.wall_published
    return form


def _settings_page(meeting, qa_form, board_form):
    return render_template("organiser/meeting_qa.html", qa_form=qa_form, board_form=board_form,
                           **meeting_context(meeting, "qa"))


def _saved(meeting):
    flash(_("Saved."), "success")
    return redirect(url_for("meeting_admin.qa_settings", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/qa", methods=["GET", "POST"])
@login_required
@meeting_page()
def qa_settings(meeting: Meeting):
    """The Q&A and board settings page."""
    return _settings_page(meeting, _qa_form(meeting, False), _board_form(meeting, False))


@bp.post("/meetings/<int:meeting_id>/qa/questions")
@login_required
@meeting_page(write=True)
def save_qa(meeting: Meeting):
    """Save the Q&A settings; open pages get `qa_settings_changed`."""
    qa_form = _qa_form(meeting, True)
    if qa_form.validate_on_submit():
        try:
            services.update_qa_settings(
                current_user, meeting, moderation=qa_form.moderation.data,
                open_=qa_form.open_.data, anonymous=qa_form.anonymous.data,
                max_length=qa_form.max_length.data, after_meeting=qa_form.after_meeting.data)
        except DomainError as error:
            show_error(qa_form, error)
        else:
            return _saved(meeting)
    return _settings_page(meeting, qa_form, _board_form(meeting, False))


@bp.post("/meetings/<int:meeting_id>/qa/board")
@login_required
@meeting_page(write=True)
def save_board(meeting: Meeting):
    """Save the board settings; open pages get `board_settings_changed`."""
    board_form = _board_form(meeting, True)
    if board_form.validate_on_submit():
        try:
            services.update_board_settings(current_user, meeting, mode=board_form.mode.data,
                                           slow_seconds=board_form.slow_seconds.data,
                                           publish_wall=board_form.publish_wall.data)
        except DomainError as error:
            show_error(board_form, error)
        else:
            return _saved(meeting)
    return _settings_page(meeting, _qa_form(meeting, False), board_form)


# --- series --------------------------------------------------------------------------------

@bp.route("/series/new", methods=["GET", "POST"])
@login_required
def new_series():
    """Create a series of meetings."""
    if not services.may_create_meetings(current_user):
        abort(403)
    form = SeriesForm()
    if form.validate_on_submit():
        try:
            services.create_series(current_user, slug=form.slug.data, title=form.title.data,
                                   description=form.description.data or "")
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("meeting_admin.home"))
    return render_template("organiser/series_form.html", form=form, series=None)


def _series_page(series, form, organiser_form, status: int = 200):
    return render_template("organiser/series_form.html", form=form, series=series,
                           organiser_form=organiser_form,
                           organisers=services.series_organisers(series)), status


def _organised_series(series_id: int):
    try:
        return services.get_series(current_user, series_id)
    except DomainError as error:
        abort_for(error)


@bp.route("/series/<int:series_id>", methods=["GET", "POST"])
@login_required
def edit_series(series_id: int):
    """Edit a series."""
    series = _organised_series(series_id)
    form = SeriesForm(obj=series)
    if form.validate_on_submit():
        try:
            services.update_series(current_user, series, slug=form.slug.data,
                                   title=form.title.data,
                                   description=form.description.data or "")
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("meeting_admin.home"))
    return _series_page(series, form, SeriesOrganiserForm(prefix="organiser", formdata=None))


@bp.post("/series/<int:series_id>/organisers")
@login_required
def add_series_organiser(series_id: int):
    """Make an existing staff account an organiser of the series."""
    series = _organised_series(series_id)
    organiser_form = SeriesOrganiserForm(prefix="organiser")
    if organiser_form.validate_on_submit():
        try:
            services.add_series_organiser(current_user, series, organiser_form.email.data)
        except DomainError as error:
            organiser_form.email.errors = [*organiser_form.email.errors, str(error.message)]
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("meeting_admin.edit_series", series_id=series.id))
    return _series_page(series, SeriesForm(obj=series, formdata=None), organiser_form, 422)


MEETING_STATUS_LABELS = {
    MeetingStatus.DRAFT: _l("Draft"),
    MeetingStatus.PUBLISHED: _l("Published"),
    MeetingStatus.LIVE: _l("Live"),
    MeetingStatus.ENDED: _l("Ended"),
}


@bp.app_template_global()
def status_label(status) -> str:
    """The translated meeting status, for templates."""
    return str(MEETING_STATUS_LABELS.get(status, status))
