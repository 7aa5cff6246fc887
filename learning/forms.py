"""Forms of the editorial pages' own views. They check input; they hold no rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from learning.models.knowledge import EvidenceLevel


class KnowledgeFilterForm(forms.Form):
    """The kennisbank's search and filters. The field names are the (Dutch) query
    parameters, so a filtered list has a short address that can be shared:
    /kennisbank/?thema=eenzaamheid&niveau=goed_onderbouwd."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    thema = forms.ChoiceField(label=_("Theme"), required=False)
    opgave = forms.ChoiceField(label=_("Societal challenge (opgave)"), required=False)
    doelgroep = forms.ChoiceField(label=_("Target group (doelgroep)"), required=False)
    niveau = forms.ChoiceField(
        label=_("Evidence level"),
        required=False,
        choices=[("", _("All evidence levels")), *EvidenceLevel.choices],
    )

    def __init__(self, *args, themes, challenges, target_groups, **kwargs):
        """themes, challenges, target_groups: (slug, name) pairs of the tags in use."""
        super().__init__(*args, **kwargs)
        self.fields["thema"].choices = [("", _("All themes")), *themes]
        self.fields["opgave"].choices = [("", _("All opgaven")), *challenges]
        self.fields["doelgroep"].choices = [("", _("All target groups")), *target_groups]
        for name in ("thema", "opgave", "doelgroep", "niveau"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "We don't know the filter value “%(value)s”. Choose one from the list."
            )
