"""Time-zone pickers offer IANA's canonical zones, labelled by the server with the offset now
and the city in the reader's language; stored aliases still work."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import available_timezones

from webapp.core.zones import (
    canonical_zones,
    display_zone,
    iana_canonical,
    offset_label,
    zone_options,
    zone_place,
)

JANUARY, JULY = datetime(2026, 1, 15, 12), datetime(2026, 7, 15, 12)
OFFSET = re.compile(r"^UTC([+-])(\d\d):(\d\d) · ")


def _minutes(label: str) -> int:
    sign, hours, minutes = OFFSET.match(label).groups()
    return (1 if sign == "+" else -1) * (int(hours) * 60 + int(minutes))


def test_only_canonical_zones_are_offered():
    zones = set(canonical_zones())
    for alias in ("US/Pacific", "Asia/Calcutta", "Asia/Saigon", "America/Buenos_Aires",
                  "Etc/GMT+5", "GB", "Europe/Kiev"):
        assert alias not in zones, alias
    assert {"UTC", "Asia/Kolkata", "Asia/Shanghai", "America/Lima",
            "America/Argentina/Buenos_Aires", "Europe/Kyiv"} <= zones
    assert zones <= available_timezones() | {"UTC"}
    assert 300 < len(zones) < len(available_timezones())


def test_aliases_map_to_the_zone_offered_in_their_place():
    assert iana_canonical("US/Pacific") == "America/Los_Angeles"
    assert iana_canonical("Asia/Calcutta") == "Asia/Kolkata"
    assert iana_canonical("America/Buenos_Aires") == "America/Argentina/Buenos_Aires"
    assert iana_canonical("Etc/UTC") == "UTC"
    assert iana_canonical("Asia/Shanghai") == "Asia/Shanghai"
    assert iana_canonical("Mars/Olympus_Mons") == "Mars/Olympus_Mons"
    assert display_zone(None) == "" and display_zone("Asia/Katmandu") == "Asia/Kathmandu"


def test_offsets_are_the_ones_in_force_at_the_moment():
    assert offset_label("Asia/Shanghai", JANUARY) == "UTC+08:00"
    assert offset_label("America/New_York", JANUARY) == "UTC-05:00"
    assert offset_label("America/New_York", JULY) == "UTC-04:00"
    assert offset_label("Asia/Kathmandu", JULY) == "UTC+05:45"
    assert offset_label("UTC", JULY) == "UTC+00:00"


def test_labels_are_in_the_readers_language():
    assert zone_place("Asia/Shanghai", "zh_Hans").startswith("上海")
    assert zone_place("America/Lima", "es") == "Lima (Perú)"
    assert zone_place("America/Lima", "zh_Hans") == "利马 (秘鲁)"
    labels = dict(zone_options("zh_Hans", JANUARY))
    assert "上海" in labels["Asia/Shanghai"]
    assert labels["Asia/Shanghai"] == "UTC+08:00 · 上海 (中国) · Asia/Shanghai"
    assert dict(zone_options("es", JULY))["America/New_York"].startswith(
        "UTC-04:00 · Nueva York (Estados Unidos)")


def test_options_are_sorted_by_offset_then_name():
    options = list(zone_options("en", JANUARY))
    assert len(options) == len(canonical_zones())
    offsets = [_minutes(label) for _value, label in options]
    assert offsets == sorted(offsets)
    values = [value for value, _label in options]
    assert values.index("America/Lima") < values.index("UTC") < values.index("Asia/Shanghai")
    same = [label.split(" · ")[1].casefold() for _value, label in options
            if label.startswith("UTC+08:00")]
    assert same == sorted(same)
