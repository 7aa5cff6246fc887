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


def _section(key: str) -> Callable[[], str | None]:
    """An editorial section's address (a Wagtail page, wherever editors put it)."""

    def url() -> str | None:
        from learning.navigation import section_url

        return section_url(key)

    return url


MAIN_NAVIGATION = [
    NavEntry(_("Journeys"), "journeys:index"),
    NavEntry(_("Knowledge base"), _section("knowledge")),
    NavEntry(_("Scenarios"), _section("scenarios")),
    NavEntry(_("Courses"), _section("courses")),
    NavEntry(_("Stories"), "stories:index"),
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
