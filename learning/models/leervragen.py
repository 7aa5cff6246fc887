"""The leervragen tracker (scenario 4, impact deep diving): learning questions a network
raises, prioritises, researches, answers and interprets, at /leervragen/ and in each
journey's tab. Only learning/leervragen/services.py writes these; who may see them is
decided in learning/leervragen/queries.py. See docs/leervragen.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager
from wagtail.search import index


class LearningQuestion(index.Indexed, models.Model):
    """A leervraag: a question the network wants answered by research."""

    class Status(models.TextChoices):
        # The workflow, in order; geparkeerd is reachable from every open state.
        INGEDIEND = "ingediend", pgettext_lazy("learning question status", "submitted")
        GEPRIORITEERD = "geprioriteerd", pgettext_lazy("learning question status", "prioritised")
        IN_ONDERZOEK = "in_onderzoek", pgettext_lazy("learning question status", "being researched")
        BEANTWOORD = "beantwoord", pgettext_lazy("learning question status", "answered")
        GEDUID = "geduid", pgettext_lazy("learning question status", "interpreted")
        AFGESLOTEN = "afgesloten", pgettext_lazy("learning question status", "concluded")
        GEPARKEERD = "geparkeerd", pgettext_lazy("learning question status", "parked")

    class Approach(models.TextChoices):
        EMPIRISCH = "empirisch_onderzoek", _("empirical research")
        LITERATUUR = "literatuuronderzoek", _("literature review")
        DOELGROEP = "gesprekken_doelgroep", _("conversations with the target group")
        EXPERTS = "gesprekken_experts", _("conversations with experts")
        DATA = "data_analyse", _("data analysis")

    class Confidence(models.TextChoices):
        LAAG = "laag", pgettext_lazy("confidence", "low")
        MIDDEN = "midden", pgettext_lazy("confidence", "medium")
        HOOG = "hoog", pgettext_lazy("confidence", "high")

    question = models.CharField(_("question"), max_length=300)
    context = models.TextField(
        _("context"), blank=True, help_text=_("Why this question matters now, and to whom.")
    )
    # Empty: a network-wide question, for everyone signed in.
    journey = models.ForeignKey(
        "journeys.Journey",
        verbose_name=_("journey"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="learning_questions",
    )
    themes = TaggableManager(verbose_name=_("themes"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="raised_learning_questions",
    )
    # Where it came up: a meeting, a forum thread, a board card, or an earlier question.
    raised_at_event = models.ForeignKey(
        "community.Event",
        verbose_name=_("raised at the meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_questions",
    )
    raised_in_thread = models.ForeignKey(
        "community.Thread",
        verbose_name=_("raised in the thread"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raised_learning_questions",
    )
    raised_from_card = models.ForeignKey(
        "community.Card",
        verbose_name=_("raised from the card"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_questions",
    )
    follows_up = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.INGEDIEND, db_index=True
    )
    # The state a parked question returns to.
    parked_from = models.CharField(max_length=20, choices=Status.choices, blank=True)
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    # The reisbegeleider's order within the journey (or the network); empty: not placed.
    position = models.PositiveIntegerField(_("position"), null=True, blank=True)
    approaches = models.JSONField(_("approach"), default=list, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owners"),
        blank=True,
        related_name="owned_learning_questions",
    )
    helpers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("helpers"),
        blank=True,
        related_name="helped_learning_questions",
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followers"),
        through="LearningQuestionFollower",
        blank=True,
        related_name="followed_learning_questions",
    )
    # The answer, by an owner.
    answer = models.TextField(_("answer"), blank=True)
    answer_sources = models.JSONField(_("sources and links"), default=list, blank=True)
    answer_confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, db_index=True)
    # The duiding: what the answer means for the journey, by the reisbegeleider.
    duiding = models.TextField(_("duiding"), blank=True)
    duiding_date = models.DateField(_("date of the duiding"), null=True, blank=True)
    duiding_participants = models.TextField(_("who took part"), blank=True)
    duiding_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Evidence: werkzame elementen and stories the answer rests on or speaks to.
    working_elements = models.ManyToManyField(
        "learning.WorkingElementPage",
        verbose_name=_("werkzame elementen"),
        blank=True,
        related_name="learning_questions",
    )
    stories = models.ManyToManyField(
        "journeys.Story", verbose_name=_("stories"), blank=True, related_name="learning_questions"
    )
    # Its discussion: a thread in the journey's forum (or on the plein), made on the
    # first comment.
    discussion_thread = models.ForeignKey(
        "community.Thread",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learning_questions",
    )
    created_at = models.DateTimeField(_("raised"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    search_fields = [
        index.SearchField("question", boost=3),
        index.SearchField("context"),
        index.SearchField("answer"),
        index.SearchField("duiding"),
        index.AutocompleteField("question"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("journey_id"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = _("learning question")
        verbose_name_plural = _("learning questions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["journey", "status"]),
            models.Index(fields=["status", "-vote_count"]),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("learning:question", kwargs={"pk": self.pk})

    @property
    def is_network_wide(self) -> bool:
        return self.journey_id is None

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def get_approaches_display(self) -> list[str]:
        labels = dict(self.Approach.choices)
        return [str(labels[key]) for key in self.approaches if key in labels]


class LearningQuestionFollower(models.Model):
    """Someone who hears about every move and every new answer of a question."""

    question = models.ForeignKey(
        LearningQuestion, on_delete=models.CASCADE, related_name="follower_links"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_follow_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.user} -> {self.question}"


class LearningQuestionVote(models.Model):
    """One member's vote for a question: once each."""

    question = models.ForeignKey(LearningQuestion, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_question_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} -> {self.question}"


class LearningQuestionMove(models.Model):
    """One move of a question from state to state: its timeline."""

    question = models.ForeignKey(LearningQuestion, on_delete=models.CASCADE, related_name="moves")
    from_status = models.CharField(
        max_length=20, choices=LearningQuestion.Status.choices, blank=True
    )
    to_status = models.CharField(max_length=20, choices=LearningQuestion.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("move")
        verbose_name_plural = _("moves")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.question}: {self.from_status or '-'} -> {self.to_status}"
