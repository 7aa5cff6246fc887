"""The full-page cache for anonymous visitors (config/page_cache, docs/caching.md): a
repeat visit is served from the cache, and nothing personal or outdated ever is.

Every test runs on the local-memory cache (the embedded default) and on Redis."""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches as django_caches
from django.http import HttpResponse
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.urls import include, path
from wagtail.models import PageViewRestriction

from config.page_cache import public_page, store
from config.settings import components
from journeys import services as journey_services
from journeys.models import Journey
from learning.models import HomePage, KnowledgeIndexPage
from tests.conftest import TEST_REDIS_URL, redis_is_reachable

HEADER = "X-Page-Cache"
TOKEN = re.compile(r"[A-Za-z0-9]{64}")


# A public view that adds a message while rendering, and one that is public but marked
# private by its headers: mounted beside the site's own URLs.
@public_page
def _page_with_message(request):
    messages.info(request, "Uw bericht is verstuurd.")
    return render(request, "base.html")


@public_page
def _private_by_header(request):
    response = HttpResponse("persoonlijk")
    response["Cache-Control"] = "private"
    return response


urlpatterns = [
    path("test-bericht/", _page_with_message),
    path("test-prive/", _private_by_header),
    path("", include("config.urls")),
]


@pytest.fixture(autouse=True, params=["local-memory", "redis"])
def cache_kind(request, settings):
    if request.param == "redis":
        if not redis_is_reachable(TEST_REDIS_URL):
            pytest.skip(f"Redis is not running at {TEST_REDIS_URL}")
        caches = components.cache(TEST_REDIS_URL)
        caches["default"]["KEY_PREFIX"] = f"test-pc-{uuid.uuid4().hex[:8]}"
    else:
        caches = components.cache(None)
    settings.CACHES = caches  # Django resets its cache connections on this change
    settings.PAGE_CACHE_SECONDS = 300
    if request.param == "local-memory":
        django_caches["default"].clear()  # local-memory caches share one store per process
    yield request.param
    # Redis: a prefix of its own per test, so nothing to flush; the pages expire.
    django_caches["default"].delete(store.VERSION_KEY)


def without_tokens(html: bytes) -> str:
    return TOKEN.sub("TOKEN", html.decode())


def public_journey(personas) -> Journey:
    return journey_services.create_journey(
        personas["reisbegeleider"],
        title="Samen minder eenzaam",
        challenge="Eenzaamheid onder ouderen",
        visibility=Journey.Visibility.OPENBAAR,
    )


def form_token(html: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()


@pytest.mark.django_db
def test_second_anonymous_visit_is_served_from_the_cache_with_the_same_page():
    first = Client().get("/")
    second = Client().get("/")

    assert first[HEADER] == "miss"
    assert second[HEADER] == "hit"
    assert second.status_code == 200
    assert without_tokens(second.content) == without_tokens(first.content)
    assert second["Content-Length"] == str(len(second.content))
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.django_db
def test_head_request_is_answered_from_the_cached_page():
    Client().get("/")

    assert Client().head("/")[HEADER] == "hit"


@pytest.mark.django_db
def test_a_cached_page_gives_each_visitor_a_token_that_posts():
    Client().get("/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/")

    assert page[HEADER] == "hit"
    assert "csrftoken" in page.cookies
    token = form_token(page.content)
    switched = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


@pytest.mark.django_db
def test_a_visitor_with_a_csrf_cookie_keeps_it_on_a_cached_page():
    Client().get("/")  # another visitor's token goes into the cache
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/bestaat-niet/")  # any page: the visitor gets a cookie
    secret = visitor.cookies["csrftoken"].value
    page = visitor.get("/")

    assert page[HEADER] == "hit"
    assert page.cookies["csrftoken"].value == secret
    response = visitor.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/", "csrfmiddlewaretoken": form_token(page.content)},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_signed_in_member_never_gets_a_cached_page_and_never_fills_the_cache(inwoner):
    member = Client()
    member.force_login(inwoner)
    own = member.get("/")
    Client().get("/")
    again = member.get("/")
    anonymous = Client().get("/")

    assert own[HEADER] == again[HEADER] == "bypass"
    assert inwoner.display_name in again.content.decode()
    assert anonymous[HEADER] == "hit"
    assert inwoner.display_name not in anonymous.content.decode()


@pytest.mark.django_db
def test_publishing_a_change_shows_it_to_the_next_anonymous_visitor():
    Client().get("/")
    home = HomePage.objects.get()
    home.title = "Welkom bij het netwerk"
    home.save_revision().publish()

    page = Client().get("/")

    assert page[HEADER] == "miss"
    assert "Welkom bij het netwerk" in page.content.decode()


@pytest.mark.django_db
def test_unpublishing_a_page_takes_it_out_of_the_cache():
    index = HomePage.objects.get().add_child(
        instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank")
    )
    assert Client().get("/kennisbank/").status_code == 200
    assert Client().get("/kennisbank/")[HEADER] == "hit"

    index.unpublish()

    assert Client().get("/kennisbank/").status_code == 404


@pytest.mark.django_db
def test_a_new_public_journey_shows_in_the_home_figures_at_once(personas):
    Client().get("/")
    public_journey(personas)

    page = Client().get("/")

    assert page[HEADER] == "miss"
    assert page.context["figures"]["journeys"] == 1


@pytest.mark.django_db
def test_a_view_restricted_page_is_never_cached():
    index = HomePage.objects.get().add_child(
        instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank")
    )
    PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.PASSWORD, password="geheim123"
    )

    first = Client().get("/kennisbank/")
    second = Client().get("/kennisbank/")

    assert first.status_code == second.status_code == 200  # the password form
    assert first[HEADER] == second[HEADER] == "skip"
    assert b'name="password"' in second.content


