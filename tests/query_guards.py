"""Every address of the platform that answers GET, how to reach it in the demo data and as
whom, for the query guards in tests/test_query_guards.py.

Like the permission matrix, this list must name every route of our own apps: a route
added later without an entry here (in PAGES or in NOT_PAGES, with the reason) makes
test_every_route_is_guarded_or_says_why_not fail. The Wagtail page tree is walked by
page type instead (every page model of learning needs one live page in the demo).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLResolver, get_resolver

from journeys.method import RESULT_SLUGS

# Routes of our own apps. allauth's, Wagtail's and the admins' routes are theirs.
OUR_NAMESPACES = ("community", "journeys", "learning", "stories")
OUR_PLAIN_NAMES = ("account_profile", "cms_sign_in", "health")


@dataclass
class Scene:
    """The demo objects the addresses point at, looked up once after seeding."""

    journey: object  # the netwerk journey in doen en leren: board, reports, leervragen
    board: object
    card: object
    journey_thread: object  # the journey thread with the most posts
    plein_thread: object
    category: object
    post: object  # a post that was edited, so its history has revisions
    event: object  # a journey event with registrations
    notification: object
    story: object  # a story the viewer may read
    own_story: object  # a story the viewer told
    question: object
    invitation: object
    export: object  # a made PDF of the reisverslag
    feed_token: str
    unsubscribe_token: str
    withdrawal_code: str
    lesson: object
    diff_result: object  # a phase result with two versions or more
    scenario: object  # a scenario page
    method: object  # the method page
    element: object  # a werkzaam element
    grown: dict = field(default_factory=dict)  # rows added per kind by the pins


@dataclass(frozen=True)
class Page:
    """A GET address: its URL kwargs (one dict, or a list for variants), the persona who
    asks (None: anonymous) and a query string."""

    kwargs: Callable[[Scene], dict | list[dict]] = lambda s: {}
    viewer: str | None = "reisbegeleider"
    query: str | Callable[[Scene], str] = ""


def slug(s: Scene) -> dict:
    return {"slug": s.journey.slug}


def board(s: Scene) -> dict:
    return {"slug": s.journey.slug, "board_id": s.board.pk}


def card(s: Scene) -> dict:
    return {**board(s), "card_id": s.card.pk}


RESULTS = ("opdracht", "foto", "programma-aanpak", "reisverslag")
REPORTS = ("foto", "reisverslag")


def diff(s: Scene) -> dict:
    return {"slug": s.diff_result.journey.slug, "kind_slug": RESULT_SLUGS[s.diff_result.kind]}


def results(s: Scene) -> list[dict]:
    return [{"slug": s.journey.slug, "kind_slug": kind} for kind in RESULTS]


def reports(s: Scene) -> list[dict]:
    return [{"slug": s.journey.slug, "kind_slug": kind} for kind in REPORTS]


PAGES: dict[str, Page] = {
    # Plain names
    "account_profile": Page(),
    "health": Page(viewer=None),
    # Journeys
    "journeys:index": Page(),
    "journeys:create": Page(),
    "journeys:invitation": Page(lambda s: {"token": s.invitation.token}, viewer=None),
    "journeys:dashboard": Page(slug),
    "journeys:edit": Page(slug),
    "journeys:activity": Page(slug),
    "journeys:members": Page(slug),
    "journeys:canvas": Page(slug),
    "journeys:indicators": Page(slug),
    "journeys:indicators_import": Page(slug),
    "journeys:indicators_example": Page(slug),
    "journeys:element_list": Page(slug),
    "journeys:element_propose": Page(slug),
    "journeys:report_compose": Page(reports),
    "journeys:report_pdf_status": Page(
        lambda s: {"slug": s.journey.slug, "kind_slug": "reisverslag", "pk": s.export.pk}
    ),
    "journeys:report_pdf_download": Page(
        lambda s: {"slug": s.journey.slug, "kind_slug": "reisverslag", "pk": s.export.pk}
    ),
    "journeys:result": Page(results),
    "journeys:result_edit": Page(results),
    "journeys:result_history": Page(results),
    "journeys:result_diff": Page(
        lambda s: {
            "slug": s.diff_result.journey.slug,
            "kind_slug": RESULT_SLUGS[s.diff_result.kind],
        },
        query=lambda s: f"?cyclus={s.diff_result.cycle}&van=1&naar=2",
    ),
    # Stories
    "stories:index": Page(),
    "stories:counts_csv": Page(),
    "stories:tell": Page(),
    "stories:withdraw_code_form": Page(viewer=None),
    "stories:withdraw_by_code": Page(lambda s: {"code": s.withdrawal_code}, viewer=None),
    "stories:detail": Page(lambda s: {"pk": s.story.pk}),
    "stories:edit": Page(lambda s: {"pk": s.own_story.pk}, viewer="professional"),
    "stories:withdraw": Page(lambda s: {"pk": s.own_story.pk}, viewer="professional"),
    "stories:journey_archive": Page(slug),
    "stories:journey_counts_csv": Page(slug),
    # Learning: search and the leervragen
    "learning:search": Page(query="?q=eenzaamheid"),
    "learning:question_index": Page(),
    "learning:question_board": Page(),
    "learning:my_questions": Page(),
    "learning:question_gaps": Page(),
    "learning:question_create": Page(),
    "learning:question": Page(lambda s: {"pk": s.question.pk}),
    "learning:question_edit": Page(lambda s: {"pk": s.question.pk}),
    "learning:journey_questions": Page(slug),
    "learning:journey_question_board": Page(slug),
    # Community: boards
    "community:journey_boards": Page(slug),
    "community:board_new": Page(slug),
    "community:board_import": Page(slug),
    "community:board": Page(board),
    "community:board_edit": Page(board),
    "community:board_csv": Page(board),
    "community:board_markdown": Page(board),
    "community:board_print": Page(board),
    "community:card": Page(card),
    "community:card_edit": Page(card),
    # Community: events and calendars
    "community:agenda": Page(),
    "community:agenda_month": Page(
        lambda s: {"year": s.event.starts_at.year, "month": s.event.starts_at.month}
    ),
    "community:event": Page(lambda s: {"event_id": s.event.pk}),
    "community:event_new": Page(viewer="beheerder"),  # network-wide events: staff
    "community:event_edit": Page(lambda s: {"event_id": s.event.pk}),
    "community:event_ics": Page(lambda s: {"event_id": s.event.pk}),
    "community:calendar_feed": Page(lambda s: {"token": s.feed_token}, viewer=None),
    "community:calendar_settings": Page(),
    "community:journey_agenda": Page(slug),
    "community:journey_event_new": Page(slug),
    # Community: forums and moderation
    "community:plein": Page(),
    "community:plein_category": Page(lambda s: {"slug": s.category.slug}),
    "community:plein_thread": Page(lambda s: {"thread_id": s.plein_thread.pk}),
    "community:plein_new_thread": Page(),
    "community:journey_forum": Page(slug),
    "community:journey_new_thread": Page(slug),
    "community:journey_thread": Page(
        lambda s: {"slug": s.journey.slug, "thread_id": s.journey_thread.pk}, query="?pagina=1"
    ),
    "community:post_fragment": Page(lambda s: {"post_id": s.post.pk}),
    "community:post_edit": Page(lambda s: {"post_id": s.post.pk}),
    "community:post_history": Page(lambda s: {"post_id": s.post.pk}),
    "community:post_delete": Page(lambda s: {"post_id": s.post.pk}),
    "community:post_report": Page(lambda s: {"post_id": s.post.pk}),
    "community:thread_move": Page(lambda s: {"thread_id": s.plein_thread.pk}, viewer="beheerder"),
    "community:journey_moderation": Page(slug),
    "community:plein_moderation": Page(viewer="beheerder"),
    "community:plein_search": Page(query="?q=eenzaamheid"),
    "community:journey_forum_search": Page(slug, query="?q=armoede"),
    "community:mention_suggestions": Page(
        lambda s: {"thread_id": s.journey_thread.pk}, query="?q=p"
    ),
    "community:mention_suggestions_space": Page(query=""),
    # Community: notifications, privacy
    "community:notifications": Page(),
    "community:notification_count": Page(),
    "community:notification_settings": Page(),
    "community:unsubscribe": Page(lambda s: {"token": s.unsubscribe_token}, viewer=None),
    "community:privacy": Page(viewer=None),
}

# Routes that are not pages a guard can ask for, and why.
POST_ONLY = "a POST action: no page to render"
NOT_PAGES: dict[str, str] = {
    "cms_sign_in": "a redirect into the Wagtail admin",
    "journeys:move_phase": POST_ONLY,
    "journeys:invite": POST_ONLY,
    "journeys:change_role": POST_ONLY,
    "journeys:remove_member": POST_ONLY,
    "journeys:revoke_invitation": POST_ONLY,
    "journeys:decide_request": POST_ONLY,
    "journeys:join": POST_ONLY,
    "journeys:leave": POST_ONLY,
    "journeys:canvas_add_entry": POST_ONLY,
    "journeys:canvas_remove_entry": POST_ONLY,
    "journeys:canvas_mark_doublure": POST_ONLY,
    "journeys:canvas_add_phase": POST_ONLY,
    "journeys:canvas_remove_phase": POST_ONLY,
    "journeys:add_data_point": POST_ONLY,
    "journeys:add_document": POST_ONLY,
    "journeys:remove_item": POST_ONLY,
    "journeys:indicators_add": POST_ONLY,
    "journeys:indicators_import_confirm": POST_ONLY,
    "journeys:report_add": POST_ONLY,
    "journeys:report_change": POST_ONLY,
    "journeys:report_pdf": POST_ONLY,
    "journeys:result_submit": POST_ONLY,
    "journeys:result_approve": POST_ONLY,
    "journeys:result_return": POST_ONLY,
    "stories:new_code": POST_ONLY,
    "stories:code": "shown once, right after a POST to new_code, from the session",
    "stories:image": "a stored file of one story",
    "stories:audio": "a stored file of one story",
    "learning:lesson_progress": POST_ONLY,
    "learning:question_move": POST_ONLY,
    "learning:question_vote": POST_ONLY,
    "learning:question_follow": POST_ONLY,
    "learning:question_ownership": POST_ONLY,
    "learning:question_position": POST_ONLY,
    "learning:question_plan": POST_ONLY,
    "learning:question_answer": POST_ONLY,
    "learning:question_duiding": POST_ONLY,
    "learning:question_evidence": POST_ONLY,
    "learning:question_comment": POST_ONLY,
    "community:board_state": POST_ONLY,
    "community:card_post": POST_ONLY,
    "community:card_delete": POST_ONLY,
    "community:card_react": POST_ONLY,
    "community:card_comment": POST_ONLY,
    "community:comment_delete": POST_ONLY,
    "community:card_status": POST_ONLY,
    "community:card_move": POST_ONLY,
    "community:card_highlight": POST_ONLY,
    "community:card_to_thread": POST_ONLY,
    "community:card_image": "a stored file of one card",
    "community:event_register": POST_ONLY,
    "community:event_report": POST_ONLY,
    "community:event_cancel": POST_ONLY,
    "community:plein_mark_read": POST_ONLY,
    "community:journey_forum_mark_read": POST_ONLY,
    "community:post_react": POST_ONLY,
    "community:attachment": "a stored file of one post",
    "community:thread_subscription": POST_ONLY,
    "community:thread_flag": POST_ONLY,
    "community:report_handle": POST_ONLY,
    "community:notifications_read_all": POST_ONLY,
    "community:notification_open": "marks one notification read and redirects to it",
}


def route_names() -> list[str]:
    """The names of our own routes, namespaced as reverse() takes them."""

    def walk(patterns, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                yield from walk(pattern.url_patterns, inner)
            elif pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    names = walk(get_resolver().url_patterns, None)
    return [
        name
        for name in names
        if (name.split(":")[0] in OUR_NAMESPACES and ":" in name) or name in OUR_PLAIN_NAMES
    ]


# --- Query-count pins: list and detail pages the app tests do not pin yet -------------------
#
# Each grows its rows from 3 to 30 on top of the demo; the count must stay the same. The
# pages pinned elsewhere (journey pages in tests/journeys/test_permissions.py, the forum
# lists and thread page, the agenda, the board, the story archive, the leervragen, search,
# the kennisbank, a course) are not repeated here.


@dataclass(frozen=True)
class Pin:
    url: Callable[[Scene], str]
    grow: Callable[[Scene, int], None]  # add this many more rows that the page shows
    viewer: str | None = "reisbegeleider"
    sizes: tuple[int, int] = (3, 30)


# Publishing a Wagtail page takes a while: fewer of them, still four times as many.
PAGE_TREE_SIZES = (3, 12)


def _user(role: str):
    from community.models import User

    return User.objects.get(email=f"{role}@example.org")


def _counter(scene: Scene, key: str, n: int) -> range:
    """The numbers of the next n rows of one kind, so names stay unique as a page grows."""
    done = scene.grown.get(key, 0)
    scene.grown[key] = done + n
    return range(done, done + n)


def grow_boards(s: Scene, n: int) -> None:
    from community.services import boards

    for i in _counter(s, "boards", n):
        details = boards.BoardDetails(title=f"Bord {i}", columns=["Wat", "Hoe"], rows=["Nu"])
        boards.create_board(_user("reisbegeleider"), s.journey, details)


def grow_card(s: Scene, n: int) -> None:
    from community.services import boards

    people = [_user(role) for role in ("professional", "inwoner", "opdrachtgever")]
    for i in _counter(s, "card", n):
        boards.add_comment(people[i % 3], s.card, body=f"Opmerking {i}", anonymous=i % 4 == 0)


def grow_events(s: Scene, n: int) -> None:
    """Events in the month of the scene's event, in its journey (and so in the feed)."""
    from datetime import timedelta

    from community.services import events

    start = s.event.starts_at.replace(day=1, hour=9)
    for i in _counter(s, "events", n):
        starts = start + timedelta(hours=i * 7)
        details = events.EventDetails(
            title=f"Bijeenkomst {i}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            form="online",
            online_url="https://example.org/meet",
        )
        event = events.create_event(_user("reisbegeleider"), details, journey=s.journey)
        events.register(_user("professional"), event, "aanwezig", send_email=False)


