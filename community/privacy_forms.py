"""Forms of the member's privacy pages: deleting the account."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.services import account_deletion
from journeys.services import RuleViolation


class DeleteAccountForm(forms.Form):
    content = forms.ChoiceField(
        label=_("What happens to what you contributed?"),
        widget=forms.RadioSelect,
        choices=[
            (
                account_deletion.ANONYMISE,
                _(
                    "Keep my contributions without my name: posts, cards and leervragen "
                    "stay and show as by a former member."
                ),
            ),
            (
                account_deletion.DELETE,
                _(
                    "Delete my contributions: posts, cards, comments and leervragen nobody "
                    "else worked on are removed. A post others replied to shows as deleted."
                ),
            ),
        ],
        error_messages={"required": _("Choose what happens to what you contributed.")},
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Fill in your password to confirm.")},
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=20,
        help_text=_("Two-factor authentication is on: confirm with a code or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        if not account_deletion.has_two_factor(member):
            del self.fields["code"]
        else:
            self.fields["code"].required = True
            self.fields["code"].error_messages["required"] = _(
                "Fill in the code from your authenticator app."
            )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            account_deletion.confirm_identity(
                self.member, password=cleaned["password"], code=cleaned.get("code", "")
            )
        except RuleViolation as refused:
            raise forms.ValidationError(str(refused)) from refused
        return cleaned
