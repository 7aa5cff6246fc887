from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from learning.site_search.terms import MAX_LENGTH, tidy


class QueryField(forms.CharField):
    """A search box: control characters (NUL bytes among them) are dropped before
    anything is checked, so they never reach a validator, a log or an engine."""

    def to_python(self, value):
        return tidy(super().to_python(value))


class SiteSearchForm(forms.Form):
    q = QueryField(
        label=_("Search for"),
        required=False,
        widget=forms.SearchInput(attrs={"maxlength": MAX_LENGTH, "autocomplete": "off"}),
        validators=[
            MaxLengthValidator(
                MAX_LENGTH,
                message=_(
                    "Your search is too long: use at most %(limit_value)d characters "
                    "(it has %(show_value)d)."
                ),
            )
        ],
    )
    soort = forms.CharField(required=False)

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        if self.is_bound and "q" in self.data:
            # The box shows the input back without control characters, valid or not.
            self.data = self.data.copy()
            self.data["q"] = tidy(self.data.get("q"))

    def clean_soort(self) -> str | None:
        # An unknown type (an old or edited link) searches every type.
        kind = self.cleaned_data.get("soort") or None
        return kind if kind in self.kinds else None
