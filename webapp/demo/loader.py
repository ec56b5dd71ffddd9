"""Load the demo: a series with a past and an upcoming session, ~200 registrations."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from webapp.accounts.models import RoleKind, SeriesRole, User
from webapp.accounts.services import create_user, grant_role
from webapp.agenda.models import AgendaItem, AgendaItemSpeaker, ItemKind, Speaker, SpeakerRole
from webapp.board.models import Post
from webapp.core.i18n_text import LocalizedText
from webapp.core.timeutil import iso_utc, local_to_utc, utcnow
from webapp.core.tokens import new_token
from webapp.demo import data, pictures
from webapp.extensions import db
from webapp.feedback.models import (
    FeedbackAnswer,
    FeedbackItemRating,
    FeedbackKind,
    FeedbackQuestion,
    FeedbackResponse,
)
from webapp.meetings.models import (
    Meeting,
    MeetingOrganisation,
    MeetingStatus,
    ModerationMode,
    OrganisationRole,
    Series,
)
from webapp.polls.models import (
    AnswerStatus,
    Poll,
    PollAnswer,
    PollKind,
    PollStatus,
    ResultsVisibility,
)
from webapp.qa.models import Question, QuestionStatus, Vote
from webapp.registration.models import (
    OrganisationType,
    QuestionKind,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)

MEETING_ZONE = data.MEETING_ZONE
ORGANISER_EMAIL = "organiser@demo.example"
MODERATOR_EMAIL = "moderator@demo.example"
INTERPRETER_EMAIL = "interpreter@demo.example"


@dataclass
class DemoResult:
    """What the demo loader made: the meeting and the links to try it."""
    series: Series
    meetings: list[Meeting]
    created: bool
    staff_passwords: dict[str, str] = field(default_factory=dict)
    join_tokens: list[tuple[str, str, str]] = field(default_factory=list)

    def summary(self, base: str) -> str:
        """A printable summary with full links under `base`."""
        lines = []
        lines.append("Demo loaded." if self.created else "Demo was already loaded.")
        lines.append(f"  Series:        {base}/s/{self.series.slug}")
        for meeting in self.meetings:
            lines.append(f"  {meeting.status.value.capitalize():<14} {base}/m/{meeting.slug}")
        for email, password in self.staff_passwords.items():
            lines.append(f"  Staff login:   {base}/login  {email} / {password}")
        for name, slug, token in self.join_tokens:
            lines.append(f"  Join as {name}: {base}/m/{slug}/join/{token}")
        return "\n".join(lines)


def load_demo(seed: int = 11) -> DemoResult:
    """Fill the database with one demo meeting (deterministic for a given seed)."""
    existing = db.session.scalar(select(Series).where(Series.slug == data.SERIES["slug"]))
    if existing is not None:
        return DemoResult(existing, list(existing.meetings), created=False)
    rng = random.Random(seed)
    series = Series(slug=data.SERIES["slug"], title=LocalizedText(data.SERIES["title"]),
                    description=LocalizedText(data.SERIES["description"]))
    db.session.add(series)
    today = date.today()
    past = _meeting(series, 10, today - timedelta(days=14), MeetingStatus.ENDED, rng)
    past.recording_url = "https://video.example.org/pacific-bridge-10"
    # The recording began two minutes before the opening: chapters start a little in.
    past.recording_started_at = past.starts_at - timedelta(minutes=2)
    past.wall_published = True  # its organisers published the record after the meeting
    upcoming = _meeting(series, 11, today + timedelta(days=7), MeetingStatus.PUBLISHED, rng)
    upcoming.capacity = 250
    db.session.flush()
    registrations = _registrations(upcoming, 200, rng)
    _registrations(past, 120, rng)
    db.session.flush()

    result = DemoResult(series, [past, upcoming], created=True)
    staff = _staff(result, series, (past, upcoming))
    _questions(past, rng, answerer=staff[RoleKind.MODERATOR],
               interpreter=staff[RoleKind.INTERPRETER])
    _announcement(past, author=staff[RoleKind.MODERATOR],
                  interpreter=staff[RoleKind.INTERPRETER])
    _posts(past, rng)
    _closed_poll(past, rng)
    _survey_answers(past, rng)
    for registration in registrations[:3]:
        token, token_hash = new_token()
        registration.join_token_hash = token_hash
        result.join_tokens.append((registration.name, upcoming.slug, token))
    db.session.commit()
    return result


def _staff(result: DemoResult, series: Series,
           meetings: tuple[Meeting, ...]) -> dict[RoleKind, User]:
    """The demo organiser, moderator and interpreter of every demo meeting, by role."""
    users = {}
    for email, name, role in ((ORGANISER_EMAIL, "Demo Organiser", RoleKind.ORGANISER),
                              (MODERATOR_EMAIL, "Demo Moderator", RoleKind.MODERATOR),
                              (INTERPRETER_EMAIL, "Demo Interpreter", RoleKind.INTERPRETER)):
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            password = secrets.token_urlsafe(12)
            user = create_user(email, name, password)
            result.staff_passwords[email] = password
        for meeting in meetings:
            grant_role(user, meeting.id, role)
        if role == RoleKind.ORGANISER:
            db.session.add(SeriesRole(series_id=series.id, user_id=user.id,
                                      created_at=utcnow()))
        users[role] = user
    return users


def _meeting(series: Series, number: int, day: date, status: MeetingStatus,
             rng: random.Random) -> Meeting:
    starts_at = local_to_utc(datetime.combine(day, time(10, 0)), MEETING_ZONE)
    meeting = Meeting(
        slug=f"pacific-bridge-{number}",
        series=series,
        session_number=number,
        title=LocalizedText(data.meeting_title(number)),
        description=LocalizedText(data.MEETING_DESCRIPTION),
        confirmation_text=LocalizedText(data.CONFIRMATION_TEXT),
        follow_up_text=LocalizedText(data.FOLLOW_UP_TEXT),
        timezone=MEETING_ZONE,
        partner_timezones=list(data.PARTNER_ZONES),
        starts_at=starts_at,
        planned_end=starts_at + timedelta(hours=2),
        latest_end=starts_at + timedelta(hours=3, minutes=30),
        languages=list(data.LANGUAGES),
        default_language=data.DEFAULT_LANGUAGE,
        qa_moderation=ModerationMode.PRE,
        status=status,
    )
    db.session.add(meeting)
    organisations = [(n, OrganisationRole.HOST) for n in data.HOSTS]
    organisations += [(n, OrganisationRole.PARTNER) for n in data.PARTNERS]
    organisations += [(n, OrganisationRole.SUPPORTER) for n in data.SUPPORTERS]
    for position, (name, role) in enumerate(organisations):
        logo_id = (pictures.store(pictures.logo(str(position), shape=position % 2))
                   if position < 2 else None)  # the host and the first partner have logos
        meeting.organisations.append(MeetingOrganisation(
            name=LocalizedText(name), role=role, position=position, logo_id=logo_id))
    db.session.flush()
    for position, (label, help_text, kind, options, required) in enumerate(
            data.REGISTRATION_QUESTIONS):
        db.session.add(RegistrationQuestion(
            meeting_id=meeting.id, position=position, label=LocalizedText(label),
            help_text=LocalizedText(help_text), kind=QuestionKind(kind),
            choices=[dict(option) for option in options], required=required))
    speakers = {}
    for key, (name, title, affiliation, bio) in data.SPEAKERS.items():
        speakers[key] = Speaker(meeting_id=meeting.id, name=name, title=LocalizedText(title),
                                affiliation=LocalizedText(affiliation), bio=LocalizedText(bio),
                                photo_id=pictures.store(pictures.avatar(name)))
        db.session.add(speakers[key])
    db.session.flush()
    for position, (title, description, kind, minutes, speaker_keys) in enumerate(data.AGENDA):
        item = AgendaItem(meeting_id=meeting.id, position=position, title=LocalizedText(title),
                          description=LocalizedText(description), kind=ItemKind(kind),
                          planned_minutes=minutes)
        db.session.add(item)
        db.session.flush()
        role = SpeakerRole.PANELLIST if kind == "panel" else SpeakerRole.SPEAKER
        for order, key in enumerate(speaker_keys):
            db.session.add(AgendaItemSpeaker(agenda_item_id=item.id,
                                             speaker_id=speakers[key].id, position=order,
                                             role=role))
    if status == MeetingStatus.ENDED:
        _record_overrun(meeting)
    return meeting


def _record_overrun(meeting: Meeting) -> None:
    """The past session ran 3.5 hours instead of 2: Q&A took most of the extra time."""
    db.session.flush()
    db.session.refresh(meeting)
    cursor = meeting.starts_at
    for item in meeting.agenda_items:
        extra = 75 if item.kind == ItemKind.QA else 2
        item.actual_start = cursor
        cursor = cursor + timedelta(minutes=item.planned_minutes + extra)
        item.actual_end = cursor


def _person(rng: random.Random, country: str) -> tuple[str, str, str]:
    """Return (name, language, position) plausible for the organisation's country."""
    roll = rng.random()
    if country == "CN" or roll < 0.12:
        name = rng.choice(data.CHINESE_FAMILY) + rng.choice(data.CHINESE_GIVEN)
        return name, "zh_Hans", rng.choice(data.POSITIONS_ZH)
    if roll < 0.18:
        return rng.choice(data.ENGLISH_NAMES), "en", "Volunteer"
    name = (f"{rng.choice(data.SPANISH_GIVEN)} {rng.choice(data.SPANISH_FAMILY)} "
            f"{rng.choice(data.SPANISH_FAMILY)}")
    return name, "es", rng.choice(data.POSITIONS_ES)


