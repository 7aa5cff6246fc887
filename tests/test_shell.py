"""The UI shell: Dutch first, skip link, navigation, language switch, error pages."""

import pytest
from django.urls import reverse

from community import navigation

pytestmark = pytest.mark.django_db


def test_the_home_page_is_served_in_dutch_inside_the_shell(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl"' in html
    assert 'href="#inhoud"' in html and 'id="inhoud"' in html
    assert "Naar de inhoud" in html
    assert "Inloggen" in html and "Account aanmaken" in html
    assert "vendor/utrecht/index.css" in html and "vendor/htmx/htmx.min.js" in html


def test_the_language_switch_shows_the_platform_in_english_and_back(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html and "Sign in" in html
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Inloggen" in client.get("/").content.decode()


def test_the_front_end_packages_from_npm_are_served(client):
    for path in (
        "/static/vendor/utrecht/index.css",
        "/static/vendor/theme/theme.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/css/platform.css",
    ):
        assert client.get(path).status_code == 200, path


def test_navigation_shows_only_features_that_exist(monkeypatch):
    monkeypatch.setattr(
        navigation,
        "MAIN_NAVIGATION",
        [
            navigation.NavEntry("Bestaat", "account_profile"),
            navigation.NavEntry("Bestaat nog niet", "journeys:story_index"),
            navigation.NavEntry("Wagtail-pagina", lambda: "/kennisbank/"),
        ],
    )
    items = navigation.main_navigation("/kennisbank/iets/")
    assert [(item["label"], item["current"]) for item in items] == [
        ("Bestaat", False),
        ("Wagtail-pagina", True),
    ]


def test_a_missing_page_answers_404_in_dutch_inside_the_shell(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html and 'id="inhoud"' in html


def test_signed_in_members_see_their_name_and_a_sign_out_button(client, inwoner):
    client.force_login(inwoner)
    html = client.get("/").content.decode()
    assert "Ilse Bakker" in html
    assert 'action="/accounts/logout/"' in html


def test_the_home_page_query_count_is_pinned(client, settings, django_assert_num_queries):
    # The count of a real render: the anonymous page cache (tests/config/test_page_cache.py)
    # would answer the second visit without any query.
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")  # the header's section addresses are cached after the first visit
    # Wagtail's serve: the site, the page, its ancestors, their view restrictions; the
    # live figures: journeys, journeys exploring.
    with django_assert_num_queries(6):
        client.get("/")


def test_the_header_finds_the_editorial_sections_once_and_again_after_publishing(client):
    from learning.models import HomePage, KnowledgeIndexPage

    assert "/kennisbank/" not in client.get("/").content.decode()
    home = HomePage.objects.get()
    home.add_child(instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank", live=False))
    KnowledgeIndexPage.objects.get().save_revision().publish()

    assert 'href="/kennisbank/"' in client.get("/").content.decode()


def test_the_account_page_query_count_is_pinned(client, inwoner, django_assert_num_queries):
    client.force_login(inwoner)
    client.get(reverse("account_profile"))  # section addresses cached after the first visit
    # session, member, unread notifications, expertise themes, organisations to choose
    # from, email addresses, two-factor status
    with django_assert_num_queries(7):
        client.get(reverse("account_profile"))
