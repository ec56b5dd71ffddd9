"""The details form keeps the recording's link (http/https only) and when the recording began."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.support.html import parse
from webapp.extensions import db


def details(**overrides):
    values = {"title": "Intercambio 11", "slug": "intercambio-11", "timezone": "America/Lima",
              "starts_local": "2026-12-02T21:00", "planned_end_local": "2026-12-02T23:00",
              "languages": ["es"], "registration_mode": "open", "retention_days": "30",
              "series_id": ""}
    values.update(overrides)
    return values


def test_recording_start_is_saved_in_utc_and_shown_back_in_the_meeting_zone(cast, as_user):
    organiser = as_user(cast.organiser_a)
    url = f"/organiser/meetings/{cast.meeting_a.id}/details"
    response = organiser.post_form(url, details(
        recording_url="https://www.youtube.com/watch?v=abc",
        recording_started_local="2026-12-02T20:58"))
    assert response.status_code == 302
    db.session.refresh(cast.meeting_a)
    assert cast.meeting_a.recording_started_at == datetime(2026, 12, 3, 1, 58)
    page = parse(organiser.get(url).data)
    assert page.one("input#recording_started_local").attr("value") == "2026-12-02T20:58"


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,hi", "ftp://x.org/v",
                                  "//example.org/v", "www.example.org"])
def test_only_http_and_https_recording_links_are_accepted(cast, as_user, link):
    organiser = as_user(cast.organiser_a)
    response = organiser.post_form(f"/organiser/meetings/{cast.meeting_a.id}/details",
                                   details(recording_url=link))
    assert response.status_code == 200
    page = parse(response.data)
    assert "form p.error" in page or "form .form-errors[role=alert]" in page
    db.session.refresh(cast.meeting_a)
    assert cast.meeting_a.recording_url != link
