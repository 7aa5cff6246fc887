"""Who may open and do what at every journey address.

A permission matrix over every route in journeys.urls: each kind of visitor, on a
besloten, a netwerk and an openbaar journey. The answers are the ones the platform
promises: 404 for a journey you may not know exists, 403 for what you may see but not
do, the sign-in page for anonymous visitors where an account is needed, and the page or
the effect for everyone allowed. Below the matrix, the query counts of the journey pages
are pinned so that they stay the same when the data grows tenfold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Organisation
from journeys import method, services
from journeys.models import (
    BuildingBlock,
    CanvasEntry,
    CanvasPhase,
    DataPoint,
    Invitation,
    JoinRequest,
    Journey,
    Membership,
    PhaseResult,
)
from journeys.reports import exports
from journeys.reports import services as reports
from journeys.reports.models import ReportExport, ReportItem
from journeys.urls import urlpatterns
from tests.journeys.conftest import add_member, fill_and_approve

pytestmark = pytest.mark.django_db

Role = Membership.Role
Visibility = Journey.Visibility
Kind = PhaseResult.Kind


# --- The expected answers -----------------------------------------------------------------

VIEWERS = (
    "anonymous",
    "non-member",
    "meelezer",
    "reiziger",
    "opdrachtgever",
    "reisbegeleider",
    "staff",
)
# The persona behind each viewer. make_journey makes the last four members; the trainer
# and the beheerder (staff and superuser) are members of nothing.
PERSONA = {
    "non-member": "trainer",
    "meelezer": "inwoner",
    "reiziger": "professional",
    "opdrachtgever": "opdrachtgever",
    "reisbegeleider": "reisbegeleider",
    "staff": "beheerder",
}
MEMBERS = {"meelezer", "reiziger", "opdrachtgever", "reisbegeleider"}

LOGIN = "login"  # 302 to the sign-in page
DONE = "done"  # a POST that goes through: 302 back, or the form again (200/400)

# Who may know the journey exists. Everyone else gets 404 at every address of it, for
# pages and POSTs alike: the same answer as for a journey that does not exist.
SEES = {
    Visibility.OPENBAAR: set(VIEWERS),
    Visibility.NETWERK: set(VIEWERS) - {"anonymous"},
    Visibility.BESLOTEN: MEMBERS | {"staff"},
}

# What a viewer who sees the journey gets, by the rule of the address (ROUTES below).
# Staff see every journey but only read: as non-members they are refused every POST,
# except asking to join a netwerk or openbaar journey, as any signed-in account may.
# fmt: off
EXPECTED = {
    #                    anonymous  non-member  meelezer  reiziger  opdrachtg.  reisbeg.  staff
    # Pages (GET)
    "read":             (200,       200,        200,      200,      200,        200,      200),
    "account":          (LOGIN,     200,        200,      200,      200,        200,      200),
    "contribute-page":  (LOGIN,     403,        403,      200,      200,        200,      403),
    "facilitate-page":  (LOGIN,     403,        403,      403,      403,        200,      403),
    # Actions (POST)
    "member":           (LOGIN,     403,        DONE,     DONE,     DONE,       DONE,     403),
    "contribute":       (LOGIN,     403,        403,      DONE,     DONE,       DONE,     403),
    "facilitate":       (LOGIN,     403,        403,      403,      403,        DONE,     403),
    "approve":          (LOGIN,     403,        403,      403,      DONE,       403,      403),
    # Asking to join a netwerk or openbaar journey; a member is told they are one.
    "join":             (LOGIN,     DONE,       DONE,     DONE,     DONE,       DONE,     DONE),
    # A besloten journey takes no requests: members are told so, staff may not ask.
    "join-besloten":    (LOGIN,     403,        DONE,     DONE,     DONE,       DONE,     403),
    # A report's PDF: members and staff make and fetch it; readers print the web page.
    "pdf":              (LOGIN,     403,        DONE,     DONE,     DONE,       DONE,     DONE),
    "pdf-page":         (LOGIN,     403,        200,      200,      200,        200,      200),
}
# fmt: on


def expected_answer(rule: str, visibility: str, viewer: str):
    if viewer not in SEES[visibility]:
        return 404
    row = EXPECTED.get(f"{rule}-{visibility}", EXPECTED[rule])
    return dict(zip(VIEWERS, row, strict=True))[viewer]


# --- The journey every address is tried on ------------------------------------------------


@dataclass
class Scene:
    """A journey with something behind every address: an extra member, an open
    invitation and join request, a canvas entry and data point by the reisbegeleider, an
    empty canvas phase, and an opdracht whose second version is ter vaststelling (the
    first is vastgesteld, so the journey may move on to verkennen)."""

    journey: Journey
    extra: Membership
    invitation: Invitation
    join_request: JoinRequest
    entry: CanvasEntry
    empty_phase: CanvasPhase
    data_point: DataPoint
    opdracht: PhaseResult
    report_item: ReportItem
    export: ReportExport


def build_scene(personas, make_journey, visibility: str) -> Scene:
    lead = personas["reisbegeleider"]
    journey = make_journey(f"Reis {visibility}", visibility=Visibility.NETWERK)
    extra = add_member(journey, personas["onderzoeker"], Role.MEELEZER)
    # Join requests are only taken while the journey is open to the network.
    join_request = services.request_to_join(personas["redacteur"], journey, message="Graag")
    if visibility != Visibility.NETWERK:
        services.update_journey(lead, journey, visibility=visibility)
    invitation = services.invite(lead, journey, email="uitgenodigd@example.org", role=Role.REIZIGER)
    opdracht = fill_and_approve(journey)
    opdracht.refresh_from_db()
    services.save_result(
        lead,
        opdracht,
        content={"vraag": "Hoe bereiken we wie niemand ziet?"},
        base_revision_id=opdracht.latest_revision_id,
    )
    services.submit_result(lead, opdracht)
    phases = list(journey.canvas_phases.all())
    entry = services.add_canvas_entry(
        lead, journey, phase=phases[0], block=BuildingBlock.FINANCIERING, actor_name="Gemeente"
    )
    data_point = services.add_data_point(lead, journey, **DATA_POINT)
    opdracht.refresh_from_db()
    verslag = services.result_for(journey, Kind.REISVERSLAG)
    report_item = reports.add_item(lead, verslag, kind="indicator", key=DATA_POINT["indicator"])
    export = exports.request_export(lead, verslag)  # made at once: tasks run immediately
    return Scene(
        journey=journey,
        extra=extra,
        invitation=invitation,
        join_request=join_request,
        entry=entry,
        empty_phase=phases[-1],
        data_point=data_point,
        opdracht=opdracht,
        report_item=report_item,
        export=export,
    )


DATA_POINT = {
    "lens": "data",
    "indicator": "Eenzame 75-plussers",
    "value": Decimal("12.5"),
    "unit": "%",
    "source": "GGD-monitor",
    "measured_on": date(2025, 3, 1),
}


# --- Every route, how to call it and its rule ---------------------------------------------


@dataclass(frozen=True)
class Route:
    method: str  # "GET" or "POST"
    rule: str  # a row of EXPECTED; "site" and "token" routes have tests of their own
    kwargs: Callable[[Scene], dict] = lambda scene: {}
    data: Callable[[Scene], dict] = lambda scene: {}
    query: str = ""
    in_journey: bool = True


OPDRACHT = {"kind_slug": "opdracht"}
REISVERSLAG = {"kind_slug": "reisverslag"}

ROUTES: dict[str, Route] = {
    # Outside a journey
    "index": Route("GET", "site", in_journey=False),
    "create": Route("GET", "site", in_journey=False),
    "invitation": Route("GET", "token", in_journey=False),
    # The journey itself
    "dashboard": Route("GET", "read"),
    "edit": Route("GET", "facilitate-page"),
    "move_phase": Route("POST", "facilitate", data=lambda s: {"to_phase": "verkennen"}),
    "activity": Route("GET", "account"),
    # Members
    "members": Route("GET", "account"),
    "invite": Route(
        "POST", "facilitate", data=lambda s: {"email": "nieuw@example.org", "role": "reiziger"}
    ),
    "change_role": Route(
        "POST",
        "facilitate",
        kwargs=lambda s: {"pk": s.extra.pk},
        data=lambda s: {"role": "reiziger"},
    ),
    "remove_member": Route("POST", "facilitate", kwargs=lambda s: {"pk": s.extra.pk}),
    "revoke_invitation": Route("POST", "facilitate", kwargs=lambda s: {"pk": s.invitation.pk}),
    "decide_request": Route(
        "POST",
        "facilitate",
        kwargs=lambda s: {"pk": s.join_request.pk},
        data=lambda s: {"decision": "approve", "role": "meelezer"},
    ),
    "join": Route("POST", "join", data=lambda s: {"message": "Ik doe graag mee."}),
    "leave": Route("POST", "member"),
    # The Impact Canvas
    "canvas": Route("GET", "read"),
    "canvas_add_entry": Route(
        "POST",
        "contribute",
        data=lambda s: {
            "entry-phase": s.empty_phase.pk,
            "entry-block": BuildingBlock.PROBLEEMEIGENAAR,
            "entry-actor": "Wijkteam Noord",
            "entry-status": CanvasEntry.Status.ACTIEF,
        },
    ),
    # Someone else's entry: only the reisbegeleider removes it.
    "canvas_remove_entry": Route("POST", "facilitate", kwargs=lambda s: {"pk": s.entry.pk}),
    "canvas_mark_doublure": Route(
        "POST",
        "facilitate",
        data=lambda s: {"phase": s.entry.phase_id, "block": s.entry.block, "intended": "0"},
    ),
    "canvas_add_phase": Route("POST", "facilitate", data=lambda s: {"phase-name": "Nazorg"}),
    "canvas_remove_phase": Route("POST", "facilitate", kwargs=lambda s: {"pk": s.empty_phase.pk}),
    # The foto's linked items
    "add_data_point": Route(
        "POST", "contribute", data=lambda s: {**DATA_POINT, "indicator": "Mantelzorgers"}
    ),
    "add_document": Route(
        "POST",
        "contribute",
        data=lambda s: {"lens": "beleidscontext", "title": "Nota", "url": "https://example.org/"},
    ),
    # Someone else's data point: only the reisbegeleider removes it.
    "remove_item": Route(
        "POST", "facilitate", kwargs=lambda s: {"item_kind": "data", "pk": s.data_point.pk}
    ),
    # Composing the reisverslag (the foto answers the same)
    "report_compose": Route("GET", "contribute-page", kwargs=lambda s: REISVERSLAG),
    "report_add": Route(
        "POST",
        "contribute",
        kwargs=lambda s: REISVERSLAG,
        data=lambda s: {"kind": "indicator", "key": "Eenzame 75-plussers", "section": "data"},
    ),
    "report_change": Route(
        "POST",
        "contribute",
        kwargs=lambda s: {**REISVERSLAG, "pk": s.report_item.pk},
        data=lambda s: {"action": "comment", "comment": "Telt mee"},
    ),
    "report_pdf": Route("POST", "pdf", kwargs=lambda s: REISVERSLAG),
    "report_pdf_status": Route(
        "GET", "pdf-page", kwargs=lambda s: {**REISVERSLAG, "pk": s.export.pk}
    ),
    # The file, or (once the report reads differently) back to its status page.
    "report_pdf_download": Route("GET", "pdf", kwargs=lambda s: {**REISVERSLAG, "pk": s.export.pk}),
    # Indicators and their CSV import
    "indicators": Route("GET", "read"),
    "indicators_add": Route(
        "POST", "contribute", data=lambda s: {**DATA_POINT, "measured_on": "2025-04-01"}
    ),
    "indicators_import": Route("GET", "contribute-page"),
    "indicators_import_confirm": Route("POST", "contribute"),
    "indicators_example": Route("GET", "read"),
    # Werkzame elementen proposed to the editors
    "element_list": Route("GET", "read"),
    "element_propose": Route("GET", "contribute-page"),
    # Phase results
    "result": Route("GET", "read", kwargs=lambda s: OPDRACHT),
    "result_edit": Route("GET", "contribute-page", kwargs=lambda s: OPDRACHT),
    "result_history": Route("GET", "read", kwargs=lambda s: OPDRACHT),
    "result_diff": Route("GET", "read", kwargs=lambda s: OPDRACHT, query="?van=1&naar=2"),
    "result_submit": Route("POST", "facilitate", kwargs=lambda s: OPDRACHT),
    "result_approve": Route(
        "POST",
        "approve",
        kwargs=lambda s: OPDRACHT,
        data=lambda s: {"revision": s.opdracht.latest_revision_id},
    ),
    "result_return": Route(
        "POST", "approve", kwargs=lambda s: OPDRACHT, data=lambda s: {"note": "Scherper graag."}
    ),
}


def route_names(patterns) -> list[str]:
    """Every route's name, also those of included URLconfs."""
    names = []
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            names += route_names(pattern.url_patterns)
        else:
            names.append(pattern.name)
    return names


