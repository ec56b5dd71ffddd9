"""The time zones a picker offers: IANA's canonical zones, labelled for the reader.

`zoneinfo.available_timezones()` holds ~600 names, many of them old aliases ("US/Pacific",
"Asia/Calcutta"). Pickers offer only the zones of IANA's `zone.tab` (one per region of a
country, as the tz database itself lists them) and "UTC"; each option reads "UTC+08:00 ·
上海 (中国) · Asia/Shanghai": the offset now, the city and country in the reader's language
(Babel, CLDR), and the IANA name, sorted by offset then city. The server writes every label;
the browser only filters them. A stored alias still works: `iana_canonical` maps it to the
zone offered in its place.
"""

from __future__ import annotations

import functools
from datetime import datetime
from importlib import resources

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location

from webapp.core.fields import OptionList
from webapp.core.timeutil import is_valid_timezone, to_zone, utcnow

UTC_ZONE = "UTC"
#: Names of UTC itself in the tz database, all shown as "UTC".
_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT",
                        "Universal", "Zulu", "Etc/GMT", "Etc/GMT+0", "Etc/GMT-0", "Etc/GMT0",
                        "Etc/Greenwich", "GMT", "GMT+0", "GMT-0", "GMT0", "Greenwich"})


def _tzdata_text(name: str) -> str:
    return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def canonical_zones() -> tuple[str, ...]:
    """The zones of IANA's zone.tab that this system knows, and "UTC", sorted by name."""
    names = {UTC_ZONE}
    for line in _tzdata_text("zone.tab").splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            if len(fields) >= 3 and is_valid_timezone(fields[2]):
                names.add(fields[2])
    return tuple(sorted(names))


@functools.cache
def _links() -> dict[str, str]:
    """Every alias of the tz database and the name it links to (`L target alias`)."""
    links = {}
    for line in _tzdata_text("tzdata.zi").splitlines():
        if line.startswith("L "):
            parts = line.split()
            if len(parts) == 3:
                links[parts[2]] = parts[1]
    return links


@functools.cache
def iana_canonical(name: str) -> str:
    """The offered zone for `name`: itself when offered, else what its alias links to
    ("US/Pacific" → "America/Los_Angeles", "Asia/Calcutta" → "Asia/Kolkata"), else CLDR's
    name for it; an unknown name is returned as it is."""
    offered = set(canonical_zones())
    if name in _UTC_NAMES:
        return UTC_ZONE
    seen = name
    for _hop in range(8):  # links never chain this far; a bound against a broken file
        if seen in offered:
            return seen
        seen = _links().get(seen)
        if seen is None:
            break
    cldr = get_global("zone_aliases").get(name)
    return cldr if cldr in offered else name


def offset_label(zone: str, moment: datetime) -> str:
    """"UTC+08:00", "UTC-05:00", "UTC+05:45": the zone's offset at the naive-UTC `moment`."""
    offset = to_zone(moment, zone).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


@functools.lru_cache(maxsize=4096)
def zone_place(zone: str, locale: str) -> str:
    """The zone's city and country in the reader's language: "Lima (Perú)", "上海 (中国)"."""
    if zone == UTC_ZONE:
        return UTC_ZONE
    cldr = get_global("zone_aliases").get(zone, zone)
    try:
        city = get_timezone_location(cldr, locale=locale, return_city=True)
    except Exception:  # a zone CLDR does not know reads as its own last part
        city = zone.rsplit("/", 1)[-1].replace("_", " ")
    territory = get_global("zone_territories").get(cldr)
    country = Locale.parse(locale).territories.get(territory) if territory else None
    if not country or country == city or territory == "001":
        return city
    return f"{city} ({country})"


def zone_option_label(zone: str, locale: str, moment: datetime) -> str:
    """"UTC+08:00 · 上海 (中国) · Asia/Shanghai"."""
    place = zone_place(zone, locale)
    parts = [offset_label(zone, moment), place]
    if zone != place:
        parts.append(zone)
    return " · ".join(parts)


@functools.lru_cache(maxsize=32)
def _zone_options(locale: str, hour: datetime) -> OptionList:
    def offset_minutes(zone: str) -> int:
        return int(to_zone(hour, zone).utcoffset().total_seconds() // 60)

    zones = sorted(canonical_zones(),
                   key=lambda z: (offset_minutes(z), zone_place(z, locale).casefold(), z))
    return OptionList((zone, zone_option_label(zone, locale, hour)) for zone in zones)


def zone_options(locale: str, now: datetime | None = None) -> OptionList:
    """The picker's options in the reader's language, with offsets as they are now (built
    once an hour per language: offsets change only at whole hours)."""
    now = now or utcnow()
    return _zone_options(str(locale), now.replace(minute=0, second=0, microsecond=0,
                                                  tzinfo=None))


def display_zone(name: str | None) -> str:
    """The option a stored zone selects: its canonical name (an alias selects its zone)."""
    return iana_canonical(name) if name else name or ""

