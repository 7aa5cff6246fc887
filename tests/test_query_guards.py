"""Guards against N+1 queries on every page.

The demo data (seed_demo, built once for this module and rolled back after it) gets a
few more rows where the demo has only one, so that a query run per row would show.
Every GET address of our apps (tests/query_guards.py lists them, as the permission
matrix lists the journey routes) and one live page of every Wagtail page type is asked
for as a user who may see it, inside django-zeal's detector: a relation loaded once
per row fails the test, naming the model, the field and the line.
"""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page as WagtailPage
from wagtail.models import get_page_models
from zeal import NPlusOneError, zeal_context, zeal_ignore

from community import calendars
from community.models import (
    Board,
    Event,
    Notification,
    Thread,
    User,
)
from community.queries.events import may_see_online_link, with_online_link_for
from community.services import events as event_services
from community.services import forum
from community.services import notifications as notification_services
from journeys.models import Invitation, Journey, PhaseResult, Story
from journeys.reports import exports
from journeys.stories import services as story_services
from learning.models import (
    LearningQuestion,
    LessonPage,
    MethodPage,
    ScenarioPage,
    WorkingElementPage,
)
from tests.query_guards import NOT_PAGES, PAGES, PINS, Scene, route_names

THRESHOLD = 2  # zeal fails on the second load of one relation from one line
POVERTY = "armoede-interventies-waardenland"


def persona(role: str) -> User:
    return User.objects.get(email=f"{role}@example.org")


def build_scene() -> Scene:
    """The demo, and a few more rows where it has one: a second edit of a post, members
    registered for an event, a report on a post, a PDF of the reisverslag."""
    rosa, pieter = persona("reisbegeleider"), persona("professional")
    journey = Journey.objects.get(slug=POVERTY)
    thread = Thread.objects.filter(journey=journey).order_by("-post_count", "pk").first()
    post = thread.posts.order_by("number").first()
    forum.edit_post(post.author, post, body=post.body + "\n\nAangevuld.")
    forum.edit_post(post.author, post, body=post.body + "\n\nNog eens aangevuld.")
    for role in ("professional", "inwoner", "opdrachtgever"):
        forum.report_post(persona(role), post, reason="Klopt dit wel?")
    event = Event.objects.filter(journey=journey, starts_at__gt=timezone.now()).order_by(
        "starts_at"
    )[0]
    for role in ("professional", "inwoner", "opdrachtgever", "onderzoeker"):
        event_services.register(persona(role), event, "aanwezig", send_email=False)
    plein_thread = Thread.objects.filter(journey=None).order_by("-post_count", "pk").first()
    own = Story.objects.filter(author=pieter, journey=journey).exclude(withdrawal_code_hash="")
    own_story = own.order_by("pk").first()
    board = Board.objects.filter(journey=journey).first()
    verslag = journey.results.filter(kind="reisverslag", items__isnull=False).first()
    return Scene(
        journey=journey,
        board=board,
        card=board.cards.filter(author=rosa).order_by("pk")[0],  # her own: she may edit it
        journey_thread=thread,
        plein_thread=plein_thread,
        category=plein_thread.category,
        post=post,
        event=event,
        notification=Notification.objects.filter(user=rosa).first(),
        story=Story.objects.filter(journey=journey).order_by("pk").first(),
        own_story=own_story,
        question=LearningQuestion.objects.filter(journey=journey).order_by("pk").first(),
        invitation=Invitation.objects.filter(journey=journey).first(),
        export=exports.request_export(rosa, verslag),
        feed_token=calendars.feed_for(rosa).token,
        unsubscribe_token=notification_services.preference_of(rosa).unsubscribe_token,
        withdrawal_code=story_services.new_withdrawal_code(pieter, own_story),
        lesson=LessonPage.objects.live().first(),
        scenario=ScenarioPage.objects.live().order_by("path")[0],
        method=MethodPage.objects.live().get(),
        element=WorkingElementPage.objects.live().order_by("path")[0],
        diff_result=PhaseResult.objects.annotate(n=Count("revisions")).filter(n__gte=2)[0],
    )


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """The demo once for the module, in a transaction rolled back at its end; on-commit
    work (search index, tasks) runs as it would after a real commit."""
    with django_db_blocker.unblock(), transaction.atomic():
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=StringIO())
            built = build_scene()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def clients(scene, db) -> dict:
    made = {None: Client(raise_request_exception=True)}
    for role in ("reisbegeleider", "professional", "beheerder"):
        made[role] = Client(raise_request_exception=True)
        made[role].force_login(persona(role))
    return made


