"""Journeys for the tests, built through the services as the platform itself does."""

from __future__ import annotations

import pytest

from journeys import services
from journeys.models import Journey, Membership

Role = Membership.Role


@pytest.fixture
def make_journey(personas):
    """make_journey(visibility="besloten") -> a journey led by the reisbegeleider persona,
    with the opdrachtgever, a reiziger (professional) and a meelezer (inwoner)."""

    def make(
        title: str = "Samen tegen eenzaamheid", *, visibility=Journey.Visibility.NETWERK, **fields
    ):
        journey = services.create_journey(
            personas["reisbegeleider"],
            title=title,
            challenge=fields.pop("challenge", "Eenzaamheid onder ouderen"),
            visibility=visibility,
            **fields,
        )
        for role, persona in (
            (Role.OPDRACHTGEVER, "opdrachtgever"),
            (Role.REIZIGER, "professional"),
            (Role.MEELEZER, "inwoner"),
        ):
            add_member(journey, personas[persona], role)
        return journey

    return make


def add_member(journey: Journey, user, role: str) -> Membership:
    """Through the real door: an invitation accepted by the invited account."""
    invitation = services.invite(
        journey.memberships.get(role=Role.REISBEGELEIDER).user, journey, email=user.email, role=role
    )
    return services.accept_invitation(user, invitation.token)


def fill_and_approve(journey: Journey, *, text: str = "Hoe voorkomen we eenzaamheid?"):
    """Write the current phase's result, submit it and have the opdrachtgever approve it."""
    facilitator = journey.memberships.get(role=Role.REISBEGELEIDER).user
    opdrachtgever = journey.memberships.get(role=Role.OPDRACHTGEVER).user
    result = services.result_for(journey, journey.result_kind)
    first_key = next(iter(services.method.section_keys(result.kind)))
    revision = services.save_result(
        facilitator, result, content={first_key: text}, base_revision_id=result.latest_revision_id
    )
    services.submit_result(facilitator, result)
    services.approve_result(opdrachtgever, result, revision_id=revision.pk)
    return result
