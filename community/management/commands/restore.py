"""`manage.py restore PATH`: restore a backup made by `manage.py backup` into the
configured database and storage folders, then migrate (config/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config import backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder into DATABASE_URL and the storage folders: checks the "
        "checksums, refuses existing data unless --force, then runs migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup folder (or its manifest.json).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Empty a database that has tables and storage folders that hold files first.",
        )

    def handle(self, *args, path: Path, force: bool, **options):
        say = self.stderr.write if options["verbosity"] else (lambda _m: None)
        try:
            restored = backup.restore_backup(path, force=force, say=say)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {restored.path} ({restored.manifest['created_at']}).")
