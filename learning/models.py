"""Wagtail pages: the editorial half of the platform."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The front page at /. Editors write the introduction and the call to action."""

    intro = RichTextField(_("introduction"), blank=True)
    call_to_action_text = models.CharField(_("call to action"), max_length=120, blank=True)
    call_to_action_link = models.CharField(
        _("call to action link"),
        max_length=255,
        blank=True,
        help_text=_("An address on this site, such as /accounts/signup/."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("call_to_action_text"),
        FieldPanel("call_to_action_link"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