def _registrations(meeting: Meeting, count: int, rng: random.Random) -> list[Registration]:
    rows = []
    base_time = meeting.starts_at - timedelta(days=20)
    for index in range(count):
        organisation, org_type, country = rng.choice(data.ORGANISATIONS)
        name, language, position = _person(rng, country)
        registration = Registration(
            meeting_id=meeting.id,
            name=name,
            email=f"attendee{index:03d}.{meeting.slug}@demo.example",
            organisation=organisation,
            organisation_type=OrganisationType(org_type),
            position=position,
            country=country,
            language=language,
            timezone="America/Lima" if country == "PE" else "Asia/Shanghai",
            status=RegistrationStatus.CONFIRMED,
            consent_at=base_time,
            created_at=base_time + timedelta(minutes=rng.randint(0, 20 * 24 * 60)),
        )
        if meeting.status == MeetingStatus.ENDED and rng.random() < 0.8:
            joined_after = timedelta(minutes=rng.randint(-5, 30))
            registration.first_joined_at = meeting.starts_at + joined_after
        db.session.add(registration)
        rows.append(registration)
    return rows


def _moment_in(item: AgendaItem, rng: random.Random, *, keep_free: int = 0) -> datetime:
    """A moment while `item` ran, at least `keep_free` minutes before its end."""
    last = (item.actual_end - item.actual_start) // timedelta(seconds=1) - keep_free * 60
    return item.actual_start + timedelta(seconds=rng.randint(60, max(60, last)))