def test_every_journey_route_is_in_the_permission_matrix():
    names = route_names(urlpatterns)
    assert all(names), "every journey route has a name"
    missing = sorted(set(names) - ROUTES.keys())
    stale = sorted(ROUTES.keys() - set(names))
    assert not missing, f"routes without an entry in ROUTES: {missing}"
    assert not stale, f"entries in ROUTES without a route: {stale}"
    for name, route in ROUTES.items():
        assert route.method in ("GET", "POST"), name
        assert route.rule in EXPECTED or not route.in_journey, name


# --- Asking ---------------------------------------------------------------------------------

LOGIN_PATH = reverse("account_login")


def clients_for(personas) -> dict[str, Client]:
    clients = {}
    for viewer in VIEWERS:
        # A crash is reported as a 500 in the list of mismatches, not as an error midway.
        client = Client(raise_request_exception=False)
        if viewer != "anonymous":
            client.force_login(personas[PERSONA[viewer]])
        clients[viewer] = client
    return clients


def ask(client: Client, verb: str, url: str, data: dict | None = None):
    """One request whose effects are rolled back, so every viewer meets the same journey."""
    with transaction.atomic():
        response = client.get(url) if verb == "GET" else client.post(url, data or {})
        transaction.set_rollback(True)
    return response


def answer_of(response):
    if response.status_code == 302 and response["Location"].startswith(LOGIN_PATH):
        return LOGIN
    return response.status_code


