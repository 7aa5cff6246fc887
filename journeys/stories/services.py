"""The rules of stories: telling one's own story, recording a story on someone's behalf
(with their consent), editing, and withdrawing (by the teller's account or, for a
recorded teller, with a withdrawal code).

Functions take the acting user first, check permission, write in one transaction and
record an audit entry filed under the story (never under the journey: the journey's
activity must not announce a privé story). Refusals raise RuleViolation (a Dutch
message) or PermissionDenied.

A withdrawn story is gone at once: its text, names, media, themes and choices are
erased, it leaves the search index in the same transaction, and every read
(journeys.stories.queries) skips it. What remains is an empty record with its journey,
so a report that used it can say that a story was withdrawn.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from modelsearch.tasks import insert_or_update_object_task
from wagtail.search import index

from community import audit
from community.models import Card, Organisation, User
from community.queries.boards import board_access, card_is_shown
from journeys.models import (
    STORY_VISIBILITY_ORDER,
    Journey,
    Membership,
    Story,
    StorySignifier,
    StorySlider,
    StorySliderValue,
)
from journeys.services import RuleViolation
from journeys.stories import media

Visibility = Story.Visibility
MAX_TEXT = 20_000
MAX_TITLE = 200
MAX_QUOTE = 300
MAX_THEMES = 8
MAX_THEME_LENGTH = 40
# Codes without letters that are easy to confuse (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16


@dataclass
class Consent:
    """The consent record of a recorded story: when and how the teller agreed, and the
    widest visibility they agreed to."""

    given_on: date | None
    method: str
    visibility: str
    note: str = ""


@dataclass
class StoryDetails:
    title: str
    text: str
    perspective: str
    display: str = Story.Display.FIRST_NAME
    visibility: str = Visibility.NETWERK
    quote: str = ""
    teller_name: str = ""
    journey: Journey | None = None
    gemeente: Organisation | None = None
    wijk: str = ""
    happened_on: date | None = None
    themes: Iterable[str] = ()
    signifiers: Iterable[StorySignifier] = ()
    # slider id -> 0..100; a slider left out is not set.
    sliders: Mapping[int, int] = field(default_factory=dict)
    image: UploadedFile | None = None
    image_description: str = ""
    audio: UploadedFile | None = None
    # A card on one of the journey's boards the story is taken from (the facilitator's).
    source_card: Card | None = None


# --- Checks -------------------------------------------------------------------------------


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def check_text(text: str) -> str:
    """The story's text: not empty, at most 20,000 characters (forms use this too)."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise RuleViolation(_("Write your story before you save it."))
    if len(text) > MAX_TEXT:
        raise RuleViolation(
            _("A story can be at most %(max)s characters; this one has %(length)s.")
            % {"max": _thousands(MAX_TEXT), "length": _thousands(len(text))}
        )
    return text


def _clean_themes(themes: Iterable[str]) -> list[str]:
    cleaned = sorted({" ".join(t.split()).lower() for t in themes if t and t.strip()})
    if len(cleaned) > MAX_THEMES:
        raise RuleViolation(_("Use at most %(max)s themes.") % {"max": MAX_THEMES})
    if any(len(t) > MAX_THEME_LENGTH for t in cleaned):
        raise RuleViolation(
            _("A theme can be at most %(max)s characters.") % {"max": MAX_THEME_LENGTH}
        )
    return cleaned


def wider_than(visibility: str, limit: str) -> bool:
    return STORY_VISIBILITY_ORDER.index(visibility) > STORY_VISIBILITY_ORDER.index(limit)


