"""The live agenda clock: staff start and end items; everyone sees elapsed, overrun, projection.

Plain Python. `now` is an argument everywhere so a whole session can be replayed with a fake
clock. The state sent to clients carries the recorded times and the server's `now`, so pages
keep counting every second without asking again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from webapp.accounts.participant import Participant
from webapp.agenda.models import AgendaItem, ItemKind
from webapp.core.i18n_text import localized
from webapp.core.timeutil import iso_utc, utcnow
from webapp.errors import Conflict, InvalidInput, NotFound, require_staff
from webapp.extensions import db
from webapp.meetings import lifecycle
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.realtime import log


def _minutes(delta: timedelta) -> int:
    """Whole minutes, rounded toward zero (as the pages show them)."""
    return int(delta.total_seconds() // 60) if delta >= timedelta(0) else \
        -int((-delta).total_seconds() // 60)


def current_item(meeting: Meeting | ClockPlan) -> AgendaItem | ItemTimes | None:
    """The item that started and has not ended (at most one)."""
    running = [i for i in meeting.agenda_items if i.actual_start and not i.actual_end]
    return max(running, key=lambda i: i.actual_start) if running else None


def _remaining_after(meeting: Meeting | ClockPlan, item: AgendaItem | None) -> list[AgendaItem]:
    """Items still to come: after `item` in order (or all unstarted ones) and not yet ended."""
    items = meeting.agenda_items
    if item is None:
        return [i for i in items if i.actual_end is None and i.actual_start is None]
    return [i for i in items if i.position > item.position and i.actual_end is None
            and i is not item]


def planned_finish(meeting: Meeting | ClockPlan) -> datetime:
    """The end the plan promises: the planned end, or later when the agenda is longer.

    Lateness is measured from here, so a too long agenda is never shown to attendees as a
    meeting running over; organisers see it as `agenda_excess_minutes` instead.
    """
    agenda = sum(i.planned_minutes for i in meeting.agenda_items)
    return max(meeting.planned_end, meeting.starts_at + timedelta(minutes=agenda))


def agenda_excess_minutes(meeting: Meeting) -> int:
    """How many planned agenda minutes do not fit between the planned start and end."""
    return _minutes(planned_finish(meeting) - meeting.planned_end)


@dataclass(frozen=True)
class AgendaLength:
    """How the planned agenda compares with the meeting's two ends (naive UTC moments)."""
    agenda_minutes: int
    #: When the agenda ends if every item takes its planned minutes from the planned start.
    agenda_end: datetime
    planned_end: datetime
    latest_end: datetime | None
    #: Minutes of agenda past the planned end (0 when it fits).
    past_planned_end: int
    #: Minutes of agenda past the latest acceptable end (0 when it fits or none is set).
    past_latest_end: int

    @property
    def too_long(self) -> bool:
        """Whether organisers should be warned (the latest end is never before the planned
        end, so an agenda past it is past the planned end too)."""
        return self.past_planned_end > 0 or self.past_latest_end > 0


def agenda_length(meeting: Meeting) -> AgendaLength:
    """The agenda against the planned end and the latest acceptable end: the warning on the
    agenda editor, the meeting pages and the console (staff only)."""
    total = sum(i.planned_minutes for i in meeting.agenda_items)
    agenda_end = meeting.starts_at + timedelta(minutes=total)
    latest = meeting.latest_end
    return AgendaLength(
        agenda_minutes=total, agenda_end=agenda_end, planned_end=meeting.planned_end,
        latest_end=latest,
        past_planned_end=max(0, _minutes(agenda_end - meeting.planned_end)),
        past_latest_end=max(0, _minutes(agenda_end - latest)) if latest else 0,
    )


def projected_end(meeting: Meeting | ClockPlan, now: datetime) -> datetime:
    """When the meeting ends if every remaining item takes its planned time from now on.

    Before any item started it is the plan (`planned_finish`), unless the planned start has
    passed and the whole agenda from now ends later.
    """
    if meeting.status == MeetingStatus.ENDED:
        ends = [i.actual_end for i in meeting.agenda_items if i.actual_end]
        return max(ends) if ends else meeting.planned_end
    current = current_item(meeting)
    planned = timedelta(minutes=sum(
        i.planned_minutes for i in _remaining_after(meeting, current)))
    if current is not None:
        cursor = max(now, current.actual_start + timedelta(minutes=current.planned_minutes))
        return cursor + planned
    if any(i.actual_start for i in meeting.agenda_items):
        return now + planned
    return max(now + planned, planned_finish(meeting))


