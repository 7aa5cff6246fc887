"""Background work of the community app, run by django-tasks (immediately in the
embedded default, by the db_worker service in production)."""

from __future__ import annotations

from django_tasks import task

from community import mail


@task()
def send_email(message: dict) -> int:
    """Deliver one message queued by mail.TaskQueueEmailBackend."""
    return mail.deliver(message)