def _check(
    actor: User,
    details: StoryDetails,
    *,
    recorded: bool,
    consent: Consent | None,
    joining: bool = True,
):
    details.title = " ".join((details.title or "").split())
    if not details.title:
        raise RuleViolation(_("Give your story a title."))
    if len(details.title) > MAX_TITLE:
        raise RuleViolation(_("A title can be at most %(max)s characters.") % {"max": MAX_TITLE})
    details.text = check_text(details.text)
    details.quote = " ".join((details.quote or "").split())
    if len(details.quote) > MAX_QUOTE:
        raise RuleViolation(_("A quote can be at most %(max)s characters.") % {"max": MAX_QUOTE})
    if details.perspective not in Story.Perspective.values:
        raise RuleViolation(_("Choose the perspective the story is told from."))
    if details.display not in Story.Display.values:
        raise RuleViolation(_("Choose how the teller is shown."))
    if details.visibility not in Visibility.values:
        raise RuleViolation(_("Choose who may read the story."))
    details.teller_name = " ".join((details.teller_name or "").split())[:150]
    details.wijk = " ".join((details.wijk or "").split())[:100]
    details.image_description = " ".join((details.image_description or "").split())[:250]
    if recorded and not details.teller_name and details.display != Story.Display.ANONYMOUS:
        raise RuleViolation(_("Give the teller's name, or show the story anonymously."))
    if details.happened_on and details.happened_on > timezone.localdate():
        raise RuleViolation(_("The date it happened cannot be in the future."))
    if details.gemeente is not None and details.gemeente.kind != Organisation.Kind.GEMEENTE:
        raise RuleViolation(_("Choose a municipality."))
    journey = details.journey
    if journey is not None:
        # Joining a journey takes membership; a story already in it stays editable by
        # its teller, also after they left the journey.
        if joining and not Membership.objects.filter(journey=journey, user=actor).exists():
            raise PermissionDenied(_("Only members of the journey add stories to it."))
        if journey.visibility == Journey.Visibility.BESLOTEN and details.visibility in (
            Visibility.OPENBAAR,
            Visibility.NETWERK,
        ):
            raise RuleViolation(
                _(
                    "This journey is closed: its stories stay with its members. Choose "
                    "“journey members only” or “private”."
                )
            )
        if (
            journey.visibility == Journey.Visibility.NETWERK
            and details.visibility == Visibility.OPENBAAR
        ):
            raise RuleViolation(
                _(
                    "This journey is only for people who are signed in, so its stories "
                    "cannot be public."
                )
            )
    elif details.visibility == Visibility.BESLOTEN:
        raise RuleViolation(_("Choose a journey, or another visibility."))
    if details.source_card is not None:
        _check_source_card(actor, details)
    if consent is not None:
        _check_consent(consent, details.visibility)
    elif recorded:
        raise RuleViolation(_("A recorded story needs the teller's consent."))
    sliders = {}
    if details.sliders:
        known = set(
            StorySlider.objects.filter(pk__in=list(details.sliders)).values_list("pk", flat=True)
        )
        for slider_id, value in details.sliders.items():
            if slider_id not in known or not 0 <= int(value) <= 100:
                raise RuleViolation(_("Set each scale between its two ends."))
            sliders[slider_id] = int(value)
    details.sliders = sliders
    details.themes = _clean_themes(details.themes)
    details.signifiers = list(details.signifiers)
    if details.image is not None and not details.image_description:
        raise RuleViolation(_("Describe what the image shows, for people who cannot see it."))
    return details


def _check_source_card(actor: User, details: StoryDetails) -> None:
    """Only the board's facilitator takes a visible card further, into the board's own
    journey; an anonymous card stays anonymous as a story."""
    card = details.source_card
    access = board_access(actor, card.board)
    if not (access.can_facilitate and card_is_shown(card, access)) or card.status != "visible":
        raise PermissionDenied(_("Only the board's reisbegeleider makes a story of a card."))
    if details.journey is None or details.journey.pk != card.board.journey_id:
        raise RuleViolation(_("A story from a board card belongs to the board's journey."))
    if card.is_anonymous and details.display != Story.Display.ANONYMOUS:
        raise RuleViolation(_("The card was anonymous, so the story is shown anonymously too."))


def _check_consent(consent: Consent, visibility: str) -> None:
    if consent.given_on is None:
        raise RuleViolation(_("Give the date on which the teller gave consent."))
    if consent.given_on > timezone.localdate():
        raise RuleViolation(_("The date of consent cannot be in the future."))
    if consent.method not in Story.ConsentMethod.values:
        raise RuleViolation(_("Say how the teller gave consent."))
    if consent.visibility not in Visibility.values:
        raise RuleViolation(_("Say which visibility the teller agreed to."))
    if wider_than(visibility, consent.visibility):
        raise RuleViolation(
            _("The teller agreed to “%(agreed)s”; the story cannot be shown more widely than that.")
            % {"agreed": Visibility(consent.visibility).label}
        )
    consent.note = " ".join((consent.note or "").split())[:250]


