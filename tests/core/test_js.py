"""Run the browser code's own unit tests (`node --test tests/js`) as part of `make test`."""

from __future__ import annotations

import shutil
import subprocess

from tests.support import services
from tests.support.server import ROOT


def test_javascript_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        services.unavailable("Node.js", "`node` is not on PATH")
    result = subprocess.run([node, "--test", "tests/js"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
