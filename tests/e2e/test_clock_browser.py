"""The live agenda clock and the board in real browsers.

A moderator drives the clock from the standalone clock page while an attendee in Lima watches
the real attendee page (`/m/<slug>/live`): the current item, how far it runs over and the
projected end in Beijing time and in Lima time. axe-core checks the board, the wall and the
watch-later page.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support.axe import assert_accessible
from tests.support.blns import load_blns
from tests.support.qa_browser import login_moderator, wait_online, watch
from tests.support.server import prepare_demo, running_server
from webapp.core.timeutil import utcnow

pytestmark = pytest.mark.browser

JOIN_LINE = re.compile(r"Join as .+?: \S+(/m/pacific-bridge-11/join/\S+)")
SLUG, PAST = "pacific-bridge-11", "pacific-bridge-10"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SHOTS.mkdir(exist_ok=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env, demo_output = prepare_demo(tmp_path_factory.mktemp("clock-browser") / "instance")
    # The session starts now (it was a week away): the overrun is measured against today's plan.
    engine = sa.create_engine(env["DATABASE_URL"])
    start = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    with engine.begin() as connection:
        connection.execute(sa.text(
            "UPDATE meetings SET starts_at = :s, planned_end = :e, latest_end = :l,"
            " partner_timezones = '[\"America/Lima\"]' WHERE slug = :slug"),
            {"s": start, "e": start + timedelta(hours=2),
             "l": start + timedelta(hours=2, minutes=30), "slug": SLUG})
    engine.dispose()
    with running_server(env) as running:
        running.join_paths = JOIN_LINE.findall(demo_output)
        yield running


def join(page, server, index):
    page.goto(server.url + server.join_paths[index])
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/m/{SLUG}/live")


def clock_text(page, part):
    return page.locator(f"[data-clock] [data-clock-{part}]").first.inner_text()


def test_moderator_drives_the_clock_attendee_sees_overrun_in_two_zones(server, new_page):
    moderator = watch(new_page(timezone_id="Asia/Shanghai"))
    login_moderator(moderator, server)
    moderator.goto(server.url + f"/m/{SLUG}/clock")
    controls = moderator.locator("[data-clock-controls]")
    controls.wait_for()

    attendee = watch(new_page(locale="es-PE", timezone_id="America/Lima"))
    sockets = []
    attendee.on("websocket", lambda ws: sockets.append(ws.url))
    join(attendee, server, 0)
    attendee.locator("[data-clock]").wait_for()
    # the attendee page's clock is attached to the page's own connection
    attendee.wait_for_function(
        "() => document.querySelector('[data-clock]').dataset.attached === 'clock'")

    # The projector, in Chinese: no speaker is shown before the first item starts.
    moderator.goto(server.url + f"/m/{SLUG}/console")
    wait_online(moderator)
    moderator.locator("form[action$='/console/presenter-link'] button").click()
    presenter_url = moderator.locator("#presenter-url").input_value()
    presenter = watch(new_page(locale="zh-CN", timezone_id="Asia/Shanghai"))
    presenter.goto(presenter_url)
    wait_online(presenter)
    assert presenter.locator("#presenter-speakers").is_hidden()
    moderator.goto(server.url + f"/m/{SLUG}/clock")
    controls.wait_for()

    controls.locator("[data-clock-command=start_next_item]").click()
    # The opening, in the attendee's Spanish (the demo's agenda is trilingual).
    attendee.wait_for_function(
        "() => document.querySelector('[data-clock-item]').textContent.includes('Apertura')")
    # The presenter shows the opening's speaker with her photo, its alt text in Chinese.
    photo = presenter.locator("#presenter-speakers img.presenter-speaker-photo").first
    photo.wait_for()
    assert photo.get_attribute("alt") == "Rosa Quispe Mamani, 国会卫生委员会主席"
    presenter.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                arg=photo.element_handle())
    assert_accessible(presenter)
    assert presenter.js_errors == []
    assert len(sockets) == 1  # the clock and board share the page's one connection
    if attendee.locator("[data-board]").count():
        attendee.wait_for_function(
            "() => document.querySelector('[data-board]').dataset.attached === 'board'")
    end = clock_text(attendee, "end")
    assert "Shanghái" in end and "Lima" in end  # the meeting's zone and its partner's (Babel)

    # Forty-five minutes later (the attendee's clock jumps; the server's state stays put):
    # the 10-minute opening runs 35 minutes over and the meeting 40.
    later = datetime.now().astimezone() + timedelta(minutes=45)
    attendee.clock.set_system_time(later)
    attendee.wait_for_function(
        "() => /35/.test(document.querySelector('[data-clock-elapsed]').textContent)",
        timeout=20_000)
    assert "40" in clock_text(attendee, "overrun")
    assert attendee.locator("[data-clock]").first.get_attribute("class").count("is-over") == 1
    # Spanish writes "H:mm" (Babel's pattern, as the server does)
    lima_h = int(re.search(r"(\d{1,2}):\d{2} Lima", clock_text(attendee, "end")).group(1))
    shanghai_h = int(re.search(r"(\d{1,2}):\d{2} Shanghái",
                               clock_text(attendee, "end")).group(1))
    assert (shanghai_h - lima_h) % 24 == 13  # the same instant, 13 hours apart

    controls.locator("[data-clock-command=end_current_item]").click()
    attendee.wait_for_function(
        "() => document.querySelector('[data-clock-item]').textContent.includes('programa')")
    controls.locator("[data-clock-command=start_next_item]").click()
    attendee.wait_for_function("() => document.querySelector('[data-clock-item]')"
                               ".textContent.includes('Prevención comunitaria')")
    assert attendee.dialogs == [] and attendee.js_errors == []
    assert moderator.js_errors == []


def test_chinese_attendee_and_moderator_clocks_name_the_cities_as_the_server(server, new_page):
    reader = watch(new_page(locale="zh-CN", timezone_id="Europe/Madrid"))
    join(reader, server, 1)
    reader.locator("[data-clock]").wait_for()
    reader.wait_for_function(
        "() => document.querySelector('[data-clock]').dataset.attached === 'clock'")
    # the server's text (the page as fetched) and the browser's (after it rendered the clock)
    html = reader.evaluate("fetch(location.href).then((r) => r.text())")
    served = re.search(r"data-clock-end>([^<]*)<", html).group(1)
    reader.wait_for_function("() => document.querySelector('[data-clock]').dataset.attached")
    live = clock_text(reader, "end")
    # "预计结束：21:24 上海 · 08:24 利马 · 14:24 马德里": Babel's names, 24 hours, every zone
    for text in (served, live):
        assert re.search(r"\d\d:\d\d 上海 · \d\d:\d\d 利马( \(-1 天\))? · \d\d:\d\d 马德里",
                         text), text
    # the same words and format (the digits may have moved on by a minute meanwhile)
    assert re.sub(r"\d", "0", served) == re.sub(r"\d", "0", live)
    assert "Shanghai" not in live and "Lima" not in live

    moderator = watch(new_page(timezone_id="Asia/Shanghai"))
    login_moderator(moderator, server)
    moderator.goto(server.url + f"/m/{SLUG}/clock")
    moderator.locator("[data-clock]").wait_for()
    text = moderator.locator("[data-clock] [data-clock-end]").first.inner_text()
    assert re.search(r"\d{1,2}:\d\d\s[AP]M Shanghai · \d{1,2}:\d\d\s[AP]M Lima", text), text
    assert "UTC" not in text
    assert reader.js_errors == [] and moderator.js_errors == []


def test_board_live_and_accessible_with_nasty_strings(server, new_page):
    moderator = watch(new_page())
    login_moderator(moderator, server)
    moderator.goto(server.url + f"/m/{SLUG}/clock")
    moderator.locator("[data-board] [data-board-form]").wait_for()
    moderator.wait_for_function(
        "() => document.querySelector('[data-board-posts]').getAttribute('aria-busy') === 'false'")

    reader = watch(new_page(timezone_id="Asia/Shanghai"))
    join(reader, server, 1)
    reader.goto(server.url + f"/m/{SLUG}/clock")
    reader.wait_for_function(
        "() => document.querySelector('[data-board-posts]').getAttribute('aria-busy') === 'false'")

    strings = [s for s in load_blns()
               if s.strip() and len(s) < 200
               and ("<" in s or "script" in s.lower() or "alert" in s)][:8]
    strings.append("感谢张书记的分享 · ¡Gracias!")
    for text in strings:
        reader.fill("[data-board-form] textarea", text)
        reader.locator("[data-board-form] button[type=submit]").click()
        reader.wait_for_function("() => document.querySelector('[data-board-form] textarea')"
                                 ".value === ''")
    moderator.wait_for_function(
        f"() => document.querySelectorAll('[data-board-posts] .board-text').length >= "
        f"{len(strings)}")
    shown = moderator.locator("[data-board-posts] .board-text").all_inner_texts()
    for text in strings:
        assert text.strip() in [s.strip() for s in shown]

    # the server's paragraphs become DOM nodes: a line break and a safe link, never markup
    reader.fill("[data-board-form] textarea",
                "Línea uno\nVer https://example.org/x o javascript:alert(1)\n\nFin")
    reader.locator("[data-board-form] button[type=submit]").click()
    link = moderator.locator("[data-board-posts] .board-text a[href='https://example.org/x']")
    link.wait_for()
    assert link.get_attribute("rel") == "nofollow noopener"
    post = moderator.locator("[data-board-posts] .board-text",
                             has=moderator.locator("a[href='https://example.org/x']"))
    assert post.locator("p").count() == 2 and post.locator("p br").count() == 1
    assert post.locator("a").count() == 1

    # a reaction and a hidden post with a reason, seen by the author
    reader.locator("[data-board-posts] .board-post").last.locator(
        "button.reaction[data-kind=thanks]").click()
    moderator.wait_for_function(
        "() => [...document.querySelectorAll('[data-board-posts] .reaction-count')]"
        ".some(n => n.textContent.includes('1'))")
    last = moderator.locator("[data-board-posts] .board-post").last
    last.get_by_role("button", name="Hide").click()
    last.locator("input[name=reason]").fill("Off topic <b>x</b>")
    last.locator("form.board-hide button[type=submit]").click()
    reader.wait_for_function(
        "() => [...document.querySelectorAll('.board-hidden')]"
        ".some(n => n.textContent.includes('Off topic <b>x</b>'))")

    # slow mode from the settings, the author's ack says how long to wait
    moderator.fill("[data-board-settings] input[name=slow_seconds]", "60")
    moderator.locator("[data-board-settings] button[type=submit]").click()
    reader.wait_for_function(
        "() => document.querySelector('[data-board-status]').textContent.includes('60')")
    reader.fill("[data-board-form] textarea", "uno")
    reader.locator("[data-board-form] button[type=submit]").click()
    reader.fill("[data-board-form] textarea", "dos")
    reader.locator("[data-board-form] button[type=submit]").click()
    reader.locator("[data-board-error]").wait_for(state="visible")
    assert re.search(r"\d+", reader.locator("[data-board-error]").inner_text())

    moderator.screenshot(path=str(SHOTS / "board-moderator.png"), full_page=True)
    reader.screenshot(path=str(SHOTS / "board-reader.png"), full_page=True)
    assert reader.dialogs == [] and moderator.dialogs == []
    assert reader.js_errors == [] and moderator.js_errors == []
    assert_accessible(moderator)
    assert_accessible(reader)

    wall = watch(new_page())
    wall.goto(server.url + f"/m/{PAST}/wall")
    assert wall.locator(".wall-posts .board-post").count() > 0
    assert_accessible(wall)
    wall.goto(server.url + f"/m/{PAST}/transcript")
    assert_accessible(wall)
    wall.goto(server.url + f"/m/{PAST}/watch")
    assert wall.locator("li.watch-chapter").count() > 0
    assert wall.locator("li.watch-question").count() > 0
    assert wall.locator("li.watch-chapter a").first.get_attribute("href").endswith("#t=120")
    assert_accessible(wall)
    assert wall.dialogs == []
