"""The kennisbank at /kennisbank/: werkzame elementen found by filter and search, listed
without drafts or private pages, and each shown with every part."""

from __future__ import annotations

import itertools
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from community.services import register_member
from learning.models import EvidenceLevel, HomePage, KnowledgeIndexPage, WorkingElementPage

pytestmark = pytest.mark.django_db
URL = "/kennisbank/"


@pytest.fixture
def kennisbank() -> KnowledgeIndexPage:
    home = HomePage.objects.get()
    index = home.add_child(
        instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank", live=False)
    )
    index.save_revision().publish()
    return index


def add_element(
    index: KnowledgeIndexPage,
    title: str,
    *,
    summary: str = "Een werkzaam element.",
    mechanism: str = "Mensen voelen zich gezien.",
    level: str = EvidenceLevel.NOT_ASSESSED,
    themes=(),
    challenges=(),
    target_groups=(),
    publish: bool = True,
    **fields,
) -> WorkingElementPage:
    element = index.add_child(
        instance=WorkingElementPage(
            title=title,
            summary=summary,
            mechanism=f"<p>{mechanism}</p>",
            evidence_level=level,
            live=False,
            **fields,
        )
    )
    element.themes.add(*themes)
    element.challenges.add(*challenges)
    element.target_groups.add(*target_groups)
    revision = element.save_revision()
    if publish:
        revision.publish()
    return WorkingElementPage.objects.get(pk=element.pk)


def listed_titles(response) -> list[str]:
    return [element.title for element in response.context["elements"]]


def test_tags_survive_publishing(kennisbank):
    element = add_element(
        kennisbank,
        "Huisbezoek",
        themes=["eenzaamheid"],
        challenges=["armoede"],
        target_groups=["ouderen"],
    )
    assert element.live
    assert list(element.themes.names()) == ["eenzaamheid"]
    assert list(element.challenges.names()) == ["armoede"]
    assert list(element.target_groups.names()) == ["ouderen"]


def test_index_filters_by_theme_opgave_doelgroep_and_evidence_level(client, kennisbank):
    add_element(
        kennisbank,
        "Huisbezoek",
        themes=["eenzaamheid"],
        challenges=["sociale samenhang"],
        target_groups=["ouderen"],
        level=EvidenceLevel.WELL_FOUNDED,
    )
    add_element(
        kennisbank,
        "Buurtkamer",
        themes=["eenzaamheid"],
        challenges=["sociale samenhang"],
        target_groups=["jongeren"],
        level=EvidenceLevel.WELL_DESCRIBED,
    )
    add_element(
        kennisbank,
        "Schuldhulp aan huis",
        themes=["armoede"],
        challenges=["bestaanszekerheid"],
        target_groups=["ouderen"],
        level=EvidenceLevel.WELL_FOUNDED,
    )

    assert listed_titles(client.get(URL)) == ["Buurtkamer", "Huisbezoek", "Schuldhulp aan huis"]
    assert listed_titles(client.get(URL, {"thema": "eenzaamheid"})) == ["Buurtkamer", "Huisbezoek"]
    assert listed_titles(client.get(URL, {"opgave": "bestaanszekerheid"})) == [
        "Schuldhulp aan huis"
    ]
    assert listed_titles(client.get(URL, {"doelgroep": "ouderen"})) == [
        "Huisbezoek",
        "Schuldhulp aan huis",
    ]
    assert listed_titles(client.get(URL, {"niveau": "goed_onderbouwd"})) == [
        "Huisbezoek",
        "Schuldhulp aan huis",
    ]
    combined = client.get(URL, {"thema": "eenzaamheid", "doelgroep": "ouderen"})
    assert listed_titles(combined) == ["Huisbezoek"]

    # The options are the tags in use, and the chosen one stays selected in the form.
    html = combined.content.decode()
    assert 'role="search"' in html and "aria-label=" in html
    assert '<option value="eenzaamheid" selected>eenzaamheid</option>' in html
    assert '<option value="bestaanszekerheid">bestaanszekerheid</option>' in html
    assert '<label class="utrecht-form-label" for="id_thema">' in html