def agrees(expected, got) -> bool:
    if expected == DONE:
        return got in (200, 302, 400)
    return got == expected


def describe(response) -> str:
    got = answer_of(response)
    if got == 302:
        return f"302 to {response['Location']}"
    if getattr(response, "exc_info", None):
        return f"{got} ({response.exc_info[1]!r})"
    return str(got)


# --- The matrix -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "visibility", [Visibility.BESLOTEN, Visibility.NETWERK, Visibility.OPENBAAR]
)
def test_every_journey_address_answers_each_viewer_as_the_matrix_says(
    personas, make_journey, visibility
):
    scene = build_scene(personas, make_journey, visibility)
    clients = clients_for(personas)
    mismatches = []
    for name, route in ROUTES.items():
        if not route.in_journey:
            continue
        url = reverse(
            f"journeys:{name}", kwargs={"slug": scene.journey.slug, **route.kwargs(scene)}
        )
        for viewer in VIEWERS:
            expected = expected_answer(route.rule, visibility, viewer)
            response = ask(clients[viewer], route.method, url + route.query, route.data(scene))
            if not agrees(expected, answer_of(response)):
                mismatches.append(
                    f"{route.method} journeys:{name} as {viewer} on {visibility}: "
                    f"expected {expected}, got {describe(response)}"
                )
    assert not mismatches, "\n".join(mismatches)


