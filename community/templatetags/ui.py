"""Render Django form widgets with the NL Design System (Utrecht) classes.

Only our templates call this, so Wagtail's admin forms keep their own look.
"""

from django import forms, template

register = template.Library()

_TEXT_INPUTS = {"text", "email", "password", "url", "number", "tel", "search", "date", "time"}


def _widget_class(widget: forms.Widget, invalid: bool) -> str:
    if isinstance(widget, forms.CheckboxInput):
        classes = ["utrecht-checkbox", "utrecht-checkbox--html-input"]
        suffix = "utrecht-checkbox--invalid"
    elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return ""
    elif isinstance(widget, forms.Select):
        classes = ["utrecht-select", "utrecht-select--html-select"]
        suffix = "utrecht-select--invalid"
    elif isinstance(widget, forms.Textarea):
        classes = ["utrecht-textarea", "utrecht-textarea--html-textarea"]
        suffix = "utrecht-textarea--invalid"
    elif getattr(widget, "input_type", None) in _TEXT_INPUTS or isinstance(
        widget, forms.widgets.DateTimeBaseInput
    ):
        classes = ["utrecht-textbox", "utrecht-textbox--html-input"]
        suffix = "utrecht-textbox--invalid"
    else:
        return ""
    if invalid:
        classes.append(suffix)
    return " ".join(classes)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_group(bound_field) -> bool:
    """Radio buttons and checkbox lists: a fieldset with a legend, not one label."""
    return isinstance(bound_field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.simple_tag
def ui_widget(bound_field):
    widget = bound_field.field.widget
    # The label says what to fill in; a placeholder repeating it only adds noise and
    # disappears while typing (NL Design System advice). Each form has its own widget copy.
    widget.attrs.pop("placeholder", None)
    attrs = {}
    css = _widget_class(widget, bool(bound_field.errors))
    if css:
        attrs["class"] = " ".join(filter(None, [widget.attrs.get("class", ""), css]))
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)
