"""Site-wide pages: home, language choice, health check."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import select

from webapp.core.i18n import LANGUAGES, current_language
from webapp.core.timefmt import ZoneTimes, zone_times
from webapp.core.viewer import viewer_timezone
from webapp.extensions import csrf, db
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.meetings.services import may_create_meetings
from webapp.realtime import drain
from webapp.web.health import check_database, check_message_queue

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    """The front page: published meetings."""
    meetings = db.session.scalars(
        select(Meeting)
        .where(Meeting.status != MeetingStatus.DRAFT)
        .order_by(Meeting.starts_at.desc())
        .limit(100)
    ).all()
    upcoming = [m for m in meetings if m.status != MeetingStatus.ENDED]
    past = [m for m in meetings if m.status == MeetingStatus.ENDED]
    # With nothing to show yet, staff who may start a meeting get the way to do it.
    may_create = not meetings and may_create_meetings(
        current_user if current_user.is_authenticated else None)
    return render_template("core/home.html", upcoming=upcoming[::-1], past=past,
                           may_create=may_create)


@bp.post("/language")
def set_language():
    """Remember the chosen interface language; works without JavaScript."""
    language = request.form.get("language", "")
    if language in LANGUAGES:
        session["lang"] = language
    target = request.form.get("next") or "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        target = "/"
    return redirect(target)


@bp.get("/healthz")
@csrf.exempt
def healthz():
    """Health check for the load balancer: 200 when the database (and Redis) answer."""
    if drain.is_draining(current_app):  # stopping: send no one here any more
        return jsonify({"status": "draining",
                        "async_mode": current_app.config["PUENTE_ASYNC_MODE"]}), 503
    checks = {"database": check_database()}
    queue = check_message_queue()
    if queue is not None:
        checks["message_queue"] = queue
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks,
            "async_mode": current_app.config["PUENTE_ASYNC_MODE"]}
    return jsonify(body), 200 if healthy else 503


@bp.app_template_global()
def meeting_time(meeting: Meeting, moment) -> ZoneTimes | None:
    """`moment` in the meeting's zones and the viewer's, for any page listing meetings."""
    if moment is None:
        return None
    return zone_times(moment, meeting.zones, viewer_timezone(), current_language())

