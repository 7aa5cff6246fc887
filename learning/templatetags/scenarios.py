"""Template tags of the scenario pages. The page models are not changed for this:
the templates ask here for what they show besides the page's own fields."""

from __future__ import annotations

from django import template

from journeys.models import Journey
from journeys.queries import visible_to
from learning.chooser import SCENARIO_ORDER

register = template.Library()

JOURNEYS_SHOWN = 10


@register.simple_tag
def scenario_cards(index_page) -> list:
    """The index page's live scenario pages, in Journey.Scenario's order."""
    from learning.models.scenarios import ScenarioPage

    pages = ScenarioPage.objects.child_of(index_page).live()
    return sorted(
        pages,
        key=lambda p: SCENARIO_ORDER.index(p.scenario) if p.scenario in SCENARIO_ORDER else 99,
    )


@register.simple_tag
def scenario_chooser(index_page):
    """The chooser page under the index, if it is live."""
    from learning.models.scenarios import ScenarioChooserPage

    return ScenarioChooserPage.objects.child_of(index_page).live().first()


@register.simple_tag
def journeys_following(scenario_page, user) -> dict:
    """The journeys that follow the page's scenario and that this visitor may see: the
    latest few, and how many there are in all."""
    following = visible_to(user).filter(scenario=scenario_page.scenario)
    return {
        "journeys": list(
            following.order_by("-updated_at", "-pk").only("title", "slug", "challenge", "phase")[
                :JOURNEYS_SHOWN
            ]
        ),
        "count": following.count(),
        "label": Journey.Scenario(scenario_page.scenario).label
        if scenario_page.scenario in SCENARIO_ORDER
        else "",
    }
