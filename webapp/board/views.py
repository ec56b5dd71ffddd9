"""After-meeting pages: the transcript, the wall, follow-up answers; the board CSV export."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_translations as _t
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.permissions import can_moderate
from webapp.board import followup_services, services, watch_services
from webapp.board.forms import AnswerForm, PublishForm
from webapp.core.converters import query_id
from webapp.core.i18n import current_language
from webapp.core.links import external_url
from webapp.core.security_headers import policy_with_frames
from webapp.core.timefmt import clock_strings, zone_times
from webapp.core.viewer import viewer_timezone
from webapp.errors import DomainError, NotFound
from webapp.extensions import limiter
from webapp.live import participants
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.meetings import services as meeting_services
from webapp.meetings.models import MeetingStatus
from webapp.web.downloads import csv_download

bp = Blueprint("board", __name__)


def _meeting(slug: str):
    try:
        return meeting_services.get_visible(slug, current_user)
    except NotFound:
        abort(404)


def _when(meeting):
    locale, zone = current_language(), viewer_timezone()
    return lambda moment: zone_times(moment, meeting.zones, zone, locale)


@bp.app_template_global()
def board_panel(meeting) -> dict:
    """What `board/_panel.html` needs besides the meeting: whether the viewer moderates."""
    return {"staff": can_moderate(current_user, meeting.id),
            "max_length": services.MAX_POST_LENGTH, "reactions": services.REACTIONS,
            "emoji": services.REACTION_EMOJI,
            # A reaction button's name, "Thanks, 3 reactions": plural forms unformatted, for
            # board.js to fill in.
            "reaction_count_one": _t().ngettext(
                "%(name)s, %(num)d reaction", "%(name)s, %(num)d reactions", 1),
            "reaction_count_other": _t().ngettext(
                "%(name)s, %(num)d reaction", "%(name)s, %(num)d reactions", 2),
            "times": clock_strings(meeting.zones, viewer_timezone(), current_language())}


def _viewer(meeting):
    """The viewer as the live pages resolve them: staff, a joined attendee, or None."""
    joined = session.get(SESSION_REGISTRATIONS) or {}
    registration_id = joined.get(str(meeting.id)) if isinstance(joined, dict) else None
    user = current_user if current_user.is_authenticated else None
    return participants.resolve(meeting, user, registration_id)


@bp.app_template_global()
def wall_visible(meeting) -> bool:
    """Whether the viewer may open the meeting's wall (see `services.may_see_wall`)."""
    return services.may_see_wall(meeting, _viewer(meeting))


@bp.get("/m/<slug>/transcript")
def transcript(slug: str):
    """The questions and answers of an ended meeting."""
    meeting = _meeting(slug)
    with_names = services.may_see_who_took_part(meeting, _viewer(meeting))
    return render_template("board/transcript.html", meeting=meeting,
                           groups=followup_services.transcript(meeting, with_names=with_names),
                           when=_when(meeting))


def _recorded_meeting(slug: str):
    """An ended meeting with a recording, seen by whoever may see its transcript."""
    meeting = _meeting(slug)
    if meeting.status != MeetingStatus.ENDED or watch_services.recording_url(meeting) is None:
        abort(404)
    return meeting


@bp.get("/m/<slug>/watch")
def watch(slug: str):
    """Watch later: the recording beside the chaptered agenda and the answered questions."""
    meeting = _recorded_meeting(slug)
    recording = watch_services.recording_url(meeting)
    player = watch_services.embed_url(recording)
    response = make_response(render_template(
        "board/watch.html", meeting=meeting, recording=recording, player=player,
        chapters=watch_services.chapters(meeting),
        marks=watch_services.question_marks(meeting),
        jump=watch_services.jump_url, clock=watch_services.clock, when=_when(meeting)))
    if player:  # the page may frame this one player, nothing else
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(player))
        response.headers["Content-Security-Policy"] = policy_with_frames(origin)
    return response


