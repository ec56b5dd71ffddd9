"""The meeting report, drafted from the meeting's own data.

Plain Python: the acting `User` comes in as an argument. `build` reads every figure from the
database on each call (times, speakers, questions, polls, quoted posts), so a report always
equals the data; only the organisers' prose (`MeetingReport`) is stored. Sentences are
composed here, in the current locale, so the page, the standalone file and the Markdown
export say the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from babel.core import Locale
from babel.dates import format_date, format_time
from babel.lists import format_list
from flask_babel import force_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from webapp.accounts.models import User
from webapp.accounts.permissions import can_moderate, can_organise
from webapp.agenda.models import AgendaItem, Speaker, SpeakerRole
from webapp.board import services as board_services
from webapp.core.i18n_text import LocalizedText, localized, reading
from webapp.core.timefmt import zone_label
from webapp.core.timeutil import to_zone, utcnow
from webapp.errors import Closed, Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.meetings import translations
from webapp.meetings.models import Meeting, MeetingOrganisation, MeetingStatus, OrganisationRole
from webapp.polls import services as poll_services
from webapp.qa.models import Question, QuestionStatus, Vote
from webapp.registration import attendance_figures
from webapp.registration.labels import ORGANISATION_TYPE_LABELS, country_name
from webapp.reports.models import SECTIONS, MeetingReport

#: How many of the most-voted questions the report shows.
TOP_QUESTIONS = 5
#: Statuses of questions that attendees saw and that the report may quote (not withdrawn,
#: dismissed or still waiting for a moderator).
QUOTABLE_STATUSES = (QuestionStatus.LIVE, QuestionStatus.ANSWERED, QuestionStatus.ARCHIVED)
#: Longest paragraph staff may write.
TEXT_MAX = 10_000


# --- permissions and the stored texts -------------------------------------------------------

def may_edit(user: User | None, meeting: Meeting) -> bool:
    """Organisers (and admins) edit and publish the report."""
    return can_organise(user, meeting.id)


def may_read_draft(user: User | None, meeting: Meeting) -> bool:
    """Staff of the meeting read the report at any time, published or not."""
    return can_moderate(user, meeting.id)


def stored(meeting_id: int) -> MeetingReport | None:
    """The organisers' texts and publication state, None until first saved."""
    return db.session.get(MeetingReport, meeting_id)


def is_published(meeting_id: int) -> bool:
    """Whether the public may read the report."""
    report = stored(meeting_id)
    return report is not None and report.published_at is not None


def _editable(user: User | None, meeting: Meeting) -> MeetingReport:
    if not may_edit(user, meeting):
        raise Forbidden(_l("Only organisers of this meeting can change its report."))
    report = stored(meeting.id)
    if report is None:
        report = MeetingReport(meeting_id=meeting.id)
        db.session.add(report)
    return report


def _clean(value, meeting: Meeting) -> LocalizedText:
    text = localized(value)
    values = {lang: body.strip() for lang, body in text.as_dict(meeting.content_languages).items()
              if lang in meeting.content_languages and body.strip()}
    for body in values.values():
        if len(body) > TEXT_MAX:
            raise InvalidInput(_l("Please keep this under %(n)d characters.", n=TEXT_MAX))
    return LocalizedText(values).ordered(meeting.content_languages)


def save_texts(user: User | None, meeting: Meeting, *, intro, notes: dict) -> MeetingReport:
    """Store the opening paragraph and the sections' notes, in every meeting language."""
    report = _editable(user, meeting)
    report.intro = _clean(intro, meeting)
    for section in SECTIONS:
        setattr(report, f"{section}_note", _clean(notes.get(section), meeting))
    db.session.commit()
    return report


def publish(user: User | None, meeting: Meeting, *, now: datetime | None = None
            ) -> MeetingReport:
    """Open the report to the public at /m/<slug>/report (once the meeting has ended)."""
    report = _editable(user, meeting)
    if meeting.status != MeetingStatus.ENDED:
        db.session.rollback()
        raise Closed(_l("The report can be published once the meeting has ended."))
    if report.published_at is None:
        report.published_at = now or utcnow()
        report.published_by_id = user.id if user is not None else None
    db.session.commit()
    return report


def unpublish(user: User | None, meeting: Meeting) -> MeetingReport:
    """Take the report back to a draft: the public URL answers 404 again."""
    report = _editable(user, meeting)
    report.published_at = None
    report.published_by_id = None
    db.session.commit()
    return report


