"""The archive's facet choices, built here rather than by an include per choice: a facet
at scale lists hundreds of journeys or gemeenten, and a template include per item cost
the archive most of its rendering time (docs/performance.md)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def facet_choices(choices):
    """Each choice as a list item with a link, its count and (for screen readers) what
    the count counts."""
    items = []
    for choice in choices:
        current = ' aria-current="true"' if choice.selected else ""
        counted = escape(ngettext("story", "stories", choice.count))
        items.append(
            f'<li><a class="utrecht-link" href="{escape(choice.url)}"{current}>'
            f'{escape(choice.label)} <span class="stories-facet__count">({choice.count}'
            f'<span class="platform-visually-hidden"> {counted}</span>)</span></a></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 (every value above is escaped)


@register.simple_tag
def facet_options(choices):
    """Each choice as an option of a list box (facets with too many choices for links)."""
    items = []
    for choice in choices:
        selected = " selected" if choice.selected else ""
        items.append(
            f'<option value="{escape(choice.value)}"{selected}>'
            f"{escape(choice.label)} ({choice.count})</option>"
        )
    return mark_safe("".join(items))  # noqa: S308 (every value above is escaped)
