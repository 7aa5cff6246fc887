"""Courses at /leren/: lessons, and each learner's progress through them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Page, PageViewRestriction
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from community import services as community_services
from community.models import AuditEntry
from learning import queries, services
from learning.models import CourseIndexPage, CoursePage, HomePage, LessonPage, LessonProgress

VIDEO_URL = "https://www.youtube.com/watch?v=cursus-eenzaamheid"


@pytest.fixture
def client(client):
    """The tests read the English texts (the msgids), whatever the Dutch catalogue says."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _lesson(course: CoursePage, number: int, *, live: bool = True, body=None) -> LessonPage:
    lesson = course.add_child(
        instance=LessonPage(
            title=f"Les {number}",
            slug=f"les-{number}",
            intro=f"Wat je leert in les {number}.",
            body=body or [("paragraph", RichText(f"<p>De stof van les {number}.</p>"))],
            live=False,
        )
    )
    if live:
        lesson.save_revision().publish()
    else:
        lesson.save_revision()
    return LessonPage.objects.get(pk=lesson.pk)


def _course(index: CourseIndexPage, trainer, *, slug: str, lessons: int) -> CoursePage:
    course = index.add_child(
        instance=CoursePage(
            title=f"Cursus {slug}",
            slug=slug,
            summary="Aanpakken met Impact in de praktijk.",
            learning_goals=[("goal", "Je kent de vier fases van de reis.")],
            audience="Professionals bij gemeenten en partners",
            duration="Drie bijeenkomsten van twee uur",
            trainer=trainer,
            live=False,
        )
    )
    course.save_revision().publish()
    course = CoursePage.objects.get(pk=course.pk)
    for number in range(1, lessons + 1):
        _lesson(course, number)
    return course


@pytest.fixture
def index(db) -> CourseIndexPage:
    home = HomePage.objects.get()
    index = home.add_child(instance=CourseIndexPage(title="Leren", slug="leren", live=False))
    index.save_revision().publish()
    return CourseIndexPage.objects.get(pk=index.pk)


@pytest.fixture
def course(index, trainer) -> CoursePage:
    return _course(index, trainer, slug="impact", lessons=3)


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


def mark(client, lesson: LessonPage, done: str = "1", **data):
    return client.post(f"/leren/voortgang/les/{lesson.pk}/", {"done": done, **data})


# --- Behaviour ----------------------------------------------------------------------------


def test_a_learner_marks_lessons_done_and_the_course_shows_progress(client, course, professional):
    first, second, third = lessons_of(course)
    client.force_login(professional)

    page = client.get("/leren/impact/").content.decode()
    assert "0 of 3 lessons done" in page
    assert '<progress id="voortgang-balk" max="3" value="0">' in page
    assert "Start the course" in page and f'href="{first.url}"' in page

    response = client.post(f"/leren/voortgang/les/{first.pk}/", {"done": "1"}, follow=True)
    assert response.redirect_chain == [(first.url, 302)]
    html = response.content.decode()
    assert "Lesson done. Well done!" in html
    assert "Mark this lesson as not done" in html
    assert "1 of 3 lessons done" in html
    mark(client, second)

    page = client.get("/leren/impact/").content.decode()
    assert "2 of 3 lessons done" in page
    assert '<progress id="voortgang-balk" max="3" value="2">67%</progress>' in page
    assert page.count("(done)") == 2
    # Not started third lesson: the course goes on at the first lesson not done.
    assert "Resume where you were" in page and f'href="{third.url}"' in page

    overview = client.get("/leren/").content.decode()
    assert "Cursus impact" in overview and "2 of 3 lessons done" in overview
    assert "Drie bijeenkomsten van twee uur" in overview and "Tessa Jansen" in overview

    progress = queries.course_progress(professional, course)
    assert (progress.done_count, progress.total, progress.percent) == (2, 3, 67)
    assert progress.done_ids == {first.pk, second.pk}
    assert progress.next_lesson == third
    assert AuditEntry.objects.filter(action="lesson.done", actor=professional).count() == 2


