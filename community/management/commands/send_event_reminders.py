"""`manage.py send_event_reminders`: the reminder mails a day and an hour before events,
for a scheduler to call every 10 minutes (cron or a systemd timer, see docs/events.md).

The work goes through the task queue (community.tasks.send_event_reminders): with
immediate tasks it runs at once, in production the worker picks it up. Each reminder
goes once: running it again sends nothing new."""

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus


class Command(BaseCommand):
    help = "Send the event reminders that are due (through the task queue)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Run in this process instead of handing the work to the task queue.",
        )

    def handle(self, *args, now: bool, **options):
        from community.tasks import send_event_reminders

        if now:
            sent = send_event_reminders.call()
            self.stdout.write(f"{sent} reminder(s) sent.")
            return
        try:
            result = send_event_reminders.enqueue()
        except Exception as error:  # a queue that cannot take work: say so, exit non-zero
            raise CommandError(f"Could not queue the event reminders: {error}") from error
        if result.status == TaskResultStatus.FAILED:
            raise CommandError("The event reminders failed; see the task's log.")
        if result.is_finished:
            self.stdout.write(f"{result.return_value} reminder(s) sent.")
        else:
            self.stdout.write(f"Reminders queued (task {result.id}).")
