"""The board pages, under each journey: /reizen/<slug>/borden/... (community/urls.py mounts
these at the site root). Every card action is a plain form POST that also answers
fetch() with the card's fragment; the websocket only says that something changed."""

from django.urls import path

from community import board_io_views as io_views
from community import board_views as views

BOARD = "reizen/<slug:slug>/borden/<int:board_id>/"
CARD = BOARD + "kaarten/<int:card_id>/"

urlpatterns = [
    path("reizen/<slug:slug>/borden/", views.journey_boards, name="journey_boards"),
    path("reizen/<slug:slug>/borden/nieuw/", views.board_new, name="board_new"),
    path("reizen/<slug:slug>/borden/importeren/", io_views.board_import, name="board_import"),
    path(BOARD, views.board, name="board"),
    path(BOARD + "bewerken/", views.board_edit, name="board_edit"),
    path(BOARD + "status/", views.board_state, name="board_state"),
    path(BOARD + "kaarten/", views.card_post, name="card_post"),
    path(BOARD + "export.csv", io_views.board_csv, name="board_csv"),
    path(BOARD + "export.md", io_views.board_markdown, name="board_markdown"),
    path(BOARD + "afdrukken/", io_views.board_print, name="board_print"),
    path(CARD, views.card_fragment, name="card"),
    path(CARD + "bewerken/", views.card_edit, name="card_edit"),
    path(CARD + "verwijderen/", views.card_delete, name="card_delete"),
    path(CARD + "reactie/", views.card_react, name="card_react"),
    path(CARD + "opmerkingen/", views.card_comment, name="card_comment"),
    path(
        BOARD + "opmerkingen/<int:comment_id>/verwijderen/",
        views.comment_delete,
        name="comment_delete",
    ),
    path(CARD + "beoordelen/", views.card_status, name="card_status"),
    path(CARD + "verplaatsen/", views.card_move, name="card_move"),
    path(CARD + "uitlichten/", views.card_highlight, name="card_highlight"),
    path(CARD + "naar-forum/", views.card_to_thread, name="card_to_thread"),
    path(CARD + "afbeelding/", views.card_image, name="card_image"),
]
