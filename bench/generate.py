"""Fill the database DATABASE_URL points at with reproducible data at scale, then write the
targets manifest bench/results/dataset-<profile>.json that the scenarios read.

    python -m bench.generate --profile {full,small,tiny} [--seed 2026] [--reset] [--keep]

It migrates first. It refuses to write into a database that already holds users or
journeys, unless --reset (drop everything and start from an empty schema) or --keep
(the database already holds this profile and seed, as its manifest says: leave it and
rewrite nothing but a missing manifest). Same seed, same rows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
BASE_COUNTS = {
    "users": 10_000,
    "organisations": 400,
    "journeys": 1_000,
    "stories": 100_000,
    "threads": 20_000,
    "posts": 200_000,
    "events": 5_000,
    "boards": 1_000,
    "cards": 20_000,
    "leervragen": 10_000,
    "working_elements": 300,
}
DIVISORS = {"full": 1, "small": 10, "tiny": 1_000}
MINIMUM = {"organisations": 4, "working_elements": 3}
DEFAULT_SEED = 2026


class DatabaseNotEmptyError(Exception):
    """The database holds content the generator will not overwrite."""


def profile_counts(profile: str) -> dict[str, int]:
    d = DIVISORS[profile]
    return {k: max(MINIMUM.get(k, 1), v // d) for k, v in BASE_COUNTS.items()}


def manifest_path(profile: str) -> Path:
    return RESULTS / f"dataset-{profile}.json"


def database_counts() -> dict[str, int]:
    from allauth.account.models import EmailAddress
    from modelsearch.conf import get_app_config

    from community.models import Board, Card, Event, Organisation, Post, Registration, Thread, User
    from journeys.models import Journey, Membership, Story
    from learning.models import LearningQuestion, LearningQuestionVote, WorkingElementPage

    models = {
        "users": User,
        "verified_emails": EmailAddress,
        "organisations": Organisation,
        "journeys": Journey,
        "memberships": Membership,
        "stories": Story,
        "threads": Thread,
        "posts": Post,
        "events": Event,
        "registrations": Registration,
        "boards": Board,
        "cards": Card,
        "leervragen": LearningQuestion,
        "leervraag_votes": LearningQuestionVote,
        "working_elements": WorkingElementPage,
        "search_entries": get_app_config().get_model("IndexEntry"),
    }
    return {name: model.objects.count() for name, model in models.items()}


def _holds_content() -> bool:
    from community.models import User
    from journeys.models import Journey

    return User.objects.exists() or Journey.objects.exists()


def reset_database(stdout) -> None:
    """Drop every table: the migrations then build the schema and their own rows again."""
    from django.db import connection

    stdout.write("Dropping the existing schema (--reset)...\n")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor, include_views=False):
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")


def generate(
    profile: str,
    *,
    seed: int = DEFAULT_SEED,
    stdout=sys.stdout,
    migrate: bool = True,
    reset: bool = False,
    manifest_to: Path | None = None,
) -> dict:
    """Fill the database and write the manifest; returns the manifest."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import transaction

    from bench import gen_activity, gen_core, gen_forum, gen_index, gen_pages, gen_stories
    from bench.gen_db import Writer

    began = time.monotonic()
    load_before = os.getloadavg()
    if reset:
        reset_database(stdout)
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if _holds_content():
        raise DatabaseNotEmptyError(
            "This database already holds users or journeys. Generate into an empty database, "
            "or pass --reset to drop everything in it first (or --keep to keep a dataset "
            "generated earlier with the same profile and seed)."
        )
    ctx = gen_core.Ctx(profile=profile, seed=seed, counts=profile_counts(profile), w=Writer())
    timings = {}

    def stage(name, fn):
        t = time.monotonic()
        fn(ctx)
        timings[name] = round(time.monotonic() - t, 2)
        stdout.write(f"  {name:<14} {timings[name]:7.2f} s\n")
        stdout.flush()

    stdout.write(f"Generating profile {profile} (seed {seed})...\n")
    with transaction.atomic():
        stage("tags", gen_core.make_tags)
        stage("organisations", gen_core.make_organisations)
        stage("users", gen_core.make_users)
        stage("journeys", gen_core.make_journeys)
        stage("stories", gen_stories.make_stories)
        stage("forum", gen_forum.make_forum)
        stage("events", gen_activity.make_events)
        stage("boards", gen_activity.make_boards)
        stage("leervragen", gen_activity.make_leervragen)
        # The pages stage writes through the ORM (tags, pages): sequences must be right.
        ctx.w.reset_sequences()
        stage("pages", gen_pages.make_pages)
        stage("search index", lambda c: c.manifest.update(index=gen_index.build()))
        ctx.w.reset_sequences()
    t = time.monotonic()
    ctx.w.analyze()
    timings["analyze"] = round(time.monotonic() - t, 2)
    # Cached fragments of an earlier dataset would show rows that no longer exist.
    cache.clear()
    seconds = round(time.monotonic() - began, 1)
    manifest = _manifest(ctx, seconds, timings, load_before)
    path = manifest_to or manifest_path(profile)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    stdout.write(f"Done in {seconds} s; manifest: {path}\n")
    return manifest


