from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from community.queries import has_two_factor

# Where a staff member without two-factor may still go: to set it up, or to leave.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/media/", "/health/", "/i18n/")


class StaffTwoFactorMiddleware:
    """With REQUIRE_STAFF_TWO_FACTOR on (production), staff must set up an authenticator app
    before they can do anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_two_factor(request):
            messages.warning(
                request, _("Staff accounts need two-factor authentication. Set it up first.")
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _must_set_up_two_factor(request) -> bool:
        if not settings.REQUIRE_STAFF_TWO_FACTOR:
            return False
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and (user.is_staff or user.is_superuser)):
            return False
        if request.path.startswith(_OPEN_PREFIXES):
            return False
        return not has_two_factor(user)