# --- words ----------------------------------------------------------------------------------

def duration_text(minutes: int) -> str:
    """"3 h 30 min", "2 h", "45 min"."""
    hours, rest = divmod(abs(int(minutes)), 60)
    if hours and rest:
        return gettext("%(h)d h %(m)d min", h=hours, m=rest)
    if hours:
        return gettext("%(h)d h", h=hours)
    return gettext("%(m)d min", m=rest)


def ordinal(number: int, language: str) -> str:
    """"11th" (en), "11.ª" (es), "第11" (zh): the number as a session's place."""
    if language.startswith("zh"):
        return f"第{number}"
    if language == "es":
        return f"{number}.ª"
    if language == "en":
        suffix = {"one": "st", "two": "nd", "few": "rd"}.get(
            Locale("en").ordinal_form(number), "th")
        return f"{number}{suffix}"
    return str(number)


def session_label(number: int | None, language: str) -> str:
    """"11th session" in the report's language; empty without a number."""
    if not number:
        return ""
    return gettext("%(ordinal)s session", ordinal=ordinal(number, language))


def _babel(language: str) -> str:
    return "zh_Hans_CN" if language.startswith("zh") else language


def _list(items: list[str], language: str) -> str:
    items = [item for item in items if item]
    if not items:
        return ""
    try:
        return format_list(items, locale=_babel(language))
    except Exception:  # an unknown locale: a plain comma list
        return ", ".join(items)


def _days_word(days: int) -> str:
    if days == 1:
        return gettext("next day")
    if days == -1:
        return gettext("previous day")
    if days > 1:
        return ngettext("%(num)d day later", "%(num)d days later", days)
    return ngettext("%(num)d day earlier", "%(num)d days earlier", -days)


# --- the report's parts ---------------------------------------------------------------------

@dataclass(frozen=True)
class ZoneClock:
    """One moment read in one zone, with how many days after the meeting's start day there."""
    zone: str
    time: str
    place: str
    days_after_start: int

    def text(self) -> str:
        """"00:30 in Shanghai (next day)"."""
        base = gettext("%(time)s in %(place)s", time=self.time, place=self.place)
        if self.days_after_start:
            return f"{base} ({_days_word(self.days_after_start)})"
        return base


@dataclass(frozen=True)
class Timing:
    """Planned against actual: durations in minutes, the end in each of the meeting's zones."""
    planned_start: datetime
    planned_end: datetime
    planned_minutes: int
    actual_start: datetime | None
    actual_end: datetime | None
    actual_minutes: int | None
    over_minutes: int | None
    ends: tuple[ZoneClock, ...]
    viewer_end: ZoneClock | None
    sentence: str
    viewer_sentence: str


@dataclass(frozen=True)
class ItemEntry:
    """One agenda item with its speakers (a panel: several), planned and actual minutes."""
    id: int
    title: LocalizedText
    kind: str
    speakers: tuple[Speaker, ...]
    planned_minutes: int
    actual_minutes: int | None
    #: Each speaker's role (speaker id → SpeakerRole); the moderator comes first in `speakers`.
    roles: dict[int, SpeakerRole] = field(default_factory=dict)

    @property
    def is_panel(self) -> bool:
        """Several speakers: one item with its members."""
        return len(self.speakers) > 1

    @property
    def has_roles(self) -> bool:
        """Whether someone is more than a plain speaker (then every role is named)."""
        return any(role != SpeakerRole.SPEAKER for role in self.roles.values())

    def role_label(self, speaker: Speaker) -> str:
        """The speaker's translated role when the item names roles, else ""."""
        role = self.roles.get(speaker.id)
        return role.label if role is not None and self.has_roles else ""


@dataclass(frozen=True)
class TopQuestion:
    """One of the most-voted questions, as the public may read it."""
    id: int
    text: str
    language: str
    translation: str | None
    votes: int
    asker: str | None          #: None: anonymous, erased or asked by staff
    organisation: str | None
    answered: bool
    answer: str | None         #: the written answer, None when answered live or not yet
    answer_translation: str | None


@dataclass(frozen=True)
class QAFigures:
    """How many questions were asked and answered, and the most-voted ones."""
    asked: int
    answered_live: int
    answered_in_writing: int
    votes: int
    top: tuple[TopQuestion, ...]


