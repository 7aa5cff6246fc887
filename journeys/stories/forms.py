"""Forms of the story pages. They take the input; the rules (lengths, consent, who may
add to a journey, media types) are checked by journeys.stories.services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Organisation
from journeys.forms import ModelMultipleChoiceField
from journeys.models import Story, StorySignifier, StorySlider
from journeys.services import RuleViolation
from journeys.stories import services
from journeys.stories.services import MAX_QUOTE, MAX_TITLE, Consent, StoryDetails

# The positions a scale offers: five steps from its left to its right end.
SLIDER_STEPS = [0, 25, 50, 75, 100]


class StoryFormBase(forms.Form):
    """Required fields say so with aria-required rather than the HTML attribute: the
    design system marks an empty `required` box as invalid before anyone has typed."""

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            if f.required and not f.widget.is_hidden:
                f.widget.attrs["aria-required"] = "true"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StoryForm(StoryFormBase):
    told_by = forms.ChoiceField(
        label=_("Whose story is it?"),
        choices=[
            (Story.ToldBy.TELLER, _("My own story")),
            (Story.ToldBy.RECORDED, _("I record it on behalf of someone else, with their consent")),
        ],
        initial=Story.ToldBy.TELLER,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        error_messages={"required": _("Give your story a title.")},
    )
    text = forms.CharField(
        label=_("Your story"),
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=False,
        help_text=_("What happened, what did it mean to you? At most 20,000 characters."),
        error_messages={"required": _("Write your story before you save it.")},
    )
    quote = forms.CharField(
        label=_("A sentence that says it all"),
        max_length=MAX_QUOTE,
        required=False,
        help_text=_("Shown highlighted above the story."),
    )
    perspective = forms.ChoiceField(
        label=_("The teller speaks as"),
        choices=[("", _("Choose…")), *Story.Perspective.choices],
        error_messages={"required": _("Choose the perspective the story is told from.")},
    )
    teller_name = forms.CharField(
        label=_("Name of the teller"),
        max_length=150,
        required=False,
        help_text=_("Only when you record someone else's story. Never shown when anonymous."),
    )
    display = forms.ChoiceField(
        label=_("Show the teller as"),
        choices=Story.Display.choices,
        initial=Story.Display.FIRST_NAME,
        widget=forms.RadioSelect,
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it?"),
        choices=Story.Visibility.choices,
        initial=Story.Visibility.NETWERK,
        widget=forms.RadioSelect,
    )
    journey = forms.ModelChoiceField(
        label=_("Journey"),
        queryset=None,
        required=False,
        empty_label=_("No journey"),
        help_text=_("A journey you are a member of. Its members see the story there."),
    )
    gemeente = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE),
        required=False,
        empty_label=_("No municipality"),
    )
    wijk = forms.CharField(label=_("Neighbourhood"), max_length=100, required=False)
    happened_on = forms.DateField(
        label=_("When did it happen?"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Give a date, for example 2025-03-14.")},
    )
    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        max_length=300,
        help_text=_("Separate themes with commas, for example: eenzaamheid, buurtwerk."),
    )
    signifiers = ModelMultipleChoiceField(
        label=_("What did it mean to you?"),
        queryset=StorySignifier.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at most 8 MB. We remove the place and camera data."),
    )
    image_description = forms.CharField(
        label=_("What does the image show?"),
        max_length=250,
        required=False,
        help_text=_("For people who cannot see the image."),
    )
    audio = forms.FileField(
        label=_("Audio"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "audio/mpeg"}),
        help_text=_("An MP3 file, at most 20 MB."),
    )
    consent_given_on = forms.DateField(
        label=_("Date the teller gave consent"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Give a date, for example 2025-03-14.")},
    )
    consent_method = forms.ChoiceField(
        label=_("How the teller gave consent"),
        choices=[("", _("Choose…")), *Story.ConsentMethod.choices],
        required=False,
    )
    consent_visibility = forms.ChoiceField(
        label=_("Widest visibility the teller agreed to"),
        choices=[("", _("Choose…")), *Story.Visibility.choices],
        required=False,
    )
    consent_note = forms.CharField(label=_("Note on the consent"), max_length=250, required=False)

    CONSENT_FIELDS = ("consent_given_on", "consent_method", "consent_visibility", "consent_note")

    def __init__(self, *args, journeys=None, story: Story | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.story = story
        self.sliders = list(StorySlider.objects.filter(is_active=True))
        for slider in self.sliders:
            self.fields[f"slider_{slider.pk}"] = forms.TypedChoiceField(
                label=slider.question,
                choices=[
                    ("", _("Not set")),
                    *((step, self._step_label(slider, step)) for step in SLIDER_STEPS),
                ],
                coerce=int,
                empty_value=None,
                required=False,
            )
        if story is not None:
            # The journey and who told it stay as they were told.
            del self.fields["journey"]
            del self.fields["told_by"]
            if not story.is_recorded:
                del self.fields["teller_name"]
                for name in self.CONSENT_FIELDS:
                    del self.fields[name]
            if story.image:
                self.fields["remove_image"] = forms.BooleanField(
                    label=_("Remove the image"), required=False
                )
            if story.audio:
                self.fields["remove_audio"] = forms.BooleanField(
                    label=_("Remove the audio"), required=False
                )
        else:
            self.fields["journey"].queryset = journeys

    @staticmethod
    def _step_label(slider: StorySlider, step: int) -> str:
        if step == 0:
            return f"1: {slider.left_label}"
        if step == 100:
            return f"5: {slider.right_label}"
        return str(SLIDER_STEPS.index(step) + 1)

    @property
    def is_recorded(self) -> bool:
        if self.story is not None:
            return self.story.is_recorded
        return self.cleaned_data.get("told_by") == Story.ToldBy.RECORDED

    def clean_text(self):
        try:
            return services.check_text(self.cleaned_data["text"])
        except RuleViolation as refused:
            raise forms.ValidationError(str(refused)) from None

    def clean_consent_given_on(self):
        value = self.cleaned_data.get("consent_given_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of consent cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        if self.story is None and self.is_recorded:
            for name in ("consent_given_on", "consent_method", "consent_visibility"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("A recorded story needs the teller's consent."))
        return data

    def details(self) -> StoryDetails:
        data = self.cleaned_data
        themes = [t.strip() for t in (data.get("themes") or "").split(",") if t.strip()]
        return StoryDetails(
            title=data["title"],
            text=data["text"],
            perspective=data["perspective"],
            display=data["display"],
            visibility=data["visibility"],
            quote=data.get("quote", ""),
            teller_name=data.get("teller_name", "") if self.is_recorded else "",
            journey=data.get("journey"),
            gemeente=data.get("gemeente"),
            wijk=data.get("wijk", ""),
            happened_on=data.get("happened_on"),
            themes=themes,
            signifiers=list(data.get("signifiers") or []),
            sliders={
                slider.pk: data[f"slider_{slider.pk}"]
                for slider in self.sliders
                if data.get(f"slider_{slider.pk}") is not None
            },
            image=data.get("image") or None,
            image_description=data.get("image_description", ""),
            audio=data.get("audio") or None,
        )

    def consent(self) -> Consent | None:
        if not self.is_recorded or "consent_method" not in self.fields:
            return None
        data = self.cleaned_data
        return Consent(
            given_on=data.get("consent_given_on"),
            method=data.get("consent_method") or "",
            visibility=data.get("consent_visibility") or "",
            note=data.get("consent_note", ""),
        )

    @classmethod
    def initial_for(cls, story: Story) -> dict:
        initial = {
            "title": story.title,
            "text": story.text,
            "quote": story.quote,
            "perspective": story.perspective,
            "teller_name": story.teller_name,
            "display": story.display,
            "visibility": story.visibility,
            "gemeente": story.gemeente_id,
            "wijk": story.wijk,
            "happened_on": story.happened_on,
            "themes": ", ".join(sorted(t.name for t in story.themes.all())),
            "signifiers": [s.pk for s in story.signifiers.all()],
            "image_description": story.image_description,
            "consent_given_on": story.consent_given_on,
            "consent_method": story.consent_method,
            "consent_visibility": story.consent_visibility,
            "consent_note": story.consent_note,
        }
        for value in story.slider_values.all():
            initial[f"slider_{value.slider_id}"] = min(
                SLIDER_STEPS, key=lambda step: abs(step - value.value)
            )
        return initial


class WithdrawalCodeForm(StoryFormBase):
    code = forms.CharField(
        label=_("Withdrawal code"),
        max_length=40,
        help_text=_(
            "The code you were given when your story was recorded, such as ABCD-EFGH-JKMN-PQRS."
        ),
        error_messages={"required": _("Fill in your withdrawal code.")},
    )
