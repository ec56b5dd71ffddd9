"""The polls' HTTP side: one poll's answers as CSV for the meeting's staff."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from webapp.accounts.permissions import can_moderate
from webapp.core.i18n import current_language
from webapp.errors import NotFound
from webapp.extensions import limiter
from webapp.meetings import services as meeting_services
from webapp.polls import export_services
from webapp.web.downloads import csv_download

bp = Blueprint("polls", __name__)


@bp.get("/m/<slug>/polls/<int:poll_id>.csv")
@limiter.limit("30 per minute")
def export_csv(slug: str, poll_id: int):
    """One poll's answers as CSV, for the meeting's organisers and moderators."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    try:
        meeting = meeting_services.get_visible(slug, current_user)
        if not can_moderate(current_user, meeting.id):
            raise NotFound()
        body = export_services.poll_csv(current_user, meeting.id, poll_id, current_language())
    except NotFound:
        abort(404)
    return csv_download(body, f"polls-{meeting.slug}-{poll_id}.csv")
