from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Migrate, load the demo data and serve pages and websockets (what `make run` does), "
        "in one process: starting the stack costs seconds, so it starts once."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="Skip the demo data.")

    def handle(self, *args, addrport: str, no_demo: bool, **options):
        call_command("migrate", interactive=False, verbosity=1)
        if not no_demo:
            call_command("seed_demo")
        # daphne's runserver (daphne is first in INSTALLED_APPS) serves ASGI, websockets
        # included. No reloader: it would start the whole stack a second time.
        self.stdout.write(f"Serving on http://{addrport}  (Ctrl-C stops)")
        call_command("runserver", addrport, use_reloader=False)
