"""Put what `puente` reads from the checkout into the wheel: the build backend's hook.

A checkout keeps `templates/`, `static/` and `migrations/` at the top level (the app finds them
there, see webapp/app.py). A wheel has no checkout, so building one copies them into the
package (`webapp/templates`, `webapp/static`, `webapp/migrations`) and compiles the message
catalogues (`.po` -> `.mo`). An editable install builds nothing of this: it reads the checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: Top-level folders served or run by the app, copied into the package.
FOLDERS = ("templates", "static", "migrations")
#: Files the front-end needs at run time, written by `make vendor` (scripts/vendor.py).
VENDORED = ("static/vendor/socket.io.esm.min.js",)
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")


class BuildPy(build_py):
    """build_py, plus the data folders and the compiled catalogues."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        missing = [name for name in VENDORED if not (ROOT / name).is_file()]
        if missing:
            raise SystemExit(f"{', '.join(missing)} missing: run `make vendor` first")
        package = Path(self.build_lib) / "webapp"
        for folder in FOLDERS:
            target = package / folder
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(ROOT / folder, target, ignore=SKIP)
        compile_catalogues(package / "translations")


def compile_catalogues(folder: Path) -> None:
    """Every `messages.po` under `folder` compiled beside it, as `pybabel compile` does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(folder.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalogue)