def test_allowed_actions_take_effect(personas, make_journey):
    """The matrix rolls every request back; here a few go through for real."""
    scene = build_scene(personas, make_journey, Visibility.BESLOTEN)
    clients = clients_for(personas)
    slug = scene.journey.slug

    def post(viewer: str, name: str, **kwargs):
        route = ROUTES[name]
        url = reverse(f"journeys:{name}", kwargs={"slug": slug, **route.kwargs(scene), **kwargs})
        return clients[viewer].post(url, route.data(scene))

    assert post("opdrachtgever", "result_approve").status_code == 302
    scene.opdracht.refresh_from_db()
    assert scene.opdracht.status == PhaseResult.Status.VASTGESTELD
    assert post("reisbegeleider", "move_phase").status_code == 302
    scene.journey.refresh_from_db()
    assert scene.journey.phase == Journey.Phase.VERKENNEN
    assert post("reiziger", "add_data_point").status_code == 302
    assert scene.journey.data_points.filter(indicator="Mantelzorgers").exists()
    assert post("reisbegeleider", "remove_member").status_code == 302
    assert not scene.journey.memberships.filter(pk=scene.extra.pk).exists()
    assert post("meelezer", "leave").status_code == 302
    assert not scene.journey.memberships.filter(user=personas["inwoner"]).exists()


