"""Forms of the leervragen pages. They take the input; the rules (who may, what each state
needs, due dates, one vote each) are checked by learning.leervragen.services."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from learning.leervragen import services
from learning.models import LearningQuestion

Status = LearningQuestion.Status

UNKNOWN_CHOICE = _("We don't know the filter value “%(value)s”. Choose one from the list.")

SORTS = [
    ("stemmen", _("most votes")),
    ("volgorde", _("the reisbegeleider's order")),
    ("nieuwste", _("newest")),
    ("streefdatum", _("due date")),
]


class QuestionForm(forms.Form):
    """Required fields say so with aria-required rather than the HTML attribute (as the
    forum's forms do): the design system marks an empty `required` box invalid at once."""

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required and not field.widget.is_hidden:
                field.widget.attrs["aria-required"] = "true"


def _themes_field():
    return forms.CharField(
        label=_("Themes"),
        required=False,
        max_length=300,
        help_text=_("Separate themes with commas, for example: eenzaamheid, ouderen."),
    )


def theme_list(value: str) -> list[str]:
    return [part for part in (value or "").split(",") if part.strip()]


class RaiseForm(QuestionForm):
    question = forms.CharField(
        label=_("Your learning question"),
        max_length=services.MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One question the network wants answered, for example: what works for…?"),
        error_messages={"required": _("Write the question.")},
    )
    context = forms.CharField(
        label=_("Context"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this question matters now, and to whom."),
    )
    themes = _themes_field()
    journey = forms.ChoiceField(label=_("Where does the question belong?"))

    def __init__(self, *args, journeys, fixed_journey=None, **kwargs):
        """journeys: (slug, title) pairs the user may raise questions in; "" is the whole
        network. fixed_journey: the source decides (a meeting, thread or card)."""
        super().__init__(*args, **kwargs)
        if fixed_journey is not None:
            self.fields["journey"].choices = [(fixed_journey.slug, fixed_journey.title)]
            self.fields["journey"].widget = forms.HiddenInput()
        else:
            self.fields["journey"].choices = [
                ("", _("The whole network (network-wide)")),
                *journeys,
            ]
            self.fields["journey"].required = False
        self.fields["journey"].error_messages["invalid_choice"] = _(
            "Choose a journey from the list: one where you may raise questions."
        )


class EditForm(QuestionForm):
    question = RaiseForm.base_fields["question"]
    context = RaiseForm.base_fields["context"]
    themes = _themes_field()


class PlainSelect(forms.Select):
    """A single-choice <select> without option groups, written out in Python: the same
    markup as Django's select template, which includes a template per option (the owner
    filter has one per owner, over a hundred on a busy journey)."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        options = []
        found = False
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            selected = not found and option_value in chosen
            found = found or selected
            options.append(
                f'\n  <option value="{conditional_escape(option_value)}"'
                f"{' selected' if selected else ''}>{conditional_escape(label)}</option>\n"
            )
        # As django/forms/widgets/attrs.html: in order, False left out, True bare.
        final_attrs = "".join(
            f" {conditional_escape(key)}"
            if value is True
            else f' {conditional_escape(key)}="{conditional_escape(str(value))}"'
            for key, value in self.build_attrs(self.attrs, attrs).items()
            if value is not False
        )
        select = f'<select name="{conditional_escape(name)}"{final_attrs}>'
        return mark_safe(f"{select}{''.join(options)}\n</select>")  # noqa: S308 (all escaped)


def _filter(label) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, widget=PlainSelect)


class FilterForm(forms.Form):
    """The list's and board's filters; field names are the (Dutch) query parameters."""

    status = _filter(_("Status"))
    reis = _filter(_("Journey"))
    thema = _filter(_("Theme"))
    eigenaar = _filter(_("Owner"))
    mijn = forms.BooleanField(
        label=_("Only questions I raised, own, help with or follow"), required=False
    )
    element = forms.IntegerField(required=False, widget=forms.HiddenInput())
    sortering = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=SORTS, widget=PlainSelect
    )

    def __init__(self, *args, journeys=None, themes=(), owners=(), signed_in=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All states")), *Status.choices]
        if journeys is None:
            del self.fields["reis"]
        else:
            self.fields["reis"].choices = [
                ("", _("All journeys and network-wide")),
                ("netwerkbreed", _("Network-wide only")),
                *journeys,
            ]
        self.fields["thema"].choices = [("", _("All themes")), *themes]
        self.fields["eigenaar"].choices = [("", _("Everyone")), *owners]
        if not signed_in:
            del self.fields["mijn"]
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = UNKNOWN_CHOICE


class MoveForm(forms.Form):
    naar = forms.ChoiceField(label=_("Move to"))
    toelichting = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        help_text=_("Needed when you park a question: say why."),
    )

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["naar"].choices = [(status, services.label(status)) for status in moves]
        self.fields["naar"].error_messages["invalid_choice"] = _("Choose a state from the list.")


class PlanForm(QuestionForm):
    approaches = forms.MultipleChoiceField(
        label=_("Approach"),
        required=False,
        choices=LearningQuestion.Approach.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Some questions need empirical research; others a literature review or a few "
            "conversations."
        ),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When the answer should be there. Today or later."),
        error_messages={"invalid": _("Enter a date, for example 31-12-2026.")},
    )
    owners = forms.MultipleChoiceField(
        label=_("Owners"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Who researches the question and writes the answer."),
    )
    helpers = forms.MultipleChoiceField(
        label=_("Helpers"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, owner_choices=None, helper_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        if owner_choices is None:
            del self.fields["owners"]
        else:
            self.fields["owners"].choices = owner_choices
        self.fields["helpers"].choices = helper_choices
        for name in ("owners", "helpers", "approaches"):
            if name in self.fields:
                self.fields[name].error_messages["invalid_choice"] = _("Choose from the list.")


class AnswerForm(QuestionForm):
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _(
                "Write the answer first: a learning question is only answered with an answer."
            )
        },
    )
    sources = forms.CharField(
        label=_("Sources and links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: a title, a link, or “title | https://…”."),
    )
    confidence = forms.ChoiceField(
        label=_("How sure is the answer?"),
        choices=LearningQuestion.Confidence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how sure the answer is: low, medium or high.")},
    )


class DuidingForm(QuestionForm):
    duiding = forms.CharField(
        label=_("Duiding: what does the answer mean for the journey?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Write the duiding first: what does the answer mean for the journey?")
        },
    )
    on = forms.DateField(
        label=_("Date of the duiding"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the date of the duiding."),
            "invalid": _("Enter a date, for example 31-12-2026."),
        },
    )
    participants = forms.CharField(
        label=_("Who took part"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The people or groups who discussed the answer."),
    )


class EvidenceForm(QuestionForm):
    working_elements = forms.MultipleChoiceField(
        label=_("Werkzame elementen"), required=False, widget=forms.CheckboxSelectMultiple
    )
    stories = forms.MultipleChoiceField(
        label=_("Stories"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, element_choices=(), story_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_elements"].choices = element_choices
        self.fields["stories"].choices = story_choices
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("Choose from the list.")


class CommentForm(QuestionForm):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write something before you post.")},
        strip=False,
    )


class PositionForm(forms.Form):
    plaats = forms.IntegerField(
        label=_("Place"),
        min_value=1,
        max_value=100_000,
        error_messages={
            "required": _("A place in the order is a whole number from 1."),
            "invalid": _("A place in the order is a whole number from 1."),
            "min_value": _("A place in the order is a whole number from 1."),
            "max_value": _("A place in the order is a whole number from 1."),
        },
    )
