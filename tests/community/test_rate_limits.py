"""Abuse limits (community/limits.py, ACCOUNT_RATE_LIMITS): past the limit a member gets
429 with a Dutch message and Retry-After, in the page shell or as a fragment; nothing is
stored or searched; another member (or address) is not held back; the count starts again
when the window ends, in local memory and in Redis (shared by every worker); a flooding
websocket gets one error frame and stays open."""

from __future__ import annotations

import json
import os
import time

import pytest
from channels.testing import WebsocketCommunicator
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from community import limits
from community.models import Card, Post, Registration
from community.services import forum
from config.asgi import application
from journeys.models import Story
from tests.community.test_board_pages import FETCH, first_cell, make_board
from tests.community.test_event_pages import plan
from tests.community.test_forum_realtime import OWN_ORIGIN, _session_cookie
from tests.conftest import PASSWORD, redis_is_reachable
from tests.journeys.conftest import make_journey  # noqa: F401  (a fixture)
from tests.journeys.test_stories_pages import TELL, form_data

REDIS_URL = os.environ.get("REDIS_URL", "")


def nl(text) -> str:
    with translation.override("nl"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def said(action: str | None) -> str:
    """The Dutch first sentence of the refusal, as the page shows it."""
    return escape(nl(limits.MESSAGES.get(action or "", limits.GENERIC)))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def only(settings):
    """only("post", "2/h"): that limit alone; every other one off."""

    def set_limit(action: str, rate: str) -> None:
        settings.RATE_LIMITS = {action: rate}

    return set_limit


def assert_refused_page(response, action: str | None) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    page = response.content.decode()
    assert said(action) in page
    assert 'lang="nl"' in page and "utrecht-page-header" in page  # the page shell
    assert "<h1" in page and nl("Please wait a moment") in page


def assert_limit_holds(only, action, send, other, stored=lambda: 0) -> None:
    """Two tries pass; the third is refused and stores nothing; `other` (another member
    or address) still passes."""
    # An hour's window: three tries never straddle its edge, as they could a minute's.
    only(action, "2/h")
    for _ in range(2):
        assert send().status_code != 429
    before = stored()
    refused = send()
    assert_refused_page(refused, action)
    assert refused["Cache-Control"] == "no-store"
    assert stored() == before
    assert other().status_code != 429


# --- Each door ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_forum_replies_and_new_threads_are_limited_per_member(
    only,
    settings,
    personas,
    make_journey,  # noqa: F811
):
    settings.FORUM_POSTS_PER_MINUTE = 1000  # the service's own rule out of the way
    journey = make_journey()
    thread = forum.start_thread(
        personas["reisbegeleider"], journey=journey, title="Buurttafel", body="Wie komt er?"
    )
    url = reverse("community:journey_thread", args=[journey.slug, thread.pk])
    member, other = signed_in(personas["professional"]), signed_in(personas["opdrachtgever"])
    bodies = iter(f"Ik kom, bericht {n}." for n in range(10))

    assert_limit_holds(
        only,
        "post",
        lambda: member.post(url, {"body": next(bodies)}),
        lambda: other.post(url, {"body": next(bodies)}),
        Post.objects.count,
    )
    # The same count covers starting a thread.
    new = reverse("community:journey_new_thread", args=[journey.slug])
    response = member.post(new, {"title": "Nog een", "body": "Tekst"})
    assert response.status_code == 429 and not journey.threads.filter(title="Nog een").exists()


@pytest.mark.django_db
def test_board_cards_are_limited_and_fetch_gets_the_message_alone(
    only,
    personas,
    make_journey,  # noqa: F811
):
    board = make_board(personas, make_journey())
    url = reverse("community:card_post", args=[board.journey.slug, board.pk])
    card = {"body": "Gezien worden", **first_cell(board)}
    member, other = signed_in(personas["professional"]), signed_in(personas["opdrachtgever"])

    assert_limit_holds(
        only,
        "card",
        lambda: member.post(url, card),
        lambda: other.post(url, card),
        Card.objects.count,
    )
    # The board's script posts with fetch(): a fragment it shows next to the form, and an
    # htmx event with the same message.
    response = member.post(url, card, **FETCH)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    fragment = response.content.decode()
    assert said("card") in fragment and "<html" not in fragment
    assert said("card") in escape(json.loads(response["HX-Trigger"])["platform:rate-limited"])


