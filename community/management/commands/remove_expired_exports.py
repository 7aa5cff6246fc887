"""Remove members' data downloads whose links expired (also done on every new export)."""

from django.core.management.base import BaseCommand

from community.services.data_export import remove_expired_exports


class Command(BaseCommand):
    help = "Remove members' data downloads whose links have expired."

    def handle(self, *args, **options):
        removed = remove_expired_exports()
        self.stdout.write(f"{removed} expired export(s) removed.")
