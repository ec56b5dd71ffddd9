"""Figures for the organisers' dashboard beyond registrations: votes, board activity, presence
over time, question languages and the answers to the organisers' registration questions.

Plain services: they read rows and return numbers; the dashboard view draws them. Times come
back as aware datetimes in the meeting's primary zone; series are bucketed by hour when the data
spans two days or less, by day (in the meeting's zone) otherwise.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.board.models import Post, Reaction
from webapp.extensions import db
from webapp.meetings.models import Meeting
from webapp.meetings.services import get_managed
from webapp.qa.models import Question, QuestionStatus, Vote
from webapp.registration import attendance_figures
from webapp.registration.admin_services import ACTIVE
from webapp.registration.models import QuestionKind, Registration, RegistrationQuestion

#: Series spanning at most this long are counted per hour, longer ones per day.
HOURLY_SPAN = timedelta(days=2)


@dataclass(frozen=True)
class Series:
    """Counts per time bucket (each bucket's start, aware, in the meeting's zone)."""

    unit: str                                   #: "hour" or "day"
    points: list[tuple[datetime, int]]


@dataclass(frozen=True)
class ChoiceAnswers:
    """One organiser question's answers: counts per choice (or yes/no for a checkbox)."""

    question: RegistrationQuestion
    counts: list[tuple[str, int]]               #: (stored answer or "yes"/"no", people)
    unanswered: int


def bucket_series(moments: list[datetime], zone: str, *, cumulative: bool = False,
                  maximum: list[int] | None = None) -> Series:
    """Count naive-UTC `moments` per hour (span ≤ 2 days) or per day in `zone`, every bucket
    from the first to the last included. With `maximum` (one value per moment) each bucket
    holds the highest value seen in it instead of a count; `cumulative` gives running totals."""
    if not moments:
        return Series("hour", [])
    tz = ZoneInfo(zone)
    local = [m.replace(tzinfo=UTC).astimezone(tz) for m in moments]
    unit = "hour" if max(moments) - min(moments) <= HOURLY_SPAN else "day"

    def start(moment: datetime) -> datetime:
        if unit == "hour":
            return moment.replace(minute=0, second=0, microsecond=0)
        return moment.replace(hour=0, minute=0, second=0, microsecond=0)

    values: dict[datetime, int] = {}
    for index, moment in enumerate(local):
        key = start(moment)
        if maximum is None:
            values[key] = values.get(key, 0) + 1
        else:
            values[key] = max(values.get(key, 0), maximum[index])
    points, total = [], 0
    bucket, last = min(values), max(values)
    while bucket <= last:
        value = values.get(bucket, 0)
        total += value
        points.append((bucket, total if cumulative else value))
        # Step in UTC and come back to the zone, so a DST change never repeats a bucket.
        step = timedelta(hours=1) if unit == "hour" else timedelta(days=1)
        following = (bucket.astimezone(UTC) + step).astimezone(tz)
        bucket = start(following) if unit == "hour" else following.replace(
            hour=0, minute=0, second=0, microsecond=0)
    return Series(unit, points)


def registrations_over_time(meeting: Meeting) -> Series:
    """Running total of registrations, per hour or per day in the meeting's zone."""
    created = list(db.session.scalars(
        select(Registration.created_at).where(Registration.meeting_id == meeting.id)
        .order_by(Registration.created_at)))
    return bucket_series(created, meeting.timezone or "UTC", cumulative=True)


def votes(meeting_id: int, top: int = 10) -> tuple[int, list[tuple[Question, int]]]:
    """All votes cast in the meeting, and the most-voted questions with their votes."""
    count = func.count(Vote.id)
    rows = db.session.execute(
        select(Question, count).join(Vote, Vote.question_id == Question.id)
        .where(Question.meeting_id == meeting_id)
        .group_by(Question.id).order_by(count.desc(), Question.id).limit(top)).all()
    total = db.session.scalar(
        select(func.count(Vote.id)).join(Question, Vote.question_id == Question.id)
        .where(Question.meeting_id == meeting_id)) or 0
    return int(total), [(question, int(n)) for question, n in rows]


