"""The one shape of a file download, so every export is named and cached the same way."""

from __future__ import annotations

from flask import Response


def csv_download(body: bytes, filename: str) -> Response:
    """A CSV attachment: UTF-8 (with the BOM the export wrote), a file name, never cached
    (exports hold personal data)."""
    return Response(body, mimetype="text/csv", headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })
