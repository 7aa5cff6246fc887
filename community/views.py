from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from community import services
from community.forms import ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """The account page: your name, and the way to email, password and two-factor."""
    member = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.update_profile(member, member, **form.cleaned_data)
            messages.success(request, _("Your details have been saved."))
            return redirect("account_profile")
    else:
        form = ProfileForm(initial={"first_name": member.first_name, "last_name": member.last_name})
    context = {
        "form": form,
        "email_addresses": member.emailaddress_set.order_by("-primary", "email"),
        "has_two_factor": Authenticator.objects.filter(
            user=member, type=Authenticator.Type.TOTP
        ).exists(),
    }
    return render(request, "community/account.html", context)
