from django import forms
from django.utils.translation import gettext_lazy as _


class NameForm(forms.Form):
    """The name other members see: on the account page and at sign-up."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


class SignupForm(NameForm):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    def signup(self, request, user) -> None:
        # allauth requires this hook, but its adapter's save_user already stores
        # first_name and last_name from cleaned_data (CharField strips them): nothing to add.
        pass
