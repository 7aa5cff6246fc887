"""The rules of live boards at the service level: making boards, states, posting named or
anonymously, approval, moving, highlighting, reactions, comments, editing and deleting,
the rate limit, turning a card into a forum thread, who may do what, images, links,
bad input (nothing stored), anonymity in every payload, and the numbered live log."""

from __future__ import annotations

import io
import json
import re
import struct
import threading
import zlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from community.models import (
    AuditEntry,
    Board,
    BoardEvent,
    Card,
    CardComment,
    CardReaction,
    Thread,
)
from community.queries import boards as board_queries
from community.services import boards
from journeys.models import Journey, Membership
from journeys.services import RuleViolation
from tests.journeys.conftest import add_member

pytestmark = pytest.mark.django_db

State = Board.State
Status = Card.Status
BESLOTEN = Journey.Visibility.BESLOTEN
OPENBAAR = Journey.Visibility.OPENBAAR
NETWERK = Journey.Visibility.NETWERK


# --- Helpers --------------------------------------------------------------------------------


@pytest.fixture
def journey(make_journey):
    return make_journey("Besloten reis", visibility=BESLOTEN)


@pytest.fixture
def make_board(reisbegeleider):
    """make_board(journey, state="open", template="perspectieven", **details) -> a board."""

    def make(journey, *, state=State.OPEN, template="perspectieven", **details):
        details.setdefault("title", "Break-out: drie perspectieven")
        board = boards.create_board(
            reisbegeleider, journey, boards.BoardDetails(**details), template=template
        )
        if state != State.CONCEPT:
            boards.set_state(reisbegeleider, board, State.OPEN)
        if state not in (State.CONCEPT, State.OPEN):
            boards.set_state(reisbegeleider, board, state)
        board.refresh_from_db()
        return board

    return make


@pytest.fixture
def board(journey, make_board):
    return make_board(journey)


def cell(board, column=0, row=0) -> dict:
    """The column_id/row_id keywords of a cell, by index."""
    columns = list(board.columns.all())
    rows = list(board.rows.all())
    return {"column_id": columns[column].pk, "row_id": rows[row].pk if rows else None}


def post(user, board, body="Gezien worden door de gemeente", *, at=(0, 0), **kwargs) -> Card:
    return boards.post_card(user, board, body=body, **cell(board, *at), **kwargs)


def stored() -> tuple[int, int]:
    return Card.objects.count(), BoardEvent.objects.count()


def count_of(board) -> int:
    board.refresh_from_db(fields=["card_count"])
    return board.card_count


def visible_count(board) -> int:
    return board.cards.filter(status=Status.VISIBLE).count()


def ops(board, after=0) -> list[tuple[int, str, str]]:
    return [(p["seq"], p["type"], p["op"]) for p in boards.events_after(board, after)]


def positions(board, column=0, row=0) -> list[tuple[int, str]]:
    where = cell(board, column, row)
    return list(
        board.cards.filter(column_id=where["column_id"], row_id=where["row_id"])
        .order_by("position")
        .values_list("position", "body")
    )


def shown_to(user, board) -> set[str]:
    access = board_queries.board_access(user, board)
    return set(board_queries.shown_cards(board, access).values_list("body", flat=True))


@pytest.fixture
def published(monkeypatch) -> list[tuple[str, dict]]:
    """Every (group, event) the board services publish (on commit)."""
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(
        boards, "publish_on_commit", lambda group, event: sent.append((group, event))
    )
    return sent


def jpeg_with_gps(size=(40, 30), orientation=1) -> bytes:
    image = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x010F] = "Merkcamera"  # Make
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 27.0), 3: "E", 4: (4.0, 53.0, 10.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims the given size: the pixels never need to exist to be refused."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def upload(data: bytes, name="foto.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def assert_names_nobody(data, author) -> None:
    """No trace of `author` in `data` once it is JSON: not their name, email or id."""
    text = json.dumps(data, cls=DjangoJSONEncoder)
    for secret in (author.email, author.first_name, author.last_name, author.email.split("@")[0]):
        assert secret not in text

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                assert key not in {"author_id", "user", "user_id", "email", "by"}
                if key == "author":
                    assert item is None
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(text))


# --- Making boards ----------------------------------------------------------------------------


def test_the_templates_start_a_grid_of_perspectives_a_tops_and_tips_board_and_a_free_board(
    reisbegeleider, journey
):
    def lanes(board):
        return (
            board.layout,
            list(board.columns.values_list("title", flat=True)),
            list(board.rows.values_list("title", flat=True)),
        )

    def make(template=None, **details):
        return boards.create_board(
            reisbegeleider,
            journey,
            boards.BoardDetails(title="Sessie", **details),
            template=template,
        )

    perspectives = make("perspectieven")
    assert lanes(perspectives) == (
        "grid",
        ["Burgers", "Professionals", "Beleidsmakers"],
        ["Wat is impact?", "Verwachtingen", "Wrijving en dilemma's"],
    )
    assert perspectives.instructions.startswith("Elke groep kijkt vanuit een ander perspectief")
    assert (perspectives.state, perspectives.last_seq, perspectives.card_count) == ("concept", 0, 0)
    assert lanes(make("tops-tips")) == ("grid", ["Tops", "Tips", "Vragen"], [])
    assert lanes(make("vrij")) == ("free", ["Kaarten"], [])
    # Without a template: a free board keeps one column and no rows, a grid what it is given.
    free = make(layout="free", columns=["Ideeën", "Zorgen"], rows=["Vandaag"])
    assert lanes(free) == ("free", ["Ideeën"], [])
    grid = make(columns=[" Wijk  A ", "", "Wijk B"], rows=["Nu", "Straks"])
    assert lanes(grid) == ("grid", ["Wijk A", "Wijk B"], ["Nu", "Straks"])
    entry = AuditEntry.objects.filter(action="board.created").order_by("pk").last()
    assert entry.data == {"board": grid.pk, "title": "Sessie"}


