"""The organisers' checklist after creating a meeting: what is done and what is left.

Plain Python. Most steps are read from the meeting itself (an agenda item, a speaker, a
published status, a presenter link); the two that leave no other trace (the registration
form reviewed, the meeting tried as an attendee) are marks an organiser sets by opening them
from the checklist, kept in `Meeting.checklist_marks`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import column, func, select, table

from webapp.accounts.models import MeetingRole, RoleKind, StaffInvitation, User
from webapp.core.timeutil import iso_utc, utcnow
from webapp.errors import InvalidInput
from webapp.extensions import db
from webapp.meetings.models import Meeting
from webapp.meetings.services import require_organiser

#: The steps, in the order an organiser usually takes them.
STEPS = ("agenda", "speakers", "registration_form", "staff", "publish", "presenter_link",
         "try_attendee")
#: Steps done by opening them from the checklist (nothing else records them).
MARKED = frozenset({"registration_form", "try_attendee"})
#: Steps a meeting can do without.
OPTIONAL = frozenset({"staff"})
#: Invited staff that count for the "staff" step: someone to share the work.
HELPER_ROLES = (RoleKind.MODERATOR, RoleKind.INTERPRETER)

# The registration questions table as this package sees it: `registration` sits above
# `meetings`, so the count reads the table without importing its model.
_registration_questions = table("registration_questions", column("meeting_id"))


@dataclass(frozen=True)
class Step:
    """One line of the checklist."""
    key: str
    done: bool
    optional: bool = False
    #: How many of the step's things exist (agenda items, speakers...), when it counts any.
    count: int | None = None


@dataclass(frozen=True)
class Checklist:
    """The steps in order, with how many of the required ones are done."""
    steps: tuple[Step, ...]

    @property
    def required(self) -> tuple[Step, ...]:
        """The steps every meeting needs."""
        return tuple(step for step in self.steps if not step.optional)

    @property
    def done(self) -> int:
        """How many required steps are done."""
        return sum(step.done for step in self.required)

    @property
    def complete(self) -> bool:
        """Whether every required step is done."""
        return self.done == len(self.required)

    def __getitem__(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)


def _custom_questions(meeting: Meeting) -> int:
    return db.session.scalar(select(func.count()).select_from(_registration_questions).where(
        _registration_questions.c.meeting_id == meeting.id)) or 0


def _helpers(meeting: Meeting) -> int:
    """Moderators and interpreters with a role, plus open invitations to be one."""
    roles = db.session.scalar(select(func.count(MeetingRole.id)).where(
        MeetingRole.meeting_id == meeting.id, MeetingRole.role.in_(HELPER_ROLES))) or 0
    invited = db.session.scalar(select(func.count(StaffInvitation.id)).where(
        StaffInvitation.meeting_id == meeting.id, StaffInvitation.role.in_(HELPER_ROLES),
        StaffInvitation.used_at.is_(None), StaffInvitation.expires_at > utcnow())) or 0
    return roles + invited


def checklist(meeting: Meeting) -> Checklist:
    """What is done for `meeting`.

    - agenda: at least one item; speakers: at least one speaker;
    - registration form: at least one custom question, or an organiser opened the form
      editor from the checklist (the standard fields may be all a meeting needs, but
      someone should have looked);
    - staff (optional): a moderator or interpreter has a role or an open invitation;
    - publish: the meeting is not a draft (published, live or ended);
    - presenter link: one was created (only its hash is kept);
    - try it as an attendee: an organiser opened the public or live page from the checklist.
    """
    marks = meeting.checklist_marks or {}
    items, speakers = len(meeting.agenda_items), len(meeting.speakers)
    questions, helpers = _custom_questions(meeting), _helpers(meeting)
    return Checklist((
        Step("agenda", items > 0, count=items),
        Step("speakers", speakers > 0, count=speakers),
        Step("registration_form", questions > 0 or "registration_form" in marks,
             count=questions),
        Step("staff", helpers > 0, optional=True, count=helpers),
        Step("publish", meeting.is_public),
        Step("presenter_link", meeting.presenter_token_hash is not None),
        Step("try_attendee", "try_attendee" in marks),
    ))


def mark(actor: User | None, meeting: Meeting, key: str) -> Meeting:
    """Record that an organiser did a step nothing else records; the first time is kept."""
    require_organiser(actor, meeting)
    if key not in MARKED:
        raise InvalidInput()
    marks = dict(meeting.checklist_marks or {})
    if key not in marks:
        marks[key] = iso_utc(utcnow())
        meeting.checklist_marks = marks  # a new dict, so the JSON column is written
        db.session.commit()
    return meeting
