"""Proposing a werkzaam element to the editors from a journey, with its stories as the
evidence: a draft page in the kennisbank waiting in the editors' workflow, the editors
told in the app, tellers' choices respected; the form and the journey's list of what it
proposed."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from wagtail.models import WorkflowPage

from community.models import AuditEntry, Notification
from journeys.models import Journey, Story
from journeys.reports import proposals
from journeys.reports.models import ElementProposal
from journeys.services import RuleViolation
from journeys.stories import services as story_services
from learning.editorial import setup_editorial
from learning.models import HomePage, KnowledgeIndexPage, WorkingElementPage
from learning.models.knowledge import EvidenceLevel
from tests.journeys.test_stories import consent, details

pytestmark = pytest.mark.django_db

V = Story.Visibility
TEXT = {
    "title": "Een vaste buurtgenoot neemt je mee",
    "summary": "Een buurtgenoot haalt iemand de eerste keer op voor de koffieochtend.",
    "mechanism": "De drempel is de eerste keer.\n\nMet iemand erbij durf je wel.",
    "target_group": "Ouderen die alleen wonen.",
    "context": "Lindendal, met het buurthuis en de wijkverpleging.",
}


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def kennisbank(personas) -> KnowledgeIndexPage:
    """The home page with a live kennisbank, and the editors' workflow on the site."""
    home = HomePage.objects.get()
    index = home.add_child(
        instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank", live=False)
    )
    index.save_revision().publish()
    setup_editorial(home=home, knowledge=index, courses=None)
    return index


@pytest.fixture
def journey(make_journey, kennisbank):
    return make_journey()


def tell(user, journey, title="Koffie bij de buurvrouw", **fields) -> Story:
    fields.setdefault("visibility", V.NETWERK)
    return story_services.tell_story(user, details(title, journey=journey, **fields))


def propose(actor, journey, stories, **text):
    return proposals.propose_element(
        actor, journey, **{**TEXT, **text}, story_ids=[story.pk for story in stories]
    )


def page_text(page: WorkingElementPage) -> str:
    """Everything the page and its revisions hold, as text."""
    revisions = [json.dumps(r.content) for r in page.revisions.all()]
    live = WorkingElementPage.objects.get(pk=page.pk)
    return json.dumps(live.sources.get_prep_value()) + "".join(revisions)


# --- The draft page in the editors' workflow -------------------------------------------------


def test_a_proposal_is_a_draft_in_the_kennisbank_waiting_for_the_editors(
    client, journey, kennisbank, personas
):
    reiziger = personas["professional"]
    first = tell(personas["inwoner"], journey, "Koffie bij de buurvrouw")
    second = tell(reiziger, journey, "De eerste keer samen")

    proposal = propose(reiziger, journey, [first, second])

    page = WorkingElementPage.objects.get(pk=proposal.page_id)
    assert page.get_parent().pk == kennisbank.pk
    assert not page.live and page.workflow_in_progress
    assert page.title == TEXT["title"] and page.owner == reiziger
    assert page.evidence_level == EvidenceLevel.NOT_ASSESSED
    assert "<p>De drempel is de eerste keer.</p>" in page.mechanism
    assert set(proposal.stories.all()) == {first, second}
    assert proposal.journey == journey and proposal.proposed_by == reiziger
    entry = AuditEntry.objects.get(action="journey.element_proposed")
    assert entry.data["page"] == page.pk and entry.target_id == str(journey.pk)

    # Not public: the kennisbank address of the draft is not found.
    assert client.get(f"/kennisbank/{page.slug}/").status_code == 404

    # The editors find it in the CMS; the hoofdredacteur may approve it.
    task = page.current_workflow_task.specific
    hoofdredacteur, redacteur = personas["hoofdredacteur"], personas["redacteur"]
    assert "approve" in [name for name, *_ in task.get_actions(page, hoofdredacteur)]
    for editor in (hoofdredacteur, redacteur):
        client.force_login(editor)
        response = client.get(f"/cms/pages/{page.pk}/edit/")
        assert response.status_code == 200
        assert TEXT["title"] in response.content.decode()
    client.force_login(hoofdredacteur)
    assert TEXT["title"] in client.get("/cms/").content.decode()  # "awaiting your review"


