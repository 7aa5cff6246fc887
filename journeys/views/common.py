"""What every journey view shares: finding the journey the user may see, and turning a
refused rule into a message on the page it came from."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from journeys.queries import journey_for
from journeys.services import RuleViolation


def journey_view(view: Callable) -> Callable:
    """Look the journey up by slug for this user (404 if they may not see it) and pass
    `journey` and `access` to the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        journey, access = journey_for(request.user, slug)
        return view(request, journey, access, *args, **kwargs)

    return wrapper


def journey_action(view: Callable | None = None, *, members_only: bool = True) -> Callable:
    """A POST that changes something: sign-in required, journey looked up as above, and
    a RuleViolation shown as an error message back on the journey page it came from.
    The services check the role; non-members are stopped here already (403)."""

    def decorate(view: Callable) -> Callable:
        @require_POST
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            journey, access = journey_for(request.user, slug)
            if not request.user.is_authenticated:
                return redirect_to_login(journey.get_absolute_url())
            if members_only and not access.is_member:
                raise PermissionDenied
            try:
                return view(request, journey, access, *args, **kwargs)
            except RuleViolation as refused:
                messages.error(request, str(refused))
                return redirect(back_to(request, journey.get_absolute_url()))

        return wrapper

    return decorate(view) if view is not None else decorate


def back_to(request: HttpRequest, default: str) -> str:
    """The page the form was on, if it is one of ours."""
    target = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
