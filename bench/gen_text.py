"""Dutch text for the generated data: a small vocabulary with a skewed (Zipf-like)
frequency, so some words are common and some rare, as in real stories. Every function
takes the caller's seeded random.Random, so the same seed gives the same text."""

from __future__ import annotations

import itertools
import random

from django.utils.text import slugify

# Content words, most frequent first: their rank sets their weight (1 / rank).
WORDS = """
buurt gemeente bewoners koffie hulp samen wijk gesprek vrijwilliger zorg kinderen ouderen
school werk geld huis buren moeder contact vertrouwen mantelzorg eenzaamheid armoede
schulden jongeren gezin vader dochter zoon plein bibliotheek buurthuis huisarts wijkteam
opbouwwerker schuldhulp formulier brief toeslag energie rekening boodschappen voedselbank
taalcafe moestuin sportclub voetbal fiets bus ontmoeting aandacht regie erkenning
veiligheid angst schaamte trots hoop rust afspraak telefoon computer website loket
wachtlijst indicatie budget subsidie project netwerk partner welzijn onderwijs politie
woningcorporatie verhuurder klantreis vraag antwoord keukentafel koffieochtend soos kerk
moskee markt park speeltuin winkel apotheek ervaring verhaal verandering toekomst begin
einde keer week maand jaar dementie diabetes rolstoel medicijnen ziekenhuis revalidatie
fysiotherapie thuiszorg wijkverpleegkundige statushouder inburgering taalles
vrijwilligerswerk stage sollicitatie uitkering participatiewet bijstand huurachterstand
deurwaarder incasso bewindvoering budgetcoach administratie belastingdienst schoolplein
mentor huiswerk straatcoach jongerenwerk hangplek overlast buurtpreventie kringloop
repaircafe deelauto zonnepanelen isolatie tochtstrip energiecoach
""".split()  # noqa: SIM905

ADJECTIVES = """
kleine grote nieuwe oude eerste laatste goede lastige warme stille drukke lange korte
gewone eerlijke open vaste vrije samen
""".split()  # noqa: SIM905
VERBS = """
helpt vraagt belt vertelt luistert wacht zoekt vindt deelt leert begint stopt kookt fietst
schrijft betaalt regelt komt gaat blijft
""".split()  # noqa: SIM905
# Function words: PostgreSQL's Dutch configuration drops most of them.
FILLER = """
de het een en in op met voor naar bij van niet maar ook nog wel dan als dat die
""".split()  # noqa: SIM905

THEMES = [
    "eenzaamheid", "armoede", "schulden", "ouderen", "jongeren", "mantelzorg", "wonen",
    "werk", "gezondheid", "ontmoeting", "zelfredzaamheid", "participatie", "veiligheid",
    "onderwijs", "gezinnen", "taal", "digitale inclusie", "vrijwilligerswerk", "buurt",
    "jeugdcriminaliteit", "energiearmoede", "zorg", "bewegen", "cultuur",
]  # fmt: skip
CHALLENGES = [
    "eenzaamheid onder ouderen", "armoede en schulden", "jeugdcriminaliteit in de wijk",
    "energiearmoede", "meedoen in de buurt", "gezond opgroeien", "mentale gezondheid van jongeren",
    "laaggeletterdheid", "dakloosheid voorkomen", "mantelzorgers ontlasten",
]  # fmt: skip
FIRST_NAMES = """
Rosa Marieke Pieter Ilse Omar Tessa Ruben Hanna Bas Fatima Mohamed Anouk Daan Sanne Lars
Emma Noah Julia Sem Lotte Finn Sara Levi Eva Milan Yara Luuk Noor Thijs Fenna Ayoub Lina
Jesse Nina Bram Zoë Jan Petra Henk Wil Ahmed Samira Kees Ria Gerrit Truus Dewi Rik Iris
Tim Mila Stijn Amira Koen Lieke Youssef Hatice Ferry Ans Joost
""".split()  # noqa: SIM905
LAST_NAMES = """
Verhoeven Dam Wit Bakker Amrani Jansen Smits Groot Hendriks Vos Graaf Visser Mulder Bos
Meijer Boer Dekker Brouwer Dijkstra Kok Peters Willems Hoekstra Koster Prins Huisman
Kuipers Postma Vermeulen Schouten Yilmaz Kaya Demir Bouzid Benali Haddou Martens Wouters
Maas Veenstra Bosman Jonker Sinnige Oosterhuis Lammers Wijnen Tol Zwart Kramer Blom Aksoy
Ozturk Pinas Koning Vink Bijl Schipper Post Timmer Evers
""".split()  # noqa: SIM905
PLACE_PREFIXES = """
Ooster Wester Linden Vliet Noorder Zuider Berg Beek Heide Wijk Dal Haven Veen Brug Meer
Hoog Laag Nieuw Oud Zand
""".split()  # noqa: SIM905
PLACE_SUFFIXES = """
waard dal monde dorp veen hoven berg land stad kerk horst broek wolde zijl dijk meer
heuvel loo woude ende
""".split()  # noqa: SIM905
WIJKEN = """
Centrum Oude Haven De Linde Lindenhof Molenwijk Noordkwartier Zuidrand Bloemenbuurt
Stationsbuurt Kerkbuurt Parkwijk Rivierenbuurt Vogelwijk Dichterswijk Boerenveld
""".split()  # noqa: SIM905
ORGANISATION_KINDS = ["welzijn", "zorg", "onderwijs", "kennisinstelling", "bedrijf"]
JOB_TITLES = [
    "beleidsadviseur", "wijkverpleegkundige", "onderzoeker", "opbouwwerker", "programmamanager",
    "schuldhulpverlener", "jongerenwerker", "ervaringsdeskundige", "vrijwilliger",
    "wijkcoach", "teamleider", "inwoner",
]  # fmt: skip

