"""What a composed foto or reisverslag holds besides its text: the items picked per
section, the PDF exports made of it and the werkzame elementen proposed from it.

Only journeys/reports/services.py (and its siblings) write these; what a reader sees of
an item is decided when the report is built (journeys/reports/compose.py), so a story
withdrawn later leaves every report at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from journeys.reports.storage import private_storage


class ReportItem(models.Model):
    """One piece of the journey's material placed in one section of a report, with the
    composer's comment. Exactly one of the object fields is set, matching `kind`."""

    class Kind(models.TextChoices):
        STORY = "verhaal", _("story")
        INDICATOR = "indicator", _("indicator")
        QUESTION = "leervraag", _("leervraag")
        EVENT = "bijeenkomst", _("meeting")
        CARD = "kaart", _("board card")
        ELEMENT = "werkzaam_element", _("werkzaam element")

    result = models.ForeignKey(
        "journeys.PhaseResult", on_delete=models.CASCADE, related_name="items"
    )
    section = models.CharField(_("section"), max_length=40)
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    story = models.ForeignKey(
        "journeys.Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.ForeignKey(
        "learning.LearningQuestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.ForeignKey(
        "community.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    card = models.ForeignKey(
        "community.Card", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    element = models.ForeignKey(
        "learning.WorkingElementPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # An indicator is the journey's series of data points of that name.
    indicator = models.CharField(_("indicator"), max_length=200, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report item")
        verbose_name_plural = _("report items")
        ordering = ["section", "position", "pk"]
        indexes = [models.Index(fields=["result", "section", "position"])]

    def __str__(self) -> str:
        return f"{self.result} / {self.section} / {self.get_kind_display()}"


class ReportExport(models.Model):
    """A PDF of one report as it stood when asked for, made by the task queue."""

    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("waiting")
        RUNNING = "bezig", _("being made")
        DONE = "klaar", _("ready")
        FAILED = "mislukt", _("failed")

    result = models.ForeignKey(
        "journeys.PhaseResult", on_delete=models.CASCADE, related_name="exports"
    )
    revision_number = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to="rapporten/", storage=private_storage, blank=True)
    error = models.CharField(max_length=250, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.result} PDF ({self.status})"


class ElementProposal(models.Model):
    """A werkzaam element a member proposed to the editors from a journey, with the
    journey's stories as its evidence. The proposal is a draft page in the kennisbank
    that goes through the editors' workflow; this row keeps where it came from."""

    journey = models.ForeignKey(
        "journeys.Journey", on_delete=models.CASCADE, related_name="element_proposals"
    )
    page = models.ForeignKey(
        "learning.WorkingElementPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    title = models.CharField(_("title"), max_length=255)
    stories = models.ManyToManyField("journeys.Story", blank=True, related_name="+")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposed werkzaam element")
        verbose_name_plural = _("proposed werkzame elementen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
