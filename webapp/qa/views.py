"""Live Q&A pages: the attendee's live page, the moderator console, the presenter screen."""

from __future__ import annotations

import segno
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
from flask_babel import get_translations as _t
from flask_babel import gettext as _
from flask_login import current_user

from webapp.accounts.permissions import can_moderate, can_translate
from webapp.agenda.services import agenda_loads, agenda_payload
from webapp.core.i18n import LANGUAGES, current_language, pin_language
from webapp.core.links import external_url
from webapp.errors import NotFound
from webapp.extensions import limiter
from webapp.live import participants
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.meetings import services as meeting_services
from webapp.meetings.models import Meeting
from webapp.qa import export_services, presenter_services
from webapp.qa.models import DismissReason
from webapp.registration.labels import country_names
from webapp.web.downloads import csv_download
from webapp.web.pages import translation_strings

bp = Blueprint("qa", __name__)

#: Language tags offered for a question, in this order; the meeting's own come first.
QUESTION_LANGUAGES = ("en", "es", "zh_Hans")


def _visible_meeting(slug: str, options=()) -> Meeting:
    try:
        return meeting_services.get_visible(slug, current_user, options=options)
    except NotFound:
        abort(404)


def _staff_meeting(slug: str, options=(), interpreters_to: str | None = None) -> Meeting:
    """The meeting for its organisers and moderators; everyone else is sent away (interpreters
    to `interpreters_to` when given)."""
    if not current_user.is_authenticated:
        abort(redirect(url_for("accounts.login", next=request.full_path.rstrip("?"))))
    meeting = _visible_meeting(slug, options)
    if interpreters_to and not can_moderate(current_user, meeting.id) \
            and can_translate(current_user, meeting.id):
        abort(redirect(url_for(interpreters_to, slug=meeting.slug)))
    if not can_moderate(current_user, meeting.id):
        abort(404)
    return meeting


def _languages(meeting: Meeting) -> list[tuple[str, str]]:
    codes = list(dict.fromkeys([*(meeting.languages or []), *QUESTION_LANGUAGES]))
    return [(code, LANGUAGES.get(code, code)) for code in codes]


def _common_strings() -> dict:
    """Interface words the page modules need, in the reader's language.

    Plural forms are handed over unformatted (`%(num)d` kept) for the page to fill in.
    """
    return {
        "anonymous": _("Anonymous"),
        "answered": _("Answered"),
        "edited": _("edited"),
        "vote": _("Vote"),
        "votes_one": _t().ngettext("%(num)d vote", "%(num)d votes", 1),
        "votes_other": _t().ngettext("%(num)d vote", "%(num)d votes", 2),
        "no_questions": _("No questions here yet."),
        "offline": _("You are offline. Reconnecting…"),
        "syncing": _("Reconnecting…"),
        "refused": _("This page cannot connect. Please reload it."),
        "closed_connection": _("The connection was closed. Please reload the page."),
        "online_one": _t().ngettext("%(num)d person online", "%(num)d people online", 1),
        "online_other": _t().ngettext("%(num)d person online", "%(num)d people online", 2),
        "general": _("General"),
        "answer": _("Answer"),
        "retry": _("That did not work. Please try again."),
        "answering_for": _("Answering for"),
    }


def _dismiss_reasons() -> dict:
    return {
        DismissReason.DUPLICATE.value: _("duplicate"),
        DismissReason.OFF_TOPIC.value: _("off topic"),
        DismissReason.OUT_OF_TIME.value: _("out of time"),
        DismissReason.INAPPROPRIATE.value: _("inappropriate"),
        DismissReason.OTHER.value: _("other"),
    }


