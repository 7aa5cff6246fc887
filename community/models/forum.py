"""Forums: one per journey at /reizen/<slug>/forum/, and the network-wide plein at
/plein/ with categories. Threads hold numbered posts in Markdown; everything members
write keeps its history. Only community/services/forum.py writes these; who may read
them is decided in community/queries/forum.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from wagtail.search import index


class ForumCategory(models.Model):
    """A category of the plein. Staff manage them in the Django admin."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("address"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("plein category")
        verbose_name_plural = _("plein categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Thread(index.Indexed, models.Model):
    """A topic in a journey's forum (journey set) or on the plein (category set)."""

    journey = models.ForeignKey(
        "journeys.Journey",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    category = models.ForeignKey(
        ForumCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="threads"
    )
    tags = TaggableManager(verbose_name=_("tags"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_post_at = models.DateTimeField(db_index=True)
    last_post_number = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)  # visible (not deleted) posts
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("journey_id"),
        index.FilterField("category_id"),
        index.FilterField("is_hidden"),
    ]

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-is_pinned", "-last_post_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(journey__isnull=False, category__isnull=True)
                    | models.Q(journey__isnull=True, category__isnull=False)
                ),
                name="thread_in_one_space",
            )
        ]
        indexes = [models.Index(fields=["journey", "-last_post_at"])]

    def __str__(self) -> str:
        return self.title


class Post(index.Indexed, models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts"
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)  # rendered once, sanitised (community.markdown)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    search_fields = [
        index.SearchField("body"),
        index.FilterField("thread_id"),
        index.FilterField("deleted_at"),
    ]

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["thread", "number"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="post_numbers_unique")
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.number}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class PostRevision(models.Model):
    """The text a post had before an edit: its visible edit history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.post} ({self.created_at:%Y-%m-%d %H:%M})"


class Reaction(models.Model):
    class Kind(models.TextChoices):
        EENS = "eens", _("agree")
        DANK = "dank", _("thanks")
        INZICHT = "inzicht", _("insightful")
        VRAAG = "vraag", _("I have a question")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.post}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Not guessable, and never served straight from MEDIA: a view checks who asks.
    import uuid

    return f"forum/{instance.post.thread_id}/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Mention(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_mention")]

    def __str__(self) -> str:
        return f"@{self.user} in {self.post}"


class ThreadReadState(models.Model):
    """How far a member has read a thread: the highest post number seen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    last_read_number = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="one_read_state")]

    def __str__(self) -> str:
        return f"{self.user} read {self.thread} to #{self.last_read_number}"


class SpaceReadMark(models.Model):
    """'Mark all read' in a space: threads from before this moment count as read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    journey = models.ForeignKey(
        "journeys.Journey", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "journey"], name="one_read_mark_per_space"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(journey=None), name="one_plein_read_mark"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} read all of {self.journey or 'plein'}"


class ThreadSubscription(models.Model):
    """Following a thread (notified of every new post) or muting it (never notified)."""

    class Level(models.TextChoices):
        FOLLOWING = "following", _("following")
        MUTED = "muted", _("muted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_subscriptions"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="subscriptions")
    level = models.CharField(max_length=20, choices=Level.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="one_subscription")]

    def __str__(self) -> str:
        return f"{self.user} {self.level} {self.thread}"


class Report(models.Model):
    """A member's report of a post; it waits in the moderation queue."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("handled")
        DISMISSED = "dismissed", _("dismissed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.post}: {self.reason[:40]}"