def test_the_evidence_is_listed_as_sources_and_anonymous_tellers_stay_anonymous(journey, personas):
    reiziger = personas["professional"]
    named = tell(personas["inwoner"], journey, "Koffie bij de buurvrouw")
    anonymous = tell(reiziger, journey, "Niemand belde meer", display=Story.Display.ANONYMOUS)
    recorded, _code = story_services.record_story(
        reiziger,
        details(
            "Henk vertelt",
            journey=journey,
            visibility=V.BESLOTEN,
            teller_name="Henk Verbeek",
            display=Story.Display.ANONYMOUS,
        ),
        consent(V.BESLOTEN),
    )

    page = propose(reiziger, journey, [named, anonymous, recorded]).page
    sources = {block.value["title"]: block.value for block in page.sources}

    assert set(sources) == {"Koffie bij de buurvrouw", "Niemand belde meer", "Henk vertelt"}
    assert sources["Koffie bij de buurvrouw"]["url"] == f"{settings.BASE_URL}/verhalen/{named.pk}/"
    assert "Ilse" in sources["Koffie bij de buurvrouw"]["note"]
    text = page_text(page)
    for name in ("Pieter", "de Wit", "Verbeek"):
        assert name not in text
    assert "anoniem" in sources["Niemand belde meer"]["note"]


def test_the_editors_hear_of_it_in_the_app(journey, personas):
    reiziger = personas["professional"]
    page = propose(reiziger, journey, [tell(reiziger, journey)]).page

    notified = Notification.objects.filter(kind=Notification.Kind.UPDATE)
    assert {n.user for n in notified} == {personas["redacteur"], personas["hoofdredacteur"]}
    for notification in notified:
        assert notification.url == f"/cms/pages/{page.pk}/edit/"
        assert TEXT["title"] in notification.summary and journey.title in notification.summary


def test_a_closed_journey_is_not_named_to_the_editors(make_journey, kennisbank, personas):
    closed = make_journey("Besloten reis", visibility=Journey.Visibility.BESLOTEN)
    reiziger = personas["professional"]
    propose(reiziger, closed, [tell(reiziger, closed, visibility=V.BESLOTEN)])

    summaries = list(Notification.objects.values_list("summary", flat=True))
    assert len(summaries) == 2
    assert all("Besloten reis" not in summary for summary in summaries)


def test_without_a_workflow_the_draft_is_still_made_and_the_editors_told(journey, personas):
    WorkflowPage.objects.all().delete()
    reiziger = personas["professional"]
    page = propose(reiziger, journey, [tell(reiziger, journey)]).page

    page.refresh_from_db()
    assert not page.live and not page.workflow_in_progress
    assert Notification.objects.count() == 2


def test_without_a_kennisbank_nothing_is_made(make_journey, personas):
    journey = make_journey()
    reiziger = personas["professional"]
    story = tell(reiziger, journey)
    with pytest.raises(RuleViolation, match="kennisbank"):
        propose(reiziger, journey, [story])
    assert not ElementProposal.objects.exists()


# --- Refusals -------------------------------------------------------------------------------


def _refusal(case, journey, personas, make_journey):
    reiziger = personas["professional"]
    story = tell(personas["inwoner"], journey)
    if case == "meelezer":
        return personas["inwoner"], [story], {}
    if case == "non-member":
        return personas["onderzoeker"], [story], {}
    if case == "withdrawn":
        story_services.withdraw_story(personas["inwoner"], story)
        return reiziger, [story], {}
    if case == "private":
        return reiziger, [tell(reiziger, journey, visibility=V.PRIVE)], {}
    if case == "other journey":
        other = make_journey("Andere reis")
        return reiziger, [tell(reiziger, other)], {}
    if case == "no stories":
        return reiziger, [], {}
    if case == "empty title":
        return reiziger, [story], {"title": "   "}
    if case == "no mechanism":
        return reiziger, [story], {"mechanism": ""}
    raise AssertionError(case)


@pytest.mark.parametrize(
    ("case", "refusal", "message"),
    [
        ("meelezer", PermissionDenied, None),
        ("non-member", PermissionDenied, None),
        ("withdrawn", RuleViolation, "ingetrokken"),
        ("private", RuleViolation, "privéverhaal"),
        ("other journey", RuleViolation, "deze reis"),
        ("no stories", RuleViolation, "minstens één"),
        ("empty title", RuleViolation, "naam"),
        ("no mechanism", RuleViolation, "waarom het werkt"),
    ],
)
def test_refused_proposals_change_nothing(case, refusal, message, journey, personas, make_journey):
    actor, stories, text = _refusal(case, journey, personas, make_journey)
    pages = WorkingElementPage.objects.count()
    with pytest.raises(refusal, match=message):
        propose(actor, journey, stories, **text)
    assert WorkingElementPage.objects.count() == pages
    assert not ElementProposal.objects.exists()
    assert not Notification.objects.exists()
    assert not AuditEntry.objects.filter(action="journey.element_proposed").exists()


