"""Calendars under /agenda/: one event's .ics, the personal subscription feed at a secret
address (no login: the token is the key) and the page to subscribe, get a new address
and choose the reminder mails.

Thin views: who may see which event comes from community.queries.events, the file from
community.calendars, the writes from community.services.events."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from community import calendars
from community.models import CalendarFeed, Event
from community.queries.events import event_access, with_online_link_for
from community.services import events as event_services

ICS_TYPE = "text/calendar; charset=utf-8"


class ReminderForm(forms.Form):
    remind_day_before = forms.BooleanField(
        label=gettext_lazy("Email me a day before an event"), required=False
    )
    remind_hour_before = forms.BooleanField(
        label=gettext_lazy("Email me an hour before an event"), required=False
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    """One event as an .ics file. 404 for an event the visitor may not see; the online
    link only for registered attendees and organisers."""
    event = get_object_or_404(Event.objects.select_related("journey"), pk=event_id)
    if not event_access(request.user, event).can_see:
        raise Http404
    content = calendars.event_ics([event], viewer=request.user, base_url=calendars.base_url())
    response = _ics_response(content, calendars.ics_filename(event))
    # What is in the file depends on who asks: never from a shared cache.
    response["Cache-Control"] = "private, no-cache"
    return response


@never_cache
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed: every event its owner may see, from 30 days ago on."""
    feed = (
        CalendarFeed.objects.select_related("user").filter(token=token).first() if token else None
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    owner = feed.user
    content = calendars.event_ics(
        with_online_link_for(owner, calendars.feed_events(owner)),  # no query per event
        viewer=owner,
        base_url=calendars.base_url(),
        name=_("%(platform)s: agenda") % {"platform": settings.PLATFORM_NAME},
    )
    response = HttpResponse(content, content_type=ICS_TYPE)
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"  # the address carries the token
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Subscribe to your agenda, renew its secret address, choose your reminders."""
    status = 200
    form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            event_services.renew_calendar_feed(request.user)
            messages.success(
                request,
                _("Your agenda has a new address. The old address no longer works."),
            )
            return redirect("community:calendar_settings")
        if action == "reminders":
            form = ReminderForm(request.POST)
            if form.is_valid():
                event_services.set_reminders(
                    request.user,
                    day_before=form.cleaned_data["remind_day_before"],
                    hour_before=form.cleaned_data["remind_hour_before"],
                )
                messages.success(request, _("Your reminder choices have been saved."))
                return redirect("community:calendar_settings")
        else:
            messages.error(request, _("That did not work: choose one of the buttons on this page."))
        status = 400
    feed = calendars.feed_for(request.user)
    if form is None:
        form = ReminderForm(
            initial={
                "remind_day_before": feed.remind_day_before,
                "remind_hour_before": feed.remind_hour_before,
            }
        )
    url = calendars.feed_url(feed)
    response = render(
        request,
        "community/calendar/settings.html",
        {
            "feed": feed,
            "feed_url": url,
            "webcal_url": calendars.webcal_url(url),
            "form": form,
        },
        status=status,
    )
    response["Referrer-Policy"] = "no-referrer"  # the page shows the secret address
    response["Cache-Control"] = "private, no-store"
    return response
