"""The privacy page: open to anyone, linked from every page's footer, and it states the
live boards' rule on anonymous cards."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anonymous", "inwoner", "beheerder"])
def test_the_privacy_page_answers_anyone_and_states_the_boards_rule(personas, who):
    client = Client()
    if who != "anonymous":
        client.force_login(personas[who])
    response = client.get("/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="utrecht-heading-1">Privacy</h1>' in page
    assert "Live borden" in page
    assert "Een anonieme kaart of opmerking laat aan niemand zien wie haar schreef" in page
    assert "Ook niet aan de reisbegeleider" in page
    assert "zodat jij als schrijver je kaart nog kunt aanpassen of verwijderen" in page
    assert "de grens aan het aantal kaarten per minuut" in page
    assert "Verwijder je je kaart, dan is ze weg" in page
    assert 'href="/privacy/">Privacy</a>' in page  # the footer link


def test_the_privacy_page_is_read_only():
    assert Client().post("/privacy/").status_code == 405