def grow_plein_thread(s: Scene, n: int) -> None:
    from community.services import forum

    for i in _counter(s, "plein_thread", n):
        forum.reply(_user("professional"), s.plein_thread, body=f"Reactie {i} op het plein.")


def grow_post_history(s: Scene, n: int) -> None:
    from community.services import forum

    for i in _counter(s, "post_history", n):
        s.post.refresh_from_db()
        forum.edit_post(s.post.author, s.post, body=f"{s.post.body}\n\nVersie {i}.")


def grow_reports(s: Scene, n: int) -> None:
    from community.services import forum

    for i in _counter(s, "reports", n):
        thread = forum.start_thread(
            _user("professional"), journey=s.journey, title=f"Gemeld {i}", body="Tekst."
        )
        forum.report_post(_user("inwoner"), thread.posts.get(), reason=f"Reden {i}")
        forum.set_thread_flag(_user("reisbegeleider"), thread, flag="hidden", value=True)


def grow_search_hits(s: Scene, n: int) -> None:
    from community.services import forum

    for i in _counter(s, "search", n):
        forum.reply(_user("professional"), s.journey_thread, body=f"Armoede en schulden {i}.")


def grow_stories(s: Scene, n: int) -> None:
    from journeys.models import Story
    from journeys.stories import services as stories

    for i in _counter(s, "stories", n):
        details = stories.StoryDetails(
            title=f"Verhaal {i}",
            text="Een verhaal over de buurt.",
            perspective=Story.Perspective.values[i % len(Story.Perspective.values)],
            journey=s.journey if i % 2 else None,
            themes=[f"thema {i % 4}"],
        )
        stories.tell_story(_user("professional"), details)