@pytest.mark.django_db
def test_telling_stories_is_limited(only, settings, tmp_path, inwoner, professional):
    settings.MEDIA_ROOT = tmp_path
    member, other = signed_in(inwoner), signed_in(professional)
    assert_limit_holds(
        only,
        "story",
        lambda: member.post(TELL, form_data()),
        lambda: other.post(TELL, form_data()),
        Story.objects.count,
    )


@pytest.mark.django_db
def test_event_registrations_are_limited(only, personas, make_journey):  # noqa: F811
    event = plan(personas, make_journey())
    url = reverse("community:event_register", args=[event.pk])
    member, other = signed_in(personas["professional"]), signed_in(personas["opdrachtgever"])
    answers = iter(["aanwezig", "afwezig", "aanwezig"])

    def status():
        return event.registrations.get(user=personas["professional"]).status

    assert_limit_holds(
        only,
        "registration",
        lambda: member.post(url, {"status": next(answers)}),
        lambda: other.post(url, {"status": "aanwezig"}),
        status,
    )
    assert status() == Registration.Status.AFWEZIG  # the refused change was not made


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/zoeken/", "/verhalen/", "/plein/zoeken/"])
def test_searches_are_limited_but_opening_the_page_is_not(only, page, professional, inwoner):
    member, other = signed_in(professional), signed_in(inwoner)
    assert_limit_holds(
        only,
        "search",
        lambda: member.get(page, {"q": "buurt"}),
        lambda: other.get(page, {"q": "buurt"}),
    )
    assert member.get(page).status_code == 200  # no ?q=: nothing searched, not counted


@pytest.mark.django_db
def test_signed_out_visitors_are_counted_per_address(only):
    here, elsewhere = Client(REMOTE_ADDR="192.0.2.10"), Client(REMOTE_ADDR="192.0.2.20")
    code = {"code": "ABCD-EFGH-JKMN-PQRS"}  # trying withdrawal codes needs no account
    assert_limit_holds(
        only,
        "withdrawal_code",
        lambda: here.post("/verhalen/intrekken/", code),
        lambda: elsewhere.post("/verhalen/intrekken/", code),
    )
    assert here.get("/verhalen/intrekken/ABCD-EFGH-JKMN-PQRS/").status_code == 429


# --- Sign-in, sign-up and password reset (allauth) --------------------------------------------


@pytest.mark.django_db
def test_allauth_limits_answer_in_the_page_shell(settings, make_member, mailoutbox):
    settings.ACCOUNT_RATE_LIMITS = {
        "login": "2/m/ip",
        "signup": "1/m/ip",
        "reset_password": "20/m/ip,1/15m/key",
    }
    make_member("lid@example.org")
    client = Client()
    for _ in range(2):
        client.post("/accounts/login/", {"login": "lid@example.org", "password": "fout-1234"})
    refused = client.post("/accounts/login/", {"login": "lid@example.org", "password": PASSWORD})
    assert_refused_page(refused, None)
    assert "_auth_user_id" not in client.session
    assert (
        Client(REMOTE_ADDR="192.0.2.30")
        .post("/accounts/login/", {"login": "lid@example.org", "password": PASSWORD})
        .status_code
        == 302
    )  # another address signs in

    signup = {"email": "nieuw@example.org", "first_name": "Noor", "last_name": "Visser"}
    signup |= {"password1": PASSWORD, "password2": PASSWORD}
    client.post("/accounts/signup/", signup)
    refused = client.post("/accounts/signup/", {**signup, "email": "ander@example.org"})
    assert_refused_page(refused, None)
    assert not _user_exists("ander@example.org")

    mails = len(mailoutbox)
    client.post("/accounts/password/reset/", {"email": "lid@example.org"})
    refused = client.post("/accounts/password/reset/", {"email": "lid@example.org"})
    assert_refused_page(refused, None)
    assert len(mailoutbox) == mails + 1  # one reset mail, not two
    other = client.post("/accounts/password/reset/", {"email": "nieuw@example.org"})
    assert other.status_code == 302  # another address (the key is the email) is not held


