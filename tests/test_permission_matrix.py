"""The site-wide permission matrix: every address of the platform and every websocket
route, for every kind of visitor, over a besloten and an openbaar journey.

The URLconf is walked from config.urls (django.urls.get_resolver(), into every include:
allauth, the Wagtail admin, the Django admin, the Wagtail page tree). Every pattern found
must be known here, or the first test fails, naming it:

- the platform's own named routes each have a row in ROUTES below, and are asked here;
- the routes of journeys.urls and of the agenda are asked by their own matrices
  (tests/journeys/test_permissions.py, tests/community/test_event_permissions.py): this
  module imports their tables and checks that they name every one of those routes;
- third-party and admin patterns are grouped by prefix (GROUPS): everything under /cms/
  and /django-admin/ sends visitors to sign in and refuses accounts without access;
  allauth's pages are public or ask to sign in; the Wagtail page tree is walked page by
  page.

The answers are the platform's promise: 404 for what a viewer may not know exists (a
besloten journey and everything in it), 403 for what they may see but not do, the
sign-in page for visitors where an account is needed, and the page or the effect for
everyone allowed. Each request runs in a savepoint that is rolled back, so every viewer
meets the same world.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from wagtail.documents import get_document_model
from wagtail.models import Page

from community.models import Card, ForumCategory, Notification, NotificationPreference
from community.routing import websocket_urlpatterns
from community.services import boards, forum
from journeys.models import Journey, Story
from journeys.stories import services as stories
from learning.leervragen import services as leervragen
from learning.models import CourseIndexPage, HomePage
from tests.community import test_event_permissions as event_matrix
from tests.journeys import test_permissions as journey_matrix
from tests.journeys.conftest import make_journey  # noqa: F401  (a fixture)
from tests.journeys.test_permissions import (
    DONE,
    LOGIN,
    MEMBERS,
    PERSONA,
    VIEWERS,
    agrees,
    answer_of,
    ask,
    clients_for,
    describe,
)
from tests.journeys.test_stories import details, jpeg_with_exif, upload
from tests.learning.test_courses import _course

Visibility = Journey.Visibility
JOURNEY_VISIBILITIES = (Visibility.BESLOTEN, Visibility.OPENBAAR)

# --- The expected answers -----------------------------------------------------------------
#
# A row per rule: the answer of each viewer, in the order of VIEWERS (anonymous,
# non-member, meelezer, reiziger, opdrachtgever, reisbegeleider, staff). For a route of a
# journey, a viewer who may not know the journey exists gets 404 whatever the rule.
# The rules of journeys.urls are reused as they are.
ANY = "any"  # allowed: 200, 302 (not to sign in) or a refused form (400)
# fmt: off
RULES = {
    **journey_matrix.EXPECTED,
    #                    anonymous  non-member  meelezer  reiziger  opdrachtg.  reisbeg.  staff
    "public":           (200,       200,        200,      200,      200,        200,      200),
    "public-post":      (DONE,      DONE,       DONE,     DONE,     DONE,       DONE,     DONE),
    "gone":             (404,       404,        404,      404,      404,        404,      404),
    "signed-in-post":   (LOGIN,     DONE,       DONE,     DONE,     DONE,       DONE,     DONE),
    "staff-page":       (LOGIN,     403,        403,      403,      403,        403,      200),
    # Read along (pages) or take part (POST) in a journey's forum or leervragen.
    "read-post":        (LOGIN,     DONE,       DONE,     DONE,     DONE,       DONE,     DONE),
    # A page that may send a reader on to where they were (a thread: the first unread).
    "read-any":         (ANY,       ANY,        ANY,      ANY,      ANY,        ANY,      ANY),
    # The reiziger's own card, comment, post or question: they change it, and the
    # reisbegeleider as the journey's moderator.
    "own":              (LOGIN,     403,        403,      DONE,     403,        DONE,     403),
    "own-page":         (LOGIN,     403,        403,      200,      403,        200,      403),
    "cms-door":         (LOGIN,     ANY,        403,      403,      403,        403,      ANY),
    "to-sign-in":       (LOGIN,     LOGIN,      LOGIN,    LOGIN,    LOGIN,      LOGIN,    LOGIN),
    # A signed link made for one member (a data download): for anyone else it does not exist.
    "own-link":         (LOGIN,     404,        404,      404,      404,        404,      404),
    # JSON for the page's scripts: visitors get nothing, not even a sign-in page.
    "account-json":     (404,       200,        200,      200,      200,        200,      200),
    "count-json":       (403,       200,        200,      200,      200,        200,      200),
    "author":           (LOGIN,     403,        403,      DONE,     403,        403,      403),
    # The story's teller (the meelezer) only.
    "teller":           (LOGIN,     403,        DONE,     403,      403,        403,      403),
    # The notification's addressee (the reisbegeleider) only; for anyone else it does
    # not exist.
    "addressee":        (LOGIN,     404,        404,      404,      404,        DONE,     404),
    # Nobody, in the state the thing is in (an answer to a question nobody researches).
    "nobody-page":      (LOGIN,     403,        403,      403,      403,        403,      403),
}
# fmt: on

SEES = {
    Visibility.OPENBAAR: set(VIEWERS),
    Visibility.BESLOTEN: MEMBERS | {"staff"},
}


def expected_answer(rule: str, viewer: str, visibility: str | None = None, login_first=False):
    if login_first and viewer == "anonymous":
        return LOGIN
    if visibility is not None and viewer not in SEES[visibility]:
        return 404
    row = RULES.get(f"{rule}-{visibility}", RULES[rule])
    return dict(zip(VIEWERS, row, strict=True))[viewer]


def agrees_with(expected, response) -> bool:
    got = answer_of(response)
    if expected == ANY:
        return got in (200, 302, 400, 405)
    return agrees(expected, got)


# --- The world every address is tried on ----------------------------------------------------

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def mp3() -> bytes:
    return b"\xff\xfb\x90\x64" + b"\x00" * 400


@dataclass
class Scene:
    """A journey with something behind every address of its forum, boards, stories and
    leervragen: a thread by the reisbegeleider with a reply (and attachment) by the
    reiziger that the meelezer reported, an open board with the reiziger's card (with an
    image and a comment), a story with image and audio told by the meelezer, and a
    leervraag raised by the reiziger; the reisbegeleider's notification of that reply.
    The addresses outside a journey add theirs (add_site_objects)."""

    journey: Journey
    board: object
    card: object
    comment: object
    thread: object
    post: object
    attachment: object
    report: object
    story: Story
    question: object
    notification: Notification
    plein_thread: object = None
    category: object = None
    extra: dict = field(default_factory=dict)


def build_scene(personas, make_journey, visibility: str) -> Scene:  # noqa: F811
    lead, reiziger, meelezer = (
        personas["reisbegeleider"],
        personas["professional"],
        personas["inwoner"],
    )
    journey = make_journey(f"Reis {visibility}", visibility=visibility)
    board = boards.create_board(
        lead, journey, boards.BoardDetails(title="Break-out"), template="perspectieven"
    )
    boards.set_state(lead, board, board.State.OPEN)
    board.refresh_from_db()
    card = boards.post_card(
        reiziger,
        board,
        body="Gezien worden",
        column_id=board.columns.first().pk,
        row_id=board.rows.first().pk if board.rows.exists() else None,
        image=upload("kaart.jpg", jpeg_with_exif()),
        image_alt="Een foto",
    )
    comment = boards.add_comment(reiziger, card, body="Mee eens")
    thread = forum.start_thread(
        lead, title="Wie sluit aan bij de buurttafel?", body="Laat het weten.", journey=journey
    )
    post = forum.reply(
        reiziger,
        thread,
        body="Ik doe mee.",
        attachments=[SimpleUploadedFile("verslag.pdf", PDF, content_type="application/pdf")],
    )
    report = forum.report_post(meelezer, post, reason="Klopt niet")
    story = stories.tell_story(
        meelezer,
        details(
            title=f"Verhaal {visibility}",
            visibility=visibility,
            journey=journey,
            image=upload("a.jpg", jpeg_with_exif()),
            image_description="Een foto",
            audio=upload("ilse.mp3", mp3(), "audio/mpeg"),
        ),
    )
    question = leervragen.raise_question(
        reiziger, question="Werkt een vast maatje beter?", journey=journey
    )
    notification = Notification.objects.filter(user=lead).latest("pk")
    return Scene(
        journey=journey,
        board=board,
        card=card,
        comment=comment,
        thread=thread,
        post=post,
        attachment=post.attachments.get(),
        report=report,
        story=story,
        question=question,
        notification=notification,
    )


# --- Every route of the platform's own, how to call it and its rule -------------------------


@dataclass(frozen=True)
class Route:
    method: str  # "GET" or "POST"
    rule: str  # a row of RULES
    kwargs: Callable[[Scene], dict] = lambda s: {}
    data: Callable[[Scene], dict] = lambda s: {}
    query: str | Callable[[Scene], str] = ""
    # In a journey: the answer depends on whether the viewer may know the journey.
    in_journey: bool = True
    # Visitors are sent to sign in before anything is looked up (for any id alike).
    login_first: bool = False


def _slug(s):
    return {"slug": s.journey.slug}


def _board(s):
    return {"slug": s.journey.slug, "board_id": s.board.pk}


def _card(s):
    return {**_board(s), "card_id": s.card.pk}


def _post(s):
    return {"post_id": s.post.pk}


def _thread(s):
    return {"thread_id": s.thread.pk}


def _story(s):
    return {"pk": s.story.pk}


def _question(s):
    return {"pk": s.question.pk}


def _cell(s):
    row = s.board.rows.first()
    return {"cell": f"{s.board.columns.last().pk}:{row.pk if row else ''}"}


SITE = {"in_journey": False}

ROUTES: dict[str, Route] = {
    # config.urls
    "health": Route("GET", "public", **SITE),
    "set_language": Route("POST", "public-post", data=lambda s: {"language": "nl"}, **SITE),
    "account_profile": Route("GET", "account", **SITE),
    # Privacy: your data download and deleting your account (community/privacy_views.py).
    "account_data": Route("GET", "account", **SITE),
    "account_data_request": Route("POST", "signed-in-post", **SITE),
    "account_data_download": Route(
        "GET", "own-link", kwargs=lambda s: {"token": "onbekend"}, **SITE
    ),
    "account_delete": Route("GET", "account", **SITE),
    "security_txt": Route("GET", "public", **SITE),
    "security_policy": Route("GET", "public", **SITE),
    # Where Wagtail sends whoever may not enter the CMS, and its own sign-in form, which
    # sends there too (a password alone must not open the CMS, around allauth).
    "cms_sign_in": Route("GET", "cms-door", **SITE),
    "cms_login": Route("GET", "cms-door", **SITE),
    # Wagtail's sign-in form for private pages: allauth's door instead.
    "page_login": Route("GET", "to-sign-in", **SITE),
    # Live boards
    "community:journey_boards": Route("GET", "read", kwargs=_slug),
    "community:board_new": Route("GET", "facilitate-page", kwargs=_slug),
    "community:board_import": Route("GET", "facilitate-page", kwargs=_slug),
    "community:board": Route("GET", "read", kwargs=_board),
    "community:board_edit": Route("GET", "facilitate-page", kwargs=_board),
    "community:board_state": Route(
        "POST", "facilitate", kwargs=_board, data=lambda s: {"state": "gesloten"}
    ),
    "community:card_post": Route(
        "POST",
        "contribute",
        kwargs=_board,
        data=lambda s: {"body": "Nieuw", "column_id": s.board.columns.last().pk},
    ),
    "community:board_csv": Route("GET", "read", kwargs=_board),
    "community:board_markdown": Route("GET", "read", kwargs=_board),
    "community:board_print": Route("GET", "read", kwargs=_board),
    "community:card": Route("GET", "read", kwargs=_card),
    "community:card_edit": Route("POST", "author", kwargs=_card, data=lambda s: {"body": "Anders"}),
    "community:card_delete": Route("POST", "own", kwargs=_card),
    "community:card_react": Route(
        "POST", "contribute", kwargs=_card, data=lambda s: {"kind": "eens"}
    ),
    "community:card_comment": Route(
        "POST", "contribute", kwargs=_card, data=lambda s: {"body": "Goed punt"}
    ),
    "community:comment_delete": Route(
        "POST", "own", kwargs=lambda s: {**_board(s), "comment_id": s.comment.pk}
    ),
    "community:card_status": Route(
        "POST", "facilitate", kwargs=_card, data=lambda s: {"status": Card.Status.HIDDEN}
    ),
    "community:card_move": Route("POST", "facilitate", kwargs=_card, data=_cell),
    "community:card_highlight": Route("POST", "facilitate", kwargs=_card),
    "community:card_to_thread": Route("POST", "facilitate", kwargs=_card),
    "community:card_image": Route("GET", "read", kwargs=_card),
    # Forums: the plein
    "community:plein": Route("GET", "account", **SITE),
    "community:plein_new_thread": Route("GET", "account", **SITE),
    "community:plein_mark_read": Route("POST", "signed-in-post", **SITE),
    "community:plein_thread": Route(
        "GET", "account", kwargs=lambda s: {"thread_id": s.plein_thread.pk}, **SITE
    ),
    "community:plein_category": Route(
        "GET", "account", kwargs=lambda s: {"slug": s.category.slug}, **SITE
    ),
    "community:plein_moderation": Route("GET", "staff-page", **SITE),
    "community:plein_search": Route("GET", "account", query="?q=buurt", **SITE),
    # For a new thread in the journey's forum: ?reis=<slug> (the plein without it).
    "community:mention_suggestions_space": Route(
        "GET", "account-json", query=lambda s: f"?q=ro&reis={s.journey.slug}"
    ),
    # Forums: a journey's forum
    "community:journey_forum": Route("GET", "read", kwargs=_slug),
    "community:journey_new_thread": Route("GET", "contribute-page", kwargs=_slug),
    "community:journey_forum_mark_read": Route("POST", "read-post", kwargs=_slug),
    "community:journey_thread": Route(
        "GET", "read-any", kwargs=lambda s: {**_slug(s), **_thread(s)}
    ),
    "community:journey_moderation": Route("GET", "facilitate-page", kwargs=_slug),
    "community:journey_forum_search": Route("GET", "read", kwargs=_slug, query="?q=buurt"),
    "community:mention_suggestions": Route("GET", "account-json", kwargs=_thread, query="?q=ro"),
    "community:post_fragment": Route("GET", "read", kwargs=_post),
    "community:post_edit": Route("POST", "own", kwargs=_post, data=lambda s: {"body": "Anders"}),
    "community:post_history": Route("GET", "read", kwargs=_post),
    "community:post_delete": Route("POST", "own", kwargs=_post),
    # Anyone who reads a thread reacts to its posts (staff too, in any journey).
    "community:post_react": Route(
        "POST", "read-post", kwargs=_post, data=lambda s: {"kind": "eens"}
    ),
    "community:post_report": Route(
        "POST", "read-post", kwargs=_post, data=lambda s: {"reason": "Onjuist"}
    ),
    "community:attachment": Route(
        "GET", "read", kwargs=lambda s: {"attachment_id": s.attachment.pk}
    ),
    "community:thread_subscription": Route(
        "POST", "read-post", kwargs=_thread, data=lambda s: {"level": "volgen"}
    ),
    "community:thread_flag": Route(
        "POST", "facilitate", kwargs=_thread, data=lambda s: {"flag": "pinned", "value": "1"}
    ),
    "community:thread_move": Route(
        "GET", "staff-page", kwargs=lambda s: {"thread_id": s.plein_thread.pk}, **SITE
    ),
    "community:report_handle": Route(
        "POST", "facilitate", kwargs=lambda s: {"report_id": s.report.pk}, data=lambda s: {}
    ),
    # Notifications (the reisbegeleider's, of the reiziger's reply)
    "community:notifications": Route("GET", "account", **SITE),
    "community:notification_count": Route("GET", "count-json", **SITE),
    "community:notifications_read_all": Route("POST", "signed-in-post", **SITE),
    "community:notification_settings": Route("GET", "account", **SITE),
    "community:unsubscribe": Route(
        "GET", "public", kwargs=lambda s: {"token": s.extra["unsubscribe_token"]}, **SITE
    ),
    "community:notification_open": Route(
        "GET", "addressee", kwargs=lambda s: {"notification_id": s.notification.pk}, **SITE
    ),
    "community:privacy": Route("GET", "public", **SITE),
    # Stories (told by the meelezer)
    "stories:index": Route("GET", "public", **SITE),
    "stories:counts_csv": Route("GET", "public", **SITE),
    "stories:tell": Route("GET", "account", **SITE),
    "stories:withdraw_code_form": Route("GET", "public", **SITE),
    # The code is the key, as an invitation's token: an unknown one does not exist.
    "stories:withdraw_by_code": Route(
        "GET", "gone", kwargs=lambda s: {"code": "ONBEKEND-CODE"}, **SITE
    ),
    "stories:detail": Route("GET", "read", kwargs=_story),
    "stories:edit": Route("GET", "teller", kwargs=_story, login_first=True),
    "stories:withdraw": Route("GET", "teller", kwargs=_story, login_first=True),
    "stories:new_code": Route("POST", "teller", kwargs=_story, login_first=True),
    "stories:code": Route("GET", "teller", kwargs=_story, login_first=True),
    "stories:image": Route("GET", "read", kwargs=_story),
    "stories:audio": Route("GET", "read", kwargs=_story),
    "stories:journey_archive": Route("GET", "read", kwargs=_slug),
    "stories:journey_counts_csv": Route("GET", "read", kwargs=_slug),
    # Learning: lessons, search, leervragen (raised by the reiziger)
    "learning:lesson_progress": Route(
        "POST",
        "signed-in-post",
        kwargs=lambda s: {"lesson_id": s.extra["lesson"].pk},
        data=lambda s: {"done": "1"},
        **SITE,
    ),
    "learning:search": Route("GET", "public", query="?q=buurt", **SITE),
    "learning:question_index": Route("GET", "public", **SITE),
    "learning:question_board": Route("GET", "public", **SITE),
    "learning:my_questions": Route("GET", "account", **SITE),
    "learning:question_gaps": Route("GET", "public", **SITE),
    "learning:question_create": Route("GET", "account", **SITE),
    "learning:question": Route("GET", "read", kwargs=_question),
    "learning:question_edit": Route("GET", "own-page", kwargs=_question),
    "learning:question_move": Route(
        "POST", "facilitate", kwargs=_question, data=lambda s: {"naar": "geprioriteerd"}
    ),
    "learning:question_vote": Route("POST", "member", kwargs=_question),
    "learning:question_follow": Route("POST", "read-post", kwargs=_question),
    "learning:question_ownership": Route("POST", "contribute", kwargs=_question),
    "learning:question_position": Route(
        "POST", "facilitate", kwargs=_question, data=lambda s: {"plaats": "1"}
    ),
    "learning:question_plan": Route("GET", "facilitate-page", kwargs=_question),
    "learning:question_answer": Route("GET", "nobody-page", kwargs=_question),
    "learning:question_duiding": Route("GET", "facilitate-page", kwargs=_question),
    "learning:question_evidence": Route("GET", "facilitate-page", kwargs=_question),
    "learning:question_comment": Route(
        "POST", "contribute", kwargs=_question, data=lambda s: {"body": "Goede vraag"}
    ),
    "learning:journey_questions": Route("GET", "read", kwargs=_slug),
    "learning:journey_question_board": Route("GET", "read", kwargs=_slug),
    # Wagtail's own small doors, outside the admin
    "wagtaildocs_serve": Route(
        "GET",
        "public",
        kwargs=lambda s: (s.extra["document"].pk, s.extra["document"].filename),
        **SITE,
    ),
    "wagtaildocs_authenticate_with_password": Route(
        "GET", "gone", kwargs=lambda s: {"restriction_id": 999999}, **SITE
    ),
    "wagtailcore_authenticate_with_password": Route(
        "GET", "gone", kwargs=lambda s: {"page_view_restriction_id": 999999, "page_id": 1}, **SITE
    ),
    # Shadowed by page_login (config/urls.py): the same address, allauth's door.
    "wagtailcore_login": Route("GET", "to-sign-in", **SITE),
}


# --- Walking the URLconf --------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    name: str | None  # with its namespaces, "community:board"
    route: str  # the full pattern, "reizen/<slug:slug>/borden/"
    pattern: URLPattern
    module: str  # where the view lives


def walk(patterns=None, prefix: str = "", namespace: str = "") -> list[Found]:
    """Every pattern of the URLconf, into every include."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            view = getattr(pattern.callback, "view_class", pattern.callback)
            found.append(Found(name, prefix + str(pattern.pattern), pattern, view.__module__))
    return found


