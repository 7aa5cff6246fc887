"""Backups (config/backup.py, `manage.py backup` / `restore`): the restore drill.

Content made through the services is backed up, restored by `manage.py restore` in a
separate process into a fresh database (PostgreSQL when the suite runs on it, a SQLite
file otherwise) and fresh storage folders, and then served from there by another process:
the same rows, the same image bytes, the pages answer. CI runs it on both databases.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from community.models import Post, Thread, User
from community.services import forum
from config import backup
from journeys import services as journeys
from journeys.models import Journey, Story
from journeys.stories import services as stories

# Committed data: pg_dump reads it from its own connection. serialized_rollback puts
# Wagtail's pages back after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SMOKE = """
import hashlib, json, os
from django.core.files.storage import storages
from django.test import Client
from community.models import Post, Thread, User
from journeys.models import Journey, Story

story = Story.objects.get(pk=int(os.environ["DRILL_STORY"]))
journey = Journey.objects.get(slug=os.environ["DRILL_JOURNEY"])
with story.image.open("rb") as image:
    image_sha = hashlib.sha256(image.read()).hexdigest()
with storages["private"].open(os.environ["DRILL_PRIVATE"]) as private:
    report = private.read().decode()
client = Client()
print("DRILL " + json.dumps({
    "counts": [User.objects.count(), Journey.objects.count(), Story.objects.count(),
               Thread.objects.count(), Post.objects.count()],
    "image": image_sha,
    "private": report,
    "pages": {url: client.get(url).status_code
              for url in ["/", story.get_absolute_url(), journey.get_absolute_url(),
                          f"/reizen/{journey.slug}/forum/"]},
}))
"""


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def counts() -> list[int]:
    return [m.objects.count() for m in (User, Journey, Story, Thread, Post)]


@pytest.fixture
def storage_folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path / "private"}},
    }
    return tmp_path


@pytest.fixture
def fresh_database(tmp_path):
    """A DATABASE_URL for an empty database of the suite's kind, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored' / 'db.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_drill"
    quoted = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {quoted}")
    yield urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done


def test_a_backup_restores_into_a_fresh_database_and_serves_the_same_content(
    make_member, storage_folders, fresh_database
):
    tmp = storage_folders
    member = make_member("backup-drill@example.org", first_name="Bo")
    journey = journeys.create_journey(
        member,
        title="Samen sterker in Noorderhaven",
        challenge="Eenzaamheid onder ouderen",
        visibility=Journey.Visibility.OPENBAAR,
    )
    story = stories.tell_story(
        member,
        stories.StoryDetails(
            title="De bankjes op het plein",
            text="Sinds er bankjes staan, praten de buren weer met elkaar.",
            perspective=Story.Perspective.INWONER,
            visibility=Story.Visibility.OPENBAAR,
            journey=journey,
            image=SimpleUploadedFile("bankje.jpg", jpeg(), content_type="image/jpeg"),
            image_description="Twee buren op een bankje",
        ),
    )
    forum.start_thread(
        member, title="Wie komt er dinsdag?", body="Koffie om tien uur.", journey=journey
    )
    report = storages["private"].save("rapporten/drill.pdf", ContentFile(b"%PDF-1.7 drill"))
    image_sha = hashlib.sha256(story.image.read()).hexdigest()
    before = counts()

    made = backup.create_backup(tmp / "backups")

    manifest = made.manifest
    assert manifest["database"]["kind"] == connection.vendor
    assert manifest["database"]["tables"]["journeys_story"] == Story.objects.count()
    assert "journeys" in manifest["migrations"]
    assert manifest["storages"]["default"]["files"] >= 1
    assert manifest["storages"]["private"]["files"] == 1
    assert oct(made.path.stat().st_mode & 0o777) == "0o700"

    # Restore and serve in other processes, as an operator would, against fresh places.
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "MEILISEARCH_URL"}},
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
        "DATABASE_URL": fresh_database,
        "MEDIA_ROOT": str(tmp / "restored" / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "restored" / "private"),
        "PAGE_CACHE_SECONDS": "0",
    }
    restored = manage("restore", str(made.path), env=env)
    assert "Restored" in restored.stdout
    assert "as recorded" in restored.stderr  # the restored row counts match the manifest

    env.update(DRILL_STORY=str(story.pk), DRILL_JOURNEY=journey.slug, DRILL_PRIVATE=report)
    smoke = manage("shell", "--no-imports", "-c", SMOKE, env=env)
    line = next(x for x in smoke.stdout.splitlines() if x.startswith("DRILL "))
    served = json.loads(line.removeprefix("DRILL "))
    assert served["counts"] == before
    assert served["image"] == image_sha
    assert served["private"] == "%PDF-1.7 drill"
    assert set(served["pages"].values()) == {200}, served["pages"]


def test_a_restore_refuses_existing_data_a_newer_version_and_a_damaged_backup(
    make_member, storage_folders
):
    make_member("backup-refusal@example.org")
    made = backup.create_backup(storage_folders / "backups")

    # Over a database that has tables: refused, nothing touched.
    with pytest.raises(backup.BackupError, match="Refusing to restore over existing data"):
        backup.restore_backup(made.path)
    assert User.objects.filter(email="backup-refusal@example.org").exists()

    # A backup from a newer version of the platform: refused, whatever --force says.
    manifest_file = made.path / "manifest.json"
    original = manifest_file.read_text()
    future = json.loads(original)
    future["migrations"]["journeys"].append("9999_from_the_future")
    manifest_file.write_text(json.dumps(future))
    with pytest.raises(backup.BackupError, match=r"newer version.*journeys\.9999_from_the_future"):
        backup.restore_backup(made.path, force=True)
    manifest_file.write_text(original)

    # A damaged file: refused before anything happens.
    dump = made.path / made.manifest["database"]["file"]
    with dump.open("r+b") as handle:
        handle.seek(-1, os.SEEK_END)
        last = handle.read(1)
        handle.seek(-1, os.SEEK_END)
        handle.write(bytes([last[0] ^ 0xFF]))
    with pytest.raises(CommandError, match=r"database\.\w+ does not match its checksum"):
        call_command("restore", str(made.path), "--force", verbosity=0)

    # --keep removes all but the newest backups.
    again = backup.create_backup(storage_folders / "backups", keep=1)
    assert backup.list_backups(storage_folders / "backups") == [again.path]
    assert not Path(made.path).exists()