@pytest.mark.parametrize("role", ["opdrachtgever", "professional", "inwoner", "beheerder"])
def test_only_the_reisbegeleider_makes_a_board(personas, journey, role):
    with pytest.raises(PermissionDenied):
        boards.create_board(personas[role], journey, boards.BoardDetails(title="Eigen bord"))
    with pytest.raises(PermissionDenied):
        boards.create_board(AnonymousUser(), journey, boards.BoardDetails(title="Eigen bord"))
    assert not Board.objects.exists()


@pytest.mark.parametrize(
    ("details", "template", "message"),
    [
        ({"title": "   "}, "vrij", "Geef het bord een titel."),
        ({"title": "x" * 151}, "vrij", "Een titel mag hoogstens 150 tekens lang zijn."),
        ({"title": "Bord"}, "onbekend", "Kies een van de sjablonen."),
        ({"title": "Bord", "columns": []}, None, "Geef het bord minstens één kolom."),
        ({"title": "Bord", "layout": "rond", "columns": ["a"]}, None, "Kies een indeling."),
        ({"title": "Bord", "anonymity": "soms", "columns": ["a"]}, None, "Kies hoe namen"),
        (
            {"title": "Bord", "columns": [f"k{i}" for i in range(13)]},
            None,
            "Een bord kan hoogstens 12 kolommen hebben.",
        ),
        ({"title": "Bord", "columns": ["x" * 101]}, None, "De titel van een kolom of rij"),
    ],
)
def test_a_board_with_bad_details_is_refused_and_nothing_is_stored(
    reisbegeleider, journey, details, template, message
):
    with pytest.raises(RuleViolation, match=message):
        boards.create_board(
            reisbegeleider, journey, boards.BoardDetails(**details), template=template
        )
    assert not Board.objects.exists()


# --- States -----------------------------------------------------------------------------------


def test_the_facilitator_opens_freezes_reopens_and_closes_a_board_and_each_change_is_logged(
    reisbegeleider, journey, make_board
):
    board = make_board(journey, state=State.CONCEPT)
    for state in ("open", "bevroren", "open", "gesloten", "open", "bevroren", "gesloten"):
        board = boards.set_state(reisbegeleider, board, state)
        assert board.state == state

    assert ops(board) == [
        (n, "board.state", s)
        for n, s in enumerate(
            ["open", "bevroren", "open", "gesloten", "open", "bevroren", "gesloten"], start=1
        )
    ]
    # Replayed state events say what the board is now.
    assert {p["state"] for p in boards.events_after(board, 0)} == {"gesloten"}
    assert AuditEntry.objects.filter(action="board.state_changed").count() == 7


@pytest.mark.parametrize(
    ("path", "refused", "old", "new"),
    [
        ([], "bevroren", "in voorbereiding", "bevroren (alleen lezen)"),
        ([], "gesloten", "in voorbereiding", "gesloten"),
        (["open"], "concept", "open", "in voorbereiding"),
        (["open"], "open", "open", "open"),
        (["open", "gesloten"], "bevroren", "gesloten", "bevroren (alleen lezen)"),
        (["open"], "weg", "open", "weg"),
    ],
)
def test_a_transition_the_rules_do_not_know_is_refused_in_dutch(
    reisbegeleider, journey, make_board, path, refused, old, new
):
    board = make_board(journey, state=State.CONCEPT)
    for state in path:
        boards.set_state(reisbegeleider, board, state)
    events = BoardEvent.objects.count()
    with pytest.raises(RuleViolation) as refusal:
        boards.set_state(reisbegeleider, board, refused)
    assert (
        str(refusal.value)
        == f"Een bord met de status \u2018{old}\u2019 kan niet naar \u2018{new}\u2019."
    )
    assert BoardEvent.objects.count() == events


@pytest.mark.parametrize("role", ["opdrachtgever", "professional", "inwoner", "beheerder"])
def test_only_the_facilitator_changes_the_state_or_settings(personas, board, role):
    with pytest.raises(PermissionDenied):
        boards.set_state(personas[role], board, State.BEVROREN)
    with pytest.raises(PermissionDenied):
        boards.update_board(personas[role], board, boards.BoardDetails(title="Anders"))
    board.refresh_from_db()
    assert (board.state, board.title, board.last_seq) == (
        "open",
        "Break-out: drie perspectieven",
        1,
    )


def test_changing_the_settings_is_a_numbered_event_with_the_new_rules(reisbegeleider, board):
    boards.update_board(
        reisbegeleider,
        board,
        boards.BoardDetails(title="Nieuw", anonymity="anonymous", requires_approval=True),
    )
    (event,) = boards.events_after(board, 1)
    assert event == {
        "type": "board.state",
        "op": "settings",
        "board": board.pk,
        "seq": 2,
        "state": "open",
        "requires_approval": True,
        "anonymity": "anonymous",
    }


# --- Posting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "wish", "anonymous"),
    [
        ("named", True, False),  # a named-only board ignores the wish
        ("named", False, False),
        ("choice", True, True),
        ("choice", False, False),
        ("anonymous", False, True),  # an anonymous-only board forces it
        ("anonymous", True, True),
    ],
)
def test_a_card_is_named_or_anonymous_by_the_boards_rule(
    professional, journey, make_board, rule, wish, anonymous
):
    board = make_board(journey, anonymity=rule)
    card = post(professional, board, anonymous=wish)
    comment = boards.add_comment(professional, card, body="Aanvulling", anonymous=wish)

    assert (card.is_anonymous, comment.is_anonymous) == (anonymous, anonymous)
    assert card.author == professional  # kept, never shown
    assert card.author_name == (None if anonymous else "Pieter de Wit")
    assert boards.card_data(card)["author"] == (None if anonymous else "Pieter de Wit")