@dataclass(frozen=True)
class ItemTimes:
    """What the clock reads of one agenda item, detached from the session."""
    id: int
    position: int
    title: object  # the localized title as JSON
    kind: ItemKind
    planned_minutes: int
    actual_start: datetime | None
    actual_end: datetime | None


@dataclass(frozen=True)
class ClockPlan:
    """A meeting's clock as recorded (statuses, times, items, who is on now), without `now`.

    Every projection reads the same attributes of a meeting or of its plan, so one plan read
    for a meeting serves every attendee joining in the same state, and each join adds only
    its own `now` (`realtime.snapshots`).
    """
    status: MeetingStatus
    timezone: str
    starts_at: datetime
    planned_end: datetime
    latest_end: datetime | None
    agenda_items: tuple[ItemTimes, ...]
    current_speakers: tuple[tuple[str, str], ...]  # (name, role) of the current item's


def plan_of(meeting: Meeting) -> ClockPlan:
    """Read a meeting's clock plan: its agenda items and the current item's speakers."""
    items = tuple(ItemTimes(i.id, i.position, localized(i.title).to_json_value(), i.kind,
                            i.planned_minutes, i.actual_start, i.actual_end)
                  for i in meeting.agenda_items)
    current = current_item(meeting)
    speakers = () if current is None else tuple(
        (link.speaker.name, link.role.value) for link in current.speaker_links)
    return ClockPlan(meeting.status, meeting.timezone, meeting.starts_at, meeting.planned_end,
                     meeting.latest_end, items, speakers)


def state(meeting: Meeting, now: datetime | None = None) -> dict:
    """Everything a clock display needs, as JSON-ready values."""
    return state_at(plan_of(meeting), now or utcnow())


def state_at(plan: ClockPlan, now: datetime) -> dict:
    """The clock of `plan` at `now`, as JSON-ready values."""
    current = current_item(plan)
    projection = projected_end(plan, now)
    data = {
        "status": plan.status.value,
        "timezone": plan.timezone,
        "now": iso_utc(now),
        "starts_at": iso_utc(plan.starts_at),
        "planned_end": iso_utc(plan.planned_end),
        "latest_end": iso_utc(plan.latest_end),
        "current_item_id": current.id if current else None,
        "items": [
            {"id": i.id, "position": i.position, "title": i.title, "kind": i.kind.value,
             "planned_minutes": i.planned_minutes, "actual_start": iso_utc(i.actual_start),
             "actual_end": iso_utc(i.actual_end)}
            for i in plan.agenda_items
        ],
        "projected_end": iso_utc(projection),
        "overrun_minutes": max(0, _minutes(projection - planned_finish(plan))),
        "elapsed_minutes": None,
        "item_overrun_minutes": 0,
        "past_latest_end": bool(plan.latest_end and projection > plan.latest_end),
        "qa_minutes_left": None,
        "current_speakers": [{"name": name, "role": role}
                             for name, role in plan.current_speakers],
    }
    if current is not None:
        elapsed = _minutes(now - current.actual_start)
        data["elapsed_minutes"] = elapsed
        data["item_overrun_minutes"] = max(0, elapsed - current.planned_minutes)
        if current.kind == ItemKind.QA and plan.latest_end:
            after = sum(i.planned_minutes for i in _remaining_after(plan, current))
            data["qa_minutes_left"] = max(
                0, _minutes(plan.latest_end - timedelta(minutes=after) - now))
    return data


def snapshot(participant: Participant, meeting: Meeting | None = None) -> dict:
    """The clock's part of a `join` snapshot. `meeting`: the participant's, when the caller
    has read it already (a join reads it once for every part)."""
    if meeting is None:
        meeting = db.session.get(Meeting, participant.meeting_id)
    return state(meeting) if meeting is not None else {}