def _by_language(meeting: Meeting) -> dict[str, list[Registration]]:
    """The meeting's registrations by the language they write in, in registration order."""
    rows = db.session.scalars(select(Registration).where(Registration.meeting_id == meeting.id)
                              .order_by(Registration.id)).all()
    found: dict[str, list[Registration]] = {}
    for row in rows:
        found.setdefault(row.language, []).append(row)
    return found


def _interpreted(translations: dict[str, str], interpreter: User, at: datetime) -> dict:
    """Translations as an interpreter stores them: by a person, not a machine."""
    return {language: {"text": text, "machine": False, "by": interpreter.id, "at": iso_utc(at)}
            for language, text in translations.items()}


def _questions(meeting: Meeting, rng: random.Random, *, answerer: User,
               interpreter: User) -> None:
    """Each question asked while its agenda item ran (general ones during the Q&A), by someone
    who writes in its language, translated by the interpreter within a minute, answered a few
    minutes later, voted for in between."""
    voters_pool = db.session.scalars(
        select(Registration).where(Registration.meeting_id == meeting.id).limit(40)
    ).all()
    writers = _by_language(meeting)
    used: dict[str, int] = {}
    items = meeting.agenda_items
    qa_item = next(i for i in items if i.kind == ItemKind.QA)
    answer_index, answer_text, answer_translations = data.WRITTEN_ANSWER
    for index, (language, position, text, translated) in enumerate(data.QUESTIONS):
        status = QuestionStatus.ANSWERED if index % 3 != 2 else QuestionStatus.LIVE
        if index == answer_index:
            status = QuestionStatus.ANSWERED
        item = items[position] if position is not None else None
        asked_at = _moment_in(item or qa_item, rng, keep_free=8)
        voters = rng.sample(voters_pool, rng.randint(3, len(voters_pool)))
        asker = writers[language][used.get(language, 0) % len(writers[language])]
        used[language] = used.get(language, 0) + 1
        question = Question(
            meeting_id=meeting.id,
            registration_id=asker.id,
            agenda_item_id=item.id if item else None,
            text=text,
            language=language,
            anonymous=index % 4 == 3,
            status=status,
            vote_count=len(voters),
            client_id=f"demo-{index}",
            created_at=asked_at,
            translations=_interpreted(translated, interpreter, asked_at + timedelta(seconds=50)),
        )
        if status == QuestionStatus.ANSWERED:
            question.answered_at = asked_at + timedelta(minutes=rng.randint(2, 6))
            question.answered_by_id = answerer.id
        if index == answer_index:
            question.answer_text = answer_text
            question.answer_translations = _interpreted(
                answer_translations, interpreter, question.answered_at + timedelta(minutes=1))
        question.updated_at = question.answered_at or asked_at
        db.session.add(question)
        db.session.flush()
        voting_ends = question.answered_at or asked_at + timedelta(minutes=6)
        voting_seconds = (voting_ends - asked_at) // timedelta(seconds=1)
        for voter in voters:
            db.session.add(Vote(question_id=question.id, registration_id=voter.id,
                                created_at=asked_at + timedelta(
                                    seconds=rng.randint(1, voting_seconds))))


