"""Background work of the community app, run by django-tasks (immediately in the
embedded default, by the db_worker service in production)."""

from __future__ import annotations

from django_tasks import task

from community import mail


@task()
def send_email(message: dict) -> int:
    """Deliver one message queued by mail.TaskQueueEmailBackend."""
    return mail.deliver(message)


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """Mail the notifications whose person chose email at once. Returns how many."""
    from community.notification_mail import send_immediate

    return send_immediate(notification_ids)


@task()
def send_digests(frequency: str) -> int:
    """The daily or weekly digest for everyone who chose it. Returns how many mails."""
    from community.notification_mail import send_digests as send

    return send(frequency)


@task()
def send_event_reminders() -> int:
    """The reminder mails a day and an hour before events (community.reminders).
    Returns how many mails went out."""
    from community.reminders import send_reminders

    return send_reminders()
