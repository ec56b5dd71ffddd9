"""Organiser pages for meetings and series: editor pages, publish, organiser home."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp.agenda import clock_services
from webapp.core.forms import show_error
from webapp.core.localized_fields import join_lines, split_lines
from webapp.errors import DomainError
from webapp.media.forms import upload_bytes
from webapp.media.views import accepts_pictures
from webapp.meetings import checklist, duplicate, services
from webapp.meetings.forms import (
    BoardSettingsForm,
    ConfirmForm,
    LogoForm,
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
        accent_colour=form.accent_colour.data or None,
    )


def _fill(form: MeetingDetailsForm, details: services.MeetingDetails) -> None:
    form.title.data, form.slug.data = details.title, details.slug
    form.show_zone(details.timezone)
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
    form.accent_colour.data = details.accent_colour or ""


@bp.route("/meetings/new", methods=["GET", "POST"])
@accepts_pictures
@login_required
def new_meeting():
    """Create a meeting."""
    if not services.may_create_meetings(current_user):
        abort(403)
    form = MeetingDetailsForm(series=services.organised_series(current_user))
    if not form.is_submitted():
        form.show_zone("Asia/Shanghai")
        form.retention_days.data = 180
        form.languages.data = ["en"]
        form.default_language.data = "en"
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(current_user, _details_from(form),
                                              banner=upload_bytes(form.banner))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The meeting was created as a draft."), "success")
            return redirect(url_for("meeting_admin.details", meeting_id=meeting.id))
    return render_template("organiser/meeting_new.html", form=form)


@bp.route("/meetings/<int:meeting_id>/details", methods=["GET", "POST"])
@accepts_pictures
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
            services.update_details(current_user, meeting, _details_from(form),
                                    banner=upload_bytes(form.banner),
                                    remove_banner=form.remove_banner.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("meeting_admin.details", meeting_id=meeting.id))
    return _details_page(meeting, form)


def _details_page(meeting: Meeting, form, logo_forms: dict | None = None, status: int = 200):
    logo_forms = logo_forms or {}
    forms = {org.id: logo_forms.get(org.id) or LogoForm(prefix=f"logo-{org.id}", formdata=None)
             for org in meeting.organisations}
    return render_template("organiser/meeting_details.html", form=form,
                           completeness=services.content_completeness(meeting),
                           agenda_length=clock_services.agenda_length(meeting),
                           checklist=checklist.checklist(meeting), checklist_form=ConfirmForm(),
                           may_duplicate=duplicate.may_duplicate(current_user, meeting),
                           logo_forms=forms, publish_form=ConfirmForm(),
                           **meeting_context(meeting, "details")), status


@bp.post("/meetings/<int:meeting_id>/organisations/<int:organisation_id>/logo")
@accepts_pictures
@login_required
@meeting_page(write=True)
def organisation_logo(meeting: Meeting, organisation_id: int):
    """Upload or remove the logo of one organisation of the meeting."""
    refuse_read_only(meeting)
    logo_form = LogoForm(prefix=f"logo-{organisation_id}")
    if logo_form.validate_on_submit():
        try:
            services.set_organisation_logo(current_user, meeting, organisation_id,
                                           logo=upload_bytes(logo_form.logo),
                                           remove=logo_form.remove_logo.data)
        except DomainError as error:
            if error.code == "not_found":
                abort_for(error)
            show_error(logo_form, error, fallback="logo")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("meeting_admin.details", meeting_id=meeting.id)
                            + "#logos")
    form = MeetingDetailsForm(series=services.organised_series(current_user,
                                                               keep=meeting.series_id),
                              meta={"languages": meeting.content_languages}, formdata=None)
    _fill(form, services.MeetingDetails.of(meeting))
    return _details_page(meeting, form, {organisation_id: logo_form}, status=400)


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


#: Where each checklist step that is done by opening a page leads: (step, target) -> endpoint
#: and whether it takes the meeting's slug (public pages) or its id (organiser pages).
CHECKLIST_TARGETS = {
    ("registration_form", "questions"): ("registration_admin.questions", False),
    ("try_attendee", "public"): ("meetings.meeting_page", True),
    ("try_attendee", "live"): ("qa.live", True),
}


@bp.post("/meetings/<int:meeting_id>/checklist/<step>/<target>")
@login_required
@meeting_page(write=True)
def open_checklist_step(meeting: Meeting, step: str, target: str):
    """Mark a checklist step that nothing else records, then open the page it is done on."""
    if (step, target) not in CHECKLIST_TARGETS:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        checklist.mark(current_user, meeting, step)
    except DomainError as error:
        abort_for(error)
    endpoint, by_slug = CHECKLIST_TARGETS[step, target]
    return redirect(url_for(endpoint, slug=meeting.slug) if by_slug
                    else url_for(endpoint, meeting_id=meeting.id))


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
@accepts_pictures
@login_required
def new_series():
    """Create a series of meetings."""
    if not services.may_create_meetings(current_user):
        abort(403)
    form = SeriesForm()
    if form.validate_on_submit():
        try:
            services.create_series(current_user, slug=form.slug.data, title=form.title.data,
                                   description=form.description.data or "",
                                   accent_colour=form.accent_colour.data or None,
                                   banner=upload_bytes(form.banner))
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
@accepts_pictures
@login_required
def edit_series(series_id: int):
    """Edit a series."""
    series = _organised_series(series_id)
    form = SeriesForm(obj=series)
    if form.validate_on_submit():
        try:
            services.update_series(current_user, series, slug=form.slug.data,
                                   title=form.title.data,
                                   description=form.description.data or "",
                                   accent_colour=form.accent_colour.data or None,
                                   banner=upload_bytes(form.banner),
                                   remove_banner=form.remove_banner.data)
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
