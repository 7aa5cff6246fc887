"""The five scenarios, their pages, and the chooser at /scenarios/kiezen/ that advises one
(or a combination) from a short questionnaire whose rules are content."""

from __future__ import annotations

import copy
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from community.services import register_member
from journeys.models import Journey
from journeys.services import create_journey
from learning.chooser import recommend
from learning.models import HomePage
from learning.models.scenarios import ScenarioChooserPage, ScenarioIndexPage, ScenarioPage

pytestmark = pytest.mark.django_db

S = Journey.Scenario
KLEIN, STRATEGISCH, PARTNERS, DEEP, TRAINING = S.values
Visibility = Journey.Visibility
CHOOSER_URL = "/scenarios/kiezen/"


def answer(label: str, reason: str = "", **points: int) -> dict:
    return {
        "label": label,
        "points": {key: points.get(key, 0) for key in S.values},
        "reason": reason,
    }


# The five criteria of the scenarios' "geschikt voor", as an editor would phrase them.
QUESTIONS = [
    {
        "question": "Hoe breed wordt impactgericht werken binnen je organisatie gedragen?",
        "help_text": "Denk aan bestuur, management en de teams die het werk doen.",
        "answers": [
            answer(
                "Nog nauwelijks: we hebben eerst een goed voorbeeld nodig",
                "Waar de meerwaarde nog niet breed gezien wordt, overtuigt een afgebakende pilot.",
                klein_en_krachtig=3,
                impact_deep_diving=1,
            ),
            answer(
                "Een deel is overtuigd, een deel twijfelt nog",
                "Met gedeelde doelen en onderbouwing win je de twijfelaars.",
                strategische_start=1,
                impact_deep_diving=1,
            ),
            answer(
                "Niemand twijfelt eraan en het management maakt er ruimte voor",
                "Intern draagvlak en een management dat ontwikkeling uitdraagt, maken diepe "
                "verankering en werken via partners mogelijk.",
                focus_op_partners=2,
                training=2,
                strategische_start=1,
            ),
        ],
    },
    {
        "question": "Hoeveel tijd en geld kun je erin steken?",
        "help_text": "",
        "answers": [
            answer(
                "Weinig",
                "Met beperkte middelen begin je klein en beperk je de risico's.",
                klein_en_krachtig=3,
                impact_deep_diving=1,
            ),
            answer(
                "Genoeg voor één goed traject",
                "Een traject met eigen budget kan een strategie of onderzoek dragen.",
                strategische_start=1,
                impact_deep_diving=1,
            ),
            answer(
                "Ruim: we kunnen investeren in mensen en partners",
                "Partners op één lijn brengen en mensen opleiden vraagt een flinke investering "
                "in tijd en middelen.",
                focus_op_partners=2,
                training=2,
            ),
        ],
    },
    {
        "question": "Hoeveel werkt je gemeente samen met partners?",
        "help_text": "Bijvoorbeeld welzijns- en zorgorganisaties die je beleid uitvoeren.",
        "answers": [
            answer(
                "Weinig: we doen het vooral zelf",
                "Je kunt beginnen binnen je eigen organisatie.",
                klein_en_krachtig=1,
                impact_deep_diving=1,
                training=1,
            ),
            answer(
                "Regelmatig, per project",
                "Met partners per project kun je samen een focus bepalen.",
                strategische_start=1,
            ),
            answer(
                "Veel: partners voeren ons beleid uit",
                "Waar partners het beleid uitvoeren, merken inwoners het meest van impactgericht "
                "werken.",
                focus_op_partners=3,
                strategische_start=1,
            ),
        ],
    },
    {
        "question": "Komen er binnenkort nieuwe beleidskaders of subsidierondes aan?",
        "help_text": "",
        "answers": [
            answer("Nee, niet op korte termijn"),
            answer(
                "Ja, binnenkort",
                "Nieuwe beleidskaders en subsidierondes zijn het moment om samen met partners "
                "op effecten te sturen.",
                strategische_start=4,
            ),
        ],
    },
    {
        "question": "Wat wil je vooral leren?",
        "help_text": "Kies wat nu het zwaarst weegt.",
        "answers": [
            answer(
                "Of impactgericht werken bij ons werkt, op kleine schaal",
                "Een pilot laat zien wat impactgericht werken oplevert.",
                klein_en_krachtig=2,
            ),
            answer(
                "Hoe we onze opgaven structureel anders aanpakken",
                "Structurele verandering vraagt een gezamenlijke strategie.",
                strategische_start=2,
                focus_op_partners=1,
            ),
            answer(
                "Wat partners in de uitvoering voor inwoners bereiken",
                "Inzichten van partners laten zien welke impact jullie samen maken.",
                focus_op_partners=2,
            ),
            answer(
                "Antwoorden op specifieke leervragen",
                "Je wilt gericht beter meten, onderzoeken en evalueren, zonder je hele werkwijze "
                "te herzien.",
                impact_deep_diving=4,
            ),
            answer(
                "Dat iedereen dezelfde taal spreekt",
                "Je streeft naar diepe verankering: iedereen kent de modellen van impactgericht "
                "werken.",
                training=4,
            ),
        ],
    },
]

