"""Every setting is read from the environment in one place, `webapp/config.py`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import _make_app, base_config
from webapp.config import ConfigError

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
#: `__main__` must know the async mode before anything is imported (monkey-patching order).
READS_ENVIRONMENT = {WEBAPP / "config.py", WEBAPP / "__main__.py"}
ENVIRONMENT_READ = re.compile(r"os\.environ\.get\(|os\.environ\[|os\.getenv\(")


def test_only_config_reads_the_environment():
    readers = [str(path.relative_to(WEBAPP)) for path in sorted(WEBAPP.rglob("*.py"))
               if path not in READS_ENVIRONMENT and ENVIRONMENT_READ.search(path.read_text())]
    assert readers == []


def test_the_live_intervals_are_settings_like_the_broadcast_interval(tmp_path, monkeypatch):
    monkeypatch.setenv("PUENTE_TALLY_INTERVAL_MS", "120")
    monkeypatch.setenv("PUENTE_REACTION_INTERVAL_MS", "240")
    monkeypatch.setenv("PUENTE_PRESENCE_INTERVAL_MS", "2500")
    monkeypatch.setenv("PUENTE_BROADCAST_INTERVAL_MS", "70")
    app = _make_app(base_config(tmp_path))
    from webapp.board.sockets import coalescer as reactions
    from webapp.qa.tally import coalescer
    from webapp.realtime.broadcaster import broadcaster
    from webapp.realtime.presence import presence

    with app.app_context():
        assert coalescer.interval == pytest.approx(0.12)
        assert reactions.interval == pytest.approx(0.24)
        assert presence.interval == pytest.approx(2.5)
        assert broadcaster.interval == pytest.approx(0.07)


@pytest.mark.parametrize("name", ["PUENTE_TALLY_INTERVAL_MS", "PUENTE_PRESENCE_INTERVAL_MS",
                                  "PUENTE_TRUSTED_PROXIES", "PUENTE_LOG_POLL_MS",
                                  "PUENTE_LISTEN_BACKLOG"])
@pytest.mark.parametrize("raw", ["soon", "-1", "99999999"])
def test_a_bad_value_is_a_one_line_error_naming_the_setting(tmp_path, monkeypatch, name, raw):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ConfigError, match=name):
        _make_app(base_config(tmp_path))