def test_the_course_resumes_at_the_lesson_last_opened(client, course, professional):
    first, second, third = lessons_of(course)
    client.force_login(professional)

    client.get(third.url)
    client.get(second.url)  # opened last
    mark(client, first)
    progress = queries.course_progress(professional, course)
    assert progress.next_lesson == second
    assert progress.resume_lesson == second

    client.get(third.url)
    page = client.get("/leren/impact/").content.decode()
    assert "You were at: Les 3." in page and "Resume where you were" in page
    assert queries.course_progress(professional, course).resume_lesson == third

    # A lesson opened and then finished is no place to resume: back to the first not done.
    mark(client, third)
    assert queries.course_progress(professional, course).resume_lesson == second

    # A visitor's view leaves no trace.
    client.logout()
    client.get(first.url)
    assert LessonProgress.objects.count() == 3


def test_marking_done_needs_an_account_and_changes_nothing_for_visitors(client, course):
    first = lessons_of(course)[0]
    audit_before = AuditEntry.objects.count()

    response = client.post(f"/leren/voortgang/les/{first.pk}/", {"done": "1"})
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={first.url}"

    htmx = client.post(f"/leren/voortgang/les/{first.pk}/", {"done": "1"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 403
    assert "Sign in to keep track of your progress." in htmx.content.decode()

    assert LessonProgress.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before

    page = client.get(first.url).content.decode()
    assert "Sign in to keep track of your progress" in page
    assert f"/accounts/login/?next={first.url}" in page.replace("%2F", "/")
    assert "Mark this lesson as done" not in page

    with pytest.raises(PermissionDenied):
        services.mark_lesson_done(AnonymousUser(), first)
    assert LessonProgress.objects.count() == 0
    assert client.get(f"/leren/voortgang/les/{first.pk}/").status_code == 405


def test_undoing_a_lesson(client, course, professional):
    first = lessons_of(course)[0]
    client.force_login(professional)
    mark(client, first)
    assert queries.course_progress(professional, course).done_count == 1

    response = client.post(
        f"/leren/voortgang/les/{first.pk}/", {"done": "0", "next": "/leren/impact/"}, follow=True
    )
    assert response.redirect_chain == [("/leren/impact/", 302)]
    assert "Lesson marked as not done." in response.content.decode()
    assert queries.course_progress(professional, course).done_count == 0
    assert LessonProgress.objects.get(user=professional, lesson=first).completed_at is None
    assert AuditEntry.objects.filter(action="lesson.undone", actor=professional).count() == 1

    # `next` elsewhere is ignored: back to the lesson.
    response = mark(client, first, next="https://example.com/")
    assert response.url == first.url
    page = client.get(first.url).content.decode()
    assert "Mark this lesson as not done" in page


def test_a_draft_lesson_cannot_be_marked(client, course, professional):
    draft = _lesson(course, 4, live=False)
    client.force_login(professional)
    assert mark(client, draft).status_code == 404
    assert client.post("/leren/voortgang/les/999999/", {"done": "1"}).status_code == 404
    assert not LessonProgress.objects.exists()
    # And it is no part of the course's progress.
    assert queries.course_progress(professional, course).total == 3


def test_a_lesson_behind_a_group_restriction_counts_only_for_that_group(
    client, course, professional, trainer
):
    third = lessons_of(course)[2]
    trainers = Group.objects.create(name="Cursusgroep")
    trainer.groups.add(trainers)
    restriction = PageViewRestriction.objects.create(
        page=third, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(trainers)

    client.force_login(professional)
    assert mark(client, third).status_code == 404
    with pytest.raises(PermissionDenied):
        services.mark_lesson_done(professional, third)
    assert queries.course_progress(professional, course).total == 2
    assert "Les 3" not in client.get("/leren/impact/").content.decode()

    client.force_login(trainer)
    assert mark(client, third).status_code == 302
    assert queries.course_progress(trainer, course).done_ids == {third.pk}


def test_progress_query_count_is_fixed(client, index, trainer, professional):
    small = _course(index, trainer, slug="kort", lessons=3)
    large = _course(index, trainer, slug="lang", lessons=10)
    client.force_login(professional)
    for course in (small, large):
        for lesson in lessons_of(course)[:2]:
            mark(client, lesson)
        client.get(lessons_of(course)[2].url)

    def count(callable_) -> int:
        with CaptureQueriesContext(connection) as queries_run:
            callable_()
        return len(queries_run)

    assert count(lambda: queries.course_progress(professional, small)) == count(
        lambda: queries.course_progress(professional, large)
    )
    assert count(lambda: client.get("/leren/kort/")) == count(lambda: client.get("/leren/lang/"))
    progress = queries.course_progress(professional, large)
    assert (progress.done_count, progress.total, progress.percent) == (2, 10, 20)


def test_lesson_page_renders_video_document_exercise_and_reflection(
    client, course, professional, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = get_document_model().objects.create(
        title="Werkblad impact", file=ContentFile(b"%PDF-1.4 werkblad", name="werkblad.pdf")
    )
    # No network: the embed is already known, as a stored Embed row for this URL
    # (wagtail.embeds.embeds.get_embed looks there before asking a provider).
    Embed.objects.create(
        url=VIDEO_URL,
        hash=get_embed_hash(VIDEO_URL),
        type="video",
        html='<iframe src="https://www.youtube-nocookie.com/embed/x" title="Uitleg"></iframe>',
        title="Uitleg van de methode",
        provider_name="YouTube",
    )
    lesson = _lesson(
        course,
        4,
        body=[
            ("paragraph", RichText("<p>Lees eerst de tekst.</p>")),
            (
                "video",
                {
                    "video": VIDEO_URL,
                    "title": "Uitleg van de methode",
                    "transcript": "Welkom bij de cursus.",
                },
            ),
            ("document", {"document": document, "title": "Download het werkblad"}),
            (
                "exercise",
                {"title": "Jouw opgave", "instructions": RichText("<p>Schrijf drie zinnen.</p>")},
            ),
            ("reflection", {"question": "Wat neem je mee naar je eigen gemeente?"}),
        ],
    )
    client.force_login(professional)
    html = client.get(lesson.url).content.decode()

    assert "<h1" in html and "Les 4" in html and "Wat je leert in les 4." in html
    assert "Lees eerst de tekst." in html
    assert "youtube-nocookie.com/embed/x" in html and "Welkom bij de cursus." in html
    assert document.url in html and "Download het werkblad" in html and "download" in html
    assert "Jouw opgave" in html and "Schrijf drie zinnen." in html
    assert "Wat neem je mee naar je eigen gemeente?" in html
    assert "Previous lesson: Les 3" in html and "Back to the course: Cursus impact" in html
    assert "Next lesson" not in html
    assert "Mark this lesson as done" in html
    assert client.get(document.url).status_code == 200


# --- The page types in the Wagtail admin --------------------------------------------------


class TestCoursePagesInTheAdmin(WagtailPageTestCase):
    def setUp(self):
        self.editor = community_services.register_member(
            None,
            email="beheer@example.org",
            password="Proef-wachtwoord-2026",
            is_administrator=True,
            email_verified=True,
        )
        self.client.force_login(self.editor)
        self.home = HomePage.objects.get()

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage})
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertCanNotCreateAt(Page, CoursePage)
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)

    def test_editors_create_an_overview_a_course_and_a_lesson(self):
        self.assertCanCreate(
            self.home,
            CourseIndexPage,
            nested_form_data(
                {"title": "Leren", "slug": "leren", "intro": rich_text("<p>Cursussen.</p>")}
            ),
        )
        index = CourseIndexPage.objects.get()
        self.assertCanCreate(
            index,
            CoursePage,
            nested_form_data(
                {
                    "title": "Impact in de praktijk",
                    "slug": "impact",
                    "summary": "Wat de methode vraagt.",
                    "learning_goals": streamfield([("goal", "Je kent de vier fases.")]),
                    "audience": "Professionals",
                    "duration": "Twee uur",
                    "trainer": self.editor.pk,
                }
            ),
        )
        course = CoursePage.objects.get()
        self.assertCanCreate(
            course,
            LessonPage,
            nested_form_data(
                {
                    "title": "Les 1",
                    "slug": "les-1",
                    "intro": "Waar je begint.",
                    "body": streamfield([("paragraph", rich_text("<p>De stof.</p>"))]),
                }
            ),
        )
        self.assertEqual(LessonPage.objects.child_of(course).live().count(), 1)
