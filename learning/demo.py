"""Demo pages for `manage.py seed_demo`: the editorial page tree under the home page.

- /methode/: the method in its four phases;
- /kennisbank/: nine werkzame elementen, spread over opgaven and the whole recognition
  ladder;
- /scenarios/: the five scenarios, and the chooser at /scenarios/kiezen/;
- /leren/: one course of three lessons by the trainer persona.

The home page then features three werkzame elementen and the course.

Every page is created the way an editor would: added to the tree as a draft, then a
revision is saved and published, so each page has a revision history. Idempotent: pages
are looked up by slug under their parent and only what is missing is made; a page that
exists is left as its editors left it. The organisations and people named are invented;
sources point only to the home pages of real Dutch knowledge institutes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from wagtail.models import Page

from community.models import User
from journeys.models import Journey
from learning.models import (
    CourseIndexPage,
    CoursePage,
    EvidenceLevel,
    HomePage,
    KnowledgeIndexPage,
    LessonPage,
    MethodPage,
    ScenarioChooserPage,
    ScenarioIndexPage,
    ScenarioPage,
    WorkingElementPage,
)

Scenario = Journey.Scenario
Level = EvidenceLevel

EDITOR_EMAIL = "redacteur@example.org"
TRAINER_EMAIL = "trainer@example.org"


# --- StreamField values, in Wagtail's JSON form -------------------------------------------


def _steps(*steps: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"type": "step", "value": {"title": title, "text": text}} for title, text in steps]


def _points(*points: str, kind: str = "point") -> list[dict[str, Any]]:
    return [{"type": kind, "value": text} for text in points]


def _sources(*sources: tuple[str, str, str]) -> list[dict[str, Any]]:
    return [
        {"type": "source", "value": {"title": title, "url": url, "note": note}}
        for title, url, note in sources
    ]


def _block(kind: str, value: Any) -> dict[str, Any]:
    return {"type": kind, "value": value}


# --- The method ---------------------------------------------------------------------------

METHOD = {
    "title": "De methode: Aanpakken met Impact",
    "intro": (
        "<p>Aanpakken met Impact is een manier om een weerbarstige maatschappelijke opgave "
        "samen met anderen aan te pakken. Wat er moet veranderen is meestal wel duidelijk; "
        "hoe je dat bereikt niet. Daarom reist een netwerk in vier fasen door de opgave, en "
        "elke fase levert iets op waarmee de volgende kan beginnen.</p>"
    ),
    "reiswens": (
        "<p>Het begint bij een opgave die schuurt: jongeren die thuiszitten, ouderen die "
        "niemand meer spreken, buurtbewoners die al jaren langs de kant staan. Bestuur, "
        "vakmensen en inwoners zijn het erover eens dat het anders moet. Een pasklaar "
        "antwoord heeft niemand; wat helpt, is maatwerk.</p>"
        "<p><b>Resultaat: de opdracht.</b> Daarin staan de vraag, de aanleiding, de ambitie "
        "en de context, en wie als reisbegeleider de verkenning op gang brengt.</p>"
    ),
    "verkennen": (
        "<p>Rond elke opgave zijn al mensen bezig: inwoners, cliënten en leerlingen, "
        "vakmensen, beleidsmakers en onderzoekers. Wie hen opzoekt en samen verhalen, "
        "cijfers en ervaringskennis verzamelt, bouwt vanzelf een netwerk. Kijk nieuwsgierig "
        "en stel vragen voordat je conclusies trekt: het doel is begrijpen wat er speelt en "
        "ontdekken waar de energie zit.</p>"
        "<p><b>Resultaat: de foto.</b> Een beeld van de opgave vanuit veel invalshoeken: "
        "cijfers, de lokale praktijk en het netwerk, verhalen uit de leefwereld en "
        "klantreizen, wetenschappelijke kennis, beleid en wetgeving, en voorbeelden van wat "
        "werkt.</p>"
    ),
    "inrichten": (
        "<p>Met de foto op tafel kan het netwerk kiezen: op welke groepen, gebieden en "
        "problemen richten we ons? Opdrachtgevers, praktijk, beleid en wetenschap maken die "
        "keuzes samen. Zo worden losse reizigers een reisgezelschap, en krijgt de "
        "reisbegeleider tijd en ruimte om het gezelschap verder te gidsen.</p>"
        "<p><b>Resultaat: de programma-aanpak.</b> Waartoe, wat, met wie en waarmee; een "
        "scherpere versie van de opdracht; en afspraken over middelen, organisatie en "
        "governance.</p>"
    ),
    "doen_en_leren": (
        "<p>Nu gaat het netwerk aan de slag: uitproberen, samenwerken, ontdekken, en telkens "
        "even stilstaan bij wat het oplevert. Wat werkt, houd je vast; wat niet werkt, laat "
        "je los. Bekende werkzame elementen en de ervaring van vakmensen en inwoners zijn het "
        "vertrekpunt. Ontmoetingen, op dit platform en in het echt, houden het leren "
        "gaande.</p>"
        "<p><b>Resultaat: het reisverslag.</b> Verhalen, cijfers en werkzame elementen: wat "
        "heeft het opgeleverd en wat betekent dat voor het vervolg? Daarna gaat de reis terug "
        "naar (in)richten, met een nieuwe versie van de programma-aanpak.</p>"
    ),
    "body": [
        _block(
            "callout",
            {
                "title": "Een cyclus, geen rechte lijn",
                "text": (
                    "<p>Na elk reisverslag scherpt het netwerk de programma-aanpak opnieuw "
                    "aan. Eerdere versies van opdracht, foto, aanpak en verslag blijven "
                    "bewaard, zodat zichtbaar is hoe het denken zich ontwikkelde.</p>"
                ),
            },
        ),
        _block(
            "paragraph",
            "<p>Weet je nog niet hoe jouw gemeente het best kan beginnen? Lees over de "
            '<a href="/scenarios/">vijf scenario\'s</a> of laat de '
            '<a href="/scenarios/kiezen/">keuzehulp</a> meedenken. In de '
            '<a href="/kennisbank/">kennisbank</a> staan werkzame elementen die andere '
            "netwerken onderweg vonden.</p>",
        ),
    ],
}


# --- The kennisbank: werkzame elementen ----------------------------------------------------

MOVISIE = "https://www.movisie.nl/"
NJI = "https://www.nji.nl/"
LOKET_GEZOND_LEVEN = "https://www.loketgezondleven.nl/"
DIVOSA = "https://www.divosa.nl/"
NVVK = "https://www.nvvk.nl/"
EEN_TEGEN_EENZAAMHEID = "https://www.eentegeneenzaamheid.nl/"
KENNISCENTRUM_SPORT = "https://www.kenniscentrumsport.nl/"
PHAROS = "https://www.pharos.nl/"
CCV = "https://www.hetccv.nl/"


@dataclass(frozen=True)
class Element:
    slug: str
    title: str
    summary: str
    mechanism: str
    target_group: str
    context: str
    steps: tuple[tuple[str, str], ...]
    evidence_level: str
    sources: tuple[tuple[str, str, str], ...]
    themes: tuple[str, ...]
    challenges: tuple[str, ...]
    target_groups: tuple[str, ...]
    contact: tuple[str, str, str]


ELEMENTS = (
    Element(
        slug="een-buurtgenoot-loopt-mee",
        title="Een buurtgenoot loopt de eerste keer mee",
        summary=(
            "Wie zich eenzaam voelt, stapt niet zomaar alleen een buurthuis binnen. Een "
            "bekende uit de buurt die de eerste keren meegaat, maakt die stap veel kleiner."
        ),
        mechanism=(
            "<p>Schaamte en onzekerheid houden mensen thuis, ook als het aanbod er is. Een "
            "vertrouwd gezicht neemt de spanning van het onbekende weg en zorgt dat iemand "
            "binnen al iemand kent. Na een paar keer is de activiteit zelf vertrouwd "
            "geworden.</p>"
        ),
        target_group=(
            "<p>Oudere inwoners die weinig contacten hebben en nog niet meedoen aan "
            "activiteiten in de buurt.</p>"
        ),
        context=(
            "<p>Werkt het best waar al laagdrempelige ontmoetingen zijn, zoals "
            "koffieochtenden of een eettafel, en waar welzijnswerk vrijwilligers kan "
            "koppelen en ondersteunen.</p>"
        ),
        steps=(
            (
                "Vind buurtgenoten die willen meelopen",
                "Vraag bezoekers van bestaande activiteiten of zij iemand willen meenemen.",
            ),
            (
                "Koppel via een vertrouwde ingang",
                "Huisarts, wijkverpleging of een huisbezoek brengt mensen in beeld; "
                "welzijn legt het contact.",
            ),
            (
                "Laat het contact geleidelijk los",
                "Spreek af hoe vaak de buurtgenoot meegaat en vraag daarna hoe het gaat.",
            ),
        ),
        evidence_level=Level.WELL_FOUNDED,
        sources=(
            ("Movisie: kennis over eenzaamheid en ontmoeting", MOVISIE, ""),
            (
                "Actieprogramma Eén tegen eenzaamheid",
                EEN_TEGEN_EENZAAMHEID,
                "Landelijk programma met voorbeelden van lokale coalities.",
            ),
        ),
        themes=("ontmoeting", "vrijwilligers"),
        challenges=("eenzaamheid",),
        target_groups=("ouderen",),
        contact=("Hanneke Vos", "Stichting Welzijn Waardenland", "h.vos@example.org"),
    ),
    Element(
        slug="langdurige-persoonlijke-aandacht",
        title="Langdurige persoonlijke aandacht bij het missen van een hechte band",
        summary=(
            "Bij emotionele eenzaamheid helpt een extra activiteit weinig. Wat wel helpt, is "
            "een vaste persoon die gedurende langere tijd regelmatig langskomt en echt "
            "luistert."
        ),
        mechanism=(
            "<p>Wie een partner of dierbare verloor, mist geen contacten maar een band. Een "
            "vaste bezoeker biedt over een langere periode betrouwbaarheid en aandacht. Daarin "
            "kan iemand het verlies een plek geven en langzaam weer zin krijgen in contact "
            "met anderen.</p>"
        ),
        target_group=(
            "<p>Inwoners die kortgeleden een partner verloren, of die door ziekte of verhuizing "
            "een belangrijk persoon kwijtraakten.</p>"
        ),
        context=(
            "<p>Vraagt vrijwilligers die zich voor minstens een half jaar willen verbinden, en "
            "een beroepskracht die hen begeleidt en bijspringt als het zwaar wordt.</p>"
        ),
        steps=(
            (
                "Herken emotionele eenzaamheid",
                "Vraag niet alleen naar contacten, maar ook naar wie iemand mist.",
            ),
            (
                "Zorg voor een vaste bezoeker",
                "Dezelfde persoon, op een vast moment, voor een afgesproken periode.",
            ),
            (
                "Begeleid de bezoekers",
                "Intervisie en een vast aanspreekpunt houden vrijwilligers op de been.",
            ),
        ),
        evidence_level=Level.GOOD_INDICATIONS,
        sources=(("Movisie: eenzaamheid en rouw", MOVISIE, ""),),
        themes=("rouw", "vrijwilligers"),
        challenges=("eenzaamheid",),
        target_groups=("ouderen", "mantelzorgers"),
        contact=("Gerrit Mulder", "Zorgcollectief De Waarden", "g.mulder@example.org"),
    ),
    Element(
        slug="vroeg-erop-af-bij-betalingsachterstanden",
        title="Vroeg erop af bij betalingsachterstanden",
        summary=(
            "Signalen over achterstallige huur, zorgpremie of energierekening komen bij de "
            "gemeente binnen, die binnen enkele weken contact opneemt met het huishouden. Zo "
            "komt hulp voordat de schulden zich opstapelen."
        ),
        mechanism=(
            "<p>Veel mensen zoeken pas hulp als de problemen al groot zijn, uit schaamte of "
            "omdat ze niet weten waar ze terechtkunnen. Een vriendelijk, persoonlijk aanbod op "
            "het moment dat er nog weinig aan de hand is, doorbreekt dat uitstel. Kleine "
            "achterstanden zijn nog goed op te lossen.</p>"
        ),
        target_group=(
            "<p>Huishoudens met een of meer beginnende betalingsachterstanden, vaak nog niet "
            "bekend bij de hulpverlening.</p>"
        ),
        context=(
            "<p>Vraagt afspraken met woningcorporaties, zorgverzekeraars en "
            "energieleveranciers over het delen van signalen, en een team dat snel op huisbezoek "
            "kan.</p>"
        ),
        steps=(
            (
                "Maak afspraken over signalen",
                "Leg vast welke signalen binnenkomen en wat de gemeente ermee mag doen.",
            ),
            (
                "Neem snel en persoonlijk contact op",
                "Een brief, gevolgd door een telefoontje of een bezoek aan de deur.",
            ),
            (
                "Bied een eerste oplossing",
                "Een betalingsregeling, een toeslag die nog niet werd aangevraagd, of een "
                "doorverwijzing naar schuldhulp.",
            ),
        ),
        evidence_level=Level.FIRST_INDICATIONS,
        sources=(
            ("NVVK, vereniging voor schuldhulpverlening", NVVK, ""),
            ("Divosa", DIVOSA, "Vereniging van directeuren van sociale diensten."),
        ),
        themes=("schulden", "vroegsignalering"),
        challenges=("armoede",),
        target_groups=("huishoudens met een laag inkomen",),
        contact=("Sanne Kuipers", "Gemeente Vlietmonde", "s.kuipers@example.org"),
    ),
    Element(
        slug="een-vast-aanspreekpunt-voor-het-huishouden",
        title="Eén vast aanspreekpunt voor het hele huishouden",
        summary=(
            "Huishoudens met geldzorgen en andere problemen tegelijk krijgen één vaste "
            "persoon die met hen meedenkt en de andere hulpverleners afstemt."
        ),
        mechanism=(
            "<p>Wie met veel instanties tegelijk te maken heeft, raakt het overzicht kwijt en "
            "haakt af. Eén vaste persoon houdt het geheel bij elkaar, bouwt vertrouwen op en "
            "voorkomt dat afspraken elkaar tegenwerken.</p>"
        ),
        target_group=(
            "<p>Huishoudens met schulden en daarnaast zorgen over gezondheid, opvoeding of "
            "wonen.</p>"
        ),
        context=(
            "<p>Werkt alleen als het aanspreekpunt mandaat heeft om knopen door te hakken en "
            "als de betrokken organisaties afspreken wie de regie heeft.</p>"
        ),
        steps=(
            (
                "Spreek de rol af",
                "Leg vast wat het aanspreekpunt mag beslissen en wie er achter staat.",
            ),
            (
                "Maak één plan met het huishouden",
                "Wat wil het huishouden zelf bereiken, en wie helpt waarbij?",
            ),
        ),
        evidence_level=Level.WELL_DESCRIBED,
        sources=(("Movisie: integraal werken in het sociaal domein", MOVISIE, ""),),
        themes=("regie", "schulden"),
        challenges=("armoede",),
        target_groups=("gezinnen", "huishoudens met een laag inkomen"),
        contact=("Yusuf Demir", "Gemeente Lindendal", "y.demir@example.org"),
    ),
    Element(
        slug="leren-op-de-werkvloer-met-een-vaste-begeleider",
        title="Leren op de werkvloer met een vaste begeleider",
        summary=(
            "Mensen met een grote afstand tot werk leren een vak in de praktijk, bij een "
            "gewone werkgever, met een collega die hen daar dagelijks begeleidt."
        ),
        mechanism=(
            "<p>Wie lang niet heeft gewerkt, leert meer van echt werk dan van een cursus "
            "vooraf. Een vaste begeleider op de werkvloer vangt onzekerheid en kleine "
            "problemen op voordat ze tot uitval leiden. De werkgever leert de kandidaat "
            "kennen, wat de kans op een vaste plek vergroot.</p>"
        ),
        target_group=(
            "<p>Inwoners met een uitkering die al langere tijd niet werken en willen "
            "instromen in een vak.</p>"
        ),
        context=(
            "<p>Vraagt werkgevers die een begeleider vrijmaken, en een jobcoach die de "
            "begeleider zelf weer ondersteunt.</p>"
        ),
        steps=(
            (
                "Zoek werkgevers met begeleidingsruimte",
                "Spreek af hoeveel uur per week de begeleider beschikbaar is.",
            ),
            (
                "Match op interesse, niet alleen op vacature",
                "Vraag wat iemand graag doet en zoek daar een werkplek bij.",
            ),
            (
                "Houd de lijnen kort",
                "Begeleider, jobcoach en kandidaat bespreken elke maand hoe het gaat.",
            ),
        ),
        evidence_level=Level.GOOD_INDICATIONS,
        sources=(("Divosa", DIVOSA, "Kennis over werk en inkomen in gemeenten."),),
        themes=("werkgevers", "leren en werken"),
        challenges=("werk en participatie",),
        target_groups=("mensen met een uitkering",),
        contact=("Lotte Brouwer", "Wijkbedrijf Kruidenbuurt", "l.brouwer@example.org"),
    ),
    Element(
        slug="taal-leren-op-de-werkplek",
        title="Taal leren op de werkplek",
        summary=(
            "Statushouders leren Nederlands tijdens het werk in plaats van eerst in een "
            "klaslokaal. Collega's oefenen mee met de woorden die het werk vraagt."
        ),
        mechanism=(
            "<p>Taal die je meteen nodig hebt, blijft beter hangen. Door taal en werk te "
            "combineren, verdient iemand eerder een eigen inkomen en bouwt tegelijk contacten "
            "op met collega's.</p>"
        ),
        target_group=("<p>Statushouders die een inburgeringstraject volgen.</p>"),
        context=(
            "<p>Een aanpak die in enkele gemeenten wordt uitgeprobeerd; het effect is nog "
            "niet onderzocht. Vraagt een taalcoach die de werkgever ondersteunt.</p>"
        ),
        steps=(
            (
                "Maak een woordenlijst van het werk",
                "Welke woorden en zinnen gebruikt iemand elke dag?",
            ),
            (
                "Wijs een taalmaatje aan",
                "Een collega die geduldig blijft en mee oefent tijdens de pauze.",
            ),
        ),
        evidence_level=Level.NOT_ASSESSED,
        sources=(("Pharos, expertisecentrum gezondheidsverschillen", PHAROS, ""),),
        themes=("inburgering", "taal"),
        challenges=("werk en participatie",),
        target_groups=("statushouders",),
        contact=("Amira Haddad", "Leerhuis Sociaal Domein", "a.haddad@example.org"),
    ),
    Element(
        slug="ouders-steunen-ouders",
        title="Ouders steunen ouders",
        summary=(
            "Ouders die zelf een moeilijke periode met hun kind doormaakten, ondersteunen "
            "andere ouders in gesprekken en kleine groepen."
        ),
        mechanism=(
            "<p>Ouders nemen advies sneller aan van iemand die hetzelfde meemaakte. Het "
            "gesprek voelt gelijkwaardig, schaamte neemt af en ouders ontdekken dat ze niet de "
            "enigen zijn. Dat versterkt hun vertrouwen in eigen kunnen.</p>"
        ),
        target_group=(
            "<p>Ouders met vragen over opvoeden, vooral wie geen weg vindt naar de gewone "
            "hulpverlening.</p>"
        ),
        context=(
            "<p>Vraagt een training voor de ouders die steunen en een beroepskracht die "
            "meekijkt en doorverwijst als er meer nodig is.</p>"
        ),
        steps=(
            (
                "Werf ervaren ouders",
                "Via scholen, consultatiebureaus en buurtnetwerken.",
            ),
            (
                "Train en begeleid hen",
                "Over luisteren, grenzen en wanneer je doorverwijst.",
            ),
            (
                "Organiseer ontmoetingen",
                "Op plekken waar ouders toch al komen, zoals school of het buurthuis.",
            ),
        ),
        evidence_level=Level.WELL_FOUNDED,
        sources=(("Nederlands Jeugdinstituut", NJI, "Kennis over opvoeden en opgroeien."),),
        themes=("opvoeden", "ervaringsdeskundigheid"),
        challenges=("jeugd",),
        target_groups=("ouders", "gezinnen"),
        contact=("Femke de Graaf", "Stichting Welzijn Waardenland", "f.degraaf@example.org"),
    ),
    Element(
        slug="een-mentor-voor-jongeren-in-de-wijk",
        title="Een mentor voor jongeren die dreigen af te glijden",
        summary=(
            "Jongeren die in aanraking dreigen te komen met criminaliteit, krijgen een "
            "mentor: een volwassene die ze wekelijks zien en die naast hen staat."
        ),
        mechanism=(
            "<p>Een stabiele, betrokken volwassene biedt een ander voorbeeld dan de "
            "vrienden op straat en helpt bij school, werk en thuis. De band met de mentor "
            "maakt het makkelijker om keuzes te maken die wel perspectief bieden.</p>"
        ),
        target_group=(
            "<p>Jongeren van 12 tot 18 jaar met signalen van schooluitval, spijbelen of "
            "eerste politiecontacten.</p>"
        ),
        context=(
            "<p>Werkt beter naarmate de relatie langer duurt; vraagt zorgvuldige selectie en "
            "begeleiding van mentoren en afstemming met school en jeugdhulp.</p>"
        ),
        steps=(
            (
                "Selecteer en train mentoren",
                "Let op betrouwbaarheid en tijd: minstens een jaar, elke week.",
            ),
            (
                "Maak een goede match",
                "Betrek de jongere en de ouders bij de keuze van de mentor.",
            ),
            (
                "Houd de relatie vast",
                "Een coördinator belt regelmatig met mentor en jongere.",
            ),
        ),
        evidence_level=Level.STRONG_INDICATIONS,
        sources=(
            ("Nederlands Jeugdinstituut", NJI, ""),
            ("Centrum voor Criminaliteitspreventie en Veiligheid", CCV, ""),
        ),
        themes=("mentoring", "veiligheid"),
        challenges=("jeugd", "jeugdcriminaliteit"),
        target_groups=("jongeren",),
        contact=("Daan Visser", "Gemeente Oosterwaard", "d.visser@example.org"),
    ),
    Element(
        slug="samen-bewegen-in-de-eigen-buurt",
        title="Samen bewegen in de eigen buurt",
        summary=(
            "Kleine groepen bewegen wekelijks op een vaste plek in de wijk, onder leiding van "
            "een buurtsportcoach. Het gaat om plezier en meedoen, niet om prestatie."
        ),
        mechanism=(
            "<p>Dichtbij, goedkoop en samen met bekenden: zo verdwijnen de drempels die "
            "mensen weghouden van de sportschool. De groep zorgt dat mensen blijven komen, en "
            "regelmatig bewegen houdt vol omdat het bij de week gaat horen.</p>"
        ),
        target_group=(
            "<p>Volwassenen met overgewicht of weinig beweging, vaak in wijken met "
            "gezondheidsachterstanden.</p>"
        ),
        context=(
            "<p>Vraagt een buurtsportcoach, een plek in de wijk (een veld, een zaal, het "
            "park) en samenwerking met huisartsen die mensen kunnen doorverwijzen.</p>"
        ),
        steps=(
            (
                "Vraag bewoners wat ze leuk vinden",
                "Wandelen, dansen of voetballen: het aanbod volgt de wensen.",
            ),
            (
                "Start klein en vast",
                "Eén vaste tijd en plek per week, met dezelfde coach.",
            ),
        ),
        evidence_level=Level.GOOD_INDICATIONS,
        sources=(
            ("Loket Gezond Leven", LOKET_GEZOND_LEVEN, "Leefstijl en gezondheid in gemeenten."),
            ("Kenniscentrum Sport & Bewegen", KENNISCENTRUM_SPORT, ""),
        ),
        themes=("bewegen", "leefstijl"),
        challenges=("gezondheid", "overgewicht"),
        target_groups=("volwassenen", "wijkbewoners"),
        contact=("Noor Hendriks", "Gemeente Lindendal", "n.hendriks@example.org"),
    ),
)

# The werkzame elementen on the home page, by slug.
FEATURED_ELEMENTS = (
    "een-buurtgenoot-loopt-mee",
    "vroeg-erop-af-bij-betalingsachterstanden",
    "een-mentor-voor-jongeren-in-de-wijk",
)


# --- The scenarios -------------------------------------------------------------------------

SCENARIO_INDEX_INTRO = (
    "<p>Vijf routes waarlangs een gemeente impactgerichter kan gaan werken, van een kleine "
    "pilot tot een training voor de hele organisatie. Geen route is beter dan de andere; wel "
    "helpt het om bewust één route te kiezen. Soms werkt een combinatie het best.</p>"
    '<p>Twijfel je? De <a href="/scenarios/kiezen/">keuzehulp</a> stelt vijf vragen en '
    "legt uit welk scenario bij jouw gemeente past.</p>"
)


@dataclass(frozen=True)
class ScenarioText:
    key: str
    slug: str
    title: str
    summary: str
    steps: tuple[tuple[str, str], ...]
    opportunities: tuple[str, ...]
    risks: tuple[str, ...]
    suitable_for: tuple[str, ...]
    first_step: str


SCENARIOS = (
    ScenarioText(
        key=Scenario.KLEIN_EN_KRACHTIG,
        slug="klein-en-krachtig",
        title="Klein en krachtig beginnen",
        summary=(
            "Je kiest één programma of project en doorloopt daar de hele cyclus van "
            "impactgericht werken. Op die kleine, goed te overziene schaal probeer je de "
            "aanpak uit en verbeter je hem, voordat je hem breder inzet."
        ),
        steps=(
            (
                "Maak de verwachte impact expliciet",
                "Beschrijf welke verandering het programma moet opleveren en op welke "
                "aannames dat rust. Zo weet je wat je wilt onderzoeken.",
            ),
            (
                "Doe een afgebakend onderzoek",
                "Voer een eerste, overzichtelijk onderzoek uit naar de impact van dit ene "
                "programma.",
            ),
            (
                "Stuur bij op wat je leert",
                "Laat de uitkomsten bepalen wat er aan het programma en de strategie beter kan.",
            ),
        ),
        opportunities=(
            "Een kleine start houdt de risico's beperkt.",
            "Wat je leert, is een stevig fundament om later uit te breiden.",
        ),
        risks=(
            "De uitkomsten zijn niet zomaar over te zetten naar andere programma's.",
            "Andere programma's raken er weinig bij betrokken.",
        ),
        suitable_for=(
            "Gemeenten of afdelingen waar de meerwaarde van impactgericht werken nog niet "
            "breed wordt gezien, en waar een sprekend voorbeeld nodig is.",
            "Organisaties met weinig middelen.",
        ),
        first_step=(
            "Zoek een afgebakend programma dat duidelijk verschil kan maken, en begin daar een "
            "pilot mee."
        ),
    ),
    ScenarioText(
        key=Scenario.STRATEGISCHE_START,
        slug="strategische-start",
        title="Strategische start",
        summary=(
            "Een planmatige weg naar verandering: samen met partners kies je een focus en een "
            "strategie, en daar koppel je subsidies en monitoring aan."
        ),
        steps=(
            (
                "Kies een focus",
                "Breng de maatschappelijke opgaven in je gemeente in kaart en bepaal waar je "
                "op inzet.",
            ),
            (
                "Verken oplossingen met partners",
                "Zoek samen uit welke oplossingen en veranderstrategieën kansrijk zijn.",
            ),
            (
                "Maak het concreet",
                "Beschrijf in gewone woorden wat er de komende jaren moet veranderen en hoe "
                "je dat aanpakt, zonder dikke beleidsnota.",
            ),
            (
                "Richt subsidies op effecten",
                "Leg in de subsidiekaders vast dat aanvragen en toekenningen uitgaan van de "
                "effecten die je samen hebt gekozen.",
            ),
            (
                "Meet en volg samen",
                "Houd met partners de directe resultaten en de impact bij.",
            ),
        ),
        opportunities=(
            "Partners gaan nauwer met elkaar en met de gemeente samenwerken.",
            "Impactmanagement krijgt voorrang.",
        ),
        risks=(
            "De aanpak kan te veel van bovenaf komen.",
            "Hij moet goed passen bij de processen die er al zijn.",
        ),
        suitable_for=(
            "Gemeenten of afdelingen die structureel anders willen werken aan maatschappelijke "
            "opgaven.",
            "Gemeenten die binnenkort nieuwe strategieën, beleidskaders of subsidierondes "
            "voorbereiden.",
        ),
        first_step=(
            "Nodig de belangrijkste partners uit voor een strategische sessie waarin je samen "
            "de grootste opgaven benoemt en bepaalt welke voorgaan. Onderweg leer je elkaars "
            "werk kennen en worden de banden sterker."
        ),
    ),
    ScenarioText(
        key=Scenario.FOCUS_OP_PARTNERS,
        slug="focus-op-partners",
        title="Focus op partners",
        summary=(
            "Je begint waar inwoners het verschil het eerst merken: bij de partners die het "
            "beleid van je gemeente uitvoeren."
        ),
        steps=(
            (
                "Betrek de uitvoerders",
                "Begin bij de partners die het beleid uitvoeren, en laat hen actief meedoen "
                "aan impactmanagement.",
            ),
            (
                "Train de partners",
                "Leer hen de stappen van impactmanagement, zodat verbeteringen en "
                "vernieuwingen uit de praktijk zelf komen.",
            ),
            (
                "Leer van wat zij zien",
                "Wat partners in de uitvoering zien, vertelt je veel over de impact die "
                "jullie samen maken. Stuur op die inzichten bij.",
            ),
        ),
        opportunities=(
            "Partners raken meer betrokken en voelen zich mede verantwoordelijk voor de impact.",
            "Beleid en uitvoering komen dichter bij elkaar.",
        ),
        risks=(
            "Het kost veel tijd en geld om alle partners op een vergelijkbaar niveau te krijgen.",
        ),
        suitable_for=(
            "Gemeenten of afdelingen die veel met partners samenwerken.",
            "Organisaties waar intern niemand twijfelt aan de waarde van impactgericht werken.",
        ),
        first_step=(
            "Begin met workshops over impactgericht werken voor de teams die het werk "
            "uitvoeren. Zo praat je partners zonder hoge drempel bij, maak je ze enthousiast "
            "en haal je ze erbij."
        ),
    ),
    ScenarioText(
        key=Scenario.IMPACT_DEEP_DIVING,
        slug="impact-deep-diving",
        title="Impact deep diving",
        summary=(
            "Je meet en volgt impact rond concrete leervragen. Anders dan bij klein en "
            "krachtig draait het niet om de hele cyclus, maar om het stap voor stap "
            "beantwoorden van die vragen met onderzoek."
        ),
        steps=(
            (
                "Verzamel en prioriteer leervragen",
                "Bepaal samen welke vragen er leven en welke het eerst aan de beurt zijn.",
            ),
            (
                "Kies per vraag een aanpak",
                "Soms is groter empirisch onderzoek nodig; soms volstaan literatuur of een "
                "paar gesprekken met de doelgroep of met experts.",
            ),
            (
                "Verdeel het werk",
                "Spreek af wie welke vraag oppakt, en begin.",
            ),
            (
                "Duid de antwoorden samen",
                "Bespreek wat er gevonden is en geef er samen betekenis aan.",
            ),
            (
                "Kies de volgende vraag",
                "Een antwoord roept vaak een nieuwe leervraag op.",
            ),
        ),
        opportunities=(
            "Geeft een stevige onderbouwing van impact.",
            "Verschuift de (politieke) vraag, dan kies je zonder veel moeite andere leervragen.",
        ),
        risks=(
            "Vaak is maar een kleine groep betrokkenen aan boord.",
            "De rest van de organisatie gaat er niet vanzelf anders door werken.",
        ),
        suitable_for=(
            "Wie scherper wil zien wat het eigen werk oplevert, met onderzoek als middel, "
            "en de bestaande manier van werken verder grotendeels laat zoals hij is.",
        ),
        first_step=(
            "Maak met collega's een lijst van de vragen over impact die in jouw gemeente "
            "spelen, en begin met de vraag waarop je het snelst een antwoord nodig hebt."
        ),
    ),
    ScenarioText(
        key=Scenario.TRAINING,
        slug="training",
        title="Training",
        summary=(
            "Je maakt impactgericht werken onderdeel van hoe de gemeente werkt: collega's "
            "gebruiken dezelfde begrippen en kennen de belangrijkste modellen."
        ),
        steps=(
            (
                "Bepaal wie en waarvoor",
                "Kies wie getraind wordt, bijvoorbeeld alle medewerkers of bepaalde teams, en "
                "wat zij na afloop moeten kunnen.",
            ),
            (
                "Ontwikkel een basistraining",
                "Begin bij de basis: wat impact is, de reis in vier fasen en de modellen die je "
                "daarbij gebruikt.",
            ),
            (
                "Begeleid in de praktijk",
                "Bied coaching en praktische hulp bij het toepassen van wat geleerd is.",
            ),
            (
                "Reflecteer samen",
                "Sta met elkaar stil bij de lessen, zodat ervaringen deel worden van de "
                "gewone manier van werken.",
            ),
        ),
        opportunities=(
            "Collega's gaan dezelfde taal spreken, en daarmee verandert ook hoe de "
            "organisatie naar haar werk kijkt.",
            "Wie bij elke keuze vraagt wat die oplevert voor inwoners, kiest vaker wat werkt.",
        ),
        risks=(
            "Deelnemers moeten er flink wat tijd in steken.",
            "Voor sommige deelnemers gaat het programma te snel, voor andere te langzaam.",
        ),
        suitable_for=(
            "Gemeenten of afdelingen die impactgericht werken diep willen verankeren.",
            "Organisaties waar het management opleiding en ontwikkeling belangrijk vindt en "
            "er ruimte voor maakt.",
        ),
        first_step=(
            "Begin met een pilottraject voor een klein, gemotiveerd team, en verbeter de "
            "opleiding met wat zij ervaren."
        ),
    ),
)


# --- The scenario chooser ------------------------------------------------------------------

CHOOSER_INTRO = (
    "<p>Vijf vragen over jouw gemeente of afdeling. Op basis van je antwoorden zie je welk "
    "scenario het best past, en waarom. Liggen twee scenario's dicht bij elkaar, dan raden we "
    "een combinatie aan.</p>"
)


def _answer(label: str, reason: str, **points: int) -> dict[str, Any]:
    return {
        "label": label,
        "points": {key: points.get(key, 0) for key in Scenario.values},
        "reason": reason,
    }


CHOOSER_QUESTIONS = (
    (
        "Hoe breed wordt impactgericht werken binnen jouw organisatie gedragen?",
        "Denk aan collega's, management en bestuur.",
        (
            _answer(
                "Nog weinig: de meerwaarde moet zich eerst bewijzen",
                "Een overzichtelijke pilot laat zien wat impactgericht werken oplevert, "
                "zonder dat eerst iedereen overtuigd hoeft te zijn.",
                klein_en_krachtig=3,
            ),
            _answer(
                "Bij enkele teams, nog niet in de hele organisatie",
                "Met een paar scherpe leervragen of een pilot kun je werken met de mensen die "
                "al enthousiast zijn.",
                klein_en_krachtig=1,
                impact_deep_diving=2,
            ),
            _answer(
                "Breed: niemand twijfelt aan de waarde",
                "Als de eigen organisatie overtuigd is, kun je de stap naar partners zetten of "
                "het beleid strategisch herzien.",
                focus_op_partners=2,
                strategische_start=1,
            ),
            _answer(
                "Breed, en het management maakt ruimte voor opleiding",
                "Steun van het management voor leren en ontwikkelen is de basis voor een "
                "training die blijft hangen.",
                training=3,
                focus_op_partners=1,
            ),
        ),
    ),
    (
        "Hoeveel tijd en geld kun je vrijmaken?",
        "Een schatting voor het komende jaar is genoeg.",
        (
            _answer(
                "Weinig: een paar uur per week en een klein budget",
                "Met beperkte middelen is één afgebakend programma goed te doen.",
                klein_en_krachtig=3,
                impact_deep_diving=1,
            ),
            _answer(
                "Genoeg voor een onderzoek of een strategisch traject",
                "Dit past bij het beantwoorden van leervragen of een gezamenlijke strategie "
                "met partners.",
                impact_deep_diving=2,
                strategische_start=1,
            ),
            _answer(
                "Ruim: we kunnen mensen langere tijd vrijmaken",
                "Partners op hetzelfde niveau brengen en medewerkers trainen vraagt een "
                "flinke investering in tijd.",
                focus_op_partners=2,
                training=2,
            ),
        ),
    ),
    (
        "Hoeveel werkt jouw gemeente voor deze opgave samen met partners?",
        "Partners zijn bijvoorbeeld welzijns- en zorgorganisaties, scholen en woningcorporaties.",
        (
            _answer(
                "Weinig: we doen het meeste zelf",
                "Begin dan in de eigen organisatie, met een pilot of met het trainen van "
                "eigen teams.",
                klein_en_krachtig=1,
                training=1,
            ),
            _answer(
                "Geregeld, per project",
                "Een gezamenlijke strategie maakt van losse projecten een aanpak met "
                "gedeelde doelen.",
                strategische_start=2,
            ),
            _answer(
                "Veel: partners voeren het grootste deel van het beleid uit",
                "Waar partners het werk doen, merken inwoners verbetering het eerst als je "
                "bij hen begint.",
                focus_op_partners=3,
                strategische_start=1,
            ),
        ),
    ),
    (
        "Komen er binnenkort nieuwe beleidskaders of subsidierondes aan?",
        "Bijvoorbeeld een nieuwe nota, een nieuw collegeprogramma of een subsidieronde.",
        (
            _answer(
                "Ja, binnen ongeveer een jaar",
                "Dat is het moment om samen met partners een focus te kiezen en subsidies op "
                "gezamenlijke effecten te richten.",
                strategische_start=3,
            ),
            _answer(
                "Nee, niet op korte termijn",
                "Zonder nieuw kader kun je het best beginnen binnen wat er al loopt: één "
                "programma of een paar leervragen.",
                klein_en_krachtig=1,
                impact_deep_diving=1,
            ),
        ),
    ),
    (
        "Wat wil je vooral leren?",
        "Kies wat nu het zwaarst weegt.",
        (
            _answer(
                "Of één programma de impact haalt die we verwachten",
                "Eén programma grondig volgen is de kern van klein en krachtig beginnen.",
                klein_en_krachtig=2,
            ),
            _answer(
                "Antwoord op specifieke vragen, met onderzoek",
                "Specifieke leervragen stelselmatig beantwoorden is precies waar impact deep "
                "diving voor bedoeld is.",
                impact_deep_diving=3,
            ),
            _answer(
                "Dat iedereen dezelfde taal spreekt en de modellen kent",
                "Een gedeelde taal en kennis van de modellen bouw je op met een training.",
                training=3,
            ),
            _answer(
                "Hoe we samen met partners sturen op gezamenlijke effecten",
                "Samen sturen op effecten vraagt een gedeelde strategie en partners die "
                "meedoen in het meten.",
                strategische_start=2,
                focus_op_partners=2,
            ),
        ),
    ),
)


def chooser_questions() -> list[dict[str, Any]]:
    return [
        _block("question", {"question": question, "help_text": help_text, "answers": list(answers)})
        for question, help_text, answers in CHOOSER_QUESTIONS
    ]


# --- The course ----------------------------------------------------------------------------

COURSE_INDEX_INTRO = (
    "<p>Cursussen van trainers uit het netwerk, om in eigen tempo door te werken of samen "
    "met collega's. Elke les heeft opdrachten en vragen om bij stil te staan.</p>"
)

COURSE = {
    "slug": "basistraining-impactgericht-werken",
    "title": "Basistraining impactgericht werken",
    "summary": (
        "Een eerste kennismaking met impactgericht werken volgens Aanpakken met Impact. Je leert "
        "wat impact is, hoe een netwerk in vier fasen door een opgave reist, en hoe je "
        "werkzame elementen vindt en gebruikt."
    ),
    "learning_goals": _points(
        "Je kunt in eigen woorden uitleggen wat impact is en hoe het verschilt van "
        "activiteiten en resultaten.",
        "Je kent de vier fasen van de reis en weet wat elke fase oplevert.",
        "Je kunt voor je eigen opgave werkzame elementen opzoeken en beoordelen hoe sterk het "
        "bewijs is.",
        kind="goal",
    ),
    "audience": (
        "Beleidsmedewerkers, programmamanagers en professionals van gemeenten en hun partners"
    ),
    "duration": "Drie lessen van ongeveer een uur, met opdrachten tussendoor",
}

LESSONS = (
    {
        "slug": "wat-is-impact",
        "title": "Les 1: Wat is impact?",
        "intro": (
            "Veel gemeenten tellen wat ze doen: het aantal bijeenkomsten, deelnemers of "
            "uitkeringen. In deze les kijken we naar wat er daardoor verandert in het leven "
            "van inwoners."
        ),
        "body": [
            _block(
                "paragraph",
                "<p>Impact is de verandering die een aanpak teweegbrengt bij de mensen voor "
                "wie hij bedoeld is. Een koffieochtend is een activiteit, veertig bezoekers "
                "zijn een resultaat; impact is dat een bezoeker zich minder alleen voelt en "
                "weer iemand heeft om op terug te vallen.</p>"
                "<p>Impactgericht werken begint daarom bij de vraag welke verandering je wilt "
                "zien, en pas daarna bij de vraag wat je gaat doen.</p>",
            ),
            _block(
                "quote",
                {
                    "text": (
                        "We organiseerden jaren dezelfde activiteiten. Pas toen we bewoners "
                        "vroegen wat er voor hén veranderd was, zagen we wat echt telde."
                    ),
                    "attribution": "Deelnemer aan een eerdere training, opbouwwerker",
                },
            ),
            _block(
                "reflection",
                {
                    "question": (
                        "Denk aan een project waar je aan werkt. Wat tel je nu, en welke "
                        "verandering voor inwoners hoop je daarmee eigenlijk te bereiken?"
                    )
                },
            ),
        ],
    },
    {
        "slug": "de-reis-in-vier-fasen",
        "title": "Les 2: De reis in vier fasen",
        "intro": (
            "Aanpakken met Impact beschrijft het werk aan een opgave als een reis. In deze les "
            "loop je de vier fasen door en zie je wat elke fase oplevert."
        ),
        "body": [
            _block(
                "paragraph",
                "<p>De reis begint met een <b>reiswens</b> die uitmondt in een opdracht. Bij "
                "het <b>verkennen</b> brengt het netwerk de opgave in beeld: de foto. Daarna "
                "volgt het <b>(in)richten</b>, waarin keuzes worden vastgelegd in een "
                "programma-aanpak. In <b>doen en leren</b> probeert het netwerk uit wat werkt "
                "en legt het vast in een reisverslag.</p>",
            ),
            _block(
                "callout",
                {
                    "title": "Geen eindpunt",
                    "text": (
                        "<p>Na het reisverslag begint een nieuwe ronde van (in)richten. De "
                        "reis is een cyclus: elke ronde bouwt voort op wat de vorige "
                        "opleverde.</p>"
                    ),
                },
            ),
            _block(
                "exercise",
                {
                    "title": "Schrijf een reiswens",
                    "instructions": (
                        "<p>Kies een opgave uit je eigen gemeente en beschrijf in een half "
                        "A4:</p><ul><li>de vraag die je wilt beantwoorden;</li><li>waarom die "
                        "vraag nu speelt;</li><li>wat je over drie jaar anders wilt zien;</li>"
                        "<li>wie de verkenning zou kunnen begeleiden.</li></ul>"
                    ),
                },
            ),
        ],
    },
    {
        "slug": "werkzame-elementen-gebruiken",
        "title": "Les 3: Werkzame elementen vinden en gebruiken",
        "intro": (
            "Niet elke aanpak hoef je zelf te bedenken. In deze les leer je werkzame "
            "elementen herkennen en wegen hoe sterk het bewijs ervoor is."
        ),
        "body": [
            _block(
                "paragraph",
                "<p>Een werkzaam element is het bestanddeel van een aanpak dat het verschil "
                "maakt: niet de koffieochtend zelf, maar de buurtgenoot die iemand de eerste "
                "keer meeneemt. Wie weet waarom iets werkt, kan het ook in een andere wijk of "
                "gemeente toepassen.</p>"
                "<p>De erkenningsladder laat zien hoe goed een element onderbouwd is: van goed "
                "beschreven, via goed onderbouwd, tot effectief met eerste, goede of sterke "
                'aanwijzingen. In de <a href="/kennisbank/">kennisbank</a> kun je daarop '
                "filteren.</p>",
            ),
            _block(
                "exercise",
                {
                    "title": "Zoek drie werkzame elementen",
                    "instructions": (
                        "<p>Zoek in de kennisbank drie werkzame elementen die passen bij de "
                        "opgave uit les 2. Noteer per element:</p><ol><li>waarom het werkt;"
                        "</li><li>voor wie en in welke context;</li><li>hoe sterk het bewijs "
                        "is.</li></ol>"
                    ),
                },
            ),
            _block(
                "reflection",
                {
                    "question": (
                        "Welk van de drie elementen zou je morgen al kunnen toepassen, en wat "
                        "heb je daarvoor nodig van collega's of partners?"
                    )
                },
            ),
        ],
    },
)


# --- Building the tree ---------------------------------------------------------------------


@dataclass
class _Builder:
    editor: User | None
    created: list[Page] = field(default_factory=list)

    def child(
        self,
        parent: Page,
        model: type[Page],
        slug: str,
        *,
        user: User | None = None,
        tags: dict[str, tuple[str, ...]] | None = None,
        **fields: Any,
    ) -> Page:
        """The page with `slug` under `parent`, made and published if it is missing."""
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        author = user or self.editor
        page = model(slug=slug, live=False, owner=author, **fields)
        for name, values in (tags or {}).items():
            getattr(page, name).add(*values)
        parent.add_child(instance=page)
        # As an editor would: a draft in the tree, then a revision that is published. The
        # demo publishes as the redacteur or trainer whatever their CMS permissions are.
        page.save_revision(user=author).publish(user=author, skip_permission_checks=True)
        self.created.append(page)
        return page

    def single(self, parent: Page, model: type[Page], slug: str, **fields: Any) -> Page:
        """For page types that may exist only once: one an editor moved or renamed counts."""
        page = parent.get_children().filter(slug=slug).first()
        if page is None:
            page = model.objects.first()
        if page is not None:
            return page.specific
        return self.child(parent, model, slug, **fields)


def _build_method(builder: _Builder, home: HomePage) -> None:
    builder.single(home, MethodPage, "methode", **METHOD)


def _build_kennisbank(builder: _Builder, home: HomePage) -> list[WorkingElementPage]:
    index = builder.single(
        home,
        KnowledgeIndexPage,
        "kennisbank",
        title="Kennisbank: werkzame elementen",
        intro=(
            "<p>Wat werkt, waarom, voor wie en waar? Hier delen netwerken de werkzame "
            "elementen die ze onderweg vonden, met de bronnen erbij en hoe sterk het bewijs "
            "is. Zoek op opgave, thema of doelgroep.</p>"
        ),
    )
    elements = []
    for element in ELEMENTS:
        name, organisation, email = element.contact
        elements.append(
            builder.child(
                index,
                WorkingElementPage,
                element.slug,
                title=element.title,
                summary=element.summary,
                mechanism=element.mechanism,
                target_group=element.target_group,
                context=element.context,
                steps=_steps(*element.steps),
                evidence_level=element.evidence_level,
                sources=_sources(*element.sources),
                contact_name=name,
                contact_organisation=organisation,
                contact_email=email,
                tags={
                    "themes": element.themes,
                    "challenges": element.challenges,
                    "target_groups": element.target_groups,
                },
            )
        )
    return elements


def _build_scenarios(builder: _Builder, home: HomePage) -> None:
    index = builder.single(
        home,
        ScenarioIndexPage,
        "scenarios",
        title="Vijf scenario's om te beginnen",
        intro=SCENARIO_INDEX_INTRO,
    )
    for scenario in SCENARIOS:
        if ScenarioPage.objects.filter(scenario=scenario.key).exclude(slug=scenario.slug).exists():
            continue  # an editor gave this scenario another address: leave it there
        builder.child(
            index,
            ScenarioPage,
            scenario.slug,
            title=scenario.title,
            scenario=scenario.key,
            summary=scenario.summary,
            steps=_steps(*scenario.steps),
            opportunities=_points(*scenario.opportunities),
            risks=_points(*scenario.risks),
            suitable_for=_points(*scenario.suitable_for),
            first_step=scenario.first_step,
        )
    builder.single(
        index,
        ScenarioChooserPage,
        "kiezen",
        title="Welk scenario past bij jouw gemeente?",
        intro=CHOOSER_INTRO,
        questions=chooser_questions(),
        combination_margin=1,
    )


def _build_course(builder: _Builder, home: HomePage) -> CoursePage:
    index = builder.single(
        home, CourseIndexPage, "leren", title="Leren en trainen", intro=COURSE_INDEX_INTRO
    )
    trainer = User.objects.filter(email=TRAINER_EMAIL).first()
    fields = {key: value for key, value in COURSE.items() if key != "slug"}
    course = builder.child(
        index, CoursePage, COURSE["slug"], user=trainer, trainer=trainer, **fields
    )
    for lesson in LESSONS:
        fields = {key: value for key, value in lesson.items() if key != "slug"}
        builder.child(course, LessonPage, lesson["slug"], user=trainer, **fields)
    return course


def _features_something(content: dict[str, Any]) -> bool:
    featured = content.get("featured") or "[]"  # revisions keep a StreamField as JSON text
    return bool(json.loads(featured) if isinstance(featured, str) else featured)


def _feature_on_home(
    builder: _Builder, home: HomePage, elements: list[WorkingElementPage], course: CoursePage
) -> bool:
    """Feature three werkzame elementen and the course, once: a home page that features
    something, ever did (an editor may have emptied the list on purpose), or has a draft an
    editor is working on, is left alone."""
    home = HomePage.objects.get(pk=home.pk)
    if home.featured or home.has_unpublished_changes:
        return False
    if any(_features_something(revision.content) for revision in home.revisions.all()):
        return False
    by_slug = {page.slug: page for page in elements}
    home.featured = [
        *(
            _block("working_element", by_slug[slug].pk)
            for slug in FEATURED_ELEMENTS
            if slug in by_slug
        ),
        _block("course", course.pk),
    ]
    home.save_revision(user=builder.editor).publish(
        user=builder.editor, skip_permission_checks=True
    )
    return True


def seed_pages(stdout: IO[str] | None = None) -> int:
    """Build the demo page tree under the home page; returns how many pages it made.
    Pages that exist (by slug under their parent) are left as they are, so a second run
    changes nothing. Uses the redacteur and trainer personas when they exist."""
    with transaction.atomic():
        home = HomePage.objects.get()
        builder = _Builder(editor=User.objects.filter(email=EDITOR_EMAIL).first())
        _build_method(builder, home)
        elements = _build_kennisbank(builder, home)
        _build_scenarios(builder, home)
        course = _build_course(builder, home)
        featured = _feature_on_home(builder, home, elements, course)
    if stdout is not None:
        stdout.write(f"Demo pages ready ({len(builder.created)} new):\n")
        for page in home.get_descendants().live().order_by("path"):
            indent = "  " * (page.depth - home.depth)
            stdout.write(f"{indent}{page.url_path[len(home.url_path) - 1 :]}  {page.title}\n")
        if featured:
            stdout.write("  The home page now features three werkzame elementen and the course.\n")
    return len(builder.created)
