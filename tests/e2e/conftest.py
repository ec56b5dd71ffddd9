"""Browser tier: Playwright driving Debian's Chromium against a real server process."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.support import services
from tests.support.qa_browser import served_demo

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


PAGE_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    executable = services.require_chromium()
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do: a loaded CI machine answers slower than a laptop.
    expect.set_options(timeout=PAGE_TIMEOUT_MS)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, request):
    """Open pages in fresh contexts; on failure each page leaves a screenshot behind."""
    contexts = []

    def open_page(locale: str = "en-GB", timezone_id: str = "America/Lima"):
        context = browser.new_context(locale=locale, timezone_id=timezone_id,
                                      viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        return page

    yield open_page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for index, context in enumerate(contexts):
            for number, page in enumerate(context.pages):
                name = f"{request.node.name}-{index}-{number}.png".replace("/", "_")
                try:
                    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
                except Exception as error:  # the page may already be gone
                    print(f"no screenshot for {name}: {error}")
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def qa_server(request, tmp_path_factory):
    """The demo served for one test module. Its tests share the instance; every module gets
    its own, because tests end meetings and use up the demo's join links."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    with served_demo(tmp_path_factory.mktemp(name) / "instance") as running:
        yield running
