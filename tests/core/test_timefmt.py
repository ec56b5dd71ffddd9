"""Times in the meeting's zones and the viewer's (webapp/core/timefmt.py), and the vectors the
browser runs too (tests/data/time_vectors.json, tests/js/time.test.mjs): a page's first render
and a live update read the same. `PUENTE_WRITE_TIME_VECTORS=1` rewrites the file."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from flask_babel import force_locale

from webapp.core.timefmt import canonical_zone, clean_zones, clock_strings, zone_label, zone_times

VECTOR_FILE = Path(__file__).resolve().parents[1] / "data" / "time_vectors.json"
LOCALES = ("en", "es", "zh_Hans")
CASES = (
    # (instant, meeting zones, viewer zone)
    ("2026-03-10T13:24:00Z", ("Asia/Shanghai", "America/Lima"), None),
    ("2026-03-10T13:24:00Z", ("Asia/Shanghai", "America/Lima"), "UTC"),
    ("2026-03-10T13:24:00Z", ("Asia/Shanghai", "America/Lima"), "America/Bogota"),
    ("2026-03-10T02:05:00Z", ("America/Lima", "Asia/Shanghai"), "Europe/Madrid"),
    ("2026-03-10T23:59:00Z", ("Europe/London",), "Pacific/Kiritimati"),
    ("2026-07-01T00:00:00Z", ("UTC",), "America/Los_Angeles"),
    ("2026-03-29T00:30:00Z", ("Europe/Madrid", "Asia/Kolkata", "America/Lima"), "Asia/Shanghai"),
    ("2026-11-01T12:00:00Z", ("Asia/Shanghai",), "Asia/Shanghai"),
)


def _moment(iso: str) -> datetime:
    return datetime.fromisoformat(iso.removesuffix("Z"))


def _vectors() -> list[dict]:
    out = []
    for iso, zones, viewer in CASES:
        for locale in LOCALES:
            with force_locale(locale):
                out.append({
                    "iso": iso, "zones": list(zones), "viewer": viewer, "locale": locale,
                    "times": clock_strings(zones, viewer, locale),
                    "text": zone_times(_moment(iso), zones, viewer, locale).line(),
                })
    return out


def test_the_server_writes_the_vectors_the_browser_checks(app):
    vectors = _vectors()
    if os.environ.get("PUENTE_WRITE_TIME_VECTORS"):
        VECTOR_FILE.write_text(json.dumps(vectors, ensure_ascii=False, indent=1) + "\n",
                               encoding="utf-8")
    stored = json.loads(VECTOR_FILE.read_text(encoding="utf-8"))
    assert stored == vectors


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "10:05\u202fAM Shanghai · 9:05\u202fPM Lima (-1 day)"),
    ("es", "10:05 Shanghái · 21:05 Lima (-1 día)"),
    ("zh_Hans", "10:05 上海 · 21:05 利马 (-1 天)"),
])
def test_every_meeting_zone_is_shown_with_its_day_shift(app, locale, expected):
    with force_locale(locale):
        t = zone_times(_moment("2026-03-10T02:05:00Z"), ("Asia/Shanghai", "America/Lima"),
                       None, locale)
        assert t.line() == expected
        assert [z.zone for z in t.zones] == ["Asia/Shanghai", "America/Lima"]
        assert t.viewer is None


def test_the_viewer_is_added_only_when_their_clock_differs_from_all(app):
    moment = _moment("2026-03-10T02:05:00Z")
    zones = ("Asia/Shanghai", "America/Lima")
    with force_locale("en"):
        assert zone_times(moment, zones, "America/Bogota", "en").viewer is None  # as Lima
        utc = zone_times(moment, zones, "UTC", "en")
        assert utc.viewer.place == "UTC" and utc.viewer.day_shift == 0
        assert utc.line().endswith("(-1 day) · 2:05\u202fAM UTC")
        assert [z.zone for z in utc.zones] == ["Asia/Shanghai", "America/Lima", "UTC"]


def test_three_zones_and_a_day_ahead_with_the_date_in_the_primary_zone(app):
    with force_locale("es"):
        t = zone_times(_moment("2026-03-10T20:00:00Z"), ("America/Lima", "Asia/Shanghai"),
                       "Europe/Madrid", "es")
        assert t.line(with_date=True) == (
            "martes, 10 de marzo de 2026, 15:00 Lima · 4:00 Shanghái (+1 día) · 21:00 Madrid")
        assert t.line("short").startswith("10 mar 2026, 15:00 Lima")


def test_zone_names_are_localised_and_aliases_canonical():
    assert zone_label("Asia/Shanghai", "zh_Hans") == "上海"
    assert zone_label("America/Lima", "zh_Hans") == "利马"
    assert zone_label("Asia/Calcutta", "en") == zone_label("Asia/Kolkata", "en")
    assert canonical_zone("US/Eastern") == "America/New_York"
    assert clean_zones(["Asia/Calcutta", "Asia/Kolkata", "Nowhere/Else", 7]) == ["Asia/Kolkata"]


def test_the_browser_gets_the_locale_pattern_and_labels(app):
    with force_locale("zh_Hans"):
        times = clock_strings(("Asia/Shanghai", "America/Lima"), "UTC", "zh_Hans")
    assert times["pattern"] == "HH:mm"
    assert times["zones"] == [{"zone": "Asia/Shanghai", "label": "上海"},
                              {"zone": "America/Lima", "label": "利马"}]
    assert times["viewer"] == {"zone": "UTC", "label": "UTC"}
    with force_locale("en"):
        assert clock_strings(("UTC",), None, "en")["pattern"] == "h:mm\u202fa"
