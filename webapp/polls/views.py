"""The polls' HTTP side: one poll's answers as CSV for the meeting's staff."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from webapp.accounts.permissions import can_moderate
from webapp.core.i18n import current_language
from webapp.core.i18n_text import localized
from webapp.errors import NotFound
from webapp.extensions import limiter
from webapp.meetings import services as meeting_services
from webapp.polls import export_services, services
from webapp.web.downloads import csv_download

bp = Blueprint("polls", __name__)


@bp.app_template_global()
def closed_poll_results(meeting) -> list[dict]:
    """Closed polls' results for the transcript and the after-meeting page (not the polls
    whose results the organisers keep to themselves)."""
    return [{"poll": poll, "results": results, "rows": result_rows(poll, results)}
            for poll, results in services.published_results(meeting.id)]


def result_rows(poll, results: dict) -> list[dict]:
    """One row per option (choices, ranking) or per step of the scale (rating), with its
    count and share of the answers, for a server-drawn bar and its table."""
    kind = results.get("kind")
    if kind in ("single", "multiple", "ranking"):
        values = results.get("scores" if kind == "ranking" else "counts") or []
        labels = [localized(option) for option in poll.options or []]
    elif kind == "rating":
        distribution = results.get("distribution") or {}
        labels = list(distribution)
        values = [distribution[key] for key in labels]
    else:
        return []
    top = max(values, default=0) or 1
    total = sum(values) or 1
    return [{"label": label, "value": value, "percent": round(100 * value / total),
             "width": round(100 * value / top)} for label, value in zip(labels, values,
                                                                         strict=False)]


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
