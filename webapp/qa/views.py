"""Live Q&A pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from webapp.errors import NotFound
from webapp.meetings import services as meeting_services

bp = Blueprint("qa", __name__)


@bp.get("/m/<slug>/live")
def live(slug: str):
    try:
        meeting = meeting_services.get_visible(slug, current_user)
    except NotFound:
        abort(404)
    return render_template("qa/live.html", meeting=meeting)
