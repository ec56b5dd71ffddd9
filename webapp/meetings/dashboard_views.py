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
from webapp.web.pages import (
    country_label,
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
    panels = [
        (_("Registrations over time"), charts.line_chart(
            _("Registrations over time"), figures.per_day, empty=empty),
         [(day, n) for day, n in figures.per_day], _("Day (UTC)"), _("Registrations so far")),
        (_("Registrations by organisation type"),
         charts.bar_chart(_("Registrations by organisation type"), by_type, empty=empty),
         by_type, _("Organisation type"), _("People")),
        (_("Registrations by country"),
         charts.bar_chart(_("Registrations by country"), by_country, empty=empty),
         by_country, _("Country"), _("People")),
        (_("Attendees by organisation type"),
         charts.bar_chart(_("Attendees by organisation type"), attendees_type, empty=empty),
         attendees_type, _("Organisation type"), _("People")),
        (_("Attendees by country"),
         charts.bar_chart(_("Attendees by country"), attendees_country, empty=empty),
         attendees_country, _("Country"), _("People")),
        (_("Questions asked and answered"),
         charts.bar_chart(_("Questions asked and answered"), questions, empty=empty),
         questions, _("Questions"), _("Number")),
        (_("Questions by the askers' organisation type"),
         charts.bar_chart(_("Questions by the askers' organisation type"), questions_type,
                          empty=empty),
         questions_type, _("Organisation type"), _("Questions")),
        (_("Questions by the askers' country"),
         charts.bar_chart(_("Questions by the askers' country"), questions_country, empty=empty),
         questions_country, _("Country"), _("Questions")),
    ]
    survey = feedback_services.results(current_user, meeting)
    return render_template("organiser/dashboard.html", figures=figures, panels=panels,
                           asked=asked, answered=answered, survey=survey,
                           survey_panels=_survey_panels(survey, empty),
                           **meeting_context(meeting, "dashboard"))


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