def snapshot_from_plan(_participant: Participant, plan: ClockPlan) -> dict:
    """An attendee's clock part from the plan attendees share: only `now` is theirs."""
    return state_at(plan, utcnow())


# --- staff commands ------------------------------------------------------------------------

def _staff_meeting(participant: Participant) -> Meeting:
    require_staff(participant)
    meeting = db.session.get(Meeting, participant.meeting_id)
    if meeting is None:
        raise NotFound(_l("This meeting does not exist."))
    return meeting


def _set_status(meeting: Meeting, status: MeetingStatus, now: datetime) -> None:
    """Change the status; ending (or leaving the end) is announced to every package."""
    ends_or_resumes = MeetingStatus.ENDED in (meeting.status, status) and meeting.status != status
    meeting.status = status
    if ends_or_resumes:
        lifecycle.status_changed(meeting, now)


def _publish(meeting: Meeting, now: datetime) -> dict:
    db.session.flush()
    data = state(meeting, now)
    log.record(meeting.id, "clock_changed", {"clock": data})
    db.session.commit()
    return data


def _begin(meeting: Meeting, item: AgendaItem, now: datetime) -> None:
    item.actual_start = now
    item.actual_end = None
    if meeting.status in (MeetingStatus.PUBLISHED, MeetingStatus.DRAFT, MeetingStatus.ENDED):
        _set_status(meeting, MeetingStatus.LIVE, now)


def _finish_current(meeting: Meeting, now: datetime) -> AgendaItem | None:
    current = current_item(meeting)
    if current is not None:
        current.actual_end = max(now, current.actual_start)
    return current


def start_next(participant: Participant, *, now: datetime | None = None) -> dict:
    """End the running item (if any) and start the one after it."""
    now = now or utcnow()
    meeting = _staff_meeting(participant)
    if meeting.status == MeetingStatus.ENDED:
        raise Conflict(_l("This meeting has ended."))
    current = _finish_current(meeting, now)
    if current is not None:
        following = [i for i in meeting.agenda_items if i.position > current.position]
    else:
        done = [i for i in meeting.agenda_items if i.actual_start]
        last = max(done, key=lambda i: i.position) if done else None
        following = [i for i in meeting.agenda_items
                     if last is None or i.position > last.position]
    if not following:
        if current is not None:  # the last item ended: so did the meeting
            _set_status(meeting, MeetingStatus.ENDED, now)
            return _publish(meeting, now)
        raise Conflict(_l("There is no next item on the agenda."))
    _begin(meeting, following[0], now)
    return _publish(meeting, now)


def end_current(participant: Participant, *, now: datetime | None = None) -> dict:
    """End the running item; ending the last one ends the meeting."""
    now = now or utcnow()
    meeting = _staff_meeting(participant)
    current = _finish_current(meeting, now)
    if current is None:
        raise Conflict(_l("No agenda item is running."))
    if current.position == max(i.position for i in meeting.agenda_items):
        _set_status(meeting, MeetingStatus.ENDED, now)
    return _publish(meeting, now)


def jump_to(participant: Participant, item_id, *, now: datetime | None = None) -> dict:
    """End the running item and (re)start any item: agendas change on the day."""
    now = now or utcnow()
    meeting = _staff_meeting(participant)
    if not isinstance(item_id, int) or isinstance(item_id, bool):
        raise InvalidInput(_l("This agenda item does not exist."))
    target = next((i for i in meeting.agenda_items if i.id == item_id), None)
    if target is None:
        raise NotFound(_l("This agenda item does not exist."))
    if current_item(meeting) is target:
        raise Conflict(_l("This item is already running."))
    _finish_current(meeting, now)
    _begin(meeting, target, now)
    return _publish(meeting, now)


def end_meeting(participant: Participant, *, now: datetime | None = None) -> dict:
    """End the running item and the meeting, whatever is left on the agenda."""
    now = now or utcnow()
    meeting = _staff_meeting(participant)
    _finish_current(meeting, now)
    _set_status(meeting, MeetingStatus.ENDED, now)
    return _publish(meeting, now)