def test_pages_outside_a_journey_are_open_to_everyone_and_starting_one_needs_an_account(
    personas,
):
    clients = clients_for(personas)
    for viewer in VIEWERS:
        assert clients[viewer].get(reverse("journeys:index")).status_code == 200, viewer
        answer = answer_of(clients[viewer].get(reverse("journeys:create")))
        assert answer == (LOGIN if viewer == "anonymous" else 200), viewer


def test_unknown_invitation_token_is_404_for_everyone(personas):
    clients = clients_for(personas)
    url = reverse("journeys:invitation", kwargs={"token": "bestaat-niet"})
    for viewer in VIEWERS:
        assert clients[viewer].get(url).status_code == 404, viewer
        assert clients[viewer].post(url, {"decision": "accept"}).status_code == 404, viewer


def test_invitation_link_shows_the_page_to_anyone_who_has_it(personas, make_journey):
    journey = make_journey("Verborgen reis", visibility=Visibility.BESLOTEN)
    invitation = services.invite(
        personas["reisbegeleider"], journey, email="gast@example.org", role=Role.REIZIGER
    )
    clients = clients_for(personas)
    url = reverse("journeys:invitation", kwargs={"token": invitation.token})
    for viewer in VIEWERS:
        response = clients[viewer].get(url)
        assert response.status_code == 200, viewer
        assert "Verborgen reis" in response.content.decode(), viewer


def test_closed_journey_is_absent_from_list_and_search_for_non_members(personas, make_journey):
    make_journey("Kwartiermakers in de open wijk", visibility=Visibility.OPENBAAR)
    make_journey("Kwartiermakers achter gesloten deuren", visibility=Visibility.BESLOTEN)
    hidden = "achter gesloten deuren"
    clients = clients_for(personas)
    for viewer in VIEWERS:
        for query in ("", "?q=Kwartiermakers", "?q=gesloten"):
            html = clients[viewer].get(reverse("journeys:index") + query).content.decode()
            shown = hidden in html
            assert shown == (viewer in MEMBERS | {"staff"}), f"{viewer} {query or 'list'}"
            if query != "?q=gesloten":
                # The open journey is found by everyone: the search itself works.
                assert "in de open wijk" in html, f"{viewer} {query or 'list'}"


# --- Query counts ---------------------------------------------------------------------------
#
# Each page is counted after one warm-up request (caches of content types and sites),
# with a small and a tenfold data set. The counts must be equal, and are pinned.


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def counts_small_and_large(client: Client, url: str, grow: Callable[[int], None]):
    grow(3)
    client.get(url)
    small = count_queries(client, url)
    grow(27)
    large = count_queries(client, url)
    return small, large


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_journey_list_query_count_is_fixed_when_journeys_grow_tenfold(personas):
    lead, reiziger = personas["reisbegeleider"], personas["professional"]
    gemeente = Organisation.objects.create(name="Gemeente Lindendal", kind="gemeente")
    partner = Organisation.objects.create(name="Welzijn Lindendal", kind="welzijn")
    visibilities = [Visibility.OPENBAAR, Visibility.NETWERK, Visibility.BESLOTEN]
    made = []

    def grow(n: int):
        for _ in range(n):
            i = len(made)
            journey = services.create_journey(
                lead,
                title=f"Reis {i}",
                challenge="Eenzaamheid",
                visibility=visibilities[i % 3],
                organisations=[gemeente, partner],
                themes=["eenzaamheid", f"thema {i}"],
            )
            add_member(journey, reiziger, Role.REIZIGER)
            made.append(journey)

    small, large = counts_small_and_large(signed_in(reiziger), reverse("journeys:index"), grow)
    assert small == large
    assert small == 9  # with the header's notification count


