"""Watch later: the agenda clock's actual starts as chapters of the recording, and each answered
question at the moment it was answered, as offsets from when the recording began."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select

from webapp.agenda.models import AgendaItem
from webapp.extensions import db
from webapp.meetings.models import Meeting
from webapp.qa.models import Question, QuestionStatus

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_VIMEO_ID = re.compile(r"[0-9]{1,12}")
#: The only origins a recording may be embedded from (the watch page's CSP `frame-src`):
#: YouTube's no-cookie player and Vimeo's player. Any other provider is a link.
YOUTUBE_PLAYER = "https://www.youtube-nocookie.com"
VIMEO_PLAYER = "https://player.vimeo.com"


@dataclass(frozen=True)
class Chapter:
    """One agenda item as it happened: seconds into the recording and the wall-clock start."""
    title: str
    offset: int
    started_at: datetime


@dataclass(frozen=True)
class Mark:
    """An answered question at the moment it was answered."""
    question: Question
    offset: int
    answered_at: datetime


def recording_url(meeting: Meeting) -> str | None:
    """The recording's link, only when it is a plain http(s) address."""
    url = meeting.recording_url
    try:
        parts = urlsplit(url or "")
    except ValueError:  # e.g. a broken IPv6 host
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _started_items(meeting: Meeting) -> list[AgendaItem]:
    items = db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                 AgendaItem.actual_start.is_not(None))
    ).all()
    return sorted(items, key=lambda item: (item.actual_start, item.position, item.id))


def recording_start(meeting: Meeting) -> datetime | None:
    """When the recording began: as the organisers set it, else when the first item started."""
    if meeting.recording_started_at is not None:
        return meeting.recording_started_at
    items = _started_items(meeting)
    return items[0].actual_start if items else None


def _offset(moment: datetime, start: datetime) -> int:
    """Whole seconds into the recording; moments before it began clamp to 0."""
    return max(0, int((moment - start).total_seconds()))


def chapters(meeting: Meeting) -> list[Chapter]:
    """Every started item in the order it ran; items never started are left out. Items that
    started before the recording clamp to 0, and only the last of those is kept so that no two
    chapters share a time."""
    start = recording_start(meeting)
    if start is None:
        return []
    result: list[Chapter] = []
    for item in _started_items(meeting):
        chapter = Chapter(item.title, _offset(item.actual_start, start), item.actual_start)
        if result and result[-1].offset == chapter.offset:
            result[-1] = chapter
        else:
            result.append(chapter)
    return result


def end_offset(meeting: Meeting) -> int | None:
    """Where the last chapter ends: the meeting's actual end (the latest recorded end), or the
    last item's planned length after its start while it has no recorded end."""
    start = recording_start(meeting)
    items = _started_items(meeting)
    if start is None or not items:
        return None
    ends = [item.actual_end for item in items if item.actual_end is not None]
    last = items[-1]
    if last.actual_end is None:
        ends.append(last.actual_start + timedelta(minutes=last.planned_minutes))
    return _offset(max(ends), start)


def question_marks(meeting: Meeting) -> list[Mark]:
    """Answered questions with an answer time, in the order they were answered."""
    start = recording_start(meeting)
    if start is None:
        return []
    questions = db.session.scalars(
        select(Question).where(Question.meeting_id == meeting.id,
                               Question.status == QuestionStatus.ANSWERED,
                               Question.answered_at.is_not(None))
        .order_by(Question.answered_at, Question.id)
    ).all()
    return [Mark(q, _offset(q.answered_at, start), q.answered_at) for q in questions]


def clock(seconds: int, *, fraction: bool = False) -> str:
    """`HH:MM:SS` (with `.mmm` for WebVTT)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{text}.000" if fraction else text


def short_clock(seconds: int) -> str:
    """`MM:SS`, or `H:MM:SS` past the hour, as video platforms read chapter lists."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _one_line(text) -> str:
    """Titles on a single line (in the reader's language): a line break would end a cue or a
    chapter early."""
    return " ".join(str(text).split())


def _cue_text(text: str) -> str:
    """WebVTT cue text: no markup, no `-->`, on one line."""
    escaped = _one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped or "-"


def chapters_vtt(meeting: Meeting) -> str:
    """The chapters as a WebVTT file: each cue ends where the next starts, the last at the
    meeting's actual end."""
    found = chapters(meeting)
    end = end_offset(meeting) or 0
    lines = ["WEBVTT", ""]
    for number, chapter in enumerate(found, start=1):
        stop = found[number].offset if number < len(found) else max(end, chapter.offset)
        lines += [str(number),
                  f"{clock(chapter.offset, fraction=True)} --> {clock(stop, fraction=True)}",
                  _cue_text(chapter.title), ""]
    return "\n".join(lines)


def chapters_txt(meeting: Meeting) -> str:
    """`00:00 Title` lines for video platforms; the first always at 00:00 as YouTube requires."""
    found = chapters(meeting)
    lines = []
    for number, chapter in enumerate(found):
        offset = 0 if number == 0 else chapter.offset
        lines.append(f"{short_clock(offset)} {_one_line(chapter.title)}".rstrip())
    return "\n".join(lines) + ("\n" if lines else "")


def jump_url(url: str, seconds: int) -> str:
    """The recording at `seconds`: `t=` for YouTube, `#t=` for Vimeo, a media fragment else."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in _YOUTUBE_HOSTS:
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
        query.append(("t", f"{seconds}s"))
        return urlunsplit(parts._replace(query=urlencode(query)))
    if host in _VIMEO_HOSTS:
        return urlunsplit(parts._replace(fragment=f"t={seconds}s"))
    return urlunsplit(parts._replace(fragment=f"t={seconds}"))


def embed_url(url: str | None) -> str | None:
    """The provider's player address for an embedded recording, or None: only YouTube (in its
    no-cookie form) and Vimeo, and only for an id of the provider's own shape."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if host in _YOUTUBE_HOSTS:
        if host == "youtu.be":
            candidate = segments[0] if segments else ""
        elif segments[:1] in (["embed"], ["live"], ["shorts"]) and len(segments) > 1:
            candidate = segments[1]
        else:
            candidate = dict(parse_qsl(parts.query)).get("v", "")
        if _YOUTUBE_ID.fullmatch(candidate):
            return f"{YOUTUBE_PLAYER}/embed/{candidate}"
    if host in _VIMEO_HOSTS:
        candidate = segments[-1] if segments else ""
        if _VIMEO_ID.fullmatch(candidate):
            return f"{VIMEO_PLAYER}/video/{candidate}"
    return None
