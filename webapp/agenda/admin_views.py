"""Organiser pages for the agenda and speakers (no JavaScript needed, keyboard friendly)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.agenda import clock_services, services
from webapp.agenda.forms import KIND_LABELS, AgendaItemForm, SpeakerForm
from webapp.agenda.models import ROLE_LABELS
from webapp.core.forms import show_error
from webapp.core.timefmt import zone_times
from webapp.core.viewer import viewer_timezone
from webapp.errors import DomainError
from webapp.media.forms import upload_bytes
from webapp.media.views import accepts_pictures
from webapp.meetings.forms import ConfirmForm
from webapp.meetings.models import Meeting
from webapp.web.pages import (
    abort_for,
    managed_meeting,
    meeting_context,
    meeting_page,
    refuse_read_only,
)

bp = Blueprint("agenda_admin", __name__, url_prefix="/organiser/meetings/<int:meeting_id>")


def _when(meeting):
    locale, zone = str(get_locale()), viewer_timezone()
    return lambda moment: zone_times(moment, meeting.zones, zone, locale)


@bp.get("/agenda")
@login_required
@meeting_page(loads=services.agenda_loads)
def agenda(meeting: Meeting):
    """The agenda editor: items in order with their planned minutes."""
    return render_template("organiser/agenda.html", schedule=services.timetable(meeting),
                           agenda_length=clock_services.agenda_length(meeting),
                           when=_when(meeting), button=ConfirmForm(),
                           **meeting_context(meeting, "agenda"))


def _item_form_values(form: AgendaItemForm) -> dict:
    return dict(title=form.title.data, description=form.description.data or "",
                kind=form.kind.data, planned_minutes=form.planned_minutes.data,
                speakers=form.speaker_choices())


def _picker(meeting: Meeting) -> dict:
    """What the speaker picker's script needs: the meeting's speakers, the roles, its words."""
    return dict(
        picker_speakers=[{"id": s.id, "name": s.name, "affiliation": str(s.affiliation),
                          "title": str(s.title)} for s in meeting.speakers],
        picker_roles=[[role.value, str(label)] for role, label in ROLE_LABELS.items()],
        picker_strings={
            "up": _("Move up"), "down": _("Move down"), "remove": _("Remove"),
            "role": _("Role"), "none": _("No speaker matches."),
            "added": _("%(name)s added.", name="{name}"),
            "removed": _("%(name)s removed.", name="{name}"),
            "moved": _("%(name)s is now number %(n)s.", name="{name}", n="{n}"),
            "full": _("At most %(n)d speakers per item.", n=services.MAX_SPEAKERS_PER_ITEM),
            "max": services.MAX_SPEAKERS_PER_ITEM,
        })


@bp.route("/agenda/new", methods=["GET", "POST"])
@login_required
@meeting_page(write=True)
def new_item(meeting: Meeting):
    """Add an agenda item."""
    form = AgendaItemForm(speakers=meeting.speakers,
                          meta={"languages": meeting.content_languages})
    if not form.is_submitted():
        form.planned_minutes.data = 15
    if form.validate_on_submit():
        try:
            services.add_item(current_user, meeting.id, **_item_form_values(form))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("agenda_admin.agenda", meeting_id=meeting.id))
    return render_template("organiser/agenda_item.html", form=form, item=None,
                           **_picker(meeting), **meeting_context(meeting, "agenda"))


@bp.route("/agenda/<int:item_id>", methods=["GET", "POST"])
@login_required
@meeting_page()
def edit_item(meeting: Meeting, item_id: int):
    """Change an agenda item."""
    try:
        item = services.get_item(current_user, meeting.id, item_id)
    except DomainError as error:
        abort_for(error)
    form = AgendaItemForm(speakers=meeting.speakers, links=item.speaker_links,
                          meta={"languages": meeting.content_languages})
    if form.is_submitted():
        refuse_read_only(meeting)
    else:
        form.title.data, form.kind.data = item.title, item.kind.value
        form.planned_minutes.data, form.description.data = item.planned_minutes, item.description
    if form.validate_on_submit():
        try:
            services.update_item(current_user, item, **_item_form_values(form))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("agenda_admin.agenda", meeting_id=meeting.id))
    return render_template("organiser/agenda_item.html", form=form, item=item,
                           button=ConfirmForm(), **_picker(meeting),
                           **meeting_context(meeting, "agenda"))


def _item_action(meeting_id: int, item_id: int, action) -> object:
    meeting = managed_meeting(meeting_id, write=True)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        item = services.get_item(current_user, meeting.id, item_id, write=True)
        action(item)
    except DomainError as error:
        abort_for(error)
    return meeting


@bp.post("/agenda/<int:item_id>/up")
@login_required
def move_up(meeting_id: int, item_id: int):
    """Move an item one place earlier."""
    _item_action(meeting_id, item_id, lambda item: services.move_item(current_user, item, -1))
    return redirect(url_for("agenda_admin.agenda", meeting_id=meeting_id,
                            _anchor=f"item-{item_id}"))


@bp.post("/agenda/<int:item_id>/down")
@login_required
def move_down(meeting_id: int, item_id: int):
    """Move an item one place later."""
    _item_action(meeting_id, item_id, lambda item: services.move_item(current_user, item, 1))
    return redirect(url_for("agenda_admin.agenda", meeting_id=meeting_id,
                            _anchor=f"item-{item_id}"))


@bp.post("/agenda/<int:item_id>/delete")
@login_required
def delete_item(meeting_id: int, item_id: int):
    """Remove an item from the agenda."""
    _item_action(meeting_id, item_id, lambda item: services.delete_item(current_user, item))
    flash(_("The agenda item was deleted."), "success")
    return redirect(url_for("agenda_admin.agenda", meeting_id=meeting_id))


# --- speakers ------------------------------------------------------------------------------

@bp.get("/speakers")
@login_required
@meeting_page()
def speakers(meeting: Meeting):
    """The meeting's speakers."""
    return render_template("organiser/speakers.html", button=ConfirmForm(),
                           **meeting_context(meeting, "speakers"))