# The long tail: Dutch-style compounds of two stems, each rare, as most words of real
# stories are. Without it even the rarest word above would be in 5% of the stories.
FIRST_STEMS = """
buurt wijk zorg jeugd school huis werk geld energie taal sport straat markt park kerk dorp
stad tuin fiets boek koffie kook muziek dans spel lees schrijf reken school
""".split()  # noqa: SIM905
SECOND_STEMS = """
huis team coach kring plan fonds punt hoek winkel club groep tafel avond ochtend middag
dag week bus kaart gids boek krant project netwerk loket lijn raad bank pas tas
""".split()  # noqa: SIM905
TAIL = [a + b for a in dict.fromkeys(FIRST_STEMS) for b in SECOND_STEMS if a + b not in WORDS]
VOCABULARY = WORDS + TAIL
_WEIGHTS = list(itertools.accumulate(1.0 / rank for rank in range(1, len(VOCABULARY) + 1)))


def words(rng: random.Random, n: int) -> list[str]:
    return rng.choices(VOCABULARY, cum_weights=_WEIGHTS, k=n)


def sentence(rng: random.Random, n: int | None = None) -> str:
    """A sentence of content words with some filler, verb and adjective mixed in."""
    n = n or rng.randint(6, 14)
    out = []
    for word in words(rng, n):
        r = rng.random()
        if r < 0.35:
            out.append(rng.choice(FILLER))
        elif r < 0.45:
            out.append(rng.choice(ADJECTIVES))
        out.append(word)
        if rng.random() < 0.12:
            out.append(rng.choice(VERBS))
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def title(rng: random.Random) -> str:
    n = rng.randint(2, 5)
    parts = words(rng, n)
    if rng.random() < 0.5:
        parts.insert(0, rng.choice(ADJECTIVES))
    if rng.random() < 0.4:
        parts.insert(len(parts) - 1, rng.choice(["in de", "bij de", "met de", "voor de", "en"]))
    text = " ".join(parts)
    return text[0].upper() + text[1:]


def gemeente_names(count: int) -> list[str]:
    names = [f"Gemeente {p}{s}" for s in PLACE_SUFFIXES for p in PLACE_PREFIXES]
    return names[:count]


def organisation_name(rng: random.Random, kind: str, n: int) -> str:
    base = {
        "welzijn": "Welzijn",
        "zorg": "Zorggroep",
        "onderwijs": "Scholengroep",
        "kennisinstelling": "Kenniscentrum",
        "bedrijf": "Adviesbureau",
    }[kind]
    return f"{base} {rng.choice(PLACE_PREFIXES)}{rng.choice(PLACE_SUFFIXES)} {n}"


def person(n: int) -> tuple[str, str, str]:
    """First name, last name and a unique handle for person number `n` (from 1)."""
    first = FIRST_NAMES[(n * 7) % len(FIRST_NAMES)]
    last = LAST_NAMES[(n * 13 + n // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return first, last, f"{slugify(first)}-{slugify(last)}-{n}"


def search_terms() -> list[str]:
    """40 terms from the vocabulary: the most common words (in most stories), middle ones
    (about one in five), rare ones from the tail (about one in a hundred) and a few of two
    words, so the search benchmark covers long and short hit lists."""
    common = WORDS[:12]
    middle = WORDS[40:52]
    rare = TAIL[::83][:10]
    pairs = ["koffie buurt", "schulden hulp", "eenzaamheid ouderen", "jongeren school",
             "mantelzorg huisarts", "voedselbank gezin"]  # fmt: skip
    return common + middle + rare + pairs
