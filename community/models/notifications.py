"""In-app notifications at /meldingen/ and each member's email choice."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        MENTION = "mention", _("mentioned you")
        REPLY = "reply", _("replied to you")
        FOLLOWED_POST = "followed_post", _("new post in a thread you follow")
        NEW_THREAD = "new_thread", _("new thread in your journey")
        # Anything else a member follows (a leervraag moved, a new answer): the summary
        # says what happened, the url where to read it.
        UPDATE = "update", _("an update on something you follow")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    thread = models.ForeignKey(
        "community.Thread", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        "community.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    summary = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)
    # The journey the update belongs to: who leaves a besloten journey stops seeing it.
    journey = models.ForeignKey(
        "journeys.Journey", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class NotificationPreference(models.Model):
    class Email(models.TextChoices):
        IMMEDIATE = "immediate", _("at once")
        DAILY = "daily", _("a daily digest")
        WEEKLY = "weekly", _("a weekly digest")
        NONE = "none", _("no email")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("email about notifications"), max_length=20, choices=Email.choices, default=Email.DAILY
    )
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=_token)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.email}"