def grow_following_journeys(s: Scene, n: int) -> None:
    from journeys import services

    for i in _counter(s, "journeys", n):
        services.create_journey(
            _user("reisbegeleider"),
            title=f"Volgt het scenario {i}",
            challenge="Eenzaamheid",
            visibility="netwerk",
            scenario=s.scenario.scenario,
        )


def grow_courses(s: Scene, n: int) -> None:
    from learning.models import CoursePage

    index = s.lesson.get_parent().get_parent()
    for i in _counter(s, "courses", n):
        course = index.add_child(
            instance=CoursePage(
                title=f"Cursus {i}",
                slug=f"cursus-{i}",
                summary="Aanpakken met Impact in de praktijk.",
                trainer=_user("trainer"),
                live=True,
            )
        )
        course.save_revision().publish()


def grow_lessons(s: Scene, n: int) -> None:
    from learning.models import LessonPage

    course = s.lesson.get_parent()
    for i in _counter(s, "lessons", n):
        lesson = course.add_child(
            instance=LessonPage(title=f"Les extra {i}", slug=f"les-extra-{i}", intro="Stof.")
        )
        lesson.save_revision().publish()


def grow_revisions(s: Scene, n: int) -> None:
    from journeys.models import ResultRevision

    result = s.diff_result
    last = result.revisions.order_by("-number").first()
    ResultRevision.objects.bulk_create(
        ResultRevision(
            result=result,
            number=last.number + 1 + i,
            version=last.version,
            content={**last.content, "vraag": f"Versie {i}"},
            author=last.author,
        )
        for i in range(n)
    )


