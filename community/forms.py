from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from community.models import Organisation


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


class ProfileForm(NameForm):
    """The member profile on the account page: name, organisation, role and expertise."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("(none)"),
    )
    job_title = forms.CharField(
        label=_("Your role"),
        max_length=120,
        required=False,
        help_text=_("For example: policy adviser, community nurse, researcher."),
    )
    expertise = TagField(
        label=_("Expertise themes"),
        required=False,
        help_text=_("Themes you know about, separated by commas."),
    )


class SignupForm(NameForm):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    def signup(self, request, user) -> None:
        # allauth requires this hook, but its adapter's save_user already stores
        # first_name and last_name from cleaned_data (CharField strips them): nothing to add.
        pass
