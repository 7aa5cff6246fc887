"""Reads of the learning pages that depend on who asks. Views, hooks and templates ask here.

Courses: which lessons a user may see, and each learner's progress through a course, in a
fixed number of queries however many lessons or courses there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Q
from wagtail.models import Page, PageViewRestriction

from learning.models import CourseIndexPage, CoursePage, LessonPage, LessonProgress

Restriction = PageViewRestriction


# --- Who may see a page -------------------------------------------------------------------


def _blocked_paths(user, page: Page) -> list[str]:
    """Tree paths, at `page`, above it or below it, whose view restriction `user` does not
    pass: a page is hidden from them when its path starts with one of these.

    A password restriction is checked by Wagtail when the page is opened (it lives in the
    session, not on the user), so it does not hide the page here."""
    ancestor_paths = [
        page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)
    ]
    restrictions = list(
        Restriction.objects.filter(
            Q(page__path__in=ancestor_paths) | Q(page__path__startswith=page.path)
        )
        .exclude(restriction_type__in=[Restriction.PASSWORD, Restriction.NONE])
        .annotate(page_path=F("page__path"))
        .prefetch_related("groups")
    )
    if not restrictions:
        return []
    signed_in = bool(user and user.is_authenticated)
    group_ids: set[int] | None = None
    blocked = []
    for restriction in restrictions:
        if not signed_in:
            blocked.append(restriction.page_path)
        elif restriction.restriction_type == Restriction.GROUPS and not user.is_superuser:
            if group_ids is None:
                group_ids = set(user.groups.values_list("pk", flat=True))
            if not group_ids & {group.pk for group in restriction.groups.all()}:
                blocked.append(restriction.page_path)
    return blocked


def _hidden(page: Page, blocked: list[str]) -> bool:
    return any(page.path.startswith(path) for path in blocked)


def may_view_lesson(user, lesson: LessonPage) -> bool:
    """A live lesson whose view restrictions (and its course's) the user passes."""
    return bool(lesson.live) and not _hidden(lesson, _blocked_paths(user, lesson))


def lesson_for(lesson_id: int) -> LessonPage | None:
    """The live lesson with this id, or None (unknown or a draft)."""
    return LessonPage.objects.live().filter(pk=lesson_id).first()


def course_of(lesson: LessonPage) -> CoursePage | None:
    return CoursePage.objects.filter(path=lesson.path[: -Page.steplen]).first()


# --- A learner's progress -----------------------------------------------------------------


@dataclass(frozen=True)
class CourseProgress:
    """Where one user stands in one course. Lessons in tree order; for visitors nothing is
    done and the course starts at its first lesson."""

    course: CoursePage
    lessons: list[LessonPage]
    done_ids: frozenset[int]
    next_lesson: LessonPage | None  # the first lesson not done, in tree order
    resume_lesson: LessonPage | None  # the last opened lesson not done, else next_lesson
    started: bool  # opened or finished at least one lesson
    current: LessonPage | None = None
    previous_lesson: LessonPage | None = field(default=None)
    following_lesson: LessonPage | None = field(default=None)

    @property
    def done_count(self) -> int:
        return len(self.done_ids)

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return bool(self.total) and self.done_count == self.total

    @property
    def current_done(self) -> bool:
        return self.current is not None and self.current.pk in self.done_ids


def visible_lessons(user, course: CoursePage) -> list[LessonPage]:
    """The live lessons of a course that the user may see, in tree order. Two queries (three
    when a group restriction applies), whatever the number of lessons."""
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    blocked = _blocked_paths(user, course)
    return [lesson for lesson in lessons if not _hidden(lesson, blocked)]


def course_progress(user, course: CoursePage, current: LessonPage | None = None) -> CourseProgress:
    """The user's progress through `course` (with the lessons before and after `current`,
    when given) in a fixed number of queries."""
    lessons = visible_lessons(user, course)
    done_ids: set[int] = set()
    opened: dict[int, object] = {}
    if user is not None and user.is_authenticated and lessons:
        rows = LessonProgress.objects.filter(
            user=user, lesson__in=[lesson.pk for lesson in lessons]
        ).values_list("lesson_id", "last_opened_at", "completed_at")
        for lesson_id, last_opened_at, completed_at in rows:
            if completed_at is not None:
                done_ids.add(lesson_id)
            if last_opened_at is not None:
                opened[lesson_id] = last_opened_at
    not_done = [lesson for lesson in lessons if lesson.pk not in done_ids]
    next_lesson = not_done[0] if not_done else None
    opened_not_done = [lesson for lesson in not_done if lesson.pk in opened]
    resume_lesson = (
        max(opened_not_done, key=lambda lesson: opened[lesson.pk])
        if opened_not_done
        else next_lesson
    )
    previous_lesson = following_lesson = None
    if current is not None:
        ids = [lesson.pk for lesson in lessons]
        if current.pk in ids:
            at = ids.index(current.pk)
            previous_lesson = lessons[at - 1] if at > 0 else None
            following_lesson = lessons[at + 1] if at + 1 < len(lessons) else None
    return CourseProgress(
        course=course,
        lessons=lessons,
        done_ids=frozenset(done_ids),
        next_lesson=next_lesson,
        resume_lesson=resume_lesson,
        started=bool(done_ids or opened),
        current=current,
        previous_lesson=previous_lesson,
        following_lesson=following_lesson,
    )


@dataclass(frozen=True)
class CourseCard:
    """A course on the overview, with the signed-in user's progress."""

    course: CoursePage
    total: int
    done_count: int

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 0


def course_cards(user, index: CourseIndexPage) -> list[CourseCard]:
    """The live courses under the overview that the user may see, in tree order, with their
    number of lessons and how many of them the user finished. Fixed number of queries."""
    blocked = _blocked_paths(user, index)
    courses = [
        course
        for course in CoursePage.objects.child_of(index)
        .live()
        .select_related("trainer")
        .order_by("path")
        if not _hidden(course, blocked)
    ]
    if not courses:
        return []
    lessons = [
        lesson
        for lesson in Page.objects.type(LessonPage)
        .live()
        .descendant_of(index)
        .filter(depth=index.depth + 2)
        .only("pk", "path")
        if not _hidden(lesson, blocked)
    ]
    done: set[int] = set()
    if user is not None and user.is_authenticated:
        done = set(
            LessonProgress.objects.filter(
                user=user, completed_at__isnull=False, lesson__in=[lesson.pk for lesson in lessons]
            ).values_list("lesson_id", flat=True)
        )
    cards = []
    for course in courses:
        own = [lesson for lesson in lessons if lesson.path.startswith(course.path)]
        cards.append(
            CourseCard(
                course=course,
                total=len(own),
                done_count=sum(1 for lesson in own if lesson.pk in done),
            )
        )
    return cards


def progress_for_page(user, page: Page) -> CourseProgress | list[CourseCard] | None:
    """What a course page (its progress), a lesson page (its course's progress) or the
    course overview (its cards) shows the user."""
    if isinstance(page, CourseIndexPage):
        return course_cards(user, page)
    if isinstance(page, CoursePage):
        return course_progress(user, page)
    if isinstance(page, LessonPage):
        course = course_of(page)
        return course_progress(user, course, current=page) if course is not None else None
    return None
