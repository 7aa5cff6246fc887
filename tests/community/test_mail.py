"""Mail leaves through the task queue: queued in production, delivered at once in the demo."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from config.settings import components

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_mail(settings):
    # Django's test set-up replaces EMAIL_BACKEND with locmem; put the platform's back.
    settings.EMAIL_BACKEND = "community.mail.TaskQueueEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def send_welcome():
    message = EmailMultiAlternatives(
        "Welkom", "Tekst", "platform@example.org", ["lid@example.org"], reply_to=["rb@example.org"]
    )
    message.attach_alternative("<p>Tekst</p>", "text/html")
    message.attach("agenda.ics", "BEGIN:VCALENDAR", "text/calendar")
    return message.send()


def test_with_immediate_tasks_mail_is_delivered_whole(queued_mail):
    assert send_welcome() == 1
    assert len(mail.outbox) == 1
    delivered = mail.outbox[0]
    assert (delivered.subject, delivered.to, delivered.reply_to) == (
        "Welkom",
        ["lid@example.org"],
        ["rb@example.org"],
    )
    assert delivered.alternatives[0][0] == "<p>Tekst</p>"
    assert delivered.attachments[0][0] == "agenda.ics"
    assert delivered.attachments[0][1] == "BEGIN:VCALENDAR"


def test_with_a_task_queue_mail_waits_for_the_worker(queued_mail, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = components.tasks("database")
    send_welcome()
    assert mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "community.tasks.send_email"
    assert queued.args_kwargs["args"][0]["to"] == ["lid@example.org"]
