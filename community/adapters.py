from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from community import audit


class AccountAdapter(DefaultAccountAdapter):
    """allauth's hooks. Mail needs nothing here: EMAIL_BACKEND already queues it."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            audit.record(user, "member.signed_up", user)
        return user
