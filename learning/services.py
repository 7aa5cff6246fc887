"""The rules of the learning pages. Every write goes through here: permission check,
transaction, audit entry.

Functions take the acting user first; a missing right raises PermissionDenied.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import audit
from community.models import User
from learning.models import LessonPage, LessonProgress
from learning.queries import course_of, may_view_lesson

# --- Courses: a learner's progress --------------------------------------------------------


def _progress_row(actor: User, lesson: LessonPage) -> LessonProgress:
    course = course_of(lesson)
    if course is None:  # a lesson always sits under a course (parent_page_types)
        raise PermissionDenied(_("This lesson is not part of a course."))
    progress, _created = LessonProgress.objects.get_or_create(
        user=actor, lesson=lesson, defaults={"course": course}
    )
    return progress


@transaction.atomic
def open_lesson(actor: User, lesson: LessonPage) -> LessonProgress | None:
    """Remember when a signed-in learner last opened a lesson, so the course can resume
    there. Visitors leave no trace; a lesson they may not see records nothing."""
    if not actor.is_authenticated or not may_view_lesson(actor, lesson):
        return None
    progress = _progress_row(actor, lesson)
    progress.last_opened_at = timezone.now()
    progress.save(update_fields=["last_opened_at"])
    return progress


@transaction.atomic
def mark_lesson_done(actor: User, lesson: LessonPage, done: bool = True) -> LessonProgress:
    """A signed-in learner marks a live lesson they may see as done, or as not done."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to keep track of your progress."))
    if not may_view_lesson(actor, lesson):
        raise PermissionDenied(_("This lesson is not available."))
    progress = _progress_row(actor, lesson)
    if done == (progress.completed_at is not None):
        return progress  # nothing changes, nothing to record
    progress.completed_at = timezone.now() if done else None
    progress.save(update_fields=["completed_at"])
    audit.record(
        actor,
        "lesson.done" if done else "lesson.undone",
        lesson,
        course=progress.course_id,
        title=lesson.title,
    )
    return progress