@bp.get("/m/<slug>/live")
def live(slug: str):
    """The attendee's live page: agenda clock, Q&A and board."""
    meeting = _visible_meeting(slug, agenda_loads())
    user = current_user if current_user.is_authenticated else None
    registration_id = session.get(SESSION_REGISTRATIONS, {}).get(str(meeting.id))
    participant, registration = participants.admission(meeting, user, registration_id)
    if participant is None:
        return render_template(
            "qa/join_help.html",
            meeting=meeting,
            resend_url=url_for("registration.resend", slug=meeting.slug),
        ), 403
    strings = _common_strings() | {
        "dismissed": _("Dismissed"),
        "dismissed_reason": _("Dismissed: %(reason)s"),
        "duplicate_of": _("Dismissed: duplicate of “%(text)s”"),
        "dismiss_note": _("Note from the moderators: %(note)s"),
        "pending": _("Waiting for a moderator"),
        "mine": _("Your question"),
        "edit": _("Edit"),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "withdraw": _("Withdraw"),
        "withdraw_confirm": _("Withdraw this question?"),
        "withdraw_message": _("It leaves the list for everyone, and you cannot bring it back."),
        "new_one": _t().ngettext("%(num)d new question", "%(num)d new questions", 1),
        "new_other": _t().ngettext("%(num)d new question", "%(num)d new questions", 2),
        "order_changed": _("Votes changed the order — show it"),
        "remaining_one": _t().ngettext("%(num)d character left", "%(num)d characters left", 1),
        "remaining_other": _t().ngettext("%(num)d character left", "%(num)d characters left", 2),
        "too_long": _("Please shorten your question."),
        "sending": _("Sending…"),
        "sent_pending": _("Sent. A moderator will review your question."),
        "sent_live": _("Sent. Your question is live."),
        "similar": _("Similar questions already asked:"),
        "vote_instead": _("Vote for this instead"),
        "send_anyway": _("Send my question anyway"),
        "voted_instead": _("Your vote was added. Your draft is kept below."),
        "qa_closed": _("Questions are closed right now."),
        "muted": _("You cannot ask questions in this meeting."),
        "unvote": _("Remove my vote"),
        "own_vote": _("You cannot vote for your own question."),
        "answered_now": _("A question was answered."),
        "highlighted": _("Now answering"),
        "meeting_ended": _("The meeting has ended"),
        "meeting_ended_closed": _("The meeting has ended: questions are closed."),
    } | {"reason_" + key: value for key, value in _dismiss_reasons().items()} \
        | translation_strings(meeting)
    return render_template(
        "qa/live.html",
        meeting=meeting,
        participant=participant,
        registration=registration,
        agenda=agenda_payload(meeting),
        languages=_languages(meeting),
        strings=strings,
        settings=meeting.qa_settings(),
    )


@bp.get("/m/<slug>/console")
def console(slug: str):
    """The moderators' console; interpreters are sent to theirs, the translation console."""
    meeting = _staff_meeting(slug, agenda_loads(), interpreters_to=".translations")
    strings = _common_strings() | {
        "tab_pending": _("Pending"),
        "tab_live": _("Live"),
        "tab_answered": _("Answered"),
        "tab_dismissed": _("Dismissed"),
        "tab_archived": _("Archived"),
        "approve": _("Approve"),
        "dismiss": _("Dismiss"),
        "highlight": _("Highlight"),
        "unhighlight": _("Stop highlighting"),
        "mark_answered": _("Mark answered"),
        "edit": _("Edit text"),
        "save": _("Save"),
        "cancel": _("Cancel"),
        "restore": _("Restore"),
        "archive": _("Archive"),
        "star": _("Star for the speaker"),
        "unstar": _("Remove star"),
        "merge": _("Merge into this"),
        "merge_hint": _("Merge the selected question into this one"),
        "merge_none": _("No question matches."),
        "merge_matches_one": _t().ngettext("%(num)d question matches",
                                           "%(num)d questions match", 1),
        "merge_matches_other": _t().ngettext("%(num)d question matches",
                                             "%(num)d questions match", 2),
        "merge_more": _("Showing %(shown)d of %(num)d questions: type to narrow the list."),
        "merge_summary": _("Merge %(source)s into %(target)s? Its votes move there and its "
                           "asker sees it dismissed as a duplicate."),
        "merge_done": _("Merged into %(target)s."),
        "similar": _("Similar questions"),
        "original": _("Original wording"),
        "author": _("Asked by"),
        "staff_question": _("Asked by staff"),
        "anonymous_to_others": _("Anonymous to attendees"),
        "mute": _("Mute"),
        "unmute": _("Unmute"),
        "ban": _("Ban"),
        "ban_title": _("Ban this person?"),
        "ban_confirm": _("Ban this person from the meeting? They are disconnected at once."),
        "select_prompt": _("Select a question in the queue."),
        "conflict": _("Another moderator changed this question first. Your text is kept."),
        "new_pending": _("New question waiting for review."),
        "nothing_selected": _("No question selected."),
        "send_answer": _("Send written answer"),
        "labels": _("Labels"),
        "add_label": _("Add label"),
        "remove_label": _("Remove label %(label)s"),
        "now_answering": _("Now answering"),
        "nobody_answering": _("No question is highlighted."),
        "bulk_done": _("Done for %(num)d questions."),
        "reason_note": _("Note for the asker (optional)"),
        "votes_sort": _("Most votes"),
        "pending_since": _("waiting"),
        "starred": _("Starred"),
        "dismissed_reason": _("Dismissed: %(reason)s"),
        "muted_badge": _("muted"),
        "up_next": _("Up next"),
        "add_up_next": _("Add to up next"),
        "remove_up_next": _("Remove from up next"),
        "up_next_position": _("Up next, place %(n)d of %(total)d"),
        "up_next_left": _("Taken out of up next"),
        "banned_badge": _("banned"),
        "missing": _("Still needed:"),
        "complete": _("Translated into every meeting language."),
    } | {"reason_" + key: value for key, value in _dismiss_reasons().items()} \
        | translation_strings(meeting)
    return render_template(
        "qa/console.html",
        meeting=meeting,
        agenda=agenda_payload(meeting),
        languages=_languages(meeting),
        reasons=_dismiss_reasons(),
        strings=strings,
        countries=country_names(current_language()),
        settings=meeting.qa_settings(),
        has_presenter_token=presenter_services.has_token(meeting),
        export_url=url_for("qa.export_csv", slug=meeting.slug),
    )


