"""The Big List of Naughty Strings (MIT, see tests/data/blns.LICENSE), shipped with the tests."""

import json
from pathlib import Path

BLNS_PATH = Path(__file__).resolve().parents[1] / "data" / "blns.json"


def load_blns() -> list[str]:
    return json.loads(BLNS_PATH.read_text(encoding="utf-8"))
