"""Demo forums for `manage.py seed_demo`, written through the forum services.

The plein gets three categories with threads and replies by the demo personas (one
thread pinned by the beheerder, who moderates the plein as staff); each demo journey
(journeys/demo.py) gets two threads with replies by its members who contribute.
Meelezers only read and react. Personas mention each other by handle: the slug of
their name (@rosa-verhoeven, @pieter-de-wit, ...).

Idempotent: a thread whose title exists in its forum is left as it is, with its replies
and reactions, so a second run changes nothing. Needs the personas and the demo
journeys to exist. The notifications the services create go to the in-app list;
email goes only to members who chose email at once, and no demo persona has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.test.utils import override_settings

from community.demo import PERSONAS
from community.markdown import quote
from community.models import ForumCategory, Post, Thread, User
from community.services import forum
from journeys.demo import LONELINESS_SLUG, NEIGHBOURHOOD_SLUG, POVERTY_SLUG
from journeys.models import Journey

# The plein's categories: (slug, name, description).
CATEGORIES = [
    (
        "werkzame-elementen-delen",
        "Werkzame elementen delen",
        "Wat werkt, bij wie en waarom? Deel wat je zag werken en vraag door.",
    ),
    (
        "vragen-aan-elkaar",
        "Vragen aan elkaar",
        "Loop je ergens tegenaan? Vraag het aan collega's uit andere gemeenten.",
    ),
    (
        "bijeenkomsten-en-nieuws",
        "Bijeenkomsten en nieuws",
        "Netwerkdagen, trainingen en nieuws uit het netwerk.",
    ),
]


@dataclass(frozen=True)
class Reply:
    author: str  # a persona's role (community/demo.py)
    body: str
    reply_to: int | None = None  # the number of the post this one answers
    quoting: bool = False  # start with a quote of that post


@dataclass(frozen=True)
class DemoThread:
    author: str
    title: str
    body: str
    tags: tuple[str, ...] = ()
    category: str = ""  # a category's slug, for the plein
    replies: tuple[Reply, ...] = ()
    reactions: tuple[tuple[str, int, str], ...] = ()  # (role, post number, kind)
    pinned: bool = False


PLEIN = [
    DemoThread(
        "beheerder",
        "Welkom op het plein: zo werkt het",
        (
            "Het plein is de plek voor iedereen in het netwerk, over de grenzen van je eigen "
            "reis heen. Hier deel je wat je ziet werken, stel je vragen aan collega's uit "
            "andere gemeenten en lees je wat er aan bijeenkomsten aankomt.\n\n"
            "- Noem iemand met een **@** voor de naam, zoals @rosa-verhoeven; die krijgt "
            "dan een melding.\n"
            "- Volg een onderwerp om te horen wanneer er iets bij komt.\n"
            "- Zie je een bericht dat hier niet hoort? Meld het: een moderator kijkt ernaar.\n\n"
            "Wat in een reis gebeurt, bespreek je in het forum van die reis."
        ),
        tags=("welkom",),
        category="bijeenkomsten-en-nieuws",
        replies=(
            Reply(
                "reisbegeleider",
                "Fijn dat het plein er is. Ik zet de vragen die in meerdere reizen terugkomen "
                "voortaan hier neer, dan hoeven we niet in elke reis opnieuw te beginnen.",
            ),
        ),
        reactions=(("professional", 1, "dank"), ("trainer", 1, "eens")),
        pinned=True,
    ),
    DemoThread(
        "professional",
        "Iemand die meeloopt naar de eerste activiteit",
        (
            "In Oosterwaard hoorden we aan de keukentafel steeds hetzelfde: de drempel naar "
            "een koffieochtend is hoog, zeker als je er alleen heen moet. Een weduwnaar ging "
            "pas toen zijn buurvrouw een keer meeliep. Daarna kwam hij elke week.\n\n"
            "We proberen nu dat een vaste vrijwilliger de eerste twee keer meeloopt. Het "
            "lijkt te werken, maar ik weet niet goed waarom. @omar-el-amrani, zegt het "
            "onderzoek hier iets over?"
        ),
        tags=("eenzaamheid", "vrijwilligers"),
        category="werkzame-elementen-delen",
        replies=(
            Reply(
                "onderzoeker",
                "Ja. Wat je beschrijft past bij wat in onderzoek een *vertrouwd gezicht* "
                "heet: iemand die de onzekerheid van de eerste keer wegneemt. Het helpt vooral "
                "bij sociale eenzaamheid. Bij emotionele eenzaamheid, het missen van een "
                "hechte band, is meer nodig dan een activiteit. Houd bij wie na drie maanden "
                "nog komt, dan kunnen we later iets zeggen over het effect.",
                reply_to=1,
            ),
            Reply(
                "trainer",
                "Mooi voorbeeld, @pieter-de-wit. Mag ik het in de training over werkzame "
                "elementen gebruiken? Het laat goed zien dat het *waarom* minstens zo "
                "belangrijk is als het *wat*.",
                reply_to=1,
            ),
            Reply(
                "professional",
                "Natuurlijk, graag zelfs. En dank, Omar: we gaan bijhouden wie na drie "
                "maanden nog komt.",
                reply_to=3,
                quoting=True,
            ),
        ),
        reactions=(
            ("reisbegeleider", 2, "inzicht"),
            ("trainer", 2, "inzicht"),
            ("redacteur", 1, "eens"),
        ),
    ),
    DemoThread(
        "reisbegeleider",
        "Hoe bereik je werkende huishoudens met geldzorgen?",
        (
            "In de armoedereis zien we dat werkende huishoudens met een laag inkomen pas "
            "hulp zoeken als de schulden al hoog zijn. Overdag zijn ze er niet, en een brief "
            "van de gemeente maken ze liever niet open.\n\n"
            "Hoe pakken jullie dat aan? Ik ben vooral benieuwd naar wat je zelf zag werken."
        ),
        tags=("armoede", "bereik"),
        category="vragen-aan-elkaar",
        replies=(
            Reply(
                "inwoner",
                "Uit eigen ervaring: ik ging pas toen iemand van de voedselbank zei dat ik "
                "'s avonds kon langskomen, in het buurthuis en niet op het gemeentehuis. De "
                "plek maakt echt uit.",
                reply_to=1,
            ),
            Reply(
                "redacteur",
                "En de taal van de brief. In Lindendal herschreven we de uitnodiging samen met "
                "inwoners: kortere zinnen, een telefoonnummer dat 's avonds opneemt. Er "
                "kwamen duidelijk meer reacties.",
            ),
            Reply(
                "professional",
                "Dat avondspreekuur in het buurthuis kunnen we in de Kruidenbuurt ook "
                "proberen. @ilse-bakker, wil je meedenken over hoe we het aankondigen?",
                reply_to=2,
            ),
        ),
        reactions=(("reisbegeleider", 2, "dank"), ("opdrachtgever", 3, "inzicht")),
    ),
    DemoThread(
        "trainer",
        "Training: werkzame elementen herkennen in je eigen praktijk",
        (
            "In de training van het Leerhuis oefenen we met voorbeelden uit de reizen van "
            "dit netwerk: wat is het werkzame element, bij wie werkt het en waarom? Er zijn "
            "nog een paar plekken. Reageer hier als je mee wilt doen, dan stuur ik je de "
            "uitnodiging."
        ),
        tags=("training", "werkzame elementen"),
        category="bijeenkomsten-en-nieuws",
        replies=(
            Reply("onderzoeker", "Ik doe mee, en neem graag twee studenten mee als dat kan."),
            Reply(
                "hoofdredacteur",
                "Goed plan. Wat eruit komt, zetten we daarna in de kennisbank. @tessa-jansen, "
                "stuur je me de voorbeelden die de groep uitwerkt?",
            ),
        ),
        reactions=(("redacteur", 1, "eens"),),
    ),
]

JOURNEY_THREADS = {
    LONELINESS_SLUG: [
        DemoThread(
            "professional",
            "Keukentafelgesprekken: wat hoorden jullie?",
            (
                "We hebben nu tien gesprekken gevoerd. Wat mij het meest opviel: schaamte. "
                "Bijna niemand zegt zelf dat hij eenzaam is; mensen zeggen dat ze 'het druk "
                "hebben gehad' of 'niet zo'n prater zijn'. Herkennen jullie dat?"
            ),
            tags=("verhalen uit de leefwereld",),
            replies=(
                Reply(
                    "reisbegeleider",
                    "Herkenbaar. Kun je een paar van die verhalen in de foto zetten, bij "
                    "verhalen uit de leefwereld? @omar-el-amrani, misschien kun jij ze naast "
                    "de cijfers uit de monitor leggen.",
                    reply_to=1,
                ),
                Reply(
                    "onderzoeker",
                    "Doe ik. De monitor meet eenzaamheid met een vragenlijst; die schaamte zie "
                    "je daar niet in terug. Juist daarom zijn die verhalen nodig.",
                    reply_to=2,
                ),
            ),
            reactions=(("inwoner", 1, "inzicht"), ("opdrachtgever", 3, "eens")),
        ),
        DemoThread(
            "reisbegeleider",
            "Tweede bijeenkomst van de verkenning",
            (
                "De foto is half af. In de tweede bijeenkomst kijken we samen naar de lenzen "
                "die nog leeg zijn: het lokale netwerk, klantreizen en voorbeelden van wat "
                "werkt. Neem mee wat je al weet, ook als het nog niet af is."
            ),
            tags=("bijeenkomst",),
            replies=(
                Reply(
                    "opdrachtgever",
                    "Ik schuif aan. Voor de colleges wil ik na deze bijeenkomst kunnen "
                    "vertellen waar we staan.",
                ),
                Reply(
                    "professional",
                    "Ik neem het overzicht van de belcirkel mee; dat hoort bij het lokale netwerk.",
                ),
            ),
        ),
    ],
    POVERTY_SLUG: [
        DemoThread(
            "professional",
            "Avondspreekuur: de eerste ervaringen",
            (
                "Het avondspreekuur in Lindendal-Oost draait nu vier weken. Er kwamen elf "
                "huishoudens, waarvan acht die we nog niet kenden. Bijna allemaal werken ze "
                "overdag."
            ),
            tags=("avondspreekuur", "cyclus 2"),
            replies=(
                Reply(
                    "inwoner",
                    "Wat hielp, denk ik: het staat op het bord bij de supermarkt en niet "
                    "alleen op de website van de gemeente.",
                    reply_to=1,
                ),
                Reply(
                    "reisbegeleider",
                    "Dit is precies wat we in de programma-aanpak wilden weten. "
                    "@marieke-van-dam, kunnen we het spreekuur tot de zomer voortzetten?",
                    reply_to=1,
                ),
                Reply(
                    "opdrachtgever",
                    "Ja, daar is ruimte voor. Ik wil dan wel bij het reisverslag zien wat het "
                    "oplevert.",
                    reply_to=3,
                    quoting=True,
                ),
            ),
            reactions=(("onderzoeker", 1, "inzicht"), ("professional", 4, "dank")),
        ),
        DemoThread(
            "reisbegeleider",
            "Signaal via de scholen: wie is ons aanspreekpunt?",
            (
                "In de aangescherpte programma-aanpak komt een signaal via de scholen. We "
                "hebben per school iemand nodig die weet waar een gezin met geldzorgen "
                "terechtkan. Wie kent de intern begeleiders?"
            ),
            tags=("scholen", "vroegsignalering"),
            replies=(
                Reply(
                    "professional",
                    "Ik ken die van de Kruidenbuurtschool goed. Zal ik een gesprek plannen?",
                ),
                Reply(
                    "inwoner",
                    "Let op dat ouders het niet voelen als een controle. Een juf die zegt "
                    "'hier kun je terecht' werkt beter dan een formulier.",
                    reply_to=1,
                ),
            ),
        ),
    ],
    NEIGHBOURHOOD_SLUG: [
        DemoThread(
            "reisbegeleider",
            "Wie is eigenaar van de stap naar betaald werk?",
            (
                "Op het Impact Canvas zie je het meteen: bij de stap naar betaald werk staat "
                "niemand als probleemeigenaar. Het wijkbedrijf begeleidt, welzijn coördineert, "
                "maar wie zorgt dat een kandidaat bij een werkgever terechtkomt?"
            ),
            tags=("impact canvas", "witte vlek"),
            replies=(
                Reply(
                    "opdrachtgever",
                    "Eerlijk gezegd: wij als gemeente, team Werk en Inkomen. Alleen hebben we "
                    "dat nooit zo afgesproken. Ik neem het mee naar het overleg met de "
                    "wethouder.",
                    reply_to=1,
                ),
                Reply(
                    "professional",
                    "Dan moeten we ook de doublure bij de begeleiding oplossen: nu praten twee "
                    "organisaties met dezelfde kandidaten. @ilse-bakker, hoe merken bewoners "
                    "dat?",
                ),
                Reply(
                    "inwoner",
                    "Mijn buurman moest zijn verhaal drie keer vertellen. Eén vast persoon "
                    "zou schelen.",
                    reply_to=3,
                    quoting=True,
                ),
            ),
            reactions=(("onderzoeker", 4, "inzicht"), ("reisbegeleider", 2, "dank")),
        ),
        DemoThread(
            "inwoner",
            "Klussen uit de buurt voor het klusteam",
            (
                "Bij de buurtkantine hangt nu een lijst met klussen die bewoners aanbieden: "
                "een schutting, een tuin die verwilderd is, verhuizen naar een kleinere "
                "woning. Wie houdt bij welke klus door wie wordt opgepakt?"
            ),
            tags=("klusteam",),
            replies=(
                Reply(
                    "professional",
                    "De coördinator van het wijkbedrijf wil dat wel doen. Ik vraag het morgen.",
                ),
                Reply(
                    "reisbegeleider",
                    "Mooi. Zet de klussen die werkervaring opleveren ook op het canvas, bij "
                    "immaterieel kapitaal.",
                ),
            ),
        ),
    ],
}


def ensure_categories() -> dict[str, ForumCategory]:
    """The plein's categories (staff manage them in the admin; no service writes them).
    A category that exists stays as staff left it."""
    categories = {}
    for position, (slug, name, description) in enumerate(CATEGORIES):
        categories[slug], _ = ForumCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    return categories


def _build(
    people: dict[str, User],
    demo: DemoThread,
    *,
    journey: Journey | None = None,
    category: ForumCategory | None = None,
) -> bool:
    """One thread with its replies and reactions, unless its forum has it already."""
    existing = Thread.objects.filter(title=demo.title)
    existing = existing.filter(journey=journey) if journey else existing.filter(journey=None)
    if existing.exists():
        return False
    thread = forum.start_thread(
        people[demo.author],
        title=demo.title,
        body=demo.body,
        journey=journey,
        category=category,
        tags=demo.tags,
    )
    posts: dict[int, Post] = {1: thread.posts.get(number=1)}
    for reply in demo.replies:
        answered = posts.get(reply.reply_to) if reply.reply_to else None
        body = reply.body
        if reply.quoting and answered is not None:
            body = quote(answered.body, answered.author.handle, answered.number) + body
        post = forum.reply(people[reply.author], thread, body=body, reply_to=answered)
        posts[post.number] = post
    for role, number, kind in demo.reactions:
        forum.toggle_reaction(people[role], posts[number], kind)
    if demo.pinned:
        forum.set_thread_flag(people["beheerder"], thread, flag="pinned", value=True)
    return True


def seed_forums(stdout: IO[str] | None = None) -> int:
    """The plein and the demo journeys' forums; returns how many threads it made."""
    people = {persona.role: User.objects.get(email=persona.email) for persona in PERSONAS}
    created = 0
    # The services allow each author FORUM_POSTS_PER_MINUTE posts a minute (6 by default)
    # against floods; the demo writes a dozen posts per persona within a second. The limit
    # is for people typing, so it is lifted for this run only: nothing else changes.
    with override_settings(FORUM_POSTS_PER_MINUTE=10_000), transaction.atomic():
        categories = ensure_categories()
        for demo in PLEIN:
            created += _build(people, demo, category=categories[demo.category])
        for slug, threads in JOURNEY_THREADS.items():
            journey = Journey.objects.filter(slug=slug).first()
            if journey is None:  # the demo journeys were not built, or were removed
                continue
            for demo in threads:
                created += _build(people, demo, journey=journey)
    if stdout is not None:
        stdout.write(f"Demo forums ready ({created} new threads): /plein/ and the journeys.\n")
    return created