def grow_foto(s: Scene, n: int) -> None:
    from datetime import date
    from decimal import Decimal

    from journeys import method, services

    lenses = method.lens_keys()
    for i in _counter(s, "foto", n):
        services.add_data_point(
            _user("professional"),
            s.journey,
            lens=lenses[i % len(lenses)],
            indicator=f"Indicator {i}",
            value=Decimal("1.5"),
            unit="%",
            source="CBS",
            measured_on=date(2025, 1, 1),
        )


def grow_element_tags(s: Scene, n: int) -> None:
    """Themes, opgaven and doelgroepen on a werkzaam element, published as editors do."""
    element = s.element
    for i in _counter(s, "element_tags", n):
        element.themes.add(f"thema {i}")
        element.challenges.add(f"opgave {i}")
        element.target_groups.add(f"doelgroep {i}")
    element.save_revision().publish()


def _path(name: str, **kwargs) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


PINS: dict[str, Pin] = {
    "community:journey_boards": Pin(
        lambda s: _path("community:journey_boards", **slug(s)), grow_boards
    ),
    "community:card": Pin(lambda s: _path("community:card", **card(s)), grow_card),
    "community:agenda_month": Pin(
        lambda s: _path(
            "community:agenda_month", year=s.event.starts_at.year, month=s.event.starts_at.month
        ),
        grow_events,
    ),
    "community:calendar_feed": Pin(
        lambda s: _path("community:calendar_feed", token=s.feed_token), grow_events, viewer=None
    ),
    "community:plein_thread": Pin(
        lambda s: _path("community:plein_thread", thread_id=s.plein_thread.pk) + "?pagina=1",
        grow_plein_thread,
    ),
    "community:post_history": Pin(
        lambda s: _path("community:post_history", post_id=s.post.pk), grow_post_history
    ),
    "community:journey_moderation": Pin(
        lambda s: _path("community:journey_moderation", **slug(s)), grow_reports
    ),
    "community:journey_forum_search": Pin(
        lambda s: _path("community:journey_forum_search", **slug(s)) + "?q=schulden",
        grow_search_hits,
    ),
    "stories:counts_csv": Pin(lambda s: _path("stories:counts_csv"), grow_stories),
    "stories:journey_counts_csv": Pin(
        lambda s: _path("stories:journey_counts_csv", **slug(s)), grow_stories
    ),
    "journeys:result_diff": Pin(
        lambda s: (
            _path("journeys:result_diff", **diff(s)) + f"?cyclus={s.diff_result.cycle}&van=1&naar=2"
        ),
        grow_revisions,
    ),
    "journeys:report_compose": Pin(
        lambda s: _path("journeys:report_compose", slug=s.journey.slug, kind_slug="foto"),
        grow_foto,
    ),
    "wagtail:ScenarioPage": Pin(lambda s: s.scenario.url, grow_following_journeys),
    "wagtail:WorkingElementPage": Pin(lambda s: s.element.url, grow_element_tags),
    "wagtail:MethodPage": Pin(lambda s: s.method.url, grow_following_journeys),
    "wagtail:CourseIndexPage": Pin(
        lambda s: s.lesson.get_parent().get_parent().url, grow_courses, sizes=PAGE_TREE_SIZES
    ),
    "wagtail:LessonPage": Pin(lambda s: s.lesson.url, grow_lessons, sizes=PAGE_TREE_SIZES),
}
