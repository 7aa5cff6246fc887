"""Forms of the journey pages. They check input; the rules themselves are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from community.models import Organisation
from journeys import method
from journeys.models import Journey, Membership


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, but an id beyond a 64-bit integer is an invalid choice, not an
    OverflowError from SQLite (the embedded default), which binds integers as 64-bit."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            text = str(pk).strip().removeprefix("-")
            if text.isdigit() and len(text) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class JourneyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("All phases")), *Journey.Phase.choices]
    )
    gemeente = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All municipalities"),
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    scenario = forms.ChoiceField(
        label=_("Scenario"),
        required=False,
        choices=[("", _("All scenarios")), *Journey.Scenario.choices],
    )
    mine = forms.BooleanField(label=_("Only journeys I take part in"), required=False)

    def __init__(self, *args, gemeenten, themes, signed_in: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not signed_in:
            del self.fields["mine"]
        self.fields["gemeente"].queryset = gemeenten
        self.fields["theme"].choices = [("", _("All themes"))] + [(t, t) for t in themes]


class JourneyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    challenge = forms.CharField(
        label=_("Societal challenge"),
        max_length=200,
        help_text=_("The maatschappelijke opgave, for example: loneliness among older residents."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the journey is about, in a few sentences."),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see this journey?"),
        choices=Journey.Visibility.choices,
        initial=Journey.Visibility.NETWERK,
        widget=forms.RadioSelect,
    )
    scenario = forms.ChoiceField(
        label=_("Scenario it follows"),
        required=False,
        choices=[("", _("No scenario (yet)")), *Journey.Scenario.choices],
    )
    organisations = ModelMultipleChoiceField(
        label=_("Municipalities and organisations taking part"),
        required=False,
        queryset=Organisation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    themes = TagField(
        label=_("Themes"), required=False, help_text=_("Separate themes with commas.")
    )


class MovePhaseForm(forms.Form):
    to_phase = forms.ChoiceField(choices=Journey.Phase.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note with this step"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was decided, and what comes next. Everyone sees it in the history."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.REIZIGER
    )
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Why do you want to join?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResultForm(forms.Form):
    """One text area per section of the result; `base_revision` guards against two
    people overwriting each other."""

    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What did you change?"),
        required=False,
        max_length=200,
        help_text=_("A few words for the version history."),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        note = self.fields.pop("note")
        for section in method.RESULT_SECTIONS[kind]:
            self.fields[section.key] = forms.CharField(
                label=section.label,
                help_text=section.help_text,
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        self.fields["note"] = note
        self.kind = kind

    def content(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in method.section_keys(self.kind)}


class DataPointForm(forms.Form):
    lens = forms.ChoiceField(
        label=_("Lens"), choices=[(s.key, s.label) for s in method.FOTO_LENSES]
    )
    indicator = forms.CharField(label=_("Indicator"), max_length=200)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    source = forms.CharField(label=_("Source"), max_length=200)
    measured_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class DocumentForm(forms.Form):
    lens = forms.ChoiceField(
        label=_("Lens"), choices=[(s.key, s.label) for s in method.FOTO_LENSES]
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Address (URL)"), max_length=500, assume_scheme="https")