@dataclass(frozen=True)
class PollEntry:
    """A closed poll with its results (rows for choices, ratings and rankings)."""
    id: int
    question: LocalizedText
    kind: str
    total: int
    rows: tuple[dict, ...]
    average: float | None
    scale: str | None
    words: tuple[dict, ...]
    texts: tuple[dict, ...]


@dataclass(frozen=True)
class Quote:
    """A board post staff quoted, with its author."""
    id: int
    text: str
    language: str | None
    author: str
    organisation: str
    posted_at: datetime


@dataclass(frozen=True)
class AttendanceRow:
    """One row of an attendance table: an organisation type or a country, by its label."""
    key: str
    label: str
    registered: int
    joined_live: int
    watched_recording: int


@dataclass(frozen=True)
class Attendance:
    """The attendance figures (see `webapp.registration.attendance_figures` for what each
    counts), the peak's moment in each of the meeting's zones and the tables' labels in the
    report's language."""
    registered: int
    joined_live: int
    peak_at_once: int
    peak_at: datetime | None
    peak_clocks: tuple[ZoneClock, ...]
    #: "11:40 in Lima and 00:40 in Shanghai (next day)"; empty without a peak.
    peak_time: str
    watched_recording: int
    by_organisation_type: tuple[AttendanceRow, ...]
    by_country: tuple[AttendanceRow, ...]


@dataclass
class Report:
    """Everything the report shows, in one language."""
    meeting: Meeting
    language: str
    published: bool
    series_title: LocalizedText | None
    session: str
    date: str
    organisations: dict[str, list[MeetingOrganisation]]
    intro: str
    intro_drafted: bool
    notes: dict[str, str]
    items: list[ItemEntry]
    timing: Timing
    qa: QAFigures
    polls: list[PollEntry]
    quotes: list[Quote]
    attendance: Attendance
    #: Filled in by the pictures once they exist (see the hooks).
    extras: dict = field(default_factory=dict)


def _minutes(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60)


def _clock(moment: datetime, zone: str, start: datetime, language: str) -> ZoneClock:
    local, start_local = to_zone(moment, zone), to_zone(start, zone)
    return ZoneClock(zone=zone, time=format_time(local, format="short", locale=_babel(language)),
                     place=zone_label(zone, _babel(language)),
                     days_after_start=(local.date() - start_local.date()).days)


def timing(meeting: Meeting, items: list[AgendaItem], language: str,
           viewer_zone: str | None = None) -> Timing:
    """Planned against actual, from the meeting's planned times and the agenda's recorded
    starts and ends, with the overrun stated plainly."""
    planned = _minutes(meeting.starts_at, meeting.planned_end) or 0
    starts = [item.actual_start for item in items if item.actual_start is not None]
    ends = [item.actual_end for item in items if item.actual_end is not None]
    actual_start = min(starts) if starts else None
    actual_end = max(ends) if ends else None
    actual = _minutes(actual_start, actual_end)
    over = actual - planned if actual is not None else None
    clocks: tuple[ZoneClock, ...] = ()
    viewer = None
    viewer_sentence = ""
    if actual_end is not None:
        clocks = tuple(_clock(actual_end, zone, meeting.starts_at, language)
                       for zone in meeting.zones)
        if viewer_zone and all(to_zone(actual_end, zone).utcoffset()
                               != to_zone(actual_end, viewer_zone).utcoffset()
                               for zone in meeting.zones):
            viewer = _clock(actual_end, viewer_zone, meeting.starts_at, language)
            viewer_sentence = gettext("In your time zone, it ended at %(time)s.",
                                      time=viewer.text())
    planned_text = duration_text(planned)
    if actual is None:
        sentence = gettext("The meeting was planned for %(planned)s; its actual start and end "
                           "were not recorded.", planned=planned_text)
    else:
        where = _list([clock.text() for clock in clocks], language)
        if over > 0:
            sentence = gettext("The meeting was planned for %(planned)s and ran %(actual)s, "
                               "%(over)s over; it ended at %(ends)s.", planned=planned_text,
                               actual=duration_text(actual), over=duration_text(over),
                               ends=where)
        elif over < 0:
            sentence = gettext("The meeting was planned for %(planned)s and ran %(actual)s, "
                               "%(under)s less than planned; it ended at %(ends)s.",
                               planned=planned_text, actual=duration_text(actual),
                               under=duration_text(over), ends=where)
        else:
            sentence = gettext("The meeting was planned for %(planned)s and ran as planned; "
                               "it ended at %(ends)s.", planned=planned_text, ends=where)
    return Timing(meeting.starts_at, meeting.planned_end, planned, actual_start, actual_end,
                  actual, over, clocks, viewer, sentence, viewer_sentence)


