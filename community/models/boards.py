"""Live boards: a journey's break-out board of columns (perspectives) and rows (prompts)
where participants post cards, named or anonymously, live during a session.

Only community/services/boards.py writes these; who may see and do what is decided in
community/queries/boards.py. An anonymous card keeps its author only so that the author
can edit or delete it and so rate limits hold: no page, payload, export or search shows it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index


class Board(models.Model):
    class Layout(models.TextChoices):
        GRID = "grid", _("grid: columns and rows")
        FREE = "free", _("free: one column of cards")

    class State(models.TextChoices):
        CONCEPT = "concept", _("in preparation")
        OPEN = "open", _("open")
        BEVROREN = "bevroren", _("frozen (read-only)")
        GESLOTEN = "gesloten", _("closed")

    class Anonymity(models.TextChoices):
        NAMED = "named", _("always with name")
        CHOICE = "choice", _("with name or anonymously, as the participant chooses")
        ANONYMOUS = "anonymous", _("always anonymous")

    journey = models.ForeignKey("journeys.Journey", on_delete=models.CASCADE, related_name="boards")
    event = models.ForeignKey(
        "community.Event",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="boards",
    )
    title = models.CharField(_("title"), max_length=150)
    instructions = models.TextField(_("instructions"), blank=True)
    layout = models.CharField(_("layout"), max_length=10, choices=Layout.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CONCEPT, db_index=True
    )
    anonymity = models.CharField(
        _("names on cards"), max_length=10, choices=Anonymity.choices, default=Anonymity.CHOICE
    )
    requires_approval = models.BooleanField(
        _("cards need approval before they show"), default=False
    )
    # The sequence number of the last live event; clients catch up from theirs.
    last_seq = models.PositiveBigIntegerField(default=0)
    card_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:board", args=[self.journey.slug, self.pk])

    @property
    def accepts_cards(self) -> bool:
        return self.state in (self.State.CONCEPT, self.State.OPEN)

    @property
    def is_live(self) -> bool:
        return self.state == self.State.OPEN


class BoardColumn(models.Model):
    """A column of the grid: a perspective such as 'burgers'. A free board has one."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="columns")
    title = models.CharField(_("title"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class BoardRow(models.Model):
    """A row of the grid: a prompt such as 'wat is impact'. A free board has none."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="rows")
    title = models.CharField(_("title"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


def shown_name(author, *, anonymous: bool) -> str | None:
    """An author's name as a card or comment shows it; None when it is anonymous."""
    if anonymous or author is None:
        return None
    return author.display_name


def card_image_path(instance: Card, filename: str) -> str:
    # Not guessable, no trace of the author, and served only through a view that checks.
    return f"boards/{instance.board_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class Card(index.Indexed, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        VISIBLE = "visible", _("visible")
        HIDDEN = "hidden", _("hidden by the facilitator")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="cards")
    column = models.ForeignKey(BoardColumn, on_delete=models.CASCADE, related_name="cards")
    row = models.ForeignKey(
        BoardRow, null=True, blank=True, on_delete=models.CASCADE, related_name="cards"
    )
    position = models.PositiveIntegerField(default=0)
    # Kept for anonymous cards too, never shown: see the module docstring.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="board_cards"
    )
    is_anonymous = models.BooleanField(default=False)
    body = models.TextField(_("text"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    image = models.ImageField(_("image"), upload_to=card_image_path, blank=True, max_length=200)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    is_highlighted = models.BooleanField(default=False)
    reaction_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # Where the facilitator took the card further; the thread links back through this.
    thread = models.ForeignKey(
        "community.Thread",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_cards",
    )
    # A default, not auto_now_add: an imported Padlet card keeps its own time.
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    # The site search finds a card by its text only: never by (or showing) its author.
    search_fields = [
        index.SearchField("body"),
        index.FilterField("board_id"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["board", "status"])]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def author_name(self) -> str | None:
        """The name shown on the card, or None when nobody may know who wrote it."""
        return shown_name(self.author, anonymous=self.is_anonymous)


class CardReaction(models.Model):
    class Kind(models.TextChoices):
        EENS = "eens", _("agree")
        BELANGRIJK = "belangrijk", _("important")
        HERKENBAAR = "herkenbaar", _("recognisable")

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["card", "user", "kind"], name="one_card_reaction")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.card_id}"


class CardComment(models.Model):
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_anonymous = models.BooleanField(default=False)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def author_name(self) -> str | None:
        return shown_name(self.author, anonymous=self.is_anonymous)


class BoardEvent(models.Model):
    """The board's live log: what changed, in order, so a client that lost its connection
    catches up. Holds ids only; the payload is built from the current state when sent,
    so a hidden or deleted card's text is never replayed."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=20)
    op = models.CharField(max_length=20)
    card_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "seq"], name="one_board_event_per_seq")
        ]
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.board_id}#{self.seq} {self.kind}.{self.op}"


class BoardPresence(models.Model):
    """One open socket on a board, for the participant count."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="presences")
    channel_name = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    connected_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.board_id} {self.channel_name}"
