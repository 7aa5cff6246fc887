"""The rules of the forums: starting threads, replying, editing with history, soft
deletion, reactions, attachments, reports, moderation, reading and following.

Functions take the acting user first, check permission (community.queries.forum), write
in one transaction, record an audit entry where a moderator acts, and publish live
events and notifications after commit. Refusals raise RuleViolation (a Dutch message)
or PermissionDenied.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search import index

from community import audit, images
from community.markdown import mentioned_handles, render
from community.models import (
    Attachment,
    ForumCategory,
    Mention,
    Post,
    PostRevision,
    Reaction,
    Report,
    SpaceReadMark,
    Thread,
    ThreadReadState,
    ThreadSubscription,
    User,
)
from community.queries.forum import (
    journey_forum_access,
    plein_access,
    readers_of,
    thread_access,
)
from community.realtime import group_name, publish_on_commit
from journeys.models import Journey
from journeys.services import RuleViolation

MAX_BODY = 50_000
MAX_TITLE = 200
MAX_TAGS = 5
MAX_TAG_LENGTH = 40
MAX_ATTACHMENTS = 5
ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
}
ATTACHMENT_IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
MAX_IMAGE_PIXELS = 40_000_000


class RateLimited(RuleViolation):
    """Too many posts in a short time; the view answers 429."""


def max_attachment_bytes() -> int:
    return settings.FORUM_MAX_ATTACHMENT_BYTES


def posts_per_minute() -> int:
    return settings.FORUM_POSTS_PER_MINUTE


# --- Checks -------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise RuleViolation(_("Write something before you post."))
    if len(body) > MAX_BODY:
        raise RuleViolation(
            _("A post can be at most %(max)s characters; this one has %(length)s.")
            % {
                "max": f"{MAX_BODY:,}".replace(",", "."),
                "length": f"{len(body):,}".replace(",", "."),
            }
        )
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise RuleViolation(_("Give the thread a title."))
    if len(title) > MAX_TITLE:
        raise RuleViolation(_("A title can be at most %(max)s characters.") % {"max": MAX_TITLE})
    return title


def _clean_tags(tags: Iterable[str]) -> list[str]:
    cleaned = sorted({" ".join(t.split()).lower() for t in tags if t and t.strip()})
    if len(cleaned) > MAX_TAGS:
        raise RuleViolation(_("Use at most %(max)s tags.") % {"max": MAX_TAGS})
    if any(len(t) > MAX_TAG_LENGTH for t in cleaned):
        raise RuleViolation(_("A tag can be at most %(max)s characters.") % {"max": MAX_TAG_LENGTH})
    return cleaned


def _clean_image(upload: UploadedFile, mime: str) -> ContentFile:
    """An image attachment decoded and written anew: the pixels only, so EXIF (place,
    camera, time) and other metadata never reach the readers; a decompression bomb or a
    file that only starts like an image is refused."""
    name = {"name": upload.name}
    return ContentFile(
        images.reencode(
            upload,
            ATTACHMENT_IMAGE_FORMATS[mime],
            max_pixels=MAX_IMAGE_PIXELS,
            too_many_pixels=_("%(name)s has too many pixels; make it smaller.") % name,
            unreadable=_("%(name)s cannot be read as an image; try another file.") % name,
            expect_format=True,
        )
    )


def check_attachments(files: Iterable[UploadedFile]) -> list[tuple[File, str, str]]:
    """Size, count and type by content (not by the name someone gave the file). Returns
    (the file to store, its content type, the name to show): stored under a name of our
    own with the extension of its type, images re-encoded without their metadata."""
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise RuleViolation(_("Attach at most %(max)s files.") % {"max": MAX_ATTACHMENTS})
    checked = []
    limit = max_attachment_bytes()
    for upload in files:
        if upload.size > limit:
            raise RuleViolation(
                _("%(name)s is larger than %(max)s MB.")
                % {"name": upload.name, "max": limit // (1024 * 1024)}
            )
        head = upload.read(8192)
        upload.seek(0)
        kind = filetype.guess(head)
        mime = kind.mime if kind else ""
        if mime == "application/zip" and upload.name.lower().endswith((".docx", ".xlsx", ".pptx")):
            mime = next(
                m
                for m, ext in ALLOWED_ATTACHMENT_TYPES.items()
                if upload.name.lower().endswith(ext)
            )
        if mime not in ALLOWED_ATTACHMENT_TYPES:
            raise RuleViolation(
                _("%(name)s is not a file type the forum accepts (PDF, images, office documents).")
                % {"name": upload.name}
            )
        extension = ALLOWED_ATTACHMENT_TYPES[mime]
        if mime in ATTACHMENT_IMAGE_FORMATS:
            stored: File = _clean_image(upload, mime)
        else:
            stored = File(upload)
        stored.name = f"bijlage.{extension}"
        checked.append((stored, mime, upload.name[:200]))
    return checked


def _check_rate(actor: User) -> None:
    since = timezone.now() - timedelta(minutes=1)
    if Post.objects.filter(author=actor, created_at__gte=since).count() >= posts_per_minute():
        raise RateLimited(_("You are posting very quickly. Wait a minute and try again."))


def _mentions_in(body: str, thread: Thread) -> dict[str, User]:
    handles = mentioned_handles(body)
    if not handles:
        return {}
    readers = readers_of(thread).filter(handle__in=handles)
    return {user.handle: user for user in readers}


def _render(body: str, mentions: dict[str, User]) -> str:
    return render(body, mentionable=set(mentions))


# --- Threads and posts --------------------------------------------------------------------


def _add_post(
    actor: User,
    thread: Thread,
    body: str,
    *,
    reply_to: Post | None,
    files: list[tuple[File, str, str]],
) -> Post:
    mentions = _mentions_in(body, thread)
    Thread.objects.filter(pk=thread.pk).update(last_post_number=F("last_post_number") + 1)
    thread.refresh_from_db(fields=["last_post_number"])
    post = Post.objects.create(
        thread=thread,
        number=thread.last_post_number,
        author=actor,
        reply_to=reply_to,
        body=body,
        body_html=_render(body, mentions),
    )
    Mention.objects.bulk_create(Mention(post=post, user=user) for user in mentions.values())
    for stored, mime, name in files:
        Attachment.objects.create(
            post=post, file=stored, name=name, size=stored.size, content_type=mime
        )
    now = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1, last_post_at=now)
    thread.refresh_from_db(fields=["post_count", "last_post_at"])
    # Who writes in a thread follows it, unless they muted it.
    ThreadSubscription.objects.get_or_create(
        user=actor, thread=thread, defaults={"level": ThreadSubscription.Level.FOLLOWING}
    )
    ThreadReadState.objects.update_or_create(
        user=actor, thread=thread, defaults={"last_read_number": post.number}
    )
    return post


def _publish_post(post: Post, op: str) -> None:
    thread = post.thread
    publish_on_commit(
        group_name("forum", "thread", thread.pk),
        {
            "type": "forum.post",
            "op": op,
            "thread": thread.pk,
            "post": post.pk,
            "number": post.number,
        },
    )
    space = (
        group_name("forum", "journey", thread.journey_id)
        if thread.journey_id
        else group_name("forum", "plein")
    )
    publish_on_commit(
        space,
        {
            "type": "forum.thread",
            "op": "activity",
            "thread": thread.pk,
            "posts": thread.post_count,
            "last_post_number": thread.last_post_number,
        },
    )


@transaction.atomic
def start_thread(
    actor: User,
    *,
    title: str,
    body: str,
    journey: Journey | None = None,
    category: ForumCategory | None = None,
    tags: Iterable[str] = (),
    attachments: Iterable[UploadedFile] = (),
) -> Thread:
    if (journey is None) == (category is None):
        raise RuleViolation(_("Choose where the thread goes."))
    access = journey_forum_access(actor, journey) if journey else plein_access(actor)
    if not access.can_post:
        raise PermissionDenied(_("You may read this forum, but not start threads in it."))
    title, body, tags = _clean_title(title), _clean_body(body), _clean_tags(tags)
    files = check_attachments(attachments)
    _check_rate(actor)
    thread = Thread.objects.create(
        journey=journey, category=category, title=title, author=actor, last_post_at=timezone.now()
    )
    if tags:
        thread.tags.set(tags)
        # The thread was indexed on its first save, before it had tags: index it again.
        transaction.on_commit(lambda: index.insert_or_update_object(thread))
    post = _add_post(actor, thread, body, reply_to=None, files=files)
    from community.services import notifications

    notifications.notify_new_post(post, new_thread=True)
    _publish_post(post, "created")
    return thread


@transaction.atomic
def reply(
    actor: User,
    thread: Thread,
    *,
    body: str,
    reply_to: Post | None = None,
    attachments: Iterable[UploadedFile] = (),
) -> Post:
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    access = thread_access(actor, thread)
    if thread.is_locked and not access.can_moderate:
        raise RuleViolation(_("This thread is locked: no new posts."))
    if not access.can_post:
        raise PermissionDenied(_("You may read this thread, but not post in it."))
    if reply_to is not None and reply_to.thread_id != thread.pk:
        raise RuleViolation(_("You can only reply to a post in this thread."))
    body = _clean_body(body)
    files = check_attachments(attachments)
    _check_rate(actor)
    post = _add_post(actor, thread, body, reply_to=reply_to, files=files)
    from community.services import notifications

    notifications.notify_new_post(post, new_thread=False)
    _publish_post(post, "created")
    return post


def _may_change(actor: User, post: Post) -> bool:
    access = thread_access(actor, post.thread)
    return access.can_moderate or (
        actor.is_authenticated and post.author_id == actor.pk and access.can_read
    )


@transaction.atomic
def edit_post(actor: User, post: Post, *, body: str) -> Post:
    """The author (or a moderator) edits; the earlier text stays in the edit history."""
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread__journey")
        .get(pk=post.pk)
    )
    if post.is_deleted:
        raise RuleViolation(_("A deleted post cannot be edited."))
    if not _may_change(actor, post):
        raise PermissionDenied(_("Only the author or a moderator edits a post."))
    if post.thread.is_locked and not thread_access(actor, post.thread).can_moderate:
        raise RuleViolation(_("This thread is locked: no new posts."))
    body = _clean_body(body)
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, edited_by=actor)
    before = set(post.mentions.values_list("user_id", flat=True))
    mentions = _mentions_in(body, post.thread)
    post.body = body
    post.body_html = _render(body, mentions)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    post.mentions.exclude(user__in=mentions.values()).delete()
    new = [user for user in mentions.values() if user.pk not in before]
    Mention.objects.bulk_create(Mention(post=post, user=user) for user in new)
    if new:
        from community.services import notifications

        notifications.notify_mentions(post, new)
    if post.author_id != actor.pk:
        audit.record(actor, "forum.post_edited", post, thread=post.thread_id)
    _publish_post(post, "edited")
    return post


@transaction.atomic
def delete_post(actor: User, post: Post) -> Post:
    """Soft deletion: the post shows as deleted; its text is kept for moderators."""
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("thread__journey")
        .get(pk=post.pk)
    )
    if post.is_deleted:
        return post
    if not _may_change(actor, post):
        raise PermissionDenied(_("Only the author or a moderator deletes a post."))
    if post.number == 1 and not thread_access(actor, post.thread).can_moderate:
        raise RuleViolation(
            _("The first post carries the thread; ask a moderator to hide the thread instead.")
        )
    post.deleted_at = timezone.now()
    post.deleted_by = actor
    post.save(update_fields=["deleted_at", "deleted_by"])
    Thread.objects.filter(pk=post.thread_id).update(post_count=F("post_count") - 1)
    if post.author_id != actor.pk:
        audit.record(actor, "forum.post_deleted", post, thread=post.thread_id)
    _publish_post(post, "deleted")
    return post


@transaction.atomic
def toggle_reaction(actor: User, post: Post, kind: str) -> bool:
    """Add the reaction, or take it back when it is there. Returns whether it is on."""
    if kind not in Reaction.Kind.values:
        raise RuleViolation(_("That reaction does not exist."))
    access = thread_access(actor, post.thread)
    if not (access.can_read and actor.is_authenticated) or post.is_deleted:
        raise PermissionDenied(_("You cannot react to this post."))
    existing = Reaction.objects.filter(post=post, user=actor, kind=kind)
    if existing.exists():
        existing.delete()
        on = False
    else:
        Reaction.objects.create(post=post, user=actor, kind=kind)
        on = True
    _publish_post(post, "reacted")
    return on


@transaction.atomic
def report_post(actor: User, post: Post, *, reason: str) -> Report:
    reason = (reason or "").strip()
    if not actor.is_authenticated or not thread_access(actor, post.thread).can_read:
        raise PermissionDenied(_("You cannot report this post."))
    if not reason:
        raise RuleViolation(_("Say why you report this post."))
    if len(reason) > 2000:
        raise RuleViolation(_("Keep the reason under 2,000 characters."))
    if Report.objects.filter(post=post, reporter=actor, status=Report.Status.OPEN).exists():
        raise RuleViolation(_("You have already reported this post; a moderator will look at it."))
    report = Report.objects.create(post=post, reporter=actor, reason=reason)
    audit.record(actor, "forum.post_reported", post, thread=post.thread_id)
    return report


# --- Moderation ---------------------------------------------------------------------------


def _moderate(actor: User, thread: Thread) -> None:
    if not thread_access(actor, thread).can_moderate and not (
        thread.is_hidden and _moderates_space(actor, thread)
    ):
        raise PermissionDenied(_("Only a moderator of this forum does this."))


def _moderates_space(actor: User, thread: Thread) -> bool:
    if thread.journey_id:
        return journey_forum_access(actor, thread.journey).can_moderate
    return plein_access(actor).can_moderate


@transaction.atomic
def set_thread_flag(actor: User, thread: Thread, *, flag: str, value: bool) -> Thread:
    """Pin, lock or hide a thread (flag: pinned, locked, hidden)."""
    field = {"pinned": "is_pinned", "locked": "is_locked", "hidden": "is_hidden"}.get(flag)
    if field is None:
        raise RuleViolation(_("Unknown moderation action."))
    if not _moderates_space(actor, thread):
        raise PermissionDenied(_("Only a moderator of this forum does this."))
    setattr(thread, field, value)
    thread.save(update_fields=[field])
    audit.record(actor, f"forum.thread_{flag}" if value else f"forum.thread_un{flag}", thread)
    publish_on_commit(
        group_name("forum", "thread", thread.pk),
        {"type": "forum.thread", "op": flag, "thread": thread.pk, "value": value},
    )
    return thread


@transaction.atomic
def move_thread(actor: User, thread: Thread, *, category: ForumCategory) -> Thread:
    """Move a plein thread to another category."""
    if thread.journey_id:
        raise RuleViolation(_("Threads of a journey stay in that journey's forum."))
    if not _moderates_space(actor, thread):
        raise PermissionDenied(_("Only a moderator of this forum does this."))
    old = thread.category_id
    thread.category = category
    thread.save(update_fields=["category"])
    audit.record(actor, "forum.thread_moved", thread, old=old, new=category.pk)
    return thread


@transaction.atomic
def handle_report(actor: User, report: Report, *, resolve: bool) -> Report:
    thread = report.post.thread
    if not _moderates_space(actor, thread):
        raise PermissionDenied(_("Only a moderator of this forum does this."))
    if report.status != Report.Status.OPEN:
        raise RuleViolation(_("This report has already been handled."))
    report.status = Report.Status.RESOLVED if resolve else Report.Status.DISMISSED
    report.handled_by = actor
    report.handled_at = timezone.now()
    report.save(update_fields=["status", "handled_by", "handled_at"])
    audit.record(actor, "forum.report_handled", report.post, status=report.status)
    return report


# --- Reading and following ----------------------------------------------------------------


def mark_read(actor: User, thread: Thread, up_to: int, *, read_before: int | None = None) -> None:
    """Remember the highest post number seen (it never goes back). `read_before`: the
    number the caller already read from the reader's place, when there is one; it spares
    looking it up again (and writing anything when the reader is not further on)."""
    if not actor.is_authenticated:
        return
    if read_before is not None:
        if up_to > read_before:
            ThreadReadState.objects.filter(
                user=actor, thread=thread, last_read_number__lt=up_to
            ).update(last_read_number=up_to)
        return
    state, created = ThreadReadState.objects.get_or_create(
        user=actor, thread=thread, defaults={"last_read_number": up_to}
    )
    if not created and up_to > state.last_read_number:
        ThreadReadState.objects.filter(pk=state.pk, last_read_number__lt=up_to).update(
            last_read_number=up_to
        )


@transaction.atomic
def mark_space_read(actor: User, *, journey: Journey | None = None) -> None:
    """'Mark all read': every thread in the space as read up to its last post."""
    if not actor.is_authenticated:
        raise PermissionDenied
    threads = (
        Thread.objects.filter(journey=journey)
        if journey
        else Thread.objects.filter(category__isnull=False)
    )
    for thread_id, last in threads.values_list("pk", "last_post_number"):
        ThreadReadState.objects.update_or_create(
            user=actor, thread_id=thread_id, defaults={"last_read_number": last}
        )
    SpaceReadMark.objects.update_or_create(
        user=actor, journey=journey, defaults={"marked_at": timezone.now()}
    )


@transaction.atomic
def set_subscription(actor: User, thread: Thread, level: str | None) -> None:
    """Follow, mute, or back to normal (None)."""
    if not actor.is_authenticated or not thread_access(actor, thread).can_read:
        raise PermissionDenied
    if level is None:
        ThreadSubscription.objects.filter(user=actor, thread=thread).delete()
        return
    if level not in ThreadSubscription.Level.values:
        raise RuleViolation(_("Choose follow or mute."))
    ThreadSubscription.objects.update_or_create(
        user=actor, thread=thread, defaults={"level": level}
    )
