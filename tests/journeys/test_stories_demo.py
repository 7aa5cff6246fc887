"""The demo stories (`manage.py seed_stories`, called by seed_demo): at least 40, across
perspectives, journeys, signifiers and years, through the services, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from journeys.demo import LONELINESS_SLUG, NEIGHBOURHOOD_SLUG, POVERTY_SLUG, seed_journeys
from journeys.models import Journey, Story, StorySignifier
from journeys.stories.queries import visible_stories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(personas):
    seed_journeys()
    out = StringIO()
    call_command("seed_stories", stdout=out)
    return out.getvalue()


def test_the_demo_tells_at_least_40_stories_of_every_kind(seeded):
    stories = Story.objects.filter(withdrawn_at__isnull=True)
    assert stories.count() >= 40
    assert set(stories.values_list("perspective", flat=True)) == set(Story.Perspective.values)
    assert set(stories.values_list("visibility", flat=True)) == set(Story.Visibility.values)
    slugs = set(stories.exclude(journey=None).values_list("journey__slug", flat=True))
    assert slugs == {LONELINESS_SLUG, POVERTY_SLUG, NEIGHBOURHOOD_SLUG}
    assert stories.filter(journey=None).exists()
    used = set(stories.values_list("signifiers__slug", flat=True))
    assert set(StorySignifier.objects.values_list("slug", flat=True)) <= used
    assert len(set(stories.values_list("year", flat=True))) >= 3
    assert stories.filter(slider_values__isnull=False).count() >= 20
    assert "Demo stories ready" in seeded


def test_recorded_demo_stories_carry_consent_within_what_was_agreed(seeded):
    from journeys.stories.services import wider_than

    recorded = Story.objects.filter(told_by=Story.ToldBy.RECORDED)
    assert recorded.count() >= 15
    for story in recorded:
        assert story.consent_given_on and story.consent_method and story.withdrawal_code_hash
        assert not wider_than(story.visibility, story.consent_visibility)
    assert Story.objects.filter(display=Story.Display.ANONYMOUS, shown_name="").count() >= 8


def test_a_closed_journeys_demo_stories_stay_inside_it(seeded, trainer, inwoner):
    closed = Journey.objects.get(slug=NEIGHBOURHOOD_SLUG)
    assert Story.objects.filter(journey=closed).count() >= 5
    assert not visible_stories(trainer).filter(journey=closed).exists()
    assert visible_stories(inwoner).filter(journey=closed).exists()


def test_seeding_twice_changes_nothing(seeded):
    before = Story.objects.count()
    call_command("seed_stories", stdout=StringIO())
    assert Story.objects.count() == before


def test_the_demo_archive_opens(client, seeded, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(20):
        response = client.get("/verhalen/")
    assert response.status_code == 200
    assert response.context["total"] >= 10
