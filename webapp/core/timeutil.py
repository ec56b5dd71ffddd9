"""Time helpers. The database stores naive UTC; every display converts to a named zone."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def utcnow() -> datetime:
    """Naive UTC now: SQLite and PostgreSQL `timestamp` columns then agree exactly."""
    return datetime.now(UTC).replace(tzinfo=None)


def is_valid_timezone(name: str) -> bool:
    """Whether the IANA zone name is known to this system."""
    if not name or len(name) > 64 or "\x00" in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@functools.cache
def timezone_choices() -> tuple[str, ...]:
    """IANA zones offered in forms; scanning the tz database is slow, so only once."""
    return tuple(sorted(tz for tz in available_timezones()
                        if "/" in tz and not tz.startswith("Etc")))


def to_zone(moment: datetime, zone: str) -> datetime:
    """Convert a naive-UTC moment to an aware datetime in `zone`."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))


def local_to_utc(local: datetime, zone: str) -> datetime:
    """Interpret a naive wall-clock time in `zone` and return naive UTC."""
    aware = local.replace(tzinfo=ZoneInfo(zone))
    return aware.astimezone(UTC).replace(tzinfo=None)


def day_offset(moment: datetime, zone_a: str, zone_b: str) -> int:
    """How many calendar days zone_b's date is ahead of zone_a's for the same moment."""
    return (to_zone(moment, zone_b).date() - to_zone(moment, zone_a).date()).days


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 with an explicit Z, for JSON payloads and `<time datetime>` attributes."""
    if moment is None:
        return None
    return moment.replace(microsecond=0).isoformat() + "Z"


def minutes(n: int) -> timedelta:
    """A timedelta of `n` minutes (reads better in the agenda code)."""
    return timedelta(minutes=n)


@functools.lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """Each IANA zone's ISO 3166 country, from the tz database's zone.tab (tzdata package)."""
    table: dict[str, str] = {}
    text = files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone, *_comment = line.split("\t")
            table[zone] = country
    return table


def zone_country(zone: str) -> str | None:
    """The country whose time `zone` keeps (`America/Lima` → "PE"); None for UTC and the like."""
    return _zone_countries().get(zone)