def agenda_entries(items: list[AgendaItem]) -> list[ItemEntry]:
    """The agenda items that have speakers, in order, each with its speakers: moderators
    first, then the others in the organisers' order."""
    entries = []
    for item in items:
        links = sorted(item.speaker_links,
                       key=lambda link: (link.role != SpeakerRole.MODERATOR, link.position))
        if links:
            entries.append(ItemEntry(
                item.id, item.title, item.kind.value, tuple(link.speaker for link in links),
                item.planned_minutes, _minutes(item.actual_start, item.actual_end),
                {link.speaker_id: link.role for link in links}))
    return entries


def _organisation_type_label(key: str) -> str:
    return str(ORGANISATION_TYPE_LABELS.get(key, key)) if key else gettext("Not given")


def _country_label(key: str, language: str) -> str:
    if not key:
        return gettext("Not given")
    try:
        return country_name(key, language)
    except Exception:  # a language Babel does not know: the names in English
        return country_name(key, "en")


def attendance(meeting: Meeting, language: str) -> Attendance:
    """The meeting's attendance figures with the peak's moment in each of its zones and the
    tables labelled in `language` (organisation types and country names)."""
    found = attendance_figures.figures(meeting.id)
    clocks: tuple[ZoneClock, ...] = ()
    if found.peak_at is not None:
        clocks = tuple(_clock(found.peak_at, zone, meeting.starts_at, language)
                       for zone in meeting.zones)

    def rows(breakdowns, label) -> tuple[AttendanceRow, ...]:
        return tuple(AttendanceRow(row.key, label(row.key), row.registered, row.joined_live,
                                   row.watched_recording) for row in breakdowns)

    return Attendance(
        registered=found.registered, joined_live=found.joined_live,
        peak_at_once=found.peak_at_once, peak_at=found.peak_at, peak_clocks=clocks,
        peak_time=_list([clock.text() for clock in clocks], language),
        watched_recording=found.watched_recording,
        by_organisation_type=rows(found.by_organisation_type, _organisation_type_label),
        by_country=rows(found.by_country, lambda key: _country_label(key, language)))


def _answered_in_writing():
    return func.length(func.trim(func.coalesce(Question.answer_text, ""))) > 0


def question_figures(meeting_id: int, language: str, top: int = TOP_QUESTIONS) -> QAFigures:
    """Asked (every question not withdrawn), answered live (marked answered, no written
    answer), answered in writing (a written answer), the votes on asked questions, and the
    most-voted questions attendees saw, with their answers. Anonymous and erased askers are
    not named."""
    asked_filter = (Question.meeting_id == meeting_id,
                    Question.status != QuestionStatus.WITHDRAWN)
    asked = db.session.scalar(select(func.count(Question.id)).where(*asked_filter)) or 0
    answered = (Question.meeting_id == meeting_id, Question.status == QuestionStatus.ANSWERED)
    in_writing = db.session.scalar(select(func.count(Question.id)).where(
        *answered, _answered_in_writing())) or 0
    live = db.session.scalar(select(func.count(Question.id)).where(
        *answered, ~_answered_in_writing())) or 0
    votes = db.session.scalar(select(func.count(Vote.id)).join(
        Question, Question.id == Vote.question_id).where(*asked_filter)) or 0
    rows = db.session.scalars(
        select(Question).where(Question.meeting_id == meeting_id,
                               Question.status.in_(QUOTABLE_STATUSES))
        .order_by(Question.vote_count.desc(), Question.id).limit(top))
    shown = []
    for question in rows:
        registration = question.registration
        named = (not question.anonymous and registration is not None
                 and registration.anonymised_at is None and bool(registration.name))
        answer = (question.answer_text or "").strip() or None
        translated = translations.public(question.translations).get(language)
        answer_translated = translations.public(question.answer_translations).get(language)
        shown.append(TopQuestion(
            id=question.id, text=question.text, language=question.language,
            translation=(translated["text"] if translated and question.language != language
                         else None),
            votes=question.vote_count,
            asker=registration.name if named else None,
            organisation=(registration.organisation or None) if named else None,
            answered=question.status == QuestionStatus.ANSWERED,
            answer=answer,
            answer_translation=(answer_translated["text"] if answer and answer_translated
                                else None)))
    return QAFigures(asked, live, in_writing, votes, tuple(shown))


