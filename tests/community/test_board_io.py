"""Board export (CSV, Markdown, print) and the Padlet import, as members use them.

Exports hold the visible cards only, whoever asks, and never the author of an anonymous
card or comment (nor anyone's email address); a cell that would run as a formula in a
spreadsheet is neutralised. Whoever may see a board may export it; anyone else gets a
404, as for a besloten journey. Only the reisbegeleider imports a Padlet CSV export: it
becomes a new board in preparation whose cards are all anonymous; a file the import
cannot use is refused with a Dutch message and nothing is stored. Query counts stay the
same as a board grows.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils.html import escape

from community import board_io
from community.models import AuditEntry, Board, Card
from community.services import boards
from journeys.models import Journey

pytestmark = pytest.mark.django_db

Visibility = Journey.Visibility
State = Board.State
BOM = "\ufeff"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def client_for(who: str, personas) -> Client:
    return Client() if who == "anonymous" else signed_in(personas[who])


def make_board(journey, leader, *, state=State.OPEN, **details) -> Board:
    fields = {"title": "Break-out: drie perspectieven", "instructions": "Eén kaart per idee."}
    fields.update(details)
    board = boards.create_board(
        leader, journey, boards.BoardDetails(**fields), template="perspectieven"
    )
    if state != State.CONCEPT:
        boards.set_state(leader, board, State.OPEN)
    if state not in (State.CONCEPT, State.OPEN):
        boards.set_state(leader, board, state)
    return board


def cell(board, column: int = 0, row: int = 0) -> dict:
    return {
        "column_id": board.columns.all()[column].pk,
        "row_id": board.rows.all()[row].pk,
    }


def post(user, board, body, *, column=0, row=0, anonymous=False, link="") -> Card:
    return boards.post_card(
        user, board, body=body, anonymous=anonymous, link=link, **cell(board, column, row)
    )


def urls(board) -> dict[str, str]:
    args = [board.journey.slug, board.pk]
    return {
        "csv": reverse("community:board_csv", args=args),
        "markdown": reverse("community:board_markdown", args=args),
        "print": reverse("community:board_print", args=args),
    }


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def journey(make_journey):
    return make_journey(visibility=Visibility.BESLOTEN)


@pytest.fixture
def board(journey, personas):
    return make_board(journey, personas["reisbegeleider"])


# --- CSV ---------------------------------------------------------------------------------


def test_csv_has_the_dutch_columns_and_the_visible_cards_with_bom(board, personas):
    leader, pieter, marieke = (
        personas["reisbegeleider"],
        personas["professional"],
        personas["opdrachtgever"],
    )
    named = post(pieter, board, "Overzicht in de rekeningen", link="https://example.org/a")
    secret = post(marieke, board, "Wie bepaalt wat succes is?", column=2, row=2, anonymous=True)
    Card.objects.filter(pk=named.pk).update(created_at=datetime(2026, 1, 25, 8, 52, tzinfo=UTC))
    boards.toggle_reaction(marieke, named, "eens")
    boards.toggle_reaction(leader, named, "eens")
    boards.toggle_reaction(leader, named, "herkenbaar")
    boards.add_comment(marieke, named, body="Eens, en graag eerder.")
    boards.highlight_card(leader, secret, True)

    response = signed_in(personas["inwoner"]).get(urls(board)["csv"])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="break-out-drie-perspectieven.csv"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    header, *rows = csv_rows(response)
    assert header == [
        "kolom",
        "rij",
        "tekst",
        "link",
        "auteur",
        "reacties",
        "opmerkingen",
        "uitgelicht",
        "geplaatst",
    ]
    assert rows[0] == [
        board.columns.all()[0].title,
        board.rows.all()[0].title,
        "Overzicht in de rekeningen",
        "https://example.org/a",
        "Pieter de Wit",
        "eens: 2; belangrijk: 0; herkenbaar: 1",
        "1",
        "nee",
        "2026-01-25 09:52",  # Europe/Amsterdam
    ]
    assert rows[1][2:5] == ["Wie bepaalt wat succes is?", "", "Anoniem"]
    assert rows[1][7] == "ja"
    text = response.content.decode()
    assert "Marieke" not in text and "@example.org" not in text


def test_csv_neutralises_cells_that_a_spreadsheet_would_run_as_a_formula(journey, personas):
    leader, pieter = personas["reisbegeleider"], personas["professional"]
    board = boards.create_board(
        leader,
        journey,
        boards.BoardDetails(title="=Formules", columns=["=SUM(A1)", "Gewoon"]),
    )
    boards.set_state(leader, board, State.OPEN)
    column = board.columns.all()[0].pk
    for body in ('=HYPERLINK("https://evil.example")', "+31 6 1234", "-1+2", "@SUM(1)", "ok"):
        boards.post_card(pieter, board, body=body, column_id=column)

    rows = csv_rows(signed_in(pieter).get(urls(board)["csv"]))[1:]

    assert [row[2] for row in rows] == [
        '\'=HYPERLINK("https://evil.example")',
        "'+31 6 1234",
        "'-1+2",
        "'@SUM(1)",
        "ok",
    ]
    assert {row[0] for row in rows} == {"'=SUM(A1)"}
    assert rows[0][1] == ""  # a free or columns-only board has no rows


def test_exports_leave_out_waiting_and_hidden_cards_even_for_the_facilitator(journey, personas):
    leader, pieter = personas["reisbegeleider"], personas["professional"]
    board = make_board(journey, leader, requires_approval=True)
    shown = post(leader, board, "Zichtbare kaart")
    post(pieter, board, "Wachtende kaart")
    hidden = post(leader, board, "Verborgen kaart")
    boards.set_card_status(leader, hidden, Card.Status.HIDDEN)
    assert shown.status == Card.Status.VISIBLE

    for who in ("reisbegeleider", "professional"):
        client = signed_in(personas[who])
        for kind, url in urls(board).items():
            body = client.get(url).content.decode()
            assert "Zichtbare kaart" in body, (who, kind)
            assert "Wachtende kaart" not in body, (who, kind)
            assert "Verborgen kaart" not in body, (who, kind)


# --- Markdown ----------------------------------------------------------------------------


def test_markdown_has_title_instructions_cells_cards_and_indented_comments(board, personas):
    leader, pieter, marieke = (
        personas["reisbegeleider"],
        personas["professional"],
        personas["opdrachtgever"],
    )
    card = post(pieter, board, "# Geen kop\n*geen nadruk* en een tweede regel")
    post(marieke, board, "Anoniem gedachte", column=1, row=2, anonymous=True)
    boards.add_comment(marieke, card, body="Goed punt", anonymous=True)
    boards.add_comment(leader, card, body="Nemen we mee")

    response = signed_in(pieter).get(urls(board)["markdown"])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert 'filename="break-out-drie-perspectieven.md"' in response["Content-Disposition"]
    text = response.content.decode()
    columns = [c.title for c in board.columns.all()]
    rows = [r.title for r in board.rows.all()]
    assert text.startswith("# Break-out: drie perspectieven\n\nEén kaart per idee.\n")
    assert "Alleen de zichtbare kaarten van het bord" in text
    # Column by column, and row by row within a column.
    order = [text.index(f"## {columns[0]}"), text.index(f"### {rows[0]}")]
    order.append(text.index(f"## {columns[1]}"))
    assert order == sorted(order)
    assert "- \\# Geen kop\n  \\*geen nadruk\\* en een tweede regel\n  Pieter de Wit · " in text
    assert "  - Goed punt (Anoniem)\n  - Nemen we mee (Rosa Verhoeven)\n" in text
    assert "- Anoniem gedachte\n  Anoniem · " in text
    assert "Marieke" not in text and "@example.org" not in text
    assert "_Geen kaarten._" in text  # an empty cell says so


# --- Print -------------------------------------------------------------------------------


def test_print_view_shows_the_cards_per_cell_without_names_of_anonymous_authors(board, personas):
    pieter, marieke = personas["professional"], personas["opdrachtgever"]
    post(pieter, board, "Kaart met naam", link="https://example.org/verhaal")
    card = post(marieke, board, "Kaart zonder naam", column=2, row=1, anonymous=True)
    boards.add_comment(pieter, card, body="Een opmerking zonder naam", anonymous=True)

    response = signed_in(personas["inwoner"]).get(urls(board)["print"])

    assert response.status_code == 200
    page = response.content.decode()
    assert "Kaart met naam" in page and "Pieter de Wit" in page
    assert "Kaart zonder naam" in page and "Een opmerking zonder naam" in page
    assert "Marieke" not in page
    assert 'href="https://example.org/verhaal"' in page
    assert page.count('class="board-print__cell"') == 9
    assert "board_print.css" in page
    for row in board.rows.all():
        assert f">{escape(row.title)}</h2>" in page


def _fill(board, personas, n: int) -> None:
    leader, marieke = personas["reisbegeleider"], personas["opdrachtgever"]
    with override_settings(BOARD_CARDS_PER_MINUTE=10_000):
        for i in range(n):
            author = personas[("professional", "opdrachtgever", "reisbegeleider")[i % 3]]
            card = post(
                author, board, f"Kaart {i}", column=i % 3, row=(i // 3) % 3, anonymous=i % 2 == 0
            )
            boards.toggle_reaction(marieke, card, "eens")
            boards.add_comment(leader, card, body=f"Opmerking {i}", anonymous=i % 4 == 0)


def count_queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_export_query_counts_are_the_same_for_3_and_30_cards(make_journey, personas):
    leader = personas["reisbegeleider"]
    small = make_board(make_journey("Kleine reis"), leader)
    large = make_board(make_journey("Grote reis"), leader)
    _fill(small, personas, 3)
    _fill(large, personas, 30)
    client = signed_in(personas["inwoner"])
    for kind in ("csv", "markdown", "print"):
        counts = {count_queries(client, urls(b)[kind]) for b in (small, large)}
        assert len(counts) == 1, (kind, counts)
    # Pinned: session, user, journey, role, board, columns, rows, cards, comments,
    # reactions; the print page adds nothing per card.
    assert count_queries(client, urls(large)["csv"]) == 10


# --- Who may export ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "who", "status"),
    [
        (Visibility.BESLOTEN, "anonymous", 404),
        (Visibility.BESLOTEN, "trainer", 404),  # not a member
        (Visibility.BESLOTEN, "inwoner", 200),  # meelezer
        (Visibility.BESLOTEN, "professional", 200),
        (Visibility.BESLOTEN, "reisbegeleider", 200),
        (Visibility.BESLOTEN, "beheerder", 200),  # staff read everything
        (Visibility.NETWERK, "anonymous", 404),
        (Visibility.NETWERK, "trainer", 200),
        (Visibility.OPENBAAR, "anonymous", 200),
    ],
)
def test_who_may_export_and_print_an_open_board(make_journey, personas, visibility, who, status):
    board = make_board(make_journey(visibility=visibility), personas["reisbegeleider"])
    client = client_for(who, personas)
    for kind, url in urls(board).items():
        assert client.get(url).status_code == status, kind


@pytest.mark.parametrize(
    ("who", "status"),
    [("professional", 404), ("inwoner", 404), ("trainer", 404), ("reisbegeleider", 200)],
)
def test_a_board_in_preparation_is_exported_by_its_facilitators_only(
    make_journey, personas, who, status
):
    board = make_board(
        make_journey(visibility=Visibility.OPENBAAR),
        personas["reisbegeleider"],
        state=State.CONCEPT,
    )
    client = signed_in(personas[who])
    for kind, url in urls(board).items():
        assert client.get(url).status_code == status, kind


def test_a_board_is_not_found_under_another_journey(make_journey, personas, board):
    other = make_journey("Andere reis", visibility=Visibility.OPENBAAR)
    client = signed_in(personas["reisbegeleider"])
    url = reverse("community:board_csv", args=[other.slug, board.pk])
    assert client.get(url).status_code == 404


def test_exports_answer_only_get(board, personas):
    client = signed_in(personas["reisbegeleider"])
    assert client.post(urls(board)["csv"]).status_code == 405


# --- Padlet import -----------------------------------------------------------------------


def padlet_csv(rows: list[list[str]] | None = None, *, header=None, delimiter=",") -> bytes:
    """A Padlet board export as Padlet writes it: a header row, one post per row,
    commas, quotes around text with commas, quotes or line breaks."""
    header = header or [
        "Subject",
        "Body",
        "Attachment",
        "Author",
        "Created At",
        "Updated At",
        "Section",
        "Post URL",
    ]
    if rows is None:
        rows = [
            [
                "Wat is impact?",
                "<p>Gezien worden door de <strong>gemeente</strong></p><p>En erkend.</p>",
                "",
                "Yellow Hat Jack",
                "2022-01-25 08:52:13 UTC",
                "2022-01-25 08:55:00 UTC",
                "Burgers",
                "https://padlet.com/voorbeeld/bord/wish/1",
            ],
            [
                "",
                'Een kaart met "aanhalingstekens", komma\'s\nen een tweede regel',
                "https://example.org/verslag.pdf",
                "Carinda",
                "2022-01-25 08:53:00 UTC",
                "",
                "Burgers",
                "",
            ],
            [
                "Dilemma's",
                "Tijd om je vak te leren",
                "foto.jpg",  # an uploaded file: not a link, does not come along
                "Anoniem",
                "niet te lezen",
                "",
                "Professionals",
                "",
            ],
            ["", "", "", "", "", "", "Beleidsmakers", ""],  # an empty section stays a column
            [
                "Verwachtingen",
                "",
                "",
                "",
                "2022-01-25T09:10:00+01:00",
                "",
                "professionals",  # the same section, written differently
                "",
            ],
        ]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def import_url(journey) -> str:
    return reverse("community:board_import", args=[journey.slug])


def upload(data: bytes, name: str = "impact_break_out_room.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_import_makes_a_new_anonymous_board_from_a_padlet_export(journey, personas):
    leader = personas["reisbegeleider"]
    response = signed_in(leader).post(
        import_url(journey),
        {"file": upload(padlet_csv()), "title": "", "anonymity": Board.Anonymity.ANONYMOUS},
    )

    board = Board.objects.get(journey=journey)
    assert response.status_code == 302
    assert response["Location"] == board.get_absolute_url()
    assert board.title == "Impact break out room"  # from the file name
    assert board.state == State.CONCEPT
    assert board.anonymity == Board.Anonymity.ANONYMOUS
    assert board.layout == Board.Layout.GRID
    assert [c.title for c in board.columns.all()] == ["Burgers", "Professionals", "Beleidsmakers"]
    assert not board.rows.exists()
    cards = list(board.cards.order_by("column__position", "position"))
    assert board.card_count == len(cards) == 4
    assert [(c.column.title, c.position) for c in cards] == [
        ("Burgers", 0),
        ("Burgers", 1),
        ("Professionals", 0),
        ("Professionals", 1),
    ]
    assert cards[0].body == "Wat is impact?\n\nGezien worden door de gemeente\nEn erkend."
    assert cards[1].body == 'Een kaart met "aanhalingstekens", komma\'s\nen een tweede regel'
    assert cards[1].link == "https://example.org/verslag.pdf"
    assert cards[2].body == "Dilemma's\n\nTijd om je vak te leren" and cards[2].link == ""
    assert cards[3].body == "Verwachtingen"
    assert cards[0].created_at == datetime(2022, 1, 25, 8, 52, 13, tzinfo=UTC)
    assert cards[3].created_at == datetime(2022, 1, 25, 8, 10, tzinfo=UTC)
    assert cards[2].created_at.year >= 2026  # did not parse: the time of the import
    assert all(c.is_anonymous and c.author == leader for c in cards)
    assert all(c.status == Card.Status.VISIBLE for c in cards)
    entry = AuditEntry.objects.get(action="board.imported")
    assert entry.actor == leader and entry.data == {
        "board": board.pk,
        "title": board.title,
        "cards": 4,
    }
    # Nobody is named, not in the cards nor in an export.
    exported = board_io.board_csv(board) + board_io.board_markdown(board)
    assert "Yellow Hat Jack" not in exported and "Carinda" not in exported
    assert "Rosa" not in exported


def test_import_reads_a_dutch_semicolon_file_without_sections_into_a_free_board(journey, personas):
    data = padlet_csv(
        [
            ["Eerste", "Inhoud één", "https://example.org", "Jan", "25-01-2022 09:52"],
            ["", "Alleen inhoud", "", "", "25 januari 2022 10:05"],
        ],
        header=["Onderwerp", "Inhoud", "Bijlage (link)", "Auteur", "Gemaakt op"],
        delimiter=";",
    )
    board = board_io.import_padlet(
        personas["reisbegeleider"], journey, BOM.encode() + data, title="Mijn bord"
    )
    assert board.title == "Mijn bord"
    assert board.layout == Board.Layout.FREE
    assert board.columns.count() == 1 and not board.rows.exists()
    first, second = board.cards.order_by("position")
    assert (first.body, first.link, first.position) == (
        "Eerste\n\nInhoud één",
        "https://example.org",
        0,
    )
    assert second.body == "Alleen inhoud" and second.position == 1
    assert first.created_at == datetime(2022, 1, 25, 8, 52, tzinfo=UTC)
    assert second.created_at == datetime(2022, 1, 25, 9, 5, tzinfo=UTC)
    assert board.card_count == 2


def test_the_import_page_tells_that_names_do_not_come_along(journey, personas):
    response = signed_in(personas["reisbegeleider"]).get(import_url(journey))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Namen gaan niet mee" in page
    assert "Elke geïmporteerde kaart is anoniem" in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize(
    ("visibility", "who", "status"),
    [
        (Visibility.BESLOTEN, "anonymous", 404),
        (Visibility.BESLOTEN, "trainer", 404),
        (Visibility.BESLOTEN, "opdrachtgever", 403),
        (Visibility.BESLOTEN, "professional", 403),
        (Visibility.BESLOTEN, "inwoner", 403),
        (Visibility.BESLOTEN, "beheerder", 403),  # staff read, they do not facilitate
        (Visibility.BESLOTEN, "reisbegeleider", 200),
        (Visibility.NETWERK, "anonymous", 404),
        (Visibility.OPENBAAR, "anonymous", 302),  # to the login
        (Visibility.OPENBAAR, "trainer", 403),
    ],
)
def test_only_the_reisbegeleider_imports(make_journey, personas, visibility, who, status):
    journey = make_journey(visibility=visibility)
    client = client_for(who, personas)
    assert client.get(import_url(journey)).status_code == status
    response = client.post(
        import_url(journey), {"file": upload(padlet_csv()), "anonymity": "choice"}
    )
    assert response.status_code == (302 if status == 200 else status)
    if status != 200:
        assert not Board.objects.exists()
        if status == 302:
            assert "/accounts/login/" in response["Location"]


def test_the_import_service_refuses_anyone_but_the_reisbegeleider(journey, personas):
    with pytest.raises(PermissionDenied):
        board_io.import_padlet(personas["opdrachtgever"], journey, padlet_csv())
    assert not Board.objects.exists() and not Card.objects.exists()


def _long_card() -> bytes:
    return padlet_csv([["Titel", "x" * 5_001, "", "", "", "", "Burgers", ""]])


def _too_many_rows() -> bytes:
    return padlet_csv([[f"Kaart {i}", "", "", "", "", "", "Burgers", ""] for i in range(2_001)])


def _too_large() -> bytes:
    row = ["Kaart", "y" * 4_000, "", "", "", "", "Burgers", ""]
    return padlet_csv([row] * 530)  # about 2.1 MB


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "Dit bestand is geen CSV-bestand."),
        (b"%PDF-1.7\n\xff\xfe\x00\x01binary", "Dit bestand is geen CSV-bestand."),
        (b"naam,email\nAn,an@example.org\n", "Dit CSV-bestand is geen Padlet-export"),
        (b"", "Het bestand is leeg."),
        (b"   \r\n", "Het bestand is leeg."),
        (padlet_csv([]), "Het bestand bevat geen berichten met tekst of een link."),
        (_too_many_rows(), "Het bestand heeft 2.001 berichten; een bord neemt er hoogstens 2.000."),
        (_too_large(), "Het bestand is groter dan 2 MB"),
        (_long_card(), "Rij 2: een kaart mag hoogstens 5.000 tekens hebben; deze heeft er 5.008."),
    ],
    ids=[
        "png",
        "pdf",
        "not-padlet",
        "empty",
        "blank",
        "header-only",
        "too-many-rows",
        "too-large",
        "card-too-long",
    ],
)
def test_a_file_the_import_cannot_use_is_refused_and_nothing_is_stored(
    journey, personas, data, message
):
    response = signed_in(personas["reisbegeleider"]).post(
        import_url(journey), {"file": upload(data), "title": "Poging", "anonymity": "choice"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Board.objects.exists()
    assert not Card.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="board.").exists()


def test_a_padlet_with_more_sections_than_columns_is_refused(journey, personas):
    data = padlet_csv([["", f"Kaart {i}", "", "", "", "", f"Sectie {i}", ""] for i in range(13)])
    response = signed_in(personas["reisbegeleider"]).post(
        import_url(journey), {"file": upload(data), "anonymity": "choice"}
    )
    assert response.status_code == 400
    assert "De Padlet heeft 13 secties; een bord heeft hoogstens 12 kolommen." in (
        response.content.decode()
    )
    assert not Board.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-25 08:52:13 UTC", datetime(2022, 1, 25, 8, 52, 13, tzinfo=UTC)),
        ("2022-01-25T08:52:13Z", datetime(2022, 1, 25, 8, 52, 13, tzinfo=UTC)),
        ("2022-01-25T09:52:13+01:00", datetime(2022, 1, 25, 8, 52, 13, tzinfo=UTC)),
        ("25-01-2022 09:52", datetime(2022, 1, 25, 8, 52, tzinfo=UTC)),
        ("1/25/2022 9:52 AM", datetime(2022, 1, 25, 8, 52, tzinfo=UTC)),
        ("25 januari 2022 09:52", datetime(2022, 1, 25, 8, 52, tzinfo=UTC)),
        ("", None),
        ("gisteren", None),
        ("31-02-2022 10:00", None),
    ],
)
def test_padlet_times_are_read_in_the_forms_exports_use(value, expected):
    assert board_io.parse_time(value) == expected


def test_header_names_are_matched_without_case_or_punctuation():
    found = board_io._columns(
        ["ONDERWERP", " body ", "Bijlage (link)", "Created_At", "Sectie", "Iets anders"]
    )
    assert found == {
        "subject": [0],
        "body": [1],
        "attachment": [2],
        "created": [3],
        "section": [4],
    }