def test_tag_options_come_only_from_listed_elements(client, kennisbank):
    add_element(kennisbank, "Huisbezoek", themes=["eenzaamheid"])
    add_element(kennisbank, "Concept", themes=["geheim-thema"], publish=False)
    form = client.get(URL).context["form"]
    assert [value for value, _label in form.fields["thema"].choices] == ["", "eenzaamheid"]


def test_search_finds_words_in_the_mechanism(client, kennisbank):
    add_element(kennisbank, "Huisbezoek", mechanism="Een vaste vrijwilliger bouwt vertrouwen op.")
    add_element(kennisbank, "Buurtkamer", mechanism="Ontmoeting zonder drempel.")

    response = client.get(URL, {"q": "vertrouwen"})

    assert listed_titles(response) == ["Huisbezoek"]
    assert not response.context["search_failed"]


def test_search_combines_with_the_filters(client, kennisbank):
    add_element(kennisbank, "Huisbezoek", mechanism="Vertrouwen groeit.", themes=["eenzaamheid"])
    add_element(kennisbank, "Schuldhulp", mechanism="Vertrouwen groeit ook.", themes=["armoede"])

    response = client.get(URL, {"q": "vertrouwen", "thema": "armoede"})

    assert listed_titles(response) == ["Schuldhulp"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Dutch stemming needs PostgreSQL full-text search"
)
def test_search_on_postgresql_stems_dutch_wijken_finds_wijk(client, kennisbank):
    add_element(kennisbank, "Buurtkamer", mechanism="Bewoners ontmoeten elkaar in de wijk.")
    add_element(kennisbank, "Huisbezoek", mechanism="Een vrijwilliger komt thuis langs.")

    assert listed_titles(client.get(URL, {"q": "wijken"})) == ["Buurtkamer"]


def test_search_falls_back_to_the_database_and_says_so(client, kennisbank, monkeypatch):
    add_element(kennisbank, "Huisbezoek", mechanism="Een vaste vrijwilliger bouwt vertrouwen op.")
    add_element(kennisbank, "Buurtkamer", mechanism="Ontmoeting zonder drempel.")

    class Unreachable:
        """Stands in for a Meilisearch server that does not answer."""

        def search(self, *args, **kwargs):
            raise ConnectionError("search engine unreachable")

    monkeypatch.setattr("community.search.get_search_backend", lambda *args: Unreachable())

    response = client.get(URL, {"q": "vertrouwen"})

    assert response.status_code == 200
    assert response.context["search_failed"]
    assert listed_titles(response) == ["Huisbezoek"]
    assert 'class="utrecht-alert utrecht-alert--warning" role="status"' in response.content.decode()


def test_index_paginates_and_keeps_the_filters_in_the_page_links(client, kennisbank):
    for number in range(14):
        add_element(kennisbank, f"Element {number:02}", themes=["eenzaamheid"])
    add_element(kennisbank, "Zonder thema")

    first = client.get(URL, {"thema": "eenzaamheid"})
    assert len(listed_titles(first)) == 12
    assert first.context["page_of_elements"].paginator.count == 14
    html = first.content.decode()
    assert 'href="?thema=eenzaamheid&amp;pagina=2"' in html
    assert "Zonder thema" not in html

    second = client.get(URL, {"thema": "eenzaamheid", "pagina": "2"})
    assert listed_titles(second) == ["Element 12", "Element 13"]
    assert 'href="?thema=eenzaamheid&amp;pagina=1"' in second.content.decode()


def test_draft_and_private_elements_are_not_listed(client, kennisbank):
    add_element(kennisbank, "Gepubliceerd", mechanism="Vertrouwen.")
    add_element(kennisbank, "Concept", mechanism="Vertrouwen.", publish=False)
    private = add_element(kennisbank, "Besloten", mechanism="Vertrouwen.")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    assert listed_titles(client.get(URL)) == ["Gepubliceerd"]
    assert listed_titles(client.get(URL, {"q": "vertrouwen"})) == ["Gepubliceerd"]