@bp.get("/m/<slug>/console/translations")
def translations(slug: str):
    """The translation console: interpreters, moderators and organisers add and correct
    translations of pending and live questions and their answers."""
    if not current_user.is_authenticated:
        abort(redirect(url_for("accounts.login", next=request.full_path.rstrip("?"))))
    meeting = _visible_meeting(slug)
    if not can_translate(current_user, meeting.id):
        abort(404)
    strings = _common_strings() | translation_strings(meeting) | {
        "tab_pending": _("Pending"),
        "tab_live": _("Live"),
        "tab_answered": _("Answered"),
        "save": _("Save"),
        "saved": _("Saved."),
        "missing": _("Still needed:"),
        "complete": _("Translated into every meeting language."),
        "lacking_one": _t().ngettext("%(num)d question still lacks a translation",
                                     "%(num)d questions still lack a translation", 1),
        "lacking_other": _t().ngettext("%(num)d question still lacks a translation",
                                       "%(num)d questions still lack a translation", 2),
        "translation_into": _("Translation into %(language)s", language="%(language)s"),
        "answer_into": _("Answer in %(language)s", language="%(language)s"),
    }
    return render_template(
        "qa/translations.html",
        meeting=meeting,
        strings=strings,
        moderator=can_moderate(current_user, meeting.id),
    )


@bp.post("/m/<slug>/console/presenter-link")
@limiter.limit("20 per hour")
def presenter_link(slug: str):
    """Create or rotate the presenter link and show it once: only its hash is kept."""
    meeting = _staff_meeting(slug)
    token = presenter_services.rotate_token(current_user, meeting)
    url = external_url("qa.presenter", slug=meeting.slug, token=token)
    # One link per display language the meeting speaks (the default first), each showing
    # the questions beside their translation into it: a room per language.
    languages = [code for code in meeting.content_languages if code in LANGUAGES]
    localized_urls = [(code, LANGUAGES[code],
                       external_url("qa.presenter", slug=meeting.slug, token=token, lang=code,
                                    translation=code))
                      for code in languages]
    return render_template("qa/presenter_link.html", meeting=meeting, url=url,
                           localized_urls=localized_urls)


def _join_url(meeting: Meeting) -> str:
    return url_for("meetings.meeting_page", slug=meeting.slug, _external=True)


def _qr_data_uri(url: str, dark: bool) -> str:
    code = segno.make(url, error="m")
    return code.svg_data_uri(scale=8, border=2,
                             dark="#ffffff" if dark else "#111111",
                             light="#111111" if dark else "#ffffff")


@bp.get("/m/<slug>/present/<token>")
def presenter(slug: str, token: str):
    """The projector page, opened with the presenter link.

    `?lang=es` fixes the page's language (labels, organiser texts, time formats): a projector
    shows the language of the room, not the one of the laptop's browser.
    """
    pin_language(request.args.get("lang"))
    try:
        meeting = presenter_services.meeting_for_token(slug, token, options=agenda_loads())
    except NotFound:
        abort(404)
    theme = "light" if request.args.get("theme") == "light" else "dark"
    # `?translation=es`: each question shows beside its translation into that language.
    translation = request.args.get("translation")
    if translation not in (meeting.languages or []):
        translation = None
    join_url = _join_url(meeting)
    response = Response(render_template(
        "qa/presenter.html",
        meeting=meeting,
        token=token,
        theme=theme,
        translation=translation,
        join_url=join_url,
        short_join_url=join_url.split("://", 1)[-1],
        qr_dark=_qr_data_uri(join_url, dark=True),
        qr_light=_qr_data_uri(join_url, dark=False),
        screen=presenter_services.screen(meeting),
        agenda=agenda_payload(meeting),
        strings=_common_strings() | {"highlighted": _("Now answering"),
                                     "waiting": _("Waiting for the next question")}
        | translation_strings(meeting),
    ))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/m/<slug>/questions.csv")
@limiter.limit("30 per minute")
def export_csv(slug: str):
    """Every question as CSV, for the meeting's staff."""
    meeting = _staff_meeting(slug)
    body = export_services.questions_csv(current_user, meeting.id, current_language())
    return csv_download(body, f"questions-{meeting.slug}.csv")
