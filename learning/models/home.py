"""The home page at /."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The front page. Editors write the introduction, pick featured werkzame elementen
    and courses, and the call to action; live figures come from the platform."""

    intro = RichTextField(_("introduction"), blank=True)
    call_to_action_text = models.CharField(_("call to action"), max_length=120, blank=True)
    call_to_action_link = models.CharField(
        _("call to action link"),
        max_length=255,
        blank=True,
        help_text=_("An address on this site, such as /accounts/signup/."),
    )
    featured = StreamField(
        [
            (
                "working_element",
                blocks.PageChooserBlock(
                    label=_("Werkzaam element"),
                    page_type="learning.WorkingElementPage",
                    template="learning/blocks/featured_page.html",
                ),
            ),
            (
                "course",
                blocks.PageChooserBlock(
                    label=_("Course"),
                    page_type="learning.CoursePage",
                    template="learning/blocks/featured_page.html",
                ),
            ),
        ],
        verbose_name=_("featured"),
        blank=True,
        help_text=_("Werkzame elementen and courses shown on the home page, in this order."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("call_to_action_text"),
        FieldPanel("call_to_action_link"),
        FieldPanel("featured"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "learning.MethodPage",
        "learning.KnowledgeIndexPage",
        "learning.ScenarioIndexPage",
        "learning.CourseIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from learning.figures import live_figures

        context = super().get_context(request, *args, **kwargs)
        context["figures"] = live_figures(request.user)
        return context
