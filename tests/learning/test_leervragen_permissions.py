"""Every leervragen address for every role, in besloten, netwerk and openbaar journeys and
network-wide: who sees what (a besloten journey's question is a 404 to outsiders,
everywhere, the gap map included), who may do what (403 with a message), and who is
asked to sign in. Each request runs in a savepoint that is rolled back, so one request
cannot change what the next one finds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from journeys.models import Journey
from learning.leervragen.queries import journey_questions, visible_questions
from tests.learning.test_leervragen_fixtures import Status, build_question

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "trainer",  # signed in, no member, no researcher
    "inwoner",  # meelezer
    "professional",  # reiziger; raised the questions and owns the researched ones
    "opdrachtgever",
    "reisbegeleider",
    "onderzoeker",  # a researcher, no member
    "beheerder",  # staff
]
MEMBERS = {"inwoner", "professional", "opdrachtgever", "reisbegeleider"}
CONTRIBUTORS = {"professional", "opdrachtgever", "reisbegeleider"}
OK, LOGIN = "ok", "login"
SECRET = "Welke geheime vraag stelt het buurtteam?"


def fetch(client, method: str, url: str, data: dict | None = None):
    """One request whose changes are rolled back afterwards."""
    with transaction.atomic():
        response = client.get(url) if method == "get" else client.post(url, data or {})
        transaction.set_rollback(True)
    return response


def outcome(response):
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith("/accounts/login/") else OK
    return response.status_code


def _sees(role: str, visibility: str) -> bool:
    if role in MEMBERS or role == "beheerder":
        return True
    if visibility == Journey.Visibility.OPENBAAR:
        return True
    return visibility == Journey.Visibility.NETWERK and role != "anonymous"


def _journey_checks(questions: dict, journey: Journey) -> list[tuple]:
    """(name, method, url, data, who may) for every address of a journey's questions.
    `who may`: the roles that succeed, once they may see the question."""
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    today = timezone.localdate().isoformat()
    new, prio, research, answered = (
        questions[s]
        for s in (Status.INGEDIEND, Status.GEPRIORITEERD, Status.IN_ONDERZOEK, Status.BEANTWOORD)
    )
    everyone = set(ROLES)
    signed_in = everyone - {"anonymous"}
    lead = {"reisbegeleider"}
    return [
        ("question page", "get", f"/leervragen/{new.pk}/", None, everyone),
        ("journey tab", "get", f"/reizen/{journey.slug}/leervragen/", None, everyone),
        ("journey board", "get", f"/reizen/{journey.slug}/leervragen/bord/", None, everyone),
        ("raise here", "get", f"/leervragen/nieuw/?reis={journey.slug}", None, CONTRIBUTORS),
        ("edit", "get", f"/leervragen/{new.pk}/bewerken/", None, {"professional", *lead}),
        (
            "edit save",
            "post",
            f"/leervragen/{new.pk}/bewerken/",
            {"question": "Een scherpere vraag?", "context": "", "themes": ""},
            {"professional", *lead},
        ),
        ("plan", "get", f"/leervragen/{prio.pk}/aanpak/", None, lead),
        (
            "plan save",
            "post",
            f"/leervragen/{prio.pk}/aanpak/",
            {"approaches": ["data_analyse"], "due_date": due},
            lead,
        ),
        ("answer", "get", f"/leervragen/{research.pk}/antwoord/", None, {"professional"}),
        (
            "answer save",
            "post",
            f"/leervragen/{research.pk}/antwoord/",
            {"answer": "Zo zit het.", "sources": "", "confidence": "midden"},
            {"professional"},
        ),
        ("duiding", "get", f"/leervragen/{answered.pk}/duiding/", None, lead),
        (
            "duiding save",
            "post",
            f"/leervragen/{answered.pk}/duiding/",
            {"duiding": "Dit betekent het.", "on": today, "participants": ""},
            lead,
        ),
        ("evidence", "get", f"/leervragen/{answered.pk}/bewijs/", None, {"professional", *lead}),
        (
            "evidence save",
            "post",
            f"/leervragen/{answered.pk}/bewijs/",
            {},
            {"professional", *lead},
        ),
        ("vote", "post", f"/leervragen/{new.pk}/stem/", {}, MEMBERS),
        ("follow", "post", f"/leervragen/{new.pk}/volgen/", {}, signed_in),
        (
            "move",
            "post",
            f"/leervragen/{new.pk}/status/",
            {"naar": Status.GEPRIORITEERD},
            lead,
        ),
        (
            "take ownership",
            "post",
            f"/leervragen/{prio.pk}/eigenaar/",
            {},
            CONTRIBUTORS | {"onderzoeker"},
        ),
        ("order", "post", f"/leervragen/{new.pk}/volgorde/", {"plaats": "1"}, lead),
        ("comment", "post", f"/leervragen/{new.pk}/reactie/", {"body": "Goed punt."}, CONTRIBUTORS),
    ]


def _expected(role: str, visibility: str, method: str, name: str, allowed: set) -> object:
    if not _sees(role, visibility):
        # Outsiders of a besloten journey, and visitors of a netwerk journey: it does not
        # exist. Raising asks visitors to sign in first, wherever.
        if role == "anonymous" and name == "raise here":
            return LOGIN
        return 404
    if role == "anonymous":
        if method == "get" and name in ("question page", "journey tab", "journey board"):
            return 200
        return LOGIN
    if role in allowed:
        return 200 if method == "get" else OK
    return 403


@pytest.mark.parametrize(
    "visibility",
    [Journey.Visibility.BESLOTEN, Journey.Visibility.NETWERK, Journey.Visibility.OPENBAAR],
)
@pytest.mark.parametrize("role", ROLES)
def test_every_address_answers_each_role_as_the_rules_say(
    client, personas, make_journey, visibility, role
):
    journey = make_journey("Werk in de Kruidenbuurt", visibility=visibility)
    questions = {
        state: build_question(
            personas, state, journey=journey, owner=personas["professional"], text=SECRET
        )
        for state in (
            Status.INGEDIEND,
            Status.GEPRIORITEERD,
            Status.IN_ONDERZOEK,
            Status.BEANTWOORD,
        )
    }
    if role != "anonymous":
        client.force_login(personas[role])
    wrong = []
    for name, method, url, data, allowed in _journey_checks(questions, journey):
        got = outcome(fetch(client, method, url, data))
        expected = _expected(role, visibility, method, name, allowed)
        if got != expected:
            wrong.append(f"{name} {method.upper()} {url}: expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong)

    # The lists, the board, the gap map and "mijn leervragen" show the question to those who
    # may see it and to nobody else.
    for url in (
        "/leervragen/",
        "/leervragen/bord/",
        "/leervragen/witte-vlekken/",
        "/leervragen/mijn/",
        f"/leervragen/?reis={journey.slug}",
    ):
        response = client.get(url)
        if url == "/leervragen/mijn/" and role == "anonymous":
            assert outcome(response) == LOGIN
            continue
        if url.endswith(f"reis={journey.slug}") and not _sees(role, visibility):
            # The journey is no choice in the filter for whom may not see it.
            assert response.status_code == 400
            assert SECRET not in response.content.decode()
            continue
        assert response.status_code == 200, url
        page = response.content.decode()
        if "witte-vlekken" in url:
            # The questions' theme makes a row only when the viewer may count them.
            assert ("eenzaamheid" in page) == _sees(role, visibility), f"{url} for {role}"
        elif "mijn" in url:
            # Only who raised and owns them has them in "mijn leervragen".
            assert (SECRET in page) == (role == "professional"), f"{url} for {role}"
        else:
            assert (SECRET in page) == _sees(role, visibility), f"{url} for {role}"


NETWORK_CHECKS = [
    # (name, method, url template, data, who may: signed-in roles)
    ("question page", "get", "/leervragen/{new}/", None, "all"),
    ("vote", "post", "/leervragen/{new}/stem/", {}, "all"),
    ("follow", "post", "/leervragen/{new}/volgen/", {}, "all"),
    ("comment", "post", "/leervragen/{new}/reactie/", {"body": "Interessant."}, "all"),
    ("move", "post", "/leervragen/{new}/status/", {"naar": Status.GEPRIORITEERD}, {"beheerder"}),
    ("order", "post", "/leervragen/{new}/volgorde/", {"plaats": "1"}, {"beheerder"}),
    ("plan", "get", "/leervragen/{prio}/aanpak/", None, {"beheerder"}),
    ("take ownership", "post", "/leervragen/{prio}/eigenaar/", {}, {"onderzoeker"}),
    ("answer", "get", "/leervragen/{research}/antwoord/", None, {"onderzoeker"}),
    ("duiding", "get", "/leervragen/{answered}/duiding/", None, {"beheerder"}),
    ("edit", "get", "/leervragen/{new}/bewerken/", None, {"professional", "beheerder"}),
    ("raise", "get", "/leervragen/nieuw/", None, "all"),
]


@pytest.mark.parametrize("role", ROLES)
def test_network_wide_questions_are_for_everyone_signed_in(client, personas, role):
    questions = {
        state: build_question(personas, state, journey=None)
        for state in (
            Status.INGEDIEND,
            Status.GEPRIORITEERD,
            Status.IN_ONDERZOEK,
            Status.BEANTWOORD,
        )
    }
    ids = {
        "new": questions[Status.INGEDIEND].pk,
        "prio": questions[Status.GEPRIORITEERD].pk,
        "research": questions[Status.IN_ONDERZOEK].pk,
        "answered": questions[Status.BEANTWOORD].pk,
    }
    if role != "anonymous":
        client.force_login(personas[role])
    wrong = []
    for name, method, template, data, allowed in NETWORK_CHECKS:
        url = template.format(**ids)
        got = outcome(fetch(client, method, url, data))
        if role == "anonymous":
            expected = LOGIN
        elif allowed == "all" or role in allowed:
            expected = 200 if method == "get" else OK
        else:
            expected = 403
        if got != expected:
            wrong.append(f"{name} {method.upper()} {url}: expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong)
    listed = client.get("/leervragen/").content.decode()
    assert (questions[Status.INGEDIEND].question in listed) == (role != "anonymous")


def test_a_refusal_says_why_in_dutch(client, personas, make_journey):
    journey = make_journey("Samen minder eenzaam")
    question = build_question(personas, Status.INGEDIEND, journey=journey)
    client.force_login(personas["inwoner"])
    response = client.post(f"/leervragen/{question.pk}/status/", {"naar": Status.GEPRIORITEERD})
    assert response.status_code == 403
    assert "Alleen de reisbegeleider kan leervragen prioriteren." in response.content.decode()


@pytest.mark.parametrize(
    "visibility",
    [Journey.Visibility.BESLOTEN, Journey.Visibility.NETWERK, Journey.Visibility.OPENBAAR],
)
def test_a_journeys_list_and_board_start_from_the_questions_each_role_may_see(
    personas, make_journey, visibility
):
    """The journey pages read a journey's questions without the subquery over every
    visible journey (journey_questions): for every role the same questions as
    visible_questions, so none of a besloten journey's for outsiders."""
    journey = make_journey("Werk in de Kruidenbuurt", visibility=visibility)
    other = make_journey("Elders", visibility=Journey.Visibility.OPENBAAR)
    for where in (journey, other, None):
        build_question(personas, Status.INGEDIEND, journey=where, text=SECRET)
    for role in ROLES:
        user = AnonymousUser() if role == "anonymous" else personas[role]
        expected = set(visible_questions(user).filter(journey=journey).values_list("pk"))
        got = set(journey_questions(user, journey).values_list("pk"))
        assert got == expected, role
        assert bool(got) == _sees(role, visibility), role
