"""Sessions (docs/security.md): a new session key on signing in, the idle and absolute
timeouts that sign a member out with a Dutch message, and no session write per request."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from config.security.sessions import SEEN_AT, SIGNED_IN_AT
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PAGE = "/meldingen/"  # any page for signed-in members only

IDLE_TEXT = "You have been signed out because you were away for a while. Sign in again to continue."
ABSOLUTE_TEXT = "For your security you are signed out once in a while. Sign in again to continue."


def nl(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


@pytest.fixture
def signed_in(make_member):
    """A member signed in through the sign-in form (so the clocks start as in real use)."""
    make_member("lid@example.org")
    client = Client()
    response = client.post(LOGIN, {"login": "lid@example.org", "password": PASSWORD})
    assert response.status_code == 302
    return client


def shift(client, **seconds_ago) -> None:
    """Move the session's clocks back: shift(client, seen=..., signed_in=...)."""
    session = client.session
    now = int(time.time())
    for name, key in (("seen", SEEN_AT), ("signed_in", SIGNED_IN_AT)):
        if name in seconds_ago:
            session[key] = now - seconds_ago[name]
    session.save()


def test_signing_in_gives_a_new_session_key_and_retires_the_old_one(make_member):
    make_member("lid@example.org")
    client = Client()
    session = client.session  # an anonymous session, as a visitor who left a message has
    session["voorkeur"] = "iets"
    session.save()
    before = client.cookies["sessionid"].value

    response = client.post(LOGIN, {"login": "lid@example.org", "password": PASSWORD})

    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not SessionStore().exists(before)  # a fixated key is worth nothing
    assert client.get(PAGE).status_code == 200
    stamps = client.session
    assert abs(stamps[SIGNED_IN_AT] - time.time()) < 5 and stamps[SEEN_AT] == stamps[SIGNED_IN_AT]


def test_a_member_away_longer_than_the_idle_timeout_is_signed_out_in_dutch(signed_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 8 * 3600
    shift(signed_in, seen=8 * 3600 - 60)
    assert signed_in.get(PAGE).status_code == 200  # just within

    shift(signed_in, seen=8 * 3600 + 1)
    response = signed_in.get(PAGE + "?pagina=2")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/meldingen/%3Fpagina%3D2"
    login_page = signed_in.get(response["Location"]).content.decode()
    assert nl(IDLE_TEXT) in login_page and nl(IDLE_TEXT) != IDLE_TEXT
    assert signed_in.get(PAGE).status_code == 302  # signed out for good
    assert "_auth_user_id" not in signed_in.session


def test_however_busy_a_session_ends_after_the_absolute_timeout(signed_in, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 24 * 3600
    shift(signed_in, seen=10, signed_in=24 * 3600 + 1)

    response = signed_in.get(PAGE, headers={"HX-Request": "true"})

    # An htmx request is sent to the sign-in page as a whole page, not swapped into one.
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{LOGIN}?next=/meldingen/"
    login_page = signed_in.get(response["HX-Redirect"]).content.decode()
    assert nl(ABSOLUTE_TEXT) in login_page
    assert signed_in.get(PAGE).status_code == 302


def test_the_last_seen_stamp_is_written_at_most_once_per_interval(signed_in, settings):
    settings.SESSION_TOUCH_INTERVAL = 300

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(PAGE).status_code == 200
        return sum(
            1
            for query in queries
            if "django_session" in query["sql"]
            and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
        )

    signed_in.get(PAGE)
    assert session_writes() == 0
    assert session_writes() == 0
    shift(signed_in, seen=301)
    assert session_writes() == 1
    assert abs(signed_in.session[SEEN_AT] - time.time()) < 5
    assert session_writes() == 0


def test_timeouts_set_to_zero_are_off(signed_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 0
    settings.SESSION_ABSOLUTE_TIMEOUT = 0
    shift(signed_in, seen=90 * 86400, signed_in=90 * 86400)
    assert signed_in.get(PAGE).status_code == 200
