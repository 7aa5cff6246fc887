"""The leervragen pages: the list with its filters and sorts, the kanban board and moving
a card, "mijn leervragen", the gap map, raising a question from where it came up, the
question page with its timeline and discussion; bad input answered with a clear Dutch
message and nothing changed; and the query count of every page pinned, the same for a
handful of questions and for thousands."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from community.services import forum
from journeys.models import Journey
from learning.leervragen import services
from learning.leervragen.services import Plan
from learning.models import (
    LearningQuestion,
    LearningQuestionFollower,
    LearningQuestionMove,
    LearningQuestionVote,
)
from tests.learning.test_leervragen_fixtures import (  # noqa: F401  (fixtures)
    Status,
    closed_journey_fixture,
    in_a_month,
    journey_fixture,
    make_question_fixture,
)

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


# --- The list, its filters and sorts --------------------------------------------------------


def test_the_list_filters_by_status_journey_theme_owner_and_mine(
    client, personas, journey, make_question
):
    researched = make_question(Status.IN_ONDERZOEK, journey=journey, text="Vraag in onderzoek?")
    make_question(Status.INGEDIEND, journey=journey, text="Nieuwe vraag?", themes=("armoede",))
    network = make_question(Status.INGEDIEND, journey=None, text="Netwerkvraag?")
    client.force_login(personas["onderzoeker"])

    def listed(**params) -> list[str]:
        response = client.get("/leervragen/", params)
        assert response.status_code == 200
        return [row["question"].question for row in response.context["rows"]]

    assert set(listed()) == {"Vraag in onderzoek?", "Nieuwe vraag?", "Netwerkvraag?"}
    assert listed(status="in_onderzoek") == ["Vraag in onderzoek?"]
    assert listed(reis="netwerkbreed") == ["Netwerkvraag?"]
    assert set(listed(reis=journey.slug)) == {"Vraag in onderzoek?", "Nieuwe vraag?"}
    assert listed(thema="armoede") == ["Nieuwe vraag?"]
    assert listed(eigenaar=str(personas["onderzoeker"].pk)) == ["Vraag in onderzoek?"]
    services.follow(personas["onderzoeker"], network)
    assert set(listed(mijn="on")) == {"Vraag in onderzoek?", "Netwerkvraag?"}
    assert researched.pk  # the owner's own question is "mine"


def test_the_list_sorts_by_votes_or_by_the_reisbegeleiders_order(
    client, personas, journey, make_question
):
    first = make_question(journey=journey, text="Eerste?")
    second = make_question(journey=journey, text="Tweede?")
    services.vote(personas["inwoner"], second)
    services.set_position(personas["reisbegeleider"], first, 1)
    client.force_login(personas["reisbegeleider"])

    def order(sort: str) -> list[str]:
        response = client.get(f"/reizen/{journey.slug}/leervragen/", {"sortering": sort})
        return [row["question"].question for row in response.context["rows"]]

    assert order("stemmen") == ["Tweede?", "Eerste?"]
    assert order("volgorde") == ["Eerste?", "Tweede?"]
    page = html(client.get(f"/reizen/{journey.slug}/leervragen/"))
    assert "Plaats in de volgorde" in page  # the reisbegeleider orders from the journey tab


def test_an_unknown_filter_value_is_a_clear_400(client, personas):
    client.force_login(personas["professional"])
    response = client.get("/leervragen/", {"status": "verzonnen"})
    assert response.status_code == 400
    assert "We kennen de filterwaarde “verzonnen” niet. Kies er een uit de lijst." in html(response)
    assert "Een filter klopt niet" in html(response)


# --- The kanban board -------------------------------------------------------------------------


def test_the_board_has_a_column_per_state_with_a_move_form_for_who_may(
    client, personas, journey, make_question
):
    question = make_question(Status.INGEDIEND, journey=journey)
    client.force_login(personas["reisbegeleider"])
    page = html(client.get("/leervragen/bord/"))
    for label in ("Ingediend", "Geprioriteerd", "In onderzoek", "Beantwoord", "Geduid"):
        assert f">{label} <" in page
    assert f'action="/leervragen/{question.pk}/status/"' in page
    assert "Verplaats naar" in page

    client.force_login(personas["inwoner"])
    assert f'action="/leervragen/{question.pk}/status/"' not in html(
        client.get("/leervragen/bord/")
    )


def _questions_in(journey, count: int, status: str = Status.INGEDIEND, word: str = "Vraag"):
    """`count` questions in one state, made with bulk_create; question n has n votes, so
    the board shows the ones with the most votes first."""
    return LearningQuestion.objects.bulk_create(
        LearningQuestion(question=f"{word} {n:02d}?", journey=journey, status=status, vote_count=n)
        for n in range(count)
    )


def _cards(page: str, status: str) -> list[str]:
    """The questions on the cards of one column, in order."""
    column = page.split(f'id="kolom-{status}"', 1)[1].split("</section>", 1)[0]
    return re.findall(
        r'leervragen-card__title"><a class="utrecht-link" href="[^"]+">([^<]+)<', column
    )


def test_a_full_column_shows_25_cards_and_a_link_to_all_of_them(client, personas, journey):
    _questions_in(journey, 30)
    _questions_in(journey, 3, Status.GEPRIORITEERD, word="Gekozen")
    client.force_login(personas["inwoner"])
    board = f"/reizen/{journey.slug}/leervragen/bord/"
    page = html(client.get(board))

    shown = _cards(page, Status.INGEDIEND)
    assert shown == [f"Vraag {n:02d}?" for n in range(29, 4, -1)]  # most votes first
    assert (
        'id="kolom-ingediend">Ingediend <span class="leervragen-column__count">(30)</span>' in page
    )
    link = (
        f'href="/reizen/{journey.slug}/leervragen/?status=ingediend&amp;sortering=volgorde">'
        'Toon alle 30<span class="platform-visually-hidden"> · ingediend</span></a>'
    )
    assert link in page
    # A column that fits shows every card and no link.
    assert len(_cards(page, Status.GEPRIORITEERD)) == 3
    assert "?status=geprioriteerd" not in page

    # The link: the list of that state in the column's order, all 30 over its pages.
    listed = []
    for number in (1, 2):
        response = client.get(
            f"/reizen/{journey.slug}/leervragen/",
            {"status": "ingediend", "sortering": "volgorde", "pagina": number},
        )
        assert response.status_code == 200
        assert "30 leervragen" in html(response)
        listed += [row["question"].question for row in response.context["rows"]]
    assert listed[:25] == shown
    assert sorted(listed) == sorted(f"Vraag {n:02d}?" for n in range(30))


def test_the_column_counts_are_the_true_totals_with_filters_and_for_each_viewer(
    client, personas, journey, closed_journey, make_question
):
    _questions_in(journey, 40)
    _questions_in(closed_journey, 7, word="Besloten")
    make_question(Status.IN_ONDERZOEK, journey=journey, themes=("armoede",))
    make_question(Status.INGEDIEND, journey=journey, themes=("armoede",))

    def counts(url: str, **params) -> dict[str, int]:
        page = html(client.get(url, params))
        return {
            status: int(found)
            for status, found in re.findall(
                r'id="kolom-(\w+)">[^<]*<span class="leervragen-column__count">\((\d+)\)', page
            )
        }

    client.force_login(personas["trainer"])  # no member of either journey
    board = f"/reizen/{journey.slug}/leervragen/bord/"
    assert counts(board) == {
        "ingediend": 41,
        "geprioriteerd": 0,
        "in_onderzoek": 1,
        "beantwoord": 0,
        "geduid": 0,
        "afgesloten": 0,
        "geparkeerd": 0,
    }
    assert counts(board, thema="armoede")["ingediend"] == 1
    assert counts("/leervragen/bord/")["ingediend"] == 41  # the besloten ones not counted
    assert "Toon alle 41" in html(client.get("/leervragen/bord/"))
    client.force_login(personas["onderzoeker"])  # reads along in the besloten journey
    assert counts("/leervragen/bord/")["ingediend"] == 48


def test_an_owner_may_move_only_the_cards_they_own(client, personas, journey, make_question):
    owned = make_question(Status.IN_ONDERZOEK, journey=journey, owner=personas["professional"])
    other = make_question(Status.IN_ONDERZOEK, journey=journey, owner=personas["opdrachtgever"])
    client.force_login(personas["professional"])
    page = html(client.get(f"/reizen/{journey.slug}/leervragen/bord/"))
    assert f'action="/leervragen/{owned.pk}/status/"' in page
    assert f'action="/leervragen/{other.pk}/status/"' not in page
    assert 'name="next" value="/reizen/' in page
    assert "Eigenaren:" in page


def test_moving_a_card_from_the_board_by_keyboard_form(client, personas, journey, make_question):
    question = make_question(Status.INGEDIEND, journey=journey)
    client.force_login(personas["reisbegeleider"])
    response = client.post(
        f"/leervragen/{question.pk}/status/",
        {"naar": Status.GEPRIORITEERD, "next": "/leervragen/bord/"},
    )
    assert response.status_code == 302 and response["Location"] == "/leervragen/bord/"
    question.refresh_from_db()
    assert question.status == Status.GEPRIORITEERD
    page = html(client.get("/leervragen/bord/"))
    assert "is nu geprioriteerd" in page


def test_a_refused_move_says_why_and_changes_nothing(client, personas, journey, make_question):
    question = make_question(Status.INGEDIEND, journey=journey)
    client.force_login(personas["professional"])
    response = client.post(f"/leervragen/{question.pk}/status/", {"naar": Status.GEPRIORITEERD})
    assert response.status_code == 403
    assert "Alleen de reisbegeleider kan leervragen prioriteren." in html(response)
    question.refresh_from_db()
    assert question.status == Status.INGEDIEND
    assert question.moves.count() == 1


def test_marking_answered_without_an_answer_is_a_400_and_changes_nothing(
    client, personas, journey, make_question
):
    question = make_question(Status.IN_ONDERZOEK, journey=journey)
    client.force_login(personas["onderzoeker"])
    response = client.post(f"/leervragen/{question.pk}/status/", {"naar": Status.BEANTWOORD})
    assert response.status_code == 400
    assert "Schrijf eerst het antwoord: een leervraag is pas beantwoord met een antwoord." in html(
        response
    )
    assert LearningQuestion.objects.get(pk=question.pk).status == Status.IN_ONDERZOEK


def test_parking_without_a_reason_is_a_400(client, personas, journey, make_question):
    question = make_question(Status.GEPRIORITEERD, journey=journey)
    client.force_login(personas["reisbegeleider"])
    response = client.post(f"/leervragen/{question.pk}/status/", {"naar": Status.GEPARKEERD})
    assert response.status_code == 400
    assert "Zeg waarom de leervraag geparkeerd wordt." in html(response)
    response = client.post(
        f"/leervragen/{question.pk}/status/",
        {"naar": Status.GEPARKEERD, "toelichting": "Wachten op de nulmeting."},
    )
    assert response.status_code == 302
    assert LearningQuestion.objects.get(pk=question.pk).status == Status.GEPARKEERD


# --- Votes ------------------------------------------------------------------------------------


def test_a_second_vote_is_refused_with_a_clear_message(client, personas, journey, make_question):
    question = make_question(Status.INGEDIEND, journey=journey)
    client.force_login(personas["inwoner"])
    assert client.post(f"/leervragen/{question.pk}/stem/").status_code == 302
    response = client.post(f"/leervragen/{question.pk}/stem/")
    assert response.status_code == 400
    assert "Je hebt al op deze leervraag gestemd." in html(response)
    assert LearningQuestion.objects.get(pk=question.pk).vote_count == 1
    assert LearningQuestionVote.objects.filter(question=question).count() == 1
    # The page offers to withdraw the vote instead (the toggle).
    assert "Stem intrekken" in html(client.get(f"/leervragen/{question.pk}/"))
    client.post(f"/leervragen/{question.pk}/stem/", {"actie": "intrekken"})
    assert LearningQuestion.objects.get(pk=question.pk).vote_count == 0


# --- Forms: plan, answer, duiding ---------------------------------------------------------


def test_a_due_date_in_the_past_is_a_400_and_nothing_changes(
    client, personas, journey, make_question
):
    question = make_question(Status.GEPRIORITEERD, journey=journey)
    client.force_login(personas["reisbegeleider"])
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        f"/leervragen/{question.pk}/aanpak/",
        {"approaches": ["data_analyse"], "due_date": yesterday.isoformat()},
    )
    assert response.status_code == 400
    assert (
        f"De streefdatum {yesterday:%d-%m-%Y} ligt in het verleden: kies vandaag of een latere dag."
        in html(response)
    )
    question.refresh_from_db()
    assert (question.due_date, question.approaches) == (None, [])


def test_the_reisbegeleider_plans_with_owners_helpers_approach_and_due_date(
    client, personas, journey, make_question
):
    question = make_question(Status.GEPRIORITEERD, journey=journey)
    client.force_login(personas["reisbegeleider"])
    form = client.get(f"/leervragen/{question.pk}/aanpak/")
    assert "Omar El Amrani" in html(form)  # the researcher may own it
    response = client.post(
        f"/leervragen/{question.pk}/aanpak/",
        {
            "approaches": ["literatuuronderzoek", "gesprekken_experts"],
            "due_date": in_a_month().isoformat(),
            "owners": [str(personas["onderzoeker"].pk)],
            "helpers": [str(personas["inwoner"].pk)],
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.approaches == ["literatuuronderzoek", "gesprekken_experts"]
    assert list(question.owners.all()) == [personas["onderzoeker"]]
    assert list(question.helpers.all()) == [personas["inwoner"]]


def test_an_answer_without_text_is_a_400_and_nothing_is_stored(
    client, personas, journey, make_question
):
    question = make_question(Status.IN_ONDERZOEK, journey=journey)
    client.force_login(personas["onderzoeker"])
    response = client.post(
        f"/leervragen/{question.pk}/antwoord/",
        {"answer": "", "sources": "", "confidence": "hoog"},
    )
    assert response.status_code == 400
    assert "Schrijf eerst het antwoord" in html(response)
    assert "Er is niets opgeslagen" in html(response)
    assert LearningQuestion.objects.get(pk=question.pk).answer == ""
    response = client.post(
        f"/leervragen/{question.pk}/antwoord/",
        {"answer": "Ja.", "sources": "Verslag | ftp://example.org/x", "confidence": "hoog"},
    )
    assert response.status_code == 400
    assert "begin het met https://" in html(response)
    assert LearningQuestion.objects.get(pk=question.pk).answer == ""


def test_an_owner_answers_and_the_reisbegeleider_records_the_duiding(
    client, personas, journey, make_question
):
    question = make_question(Status.IN_ONDERZOEK, journey=journey)
    client.force_login(personas["onderzoeker"])
    response = client.post(
        f"/leervragen/{question.pk}/antwoord/",
        {
            "answer": "Een maatje helpt wie alleen woont.",
            "sources": "Literatuurscan | https://example.org/scan",
            "confidence": "midden",
        },
    )
    assert response.status_code == 302
    page = html(client.get(f"/leervragen/{question.pk}/"))
    assert "Een maatje helpt wie alleen woont." in page
    assert 'href="https://example.org/scan"' in page
    assert "Zekerheid: midden" in page

    client.force_login(personas["reisbegeleider"])
    today = timezone.localdate()
    response = client.post(
        f"/leervragen/{question.pk}/duiding/",
        {"duiding": "We zetten in op maatjes.", "on": today.isoformat(), "participants": "Allen"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.GEDUID
    page = html(client.get(f"/leervragen/{question.pk}/"))
    assert "We zetten in op maatjes." in page
    assert "Rosa Verhoeven zette hem van beantwoord op geduid" in page  # the timeline


# --- Raising, follow-ups and the discussion ---------------------------------------------


def test_raising_from_a_thread_prefills_where_it_came_from(client, personas, journey):
    thread = forum.start_thread(
        personas["professional"], title="Wie komt er niet?", body="Vraag.", journey=journey
    )
    client.force_login(personas["professional"])
    form = client.get("/leervragen/nieuw/", {"onderwerp": thread.pk})
    assert form.status_code == 200
    assert "Deze vraag komt uit het onderwerp “Wie komt er niet?”." in html(form)
    response = client.post(
        "/leervragen/nieuw/",
        {
            "onderwerp": str(thread.pk),
            "journey": journey.slug,
            "question": "Waarom komen mannen minder vaak?",
            "context": "",
            "themes": "eenzaamheid, mannen",
        },
    )
    assert response.status_code == 302
    question = LearningQuestion.objects.get()
    assert (question.raised_in_thread, question.journey) == (thread, journey)
    assert sorted(question.themes.names()) == ["eenzaamheid", "mannen"]
    assert "In het onderwerp" in html(client.get(question.get_absolute_url()))


def _card(personas, journey, *, anonymous=False):
    from community.services import boards

    lead = personas["reisbegeleider"]
    board = boards.create_board(
        lead, journey, boards.BoardDetails(title="Drie perspectieven"), template="perspectieven"
    )
    boards.set_state(lead, board, "open")
    return boards.post_card(
        personas["professional"],
        board,
        body="Mannen komen minder vaak naar de inloop.",
        column_id=board.columns.first().pk,
        row_id=board.rows.first().pk,
        anonymous=anonymous,
    )


def test_raising_from_a_board_card_keeps_it_in_the_cards_journey(client, personas, journey):
    card = _card(personas, journey, anonymous=True)
    client.force_login(personas["opdrachtgever"])
    form = client.get("/leervragen/nieuw/", {"kaart": card.pk})
    assert "Deze vraag komt van een kaart op het bord “Drie perspectieven”." in html(form)
    assert f"Hij hoort bij de reis {journey.title}." in html(form)
    response = client.post(
        "/leervragen/nieuw/",
        {"kaart": str(card.pk), "journey": journey.slug, "question": "Wat trekt mannen aan?"},
    )
    assert response.status_code == 302
    question = LearningQuestion.objects.get()
    assert (question.raised_from_card, question.journey) == (card, journey)
    page = html(client.get(question.get_absolute_url()))
    assert "Mannen komen minder vaak naar de inloop." in page
    assert "Pieter" not in page  # an anonymous card stays anonymous


def test_raising_from_a_meeting(client, personas, journey):
    from community.models import Event
    from community.services import events
    from community.services.events import EventDetails

    start = timezone.now() - timedelta(days=2)
    event = events.create_event(
        personas["reisbegeleider"],
        EventDetails(
            title="Leerbijeenkomst",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            form=Event.Form.FYSIEK,
            address="Buurthuis",
        ),
        journey=journey,
    )
    client.force_login(personas["professional"])
    form = client.get("/leervragen/nieuw/", {"bijeenkomst": event.pk})
    assert "Deze vraag komt uit de bijeenkomst “Leerbijeenkomst”." in html(form)
    client.post(
        "/leervragen/nieuw/",
        {"bijeenkomst": str(event.pk), "journey": journey.slug, "question": "Wat zagen we?"},
    )
    question = LearningQuestion.objects.get()
    assert question.raised_at_event == event
    assert f'href="/agenda/{event.pk}/"' in html(client.get(question.get_absolute_url()))


def test_the_raise_link_include_prefills_the_source(rf, personas):
    from django.template.loader import render_to_string

    link = render_to_string(
        "learning/leervragen/includes/raise_link.html", {"source": "kaart", "source_id": 7}
    )
    assert 'href="/leervragen/nieuw/?kaart=7"' in link


def test_a_thread_others_may_not_read_is_a_404_as_a_source(
    client, personas, closed_journey, make_journey
):
    thread = forum.start_thread(
        personas["professional"], title="Binnenskamers", body="Vraag.", journey=closed_journey
    )
    client.force_login(personas["trainer"])
    assert client.get("/leervragen/nieuw/", {"onderwerp": thread.pk}).status_code == 404


def test_raising_without_a_question_is_a_400(client, personas, journey):
    client.force_login(personas["professional"])
    response = client.post(
        "/leervragen/nieuw/", {"journey": journey.slug, "question": "", "themes": ""}
    )
    assert response.status_code == 400
    assert "Schrijf de vraag op." in html(response)
    assert not LearningQuestion.objects.exists()


def test_a_follow_up_is_linked_both_ways_on_the_pages(client, personas, journey, make_question):
    parent = make_question(Status.GEDUID, journey=journey)
    client.force_login(personas["opdrachtgever"])
    form = client.get("/leervragen/nieuw/", {"vervolg": parent.pk})
    assert "Deze vraag is een vervolg op" in html(form)
    client.post(
        "/leervragen/nieuw/",
        {
            "vervolg": str(parent.pk),
            "journey": journey.slug,
            "question": "Werkt het ook voor jongeren?",
            "themes": "",
        },
    )
    child = LearningQuestion.objects.get(follows_up=parent)
    assert "Werkt het ook voor jongeren?" in html(client.get(parent.get_absolute_url()))
    assert parent.question in html(client.get(child.get_absolute_url()))


def test_the_first_comment_starts_the_discussion_and_the_page_shows_it(
    client, personas, journey, make_question
):
    question = make_question(Status.INGEDIEND, journey=journey)
    client.force_login(personas["opdrachtgever"])
    response = client.post(f"/leervragen/{question.pk}/reactie/", {"body": "Wie pakt dit op?"})
    assert response.status_code == 302
    question.refresh_from_db()
    page = html(client.get(question.get_absolute_url()))
    assert "Wie pakt dit op?" in page
    thread_url = f"/reizen/{journey.slug}/forum/{question.discussion_thread_id}/"
    assert f'href="{thread_url}"' in page
    # The thread links back to the question.
    assert question.get_absolute_url() in html(client.get(thread_url))


def test_an_empty_comment_is_a_400_with_the_message(client, personas, journey, make_question):
    question = make_question(Status.INGEDIEND, journey=journey)
    client.force_login(personas["opdrachtgever"])
    response = client.post(f"/leervragen/{question.pk}/reactie/", {"body": "   "})
    assert response.status_code == 400
    assert "Schrijf eerst iets voordat je het plaatst." in html(response)
    assert LearningQuestion.objects.get(pk=question.pk).discussion_thread is None


# --- Mijn leervragen ------------------------------------------------------------------------


def test_mijn_leervragen_shows_what_a_researcher_owns_with_due_soon(
    client, personas, journey, make_question
):
    soon = make_question(Status.IN_ONDERZOEK, journey=journey, text="Bijna zover?")
    LearningQuestion.objects.filter(pk=soon.pk).update(
        due_date=timezone.localdate() + timedelta(days=3)
    )
    make_question(Status.INGEDIEND, journey=journey, text="Niet van mij?")
    client.force_login(personas["onderzoeker"])
    response = client.get("/leervragen/mijn/")
    owned = [row["question"].question for row in response.context["sections"][0]["rows"]]
    assert owned == ["Bijna zover?"]
    assert "bijna zover" in html(response)
    assert "moet binnen twee weken af zijn" in html(response)


# --- The gap map ----------------------------------------------------------------------------


def test_the_gap_map_counts_open_and_answered_and_never_besloten_for_outsiders(
    client, personas, journey, closed_journey, make_question
):
    make_question(Status.BEANTWOORD, journey=journey, themes=("maatjes",))
    make_question(Status.INGEDIEND, journey=journey, themes=("maatjes",))
    make_question(Status.INGEDIEND, journey=closed_journey, themes=("maatjes",))
    client.force_login(personas["inwoner"])  # a member of both
    row = _row(client.get("/leervragen/witte-vlekken/"), "maatjes")
    assert (row.cells[0].open, row.cells[0].answered) == (2, 1)

    client.force_login(personas["trainer"])  # no member of the besloten journey
    row = _row(client.get("/leervragen/witte-vlekken/"), "maatjes")
    assert (row.cells[0].open, row.cells[0].answered) == (1, 1)


def _row(response, slug):
    assert response.status_code == 200
    return next(row for row in response.context["grid"].rows if row.slug == slug)


def test_the_dashboard_panel_lists_the_open_questions(client, personas, journey, make_question):
    from journeys import panels
    from learning.leervragen import panels as leervragen_panels

    make_question(Status.GEPRIORITEERD, journey=journey, text="Open vraag?")
    make_question(Status.AFGESLOTEN, journey=journey, text="Afgeronde vraag?")
    registered = "leervragen" in panels._registry
    leervragen_panels.register()
    try:
        client.force_login(personas["inwoner"])
        page = html(client.get(journey.get_absolute_url()))
    finally:
        if not registered:
            panels.unregister("leervragen")
    assert "Open vraag?" in page
    assert "Afgeronde vraag?" not in page
    assert "Naar de leervragen" in page


# --- Query counts: pinned, the same for 20 and 2,000 questions -----------------------------

# Pinned counts (queries per page, with session and user). A change here is a change in
# how the page reads the database: look for an N+1 before raising a number.
PINNED = {
    "board": 10,
    "list": 12,
    "journey_board": 10,
    "journey_list": 13,
    "mine": 11,
    "gaps": 9,
}


def _bulk(journey: Journey, count: int, personas: dict) -> None:
    """`count` questions in every state, half in the journey, half network-wide, each with
    an owner, a theme, a follower and a vote: made with bulk_create."""
    states = list(Status.values)
    raiser, owner = personas["professional"], personas["onderzoeker"]
    made = LearningQuestion.objects.bulk_create(
        LearningQuestion(
            question=f"Bulkvraag {n}?",
            journey=journey if n % 2 else None,
            raised_by=raiser,
            status=states[n % len(states)],
            vote_count=n % 7,
            due_date=timezone.localdate() + timedelta(days=n % 30),
            approaches=["data_analyse"],
        )
        for n in range(count)
    )
    owners = LearningQuestion.owners.through
    owners.objects.bulk_create(owners(learningquestion_id=q.pk, user_id=owner.pk) for q in made)
    tag, _ = Tag.objects.get_or_create(name="bulkthema", slug="bulkthema")
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(LearningQuestion)
    TaggedItem.objects.bulk_create(
        TaggedItem(tag=tag, content_type=content_type, object_id=q.pk) for q in made
    )
    LearningQuestionFollower.objects.bulk_create(
        LearningQuestionFollower(question=q, user=owner) for q in made
    )
    LearningQuestionVote.objects.bulk_create(
        LearningQuestionVote(question=q, user=personas["reisbegeleider"]) for q in made
    )


def _count(client, url: str) -> int:
    client.get(url)  # warm caches that are not per request (content types, site root)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _page_counts(client, journey) -> dict[str, int]:
    return {
        "board": _count(client, "/leervragen/bord/"),
        "list": _count(client, "/leervragen/"),
        "journey_board": _count(client, f"/reizen/{journey.slug}/leervragen/bord/"),
        "journey_list": _count(client, f"/reizen/{journey.slug}/leervragen/"),
        "mine": _count(client, "/leervragen/mijn/"),
        "gaps": _count(client, "/leervragen/witte-vlekken/"),
    }


@pytest.mark.parametrize("count", [20, 2000])
def test_list_pages_take_a_fixed_number_of_queries(client, personas, journey, count):
    _bulk(journey, count, personas)
    client.force_login(personas["onderzoeker"])
    assert _page_counts(client, journey) == PINNED


def test_the_kanban_reads_the_same_at_20_and_2000_questions(client, personas, journey):
    _bulk(journey, 20, personas)
    client.force_login(personas["reisbegeleider"])
    small = _count(client, "/leervragen/bord/")
    _bulk(journey, 1980, personas)
    large = _count(client, "/leervragen/bord/")
    assert small == large == PINNED["board"]
    # Each column shows its first cards and links to all of them.
    page = html(client.get("/leervragen/bord/"))
    assert "Toon alle 286" in page  # 286 ingediend, 25 shown


QUESTION_PAGE_QUERIES = 22


def test_the_question_page_takes_a_fixed_number_of_queries(
    client, personas, journey, make_question
):
    question = make_question(Status.GEDUID, journey=journey)
    services.comment(personas["opdrachtgever"], question, "Mooi resultaat.")
    client.force_login(personas["reisbegeleider"])
    small = _count(client, question.get_absolute_url())
    # Many moves, follow-ups, followers, votes, owners, helpers and posts.
    LearningQuestionMove.objects.bulk_create(
        LearningQuestionMove(question=question, from_status="geduid", to_status="geduid", note=n)
        for n in range(60)
    )
    LearningQuestion.objects.bulk_create(
        LearningQuestion(question=f"Vervolg {n}?", journey=journey, follows_up=question)
        for n in range(40)
    )
    for role in ("professional", "inwoner", "opdrachtgever"):
        services.follow(personas[role], question)
        question.helpers.add(personas[role])
    with_many_posts = {"FORUM_POSTS_PER_MINUTE": 1000}
    from django.test.utils import override_settings

    with override_settings(**with_many_posts):
        for n in range(25):
            services.comment(personas["reisbegeleider"], question, f"Bericht {n}")
    large = _count(client, question.get_absolute_url())
    assert small == large == QUESTION_PAGE_QUERIES


def test_plan_due_date_must_be_set_before_research_on_the_page(
    client, personas, journey, make_question
):
    question = make_question(Status.GEPRIORITEERD, journey=journey)
    services.take_ownership(personas["onderzoeker"], question)
    services.set_plan(
        personas["onderzoeker"], question, Plan(approaches=["data_analyse"], due_date=None)
    )
    client.force_login(personas["onderzoeker"])
    response = client.post(f"/leervragen/{question.pk}/status/", {"naar": Status.IN_ONDERZOEK})
    assert response.status_code == 400
    assert "Geef een streefdatum voordat het onderzoek start." in html(response)
