"""Public meeting pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_login import current_user

from webapp.agenda.services import timetable
from webapp.core.timefmt import dual_time
from webapp.core.viewer import viewer_timezone
from webapp.errors import NotFound
from webapp.meetings import services

bp = Blueprint("meetings", __name__)


@bp.get("/m/<slug>")
def meeting_page(slug: str):
    try:
        meeting = services.get_visible(slug, current_user)
    except NotFound:
        abort(404)
    locale = str(get_locale())
    viewer_zone = viewer_timezone()

    def when(moment):
        return dual_time(moment, meeting.timezone, viewer_zone, locale)

    return render_template(
        "meetings/meeting.html",
        meeting=meeting,
        schedule=timetable(meeting),
        seats_left=services.seats_left(meeting),
        when=when,
    )
