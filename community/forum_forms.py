"""Forms of the forum pages. They take the input; the rules (lengths, attachment types,
rate limits, who may post) are checked by community.services.forum."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import ForumCategory
from community.services.forum import MAX_TITLE

ACCEPTED_FILES = ".pdf,.png,.jpg,.jpeg,.webp,.docx,.xlsx,.pptx,.odt"

MARKDOWN_HELP = _(
    "You can use Markdown: **bold**, *italic*, [link text](https://example.org), "
    "a line starting with - for a list, > for a quote, and @name to mention someone."
)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django docs: 'Uploading multiple files')."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_FILES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_file_clean(item, initial) for item in data if item]
        return [single_file_clean(data, initial)] if data else []


class ForumForm(forms.Form):
    """Required fields say so with aria-required rather than the HTML attribute: the
    design system marks an empty `required` box as invalid before anyone has typed."""

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required and not field.widget.is_hidden:
                field.widget.attrs["aria-required"] = "true"


def _attachments_field():
    return MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "At most 5 files: PDF, images (PNG, JPEG, WebP) or office documents "
            "(Word, Excel, PowerPoint, OpenDocument)."
        ),
    )


def _body_field(label):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
        # Empty text gets the same message as the service gives.
        error_messages={"required": _("Write something before you post.")},
        strip=False,
    )


class ThreadForm(ForumForm):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ForumCategory.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose a category.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE,
        error_messages={"required": _("Give the thread a title.")},
    )
    body = _body_field(_("Text"))
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Separate tags with commas, for example: eenzaamheid, buurtwerk."),
    )
    attachments = _attachments_field()

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is None:
            del self.fields["category"]
        else:
            self.fields["category"].queryset = categories

    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data.get("tags", "").split(",") if tag.strip()]


class ReplyForm(ForumForm):
    body = _body_field(_("Your reply"))
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    attachments = _attachments_field()


class EditPostForm(ForumForm):
    body = _body_field(_("Text"))