def test_a_posted_card_lands_at_the_end_of_its_cell_and_is_counted_and_logged(
    professional, opdrachtgever, board, published
):
    first = post(professional, board, "Eerste")
    second = post(opdrachtgever, board, "Tweede", link="https://example.org/verslag")
    elsewhere = post(professional, board, "Elders", at=(2, 1))

    assert [(first.position, second.position, elsewhere.position)] == [(0, 1, 0)]
    assert (first.column, first.row) == (board.columns.first(), board.rows.first())
    assert count_of(board) == 3
    assert ops(board, after=1) == [(n, "board.card", "created") for n in (2, 3, 4)]
    group, event = published[-1]
    assert group == f"board.{board.pk}"
    assert event["card"] == {
        "id": elsewhere.pk,
        "column": elsewhere.column_id,
        "row": elsewhere.row_id,
        "position": 0,
        "text": "Elders",
        "link": "",
        "has_image": False,
        "image_alt": "",
        "author": "Pieter de Wit",
        "anonymous": False,
        "highlighted": False,
        "reactions": {},
        "comments": 0,
    }
    assert boards.events_after(board, 2)[0]["card"]["link"] == "https://example.org/verslag"


def test_a_card_needs_a_cell_of_its_own_board(professional, board, journey, make_board):
    other = make_board(journey, template="tops-tips")
    own = cell(board)
    before = stored()
    for column_id, row_id, message in [
        (None, own["row_id"], "Kies een kolom op dit bord."),
        ("abc", own["row_id"], "Kies een kolom op dit bord."),
        (cell(other)["column_id"], own["row_id"], "Kies een kolom op dit bord."),
        (own["column_id"], None, "Kies een rij op dit bord."),
        (own["column_id"], "1; drop", "Kies een rij op dit bord."),
    ]:
        with pytest.raises(RuleViolation, match=message):
            boards.post_card(professional, board, body="Hier?", column_id=column_id, row_id=row_id)
    assert stored() == before
    # A board with columns only takes no row.
    card = boards.post_card(professional, other, body="Top!", **cell(other, 1))
    assert (card.column.title, card.row) == ("Tips", None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Schrijf iets op de kaart."),
        ("  \n\t ", "Schrijf iets op de kaart."),
        ("x" * 5001, "Een kaart kan hoogstens 5.000 tekens bevatten; deze heeft er 5.001."),
    ],
)
def test_an_empty_or_too_long_card_is_refused_and_nothing_is_stored(
    professional, board, body, message
):
    before = stored()
    with pytest.raises(RuleViolation) as refused:
        post(professional, board, body)
    assert str(refused.value) == message
    assert stored() == before
    assert count_of(board) == 0
    assert post(professional, board, "x" * 5000).body == "x" * 5000


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("bevroren", "Dit bord is bevroren: er kunnen geen kaarten bij."),
        ("gesloten", "Dit bord is gesloten: er kunnen geen kaarten bij."),
    ],
)
def test_posting_to_a_frozen_or_closed_board_is_refused_and_nothing_is_stored(
    personas, journey, make_board, state, message
):
    board = make_board(journey, state=state)
    before = stored()
    for role in ("professional", "reisbegeleider"):
        with pytest.raises(RuleViolation) as refused:
            post(personas[role], board, "Nog één ding", anonymous=True)
        assert str(refused.value) == message
    assert stored() == before
    assert count_of(board) == 0


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/bestand",
        "www.example.org",
        "https://" + "a" * 500 + ".nl",
    ],
)
def test_a_link_that_is_not_a_web_address_is_refused(professional, board, link):
    before = stored()
    with pytest.raises(RuleViolation, match=r"De link moet een webadres zijn|hoogstens 500 tekens"):
        post(professional, board, link=link)
    assert stored() == before


def test_the_rate_limit_counts_anonymous_cards_too(professional, board, settings):
    settings.BOARD_CARDS_PER_MINUTE = 3
    post(professional, board, "Een")
    post(professional, board, "Twee", anonymous=True)
    post(professional, board, "Drie", anonymous=True, at=(1, 1))
    before = stored()

    with pytest.raises(boards.RateLimited) as refused:
        post(professional, board, "Vier", anonymous=True)
    assert str(refused.value) == (
        "Je plaatst heel snel kaarten. Wacht een minuut en probeer het dan opnieuw."
    )
    assert stored() == before
    assert isinstance(refused.value, RuleViolation)  # the view answers 429


def test_the_facilitator_who_seeds_or_imports_cards_is_not_rate_limited(personas, board, settings):
    settings.BOARD_CARDS_PER_MINUTE = 2
    for n in range(4):
        post(personas["reisbegeleider"], board, f"Startkaart {n}")

    assert board.cards.count() == 4


# --- Approval ---------------------------------------------------------------------------------


