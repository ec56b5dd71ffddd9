"""Show a moment in the meeting's zone and, when different, the viewer's own.

"20:00 Lima · 09:00 Beijing (+1 day)": both sides of a meeting 13 hours apart read their own
clock without arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from babel.dates import format_date, format_time, get_timezone_location

from webapp.core.timeutil import day_offset, iso_utc, to_zone


@dataclass(frozen=True)
class ZoneTime:
    """A moment as read in one time zone, for pages and mails."""
    date: str
    time: str
    place: str
    day_shift: int  #: days ahead of the meeting's date (0, +1, -1)


@dataclass(frozen=True)
class DualTime:
    """A moment in the meeting's zone and in the reader's, when they differ."""
    iso: str
    meeting: ZoneTime
    viewer: ZoneTime | None  #: None when the viewer is in the meeting's zone


def zone_label(zone: str, locale: str) -> str:
    """A short city-like label for a zone in the viewer's language ("Lima", "利马")."""
    try:
        return get_timezone_location(zone, locale=locale, return_city=True)
    except Exception:  # unknown zone names still display as themselves
        return zone.rsplit("/", 1)[-1].replace("_", " ")


def _zone_time(moment: datetime, zone: str, locale: str, shift: int) -> ZoneTime:
    local = to_zone(moment, zone)
    return ZoneTime(
        date=format_date(local, format="full", locale=locale),
        time=format_time(local, format="short", locale=locale),
        place=zone_label(zone, locale),
        day_shift=shift,
    )


@lru_cache(maxsize=4096)
def dual_time(moment: datetime, meeting_zone: str, viewer_zone: str | None,
              locale: str) -> DualTime:
    """Cached: a page shows the same few moments to every viewer, and Babel's formatting is
    slow. The result depends only on the arguments and is immutable."""
    meeting = _zone_time(moment, meeting_zone, locale, 0)
    viewer = None
    if viewer_zone and same_offset(moment, meeting_zone, viewer_zone) is False:
        viewer = _zone_time(moment, viewer_zone, locale,
                            day_offset(moment, meeting_zone, viewer_zone))
    return DualTime(iso_utc(moment), meeting, viewer)


def same_offset(moment: datetime, zone_a: str, zone_b: str) -> bool:
    """Whether two zones show the same wall clock at this moment (Lima and Bogotá do)."""
    return to_zone(moment, zone_a).utcoffset() == to_zone(moment, zone_b).utcoffset()
