"""Public meeting and series pages, calendar files and the viewer's time zone choice."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts.permissions import can_moderate
from webapp.agenda import clock_services
from webapp.agenda.models import AgendaItem
from webapp.agenda.services import timetable
from webapp.core.i18n import current_language, template_gettext
from webapp.core.text import forbidden_character
from webapp.core.timefmt import zone_times
from webapp.core.timeutil import is_valid_timezone, utcnow
from webapp.core.viewer import viewer_timezone
from webapp.core.zones import display_zone, zone_options
from webapp.errors import NotFound
from webapp.extensions import db
from webapp.meetings import ics
from webapp.meetings import services as meeting_services
from webapp.meetings.models import Meeting, MeetingStatus, Series
from webapp.registration import attendance_figures
from webapp.registration import services as registration_services
from webapp.registration.forms import registration_form


def page_loads() -> tuple:
    """What the public meeting page shows, loaded with the meeting in three queries instead of
    one per relationship and agenda item. Speakers (with their roles) are joined to their
    items; organisations get their own query, so the meeting row and its long description are
    not repeated once per organisation. Built on call, once every mapper is importable."""
    return (
        joinedload(Meeting.series),
        selectinload(Meeting.organisations),
        selectinload(Meeting.agenda_items).joinedload(AgendaItem.speaker_links),
    )

bp = Blueprint("meetings", __name__)

#: Session key holding form values offered for another session of a series.
PREFILL_KEY = "registration_prefill"


def visible_meeting(slug: str, *, for_page: bool = False) -> Meeting:
    """The meeting or 404; `for_page` also loads what its page shows, in a few queries."""
    try:
        return meeting_services.get_visible(
            slug, current_user, options=page_loads() if for_page else ())
    except NotFound:
        abort(404)


def _when(meeting: Meeting):
    locale = current_language()
    viewer_zone = viewer_timezone()

    def when(moment):
        return zone_times(moment, meeting.zones, viewer_zone, locale)

    return when


def _recording(meeting: Meeting) -> str | None:
    return attendance_figures.recording_address(meeting)


def transcript_url(meeting: Meeting) -> str | None:
    """The Q&A transcript of an ended meeting (the board's transcript page)."""
    return url_for("board.transcript", slug=meeting.slug)


def _prefill_for(meeting: Meeting) -> dict | None:
    stored = session.get(PREFILL_KEY)
    if isinstance(stored, dict) and stored.get("meeting") == meeting.id:
        return {k: v for k, v in stored.items() if k != "meeting"}
    return None


def _speakers_of(schedule) -> list:
    """The agenda's speakers, each once, in order of their first item (read with the items)."""
    return list({speaker.id: speaker for row in schedule for speaker in row.item.speakers
                 }.values())


def render_meeting(meeting: Meeting, form=None, status: int = 200):
    """The meeting page; the registration view renders it again with a form's errors."""
    language = current_language()
    state = registration_services.registration_state(meeting)
    if form is None and state.open:
        form = registration_form(meeting, language, data=_prefill_for(meeting))
    schedule = timetable(meeting)
    body = render_template(
        "meetings/meeting.html",
        meeting=meeting,
        schedule=schedule,
        speakers=_speakers_of(schedule),
        seats_left=state.seats_left,
        state=state,
        form=form,
        when=_when(meeting),
        recording_url=_recording(meeting),
        transcript_url=transcript_url(meeting) if meeting.status == MeetingStatus.ENDED else None,
        retention_days=meeting.retention_days,
        zone_options=zone_options(language),
        viewer_zone=viewer_timezone(),
        chosen_zone=display_zone(session.get("tz")),
        agenda_length=(clock_services.agenda_length(meeting)
                       if can_moderate(current_user, meeting.id) else None),
        **template_gettext(),
    )
    return body, status


@bp.get("/m/<slug>")
def meeting_page(slug: str):
    """The public page of a meeting: agenda, registration, join link."""
    return render_meeting(visible_meeting(slug, for_page=True))


@bp.get("/m/<slug>/calendar.ics")
def meeting_ics(slug: str):
    """The meeting as a calendar file."""
    meeting = visible_meeting(slug)
    data = ics.meeting_calendar(meeting, url=url_for("meetings.meeting_page", slug=slug,
                                                     _external=True),
                                language=current_language())
    return _ics_response(data, ics.filename(meeting.slug))


@bp.get("/m/<slug>/agenda/<int:item_id>/calendar.ics")
def agenda_item_ics(slug: str, item_id: int):
    """One agenda item as a calendar file."""
    meeting = visible_meeting(slug)
    row = next((r for r in timetable(meeting) if r.item.id == item_id), None)
    if row is None:
        abort(404)
    data = ics.agenda_item_calendar(meeting, row, url=url_for(
        "meetings.meeting_page", slug=slug, _external=True), language=current_language())
    return _ics_response(data, ics.filename(f"{meeting.slug}-{row.item.position + 1}"))


def _ics_response(data: bytes, name: str) -> Response:
    return Response(data, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/s/<slug>")
def series_page(slug: str):
    """The public page of a series: its published meetings."""
    series = db.session.scalar(select(Series).where(Series.slug == slug))
    if series is None:
        abort(404)
    sessions = [m for m in series.meetings
                if m.status != MeetingStatus.DRAFT
                or can_moderate(current_user, m.id)]
    now = utcnow()
    past = [m for m in sessions if m.status == MeetingStatus.ENDED or m.planned_end < now]
    upcoming = [m for m in sessions if m not in past]
    locale = current_language()
    zone = viewer_timezone()

    def when(meeting, moment):
        return zone_times(moment, meeting.zones, zone, locale)

    return render_template(
        "meetings/series.html", series=series, past=past[::-1], upcoming=upcoming, when=when,
        states={m.id: registration_services.registration_state(m) for m in upcoming},
        recording=_recording, transcript_url=transcript_url)


@bp.post("/timezone")
def set_timezone():
    """Show times in a zone the viewer picks; an empty choice goes back to the browser's."""
    zone = request.form.get("timezone", "")
    if zone and is_valid_timezone(zone):
        session["tz"] = zone
    elif not zone:
        session.pop("tz", None)
    target = request.form.get("next") or "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target or forbidden_character(target) is not None:
        target = "/"
    return redirect(target)