def _chapter_file(body: str, mimetype: str, filename: str) -> Response:
    return Response(body, headers={"Content-Type": f"{mimetype}; charset=utf-8",
                                   "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/m/<slug>/chapters.vtt")
def chapters_vtt(slug: str):
    """The recording's chapters as WebVTT, for players that read chapter tracks."""
    meeting = _recorded_meeting(slug)
    return _chapter_file(watch_services.chapters_vtt(meeting), "text/vtt",
                         f"chapters-{meeting.slug}.vtt")


@bp.get("/m/<slug>/chapters.txt")
def chapters_txt(slug: str):
    """The recording's chapters as `00:00 Title` lines, for a video platform's description."""
    meeting = _recorded_meeting(slug)
    return _chapter_file(watch_services.chapters_txt(meeting), "text/plain",
                         f"chapters-{meeting.slug}.txt")


@bp.get("/m/<slug>/wall")
def wall(slug: str):
    """The published wall of an ended meeting (404 until organisers publish it)."""
    meeting = _meeting(slug)
    if not wall_visible(meeting):
        abort(404)
    before = query_id("before")
    return render_template("board/wall.html", meeting=meeting,
                           wall=services.wall(meeting, before), when=_when(meeting),
                           first_page=before is None)


@bp.get("/m/<slug>/board.csv")
@limiter.limit("30 per hour")
def export(slug: str):
    """Every post as CSV, for the meeting's staff."""
    meeting = _meeting(slug)
    try:
        body = services.export_csv(current_user, meeting, current_language())
    except DomainError:
        abort(403)
    return csv_download(body, f"board-{meeting.slug}.csv")


@bp.route("/m/<slug>/follow-up", methods=["GET", "POST"])
def follow_up(slug: str):
    """The after-meeting page where staff write answers."""
    meeting = _meeting(slug)
    if not can_moderate(current_user, meeting.id):
        abort(403 if current_user.is_authenticated else 404)
    answer_form = AnswerForm()
    if answer_form.validate_on_submit():
        try:
            followup_services.answer(current_user, meeting, answer_form.question_id.data,
                                     answer_form.text.data)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The answer was saved."), "success")
            return redirect(url_for("board.follow_up", slug=slug))
    elif request.method == "POST":
        flash(" ".join(str(e) for errors in answer_form.errors.values() for e in errors),
              "error")
    return render_template(
        "board/follow_up.html", meeting=meeting, answer_form=answer_form,
        open_questions=followup_services.open_questions(current_user, meeting),
        answered=followup_services.written_answers(current_user, meeting),
        publish_form=PublishForm(), failed_id=answer_form.question_id.data,
    ), 400 if request.method == "POST" else 200


@bp.post("/m/<slug>/follow-up/publish")
@limiter.limit("20 per hour")
def publish(slug: str):
    """E-mail each asker and voter the written answers, once."""
    meeting = _meeting(slug)
    if not can_moderate(current_user, meeting.id):
        abort(403 if current_user.is_authenticated else 404)
    if not PublishForm().validate_on_submit():
        abort(400)
    try:
        result = followup_services.publish(
            current_user, meeting,
            link=external_url("board.transcript", slug=slug))
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Follow-up published: %(sent)d e-mails sent, %(skipped)d people already had "
                "theirs.", sent=result.sent, skipped=result.skipped), "success")
    return redirect(url_for("board.follow_up", slug=slug))


@bp.post("/m/<slug>/board/posts/<int:post_id>/<any(quote, unquote):action>")
def quote(slug: str, post_id: int, action: str):
    """Quote a post in the meeting report, or take it out, without the live board (staff)."""
    meeting = _meeting(slug)
    if not can_moderate(current_user, meeting.id):
        abort(403 if current_user.is_authenticated else 404)
    if not PublishForm().validate_on_submit():
        abort(400)
    try:
        services.quote(_viewer(meeting), post_id, action == "quote")
    except DomainError as error:
        if isinstance(error, NotFound):
            abort(404)
        flash(str(error.message), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("reports.staff", meeting_id=meeting.id) + "#report-posts")