@pytest.fixture
def zeal_threshold(settings):
    settings.ZEAL_NPLUSONE_THRESHOLD = THRESHOLD
    settings.ZEAL_RAISE = True


def urls_of(name: str, scene: Scene) -> list[str]:
    page = PAGES[name]
    variants = page.kwargs(scene)
    if isinstance(variants, dict):
        variants = [variants]
    query = page.query(scene) if callable(page.query) else page.query
    return [reverse(name, kwargs=kwargs) + query for kwargs in variants]


def ask_without_n_plus_one(client: Client, url: str, allow: list | None = None) -> str | None:
    """None if the page answered 200 and loaded no relation per row; else what went wrong."""
    try:
        with zeal_context(), zeal_ignore(allow or []):
            response = client.get(url)
    except NPlusOneError as found:
        return str(found)
    except Exception as crash:
        return f"crashed: {crash!r}"
    if response.status_code != 200:
        return f"answered {response.status_code} {response.get('Location', '')}"
    return None


# --- The list of addresses is complete ----------------------------------------------------


def test_every_route_is_guarded_or_says_why_not():
    names = set(route_names())
    missing = sorted(names - PAGES.keys() - NOT_PAGES.keys())
    stale = sorted((PAGES.keys() | NOT_PAGES.keys()) - names)
    both = sorted(PAGES.keys() & NOT_PAGES.keys())
    assert not missing, f"routes with no entry in tests/query_guards.py: {missing}"
    assert not stale, f"entries in tests/query_guards.py without a route: {stale}"
    assert not both, f"routes both guarded and excused: {both}"


# --- The detector works --------------------------------------------------------------------


def test_the_detector_catches_a_relation_loaded_per_row(scene, db, zeal_threshold):
    with pytest.raises(NPlusOneError, match=r"community\.Thread\.author"), zeal_context():
        for thread in Thread.objects.all()[:3]:
            str(thread.author)


def test_the_detector_lets_a_prefetched_relation_pass(scene, db, zeal_threshold):
    with zeal_context():
        for thread in Thread.objects.select_related("author")[:3]:
            str(thread.author)


# --- Every page ------------------------------------------------------------------------------


def test_no_page_of_our_apps_loads_a_relation_per_row(scene, clients, zeal_threshold):
    problems = []
    for name, page in PAGES.items():
        for url in urls_of(name, scene):
            problem = ask_without_n_plus_one(clients[page.viewer], url)
            if problem:
                problems.append(f"{name} {url} as {page.viewer or 'anonymous'}: {problem}")
    assert not problems, "\n".join(problems)


# Wagtail's router takes one child page per segment of the address (Page.objects.get in
# Page.route): as many as the page is deep, never one per row of a list.
WAGTAIL_ROUTING = [{"model": "wagtailcore.Page", "field": "get()"}]


def test_no_wagtail_page_type_loads_a_relation_per_row(scene, clients, zeal_threshold):
    live = WagtailPage.objects.live().filter(depth__gt=1).specific()
    first_of_type = {}
    for page in live.order_by("path"):
        first_of_type.setdefault(type(page), page)
    ours = {model for model in get_page_models() if model._meta.app_label == "learning"}
    assert ours <= first_of_type.keys(), f"no live demo page of {ours - first_of_type.keys()}"
    problems = []
    for model, page in first_of_type.items():
        for viewer in (None, "reisbegeleider"):
            problem = ask_without_n_plus_one(clients[viewer], page.url, WAGTAIL_ROUTING)
            if problem:
                problems.append(f"{model.__name__} {page.url} as {viewer}: {problem}")
    assert not problems, "\n".join(problems)


