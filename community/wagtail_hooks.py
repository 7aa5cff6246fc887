"""Wagtail admin hooks of the community app: staff opening a member in the CMS leave an
audit entry, and deleting a user there follows the rules of account deletion."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from community.privacy_audit import record_staff_view
from community.services import account_deletion
from journeys.services import RuleViolation


@hooks.register("before_edit_user")
def record_user_opened(request, user):
    if request.method == "GET":
        record_staff_view(request.user, [user], where="cms: edit user")


@hooks.register("before_delete_user")
def delete_through_the_rules(request, user):
    """Deleting in the CMS anonymises: stories withdrawn, contributions without a name."""
    if request.method != "POST":
        return None
    try:
        account_deletion.delete_account(request.user, user, content=account_deletion.ANONYMISE)
    except RuleViolation as refused:
        messages.error(request, str(refused))
        return redirect("wagtailusers_users:edit", user.pk)
    messages.success(request, str(account_deletion.DELETED_MESSAGE))
    return redirect("wagtailusers_users:index")