def _manifest(ctx, seconds: float, timings: dict, load_before) -> dict:
    from django.urls import reverse

    from bench.gen_core import PASSWORD
    from bench.gen_text import search_terms

    target = ctx.target
    emails = ctx.manifest["users"]
    facilitator, member = target.members[0], target.members[1]
    thread_id, board_id = ctx.manifest["thread_id"], ctx.manifest["board_id"]
    thread_url = reverse("community:journey_thread", args=[target.slug, thread_id])
    dashboard = reverse("journeys:dashboard", args=[target.slug])
    working_element = ctx.manifest["working_element_url"]
    return {
        "profile": ctx.profile,
        "seed": ctx.seed,
        "counts": database_counts(),
        "seconds": seconds,
        "stage_seconds": timings,
        "environment": {
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "password": PASSWORD,
        "member": {"email": emails[member], "id": member},
        "facilitator": {"email": emails[facilitator], "id": facilitator},
        "journey": {"id": target.id, "slug": target.slug},
        "pages": {
            "journey_dashboard": dashboard,
            # The first page, asked by number: without it a member who read page 1 is
            # sent on to the first unread post.
            "thread_200": f"{thread_url}?pagina=1",
            "story_archive_facet": reverse("stories:index") + "?perspectief=inwoner",
            "working_element": working_element,
            "kanban": reverse("learning:journey_question_board", args=[target.slug]),
            "hello": "/bench/hello/",
        },
        "anonymous_pages": {
            "working_element": working_element,
            "kennisbank": ctx.manifest["kennisbank_url"],
            "home": "/",
            "story_archive": reverse("stories:index"),
            "journeys": reverse("journeys:index"),
            "journey_dashboard": dashboard,
        },
        "board": {
            "id": board_id,
            "ws_path": f"/ws/borden/{board_id}/",
            "journey_slug": target.slug,
            "url": reverse("community:board", args=[target.slug, board_id]),
        },
        "thread": {
            "id": thread_id,
            "ws_path": f"/ws/forum/thread/{thread_id}/",
            "reply_url": thread_url,
            "reply_field": "body",
            "posts": 200,
        },
        "members_of_target_journey": list(target.members),
        "search_terms": search_terms(),
    }


def keep_existing(profile: str, seed: int, stdout) -> bool:
    """--keep: true when the database holds exactly what this profile's manifest says."""
    path = manifest_path(profile)
    if not path.exists():
        return False
    manifest = json.loads(path.read_text())
    if manifest.get("seed") != seed or manifest.get("profile") != profile:
        return False
    if database_counts() != manifest.get("counts"):
        return False
    stdout.write(f"Kept the {profile} dataset already in the database ({path}).\n")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--profile", choices=sorted(DIVISORS), required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--reset", action="store_true", help="drop all tables first")
    group.add_argument(
        "--keep", action="store_true", help="leave a dataset of this profile and seed in place"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    if args.keep:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        if keep_existing(args.profile, args.seed, sys.stdout):
            return 0
    try:
        generate(args.profile, seed=args.seed, reset=args.reset, migrate=not args.keep)
    except DatabaseNotEmptyError as refused:
        sys.stderr.write(f"bench.generate: {refused}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
