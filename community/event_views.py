"""The event pages: /agenda/ (list and month view, filter by journey), each journey's
agenda tab, the event page with registration, the 'nu live' notice and the verslag,
and the forms to plan and change events.

Views are thin: what a user may see comes from community.queries.events (an event
nobody may know of is a 404, also on its edit page), the rules from
community.services.events. A refused rule is shown as a form error with status 400 and
nothing is stored. Times are shown in Europe/Amsterdam with the zone named.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community.event_forms import (
    EventForm,
    JourneyFilterForm,
    NewEventForm,
    RegistrationForm,
    ReportForm,
)
from community.limits import limited
from community.models import Event, Registration
from community.queries.boards import boards_of, journey_board_access
from community.queries.events import (
    event_access,
    may_create_event,
    may_see_online_link,
    visible_events,
)
from community.services import events as event_services
from community.services.events import AMSTERDAM
from journeys.models import Journey
from journeys.queries import access_for, journey_for, visible_to
from journeys.services import RuleViolation

Status = Registration.Status
PER_PAGE = 20
PAST_SHOWN = 50
ZONE = "Europe/Amsterdam"
EN_DASH = "\u2013"
JOURNEY_LAYOUT = "community/events/journey_layout.html"
AGENDA_LAYOUT = "community/events/agenda_layout.html"


# --- Showing times -----------------------------------------------------------------------


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment, AMSTERDAM)


def when_text(event: Event) -> str:
    """'19:30-21:00 (Europe/Amsterdam)' with an en dash; an event past midnight names
    its end day."""
    start, end = local(event.starts_at), local(event.ends_at)
    if start.date() == end.date():
        span = f"{start:%H:%M}{EN_DASH}{end:%H:%M}"
    else:
        span = f"{start:%H:%M} {EN_DASH} {dateformat.format(end, 'j F')} {end:%H:%M}"
    return f"{span} ({ZONE})"


def day_text(moment: datetime | date) -> str:
    return dateformat.format(moment, "l j F Y")


def place_text(event: Event) -> str:
    if event.form == Event.Form.ONLINE:
        return _("Online")
    if event.form == Event.Form.HYBRIDE:
        return _("%(address)s and online") % {"address": event.address}
    return event.address


def decorate(events, now: datetime | None = None) -> list[Event]:
    """What every list row shows, computed once in Python (no queries)."""
    now = now or timezone.now()
    events = list(events)
    for event in events:
        event.local_start = local(event.starts_at)
        event.local_end = local(event.ends_at)
        event.start_time = f"{event.local_start:%H:%M}"
        event.when = when_text(event)
        event.day_label = day_text(event.local_start)
        event.place = place_text(event)
        event.is_over = event.ends_at <= now
        event.is_live = not event.cancelled_at and event.starts_at <= now < event.ends_at
    return events


def group_by_day(events: list[Event]) -> list[dict]:
    days: list[dict] = []
    for event in events:
        day = event.local_start.date()
        if not days or days[-1]["date"] != day:
            days.append({"date": day, "label": event.day_label, "events": []})
        days[-1]["events"].append(event)
    return days


def event_url(event: Event) -> str:
    return reverse("community:event", args=[event.pk])


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("journey").annotate(
        attending_count=Count("registrations", filter=Q(registrations__status=Status.AANWEZIG))
    )


# --- /agenda/: list and month ------------------------------------------------------------


def _journey_filter(request: HttpRequest, events: QuerySet[Event]):
    """The journey select (journeys the user may see that have events among `events`),
    and the events narrowed to the chosen one."""
    journeys = list(
        visible_to(request.user)
        .filter(pk__in=events.filter(journey__isnull=False).values("journey"))
        .only("pk", "slug", "title")
        .order_by("title")
    )
    form = JourneyFilterForm(request.GET or None, journeys=journeys)
    chosen = ""
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["reis"]
        if chosen:
            events = events.filter(journey__slug=chosen)
    return form, events, chosen


def agenda(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    upcoming = visible_events(request.user).filter(ends_at__gt=now)
    form, upcoming, chosen = _journey_filter(request, upcoming)
    page = Paginator(_with_counts(upcoming).order_by("starts_at", "pk"), PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    today = local(now)
    context = {
        "filter_form": form,
        "page": page,
        "days": group_by_day(decorate(page.object_list, now)),
        "query": f"reis={chosen}" if chosen else "",
        "month_url": _month_url(today.year, today.month, chosen),
        "may_create": may_create_event(request.user, None),
        "zone": ZONE,
    }
    return render(request, "community/events/agenda.html", context)


def _month_url(year: int, month: int, chosen: str = "") -> str:
    url = reverse("community:agenda_month", args=[year, month])
    return f"{url}?reis={chosen}" if chosen else url


def agenda_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not (1 <= month <= 12 and 1900 <= year <= 9998):
        raise Http404
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    start = datetime.combine(first, time.min, tzinfo=AMSTERDAM)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=AMSTERDAM)
    shown = visible_events(request.user).filter(starts_at__gte=start, starts_at__lt=end)
    form, shown, chosen = _journey_filter(request, shown)
    by_day: dict[date, list[Event]] = defaultdict(list)
    for event in decorate(shown.select_related("journey").order_by("starts_at", "pk")):
        by_day[event.local_start.date()].append(event)
    today = local(timezone.now()).date()
    rows = [
        [
            {
                "date": day,
                "label": day_text(day),
                "in_month": day.month == month,
                "is_today": day == today,
                "events": by_day.get(day, []),
            }
            for day in week
        ]
        for week in weeks
    ]
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    context = {
        "filter_form": form,
        "weeks": rows,
        "weekdays": [(WEEKDAYS[n], WEEKDAYS_ABBR[n]) for n in range(7)],
        "month_label": dateformat.format(date(year, month, 1), "F Y"),
        "previous_url": _month_url(*previous, chosen),
        "previous_label": dateformat.format(date(*previous, 1), "F Y"),
        "next_url": _month_url(*following, chosen),
        "next_label": dateformat.format(date(*following, 1), "F Y"),
        "list_url": reverse("community:agenda") + (f"?reis={chosen}" if chosen else ""),
        "zone": ZONE,
    }
    return render(request, "community/events/month.html", context)


# --- A journey's agenda tab --------------------------------------------------------------


def journey_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    journey, access = journey_for(request.user, slug)  # 404 for a besloten journey
    now = timezone.now()
    events = _with_counts(visible_events(request.user).filter(journey=journey))
    upcoming = decorate(events.filter(ends_at__gt=now).order_by("starts_at", "pk"), now)
    past = decorate(events.filter(ends_at__lte=now).order_by("-starts_at", "-pk")[:PAST_SHOWN], now)
    context = {
        "journey": journey,
        "access": access,
        "tab": "agenda",
        "upcoming_days": group_by_day(upcoming),
        "past": past,
        "may_create": may_create_event(request.user, journey),
        "new_url": reverse("community:journey_event_new", args=[journey.slug]),
        "zone": ZONE,
    }
    return render(request, "community/events/journey_agenda.html", context)


# --- The event page ----------------------------------------------------------------------


def _event_or_404(user, event_id: int) -> Event:
    event = visible_events(user).select_related("journey").filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def _layout_context(user, event: Event) -> dict:
    if event.journey_id:
        return {
            "base_template": JOURNEY_LAYOUT,
            "journey": event.journey,
            "access": access_for(user, event.journey),
            "tab": "agenda",
        }
    return {"base_template": AGENDA_LAYOUT}


def _boards_of_event(user, event: Event, access) -> list:
    """The boards of this meeting that the visitor may see (one query)."""
    if not event.journey_id:
        return []
    board_access = journey_board_access(user, event.journey, access)
    if not board_access.can_see:
        return []
    return list(boards_of(user, event.journey, board_access).filter(event=event))


def _render_event(
    request: HttpRequest,
    event: Event,
    *,
    registration_form: RegistrationForm | None = None,
    report_form: ReportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    access = event_access(user, event)
    decorate([event], now)
    registration = (
        Registration.objects.filter(event=event, user=user).first()
        if user.is_authenticated
        else None
    )
    counts = event.registrations.aggregate(
        attending=Count("pk", filter=Q(status=Status.AANWEZIG)),
        maybe=Count("pk", filter=Q(status=Status.MISSCHIEN)),
        waiting=Count("pk", filter=Q(status=Status.WACHTLIJST)),
    )
    position = None
    if registration and registration.status == Status.WACHTLIJST:
        position = (
            event.registrations.filter(status=Status.WACHTLIJST)
            .filter(
                Q(waitlisted_at__lt=registration.waitlisted_at)
                | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
            )
            .count()
            + 1
        )
    open_for_registration = not event.cancelled_at and not event.is_over
    deadline_passed = bool(event.registration_deadline and now > event.registration_deadline)
    may_register = access.can_register and open_for_registration
    if registration_form is None and may_register:
        current = registration.status if registration else None
        if current == Status.WACHTLIJST:
            current = Status.AANWEZIG
        registration_form = RegistrationForm(initial={"status": current})
    show_report_form = access.can_organise and event.is_over and not event.cancelled_at
    if report_form is None and show_report_form:
        report_form = ReportForm(initial={"report": event.report, "attendance": event.attendance})
    capacity = event.capacity
    layout = _layout_context(user, event)
    context = {
        **layout,
        "boards": _boards_of_event(user, event, layout.get("access")),
        "event": event,
        "event_access": access,
        "zone": ZONE,
        "starts_label": f"{day_text(event.local_start)}, {event.when}",
        "deadline_label": (
            f"{day_text(local(event.registration_deadline))}, "
            f"{local(event.registration_deadline):%H:%M} ({ZONE})"
            if event.registration_deadline
            else ""
        ),
        "agenda_items": list(event.agenda_items.all()),
        "organisers": list(event.organisers.all()),
        "counts": counts,
        "places_left": max(capacity - counts["attending"], 0) if capacity is not None else None,
        "registration": registration,
        "waiting_position": position,
        "may_register": may_register,
        "deadline_passed": deadline_passed,
        "registration_form": registration_form,
        "show_online_link": bool(event.online_url) and may_see_online_link(user, event),
        "show_report_form": show_report_form,
        "report_form": report_form,
        "may_cancel": access.can_organise and open_for_registration,
        "signed_in": user.is_authenticated,
    }
    return render(request, "community/events/event.html", context, status=status)


def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    return _render_event(request, _event_or_404(request.user, event_id))


def _signed_in_event(request: HttpRequest, event_id: int) -> Event | HttpResponse:
    if not request.user.is_authenticated:
        event = _event_or_404(request.user, event_id)
        return redirect_to_login(event_url(event))
    return _event_or_404(request.user, event_id)


REGISTERED_MESSAGES = {
    Status.AANWEZIG: gettext_lazy("You are registered as attending."),
    Status.MISSCHIEN: gettext_lazy("You are registered as maybe attending."),
    Status.AFWEZIG: gettext_lazy("You are registered as not attending."),
}


@limited("registration")
@require_POST
def event_register(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _signed_in_event(request, event_id)
    if isinstance(event, HttpResponse):
        return event
    if not event_access(request.user, event).can_register:
        raise PermissionDenied
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _render_event(request, event, registration_form=form, status=400)
    try:
        registration = event_services.register(request.user, event, form.cleaned_data["status"])
    except RuleViolation as refused:
        form.add_error(None, str(refused))
        return _render_event(request, event, registration_form=form, status=400)
    if registration.status == Status.WACHTLIJST:
        messages.info(
            request,
            _(
                "The event is full: you are on the waiting list. "
                "We email you when a place frees up."
            ),
        )
    else:
        messages.success(request, str(REGISTERED_MESSAGES[registration.status]))
    return redirect(event_url(event))


@require_POST
def event_report(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _signed_in_event(request, event_id)
    if isinstance(event, HttpResponse):
        return event
    if not event_access(request.user, event).can_organise:
        raise PermissionDenied
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _render_event(request, event, report_form=form, status=400)
    try:
        event_services.record_report(
            request.user,
            event,
            report=form.cleaned_data["report"],
            attendance=form.cleaned_data["attendance"],
        )
    except RuleViolation as refused:
        form.add_error(None, str(refused))
        return _render_event(request, event, report_form=form, status=400)
    messages.success(request, _("The verslag is saved."))
    return redirect(event_url(event))


@require_POST
def event_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _signed_in_event(request, event_id)
    if isinstance(event, HttpResponse):
        return event
    if not event_access(request.user, event).can_organise:
        raise PermissionDenied
    try:
        event_services.cancel_event(request.user, event)
    except RuleViolation as refused:
        messages.error(request, str(refused))
        return _render_event(request, event, status=400)
    messages.success(request, _("The event is cancelled."))
    return redirect(event_url(event))


# --- Planning and changing ---------------------------------------------------------------


def _form_page(request, form, *, journey: Journey | None, access, event: Event | None, status=200):
    if journey is not None:
        layout = {
            "base_template": JOURNEY_LAYOUT,
            "journey": journey,
            "access": access,
            "tab": "agenda",
        }
        back = reverse("community:journey_agenda", args=[journey.slug])
    else:
        layout = {"base_template": AGENDA_LAYOUT}
        back = reverse("community:agenda")
    if event is not None:
        back = event_url(event)
    context = {**layout, "form": form, "event": event, "back_url": back, "zone": ZONE}
    return render(request, "community/events/event_form.html", context, status=status)


def _plan(request: HttpRequest, journey: Journey | None, access=None) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, NewEventForm(), journey=journey, access=access, event=None)
    form = NewEventForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data["repeat"]:
                    series = event_services.create_series(
                        request.user,
                        form.details(),
                        frequency=data["repeat"],
                        count=data["repeat_count"],
                        journey=journey,
                    )
                    for occurrence in series.events.all():
                        event_services.set_agenda_items(request.user, occurrence, data["programme"])
                    event = series.events.order_by("starts_at", "pk").first()
                else:
                    event = event_services.create_event(
                        request.user, form.details(), journey=journey
                    )
                    event_services.set_agenda_items(request.user, event, data["programme"])
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The event is planned."))
            return redirect(event_url(event))
    return _form_page(request, form, journey=journey, access=access, event=None, status=400)


def journey_event_new(request: HttpRequest, slug: str) -> HttpResponse:
    journey, access = journey_for(request.user, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_create_event(request.user, journey):
        raise PermissionDenied
    return _plan(request, journey, access)


def event_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_create_event(request.user, None):
        raise PermissionDenied
    return _plan(request, None)


def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _signed_in_event(request, event_id)
    if isinstance(event, HttpResponse):
        return event
    if not event_access(request.user, event).can_organise:
        raise PermissionDenied
    journey = event.journey
    access = access_for(request.user, journey) if journey else None
    if request.method != "POST":
        form = EventForm(initial=EventForm.initial_for(event))
        return _form_page(request, form, journey=journey, access=access, event=event)
    form = EventForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                event_services.update_event(request.user, event, form.details())
                event_services.set_agenda_items(request.user, event, form.cleaned_data["programme"])
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The event is changed; everyone registered gets an email."))
            return redirect(event_url(event))
    return _form_page(request, form, journey=journey, access=access, event=event, status=400)
