from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from community import services
from community.board_demo import seed_boards
from community.demo import (
    DEFAULT_DEMO_PASSWORD,
    PERSONAS,
    demo_password,
    demo_password_is_set,
    register_persona,
)
from community.event_demo import seed_events
from community.forum_demo import seed_forums
from community.models import User
from journeys.demo import seed_journeys
from journeys.reports.demo import seed_reports
from learning.demo import seed_pages


class Command(BaseCommand):
    help = "Load the demo data through the services. Idempotent: a second run changes nothing."

    def handle(self, *args, **options):
        password = demo_password()
        created = 0
        with transaction.atomic():
            for persona in PERSONAS:
                member = User.objects.filter(email=persona.email).first()
                if member is None:
                    register_persona(persona, password)
                    created += 1
                elif demo_password_is_set():
                    # An explicit DEMO_PASSWORD wins over whatever the account had; without
                    # one, a password someone changed in the demo stays as they left it.
                    services.set_password(None, member, password)
        self.stdout.write(f"Demo data ready ({created} new accounts).")
        # The journeys need the personas; each journey is built in its own transaction.
        seed_journeys(self.stdout)
        # The editorial pages: method, kennisbank, scenarios and the course (by the trainer).
        seed_pages(self.stdout)
        # Who may edit which pages, and the workflow; the groups come from a migration.
        call_command("setup_editorial", stdout=self.stdout)
        # The forums: the plein and each demo journey's forum, by the personas.
        seed_forums(self.stdout)
        # Meetings: past and upcoming, a series, a full one with a waiting list.
        seed_events(self.stdout)
        __import__("learning.leervragen.demo").leervragen.demo.seed_leervragen(self.stdout)
        call_command("seed_stories", stdout=self.stdout)  # 40+ stories (journeys/stories/demo.py)
        seed_boards(self.stdout)  # the three-perspectives board of the poverty journey
        # Last: the foto and the reisverslag composed from all of the above.
        seed_reports(self.stdout)
        shown = password if password == DEFAULT_DEMO_PASSWORD else "the DEMO_PASSWORD you set"
        self.stdout.write(f"Demo logins, password: {shown}")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.email:<28} {persona.role}")
