"""The live board in the browser, served over ASGI (pages and websockets from one server):
two participants on the same board; a card one posts appears for the other without a
reload; the facilitator freezes the board and both see the banner change and the
add-card forms go disabled. axe-core checks the board page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from community.models import Board, Card
from community.services import boards
from community.services.boards import BoardDetails
from journeys.models import Journey
from tests.e2e.test_accounts_flow import sign_in
from tests.e2e.test_forum_live import new_page, outside_the_browser_loop
from tests.journeys.conftest import make_journey  # noqa: F401

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous"),
]


def open_board(personas, journey) -> Board:
    lead = personas["reisbegeleider"]
    board = boards.create_board(
        lead, journey, BoardDetails(title="Drie perspectieven"), template="perspectieven"
    )
    return boards.set_state(lead, board, Board.State.OPEN)


def test_a_card_appears_for_the_other_participant_and_a_freeze_reaches_everyone(
    browser,
    browser_context_args,
    asgi_site,
    personas,
    make_journey,  # noqa: F811
    accessible,
):
    journey = make_journey(visibility=Journey.Visibility.BESLOTEN)
    board = outside_the_browser_loop(open_board, personas, journey)
    address = asgi_site + board.get_absolute_url()

    writer = new_page(browser, browser_context_args)
    reader = new_page(browser, browser_context_args)
    lead = new_page(browser, browser_context_args)
    sign_in(writer, asgi_site, personas["professional"].email)
    sign_in(reader, asgi_site, personas["opdrachtgever"].email)
    sign_in(lead, asgi_site, personas["reisbegeleider"].email)
    for page in (writer, reader, lead):
        page.goto(address)
        expect(page.locator("#bord")).to_have_attribute("data-ws-state", "open")
    reader.evaluate("window.stillTheSamePage = true")
    writer.evaluate("window.stillTheSamePage = true")
    accessible(reader)
    # The facilitator sees three people on the board.
    expect(lead.locator("[data-board-participants]")).to_contain_text("3 deelnemers")

    # The writer posts a card in the first cell, by keyboard, without leaving the page.
    cell = writer.locator(".board-cell").first
    cell.locator("summary.board-add__summary").click()
    cell.get_by_label("Tekst").fill("Gezien worden als mens, niet als dossier")
    cell.get_by_role("button", name="Kaart plaatsen").click()
    mine = cell.locator("li[data-card-id]")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("Gezien worden als mens")
    expect(writer.locator("#live-aankondiging")).to_contain_text("Je kaart staat op het bord")
    expect(cell.get_by_label("Tekst")).to_have_value("")

    # The reader sees it arrive in the same cell, announced, without a reload.
    arrived = reader.locator(".board-cell").first.locator("li[data-card-id]")
    expect(arrived).to_have_count(1)
    expect(arrived).to_contain_text("Gezien worden als mens")
    expect(arrived).to_contain_text("Pieter de Wit")
    expect(reader.locator("#live-aankondiging")).to_contain_text("Nieuwe kaart in")
    # Exactly one card, once, for everyone.
    assert Card.objects.count() == 1
    expect(writer.locator("li[data-card-id]")).to_have_count(1)
    expect(lead.locator("li[data-card-id]")).to_have_count(1)

    # The reader agrees, in place: the count rises for the writer too.
    agree = arrived.get_by_role("button", name=re.compile("^Eens"))
    agree.click()
    expect(arrived.get_by_role("button", name=re.compile("^Eens"))).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(mine.locator(".board-reaction", has_text="Eens")).to_contain_text("1")
    accessible(reader)
    accessible(writer)

    # The facilitator freezes the board: everyone sees the banner, the forms go disabled.
    lead.get_by_role("button", name="Bevriezen (alleen lezen)").click()
    expect(lead.locator("[data-board-banner]")).to_contain_text("Bevroren")
    for page in (reader, writer):
        expect(page.locator("[data-board-banner]")).to_contain_text("Bevroren")
        expect(page.locator("#bord")).to_have_attribute("data-state", "bevroren")
        first_form = page.locator(".board-cell").first.locator(".board-add fieldset")
        expect(first_form).to_have_js_property("disabled", True)
        expect(page.locator(".board-add button[type=submit]").first).to_be_disabled()
        expect(page.locator("button.board-reaction").first).to_be_disabled()
        assert page.evaluate("window.stillTheSamePage") is True
    expect(lead.get_by_role("button", name="Weer openen")).to_be_visible()
    expect(lead.get_by_role("button", name="Bevriezen (alleen lezen)")).to_be_hidden()
    accessible(lead)
    accessible(reader)

    # Opened again: the forms come back without a reload.
    lead.get_by_role("button", name="Weer openen").click()
    expect(lead.get_by_role("button", name="Weer openen")).to_be_hidden()
    expect(reader.locator("#bord")).to_have_attribute("data-state", "open")
    expect(reader.locator(".board-add button[type=submit]").first).to_be_enabled()
    assert reader.evaluate("window.stillTheSamePage") is True


def test_a_reader_who_was_offline_catches_up_without_losing_or_doubling_a_card(
    browser,
    browser_context_args,
    asgi_site,
    personas,
    make_journey,  # noqa: F811
):
    journey = make_journey(visibility=Journey.Visibility.BESLOTEN)
    board = outside_the_browser_loop(open_board, personas, journey)
    column, row = board.columns.first(), board.rows.first()
    reader = new_page(browser, browser_context_args)
    reader.add_init_script(SOCKET_SWITCH)
    sign_in(reader, asgi_site, personas["opdrachtgever"].email)
    reader.goto(asgi_site + board.get_absolute_url())
    expect(reader.locator("#bord")).to_have_attribute("data-ws-state", "open")
    reader.evaluate("window.stillTheSamePage = true")

    def post(body):
        return outside_the_browser_loop(
            boards.post_card,
            personas["professional"],
            board,
            body=body,
            column_id=column.pk,
            row_id=row.pk,
        )

    post("Voor het wegvallen")
    expect(reader.locator("li[data-card-id]")).to_have_count(1)
    # The connection drops; meanwhile two cards arrive and one of them is hidden again.
    reader.evaluate("window.cutSockets()")
    expect(reader.locator("#bord")).to_have_attribute("data-ws-state", "closed")
    post("Tijdens het wegvallen")
    hidden = post("Even zichtbaar")
    outside_the_browser_loop(
        boards.set_card_status, personas["reisbegeleider"], hidden, Card.Status.HIDDEN
    )
    reader.evaluate("window.restoreSockets()")
    expect(reader.locator("#bord")).to_have_attribute("data-ws-state", "open", timeout=15_000)
    cards = reader.locator("li[data-card-id]")
    expect(cards).to_have_count(2)
    expect(cards.nth(1)).to_contain_text("Tijdens het wegvallen")
    expect(reader.locator("#bord")).to_have_attribute("data-seq", str(board_seq(board)))
    expect(reader.get_by_text("Even zichtbaar")).to_have_count(0)
    assert reader.evaluate("window.stillTheSamePage") is True


# Lets a test cut the page's websockets and keep them down until it restores them.
SOCKET_SWITCH = """
(() => {
  const Native = window.WebSocket;
  const open = [];
  let down = false;
  function Switched(url, protocols) {
    const socket = new Native(down ? "ws://127.0.0.1:9/" : url, protocols);
    open.push(socket);
    return socket;
  }
  Switched.prototype = Native.prototype;
  for (const name of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Switched[name] = Native[name];
  window.WebSocket = Switched;
  window.cutSockets = () => { down = true; open.forEach(s => s.close()); };
  window.restoreSockets = () => { down = false; };
})();
"""


def board_seq(board: Board) -> int:
    return Board.objects.values_list("last_seq", flat=True).get(pk=board.pk)
