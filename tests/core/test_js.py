"""Run the browser code's own unit tests (`node --test tests/js`) and ESLint in the pytest run."""

from __future__ import annotations

import shutil
import subprocess

from tests.support import services
from tests.support.server import ROOT


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        services.unavailable("Node.js", "`node` is not on PATH")
    return node


def test_javascript_unit_tests_pass():
    result = subprocess.run([_node(), "--test", "tests/js"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_eslint_finds_nothing_in_the_browser_code():
    node = _node()
    eslint = ROOT / "node_modules" / "eslint" / "bin" / "eslint.js"
    if not eslint.exists():
        services.unavailable("ESLint", "run `npm ci` (or `make test`) to install it")
    result = subprocess.run([node, str(eslint), "static/js", "tests/js", "eslint.config.mjs"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