def _user_exists(email: str) -> bool:
    from community.models import User

    return User.objects.filter(email=email).exists()


# --- The counting itself ------------------------------------------------------------------


def _cache(kind: str, location: str) -> dict:
    if kind == "redis":
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}


@pytest.mark.parametrize("kind", ["local-memory", "redis"])
def test_counting_restarts_after_the_window_and_redis_shares_it_between_workers(kind, settings):
    if kind == "redis" and not (REDIS_URL and redis_is_reachable(REDIS_URL)):
        pytest.skip("REDIS_URL is not set or Redis is not running")
    # Two cache connections, as two worker processes have: local memory is one process's
    # own (a location each), Redis is one store for all.
    settings.CACHES = {"default": _cache(kind, "eins"), "worker2": _cache(kind, "zwei")}
    settings.RATE_LIMITS = {"search": "1/s"}
    from django.core.cache import caches

    caches["default"].clear()
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "198.51.100.7"

    time.sleep(1 - time.time() % 1 + 0.01)  # at the start of a one-second window
    assert limits.hit(request, "search") is None
    assert limits.hit(request, "search") == 1
    settings.RATELIMIT_USE_CACHE = "worker2"
    shared = limits.hit(request, "search") is not None
    assert shared is (kind == "redis")
    settings.RATELIMIT_USE_CACHE = "default"

    time.sleep(1 - time.time() % 1 + 0.01)  # the next window
    assert limits.hit(request, "search") is None


def test_a_cache_that_does_not_answer_lets_people_through(settings):
    # Redis down must not stop posting (issue 12, faults): the limit is skipped.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    settings.RATE_LIMITS = {"search": "0/m"}  # counted, even the first would be refused
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "198.51.100.8"
    assert limits.hit(request, "search") is None


# --- Websockets -----------------------------------------------------------------------------


async def _socket(path: str, user) -> WebsocketCommunicator:
    from channels.db import database_sync_to_async

    cookie = await database_sync_to_async(_session_cookie)(user)
    headers = [*OWN_ORIGIN, (b"cookie", f"sessionid={cookie}".encode())]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_a_flooding_socket_gets_one_error_and_stays_open(settings, personas, make_journey):  # noqa: F811
    from channels.db import database_sync_to_async

    settings.RATE_LIMITS = {"websocket": "3/h"}
    journey = await database_sync_to_async(make_journey)()
    thread = await database_sync_to_async(forum.start_thread)(
        personas["reisbegeleider"], journey=journey, title="Live", body="Wie is er?"
    )
    path = f"/ws/forum/thread/{thread.pk}/"
    flooding = await _socket(path, personas["professional"])
    calm = await _socket(path, personas["opdrachtgever"])

    for n in range(6):
        await flooding.send_json_to({"type": "ping", "id": n})
    answers = [await flooding.receive_json_from(timeout=2) for _ in range(4)]
    assert [a["type"] for a in answers] == ["pong", "pong", "pong", "error"]
    error = answers[-1]
    assert error["code"] == "rate_limited" and 0 < error["retry_after"] <= 3600
    assert error["message"].startswith(nl(limits.MESSAGES["websocket"]))
    assert await flooding.receive_nothing(timeout=0.3)  # the rest dropped, not closed

    await calm.send_json_to({"type": "ping", "id": 1})  # another member is not held back
    assert (await calm.receive_json_from(timeout=2))["type"] == "pong"
    # Events still reach the flooding socket: it is open.
    await database_sync_to_async(forum.reply)(personas["reisbegeleider"], thread, body="Ik!")
    assert (await flooding.receive_json_from(timeout=2))["type"] == "forum.post"
    await flooding.disconnect()
    await calm.disconnect()