def _poll_rows(poll, results: dict) -> list[dict]:
    kind = results.get("kind")
    if kind in ("single", "multiple", "ranking"):
        values = results.get("scores" if kind == "ranking" else "counts") or []
        labels = [localized(option) for option in poll.options or []]
    elif kind == "rating":
        distribution = results.get("distribution") or {}
        labels = [LocalizedText(key) for key in distribution]
        values = list(distribution.values())
    else:
        return []
    total = sum(values) or 1
    top = max(values, default=0) or 1
    return [{"label": label, "value": value, "percent": round(100 * value / total),
             "width": round(100 * value / top)}
            for label, value in zip(labels, values, strict=False)]


def poll_entries(meeting_id: int) -> list[PollEntry]:
    """Closed polls whose results attendees may see, in the organisers' order."""
    entries = []
    for poll, results in poll_services.published_results(meeting_id):
        entries.append(PollEntry(
            id=poll.id, question=poll.question, kind=poll.kind.value,
            total=results.get("total", 0), rows=tuple(_poll_rows(poll, results)),
            average=results.get("average"), scale=poll.scale.value if poll.scale else None,
            words=tuple(results.get("words") or ()),
            texts=tuple({"text": a["text"]} for a in results.get("answers") or ())))
    return entries


def quotes(meeting_id: int) -> list[Quote]:
    """The board posts staff quoted, oldest first, without erased authors."""
    return [Quote(post.id, post.text, post.language, post.registration.name,
                  post.registration.organisation or "", post.created_at)
            for post in board_services.quoted_posts(meeting_id)]


def organisations(meeting: Meeting) -> dict[str, list[MeetingOrganisation]]:
    """The meeting's organisations by role: hosts, partners, supporters (with their logos)."""
    found: dict[str, list[MeetingOrganisation]] = {role.value: [] for role in OrganisationRole}
    for organisation in meeting.organisations:
        found[organisation.role.value].append(organisation)
    return found


def meeting_date(meeting: Meeting, language: str) -> str:
    """The meeting's day in its primary zone ("14 June 2026")."""
    return format_date(to_zone(meeting.starts_at, meeting.timezone or "UTC"), format="long",
                       locale=_babel(language))


def drafted_intro(meeting: Meeting, language: str) -> str:
    """An opening paragraph from the meeting's data, in `language` (the current locale's
    words): who held what, when, in which series; partners and supporters."""
    with reading(language):
        groups = organisations(meeting)
        hosts = _list([str(host.name) for host in groups["host"]], language)
        title = str(meeting.title)
        date = meeting_date(meeting, language)
        if hosts:
            parts = [gettext("On %(date)s, %(hosts)s held the online meeting “%(title)s”.",
                             date=date, hosts=hosts, title=title)]
        else:
            parts = [gettext("The online meeting “%(title)s” took place on %(date)s.",
                             title=title, date=date)]
        if meeting.series is not None:
            series = str(meeting.series.title)
            if meeting.session_number:
                parts.append(gettext("It was the %(session)s of %(series)s.",
                                     session=session_label(meeting.session_number, language),
                                     series=series))
            else:
                parts.append(gettext("It was part of %(series)s.", series=series))
        partners = _list([str(partner.name) for partner in groups["partner"]], language)
        if partners:
            parts.append(gettext("It was organised in partnership with %(names)s.",
                                 names=partners))
        supporters = _list([str(supporter.name) for supporter in groups["supporter"]], language)
        if supporters:
            parts.append(gettext("It had the support of %(names)s.", names=supporters))
    return " ".join(parts)


def drafted_intros(meeting: Meeting) -> LocalizedText:
    """The drafted opening paragraph in every meeting language (for the editor)."""
    values = {}
    for language in meeting.content_languages:
        with force_locale(language):
            values[language] = drafted_intro(meeting, language)
    return LocalizedText(values)


