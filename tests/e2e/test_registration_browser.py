"""A visitor registers in Spanish, the e-mail arrives over real SMTP, the link lets them in."""

from __future__ import annotations

import re

import pytest

from tests.support.axe import assert_accessible
from tests.support.server import prepared_env, running_server
from tests.support.smtp import SMTPServer

pytestmark = pytest.mark.browser

MEETING = "/m/pacific-bridge-11"
JOIN_LINK = re.compile(r"https?://\S+/m/pacific-bridge-11/join/[A-Za-z0-9_-]+")


@pytest.fixture(scope="module")
def smtp():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory, smtp):
    env = prepared_env(tmp_path_factory.mktemp("registration-browser"), SMTP_URL=smtp.url)
    with running_server(env) as running:
        yield running


def test_visitor_registers_in_spanish_and_joins_from_the_email(site, smtp, new_page):
    page = new_page(locale="en-GB", timezone_id="America/Lima")
    page.goto(site.url + MEETING)
    with page.expect_navigation():  # the URL does not change, so wait for the new page
        page.select_option("#language-select", "es")
        page.locator("#language-change").click()
    assert page.locator("html").get_attribute("lang") == "es"
    page.reload()  # the browser's zone is now known: both clocks are rendered
    assert "Lima" in page.locator(".meeting-when").inner_text()
    # The demo speakers' photos and the host's logo, loaded, with alt text in Spanish.
    photo = page.get_by_role(
        "img", name="Rosa Quispe Mamani, Presidenta de la Comisión de Salud del Congreso",
        exact=True).first
    photo.scroll_into_view_if_needed()  # lazy: loaded once near the viewport
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=photo.element_handle())
    assert photo.get_attribute("src").startswith("/media/")
    logo = page.locator(".organisations img").first
    assert logo.get_attribute("alt") == "Red de Cooperación Civil de la Ruta de la Seda (ficticia)"
    logo.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=logo.element_handle())
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: photos and logos fit
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    form = page.locator(".registration-form")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#name-error")
    assert "Este campo es obligatorio." in page.locator("#name-error").inner_text()
    assert page.locator("#consent-error").is_visible()
    assert_accessible(page)

    page.fill("#name", "Lucía Huamán 陈")
    page.fill("#email", "lucia.huaman@example.org")
    page.fill("#organisation", "Hospital Nacional (ficticio)")
    page.select_option("#organisation_type", "health")
    page.fill("#position", "Enfermera jefa")
    page.select_option("#country", "PE")
    assert page.locator("#language").input_value() == "es"
    page.check("#consent")
    form.locator("button[type=submit]").click()
    # The form posts to .../register#register; the fragment survives the redirect.
    page.wait_for_url(re.compile(r".*/m/pacific-bridge-11/registered(#register)?$"))
    assert "Revise su correo electrónico" in page.locator("h1").inner_text()

    (received,) = smtp.wait_for(1, timeout=20)
    assert received["to"] == ["lucia.huaman@example.org"]
    message = received["message"]
    assert "Su inscripción está confirmada" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    link = JOIN_LINK.search(text).group(0)
    assert link.startswith(site.url)
    assert [a.get_filename() for a in message.iter_attachments()] == ["pacific-bridge-11.ics"]

    page.goto(link)
    join = page.get_by_role("button", name="Entrar como Lucía Huamán 陈")
    assert join.is_visible()
    assert_accessible(page)
    join.click()
    page.wait_for_url("**/m/pacific-bridge-11/live")
    assert page.js_errors == []