# Agenda routes have their own matrix; it names every one of them (see its first test).
EVENT_ROUTES = {f"community:{name}" for name in {*event_matrix.ROUTES, *event_matrix.SPACE_ROUTES}}
JOURNEY_ROUTES = {f"journeys:{name}" for name in journey_matrix.ROUTES}
DELEGATED = {
    "tests/journeys/test_permissions.py": JOURNEY_ROUTES,
    "tests/community/test_event_permissions.py": EVENT_ROUTES,
}


def group_of(found: Found) -> str | None:
    """The group a third-party or admin pattern belongs to, or None for the platform's own."""
    if found.name in ROUTES:
        return None
    if found.route.startswith("cms/"):
        return "cms"
    if found.route.startswith("django-admin/"):
        return "django-admin"
    if found.module.startswith("allauth."):
        return "allauth"
    if found.name == "wagtail_serve":
        return "pages"
    return None


def test_every_route_of_the_site_is_in_the_permission_matrix():
    found = walk()
    own = [f for f in found if group_of(f) is None]
    assert all(f.name for f in own), [f.route for f in own if not f.name]
    delegated = set().union(*DELEGATED.values())
    missing = sorted(f.name for f in own if f.name not in ROUTES and f.name not in delegated)
    assert not missing, f"routes without an entry in this matrix: {missing}"
    names = {f.name for f in found}
    stale = sorted((ROUTES.keys() | delegated) - names)
    assert not stale, f"entries without a route: {stale}"
    assert not ROUTES.keys() & delegated, "checked twice"
    for name, route in ROUTES.items():
        assert route.method in ("GET", "POST"), name
        assert route.rule in RULES, name
    in_journey = sum(route.in_journey for route in ROUTES.values())
    groups = {}
    for f in found:
        groups[group_of(f) or "own"] = groups.get(group_of(f) or "own", 0) + 1
    print(
        f"URL patterns: {len(found)} ({groups}); own rows here: {len(ROUTES)} "
        f"({in_journey} in a journey x {len(VIEWERS)} viewers x {len(JOURNEY_VISIBILITIES)} "
        f"journeys + {len(ROUTES) - in_journey} outside x {len(VIEWERS)} viewers = "
        f"{(in_journey * len(JOURNEY_VISIBILITIES) + len(ROUTES) - in_journey) * len(VIEWERS)}"
        f" answers); delegated: "
        + ", ".join(f"{len(names)} to {module}" for module, names in DELEGATED.items())
    )


