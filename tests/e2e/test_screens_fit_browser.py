"""Every screen fits: at 1280×720, 1920×1080 and 390×844, in English, Spanish and Chinese,
nothing scrolls sideways, nothing sticks out of the viewport (except data tables inside their
own `.table-scroll` region, focusable and labelled), no button, label or heading has text
spilling out of its box, and axe-core finds no violation.

One served demo for the module, one browser context per language (logged in once); each test
visits one screen and resizes the window through the three sizes without reloading the server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from tests.support import services
from tests.support.axe import axe_violations
from tests.support.qa_browser import JOIN_LINE, SLUG, wait_online
from tests.support.server import ADMIN, migrate, prepare_demo, running_server, server_env

pytestmark = pytest.mark.browser

SIZES = [(1280, 720), (1920, 1080), (390, 844)]
LOCALES = {"en": "en-GB", "es": "es-PE", "zh_Hans": "zh-CN"}
SERIES = "pacific-ngo-health-exchange"

#: What does not fit: sideways scrolling, elements past the right edge (outside the scroll
#: regions made for wide tables), and controls or headings whose text spills out of them.
MISFITS = """() => {
  const width = document.documentElement.clientWidth;
  const classes = (el) => (typeof el.className === "string" && el.className.trim()
    ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes(el)}`;
  const out = [];
  if (document.documentElement.scrollWidth > width) {
    out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  }
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".table-scroll, .visually-hidden, dialog:not([open]), template")) continue;
    if (!el.checkVisibility()) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      out.push(`${name(el)} ends at ${Math.round(box.right)}`);
    }
  }
  const boxes = "button, .button, label, h1, h2, h3, h4, [role=tab], summary, legend, th";
  for (const el of document.querySelectorAll(boxes)) {
    if (!el.checkVisibility() || el.closest(".visually-hidden, dialog:not([open])")) continue;
    const shown = el.getBoundingClientRect();
    if (shown.width <= 1 && shown.height <= 1) continue;  // read by screen readers only
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      out.push(`${name(el)} text overflows: ${el.scrollWidth} > ${el.clientWidth}`);
    }
  }
  for (const region of document.querySelectorAll(".table-scroll")) {
    const usable = region.getAttribute("tabindex") === "0" &&
      region.getAttribute("role") === "region" &&
      (region.getAttribute("aria-label") || region.getAttribute("aria-labelledby"));
    if (!usable) out.push(`${name(region)} is no focusable, labelled region`);
  }
  return out.slice(0, 8);
}"""


@dataclass
class Site:
    server: object
    join_paths: list
    urls: dict = field(default_factory=dict)
    setup_url: str = ""
    past: str = ""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo, served with its admin, for the whole module. The first-run setup page shows
    only on a site without any account, which the demo is not: a bare migrated instance is
    served beside it for that one screen, and stopped as soon as it has been seen."""
    env, demo_output = prepare_demo(tmp_path_factory.mktemp("screens") / "instance")
    links = JOIN_LINE.findall(demo_output)
    past = re.search(r"Ended\s+\S+/m/(\S+)", demo_output)
    assert past, demo_output
    bare_env = server_env(tmp_path_factory.mktemp("screens-setup") / "instance")
    migrate(bare_env)
    with running_server(env) as server, running_server(bare_env) as bare:
        setup = re.search(r"/setup/\S+", bare.log())
        assert setup, bare.log()
        yield Site(server, ["/" + link.split("://", 1)[1].split("/", 1)[1] for link in links],
                   setup_url=bare.url + setup.group(0), past=past.group(1))


@pytest.fixture(scope="module")
def pages(site, browser):
    """One page per language, in its own context; closed at the end of the module."""
    created = {}

    def page_for(language):
        if language not in created:
            context = browser.new_context(locale=LOCALES[language], timezone_id="Asia/Shanghai",
                                          viewport={"width": 1280, "height": 720})
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.js_errors = []
            page.on("pageerror", lambda error: page.js_errors.append(str(error)))
            page.on("dialog", lambda dialog: dialog.dismiss())
            created[language] = page
        return created[language]

    yield page_for
    for page in created.values():
        page.context.close()


def logged_in(site, page, language):
    """Log the language's context in as the admin (once) and learn the staff URLs."""
    if getattr(page, "logged_in", False):
        return
    base = site.server.url
    page.goto(base + "/login")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/login" not in url)
    # Staff pages speak the account's language unless the visitor picks one for the session.
    with page.expect_navigation():
        page.select_option("#language-select", language)
        page.locator("#language-change").click()
    if "meeting" not in site.urls:
        page.goto(base + "/organiser/")
        page.locator("table a", has_text="Pacific Bridge").first.click()
        page.wait_for_url(re.compile(r".*/organiser/meetings/\d+/$"))
        site.urls["meeting"] = page.url.rstrip("/")
        page.goto(f"{base}/m/{SLUG}/console")
        wait_online(page)
        page.locator("form[action$='/console/presenter-link'] button").click()
        site.urls["presenter"] = page.locator("#presenter-url").input_value()
    page.logged_in = True


def joined(site, page, language):
    """Join the demo meeting as this language's attendee (once)."""
    if getattr(page, "joined", False):
        return
    page.goto(site.server.url + site.join_paths[list(LOCALES).index(language)])
    page.locator("button.join-button").click()
    page.wait_for_url(f"**/m/{SLUG}/live")
    page.joined = True


def online(page):
    wait_online(page)


def show_board(page):
    wait_online(page)
    page.locator("#tab-board").click()


def first_in_table(page):
    with page.expect_navigation():
        page.locator("table tbody th a").first.click()


def first_question(page):
    """The console with a question open in the middle pane (the past meeting has questions:
    open the tab with the most)."""
    wait_online(page)
    fullest = page.wait_for_function("""() => {
      const counts = [...document.querySelectorAll(".queue-tabs [data-count]")]
        .map((count) => [Number(count.textContent), count.dataset.count])
        .sort((a, b) => b[0] - a[0]);
      return counts.length && counts[0][0] > 0 ? counts[0][1] : null;
    }""").json_value()
    page.locator(f"#queue-tab-{fullest}").click()
    page.locator("#queue-list .queue-select").first.click()
    page.wait_for_function("() => document.getElementById('detail-text').textContent.trim()")


# name: (URL from the site, who is looking, what to do once loaded)
SCREENS = {
    "setup": (lambda s: s.setup_url, "anyone", None),
    "login": (lambda s: "/login", "anyone", None),
    "meeting": (lambda s: f"/m/{SLUG}", "anyone", None),
    "series": (lambda s: f"/s/{SERIES}", "anyone", None),
    "registration-form": (lambda s: f"/m/{SLUG}#register", "anyone", None),
    "registration-done": (lambda s: f"/m/{SLUG}/registered", "anyone", None),
    "not-found": (lambda s: "/no/such/page", "anyone", None),
    "transcript": (lambda s: f"/m/{s.past}/transcript", "anyone", None),
    "watch-later": (lambda s: f"/m/{s.past}/watch", "anyone", None),
    "personal-link": (lambda s: None, "attendee", None),
    "live": (lambda s: f"/m/{SLUG}/live", "attendee", online),
    "board": (lambda s: f"/m/{SLUG}/live", "attendee", show_board),
    "wall": (lambda s: f"/m/{SLUG}/wall", "attendee", None),
    "presenter": (lambda s: s.urls["presenter"], "staff", online),
    "console": (lambda s: f"/m/{SLUG}/console", "staff", online),
    "console-question": (lambda s: f"/m/{s.past}/console", "staff", first_question),
    "translations": (lambda s: f"/m/{SLUG}/console/translations", "staff", online),
    "organiser-meetings": (lambda s: "/organiser/", "staff", None),
    "dashboard": (lambda s: s.urls["meeting"] + "/", "staff", None),
    "details": (lambda s: s.urls["meeting"] + "/details", "staff", None),
    "agenda": (lambda s: s.urls["meeting"] + "/agenda", "staff", None),
    "agenda-item-new": (lambda s: s.urls["meeting"] + "/agenda/new", "staff", None),
    "agenda-item": (lambda s: s.urls["meeting"] + "/agenda", "staff", first_in_table),
    "speakers": (lambda s: s.urls["meeting"] + "/speakers", "staff", None),
    "speaker": (lambda s: s.urls["meeting"] + "/speakers", "staff", first_in_table),
    "registration-editor": (lambda s: s.urls["meeting"] + "/questions", "staff", None),
    "registrations": (lambda s: s.urls["meeting"] + "/registrations", "staff", None),
    "qa-settings": (lambda s: s.urls["meeting"] + "/qa", "staff", None),
    "survey": (lambda s: s.urls["meeting"] + "/feedback", "staff", None),
    "staff": (lambda s: s.urls["meeting"] + "/staff", "staff", None),
    "report": (lambda s: s.urls["meeting"] + "/report", "staff", None),
}

def cases():
    for language in LOCALES:
        for screen in SCREENS:
            yield pytest.param(language, screen, id=f"{language}-{screen}")


@pytest.mark.parametrize(("language", "screen"), list(cases()))
def test_screen_fits_at_every_size(site, pages, language, screen):
    services.require_chromium()
    page = pages(language)
    path_of, who, after = SCREENS[screen]
    if who == "staff":
        logged_in(site, page, language)
    if screen == "personal-link":
        path = site.join_paths[list(LOCALES).index(language)]
    else:
        if who == "attendee":
            joined(site, page, language)
        path = path_of(site)
    url = path if path.startswith("http") else site.server.url + path
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    page.js_errors.clear()
    response = page.goto(url)
    assert response.status == (404 if screen == "not-found" else 200), url
    assert page.locator("html").get_attribute("lang") == language.replace("_", "-")
    if after:
        after(page)
    page.wait_for_load_state()
    problems = {}
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        found = page.evaluate(MISFITS)
        # axe's rules do not depend on the width: once, on the phone, where most is stacked.
        violations = axe_violations(page) if width < 600 else []
        if found or violations:
            problems[f"{width}x{height}"] = found + [
                f"axe {v['id']}: {v['nodes'][:2]}" for v in violations]
    assert problems == {}, problems
    assert page.js_errors == []


def test_the_sweep_sees_what_sticks_out(browser):
    """The check itself: a wide block and a button too narrow for its words are reported, a
    wide table inside its scroll region is not."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.set_content("""<main><h1>Fits</h1>
          <div class="table-scroll" style="overflow-x:auto" tabindex="0" role="region"
               aria-label="Wide"><table style="width:900px"><tr><td>wide</td></tr></table></div>
          <div class="table-scroll" id="unlabelled"><table><tr><td>narrow</td></tr></table></div>
          <button id="squeezed" style="width:40px;white-space:nowrap;overflow:hidden">
            A label far too long</button>
          <div id="wide" style="width:700px">wide</div></main>""")
        found = " | ".join(page.evaluate(MISFITS))
    finally:
        page.close()
    assert "page scrolls sideways" in found
    assert "div#wide ends at" in found
    assert "button#squeezed text overflows" in found
    assert "div#unlabelled.table-scroll is no focusable, labelled region" in found
    assert "table ends at" not in found and "td" not in found
