from django.core.management.base import BaseCommand, CommandError

from learning.editorial import setup_editorial
from learning.models import CourseIndexPage, HomePage, KnowledgeIndexPage


class Command(BaseCommand):
    help = (
        "Give the editorial groups (Redacteuren, Hoofdredacteuren, Trainers, Onderzoekers) "
        "their page permissions and put the site under the editorial workflow. Run it once "
        "the home page, the kennisbank and the course overview exist; running it again "
        "changes nothing."
    )

    def handle(self, *args, **options):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("There is no home page yet.")
        setup_editorial(
            home=home,
            knowledge=KnowledgeIndexPage.objects.first(),
            courses=CourseIndexPage.objects.first(),
        )
        self.stdout.write("Editorial groups and workflow are set up.")
