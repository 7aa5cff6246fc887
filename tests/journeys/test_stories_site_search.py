"""Stories in the site search (/zoeken/): found by their words when the asker may see
them, never with their teller, and gone once withdrawn."""

from __future__ import annotations

import pytest
from django.utils.html import strip_tags

from journeys.models import Story
from journeys.stories import services
from journeys.stories.services import StoryDetails

pytestmark = pytest.mark.django_db

URL = "/zoeken/"


def story_hits(response) -> list[str]:
    return [strip_tags(hit.title) for hit in response.context["hits"] if hit.kind == "verhalen"]


def tell(user, title, *, visibility=Story.Visibility.OPENBAAR, display=Story.Display.NAME):
    return services.tell_story(
        user,
        StoryDetails(
            title=title,
            text="Bij de voedselbank hoorde ik voor het eerst van de buurtkamer.",
            perspective=Story.Perspective.INWONER,
            display=display,
            visibility=visibility,
        ),
    )


def test_an_anonymous_story_is_found_and_its_hit_names_no_teller(client, personas):
    teller = personas["inwoner"]
    tell(teller, "Een warme plek", display=Story.Display.ANONYMOUS)

    response = client.get(URL, {"q": "voedselbank"})

    assert story_hits(response) == ["Een warme plek"]
    html = response.content.decode()
    assert teller.first_name not in html and teller.email not in html


def test_private_and_withdrawn_stories_stay_out_of_search(client, personas):
    teller = personas["inwoner"]
    tell(teller, "Alleen voor mij", visibility=Story.Visibility.PRIVE)
    withdrawn = tell(teller, "Toch niet")
    services.withdraw_story(teller, withdrawn)

    client.force_login(personas["trainer"])
    response = client.get(URL, {"q": "voedselbank"})

    assert story_hits(response) == []
    client.force_login(teller)
    assert story_hits(client.get(URL, {"q": "voedselbank"})) == ["Alleen voor mij"]