# --- Asking ---------------------------------------------------------------------------------


def url_of(name: str, route: Route, scene: Scene) -> str:
    values = route.kwargs(scene)
    args, kwargs = (values, None) if isinstance(values, tuple) else ((), values)
    url = reverse(name, args=args, kwargs=kwargs)
    return url + (route.query(scene) if callable(route.query) else route.query)


def check(clients, name: str, route: Route, scene: Scene, visibility: str | None, mismatches):
    """Ask one route as every viewer; returns how many answers were checked."""
    url = url_of(name, route, scene)
    for viewer in VIEWERS:
        expected = expected_answer(route.rule, viewer, visibility, route.login_first)
        response = ask(clients[viewer], route.method, url, route.data(scene))
        if not agrees_with(expected, response):
            where = f" on {visibility}" if visibility else ""
            mismatches.append(
                f"{route.method} {name} as {viewer}{where}: "
                f"expected {expected}, got {describe(response)}"
            )
    return len(VIEWERS)


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", JOURNEY_VISIBILITIES)
def test_every_address_in_a_journey_answers_each_viewer_as_the_matrix_says(
    personas,
    make_journey,  # noqa: F811
    visibility,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    scene = build_scene(personas, make_journey, visibility)
    clients = clients_for(personas)
    mismatches = []
    for name, route in ROUTES.items():
        if route.in_journey:
            check(clients, name, route, scene, visibility, mismatches)
    assert not mismatches, "\n".join(mismatches)


def add_site_objects(scene: Scene, personas) -> None:
    """What the addresses outside a journey need: a plein category and thread, a lesson,
    a document, and someone's unsubscribe link."""
    scene.category = ForumCategory.objects.create(name="Wat werkt", slug="wat-werkt")
    scene.plein_thread = forum.start_thread(
        personas["professional"],
        title="Buurtkamers",
        body="Wie heeft ervaring?",
        category=scene.category,
    )
    home = HomePage.objects.get()
    index = home.add_child(instance=CourseIndexPage(title="Leren", slug="leren", live=False))
    index.save_revision().publish()
    course = _course(
        CourseIndexPage.objects.get(pk=index.pk), personas["trainer"], slug="impact", lessons=1
    )
    scene.extra["lesson"] = course.get_children().specific().get()
    document = get_document_model()(title="Handreiking")
    document.file.save("handreiking.pdf", ContentFile(PDF), save=True)
    scene.extra["document"] = document
    preference, _ = NotificationPreference.objects.get_or_create(user=personas["professional"])
    scene.extra["unsubscribe_token"] = preference.unsubscribe_token


@pytest.mark.django_db
def test_every_address_outside_a_journey_answers_each_viewer_as_the_matrix_says(
    personas,
    make_journey,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    scene = build_scene(personas, make_journey, Visibility.BESLOTEN)
    add_site_objects(scene, personas)
    clients = clients_for(personas)
    mismatches = []
    for name, route in ROUTES.items():
        if not route.in_journey:
            check(clients, name, route, scene, None, mismatches)
    assert not mismatches, "\n".join(mismatches)


# --- Third-party and admin groups -----------------------------------------------------------

SAMPLE = {"int": "1", "uuid": str(uuid.UUID(int=1))}


def _sample_group(match: re.Match) -> str:
    body = match.group(1)
    first = body.split("|")[0]
    if re.fullmatch(r"[\w-]+", first):
        return first  # a literal alternative: "auth", "live"
    return "1" if "d" in first else "x"


def sample_path(found: Found) -> str | None:
    """A path that this pattern matches, with made-up values for its parameters; None when
    the made-up path would be taken by another pattern."""
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1), "x"), found.route)
    path = re.sub(r"\((?:\?P<\w+>)?([^()]*)\)\??", _sample_group, path)  # regex groups
    path = path.replace(".*", "x").replace("^", "").replace("$", "").replace("\\", "")
    try:
        match = resolve("/" + path)
    except Resolver404:
        return None
    return "/" + path if match.func == found.pattern.callback else None


