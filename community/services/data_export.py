"""Download your data (AVG/GDPR, the right of access and to data portability).

A member asks on their account page; a task (immediate in the embedded default, the
worker in production) gathers everything the platform keeps about them into a zip: one
``gegevens.json`` (profile, email addresses, memberships, forum threads and posts,
stories, board cards and comments, leervragen, event registrations, notifications,
course progress, the audit entries about them and who of the staff looked at their data)
plus the files they uploaded. It lies in private storage (STORAGES["private"]) under
``exports/<member id>/``; the member gets a signed link on the page and by email that
only works for them, signed in, for DATA_EXPORT_VALID_DAYS days. Building a new copy
removes their older ones, and every build sweeps away everyone's expired copies
(``manage.py remove_expired_exports`` does the same on a schedule).
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community import audit
from community.models import User
from journeys.services import RuleViolation

FOLDER = "exports"
SALT = "community.data_export"
STAMP = "%Y%m%dT%H%M%SZ"


class ExportExpired(RuleViolation):
    """The link is older than its validity, or its file was removed."""


def valid_days() -> int:
    return int(getattr(settings, "DATA_EXPORT_VALID_DAYS", 7))


def _storage():
    return storages["private"]


@dataclass(frozen=True)
class Export:
    member_id: int
    name: str  # the file name inside exports/<member id>/
    created_at: datetime

    @property
    def path(self) -> str:
        return f"{FOLDER}/{self.member_id}/{self.name}"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + timedelta(days=valid_days())

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def download_name(self) -> str:
        return f"mijn-gegevens-{self.created_at:%Y-%m-%d}.zip"

    type = "application/zip"

    def open(self):
        return _storage().open(self.path, "rb")


def _parse(member_id: int, name: str) -> Export | None:
    stamp = name.split("-", 1)[0]
    try:
        created = datetime.strptime(stamp, STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    if not name.endswith(".zip"):
        return None
    return Export(member_id=member_id, name=name, created_at=created)


def _exports_of(member_id: int) -> list[Export]:
    try:
        _dirs, files = _storage().listdir(f"{FOLDER}/{member_id}")
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = [_parse(member_id, name) for name in files]
    return sorted((e for e in found if e), key=lambda e: e.created_at, reverse=True)


def latest_export(member: User) -> Export | None:
    """The member's newest copy while its link is valid; None otherwise."""
    exports = _exports_of(member.pk)
    if exports and not exports[0].is_expired:
        return exports[0]
    return None


def download_path(member: User, export: Export) -> str:
    token = signing.dumps({"u": member.pk, "n": export.name}, salt=SALT, compress=True)
    return reverse("account_data_download", kwargs={"token": token})


def export_for_token(user: User, token: str) -> Export:
    """The export behind a link, for the signed-in member it was made for. Raises a Dutch
    RuleViolation for a wrong link and ExportExpired for an old or removed one."""
    max_age = timedelta(days=valid_days())
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ExportExpired(
            _("This download link has expired. Ask for a new copy of your data.")
        ) from exc
    except signing.BadSignature as exc:
        raise RuleViolation(_("This download link is not valid.")) from exc
    if not isinstance(payload, dict) or payload.get("u") != user.pk:
        raise RuleViolation(_("This download link is not valid."))
    export = _parse(user.pk, str(payload.get("n", "")))
    if export is None or "/" in export.name:
        raise RuleViolation(_("This download link is not valid."))
    if export.is_expired or not _storage().exists(export.path):
        raise ExportExpired(_("This download link has expired. Ask for a new copy of your data."))
    return export


# --- Asking and building -----------------------------------------------------------------


@transaction.atomic
def request_export(actor: User, member: User) -> None:
    """The member asks for their data; the task builds it after this commits."""
    if not actor.is_authenticated or actor.pk != member.pk:
        raise PermissionDenied
    audit.record(actor, "member.data_export_requested", member)
    from community.privacy_tasks import build_data_export

    member_id = member.pk
    transaction.on_commit(lambda: build_data_export.enqueue(member_id))


