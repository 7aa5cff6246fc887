"""Courses by trainers at /leren/: a course of lessons, and each learner's progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from learning.blocks import PointBlock, lesson_blocks


class CourseIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["learning.HomePage"]
    subpage_types = ["learning.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course overview")
        verbose_name_plural = _("course overviews")


class CoursePage(Page):
    summary = models.TextField(_("summary"))
    learning_goals = StreamField(
        [("goal", PointBlock())], verbose_name=_("learning goals"), blank=True
    )
    audience = models.CharField(_("for whom"), max_length=250, blank=True)
    duration = models.CharField(
        _("duration"),
        max_length=100,
        blank=True,
        help_text=_("For example: three sessions of two hours."),
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("learning_goals"),
        FieldPanel("audience"),
        FieldPanel("duration"),
        FieldPanel("trainer"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("audience"),
    ]

    parent_page_types = ["learning.CourseIndexPage"]
    subpage_types = ["learning.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")


class LessonPage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(lesson_blocks(), verbose_name=_("lesson"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["learning.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")


class LessonProgress(models.Model):
    """A learner's lesson: when they last opened it and when they marked it done."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="progress")
    last_opened_at = models.DateTimeField(null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.lesson}"
