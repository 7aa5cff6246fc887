"""CSRF (docs/security.md): no view of the platform, its admins or its libraries opts out
of Django's CSRF check, and real form posts of a signed-in member without the token are
refused with 403 and store nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from rest_framework.authentication import SessionAuthentication
from wagtail.models import Page

from community.models import Card, Post
from community.services import boards, forum
from journeys.models import Journey, Story
from tests.journeys.conftest import make_journey  # noqa: F401  (a fixture)

# Views that may take an unsafe method without Django's CSRF middleware, each with why.
CSRF_EXEMPT_ALLOWED = {
    # One-click unsubscribe from a notification mail (RFC 8058): mail programs POST here
    # without a session; the unguessable token in the address is the key.
    "community.notification_views.unsubscribe",
    # Wagtail's admin API (Django REST framework): DRF exempts every view from the
    # middleware and checks CSRF itself for session-authenticated requests (proved by a
    # POST below); the documents and images endpoints are read-only (GET).
    "wagtail.admin.api.views.PagesAdminAPIViewSet",
    "wagtail.documents.api.admin.views.DocumentsAdminAPIViewSet",
    "wagtail.images.api.admin.views.ImagesAdminAPIViewSet",
}


def walk(patterns, prefix=""):
    """(route, view) for every view in the URLconf, through every include."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def test_no_view_in_the_urlconf_is_csrf_exempt():
    views = list(walk(get_resolver().url_patterns))
    assert len(views) > 300  # the site, allauth, Wagtail's and Django's admins
    exempt = {
        f"{view.__module__}.{view.__qualname__}": route
        for route, view in views
        if getattr(view, "csrf_exempt", False)
    }
    unexpected = {name: route for name, route in exempt.items() if name not in CSRF_EXEMPT_ALLOWED}
    assert not unexpected, unexpected
    assert set(exempt) == CSRF_EXEMPT_ALLOWED, "an allowed exemption is gone: drop it from the list"
    for route, view in views:
        if getattr(view, "csrf_exempt", False) and hasattr(view, "cls"):
            # DRF: a session only counts through SessionAuthentication, which checks CSRF.
            unsafe = {method for method in view.actions if method not in ("get", "head")}
            authentication = set(view.cls.authentication_classes)
            assert not unsafe or authentication == {SessionAuthentication}, route


def nl(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


def token_of(client: Client, url: str) -> str:
    assert client.get(url).status_code == 200
    return client.cookies["csrftoken"].value


@pytest.mark.django_db
def test_a_members_posts_without_the_token_are_refused_and_store_nothing(
    personas,
    make_journey,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    journey = make_journey(visibility=Journey.Visibility.BESLOTEN)
    lead, member = personas["reisbegeleider"], personas["professional"]
    thread = forum.start_thread(lead, title="Eerste bijeenkomst", body="Wie komt?", journey=journey)
    board = boards.create_board(
        lead, journey, boards.BoardDetails(title="Drie perspectieven"), template="perspectieven"
    )
    boards.set_state(lead, board, board.State.OPEN)
    column = board.columns.order_by("position").first()
    row = board.rows.order_by("position").first()
    thread_url = reverse("community:journey_thread", args=[journey.slug, thread.pk])
    board_url = reverse("community:board", args=[journey.slug, board.pk])
    forms = [
        # (page with the form, where it posts, what it posts, what would be stored)
        (thread_url, thread_url, {"body": "Ik kom ook."}, Post.objects.filter(thread=thread)),
        (
            board_url,
            reverse("community:card_post", args=[journey.slug, board.pk]),
            {"body": "Gezien worden", "column": column.pk, "row": row.pk if row else ""},
            Card.objects.filter(board=board),
        ),
        (
            "/verhalen/vertellen/",
            "/verhalen/vertellen/",
            {
                "told_by": "zelf",
                "title": "Een warme maaltijd",
                "text": "Bij het buurthuis kookten we samen.",
                "perspective": "professional",
                "display": "voornaam",
                "visibility": "openbaar",
                "themes": "buurt",
            },
            Story.objects.all(),
        ),
    ]
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    for page, action, data, stored in forms:
        before = stored.count()
        refused = client.post(action, data)
        assert refused.status_code == 403, action
        assert nl("Form expired") in refused.content.decode()  # the Dutch refusal page
        assert stored.count() == before, action
        # The same post with the token from the page goes through: it was the token.
        token = token_of(client, page)
        accepted = client.post(action, data, headers={"X-CSRFToken": token})
        assert accepted.status_code in (200, 201, 302), (action, accepted.status_code)
        assert stored.count() == before + 1, action


@pytest.mark.django_db
def test_the_cms_api_refuses_a_page_action_without_the_token(personas):
    home = Page.objects.get(depth=2)
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(personas["beheerder"])
    pages = Page.objects.count()
    response = staff.post(
        f"/cms/api/main/pages/{home.pk}/action/copy/",
        {"destination_page_id": home.get_parent().pk, "update_attrs": {"slug": "kopie"}},
        content_type="application/json",
    )
    assert response.status_code == 403 and "CSRF" in response.content.decode()
    assert Page.objects.count() == pages