def test_unknown_filter_value_gives_a_clear_message_and_no_error(client, kennisbank):
    add_element(kennisbank, "Huisbezoek", level=EvidenceLevel.WELL_FOUNDED)

    response = client.get(URL, {"niveau": "bestaat-niet", "thema": "ook-niet"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "bestaat-niet" in html and "ook-niet" in html  # named in the field errors
    assert 'class="utrecht-alert utrecht-alert--error" role="alert"' in html
    assert set(response.context["form"].errors) == {"niveau", "thema"}
    assert listed_titles(response) == ["Huisbezoek"]


def test_a_page_number_out_of_range_shows_the_last_page(client, kennisbank):
    add_element(kennisbank, "Huisbezoek")
    response = client.get(URL, {"pagina": "99"})
    assert response.status_code == 200
    assert listed_titles(response) == ["Huisbezoek"]


def test_index_query_count_does_not_grow_with_elements(client, kennisbank):
    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            add_element(
                kennisbank,
                f"Element {number:02}",
                themes=[f"thema {number % 4}"],
                challenges=["armoede"],
                target_groups=["ouderen", "jongeren"],
            )

    def queries_for_index() -> int:
        client.get(URL)  # warm the caches (site, content types) first
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"doelgroep": "ouderen"})
        assert response.status_code == 200
        return len(queries)

    add(3, 0)
    with_3 = queries_for_index()
    add(27, 3)
    with_30 = queries_for_index()

    assert with_3 == with_30
    assert with_30 <= 16  # site, routing, restrictions, tag options, count, list, tags


def test_element_page_shows_every_part(client, kennisbank):
    element = add_element(
        kennisbank,
        "Huisbezoek door een vaste vrijwilliger",
        summary="Een vaste vrijwilliger bezoekt een oudere thuis.",
        mechanism="Vertrouwen groeit door herhaling.",
        level=EvidenceLevel.GOOD_INDICATIONS,
        themes=["eenzaamheid"],
        challenges=["sociale samenhang"],
        target_groups=["ouderen"],
        target_group="<p>Ouderen die alleen wonen.</p>",
        context="<p>Kleine gemeenten met actieve vrijwilligers.</p>",
        steps=[
            ("step", {"title": "Werf vrijwilligers", "text": "Via de buurtvereniging."}),
            ("step", {"title": "Koppel een vast duo", "text": ""}),
        ],
        sources=[
            (
                "source",
                {"title": "Movisie over eenzaamheid", "url": "https://www.movisie.nl/", "note": ""},
            )
        ],
        contact_name="Fatima El Amrani",
        contact_organisation="Gemeente Lindendal",
        contact_email="f.elamrani@lindendal.example",
    )

    response = client.get(element.url)

    assert response.status_code == 200
    html = response.content.decode()
    for part in (
        "Een vaste vrijwilliger bezoekt een oudere thuis.",
        "Vertrouwen groeit door herhaling.",
        "Ouderen die alleen wonen.",
        "Kleine gemeenten met actieve vrijwilligers.",
        "Fatima El Amrani",
        "Gemeente Lindendal",
        'href="mailto:f.elamrani@lindendal.example"',
        '<a class="utrecht-link" href="https://www.movisie.nl/" rel="noopener noreferrer">',
        'href="/kennisbank/?thema=eenzaamheid"',
        'href="/kennisbank/?opgave=sociale-samenhang"',
        'href="/kennisbank/?doelgroep=ouderen"',
    ):
        assert part in html, part
    for section in (
        "samenvatting",
        "waarom",
        "voor-wie",
        "context",
        "toepassen",
        "bewijskracht",
        "bronnen",
        "onderwerpen",
        "contact",
    ):
        assert f'<h2 class="utrecht-heading-2" id="{section}">' in html, section
    # The steps, in order, as an ordered list.
    steps = re.search(r'<ol class="learning-steps">(.*?)</ol>', html, re.S).group(1)
    assert steps.index("Werf vrijwilligers") < steps.index("Koppel een vast duo")
    # The current rung is marked in text and for assistive technology, not by colour alone.
    current = re.findall(r'<li class="[^"]*--current" aria-current="step">(.*?)</li>', html, re.S)
    assert len(current) == 1
    assert "kennisbank-ladder__here" in current[0]
    assert str(EvidenceLevel.GOOD_INDICATIONS.label) in current[0]
    # No journeys or stories point here yet: no "Gezien in".
    assert 'id="gezien-in"' not in html
    # Headings in order: one h1, then h2s.
    levels = [int(level) for level in re.findall(r"<h([1-6])", html.split("<main", 1)[-1])]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))