def has_parameters(found: Found) -> bool:
    return "<" in found.route or "(" in found.route


SIGN_IN_PATHS = (reverse("account_login"), reverse("cms_sign_in"), reverse("admin:login"))
ADMIN_HOMES = {"cms": reverse("wagtailadmin_home"), "django-admin": reverse("admin:index")}
# Wagtail's page to try the server-error page (it fails on purpose, for editors).
FAILS_ON_PURPOSE = {"wagtailadmin_error_test"}
# Open to anyone by design: the admin's icon sprite and its translations for scripts.
OPEN_IN_ADMIN = {"wagtailadmin_sprite", "wagtailadmin_javascript_catalog"}
# Patterns no made-up path reaches: Wagtail's sign-in form, taken by cms_login before it
# (config/urls.py), and two regular expressions too particular to sample.
NOT_SAMPLED = {
    "wagtailadmin_login",
    "admin:app_list",
    "wagtailadmin_pages:revisions_compare",
}


def refused(response, group: str) -> bool:
    """Sent to sign in (any of the three doors) or to the admin's home (which sends them
    there), or told no."""
    if response.status_code == 302:
        return response["Location"].startswith((*SIGN_IN_PATHS, ADMIN_HOMES[group]))
    return response.status_code in (403, 404, 405)


