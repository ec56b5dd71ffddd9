"""Per-meeting dashboard: figures organisers would rather look at than read."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.feedback import services as feedback_services
from webapp.meetings import charts
from webapp.meetings.models import Meeting
from webapp.qa import export_services
from webapp.registration import admin_services
from webapp.reports import dashboard_figures
from webapp.web.pages import (
    country_label,
    language_label,
    meeting_context,
    meeting_page,
    organisation_type_label,
)

bp = Blueprint("dashboard", __name__, url_prefix="/organiser")


@bp.get("/meetings/<int:meeting_id>/")
@login_required
@meeting_page()
def meeting_dashboard(meeting: Meeting):
    """Figures for one meeting: registrations, attendance, questions, posts."""
    figures = admin_services.figures(current_user, meeting.id)
    qa = export_services.analytics(current_user, meeting.id)
    asked, answered = qa["asked"], qa["answered"]
    empty = _("No data yet.")
    by_type = [(organisation_type_label(k), n) for k, n in figures.by_organisation_type]
    by_country = [(country_label(k), n) for k, n in figures.by_country[:15]]
    attendees_type = [(organisation_type_label(k), n)
                      for k, n in figures.attendees_by_organisation_type]
    attendees_country = [(country_label(k), n) for k, n in figures.attendees_by_country[:15]]
    questions = [(_("Asked"), asked), (_("Answered"), answered)]
    questions_type = [(organisation_type_label(row["key"]), row["asked"])
                      for row in qa["by_organisation_type"] if row["key"] != "unknown"]
    questions_country = [(country_label(row["key"]), row["asked"])
                         for row in qa["by_country"][:15] if row["key"] != "unknown"]
    more = dashboard_figures.dashboard(current_user, meeting.id)
    zone = meeting.timezone or "UTC"
    registered = _labelled(more["registrations"])
    time_label = _time_axis(more["registrations"], zone)
    posts = _labelled(more["posts"])
    reactions = _labelled(more["reactions"])
    online = _labelled(more["online"])
    top = [(question.text, n) for question, n in more["top_questions"]]
    languages = [(language_label(code), n) for code, n in more["question_languages"]]
    def bars(title: str, rows: list, column: str, value: str) -> tuple:
        return title, charts.bar_chart(title, rows, empty=empty), rows, column, value

    panels = [
        (_("Registrations over time"), charts.line_chart(
            _("Registrations over time"), registered, empty=empty),
         registered, time_label, _("Registrations so far")),
        bars(_("Registrations by organisation type"), by_type, _("Organisation type"),
             _("People")),
        bars(_("Registrations by country"), by_country, _("Country"), _("People")),
        bars(_("Attendees by organisation type"), attendees_type, _("Organisation type"),
             _("People")),
        bars(_("Attendees by country"), attendees_country, _("Country"), _("People")),
        bars(_("Questions asked and answered"), questions, _("Questions"), _("Number")),
        bars(_("Questions by the askers' organisation type"), questions_type,
             _("Organisation type"), _("Questions")),
        bars(_("Questions by the askers' country"), questions_country, _("Country"),
             _("Questions")),
        bars(_("Questions by language"), languages, _("Language"), _("Questions")),
        bars(_("Most-voted questions"), top, _("Question"), _("Votes")),
        bars(_("Board posts over time"), posts, _time_axis(more["posts"], zone), _("Posts")),
        bars(_("Board reactions over time"), reactions, _time_axis(more["reactions"], zone),
             _("Reactions")),
        bars(_("Attendees online at once"), online, _time_axis(more["online"], zone),
             _("Highest count")),
    ]
    answers = [(question, [(_answer_label(question, stored), n) for stored, n in counts],
                unanswered) for question, counts, unanswered in
               ((a.question, a.counts, a.unanswered) for a in more["answers"])]
    survey = feedback_services.results(current_user, meeting)
    return render_template("organiser/dashboard.html", figures=figures, panels=panels,
                           asked=asked, answered=answered, survey=survey,
                           votes=more["votes"], peak=more["peak"], peak_at=more["peak_at"],
                           answers=answers,
                           survey_panels=_survey_panels(survey, empty),
                           **meeting_context(meeting, "dashboard"))


def _labelled(series: dashboard_figures.Series) -> list[tuple[str, int]]:
    """Bucket starts as text in the meeting's zone: the hour, or the day."""
    pattern = "%Y-%m-%d %H:%M" if series.unit == "hour" else "%Y-%m-%d"
    return [(at.strftime(pattern), n) for at, n in series.points]


def _time_axis(series: dashboard_figures.Series, zone: str) -> str:
    if series.unit == "hour":
        return _("Hour (%(zone)s)", zone=zone)
    return _("Day (%(zone)s)", zone=zone)


def _answer_label(question, stored: str) -> str:
    if question.kind.value == "checkbox":
        return _("Yes") if stored == "yes" else _("No")
    labels = {key: str(label) for key, label in question.options()}
    return labels.get(stored, stored)


def _survey_panels(survey: feedback_services.Results, empty: str) -> list[tuple]:
    """The feedback survey's charts: the overall ratings, each agenda item's average and each
    organiser rating question's ratings, shaped like the panels above."""
    overall = [(str(rating), n) for rating, n in survey.overall.distribution]
    if not survey.responses:
        overall = []
    items = [(str(item.title), summary.average) for item, summary in survey.items
             if summary.count]
    panels = [
        (_("Survey: the meeting overall"),
         charts.bar_chart(_("Survey: the meeting overall"), overall, empty=empty),
         overall, _("Rating (1 to 5)"), _("People")),
        (_("Survey: average rating of each agenda item"),
         charts.bar_chart(_("Survey: average rating of each agenda item"), items, empty=empty),
         items, _("Agenda item"), _("Average (1 to 5)")),
    ]
    for question, summary in survey.rated:
        rows = [(str(rating), n) for rating, n in summary.distribution] if summary.count else []
        heading = _("Survey: %(question)s", question=question.label)
        panels.append((heading, charts.bar_chart(heading, rows, empty=empty), rows,
                       _("Rating (1 to 5)"), _("People")))
    return panels
