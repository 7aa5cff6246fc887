"""Demo events for `seed_demo`, built through the event services, in our own words: a
past session with its verslag, upcoming sessions, a series, a full meeting with a
waiting list, and a network-wide day. Events that exist (by title) are skipped, so a
second run changes nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import IO

from django.db import transaction
from django.utils import timezone

from community.models import Event, User
from community.services import events
from community.services.events import AMSTERDAM, EventDetails
from journeys.models import Journey

Status = events.Status
LONELINESS = "minder-eenzaam-oosterwaard-lindendal"
POVERTY = "armoede-interventies-waardenland"
NEIGHBOURHOOD = "werk-en-meedoen-kruidenbuurt"


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate(timezone=AMSTERDAM) + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM)


def _people() -> dict[str, User]:
    return {
        u.email.split("@", 1)[0]: u for u in User.objects.filter(email__endswith="@example.org")
    }


def _exists(title: str, journey: Journey | None) -> bool:
    return Event.objects.filter(title=title, journey=journey).exists()


def seed_events(stdout: IO | None = None) -> int:
    people = _people()
    journeys = {
        j.slug: j for j in Journey.objects.filter(slug__in=[LONELINESS, POVERTY, NEIGHBOURHOOD])
    }
    if len(journeys) < 3 or "reisbegeleider" not in people:
        return 0
    rosa = people["reisbegeleider"]
    made = 0

    with transaction.atomic():
        title = "Terugblik: wat zagen we bij de keukentafelgesprekken?"
        if not _exists(title, journeys[LONELINESS]):
            past = events.create_event(
                rosa,
                EventDetails(
                    title=title,
                    description="We legden de verhalen uit de gesprekken naast de cijfers.",
                    starts_at=_at(-14, 19, 30),
                    ends_at=_at(-14, 21, 30),
                    form=Event.Form.FYSIEK,
                    address="Buurthuis De Linde, Lindendal",
                ),
                journey=journeys[LONELINESS],
            )
            events.record_report(
                rosa,
                past,
                report=(
                    "Twaalf mensen deden mee. Opvallend: wie eenzaam is, wil vaak eerst één "
                    "vertrouwd gezicht. Dat nemen we mee in de foto onder 'verhalen uit de "
                    "leefwereld'."
                ),
                attendance=12,
            )
            made += 1

        title = "Leerbijeenkomst: wat hebben we gezien in de wijk?"
        if not _exists(title, journeys[LONELINESS]):
            upcoming = events.create_event(
                rosa,
                EventDetails(
                    title=title,
                    description="We delen wat de verkenning tot nu toe oplevert en kiezen de "
                    "vragen die we verder uitzoeken.",
                    starts_at=_at(9, 19, 30),
                    ends_at=_at(9, 21, 30),
                    form=Event.Form.HYBRIDE,
                    address="Wijkcentrum De Linde, Lindenplein 4, Lindendal",
                    online_url="https://meet.example.org/minder-eenzaam-leerbijeenkomst",
                    capacity=25,
                    registration_deadline=_at(8, 12),
                ),
                journey=journeys[LONELINESS],
            )
            for role, status in (
                ("professional", Status.AANWEZIG),
                ("onderzoeker", Status.MISSCHIEN),
            ):
                if role in people:
                    events.register(people[role], upcoming, status, send_email=False)
            made += 1

        title = "Intervisie vroegsignalering"
        if not _exists(title, journeys[POVERTY]):
            events.create_series(
                rosa,
                EventDetails(
                    title=title,
                    description="Om de week een uur: één casus, wat werkte, wat schuurde.",
                    starts_at=_at(6, 9, 0),
                    ends_at=_at(6, 10, 0),
                    form=Event.Form.ONLINE,
                    online_url="https://meet.example.org/intervisie-armoede",
                ),
                frequency="fortnightly",
                count=4,
                journey=journeys[POVERTY],
            )
            made += 4

        title = "Werkatelier met werkgevers uit de buurt"
        if not _exists(title, journeys[NEIGHBOURHOOD]):
            full = events.create_event(
                rosa,
                EventDetails(
                    title=title,
                    description="Klein en aan één tafel: welke werkgever biedt de eerste "
                    "stap naar betaald werk?",
                    starts_at=_at(12, 15, 0),
                    ends_at=_at(12, 17, 0),
                    form=Event.Form.FYSIEK,
                    address="Wijkbedrijf Kruidenbuurt, Tijmstraat 12",
                    capacity=2,
                ),
                journey=journeys[NEIGHBOURHOOD],
            )
            for role in ("opdrachtgever", "professional", "inwoner"):
                if role in people:
                    events.register(
                        people[role], full, Status.AANWEZIG, send_email=False
                    )  # 3rd waits
            made += 1

        title = "Netwerkdag Aanpakken met Impact"
        if "beheerder" in people and not _exists(title, None):
            events.create_event(
                people["beheerder"],
                EventDetails(
                    title=title,
                    description="Een dag voor alle reizen samen: werkzame elementen delen, "
                    "leervragen ophalen en elkaar ontmoeten.",
                    starts_at=_at(30, 10, 0),
                    ends_at=_at(30, 16, 0),
                    form=Event.Form.FYSIEK,
                    address="Stadskantoor Oosterwaard, Marktplein 1",
                    capacity=120,
                ),
            )
            made += 1

    if stdout is not None:
        stdout.write(f"Demo events ready ({made} new): /agenda/ and the journeys' agenda tabs.\n")
    return made