def build(meeting: Meeting, language: str, viewer_zone: str | None = None) -> Report:
    """The whole report in `language` (the current locale should be `language` too), its
    figures read from the database now."""
    report = stored(meeting.id)
    items = list(db.session.scalars(select(AgendaItem).where(
        AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)
        .options(selectinload(AgendaItem.speaker_links))))  # not one query per item
    with reading(language):
        written = report.intro.get(language).strip() if report is not None else ""
        notes = {section: (report.note(section).get(language).strip() if report else "")
                 for section in SECTIONS}
        return Report(
            meeting=meeting,
            language=language,
            published=report is not None and report.published_at is not None,
            series_title=meeting.series.title if meeting.series is not None else None,
            session=session_label(meeting.session_number, language),
            date=meeting_date(meeting, language),
            organisations=organisations(meeting),
            intro=written or drafted_intro(meeting, language),
            intro_drafted=not written,
            notes=notes,
            items=agenda_entries(items),
            timing=timing(meeting, items, language, viewer_zone),
            qa=question_figures(meeting.id, language),
            polls=poll_entries(meeting.id),
            quotes=quotes(meeting.id),
            attendance=attendance(meeting, language),
        )


def get_meeting_report(meeting: Meeting, viewer: User | None) -> MeetingReport | None:
    """The stored report when the viewer may read it: staff always, anyone once published;
    else NotFound (the public learns nothing of a draft)."""
    report = stored(meeting.id)
    if may_read_draft(viewer, meeting):
        return report
    if report is None or report.published_at is None or meeting.status == MeetingStatus.DRAFT:
        raise NotFound()
    return report


# --- Markdown ------------------------------------------------------------------------------

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(text: str) -> str:
    """User text made inert in Markdown: every ASCII punctuation mark is backslash-escaped
    (CommonMark allows it before any of them), so no emphasis, link, image, HTML tag, entity,
    heading, list or table cell can start inside it; line ends become spaces."""
    flat = " ".join(str(text or "").split())
    return _PUNCTUATION.sub(r"\\\1", flat)


def _md_lines(text: str) -> list[str]:
    """A multi-line user text as escaped lines (each line escaped on its own)."""
    return [md_escape(line) for line in str(text or "").splitlines() if line.strip()]


def _md_text(value) -> str:
    return md_escape(str(value))


def _md_organisations(report: Report) -> list[str]:
    labels = {"host": gettext("Organised by"), "partner": gettext("In partnership with"),
              "supporter": gettext("With the support of")}
    lines = []
    for role, members in report.organisations.items():
        if members:
            lines.append(f"- **{labels[role]}:** "
                         + ", ".join(_md_text(member.name) for member in members))
    return lines


def _md_speaker(speaker: Speaker, role: str = "") -> str:
    bits = [f"**{_md_text(speaker.name)}**"]
    bits += [_md_text(text) for text in (speaker.title, speaker.affiliation) if str(text)]
    return "- " + (f"{role}: " if role else "") + ", ".join(bits)


def _md_poll(poll: PollEntry) -> list[str]:
    lines = [f"### {_md_text(poll.question)}", "",
             ngettext("%(num)d answer", "%(num)d answers", poll.total), ""]
    if poll.rows:
        head = gettext("Rating") if poll.kind == "rating" else gettext("Option")
        value = gettext("Points") if poll.kind == "ranking" else gettext("Answers")
        lines += [f"| {head} | {value} | {gettext('Share')} |", "| --- | ---: | ---: |"]
        lines += [f"| {_md_text(row['label'])} | {row['value']} | "
                  f"{gettext('%(num)s%%', num=row['percent'])} |" for row in poll.rows]
    elif poll.words:
        lines += [f"- {_md_text(word['text'])} ({word['count']})" for word in poll.words]
    elif poll.texts:
        lines += [f"- {_md_text(answer['text'])}" for answer in poll.texts]
    lines.append("")
    return lines


def _md_question(number: int, question: TopQuestion) -> list[str]:
    who = (gettext("asked by %(name)s", name=_md_text(question.asker))
           if question.asker else gettext("anonymous"))
    if question.asker and question.organisation:
        who += f", {_md_text(question.organisation)}"
    votes = ngettext("%(num)d vote", "%(num)d votes", question.votes)
    lines = [f"{number}. {_md_text(question.text)} ({votes}; {who})"]
    if question.translation:
        lines.append(f"   *{_md_text(question.translation)}*")
    if question.answer:
        lines.append("")
        lines += [f"   > {line}" for line in _md_lines(question.answer)]
        if question.answer_translation:
            lines += ["   >", *(f"   > *{line}*"
                                  for line in _md_lines(question.answer_translation))]
    elif question.answered:
        lines.append(f"   {gettext('Answered live.')}")
    lines.append("")
    return lines