# --- Pages the guards found broken -------------------------------------------------------


def test_a_member_with_expertise_opens_the_account_page_with_it_filled_in(scene, clients):
    html = clients["reisbegeleider"].get(reverse("account_profile")).content.decode()
    for theme in persona("reisbegeleider").expertise.names():
        assert theme in html


def test_a_journey_with_themes_opens_its_edit_page_with_them_filled_in(scene, clients):
    url = reverse("journeys:edit", kwargs={"slug": scene.journey.slug})
    response = clients["reisbegeleider"].get(url)
    assert response.status_code == 200
    for theme in scene.journey.themes.names():
        assert theme in response.content.decode()


# --- What the fixes must keep ------------------------------------------------------------


def test_the_feed_shows_the_online_link_to_exactly_whom_the_event_page_shows_it(scene, db):
    """The feed answers "may this member see the online link?" for all events in one
    query; the answer must be the event page's, for every member and every event."""
    events = list(Event.objects.all())
    for user in User.objects.all():
        listed = {
            event.pk: may_see_online_link(user, event)
            for event in with_online_link_for(user, Event.objects.all())
        }
        one_by_one = {event.pk: may_see_online_link(user, event) for event in events}
        assert listed == one_by_one, user.email
        assert not any(hasattr(event, "online_link_shown") for event in events), (
            "plain events carry no answer"
        )


# --- Query-count pins --------------------------------------------------------------------

# Each after one warm-up request (content types, the header's section addresses).
PINNED = {
    "community:journey_boards": 6,
    "community:card": 13,
    "community:agenda_month": 5,
    "community:calendar_feed": 3,  # the feed, its events, the events' online links
    "community:plein_thread": 10,
    "community:post_history": 7,
    "community:journey_moderation": 10,
    "community:journey_forum_search": 12,
    "stories:counts_csv": 9,
    "stories:journey_counts_csv": 11,
    "journeys:result_diff": 7,
    "journeys:report_compose": 21,
    "wagtail:ScenarioPage": 15,
    "wagtail:WorkingElementPage": 15,
    "wagtail:MethodPage": 15,
    "wagtail:CourseIndexPage": 14,
    "wagtail:LessonPage": 26,  # the most of any page: worth a look (progress, navigation)
}


def queries_of(client: Client, url: str) -> tuple[list[str], bytes]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries], response.content


def shapes(queries: list[str]) -> list[str]:
    """The queries without their numbers and quoted values, to compare two runs."""
    return sorted(re.sub(r"'[^']*'|\b\d+\b", "?", sql)[:200] for sql in queries)


def differences(few: list[str], many: list[str]) -> str:
    one, other = Counter(shapes(few)), Counter(shapes(many))
    lines = [f"- {sql}" for sql in (one - other).elements()]
    lines += [f"+ {sql}" for sql in (other - one).elements()]
    return "\n".join(lines)


def test_every_pin_has_a_pinned_count():
    assert PINS.keys() == PINNED.keys()


@pytest.mark.parametrize("name", list(PINS))
def test_page_query_count_is_pinned_and_the_same_at_3_and_30_rows(name, scene, clients, settings):
    settings.FORUM_POSTS_PER_MINUTE = 1000
    pin = PINS[name]
    client = clients[pin.viewer]
    few, many = pin.sizes
    pin.grow(scene, few)
    url = pin.url(scene)
    client.get(url)
    small, shown_few = queries_of(client, url)
    pin.grow(scene, many - few)
    client.get(url)  # again: new rows may change what a first visit writes or caches
    large, shown_many = queries_of(client, url)
    assert shown_many != shown_few, "the added rows show on the page"
    counts = (len(small), len(large))
    assert counts == (PINNED[name], PINNED[name]), differences(small, large)
