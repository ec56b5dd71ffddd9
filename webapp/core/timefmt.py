"""Show a moment in each of the meeting's zones and, when it differs from all, the viewer's own.

"20:00 Lima · 09:00 Beijing (+1 day)": every side of a meeting reads its own clock without
arithmetic. One format per locale, decided here with Babel; the browser receives the same
labels and pattern (`clock_strings`) so live updates read exactly like the server's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from babel.core import get_global
from babel.dates import format_date, format_time, get_time_format, get_timezone_location
from flask_babel import gettext

from webapp.core.timeutil import day_offset, is_valid_timezone, iso_utc, to_zone

SEPARATOR = " · "


@dataclass(frozen=True)
class ZoneTime:
    """A moment as read in one time zone, for pages and mails."""
    zone: str
    date: str
    time: str
    short_date: str  #: "10 mar 2026", for tables and CSV
    place: str
    day_shift: int  #: days ahead of the first (primary) zone's date (0, +1, -1)


@dataclass(frozen=True)
class ZoneTimes:
    """A moment in the meeting's zones, then the reader's when it reads differently from all."""
    iso: str
    zones: tuple[ZoneTime, ...]
    viewer_shown: bool = False  #: the last zone is the viewer's own, not one of the meeting's

    @property
    def meeting(self) -> ZoneTime:
        """The primary zone's reading (dates are given in it)."""
        return self.zones[0]

    @property
    def others(self) -> tuple[ZoneTime, ...]:
        """The partner zones' and the viewer's readings."""
        return self.zones[1:]

    @property
    def viewer(self) -> ZoneTime | None:
        """The viewer's reading when it differs from all the meeting's zones."""
        return self.zones[-1] if self.viewer_shown else None

    def texts(self, with_date: bool | str = False) -> list[str]:
        """Each zone's reading; the first carries the date when asked ("short" for tables)."""
        texts = [zone_text(z) for z in self.zones]
        if with_date:
            date = self.meeting.short_date if with_date == "short" else self.meeting.date
            texts[0] = f"{date}, {texts[0]}"
        return texts

    def line(self, with_date: bool | str = False) -> str:
        """"Tuesday, 10 March 2026, 10:00 Lima · 23:00 上海 (+1 day)": the one text format."""
        return SEPARATOR.join(self.texts(with_date))


def canonical_zone(name: str) -> str:
    """The zone CLDR names a city after ("US/Eastern" → "America/New_York")."""
    return get_global("zone_aliases").get(name, name)


def clean_zones(names) -> list[str]:
    """Valid, canonical, distinct zone names, in the given order (unknown names dropped)."""
    seen: list[str] = []
    for name in names or ():
        if isinstance(name, str) and is_valid_timezone(name):
            zone = canonical_zone(name)
            if zone not in seen:
                seen.append(zone)
    return seen


@lru_cache(maxsize=1024)
def zone_label(zone: str, locale: str) -> str:
    """A short city-like label for a zone in the viewer's language ("Lima", "利马")."""
    try:
        return get_timezone_location(canonical_zone(zone), locale=locale, return_city=True)
    except Exception:  # unknown zone names still display as themselves
        return zone.rsplit("/", 1)[-1].replace("_", " ")


def shift_label(days: int) -> str:
    """"+1 day" / "-1 day" in the current language (empty for the same day)."""
    if days > 0:
        return gettext("+%(n)d day", n=days)
    if days < 0:
        return gettext("%(n)d day", n=days)
    return ""


def zone_text(z: ZoneTime) -> str:
    """"09:00 上海 (+1 day)"."""
    shift = shift_label(z.day_shift)
    return f"{z.time} {z.place}" + (f" ({shift})" if shift else "")


def _zone_time(moment: datetime, zone: str, locale: str, shift: int) -> ZoneTime:
    local = to_zone(moment, zone)
    return ZoneTime(
        zone=zone,
        date=format_date(local, format="full", locale=locale),
        short_date=format_date(local, format="medium", locale=locale),
        time=format_time(local, format="short", locale=locale),
        place=zone_label(zone, locale),
        day_shift=shift,
    )


def shown_zones(moment: datetime, zones: tuple[str, ...], viewer_zone: str | None) -> list[str]:
    """The meeting's zones, then the viewer's when its clock differs from all of them."""
    shown = list(dict.fromkeys(zones)) or ["UTC"]
    if viewer_zone and not any(same_offset(moment, z, viewer_zone) for z in shown):
        shown.append(viewer_zone)
    return shown


@lru_cache(maxsize=4096)
def zone_times(moment: datetime, zones: tuple[str, ...], viewer_zone: str | None,
               locale: str) -> ZoneTimes:
    """Cached: a page shows the same few moments to every viewer, and Babel's formatting is
    slow. The result depends only on the arguments and is immutable."""
    shown = shown_zones(moment, zones, viewer_zone)
    primary = shown[0]
    return ZoneTimes(iso_utc(moment), tuple(
        _zone_time(moment, zone, locale, day_offset(moment, primary, zone)) for zone in shown),
        viewer_shown=len(shown) > len(dict.fromkeys(zones) or ["UTC"]))


def same_offset(moment: datetime, zone_a: str, zone_b: str) -> bool:
    """Whether two zones show the same wall clock at this moment (Lima and Bogotá do)."""
    return to_zone(moment, zone_a).utcoffset() == to_zone(moment, zone_b).utcoffset()


@lru_cache(maxsize=64)
def time_pattern(locale: str) -> dict:
    """The locale's short time pattern and day-period words, as Babel formats them."""
    sample = datetime(2000, 1, 1, tzinfo=UTC)
    return {
        "pattern": get_time_format("short", locale=locale).pattern,
        "am": format_time(sample.replace(hour=9), "a", locale=locale),
        "pm": format_time(sample.replace(hour=21), "a", locale=locale),
    }


def clock_strings(zones: tuple[str, ...], viewer_zone: str | None, locale: str) -> dict:
    """What static/js/live/time.js needs to write times as `ZoneTimes.line` does: the zones with
    their localised names, the locale's pattern and the day-shift words. The browser composes
    nothing itself."""
    labelled = list(dict.fromkeys(zones)) or ["UTC"]
    return {
        **time_pattern(locale),
        "zones": [{"zone": z, "label": zone_label(z, locale)} for z in labelled],
        "viewer": ({"zone": viewer_zone, "label": zone_label(viewer_zone, locale)}
                   if viewer_zone else None),
        "day_after": shift_label(1),
        "day_before": shift_label(-1),
        "separator": SEPARATOR,
    }
