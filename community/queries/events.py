"""Who may see, join and organise which event.

A journey's event is seen by whoever may see the journey (so a besloten journey's
events reach members only) and joined by the journey's members; a network-wide event is
seen and joined by everyone signed in. Organisers: the event's organisers, a journey's
reisbegeleider, and for network-wide events staff and the plein moderators. The online
link goes only to organisers and those registered as attending (or maybe).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)

from community.models import Event, Registration
from community.queries.forum import is_plein_moderator
from journeys.models import Journey, Membership
from journeys.queries import access_for, may_view, visible_to


@dataclass(frozen=True)
class EventAccess:
    can_see: bool
    can_register: bool
    can_organise: bool


def may_create_event(user, journey: Journey | None) -> bool:
    if not user.is_authenticated:
        return False
    if journey is None:
        return is_plein_moderator(user)
    return access_for(user, journey).can_facilitate


def event_access(user, event: Event) -> EventAccess:
    if event.journey_id:
        access = access_for(user, event.journey)
        can_see = may_view(user, event.journey, access.role)
        can_register = access.is_member
        facilitates = access.can_facilitate
    else:
        can_see = can_register = bool(user.is_authenticated)
        facilitates = is_plein_moderator(user)
    organiser = bool(
        user.is_authenticated and (facilitates or event.organisers.filter(pk=user.pk).exists())
    )
    return EventAccess(
        can_see=can_see, can_register=can_register and can_see, can_organise=organiser
    )


def visible_events(user) -> QuerySet[Event]:
    """Every event the user may see: pages, lists, feeds and reminders read through here."""
    in_visible_journeys = Q(journey__in=visible_to(user))
    if user.is_authenticated:
        return Event.objects.filter(in_visible_journeys | Q(journey__isnull=True))
    return Event.objects.filter(in_visible_journeys)


def may_see_online_link(user, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(event, "online_link_viewer_id", None) == user.pk:
        return event.online_link_shown  # answered in SQL for the whole list
    if event_access(user, event).can_organise:
        return True
    return Registration.objects.filter(
        event=event,
        user=user,
        status__in=[Registration.Status.AANWEZIG, Registration.Status.MISSCHIEN],
    ).exists()


def with_online_link_for(user, events: QuerySet[Event]) -> QuerySet[Event]:
    """`events` with may_see_online_link(user, event) answered in the same query, for
    lists and feeds: organisers (the journey's reisbegeleider, the event's organisers,
    for network-wide events the plein moderators) and who registered as attending or
    maybe. The answer is marked with the viewer, so it is never read for someone else."""
    if not user.is_authenticated:
        return events
    facilitates = Exists(
        Membership.objects.filter(
            journey=OuterRef("journey"), user=user, role=Membership.Role.REISBEGELEIDER
        )
    )
    organises = Exists(Event.organisers.through.objects.filter(event=OuterRef("pk"), user=user))
    registered = Exists(
        Registration.objects.filter(
            event=OuterRef("pk"),
            user=user,
            status__in=[Registration.Status.AANWEZIG, Registration.Status.MISSCHIEN],
        )
    )
    shown = Q(facilitates) | Q(organises) | Q(registered)
    if is_plein_moderator(user):
        shown |= Q(journey__isnull=True)
    return events.annotate(
        online_link_viewer_id=Value(user.pk),
        online_link_shown=ExpressionWrapper(shown, output_field=BooleanField()),
    )


def attending_count(event: Event) -> int:
    return event.registrations.filter(status=Registration.Status.AANWEZIG).count()