def test_a_story_someone_else_keeps_private_cannot_be_cited_by_number(journey, personas):
    """Not even its number gives it away: the same answer as for any other story."""
    private = tell(personas["inwoner"], journey, visibility=V.PRIVE)
    with pytest.raises(RuleViolation):
        propose(personas["professional"], journey, [private])


# --- A withdrawn story leaves the proposal ---------------------------------------------------


def test_a_story_withdrawn_later_leaves_the_proposal_page_and_its_revisions(
    client, journey, personas
):
    inwoner, reiziger = personas["inwoner"], personas["professional"]
    story = tell(inwoner, journey, "Mijn geheime verhaal")
    kept = tell(reiziger, journey, "Blijft staan")
    proposal = propose(reiziger, journey, [story, kept])

    story_services.withdraw_story(inwoner, story)
    # Withdrawing erased it already; a second pass finds nothing left to erase.
    assert proposals.erase_withdrawn_story(story) == 0

    text = page_text(proposal.page)
    assert "Mijn geheime verhaal" not in text and f"/verhalen/{story.pk}/" not in text
    assert "Blijft staan" in text and proposals.WITHDRAWN_TITLE in text

    client.force_login(reiziger)
    page = client.get(f"/reizen/{journey.slug}/werkzame-elementen/").content.decode()
    assert "1 verhaal is door de verteller ingetrokken" in page
    assert "Blijft staan" in page


# --- The pages ------------------------------------------------------------------------------


def _url(journey, rest=""):
    return f"/reizen/{journey.slug}/werkzame-elementen/{rest}"


