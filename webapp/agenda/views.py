"""The live agenda clock on its own page, and what its partials need in any page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from webapp.accounts.permissions import can_moderate
from webapp.agenda import clock_services
from webapp.core.i18n import current_language, template_gettext
from webapp.core.timefmt import clock_strings, zone_times
from webapp.core.timeutil import utcnow
from webapp.core.viewer import viewer_timezone
from webapp.errors import NotFound
from webapp.meetings import services as meeting_services

bp = Blueprint("agenda", __name__)


@bp.app_template_global()
def agenda_clock(meeting) -> dict:
    """The clock state for `agenda/_clock.html` and whether the viewer drives it.

    A page that includes both the clock and its controls passes `clock` once; the partials
    compute it themselves otherwise.
    """
    now = utcnow()
    state = clock_services.state(meeting, now)
    locale, zone = current_language(), viewer_timezone()
    latest = meeting.latest_end
    staff = can_moderate(current_user, meeting.id)
    return {"state": state, "staff": staff,
            "agenda_excess_minutes":
                clock_services.agenda_excess_minutes(meeting) if staff else 0,
            "agenda_length": clock_services.agenda_length(meeting) if staff else None,
            "projected": zone_times(clock_services.projected_end(meeting, now), meeting.zones,
                                    zone, locale),
            "times": clock_strings(meeting.zones, zone, locale),
            "latest": zone_times(latest, meeting.zones, zone, locale) if latest else None}


@bp.get("/m/<slug>/clock")
def clock_page(slug: str):
    """A standalone live page: the clock and the board (staff also get the clock controls)."""
    try:
        meeting = meeting_services.get_visible(slug, current_user,
                                               options=meeting_services.clock_loads())
    except NotFound:
        abort(404)
    return render_template("agenda/clock_page.html", meeting=meeting,
                           clock=agenda_clock(meeting), **template_gettext())
