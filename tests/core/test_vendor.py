"""The front-end libraries come from the npm registry, pinned by package-lock.json, without Node.

- scripts/vendor.py writes the files the pages load only from a tarball whose SHA-512 is the
  lock's `integrity`, and fetches nothing while static/vendor holds what the lock pins.
- From the real registry it writes exactly what `npm ci` installs (node_modules, the Node path).
- `make run` (and `install`, `demo`) call neither npm nor node: read from `make -n` on a copy of
  the Makefile in an empty folder, i.e. on a fresh machine with no .venv and no node_modules.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.support import services

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "vendor.py"


def _load_vendor():
    spec = importlib.util.spec_from_file_location("puente_vendor_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


vendor = _load_vendor()


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _lock(tmp_path: Path, integrity: str) -> Path:
    path = tmp_path / "package-lock.json"
    path.write_text(json.dumps({"lockfileVersion": 3, "packages": {
        "node_modules/socket.io-client": {"version": "4.8.4", "integrity": integrity}}}))
    return path


FILES = {"dist/socket.io.esm.min.js": b"export const io = 1;\n",
         "dist/socket.io.esm.min.js.map": b'{"version":3}\n', "README.md": b"not copied"}


def test_the_locked_tarball_is_unpacked_and_nothing_is_fetched_again(tmp_path):
    tarball = _tarball(FILES)
    lock = _lock(tmp_path, _integrity(tarball))
    asked = []

    def fetch(url):
        asked.append(url)
        return tarball

    dest = tmp_path / "vendor"
    assert vendor.vendor(dest, lock, fetch) is True
    assert asked == ["https://registry.npmjs.org/socket.io-client/-/socket.io-client-4.8.4.tgz"]
    assert (dest / "socket.io.esm.min.js").read_bytes() == FILES["dist/socket.io.esm.min.js"]
    assert (dest / "socket.io.esm.min.js.map").read_bytes() == FILES[
        "dist/socket.io.esm.min.js.map"]
    assert sorted(p.name for p in dest.iterdir()) == [
        ".vendored", "socket.io.esm.min.js", "socket.io.esm.min.js.map"]

    assert vendor.vendor(dest, lock, fetch) is False  # up to date: no second download
    assert len(asked) == 1


def test_a_tarball_that_is_not_the_locked_one_is_refused_before_unpacking(tmp_path):
    locked = _tarball(FILES)
    other = _tarball({**FILES, "dist/socket.io.esm.min.js": b"alert('not the pinned one')"})
    dest = tmp_path / "vendor"
    with pytest.raises(vendor.IntegrityError):
        vendor.vendor(dest, _lock(tmp_path, _integrity(locked)), lambda url: other)
    assert not (dest / "socket.io.esm.min.js").exists()
    assert not (dest / ".vendored").exists()
    with pytest.raises(vendor.IntegrityError):  # a lock without SHA-512 proves nothing
        vendor.verified(locked, "sha1-" + base64.b64encode(hashlib.sha1(locked).digest()).decode())


def test_a_changed_lock_fetches_again(tmp_path):
    first, second = _tarball(FILES), _tarball({**FILES, "dist/socket.io.esm.min.js": b"v2"})
    dest = tmp_path / "vendor"
    vendor.vendor(dest, _lock(tmp_path, _integrity(first)), lambda url: first)
    assert vendor.vendor(dest, _lock(tmp_path, _integrity(second)), lambda url: second) is True
    assert (dest / "socket.io.esm.min.js").read_bytes() == b"v2"


def test_from_the_registry_it_writes_what_npm_installs(tmp_path):
    """The Python path against the Node path: the registry's tarball, checked against the real
    package-lock.json, gives byte for byte the files `npm ci` put in node_modules."""
    installed = ROOT / "node_modules" / "socket.io-client" / "dist"
    if not installed.is_dir():
        services.unavailable("node_modules", "run `npm ci` (make install-dev) to compare with")
    dest = tmp_path / "vendor"
    result = subprocess.run([sys.executable, str(SCRIPT), "--dest", str(dest)],
                            capture_output=True, text=True, timeout=300, check=False)
    if result.returncode and "urlopen error" in result.stderr:
        services.unavailable("npm registry", result.stderr.strip().splitlines()[-1])
    assert result.returncode == 0, result.stderr
    for _package, inside, target in vendor.FILES:
        assert (dest / target).read_bytes() == (installed.parent / inside).read_bytes(), target
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert json.loads((dest / ".vendored").read_text()) == {
        "socket.io-client": lock["packages"]["node_modules/socket.io-client"]["integrity"]}


def _dry_run(tmp_path: Path, target: str) -> list[str]:
    """The commands `make TARGET` would run on a fresh machine (no .venv, no node_modules)."""
    if not shutil.which("make"):
        services.unavailable("make", "make is not installed")
    fresh = tmp_path / "fresh"
    fresh.mkdir(exist_ok=True)
    for name in ("Makefile", "pyproject.toml", "package.json", "package-lock.json"):
        shutil.copy(ROOT / name, fresh / name)
    (fresh / "scripts").mkdir(exist_ok=True)
    shutil.copy(SCRIPT, fresh / "scripts" / "vendor.py")
    env = {key: value for key, value in os.environ.items() if not key.startswith("MAKE")}
    result = subprocess.run(["make", "-n", target, "PYTHON=python3"], cwd=fresh, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


NODE_TOOLS = re.compile(r"(^|[\s;&|/(])(npm|npx|node)(\s|$)")


@pytest.mark.parametrize("target", ["run", "install", "demo"])
def test_make_run_calls_neither_npm_nor_node(tmp_path, target):
    lines = _dry_run(tmp_path, target)
    assert [line for line in lines if NODE_TOOLS.search(line)] == []
    assert any("scripts/vendor.py" in line for line in lines)  # the libraries still come
    if target == "run":
        assert any(line.endswith(" serve --host 127.0.0.1 --port 5000") for line in lines)


def test_the_dry_run_would_see_npm_where_it_is_used(tmp_path):
    lines = _dry_run(tmp_path, "lint-js")
    assert any(NODE_TOOLS.search(line) for line in lines), lines