def build_export(member_id: int) -> Export | None:
    """Gather, store, tidy up and tell the member. None when the account is gone."""
    member = User.objects.filter(pk=member_id).first()
    if member is None:
        return None
    now = timezone.now()
    name = f"{now.astimezone(UTC):{STAMP}}-{secrets.token_hex(8)}.zip"
    export = Export(member_id=member.pk, name=name, created_at=now.replace(microsecond=0))
    _storage().save(export.path, ContentFile(_zip(member)))
    for old in _exports_of(member.pk):
        if old.name != name:
            _storage().delete(old.path)
    remove_expired_exports()
    audit.record(None, "member.data_exported", member)
    _mail_link(member, export)
    return export


def remove_expired_exports() -> int:
    """Every member's copies whose links expired. Returns how many files went."""
    storage = _storage()
    try:
        folders, _files = storage.listdir(FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    removed = 0
    for folder in folders:
        if not folder.isdigit():
            continue
        for export in _exports_of(int(folder)):
            if export.is_expired:
                storage.delete(export.path)
                removed += 1
    return removed


def remove_exports_of(member_id: int) -> None:
    """All copies of one member (their account is deleted)."""
    for export in _exports_of(member_id):
        _storage().delete(export.path)


def _mail_link(member: User, export: Export) -> None:
    url = settings.BASE_URL.rstrip("/") + download_path(member, export)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your data from %(platform)s") % {"platform": settings.PLATFORM_NAME}
        body = _(
            "Hello %(name)s,\n\nThe copy of your data you asked for is ready. Download it "
            "here (you sign in first; the link works only for you):\n\n%(url)s\n\n"
            "The link works until %(until)s; after that the copy is removed and you can "
            "ask for a new one on your account page.\n"
        ) % {
            "name": member.display_name,
            "url": url,
            "until": timezone.localtime(export.expires_at).strftime("%d-%m-%Y %H:%M"),
        }
    send_mail(subject, body, None, [member.email])


# --- What is in it -----------------------------------------------------------------------


def _rows(queryset: models.QuerySet, *fields: str) -> list[dict]:
    return list(queryset.values(*fields))


def gather(member: User) -> tuple[dict, list[tuple[str, models.fields.files.FieldFile]]]:
    """Everything about the member, and their uploaded files as (name in the zip, file)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from community.models import (
        AuditEntry,
        Card,
        CardComment,
        CardReaction,
        Notification,
        NotificationPreference,
        Post,
        Reaction,
        Registration,
        Thread,
        ThreadSubscription,
    )
    from journeys.models import JoinRequest, Membership, Story
    from learning.models import LearningQuestion, LessonProgress

    files: list[tuple[str, models.fields.files.FieldFile]] = []
    user_type = ContentType.objects.get_for_model(User)
    preference = NotificationPreference.objects.filter(user=member).first()
    data: dict = {
        "about": _(
            "Everything %(platform)s keeps about you, made on %(date)s. Texts you wrote "
            "are as they are now; withdrawn stories and deleted posts are left out or empty."
        )
        % {"platform": settings.PLATFORM_NAME, "date": timezone.localdate().isoformat()},
        "profile": {
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "handle": member.handle,
            "organisation": member.organisation.name if member.organisation else None,
            "job_title": member.job_title,
            "expertise": sorted(member.expertise.names()),
            "date_joined": member.date_joined,
            "last_login": member.last_login,
            "is_staff": member.is_staff,
            "groups": sorted(member.groups.values_list("name", flat=True)),
        },
        "email_addresses": _rows(
            EmailAddress.objects.filter(user=member), "email", "verified", "primary"
        ),
        "two_factor": _rows(
            Authenticator.objects.filter(user=member), "type", "created_at", "last_used_at"
        ),
        "notification_preference": (
            {"email": preference.email} if preference is not None else None
        ),
        "journey_memberships": _rows(
            Membership.objects.filter(user=member),
            "journey__title",
            "journey__slug",
            "role",
            "joined_at",
        ),
        "journey_join_requests": _rows(
            JoinRequest.objects.filter(user=member),
            "journey__title",
            "message",
            "status",
            "created_at",
        ),
        "forum_threads": _rows(
            Thread.objects.filter(author=member),
            "id",
            "title",
            "journey__title",
            "category__name",
            "created_at",
        ),
        "forum_posts": _rows(
            Post.objects.filter(author=member, deleted_at__isnull=True),
            "id",
            "thread__title",
            "number",
            "body",
            "created_at",
            "edited_at",
        ),
        "forum_reactions": _rows(
            Reaction.objects.filter(user=member), "post_id", "kind", "created_at"
        ),
        "forum_subscriptions": _rows(
            ThreadSubscription.objects.filter(user=member), "thread__title", "level"
        ),
        "stories": _rows(
            Story.objects.filter(author=member, withdrawn_at__isnull=True),
            "id",
            "title",
            "text",
            "quote",
            "perspective",
            "told_by",
            "teller_name",
            "display",
            "visibility",
            "journey__title",
            "wijk",
            "happened_on",
            "created_at",
        ),
        "board_cards": _rows(
            Card.objects.filter(author=member),
            "id",
            "board__title",
            "column__title",
            "body",
            "link",
            "is_anonymous",
            "status",
            "created_at",
        ),
        "board_comments": _rows(
            CardComment.objects.filter(author=member),
            "card_id",
            "body",
            "is_anonymous",
            "created_at",
        ),
        "board_reactions": _rows(
            CardReaction.objects.filter(user=member), "card_id", "kind", "created_at"
        ),
        "leervragen_raised": _rows(
            LearningQuestion.objects.filter(raised_by=member),
            "id",
            "question",
            "context",
            "status",
            "journey__title",
            "created_at",
        ),
        "leervragen_answered": _rows(
            LearningQuestion.objects.filter(answered_by=member),
            "id",
            "question",
            "answer",
            "answered_at",
        ),
        "leervragen_owned": _rows(member.owned_learning_questions.all(), "id", "question"),
        "leervragen_voted": _rows(
            LearningQuestion.objects.filter(votes__user=member), "id", "question"
        ),
        "leervragen_followed": _rows(member.followed_learning_questions.all(), "id", "question"),
        "event_registrations": _rows(
            Registration.objects.filter(user=member),
            "event__title",
            "event__starts_at",
            "status",
            "created_at",
        ),
        "notifications": _rows(
            Notification.objects.filter(user=member),
            "kind",
            "summary",
            "url",
            "created_at",
            "read_at",
            "emailed_at",
        ),
        "course_progress": _rows(
            LessonProgress.objects.filter(user=member),
            "course__title",
            "lesson__title",
            "last_opened_at",
            "completed_at",
        ),
        "audit_entries_by_you": _rows(
            AuditEntry.objects.filter(actor=member), "created_at", "action", "data"
        ),
        "audit_entries_about_you": _rows(
            AuditEntry.objects.filter(target_type=user_type, target_id=str(member.pk)).exclude(
                action__startswith="privacy.staff_"
            ),
            "created_at",
            "action",
            "data",
        ),
        "staff_access_to_your_data": [
            {
                "when": entry.created_at,
                "who": entry.actor.display_name if entry.actor else _("a former member"),
                "where": entry.data.get("where", ""),
            }
            for entry in AuditEntry.objects.filter(
                target_type=user_type,
                target_id=str(member.pk),
                action__startswith="privacy.staff_",
            ).select_related("actor")
        ],
    }
    for post in Post.objects.filter(author=member, deleted_at__isnull=True).prefetch_related(
        "attachments"
    ):
        for item in post.attachments.all():
            files.append((f"forum/{post.pk}-{item.pk}-{item.name}", item.file))
    for card in Card.objects.filter(author=member).exclude(image=""):
        files.append((f"borden/{card.pk}-{card.image.name.rsplit('/', 1)[-1]}", card.image))
    for story in Story.objects.filter(author=member, withdrawn_at__isnull=True):
        for media in (story.image, story.audio):
            if media:
                files.append((f"verhalen/{story.pk}-{media.name.rsplit('/', 1)[-1]}", media))
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=member).first()
    if profile is not None and profile.avatar:
        files.append((f"profiel/{profile.avatar.name.rsplit('/', 1)[-1]}", profile.avatar))
    data["files"] = [name for name, _file in files]
    return data, files


def _zip(member: User) -> bytes:
    data, files = gather(member)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "gegevens.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for name, field_file in files:
            try:
                with field_file.open("rb") as handle:
                    archive.writestr(f"bestanden/{name}", handle.read())
            except (FileNotFoundError, OSError):
                continue  # a file the storage lost: the JSON still names it
    return buffer.getvalue()
