"""`manage.py backup`: one timestamped backup of the database and the uploaded files
(config/backup.py; README "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump or SQLite's online backup) and the uploaded files "
        "into a new timestamped folder under BACKUP_DIR (default var/backups/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="Where to write (default: BACKUP_DIR).")
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="Afterwards remove all but the newest N backups in that folder (0: keep all).",
        )

    def handle(self, *args, dir: Path | None, keep: int, **options):
        say = self.stderr.write if options["verbosity"] else (lambda _m: None)
        try:
            made = backup.create_backup(dir, keep=keep, say=say)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = made.manifest["files"]
        size = sum(item["bytes"] for item in files.values())
        stored = sum(item["files"] for item in made.manifest["storages"].values())
        say(f"Backup complete: database and {stored} files, {size:,} bytes.")
        # The path alone on stdout, for scripts: BACKUP=$(manage.py backup).
        self.stdout.write(str(made.path))
