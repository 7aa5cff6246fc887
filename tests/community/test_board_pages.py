"""The board pages as people use them without JavaScript: the list, a new board, its
settings, the board with its grid, and every card action as a plain form post (with the
answer a fetch() gets too). Besloten boards do not exist for non-members; meelezers and
staff read; an anonymous card names nobody, whoever looks; bad input changes nothing;
the page's query count stays the same at 30 and 300 cards."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from PIL import Image

from community.models import (
    AuditEntry,
    Board,
    Card,
    CardComment,
    CardReaction,
    Thread,
)
from community.services import boards
from community.services.boards import BoardDetails
from journeys.models import Journey

pytestmark = pytest.mark.django_db

State = Board.State
Status = Card.Status
Visibility = Journey.Visibility
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "text/html; fragment=card"}


def nl(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


def nl_plural(singular: str, plural: str, count: int) -> str:
    with translation.override("nl"):
        return translation.ngettext(singular, plural, count) % {"counter": count}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BOARD_CARDS_PER_MINUTE = 1000


def make_board(personas, journey, *, state=State.OPEN, template="perspectieven", **details):
    lead = personas["reisbegeleider"]
    board = boards.create_board(
        lead,
        journey,
        BoardDetails(title=details.pop("title", "Drie perspectieven"), **details),
        template=template,
    )
    if state != State.CONCEPT:
        boards.set_state(lead, board, State.OPEN)
    if state in (State.BEVROREN, State.GESLOTEN):
        boards.set_state(lead, board, state)
    board.refresh_from_db()
    return board


def first_cell(board: Board) -> dict:
    column = board.columns.order_by("position").first()
    row = board.rows.order_by("position").first()
    return {"column": column.pk, "row": row.pk if row else ""}


def post(personas, board, role="professional", body="Gezien worden", **extra) -> Card:
    cell = first_cell(board)
    return boards.post_card(
        personas[role],
        board,
        body=body,
        column_id=cell["column"],
        row_id=cell["row"] or None,
        **extra,
    )


def board_url(board: Board) -> str:
    return reverse("community:board", args=[board.journey.slug, board.pk])


def card_url(name: str, card: Card, *more) -> str:
    return reverse(
        f"community:{name}", args=[card.board.journey.slug, card.board_id, card.pk, *more]
    )


def png(*, exif: bool = False, size=(8, 6)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "Camera van Pieter"  # Make
        data[0x0131] = "GeheimeSoftware"  # Software
        image.save(out, format="PNG", exif=data.tobytes())
    else:
        image.save(out, format="PNG")
    return out.getvalue()


# --- Who sees what -------------------------------------------------------------------------


def test_the_journey_has_a_boards_tab_listing_boards_with_state_meeting_and_card_count(
    personas, make_journey
):
    journey = make_journey()
    board = make_board(personas, journey)
    make_board(personas, journey, title="Nog in voorbereiding", state=State.CONCEPT)
    post(personas, board)
    post(personas, board, body="Tweede")
    list_url = reverse("community:journey_boards", args=[journey.slug])

    html = signed_in(personas["professional"]).get(list_url).content.decode()
    assert f'href="{list_url}" aria-current="page"' in html
    assert nl("Boards") in html
    assert "Drie perspectieven" in html
    assert nl_plural("%(counter)s card", "%(counter)s cards", 2) in html
    assert "Nog in voorbereiding" not in html  # a board in preparation: facilitators only
    assert nl("New board") not in html

    lead_html = signed_in(personas["reisbegeleider"]).get(list_url).content.decode()
    assert "Nog in voorbereiding" in lead_html
    assert reverse("community:board_new", args=[journey.slug]) in lead_html
    assert reverse("community:board_import", args=[journey.slug]) in lead_html


def test_anyone_reads_an_openbaar_journeys_board_and_is_asked_to_sign_in_to_take_part(
    client, personas, make_journey
):
    journey = make_journey(visibility=Visibility.OPENBAAR)
    board = make_board(personas, journey)
    post(personas, board, body="Iedereen mag dit lezen")
    response = client.get(board_url(board))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iedereen mag dit lezen" in html
    assert 'name="body"' not in html  # no forms to post with
    assert nl("Sign in to take part.") in html
    cell = first_cell(board)
    response = client.post(
        reverse("community:card_post", args=[journey.slug, board.pk]), {"body": "x", **cell}
    )
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert board.cards.count() == 1


def test_a_besloten_journeys_boards_do_not_exist_for_non_members(personas, make_journey):
    journey = make_journey(visibility=Visibility.BESLOTEN)
    board = make_board(personas, journey)
    card = post(personas, board)
    outsider = signed_in(personas["trainer"])
    cell = first_cell(board)
    slug = journey.slug
    for url in (
        reverse("community:journey_boards", args=[slug]),
        reverse("community:board_new", args=[slug]),
        board_url(board),
        reverse("community:board_edit", args=[slug, board.pk]),
        card_url("card", card),
        card_url("card_edit", card),
        card_url("card_image", card),
    ):
        assert outsider.get(url).status_code == 404, url
    for url, data in (
        (reverse("community:card_post", args=[slug, board.pk]), {"body": "x", **cell}),
        (reverse("community:board_state", args=[slug, board.pk]), {"state": "bevroren"}),
        (card_url("card_react", card), {"kind": "eens"}),
        (card_url("card_comment", card), {"body": "x"}),
    ):
        assert outsider.post(url, data).status_code == 404, url
    assert Client().get(board_url(board)).status_code == 404
    assert board.cards.count() == 1 and not CardComment.objects.exists()


def test_a_meelezer_reads_but_cannot_post_react_or_comment(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    card = post(personas, board, body="Kaart om te lezen")
    reader = signed_in(personas["inwoner"])
    html = reader.get(board_url(board)).content.decode()
    assert "Kaart om te lezen" in html
    assert nl("Add a card") not in html
    assert "aria-pressed" not in html
    assert nl("You can read this board; members who take part in the journey add cards.") in html
    cell = first_cell(board)
    assert (
        reader.post(
            reverse("community:card_post", args=[journey.slug, board.pk]),
            {"body": "Ik ook", **cell},
        ).status_code
        == 403
    )
    assert reader.post(card_url("card_react", card), {"kind": "eens"}).status_code == 403
    assert reader.post(card_url("card_comment", card), {"body": "Mooi"}).status_code == 403
    assert (
        reader.post(
            reverse("community:board_state", args=[journey.slug, board.pk]), {"state": "bevroren"}
        ).status_code
        == 403
    )
    assert board.cards.count() == 1 and not CardReaction.objects.exists()
    assert not CardComment.objects.exists()


def test_staff_read_every_board_but_do_not_post_or_facilitate(personas, make_journey):
    journey = make_journey(visibility=Visibility.BESLOTEN)
    board = make_board(personas, journey)
    card = post(personas, board, body="Ook beheer leest mee")
    staff = signed_in(personas["beheerder"])
    assert personas["beheerder"].is_staff
    html = staff.get(board_url(board)).content.decode()
    assert "Ook beheer leest mee" in html
    assert nl("Add a card") not in html and nl("Facilitation") not in html
    assert staff.post(card_url("card_status", card), {"status": "hidden"}).status_code == 403
    assert (
        staff.get(reverse("community:board_edit", args=[journey.slug, board.pk])).status_code == 403
    )
    card.refresh_from_db()
    assert card.status == Status.VISIBLE


def test_a_board_in_preparation_is_for_its_facilitators_only(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey, state=State.CONCEPT)
    assert signed_in(personas["professional"]).get(board_url(board)).status_code == 404
    html = signed_in(personas["reisbegeleider"]).get(board_url(board)).content.decode()
    assert nl("Open the board") in html


# --- Making and setting up boards ------------------------------------------------------------


def test_the_reisbegeleider_makes_a_board_from_the_three_perspectives_template(
    personas, make_journey
):
    journey = make_journey()
    lead = signed_in(personas["reisbegeleider"])
    url = reverse("community:board_new", args=[journey.slug])
    assert nl("Own columns and rows") in lead.get(url).content.decode()
    response = lead.post(
        url,
        {
            "title": "Break-out impact",
            "instructions": "",
            "template": "perspectieven",
            "columns": "",
            "rows": "",
            "anonymity": "choice",
            "event": "",
        },
    )
    board = Board.objects.get()
    assert response.status_code == 302 and response["Location"] == board_url(board)
    assert board.state == State.CONCEPT
    assert board.columns.count() == 3 and board.rows.count() == 3
    html = lead.get(board_url(board)).content.decode()
    assert escape(nl("Residents")) in html or nl("Residents") in html
    assert (
        nl("The board is ready. Try it out, then open it when participants may write on it.")
        in html
    )


def test_own_columns_and_rows_one_per_line_and_a_meeting_of_this_journey(personas, make_journey):
    from datetime import timedelta

    from community.models import Event
    from community.services import events
    from community.services.events import EventDetails

    journey = make_journey()
    other = make_journey("Andere reis")
    start = timezone.now() + timedelta(days=3)
    meeting = events.create_event(
        personas["reisbegeleider"],
        EventDetails(
            title="Leerbijeenkomst",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            form=Event.Form.FYSIEK,
            address="Wijkcentrum",
        ),
        journey=journey,
    )
    elsewhere = events.create_event(
        personas["reisbegeleider"],
        EventDetails(
            title="Elders",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            form=Event.Form.FYSIEK,
            address="Stadhuis",
        ),
        journey=other,
    )
    lead = signed_in(personas["reisbegeleider"])
    url = reverse("community:board_new", args=[journey.slug])
    page = lead.get(url).content.decode()
    assert "Leerbijeenkomst" in page and "Elders" not in page
    data = {
        "title": "Eigen bord",
        "template": "eigen",
        "columns": "Kansen\n\n  Zorgen  \n",
        "rows": "Nu\nStraks",
        "anonymity": "anonymous",
        "requires_approval": "on",
        "event": str(elsewhere.pk),
    }
    response = lead.post(url, data)
    assert response.status_code == 400 and not Board.objects.exists()
    data["event"] = str(meeting.pk)
    response = lead.post(url, data)
    assert response.status_code == 302
    board = Board.objects.get()
    assert [c.title for c in board.columns.all()] == ["Kansen", "Zorgen"]
    assert [r.title for r in board.rows.all()] == ["Nu", "Straks"]
    assert board.event == meeting and board.requires_approval
    assert board.anonymity == Board.Anonymity.ANONYMOUS


def test_only_the_reisbegeleider_makes_or_changes_boards(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    for role in ("professional", "opdrachtgever", "inwoner"):
        client = signed_in(personas[role])
        assert client.get(reverse("community:board_new", args=[journey.slug])).status_code == 403
        assert (
            client.post(
                reverse("community:board_new", args=[journey.slug]),
                {"title": "x", "template": "vrij", "anonymity": "choice"},
            ).status_code
            == 403
        )
        assert (
            client.get(reverse("community:board_edit", args=[journey.slug, board.pk])).status_code
            == 403
        )
    assert Board.objects.count() == 1
    # A netwerk journey does not exist for visitors who are not signed in.
    assert Client().get(reverse("community:board_new", args=[journey.slug])).status_code == 404


def test_a_board_without_a_title_is_refused_with_a_message_and_nothing_is_stored(
    personas, make_journey
):
    journey = make_journey()
    lead = signed_in(personas["reisbegeleider"])
    response = lead.post(
        reverse("community:board_new", args=[journey.slug]),
        {"title": "   ", "template": "eigen", "columns": "", "anonymity": "choice"},
    )
    assert response.status_code == 400
    assert nl("Give the board a title.") in response.content.decode()
    response = lead.post(
        reverse("community:board_new", args=[journey.slug]),
        {"title": "Leeg", "template": "eigen", "columns": "", "anonymity": "choice"},
    )
    assert response.status_code == 400
    assert nl("Give the board at least one column.") in response.content.decode()
    assert not Board.objects.exists()


def test_the_settings_page_changes_title_instructions_and_approval(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    lead = signed_in(personas["reisbegeleider"])
    url = reverse("community:board_edit", args=[journey.slug, board.pk])
    page = lead.get(url).content.decode()
    assert 'value="Drie perspectieven"' in page
    assert 'name="columns"' not in page  # columns and rows stay as they are
    response = lead.post(
        url,
        {
            "title": "Nieuwe titel",
            "instructions": "Schrijf kort.",
            "anonymity": "named",
            "requires_approval": "on",
            "event": "",
        },
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.title, board.instructions, board.anonymity, board.requires_approval) == (
        "Nieuwe titel",
        "Schrijf kort.",
        "named",
        True,
    )
    html = lead.get(board_url(board)).content.decode()
    assert escape(nl("The board's settings are saved.")) in html
    assert "Schrijf kort." in html


# --- The board page --------------------------------------------------------------------------


def test_the_board_page_shows_the_grid_with_a_heading_per_row_and_cell(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey, instructions="Denk vanuit je rol.")
    html = signed_in(personas["professional"]).get(board_url(board)).content.decode()
    assert "Denk vanuit je rol." in html
    rows = re.findall(r'<h2 class="utrecht-heading-2 board-row__title"[^>]*>([^<]+)</h2>', html)
    cells = re.findall(r'<h3 class="utrecht-heading-3 board-cell__title"[^>]*>([^<]+)<', html)
    assert rows == [
        escape(nl(t)) for t in ("What is impact?", "Expectations", "Friction and dilemmas")
    ]
    assert cells == [nl("Residents"), nl("Professionals"), nl("Policy makers")] * 3
    # Nine add-card forms, each with its cell preselected.
    assert html.count('data-board-fetch="card"') == 9
    assert html.count(nl("Post anonymously (nobody sees your name)")) == 9
    assert f'data-ws="/ws/borden/{board.pk}/"' in html
    assert f'data-seq="{board.last_seq}"' in html
    assert "js/boards.js" in html
    assert nl(str(boards_banner("open"))) in html


def boards_banner(state: str) -> str:
    from community.board_views import BANNERS

    return str(BANNERS[state])


def test_a_board_without_rows_has_a_heading_per_column(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey, template="tops-tips")
    html = signed_in(personas["professional"]).get(board_url(board)).content.decode()
    columns = re.findall(r'<h2 class="utrecht-heading-2 board-cell__title"[^>]*>([^<]+)</h2>', html)
    assert columns == [nl("Tops"), nl("Tips"), nl("Questions")]
    free = make_board(personas, journey, template="vrij", title="Vrij bord")
    html = signed_in(personas["professional"]).get(board_url(free)).content.decode()
    assert html.count('data-board-fetch="card"') == 1


# --- Cards without JavaScript ---------------------------------------------------------------


def card_post_url(board: Board) -> str:
    return reverse("community:card_post", args=[board.journey.slug, board.pk])


def test_a_reiziger_posts_a_named_card_and_an_anonymous_one(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    writer = signed_in(personas["professional"])
    cell = first_cell(board)
    response = writer.post(
        card_post_url(board), {"body": "Eerste regel\nTweede <b>regel</b>", **cell}
    )
    named = board.cards.get()
    assert response.status_code == 302
    assert response["Location"] == f"{board_url(board)}#kaart-{named.pk}"
    html = writer.get(response["Location"]).content.decode()
    assert nl("Your card is on the board.") in html
    assert "Eerste regel<br>Tweede &lt;b&gt;regel&lt;/b&gt;" in html
    assert "Pieter de Wit" in html

    writer.post(card_post_url(board), {"body": "Niemand weet van wie", "anonymous": "on", **cell})
    secret = board.cards.get(body="Niemand weet van wie")
    assert secret.is_anonymous and secret.author == personas["professional"]
    assert [c.position for c in board.cards.order_by("pk")] == [0, 1]


def test_an_anonymous_card_names_nobody_in_the_html_for_anyone(personas, make_journey, client):
    journey = make_journey(visibility=Visibility.OPENBAAR)
    board = make_board(personas, journey)
    card = post(personas, board, role="opdrachtgever", body="Anoniem gezegd", anonymous=True)
    boards.add_comment(personas["opdrachtgever"], card, body="Ook anoniem", anonymous=True)
    boards.toggle_reaction(personas["opdrachtgever"], card, "eens")
    author = personas["opdrachtgever"]
    names = [author.first_name, author.last_name, author.email, author.email.split("@")[0]]
    if getattr(author, "handle", ""):
        names.append(author.handle)
    viewers = {
        "facilitator": signed_in(personas["reisbegeleider"]),
        "staff": signed_in(personas["beheerder"]),
        "reiziger": signed_in(personas["professional"]),
        "meelezer": signed_in(personas["inwoner"]),
        "anonymous": client,
    }
    for who, viewer in viewers.items():
        for url in (board_url(board), card_url("card", card)):
            html = viewer.get(url).content.decode()
            assert "Anoniem gezegd" in html, (who, url)
            assert nl("Anonymous") in html
            for name in names:
                assert name not in html, (who, url, name)
    # The facilitator takes it to the forum: the thread does not name the author either.
    signed_in(personas["reisbegeleider"]).post(card_url("card_to_thread", card), {"title": ""})
    thread = Thread.objects.get()
    thread_html = (
        signed_in(personas["reisbegeleider"])
        .get(reverse("community:journey_thread", args=[journey.slug, thread.pk]))
        .content.decode()
    )
    for name in names:
        assert name not in thread_html


def test_react_and_take_the_reaction_back(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    card = post(personas, board)
    reader = signed_in(personas["opdrachtgever"])
    response = reader.post(card_url("card_react", card), {"kind": "belangrijk"})
    assert response.status_code == 302 and response["Location"].endswith(f"#kaart-{card.pk}")
    html = reader.get(board_url(board)).content.decode()
    assert nl("Your reaction is added.") in html
    button = re.search(
        r'<button type="submit" class="board-reaction" aria-pressed="true"[^>]*>'
        r'([^<]+)<span class="board-reaction__count">(\d+)</span>',
        html,
    )
    assert (
        button
        and button.group(1).strip() == nl("important").capitalize()
        and button.group(2) == "1"
    )
    reader.post(card_url("card_react", card), {"kind": "belangrijk"})
    assert not CardReaction.objects.exists()
    assert reader.post(card_url("card_react", card), {"kind": "boos"}).status_code == 400
    assert not CardReaction.objects.exists()


def test_comment_on_a_card_and_remove_it(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    card = post(personas, board)
    commenter = signed_in(personas["opdrachtgever"])
    response = commenter.post(card_url("card_comment", card), {"body": "Herkenbaar verhaal"})
    assert response.status_code == 302
    comment = CardComment.objects.get()
    html = commenter.get(board_url(board)).content.decode()
    assert "Herkenbaar verhaal" in html and "Marieke van Dam" in html
    assert nl("Your comment is added to the card.") in html
    # Someone else cannot remove it; the author can.
    other = signed_in(personas["professional"])
    url = reverse("community:comment_delete", args=[journey.slug, board.pk, comment.pk])
    assert other.post(url).status_code == 403
    assert commenter.post(url).status_code == 302
    assert not CardComment.objects.exists()
    # An empty comment: a message, nothing stored.
    response = commenter.post(card_url("card_comment", card), {"body": "   "})
    assert response.status_code == 400
    assert nl("Write a comment first.") in response.content.decode()
    assert not CardComment.objects.exists()


def test_the_author_edits_and_deletes_their_own_card_and_nobody_else_can(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    card = post(personas, board, body="Eerste versie")
    author = signed_in(personas["professional"])
    other = signed_in(personas["opdrachtgever"])
    assert other.get(card_url("card_edit", card)).status_code == 403
    assert other.post(card_url("card_edit", card), {"body": "Gekaapt"}).status_code == 403
    assert other.post(card_url("card_delete", card)).status_code == 403
    page = author.get(card_url("card_edit", card)).content.decode()
    assert "Eerste versie" in page
    response = author.post(
        card_url("card_edit", card), {"body": "Tweede versie", "link": "https://example.org/x"}
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.body == "Tweede versie" and card.edited_at is not None
    html = author.get(board_url(board)).content.decode()
    assert 'href="https://example.org/x" rel="nofollow noopener ugc"' in html
    assert nl("Your card is changed.") in html
    confirm = author.get(card_url("card_delete", card))
    assert confirm.status_code == 200 and nl("Delete this card?") in confirm.content.decode()
    response = author.post(card_url("card_delete", card))
    assert response.status_code == 302 and not Card.objects.exists()


# --- Facilitation without JavaScript -------------------------------------------------------


def test_the_facilitator_approves_hides_shows_and_highlights(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey, requires_approval=True)
    lead = signed_in(personas["reisbegeleider"])
    writer = signed_in(personas["professional"])
    reader = signed_in(personas["opdrachtgever"])
    writer.post(card_post_url(board), {"body": "Wacht even", **first_cell(board)})
    card = Card.objects.get()
    assert card.status == Status.PENDING
    assert (
        nl("Your card is waiting for the facilitator's approval.")
        in writer.get(board_url(board)).content.decode()
    )
    assert "Wacht even" not in reader.get(board_url(board)).content.decode()
    lead_html = lead.get(board_url(board)).content.decode()
    assert "Wacht even" in lead_html
    assert (
        nl("Waiting for approval: only the facilitators and the author see this card.") in lead_html
    )
    assert (
        nl_plural(
            "%(counter)s card is waiting for approval:",
            "%(counter)s cards are waiting for approval:",
            1,
        )
        in lead_html
    )

    response = lead.post(card_url("card_status", card), {"status": "visible"})
    assert response.status_code == 302
    assert (
        nl("The card is approved: everyone sees it now.")
        in lead.get(board_url(board)).content.decode()
    )
    assert "Wacht even" in reader.get(board_url(board)).content.decode()

    lead.post(card_url("card_status", card), {"status": "hidden"})
    assert "Wacht even" not in reader.get(board_url(board)).content.decode()
    assert reader.get(card_url("card", card)).status_code == 404
    lead_html = lead.get(board_url(board)).content.decode()
    assert nl("Hidden: participants do not see this card.") in lead_html
    lead.post(card_url("card_status", card), {"status": "visible"})
    lead.post(card_url("card_highlight", card), {"value": "1"})
    card.refresh_from_db()
    assert card.status == Status.VISIBLE and card.is_highlighted
    html = reader.get(board_url(board)).content.decode()
    assert "board-card--highlighted" in html and nl("Highlighted") in html
    assert AuditEntry.objects.filter(action="board.card_highlighted").exists()


def test_the_facilitator_moves_a_card_to_another_cell_and_place(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    second = board.columns.all()[1]
    row = board.rows.first()
    one = post(personas, board, body="Een")
    two = boards.post_card(
        personas["professional"], board, body="Twee", column_id=second.pk, row_id=row.pk
    )
    lead = signed_in(personas["reisbegeleider"])
    html = lead.get(board_url(board)).content.decode()
    assert f'<option value="{second.pk}:{row.pk}">' in html
    response = lead.post(
        card_url("card_move", one), {"cell": f"{second.pk}:{row.pk}", "position": "1"}
    )
    assert response.status_code == 302
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.column_id, one.position, two.position) == (second.pk, 0, 1)
    assert nl("The card is moved.") in lead.get(board_url(board)).content.decode()
    response = lead.post(card_url("card_move", one), {"cell": "nonsense"})
    assert response.status_code == 400
    one.refresh_from_db()
    assert one.column_id == second.pk


def test_the_facilitator_freezes_reopens_and_closes_the_board(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    lead = signed_in(personas["reisbegeleider"])
    writer = signed_in(personas["professional"])
    state_url = reverse("community:board_state", args=[journey.slug, board.pk])
    response = lead.post(state_url, {"state": "bevroren"})
    assert response.status_code == 302
    board.refresh_from_db()
    assert board.state == State.BEVROREN
    html = writer.get(board_url(board)).content.decode()
    assert boards_banner("bevroren") in html
    # The forms stay on the page, disabled, so they come back live when it reopens.
    assert html.count("data-board-postable disabled") >= 9
    lead_html = lead.get(board_url(board)).content.decode()
    assert nl("The board is frozen: everyone can read it, nobody can add to it.") in lead_html
    # Only the buttons that fit the state are shown; the others wait for a live change.
    for action, shown in (("open", False), ("reopen", True), ("freeze", False), ("close", True)):
        form = re.search(rf'<form [^>]*data-board-state-action="{action}"[^>]*>', lead_html)
        assert (" hidden" not in form.group(0)) is shown, action
    response = lead.post(state_url, {"state": "concept"})
    assert response.status_code == 400
    board.refresh_from_db()
    assert board.state == State.BEVROREN
    lead.post(state_url, {"state": "open"})
    lead.post(state_url, {"state": "gesloten"})
    board.refresh_from_db()
    assert board.state == State.GESLOTEN
    assert boards_banner("gesloten") in writer.get(board_url(board)).content.decode()


def test_the_facilitator_takes_a_card_to_the_forum_and_the_card_links_to_the_thread(
    personas, make_journey
):
    journey = make_journey()
    board = make_board(personas, journey)
    card = post(personas, board, body="Hoe betrekken we jongeren?")
    lead = signed_in(personas["reisbegeleider"])
    response = lead.post(card_url("card_to_thread", card), {"title": "Jongeren betrekken"})
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.title == "Jongeren betrekken" and thread.journey == journey
    thread_url = reverse("community:journey_thread", args=[journey.slug, thread.pk])
    html = signed_in(personas["professional"]).get(board_url(board)).content.decode()
    assert f'href="{thread_url}"' in html
    assert nl("Taken further in the forum:") in html
    # Twice is refused with a message.
    response = lead.post(card_url("card_to_thread", card), {"title": ""})
    assert response.status_code == 400
    assert nl("This card already has a thread in the forum.") in response.content.decode()
    assert Thread.objects.count() == 1
    # The thread links back to the card.
    thread_html = lead.get(thread_url).content.decode()
    assert f"{board_url(board)}#kaart-{card.pk}" in thread_html


# --- Images ----------------------------------------------------------------------------------


def test_an_image_is_stored_without_its_exif_and_served_only_to_who_may_see_the_card(
    personas, make_journey
):
    journey = make_journey(visibility=Visibility.BESLOTEN)
    board = make_board(personas, journey)
    writer = signed_in(personas["professional"])
    upload = SimpleUploadedFile("foto.png", png(exif=True), content_type="image/png")
    assert b"Camera van Pieter" in png(exif=True)
    response = writer.post(
        card_post_url(board),
        {"body": "Met foto", "image": upload, "image_alt": "Een rode vlak", **first_cell(board)},
    )
    assert response.status_code == 302
    card = Card.objects.get()
    stored = card.image.read()
    assert stored.startswith(b"\x89PNG") and b"Camera van Pieter" not in stored
    assert b"eXIf" not in stored
    html = writer.get(board_url(board)).content.decode()
    assert f'src="{card_url("card_image", card)}" alt="Een rode vlak"' in html
    image = writer.get(card_url("card_image", card))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert image["Content-Disposition"].startswith("inline")
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
    assert signed_in(personas["trainer"]).get(card_url("card_image", card)).status_code == 404
    boards.set_card_status(personas["reisbegeleider"], card, Status.HIDDEN)
    assert signed_in(personas["opdrachtgever"]).get(card_url("card_image", card)).status_code == 404
    assert (
        signed_in(personas["reisbegeleider"]).get(card_url("card_image", card)).status_code == 200
    )


def test_a_text_file_named_png_is_refused_and_nothing_is_stored(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    writer = signed_in(personas["professional"])
    fake = SimpleUploadedFile(
        "foto.png", b"dit is gewoon tekst, geen plaatje", content_type="image/png"
    )
    response = writer.post(
        card_post_url(board),
        {"body": "Met nepfoto", "image": fake, "image_alt": "nep", **first_cell(board)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert nl("A card accepts images in PNG, JPEG, WebP or GIF only.") in html
    assert "Met nepfoto" in html  # the text is kept in the form
    assert not Card.objects.exists()


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, message",
    [
        ("   ", "Write something on the card."),
        ("x" * 5001, None),
    ],
)
def test_an_empty_or_too_long_card_is_refused_with_a_message_and_nothing_is_stored(
    personas, make_journey, body, message
):
    journey = make_journey()
    board = make_board(personas, journey)
    writer = signed_in(personas["professional"])
    response = writer.post(card_post_url(board), {"body": body, **first_cell(board)})
    assert response.status_code == 400
    html = response.content.decode()
    if message is None:
        with translation.override("nl"):
            message = translation.gettext(
                "A card can hold at most %(max)s characters; this one has %(length)s."
            ) % {"max": "5.000", "length": "5.001"}
    assert escape(nl(message)) in html
    assert 'role="alert"' in html
    assert not Card.objects.exists()
    # The fetch() answer is the message alone, with the same status.
    response = writer.post(card_post_url(board), {"body": body, **first_cell(board)}, **FETCH)
    assert response.status_code == 400
    assert escape(nl(message)) in response.content.decode()
    assert "<html" not in response.content.decode()
    assert not Card.objects.exists()


def test_posting_to_a_frozen_or_closed_board_is_refused_with_a_message(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey, state=State.BEVROREN)
    writer = signed_in(personas["professional"])
    response = writer.post(card_post_url(board), {"body": "Te laat", **first_cell(board)})
    assert response.status_code == 400
    assert nl("This board is frozen: no new cards.") in response.content.decode()
    boards.set_state(personas["reisbegeleider"], board, State.GESLOTEN)
    response = writer.post(card_post_url(board), {"body": "Te laat", **first_cell(board)})
    assert response.status_code == 400
    assert nl("This board is closed: no new cards.") in response.content.decode()
    assert not Card.objects.exists()


def test_a_card_in_a_cell_of_another_board_is_refused(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    other = make_board(personas, journey, title="Ander bord")
    writer = signed_in(personas["professional"])
    response = writer.post(card_post_url(board), {"body": "Verdwaald", **first_cell(other)})
    assert response.status_code == 400
    assert nl("Choose a column on this board.") in response.content.decode()
    response = writer.post(card_post_url(board), {"body": "Kapot", "column": "abc"})
    assert response.status_code == 400
    assert not Card.objects.exists()


def test_posting_too_fast_answers_429_with_a_message(settings, personas, make_journey):
    settings.BOARD_CARDS_PER_MINUTE = 2
    journey = make_journey()
    board = make_board(personas, journey)
    writer = signed_in(personas["professional"])
    cell = first_cell(board)
    for n in range(2):
        assert writer.post(card_post_url(board), {"body": f"Kaart {n}", **cell}).status_code == 302
    response = writer.post(card_post_url(board), {"body": "Nog een", **cell})
    assert response.status_code == 429
    assert (
        nl("You are adding cards very quickly. Wait a minute and try again.")
        in response.content.decode()
    )
    assert Card.objects.count() == 2


# --- Fetch answers and the fragment -----------------------------------------------------------


def test_a_fetch_post_gets_the_cards_fragment_and_no_message_for_later(personas, make_journey):
    journey = make_journey()
    board = make_board(personas, journey)
    writer = signed_in(personas["professional"])
    response = writer.post(
        card_post_url(board), {"body": "Via fetch", **first_cell(board)}, **FETCH
    )
    assert response.status_code == 200
    card = Card.objects.get()
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("<li") and f'id="kaart-{card.pk}"' in fragment
    assert f'data-column="{card.column_id}"' in fragment and f'data-row="{card.row_id}"' in fragment
    assert f'data-position="{card.position}"' in fragment
    response = writer.post(card_url("card_react", card), {"kind": "eens"}, **FETCH)
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()
    response = writer.post(card_url("card_comment", card), {"body": "Zelf ook"}, **FETCH)
    assert response.status_code == 200 and "Zelf ook" in response.content.decode()
    # Nothing queued for the next page: the page did not reload.
    html = writer.get(board_url(board)).content.decode()
    assert "platform-messages" not in html


def test_the_fragment_is_404_for_who_may_not_see_the_card(personas, make_journey):
    journey = make_journey(visibility=Visibility.BESLOTEN)
    board = make_board(personas, journey, requires_approval=True)
    card = post(personas, board, body="Wacht op goedkeuring")
    url = card_url("card", card)
    assert signed_in(personas["professional"]).get(url).status_code == 200  # the author
    assert signed_in(personas["reisbegeleider"]).get(url).status_code == 200
    assert signed_in(personas["opdrachtgever"]).get(url).status_code == 404
    assert signed_in(personas["trainer"]).get(url).status_code == 404  # not a member
    assert Client().get(url).status_code == 404
    boards.set_card_status(personas["reisbegeleider"], card, Status.VISIBLE)
    assert signed_in(personas["opdrachtgever"]).get(url).status_code == 200
    boards.set_card_status(personas["reisbegeleider"], card, Status.HIDDEN)
    assert signed_in(personas["professional"]).get(url).status_code == 404
    other = make_board(personas, journey, title="Ander bord")
    wrong = reverse("community:card", args=[journey.slug, other.pk, card.pk])
    assert signed_in(personas["reisbegeleider"]).get(wrong).status_code == 404
    boards.delete_card(personas["reisbegeleider"], card)
    assert signed_in(personas["reisbegeleider"]).get(url).status_code == 404


# --- Query counts ----------------------------------------------------------------------------


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _grow(board: Board, personas, to: int) -> None:
    """Cards with reactions and comments, made in bulk."""
    cells = [(c, r) for r in board.rows.all() for c in board.columns.all()]
    authors = [personas["professional"], personas["opdrachtgever"], personas["reisbegeleider"]]
    have = board.cards.count()
    new = [
        Card(
            board=board,
            column=cells[n % len(cells)][0],
            row=cells[n % len(cells)][1],
            position=n,
            author=authors[n % 3],
            is_anonymous=n % 4 == 0,
            body=f"Kaart {n}",
            link="https://example.org/" if n % 5 == 0 else "",
            status=Status.HIDDEN if n % 17 == 0 else Status.VISIBLE,
            is_highlighted=n % 7 == 0,
        )
        for n in range(have, to)
    ]
    Card.objects.bulk_create(new)
    made = list(
        board.cards.filter(pk__in=[c.pk for c in new]) if new[0].pk else board.cards.all()[have:]
    )
    CardReaction.objects.bulk_create(
        CardReaction(card=card, user=authors[i % 3], kind=kind)
        for i, card in enumerate(made)
        for kind in ("eens", "belangrijk")
    )
    CardComment.objects.bulk_create(
        CardComment(
            card=card, author=authors[(i + 1) % 3], body=f"Opmerking {i}", is_anonymous=i % 2 == 0
        )
        for i, card in enumerate(made)
    )


@pytest.mark.parametrize("role", ["professional", "reisbegeleider"])
def test_the_board_page_query_count_is_the_same_at_30_and_300_cards(personas, make_journey, role):
    journey = make_journey()
    board = make_board(personas, journey)
    thread_card = post(personas, board, body="Naar het forum")
    boards.card_to_thread(personas["reisbegeleider"], thread_card)
    _grow(board, personas, 30)
    client = signed_in(personas[role])
    url = board_url(board)
    client.get(url)
    small = count_queries(client, url)
    _grow(board, personas, 300)
    assert board.cards.count() == 300
    large = count_queries(client, url)
    assert small == large
    # session, user, journey, role, board, columns, rows, the cards, their comments,
    # reactions and the reader's own reactions, the stories and learning questions made
    # of them, the header's notification count; the facilitator also the participant
    # count (2).
    assert small == {"professional": 14, "reisbegeleider": 16}[role]


# --- Links from the meeting and back from the forum ------------------------------------------


def test_the_meetings_page_lists_its_boards_that_the_visitor_may_see_in_one_query(
    personas, make_journey
):
    from datetime import timedelta

    from community.models import Event
    from community.services import events
    from community.services.events import EventDetails

    journey = make_journey()
    start = timezone.now() + timedelta(days=3)
    meeting = events.create_event(
        personas["reisbegeleider"],
        EventDetails(
            title="Leerbijeenkomst",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            form=Event.Form.FYSIEK,
            address="Wijkcentrum",
        ),
        journey=journey,
    )
    url = reverse("community:event", args=[meeting.pk])
    reader = signed_in(personas["professional"])
    reader.get(url)
    without = count_queries(reader, url)
    assert nl("Boards for this meeting") not in reader.get(url).content.decode()
    shown = make_board(personas, journey, title="Bord bij de sessie", event=meeting)
    make_board(personas, journey, title="Nog geheim", event=meeting, state=State.CONCEPT)
    make_board(personas, journey, title="Ander bord")
    html = reader.get(url).content.decode()
    assert nl("Boards for this meeting") in html
    assert f'href="{board_url(shown)}"' in html
    assert "Nog geheim" not in html and "Ander bord" not in html
    assert count_queries(reader, url) == without
    make_board(personas, journey, title="Tweede bord bij de sessie", event=meeting)
    assert count_queries(reader, url) == without
    assert "Nog geheim" in signed_in(personas["reisbegeleider"]).get(url).content.decode()
