"""The fan-out optimisations that rely on eventlet and python-socketio internals.

`realtime/transport` patches eventlet's WebSocket (shared deflate frames) and writes room
broadcasts straight to idle sockets (direct writes). pyproject.toml pins the versions they were
built for; with those versions both must be on, and a mismatch must be said out loud.
"""

from __future__ import annotations

import logging
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.conftest import _make_app, base_config

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
INTERNALS = ("eventlet", "python-socketio", "python-engineio")


def _pins() -> dict[str, Requirement]:
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    requirements = [Requirement(line) for line in dependencies]
    return {r.name: r for r in requirements if r.name in INTERNALS}


def test_the_internals_are_pinned_to_a_tested_range_and_installed_within_it():
    pins = _pins()
    assert set(pins) == set(INTERNALS)
    for name, requirement in pins.items():
        assert any(spec.operator == "<" for spec in requirement.specifier), f"{name}: no upper pin"
        assert requirement.specifier.contains(metadata.version(name)), (
            f"{name} {metadata.version(name)} is outside {requirement.specifier}")


def test_the_optimisations_are_active_with_the_pinned_versions(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="webapp.realtime.transport.socket_settings"):
        app = _make_app(base_config(tmp_path, PUENTE_ASYNC_MODE="eventlet"))
    assert app.extensions["puente_transport"] == {"shared frames": True, "direct writes": True}
    assert not [r for r in caplog.records if "off:" in r.getMessage()]


def test_an_unknown_eventlet_shape_is_a_warning_at_start_up(tmp_path, caplog, monkeypatch):
    from eventlet import websocket

    class Unknown:
        """A WebSocket class without the method the shared frames replace."""

    monkeypatch.setattr(websocket, "RFC6455WebSocket", Unknown)
    with caplog.at_level(logging.WARNING, logger="webapp.realtime.transport.socket_settings"):
        app = _make_app(base_config(tmp_path, PUENTE_ASYNC_MODE="eventlet"))
    assert app.extensions["puente_transport"] == {"shared frames": False,
                                                  "direct writes": False}
    warning, = [r for r in caplog.records if "off:" in r.getMessage()]
    assert warning.levelno == logging.WARNING
    assert "shared frames and direct writes off" in warning.getMessage()


@pytest.fixture(autouse=True)
def _threading_again(tmp_path):
    """Leave the shared Socket.IO extension as the other tests expect it."""
    yield
    _make_app(base_config(tmp_path / "after"))
