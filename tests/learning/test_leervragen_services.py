"""The rules of the leervragen tracker: raising, every allowed and refused move with what
each state needs, votes once each, owners and plans, answers and duiding, follow-ups,
evidence, the discussion in the forum, and notifications to followers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from community.models import Notification, Thread
from journeys.models import Story
from journeys.services import RuleViolation
from journeys.stories import services as story_services
from learning.leervragen import services
from learning.leervragen.services import Plan
from learning.models import LearningQuestion, LearningQuestionVote
from tests.learning.test_leervragen_fixtures import (  # noqa: F401  (fixtures)
    PATH,
    STATES,
    Status,
    closed_journey_fixture,
    in_a_month,
    journey_fixture,
    make_question_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def snapshot(question: LearningQuestion) -> tuple:
    """Everything a refused request must leave as it was."""
    question = LearningQuestion.objects.get(pk=question.pk)
    return (
        question.status,
        question.parked_from,
        question.vote_count,
        question.answer,
        question.answer_confidence,
        question.duiding,
        question.due_date,
        tuple(question.approaches),
        tuple(sorted(question.owners.values_list("pk", flat=True))),
        question.moves.count(),
        LearningQuestionVote.objects.filter(question=question).count(),
    )


# --- Raising --------------------------------------------------------------------------------


def test_a_contributing_member_raises_a_question_and_follows_it(personas, journey):
    question = services.raise_question(
        personas["professional"],
        question="  Wat levert een huisbezoek op?  ",
        context="Gehoord op de bijeenkomst.",
        journey=journey,
        themes=["Eenzaamheid", "huisbezoek"],
    )
    assert question.status == Status.INGEDIEND
    assert question.question == "Wat levert een huisbezoek op?"
    assert sorted(question.themes.names()) == ["eenzaamheid", "huisbezoek"]
    assert list(question.followers.all()) == [personas["professional"]]
    (first,) = question.moves.all()
    assert (first.from_status, first.to_status) == ("", Status.INGEDIEND)


@pytest.mark.parametrize("role", ["inwoner", "trainer", "beheerder"])
def test_meelezers_outsiders_and_staff_do_not_raise_in_a_journey(personas, journey, role):
    with pytest.raises(PermissionDenied) as refused:
        services.raise_question(personas[role], question="Mag ik dit vragen?", journey=journey)
    assert "niet" in str(refused.value)
    assert not LearningQuestion.objects.exists()


def test_everyone_signed_in_raises_a_network_wide_question(personas):
    question = services.raise_question(personas["trainer"], question="Wat werkt bij armoede?")
    assert question.is_network_wide


def test_a_question_without_words_is_refused_with_a_clear_message(personas, journey):
    with pytest.raises(RuleViolation, match="Schrijf de vraag op"):
        services.raise_question(personas["professional"], question="   ", journey=journey)
    assert not LearningQuestion.objects.exists()


def test_a_question_from_another_journeys_meeting_is_refused(personas, journey, make_journey):
    from community.models import Event
    from community.services import events
    from community.services.events import EventDetails

    other = make_journey("Armoede-interventies")
    start = timezone.now() + timedelta(days=3)
    event = events.create_event(
        personas["reisbegeleider"],
        EventDetails(
            title="Leersessie",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            form=Event.Form.ONLINE,
            online_url="https://meet.example.org/x",
        ),
        journey=other,
    )
    with pytest.raises(RuleViolation, match="hoort bij die reis"):
        services.raise_question(
            personas["professional"], question="Werkt dit?", journey=journey, event=event
        )
    question = services.raise_question(
        personas["professional"], question="Werkt dit?", journey=other, event=event
    )
    assert list(event.learning_questions.all()) == [question]


def test_a_besloten_journeys_thread_is_no_source_for_outsiders(personas, closed_journey):
    from community.services import forum

    thread = forum.start_thread(
        personas["reisbegeleider"], title="Wat viel op?", body="Vertel.", journey=closed_journey
    )
    with pytest.raises(PermissionDenied):
        services.raise_question(personas["trainer"], question="Nou?", thread=thread)


# --- Every move: allowed for the right person, refused for everyone else ------------------

# (from, to) -> who may make the move. Everything else is no move at all.
ALLOWED = {
    (Status.INGEDIEND, Status.GEPRIORITEERD): "reisbegeleider",
    (Status.GEPRIORITEERD, Status.IN_ONDERZOEK): "owner",
    (Status.IN_ONDERZOEK, Status.BEANTWOORD): "owner",
    (Status.BEANTWOORD, Status.GEDUID): "reisbegeleider",
    (Status.GEDUID, Status.AFGESLOTEN): "reisbegeleider",
    **{
        (state, Status.GEPARKEERD): "reisbegeleider" for state in PATH if state != Status.AFGESLOTEN
    },
    # The question in the test was parked from geprioriteerd: back to where it was.
    (Status.GEPARKEERD, Status.GEPRIORITEERD): "reisbegeleider",
}
ACTORS = [
    "reisbegeleider",
    "owner",
    "opdrachtgever",
    "professional",
    "inwoner",
    "beheerder",
    "trainer",
]


def _actor(personas, name):
    return personas["onderzoeker"] if name == "owner" else personas[name]


def _prepare(personas, question, to_status):
    """What the move needs, saved without moving: an owner with a plan, a draft answer,
    a duiding."""
    if (question.status, to_status) == (Status.GEPRIORITEERD, Status.IN_ONDERZOEK):
        services.take_ownership(personas["onderzoeker"], question)
        services.set_plan(
            personas["onderzoeker"],
            question,
            Plan(approaches=["gesprekken_experts"], due_date=in_a_month()),
        )
    if (question.status, to_status) == (Status.IN_ONDERZOEK, Status.BEANTWOORD):
        services.save_answer(
            personas["onderzoeker"],
            question,
            text="Een concept.",
            confidence="laag",
            mark_answered=False,
        )
    if (question.status, to_status) == (Status.BEANTWOORD, Status.GEDUID):
        services.save_duiding(
            personas["reisbegeleider"],
            question,
            text="Wat het betekent.",
            on=timezone.localdate(),
            mark_interpreted=False,
        )


@pytest.mark.parametrize("from_status", STATES)
@pytest.mark.parametrize("to_status", STATES)
def test_every_move_is_allowed_only_to_whom_the_rules_name(
    personas, journey, make_question, from_status, to_status
):
    question = make_question(from_status, journey=journey)
    _prepare(personas, question, to_status)
    who = ALLOWED.get((from_status, to_status))
    note = "Even wachten op de cijfers."
    for name in ACTORS:
        if name == who:
            continue
        before = snapshot(question)
        with pytest.raises((PermissionDenied, RuleViolation)) as refused:
            services.move(_actor(personas, name), question, to_status, note=note)
        assert str(refused.value), "a refusal says why"
        if who is None:
            # No such move: the message names the states (or says it is closed / already there).
            assert isinstance(refused.value, RuleViolation)
        else:
            assert isinstance(refused.value, PermissionDenied)
            assert "Alleen" in str(refused.value)
        assert snapshot(question) == before, f"{name} changed something"
    if who is not None:
        moved = services.move(_actor(personas, who), question, to_status, note=note)
        assert moved.status == to_status
        last = moved.moves.last()
        assert (last.from_status, last.to_status, last.note) == (from_status, to_status, note)
        assert last.actor == _actor(personas, who)


def test_a_move_that_does_not_exist_names_both_states(personas, journey, make_question):
    question = make_question(Status.INGEDIEND, journey=journey)
    with pytest.raises(RuleViolation) as refused:
        services.move(personas["reisbegeleider"], question, Status.BEANTWOORD)
    assert str(refused.value) == "Een leervraag kan niet van ingediend naar beantwoord."


def test_a_closed_question_no_longer_moves(personas, journey, make_question):
    question = make_question(Status.AFGESLOTEN, journey=journey)
    with pytest.raises(RuleViolation, match="afgesloten"):
        services.move(personas["reisbegeleider"], question, Status.GEPARKEERD, note="x")


def test_refusing_a_move_to_someone_without_the_right_says_who_may(
    personas, journey, make_question
):
    question = make_question(Status.INGEDIEND, journey=journey)
    with pytest.raises(PermissionDenied) as refused:
        services.move(personas["professional"], question, Status.GEPRIORITEERD)
    assert str(refused.value) == "Alleen de reisbegeleider kan leervragen prioriteren."


# --- What each state needs ----------------------------------------------------------------


def _prioritised_and_owned(personas, journey, make_question):
    question = make_question(Status.GEPRIORITEERD, journey=journey)
    services.take_ownership(personas["onderzoeker"], question)
    return question


def test_research_starts_only_with_an_approach(personas, journey, make_question):
    question = _prioritised_and_owned(personas, journey, make_question)
    services.set_plan(personas["onderzoeker"], question, Plan(approaches=[], due_date=in_a_month()))
    before = snapshot(question)
    with pytest.raises(RuleViolation, match="aanpak"):
        services.move(personas["onderzoeker"], question, Status.IN_ONDERZOEK)
    assert snapshot(question) == before


def test_research_starts_only_with_a_due_date(personas, journey, make_question):
    question = _prioritised_and_owned(personas, journey, make_question)
    services.set_plan(
        personas["onderzoeker"], question, Plan(approaches=["data_analyse"], due_date=None)
    )
    with pytest.raises(RuleViolation, match="streefdatum"):
        services.move(personas["onderzoeker"], question, Status.IN_ONDERZOEK)
    assert LearningQuestion.objects.get(pk=question.pk).status == Status.GEPRIORITEERD


def test_research_does_not_start_when_the_due_date_has_passed(personas, journey, make_question):
    question = _prioritised_and_owned(personas, journey, make_question)
    services.set_plan(
        personas["onderzoeker"], question, Plan(approaches=["data_analyse"], due_date=in_a_month())
    )
    LearningQuestion.objects.filter(pk=question.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(RuleViolation, match="in het verleden"):
        services.move(personas["onderzoeker"], question, Status.IN_ONDERZOEK)
    assert LearningQuestion.objects.get(pk=question.pk).status == Status.GEPRIORITEERD


def test_a_due_date_in_the_past_is_refused_and_nothing_changes(personas, journey, make_question):
    question = _prioritised_and_owned(personas, journey, make_question)
    before = snapshot(question)
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(RuleViolation) as refused:
        services.set_plan(
            personas["onderzoeker"],
            question,
            Plan(approaches=["empirisch_onderzoek"], due_date=yesterday),
        )
    assert str(refused.value) == (
        f"De streefdatum {yesterday:%d-%m-%Y} ligt in het verleden: kies vandaag of een latere dag."
    )
    assert snapshot(question) == before


def test_marking_answered_without_an_answer_is_refused(personas, journey, make_question):
    question = make_question(Status.IN_ONDERZOEK, journey=journey)
    before = snapshot(question)
    with pytest.raises(RuleViolation) as refused:
        services.move(personas["onderzoeker"], question, Status.BEANTWOORD)
    assert str(refused.value) == (
        "Schrijf eerst het antwoord: een leervraag is pas beantwoord met een antwoord."
    )
    assert snapshot(question) == before


def test_an_empty_answer_is_refused_and_nothing_is_stored(personas, journey, make_question):
    question = make_question(Status.IN_ONDERZOEK, journey=journey)
    before = snapshot(question)
    with pytest.raises(RuleViolation, match="Schrijf eerst het antwoord"):
        services.save_answer(personas["onderzoeker"], question, text="  ", confidence="hoog")
    with pytest.raises(RuleViolation, match="laag, midden of hoog"):
        services.save_answer(personas["onderzoeker"], question, text="Ja.", confidence="zeker")
    assert snapshot(question) == before


def test_an_owner_answers_with_sources_and_a_confidence(personas, journey, make_question):
    question = make_question(Status.IN_ONDERZOEK, journey=journey)
    sources = services.parse_sources(
        "Literatuurscan eenzaamheid | https://example.org/scan\nGesprekken met 12 deelnemers"
    )
    services.save_answer(
        personas["onderzoeker"],
        question,
        text="Ja, vooral bij wie alleen woont.",
        sources=sources,
        confidence="hoog",
    )
    question.refresh_from_db()
    assert question.status == Status.BEANTWOORD
    assert question.answer_sources == [
        {"title": "Literatuurscan eenzaamheid", "url": "https://example.org/scan"},
        {"title": "Gesprekken met 12 deelnemers", "url": ""},
    ]
    assert question.answered_by == personas["onderzoeker"]
    assert question.answered_at is not None


def test_only_an_owner_writes_the_answer(personas, journey, make_question):
    question = make_question(Status.IN_ONDERZOEK, journey=journey)
    for name in ("reisbegeleider", "professional", "beheerder"):
        with pytest.raises(PermissionDenied, match="Alleen een eigenaar"):
            services.save_answer(personas[name], question, text="Ja.", confidence="laag")
    assert LearningQuestion.objects.get(pk=question.pk).answer == ""


def test_a_source_link_that_is_no_web_address_is_refused(personas):
    with pytest.raises(RuleViolation, match="begin het met https://"):
        services.parse_sources("Verslag | ftp://example.org/verslag")


def test_the_duiding_needs_text_and_a_date_not_in_the_future(personas, journey, make_question):
    question = make_question(Status.BEANTWOORD, journey=journey)
    lead = personas["reisbegeleider"]
    before = snapshot(question)
    with pytest.raises(RuleViolation, match="Schrijf eerst de duiding"):
        services.save_duiding(lead, question, text="", on=timezone.localdate())
    with pytest.raises(RuleViolation, match="datum van de duiding"):
        services.save_duiding(lead, question, text="Wat het betekent.", on=None)
    with pytest.raises(RuleViolation, match="toekomst"):
        services.save_duiding(
            lead, question, text="Wat het betekent.", on=timezone.localdate() + timedelta(days=1)
        )
    with pytest.raises(RuleViolation, match="Schrijf eerst de duiding"):
        services.move(lead, question, Status.GEDUID)
    assert snapshot(question) == before


def test_only_the_reisbegeleider_records_the_duiding(personas, journey, make_question):
    question = make_question(Status.BEANTWOORD, journey=journey)
    for name in ("onderzoeker", "opdrachtgever", "beheerder"):
        with pytest.raises(PermissionDenied, match="Alleen de reisbegeleider"):
            services.save_duiding(
                personas[name], question, text="Wat het betekent.", on=timezone.localdate()
            )
    services.save_duiding(
        personas["reisbegeleider"],
        question,
        text="We gaan door met maatjes.",
        on=timezone.localdate(),
        participants="Reisgezelschap, 9 mensen",
    )
    question.refresh_from_db()
    assert question.status == Status.GEDUID
    assert question.duiding_participants == "Reisgezelschap, 9 mensen"


def test_parking_needs_a_reason(personas, journey, make_question):
    question = make_question(Status.GEPRIORITEERD, journey=journey)
    with pytest.raises(RuleViolation, match="waarom"):
        services.move(personas["reisbegeleider"], question, Status.GEPARKEERD)
    assert LearningQuestion.objects.get(pk=question.pk).status == Status.GEPRIORITEERD


@pytest.mark.parametrize("parked_from", [s for s in PATH if s != Status.AFGESLOTEN])
def test_a_parked_question_goes_back_to_where_it_was(personas, journey, make_question, parked_from):
    question = make_question(Status.GEPARKEERD, journey=journey, parked_from=parked_from)
    assert question.parked_from == parked_from
    for elsewhere in STATES:
        if elsewhere in (parked_from, Status.GEPARKEERD):
            continue
        with pytest.raises(RuleViolation):
            services.move(personas["reisbegeleider"], question, elsewhere)
    services.move(personas["reisbegeleider"], question, parked_from, note="De cijfers zijn er.")
    question.refresh_from_db()
    assert (question.status, question.parked_from) == (parked_from, "")


def test_a_network_wide_question_is_moved_by_staff_and_plein_moderators(personas, make_question):
    from django.contrib.auth.models import Group

    from community.queries.forum import PLEIN_MODERATORS

    question = make_question(Status.INGEDIEND, journey=None)
    with pytest.raises(PermissionDenied):
        services.move(personas["reisbegeleider"], question, Status.GEPRIORITEERD)
    moderators, _ = Group.objects.get_or_create(name=PLEIN_MODERATORS)
    personas["reisbegeleider"].groups.add(moderators)
    services.move(personas["reisbegeleider"], question, Status.GEPRIORITEERD)
    services.move(personas["beheerder"], question, Status.GEPARKEERD, note="Later.")


# --- Votes and order ----------------------------------------------------------------------


def test_members_vote_once_each(personas, journey, make_question):
    question = make_question(Status.INGEDIEND, journey=journey)
    for name in ("reisbegeleider", "opdrachtgever", "professional", "inwoner"):
        services.vote(personas[name], question)
    assert LearningQuestion.objects.get(pk=question.pk).vote_count == 4
    before = snapshot(question)
    with pytest.raises(RuleViolation) as refused:
        services.vote(personas["inwoner"], question)
    assert str(refused.value) == "Je hebt al op deze leervraag gestemd."
    assert snapshot(question) == before


def test_a_vote_can_be_withdrawn_and_given_again(personas, journey, make_question):
    question = make_question(Status.INGEDIEND, journey=journey)
    services.vote(personas["inwoner"], question)
    assert services.withdraw_vote(personas["inwoner"], question).vote_count == 0
    with pytest.raises(RuleViolation, match="niet op deze leervraag gestemd"):
        services.withdraw_vote(personas["inwoner"], question)
    assert services.vote(personas["inwoner"], question).vote_count == 1


@pytest.mark.parametrize("name", ["trainer", "beheerder"])
def test_non_members_and_staff_do_not_vote_in_a_journey(personas, journey, make_question, name):
    question = make_question(Status.INGEDIEND, journey=journey)
    with pytest.raises(PermissionDenied):
        services.vote(personas[name], question)
    assert LearningQuestion.objects.get(pk=question.pk).vote_count == 0


def test_everyone_signed_in_votes_on_network_wide_questions(personas, make_question):
    question = make_question(Status.INGEDIEND, journey=None)
    services.vote(personas["trainer"], question)
    services.vote(personas["beheerder"], question)
    assert LearningQuestion.objects.get(pk=question.pk).vote_count == 2


def test_votes_close_once_the_research_starts(personas, journey, make_question):
    question = make_question(Status.IN_ONDERZOEK, journey=journey)
    with pytest.raises(RuleViolation, match="in onderzoek"):
        services.vote(personas["inwoner"], question)


def test_the_reisbegeleider_sets_the_order(personas, journey, make_question):
    first = make_question(journey=journey, text="Vraag een")
    second = make_question(journey=journey, text="Vraag twee")
    third = make_question(journey=journey, text="Vraag drie")
    services.vote(personas["inwoner"], third)
    assert services.ordered_in_scope(first) == [third.pk, first.pk, second.pk]
    services.set_position(personas["reisbegeleider"], second, 1)
    assert services.ordered_in_scope(first) == [second.pk, third.pk, first.pk]
    services.set_position(personas["reisbegeleider"], second, 99)
    assert services.ordered_in_scope(first) == [third.pk, first.pk, second.pk]
    with pytest.raises(PermissionDenied, match="volgorde"):
        services.set_position(personas["professional"], first, 1)
    with pytest.raises(RuleViolation, match="heel getal"):
        services.set_position(personas["reisbegeleider"], first, 0)


# --- Owners, helpers, approach ------------------------------------------------------------


def test_a_researcher_takes_ownership_of_a_network_journeys_question(
    personas, journey, make_question
):
    question = make_question(Status.GEPRIORITEERD, journey=journey)
    services.take_ownership(personas["onderzoeker"], question)
    assert list(question.owners.all()) == [personas["onderzoeker"]]
    assert personas["onderzoeker"] in question.followers.all()
    with pytest.raises(RuleViolation, match="al eigenaar"):
        services.take_ownership(personas["onderzoeker"], question)


def test_a_reiziger_may_own_a_meelezer_may_not(personas, journey, make_question):
    question = make_question(Status.GEPRIORITEERD, journey=journey)
    services.take_ownership(personas["professional"], question)
    with pytest.raises(PermissionDenied):
        services.take_ownership(personas["inwoner"], question)
    with pytest.raises(PermissionDenied):
        services.take_ownership(personas["trainer"], question)


def test_a_researcher_outside_a_besloten_journey_cannot_take_its_question(
    personas, make_journey, make_question
):
    closed = make_journey("Besloten reis", visibility="besloten")
    question = make_question(Status.GEPRIORITEERD, journey=closed)
    with pytest.raises(PermissionDenied):
        services.take_ownership(personas["onderzoeker"], question)


def test_the_last_owner_of_research_in_progress_cannot_leave(personas, journey, make_question):
    question = make_question(Status.IN_ONDERZOEK, journey=journey)
    with pytest.raises(RuleViolation, match="laatste eigenaar"):
        services.give_up_ownership(personas["onderzoeker"], question)
    services.take_ownership(personas["professional"], question)
    services.give_up_ownership(personas["onderzoeker"], question)
    assert list(question.owners.all()) == [personas["professional"]]


def test_the_reisbegeleider_assigns_owners_and_helpers(personas, journey, make_question):
    question = make_question(Status.GEPRIORITEERD, journey=journey)
    services.set_plan(
        personas["reisbegeleider"],
        question,
        Plan(
            approaches=["gesprekken_doelgroep", "literatuuronderzoek"],
            due_date=in_a_month(),
            owners=[personas["onderzoeker"]],
            helpers=[personas["inwoner"]],
        ),
    )
    question.refresh_from_db()
    assert question.approaches == ["literatuuronderzoek", "gesprekken_doelgroep"]
    assert list(question.owners.all()) == [personas["onderzoeker"]]
    assert list(question.helpers.all()) == [personas["inwoner"]]
    assert {personas["onderzoeker"], personas["inwoner"]} <= set(question.followers.all())


def test_only_the_reisbegeleider_assigns_owners(personas, journey, make_question):
    question = make_question(Status.IN_ONDERZOEK, journey=journey)
    with pytest.raises(PermissionDenied, match="eigenaren"):
        services.set_plan(
            personas["onderzoeker"],
            question,
            Plan(approaches=["data_analyse"], due_date=in_a_month(), owners=[personas["inwoner"]]),
        )


def test_an_outsider_cannot_be_made_owner(personas, journey, make_question):
    question = make_question(Status.GEPRIORITEERD, journey=journey)
    before = snapshot(question)
    with pytest.raises(RuleViolation, match="Eigenaren"):
        services.set_plan(
            personas["reisbegeleider"],
            question,
            Plan(approaches=["data_analyse"], due_date=in_a_month(), owners=[personas["trainer"]]),
        )
    assert snapshot(question) == before


def test_the_plan_no_longer_changes_once_answered(personas, journey, make_question):
    question = make_question(Status.BEANTWOORD, journey=journey)
    with pytest.raises(RuleViolation, match="onderzoek is klaar"):
        services.set_plan(
            personas["reisbegeleider"], question, Plan(approaches=["data_analyse"], due_date=None)
        )


# --- Follow-ups and evidence --------------------------------------------------------------


def test_a_question_raises_follow_ups_linked_both_ways(personas, journey, make_question):
    parent = make_question(Status.GEDUID, journey=journey)
    child = services.raise_question(
        personas["opdrachtgever"],
        question="Geldt dit ook voor jongeren?",
        journey=journey,
        follows_up=parent,
    )
    assert child.follows_up == parent
    assert list(parent.follow_ups.all()) == [child]


def test_no_follow_up_of_a_question_you_may_not_see(personas, closed_journey, make_question):
    hidden = make_question(Status.BEANTWOORD, journey=closed_journey)
    with pytest.raises(PermissionDenied):
        services.raise_question(personas["trainer"], question="En nu?", follows_up=hidden)
    assert not LearningQuestion.objects.filter(follows_up=hidden).exists()


def test_werkzame_elementen_and_stories_are_linked_as_evidence(personas, journey, make_question):
    from learning.models import HomePage, KnowledgeIndexPage, WorkingElementPage

    home = HomePage.objects.get()
    index = home.add_child(instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank"))
    element = index.add_child(
        instance=WorkingElementPage(
            title="Vast maatje", summary="Een maatje.", mechanism="<p>x</p>"
        )
    )
    story = story_services.tell_story(
        personas["inwoner"],
        story_services.StoryDetails(
            title="Mijn maatje",
            text="Sinds ik een maatje heb, ga ik weer naar buiten.",
            perspective=Story.Perspective.INWONER,
            journey=journey,
        ),
    )
    question = make_question(Status.BEANTWOORD, journey=journey)
    services.link_evidence(
        personas["onderzoeker"], question, working_elements=[element], stories=[story]
    )
    assert list(question.working_elements.all()) == [element]
    assert list(question.stories.all()) == [story]
    assert list(element.learning_questions.all()) == [question]
    with pytest.raises(PermissionDenied):
        services.link_evidence(personas["inwoner"], question, working_elements=[element])


# --- The discussion -----------------------------------------------------------------------


def test_the_first_comment_starts_the_discussion_in_the_journeys_forum(
    personas, journey, make_question
):
    question = make_question(Status.INGEDIEND, journey=journey)
    assert question.discussion_thread is None
    first = services.comment(personas["opdrachtgever"], question, "Goede vraag, wie pakt dit op?")
    question.refresh_from_db()
    thread = question.discussion_thread
    assert thread.journey == journey
    assert first.thread == thread and first.number == 1
    assert f"/leervragen/{question.pk}/" in first.body_html
    assert "wie pakt dit op" in first.body
    second = services.comment(personas["reisbegeleider"], question, "Ik zet hem op de agenda.")
    assert second.thread == thread and second.number == 2
    assert Thread.objects.count() == 1


def test_a_network_wide_question_is_discussed_on_the_plein(personas, make_question):
    question = make_question(Status.INGEDIEND, journey=None)
    services.comment(personas["trainer"], question, "Ik heb hier een training over.")
    question.refresh_from_db()
    thread = question.discussion_thread
    assert thread.journey is None and thread.category.slug == "leervragen"


def test_a_meelezer_may_read_but_not_comment(personas, journey, make_question):
    question = make_question(Status.INGEDIEND, journey=journey)
    with pytest.raises(PermissionDenied):
        services.comment(personas["inwoner"], question, "Mag ik iets zeggen?")
    assert LearningQuestion.objects.get(pk=question.pk).discussion_thread is None


# --- Notifications ------------------------------------------------------------------------


def test_followers_hear_of_every_move_but_not_of_their_own(personas, journey, make_question):
    question = make_question(Status.INGEDIEND, journey=journey)
    services.follow(personas["inwoner"], question)
    services.move(personas["reisbegeleider"], question, Status.GEPRIORITEERD)
    to = {n.user for n in Notification.objects.filter(kind="update")}
    assert to == {personas["professional"], personas["inwoner"]}
    notification = Notification.objects.get(user=personas["inwoner"])
    assert notification.actor == personas["reisbegeleider"]
    assert notification.url == f"/leervragen/{question.pk}/"
    assert notification.journey == journey
    assert notification.summary == (
        f"Rosa Verhoeven zette “{question.question}” van ingediend op geprioriteerd."
    )
    services.move(personas["reisbegeleider"], question, Status.GEPARKEERD, note="Later.")
    assert Notification.objects.filter(user=personas["inwoner"]).count() == 2
    assert not Notification.objects.filter(user=personas["reisbegeleider"]).exists()


def test_followers_hear_of_a_new_answer(personas, journey, make_question):
    question = make_question(Status.BEANTWOORD, journey=journey)
    services.follow(personas["inwoner"], question)
    before = Notification.objects.filter(user=personas["inwoner"]).count()
    services.save_answer(
        personas["onderzoeker"], question, text="Een scherper antwoord.", confidence="hoog"
    )
    assert Notification.objects.filter(user=personas["inwoner"]).count() == before + 1
    from learning.leervragen import notify

    assert notify.revised_summary(question, personas["onderzoeker"]) == (
        f"Omar El Amrani gaf een nieuw antwoord op “{question.question}”."
    )


def test_a_follower_who_left_a_besloten_journey_hears_nothing_more(
    personas, closed_journey, make_question
):
    from journeys import services as journey_services

    question = make_question(Status.INGEDIEND, journey=closed_journey)
    services.follow(personas["inwoner"], question)
    journey_services.leave(personas["inwoner"], closed_journey)
    services.move(personas["reisbegeleider"], question, Status.GEPRIORITEERD)
    assert not Notification.objects.filter(user=personas["inwoner"]).exists()
    assert Notification.objects.filter(user=personas["professional"]).exists()


def test_unfollowing_stops_the_notifications(personas, journey, make_question):
    question = make_question(Status.INGEDIEND, journey=journey)
    services.unfollow(personas["professional"], question)
    services.move(personas["reisbegeleider"], question, Status.GEPRIORITEERD)
    assert not Notification.objects.exists()
