"""Who may see, post on and facilitate which board, and the reads that pages, sockets
and exports share.

A board lives in a journey: it is seen by whoever may see the journey (a besloten
journey's boards reach members only), except a board in preparation, which only its
facilitators see. Members who contribute (reisbegeleider, opdrachtgever, reiziger) post
cards, react and comment while the board is open. The reisbegeleider facilitates.
A card waiting for approval is seen by the facilitators and its author; a hidden card by
the facilitators only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from community.models import Board, Card, CardComment, CardReaction
from journeys.models import Journey
from journeys.queries import Access, access_for, may_view, visible_to

Status = Card.Status
PRESENCE_LIFETIME = timedelta(hours=12)
State = Board.State


@dataclass(frozen=True)
class BoardAccess:
    can_see: bool
    can_post: bool
    can_facilitate: bool
    user_id: int | None = None


def journey_board_access(user, journey: Journey, access: Access | None = None) -> BoardAccess:
    """What the user may do with the journey's boards in general (the list, a new board)."""
    access = access or access_for(user, journey)
    can_see = may_view(user, journey, access.role)
    return BoardAccess(
        can_see=can_see,
        can_post=can_see and access.can_contribute,
        can_facilitate=can_see and access.can_facilitate,
        user_id=user.pk if user.is_authenticated else None,
    )


def board_access(user, board: Board, access: Access | None = None) -> BoardAccess:
    general = journey_board_access(user, board.journey, access)
    if board.state == State.CONCEPT and not general.can_facilitate:
        return BoardAccess(False, False, False, general.user_id)
    return BoardAccess(
        can_see=general.can_see,
        can_post=general.can_post and board.accepts_cards,
        can_facilitate=general.can_facilitate,
        user_id=general.user_id,
    )


def boards_of(user, journey: Journey, access: BoardAccess) -> QuerySet[Board]:
    boards = journey.boards.select_related("event")
    if not access.can_facilitate:
        boards = boards.exclude(state=State.CONCEPT)
    return boards


def visible_boards(user) -> QuerySet[Board]:
    """Every board the user may see: for search and feeds."""
    boards = Board.objects.filter(journey__in=visible_to(user))
    if not user.is_authenticated:
        return boards.exclude(state=State.CONCEPT)
    from journeys.models import Membership

    facilitated = Membership.objects.filter(user=user, role=Membership.Role.REISBEGELEIDER).values(
        "journey"
    )
    return boards.filter(~Q(state=State.CONCEPT) | Q(journey__in=facilitated))


def shown_cards(board: Board, access: BoardAccess) -> QuerySet[Card]:
    """The cards this visitor sees on the board: visible ones, plus their own waiting
    ones; facilitators also see waiting and hidden cards."""
    cards = board.cards.all()
    if access.can_facilitate:
        return cards
    shown = Q(status=Status.VISIBLE)
    if access.user_id is not None:
        shown |= Q(status=Status.PENDING, author_id=access.user_id)
    return cards.filter(shown)


def card_is_shown(card: Card, access: BoardAccess) -> bool:
    if not access.can_see:
        return False
    if access.can_facilitate or card.status == Status.VISIBLE:
        return True
    return card.status == Status.PENDING and card.author_id == access.user_id


def cards_for_page(board: Board, access: BoardAccess, *, links: bool = True) -> QuerySet[Card]:
    """The board's cards with what each shows, in a fixed number of queries however many
    cards, reactions and comments there are. links=False leaves out the stories and
    learning questions made of them (exports do not show those)."""
    mine = (
        CardReaction.objects.filter(user_id=access.user_id)
        if access.user_id
        else CardReaction.objects.none()
    )
    cards = (
        shown_cards(board, access)
        .select_related("author", "thread")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=CardComment.objects.select_related("author"),
            ),
            Prefetch("reactions", queryset=CardReaction.objects.only("card_id", "kind")),
            Prefetch("reactions", queryset=mine, to_attr="my_reactions"),
        )
        .order_by("column__position", "column_id", "row__position", "row_id", "position", "pk")
    )
    if not links:
        return cards
    return cards.prefetch_related(
        Prefetch("stories", queryset=_linked_stories(access)),
        # Questions raised from a card, in the board's own journey: seen by whoever sees
        # the board (learning.LearningQuestion by name: the apps stay apart).
        Prefetch(
            "learning_questions",
            queryset=apps.get_model("learning", "LearningQuestion").objects.filter(
                journey_id=board.journey_id
            ),
        ),
    )


def _linked_stories(access: BoardAccess) -> QuerySet:
    """Stories taken from cards, as a card shows them: all to the facilitator; to others
    only those anyone (or anyone signed in) may read, so a narrower story's title never
    shows on a wider board."""
    story = apps.get_model("journeys", "Story")
    stories = story.objects.filter(withdrawn_at__isnull=True).only("pk", "title", "source_card_id")
    if access.can_facilitate:
        return stories
    wide = [story.Visibility.OPENBAAR]
    if access.user_id is not None:
        wide.append(story.Visibility.NETWERK)
    return stories.filter(visibility__in=wide)


def participant_count(board: Board) -> int:
    """People on the board now: each signed-in person once, each anonymous socket once.
    A socket older than a working day is not counted: its row outlived a server that
    stopped without saying goodbye."""
    since = timezone.now() - PRESENCE_LIFETIME
    presences = board.presences.filter(connected_at__gte=since)
    people = presences.exclude(user=None).values("user").distinct().count()
    return people + presences.filter(user=None).count()
