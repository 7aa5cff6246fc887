"""Forum threads and their numbered posts (Markdown source with the sanitised HTML the
model keeps), in journeys' forums and on the plein; the target thread has exactly 200
posts. Counters (post_count, last_post_number, last_post_at) match the posts."""

from __future__ import annotations

from datetime import timedelta

from bench import gen_text as text
from bench.gen_core import Ctx
from community import markdown
from community.forum_demo import CATEGORIES
from community.models import ForumCategory, Post, Reaction, Thread

TARGET_POSTS = 200
BODY_VARIANTS = 500


def _bodies(ctx: Ctx) -> list[tuple[str, str]]:
    """A pool of post texts, rendered once each: rendering 200,000 posts one by one would
    cost minutes and give the same kind of HTML."""
    rng = ctx.rng("post-bodies")
    pool = []
    for i in range(BODY_VARIANTS):
        parts = [text.paragraph(rng, rng.randint(1, 3))]
        if i % 5 == 0:
            parts.append("\n".join(f"- {text.sentence(rng, 5)}" for _ in range(3)))
        if i % 7 == 0:
            parts.append(f"> {text.sentence(rng)}")
        if i % 3 == 0:
            parts.append(f"**{text.title(rng)}**: {text.sentence(rng)}")
        body = "\n\n".join(parts)
        pool.append((body, markdown.render(body)))
    return pool


def make_categories(ctx: Ctx) -> list[int]:
    ids = []
    for position, (slug, name, description) in enumerate(CATEGORIES):
        category, _ = ForumCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
        ids.append(category.pk)
    return ids


def make_forum(ctx: Ctx) -> None:
    rng = ctx.rng("forum")
    categories = make_categories(ctx)
    n_threads = ctx.counts["threads"]
    # Every thread opens with a post; the target thread has exactly 200.
    n_posts = max(ctx.counts["posts"], TARGET_POSTS + n_threads - 1)
    n_target_threads = max(1, n_threads // 100)
    sizes = [TARGET_POSTS] + [1] * (n_threads - 1)
    for k in rng.choices(range(1, n_threads), k=n_posts - sum(sizes)) if n_threads > 1 else []:
        sizes[k] += 1
    bodies = _bodies(ctx)
    t_start, p_start = ctx.w.next_id(Thread), ctx.w.next_id(Post)
    threads, posts, reactions = [], [], []
    pid = p_start
    for i in range(n_threads):
        tid = t_start + i
        if i < n_target_threads:
            journey, category = ctx.target, None
        elif rng.random() < 0.8:
            journey, category = rng.choice(ctx.journeys), None
        else:
            journey, category = None, rng.choice(categories)
        people = journey.members if journey else ctx.users
        started = ctx.when(rng, 700)
        at = started
        first_post = pid
        for number in range(1, sizes[i] + 1):
            body, html = bodies[rng.randrange(len(bodies))]
            reply_to = (
                rng.randint(first_post, pid - 1) if number > 2 and rng.random() < 0.15 else None
            )
            author = people[0] if number == 1 and i == 0 else rng.choice(people)
            posts.append((pid, tid, number, author, reply_to, body, html, at, None, None, None))
            if rng.random() < 0.1:
                reactions.append(
                    (pid, rng.choice(people), rng.choice(list(Reaction.Kind.values)), at)
                )
            pid += 1
            at += timedelta(minutes=rng.randint(5, 600))
        last_at = posts[-1][7]
        title = "Wat werkt tegen eenzaamheid in de wijk?" if i == 0 else text.title(rng) + "?"
        threads.append((
            tid, journey.id if journey else None, category, title, people[0] if i == 0 else
            posts[first_post - p_start][3], started, last_at, sizes[i], sizes[i],
            rng.random() < 0.02, rng.random() < 0.02 and i != 0, False,
        ))  # fmt: skip
    ctx.w.insert(
        Thread,
        ["id", "journey_id", "category_id", "title", "author_id", "created_at", "last_post_at",
         "last_post_number", "post_count", "is_pinned", "is_locked", "is_hidden"],
        threads,
    )  # fmt: skip
    ctx.w.insert(
        Post,
        ["id", "thread_id", "number", "author_id", "reply_to_id", "body", "body_html",
         "created_at", "edited_at", "deleted_at", "deleted_by_id"],
        posts,
    )  # fmt: skip
    seen, r_rows = set(), []
    r_id = ctx.w.next_id(Reaction)
    for post, user, kind, at in reactions:
        if (post, user, kind) not in seen:
            seen.add((post, user, kind))
            r_rows.append((r_id + len(r_rows), post, user, kind, at))
    ctx.w.insert(Reaction, ["id", "post_id", "user_id", "kind", "created_at"], r_rows)
    ctx.tag_rows(Thread, [(t[0], [rng.choice(text.THEMES)]) for t in threads if rng.random() < 0.3])
    ctx.manifest["thread_id"] = t_start
    ctx.manifest["posts"] = len(posts)
