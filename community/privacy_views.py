"""The member's privacy pages under /accounts/profiel/: download your data, delete your
account. The rules live in community.services.account_deletion and .data_export."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from community import audit
from community.privacy_forms import DeleteAccountForm
from community.services import account_deletion, data_export
from journeys.services import RuleViolation


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Choose what happens to your contributions, confirm, and the account is gone."""
    member = request.user
    found = account_deletion.blockers(member)
    form = DeleteAccountForm(request.POST or None, member=member)
    status = 200
    if request.method == "POST":
        status = 409 if found else 400
        if found:
            pass  # the page says what to hand over first
        elif not ratelimit.consume(request, action="reauthenticate", user=member):
            form = DeleteAccountForm(member=member)
            messages.error(request, _("Too many attempts. Wait a minute and try again."))
            status = 429
        elif form.is_valid():
            try:
                account_deletion.delete_account(
                    member, member, content=form.cleaned_data["content"]
                )
            except RuleViolation as refused:
                form.add_error(None, str(refused))
            else:
                logout(request)
                messages.success(request, _("Your account has been deleted. Goodbye."))
                return redirect("/")
    context = {"form": form, "blockers": found.messages() if found else []}
    return render(request, "community/account_delete.html", context, status=status)


@login_required
@require_safe
def my_data(request):
    """Ask for a copy of your data; the newest copy's link while it is valid."""
    latest = data_export.latest_export(request.user)
    context = {
        "latest": latest,
        "link": data_export.download_path(request.user, latest) if latest else "",
        "valid_days": data_export.valid_days(),
    }
    return render(request, "community/account_data.html", context)


@login_required
@require_POST
def request_data(request):
    data_export.request_export(request.user, request.user)
    messages.success(
        request,
        _("Your data is being gathered. You get an email with the link as soon as it is ready."),
    )
    return redirect("account_data")


@login_required
@require_safe
def download_data(request, token: str):
    """The file behind a link: only for the member it was made for, only while valid."""
    try:
        export = data_export.export_for_token(request.user, token)
    except RuleViolation as refused:
        return render(
            request,
            "community/account_data_expired.html",
            {"message": str(refused)},
            status=410 if isinstance(refused, data_export.ExportExpired) else 404,
        )
    audit.record(request.user, "member.data_downloaded", request.user)
    response = FileResponse(
        export.open(), as_attachment=True, filename=export.download_name, content_type=export.type
    )
    response["Cache-Control"] = "private, no-store"
    return response
