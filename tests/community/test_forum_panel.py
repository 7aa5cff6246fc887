"""The forum's panel on the journey dashboard shows the latest threads to its readers."""

import pytest

from community.services import forum
from journeys.models import Journey

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_the_latest_threads_to_those_who_may_read_the_forum(
    client, make_journey, reisbegeleider, inwoner
):
    journey = make_journey(visibility=Journey.Visibility.NETWERK)
    forum.start_thread(
        reisbegeleider, journey=journey, title="Eerste bijeenkomst", body="Wie komt?"
    )
    hidden = forum.start_thread(reisbegeleider, journey=journey, title="Oud onderwerp", body="x")
    forum.set_thread_flag(reisbegeleider, hidden, flag="hidden", value=True)

    client.force_login(inwoner)  # a meelezer: reads, does not post
    panels = {
        p["key"]: p["context"] for p in client.get(journey.get_absolute_url()).context["panels"]
    }

    assert [t.title for t in panels["forum"]["threads"]] == ["Eerste bijeenkomst"]
    assert panels["forum"]["can_post"] is False


def test_visitors_without_an_account_see_the_forum_panel_of_a_public_journey(client, make_journey):
    journey = make_journey(visibility=Journey.Visibility.OPENBAAR)
    response = client.get(journey.get_absolute_url())
    assert "forum" in [p["key"] for p in response.context["panels"]]
