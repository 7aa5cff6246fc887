"""Hostile input posted to every view that takes a form, by a member allowed to use it
(the journey's reisbegeleider, who may do the most): never a 500, and a refusal (4xx,
or the form shown again) changes nothing. Filter and search pages get the same values in
their query string.

Each view gets VIEW_FUZZ examples over the names of its form's fields plus a stray one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings

from community.models import Board, ForumCategory
from community.services import boards as board_services
from community.services import events as event_services
from community.services import forum as forum_services
from community.services.boards import BoardDetails
from community.services.events import EventDetails
from journeys import method
from journeys.models import Journey, Story
from journeys.services import add_canvas_phase
from journeys.stories import services as story_services
from journeys.stories.services import StoryDetails
from learning.leervragen import services as question_services
from tests.security.strategies import FUZZ, posted

pytestmark = pytest.mark.django_db

VIEW_FUZZ = settings(FUZZ, max_examples=5)

# Every row these views could write; a refused request leaves all their counts alone.
WATCHED = [
    "community.Thread",
    "community.Post",
    "community.Attachment",
    "community.Report",
    "community.Board",
    "community.BoardColumn",
    "community.Card",
    "community.CardComment",
    "community.CardReaction",
    "community.Event",
    "community.Registration",
    "journeys.Journey",
    "journeys.Membership",
    "journeys.Invitation",
    "journeys.JoinRequest",
    "journeys.Story",
    "journeys.CanvasEntry",
    "journeys.CanvasPhase",
    "journeys.DataPoint",
    "journeys.LensDocument",
    "journeys.PhaseRevision",
    "learning.LearningQuestion",
]


def _counts() -> dict[str, int]:
    counts = {}
    for label in WATCHED:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        counts[label] = model.objects.count()
    return counts


@pytest.fixture
def world(personas, settings):
    # The door limits (429) have their own tests: here every request reaches the form.
    settings.RATE_LIMITS = {}
    settings.FORUM_POSTS_PER_MINUTE = 100_000
    settings.BOARD_CARDS_PER_MINUTE = 100_000
    lead = personas["reisbegeleider"]
    from journeys import services as journey_services

    journey = journey_services.create_journey(
        lead, title="Fuzzreis", challenge="Eenzaamheid", visibility=Journey.Visibility.NETWERK
    )
    other = journey_services.create_journey(
        personas["opdrachtgever"], title="Andere reis", challenge="Armoede"
    )
    add_canvas_phase(lead, journey, name="Signalering")
    category = ForumCategory.objects.create(name="Algemeen", slug="algemeen")
    thread = forum_services.start_thread(lead, title="Draad", body="Tekst", journey=journey)
    post = thread.posts.first()
    board = board_services.create_board(
        lead, journey, BoardDetails(title="Bord"), template="perspectieven"
    )
    board_services.set_state(lead, board, Board.State.OPEN)
    card = board_services.post_card(
        lead,
        board,
        body="Een kaart",
        column_id=board.columns.first().pk,
        row_id=getattr(board.rows.first(), "pk", None),
    )
    start = timezone.now() + timedelta(days=7)
    event = event_services.create_event(
        lead,
        EventDetails(
            title="Sessie",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            form="online",
            online_url="https://example.org/sessie",
        ),
        journey=journey,
    )
    story = story_services.tell_story(
        lead,
        StoryDetails(
            title="Verhaal",
            text="Tekst",
            perspective=Story.Perspective.PROFESSIONAL,
            visibility=Story.Visibility.NETWERK,
        ),
    )
    question = question_services.raise_question(lead, question="Wat werkt?", journey=journey)
    return {
        "lead": lead,
        "journey": journey,
        "other": other,
        "category": category,
        "thread": thread,
        "post": post,
        "board": board,
        "card": card,
        "event": event,
        "story": story,
        "question": question,
    }


def _endpoints(w) -> list[tuple[str, str, list[str]]]:
    """(method, url, field names) of every view that takes a form."""
    from community import board_forms, event_forms, forum_forms
    from community import forms as account_forms
    from journeys import forms as journey_forms
    from journeys.reports.proposal_views import ProposalForm
    from journeys.stories.forms import StoryForm
    from journeys.views.canvas import DoublureForm, EntryForm, PhaseForm
    from learning.leervragen import forms as question_forms

    def names(form_class) -> list[str]:
        return list(form_class.base_fields)

    slug = w["journey"].slug
    j = {"slug": slug}
    b = {"slug": slug, "board_id": w["board"].pk}
    c = {**b, "card_id": w["card"].pk}
    q = {"pk": w["question"].pk}
    e = {"event_id": w["event"].pk}
    post = {"post_id": w["post"].pk}
    story_fields = [*names(StoryForm), "slider_1", "remove_image"]
    result_kind = w["journey"].result_kind
    result_slug = method.RESULT_SLUGS[result_kind]
    result_fields = ["base_revision", "note", *method.section_keys(result_kind)]
    return [
        ("post", reverse("account_profile"), names(account_forms.ProfileForm)),
        ("post", reverse("community:plein_new_thread"), names(forum_forms.ThreadForm)),
        ("post", reverse("community:journey_new_thread", kwargs=j), names(forum_forms.ThreadForm)),
        (
            "post",
            reverse("community:journey_thread", kwargs={**j, "thread_id": w["thread"].pk}),
            names(forum_forms.ReplyForm),
        ),
        ("post", reverse("community:post_edit", kwargs=post), names(forum_forms.EditPostForm)),
        ("post", reverse("community:post_report", kwargs=post), ["reason"]),
        ("post", reverse("community:post_react", kwargs=post), ["kind"]),
        (
            "post",
            reverse("community:thread_subscription", kwargs={"thread_id": w["thread"].pk}),
            ["level"],
        ),
        (
            "post",
            reverse("community:thread_flag", kwargs={"thread_id": w["thread"].pk}),
            ["flag", "value"],
        ),
        ("post", reverse("community:notification_settings"), ["email"]),
        (
            "post",
            reverse("community:calendar_settings"),
            ["remind_day_before", "remind_hour_before", "action"],
        ),
        ("post", reverse("community:board_new", kwargs=j), names(board_forms.NewBoardForm)),
        ("post", reverse("community:board_edit", kwargs=b), names(board_forms.BoardSettingsForm)),
        ("post", reverse("community:board_state", kwargs=b), names(board_forms.StateForm)),
        ("post", reverse("community:card_post", kwargs=b), names(board_forms.CardForm)),
        ("post", reverse("community:card_edit", kwargs=c), names(board_forms.CardEditForm)),
        ("post", reverse("community:card_comment", kwargs=c), names(board_forms.CommentForm)),
        ("post", reverse("community:card_move", kwargs=c), names(board_forms.MoveForm)),
        ("post", reverse("community:card_react", kwargs=c), names(board_forms.ReactionForm)),
        ("post", reverse("community:card_status", kwargs=c), names(board_forms.CardStatusForm)),
        ("post", reverse("community:card_highlight", kwargs=c), ["value"]),
        ("post", reverse("community:card_to_thread", kwargs=c), names(board_forms.ThreadTitleForm)),
        ("post", reverse("community:event_new"), names(event_forms.NewEventForm)),
        ("post", reverse("community:journey_event_new", kwargs=j), names(event_forms.NewEventForm)),
        ("post", reverse("community:event_edit", kwargs=e), names(event_forms.EventForm)),
        (
            "post",
            reverse("community:event_register", kwargs=e),
            names(event_forms.RegistrationForm),
        ),
        ("post", reverse("community:event_report", kwargs=e), names(event_forms.ReportForm)),
        ("post", reverse("stories:tell"), story_fields),
        ("post", reverse("stories:edit", kwargs={"pk": w["story"].pk}), story_fields),
        ("post", reverse("stories:withdraw_code_form"), ["code"]),
        ("post", reverse("learning:question_create"), names(question_forms.RaiseForm)),
        ("post", reverse("learning:question_edit", kwargs=q), names(question_forms.EditForm)),
        ("post", reverse("learning:question_move", kwargs=q), names(question_forms.MoveForm)),
        ("post", reverse("learning:question_plan", kwargs=q), names(question_forms.PlanForm)),
        ("post", reverse("learning:question_answer", kwargs=q), names(question_forms.AnswerForm)),
        ("post", reverse("learning:question_duiding", kwargs=q), names(question_forms.DuidingForm)),
        (
            "post",
            reverse("learning:question_evidence", kwargs=q),
            names(question_forms.EvidenceForm),
        ),
        ("post", reverse("learning:question_comment", kwargs=q), names(question_forms.CommentForm)),
        (
            "post",
            reverse("learning:question_position", kwargs=q),
            names(question_forms.PositionForm),
        ),
        ("post", reverse("learning:question_vote", kwargs=q), ["value"]),
        ("post", reverse("journeys:create"), names(journey_forms.JourneyForm)),
        ("post", reverse("journeys:edit", kwargs=j), names(journey_forms.JourneyForm)),
        ("post", reverse("journeys:move_phase", kwargs=j), names(journey_forms.MovePhaseForm)),
        ("post", reverse("journeys:invite", kwargs=j), names(journey_forms.InviteForm)),
        (
            "post",
            reverse("journeys:join", kwargs={"slug": w["other"].slug}),
            names(journey_forms.JoinRequestForm),
        ),
        ("post", reverse("journeys:canvas_add_entry", kwargs=j), names(EntryForm)),
        (
            "post",
            reverse("journeys:canvas_add_phase", kwargs=j),
            [f"phase-{n}" for n in names(PhaseForm)],
        ),
        ("post", reverse("journeys:canvas_mark_doublure", kwargs=j), names(DoublureForm)),
        ("post", reverse("journeys:add_data_point", kwargs=j), names(journey_forms.DataPointForm)),
        ("post", reverse("journeys:add_document", kwargs=j), names(journey_forms.DocumentForm)),
        ("post", reverse("journeys:indicators_add", kwargs=j), names(journey_forms.DataPointForm)),
        ("post", reverse("journeys:element_propose", kwargs=j), [*names(ProposalForm), "stories"]),
        (
            "post",
            reverse("journeys:result_edit", kwargs={**j, "kind_slug": result_slug}),
            result_fields,
        ),
        # Filters and searches: the same hostile values in the query string.
        ("get", reverse("learning:search"), ["q", "soort", "pagina"]),
        ("get", reverse("journeys:index"), [*names(journey_forms.JourneyFilterForm), "page"]),
        ("get", reverse("learning:question_index"), names(question_forms.FilterForm)),
        ("get", reverse("learning:question_board"), names(question_forms.FilterForm)),
        ("get", reverse("community:agenda"), ["reis", "page"]),
        ("get", reverse("community:plein_search"), ["q", "page"]),
        ("get", reverse("community:journey_forum_search", kwargs=j), ["q", "page"]),
        ("get", reverse("stories:index"), ["q", "thema", "perspectief", "gemeente", "page"]),
        ("get", reverse("community:notifications"), ["page", "filter"]),
        ("get", reverse("community:plein"), ["page", "tag", "sort"]),
    ]


def _fuzz(client, method_name: str, url: str, fields: list[str]):
    @VIEW_FUZZ
    @given(data=posted(fields))
    def fuzz(data):
        before = _counts() if method_name == "post" else None
        response = getattr(client, method_name)(url, data)
        assert response.status_code < 500, (url, data)
        # Anything but a redirect is a refusal or the form shown again: nothing written.
        if before is not None and response.status_code not in (301, 302, 303):
            assert _counts() == before, (url, response.status_code, data)

    return fuzz


def test_hostile_input_to_every_form_view_never_answers_500_and_refusals_change_nothing(
    client, world
):
    client.force_login(world["lead"])
    endpoints = _endpoints(world)
    for method_name, url, fields in endpoints:
        _fuzz(client, method_name, url, fields)()
    assert len(endpoints) >= 60
