"""The Big List of Naughty Strings (MIT, see tests/data/blns.LICENSE), shipped with the tests.

Every test over the corpus takes its strings from `blns_strings()`: on CI (`CI=true`) the whole
list, locally a sample of `PUENTE_BLNS_SAMPLE` strings (default 60, plus the few strings
Puente refuses) drawn with `PUENTE_BLNS_SEED` (default fixed), so a local run stays quick and
a failure can be replayed with the same two settings. Tests marked `blns` get the run's
settings in their failure report; the pytest header shows them too.
"""

from __future__ import annotations

import json
import os
import random
from functools import cache
from pathlib import Path

import pytest

BLNS_PATH = Path(__file__).resolve().parents[1] / "data" / "blns.json"
DEFAULT_SAMPLE = 60
DEFAULT_SEED = 20260707


def load_blns() -> list[str]:
    """The whole list, in the file's order."""
    return [s for s in json.loads(BLNS_PATH.read_text(encoding="utf-8")) if isinstance(s, str)]


def _everything() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _seed() -> int:
    return int(os.environ.get("PUENTE_BLNS_SEED", DEFAULT_SEED))


def _size() -> int:
    return int(os.environ.get("PUENTE_BLNS_SAMPLE", DEFAULT_SAMPLE))


def run_settings() -> str:
    """How this run picks its strings, as settings that reproduce it."""
    if _everything():
        return "BLNS: the whole list (CI=true)"
    return (f"BLNS: a sample, reproduce with PUENTE_BLNS_SEED={_seed()} "
            f"PUENTE_BLNS_SAMPLE={_size()} (CI=true runs the whole list)")


@cache
def _chosen() -> tuple[str, ...]:
    strings = load_blns()
    if _everything() or _size() >= len(strings):
        return tuple(strings)
    picked = sorted(random.Random(_seed()).sample(range(len(strings)), _size()))
    return tuple(strings[i] for i in picked)


def blns_strings() -> list[str]:
    """The naughty strings this run covers, in the file's order (see the module docstring).

    The few strings Puente refuses (control characters) are always in: they are what the
    refusal paths of every corpus test are checked with, and a sample would rarely draw them.
    """
    from webapp.core.text import forbidden_character

    chosen = set(_chosen())
    return [s for s in load_blns() if s in chosen or forbidden_character(s)]


def pytest_configure(config):
    config.addinivalue_line("markers", "blns: runs over the naughty-strings corpus")


def pytest_report_header(config):
    return run_settings()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and item.get_closest_marker("blns") is not None:
        report.sections.append(("naughty strings", run_settings()))