def test_on_an_approval_board_a_card_waits_seen_only_by_its_author_and_the_facilitator(
    personas, journey, make_board, published
):
    leader, author, other = (
        personas["reisbegeleider"],
        personas["professional"],
        personas["opdrachtgever"],
    )
    board = make_board(journey, requires_approval=True)
    waiting = post(author, board, "Wacht op goedkeuring", anonymous=True)
    own = post(leader, board, "Van de begeleider")

    assert (waiting.status, own.status) == ("pending", "visible")
    assert shown_to(author, board) == {"Wacht op goedkeuring", "Van de begeleider"}
    assert shown_to(leader, board) == {"Wacht op goedkeuring", "Van de begeleider"}
    for role in ("opdrachtgever", "inwoner", "beheerder"):
        assert shown_to(personas[role], board) == {"Van de begeleider"}
    assert count_of(board) == 1
    # Participants hear nothing of the waiting card; facilitators its id only.
    assert [e["card"]["id"] for _g, e in published if e["op"] == "created"] == [own.pk]
    assert (
        f"board.{board.pk}.facilitators",
        {"type": "board.card", "op": "review", "board": board.pk, "card": {"id": waiting.pk}},
    ) in published
    # Nobody responds to a waiting card, not even its author.
    with pytest.raises(PermissionDenied):
        boards.toggle_reaction(author, waiting, "eens")
    with pytest.raises(PermissionDenied):
        boards.add_comment(other, waiting, body="Zie ik niet")

    boards.set_card_status(leader, waiting, Status.VISIBLE)
    assert shown_to(other, board) == {"Wacht op goedkeuring", "Van de begeleider"}
    assert count_of(board) == 2
    assert ops(board, after=1) == [(2, "board.card", "created"), (3, "board.card", "created")]

    boards.set_card_status(leader, waiting, Status.HIDDEN)
    assert shown_to(other, board) == shown_to(author, board) == {"Van de begeleider"}
    assert shown_to(leader, board) == {"Wacht op goedkeuring", "Van de begeleider"}
    assert count_of(board) == 1
    # The log now says 'removed' for that card, also for its earlier events, without text.
    replay = boards.events_after(board, 2)
    assert [(p["seq"], p["op"], p["card"]) for p in replay if p["card"]["id"] == waiting.pk] == [
        (3, "removed", {"id": waiting.pk}),
        (4, "removed", {"id": waiting.pk}),
    ]

    boards.set_card_status(leader, waiting, Status.VISIBLE)
    boards.set_card_status(leader, waiting, Status.VISIBLE)  # no change: no event
    assert count_of(board) == 2 == visible_count(board)
    assert board.events.count() == 5
    actions = list(
        AuditEntry.objects.filter(action__startswith="board.card_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["board.card_approved", "board.card_hidden", "board.card_shown"]
    with pytest.raises(RuleViolation, match="alleen getoond of verborgen"):
        boards.set_card_status(leader, waiting, Status.PENDING)
    with pytest.raises(PermissionDenied):
        boards.set_card_status(other, waiting, Status.HIDDEN)


def test_an_edited_card_on_an_approval_board_waits_for_approval_again(
    reisbegeleider, professional, opdrachtgever, journey, make_board
):
    board = make_board(journey, requires_approval=True)
    card = post(professional, board, "Eerste versie")
    boards.set_card_status(reisbegeleider, card, Status.VISIBLE)
    seq = Board.objects.get(pk=board.pk).last_seq

    card = boards.edit_card(professional, card, body="Iets heel anders")

    assert card.status == "pending"
    assert shown_to(opdrachtgever, board) == set()
    assert shown_to(professional, board) == {"Iets heel anders"}
    assert count_of(board) == 0
    assert [(p["op"], p["card"]) for p in boards.events_after(board, seq)] == [
        ("removed", {"id": card.pk})
    ]


# --- Facilitation: moving, highlighting ---------------------------------------------------------


def test_moving_a_card_to_another_cell_or_place_keeps_positions_dense(
    reisbegeleider, professional, board
):
    a, b, c, d = (post(professional, board, name) for name in "ABCD")
    here = cell(board)

    boards.move_card(reisbegeleider, d, **here, position=0)
    assert positions(board) == [(0, "D"), (1, "A"), (2, "B"), (3, "C")]
    boards.move_card(reisbegeleider, d, **here, position=99)  # past the end: last
    assert positions(board) == [(0, "A"), (1, "B"), (2, "C"), (3, "D")]
    boards.move_card(reisbegeleider, a, **here, position=-5)  # before the start: first
    assert positions(board) == [(0, "A"), (1, "B"), (2, "C"), (3, "D")]

    there = post(professional, board, "E", at=(1, 2))
    boards.move_card(reisbegeleider, b, **cell(board, 1, 2), position=0)
    assert positions(board) == [(0, "A"), (1, "C"), (2, "D")]  # the gap is closed
    assert positions(board, 1, 2) == [(0, "B"), (1, "E")]
    boards.move_card(reisbegeleider, c, **cell(board, 1, 2))  # no position: at the end
    assert positions(board) == [(0, "A"), (1, "D")]
    assert positions(board, 1, 2) == [(0, "B"), (1, "E"), (2, "C")]

    moved = boards.events_after(board, 0)[-1]
    assert (moved["op"], moved["card"]["id"], moved["card"]["position"]) == ("moved", c.pk, 2)
    assert moved["card"]["column"] == cell(board, 1, 2)["column_id"]
    assert AuditEntry.objects.filter(action="board.card_moved").count() == 5
    boards.delete_card(professional, there)  # deleting closes ranks too
    assert positions(board, 1, 2) == [(0, "B"), (1, "C")]
    assert count_of(board) == 4


def test_a_move_needs_a_cell_of_the_board_and_a_facilitator(reisbegeleider, professional, board):
    card = post(professional, board)
    events = BoardEvent.objects.count()
    with pytest.raises(PermissionDenied):
        boards.move_card(professional, card, **cell(board, 1, 1))
    with pytest.raises(RuleViolation, match=re.escape("Kies een kolom op dit bord.")):
        boards.move_card(reisbegeleider, card, column_id=999999, row_id=None)
    with pytest.raises(RuleViolation, match=re.escape("Kies een plek in het vak.")):
        boards.move_card(reisbegeleider, card, **cell(board, 1, 1), position="boven")
    card.refresh_from_db()
    assert (card.column_id, card.position, BoardEvent.objects.count()) == (
        cell(board)["column_id"],
        0,
        events,
    )


def test_highlighting_a_card_is_logged_once_per_change_and_only_by_the_facilitator(
    reisbegeleider, opdrachtgever, professional, board
):
    card = post(professional, board)
    with pytest.raises(PermissionDenied):
        boards.highlight_card(opdrachtgever, card, True)

    assert boards.highlight_card(reisbegeleider, card, True).is_highlighted
    boards.highlight_card(reisbegeleider, card, True)  # already: nothing happens
    assert boards.events_after(board, 2)[0]["card"]["highlighted"] is True
    boards.highlight_card(reisbegeleider, card, False)
    assert ops(board, after=2) == [
        (3, "board.card", "highlighted"),
        (4, "board.card", "highlighted"),
    ]
    assert boards.events_after(board, 3)[0]["card"]["highlighted"] is False


# --- Reactions and comments -------------------------------------------------------------------


def test_reactions_toggle_and_are_counted_per_kind(
    reisbegeleider, opdrachtgever, professional, inwoner, board
):
    card = post(professional, board)
    assert boards.toggle_reaction(opdrachtgever, card, "eens") is True
    assert boards.toggle_reaction(professional, card, "eens") is True
    assert boards.toggle_reaction(reisbegeleider, card, "herkenbaar") is True
    assert boards.toggle_reaction(opdrachtgever, card, "eens") is False  # taken back

    card.refresh_from_db()
    assert card.reaction_count == 2
    assert boards.events_after(board, 0)[-1]["card"]["reactions"] == {"eens": 1, "herkenbaar": 1}
    assert ops(board, after=2) == [(n, "board.card", "reacted") for n in (3, 4, 5, 6)]

    before = CardReaction.objects.count()
    with pytest.raises(RuleViolation, match=re.escape("Kies een van de reacties.")):
        boards.toggle_reaction(opdrachtgever, card, "boos")
    with pytest.raises(PermissionDenied):
        boards.toggle_reaction(inwoner, card, "eens")  # a meelezer reads
    with pytest.raises(PermissionDenied):
        boards.toggle_reaction(AnonymousUser(), card, "eens")
    boards.set_state(reisbegeleider, board, State.BEVROREN)
    with pytest.raises(RuleViolation, match="bevroren of gesloten: er kunnen geen reacties bij"):
        boards.toggle_reaction(opdrachtgever, card, "eens")
    assert CardReaction.objects.count() == before


def test_comments_may_be_anonymous_and_are_removed_by_their_author_or_the_facilitator(
    reisbegeleider, opdrachtgever, professional, inwoner, board
):
    card = post(professional, board)
    named = boards.add_comment(opdrachtgever, card, body="  Herkenbaar!  ")
    hidden_name = boards.add_comment(professional, card, body="Klopt", anonymous=True)
    third = boards.add_comment(opdrachtgever, card, body="Nog iets")

    assert (named.body, named.author_name, hidden_name.author_name) == (
        "Herkenbaar!",
        "Marieke van Dam",
        None,
    )
    card.refresh_from_db()
    assert card.comment_count == 3
    assert boards.events_after(board, 0)[-1]["card"]["comments"] == 3

    for body, message in [
        (" ", "Schrijf eerst een opmerking."),
        ("x" * 1001, "Een opmerking kan hoogstens 1.000 tekens bevatten; deze heeft er 1.001."),
    ]:
        with pytest.raises(RuleViolation) as refused:
            boards.add_comment(opdrachtgever, card, body=body)
        assert str(refused.value) == message
    with pytest.raises(PermissionDenied):
        boards.add_comment(inwoner, card, body="Mag ik?")
    with pytest.raises(PermissionDenied):
        boards.delete_comment(professional, named)  # someone else's

    boards.delete_comment(opdrachtgever, named)
    boards.delete_comment(opdrachtgever, named)  # a second click: counted once
    boards.delete_comment(reisbegeleider, hidden_name)
    card.refresh_from_db()
    assert card.comment_count == 1 == card.comments.count()

    boards.set_state(reisbegeleider, board, State.BEVROREN)
    with pytest.raises(RuleViolation, match="de opmerkingen blijven zoals ze zijn"):
        boards.delete_comment(opdrachtgever, third)
    boards.delete_comment(reisbegeleider, third)  # the facilitator still tidies up
    assert not CardComment.objects.exists()


# --- Editing and deleting ---------------------------------------------------------------------


def test_the_author_edits_their_own_card_and_nobody_else_does(
    reisbegeleider, opdrachtgever, professional, board
):
    card = post(professional, board, "Eerst", link="https://example.org/a")
    card = boards.edit_card(professional, card, body="Daarna", link=None)  # None keeps the link
    assert (card.body, card.link, card.status) == ("Daarna", "https://example.org/a", "visible")
    assert card.edited_at is not None
    card = boards.edit_card(professional, card, body="Tot slot", link="")
    assert (card.body, card.link) == ("Tot slot", "")

    for other in (opdrachtgever, reisbegeleider, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            boards.edit_card(other, card, body="Overgenomen")
    with pytest.raises(RuleViolation, match=re.escape("Schrijf iets op de kaart.")):
        boards.edit_card(professional, card, body="")
    with pytest.raises(RuleViolation, match="De link moet een webadres zijn"):
        boards.edit_card(professional, card, body="Goed", link="javascript:alert(1)")
    boards.set_state(reisbegeleider, board, State.BEVROREN)
    with pytest.raises(RuleViolation, match="de kaarten blijven zoals ze zijn"):
        boards.edit_card(professional, card, body="Nog even")
    card.refresh_from_db()
    assert card.body == "Tot slot"
    assert ops(board, after=2) == [
        (3, "board.card", "updated"),
        (4, "board.card", "updated"),
        (5, "board.state", "bevroren"),
    ]


def test_a_deleted_card_is_removed_for_everyone_and_stops_counting(
    reisbegeleider, opdrachtgever, professional, board, published, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    mine = post(professional, board, "Van mij", image=upload(jpeg_with_gps()), image_alt="Oranje")
    other = post(opdrachtgever, board, "Van een ander")
    path = tmp_path / mine.image.name
    assert path.exists()

    with pytest.raises(PermissionDenied):
        boards.delete_card(professional, other)
    boards.delete_card(professional, mine)

    assert not Card.objects.filter(pk=mine.pk).exists()
    assert count_of(board) == 1 == visible_count(board)
    live = published[-1][1]
    assert live == {
        "type": "board.card",
        "op": "removed",
        "board": board.pk,
        "seq": 4,
        "card": {"id": mine.pk},
    }
    # The live message and the replay of the same number agree.
    assert boards.events_after(board, 3) == [live]
    assert BoardEvent.objects.get(seq=4, board=board).op == "deleted"
    # The file goes when the deletion commits (on_commit; this test never commits).

    boards.set_state(reisbegeleider, board, State.BEVROREN)
    with pytest.raises(RuleViolation, match="de kaarten blijven zoals ze zijn"):
        boards.delete_card(opdrachtgever, other)
    boards.delete_card(reisbegeleider, other)  # the facilitator may, and it is audited
    assert count_of(board) == 0
    assert AuditEntry.objects.filter(action="board.card_deleted").count() == 1
    with pytest.raises(RuleViolation, match=re.escape("Deze kaart bestaat niet meer.")):
        boards.delete_card(reisbegeleider, other)


def test_deleting_a_card_deletes_its_image_once_committed(
    professional, board, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    card = post(professional, board, image=upload(jpeg_with_gps()), image_alt="Oranje vlak")
    path = tmp_path / card.image.name
    with django_capture_on_commit_callbacks(execute=True):
        boards.delete_card(professional, card)
    assert not path.exists()


def test_deleting_a_waiting_card_tells_only_the_facilitators(
    professional, journey, make_board, published
):
    board = make_board(journey, requires_approval=True)
    card = post(professional, board)
    boards.delete_card(professional, card)
    assert published[-1] == (
        f"board.{board.pk}.facilitators",
        {"type": "board.card", "op": "review", "board": board.pk, "card": {"id": card.pk}},
    )
    assert board.events.count() == 1 and count_of(board) == 0


def test_card_count_follows_every_change(
    reisbegeleider, professional, opdrachtgever, journey, make_board
):
    board = make_board(journey, requires_approval=True)
    cards = [post(professional, board, f"Kaart {i}") for i in range(4)]
    own = post(reisbegeleider, board, "Direct zichtbaar")
    assert count_of(board) == 1
    for card in cards[:3]:
        boards.set_card_status(reisbegeleider, card, Status.VISIBLE)
    boards.set_card_status(reisbegeleider, cards[3], Status.HIDDEN)  # never seen: no change
    boards.set_card_status(reisbegeleider, cards[0], Status.HIDDEN)
    boards.delete_card(reisbegeleider, cards[0])  # hidden: no change
    boards.delete_card(professional, cards[1])
    boards.edit_card(professional, cards[2], body="Anders")  # waits again
    boards.move_card(reisbegeleider, own, **cell(board, 2, 2))
    boards.toggle_reaction(opdrachtgever, own, "belangrijk")
    assert count_of(board) == visible_count(board) == 1


# --- Taking a card further --------------------------------------------------------------------


def test_a_card_becomes_a_forum_thread_linked_both_ways_once(
    reisbegeleider, opdrachtgever, professional, board
):
    card = post(professional, board, "Hoe meten we impact\nzonder te tellen?")
    with pytest.raises(PermissionDenied):
        boards.card_to_thread(opdrachtgever, card)

    thread = boards.card_to_thread(reisbegeleider, card, title="  Impact   meten ")

    card.refresh_from_db()
    assert card.thread == thread
    assert list(thread.board_cards.all()) == [card]
    assert (thread.title, thread.journey, thread.author) == (
        "Impact meten",
        board.journey,
        reisbegeleider,
    )
    first = thread.posts.get()
    assert "een kaart van Pieter de Wit:" in first.body
    assert board.get_absolute_url() in first.body
    assert "> Hoe meten we impact\n> zonder te tellen?" in first.body
    assert boards.events_after(board, 0)[-1]["op"] == "updated"
    with pytest.raises(
        RuleViolation, match=re.escape("Van deze kaart is al een draad in het forum gemaakt.")
    ):
        boards.card_to_thread(reisbegeleider, card)
    assert Thread.objects.count() == 1
    assert AuditEntry.objects.get(action="board.card_to_thread").data["thread"] == thread.pk


def test_an_anonymous_card_becomes_a_thread_that_names_no_author(
    reisbegeleider, professional, journey, make_board
):
    board = make_board(journey, anonymity="anonymous")
    card = post(professional, board, "Ik durf het niet hardop te zeggen")
    thread = boards.card_to_thread(reisbegeleider, card)

    assert thread.title == "Ik durf het niet hardop te zeggen"
    body = thread.posts.get().body
    assert "een kaart van anoniem:" in body
    for secret in ("Pieter", "de Wit", professional.email):
        assert secret not in body and secret not in thread.title
    assert thread.author == reisbegeleider


def test_a_waiting_card_is_not_taken_further(reisbegeleider, professional, journey, make_board):
    board = make_board(journey, requires_approval=True)
    card = post(professional, board)
    with pytest.raises(RuleViolation, match="Alleen een zichtbare kaart"):
        boards.card_to_thread(reisbegeleider, card)
    assert not Thread.objects.exists()


# --- Who may do what --------------------------------------------------------------------------

# (can_see, can_post, can_facilitate) on an open board.
EXPECTED = {
    BESLOTEN: {
        "visitor": (False, False, False),
        "onderzoeker": (False, False, False),  # signed in, not a member
        "inwoner": (True, False, False),  # meelezer
        "professional": (True, True, False),  # reiziger
        "opdrachtgever": (True, True, False),
        "reisbegeleider": (True, True, True),
        "beheerder": (True, False, False),  # staff: read-only
    },
    NETWERK: {
        "visitor": (False, False, False),
        "onderzoeker": (True, False, False),
        "inwoner": (True, False, False),
        "professional": (True, True, False),
        "opdrachtgever": (True, True, False),
        "reisbegeleider": (True, True, True),
        "beheerder": (True, False, False),
    },
    OPENBAAR: {
        "visitor": (True, False, False),
        "onderzoeker": (True, False, False),
        "inwoner": (True, False, False),
        "professional": (True, True, False),
        "opdrachtgever": (True, True, False),
        "reisbegeleider": (True, True, True),
        "beheerder": (True, False, False),
    },
}


@pytest.mark.parametrize("visibility", [BESLOTEN, NETWERK, OPENBAAR])
def test_every_role_may_do_what_its_place_in_the_journey_allows(
    personas, make_journey, make_board, visibility
):
    journey = make_journey(visibility=visibility)
    board = make_board(journey)
    concept = make_board(journey, state=State.CONCEPT, title="In voorbereiding")
    frozen = make_board(journey, state=State.BEVROREN, title="Bevroren")
    leader_card = post(personas["reisbegeleider"], board, "Van de begeleider")
    users = {"visitor": AnonymousUser(), **personas}

    for role, (can_see, can_post, can_facilitate) in EXPECTED[visibility].items():
        user = users[role]
        access = board_queries.board_access(user, board)
        assert (access.can_see, access.can_post, access.can_facilitate) == (
            can_see,
            can_post,
            can_facilitate,
        ), role
        # A board in preparation is the facilitator's alone; a frozen one takes nothing.
        on_concept = board_queries.board_access(user, concept)
        assert (on_concept.can_see, on_concept.can_post) == (can_facilitate, can_facilitate), role
        assert board_queries.board_access(user, frozen).can_post is False, role
        listed = set(
            board_queries.boards_of(
                user, journey, board_queries.journey_board_access(user, journey)
            )
        )
        assert (concept in listed) == can_facilitate, role
        assert set(board_queries.visible_boards(user).filter(journey=journey)) == (
            {board, concept, frozen} if can_facilitate else {board, frozen} if can_see else set()
        ), role

        before = stored()
        if can_post:
            card = post(user, board, f"Kaart van {role}")
            boards.toggle_reaction(user, leader_card, "eens")
            boards.add_comment(user, leader_card, body="Eens")
            boards.delete_card(user, card)
        else:
            with pytest.raises(PermissionDenied):
                post(user, board, f"Kaart van {role}")
            with pytest.raises(PermissionDenied):
                boards.toggle_reaction(user, leader_card, "eens")
            with pytest.raises(PermissionDenied):
                boards.add_comment(user, leader_card, body="Eens")
            assert stored() == before, role
        if not can_facilitate:
            with pytest.raises(PermissionDenied):
                post(user, concept, "Vooraf")
            for action, args in (
                (boards.set_card_status, (leader_card, Status.HIDDEN)),
                (boards.highlight_card, (leader_card, True)),
                (boards.card_to_thread, (leader_card,)),
                (boards.delete_card, (leader_card,)),
                (boards.set_state, (board, State.GESLOTEN)),
            ):
                with pytest.raises(PermissionDenied):
                    action(user, *args)
            with pytest.raises(PermissionDenied):
                boards.move_card(user, leader_card, **cell(board, 1, 1))
    # The facilitator prepares cards on a board in preparation.
    assert post(personas["reisbegeleider"], concept, "Voorbereid").status == "visible"


def test_a_member_who_leaves_a_besloten_journey_loses_the_board(
    reisbegeleider, professional, journey, board
):
    from journeys import services as journey_services

    card = post(professional, board)
    journey_services.remove_member(reisbegeleider, journey.memberships.get(user=professional))

    assert board_queries.board_access(professional, board).can_see is False
    with pytest.raises(PermissionDenied):
        boards.edit_card(professional, card, body="Toch nog")
    with pytest.raises(PermissionDenied):
        post(professional, board)


# --- Images -----------------------------------------------------------------------------------


def test_an_image_is_stored_without_its_exif_and_turned_upright(
    professional, board, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    original = jpeg_with_gps(size=(40, 30), orientation=6)  # taken on its side
    with Image.open(io.BytesIO(original)) as source:
        assert source.getexif().get_ifd(0x8825)  # the place is in the upload

    card = post(professional, board, image=upload(original), image_alt=" Post-its  op een muur ")

    saved = (tmp_path / card.image.name).read_bytes()
    assert b"Merkcamera" not in saved and b"Exif" not in saved
    with Image.open(io.BytesIO(saved)) as stored_image:
        assert stored_image.format == "JPEG"
        assert dict(stored_image.getexif()) == {}
        assert not stored_image.getexif().get_ifd(0x8825)
        assert stored_image.size == (30, 40)
    assert card.image.name.startswith(f"boards/{board.pk}/") and card.image.name.endswith(".jpeg")
    assert "foto" not in card.image.name
    assert card.image_alt == "Post-its op een muur"
    data = boards.card_data(card)
    assert (data["has_image"], data["image_alt"]) == (True, "Post-its op een muur")


def test_a_gif_loses_its_comment(professional, board, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("P", (12, 12)).save(out, format="GIF", comment=b"Gemaakt bij Pieter thuis")
    card = post(
        professional, board, image=upload(out.getvalue(), "a.gif", "image/gif"), image_alt="Leeg"
    )
    assert b"Pieter" not in (tmp_path / card.image.name).read_bytes()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Dit is gewoon tekst, geen foto.\n" * 20, "foto.jpg", "alleen afbeeldingen in PNG"),
        (b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "foto.png", "alleen afbeeldingen in PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "kapot.jpg", "Deze afbeelding is niet te lezen"),
        (png_header(6000, 6000), "groot.png", "De afbeelding heeft te veel pixels"),
        (png_header(40000, 40000), "bom.png", "De afbeelding heeft te veel pixels"),
    ],
)
def test_an_image_that_is_not_one_or_too_big_is_refused_and_nothing_is_stored(
    professional, board, settings, tmp_path, data, name, message
):
    settings.MEDIA_ROOT = tmp_path
    before = stored()
    with pytest.raises(RuleViolation, match=message):
        post(professional, board, image=upload(data, name), image_alt="Iets")
    assert stored() == before
    assert not any(tmp_path.rglob("*.*"))


def test_an_image_over_the_size_limit_or_without_a_description_is_refused(
    professional, board, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.BOARD_MAX_IMAGE_BYTES = 1024 * 1024
    big = upload(b"\xff\xd8\xff\xe0" + b"\x00" * (1024 * 1024 + 1))
    with pytest.raises(RuleViolation, match=re.escape("De afbeelding is groter dan 1.0 MB.")):
        post(professional, board, image=big, image_alt="Groot")
    with pytest.raises(RuleViolation, match="Beschrijf de afbeelding in een paar woorden"):
        post(professional, board, image=upload(jpeg_with_gps()), image_alt="   ")
    assert stored() == (0, 1)
    assert not any(tmp_path.rglob("*.*"))


# --- Anonymity --------------------------------------------------------------------------------


def test_an_anonymous_card_names_its_author_nowhere(
    make_member, reisbegeleider, opdrachtgever, journey, make_board, published
):
    author = make_member("zeldzaam.schrijver@example.org", first_name="Zeldina", last_name="Quist")
    add_member(journey, author, Membership.Role.REIZIGER)
    board = make_board(journey, anonymity="choice", requires_approval=True)

    card = post(author, board, "Wat ik echt vind", anonymous=True)
    boards.set_card_status(reisbegeleider, card, Status.VISIBLE)
    boards.add_comment(author, card, body="En nog iets", anonymous=True)
    boards.toggle_reaction(author, card, "herkenbaar")
    boards.toggle_reaction(opdrachtgever, card, "eens")
    card = boards.edit_card(author, card, body="Wat ik echt vind, aangevuld")
    boards.set_card_status(reisbegeleider, card, Status.VISIBLE)
    boards.move_card(reisbegeleider, card, **cell(board, 1, 1))
    boards.highlight_card(reisbegeleider, card, True)
    boards.card_to_thread(reisbegeleider, card)
    card.refresh_from_db()

    assert card.author == author  # kept for edits and rate limits only
    assert_names_nobody(boards.card_data(card), author)
    replay = boards.events_after(board, 0)
    assert_names_nobody(replay, author)
    assert_names_nobody([event for _group, event in published], author)
    assert_names_nobody(
        list(AuditEntry.objects.filter(action__startswith="board.").values("data")), author
    )
    assert_names_nobody(card.thread.posts.get().body, author)
    assert set(replay[-1]["card"]) == {
        "id",
        "column",
        "row",
        "position",
        "text",
        "link",
        "has_image",
        "image_alt",
        "author",
        "anonymous",
        "highlighted",
        "reactions",
        "comments",
    }
    assert replay[-1]["card"]["anonymous"] is True


# --- The numbered log ---------------------------------------------------------------------------


def test_the_log_numbers_every_change_and_replays_exactly_the_tail(
    reisbegeleider, opdrachtgever, professional, board
):
    card = post(professional, board)
    boards.toggle_reaction(opdrachtgever, card, "eens")
    boards.move_card(reisbegeleider, card, **cell(board, 1, 0))
    boards.set_state(reisbegeleider, board, State.BEVROREN)

    assert ops(board) == [
        (1, "board.state", "open"),
        (2, "board.card", "created"),
        (3, "board.card", "reacted"),
        (4, "board.card", "moved"),
        (5, "board.state", "bevroren"),
    ]
    assert [p["seq"] for p in boards.events_after(board, 3)] == [4, 5]
    assert boards.events_after(board, 5) == []
    assert boards.events_after(board, 10**30) == []
    assert Board.objects.get(pk=board.pk).last_seq == 5


def test_replaying_a_long_log_takes_one_query_for_the_log_and_one_for_the_cards(
    reisbegeleider, opdrachtgever, professional, board, django_assert_num_queries
):
    cards = [post(professional, board, f"Kaart {i}", at=(i % 3, i % 3)) for i in range(8)]
    for card in cards:
        boards.toggle_reaction(opdrachtgever, card, "eens")
        boards.toggle_reaction(reisbegeleider, card, "belangrijk")
        boards.add_comment(opdrachtgever, card, body="Ja")
    boards.set_card_status(reisbegeleider, cards[0], Status.HIDDEN)

    with django_assert_num_queries(2):
        replay = boards.events_after(board, 0)
    assert len(replay) == 1 + 8 * 4 + 1
    assert replay[-2]["card"] == {
        **replay[-2]["card"],
        "reactions": {"eens": 1, "belangrijk": 1},
        "comments": 1,
    }
    assert [p["op"] for p in replay if p.get("card", {}).get("id") == cards[0].pk] == [
        "removed"
    ] * 5


def test_a_change_locks_only_the_boards_row(professional, board):
    with CaptureQueriesContext(connection) as queries:
        post(professional, board)
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    if connection.features.has_select_for_update:
        assert len(locks) == 1
        if connection.features.has_select_for_update_of:
            assert 'FOR UPDATE OF "community_board"' in locks[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_posts_get_distinct_numbers_and_places(make_journey, personas):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite writes one at a time anyway")
    journey = make_journey(visibility=BESLOTEN)
    board = boards.create_board(
        personas["reisbegeleider"], journey, boards.BoardDetails(title="Druk"), template="vrij"
    )
    boards.set_state(personas["reisbegeleider"], board, State.OPEN)
    errors: list[BaseException] = []

    def write(user, n):
        try:
            for i in range(n):
                post(user, board, f"{user.first_name} {i}")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [
        threading.Thread(target=write, args=(personas[role], 5))
        for role in ("professional", "opdrachtgever", "reisbegeleider")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    board.refresh_from_db()
    assert (board.last_seq, board.card_count) == (16, 15)
    assert list(board.events.values_list("seq", flat=True)) == list(range(1, 17))
    assert sorted(board.cards.values_list("position", flat=True)) == list(range(15))
