"""Proposing a new werkzaam element to the editors, from a journey, with the journey's
stories as its evidence.

The proposal is a draft WorkingElementPage in the kennisbank, owned by the member who
proposed it, with one source per evidence story (its title and a link to the story page;
never the name of a teller who chose to stay anonymous). Its evidence level is the lowest
rung, "nog niet beoordeeld": the editors judge it. The page goes into the editors'
workflow (learning.editorial, "Redactie") so it waits for review in the CMS, and the
Redacteuren and Hoofdredacteuren hear about it in the app. Nothing is public until an
editor publishes it. An ElementProposal row keeps where it came from.

A story that is withdrawn later leaves every proposal that cited it:
`erase_withdrawn_story` blanks its source in the page and all its revisions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.html import linebreaks
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, WorkflowState

from community.models import Notification, User
from community.services.notifications import deliver
from journeys.models import Journey, Story
from journeys.queries import access_for
from journeys.reports.models import ElementProposal
from journeys.services import RuleViolation, _record
from journeys.stories.queries import visible_stories
from learning.editorial import HOOFDREDACTEUREN, REDACTEUREN
from learning.models.knowledge import EvidenceLevel, KnowledgeIndexPage, WorkingElementPage

MAX_TITLE = 255
MAX_SUMMARY = 1_000
MAX_TEXT = 10_000
MAX_STORIES = 50
EDITOR_GROUPS = (REDACTEUREN, HOOFDREDACTEUREN)
# The lowest rung of the erkenningsladder: the editors judge where it stands.
PROPOSED_LEVEL = EvidenceLevel.NOT_ASSESSED


# --- Reads ---------------------------------------------------------------------------------


def eligible_stories(user, journey: Journey) -> QuerySet[Story]:
    """The journey's stories this user may cite as evidence: not withdrawn, readable to
    them, and not privé (a privé story is the teller's own and never leaves them)."""
    return (
        visible_stories(user)
        .filter(journey=journey)
        .exclude(visibility=Story.Visibility.PRIVE)
        .order_by("-created_at", "-pk")
    )


def proposals_for(journey: Journey) -> QuerySet[ElementProposal]:
    """The journey's proposals, newest first, with their page (live or draft) and who
    proposed them: one query, whatever the number of proposals."""
    return journey.element_proposals.select_related("page", "proposed_by").order_by(
        "-created_at", "-pk"
    )


class Status:
    WAITING = "waiting"
    PUBLISHED = "published"
    RETURNED = "returned"
    REMOVED = "removed"


@dataclass
class ProposalRow:
    """One proposal as a reader of the journey sees it."""

    proposal: ElementProposal
    status: str
    stories: list[Story] = field(default_factory=list)  # the evidence this reader may read
    withdrawn: int = 0  # evidence stories withdrawn since
    hidden: int = 0  # evidence stories this reader may not read
    url: str = ""  # the public page, once published (set by the view: it needs the request)

    @property
    def page(self) -> WorkingElementPage | None:
        return self.proposal.page


def proposal_rows(user, journey: Journey) -> list[ProposalRow]:
    """The journey's proposals with their status and the evidence `user` may read, in
    four queries however many proposals and stories there are."""
    proposals = list(proposals_for(journey).prefetch_related("stories"))
    story_ids = {story.pk for proposal in proposals for story in proposal.stories.all()}
    readable = (
        set(visible_stories(user).filter(pk__in=story_ids).values_list("pk", flat=True))
        if story_ids
        else set()
    )
    returned = _returned_page_ids(p.page for p in proposals if p.page is not None)
    rows = []
    for proposal in proposals:
        page = proposal.page
        if page is None:
            status = Status.REMOVED
        elif page.live:
            status = Status.PUBLISHED
        elif page.pk in returned:
            status = Status.RETURNED
        else:
            status = Status.WAITING
        row = ProposalRow(proposal=proposal, status=status)
        for story in proposal.stories.all():
            if story.is_withdrawn:
                row.withdrawn += 1
            elif story.pk in readable:
                row.stories.append(story)
            else:
                row.hidden += 1
        rows.append(row)
    return rows


def _returned_page_ids(pages: Iterable[Page]) -> set[int]:
    """Draft pages whose latest workflow ended in a rejection (sent back by an editor)."""
    ids = [str(page.pk) for page in pages if not page.live]
    if not ids:
        return set()
    latest: dict[str, str] = {}
    states = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page), object_id__in=ids
    ).order_by("created_at", "pk")
    for object_id, status in states.values_list("object_id", "status"):
        latest[object_id] = status
    return {
        int(pk) for pk, status in latest.items() if status == WorkflowState.STATUS_NEEDS_CHANGES
    }


