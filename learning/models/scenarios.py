"""The five scenarios for a gemeente to start, and the chooser that recommends one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from journeys.models import Journey
from learning.blocks import ChooserQuestionBlock, PointBlock, StepBlock


class ScenarioIndexPage(Page):
    """/scenarios/: the five routes side by side, and the way to the chooser."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["learning.HomePage"]
    subpage_types = ["learning.ScenarioPage", "learning.ScenarioChooserPage"]
    max_count = 1

    class Meta:
        verbose_name = _("scenario overview")
        verbose_name_plural = _("scenario overviews")


class ScenarioPage(Page):
    """One scenario. Its key is the one journeys name (Journey.Scenario)."""

    scenario = models.CharField(
        _("scenario"),
        max_length=30,
        choices=Journey.Scenario.choices,
        unique=True,
        help_text=_("Journeys that follow this scenario link here."),
    )
    summary = models.TextField(_("summary"))
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"), blank=True)
    opportunities = StreamField([("point", PointBlock())], verbose_name=_("kansen"), blank=True)
    risks = StreamField([("point", PointBlock())], verbose_name=_("risico's"), blank=True)
    suitable_for = StreamField(
        [("point", PointBlock())], verbose_name=_("geschikt voor"), blank=True
    )
    first_step = models.TextField(_("eerste stap"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("scenario"),
        FieldPanel("summary"),
        FieldPanel("steps"),
        FieldPanel("opportunities"),
        FieldPanel("risks"),
        FieldPanel("suitable_for"),
        FieldPanel("first_step"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("steps"),
        index.SearchField("first_step"),
        index.FilterField("scenario"),
    ]

    parent_page_types = ["learning.ScenarioIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")


class ScenarioChooserPage(Page):
    """/scenarios/kiezen/: a short questionnaire. Its questions, answers, points and
    reasons are content editors change; learning/chooser.py only adds them up."""

    intro = RichTextField(_("introduction"), blank=True)
    questions = StreamField([("question", ChooserQuestionBlock())], verbose_name=_("questions"))
    combination_margin = models.PositiveSmallIntegerField(
        _("combination margin"),
        default=1,
        help_text=_(
            "A second scenario is advised alongside the first when its points are at most "
            "this far behind."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("questions"),
        FieldPanel("combination_margin"),
    ]

    parent_page_types = ["learning.ScenarioIndexPage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("scenario chooser")
        verbose_name_plural = _("scenario choosers")

    def serve(self, request, *args, **kwargs):
        from learning.chooser_view import serve_chooser

        return serve_chooser(self, request)
