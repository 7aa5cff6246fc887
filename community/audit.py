"""The one way services record what happened."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from community.models import AuditEntry, User


def record(
    actor: User | None, action: str, target: models.Model | None = None, **data: Any
) -> AuditEntry:
    """Write an audit entry inside the caller's transaction: it stays only if the change does."""
    entry = AuditEntry(actor=actor if actor and actor.pk else None, action=action, data=data)
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
    entry.save()
    return entry
