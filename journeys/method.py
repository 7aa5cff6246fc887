"""The reisplan as data: phase order and the sections of each phase's result.

Services, forms and templates read these lists; the method lives here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from journeys.models import PHASE_RESULT, Journey, PhaseResult

Phase = Journey.Phase
Kind = PhaseResult.Kind

PHASE_ORDER = [Phase.REISWENS, Phase.VERKENNEN, Phase.INRICHTEN, Phase.DOEN_EN_LEREN]

PHASE_DESCRIPTIONS = {
    Phase.REISWENS: _("A shared wish to tackle the challenge becomes a commission: the opdracht."),
    Phase.VERKENNEN: _(
        "Residents, professionals, policy makers and researchers explore the challenge "
        "together, with an open mind; the foto brings it together."
    ),
    Phase.INRICHTEN: _(
        "The network chooses groups, areas and problems to focus on and writes them down "
        "in the programma-aanpak."
    ),
    Phase.DOEN_EN_LEREN: _(
        "The network experiments, works together and learns; the reisverslag says what it "
        "yielded and what it means for the next cycle."
    ),
}


def next_phase(phase: str) -> str:
    """The phase after `phase`; after doen en leren the cycle starts again at (in)richten."""
    if phase == Phase.DOEN_EN_LEREN:
        return Phase.INRICHTEN
    return PHASE_ORDER[PHASE_ORDER.index(phase) + 1]


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    help_text: str | Promise = ""


# The foto's nine lenses. Data points and documents are filed under a lens key.
FOTO_LENSES = [
    Section("data", _("Data"), _("Figures that show the size and course of the challenge.")),
    Section("lokale_praktijk", _("Local practice"), _("What is already being done, and how.")),
    Section("lokaal_netwerk", _("Local network"), _("Who is involved and how they work together.")),
    Section(
        "verhalen_leefwereld",
        _("Stories from everyday life"),
        _("What residents themselves experience and tell."),
    ),
    Section("klantreizen", _("Customer journeys"), _("The route people travel past services.")),
    Section("kennis_wetenschap", _("Scientific knowledge"), _("What research says.")),
    Section(
        "beleidscontext", _("Policy context"), _("Plans, agreements and programmes around it.")
    ),
    Section("wettelijke_grondslag", _("Legal basis"), _("The laws and rules the work rests on.")),
    Section(
        "voorbeelden_wat_werkt",
        _("Examples of what works"),
        _("Approaches elsewhere that show results."),
    ),
]

RESULT_SECTIONS: dict[str, list[Section]] = {
    Kind.OPDRACHT: [
        Section("vraag", _("Question"), _("What does the network want to find out or achieve?")),
        Section("aanleiding", _("Reason"), _("What makes this urgent now?")),
        Section("ambitie", _("Ambition"), _("What should be different when the journey succeeds?")),
        Section("context", _("Context"), _("Where does this play, and what is already there?")),
        Section(
            "facilitatie",
            _("Who facilitates"),
            _("Who guides the exploration as reisbegeleider, with what time and means?"),
        ),
    ],
    Kind.FOTO: FOTO_LENSES,
    Kind.PROGRAMMA_AANPAK: [
        Section("focus_groepen", _("Focus: groups"), _("Which groups does the programme choose?")),
        Section("focus_gebieden", _("Focus: areas"), _("Which neighbourhoods or areas?")),
        Section("focus_problematiek", _("Focus: problems"), _("Which problems come first?")),
        Section("waartoe", _("What for"), _("The purpose: the impact the network is after.")),
        Section("wat", _("What"), _("What the network will do.")),
        Section("met_wie", _("With whom"), _("Partners, residents and their roles.")),
        Section("waarmee", _("With what"), _("Methods, tools and knowledge used.")),
        Section("middelen", _("Means"), _("Budget, hours and other resources.")),
        Section("organisatie", _("Organisation"), _("How the work is organised.")),
        Section("governance", _("Governance"), _("Who decides what, and how the network reports.")),
        Section(
            "vervolg_vorige_cyclus",
            _("Carried over from the reisverslag"),
            _("What the last reisverslag said this means for the next cycle."),
        ),
    ],
    Kind.REISVERSLAG: [
        Section("samenvatting", _("Summary"), _("The cycle in a few paragraphs.")),
        Section("verhalen", _("Stories"), _("What people told about the change they felt.")),
        Section("data", _("Data"), _("The figures and how they moved during the cycle.")),
        Section(
            "werkzame_elementen",
            _("Working elements"),
            _("What worked, and what the kennisbank says about it."),
        ),
        Section("leervragen", _("Learning questions"), _("What the network found out.")),
        Section("bijeenkomsten", _("Meetings"), _("Where the network met and what it said.")),
        Section("opbrengst", _("What did it yield?")),
        Section(
            "vervolg",
            _("What does this mean for what comes next?"),
            _("This text starts the programma-aanpak of the next cycle."),
        ),
    ],
}


# The programma-aanpak's section that a new cycle fills with the reisverslag's "vervolg".
CARRIED_OVER_SECTION = "vervolg_vorige_cyclus"


def section_keys(kind: str) -> list[str]:
    return [section.key for section in RESULT_SECTIONS[kind]]


def lens_keys() -> list[str]:
    return [lens.key for lens in FOTO_LENSES]


# URL segment of each result under /reizen/<slug>/.
RESULT_SLUGS = {
    Kind.OPDRACHT: "opdracht",
    Kind.FOTO: "foto",
    Kind.PROGRAMMA_AANPAK: "programma-aanpak",
    Kind.REISVERSLAG: "reisverslag",
}
KIND_BY_SLUG = {slug: kind for kind, slug in RESULT_SLUGS.items()}

# Which phase each result closes.
PHASE_OF_RESULT = {kind: phase for phase, kind in PHASE_RESULT.items()}
