"""The live forum in the browser, served over ASGI (pages and websockets from one server):
one member replies, another sees the reply appear without reloading, their notification
count rise and their thread list offer a reload. axe-core checks every page."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from playwright.sync_api import expect

from community.forum_views import space_url, thread_url
from community.services import forum
from journeys.models import Journey
from tests.e2e.test_accounts_flow import sign_in
from tests.journeys.conftest import make_journey  # noqa: F401

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # WhiteNoise hands Django's ASGI handler a synchronous file iterator: harmless here.
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous"),
]


def outside_the_browser_loop(function, *args, **kwargs):
    """Run a service in a thread of its own: its events are published with async_to_sync,
    which refuses the thread where Playwright's event loop runs. The thread's database
    connection is closed before it ends: on PostgreSQL it goes back to the pool, which
    the live server draws from too, instead of being held until the process exits."""

    def run_and_release():
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(run_and_release).result()


def new_page(browser, browser_context_args):
    page = browser.new_context(**browser_context_args).new_page()
    page.set_default_timeout(10_000)
    return page


def test_the_asgi_test_server_serves_pages_static_files_and_websockets(page, asgi_site):
    assert page.goto(asgi_site + "/static/js/live.js").ok
    page.goto(asgi_site + "/")
    answer = page.evaluate(
        """url => new Promise((resolve, reject) => {
            const socket = new WebSocket(url);
            socket.onopen = () => socket.send(JSON.stringify({type: "ping", id: 1}));
            socket.onmessage = message => { resolve(JSON.parse(message.data)); socket.close(); };
            socket.onerror = () => reject(new Error("websocket failed"));
        })""",
        asgi_site.replace("http", "ws", 1) + "/ws/ping/",
    )
    assert answer["type"] == "pong"


def test_a_reply_appears_for_another_reader_without_reloading_and_their_count_rises(
    browser,
    browser_context_args,
    asgi_site,
    personas,
    make_journey,  # noqa: F811
    accessible,
):
    journey = make_journey(visibility=Journey.Visibility.BESLOTEN)
    thread = outside_the_browser_loop(
        forum.start_thread,
        personas["reisbegeleider"],
        title="Wie komt er naar de buurttafel?",
        body="Donderdag om vier uur in het wijkcentrum.",
        journey=journey,
    )
    address = asgi_site + thread_url(thread)
    writer_account, reader_account = personas["professional"], personas["inwoner"]

    writer = new_page(browser, browser_context_args)
    reader = new_page(browser, browser_context_args)
    sign_in(writer, asgi_site, writer_account.email)
    sign_in(reader, asgi_site, reader_account.email)
    reader.goto(address)
    writer.goto(address)

    posts = reader.locator("#berichten [data-post-id]")
    expect(posts).to_have_count(1)
    badge = reader.locator("#meldingen-aantal")
    unread_before = int(badge.inner_text())
    # Both sockets of the reader are open before anyone writes.
    expect(reader.locator("#berichten")).to_have_attribute("data-ws-state", "open")
    expect(reader.locator("#meldingen-link")).to_have_attribute("data-ws-state", "open")
    accessible(reader)
    reader.evaluate("window.stillTheSamePage = true")
    # The reader also has the journey's thread list open in another tab.
    thread_list = reader.context.new_page()
    thread_list.goto(asgi_site + space_url(journey))
    expect(thread_list.locator("#onderwerpen")).to_have_attribute("data-ws-state", "open")

    # The writer mentions the reader, picking them from the suggestions by keyboard.
    box = writer.locator("#id_body")
    box.fill("Ik ben er bij. Kom jij ook, ")
    box.press("End")
    box.press_sequentially("@" + reader_account.handle[:3])
    option = writer.get_by_role("option", name=re.compile("@" + re.escape(reader_account.handle)))
    expect(option).to_be_visible()
    accessible(writer)
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(box).to_have_value(f"Ik ben er bij. Kom jij ook, @{reader_account.handle} ")
    box.press_sequentially("?")
    writer.locator("form:has(#id_body) button[type=submit]").last.click()
    expect(writer.locator("#berichten [data-post-id]")).to_have_count(2)

    # The reader sees it arrive, announced, and the notification count rises: no reload.
    expect(posts).to_have_count(2)
    expect(posts.last).to_contain_text("Ik ben er bij")
    expect(reader.locator("#live-aankondiging")).to_contain_text("Nieuw bericht van")
    expect(badge).to_have_text(str(unread_before + 1))
    assert reader.evaluate("window.stillTheSamePage") is True
    accessible(reader)
    accessible(writer)
    # The thread list offers a reload instead of moving rows under the reader's eyes.
    expect(
        thread_list.locator("#forum-live-status").get_by_role("link", name="Vernieuw de lijst.")
    ).to_be_visible()
    expect(thread_list.locator("#forum-live-status")).to_contain_text("Er is nieuwe activiteit.")
    accessible(thread_list)
