"""`manage.py send_digests daily|weekly`: the daily or weekly digest of notifications,
for a scheduler (cron or a systemd timer, see docs/notifications.md) to call.

The work goes through the task queue (community.tasks.send_digests): with immediate
tasks it runs at once, in production the worker picks it up. Running it twice the same
day sends nothing the second time."""

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from community.notification_mail import DIGEST_PERIOD


class Command(BaseCommand):
    help = "Send the daily or weekly digest of notifications (through the task queue)."

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=[str(f) for f in DIGEST_PERIOD])
        parser.add_argument(
            "--now",
            action="store_true",
            help="Run in this process instead of handing the work to the task queue.",
        )

    def handle(self, *args, frequency: str, now: bool, **options):
        from community.tasks import send_digests

        if now:
            sent = send_digests.call(frequency)
            self.stdout.write(f"{frequency}: {sent} digest(s) sent.")
            return
        try:
            result = send_digests.enqueue(frequency)
        except Exception as error:  # a queue that cannot take work: say so, exit non-zero
            raise CommandError(f"Could not queue the {frequency} digests: {error}") from error
        if result.status == TaskResultStatus.FAILED:
            raise CommandError(f"The {frequency} digests failed; see the task's log.")
        if result.is_finished:
            self.stdout.write(f"{frequency}: {result.return_value} digest(s) sent.")
        else:
            self.stdout.write(f"{frequency}: digests queued (task {result.id}).")