def shown_name_for(story: Story, author: User | None) -> str:
    """What the pages print for the teller: a name, a first name, or nothing."""
    if story.display == Story.Display.ANONYMOUS:
        return ""
    if story.told_by == Story.ToldBy.RECORDED:
        full = story.teller_name
        first = full.split(" ", 1)[0] if full else ""
    else:
        full = author.get_full_name() if author else ""
        first = author.first_name if author else ""
        if not full:
            full = first = author.display_name if author else ""
    return first if story.display == Story.Display.FIRST_NAME else full


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def _apply(story: Story, details: StoryDetails, author: User | None) -> None:
    for name in (
        "title",
        "text",
        "quote",
        "perspective",
        "display",
        "visibility",
        "teller_name",
        "gemeente",
        "wijk",
        "happened_on",
    ):
        setattr(story, name, getattr(details, name))
    story.year = (details.happened_on or timezone.localdate()).year
    story.shown_name = shown_name_for(story, author)


def _store_choices(story: Story, details: StoryDetails) -> None:
    story.themes.set(list(details.themes))
    story.signifiers.set(details.signifiers)
    StorySliderValue.objects.filter(story=story).exclude(
        slider_id__in=list(details.sliders)
    ).delete()
    for slider_id, value in details.sliders.items():
        StorySliderValue.objects.update_or_create(
            story=story, slider_id=slider_id, defaults={"value": value}
        )


def _store_media(story: Story, details: StoryDetails) -> None:
    # Both files are checked before either is stored: a refusal leaves nothing behind.
    image = media.clean_image(details.image) if details.image is not None else None
    audio = media.clean_audio(details.audio) if details.audio is not None else None
    if image is not None:
        content, mime = image
        if story.image:
            story.image.delete(save=False)
        story.image.save(content.name, content, save=False)
        story.image_type = mime
        story.image_description = details.image_description
    if audio is not None:
        content, mime = audio
        if story.audio:
            story.audio.delete(save=False)
        story.audio.save(content.name, content, save=False)
        story.audio_type = mime


def _reindex(story: Story) -> None:
    # Themes are set after the save, whose signal already queued an index update without
    # them: queue one more, through the same task (the task queue runs it).
    insert_or_update_object_task.enqueue(
        story._meta.app_label, story._meta.model_name, str(story.pk)
    )


# --- Telling ------------------------------------------------------------------------------


def _create(actor: User, details: StoryDetails, *, recorded: bool, consent: Consent | None):
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    details = _check(actor, details, recorded=recorded, consent=consent)
    # Check the media before anything is written: a refused file stores nothing.
    story = Story(author=actor, told_by=Story.ToldBy.RECORDED if recorded else Story.ToldBy.TELLER)
    _apply(story, details, actor)
    if details.journey is not None:
        story.journey = details.journey
        story.cycle = details.journey.cycle
        story.phase = details.journey.phase
    story.source_card = details.source_card
    if consent is not None:
        story.consent_given_on = consent.given_on
        story.consent_method = consent.method
        story.consent_visibility = consent.visibility
        story.consent_note = consent.note
    _store_media(story, details)
    story.save()
    _store_choices(story, details)
    _reindex(story)
    return story


@transaction.atomic
def tell_story(actor: User, details: StoryDetails) -> Story:
    """A member tells their own story; they own it: they edit and withdraw it."""
    story = _create(actor, details, recorded=False, consent=None)
    audit.record(actor, "story.told", story)
    return story


@transaction.atomic
def record_story(actor: User, details: StoryDetails, consent: Consent) -> tuple[Story, str]:
    """A professional records a story on the teller's behalf, with the teller's consent.
    Returns the story and the withdrawal code for the teller: it is shown once and only
    its hash is kept."""
    story = _create(actor, details, recorded=True, consent=consent)
    code = _new_code()
    story.withdrawal_code_hash = _hash(code)
    story.save(update_fields=["withdrawal_code_hash"])
    audit.record(actor, "story.recorded", story, consent_method=consent.method)
    return story, code