# question index -> answer index, per scenario's typical situation.
TYPICAL = {
    KLEIN: {0: 0, 1: 0, 2: 0, 3: 0, 4: 0},  # little support, little means
    STRATEGISCH: {0: 1, 1: 1, 2: 1, 3: 1, 4: 1},  # new policy and subsidy rounds coming
    PARTNERS: {0: 2, 1: 2, 2: 2, 3: 0, 4: 2},  # many partners, support is there
    DEEP: {0: 1, 1: 1, 2: 0, 3: 0, 4: 3},  # specific leervragen to answer
    TRAINING: {0: 2, 1: 2, 2: 0, 3: 0, 4: 4},  # management invests, deep embedding
}
# Many partners and a new policy round: focus op partners, strategische start one point behind.
CLOSE_SECOND = {0: 1, 1: 2, 2: 2, 3: 1, 4: 2}

SCENARIO_TEXT = {
    KLEIN: "Eén afgebakend programma doorloopt de hele impactcyclus op kleine schaal.",
    STRATEGISCH: "Een gezamenlijke strategie met partners, vertaald in subsidiekaders.",
    PARTNERS: "Beginnen bij de partners die het beleid uitvoeren, dicht bij inwoners.",
    DEEP: "Specifieke leervragen systematisch beantwoorden met onderzoek.",
    TRAINING: "Impactgericht werken verankeren in de cultuur door te trainen en te coachen.",
}


def stream(questions: list[dict]) -> list[dict]:
    return [{"type": "question", "value": q} for q in questions]


def query(answers: dict[int, int]) -> dict[str, str]:
    return {"advies": "1", **{f"vraag_{q}": str(a) for q, a in answers.items()}}


@pytest.fixture
def tree():
    home = HomePage.objects.get()
    index = home.add_child(instance=ScenarioIndexPage(title="Scenario's", slug="scenarios"))
    pages = {}
    for key, label in S.choices:
        pages[key] = index.add_child(
            instance=ScenarioPage(
                title=str(label).capitalize(),
                slug=key.replace("_", "-"),
                scenario=key,
                summary=SCENARIO_TEXT[key],
                steps=[
                    {"type": "step", "value": {"title": "Bepaal de focus", "text": "Samen."}},
                    {"type": "step", "value": {"title": "Ga aan de slag", "text": ""}},
                ],
                opportunities=[{"type": "point", "value": "Beperkt de risico's."}],
                risks=[{"type": "point", "value": "Beperkte overdraagbaarheid."}],
                suitable_for=[{"type": "point", "value": "Organisaties met weinig middelen."}],
                first_step="Kies een afgebakend programma en start een pilot.",
            )
        )
    chooser = index.add_child(
        instance=ScenarioChooserPage(
            title="Welk scenario past bij je?",
            slug="kiezen",
            questions=stream(QUESTIONS),
            combination_margin=1,
        )
    )
    return {"home": home, "index": index, "pages": pages, "chooser": chooser}


def advised_keys(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        section["aria-labelledby"].removeprefix("advies-")
        for section in soup.select("#advies-resultaat section[aria-labelledby^=advies-]")
    ]


# The arithmetic, without pages ------------------------------------------------------------


@pytest.mark.parametrize("scenario", S.values)
def test_the_typical_answers_add_up_to_their_scenario(scenario):
    advice = recommend(QUESTIONS, TYPICAL[scenario], margin=1)
    assert advice.primary == scenario
    assert not advice.is_combination


def test_a_score_within_the_margin_joins_the_advice_and_ties_follow_the_scenario_order():
    advice = recommend(QUESTIONS, CLOSE_SECOND, margin=1)
    assert (advice.primary, advice.combined_with) == (PARTNERS, [STRATEGISCH])
    assert advice.scores[PARTNERS] == advice.scores[STRATEGISCH] + 1
    assert recommend(QUESTIONS, CLOSE_SECOND, margin=0).combined_with == []

    tie = [{"question": "?", "answers": [answer("beide", training=2, klein_en_krachtig=2)]}]
    assert recommend(tie, {0: 0}, margin=0).primary == KLEIN
    assert recommend(tie, {0: 0}, margin=0).combined_with == [TRAINING]


