"""Deleting one's account (AVG/GDPR, the right to erasure).

A member deletes their account and chooses what happens to what they contributed:

- ``anonymise``: contributions stay where they are (posts, threads, board cards and
  comments, leervragen, canvas entries, result texts) and show as by "a former member";
- ``delete``: their forum posts, board cards and comments and the leervragen nobody else
  worked on are removed; where removing would break a discussion (a thread others replied
  in, a post others quoted or replied to), the post stays as a "verwijderd" placeholder
  without text, as Discourse does.

Either way the person is gone: the account row (name, email, profile, expertise), every
email address, two-factor authenticator, session, notification, calendar token and CMS
profile (with its avatar) are deleted; the stories they told themselves are withdrawn
(erased, out of the search index and out of every report and proposal that cited them);
their journey memberships and event registrations end; audit details and notifications
that named them are scrubbed. One audit entry without personal data records that an
account was deleted.

Every relation to the user model has a recorded decision in ``USER_RELATIONS``; a test
fails when a new relation appears without one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.search import index

from community import audit
from community.models import (
    AuditEntry,
    Board,
    Card,
    CardComment,
    CardReaction,
    Mention,
    Notification,
    Post,
    PostRevision,
    Registration,
    Thread,
    User,
)
from community.services import data_export
from journeys.services import RuleViolation

ANONYMISE = "anonymise"
DELETE = "delete"
CONTENT_CHOICES = (ANONYMISE, DELETE)
DELETED_MESSAGE = gettext_lazy(
    "The account has been deleted; its contributions stay without a name."
)
# What audit details and scrubbed texts say instead of the person's name or address.
FORMER_MEMBER = "voormalig lid"

# Keep, per relation to the user model ("app_label.Model.field"), what deleting an account
# does with it. CASCADE: the rows go with the account. SET_NULL: the row stays and shows
# "a former member". Rows this module handles itself say so. tests/community/
# test_account_privacy.py fails when a relation is added without a line here.
USER_RELATIONS: dict[str, str] = {
    # Django and the account itself
    "community.User_groups.user": "cascade: group memberships end",
    "community.User_user_permissions.user": "cascade: permissions end",
    "admin.LogEntry.user": "cascade: the Django admin's history of their own admin actions",
    "account.EmailAddress.user": "cascade: every email address is deleted",
    "mfa.Authenticator.user": "cascade: two-factor secrets and recovery codes are deleted",
    # Community
    "community.AuditEntry.actor": "set null; details naming them are scrubbed (_scrub_audit)",
    "community.Board.created_by": "set null: the board belongs to the journey",
    "community.Card.author": "delete: cards removed (_delete_board_content); anonymise: null",
    "community.CardReaction.user": "cascade; the card's reaction_count is corrected first",
    "community.CardComment.author": "delete: comments removed; anonymise: set null",
    "community.BoardPresence.user": "cascade: open sockets' presence",
    "community.EventSeries.created_by": "set null: the series belongs to the journey",
    "community.Event.organisers": "cascade: they stop organising (the m2m row goes)",
    "community.Event_organisers.user": "cascade: they stop organising",
    "community.Event.created_by": "set null: the event belongs to the journey",
    "community.Registration.user": "cascade; upcoming places go to the waiting list first",
    "community.CalendarFeed.user": "cascade: the secret calendar address stops working",
    "community.Thread.author": "delete: removed or kept with a placeholder; anonymise: null",
    "community.Post.author": "delete: removed or placeholder (_delete_forum_content); null",
    "community.Post.deleted_by": "set null: moderation history without the name",
    "community.PostRevision.edited_by": "set null; delete: their posts' revisions removed",
    "community.Reaction.user": "cascade: their reactions",
    "community.Mention.user": "cascade: mentions of them (the post text stays)",
    "community.ThreadReadState.user": "cascade: read markers",
    "community.SpaceReadMark.user": "cascade: read markers",
    "community.ThreadSubscription.user": "cascade: subscriptions",
    "community.Report.reporter": "set null: the report stays for the moderators",
    "community.Report.handled_by": "set null: moderation history without the name",
    "community.Notification.user": "cascade: their notifications",
    "community.Notification.actor": "deleted: others' notifications name them in the summary",
    "community.NotificationPreference.user": "cascade: email choice and unsubscribe token",
    # Journeys
    "journeys.Membership.user": "cascade: memberships end (last reisbegeleider must hand over)",
    "journeys.JoinRequest.user": "cascade: open requests to join",
    "journeys.JoinRequest.decided_by": "set null",
    "journeys.Invitation.invited_by": "set null: the invitation belongs to the journey",
    "journeys.Invitation.accepted_by": "set null; open invitations to their addresses go",
    "journeys.PhaseTransition.actor": "set null: the journey's history stays",
    "journeys.PhaseResult.approved_by": "set null: the approval stays",
    "journeys.ResultRevision.author": "set null: results are the journey's shared text",
    "journeys.DataPoint.added_by": "set null: the journey's data",
    "journeys.LensDocument.added_by": "set null: the journey's documents",
    "journeys.CanvasEntry.added_by": "set null: the journey's canvas",
    "journeys.IntendedDoublure.marked_by": "set null",
    "journeys.Story.author": "own stories withdrawn (erased, out of the index); recorded: null",
    "journeys.ReportItem.added_by": "set null: the report's composition",
    "journeys.ReportExport.requested_by": "set null: the PDF belongs to the journey",
    "journeys.ElementProposal.proposed_by": "set null: the proposal went to the editors",
    # Learning
    "learning.CoursePage.trainer": "set null: the course page stays (an editor reassigns)",
    "learning.LessonProgress.user": "cascade: their course progress",
    "learning.LearningQuestion.raised_by": "delete: removed when nobody else worked on it",
    "learning.LearningQuestion.owners": "cascade: they stop owning",
    "learning.LearningQuestion_owners.user": "cascade: they stop owning",
    "learning.LearningQuestion.helpers": "cascade: they stop helping",
    "learning.LearningQuestion_helpers.user": "cascade: they stop helping",
    "learning.LearningQuestion.followers": "cascade: they stop following",
    "learning.LearningQuestionFollower.user": "cascade: they stop following",
    "learning.LearningQuestion.answered_by": "set null: the answer is the network's",
    "learning.LearningQuestion.duiding_by": "set null: the duiding is the network's",
    "learning.LearningQuestionVote.user": "cascade; vote_count corrected first",
    "learning.LearningQuestionMove.actor": "set null: the question's history stays",
    # Wagtail
    "wagtailusers.UserProfile.user": "cascade; the avatar file is deleted first",
    "wagtaildocs.Document.uploaded_by_user": "set null: documents are the site's",
    "wagtailimages.Image.uploaded_by_user": "set null: images are the site's",
    "wagtailadmin.EditingSession.user": "cascade",
    "wagtailadmin.FormState.user": "cascade",
    "wagtailcore.APIToken.user": "cascade: their API tokens",
    "wagtailcore.Revision.user": "set null: page history stays",
    "wagtailcore.UploadedFile.uploaded_by_user": "set null",
    "wagtailcore.WorkflowState.requested_by": "set null",
    "wagtailcore.TaskState.finished_by": "set null",
    "wagtailcore.Page.locked_by": "set null: the page unlocks",
    "wagtailcore.Page.owner": "set null: pages are the site's",
    "wagtailcore.Comment.user": "cascade: their CMS comments",
    "wagtailcore.Comment.resolved_by": "set null",
    "wagtailcore.CommentReply.user": "cascade: their CMS comment replies",
    "wagtailcore.PageSubscription.user": "cascade",
    "wagtailcore.ModelLogEntry.user": "no constraint: set to null here (_detach_cms_logs)",
    "wagtailcore.PageLogEntry.user": "no constraint: set to null here (_detach_cms_logs)",
}


def user_relations() -> list[str]:
    """Every relation to the user model, hidden ones (related_name="+") included."""
    user_model = get_user_model()
    names = []
    for rel in user_model._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and rel.is_relation:
            names.append(f"{rel.related_model._meta.label}.{rel.field.name}")
    return sorted(set(names))


@dataclass
class Blockers:
    """Why the account cannot be deleted yet; empty when it can."""

    journeys: list[str] = field(default_factory=list)  # where they are the last reisbegeleider
    last_superuser: bool = False

    def __bool__(self) -> bool:
        return bool(self.journeys or self.last_superuser)

    def messages(self) -> list[str]:
        out = []
        if self.journeys:
            out.append(
                ngettext(
                    "You are the only reisbegeleider of %(journeys)s. Make someone else "
                    "reisbegeleider there first.",
                    "You are the only reisbegeleider of %(journeys)s. Make someone else "
                    "reisbegeleider there first.",
                    len(self.journeys),
                )
                % {"journeys": ", ".join(f"“{title}”" for title in self.journeys)}
            )
        if self.last_superuser:
            out.append(
                _(
                    "You are the last administrator of the platform. Make someone else "
                    "administrator first."
                )
            )
        return out


def blockers(member: User) -> Blockers:
    """What keeps this member from deleting their account: the last reisbegeleider of a
    journey, or the last active superuser, hands over first."""
    from journeys.models import Journey, Membership

    role = Membership.Role.REISBEGELEIDER
    guided = Membership.objects.filter(user=member, role=role).values("journey_id")
    guides = (
        Membership.objects.filter(journey_id__in=guided, role=role)
        .values("journey_id")
        .annotate(n=models.Count("pk"))
        .filter(n__lte=1)
        .values("journey_id")
    )
    sole = Journey.objects.filter(pk__in=guides).order_by("title").values_list("title", flat=True)
    last_superuser = (
        member.is_superuser
        and not User.objects.filter(is_superuser=True, is_active=True)
        .exclude(pk=member.pk)
        .exists()
    )
    return Blockers(journeys=list(sole), last_superuser=last_superuser)


def has_two_factor(member: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=member).exclude(type="webauthn").exists()


def confirm_identity(member: User, *, password: str, code: str = "") -> None:
    """The member proves it is them: their password, and a code from the authenticator
    app (or a recovery code) when two-factor is on. Raises RuleViolation in Dutch."""
    if not password or not member.check_password(password):
        raise RuleViolation(_("That password is not right."))
    if not has_two_factor(member):
        return
    from allauth.mfa.models import Authenticator

    code = (code or "").strip().replace(" ", "")
    if code:
        for authenticator in Authenticator.objects.filter(user=member).exclude(type="webauthn"):
            if authenticator.wrap().validate_code(code):
                return
    raise RuleViolation(_("That two-factor code is not right. Use the code from your app."))


@dataclass
class DeletionResult:
    content: str
    counts: Counter = field(default_factory=Counter)


@transaction.atomic
def delete_account(actor: User, member: User, *, content: str) -> DeletionResult:
    """Delete `member`'s account; `content` is ANONYMISE or DELETE (see the module).

    The member deletes their own account (the view confirms their identity first with
    confirm_identity); a superuser may erase someone else's on request. Refused with a
    Dutch RuleViolation while the member is the last reisbegeleider of a journey or the
    last administrator."""
    if not actor.is_authenticated or (actor.pk != member.pk and not actor.is_superuser):
        raise PermissionDenied
    if content not in CONTENT_CHOICES:
        raise RuleViolation(_("Choose what happens to what you contributed."))
    member = User.objects.select_for_update().get(pk=member.pk)
    found = blockers(member)
    if found:
        raise RuleViolation(" ".join(found.messages()))
    by_self = actor.pk == member.pk
    result = DeletionResult(content=content)
    counts = result.counts
    names = _names_of(member)

    counts["stories_withdrawn"] = _withdraw_stories(member)
    _correct_counters(member)
    if content == DELETE:
        counts.update(_delete_forum_content(member))
        counts.update(_delete_board_content(member))
        counts["leervragen_deleted"] = _delete_learning_questions(member)
    counts["registrations_ended"] = _end_registrations(member)
    counts["memberships_ended"] = member.journey_memberships.count()
    member.journey_memberships.all().delete()
    _drop_open_invitations(member)
    counts["notifications_scrubbed"] = Notification.objects.filter(actor=member).delete()[0]
    _scrub_audit(names)
    _detach_cms_logs(member)
    _delete_avatar(member)
    counts["sessions_ended"] = _end_sessions(member)
    member.expertise.clear()
    member_id = member.pk
    member.delete()
    transaction.on_commit(lambda: data_export.remove_exports_of(member_id), robust=True)
    audit.record(
        None if by_self else actor,
        "member.account_deleted",
        content=content,
        by_administrator=not by_self,
        **{key: value for key, value in sorted(counts.items()) if value},
    )
    return result


# --- The parts ----------------------------------------------------------------------------


def _names_of(member: User) -> list[str]:
    """The strings that identify the member in free-form audit details."""
    from allauth.account.models import EmailAddress

    names = {member.email, member.display_name, member.get_full_name()}
    names.update(EmailAddress.objects.filter(user=member).values_list("email", flat=True))
    return sorted({name for name in names if name and len(name) >= 3}, key=len, reverse=True)


def _withdraw_stories(member: User) -> int:
    """The stories they told themselves are withdrawn, wherever they were shown. A story
    they recorded on someone else's behalf is that teller's: it stays (the teller still
    withdraws it with their code) and shows no recorder."""
    from journeys.models import Story
    from journeys.stories.services import _erase

    stories = Story.objects.select_for_update().filter(
        author=member, told_by=Story.ToldBy.TELLER, withdrawn_at__isnull=True
    )
    withdrawn = 0
    for story in stories:
        _erase(story)
        withdrawn += 1
    return withdrawn


def _correct_counters(member: User) -> None:
    """Counts kept beside the rows their cascade removes: votes and card reactions."""
    from learning.models import LearningQuestion

    LearningQuestion.objects.filter(votes__user=member).update(vote_count=F("vote_count") - 1)
    per_card = Counter(CardReaction.objects.filter(user=member).values_list("card_id", flat=True))
    for card_id, number in per_card.items():
        Card.objects.filter(pk=card_id).update(reaction_count=F("reaction_count") - number)


def _wipe_posts(posts: list[Post]) -> None:
    """A post that a discussion needs stays as a placeholder: deleted, without text,
    earlier versions, attachments or mentions, and out of the search index."""
    now = timezone.now()
    ids = [post.pk for post in posts]
    for attachment_post in Post.objects.filter(pk__in=ids).prefetch_related("attachments"):
        for attachment in attachment_post.attachments.all():
            attachment.file.delete(save=False)
            attachment.delete()
    PostRevision.objects.filter(post_id__in=ids).delete()
    visible = Counter(post.thread_id for post in posts if post.deleted_at is None)
    Post.objects.filter(pk__in=ids).update(body="", body_html="", edited_at=None)
    Post.objects.filter(pk__in=ids, deleted_at__isnull=True).update(deleted_at=now)
    Mention.objects.filter(post_id__in=ids).delete()
    for post in posts:
        index.remove_object(post)
    for thread_id, number in visible.items():
        Thread.objects.filter(pk=thread_id).update(post_count=F("post_count") - number)


def _delete_forum_content(member: User) -> Counter:
    counts: Counter = Counter()
    # Threads they started: gone with every post when nobody else wrote in them; kept
    # otherwise, their opening post a placeholder (the replies need their context).
    for thread in Thread.objects.filter(author=member).select_for_update():
        others = thread.posts.exclude(author=member).exists()
        if others:
            thread.author = None
            thread.save(update_fields=["author"])
            counts["threads_kept_with_placeholder"] += 1
        else:
            for post in thread.posts.prefetch_related("attachments"):
                for attachment in post.attachments.all():
                    attachment.file.delete(save=False)
            thread.delete()
            counts["threads_deleted"] += 1
    # Every other post of theirs stays as a placeholder ("This post has been deleted.")
    # without its text: the thread's numbering, and the replies that answer it, still
    # hold, as Discourse does.
    posts = list(Post.objects.filter(author=member))
    _wipe_posts(posts)
    counts["posts_deleted"] = len(posts)
    return counts


def _delete_board_content(member: User) -> Counter:
    """Their cards (with the reactions and comments on them) and their comments on other
    cards are removed; participants on the board hear that the cards went."""
    from community.services.boards import _close_ranks, _locked_board, _log, _review

    counts: Counter = Counter()
    Visible = Card.Status.VISIBLE  # noqa: N806
    for card in Card.objects.filter(author=member).select_related("board").order_by("pk"):
        board = _locked_board(card.board)
        card_id, image, was_visible = card.pk, card.image, card.status == Visible
        card.delete()
        _close_ranks(board, card.column_id, card.row_id)
        if image:
            storage, name = image.storage, image.name
            transaction.on_commit(lambda s=storage, n=name: s.delete(n), robust=True)
        if was_visible:
            Board.objects.filter(pk=board.pk).update(card_count=F("card_count") - 1)
            _log(board, "card", "deleted", card_id=card_id)
        else:
            _review(board, card_id)
        counts["cards_deleted"] += 1
    per_card = Counter(CardComment.objects.filter(author=member).values_list("card_id", flat=True))
    CardComment.objects.filter(author=member).delete()
    for card_id, number in per_card.items():
        Card.objects.filter(pk=card_id).update(comment_count=F("comment_count") - number)
        card = Card.objects.select_related("board").get(pk=card_id)
        if card.status == Visible:
            _log(_locked_board(card.board), "card", "commented", card)
        counts["card_comments_deleted"] += number
    return counts


def _delete_learning_questions(member: User) -> int:
    """Leervragen they raised that nobody else took up (no votes, answer, owner, helper,
    discussion or follow-up from others) are removed; the rest is the network's work and
    stays, raised by "a former member"."""
    from learning.models import LearningQuestion

    untouched = (
        LearningQuestion.objects.filter(
            raised_by=member, answered_at__isnull=True, discussion_thread__isnull=True
        )
        .exclude(votes__user__in=User.objects.exclude(pk=member.pk))
        .exclude(owners__in=User.objects.exclude(pk=member.pk))
        .exclude(helpers__in=User.objects.exclude(pk=member.pk))
        .exclude(follow_ups__isnull=False)
    )
    deleted = 0
    for question in untouched:
        question.delete()  # its search entry goes with it (post_delete)
        deleted += 1
    return deleted


def _end_registrations(member: User) -> int:
    """Upcoming places go to whoever waits for them; past registrations simply go."""
    from community.services.events import _promote_waiting

    Status = Registration.Status  # noqa: N806
    ended = 0
    upcoming = Registration.objects.filter(
        user=member, status=Status.AANWEZIG, event__ends_at__gt=timezone.now()
    ).select_related("event")
    for registration in upcoming:
        event = type(registration.event).objects.select_for_update().get(pk=registration.event_id)
        registration.delete()
        _promote_waiting(event)
        ended += 1
    ended += Registration.objects.filter(user=member).delete()[0]
    return ended


def _drop_open_invitations(member: User) -> None:
    from allauth.account.models import EmailAddress

    from journeys.models import Invitation

    addresses = {member.email.lower()}
    addresses.update(
        email.lower()
        for email in EmailAddress.objects.filter(user=member).values_list("email", flat=True)
    )
    Invitation.objects.filter(email__in=addresses, status=Invitation.Status.OPEN).delete()


def _scrub_audit(names: list[str]) -> None:
    """Audit details that name the member (a role change, a removal) keep the fact, not
    the person."""
    if not names:
        return
    matches = models.Q()
    for name in names:
        matches |= models.Q(text__icontains=name)
    entries = AuditEntry.objects.annotate(text=Cast("data", TextField())).filter(matches)
    for entry in entries:
        entry.data = _scrubbed(entry.data, names)
        entry.save(update_fields=["data"])


def _scrubbed(value, names: list[str]):
    if isinstance(value, str):
        for name in names:
            if name.lower() in value.lower():
                return FORMER_MEMBER if value.lower() == name.lower() else _replace(value, name)
        return value
    if isinstance(value, list):
        return [_scrubbed(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, names) for key, item in value.items()}
    return value


def _replace(text: str, name: str) -> str:
    import re

    return re.sub(re.escape(name), FORMER_MEMBER, text, flags=re.IGNORECASE)


def _detach_cms_logs(member: User) -> None:
    """Wagtail's logs point at users without a database constraint: make them say "a
    former user" instead of pointing at a missing row."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    ModelLogEntry.objects.filter(user=member).update(user=None)
    PageLogEntry.objects.filter(user=member).update(user=None)


def _delete_avatar(member: User) -> None:
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=member).first()
    if profile is not None and profile.avatar:
        profile.avatar.delete(save=False)


def _end_sessions(member: User) -> int:
    """Every session signed in as the member (other browsers, phones) ends."""
    user_id = str(member.pk)
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
