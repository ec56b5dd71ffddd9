"""Copy the pinned front-end libraries into static/vendor, served by Puente (no CDN), with
Python alone: no Node.js is needed to install or run Puente.

Each library comes from the npm registry at the version package-lock.json pins: its tarball is
downloaded, checked against the lock's `integrity` (SHA-512) before anything is unpacked, and
the files the pages load are written to static/vendor. `static/vendor/.vendored` records the
integrity of each tarball used: while package-lock.json pins the same ones, nothing is fetched.

    python3 scripts/vendor.py [--dest DIR]

`npm_config_registry` (npm's own setting) points at a mirror of the registry.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "package-lock.json"
DEST = ROOT / "static" / "vendor"
STAMP = ".vendored"
DEFAULT_REGISTRY = "https://registry.npmjs.org/"
#: (package, file inside its tarball, name in static/vendor). The ESM build is one bundle:
#: socket.io-client's own dependencies are inside it.
FILES = [
    ("socket.io-client", "dist/socket.io.esm.min.js", "socket.io.esm.min.js"),
    ("socket.io-client", "dist/socket.io.esm.min.js.map", "socket.io.esm.min.js.map"),
]


class IntegrityError(Exception):
    """A downloaded tarball is not the one package-lock.json pins."""


def locked(package: str, lock: dict) -> dict:
    """The lock's entry for `package`: version, integrity and the tarball's URL."""
    entry = lock["packages"].get(f"node_modules/{package}")
    if not entry or "integrity" not in entry:
        raise SystemExit(f"package-lock.json pins no {package} with an integrity")
    registry = os.environ.get("npm_config_registry") or DEFAULT_REGISTRY  # noqa: SIM112 (npm's)
    basename = package.rsplit("/", 1)[-1]
    url = entry.get("resolved") or (
        f"{registry.rstrip('/')}/{package}/-/{basename}-{entry['version']}.tgz")
    return {"version": entry["version"], "integrity": entry["integrity"], "url": url}


def verified(data: bytes, integrity: str) -> bytes:
    """`data` if its SHA-512 is the one in the Subresource-Integrity string `integrity`
    (`sha512-<base64>`; npm may list several hashes, separated by spaces)."""
    wanted = [item.split("-", 1)[1] for item in integrity.split() if item.startswith("sha512-")]
    if not wanted:
        raise IntegrityError(f"no sha512 integrity to check against: {integrity!r}")
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest not in wanted:
        raise IntegrityError(f"the download's sha512-{digest} is not the locked {integrity}")
    return data


def members(tarball: bytes, names: list[str]) -> dict[str, bytes]:
    """The regular files `names` (paths inside the package) from an npm tarball."""
    found = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for info in archive.getmembers():
            # npm packs everything under one top folder ("package/" for most packages).
            inside = info.name.split("/", 1)[1] if "/" in info.name else info.name
            if inside in names and info.isfile():
                found[inside] = archive.extractfile(info).read()
    absent = sorted(set(names) - set(found))
    if absent:
        raise SystemExit(f"the tarball has no {', '.join(absent)}")
    return found


def download(url: str) -> bytes:
    if not url.startswith("https://"):
        raise SystemExit(f"refusing to download {url}: https only")
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (https only)
        return response.read()


def vendor(dest: Path = DEST, lock_path: Path = LOCK, fetch=download) -> bool:
    """Write FILES into `dest`; False when they were there already, from the same tarballs."""
    lock = json.loads(lock_path.read_text())
    packages = {package: locked(package, lock) for package, _, _ in FILES}
    stamp = json.dumps({name: entry["integrity"] for name, entry in sorted(packages.items())},
                       indent=2) + "\n"
    stamp_path = dest / STAMP
    if (stamp_path.is_file() and stamp_path.read_text() == stamp
            and all((dest / target).is_file() for _, _, target in FILES)):
        return False
    dest.mkdir(parents=True, exist_ok=True)
    stamp_path.unlink(missing_ok=True)
    for package, entry in packages.items():
        wanted = [(inside, target) for name, inside, target in FILES if name == package]
        tarball = verified(fetch(entry["url"]), entry["integrity"])
        files = members(tarball, [inside for inside, _ in wanted])
        for inside, target in wanted:
            (dest / target).write_bytes(files[inside])
    stamp_path.write_text(stamp)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=DEST, help="default: static/vendor")
    args = parser.parse_args(argv)
    try:
        written = vendor(args.dest)
    except IntegrityError as error:
        print(f"vendor: {error}", file=sys.stderr)
        return 1
    print(f"vendored {len(FILES)} files into {args.dest}" if written
          else f"{args.dest} is up to date with package-lock.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