def test_the_form_lists_the_journeys_stories_a_reiziger_may_cite(client, journey, personas):
    reiziger = personas["professional"]
    tell(personas["inwoner"], journey, "Koffie bij de buurvrouw", quote="Ik voel me gezien")
    tell(reiziger, journey, "Mijn eigen aantekening", visibility=V.PRIVE)
    tell(personas["opdrachtgever"], journey, "Zonder naam", display=Story.Display.ANONYMOUS)
    gone = tell(personas["inwoner"], journey, "Ingetrokken verhaal van Ilse")
    story_services.withdraw_story(personas["inwoner"], gone)

    client.force_login(reiziger)
    response = client.get(_url(journey, "voorstellen/"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Koffie bij de buurvrouw" in page and "Ik voel me gezien" in page
    assert "Zonder naam" in page and "Anonieme verteller" in page
    assert "Marieke" not in page  # the opdrachtgever who told it anonymously
    assert "Mijn eigen aantekening" not in page
    assert "Ingetrokken verhaal van Ilse" not in page


def test_who_may_propose(client, make_journey, kennisbank, personas):
    open_journey = make_journey()
    closed = make_journey("Besloten reis", visibility=Journey.Visibility.BESLOTEN)

    # A netwerk journey does not exist for a visitor who is not signed in.
    assert client.get(_url(open_journey, "voorstellen/")).status_code == 404

    client.force_login(personas["inwoner"])  # meelezer
    assert client.get(_url(open_journey, "voorstellen/")).status_code == 403
    assert client.post(_url(open_journey, "voorstellen/"), TEXT).status_code == 403
    client.force_login(personas["onderzoeker"])  # not a member
    assert client.get(_url(open_journey, "voorstellen/")).status_code == 403
    assert client.get(_url(closed, "voorstellen/")).status_code == 404
    assert client.get(_url(closed)).status_code == 404
    for role in ("reisbegeleider", "opdrachtgever", "professional"):
        client.force_login(personas[role])
        assert client.get(_url(open_journey, "voorstellen/")).status_code == 200
    assert not ElementProposal.objects.exists()


def test_proposing_through_the_form_then_the_list_shows_its_status(client, journey, personas):
    reiziger = personas["professional"]
    story = tell(personas["inwoner"], journey)
    client.force_login(reiziger)

    response = client.post(
        _url(journey, "voorstellen/"), {**TEXT, "stories": [story.pk]}, follow=True
    )

    assert response.redirect_chain[-1][0] == _url(journey)
    page = response.content.decode()
    assert "ligt bij de redactie" in page  # the message
    assert TEXT["title"] in page and "wacht op de redactie" in page
    proposal = ElementProposal.objects.get()

    # Once the hoofdredacteur approves it, the list links to the published page.
    element = proposal.page.specific
    _publish(proposal, personas["hoofdredacteur"])
    client.force_login(personas["inwoner"])  # readers of the journey see the list too
    page = client.get(_url(journey)).content.decode()
    assert "gepubliceerd in de kennisbank" in page
    assert f'href="/kennisbank/{element.slug}/"' in page
    assert client.get(f"/kennisbank/{element.slug}/").status_code == 200


def test_the_list_says_when_the_editors_sent_it_back_and_hides_stories_a_reader_may_not_read(
    client, journey, personas
):
    reiziger = personas["professional"]
    shared = tell(reiziger, journey, "Voor iedereen die inlogt")
    closed = tell(reiziger, journey, "Alleen voor de reizigers", visibility=V.BESLOTEN)
    proposal = propose(reiziger, journey, [shared, closed])
    state = proposal.page.current_workflow_task_state
    state.task.specific.on_action(state, personas["hoofdredacteur"], "reject")

    client.force_login(personas["onderzoeker"])  # signed in, not a member
    page = client.get(_url(journey)).content.decode()
    assert "teruggestuurd door de redactie" in page
    assert "Voor iedereen die inlogt" in page
    assert "Alleen voor de reizigers" not in page
    assert "Nog 1 verhaal dat alleen anderen mogen lezen" in page
    assert "Stel een werkzaam element voor" not in page  # only contributors propose


@pytest.mark.parametrize(
    ("post", "error"),
    [
        ({**TEXT, "title": ""}, "verplicht"),
        ({**TEXT}, "minstens één verhaal"),
        ({**TEXT, "stories": ["999999"]}, "verhalen van deze reis"),
        ({**TEXT, "stories": ["geen-getal"]}, "minstens één verhaal"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_made(client, journey, personas, post, error):
    tell(personas["inwoner"], journey, "Koffie bij de buurvrouw")
    client.force_login(personas["professional"])

    response = client.post(_url(journey, "voorstellen/"), post)

    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    assert TEXT["summary"] in page  # what was typed is kept
    assert not ElementProposal.objects.exists()
    assert not WorkingElementPage.objects.exists()


# --- Query counts ---------------------------------------------------------------------------


def test_the_form_query_count_is_pinned(client, journey, personas, django_assert_num_queries):
    reiziger = personas["professional"]
    for n in range(6):
        tell(reiziger, journey, f"Verhaal {n}")
    client.force_login(reiziger)
    client.get(_url(journey, "voorstellen/"))
    # Session, user, journey, role, the stories, and what the base page asks.
    with django_assert_num_queries(FORM_QUERIES):
        assert client.get(_url(journey, "voorstellen/")).status_code == 200


def _publish(proposal, hoofdredacteur):
    state = proposal.page.current_workflow_task_state
    state.task.specific.on_action(state, hoofdredacteur, "approve")


def test_the_list_query_count_does_not_grow_with_proposals(
    client, journey, personas, django_assert_num_queries
):
    reiziger, hoofdredacteur = personas["professional"], personas["hoofdredacteur"]
    stories = [tell(reiziger, journey, f"Verhaal {n}") for n in range(4)]
    _publish(propose(reiziger, journey, stories[:2]), hoofdredacteur)
    propose(reiziger, journey, stories[2:], title="Nog in behandeling")
    client.force_login(personas["inwoner"])
    client.get(_url(journey))
    # Session, user, journey, role, the proposals with their pages, their stories, which
    # of those the reader may read, the drafts' workflow states, the site (for the links
    # to published pages) and the header's notification count.
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(_url(journey)).status_code == 200
    for n in range(3):
        proposal = propose(reiziger, journey, stories[n:], title=f"Element {n}")
        if n:
            _publish(proposal, hoofdredacteur)
    client.get(_url(journey))  # Wagtail caches the site's root paths once per change
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(_url(journey)).status_code == 200


FORM_QUERIES = 6
LIST_QUERIES = 10
