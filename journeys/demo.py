"""Demo journeys for `manage.py seed_demo`, built through the journey services.

Three journeys in three phases and three visibilities, with the demo personas in every
role (community/demo.py):

- minder-eenzaam-oosterwaard-lindendal (openbaar, verkennen): the opdracht is
  vastgesteld, the foto is half written, with figures and documents;
- armoede-interventies-waardenland (netwerk, (in)richten in cycle 2): a full cycle
  behind it, every result vastgesteld, and an open request to join;
- werk-en-meedoen-kruidenbuurt (besloten, reiswens): the opdracht waits for the
  opdrachtgever, the Impact Canvas shows witte vlekken and doublures, and an invitation
  waits for someone without an account.

The places, organisations, people and figures are invented. Idempotent: a journey whose
slug exists is left as it is, organisations are found by name and a profile someone
already filled in is not touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO

from django.db import transaction

from community import services as community_services
from community.demo import PERSONAS
from community.models import Organisation, User
from journeys import services
from journeys.models import BuildingBlock, CanvasEntry, Journey, Membership, PhaseResult

Role = Membership.Role
Kind = PhaseResult.Kind
Phase = Journey.Phase
Org = Organisation.Kind
Block = BuildingBlock
Entry = CanvasEntry.Status


# --- Organisations and profiles -----------------------------------------------------------

ORGANISATIONS = [
    ("Gemeente Oosterwaard", Org.GEMEENTE, "https://oosterwaard.example.org"),
    ("Gemeente Lindendal", Org.GEMEENTE, "https://lindendal.example.org"),
    ("Gemeente Vlietmonde", Org.GEMEENTE, "https://vlietmonde.example.org"),
    ("Stichting Welzijn Waardenland", Org.WELZIJN, "https://welzijnwaardenland.example.org"),
    ("Zorgcollectief De Waarden", Org.ZORG, "https://zorgcollectiefdewaarden.example.org"),
    ("Hogeschool Midden-Waarden", Org.KENNISINSTELLING, "https://hsmiddenwaarden.example.org"),
    ("Leerhuis Sociaal Domein", Org.ONDERWIJS, "https://leerhuis.example.org"),
    ("Wijkbedrijf Kruidenbuurt", Org.BEDRIJF, "https://wijkbedrijfkruidenbuurt.example.org"),
    ("Buurtkracht Kruidenbuurt", Org.INWONERSINITIATIEF, ""),
]

# role -> (organisation, job title, expertise)
PROFILES = {
    "reisbegeleider": (
        "Gemeente Oosterwaard",
        "programmamanager sociaal domein",
        ["procesbegeleiding", "netwerksamenwerking", "impactgericht werken"],
    ),
    "opdrachtgever": (
        "Gemeente Oosterwaard",
        "directeur sociaal domein",
        ["sturing", "beleid sociaal domein"],
    ),
    "professional": (
        "Stichting Welzijn Waardenland",
        "opbouwwerker",
        ["ouderenwerk", "armoede", "vrijwilligerswerk"],
    ),
    "inwoner": (
        "Buurtkracht Kruidenbuurt",
        "vrijwilliger en ervaringsdeskundige",
        ["ervaringskennis", "buurtnetwerk"],
    ),
    "onderzoeker": (
        "Hogeschool Midden-Waarden",
        "onderzoeker lectoraat Sociale Veerkracht",
        ["evaluatieonderzoek", "eenzaamheid", "participatie"],
    ),
    "trainer": (
        "Leerhuis Sociaal Domein",
        "trainer impactgericht werken",
        ["training", "werkzame elementen"],
    ),
    "redacteur": (
        "Gemeente Lindendal",
        "communicatieadviseur en redacteur kennisbank",
        ["kennisdeling", "redactie"],
    ),
    "beheerder": ("Gemeente Oosterwaard", "functioneel beheerder", ["platformbeheer"]),
}


def ensure_organisations() -> dict[str, Organisation]:
    organisations = {}
    for name, kind, website in ORGANISATIONS:
        organisations[name], _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "website": website}
        )
    return organisations


def fill_profiles(people: dict[str, User], organisations: dict[str, Organisation]) -> None:
    """Give each persona an organisation, a job title and expertise, once: a profile that
    already has an organisation or job title stays as its owner left it."""
    for role, (organisation, job_title, expertise) in PROFILES.items():
        member = people.get(role)
        if member is None or member.organisation_id or member.job_title:
            continue
        community_services.update_profile(
            None,
            member,
            first_name=member.first_name,
            last_name=member.last_name,
            organisation=organisations[organisation],
            job_title=job_title,
            expertise=expertise
            if not member.expertise.exists()
            else list(member.expertise.names()),
        )


# --- Small steps, each one service call ---------------------------------------------------


def _fresh(journey: Journey) -> Journey:
    # Services lock and save their own copy; read the phase and cycle they left.
    return Journey.objects.get(pk=journey.pk)


def _write(actor: User, journey: Journey, kind: str, content: dict[str, str], note: str) -> None:
    result = services.result_for(journey, kind)
    services.save_result(
        actor, result, content=content, base_revision_id=result.latest_revision_id, note=note
    )


def _settle(reisbegeleider: User, opdrachtgever: User, journey: Journey, kind: str) -> None:
    """The reisbegeleider submits the current text and the opdrachtgever vaststelt it."""
    result = services.submit_result(reisbegeleider, services.result_for(journey, kind))
    services.approve_result(opdrachtgever, result, revision_id=result.latest_revision_id)


def _move(actor: User, journey: Journey, to_phase: str, note: str) -> Journey:
    services.move_phase(actor, journey, to_phase=to_phase, note=note)
    return _fresh(journey)


def _invite_and_accept(host: User, journey: Journey, member: User, role: str, message: str):
    invitation = services.invite(
        host, journey, email=member.email, role=role, message=message, send_email=False
    )
    services.accept_invitation(member, invitation.token)


def _ask_and_admit(host: User, journey: Journey, member: User, role: str, message: str):
    request = services.request_to_join(member, journey, message=message)
    services.decide_join_request(host, request, approve=True, role=role)


def _data(actor: User, journey: Journey, point: tuple[str, str, str, str, str, date]) -> None:
    lens, indicator, value, unit, source, measured_on = point
    services.add_data_point(
        actor,
        journey,
        lens=lens,
        indicator=indicator,
        value=Decimal(value),
        unit=unit,
        source=source,
        measured_on=measured_on,
    )


# --- Journey 1: eenzaamheid onder ouderen (openbaar, verkennen) ---------------------------

LONELINESS_SLUG = "minder-eenzaam-oosterwaard-lindendal"

LONELINESS_OPDRACHT = {
    "vraag": (
        "Hoe zorgen we er samen voor dat minder inwoners van 75 jaar en ouder zich eenzaam "
        "voelen, en dat wie het wel is sneller iemand vindt om mee te praten of iets mee te "
        "doen?"
    ),
    "aanleiding": (
        "Volgens de laatste monitor voelt ongeveer een op de acht oudste inwoners zich "
        "ernstig eenzaam, en dat aandeel groeit. Huisartsen en wijkverpleging merken het in "
        "hun spreekuur. Beide colleges noemen eenzaamheid een speerpunt voor deze periode."
    ),
    "ambitie": (
        "Over drie jaar kennen meer ouderen iemand in de buurt bij wie ze kunnen aankloppen, "
        "en weten professionals en vrijwilligers elkaar te vinden zodra ze zich zorgen maken. "
        "We kijken naar de monitor én naar wat ouderen zelf vertellen."
    ),
    "context": (
        "Er is al veel: koffieochtenden, een belcirkel, huisbezoeken door vrijwilligers en "
        "activiteiten in de bibliotheek. Het aanbod is versnipperd en bereikt vooral wie al "
        "actief is. Oosterwaard en Lindendal delen een welzijnsorganisatie en een "
        "zorgaanbieder, dus samenwerken over de gemeentegrens ligt voor de hand."
    ),
    "facilitatie": (
        "Rosa Verhoeven is reisbegeleider, twee dagen per week. Er is een klein budget voor "
        "bijeenkomsten, en een onderzoeker van Hogeschool Midden-Waarden denkt mee."
    ),
}

# Three members write the foto in turns; five of the nine lenses have text so far.
LONELINESS_FOTO_STEPS = [
    (
        "professional",
        "Eerste aanzet: cijfers, praktijk en verhalen",
        {
            "data": (
                "De monitor laat zien dat eenzaamheid vooral toeneemt boven de 85 jaar en bij "
                "mensen die kortgeleden hun partner verloren. Bijna de helft van de 75-plussers "
                "woont alleen."
            ),
            "lokale_praktijk": (
                "Welzijn draait een belcirkel en koffieochtenden in vier buurthuizen. "
                "Vrijwilligers gaan op huisbezoek bij wie 80 wordt. Deelnemers zijn tevreden, "
                "maar het zijn vaak dezelfde gezichten."
            ),
            "verhalen_leefwereld": (
                "In tien keukentafelgesprekken hoorden we dat schaamte een grote drempel is. "
                "Een weduwnaar vertelde dat hij pas naar de koffieochtend ging toen de "
                "buurvrouw een keer meeliep."
            ),
        },
    ),
    (
        "onderzoeker",
        "Kennis uit onderzoek toegevoegd",
        {
            "kennis_wetenschap": (
                "Onderzoek maakt onderscheid tussen sociale eenzaamheid (te weinig contacten) "
                "en emotionele eenzaamheid (het missen van een hechte band). Activiteiten "
                "helpen vooral bij het eerste; bij het tweede werkt persoonlijke aandacht over "
                "een langere periode beter."
            ),
        },
    ),
    (
        "reisbegeleider",
        "Beleidscontext beschreven",
        {
            "beleidscontext": (
                "Beide gemeenten hebben een lokale coalitie tegen eenzaamheid en sloten aan "
                "bij het landelijke actieprogramma. Het thema staat ook in de regionale "
                "gezondheidsagenda."
            ),
        },
    ),
]

LONELINESS_DATA = [
    (
        "data",
        "75-plussers die zich ernstig eenzaam voelen",
        "12.50",
        "%",
        "Gezondheidsmonitor ouderen, regio Waardenland (demo)",
        date(2024, 10, 1),
    ),
    (
        "data",
        "75-plussers die alleen wonen",
        "46.00",
        "%",
        "Basisregistratie personen, Oosterwaard en Lindendal (demo)",
        date(2025, 1, 1),
    ),
    (
        "lokale_praktijk",
        "Deelnemers aan de belcirkel",
        "86",
        "deelnemers",
        "Jaarcijfers Stichting Welzijn Waardenland (demo)",
        date(2024, 12, 31),
    ),
]

LONELINESS_DOCUMENTS = [
    (
        "beleidscontext",
        "Actieprogramma Eén tegen eenzaamheid",
        "https://www.eentegeneenzaamheid.nl/",
    ),
    (
        "wettelijke_grondslag",
        "Wet maatschappelijke ondersteuning 2015",
        "https://wetten.overheid.nl/BWBR0035362/",
    ),
]


def build_loneliness(people: dict[str, User], organisations: dict[str, Organisation]) -> Journey:
    rosa, marieke = people["reisbegeleider"], people["opdrachtgever"]
    journey = services.create_journey(
        rosa,
        title="Samen minder eenzaam in Oosterwaard en Lindendal",
        slug=LONELINESS_SLUG,
        challenge="Eenzaamheid onder oudere inwoners",
        summary=(
            "Twee gemeenten en hun partners zoeken samen uit waarom oudere inwoners zich "
            "eenzaam voelen en wat hen helpt. De verkenning loopt: cijfers, gesprekken aan de "
            "keukentafel en een overzicht van wat er al is."
        ),
        visibility=Journey.Visibility.OPENBAAR,
        scenario=Journey.Scenario.STRATEGISCHE_START,
        organisations=[
            organisations[name]
            for name in (
                "Gemeente Oosterwaard",
                "Gemeente Lindendal",
                "Stichting Welzijn Waardenland",
                "Zorgcollectief De Waarden",
                "Hogeschool Midden-Waarden",
            )
        ],
        themes=["eenzaamheid", "ouderen", "welzijn"],
    )
    _invite_and_accept(
        rosa,
        journey,
        marieke,
        Role.OPDRACHTGEVER,
        "Wil jij namens beide gemeenten opdrachtgever zijn voor deze reis?",
    )
    _ask_and_admit(
        rosa,
        journey,
        people["professional"],
        Role.REIZIGER,
        "Ik organiseer de koffieochtenden en wil graag meedenken.",
    )
    _ask_and_admit(
        rosa,
        journey,
        people["onderzoeker"],
        Role.REIZIGER,
        "Ons lectoraat kan helpen bij de verkenning en het duiden van de cijfers.",
    )
    _ask_and_admit(
        rosa,
        journey,
        people["inwoner"],
        Role.MEELEZER,
        "Mijn moeder woont alleen; ik lees graag mee.",
    )

    _write(rosa, journey, Kind.OPDRACHT, LONELINESS_OPDRACHT, "Opdracht na de startbijeenkomst")
    _settle(rosa, marieke, journey, Kind.OPDRACHT)
    journey = _move(
        rosa,
        journey,
        Phase.VERKENNEN,
        "De opdracht is vastgesteld. We gaan op verkenning: cijfers verzamelen, met ouderen "
        "praten en het aanbod in kaart brengen.",
    )

    content: dict[str, str] = {}
    for role, note, sections in LONELINESS_FOTO_STEPS:
        content = {**content, **sections}
        _write(people[role], journey, Kind.FOTO, content, note)
    for point in LONELINESS_DATA:
        _data(people["onderzoeker"], journey, point)
    for lens, title, url in LONELINESS_DOCUMENTS:
        services.add_document(rosa, journey, lens=lens, title=title, url=url)
    return journey


# --- Journey 2: armoede-interventies (netwerk, a full cycle, now (in)richten) -------------

POVERTY_SLUG = "armoede-interventies-waardenland"

POVERTY_OPDRACHT = {
    "vraag": (
        "Welke armoede-interventies helpen huishoudens met een laag inkomen echt verder, en "
        "hoe zetten drie gemeenten die gerichter in?"
    ),
    "aanleiding": (
        "De gemeenten besteden samen veel aan regelingen en schuldhulp, maar weten weinig "
        "over wat het oplevert. Veel huishoudens melden zich pas als de schulden hoog zijn "
        "opgelopen. De raden vroegen om een aanpak waarvan het effect zichtbaar wordt."
    ),
    "ambitie": (
        "Huishoudens krijgen eerder en met minder drempels hulp. We stoppen met wat niet "
        "werkt en versterken wat wel werkt, onderbouwd met cijfers en ervaringen."
    ),
    "context": (
        "Oosterwaard, Lindendal en Vlietmonde werken al samen in de schuldhulpverlening. Er "
        "is een minimaregeling, een team voor vroegsignalering en een groep vrijwilligers "
        "die helpt met de thuisadministratie."
    ),
    "facilitatie": (
        "Rosa Verhoeven is reisbegeleider namens de drie gemeenten. Omar El Amrani helpt bij "
        "het verzamelen en duiden van de cijfers."
    ),
}

POVERTY_FOTO = {
    "data": (
        "Bijna een op de tien huishoudens leeft van een inkomen rond het sociaal minimum. "
        "Van de huishoudens die recht hebben op de meedoenregeling gebruikt minder dan de "
        "helft die."
    ),
    "verhalen_leefwereld": (
        "Ouders vertellen dat ze pas hulp zoeken als het echt niet meer gaat, uit schaamte of "
        "omdat ze niet weten waar ze recht op hebben."
    ),
    "klantreizen": (
        "We volgden vijf huishoudens langs loketten. Gemiddeld vulden ze vier formulieren in "
        "en spraken ze zes verschillende medewerkers voordat de hulp op gang kwam."
    ),
    "wettelijke_grondslag": (
        "De Participatiewet regelt bijstand en bijzondere bijstand; de Wet gemeentelijke "
        "schuldhulpverlening maakt vroegsignalering na betalingsachterstanden mogelijk."
    ),
    "voorbeelden_wat_werkt": (
        "Elders helpt het om na een signaal snel en persoonlijk contact te zoeken, en om "
        "regelingen met één aanvraag toe te kennen."
    ),
}

POVERTY_DATA = [
    (
        "data",
        "Huishoudens met een inkomen tot 120% van het sociaal minimum",
        "9.80",
        "%",
        "Armoedemonitor regio Waardenland (demo)",
        date(2024, 1, 1),
    ),
    (
        "data",
        "Gebruik van de meedoenregeling door rechthebbenden",
        "48.00",
        "%",
        "Uitvoeringscijfers drie gemeenten (demo)",
        date(2024, 6, 30),
    ),
    (
        "lokale_praktijk",
        "Aanmeldingen bij schuldhulpverlening",
        "412",
        "aanmeldingen",
        "Jaarverslag schuldhulpverlening Waardenland (demo)",
        date(2023, 12, 31),
    ),
]

POVERTY_AANPAK = {
    "focus_groepen": (
        "Gezinnen met kinderen en werkende huishoudens met een inkomen net boven de bijstandsgrens."
    ),
    "focus_gebieden": (
        "De drie wijken met de meeste betalingsachterstanden: de Kruidenbuurt in Oosterwaard, "
        "Lindendal-Oost en het centrum van Vlietmonde."
    ),
    "focus_problematiek": (
        "Achterstanden vroeg opmerken, en het niet-gebruik van regelingen terugdringen."
    ),
    "waartoe": (
        "Minder huishoudens met problematische schulden en meer rust in gezinnen, zodat "
        "kinderen er minder last van hebben."
    ),
    "wat": (
        "Binnen een week contact na een signaal van woningcorporatie of energieleverancier, "
        "één eenvoudige aanvraag voor alle regelingen, en spreekuren op plekken waar mensen "
        "toch al komen."
    ),
    "met_wie": (
        "Schuldhulpverlening, welzijn, de voedselbank, woningcorporaties, scholen en "
        "ervaringsdeskundigen die meedenken over taal en toon."
    ),
    "waarmee": (
        "Een gedeelde werkwijze voor vroegsignalering, een verkorte aanvraag en de werkzame "
        "elementen uit de kennisbank."
    ),
    "middelen": (
        "Budget uit het regionale armoedeprogramma, anderhalve formatieplaats voor "
        "vroegsignalering en onderzoeksuren van de hogeschool."
    ),
    "organisatie": (
        "Een kernteam van zes mensen overlegt om de week; elk kwartaal komt het hele netwerk "
        "bij elkaar."
    ),
    "governance": (
        "De opdrachtgever stelt programma-aanpak en reisverslag vast. De drie wethouders "
        "krijgen twee keer per jaar een korte voortgangsnotitie."
    ),
}

POVERTY_REISVERSLAG = {
    "samenvatting": "Een jaar vroegsignalering en eenvoudiger aanvragen in drie wijken.",
    "verhalen": (
        "Een moeder uit Lindendal-Oost vertelde dat het telefoontje na haar huurachterstand "
        "de eerste keer was dat iemand vroeg hoe het met háár ging. Vrijwilligers van de "
        "thuisadministratie zagen mensen afhaken bij lange formulieren."
    ),
    "data": (
        "Na 640 signalen nam het team contact op; in ruim de helft volgde een gesprek. Het "
        "gebruik van de meedoenregeling steeg van 48 naar 61 procent."
    ),
    "werkzame_elementen": (
        "Snel en persoonlijk contact na een signaal; één aanvraag voor meerdere regelingen; "
        "hulp op vertrouwde plekken zoals de school of het buurthuis."
    ),
    "leervragen": (
        "Twee vragen hielden het netwerk bezig: waarom huishoudens afhaken bij aanvragen, en "
        "of vroegsignalering ook werkende huishoudens bereikt. De antwoorden staan hieronder."
    ),
    "bijeenkomsten": (
        "Drie netwerkdagen en een online sessie met het bord van drie perspectieven. Daar "
        "kwamen inwoners, uitvoerders en beleidsmakers voor het eerst samen aan tafel."
    ),
    "opbrengst": (
        "Minder nieuwe aanmeldingen met hoge schulden, en partners die elkaar sneller vinden. "
        "Het spreekuur in het centrum van Vlietmonde trok weinig bezoekers."
    ),
    "vervolg": (
        "Volgende cyclus: meer aandacht voor werkende huishoudens, stoppen met het spreekuur "
        "dat niet loopt, en de vroegsignalering verbinden met de scholen."
    ),
}

# Cycle 2 starts from the agreed programme; the network sharpens these sections.
POVERTY_AANPAK_CYCLE_2 = {
    "focus_groepen": (
        "Werkende huishoudens met een laag inkomen komen voorop; gezinnen met kinderen "
        "blijven in beeld via de scholen."
    ),
    "focus_gebieden": (
        "De Kruidenbuurt en Lindendal-Oost. In Vlietmonde zoeken we eerst met bewoners een "
        "betere plek dan het spreekuur in het centrum."
    ),
    "wat": (
        "Vroegsignalering blijft; nieuw is een signaal via de scholen en avondspreekuren "
        "voor wie overdag werkt."
    ),
}


def build_poverty(people: dict[str, User], organisations: dict[str, Organisation]) -> Journey:
    rosa, marieke = people["reisbegeleider"], people["opdrachtgever"]
    journey = services.create_journey(
        rosa,
        title="Armoede-interventies die werken",
        slug=POVERTY_SLUG,
        challenge="Armoede en geldzorgen bij huishoudens met een laag inkomen",
        summary=(
            "Drie gemeenten onderzoeken welke armoede-interventies huishoudens echt verder "
            "helpen. Het eerste jaar doen en leren zit erop; de programma-aanpak wordt nu "
            "aangescherpt voor de tweede ronde."
        ),
        visibility=Journey.Visibility.NETWERK,
        scenario=Journey.Scenario.IMPACT_DEEP_DIVING,
        organisations=[
            organisations[name]
            for name in (
                "Gemeente Oosterwaard",
                "Gemeente Lindendal",
                "Gemeente Vlietmonde",
                "Stichting Welzijn Waardenland",
                "Hogeschool Midden-Waarden",
            )
        ],
        themes=["armoede", "schulden", "bestaanszekerheid"],
    )
    _invite_and_accept(
        rosa,
        journey,
        marieke,
        Role.OPDRACHTGEVER,
        "Jij stelt namens de drie gemeenten de resultaten vast.",
    )
    _ask_and_admit(
        rosa,
        journey,
        people["professional"],
        Role.REIZIGER,
        "Ik zie in de buurthuizen veel geldzorgen en wil meedoen.",
    )
    _ask_and_admit(
        rosa,
        journey,
        people["onderzoeker"],
        Role.MEELEZER,
        "Ik volg de reis voor ons onderzoek naar bestaanszekerheid.",
    )
    _invite_and_accept(
        rosa,
        journey,
        people["inwoner"],
        Role.MEELEZER,
        "Lees je mee? Jouw ervaring helpt ons de taal van de regelingen te verbeteren.",
    )

    # Reiswens -> opdracht.
    _write(rosa, journey, Kind.OPDRACHT, POVERTY_OPDRACHT, "Opdracht zoals besproken met de raden")
    _settle(rosa, marieke, journey, Kind.OPDRACHT)
    journey = _move(
        rosa,
        journey,
        Phase.VERKENNEN,
        "Opdracht vastgesteld. De verkenning begint met cijfers uit de drie gemeenten en "
        "gesprekken met huishoudens.",
    )

    # Verkennen -> foto.
    for point in POVERTY_DATA:
        _data(people["professional"], journey, point)
    _write(people["professional"], journey, Kind.FOTO, POVERTY_FOTO, "Foto van de verkenning")
    _settle(rosa, marieke, journey, Kind.FOTO)
    journey = _move(
        rosa,
        journey,
        Phase.INRICHTEN,
        "De foto is rond. Nu kiezen: welke groepen en welke wijken eerst?",
    )

    # (In)richten -> programma-aanpak.
    _write(rosa, journey, Kind.PROGRAMMA_AANPAK, POVERTY_AANPAK, "Keuzes uit de netwerkdag")
    _settle(rosa, marieke, journey, Kind.PROGRAMMA_AANPAK)
    journey = _move(
        rosa,
        journey,
        Phase.DOEN_EN_LEREN,
        "Programma-aanpak vastgesteld. We gaan aan de slag in drie wijken.",
    )

    # Doen en leren -> reisverslag, then back to (in)richten for cycle 2.
    _write(
        people["professional"],
        journey,
        Kind.REISVERSLAG,
        POVERTY_REISVERSLAG,
        "Reisverslag na het eerste jaar",
    )
    # The ervaringsdeskundige now writes along.
    inwoner = journey.memberships.get(user=people["inwoner"])
    services.change_role(rosa, inwoner, Role.REIZIGER)
    # The reisverslag is composed from the network's stories, figures, answers and
    # meetings once those exist (journeys/reports/demo.py), then vastgesteld: that starts
    # cycle 2 (finish_poverty_cycle below).
    return journey


def finish_poverty_cycle(people: dict[str, User]) -> Journey:
    """The opdrachtgever vaststelt the (composed) reisverslag of cycle 1, which starts
    cycle 2; the network then sharpens its programma-aanpak. Idempotent."""
    journey = Journey.objects.get(slug=POVERTY_SLUG)
    if journey.phase != Phase.DOEN_EN_LEREN:
        return journey
    rosa, marieke = people["reisbegeleider"], people["opdrachtgever"]
    _settle(rosa, marieke, journey, Kind.REISVERSLAG)
    journey = _fresh(journey)

    # Cycle 2's programme gets sharper.
    agreed = services.result_for(journey, Kind.PROGRAMMA_AANPAK).content
    _write(
        rosa,
        journey,
        Kind.PROGRAMMA_AANPAK,
        {**agreed, **POVERTY_AANPAK_CYCLE_2},
        "Aangescherpt na het reisverslag van cyclus 1",
    )

    # A trainer asks to join; the reisbegeleider has not decided yet.
    services.request_to_join(
        people["trainer"],
        journey,
        message=(
            "Ik geef trainingen over werkzame elementen en zou de lessen uit deze reis graag "
            "in de cursus gebruiken."
        ),
    )
    return journey


# --- Journey 3: wijkbedrijf en werkontwikkeling (besloten, reiswens, Impact Canvas) -------

NEIGHBOURHOOD_SLUG = "werk-en-meedoen-kruidenbuurt"

NEIGHBOURHOOD_DRAFT = {
    "vraag": (
        "Hoe helpt het wijkbedrijf bewoners van de Kruidenbuurt met een uitkering en een "
        "grote afstand tot werk om mee te doen?"
    ),
    "context": (
        "Het wijkbedrijf heeft een klusteam en een buurtkantine. Bewoners en buurtorganisaties "
        "bieden opdrachten aan."
    ),
}

NEIGHBOURHOOD_OPDRACHT = {
    "vraag": (
        "Hoe helpt het wijkbedrijf bewoners van de Kruidenbuurt met een uitkering en een "
        "grote afstand tot werk om mee te doen, en hoe wordt dat voor een deel van hen een "
        "betaalde baan?"
    ),
    "aanleiding": (
        "In de Kruidenbuurt wonen relatief veel mensen die al jaren een uitkering hebben en "
        "weinig buiten de deur komen. Een eerder project met leer-werkopdrachten bracht hen "
        "in beweging, maar daarna vond bijna niemand betaald werk."
    ),
    "ambitie": (
        "Meer bewoners doen mee in hun buurt. Voor wie dat kan wordt de stap naar betaald "
        "werk kleiner, doordat werkgevers vanaf het begin meedoen."
    ),
    "context": (
        "Het wijkbedrijf draait twee jaar, met een klusteam en een buurtkantine. Bewoners en "
        "buurtorganisaties bieden opdrachten aan. Lokale werkgevers zijn nog nauwelijks "
        "betrokken, en wie zich verantwoordelijk voelt voor de uitstroom is onduidelijk."
    ),
    "facilitatie": (
        "Rosa Verhoeven begeleidt de reis. Het wijkbedrijf stelt een ruimte en een "
        "coördinator beschikbaar voor de bijeenkomsten."
    ),
}


@dataclass(frozen=True)
class CanvasItem:
    phase: str
    block: str
    who: str
    brings: str
    added_by: str
    status: str = Entry.ACTIEF


# The earlier project looked at again on the canvas. Financing in the first phase, the
# plan in the organising phase and, above all, an owner for the step to paid work are
# missing; borging and opschaling are still empty.
NEIGHBOURHOOD_CANVAS = [
    CanvasItem(
        "signalering",
        Block.PROBLEEMEIGENAAR,
        "Gemeente Oosterwaard, team Werk en Inkomen",
        "Ziet in de cijfers dat bewoners met een langdurige uitkering nauwelijks meedoen.",
        "opdrachtgever",
    ),
    CanvasItem(
        "signalering",
        Block.IMMATERIEEL_KAPITAAL,
        "Buurtkracht Kruidenbuurt",
        "Kent de verhalen achter de cijfers: wie thuis zit, en waarom.",
        "inwoner",
    ),
    CanvasItem(
        "signalering",
        Block.PLAN_RAPPORTAGE,
        "Hogeschool Midden-Waarden",
        "Wijkscan met cijfers over uitkeringen, gezondheid en vrijwilligerswerk.",
        "professional",
    ),
    CanvasItem(
        "articulatie",
        Block.PROBLEEMEIGENAAR,
        "Gemeente Oosterwaard",
        "Stelt de vraag of sociaal ondernemen in de wijk meer mensen laat meedoen.",
        "opdrachtgever",
    ),
    CanvasItem(
        "articulatie",
        Block.IMMATERIEEL_KAPITAAL,
        "Lectoraat Sociale Veerkracht",
        "Kennis over sociaal ondernemerschap en over wat werkt bij participatie.",
        "professional",
    ),
    CanvasItem(
        "articulatie",
        Block.PLAN_RAPPORTAGE,
        "Wijkbedrijf Kruidenbuurt",
        "Een ondernemingsplan voor het wijkbedrijf.",
        "reisbegeleider",
        Entry.TOEGEZEGD,
    ),
    CanvasItem(
        "articulatie",
        Block.FINANCIERING,
        "Gemeente Oosterwaard",
        "Startsubsidie uit het participatiebudget.",
        "opdrachtgever",
    ),
    # Two parties steer the same candidates: an overlap nobody chose.
    CanvasItem(
        "organisatie",
        Block.PROBLEEMEIGENAAR,
        "Wijkbedrijf Kruidenbuurt",
        "Begeleidt de kandidaten bij hun leer-werkopdrachten.",
        "reisbegeleider",
    ),
    CanvasItem(
        "organisatie",
        Block.PROBLEEMEIGENAAR,
        "Stichting Welzijn Waardenland",
        "Coördineert de inzet van dezelfde kandidaten als vrijwilliger.",
        "professional",
    ),
    # Many places to learn on purpose: marked as an intended doublure below.
    CanvasItem(
        "organisatie",
        Block.IMMATERIEEL_KAPITAAL,
        "Bewoners van de Kruidenbuurt",
        "Bieden opdrachten aan: klussen, meehelpen in de buurtkantine, groenonderhoud.",
        "inwoner",
    ),
    CanvasItem(
        "organisatie",
        Block.IMMATERIEEL_KAPITAAL,
        "Bibliotheek, sportvereniging en basisschool",
        "Bieden leerplekken met iemand die op de werkvloer begeleidt.",
        "professional",
    ),
    CanvasItem(
        "organisatie",
        Block.FINANCIERING,
        "Lokale werkgevers",
        "Zouden kunnen meebetalen aan opleiding, in ruil voor nieuwe medewerkers.",
        "reisbegeleider",
        Entry.GEWENST,
    ),
    CanvasItem(
        "uitvoering",
        Block.IMMATERIEEL_KAPITAAL,
        "Zorgcollectief De Waarden",
        "Jobcoaching voor kandidaten met gezondheidsklachten.",
        "professional",
        Entry.TOEGEZEGD,
    ),
]

INTENDED_DOUBLURE = (
    "organisatie",
    Block.IMMATERIEEL_KAPITAAL,
    "Verschillende soorten leerplekken geven kandidaten keus; die overlap willen we.",
)


def build_neighbourhood(people: dict[str, User], organisations: dict[str, Organisation]) -> Journey:
    rosa = people["reisbegeleider"]
    journey = services.create_journey(
        rosa,
        title="Werk en meedoen in de Kruidenbuurt",
        slug=NEIGHBOURHOOD_SLUG,
        challenge="Meedoen en werk voor bewoners met een grote afstand tot de arbeidsmarkt",
        summary=(
            "Een wijkbedrijf helpt bewoners met een uitkering om mee te doen in de buurt. De "
            "stap naar betaald werk blijft lastig; met het Impact Canvas zoekt het netwerk "
            "waar de aanpak gaten en overlap heeft."
        ),
        visibility=Journey.Visibility.BESLOTEN,
        scenario=Journey.Scenario.KLEIN_EN_KRACHTIG,
        organisations=[
            organisations[name]
            for name in (
                "Gemeente Oosterwaard",
                "Wijkbedrijf Kruidenbuurt",
                "Buurtkracht Kruidenbuurt",
                "Stichting Welzijn Waardenland",
                "Zorgcollectief De Waarden",
                "Hogeschool Midden-Waarden",
            )
        ],
        themes=["participatie", "werk", "wijkaanpak"],
    )
    for role, member_role, message in (
        ("opdrachtgever", Role.OPDRACHTGEVER, "Wil jij de opdracht voor deze reis vaststellen?"),
        ("professional", Role.REIZIGER, "Jouw kennis van de buurt hebben we hard nodig."),
        ("inwoner", Role.REIZIGER, "Als buurtbewoner weet jij wat er speelt. Doe je mee?"),
        ("onderzoeker", Role.MEELEZER, "Lees je mee? Later vragen we je hulp bij de verkenning."),
    ):
        _invite_and_accept(rosa, journey, people[role], member_role, message)
    services.invite(
        rosa,
        journey,
        email="nieuw.lid@example.org",
        role=Role.REIZIGER,
        message=(
            "We zoeken een ondernemer uit de buurt die meedenkt over de stap van het "
            "wijkbedrijf naar betaald werk. Doe je mee?"
        ),
        send_email=False,
    )

    # The opdracht: a first draft by a reiziger, completed and put before the opdrachtgever.
    _write(people["professional"], journey, Kind.OPDRACHT, NEIGHBOURHOOD_DRAFT, "Eerste opzet")
    _write(rosa, journey, Kind.OPDRACHT, NEIGHBOURHOOD_OPDRACHT, "Aangevuld na het buurtgesprek")
    services.submit_result(rosa, services.result_for(journey, Kind.OPDRACHT))

    phases = {phase.name: phase for phase in journey.canvas_phases.all()}
    for item in NEIGHBOURHOOD_CANVAS:
        if item.phase not in phases:
            # A beheerder may have changed the default phases; the demo brings its own.
            phases[item.phase] = services.add_canvas_phase(rosa, journey, name=item.phase)
        services.add_canvas_entry(
            people[item.added_by],
            journey,
            phase=phases[item.phase],
            block=item.block,
            actor_name=item.who,
            contribution=item.brings,
            status=item.status,
        )
    phase, block, note = INTENDED_DOUBLURE
    services.mark_doublure(
        rosa, journey, phase=phases[phase], block=block, intended=True, note=note
    )
    return journey


# --- Entry point --------------------------------------------------------------------------

JOURNEYS: list[tuple[str, Callable[[dict[str, User], dict[str, Organisation]], Journey]]] = [
    (LONELINESS_SLUG, build_loneliness),
    (POVERTY_SLUG, build_poverty),
    (NEIGHBOURHOOD_SLUG, build_neighbourhood),
]


def seed_journeys(stdout: IO[str] | None = None) -> int:
    """Organisations, profiles and the three demo journeys; returns how many journeys it
    made. Journeys that exist (by slug) are skipped, so a second run changes nothing.
    Needs the personas (community/demo.py) to exist."""
    people = {persona.role: User.objects.get(email=persona.email) for persona in PERSONAS}
    created = 0
    with transaction.atomic():
        organisations = ensure_organisations()
        fill_profiles(people, organisations)
        for slug, build in JOURNEYS:
            if Journey.objects.filter(slug=slug).exists():
                continue
            with transaction.atomic():
                build(people, organisations)
            created += 1
    if stdout is not None:
        stdout.write(f"Demo journeys ready ({created} new):\n")
        for journey in Journey.objects.filter(slug__in=[slug for slug, _ in JOURNEYS]).order_by(
            "created_at", "pk"
        ):
            stdout.write(
                f"  /reizen/{journey.slug}/  {journey.get_phase_display()}, cycle "
                f"{journey.cycle}, {journey.visibility}\n"
            )
    return created