@pytest.mark.django_db
def test_restricting_a_cached_page_takes_it_out_of_the_cache():
    index = HomePage.objects.get().add_child(
        instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank")
    )
    Client().get("/kennisbank/")
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)

    page = Client().get("/kennisbank/")

    assert page.status_code == 302
    assert page[HEADER] == "skip"


@pytest.mark.django_db
def test_each_language_gets_its_own_cached_page():
    dutch = Client().get("/", HTTP_ACCEPT_LANGUAGE="nl")
    english = Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    by_cookie = Client()
    by_cookie.cookies["django_language"] = "en"
    english_again = by_cookie.get("/")
    dutch_again = Client().get("/", HTTP_ACCEPT_LANGUAGE="nl")

    assert (dutch[HEADER], english[HEADER]) == ("miss", "miss")
    assert (english_again[HEADER], dutch_again[HEADER]) == ("hit", "hit")
    assert b'<html lang="en"' in english_again.content
    assert b'<html lang="nl"' in dutch_again.content
    assert english_again["Content-Language"] == "en"


@pytest.mark.django_db
def test_a_visitor_with_pending_messages_sees_them_and_they_are_never_cached():
    Client().get("/")
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(messages.INFO, "Uw verhaal is opgeslagen.")
    carrier = HttpResponse()
    storage.update(carrier)
    visitor = Client()
    visitor.cookies["messages"] = carrier.cookies["messages"].value

    own = visitor.get("/")
    after = Client().get("/")

    assert own[HEADER] == "bypass"
    assert "Uw verhaal is opgeslagen." in own.content.decode()
    assert after[HEADER] == "hit"
    assert "Uw verhaal is opgeslagen." not in after.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_page_that_shows_a_message_it_just_added_is_not_stored():
    first = Client().get("/test-bericht/")
    second = Client().get("/test-bericht/")

    assert "Uw bericht is verstuurd." in first.content.decode()
    assert first[HEADER] == second[HEADER] == "skip"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_response_marked_private_is_not_stored():
    Client().get("/test-prive/")

    assert Client().get("/test-prive/")[HEADER] == "skip"


@pytest.mark.django_db
def test_htmx_requests_neither_get_nor_fill_the_full_page():
    htmx = Client().get("/", HTTP_HX_REQUEST="true")
    full = Client().get("/")
    htmx_again = Client().get("/", HTTP_HX_REQUEST="true")

    assert htmx[HEADER] == htmx_again[HEADER] == "bypass"
    assert full[HEADER] == "miss"


@pytest.mark.django_db
def test_each_query_string_is_its_own_page():
    HomePage.objects.get().add_child(
        instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank")
    )
    Client().get("/kennisbank/")

    searched = Client().get("/kennisbank/?q=buurt")

    assert searched[HEADER] == "miss"
    assert b'value="buurt"' in searched.content
    assert Client().get("/kennisbank/?q=buurt")[HEADER] == "hit"


@pytest.mark.django_db
def test_member_pages_and_search_results_are_not_stored(personas):
    journey = public_journey(personas)

    for address in (journey.get_absolute_url(), "/zoeken/?q=eenzaam", "/verhalen/"):
        Client().get(address)
        assert HEADER not in Client().get(address), address  # not even looked up


@pytest.mark.django_db
def test_no_cache_when_turned_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    Client().get("/")

    assert HEADER not in Client().get("/")


@pytest.mark.django_db
def test_a_page_rendered_before_a_change_is_never_served_after_it():
    key = "pagecache:page:test"
    version, _ = store.lookup(key)
    store.bump()  # a change commits while the page renders
    store.save(key, store.Entry(version, {}, b"oud", False), 60)

    assert store.lookup(key)[1] is None