def test_dashboard_query_count_is_fixed_when_members_grow_tenfold(
    personas, make_journey, make_member
):
    journey = make_journey()
    members = []

    def grow(n: int):
        for _ in range(n):
            i = len(members)
            user = make_member(f"lid{i}@example.org", first_name=f"Lid {i}")
            members.append(add_member(journey, user, [Role.REIZIGER, Role.MEELEZER][i % 2]))

    url = reverse("journeys:dashboard", kwargs={"slug": journey.slug})
    small, large = counts_small_and_large(signed_in(personas["reisbegeleider"]), url, grow)
    assert small == large
    assert small == 15  # forum, agenda, boards, leervragen panels; header notifications


def test_members_page_query_count_is_fixed_when_members_invitations_and_requests_grow_tenfold(
    personas, make_journey, make_member
):
    journey = make_journey()
    lead = personas["reisbegeleider"]
    made = []

    def grow(n: int):
        for _ in range(n):
            i = len(made)
            user = make_member(f"lid{i}@example.org", first_name=f"Lid {i}")
            made.append(add_member(journey, user, Role.REIZIGER))
            services.invite(lead, journey, email=f"gast{i}@example.org", role=Role.MEELEZER)
            asker = make_member(f"vraag{i}@example.org", first_name=f"Vrager {i}")
            services.request_to_join(asker, journey, message="Mag ik meedoen?")

    url = reverse("journeys:members", kwargs={"slug": journey.slug})
    small, large = counts_small_and_large(signed_in(lead), url, grow)
    assert small == large
    assert small == 8  # with the header's notification count


def test_opdracht_page_and_history_query_counts_are_fixed_when_revisions_grow_tenfold(
    personas, make_journey
):
    journey = make_journey()
    authors = [personas["reisbegeleider"], personas["professional"], personas["opdrachtgever"]]
    result = services.result_for(journey, Kind.OPDRACHT)
    saved = []

    def grow(n: int):
        for _ in range(n):
            i = len(saved)
            result.refresh_from_db()
            saved.append(
                services.save_result(
                    authors[i % 3],
                    result,
                    content={"vraag": f"Versie {i}"},
                    base_revision_id=result.latest_revision_id,
                )
            )

    client = signed_in(personas["professional"])
    urls = {
        name: reverse(f"journeys:{name}", kwargs={"slug": journey.slug, "kind_slug": "opdracht"})
        for name in ("result", "result_history")
    }
    grow(3)
    for url in urls.values():
        client.get(url)
    small = {name: count_queries(client, url) for name, url in urls.items()}
    grow(27)
    large = {name: count_queries(client, url) for name, url in urls.items()}
    assert small == large
    assert small == {"result": 8, "result_history": 8}  # with the notification count


def test_foto_page_query_count_is_fixed_when_data_points_and_documents_grow_tenfold(
    personas, make_journey
):
    journey = make_journey()
    lead, reiziger = personas["reisbegeleider"], personas["professional"]
    fill_and_approve(journey)
    services.move_phase(lead, journey, to_phase=Journey.Phase.VERKENNEN)
    lenses = method.lens_keys()
    added = []

    def grow(n: int):
        for _ in range(n):
            i = len(added)
            who = [lead, reiziger][i % 2]
            lens = lenses[i % len(lenses)]
            added.append(services.add_data_point(who, journey, **{**DATA_POINT, "lens": lens}))
            services.add_document(
                who, journey, lens=lens, title=f"Rapport {i}", url=f"https://example.org/{i}"
            )

    url = reverse("journeys:result", kwargs={"slug": journey.slug, "kind_slug": "foto"})
    small, large = counts_small_and_large(signed_in(reiziger), url, grow)
    assert small == large
    assert small == 13  # with the header's notification count, the items and the latest PDF


def test_activity_page_query_count_is_fixed_when_activity_grows_tenfold(personas, make_journey):
    journey = make_journey()
    authors = [personas["reisbegeleider"], personas["professional"], personas["opdrachtgever"]]
    phase = journey.canvas_phases.first()
    added = []

    def grow(n: int):
        for _ in range(n):
            i = len(added)
            added.append(
                services.add_canvas_entry(
                    authors[i % 3], journey, phase=phase, block="financiering", actor_name=f"A{i}"
                )
            )

    url = reverse("journeys:activity", kwargs={"slug": journey.slug})
    small, large = counts_small_and_large(signed_in(personas["inwoner"]), url, grow)
    assert small == large
    assert small == 7  # with the header's notification count