def board_activity(meeting: Meeting) -> tuple[Series, Series]:
    """Posts and reactions over time (counts per bucket), on the same buckets."""
    posts = list(db.session.scalars(
        select(Post.created_at).where(Post.meeting_id == meeting.id)))
    reactions = list(db.session.scalars(
        select(Reaction.created_at).join(Post, Reaction.post_id == Post.id)
        .where(Post.meeting_id == meeting.id)))
    zone = meeting.timezone or "UTC"
    both = bucket_series(posts + reactions, zone)
    if not both.points:
        return both, both

    def on_buckets(moments: list[datetime]) -> Series:
        counted = dict(bucket_series(moments, zone).points) if moments else {}
        if moments and bucket_series(moments, zone).unit != both.unit:
            counted = _rebucket(moments, zone, both.unit)
        return Series(both.unit, [(at, counted.get(at, 0)) for at, _n in both.points])

    return on_buckets(posts), on_buckets(reactions)


def _rebucket(moments: list[datetime], zone: str, unit: str) -> dict[datetime, int]:
    tz = ZoneInfo(zone)
    counted: Counter = Counter()
    for moment in moments:
        local = moment.replace(tzinfo=UTC).astimezone(tz)
        local = local.replace(minute=0, second=0, microsecond=0)
        if unit == "day":
            local = local.replace(hour=0)
        counted[local] += 1
    return dict(counted)


def presence(meeting: Meeting) -> tuple[int, datetime | None, Series]:
    """Peak attendees at once (and when, in the meeting's zone), and the highest count per
    hour or day from the presence history."""
    figures = attendance_figures.figures(meeting.id)
    points = attendance_figures.presence_over_time(meeting.id)
    zone = meeting.timezone or "UTC"
    series = bucket_series([p.at for p in points], zone,
                           maximum=[p.attendees_online for p in points])
    peak_at = (figures.peak_at.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
               if figures.peak_at else None)
    return figures.peak_at_once, peak_at, series


def question_languages(meeting_id: int) -> list[tuple[str, int]]:
    """Questions asked (withdrawn ones left out) by the language stored on each, most first."""
    count = func.count(Question.id)
    rows = db.session.execute(
        select(Question.language, count)
        .where(Question.meeting_id == meeting_id, Question.status != QuestionStatus.WITHDRAWN)
        .group_by(Question.language).order_by(count.desc(), Question.language)).all()
    return [(language or "", int(n)) for language, n in rows]


def registration_answers(meeting: Meeting) -> list[ChoiceAnswers]:
    """Counts per choice of each choice and checkbox question of the registration form, over
    active and attended registrations (free-text answers are read in the registration list)."""
    questions = list(db.session.scalars(
        select(RegistrationQuestion).where(RegistrationQuestion.meeting_id == meeting.id,
                                           RegistrationQuestion.kind != QuestionKind.TEXT)
        .order_by(RegistrationQuestion.position, RegistrationQuestion.id)))
    if not questions:
        return []
    answers = list(db.session.scalars(
        select(Registration.answers).where(Registration.meeting_id == meeting.id,
                                           Registration.status.in_(ACTIVE))))
    result = []
    for question in questions:
        key = str(question.id)
        counted: Counter = Counter()
        unanswered = 0
        for given in answers:
            value = (given or {}).get(key)
            if question.kind == QuestionKind.CHECKBOX:
                counted["yes" if value is True else "no"] += 1
            elif isinstance(value, str) and value:
                counted[value] += 1
            else:
                unanswered += 1
        if question.kind == QuestionKind.CHECKBOX:
            rows = [("yes", counted["yes"]), ("no", counted["no"])]
        else:
            options = [stored for stored, _label in question.options()]
            rows = [(stored, counted.pop(stored, 0)) for stored in options]
            rows += sorted(counted.items())          # answers to choices removed since
        result.append(ChoiceAnswers(question, rows, unanswered))
    return result


def dashboard(actor: User | None, meeting_id: int) -> dict:
    """Everything above for one meeting, for its organisers (raises NotFound/Forbidden)."""
    meeting = get_managed(actor, meeting_id)
    total_votes, top_questions = votes(meeting.id)
    posts, reactions = board_activity(meeting)
    peak, peak_at, online = presence(meeting)
    return {
        "registrations": registrations_over_time(meeting),
        "votes": total_votes, "top_questions": top_questions,
        "posts": posts, "reactions": reactions,
        "peak": peak, "peak_at": peak_at, "online": online,
        "question_languages": question_languages(meeting.id),
        "answers": registration_answers(meeting),
    }
