"""The kennisbank: werkzame elementen (what works, why, for whom, where, how, and how
well it is known to work) under one index page at /kennisbank/."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from learning.blocks import SourceBlock, StepBlock


class EvidenceLevel(models.TextChoices):
    """The Dutch recognition ladder (erkenningsladder), lowest to highest."""

    NOT_ASSESSED = "niet_beoordeeld", _("nog niet beoordeeld")
    WELL_DESCRIBED = "goed_beschreven", _("goed beschreven")
    WELL_FOUNDED = "goed_onderbouwd", _("goed onderbouwd")
    FIRST_INDICATIONS = "eerste_aanwijzingen", _("effectief: eerste aanwijzingen")
    GOOD_INDICATIONS = "goede_aanwijzingen", _("effectief: goede aanwijzingen")
    STRONG_INDICATIONS = "sterke_aanwijzingen", _("effectief: sterke aanwijzingen")


class WorkingElementTheme(TaggedItemBase):
    content_object = ParentalKey(
        "learning.WorkingElementPage", related_name="theme_items", on_delete=models.CASCADE
    )


class WorkingElementChallenge(TaggedItemBase):
    content_object = ParentalKey(
        "learning.WorkingElementPage", related_name="challenge_items", on_delete=models.CASCADE
    )


class WorkingElementTargetGroup(TaggedItemBase):
    content_object = ParentalKey(
        "learning.WorkingElementPage", related_name="target_group_items", on_delete=models.CASCADE
    )


class KnowledgeIndexPage(Page):
    """/kennisbank/: filters by theme, opgave, doelgroep and evidence level; searches."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["learning.HomePage"]
    subpage_types = ["learning.WorkingElementPage"]
    max_count = 1

    class Meta:
        verbose_name = _("knowledge base")
        verbose_name_plural = _("knowledge bases")

    def get_context(self, request, *args, **kwargs):
        from learning.knowledge_view import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context


class WorkingElementPage(Page):
    """A werkzaam element: an ingredient of an approach that makes it work."""

    summary = models.TextField(_("summary"), help_text=_("Two or three sentences: what it is."))
    mechanism = RichTextField(
        _("why it works"), help_text=_("The mechanism: how it brings about change.")
    )
    target_group = RichTextField(_("for whom"), blank=True)
    context = RichTextField(_("in which context"), blank=True)
    steps = StreamField([("step", StepBlock())], verbose_name=_("how to apply it"), blank=True)
    evidence_level = models.CharField(
        _("evidence level"),
        max_length=30,
        choices=EvidenceLevel.choices,
        default=EvidenceLevel.NOT_ASSESSED,
        db_index=True,
        help_text=_("Where it stands on the Dutch recognition ladder (erkenningsladder)."),
    )
    sources = StreamField([("source", SourceBlock())], verbose_name=_("sources"), blank=True)
    themes = ClusterTaggableManager(
        through=WorkingElementTheme,
        verbose_name=_("themes"),
        blank=True,
        related_name="working_elements_by_theme",
    )
    challenges = ClusterTaggableManager(
        through=WorkingElementChallenge,
        verbose_name=_("societal challenges (opgaven)"),
        blank=True,
        related_name="working_elements_by_challenge",
    )
    target_groups = ClusterTaggableManager(
        through=WorkingElementTargetGroup,
        verbose_name=_("target groups"),
        blank=True,
        related_name="working_elements_by_target_group",
        help_text=_("For the filter, for example: ouderen, jongeren, gezinnen."),
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email address"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("mechanism"),
        FieldPanel("target_group"),
        FieldPanel("context"),
        FieldPanel("steps"),
        FieldPanel("evidence_level"),
        FieldPanel("sources"),
        MultiFieldPanel(
            [FieldPanel("themes"), FieldPanel("challenges"), FieldPanel("target_groups")],
            heading=_("Tags for finding it"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_organisation"),
                FieldPanel("contact_email"),
            ],
            heading=_("Contact"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("mechanism"),
        index.SearchField("target_group"),
        index.SearchField("context"),
        index.FilterField("evidence_level"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields("challenges", [index.SearchField("name")]),
        index.RelatedFields("target_groups", [index.SearchField("name")]),
    ]

    parent_page_types = ["learning.KnowledgeIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("werkzaam element")
        verbose_name_plural = _("werkzame elementen")