def _announcement(meeting: Meeting, *, author: User, interpreter: User) -> None:
    """The moderators' pinned welcome at the opening, in the default language, translated."""
    text, translated = data.ANNOUNCEMENT
    posted_at = meeting.agenda_items[0].actual_start + timedelta(minutes=1)
    db.session.add(Post(meeting_id=meeting.id, user_id=author.id, text=text, pinned=True,
                        client_id="demo-welcome", created_at=posted_at, updated_at=posted_at,
                        translations=_interpreted(translated, interpreter,
                                                  posted_at + timedelta(minutes=1))))


def _posts(meeting: Meeting, rng: random.Random) -> None:
    """Posts spread over the second half of the meeting, in the order they were written, each
    by someone who writes in its language; the organisers quoted two thank-yous in the
    meeting report."""
    authors = _by_language(meeting)
    first, last = meeting.agenda_items[0].actual_start, meeting.agenda_items[-1].actual_end
    half = (last - first) // timedelta(seconds=1) // 2
    moments = sorted(last - timedelta(seconds=rng.randint(1, half)) for _ in data.POSTS)
    for index, ((language, text), posted_at) in enumerate(zip(data.POSTS, moments,
                                                              strict=True)):
        db.session.add(Post(meeting_id=meeting.id, registration_id=rng.choice(authors[language]).id,
                            text=text, client_id=f"demo-{index}",
                            created_at=posted_at, updated_at=posted_at,
                            quoted_at=last if index in data.QUOTED_POSTS else None))


def _closed_poll(meeting: Meeting, rng: random.Random) -> None:
    """A single-choice poll run during the Q&A and closed, its results public."""
    qa_item = next(item for item in meeting.agenda_items if item.kind == ItemKind.QA)
    opened = qa_item.actual_start + timedelta(minutes=5)
    poll = Poll(meeting_id=meeting.id, agenda_item_id=qa_item.id, position=0,
                kind=PollKind.SINGLE, question=LocalizedText(data.POLL["question"]),
                options=list(data.POLL["options"]), results=ResultsVisibility.LIVE,
                anonymous=True, status=PollStatus.CLOSED, opened_at=opened,
                closed_at=opened + timedelta(minutes=4))
    db.session.add(poll)
    db.session.flush()
    voters = db.session.scalars(select(Registration).where(
        Registration.meeting_id == meeting.id).order_by(Registration.id)).all()
    choices = [index for index, count in enumerate(data.POLL["counts"]) for _ in range(count)]
    rng.shuffle(choices)
    for registration, choice in zip(voters, choices, strict=False):
        at = opened + timedelta(seconds=rng.randint(5, 230))
        db.session.add(PollAnswer(poll_id=poll.id, registration_id=registration.id,
                                  client_id=f"demo-{registration.id}", value={"choice": choice},
                                  status=AnswerStatus.SHOWN, created_at=at, updated_at=at))
    poll.answer_count = poll.results_rev = min(len(voters), len(choices))


def _survey_answers(meeting: Meeting, rng: random.Random) -> None:
    """The feedback survey after the past session: the organisers' question on the
    interpretation, and responses in each attendee's language."""
    question = FeedbackQuestion(meeting_id=meeting.id, position=0, kind=FeedbackKind.RATING,
                                label=LocalizedText(data.SURVEY["question"]))
    db.session.add(question)
    db.session.flush()
    comments = {language: list(texts) for language, texts in data.SURVEY["comments"].items()}
    people = db.session.scalars(select(Registration).where(
        Registration.meeting_id == meeting.id).order_by(Registration.id.desc())).all()
    answered_at = max(item.actual_end for item in meeting.agenda_items) + timedelta(hours=10)
    for registration, overall in zip(people, data.SURVEY["overall"], strict=False):
        waiting = comments.get(registration.language) or []
        response = FeedbackResponse(
            meeting_id=meeting.id, registration_id=registration.id, overall=overall,
            comment=waiting.pop(0) if waiting else "", language=registration.language,
            created_at=answered_at + timedelta(minutes=rng.randint(0, 600)))
        response.item_ratings = [
            FeedbackItemRating(agenda_item_id=item.id, rating=max(1, min(5, overall + rng.choice(
                (-1, 0, 0, 1))))) for item in meeting.agenda_items if item.kind != ItemKind.BREAK]
        response.answers = [FeedbackAnswer(question_id=question.id,
                                           rating=max(1, overall - rng.choice((0, 0, 1))))]
        db.session.add(response)
