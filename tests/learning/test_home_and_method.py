"""The home page and the method page: what editors pick, and live figures and journeys
counted over what the visitor may see."""

from __future__ import annotations

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from community.services import register_member
from journeys import services
from journeys.models import Journey
from learning.models import (
    CourseIndexPage,
    CoursePage,
    HomePage,
    KnowledgeIndexPage,
    MethodPage,
    ScenarioIndexPage,
    WorkingElementPage,
)
from tests.journeys.conftest import fill_and_approve


@pytest.fixture
def journeys(make_journey, reisbegeleider):
    public = make_journey("Samen minder eenzaam", visibility=Journey.Visibility.OPENBAAR)
    fill_and_approve(public)
    services.move_phase(reisbegeleider, public, to_phase=Journey.Phase.VERKENNEN)
    closed = make_journey("Geheim traject", visibility=Journey.Visibility.BESLOTEN)
    network = make_journey("Armoede aanpakken", visibility=Journey.Visibility.NETWERK)
    return {"public": public, "closed": closed, "network": network}


@pytest.mark.django_db
def test_home_figures_count_only_journeys_the_visitor_may_see(client, journeys, reisbegeleider):
    anonymous = client.get("/").context["figures"]
    client.force_login(reisbegeleider)
    member = client.get("/").context["figures"]

    assert anonymous == {"journeys": 1, "exploring": 1}
    assert member == {"journeys": 3, "exploring": 1}


@pytest.mark.django_db
def test_home_shows_the_featured_pages_editors_picked_and_skips_unpublished_ones(client):
    home = HomePage.objects.get()
    kennisbank = home.add_child(instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank"))
    shown = kennisbank.add_child(
        instance=WorkingElementPage(
            title="Buurtkamer",
            slug="buurtkamer",
            summary="Een open huiskamer.",
            mechanism="<p>x</p>",
        )
    )
    courses = home.add_child(instance=CourseIndexPage(title="Leren", slug="leren"))
    draft = courses.add_child(
        instance=CoursePage(title="Nog niet af", slug="concept", summary="x", live=False)
    )
    home.featured = [("working_element", shown), ("course", draft)]
    home.save_revision().publish()

    html = client.get("/").content.decode()

    assert "Buurtkamer" in html and "Een open huiskamer." in html
    assert "Nog niet af" not in html


@pytest.mark.django_db
def test_the_method_page_lists_journeys_per_phase_for_this_visitor(
    client, journeys, reisbegeleider
):
    home = HomePage.objects.get()
    method = home.add_child(
        instance=MethodPage(
            title="De methode", slug="methode", verkennen="<p>Samen op onderzoek.</p>"
        )
    )

    anonymous = {
        p.phase: [j.title for j in p.journeys] for p in client.get(method.url).context["phases"]
    }
    client.force_login(reisbegeleider)
    page = client.get(method.url)
    member = {p.phase: (p.count, [j.title for j in p.journeys]) for p in page.context["phases"]}

    assert anonymous == {
        "reiswens": [],
        "verkennen": ["Samen minder eenzaam"],
        "inrichten": [],
        "doen_en_leren": [],
    }
    assert member["reiswens"] == (2, ["Armoede aanpakken", "Geheim traject"])
    assert member["verkennen"] == (1, ["Samen minder eenzaam"])
    assert "Samen op onderzoek." in page.content.decode()


class TestHomeAndMethodInTheAdmin(WagtailPageTestCase):
    def setUp(self):
        admin = register_member(
            None,
            email="beheer@example.org",
            password="Proef-wachtwoord-2026",
            is_administrator=True,
            email_verified=True,
        )
        self.client.force_login(admin)
        self.home = HomePage.objects.get()

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(MethodPage, {HomePage})
        self.assertAllowedSubpageTypes(MethodPage, {})
        self.assertAllowedSubpageTypes(
            HomePage,
            {MethodPage, KnowledgeIndexPage, ScenarioIndexPage, CourseIndexPage},
        )

    def test_editors_create_the_method_page(self):
        self.assertCanCreate(
            self.home,
            MethodPage,
            nested_form_data(
                {
                    "title": "De methode",
                    "slug": "methode",
                    "intro": rich_text("<p>Vier fasen.</p>"),
                    "reiswens": rich_text("<p>Een wens wordt een opdracht.</p>"),
                    "verkennen": rich_text("<p>Samen kijken.</p>"),
                    "inrichten": rich_text("<p>Kiezen.</p>"),
                    "doen_en_leren": rich_text("<p>Doen.</p>"),
                    "body": streamfield([]),
                }
            ),
        )
        self.assertPageIsRenderable(MethodPage.objects.get(slug="methode"))

    def test_the_home_page_renders_and_there_is_only_one(self):
        self.assertPageIsRenderable(self.home)
        self.assertEqual(HomePage.max_count, 1)
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
