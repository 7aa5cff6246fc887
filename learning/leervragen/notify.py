"""Followers hear about every move of a question and every new answer, through the
community's notifications (community.Notification, kind "update", at /meldingen/ and by
mail as each member chose).

Never about what they did themselves, and never when they may no longer see the
question (a follower who left a besloten journey hears nothing more: the notification
carries the journey, and community.services.notifications hides it from who may no
longer see that journey). The summary says what happened; the url leads to the question.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from community.models import Notification, User
from community.services.notifications import deliver

KIND = Notification.Kind.UPDATE


def _label(status: str) -> str:
    from learning.models import LearningQuestion

    return str(LearningQuestion.Status(status).label)


def _recipients(question, actor: User) -> list[int]:
    from learning.leervragen.queries import viewers_among

    follower_ids = set(question.follower_links.values_list("user_id", flat=True))
    follower_ids.discard(actor.pk)
    if not follower_ids:
        return []
    return sorted(viewers_among(question, follower_ids))


def _title(question) -> str:
    return Truncator(question.question).chars(120)


def moved_summary(question, actor: User, from_status: str, to_status: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if to_status == "beantwoord":
            return _("%(who)s answered “%(question)s”.") % {
                "who": actor.display_name,
                "question": _title(question),
            }
        return _("%(who)s moved “%(question)s” from %(old)s to %(new)s.") % {
            "who": actor.display_name,
            "question": _title(question),
            "old": _label(from_status),
            "new": _label(to_status),
        }


def revised_summary(question, actor: User) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(who)s gave a new answer to “%(question)s”.") % {
            "who": actor.display_name,
            "question": _title(question),
        }


def _send(question, actor: User, summary: str) -> list[Notification]:
    user_ids = _recipients(question, actor)
    if not user_ids:
        return []
    notifications = Notification.objects.bulk_create(
        Notification(
            user_id=user_id,
            kind=KIND,
            actor=actor,
            summary=summary[:300],
            url=question.get_absolute_url(),
            journey_id=question.journey_id,
        )
        for user_id in user_ids
    )
    # The header's count, live, and the mail for who chose it at once: after commit.
    deliver(notifications)
    return notifications


def question_moved(question, actor: User, move) -> list[Notification]:
    """Called by the services inside their transaction."""
    return _send(question, actor, moved_summary(question, actor, move.from_status, move.to_status))


def answer_revised(question, actor: User) -> list[Notification]:
    return _send(question, actor, revised_summary(question, actor))
