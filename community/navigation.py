"""The header's main navigation. An entry shows once its feature exists: once its URL
name resolves, or its resolver returns an address."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    target: str | Callable[[], str | None]  # a URL name, or a function giving the address

    def url(self) -> str | None:
        if callable(self.target):
            return self.target()
        try:
            return reverse(self.target)
        except NoReverseMatch:
            return None


MAIN_NAVIGATION = [
    NavEntry(_("Journeys"), "journeys:index"),
    NavEntry(_("Knowledge base"), "learning:knowledge_index"),
    NavEntry(_("Stories"), "journeys:story_index"),
    NavEntry(_("Learning questions"), "learning:question_index"),
    NavEntry(_("Agenda"), "community:agenda"),
    NavEntry(_("Plein"), "community:plein"),
    NavEntry(_("Search"), "learning:search"),
]


def main_navigation(current_path: str) -> list[dict]:
    items = []
    for entry in MAIN_NAVIGATION:
        url = entry.url()
        if url is None:
            continue
        items.append(
            {
                "label": entry.label,
                "url": url,
                "current": current_path.startswith(url) and url != "/",
            }
        )
    return items
