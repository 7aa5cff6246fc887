"""Every event URL and feed, for every role of a journey, over a besloten and an
openbaar journey: 404 for what someone may not know exists, a sign-in redirect for
visitors on what needs an account, 403 for what they may see but not do. A route
without an entry here fails the first test."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community import calendar_urls, event_urls
from community.models import CalendarFeed, Event
from community.services import events
from community.services.events import EventDetails
from journeys.models import Journey

pytestmark = pytest.mark.django_db

VIEWERS = [
    "anonymous",
    "trainer",
    "inwoner",
    "professional",
    "opdrachtgever",
    "reisbegeleider",
    "beheerder",
]
MEMBERS = {"inwoner", "professional", "opdrachtgever", "reisbegeleider"}

# name: (method, rule). Rules: "see" (anyone who may see the journey's event),
# "account" (seeing it and signed in), "member" (registering), "organise".
ROUTES = {
    "event": ("GET", "see"),
    "event_ics": ("GET", "see"),
    "journey_agenda": ("GET", "see"),
    "event_edit": ("GET", "organise"),
    "journey_event_new": ("GET", "organise"),
    "event_register": ("POST", "member"),
    "event_report": ("POST", "organise"),
    "event_cancel": ("POST", "organise"),
}
# Routes that belong to no journey: checked in their own tests below.
SPACE_ROUTES = {"agenda", "agenda_month", "event_new", "calendar_feed", "calendar_settings"}


def test_every_event_route_is_in_the_permission_matrix():
    names = {p.name for p in [*event_urls.urlpatterns, *calendar_urls.urlpatterns]}
    assert names == set(ROUTES) | SPACE_ROUTES


def _expected(viewer: str, visibility: str, rule: str) -> set[int]:
    sees = visibility == Journey.Visibility.OPENBAAR or viewer in MEMBERS or viewer == "beheerder"
    if not sees:
        return {404}
    if rule == "see":
        return {200}
    if viewer == "anonymous":
        return {302}  # to the sign-in page
    if rule == "member":
        return {302} if viewer in MEMBERS else {403}
    if rule == "organise":
        # 400: allowed, but refused for its content (a verslag before the meeting ended).
        return {200, 302, 400} if viewer == "reisbegeleider" else {403}
    return {200}


@pytest.fixture
def setting(make_journey, personas):
    journeys = {
        visibility: make_journey(f"Reis {visibility}", visibility=visibility)
        for visibility in (Journey.Visibility.BESLOTEN, Journey.Visibility.OPENBAAR)
    }
    start = timezone.now() + timedelta(days=3)
    found = {
        visibility: events.create_event(
            personas["reisbegeleider"],
            EventDetails(
                title=f"Bijeenkomst {visibility}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                form=Event.Form.ONLINE,
                online_url="https://meet.example.org/geheim",
            ),
            journey=journey,
        )
        for visibility, journey in journeys.items()
    }
    return journeys, found


def _url(name: str, journey: Journey, event: Event) -> str:
    if name in ("journey_agenda", "journey_event_new"):
        return reverse(f"community:{name}", args=[journey.slug])
    return reverse(f"community:{name}", args=[event.pk])


def _data(name: str) -> dict:
    return {
        "event_register": {"status": "aanwezig"},
        "event_report": {"report": "x", "attendance": "3"},
    }.get(name, {})


def test_every_event_url_answers_each_role_as_the_rules_say(setting, personas):
    journeys, found = setting
    mismatches = []
    for viewer in VIEWERS:
        client = Client()
        if viewer != "anonymous":
            client.force_login(personas[viewer])
        for visibility, journey in journeys.items():
            event = found[visibility]
            for name, (method, rule) in ROUTES.items():
                url = _url(name, journey, event)
                response = client.post(url, _data(name)) if method == "POST" else client.get(url)
                expected = _expected(viewer, visibility, rule)
                if response.status_code not in expected:
                    mismatches.append(
                        f"{method} {name} as {viewer} on {visibility}: "
                        f"expected {sorted(expected)}, got {response.status_code}"
                    )
                leaks = (
                    response.status_code == 200 and b"meet.example.org/geheim" in response.content
                )
                if leaks and viewer != "reisbegeleider":
                    mismatches.append(f"{name} shows the online link to {viewer} ({visibility})")
    assert not mismatches, "\n".join(mismatches)


def test_lists_and_feeds_hold_only_events_the_person_may_see(setting, personas):
    _journeys, found = setting
    closed, public = found[Journey.Visibility.BESLOTEN], found[Journey.Visibility.OPENBAAR]
    month = closed.starts_at.astimezone(events.AMSTERDAM)
    month_url = reverse("community:agenda_month", args=[month.year, month.month])
    for viewer in VIEWERS:
        client = Client()
        if viewer != "anonymous":
            client.force_login(personas[viewer])
        may_see_closed = viewer in MEMBERS or viewer == "beheerder"
        for url in (reverse("community:agenda"), month_url):
            html = client.get(url).content.decode()
            assert (closed.title in html) == may_see_closed, (viewer, url)
            assert public.title in html, (viewer, url)
            assert "meet.example.org/geheim" not in html, (viewer, url)
        if viewer == "anonymous":
            assert client.get(reverse("community:calendar_settings")).status_code == 302
            continue
        feed = CalendarFeed.objects.get_or_create(user=personas[viewer])[0]
        ics = Client().get(reverse("community:calendar_feed", args=[feed.token])).content.decode()
        assert (closed.title in ics) == may_see_closed, viewer
        assert ("meet.example.org/geheim" in ics) == (viewer == "reisbegeleider"), viewer


def test_only_moderators_plan_network_wide_events(personas):
    for viewer in VIEWERS:
        client = Client()
        if viewer != "anonymous":
            client.force_login(personas[viewer])
        status = client.get(reverse("community:event_new")).status_code
        expected = {"anonymous": 302, "beheerder": 200}.get(viewer, 403)
        assert status == expected, (viewer, status)


def test_a_renewed_or_unknown_feed_token_is_404(personas):
    feed = CalendarFeed.objects.create(user=personas["professional"])
    old = feed.token
    events.renew_calendar_feed(personas["professional"])
    assert Client().get(reverse("community:calendar_feed", args=[old])).status_code == 404
    assert Client().get(reverse("community:calendar_feed", args=["onbekend"])).status_code == 404