def test_at_most_two_scenarios_join_the_first_and_a_zero_never_does():
    everything = [{"question": "?", "answers": [answer("alles", **dict.fromkeys(S.values, 1))]}]
    advice = recommend(everything, {0: 0}, margin=5)
    assert advice.advised == [KLEIN, STRATEGISCH, PARTNERS]
    nothing = recommend([{"question": "?", "answers": [answer("niets")]}], {0: 0}, margin=5)
    assert nothing.primary is None and nothing.advised == []


def test_reasons_come_from_the_chosen_answers_that_gave_points():
    advice = recommend(QUESTIONS, TYPICAL[KLEIN], margin=1)
    assert advice.reasons[KLEIN] == [
        QUESTIONS[0]["answers"][0]["reason"],
        QUESTIONS[1]["answers"][0]["reason"],
        QUESTIONS[2]["answers"][0]["reason"],
        QUESTIONS[4]["answers"][0]["reason"],
    ]
    assert set(advice.reasons) == {KLEIN}


def test_an_answer_that_does_not_exist_is_refused():
    with pytest.raises(ValueError):
        recommend(QUESTIONS, {0: 7}, margin=1)
    with pytest.raises(ValueError):
        recommend(QUESTIONS, {9: 0}, margin=1)


# The chooser page ---------------------------------------------------------------------------