def _speaker_values(form: SpeakerForm) -> dict:
    return dict(name=form.name.data, title=form.title.data or "",
                affiliation=form.affiliation.data or "", bio=form.bio.data or "",
                photo=upload_bytes(form.photo))


@bp.route("/speakers/new", methods=["GET", "POST"])
@accepts_pictures
@login_required
@meeting_page(write=True)
def new_speaker(meeting: Meeting):
    """Add a speaker."""
    form = SpeakerForm(meta={"languages": meeting.content_languages})
    if form.validate_on_submit():
        try:
            services.add_speaker(current_user, meeting.id, **_speaker_values(form))
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("agenda_admin.speakers", meeting_id=meeting.id))
    return render_template("organiser/speaker_form.html", form=form, speaker=None,
                           **meeting_context(meeting, "speakers"))


@bp.route("/speakers/<int:speaker_id>", methods=["GET", "POST"])
@accepts_pictures
@login_required
@meeting_page()
def edit_speaker(meeting: Meeting, speaker_id: int):
    """Change a speaker."""
    try:
        speaker = services.get_speaker(current_user, meeting.id, speaker_id)
    except DomainError as error:
        abort_for(error)
    form = SpeakerForm(obj=speaker, meta={"languages": meeting.content_languages})
    if form.is_submitted():
        refuse_read_only(meeting)
    if form.validate_on_submit():
        try:
            services.update_speaker(current_user, speaker, **_speaker_values(form),
                                    remove_photo=form.remove_photo.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("agenda_admin.speakers", meeting_id=meeting.id))
    return render_template("organiser/speaker_form.html", form=form, speaker=speaker,
                           button=ConfirmForm(), **meeting_context(meeting, "speakers"))


@bp.post("/speakers/<int:speaker_id>/delete")
@login_required
@meeting_page(write=True)
def delete_speaker(meeting: Meeting, speaker_id: int):
    """Remove a speaker; the items they were on stay."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        speaker = services.get_speaker(current_user, meeting.id, speaker_id, write=True)
        services.delete_speaker(current_user, speaker)
    except DomainError as error:
        abort_for(error)
    flash(_("The speaker was deleted."), "success")
    return redirect(url_for("agenda_admin.speakers", meeting_id=meeting.id))


@bp.app_template_global()
def kind_label(kind) -> str:
    """The translated name of an item kind, for templates."""
    return str(KIND_LABELS.get(kind, kind))
