from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from taggit.utils import edit_string_for_tags

from community import services
from community.forms import ProfileForm
from community.queries import has_two_factor


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """The account page: your profile, and the way to email, password and two-factor."""
    member = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.update_profile(member, member, **form.cleaned_data)
            messages.success(request, _("Your details have been saved."))
            return redirect("account_profile")
    else:
        form = ProfileForm(
            initial={
                "first_name": member.first_name,
                "last_name": member.last_name,
                "organisation": member.organisation_id,
                "job_title": member.job_title,
                # The tag widget writes tags, not names, into its text ("a, b").
                "expertise": edit_string_for_tags(list(member.expertise.all())),
            }
        )
    context = {
        "form": form,
        "email_addresses": member.emailaddress_set.order_by("-primary", "email"),
        "has_two_factor": has_two_factor(member),
    }
    return render(request, "community/account.html", context)


@require_safe
def cms_sign_in(request):
    """Where Wagtail sends people who may not enter the CMS (WAGTAILADMIN_LOGIN_URL).

    Visitors sign in through allauth and come back; a signed-in member without CMS
    access gets a clear 403 instead of being bounced between the two logins.
    """
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("wagtailadmin_home")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
    if request.user.has_perm("wagtailadmin.access_admin"):
        return redirect(next_url)  # signed in with access already (from /cms/login/)
    return render(request, "community/cms_no_access.html", status=403)


@require_safe
def privacy(request):
    """/privacy/: what the platform keeps about people and why, for anyone."""
    from django.conf import settings

    hours = 60 * 60
    retention = {
        "idle_hours": (getattr(settings, "SESSION_IDLE_TIMEOUT", 0) or 0) // hours,
        "session_hours": settings.SESSION_COOKIE_AGE // hours,
        "export_days": getattr(settings, "DATA_EXPORT_VALID_DAYS", 7),
    }
    return render(request, "community/privacy.html", {"retention": retention})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: Django's own renders without the request, losing the page shell."""
    return render(request, "403_csrf.html", status=403)