# Who may enter each admin: the Wagtail admin takes editors (the trainer is in an editorial
# group) and staff; the Django admin takes staff only.
ADMITTED = {"cms": {"non-member", "staff"}, "django-admin": {"staff"}}
# The four journey roles are the same kind of account to an admin: the meelezer stands in
# for them on the addresses with parameters.
WITHOUT_ACCESS = "meelezer"


@pytest.mark.django_db
def test_the_admins_send_visitors_to_sign_in_and_refuse_accounts_without_access(personas):
    clients = clients_for(personas)
    mismatches, checked, skipped = [], 0, []
    for found in walk():
        group = group_of(found)
        if group not in ADMITTED:
            continue
        path = sample_path(found)
        if path is None:
            skipped.append(found.name)
            continue
        viewers = VIEWERS if not has_parameters(found) else ("anonymous", WITHOUT_ACCESS)
        for viewer in viewers:
            response = ask(clients[viewer], "GET", path)
            checked += 1
            if found.name in OPEN_IN_ADMIN:
                ok = response.status_code == 200
            elif viewer not in ADMITTED[group]:
                ok = refused(response, group)
            elif path == ADMIN_HOMES[group]:
                ok = response.status_code == 200
            else:  # in, though a finer permission may still say no to this page
                ok = response.status_code < 500 or found.name in FAILS_ON_PURPOSE
            if not ok:
                mismatches.append(f"GET {path} ({found.name}) as {viewer}: {describe(response)}")
    print(f"admins: {checked} answers checked")
    assert set(skipped) == NOT_SAMPLED, f"patterns without a sample path: {skipped}"
    assert not mismatches, "\n".join(mismatches)


