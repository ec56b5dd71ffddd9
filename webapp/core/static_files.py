"""Versioned static URLs: pages load `/static/v/<version>/...`, cached by browsers for a year.

`<version>` is a hash over the whole static folder (every file's path and content), computed
once at start. A page's ES modules import each other by relative paths and the socket.io
client sits in `static/vendor`; under one versioned prefix every file a page loads, directly
or through an import, carries the version, so after an upgrade no browser runs old code
against the new server. The hash depends on content alone, so every process of a site
started from the same files serves the same version.

- `/static/v/<this version>/<file>`: `Cache-Control: public, max-age=31536000, immutable`.
  `url_for('static', filename=...)` gives these URLs.
- `/static/<file>` (unversioned, e.g. a bookmarked or hand-written URL) and
  `/static/v/<any other version>/<file>`: the current file, `Cache-Control: no-cache` with
  an ETag (a cheap 304 when it has not changed). An unknown version is served, not refused:
  during a rolling upgrade a page rendered by one process may fetch its scripts from another
  running the other version, and the current file serves that page better than a 404 (which
  would leave it without scripts); it is never cached as immutable, so a browser keeps no
  file under a version it does not belong to.

The version is fixed at start: a file edited while Puente runs keeps the old version until
the next start (and a browser that cached it keeps the old content), except under
`serve --debug`, where versioned URLs are served with no-cache too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, current_app, send_from_directory

#: Hex digits of the hash in the URL: 48 bits, plenty to tell releases apart.
VERSION_LENGTH = 12
#: The versioned URLs' cache: a year, and no revalidation (the URL changes with the content).
IMMUTABLE = "public, max-age=31536000, immutable"
ONE_YEAR = 31_536_000
PREFIX = "/static"


def tree_version(folder: Path | str) -> str:
    """A hash over every file under `folder` (relative path and content, in a fixed order).
    Hidden files (`.DS_Store`, editors' swap files) are not served assets and do not count."""
    folder = Path(folder)
    files = sorted(
        (path.relative_to(folder).as_posix(), path) for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )
    digest = hashlib.sha256()
    for relative, path in files:
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:VERSION_LENGTH]


def versioned_path(version: str) -> str:
    """The URL path the `static` endpoint serves: Flask's `static_url_path`."""
    return f"{PREFIX}/v/{version}"


def _send(filename: str, max_age: int | None):
    return send_from_directory(current_app.static_folder, filename, max_age=max_age)


def _versioned(filename: str):
    if current_app.debug:  # `serve --debug`: files edited after start show on reload
        return _send(filename, None)
    response = _send(filename, ONE_YEAR)
    response.headers["Cache-Control"] = IMMUTABLE
    return response


def _current(filename: str, version: str | None = None):
    return _send(filename, None)  # no-cache: revalidated with the ETag each time


def init_app(app: Flask, version: str) -> None:
    """Serve the versioned `static` endpoint with the immutable cache, and the unversioned and
    other-version URLs with no-cache. `app` was made with `static_url_path=versioned_path()`."""
    app.config["PUENTE_STATIC_VERSION"] = version
    app.view_functions["static"] = _versioned
    app.add_url_rule(f"{PREFIX}/<path:filename>", endpoint="static_current",
                     view_func=_current)
    app.add_url_rule(f"{PREFIX}/v/<version>/<path:filename>", endpoint="static_other_version",
                     view_func=_current)
