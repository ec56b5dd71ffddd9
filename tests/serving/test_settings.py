"""The settings of a served process: defaults and one-line errors (webapp/config.py)."""

from __future__ import annotations

import pytest

from webapp.config import ConfigError, from_environ


def test_defaults_drain_ten_seconds_text_logs_and_no_access_log(tmp_path):
    config = from_environ(tmp_path, {"SECRET_KEY": "k"})
    assert config["PUENTE_DRAIN_SECONDS"] == 10
    assert config["PUENTE_LOG_FORMAT"] == "text"
    assert config["PUENTE_ACCESS_LOG"] is False


def test_the_settings_are_read_from_the_environment(tmp_path):
    config = from_environ(tmp_path, {"SECRET_KEY": "k", "PUENTE_DRAIN_SECONDS": "30",
                                     "PUENTE_LOG_FORMAT": "JSON", "PUENTE_ACCESS_LOG": "1"})
    assert (config["PUENTE_DRAIN_SECONDS"], config["PUENTE_LOG_FORMAT"],
            config["PUENTE_ACCESS_LOG"]) == (30, "json", True)


@pytest.mark.parametrize(("name", "raw"), [("PUENTE_DRAIN_SECONDS", "soon"),
                                           ("PUENTE_DRAIN_SECONDS", "-1"),
                                           ("PUENTE_DRAIN_SECONDS", "99999"),
                                           ("PUENTE_LOG_FORMAT", "xml")])
def test_a_bad_value_is_a_one_line_error_naming_the_setting(tmp_path, name, raw):
    with pytest.raises(ConfigError, match=name):
        from_environ(tmp_path, {"SECRET_KEY": "k", name: raw})