def _own(actor: User, story: Story) -> Story:
    if not actor.is_authenticated:
        raise PermissionDenied(_("Sign in first."))
    locked = Story.objects.select_for_update().filter(pk=story.pk).first()
    if locked is None or locked.is_withdrawn:
        raise RuleViolation(_("This story has been withdrawn."))
    if locked.author_id != actor.pk:
        raise PermissionDenied(_("Only the teller changes or withdraws this story."))
    return locked


@transaction.atomic
def update_story(
    actor: User,
    story: Story,
    details: StoryDetails,
    *,
    consent: Consent | None = None,
    remove_image: bool = False,
    remove_audio: bool = False,
) -> Story:
    """The teller (or who recorded it) edits the story. The journey stays as it was
    told; a recorded story keeps its consent record unless a new one is given, and may
    never be shown more widely than the teller agreed."""
    story = _own(actor, story)
    details.journey = story.journey
    if story.is_recorded and consent is None:
        consent = Consent(
            given_on=story.consent_given_on,
            method=story.consent_method,
            visibility=story.consent_visibility,
            note=story.consent_note,
        )
    details = _check(actor, details, recorded=story.is_recorded, consent=consent, joining=False)
    _apply(story, details, actor if not story.is_recorded else None)
    if story.is_recorded:
        story.consent_given_on = consent.given_on
        story.consent_method = consent.method
        story.consent_visibility = consent.visibility
        story.consent_note = consent.note
    if remove_image and story.image and details.image is None:
        story.image.delete(save=False)
        story.image_type = story.image_description = ""
    if remove_audio and story.audio and details.audio is None:
        story.audio.delete(save=False)
        story.audio_type = ""
    if details.image is None and story.image:
        story.image_description = details.image_description or story.image_description
    _store_media(story, details)
    story.save()
    _store_choices(story, details)
    _reindex(story)
    audit.record(actor, "story.updated", story)
    return story


def _erase(story: Story) -> None:
    """Withdrawn: gone from the archive, the index and every count, and its content
    erased. The empty record stays for reports that cited it."""
    if story.image:
        story.image.delete(save=False)
    if story.audio:
        story.audio.delete(save=False)
    story.withdrawn_at = timezone.now()
    for name in (
        "title",
        "text",
        "quote",
        "teller_name",
        "shown_name",
        "wijk",
        "image_type",
        "image_description",
        "audio_type",
        "consent_note",
        "withdrawal_code_hash",
    ):
        setattr(story, name, "")
    story.happened_on = None
    story.save()
    story.themes.clear()
    story.signifiers.clear()
    StorySliderValue.objects.filter(story=story).delete()
    # At once, in the same transaction: the database index is a table like the others.
    index.remove_object(story)
    # A proposed werkzaam element cited it as evidence: its sources forget it too.
    from journeys.reports.proposals import erase_withdrawn_story

    erase_withdrawn_story(story)


@transaction.atomic
def withdraw_story(actor: User, story: Story) -> Story:
    """The teller (or who recorded it) withdraws the story."""
    story = _own(actor, story)
    _erase(story)
    audit.record(actor, "story.withdrawn", story)
    return story


def story_for_code(code: str) -> Story | None:
    """The live recorded story this withdrawal code belongs to, or None."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    return Story.objects.filter(withdrawal_code_hash=_hash(code), withdrawn_at__isnull=True).first()


@transaction.atomic
def withdraw_with_code(code: str) -> Story:
    """A recorded teller withdraws their story with the code they were given; no account
    needed."""
    story = story_for_code(code)
    if story is None:
        raise RuleViolation(
            _("This withdrawal code is not known, or the story was already withdrawn.")
        )
    story = Story.objects.select_for_update().get(pk=story.pk)
    _erase(story)
    audit.record(None, "story.withdrawn_by_code", story)
    return story


@transaction.atomic
def new_withdrawal_code(actor: User, story: Story) -> str:
    """Who recorded the story makes a new code (the old one stops working), for a
    teller who lost theirs."""
    story = _own(actor, story)
    if not story.is_recorded:
        raise RuleViolation(_("Only a recorded story has a withdrawal code."))
    code = _new_code()
    story.withdrawal_code_hash = _hash(code)
    story.save(update_fields=["withdrawal_code_hash", "updated_at"])
    audit.record(actor, "story.code_renewed", story)
    return code
