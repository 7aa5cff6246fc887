"""The method page: the reisplan's four phases, their results, and the journeys in each."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from learning.blocks import body_blocks


class MethodPage(Page):
    intro = RichTextField(_("introduction"), blank=True)
    reiswens = RichTextField(_("reiswens"), blank=True)
    verkennen = RichTextField(_("verkennen"), blank=True)
    inrichten = RichTextField(_("(in)richten"), blank=True)
    doen_en_leren = RichTextField(_("doen en leren"), blank=True)
    body = StreamField(body_blocks(), verbose_name=_("more about the method"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("reiswens"),
                FieldPanel("verkennen"),
                FieldPanel("inrichten"),
                FieldPanel("doen_en_leren"),
            ],
            heading=_("The four phases"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("reiswens"),
        index.SearchField("verkennen"),
        index.SearchField("inrichten"),
        index.SearchField("doen_en_leren"),
    ]

    parent_page_types = ["learning.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("method page")
        verbose_name_plural = _("method pages")

    def get_context(self, request, *args, **kwargs):
        from learning.method_view import phases_with_journeys

        context = super().get_context(request, *args, **kwargs)
        context["phases"] = phases_with_journeys(self, request.user)
        return context
