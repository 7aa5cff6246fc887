"""The archive's counts are kept between visits (journeys.stories.tally): what every
member sees is counted once per filter, each member's own part per visit. Kept or not,
every visitor's numbers must be exactly those of the stories they may see, and a change
to a story or a journey must show at the next visit."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from journeys import services as journey_services
from journeys.models import Journey, Membership, Story, StorySignifier, StorySlider
from journeys.stories import facets, queries, services, tally
from tests.journeys.conftest import add_member
from tests.journeys.test_stories import details

pytestmark = pytest.mark.django_db

V = Story.Visibility
P = Story.Perspective
JV = Journey.Visibility


@pytest.fixture
def archive(make_journey, personas):
    """Stories of every visibility in an open, a network and a besloten journey and
    outside any journey, told by members of different journeys."""
    journeys = {
        "open": make_journey("Open reis", visibility=JV.OPENBAAR),
        "netwerk": make_journey("Netwerkreis", visibility=JV.NETWERK),
        "besloten": make_journey("Besloten reis", visibility=JV.BESLOTEN),
    }
    # The onderzoeker is in the besloten journey only; the trainer in none.
    add_member(journeys["besloten"], personas["onderzoeker"], Membership.Role.REIZIGER)
    signifiers = list(StorySignifier.objects.order_by("position"))
    slider = StorySlider.objects.get()
    tellers = ["inwoner", "professional", "onderzoeker"]
    places = [journeys["open"], journeys["netwerk"], journeys["besloten"], None]
    # What a story in each place may be (the services' rules); the journeys change later.
    allowed = {
        JV.OPENBAAR: [V.OPENBAAR, V.NETWERK, V.BESLOTEN, V.PRIVE],
        JV.NETWERK: [V.NETWERK, V.BESLOTEN, V.PRIVE],
        JV.BESLOTEN: [V.BESLOTEN, V.PRIVE],
        None: [V.OPENBAAR, V.NETWERK, V.PRIVE],
    }
    themes = [["buurt"], ["armoede", "buurt"], ["eenzaamheid"]]
    made = []
    for i in range(48):
        journey = places[i % 4]
        teller = personas[tellers[i % 3]]
        choices = allowed[journey.visibility if journey else None]
        if journey is not None and not journey.memberships.filter(user=teller).exists():
            teller = personas["professional"]
        made.append(
            services.tell_story(
                teller,
                details(
                    title=f"Verhaal {i}",
                    perspective=P.values[i % len(P.values)],
                    visibility=choices[(i // 4) % len(choices)],
                    themes=themes[i % 3],
                    signifiers=signifiers[i % 4 : i % 4 + 2],
                    sliders={slider.pk: (i * 13) % 101} if i % 5 else {},
                    journey=journey,
                    happened_on=date(2021 + i % 4, 3, 1),
                ),
            )
        )
    return journeys, made


FILTERS = [
    {},
    {"perspectief": "inwoner"},
    {"thema": "BUURT"},
    {"betekenis": "erkenning"},
    {"reis": "besloten-reis"},
    {"jaar": "2023", "thema": "armoede"},
]
VISITORS = [None, "trainer", "onderzoeker", "inwoner", "professional", "beheerder"]


@pytest.mark.parametrize("params", FILTERS, ids=lambda p: "&".join(p) or "alles")
def test_kept_counts_are_exactly_what_each_visitor_may_see(archive, personas, params):
    filters = facets.parse(params)
    for visitor in VISITORS:
        user = personas[visitor] if visitor else AnonymousUser()
        visible = queries.visible_stories(user)
        exact = tally.counted(visible, filters, facets.FACETS)
        assert exact.total == facets.apply(visible, filters).count()
        searched = facets.Searched(visible)
        first = tally.archive_tally(user, searched, filters, facets.FACETS)
        kept = tally.archive_tally(user, searched, filters, facets.FACETS)
        assert first == exact, visitor
        assert kept == exact, visitor
        # Counting a set's rows here gives the database's numbers.
        assert tally.counted_here(visible, filters, facets.FACETS) == exact, visitor


def test_members_part_and_shared_part_make_up_what_they_see(archive, personas):
    shared = set(queries.shared_with_every_member().values_list("pk", flat=True))
    for visitor in ["trainer", "onderzoeker", "inwoner", "professional"]:
        user = personas[visitor]
        own = set(queries.beyond_shared(user).values_list("pk", flat=True))
        visible = set(queries.visible_stories(user).values_list("pk", flat=True))
        assert not shared & own
        assert shared | own == visible, visitor


def _total(client, address="/verhalen/"):
    response = client.get(address)
    assert response.status_code == 200
    return response.context["total"]


def test_a_withdrawn_story_leaves_the_kept_counts_at_once(client, archive, personas):
    _journeys, made = archive
    public = [s for s in made if s.visibility == V.OPENBAAR and s.journey_id is None]
    before = _total(client)
    assert _total(client) == before  # kept
    services.withdraw_story(public[0].author, public[0])
    assert _total(client) == before - 1
    perspective = public[1].perspective
    filtered = f"/verhalen/?perspectief={perspective}"
    shown = _total(client, filtered)
    services.withdraw_story(public[1].author, public[1])
    assert _total(client, filtered) == shown - 1


def test_a_journey_closed_takes_its_stories_out_of_the_kept_counts(client, archive, personas):
    journeys, made = archive
    client.force_login(personas["trainer"])
    before = _total(client)
    in_open = [s for s in made if s.journey_id == journeys["open"].pk and s.visibility != V.PRIVE]
    assert in_open
    journey_services.update_journey(
        personas["reisbegeleider"], journeys["open"], visibility=JV.BESLOTEN
    )
    shared_ones = [s for s in in_open if s.visibility in (V.OPENBAAR, V.NETWERK)]
    assert _total(client) == before - len(shared_ones)