def _md_attendance_table(rows: tuple[AttendanceRow, ...], caption: str, column: str
                         ) -> list[str]:
    if not rows:
        return []
    lines = [f"### {caption}", "",
             f"| {column} | {gettext('Registered')} | {gettext('Joined live')} | "
             f"{gettext('Watched the recording')} |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {md_escape(row.label)} | {row.registered} | {row.joined_live} | "
              f"{row.watched_recording} |" for row in rows]
    return [*lines, ""]


def _md_attendance(report: Report) -> list[str]:
    attendance = report.attendance
    out = [f"## {gettext('Attendance')}", ""]
    if report.notes["attendance"]:
        out += [*_md_lines(report.notes["attendance"]), ""]
    out += [f"- {gettext('Registered')}: {attendance.registered}",
            f"- {gettext('Joined live')}: {attendance.joined_live}",
            f"- {gettext('Peak at once')}: {attendance.peak_at_once}",
            f"- {gettext('Watched the recording')}: {attendance.watched_recording}", ""]
    if attendance.peak_time:
        out += [gettext("The peak was reached at %(time)s.", time=attendance.peak_time), ""]
    out += _md_attendance_table(attendance.by_organisation_type, gettext("By organisation type"),
                                gettext("Organisation type"))
    out += _md_attendance_table(attendance.by_country, gettext("By country"), gettext("Country"))
    return out


def to_markdown(report: Report) -> str:
    """The report as Markdown for a website: our headings and labels as they are, every text
    a person wrote (titles, names, questions, posts) escaped with `md_escape`."""
    meeting = report.meeting
    with reading(report.language):
        out = [f"# {_md_text(meeting.title)}", ""]
        heading = [_md_text(report.series_title) if report.series_title else "",
                   report.session, report.date]
        out += [" · ".join(bit for bit in heading if bit), ""]
        out += [*_md_lines(report.intro), ""]
        organisations = _md_organisations(report)
        if organisations:
            out += [f"## {gettext('Organisers and partners')}", "", *organisations, ""]
        if report.items:
            out += [f"## {gettext('Speakers')}", ""]
            out += [*_md_lines(report.notes["speakers"]), ""] if report.notes["speakers"] else []
            for item in report.items:
                label = _md_text(item.title)
                if item.is_panel:
                    label = gettext("Panel: %(title)s", title=label)
                out += [f"### {label}", "",
                        *(_md_speaker(s, item.role_label(s)) for s in item.speakers), ""]
        out += [f"## {gettext('Timing')}", ""]
        out += [*_md_lines(report.notes["timing"]), ""] if report.notes["timing"] else []
        out += [report.timing.sentence, ""]
        out += _md_attendance(report)
        qa = report.qa
        out += [f"## {gettext('Questions and answers')}", ""]
        out += [*_md_lines(report.notes["questions"]), ""] if report.notes["questions"] else []
        out += [f"- {gettext('Questions asked')}: {qa.asked}",
                f"- {gettext('Answered live')}: {qa.answered_live}",
                f"- {gettext('Answered in writing')}: {qa.answered_in_writing}",
                f"- {gettext('Votes')}: {qa.votes}", ""]
        if qa.top:
            out += [f"### {gettext('Most-voted questions')}", ""]
            for number, question in enumerate(qa.top, start=1):
                out += _md_question(number, question)
        if report.polls:
            out += [f"## {gettext('Polls')}", ""]
            out += [*_md_lines(report.notes["polls"]), ""] if report.notes["polls"] else []
            for poll in report.polls:
                out += _md_poll(poll)
        if report.quotes:
            out += [f"## {gettext('From the message board')}", ""]
            out += [*_md_lines(report.notes["board"]), ""] if report.notes["board"] else []
            for quote in report.quotes:
                out += [*(f"> {line}" for line in _md_lines(quote.text)), ">"]
                author = _md_text(quote.author)
                if quote.organisation:
                    author += f", {_md_text(quote.organisation)}"
                out += [f"> — {author}", ""]
        # Pictures are added here once they exist (see the report template's hooks).
    return "\n".join(out).rstrip() + "\n"