# Two-factor pages about an authenticator the account has not set up: allauth says 404.
MFA_NOTHING_YET = {
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
}


@pytest.mark.django_db
def test_allauth_pages_are_public_or_ask_to_sign_in_and_the_page_tree_is_public(
    personas, settings, tmp_path
):
    """allauth's pages (sign-in, sign-up, password reset, e-mail, two-factor): each opens
    or sends to sign in, for every viewer; never an error. Made-up keys in links from
    mails get allauth's own 'invalid link' page. Then every live page of the Wagtail
    tree opens for everyone (editorial content is public)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    add_site_objects(Scene(*[None] * 11), personas)  # the pages only: no journey needed
    clients = clients_for(personas)
    mismatches, checked = [], 0
    for found in walk():
        if group_of(found) != "allauth":
            continue
        path = sample_path(found)
        assert path, found.route
        for viewer in VIEWERS:
            # Logging out is a POST; the GET asks to confirm. Keep the clients signed in.
            response = ask(clients[viewer], "GET", path)
            checked += 1
            allowed = (200, 302, 404) if found.name in MFA_NOTHING_YET else (200, 302)
            if response.status_code not in allowed:
                mismatches.append(f"GET {path} ({found.name}) as {viewer}: {describe(response)}")
    pages = Page.objects.live().filter(depth__gt=1).specific()
    for page in pages:
        for viewer in VIEWERS:
            response = ask(clients[viewer], "GET", page.url)
            checked += 1
            if response.status_code != 200:
                mismatches.append(f"GET {page.url} ({page}) as {viewer}: {describe(response)}")
    print(f"allauth and pages: {checked} answers checked ({len(pages)} pages)")
    assert not mismatches, "\n".join(mismatches)


# --- Websockets -----------------------------------------------------------------------------

OWN_ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]
ACCEPT, REFUSE = "accept", "refuse"
READERS = "readers"  # whoever may read the journey's pages (the "read" rule above)
# fmt: off
WS_RULES = {
    #              anonymous  non-member  meelezer  reiziger  opdrachtg.  reisbeg.  staff
    "everyone":   (ACCEPT,    ACCEPT,     ACCEPT,   ACCEPT,   ACCEPT,     ACCEPT,   ACCEPT),
    "signed-in":  (REFUSE,    ACCEPT,     ACCEPT,   ACCEPT,   ACCEPT,     ACCEPT,   ACCEPT),
    READERS:      (ACCEPT,    ACCEPT,     ACCEPT,   ACCEPT,   ACCEPT,     ACCEPT,   ACCEPT),
}
# fmt: on
# Every websocket route (community/routing.py): its rule and the path for a scene.
WS_ROUTES: dict[str, tuple[str, Callable[[Scene], str]]] = {
    "ws/ping/": ("everyone", lambda s: "/ws/ping/"),
    "ws/forum/thread/<int:thread_id>/": (READERS, lambda s: f"/ws/forum/thread/{s.thread.pk}/"),
    "ws/forum/journey/<int:journey_id>/": (
        READERS,
        lambda s: f"/ws/forum/journey/{s.journey.pk}/",
    ),
    "ws/forum/plein/": ("signed-in", lambda s: "/ws/forum/plein/"),
    "ws/borden/<int:board_id>/": (READERS, lambda s: f"/ws/borden/{s.board.pk}/"),
    "ws/meldingen/": ("signed-in", lambda s: "/ws/meldingen/"),
}


def ws_expected(rule: str, viewer: str, visibility: str | None):
    if rule == READERS and viewer not in SEES[visibility]:
        return REFUSE
    return dict(zip(VIEWERS, WS_RULES[rule], strict=True))[viewer]


def test_every_websocket_route_is_in_the_permission_matrix():
    routes = {str(pattern.pattern) for pattern in websocket_urlpatterns}
    assert routes == set(WS_ROUTES), sorted(routes ^ set(WS_ROUTES))


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def ws_answer(path: str, cookie: str | None) -> str:
    """Accepted and left open, or refused (not accepted, or closed at once with 4403)."""
    from config.asgi import application

    headers = list(OWN_ORIGIN)
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    try:
        if not connected:
            return REFUSE
        if await communicator.receive_nothing(timeout=0.2):
            return ACCEPT
        output = await communicator.receive_output()
        return REFUSE if output["type"] == "websocket.close" else ACCEPT
    finally:
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
async def test_every_websocket_route_answers_each_viewer_as_the_matrix_says(
    personas,
    make_journey,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    scenes = {
        visibility: await database_sync_to_async(build_scene)(personas, make_journey, visibility)
        for visibility in JOURNEY_VISIBILITIES
    }
    cookies = {"anonymous": None}
    for viewer in VIEWERS[1:]:
        cookies[viewer] = await database_sync_to_async(_session_cookie)(personas[PERSONA[viewer]])
    mismatches, checked = [], 0
    for route, (rule, path_of) in WS_ROUTES.items():
        visibilities = JOURNEY_VISIBILITIES if rule == READERS else (None,)
        for visibility in visibilities:
            path = path_of(scenes[visibility or Visibility.BESLOTEN])
            for viewer in VIEWERS:
                expected = ws_expected(rule, viewer, visibility)
                got = await ws_answer(path, cookies[viewer])
                checked += 1
                if got != expected:
                    mismatches.append(f"{route} as {viewer} on {visibility}: {got}")
    print(f"websockets: {checked} answers checked")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.django_db
def test_wagtails_own_sign_in_forms_no_longer_open_a_session_with_a_password_alone(personas):
    """/cms/login/ and /_util/login/ were Wagtail's Django login forms: a password alone
    signed staff in, around allauth's e-mail verification, rate limits and two-factor.
    Both now send to allauth's door and take no credentials."""
    from tests.conftest import PASSWORD

    for path in ("/cms/login/", "/_util/login/"):
        client = Client()
        client.post(path, {"username": "beheerder@example.org", "password": PASSWORD})
        assert "_auth_user_id" not in client.session, path
        assert answer_of(client.get("/cms/")) != 200, path
        assert answer_of(client.get(path + "?next=/cms/")) == LOGIN, path
