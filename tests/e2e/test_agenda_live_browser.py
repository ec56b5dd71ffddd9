"""Agenda edits reach open pages in real browsers, without a reload.

An organiser edits the agenda of the running demo meeting on the organiser pages while an
attendee's live page and the moderators' console stay open: the attendee's clock shows the
shortened item's new planned minutes and its overrun, and a moved item changes the order of
the console's "Jump to item" menu and of the attendee's item filter.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import JOIN_LINE, join_as_attendee, open_console, wait_online, watch
from tests.support.server import prepare_demo, running_server
from webapp.core.timeutil import utcnow

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo served, with its database reachable: the running item is moved into the past
    instead of waiting for minutes to go by."""
    env, demo_output = prepare_demo(tmp_path_factory.mktemp("agenda-live") / "instance")
    with running_server(env) as running:
        running.join_paths = ["/" + link.split("://", 1)[1].split("/", 1)[1]
                              for link in JOIN_LINE.findall(demo_output)]
        running.database_url = env["DATABASE_URL"]
        yield running


def started_minutes_ago(server, item_id, minutes):
    engine = sa.create_engine(server.database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE agenda_items SET actual_start = :start WHERE id = :id"),
                           {"start": utcnow() - timedelta(minutes=minutes), "id": item_id})
    engine.dispose()


def organiser_agenda(page, server, meeting_id):
    page.goto(f"{server.url}/organiser/meetings/{meeting_id}/agenda")


def edit_item(page, title, minutes):
    """Open `title` on the organiser's agenda page and save new planned minutes."""
    page.get_by_role("link", name=title, exact=True).click()
    page.get_by_label("Planned minutes").fill(str(minutes))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/agenda$"))


def test_shortening_the_running_item_changes_the_open_clock(server, new_page):
    console = watch(new_page())
    open_console(console, server)
    meeting_id = console.locator("[data-clock]").first.get_attribute("data-meeting-id")
    controls = console.locator("[data-clock-controls]")
    controls.locator("[data-clock-command=start_next_item]").click()
    expect(console.locator("[data-clock-item]").first).to_have_text("Opening and welcome")

    # The opening (10 minutes in the demo) started 5 minutes ago; the attendee opens the page.
    opening = console.locator("[data-clock-jump] option").first.get_attribute("value")
    started_minutes_ago(server, int(opening), 5)
    attendee = watch(new_page(locale="en-GB"))
    join_as_attendee(attendee, server, 0)
    elapsed = attendee.locator("[data-clock] [data-clock-elapsed]").first
    expect(elapsed).to_have_text("5 of 10 min")

    # The organiser shortens it to 2 minutes: the open clocks show 3 minutes over at once.
    organiser = watch(new_page())
    open_console(organiser, server)
    organiser_agenda(organiser, server, meeting_id)
    edit_item(organiser, "Opening and welcome", 2)
    expect(elapsed).to_have_text("5 of 2 min · This item runs 3 min over")
    expect(attendee.locator("[data-clock]").first).to_have_class(re.compile(r"\bis-over\b"))
    expect(console.locator("[data-clock] [data-clock-elapsed]").first).to_contain_text(
        "of 2 min")
    assert_accessible(attendee)
    assert_accessible(organiser)

    for page in (attendee, console, organiser):
        assert page.dialogs == [] and page.js_errors == []


def test_moving_an_item_reorders_the_jump_menu_and_the_item_filter(server, new_page):
    console = watch(new_page())
    open_console(console, server)
    meeting_id = console.locator("[data-clock]").first.get_attribute("data-meeting-id")
    jump = console.locator("[data-clock-jump] option")
    attendee = watch(new_page(locale="en-GB"))
    join_as_attendee(attendee, server, 1)
    wait_online(attendee)
    item_filter = attendee.locator("#filter-item option")
    second = jump.nth(1).inner_text().split(". ", 1)[1]
    first = jump.nth(0).inner_text().split(". ", 1)[1]

    organiser = watch(new_page())
    open_console(organiser, server)
    organiser_agenda(organiser, server, meeting_id)
    row = organiser.locator("tr").filter(
        has=organiser.get_by_role("link", name=second, exact=True))
    row.get_by_role("button", name=re.compile(r"^Up")).click()

    expect(jump.nth(0)).to_have_text(f"1. {second}")
    expect(jump.nth(1)).to_have_text(f"2. {first}")
    # the filter's first option is "All items"
    expect(item_filter.nth(1)).to_have_text(second)
    expect(item_filter.nth(2)).to_have_text(first)

    for page in (attendee, console, organiser):
        assert page.dialogs == [] and page.js_errors == []
