"""Abuse limits in the browser: the 429 page is the platform's page in Dutch, axe-clean on
a desktop and a phone; a refused websocket message shows its notice on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.asgi_server import asgi_site  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("width", [1280, 360])
def test_searching_too_fast_shows_the_wait_page_in_the_shell(
    page, site, accessible, settings, width
):
    settings.RATE_LIMITS = {"search": "1/h"}
    page.set_viewport_size({"width": width, "height": 800})
    assert page.goto(site + "/zoeken/?q=buurt").status == 200

    answer = page.goto(site + "/zoeken/?q=buurtkamer")

    assert answer.status == 429 and 0 < int(answer.headers["retry-after"]) <= 3600
    expect(page.get_by_role("heading", level=1)).to_have_text("Even geduld")
    expect(page.get_by_role("alert")).to_contain_text("Je zoekt heel snel achter elkaar.")
    expect(page.get_by_role("link", name="Naar de startpagina")).to_be_visible()
    accessible(page)


def test_a_refused_websocket_message_is_shown_on_the_page(
    page,
    asgi_site,  # noqa: F811
    accessible,
    settings,
):
    settings.RATE_LIMITS = {"websocket": "2/h"}
    page.goto(asgi_site + "/")
    # The page's own client (live.js) on the ping socket, sending faster than allowed.
    page.evaluate(
        """() => new Promise((done) => {
          const el = document.createElement("div");
          el.dataset.ws = "/ws/ping/";
          document.body.appendChild(el);
          const socket = window.platformLive.connect(el, () => {});
          const wait = setInterval(() => {
            if (el.dataset.wsState !== "open") return;
            clearInterval(wait);
            for (let n = 0; n < 5; n += 1) socket.send({ type: "ping", id: n });
            done();
          }, 50);
        })"""
    )
    notice = page.locator("#live-melding")
    expect(notice).to_contain_text("Te veel berichten over de live-verbinding.")
    expect(notice).to_have_attribute("role", "status")
    accessible(page)
