"""Demo stories for `seed_demo`, told and recorded through the story services, in our
own words: residents, experts by experience, professionals, policy makers, researchers,
an entrepreneur and volunteers, about loneliness, poverty and taking part in the
neighbourhood. Spread over the three demo journeys (journeys/demo.py), stories without a
journey, every signifier, the scale, four years and every visibility.

The people, places and events are invented. Stories told by someone else on the
teller's behalf (by the opbouwwerker, Pieter) carry a consent record. Idempotent: a story
whose title exists is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO

from django.db import transaction
from django.utils import timezone

from community.demo import PERSONAS
from community.models import Organisation, User
from journeys.demo import LONELINESS_SLUG, NEIGHBOURHOOD_SLUG, POVERTY_SLUG
from journeys.models import Journey, Story, StorySignifier, StorySlider
from journeys.stories import services
from journeys.stories.services import Consent, StoryDetails

P = Story.Perspective
V = Story.Visibility
D = Story.Display
OOSTERWAARD, LINDENDAL, VLIETMONDE = (
    "Gemeente Oosterwaard",
    "Gemeente Lindendal",
    "Gemeente Vlietmonde",
)
EENZAAM, ARMOEDE, BUURT = LONELINESS_SLUG, POVERTY_SLUG, NEIGHBOURHOOD_SLUG


@dataclass(frozen=True)
class DemoStory:
    title: str
    text: str
    perspective: str
    by: str  # the persona who tells it, or who records it
    happened: date
    journey: str | None = None
    gemeente: str | None = None
    wijk: str = ""
    themes: tuple[str, ...] = ()
    meant: tuple[str, ...] = ()  # signifier slugs
    regie: int | None = None  # the scale "regie over mijn leven", 0..100
    quote: str = ""
    visibility: str = V.OPENBAAR
    display: str = D.FIRST_NAME
    teller: str = ""  # a recorded teller's name; empty: the persona tells their own
    consent: str = Story.ConsentMethod.MONDELING
    agreed: str = ""  # the visibility the teller agreed to (default: the story's own)
    extra: dict = field(default_factory=dict)


STORIES = [
    # --- Eenzaamheid (openbaar journey) ---------------------------------------------------
    DemoStory(
        "De bel die elke ochtend gaat",
        "Sinds mijn vrouw er niet meer is, zei ik soms dagen niemand iets. Nu belt er elke "
        "ochtend om half tien iemand van de belcirkel. Het duurt vijf minuten, maar ik kijk "
        "er de hele ochtend naar uit. Vorige week vroeg ze of ik mee wilde naar de soos.",
        P.INWONER,
        "professional",
        date(2025, 11, 4),
        EENZAAM,
        OOSTERWAARD,
        "Oude Haven",
        ("eenzaamheid", "ouderen"),
        ("gezien-worden", "verbondenheid"),
        60,
        quote="Vijf minuten, maar ik kijk er de hele ochtend naar uit.",
        teller="Henk Vos",
    ),
    DemoStory(
        "Koffie bij de bibliotheek",
        "Ik durfde niet goed naar binnen bij de koffieochtend. De eerste keer liep ik twee "
        "keer langs de deur. Een vrijwilliger zag me staan en hield de deur open. Inmiddels "
        "zet ik zelf de koffie op dinsdag.",
        P.INWONER,
        "inwoner",
        date(2025, 9, 16),
        EENZAAM,
        LINDENDAL,
        "De Linde",
        ("eenzaamheid", "ontmoeting"),
        ("verbondenheid", "persoonlijke-groei"),
        75,
        quote="Een vrijwilliger zag me staan en hield de deur open.",
    ),
    DemoStory(
        "Niet eenzaam, wel alleen",
        "Mensen denken dat ik eenzaam ben omdat ik alleen woon. Dat klopt niet: ik heb mijn "
        "tuin en mijn kleinkinderen. Wat ik mis is iemand die even meekijkt met de post. "
        "Daar schaam ik me voor, dus ik vraag het niet.",
        P.INWONER,
        "professional",
        date(2025, 10, 2),
        EENZAAM,
        LINDENDAL,
        "Lindenhof",
        ("ouderen", "zelfredzaamheid"),
        ("eigen-regie",),
        70,
        teller="Wil de Graaf",
        display=D.ANONYMOUS,
    ),
    DemoStory(
        "Wat ik leerde aan de keukentafel",
        "In twintig keukentafelgesprekken hoorde ik vaker over schaamte dan over "
        "eenzaamheid. Mensen willen niet zielig gevonden worden. Als we het woord "
        "eenzaamheid weglaten en vragen wat iemand leuk vindt, gaat het gesprek open.",
        P.PROFESSIONAL,
        "professional",
        date(2025, 6, 12),
        EENZAAM,
        OOSTERWAARD,
        "",
        ("eenzaamheid", "gespreksvoering"),
        ("erkenning",),
        None,
        quote="Als we het woord eenzaamheid weglaten, gaat het gesprek open.",
        display=D.NAME,
    ),
    DemoStory(
        "De huisarts stuurde me naar de wandelgroep",
        "Ik kwam bij de huisarts voor slecht slapen. Ze vroeg hoe vaak ik buiten kwam. "
        "Eerlijk gezegd bijna nooit. Nu loop ik twee keer per week met de wandelgroep van "
        "het wijkcentrum, en ik slaap beter. Of dat door het lopen komt of door het praten, "
        "weet ik niet.",
        P.INWONER,
        "professional",
        date(2024, 4, 23),
        EENZAAM,
        OOSTERWAARD,
        "Noorderveld",
        ("eenzaamheid", "gezondheid", "bewegen"),
        ("rust-en-minder-stress", "verbondenheid"),
        65,
        teller="Ans Kramer",
        consent=Story.ConsentMethod.SCHRIFTELIJK,
    ),
    DemoStory(
        "Een jonge moeder in de wijk",
        "Na de verhuizing kende ik niemand. Mijn man werkt lange dagen en ik zat met de "
        "baby binnen. Eenzaamheid is niet alleen iets van ouderen. Op het consultatiebureau "
        "hing een briefje van een ochtend voor ouders; daar vond ik twee vriendinnen.",
        P.INWONER,
        "inwoner",
        date(2024, 2, 7),
        EENZAAM,
        LINDENDAL,
        "De Linde",
        ("eenzaamheid", "jonge ouders"),
        ("verbondenheid", "gezien-worden"),
        55,
        display=D.ANONYMOUS,
    ),
    DemoStory(
        "Tellen is niet hetzelfde als begrijpen",
        "De monitor zegt dat een op de acht oudere inwoners zich ernstig eenzaam voelt. "
        "Pas toen ik de verhalen las, begreep ik waarom het aanbod niet aansluit: het "
        "begint op plekken waar mensen niet komen. Cijfers vertellen hoeveel, verhalen "
        "vertellen waarom.",
        P.BELEIDSMAKER,
        "opdrachtgever",
        date(2025, 10, 20),
        EENZAAM,
        OOSTERWAARD,
        "",
        ("eenzaamheid", "beleid", "monitoring"),
        ("perspectief",),
        None,
        quote="Cijfers vertellen hoeveel, verhalen vertellen waarom.",
        display=D.NAME,
    ),
    DemoStory(
        "Vijftig jaar in dezelfde straat",
        "Vroeger kende ik iedereen in de straat. Nu wonen er jonge mensen die ik niet ken "
        "en die overdag weg zijn. Ik ben niet boos, het is gewoon anders. Sinds de "
        "straatbarbecue van vorige zomer groet de buurjongen me bij naam.",
        P.INWONER,
        "professional",
        date(2023, 8, 26),
        EENZAAM,
        OOSTERWAARD,
        "Oude Haven",
        ("ouderen", "buurt"),
        ("gezien-worden",),
        45,
        teller="Riet Bosman",
    ),
    DemoStory(
        "Wat de onderzoeker zag in de gesprekken",
        "In de gesprekken keert hetzelfde terug: mensen willen iets kunnen geven, niet "
        "alleen iets krijgen. Wie een taak heeft bij een activiteit, komt vaker terug. "
        "Dat is een werkzaam element dat we verder willen onderzoeken.",
        P.ONDERZOEKER,
        "onderzoeker",
        date(2025, 12, 3),
        EENZAAM,
        LINDENDAL,
        "",
        ("eenzaamheid", "werkzame elementen", "onderzoek"),
        ("erkenning", "perspectief"),
        None,
        display=D.NAME,
        visibility=V.NETWERK,
    ),
    DemoStory(
        "Mijn eerste dienst als maatje",
        "Ik werd gekoppeld aan een man van negentig die niets meer wilde. Na drie weken "
        "zwijgen vertelde hij over zijn tijd op de binnenvaart. Nu zoeken we samen oude "
        "foto's op de computer. Ik krijg er minstens zoveel voor terug als ik geef.",
        P.VRIJWILLIGER,
        "inwoner",
        date(2025, 3, 11),
        EENZAAM,
        LINDENDAL,
        "Lindenhof",
        ("eenzaamheid", "vrijwilligerswerk"),
        ("verbondenheid", "persoonlijke-groei"),
        None,
    ),
    DemoStory(
        "Niemand die het merkte",
        "Toen ik ziek was, merkte niemand dat mijn gordijnen drie dagen dicht bleven. "
        "Dat heeft me meer pijn gedaan dan de griep. Nu hebben de buurvrouw en ik een "
        "afspraak: gordijnen open om tien uur, anders belt ze.",
        P.INWONER,
        "professional",
        date(2024, 12, 9),
        EENZAAM,
        OOSTERWAARD,
        "Noorderveld",
        ("eenzaamheid", "buurt", "ouderen"),
        ("gezien-worden", "rust-en-minder-stress"),
        50,
        teller="Jos Meijer",
        display=D.ANONYMOUS,
        visibility=V.BESLOTEN,
        agreed=V.BESLOTEN,
    ),
    DemoStory(
        "Een wijkverpleegkundige over tijd",
        "In mijn planning staat twaalf minuten voor steunkousen. Het gesprek over hoe het "
        "echt gaat, past daar niet in. Als ik wel blijf, loop ik uit bij de volgende. "
        "Ik wil dat de mensen die ik zie, ergens anders ook gezien worden.",
        P.PROFESSIONAL,
        "professional",
        date(2025, 1, 28),
        EENZAAM,
        LINDENDAL,
        "",
        ("eenzaamheid", "zorg", "werkdruk"),
        ("erkenning",),
        None,
        teller="Samira Haddou",
        display=D.FIRST_NAME,
        consent=Story.ConsentMethod.DIGITAAL,
    ),
    # --- Armoede (netwerk journey) --------------------------------------------------------
    DemoStory(
        "De brief die ik niet openmaakte",
        "Ik had een la vol brieven die ik niet durfde open te maken. Bij de budgetcoach "
        "hebben we ze samen op tafel gelegd. Het viel mee en het viel tegen. Maar ik weet "
        "nu waar ik sta, en dat geeft meer rust dan ik had verwacht.",
        P.INWONER,
        "professional",
        date(2024, 10, 15),
        ARMOEDE,
        VLIETMONDE,
        "Vlietkwartier",
        ("schulden", "armoede"),
        ("rust-en-minder-stress", "eigen-regie"),
        70,
        quote="Ik weet nu waar ik sta, en dat geeft rust.",
        teller="Kevin Smit",
        visibility=V.NETWERK,
        consent=Story.ConsentMethod.SCHRIFTELIJK,
    ),
    DemoStory(
        "Van schaamte naar de voedselbank",
        "Ik heb een half jaar gewacht voordat ik naar de voedselbank ging. Ik werk toch, "
        "dacht ik. Daar bleek ik niet de enige met een baan. Het grootste verschil was niet "
        "het eten, maar dat ik niet meer hoefde te doen alsof.",
        P.ERVARINGSDESKUNDIGE,
        "inwoner",
        date(2024, 5, 21),
        ARMOEDE,
        OOSTERWAARD,
        "Noorderveld",
        ("armoede", "werkende armen", "schaamte"),
        ("erkenning", "rust-en-minder-stress"),
        40,
        visibility=V.NETWERK,
        quote="Ik hoefde niet meer te doen alsof.",
    ),
    DemoStory(
        "Het kindpakket en de verjaardag",
        "Mijn dochter werd uitgenodigd voor een feestje en ik had geen geld voor een "
        "cadeau. Via het kindpakket kon ze toch gaan. Zij weet niet hoe dat zo kwam, en dat "
        "is precies goed.",
        P.INWONER,
        "professional",
        date(2025, 2, 14),
        ARMOEDE,
        LINDENDAL,
        "De Linde",
        ("armoede", "kinderen"),
        ("financiele-ruimte", "gezien-worden"),
        55,
        teller="Fatma Kaya",
        display=D.ANONYMOUS,
        visibility=V.NETWERK,
    ),
    DemoStory(
        "Wat werkt: één vast gezicht",
        "Huishoudens met geldzorgen hebben vaak vijf loketten. In de eerste cyclus zagen we "
        "dat één vaste contactpersoon meer doet dan een extra regeling. Mensen haken af bij "
        "het derde nieuwe gezicht.",
        P.PROFESSIONAL,
        "reisbegeleider",
        date(2025, 4, 8),
        ARMOEDE,
        OOSTERWAARD,
        "",
        ("armoede", "werkzame elementen", "dienstverlening"),
        ("perspectief",),
        None,
        visibility=V.NETWERK,
        display=D.NAME,
    ),
    DemoStory(
        "De energietoeslag kwam te laat",
        "De toeslag was goed bedoeld, maar kwam pas toen de achterstand er al was. Toen "
        "moest ik alsnog een regeling treffen. Had ik het een maand eerder geweten, dan had "
        "ik niet hoeven lenen.",
        P.INWONER,
        "professional",
        date(2023, 3, 30),
        ARMOEDE,
        VLIETMONDE,
        "Vlietkwartier",
        ("armoede", "energie", "toeslagen"),
        ("financiele-ruimte",),
        30,
        teller="Ruud Peeters",
        visibility=V.NETWERK,
    ),
    DemoStory(
        "Als beleidsmaker aan tafel bij de schuldhulp",
        "Ik zat een middag mee bij de schuldhulpverlening. Een man had drie formulieren "
        "nodig die hetzelfde vroegen. Terug op het stadhuis heb ik er twee geschrapt. Soms "
        "is het antwoord kleiner dan een nieuw programma.",
        P.BELEIDSMAKER,
        "opdrachtgever",
        date(2025, 5, 19),
        ARMOEDE,
        OOSTERWAARD,
        "",
        ("armoede", "regeldruk", "beleid"),
        ("erkenning", "perspectief"),
        None,
        visibility=V.NETWERK,
        display=D.NAME,
    ),
    DemoStory(
        "Sparen met de buurvrouwen",
        "Met vier buurvrouwen leggen we elke maand twintig euro in. Om de beurt krijgt een "
        "van ons de pot. Het is geen bank, maar het is van ons. Niemand hoeft uit te leggen "
        "waarvoor.",
        P.INWONER,
        "inwoner",
        date(2024, 7, 3),
        ARMOEDE,
        OOSTERWAARD,
        "Noorderveld",
        ("armoede", "samen sparen"),
        ("eigen-regie", "verbondenheid", "financiele-ruimte"),
        85,
        visibility=V.NETWERK,
        display=D.ANONYMOUS,
    ),
    DemoStory(
        "Een ondernemer met een boodschappenkaart",
        "In mijn supermarkt zie ik wie aan het eind van de maand gaat passen. Met de "
        "gemeente hebben we een boodschappenkaart bedacht die aan de kassa niet opvalt. "
        "Het kost me weinig en mensen houden hun waardigheid.",
        P.ONDERNEMER,
        "professional",
        date(2025, 8, 22),
        ARMOEDE,
        LINDENDAL,
        "Lindenhof",
        ("armoede", "ondernemers", "waardigheid"),
        ("erkenning",),
        None,
        teller="Bart Claessens",
        display=D.NAME,
        visibility=V.NETWERK,
        consent=Story.ConsentMethod.DIGITAAL,
    ),
    DemoStory(
        "Cijfers die tegenvielen",
        "Het aantal aanvragen voor de meedoenregeling steeg, maar bij de huishoudens die we "
        "het meest wilden bereiken bleef het laag. De brief was te moeilijk. We testen nu "
        "een versie die samen met ervaringsdeskundigen is geschreven.",
        P.ONDERZOEKER,
        "onderzoeker",
        date(2025, 9, 9),
        ARMOEDE,
        VLIETMONDE,
        "",
        ("armoede", "bereik", "onderzoek"),
        ("perspectief",),
        None,
        visibility=V.NETWERK,
        display=D.NAME,
    ),
    DemoStory(
        "Rekenen op de achterkant van een envelop",
        "Ik rekende elke week op de achterkant van een envelop uit wat ik nog had. Met de "
        "budgetcursus heb ik een schriftje. Het bedrag is niet groter geworden, maar ik "
        "schrik niet meer van de afschrijvingen.",
        P.INWONER,
        "professional",
        date(2026, 1, 13),
        ARMOEDE,
        OOSTERWAARD,
        "Oude Haven",
        ("armoede", "geldzaken", "cursus"),
        ("eigen-regie", "rust-en-minder-stress", "persoonlijke-groei"),
        80,
        teller="Linda Hoekstra",
        visibility=V.NETWERK,
    ),
    DemoStory(
        "Ervaringsdeskundige in de werkgroep",
        "Ik zit nu in de werkgroep die de regelingen beoordeelt. De eerste keer werd ik "
        "vriendelijk toegeknikt en daarna vergeten. Inmiddels lezen ze mijn commentaar "
        "voordat er iets naar buiten gaat. Dat verschil voel ik.",
        P.ERVARINGSDESKUNDIGE,
        "inwoner",
        date(2025, 11, 18),
        ARMOEDE,
        OOSTERWAARD,
        "",
        ("armoede", "ervaringskennis", "participatie"),
        ("erkenning", "persoonlijke-groei"),
        75,
        visibility=V.NETWERK,
    ),
    DemoStory(
        "Tussen twee uitkeringen",
        "Drie maanden had ik geen inkomen omdat de ene uitkering stopte voordat de andere "
        "begon. Ik heb in die tijd meer formulieren ingevuld dan ooit. Een klantmanager die "
        "doorbelde naar de andere afdeling maakte het verschil.",
        P.INWONER,
        "professional",
        date(2024, 9, 5),
        ARMOEDE,
        LINDENDAL,
        "De Linde",
        ("armoede", "uitkering", "dienstverlening"),
        ("gezien-worden", "financiele-ruimte"),
        25,
        teller="Mehmet Aydin",
        display=D.ANONYMOUS,
        visibility=V.PRIVE,
        agreed=V.PRIVE,
    ),
    # --- Werk en meedoen in de Kruidenbuurt (besloten journey) ----------------------------
    DemoStory(
        "Mijn eerste week bij het wijkbedrijf",
        "Na zes jaar thuis was de eerste week zwaar. Om acht uur beginnen, samen koffie, "
        "dan groen onderhouden in de buurt. Mensen groetten me op straat. Aan het eind van "
        "de week was ik moe, maar op een goede manier.",
        P.INWONER,
        "inwoner",
        date(2025, 4, 14),
        BUURT,
        OOSTERWAARD,
        "Kruidenbuurt",
        ("werk", "participatie"),
        ("persoonlijke-groei", "gezien-worden"),
        65,
        visibility=V.BESLOTEN,
    ),
    DemoStory(
        "De stap naar betaald werk",
        "Bij het wijkbedrijf ging het goed, dus ik solliciteerde bij een hovenier. Daar "
        "merkte ik hoe veilig het wijkbedrijf was. Ik heb het drie maanden volgehouden en "
        "ben toen teruggegaan. Het voelt als falen, maar ik weet nu wat ik nodig heb.",
        P.INWONER,
        "professional",
        date(2025, 8, 1),
        BUURT,
        OOSTERWAARD,
        "Kruidenbuurt",
        ("werk", "re-integratie"),
        ("persoonlijke-groei",),
        35,
        teller="Dennis Mulder",
        display=D.ANONYMOUS,
        visibility=V.BESLOTEN,
        agreed=V.BESLOTEN,
    ),
    DemoStory(
        "Taalcafé op woensdag",
        "Ik spreek beter Nederlands bij het taalcafé dan op de cursus. Daar durf ik fouten "
        "te maken. Een buurman heeft me geholpen met mijn eerste sollicitatiebrief.",
        P.INWONER,
        "professional",
        date(2024, 11, 20),
        BUURT,
        OOSTERWAARD,
        "Kruidenbuurt",
        ("taal", "meedoen", "werk"),
        ("verbondenheid", "perspectief"),
        60,
        teller="Amina Yusuf",
        visibility=V.BESLOTEN,
        agreed=V.NETWERK,
    ),
    DemoStory(
        "Werkgever in de buurt",
        "Ik heb twee mensen van het wijkbedrijf in dienst genomen. De eerste maand kostte "
        "het me extra begeleiding, maar ze zijn trouwer dan wie ik via een bureau krijg. "
        "Wat ik nodig heb is één telefoonnummer als het even niet loopt.",
        P.ONDERNEMER,
        "professional",
        date(2025, 10, 7),
        BUURT,
        OOSTERWAARD,
        "Kruidenbuurt",
        ("werk", "werkgevers"),
        ("perspectief",),
        None,
        teller="Paul Verbeek",
        display=D.NAME,
        visibility=V.BESLOTEN,
        consent=Story.ConsentMethod.SCHRIFTELIJK,
    ),
    DemoStory(
        "Opbouwwerk tussen de flats",
        "Bewoners zeiden dat er niets te doen was in de buurt. Toen we vroegen wat ze zelf "
        "konden, bleek er een kapper, een kok en een fietsenmaker in één portiek te wonen. "
        "Het buurtfeest organiseerden ze daarna zelf.",
        P.PROFESSIONAL,
        "professional",
        date(2024, 6, 15),
        BUURT,
        OOSTERWAARD,
        "Kruidenbuurt",
        ("wijkaanpak", "talenten", "participatie"),
        ("eigen-regie", "verbondenheid"),
        None,
        visibility=V.BESLOTEN,
        display=D.NAME,
    ),
    DemoStory(
        "Vrijwilliger bij de fietsenwerkplaats",
        "Ik repareer al drie jaar fietsen in de werkplaats. Jongens die op school niet "
        "meekomen, blijken hier heel precies te kunnen werken. Eén van hen is nu leerling "
        "bij een fietsenzaak.",
        P.VRIJWILLIGER,
        "professional",
        date(2023, 10, 12),
        BUURT,
        OOSTERWAARD,
        "Kruidenbuurt",
        ("jongeren", "vrijwilligerswerk", "werk"),
        ("erkenning", "perspectief"),
        None,
        teller="Theo Jansen",
        visibility=V.BESLOTEN,
    ),
    DemoStory(
        "Wat het canvas liet zien",
        "Toen we het Impact Canvas invulden, zagen we dat niemand zich eigenaar voelde van "
        "de stap naar werk. Iedereen deed een deel. Het was ongemakkelijk om dat hardop te "
        "zeggen, maar het hielp.",
        P.BELEIDSMAKER,
        "opdrachtgever",
        date(2026, 2, 24),
        BUURT,
        OOSTERWAARD,
        "",
        ("werk", "samenwerking", "impact canvas"),
        ("perspectief",),
        None,
        visibility=V.BESLOTEN,
        display=D.NAME,
    ),
    DemoStory(
        "Weer een ritme",
        "Het belangrijkste van het wijkbedrijf is niet het geld. Ik sta weer op tijd op en "
        "mijn kinderen zien dat ik ergens naartoe ga. Mijn zoon vroeg of hij een keer mee "
        "mocht.",
        P.ERVARINGSDESKUNDIGE,
        "inwoner",
        date(2025, 12, 10),
        BUURT,
        OOSTERWAARD,
        "Kruidenbuurt",
        ("werk", "gezin"),
        ("eigen-regie", "gezien-worden"),
        80,
        visibility=V.BESLOTEN,
        display=D.ANONYMOUS,
    ),
    # --- Without a journey ----------------------------------------------------------------
    DemoStory(
        "Een gesprek in de rij bij de apotheek",
        "In de rij bij de apotheek begon een vrouw tegen me te praten. We bleken allebei "
        "mantelzorger. We drinken nu elke maand koffie. Soms begint iets groots in een rij.",
        P.INWONER,
        "inwoner",
        date(2024, 3, 18),
        None,
        LINDENDAL,
        "Lindenhof",
        ("mantelzorg", "ontmoeting"),
        ("verbondenheid",),
        60,
    ),
    DemoStory(
        "Mantelzorg naast een fulltime baan",
        "Ik zorg voor mijn moeder en werk veertig uur. Ik ben niet eenzaam, ik ben moe. "
        "Toen mijn werkgever mijn rooster aanpaste, kreeg ik weer adem. Dat gesprek had ik "
        "veel eerder moeten voeren.",
        P.INWONER,
        "professional",
        date(2025, 7, 2),
        None,
        OOSTERWAARD,
        "",
        ("mantelzorg", "werk"),
        ("rust-en-minder-stress", "eigen-regie"),
        55,
        teller="Sandra Willems",
        visibility=V.NETWERK,
        display=D.ANONYMOUS,
    ),
    DemoStory(
        "Leren van andere gemeenten",
        "Op de netwerkdag hoorde ik hoe Vlietmonde bewoners betaalt voor hun inzet in de "
        "wijk. Wij dachten dat dat niet mocht. Het mocht wel, je moet het alleen goed "
        "regelen. Een telefoontje scheelde ons een jaar zoeken.",
        P.BELEIDSMAKER,
        "reisbegeleider",
        date(2025, 3, 27),
        None,
        OOSTERWAARD,
        "",
        ("kennisdeling", "participatie"),
        ("perspectief", "persoonlijke-groei"),
        None,
        visibility=V.NETWERK,
        display=D.NAME,
    ),
    DemoStory(
        "Hoe we verhalen verzamelen",
        "Een verhaal vastleggen is meer dan opschrijven. We lezen het terug met de verteller "
        "en vragen wie het mag lezen. Die afspraak leggen we vast, en de verteller kan het "
        "altijd weer intrekken.",
        P.ONDERZOEKER,
        "onderzoeker",
        date(2024, 1, 22),
        None,
        None,
        "",
        ("methode", "verhalen", "onderzoek"),
        ("erkenning",),
        None,
        display=D.NAME,
    ),
    DemoStory(
        "Training over tellen en vertellen",
        "In de training lieten deelnemers eerst alleen cijfers zien en daarna alleen "
        "verhalen. Pas samen gaven ze een beeld waar het bestuur iets mee kon. Die oefening "
        "doe ik nu elke keer.",
        P.PROFESSIONAL,
        "trainer",
        date(2025, 5, 6),
        None,
        VLIETMONDE,
        "",
        ("training", "verhalen", "monitoring"),
        ("persoonlijke-groei",),
        None,
        display=D.NAME,
    ),
    DemoStory(
        "Na het overlijden van mijn man",
        "Het eerste jaar kwam iedereen langs. Het tweede jaar werd het stil. Dat is het "
        "moment waarop je iemand nodig hebt. Bij de rouwgroep van de kerk vond ik mensen "
        "die dat begrepen.",
        P.INWONER,
        "professional",
        date(2023, 11, 14),
        None,
        VLIETMONDE,
        "Vlietkwartier",
        ("eenzaamheid", "rouw"),
        ("verbondenheid", "gezien-worden"),
        40,
        teller="Greet Hermans",
        display=D.ANONYMOUS,
    ),
    DemoStory(
        "Mijn buurman de kluskoning",
        "Mijn buurman repareert alles. Sinds hij gepensioneerd is, deed hij niets meer. "
        "Ik vroeg hem om hulp met mijn kastje en nu heeft de halve straat een lijstje voor "
        "hem. Hij bloeit op.",
        P.VRIJWILLIGER,
        "inwoner",
        date(2026, 4, 9),
        None,
        OOSTERWAARD,
        "Oude Haven",
        ("buurt", "ouderen", "talenten"),
        ("erkenning", "verbondenheid"),
        None,
    ),
    DemoStory(
        "Een privé aantekening over het eerste gesprek",
        "Dit schrijf ik voor mezelf: het eerste gesprek met de schuldhulp ging slecht omdat "
        "ik te boos was. Volgende keer neem ik iemand mee.",
        P.INWONER,
        "inwoner",
        date(2026, 6, 1),
        None,
        OOSTERWAARD,
        "",
        ("schulden",),
        ("persoonlijke-groei",),
        45,
        visibility=V.PRIVE,
    ),
    DemoStory(
        "Jongerenwerk na tienen",
        "De jongeren die overlast geven, zijn vaak dezelfden die niemand hebben om mee te "
        "praten. Sinds het jongerenwerk na tienen op straat is, zijn er minder meldingen. "
        "Niet omdat we ze wegsturen, maar omdat we ze kennen.",
        P.PROFESSIONAL,
        "professional",
        date(2024, 8, 30),
        None,
        LINDENDAL,
        "De Linde",
        ("jongeren", "veiligheid", "eenzaamheid"),
        ("gezien-worden", "perspectief"),
        None,
        teller="Youssef Amrani",
        display=D.FIRST_NAME,
        visibility=V.NETWERK,
        consent=Story.ConsentMethod.OPNAME,
    ),
    DemoStory(
        "Weer durven vragen",
        "Ik heb jaren alles zelf willen oplossen. Toen ik eindelijk om hulp vroeg, bleek er "
        "veel meer mogelijk dan ik dacht. Het moeilijkste was de eerste zin.",
        P.ERVARINGSDESKUNDIGE,
        "inwoner",
        date(2026, 8, 19),
        None,
        LINDENDAL,
        "",
        ("hulp vragen", "armoede"),
        ("eigen-regie", "perspectief"),
        90,
        quote="Het moeilijkste was de eerste zin.",
    ),
    DemoStory(
        "De bus die niet meer rijdt",
        "Sinds de buslijn is opgeheven, kom ik niet meer bij mijn dochter en bij de markt. "
        "Een buurtbus met vrijwilligers rijdt nu twee keer per week. Dat is niet genoeg, "
        "maar het is iets.",
        P.INWONER,
        "professional",
        date(2025, 2, 3),
        None,
        VLIETMONDE,
        "Vlietkwartier",
        ("mobiliteit", "eenzaamheid", "ouderen"),
        ("verbondenheid",),
        20,
        teller="Cor van Leeuwen",
        visibility=V.NETWERK,
    ),
    DemoStory(
        "Moestuin op het schoolplein",
        "De school stelde een hoek van het plein beschikbaar voor een moestuin. Ouders die "
        "elkaar nooit spraken, wieden nu samen. De oogst delen we op vrijdag bij het hek.",
        P.VRIJWILLIGER,
        "professional",
        date(2026, 5, 22),
        None,
        LINDENDAL,
        "Lindenhof",
        ("ontmoeting", "buurt", "voedsel"),
        ("verbondenheid", "persoonlijke-groei"),
        None,
        teller="Nadia el Idrissi",
    ),
]


def _people() -> dict[str, User]:
    return {
        persona.role: user
        for persona in PERSONAS
        if (user := User.objects.filter(email=persona.email).first()) is not None
    }


def seed_stories(stdout: IO[str] | None = None) -> int:
    """At least 40 stories; returns how many it made. Needs the personas and the demo
    journeys (journeys/demo.py). A story whose title exists is skipped."""
    people = _people()
    journeys = {j.slug: j for j in Journey.objects.filter(slug__in=[EENZAAM, ARMOEDE, BUURT])}
    if len(journeys) < 3 or len(people) < len(PERSONAS):
        return 0
    gemeenten = {o.name: o for o in Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE)}
    signifiers = {s.slug: s for s in StorySignifier.objects.all()}
    regie = StorySlider.objects.order_by("position", "pk").first()
    existing = set(Story.objects.values_list("title", flat=True))
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        for item in STORIES:
            if item.title in existing:
                continue
            details = StoryDetails(
                title=item.title,
                text=item.text,
                perspective=item.perspective,
                display=item.display,
                visibility=item.visibility,
                quote=item.quote,
                teller_name=item.teller,
                journey=journeys[item.journey] if item.journey else None,
                gemeente=gemeenten.get(item.gemeente) if item.gemeente else None,
                wijk=item.wijk,
                happened_on=min(item.happened, today),
                themes=item.themes,
                signifiers=[signifiers[slug] for slug in item.meant if slug in signifiers],
                sliders={regie.pk: item.regie} if regie and item.regie is not None else {},
            )
            teller = people[item.by]
            if item.teller:
                services.record_story(
                    teller,
                    details,
                    Consent(
                        given_on=min(item.happened + timedelta(days=7), today),
                        method=item.consent,
                        visibility=item.agreed or item.visibility,
                        note="Verhaal teruggelezen met de verteller.",
                    ),
                )
            else:
                services.tell_story(teller, details)
            made += 1
    if stdout is not None:
        stdout.write(f"Demo stories ready ({made} new, {len(STORIES)} in the demo).\n")
    return made