def test_element_page_lists_seen_in_when_the_context_has_it(kennisbank):
    element = add_element(kennisbank, "Huisbezoek")

    class Journey:
        title = "Samen tegen eenzaamheid"

        def get_absolute_url(self):
            return "/reizen/samen-tegen-eenzaamheid/"

    request = RequestFactory().get(element.url)
    context = element.get_context(request)
    html = render_to_string(element.get_template(request), context, request=request)
    assert 'id="gezien-in"' not in html

    html = render_to_string(
        element.get_template(request), {**context, "seen_in": [Journey()]}, request=request
    )
    assert 'id="gezien-in"' in html
    assert 'href="/reizen/samen-tegen-eenzaamheid/">Samen tegen eenzaamheid</a>' in html


def test_an_unassessed_element_marks_no_rung(client, kennisbank):
    element = add_element(kennisbank, "Nieuw idee")
    html = client.get(element.url).content.decode()
    assert 'aria-current="step"' not in html
    assert 'class="kennisbank-level kennisbank-level--niet_beoordeeld"' in html


class TestKnowledgePagesInTheAdmin(WagtailPageTestCase):
    """Editors make both page types through the Wagtail admin forms."""

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
        self.assertAllowedParentPageTypes(KnowledgeIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(KnowledgeIndexPage, {WorkingElementPage})
        self.assertAllowedParentPageTypes(WorkingElementPage, {KnowledgeIndexPage})
        self.assertAllowedSubpageTypes(WorkingElementPage, {})

    def test_editors_create_the_index_and_an_element(self):
        self.assertCanCreate(
            self.home,
            KnowledgeIndexPage,
            nested_form_data(
                {
                    "title": "Kennisbank",
                    "slug": "kennisbank",
                    "intro": rich_text("<p>Wat werkt, en waarom.</p>"),
                }
            ),
        )
        index = KnowledgeIndexPage.objects.get(slug="kennisbank")
        self.assertTrue(index.live)

        self.assertCanCreate(
            index,
            WorkingElementPage,
            nested_form_data(
                {
                    "title": "Buurtkamer",
                    "slug": "buurtkamer",
                    "summary": "Een open huiskamer in de wijk.",
                    "mechanism": rich_text("<p>Ontmoeting zonder drempel.</p>"),
                    "target_group": rich_text("<p>Bewoners die weinig mensen zien.</p>"),
                    "context": rich_text("<p>Een wijk met een buurthuis.</p>"),
                    "steps": streamfield(
                        [("step", {"title": "Zoek een ruimte", "text": "Liefst gelijkvloers."})]
                    ),
                    "evidence_level": EvidenceLevel.WELL_DESCRIBED,
                    "sources": streamfield(
                        [
                            (
                                "source",
                                {"title": "Handreiking", "url": "https://example.org/", "note": ""},
                            )
                        ]
                    ),
                    "themes": "eenzaamheid, ontmoeting",
                    "challenges": "sociale samenhang",
                    "target_groups": "ouderen",
                    "contact_name": "Sanne de Vries",
                    "contact_organisation": "Welzijn Lindendal",
                    "contact_email": "sanne@example.org",
                }
            ),
        )
        element = WorkingElementPage.objects.get(slug="buurtkamer")
        self.assertTrue(element.live)
        self.assertEqual(sorted(element.themes.names()), ["eenzaamheid", "ontmoeting"])
        self.assertEqual(element.steps[0].value["title"], "Zoek een ruimte")
        self.assertEqual(list(self.client.get("/kennisbank/").context["elements"]), [element])
