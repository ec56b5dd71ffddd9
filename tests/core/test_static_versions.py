"""Static files under a versioned prefix: pages load `/static/v/<hash>/...`, cached a year.

Every file a page loads, directly or through a relative ES-module import, carries the hash of
the whole static folder, so after an upgrade no browser runs old scripts against the new
server. The browser tier (tests/e2e) proves the imports resolve under the prefix.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.factories import make_meeting, make_registration
from tests.support.html import parse
from webapp.app import STATIC_FOLDER
from webapp.core.static_files import IMMUTABLE, VERSION_LENGTH, tree_version
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.registration.services import session_entry

ROOT = Path(__file__).resolve().parents[2]
STATIC_URL = re.compile(r"""(?:src|href)="(/static/[^"]*)\"""")


@pytest.fixture
def version(app):
    return app.config["PUENTE_STATIC_VERSION"]


def test_the_version_is_the_hash_of_the_static_folder(app, version):
    assert version == tree_version(STATIC_FOLDER)
    assert re.fullmatch(f"[0-9a-f]{{{VERSION_LENGTH}}}", version)


def test_a_page_loads_its_styles_and_scripts_under_the_version(client, version):
    urls = STATIC_URL.findall(client.get("/").get_data(as_text=True))
    assert {url.rpartition("/")[2] for url in urls} >= {"puente.css", "favicon.svg", "base.js"}
    assert all(url.startswith(f"/static/v/{version}/") for url in urls), urls


def test_the_live_page_loads_its_module_under_the_version(client, version):
    meeting = make_meeting()
    registration = make_registration(meeting)
    with client.session_transaction() as session:
        session[SESSION_REGISTRATIONS] = {str(meeting.id): session_entry(registration)}
    page = parse(client.get(f"/m/{meeting.slug}/live").get_data(as_text=True))
    scripts = [script.attr("src") for script in page.all("script[src]")]
    assert f"/static/v/{version}/js/qa-attendee.js" in scripts
    for url in scripts:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE


@pytest.mark.parametrize("path", ["js/base.js", "js/live/local-text.js", "css/puente.css",
                                  "img/favicon.svg"])
def test_a_versioned_file_is_cached_for_a_year(client, version, path):
    response = client.get(f"/static/v/{version}/{path}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert response.data == (STATIC_FOLDER / path).read_bytes()
    assert "Content-Security-Policy" in response.headers
    again = client.get(f"/static/v/{version}/{path}",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("url", ["/static/js/base.js", "/static/v/0123456789ab/js/base.js",
                                 "/static/v/old/js/base.js"])
def test_an_unversioned_or_unknown_version_url_is_served_but_revalidated(client, url):
    """A page rendered by a process on the other version during a rolling upgrade still gets
    its scripts, but no browser keeps them under a version they do not belong to."""
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["ETag"]
    assert response.data == (STATIC_FOLDER / "js/base.js").read_bytes()
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_under_debug_edits_show_on_reload(app, client, version):
    """The version is fixed at start; `serve --debug` is for editing files while it runs."""
    app.debug = True
    response = client.get(f"/static/v/{version}/js/base.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["no-such.js", "../webapp/app.py", "..%2fwebapp/app.py"])
def test_nothing_outside_the_static_folder(client, version, path):
    assert client.get(f"/static/v/{version}/{path}").status_code == 404
    assert client.get(f"/static/{path}").status_code == 404


def test_the_hash_follows_every_file_and_nothing_else(tmp_path):
    folder = tmp_path / "static"
    (folder / "js" / "live").mkdir(parents=True)
    (folder / "js" / "page.js").write_text('import { a } from "./live/a.js";\n')
    (folder / "js" / "live" / "a.js").write_text("export const a = 1;\n")
    first = tree_version(folder)
    assert tree_version(folder) == first
    copy = tmp_path / "elsewhere"
    shutil.copytree(folder, copy)
    assert tree_version(copy) == first  # content, not place or time: every process agrees

    (folder / ".DS_Store").write_text("editor litter")
    assert tree_version(folder) == first
    (folder / "js" / "live" / "a.js").write_text("export const a = 2;\n")  # an imported module
    changed = tree_version(folder)
    assert changed != first
    (folder / "js" / "live" / "a.js").rename(folder / "js" / "live" / "b.js")
    assert tree_version(folder) not in (first, changed)


def test_templates_name_static_files_through_url_for():
    literal = re.compile(r"""(?:src|href)=["']/static/""")
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.html")
                 if literal.search(path.read_text())]
    assert offenders == []


def test_scripts_and_styles_reach_other_static_files_by_relative_paths():
    """An absolute `/static/...` in a module or a style sheet would leave the version."""
    offenders = [str(path.relative_to(ROOT))
                 for pattern in ("js/**/*.js", "css/**/*.css")
                 for path in STATIC_FOLDER.glob(pattern)
                 if "/static/" in path.read_text()]
    assert offenders == []