# --- Proposing -----------------------------------------------------------------------------


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


def _rich_text(value: str) -> str:
    """Plain text as Wagtail rich text: paragraphs, escaped."""
    value = (value or "").strip()
    return linebreaks(value, autoescape=True) if value else ""


def _check_text(
    title: str, summary: str, mechanism: str, target_group: str, context: str
) -> tuple[str, ...]:
    title = _one_line(title)
    if not title:
        raise RuleViolation(_("Give the werkzaam element a name."))
    if len(title) > MAX_TITLE:
        raise RuleViolation(_("A name can be at most %(max)s characters.") % {"max": MAX_TITLE})
    summary = (summary or "").strip()
    if not summary:
        raise RuleViolation(_("Say in two or three sentences what the werkzaam element is."))
    if len(summary) > MAX_SUMMARY:
        raise RuleViolation(
            _("The summary can be at most %(max)s characters.") % {"max": MAX_SUMMARY}
        )
    mechanism = (mechanism or "").strip()
    if not mechanism:
        raise RuleViolation(_("Say why it works: how it brings about change."))
    target_group = (target_group or "").strip()
    context = (context or "").strip()
    if any(len(text) > MAX_TEXT for text in (mechanism, target_group, context)):
        raise RuleViolation(_("A text can be at most %(max)s characters.") % {"max": MAX_TEXT})
    return title, summary, mechanism, target_group, context


def _evidence(actor: User, journey: Journey, story_ids: Iterable[int]) -> list[Story]:
    try:
        wanted = sorted({int(pk) for pk in story_ids})
    except (TypeError, ValueError):
        raise RuleViolation(_("Choose stories of this journey as evidence.")) from None
    if not wanted:
        raise RuleViolation(_("Choose at least one story of this journey as evidence."))
    if len(wanted) > MAX_STORIES:
        raise RuleViolation(_("Choose at most %(max)s stories as evidence.") % {"max": MAX_STORIES})
    stories = {story.pk: story for story in eligible_stories(actor, journey).filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in stories]
    if missing:
        # Say why only for the journey's own stories; any other number gets the same
        # answer as one that does not exist.
        own = Story.objects.filter(journey=journey, pk__in=missing)
        if any(story.is_withdrawn for story in own):
            raise RuleViolation(
                _("One of the chosen stories was withdrawn by its teller; choose others.")
            )
        if any(story.visibility == Story.Visibility.PRIVE for story in own):
            raise RuleViolation(
                _("A private story stays with its teller; it cannot be evidence for the editors.")
            )
        raise RuleViolation(_("Only this journey's stories that you can read can be evidence."))
    return [stories[pk] for pk in wanted]


def _knowledge_index() -> KnowledgeIndexPage:
    index = KnowledgeIndexPage.objects.live().first()
    if index is None:
        raise RuleViolation(
            _("There is no kennisbank on this site yet, so a werkzaam element cannot be proposed.")
        )
    return index


