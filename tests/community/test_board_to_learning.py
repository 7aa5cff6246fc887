"""From talk to learning: the reisbegeleider takes a board card further as a story or a
learning question, and the card and what it became link to each other."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from community.models import Board
from community.services import boards
from journeys.models import Journey, Story
from journeys.services import RuleViolation
from journeys.stories import services as stories
from learning.leervragen import services as leervragen
from tests.journeys.test_stories import consent, details

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(personas, make_journey):
    journey = make_journey(visibility=Journey.Visibility.OPENBAAR)
    leader = personas["reisbegeleider"]
    board = boards.create_board(
        leader, journey, boards.BoardDetails(title="Break-out armoede"), template="vrij"
    )
    boards.set_state(leader, board, Board.State.OPEN)
    return boards.post_card(
        personas["professional"],
        board,
        body="Wie hulp vraagt, moet eerst alles over zichzelf op tafel leggen.",
        column_id=board.columns.get().pk,
        anonymous=True,
    )


def from_card(card, **fields):
    fields.setdefault("journey", card.board.journey)
    fields.setdefault("display", Story.Display.ANONYMOUS)
    return details("Alles op tafel", text=card.body, source_card=card, **fields)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_reisbegeleider_records_a_story_from_a_card_and_both_link(personas, card):
    leader = personas["reisbegeleider"]
    story, _code = stories.record_story(leader, from_card(card), consent())

    assert story.source_card == card
    board_page = signed_in(personas["opdrachtgever"]).get(card.board.get_absolute_url())
    assert story.get_absolute_url() in board_page.content.decode()
    story_page = Client().get(story.get_absolute_url()).content.decode()
    assert f"#kaart-{card.pk}" in story_page
    assert personas["professional"].get_full_name() not in story_page


def test_only_the_reisbegeleider_makes_a_story_of_a_card(personas, card):
    with pytest.raises(PermissionDenied):
        stories.record_story(personas["professional"], from_card(card), consent())
    assert not Story.objects.exists()


def test_a_story_of_an_anonymous_card_stays_anonymous(personas, card):
    with pytest.raises(RuleViolation, match="anoniem"):
        stories.record_story(
            personas["reisbegeleider"],
            from_card(card, display=Story.Display.NAME, teller_name="Iemand"),
            consent(),
        )
    assert not Story.objects.exists()


def test_the_story_form_from_a_card_is_prefilled_and_for_the_facilitator_only(personas, card):
    url = f"/verhalen/vertellen/?kaart={card.pk}"

    page = signed_in(personas["reisbegeleider"]).get(url)

    assert page.status_code == 200
    assert "Break-out armoede" in page.content.decode()
    assert page.context["form"].initial["text"] == card.body
    assert signed_in(personas["professional"]).get(url).status_code == 403
    assert (
        signed_in(personas["reisbegeleider"]).get("/verhalen/vertellen/?kaart=x").status_code == 404
    )


def test_a_learning_question_raised_from_a_card_links_both_ways(personas, card):
    question = leervragen.raise_question(
        personas["reisbegeleider"],
        question="Hoe maken we hulp vragen minder zwaar?",
        journey=card.board.journey,
        card=card,
    )

    board_page = Client().get(card.board.get_absolute_url()).content.decode()
    assert question.get_absolute_url() in board_page
    question_page = signed_in(personas["reisbegeleider"]).get(question.get_absolute_url())
    assert f"kaart-{card.pk}" in question_page.content.decode()
