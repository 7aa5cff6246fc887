"""Forms of the event pages. They take the input; the rules (end after start, a full
https link, places not below those registered, the deadline) are checked by
community.services.events, whose refusals the views show as form errors.

Times are typed as local time in Europe/Amsterdam (datetime-local inputs), whatever
time zone the browser or the server runs in."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Event, EventSeries, Registration
from community.services.events import AMSTERDAM, EventDetails

INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


class AmsterdamDateTimeField(forms.DateTimeField):
    """A datetime-local input read as Amsterdam time and shown back in it."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {"invalid": _("Give a date and time, for example 2026-10-15 19:30.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=AMSTERDAM)
        for fmt in INPUT_FORMATS:
            try:
                naive = datetime.strptime(str(value).strip(), fmt)
            except ValueError:
                continue
            return naive.replace(tzinfo=AMSTERDAM)
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value):
        if isinstance(value, datetime) and value.tzinfo:
            return value.astimezone(AMSTERDAM).replace(tzinfo=None)
        return value


class EventsForm(forms.Form):
    """Required fields say so with aria-required (as the forum's forms do)."""

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required and not field.widget.is_hidden:
                field.widget.attrs["aria-required"] = "true"


class EventForm(EventsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    starts_at = AmsterdamDateTimeField(
        label=_("Starts"), help_text=_("Date and time in Europe/Amsterdam.")
    )
    ends_at = AmsterdamDateTimeField(
        label=_("Ends"), help_text=_("Date and time in Europe/Amsterdam.")
    )
    form = forms.ChoiceField(label=_("Form"), choices=Event.Form.choices, widget=forms.RadioSelect)
    address = forms.CharField(
        label=_("Address"),
        max_length=250,
        required=False,
        help_text=_("Where people meet (in person or hybrid)."),
    )
    online_url = forms.CharField(
        label=_("Online meeting link"),
        max_length=500,
        required=False,
        help_text=_(
            "A full https:// address (online or hybrid). Only organisers and those "
            "registered see it."
        ),
    )
    capacity = forms.IntegerField(
        label=_("Places"), required=False, help_text=_("Empty: no limit.")
    )
    registration_deadline = AmsterdamDateTimeField(
        label=_("Register until"),
        required=False,
        help_text=_("Date and time in Europe/Amsterdam. Empty: until the start."),
    )

    programme = forms.CharField(
        label=_("Programme"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One item per line. Add the minutes after a bar if you like, for example: "
            "Welcome and introductions | 15"
        ),
    )

    def clean_programme(self) -> list[tuple[str, int | None]]:
        items = []
        for line in self.cleaned_data.get("programme", "").splitlines():
            title, _bar, minutes = line.partition("|")
            title = " ".join(title.split())
            if not title:
                continue
            minutes = minutes.strip()
            if minutes and (not minutes.isdigit() or not 1 <= int(minutes) <= 600):
                raise forms.ValidationError(
                    _("Write the minutes as a whole number after the bar, for example: | 20")
                )
            if len(title) > 200:
                raise forms.ValidationError(_("Keep each item under 200 characters."))
            items.append((title, int(minutes) if minutes else None))
        if len(items) > 30:
            raise forms.ValidationError(_("A programme has at most 30 items."))
        return items

    def details(self) -> EventDetails:
        data = self.cleaned_data
        return EventDetails(
            title=data["title"],
            description=data["description"].strip(),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            form=data["form"],
            address=data["address"].strip(),
            online_url=data["online_url"].strip(),
            capacity=data["capacity"],
            registration_deadline=data["registration_deadline"],
        )

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        programme = "\n".join(
            f"{item.title} | {item.minutes}" if item.minutes else item.title
            for item in event.agenda_items.all()
        )
        return {
            "programme": programme,
            "title": event.title,
            "description": event.description,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "form": event.form,
            "address": event.address,
            "online_url": event.online_url,
            "capacity": event.capacity,
            "registration_deadline": event.registration_deadline,
        }


NO_REPEAT = ""


class NewEventForm(EventForm):
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        required=False,
        choices=[(NO_REPEAT, _("Once")), *EventSeries.Frequency.choices],
    )
    repeat_count = forms.IntegerField(
        label=_("Number of meetings"),
        required=False,
        help_text=_("For a series: between 2 and 52 meetings, each with its own registrations."),
    )

    def clean(self):
        data = super().clean()
        if data.get("repeat") and data.get("repeat_count") is None:
            self.add_error("repeat_count", _("Say how many meetings the series has."))
        return data


class RegistrationForm(EventsForm):
    status = forms.ChoiceField(
        label=_("Will you come?"),
        choices=[
            (Registration.Status.AANWEZIG, _("Attending")),
            (Registration.Status.MISSCHIEN, _("Maybe")),
            (Registration.Status.AFWEZIG, _("Not attending")),
        ],
        widget=forms.RadioSelect,
    )


class ReportForm(EventsForm):
    report = forms.CharField(label=_("Verslag"), required=False, widget=forms.Textarea)
    attendance = forms.IntegerField(
        label=_("Attendance"), required=False, help_text=_("How many people came.")
    )


class JourneyFilterForm(forms.Form):
    reis = forms.ChoiceField(label=_("Journey"), required=False)

    def __init__(self, *args, journeys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reis"].choices = [("", _("All journeys"))] + [
            (j.slug, j.title) for j in journeys
        ]
