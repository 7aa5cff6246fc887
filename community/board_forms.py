"""Forms of the board pages. They take the input; the rules (lengths, image type and size,
who may post, the board's state and anonymity) are checked by community.services.boards,
whose refusals the views show as form errors with status 400.

The add-card, comment and facilitation forms are written out in the board's templates
(one per cell or card, each with its own ids); these forms only read what they post."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Board, Card, CardReaction, Event
from community.services.boards import MAX_TITLE, TEMPLATES, BoardDetails
from journeys.models import Journey

OWN_LAYOUT = "eigen"
IMAGE_TYPES = "image/png,image/jpeg,image/webp,image/gif"


class BoardsForm(forms.Form):
    """Required fields say so with aria-required rather than the HTML attribute (as the
    forum's and the agenda's forms do)."""

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required and not field.widget.is_hidden:
                field.widget.attrs["aria-required"] = "true"


class MeetingField(forms.ModelChoiceField):
    def label_from_instance(self, event: Event) -> str:
        start = timezone.localtime(event.starts_at)
        return f"{event.title} ({start:%d-%m-%Y})"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class BoardSettingsForm(BoardsForm):
    """What the facilitator may change once the board exists (not its columns and rows)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        error_messages={"required": _("Give the board a title.")},
    )
    instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What participants write about, shown above the board."),
    )
    anonymity = forms.ChoiceField(
        label=_("Names on cards"),
        choices=Board.Anonymity.choices,
        initial=Board.Anonymity.CHOICE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how names are shown on cards.")},
    )
    requires_approval = forms.BooleanField(
        label=_("Cards need my approval before others see them"), required=False
    )
    event = MeetingField(
        label=_("Meeting"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("No meeting"),
        help_text=_("The board is linked from the meeting's page."),
    )

    def __init__(self, *args, journey: Journey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(journey=journey).order_by(
            "-starts_at", "-pk"
        )

    def details(self) -> BoardDetails:
        data = self.cleaned_data
        return BoardDetails(
            title=data["title"],
            instructions=data["instructions"],
            anonymity=data["anonymity"],
            requires_approval=data["requires_approval"],
            event=data["event"],
        )

    @staticmethod
    def initial_for(board: Board) -> dict:
        return {
            "title": board.title,
            "instructions": board.instructions,
            "anonymity": board.anonymity,
            "requires_approval": board.requires_approval,
            "event": board.event_id,
        }


class NewBoardForm(BoardSettingsForm):
    template = forms.ChoiceField(
        label=_("Start from"),
        choices=[(key, template.label) for key, template in TEMPLATES.items()]
        + [(OWN_LAYOUT, _("Own columns and rows"))],
        initial="perspectieven",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the templates.")},
    )
    columns = forms.CharField(
        label=_("Columns"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line, for example the perspectives. Leave empty to use the template's."
        ),
    )
    rows = forms.CharField(
        label=_("Rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line, for example the questions. Leave empty for a board with columns only."
        ),
    )

    field_order = [
        "title",
        "instructions",
        "template",
        "columns",
        "rows",
        "anonymity",
        "requires_approval",
        "event",
    ]

    def details(self) -> BoardDetails:
        details = super().details()
        details.columns = _lines(self.cleaned_data["columns"])
        details.rows = _lines(self.cleaned_data["rows"])
        return details

    def chosen_template(self) -> str | None:
        chosen = self.cleaned_data["template"]
        return None if chosen == OWN_LAYOUT else chosen


class CardForm(forms.Form):
    """A new card, posted from a cell's form (or the fetch() that replaces its submit)."""

    body = forms.CharField(
        strip=False,
        required=False,  # the service says what is wrong with an empty card
    )
    column = forms.IntegerField(required=False)
    row = forms.IntegerField(required=False)
    anonymous = forms.BooleanField(required=False)
    link = forms.CharField(required=False, max_length=2000)
    image = forms.FileField(required=False)
    image_alt = forms.CharField(required=False, max_length=1000)

    def kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "body": data["body"],
            "column_id": data["column"],
            "row_id": data["row"],
            "anonymous": data["anonymous"],
            "link": data["link"],
            "image": data["image"] or None,
            "image_alt": data["image_alt"],
        }


class CardEditForm(BoardsForm):
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
        error_messages={"required": _("Write something on the card.")},
    )
    link = forms.CharField(
        label=_("Link"),
        required=False,
        max_length=2000,
        help_text=_("A web address starting with https://."),
        widget=forms.URLInput,
    )


class CommentForm(forms.Form):
    body = forms.CharField(strip=False, required=False)
    anonymous = forms.BooleanField(required=False)


class MoveForm(forms.Form):
    """cell: '<column id>:<row id>' (row empty on a board without rows); position: 1 is the
    top of the cell."""

    cell = forms.CharField(max_length=40)
    position = forms.IntegerField(required=False, min_value=1, max_value=100_000)

    def clean_cell(self) -> tuple[int, int | None]:
        column, _sep, row = self.cleaned_data["cell"].partition(":")
        try:
            return int(column), int(row) if row else None
        except ValueError:
            raise forms.ValidationError(_("Choose a cell on this board.")) from None


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=CardReaction.Kind.choices)


class CardStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(Card.Status.VISIBLE, ""), (Card.Status.HIDDEN, "")])


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=Board.State.choices)


class ThreadTitleForm(forms.Form):
    title = forms.CharField(required=False, max_length=MAX_TITLE)
