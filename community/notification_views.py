"""Notifications: the list at /meldingen/, opening one, 'mark all read', the email
choice, unsubscribing through a mail's link, and the count for the header badge.

Thin views: what a member may see comes from community.services.notifications
(visible_to: their own, in threads they may still read)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from community.models import NotificationPreference
from community.services import notifications
from journeys.services import RuleViolation

NOTIFICATIONS_PER_PAGE = 25


class EmailChoiceForm(forms.Form):
    email = forms.ChoiceField(
        label=gettext_lazy("How often do you want email about your notifications?"),
        help_text=gettext_lazy(
            "Your notifications always appear under Notifications; this only decides the email."
        ),
        choices=NotificationPreference.Email.choices,
        widget=forms.RadioSelect,
    )


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(notifications.for_list(request.user), NOTIFICATIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("pagina"))
    rows = [
        {
            "notification": notification,
            "open_url": reverse("community:notification_open", args=[notification.pk]),
            "post_url": notifications.link_to(notification),
        }
        for notification in page.object_list
    ]
    context = {
        "page": page,
        "query": "",
        "rows": rows,
        "unread": notifications.unread_count(request.user),
    }
    return render(request, "community/notifications/index.html", context)


@login_required
@require_safe
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Opening a notification marks it read and goes to the post it is about. Only your
    own, and only while you may read the thread: 404 otherwise."""
    notification = get_object_or_404(notifications.for_list(request.user), pk=notification_id)
    notifications.mark_read(request.user, [notification.pk])
    target = notifications.link_to(notification)
    return redirect(target if target != "#" else reverse("community:notifications"))


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    notifications.mark_read(request.user)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("community:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    preference = notifications.preference_of(request.user)
    status = 200
    if request.method == "POST":
        form = EmailChoiceForm(request.POST)
        if form.is_valid():
            try:
                notifications.set_email_preference(request.user, form.cleaned_data["email"])
            except RuleViolation as refused:
                form.add_error("email", str(refused))
            else:
                messages.success(request, _("Your email choice has been saved."))
                return redirect("community:notification_settings")
        status = 400
    else:
        form = EmailChoiceForm(initial={"email": preference.email})
    return render(
        request,
        "community/notifications/settings.html",
        {"form": form, "preference": preference},
        status=status,
    )


@csrf_exempt  # the token is the key; mail programs POST here for one-click unsubscribe
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every notification mail. Works without signing in."""
    if request.method == "POST":
        preference = notifications.unsubscribe(token)
        if preference is None:
            raise Http404
        done = True
    else:
        preference = NotificationPreference.objects.filter(unsubscribe_token=token).first()
        if preference is None:
            raise Http404
        done = False
    response = render(
        request,
        "community/notifications/unsubscribe.html",
        {"preference": preference, "done": done, "token": token},
    )
    response["Referrer-Policy"] = "no-referrer"  # the address carries the token
    return response


@never_cache
@require_safe
def count(request: HttpRequest) -> JsonResponse:
    """{"unread": n} for the header badge (live.js asks after a websocket nudge)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in to see your notifications.")}, status=403)
    return JsonResponse({"unread": notifications.unread_count(request.user)})