def test_the_chooser_asks_each_question_as_a_group_of_radio_buttons(client, tree):
    response = client.get(CHOOSER_URL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("main form[method=get]")  # not the header's search box
    fieldsets = form.select("fieldset")
    assert [f.legend.get_text(strip=True) for f in fieldsets] == [q["question"] for q in QUESTIONS]
    assert len(fieldsets[4].select("input[type=radio][name=vraag_4]")) == 5
    assert "Kies wat nu het zwaarst weegt." in fieldsets[4].get_text()
    assert "breadcrumb" in response.content.decode()  # inside the page shell
    assert not soup.select("#advies-resultaat")


@pytest.mark.parametrize("scenario", S.values)
def test_each_scenario_is_advised_for_its_typical_situation(client, tree, scenario):
    response = client.get(CHOOSER_URL, query(TYPICAL[scenario]))
    assert response.status_code == 200
    assert advised_keys(response) == [scenario]
    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.select_one(f"#advies-{scenario} a")
    assert link["href"] == tree["pages"][scenario].url


def test_a_close_second_is_advised_as_a_combination(client, tree):
    response = client.get(CHOOSER_URL, query(CLOSE_SECOND))
    assert advised_keys(response) == [PARTNERS, STRATEGISCH]
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.select_one("#advies-resultaat table")
    assert table.caption and table.select("th[scope=col]")
    scores = {
        row.th.get_text(strip=True): int(row.td.get_text(strip=True))
        for row in table.select("tbody tr")
    }
    assert scores == {
        "klein en krachtig": 0,
        "strategische start": 6,
        "focus op partners": 7,
        "impact deep diving": 1,
        "training": 2,
    }


def test_the_advice_gives_its_reasons(client, tree):
    response = client.get(CHOOSER_URL, query(TYPICAL[DEEP]))
    soup = BeautifulSoup(response.content, "html.parser")
    reasons = [li.get_text(strip=True) for li in soup.select(f"#advies-{DEEP} ~ ul li")]
    assert QUESTIONS[4]["answers"][3]["reason"] in reasons
    assert QUESTIONS[1]["answers"][1]["reason"] in reasons
    # A reason of an answer that was not chosen is not given.
    assert QUESTIONS[4]["answers"][4]["reason"] not in response.content.decode()


def test_an_unanswered_question_is_refused_with_a_message_and_no_advice(client, tree):
    answers = dict(TYPICAL[KLEIN])
    del answers[3]
    response = client.get(CHOOSER_URL, query(answers))
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert not soup.select("#advies-resultaat")
    summary = soup.select_one("#fouten[role=alert]")
    links = summary.select("a")
    assert len(links) == 1
    assert QUESTIONS[3]["question"] in links[0].get_text()
    target = soup.select_one(links[0]["href"])
    assert target.name == "input" and target["name"] == "vraag_3"
    # The given answers stay chosen, so only the missing one needs filling in.
    assert soup.select_one("input[name=vraag_0][value='0']").has_attr("checked")

    # Sent without any answer at all: every question gets its message.
    response = client.get(CHOOSER_URL, {"advies": "1"})
    assert response.status_code == 400
    errors = BeautifulSoup(response.content, "html.parser").select("#fouten a")
    assert len(errors) == len(QUESTIONS)


def test_an_answer_that_is_not_offered_is_refused(client, tree):
    response = client.get(CHOOSER_URL, query({**TYPICAL[KLEIN], 3: 9}))
    assert response.status_code == 400
    assert not BeautifulSoup(response.content, "html.parser").select("#advies-resultaat")


def test_a_signed_in_user_can_start_a_journey_with_the_advised_scenario(
    client, tree, reisbegeleider
):
    client.force_login(reisbegeleider)
    response = client.get(CHOOSER_URL, query(TYPICAL[TRAINING]))
    soup = BeautifulSoup(response.content, "html.parser")
    start = soup.select_one(f"#advies-resultaat a[href^='{reverse('journeys:create')}']")
    assert parse_qs(urlsplit(start["href"]).query) == {"scenario": [TRAINING]}

    form = BeautifulSoup(client.get(start["href"]).content, "html.parser")
    assert form.select_one("select[name=scenario] option[selected]")["value"] == TRAINING


def test_starting_a_journey_ignores_an_unknown_scenario(client, reisbegeleider):
    client.force_login(reisbegeleider)
    response = client.get(reverse("journeys:create"), {"scenario": "bestaat_niet"})
    assert response.status_code == 200
    selected = BeautifulSoup(response.content, "html.parser").select_one(
        "select[name=scenario] option[selected]"
    )
    assert selected is None or selected["value"] == ""


def test_an_anonymous_visitor_is_asked_to_sign_in_first(client, tree):
    response = client.get(CHOOSER_URL, query(TYPICAL[KLEIN]))
    soup = BeautifulSoup(response.content, "html.parser")
    assert not soup.select(f"a[href^='{reverse('journeys:create')}']")
    login = soup.select_one(f"#advies-resultaat a[href^='{reverse('account_login')}']")
    back = parse_qs(urlsplit(login["href"]).query)["next"][0]
    assert back.startswith(CHOOSER_URL)
    # The way back leads to the same advice.
    assert advised_keys(client.get(back)) == [KLEIN]


def test_editors_change_the_rules_without_code(client, tree):
    assert advised_keys(client.get(CHOOSER_URL, query(TYPICAL[KLEIN]))) == [KLEIN]

    changed = copy.deepcopy(QUESTIONS)
    for question in (0, 1):  # little support and little means now speak for training
        changed[question]["answers"][0]["points"] = {
            **dict.fromkeys(S.values, 0),
            TRAINING: 5,
        }
    chooser = ScenarioChooserPage.objects.get(pk=tree["chooser"].pk)
    chooser.questions = stream(changed)
    chooser.save_revision().publish()

    assert advised_keys(client.get(CHOOSER_URL, query(TYPICAL[KLEIN]))) == [TRAINING]

    # The margin is content too: widened, the old favourite comes back alongside.
    chooser = ScenarioChooserPage.objects.get(pk=tree["chooser"].pk)
    chooser.combination_margin = 8  # training 11, klein en krachtig 3
    chooser.save_revision().publish()
    assert advised_keys(client.get(CHOOSER_URL, query(TYPICAL[KLEIN]))) == [TRAINING, KLEIN]


# The index and scenario pages ---------------------------------------------------------------


def test_the_index_shows_the_five_scenarios_in_order_and_the_way_to_the_chooser(client, tree):
    response = client.get("/scenarios/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    cards = soup.select("ol.learning-cards > li")
    assert [card.a["href"] for card in cards] == [tree["pages"][key].url for key in S.values]
    assert SCENARIO_TEXT[DEEP] in cards[3].get_text()
    assert soup.select_one(f"a.utrecht-button-link[href='{CHOOSER_URL}']")


def test_a_scenario_page_shows_its_parts(client, tree):
    response = client.get(tree["pages"][KLEIN].url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert [li.strong.get_text() for li in soup.select("ol.learning-steps > li")] == [
        "Bepaal de focus",
        "Ga aan de slag",
    ]
    for heading_id, text in (
        ("kansen", "Beperkt de risico's."),
        ("risicos", "Beperkte overdraagbaarheid."),
        ("geschikt-voor", "Organisaties met weinig middelen."),
        ("eerste-stap", "start een pilot"),
    ):
        section = soup.select_one(f"section[aria-labelledby={heading_id}]")
        assert text in section.get_text(), heading_id


def test_scenario_page_lists_only_journeys_the_visitor_may_see(client, tree, reisbegeleider):
    for title, visibility, scenario in (
        ("Open pilot eenzaamheid", Visibility.OPENBAAR, KLEIN),
        ("Netwerkreis armoede", Visibility.NETWERK, KLEIN),
        ("Besloten reis jeugd", Visibility.BESLOTEN, KLEIN),
        ("Open reis met ander scenario", Visibility.OPENBAAR, TRAINING),
    ):
        create_journey(
            reisbegeleider,
            title=title,
            challenge="Eenzaamheid onder ouderen",
            visibility=visibility,
            scenario=scenario,
        )
    url = tree["pages"][KLEIN].url

    def listed():
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        return {a.get_text() for a in soup.select("section[aria-labelledby=reizen] li a")}

    assert listed() == {"Open pilot eenzaamheid"}
    client.force_login(reisbegeleider)  # a member of all of them
    assert listed() == {"Open pilot eenzaamheid", "Netwerkreis armoede", "Besloten reis jeugd"}


# The page tree and the CMS ------------------------------------------------------------------


def listblock(items: list) -> dict:
    data = {
        str(i): {"value": item, "deleted": "", "order": str(i), "id": ""}
        for i, item in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


class ScenarioPagesInTheCms(WagtailPageTestCase):
    def setUp(self):
        self.home = HomePage.objects.get()
        admin = register_member(
            None,
            email="beheer@example.org",
            password="Proef-wachtwoord-2026",
            is_administrator=True,
            email_verified=True,
        )
        self.client.force_login(admin)

    def test_the_tree_rules(self):
        self.assertAllowedParentPageTypes(ScenarioIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ScenarioIndexPage, {ScenarioPage, ScenarioChooserPage})
        self.assertAllowedParentPageTypes(ScenarioPage, {ScenarioIndexPage})
        self.assertAllowedSubpageTypes(ScenarioPage, set())
        self.assertAllowedParentPageTypes(ScenarioChooserPage, {ScenarioIndexPage})
        self.assertAllowedSubpageTypes(ScenarioChooserPage, set())

    def test_editors_create_the_three_page_types(self):
        self.assertCanCreate(
            self.home,
            ScenarioIndexPage,
            nested_form_data(
                {
                    "title": "Scenario's",
                    "slug": "scenarios",
                    "intro": rich_text("<p>Vijf routes.</p>"),
                }
            ),
        )
        index = ScenarioIndexPage.objects.get()
        self.assertCanCreate(
            index,
            ScenarioPage,
            nested_form_data(
                {
                    "title": "Klein en krachtig",
                    "scenario": KLEIN,
                    "summary": "Begin met één programma.",
                    "steps": streamfield(
                        [("step", {"title": "Definieer de verwachte impact", "text": ""})]
                    ),
                    "opportunities": streamfield([("point", "Beperkt de risico's.")]),
                    "risks": streamfield([]),
                    "suitable_for": streamfield([("point", "Weinig middelen.")]),
                    "first_step": "Start een pilot.",
                }
            ),
        )
        self.assertCanCreate(
            index,
            ScenarioChooserPage,
            nested_form_data(
                {
                    "title": "Welk scenario past bij je?",
                    "slug": "kiezen",
                    "intro": rich_text("<p>Vijf vragen.</p>"),
                    "combination_margin": "1",
                    "questions": streamfield(
                        [
                            (
                                "question",
                                {
                                    "question": "Komen er nieuwe subsidierondes aan?",
                                    "help_text": "",
                                    "answers": listblock(
                                        [
                                            {
                                                "label": "Ja",
                                                "points": {
                                                    **dict.fromkeys(S.values, "0"),
                                                    STRATEGISCH: "4",
                                                },
                                                "reason": "Het moment voor nieuwe kaders.",
                                            },
                                            {
                                                "label": "Nee",
                                                "points": dict.fromkeys(S.values, "0"),
                                                "reason": "",
                                            },
                                        ]
                                    ),
                                },
                            )
                        ]
                    ),
                }
            ),
        )
        chooser = ScenarioChooserPage.objects.get()
        assert chooser.live and chooser.url == CHOOSER_URL
        advice = recommend(chooser.questions, {0: 0}, chooser.combination_margin)
        assert advice.primary == STRATEGISCH
        assert advice.reasons == {STRATEGISCH: ["Het moment voor nieuwe kaders."]}
