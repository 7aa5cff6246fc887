from django.core.management.base import BaseCommand

from journeys.stories.demo import seed_stories


class Command(BaseCommand):
    help = "Load the demo stories (after seed_demo's journeys). Idempotent."

    def handle(self, *args, **options):
        seed_stories(self.stdout)
