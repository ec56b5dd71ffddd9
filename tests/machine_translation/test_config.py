"""TRANSLATE_URL and TRANSLATE_API_KEY are read from the environment and checked at start."""

from __future__ import annotations

import pytest

from webapp.config import ConfigError, from_environ

BASE = {"SECRET_KEY": "x" * 48}


def test_unset_means_off(tmp_path):
    config = from_environ(tmp_path, BASE)
    assert config["TRANSLATE_URL"] is None
    assert config["TRANSLATE_API_KEY"] is None


def test_read_from_the_environment(tmp_path):
    config = from_environ(tmp_path, {**BASE, "TRANSLATE_URL": "http://127.0.0.1:5005/",
                                     "TRANSLATE_API_KEY": "k-123"})
    assert config["TRANSLATE_URL"] == "http://127.0.0.1:5005"
    assert config["TRANSLATE_API_KEY"] == "k-123"


@pytest.mark.parametrize("url", ["127.0.0.1:5005", "ftp://translate.example.org"])
def test_a_url_without_http_is_a_one_line_error(tmp_path, url):
    with pytest.raises(ConfigError, match="TRANSLATE_URL must start with http"):
        from_environ(tmp_path, {**BASE, "TRANSLATE_URL": url})