def _free_slug(index: Page, title: str) -> str:
    base = slugify(title)[:70].strip("-") or "werkzaam-element"
    taken = set(index.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _absolute(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def _source_for(story: Story) -> dict:
    """A story as a source: its title, the link to its page and a note on who told it
    and who may read it. An anonymous teller stays anonymous: only `shown_name` is read,
    which is empty for them."""
    perspective = Story.Perspective(story.perspective).label
    if story.shown_name:
        teller = _("told by %(name)s (%(perspective)s)") % {
            "name": story.shown_name,
            "perspective": perspective,
        }
    else:
        teller = _("told anonymously (%(perspective)s)") % {"perspective": perspective}
    note = _("Story from a journey, %(teller)s; who may read it: %(visibility)s") % {
        "teller": teller,
        "visibility": Story.Visibility(story.visibility).label,
    }
    return {
        "type": "source",
        "value": {
            "title": Truncator(story.title).chars(250),
            "url": _absolute(story.get_absolute_url()),
            "note": Truncator(note).chars(250),
        },
    }


def _editors(actor: User) -> list[int]:
    return list(
        User.objects.filter(groups__name__in=EDITOR_GROUPS, is_active=True)
        .exclude(pk=actor.pk)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


def _notify_editors(actor: User, journey: Journey, page: WorkingElementPage) -> list[Notification]:
    user_ids = _editors(actor)
    if not user_ids:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        if journey.visibility == Journey.Visibility.BESLOTEN:
            # A closed journey does not exist for who is not in it: not even its name.
            summary = _(
                "%(who)s proposed the werkzaam element “%(title)s” from a closed journey. "
                "It is waiting for review in the CMS."
            ) % {"who": actor.display_name, "title": Truncator(page.title).chars(120)}
        else:
            summary = _(
                "%(who)s proposed the werkzaam element “%(title)s” from the journey "
                "“%(journey)s”. It is waiting for review in the CMS."
            ) % {
                "who": actor.display_name,
                "title": Truncator(page.title).chars(120),
                "journey": Truncator(journey.title).chars(80),
            }
    # No journey on the notification: editors need not be members to review it.
    notifications = Notification.objects.bulk_create(
        Notification(
            user_id=user_id,
            kind=Notification.Kind.UPDATE,
            actor=actor,
            summary=summary[:300],
            url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        )
        for user_id in user_ids
    )
    deliver(notifications)
    return notifications


def _start_review(page: WorkingElementPage, actor: User) -> bool:
    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return False
    workflow = page.get_workflow()
    if workflow is None or not workflow.active:
        return False
    workflow.start(page, actor)
    return True


@transaction.atomic
def propose_element(
    actor: User,
    journey: Journey,
    *,
    title: str,
    summary: str,
    mechanism: str,
    target_group: str = "",
    context: str = "",
    story_ids: Iterable[int],
) -> ElementProposal:
    """A member who contributes to the journey proposes a werkzaam element with some of
    its stories as evidence: a draft page in the kennisbank, in the editors' workflow."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    if not access_for(actor, journey).can_contribute:
        raise PermissionDenied(
            _("Only reisbegeleiders, opdrachtgevers and reizigers propose werkzame elementen.")
        )
    title, summary, mechanism, target_group, context = _check_text(
        title, summary, mechanism, target_group, context
    )
    stories = _evidence(actor, journey, story_ids)
    index = _knowledge_index()
    with translation.override(settings.LANGUAGE_CODE):
        sources = [_source_for(story) for story in stories]
    page = WorkingElementPage(
        title=title,
        slug=_free_slug(index, title),
        summary=summary,
        mechanism=_rich_text(mechanism),
        target_group=_rich_text(target_group),
        context=_rich_text(context),
        evidence_level=PROPOSED_LEVEL,
        sources=sources,
        owner=actor,
        live=False,
    )
    index.add_child(instance=page)
    # As the CMS does for a new page: a first revision, logged as its creation.
    revision = page.save_revision(user=actor, log_action=False)
    log(instance=page, action="wagtail.create", user=actor, revision=revision, content_changed=True)
    in_review = _start_review(page, actor)
    proposal = ElementProposal.objects.create(
        journey=journey, page=page, title=title, proposed_by=actor
    )
    proposal.stories.set(stories)
    _notify_editors(actor, journey, page)
    _record(
        actor,
        "journey.element_proposed",
        journey,
        title=title,
        page=page.pk,
        stories=[story.pk for story in stories],
        in_review=in_review,
    )
    return proposal


# --- A withdrawn story leaves the proposals ------------------------------------------------

# What a withdrawn story's source says instead. Pages hold the site's language (Dutch).
WITHDRAWN_TITLE = "Ingetrokken verhaal"


def _scrub(raw, path: str) -> tuple[list, bool]:
    """The sources (Wagtail's JSON form) with the ones linking to the story page at
    `path` blanked (whatever the site's address was when they were written)."""
    if isinstance(raw, str):
        raw = json.loads(raw or "[]")
    changed = False
    for block in raw or []:
        value = block.get("value") if isinstance(block, dict) else None
        if isinstance(value, dict) and str(value.get("url") or "").endswith(path):
            block["value"] = {"title": WITHDRAWN_TITLE, "url": "", "note": ""}
            changed = True
    return list(raw or []), changed


def erase_withdrawn_story(story: Story) -> int:
    """Called when a story is withdrawn (inside that transaction): every proposal page
    that cites it, and every revision of those pages, loses the story's title and link.
    Returns how many pages changed."""
    page_ids = list(
        ElementProposal.objects.filter(stories=story, page__isnull=False)
        .values_list("page_id", flat=True)
        .distinct()
    )
    path = story.get_absolute_url()
    changed_pages = 0
    for page in WorkingElementPage.objects.filter(pk__in=page_ids):
        raw, page_changed = _scrub(page.sources.get_prep_value(), path)
        if page_changed:
            WorkingElementPage.objects.filter(pk=page.pk).update(sources=raw)
        for revision in page.revisions.all():
            content = revision.content
            if "sources" not in content:
                continue
            raw, changed = _scrub(content["sources"], path)
            if changed:
                content["sources"] = json.dumps(raw)
                revision.content = content
                revision.save(update_fields=["content"])
                page_changed = True
        changed_pages += page_changed
    return changed_pages
