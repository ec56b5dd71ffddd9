"""Valid input for the forms and services tests post to; each test overrides what it checks."""

from __future__ import annotations

from datetime import datetime


def registration_form(csrf: str, **overrides) -> dict:
    """The public sign-up form, filled in."""
    data = dict(csrf_token=csrf, name="Lucía Huamán", email="lucia@example.org",
                organisation="Hospital Loayza", organisation_type="health",
                position="Enfermera jefa", country="PE", language="es", consent="y")
    data.update(overrides)
    return data


def meeting_form(**overrides) -> dict:
    """The organiser's meeting form, filled in."""
    values = {
        "title": "Sesión 12 · 第十二期", "slug": "session-12", "series_id": "",
        "session_number": "", "description": "Línea 1\r\n第二行",
        "timezone": "Asia/Shanghai", "starts_local": "2026-12-03T10:00",
        "planned_end_local": "2026-12-03T12:00", "latest_end_local": "2026-12-03T12:30",
        "languages": ["zh_Hans", "es"], "capacity": "120", "registration_mode": "approval",
        "recording_url": "", "stream_url": "https://meet.example.org/abc",
        "retention_days": "90", "hosts": "Asociación A\r\n\r\n机构 B", "partners": "",
        "supporters": "",
    }
    values.update(overrides)
    return values


def meeting_details(**overrides):
    """What the organiser's meeting services take, filled in."""
    from webapp.meetings import services as meetings

    values = dict(
        title="Intercambio de ONG de salud, sesión 12 · 第十二期",
        slug="exchange-12",
        timezone="Asia/Shanghai",
        starts_local=datetime(2026, 12, 3, 10, 0),
        planned_end_local=datetime(2026, 12, 3, 12, 0),
        latest_end_local=datetime(2026, 12, 3, 12, 30),
        languages=["zh_Hans", "es"],
        capacity=100,
        hosts=["Asociación Puente Pacífico"],
        partners=["上海社区健康促进会", "Red de Salud Comunitaria"],
    )
    values.update(overrides)
    return meetings.MeetingDetails(**values)
